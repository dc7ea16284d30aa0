"""Places on the members app's pages that the apps above fill in at start-up, so members never names them.

An app registers a provider in its AppConfig.ready(); the page asks the slot, which asks every provider. Each kind
of slot says what a provider is (a Protocol, checked by mypy where the provider is registered) and what it answers
with (a dataclass, or a condition on Member).
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q

from members.models import Member, User


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    detail: str = ""


class ApplicantLinkProvider(Protocol):
    """The applicant's way to their membership application: "apply", or the application they already made."""

    def __call__(self, member: Member, /) -> Link | None: ...


_applicant_links: list[ApplicantLinkProvider] = []


def register_applicant_link(provider: ApplicantLinkProvider) -> None:
    if provider not in _applicant_links:
        _applicant_links.append(provider)


def applicant_links(member: Member) -> list[Link]:
    return [link for provider in _applicant_links if (link := provider(member)) is not None]


class MemberScopeProvider(Protocol):
    """Which members a staff member may find in the directory and open: the app that knows departments answers with
    a condition on Member. Fail closed: with no provider, staff see nobody."""

    def __call__(self, user: User, /) -> Q: ...


_member_scopes: list[MemberScopeProvider] = []


def register_member_scope(provider: MemberScopeProvider) -> None:
    if provider not in _member_scopes:
        _member_scopes.append(provider)


def member_scope(user: User) -> Q:
    if not _member_scopes:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for provider in _member_scopes:
        condition |= provider(user)
    return condition


class RecipientSegmentProvider(Protocol):
    """The members of an announcement's recipient segment that a higher app knows: the members with a request not yet
    closed (the "with open requests" segment), as a condition on Member. Without a provider the segment matches no
    one."""

    def __call__(self) -> Q: ...


_open_requests: list[RecipientSegmentProvider] = []


def register_open_requests(provider: RecipientSegmentProvider) -> None:
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
    answers: list[dict[str, object]]  # the form as the member filled it in: key, labels, value
    staff_url: str  # the request's staff page


class MemberRequestsProvider(Protocol):
    """The member's service requests, newest first, from the app that keeps them: the section of the member's own
    data export (`visible_to` None: all of them) and the panel of the staff member page (those `visible_to` may
    open). Without a provider: none."""

    def __call__(self, member: Member, *, limit: int, visible_to: User | None) -> list[MemberRequest]: ...


_member_requests: list[MemberRequestsProvider] = []


def register_member_requests(provider: MemberRequestsProvider) -> None:
    if provider not in _member_requests:
        _member_requests.append(provider)


def member_requests(member: Member, *, limit: int, visible_to: User | None = None) -> list[MemberRequest]:
    rows: list[MemberRequest] = []
    for provider in _member_requests:
        rows += provider(member, limit=limit, visible_to=visible_to)
    return rows[:limit]


class ReplyReceiver(Protocol):
    """Where a member's own message from another channel (a WhatsApp reply) lands: the app that keeps requests puts it
    on their open request's timeline or opens an inquiry, and answers with where it went (a reference number), or
    None when it refused the message (a member without a portal account: nothing written)."""

    def __call__(self, *, member: Member, text: str, reference: str) -> str | None: ...


_reply_receivers: list[ReplyReceiver] = []


def register_reply_receiver(receiver: ReplyReceiver) -> None:
    _reply_receivers[:] = [receiver]


def receive_reply(*, member: Member, text: str, reference: str) -> str | None:
    if not _reply_receivers:
        raise LookupError("no app receives members' replies")
    return _reply_receivers[0](member=member, text=text, reference=reference)
