"""The notification outbox: every message to a member is a row written with the event that causes it.

Queueing (`queue_notification`) renders the event's texts in the member's language first (see
members.notification_texts), so a missing template or a missing variable is an error before anything is
written; then it writes one row per channel the member accepts and, after commit, enqueues the send task.
The inbox copy needs no sending: it is written as sent and is what the member reads in the portal.

Sending (`deliver_batch`, `deliver_notification`) is idempotent: a worker claims rows with a conditional
UPDATE (pending → sending, or sending past the timeout → sending) that stamps a fresh claim token, hands
each message to its channel, and marks it sent only while its own token is still on the row. A failure
goes back to pending with a backoff, and after `OUTBOX_MAX_ATTEMPTS` ends as failed with the reason.
`requeue_due` (beat, every minute) re-enqueues rows left pending (the broker or the worker was down) and
rows stuck in "sending" past `OUTBOX_SENDING_TIMEOUT_S` (their worker died).

Delivery guarantee, honestly: at least once, and exactly once unless a worker dies mid-message. A row is
sent again only when the worker that claimed it died without recording the outcome, and then only after
the timeout: if it died before handing the message over (the usual case: a slow gateway), the member gets
it once; if it died in the instant between the channel accepting it and the UPDATE to "sent", twice.
A retry, a redelivered task (acks late) or a second worker never sends a row that is claimed by a live
worker, sent or failed. Exactly once end to end would need the gateway to drop repeats by a message key.
"""

import json
import logging
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import channels as delivery
from members.models import Channel, Member, Notification, User

# The texts (rendering, SMS length) live in members.notification_texts; callers reach them through here too.
from members.notification_texts import (  # noqa: F401
    CHANNELS,
    MAX_SMS_SEGMENTS,
    NotificationTemplateError,
    Rendered,
    SmsLength,
    _engine,
    absolute_url,
    fit_sms,
    message_context,
    render_all,
    render_message,
    short_link,
    sms_length,
)

logger = logging.getLogger(__name__)

Status = Notification.Status
BATCH_SIZE = 100  # rows per delivery task
BATCH_BUDGET_S = 40  # a batch hands the rest to a new task well before the soft time limit (60 s)


# --- Queueing --------------------------------------------------------------------------------------


def channels_for(member: Member) -> list[Channel]:
    """The inbox always; SMS and e-mail only with the member's consent (and an address for e-mail)."""
    channels = [Channel.INBOX]
    if member.sms_consent and member.mobile:
        channels.append(Channel.SMS)
    if member.email and member.email_consent:
        channels.append(Channel.EMAIL)
    return channels


def new_token() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, 48 bits: unguessable enough for a link that also needs sign-in


def _check_json(context: Mapping) -> None:
    try:
        json.dumps(context)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("A message's details must be plain values (text, numbers, lists): %(error)s") % {"error": error},
            code="context_not_json",
        ) from error


def queue_notification(
    *, member: Member, event: str, key: str, link: str = "", context: dict | None = None
) -> list[Notification]:
    """Write one outbox row per channel the member accepts, and send the SMS/e-mail rows after commit.

    Call inside the transaction of the event itself, so the message exists exactly when the event does.
    Validates first: the event's inbox, SMS and e-mail texts must exist and render with `context` in the
    member's language, else NotificationTemplateError and nothing is written. Idempotent: a key already
    queued adds nothing (returns only the rows it created). `link` is a path inside the portal.
    """
    context = dict(context or {})
    _check_json(context)
    token = new_token()
    full_context = message_context(member=member, context=context, link=link, token=token)
    texts = render_all(event=event, language=member.language, context=full_context)
    now = timezone.now()
    rows = []
    for channel in channels_for(member):
        rows.append(
            Notification(
                member=member,
                channel=channel,
                event=event,
                context=context,
                language=member.language,
                link=link,
                subject=texts[channel].subject,
                body=texts[channel].body,
                token=token,
                key=f"{key}:{channel}"[:200],
                # The inbox copy is delivered by being written: it is what the member reads.
                status=Status.SENT if channel == Channel.INBOX else Status.PENDING,
                sent_at=now if channel == Channel.INBOX else None,
                next_attempt_at=None if channel == Channel.INBOX else now,
            )
        )
    created = _insert_new(rows)
    from members import tasks  # the tasks module imports this one
    from members_portal.enqueue import after_commit

    for row in created:
        if row.status == Status.PENDING:
            after_commit(tasks.send_notification, row.pk)
    return created


def _insert_new(rows: Iterable[Notification]) -> list[Notification]:
    rows = list(rows)
    queued = set(Notification.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True))
    created = []
    for row in rows:
        if row.key in queued:
            continue
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue  # queued at the same moment by a concurrent call with the same key
        created.append(row)
    return created


# --- Sending ---------------------------------------------------------------------------------------


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_S)


def _claimable(now: datetime) -> Q:
    """Pending, or "sending" for longer than the timeout (its worker died)."""
    return Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=_stale_before(now))


def claim(notification_ids: list[int]) -> tuple[str, list[Notification]]:
    """Take rows for sending: returns this claim's token and the rows it holds (with their members).

    The rows are locked with SKIP LOCKED (rows another worker is claiming at this instant are left to
    it, never waited on, so two batches cannot deadlock) and taken with a conditional UPDATE that sets a
    fresh token: of two workers racing for a row, exactly one gets it; the other does not send it.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        candidates = list(
            Notification.objects.filter(pk__in=notification_ids)
            .exclude(channel=Channel.INBOX)
            .filter(_claimable(now))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not candidates:
            return token, []
        Notification.objects.filter(pk__in=candidates).filter(_claimable(now)).update(
            status=Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    rows = (
        Notification.objects.filter(pk__in=candidates, status=Status.SENDING, claim_token=token)
        .select_related("member")
        .only(
            "pk",
            "channel",
            "subject",
            "body",
            "attempts",
            "member__id",
            "member__mobile",
            "member__email",
            "member__sms_consent",
            "member__email_consent",
        )
        .order_by("pk")
    )
    return token, list(rows)


def _hand_over(row: Notification) -> None:
    """Give one message to its channel; raises ChannelError (with the reason) when it is not taken."""
    member = row.member
    if row.channel == Channel.SMS:
        if not member.sms_consent:
            raise delivery.ChannelError("the member withdrew consent to text messages before sending")
        delivery.send_sms(str(member.mobile), row.body)
    elif row.channel == Channel.EMAIL:
        if not (member.email and member.email_consent):
            raise delivery.ChannelError("the member has no e-mail address or withdrew consent before sending")
        delivery.send_email(member.email, row.subject, row.body)
    else:
        raise delivery.ChannelError(f"unknown channel {row.channel!r}")


def backoff_s(attempts: int) -> float:
    """Seconds before the next try after `attempts` failures: OUTBOX_RETRY_BACKOFF_S doubled each time."""
    return settings.OUTBOX_RETRY_BACKOFF_S * (2 ** max(attempts - 1, 0))


def _send_claimed(row: Notification, token: str) -> str:
    """Send one claimed row and record the outcome, each message on its own (so a worker that dies leaves
    at most the message in its hands unrecorded)."""
    mine = Notification.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token)
    try:
        _hand_over(row)
    except Exception as error:  # a channel error, or anything unexpected: recorded on the row either way
        reason = str(error) if isinstance(error, delivery.ChannelError) else f"{type(error).__name__}: {error}"
        logger.warning("Notification %s (%s) attempt %s failed: %s", row.pk, row.channel, row.attempts, reason)
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, last_error=reason[:2000], claim_token="")
            return "failed"
        delay = backoff_s(row.attempts)
        mine.update(
            status=Status.PENDING,
            last_error=reason[:2000],
            claim_token="",
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        _enqueue_quietly([row.pk], countdown=delay)
        return "retry"
    if not mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="", claim_token=""):
        # Our claim was taken over after the timeout: the message went out, the other worker may send it again.
        logger.error("Notification %s was sent after its claim had expired", row.pk)
    return "sent"


def deliver_batch(notification_ids: list[int]) -> dict[str, int]:
    """Deliver outbox rows: claim those still claimable, send them one by one, record each outcome.

    Idempotent: a row already claimed by a live worker, sent or failed is skipped. On a channel error a
    row goes back to pending with a backoff (and a delayed task), or to failed with the reason once
    OUTBOX_MAX_ATTEMPTS tries are spent. Near the task time limit the rest is handed to a new task.
    """
    token, rows = claim(list(notification_ids))
    outcomes: dict[str, int] = (
        {"skipped": len(notification_ids) - len(rows)} if len(rows) < len(notification_ids) else {}
    )
    started = time.monotonic()
    for index, row in enumerate(rows):
        if time.monotonic() - started > BATCH_BUDGET_S:
            # Give the rest back (pending again) and to a new task, rather than be killed holding them.
            rest = [later.pk for later in rows[index:]]
            Notification.objects.filter(pk__in=rest, claim_token=token, status=Status.SENDING).update(
                status=Status.PENDING, claim_token="", attempts=F("attempts") - 1
            )
            _enqueue_quietly(rest)
            break
        outcome = _send_claimed(row, token)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def deliver_notification(notification_id: int) -> str:
    """Send one outbox row if it can be claimed: "sent", "retry", "failed" or "skipped" (see deliver_batch)."""
    outcomes = deliver_batch([notification_id])
    return next(iter(outcomes))


def _enqueue_quietly(ids: list[int], countdown: float | None = None) -> None:
    """Publish delivery tasks now (outside any transaction); a broker that is down is left to the sweep."""
    from members import tasks

    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        try:
            if len(chunk) == 1:
                tasks.send_notification.apply_async(args=(chunk[0],), countdown=countdown)
            else:
                tasks.send_notification_batch.apply_async(args=(chunk,), countdown=countdown)
        except Exception:
            logger.exception("Could not enqueue %s notification(s); the outbox sweep will pick them up", len(chunk))
            return


def enqueue_pending(ids: list[int]) -> None:
    """After commit, publish delivery tasks for these rows in batches (announcements)."""
    transaction.on_commit(lambda: _enqueue_quietly(list(ids)))


def requeue_due(*, limit: int = 10_000) -> int:
    """The sweep: re-enqueue rows pending for longer than the grace period, and rows stuck in "sending"
    past the timeout. Marks each pending row re-enqueued now, so the next sweep leaves it a minute.
    Idempotent: enqueuing a row twice costs a task that finds nothing to claim."""
    now = timezone.now()
    due_before = now - timedelta(seconds=settings.OUTBOX_PENDING_GRACE_S)
    ids = list(
        Notification.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=due_before)
            | Q(status=Status.PENDING, next_attempt_at__isnull=True, created_at__lte=due_before)
            | Q(status=Status.SENDING, claimed_at__lt=_stale_before(now))
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(next_attempt_at=now)
        logger.info("Outbox sweep: re-enqueuing %s notification(s)", len(ids))
        _enqueue_quietly(ids)
    return len(ids)


@transaction.atomic
def retry_notification(*, notification: Notification, by: User) -> Notification:
    """An administrator sends a failed message again: back to pending with fresh attempts, sent after commit.

    Only a failed row may be retried (a pending or sending one is already on its way, a sent one went out).
    The last error stays on the row until the next try replaces it.
    """
    updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if not updated:
        raise ValidationError(_("Only a message that failed can be sent again."), code="not_failed")
    logger.info("Notification %s retried by %s", notification.pk, by.pk)
    from members import tasks
    from members_portal.enqueue import after_commit

    after_commit(tasks.send_notification, notification.pk)
    notification.refresh_from_db()
    return notification


# --- The inbox -------------------------------------------------------------------------------------


def inbox_for(user: User) -> QuerySet[Notification]:
    """The signed-in person's own inbox messages, newest first (a guessed id of another's is not in it)."""
    return Notification.objects.filter(member__user=user, channel=Channel.INBOX).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def mark_read(*, user: User, notification_id: int | None = None, token: str = "") -> int:
    """Mark one message (by id or by its link token), or all when neither is given, as read. Returns how many.
    Only the user's own messages can be touched; a message read before keeps its first read time."""
    rows = inbox_for(user).filter(read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    if token:
        rows = rows.filter(token=token)
    return rows.update(read_at=timezone.now())


# --- The operations view ---------------------------------------------------------------------------


def status_summary() -> list[dict]:
    """Counts by channel and status: one GROUP BY for the operations page."""
    return list(
        Notification.objects.values("channel", "status").annotate(total=Count("pk")).order_by("channel", "status")
    )


def send_test_message(*, member: Member, by: User) -> list[Notification]:
    """Queue the "test_message" event to one member on every channel they accept (operations page)."""
    with transaction.atomic():
        return queue_notification(
            member=member,
            event="test_message",
            key=f"test_message:{member.pk}:{new_token()}",
            link=reverse("members:inbox"),
            context={"sent_by": by.get_full_name() or by.get_username()},
        )
