"""General Assembly proxies (GOV-01; Law art. 23, Reg. art. 44), the rules in one place.

A member appoints another member by national ID; the holder accepts with a one-time code sent to their mobile on
record, or declines; the principal revokes. Every
service checks, under row locks on both members (taken in one order, so two calls never wait on each other):
  - the holder is not the principal, and both are on the meeting's eligible list (the record date);
  - the holder is not on the board, when appointed and when accepting;
  - a holder holds at most one live proxy, and a principal gives at most one;
  - nothing changes after the cut-off (ASSEMBLY_PROXY_CUTOFF_HOURS before the meeting), nor for a meeting whose
    notice is not published.
The database holds the last three pair rules too (assembly.models.Proxy's constraints).

Each change tells the other member through the outbox (proxy_offered to the holder, proxy_answered to the principal,
proxy_revoked to the holder), in the same transaction.

A principal who registers at the door in person ends the proxy they gave, whatever the cut-off
(`revoke_on_arrival`, called by assembly.door); the holder is told (proxy_revoked_on_arrival). A meeting adjourned
for want of quorum carries its accepted proxies to the later meeting (`carry_over`), the board rule checked again.

The acceptance code is drawn and checked like the portal's other codes (members.activation: six digits, a keyed
hash only, ten minutes, five wrong tries) and leaves by the code path (members.code_delivery), not the outbox: the
outbox keeps each text in clear and copies it to the inbox, where a code would prove nothing about the mobile.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assembly.models import Meeting, Proxy
from members import activation, code_delivery, outbox
from members.models import Member
from members.roles import Role
from members.validators import western_digits

Status = Proxy.Status


def cut_off(meeting: Meeting) -> datetime.datetime:
    return meeting.starts_at - datetime.timedelta(hours=settings.ASSEMBLY_PROXY_CUTOFF_HOURS)


def _check_open(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Proxies are given only for a meeting whose notice is published."), code="not_open")
    if timezone.now() >= cut_off(meeting):
        raise ValidationError(
            _("Proxies closed %(hours)s hours before the meeting.") % {"hours": settings.ASSEMBLY_PROXY_CUTOFF_HOURS},
            code="cut_off",
        )


def _on_the_board(member: Member) -> bool:
    return member.user is not None and member.user.groups.filter(name=Role.BOARD).exists()


def _lock(*members: Member) -> None:
    """Both members' rows, lowest id first: two appointments naming the same people queue instead of deadlocking."""
    list(Member.objects.select_for_update().filter(pk__in=[member.pk for member in members]).order_by("pk"))


def _check_holder(meeting: Meeting, holder: Member) -> None:
    if _on_the_board(holder):
        raise ValidationError(_("A board member cannot hold a proxy."), code="board")
    if not meeting.eligible.filter(member=holder).exists():
        raise ValidationError(_("The proxy holder is not on this meeting's list of members."), code="not_eligible")
    if Proxy.objects.filter(meeting=meeting, holder=holder, status__in=Proxy.LIVE).exists():
        raise ValidationError(_("This member already holds a proxy for this meeting."), code="holds_one")


def find_holder(*, meeting: Meeting, national_id: str) -> Member | None:
    """The eligible member with exactly this national ID, or None: the page shows only their name and number."""
    national_id = national_id.strip()
    if not national_id:
        return None
    return Member.objects.filter(national_id=national_id, pk__in=meeting.eligible.values("member_id")).first()


def _tell(*, member: Member, event: str, proxy: Proxy, other: Member) -> None:
    """One message about this proxy to `member`, naming `other` (the other side) in both languages."""
    outbox.queue_notification(
        member=member,
        event=event,
        key=f"proxy:{proxy.pk}:{proxy.status}",
        link=reverse("assembly:meeting-member", args=[proxy.meeting_id]),
        context={
            "other_name_ar": other.full_name_ar,
            "other_name_en": other.full_name_en or other.full_name_ar,
            "other_name": other.full_name_ar,
            "other_first_name_ar": other.full_name_ar.split()[0],
            "other_first_name_en": (other.full_name_en or other.full_name_ar).split()[0],
            "other_first_name": other.full_name_ar.split()[0],
            "meeting_date": timezone.localdate(proxy.meeting.starts_at).isoformat(),
            "accepted": proxy.status == Status.ACCEPTED,
        },
    )


@transaction.atomic
def appoint(*, meeting: Meeting, principal: Member, holder_national_id: str) -> Proxy:
    """The principal appoints the eligible member with this national ID; the proxy waits for the holder to accept.
    Refuses (a translated message, nothing changed) every rule in the module's docstring."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    _check_open(meeting)
    holder = find_holder(meeting=meeting, national_id=holder_national_id)
    if holder is None:
        raise ValidationError(_("No member on this meeting's list has this national ID."), code="unknown")
    if holder.pk == principal.pk:
        raise ValidationError(_("You cannot appoint yourself."), code="self")
    _lock(principal, holder)
    if not meeting.eligible.filter(member=principal).exists():
        raise ValidationError(_("You are not on this meeting's list of members."), code="principal_not_eligible")
    if Proxy.objects.filter(meeting=meeting, principal=principal, status__in=Proxy.LIVE).exists():
        raise ValidationError(_("You have already appointed a proxy: revoke it first."), code="gives_one")
    _check_holder(meeting, holder)
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(meeting=meeting, principal=principal, holder=holder)
    except IntegrityError as error:  # the database's rules, should a path around the locks ever exist
        raise ValidationError(_("This member already holds a proxy for this meeting."), code="holds_one") from error
    _tell(member=holder, event="proxy_offered", proxy=proxy, other=principal)
    return proxy


def _offered_to(proxy: Proxy, holder: Member) -> Proxy:
    """The proxy, locked, still waiting for this holder's answer, before the cut-off; else refused."""
    locked = Proxy.objects.select_for_update().select_related("meeting", "principal").get(pk=proxy.pk)
    if locked.holder_id != holder.pk:
        raise ValidationError(_("This proxy was not offered to you."), code="not_yours")
    if locked.status != Status.OFFERED:
        raise ValidationError(_("This proxy has already been answered or revoked."), code="answered")
    _check_open(locked.meeting)
    return locked


def _code_hash(proxy: Proxy, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"proxy:{proxy.pk}:{code}".encode(), hashlib.sha256).hexdigest()


def code_is_live(proxy: Proxy) -> bool:
    """A code was sent for this proxy, has not expired and has tries left: the page asks for it."""
    return bool(
        proxy.code_hash
        and proxy.code_sent_at
        and proxy.code_sent_at + activation.CODE_TTL > timezone.now()
        and proxy.code_attempts < activation.MAX_ATTEMPTS
    )


@transaction.atomic
def send_code(*, proxy: Proxy, holder: Member) -> str:
    """The holder asks to accept: a fresh 6-digit code goes to their mobile on record (after commit, in the worker,
    capped per number per day like every code), and only its keyed hash is kept. A new code replaces the last one,
    not within a minute of it. Returns the code for the caller's tests; no page shows it."""
    locked = _offered_to(proxy, holder)
    if _on_the_board(holder):
        raise ValidationError(_("A board member cannot hold a proxy."), code="board")
    if not holder.mobile:
        raise ValidationError(
            _("No mobile number is on record for you: please ask the cooperative to add it."), code="no_mobile"
        )
    now = timezone.now()
    if locked.code_sent_at and locked.code_sent_at > now - activation.RESEND_AFTER:
        raise ValidationError(_("A code was sent less than a minute ago: wait for it, then ask again."), code="wait")
    code = f"{secrets.randbelow(10**activation.CODE_DIGITS):0{activation.CODE_DIGITS}d}"
    locked.code_hash = _code_hash(locked, code)
    locked.code_sent_at = now
    locked.code_attempts = 0
    locked.save(update_fields=["code_hash", "code_sent_at", "code_attempts"])
    language = holder.language or "ar"
    principal = locked.principal
    name = (principal.full_name_en or principal.full_name_ar) if language == "en" else principal.full_name_ar
    with translation.override(language):
        text = _(
            "Najran Coffee Cooperative: your code to accept the General Assembly proxy of %(name)s is %(code)s. "
            "It expires in %(minutes)s minutes."
        ) % {
            "name": name.split()[0],
            "code": code,
            "minutes": int(activation.CODE_TTL.total_seconds() // 60),
        }
    code_delivery.send_sms_later(str(holder.mobile), text)
    return code


def _check_code(proxy: Proxy, code: str) -> ValidationError | None:
    """None when `code` is this proxy's live code; else the refusal, a wrong code counted against the proxy."""
    if not proxy.code_hash or not proxy.code_sent_at or proxy.code_sent_at + activation.CODE_TTL <= timezone.now():
        return ValidationError(_("The code has expired: ask for a new one."), code="code_expired")
    if proxy.code_attempts >= activation.MAX_ATTEMPTS:
        return ValidationError(_("Too many wrong codes: ask for a new one."), code="code_attempts")
    code = "".join(ch for ch in western_digits(code) if ch.isdigit())
    if hmac.compare_digest(proxy.code_hash, _code_hash(proxy, code)):
        return None
    proxy.code_attempts += 1
    proxy.save(update_fields=["code_attempts"])
    left = activation.MAX_ATTEMPTS - proxy.code_attempts
    if left <= 0:
        return ValidationError(_("Too many wrong codes: ask for a new one."), code="code_attempts")
    return ValidationError(
        ngettext("The code is not right: %(left)s try left.", "The code is not right: %(left)s tries left.", left)
        % {"left": left},
        code="code_wrong",
    )


def accept(*, proxy: Proxy, holder: Member, code: str) -> Proxy:
    """The holder accepts with the code sent to their mobile; checks again that they are not on the board. A wrong
    code is counted (MAX_ATTEMPTS, then a new code is needed) even though the acceptance is refused."""
    with transaction.atomic():
        locked = _offered_to(proxy, holder)
        if _on_the_board(holder):
            raise ValidationError(_("A board member cannot hold a proxy."), code="board")
        refusal = _check_code(locked, code)
        if refusal is None:
            locked.status = Status.ACCEPTED
            locked.answered_at = timezone.now()
            locked.code_hash = ""
            locked.save(update_fields=["status", "answered_at", "code_hash"])
            _tell(member=locked.principal, event="proxy_answered", proxy=locked, other=holder)
            return locked
    raise refusal  # after the block: the wrong try it counted is kept


@transaction.atomic
def decline(*, proxy: Proxy, holder: Member) -> Proxy:
    """The holder declines a proxy offered to them, before the cut-off (no code: declining gives nothing away)."""
    locked = _offered_to(proxy, holder)
    locked.status = Status.DECLINED
    locked.answered_at = timezone.now()
    locked.code_hash = ""
    locked.save(update_fields=["status", "answered_at", "code_hash"])
    _tell(member=locked.principal, event="proxy_answered", proxy=locked, other=holder)
    return locked


@transaction.atomic
def revoke(*, proxy: Proxy, principal: Member) -> Proxy:
    """The principal takes back a live proxy, before the cut-off."""
    locked = Proxy.objects.select_for_update().select_related("meeting").get(pk=proxy.pk)
    if locked.principal_id != principal.pk:
        raise ValidationError(_("This proxy is not yours to revoke."), code="not_yours")
    if locked.status not in Proxy.LIVE:
        raise ValidationError(_("This proxy is no longer in force."), code="not_live")
    _check_open(locked.meeting)
    locked.status = Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["status", "revoked_at"])
    _tell(member=locked.holder, event="proxy_revoked", proxy=locked, other=principal)
    return locked


def revoke_on_arrival(*, meeting: Meeting, principal: Member) -> Proxy | None:
    """The principal came to the meeting in person: the proxy they gave (offered or accepted) ends, past the cut-off
    too, and its holder is told. Returns the proxy ended, or None. Called inside the door's registration."""
    locked = (
        Proxy.objects.select_for_update()
        .select_related("meeting", "holder")
        .filter(meeting=meeting, principal=principal, status__in=Proxy.LIVE)
        .first()
    )
    if locked is None:
        return None
    locked.status = Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["status", "revoked_at"])
    _tell(member=locked.holder, event="proxy_revoked_on_arrival", proxy=locked, other=principal)
    return locked


def carry_over(*, from_meeting: Meeting, to_meeting: Meeting) -> list[Proxy]:
    """Copy the accepted proxies of a meeting adjourned for want of quorum to the meeting that continues it, as
    accepted (the members agreed to them for the same agenda). A holder since elected to the board is left out: a
    board member cannot hold a proxy at the meeting. Called inside the adjournment's transaction."""
    carried = [
        Proxy(
            meeting=to_meeting,
            principal_id=proxy.principal_id,
            holder_id=proxy.holder_id,
            status=Status.ACCEPTED,
            answered_at=proxy.answered_at,
        )
        for proxy in Proxy.objects.filter(meeting=from_meeting, status=Status.ACCEPTED).select_related("holder__user")
        if not _on_the_board(proxy.holder)
    ]
    return Proxy.objects.bulk_create(carried)
