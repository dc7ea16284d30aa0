"""Places on the members app's pages that the apps above fill in at start-up, so members never names them.

An app registers a provider in its AppConfig.ready(); the page asks the slot, which asks every provider.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from members.models import Member


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    detail: str = ""


# The applicant's way to their membership application: "apply", or the application they already made.
_applicant_links: list[Callable[[Member], Link | None]] = []


def register_applicant_link(provider: Callable[[Member], Link | None]) -> None:
    if provider not in _applicant_links:
        _applicant_links.append(provider)


def applicant_links(member: Member) -> list[Link]:
    return [link for provider in _applicant_links if (link := provider(member)) is not None]


# Which members a staff member may find in the directory and open: the app that knows departments answers with a
# condition on Member. Fail closed: with no provider, staff see nobody.
_member_scopes: list[Callable[[object], Q]] = []


def register_member_scope(provider: Callable[[object], Q]) -> None:
    if provider not in _member_scopes:
        _member_scopes.append(provider)


def member_scope(user) -> Q:
    if not _member_scopes:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for provider in _member_scopes:
        condition |= provider(user)
    return condition


# The members with a request not yet closed (the announcements' "with open requests" segment): the app that keeps
# requests answers with a condition on Member. Without a provider the segment matches no one.
_open_requests: list[Callable[[], Q]] = []


def register_open_requests(provider: Callable[[], Q]) -> None:
    if provider not in _open_requests:
        _open_requests.append(provider)


def open_requests_condition() -> Q:
    condition = Q(pk__in=[])
    for provider in _open_requests:
        condition |= provider()
    return condition


@dataclass(frozen=True)
class MemberRequest:
    """One of the member's service requests, as the staff member page and the member's data export show it."""

    reference_no: str
    service: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str
    answers: list
    staff_url: str  # the request's staff page


# The member's service requests, newest first, from the app that keeps them: all of them for the member's own data
# export (`visible_to` None), those a staff member may open for the staff member page. Without a provider: none.
_member_requests: list[Callable[..., list[MemberRequest]]] = []


def register_member_requests(provider: Callable[..., list[MemberRequest]]) -> None:
    if provider not in _member_requests:
        _member_requests.append(provider)


def member_requests(member: Member, *, limit: int, visible_to=None) -> list[MemberRequest]:
    rows = []
    for provider in _member_requests:
        rows += provider(member, limit=limit, visible_to=visible_to)
    return rows[:limit]


# Where a member's own message from another channel (a WhatsApp reply) lands: the app that keeps requests puts it on
# their open request's timeline or opens an inquiry, and answers with where it went (a reference number).
_reply_receivers: list[Callable[..., str]] = []


def register_reply_receiver(receiver: Callable[..., str]) -> None:
    _reply_receivers[:] = [receiver]


def receive_reply(*, member: Member, text: str, reference: str) -> str:
    if not _reply_receivers:
        raise LookupError("no app receives members' replies")
    return _reply_receivers[0](member=member, text=text, reference=reference)
