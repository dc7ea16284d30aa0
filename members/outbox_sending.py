"""Sending the outbox: claims kept alive by a heartbeat, one hand-over per message, outcomes that are not lost.

A worker claims rows with a conditional UPDATE (pending → sending) that stamps a fresh claim token; while it works
it refreshes `claimed_at` every few seconds (the heartbeat), so a claim not refreshed for OUTBOX_SENDING_TIMEOUT_S
(30 s) belongs to a dead worker. For each message it first records the hand-over (`handed_over_at`, only while its
own token is on the row), gives the message to its channel with the row's key as the provider's reference, and then
records the outcome, retrying that write through a database blip.

What happens to a row whose worker vanished:
- claimed but not yet handed over: another worker may claim it once the claim expires, and sends it (once);
- handed over, outcome never recorded (the worker died, or the database stayed away longer than the retries): the
  sweep marks it UNKNOWN ("to check: may have been sent"). It is never sent again on a guess: staff check the
  provider's log on the outbox page and either confirm it sent or send it again (with the same reference, which a
  provider that drops repeats drops). Where the gateway is known to drop repeats (SMS_GATEWAY_DROPS_REPEATS), an
  uncertain SMS is sent again by itself under its reference: that is knowing, not guessing.
A retry, a redelivered task (acks late) or a second worker never sends a row claimed by a live worker, sent,
failed or unknown. A channel that refuses puts the row back to pending with a backoff, and after
OUTBOX_MAX_ATTEMPTS tries it ends failed with the reason.
"""

import logging
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members import channel_table, outbox_fallback
from members import channels as delivery
from members.models import Notification, User
from members_portal.db_retry import DATABASE_ERRORS, write_with_retries

logger = logging.getLogger(__name__)

Status = Notification.Status
BATCH_SIZE = 100  # rows per delivery task
BATCH_BUDGET_S = 40  # a batch hands the rest to a new task well before the soft time limit (60 s)


def heartbeat_s() -> float:
    """How often a working batch refreshes its claim: six times per claim timeout (every 5 s for 30 s)."""
    return settings.OUTBOX_SENDING_TIMEOUT_S / 6


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_S)


def _claimable(now: datetime) -> Q:
    """Pending, or claimed by a worker whose heartbeat stopped before it handed the message over."""
    return Q(status=Status.PENDING) | Q(
        status=Status.SENDING, claimed_at__lt=_stale_before(now), handed_over_at__isnull=True
    )


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
            .filter(channel__in=channel_table.sent_channels())
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
            "key",
            "channel",
            "event",
            "subject",
            "body",
            "attempts",
            "member__id",
            *(f"member__{name}" for name in channel_table.member_fields()),
        )
        .order_by("pk")
    )
    return token, list(rows)


def refresh_claim(token: str) -> int:
    """The heartbeat: this worker is alive and still holds its rows."""
    return Notification.objects.filter(claim_token=token, status=Status.SENDING).update(claimed_at=timezone.now())


def release_claim(token: str) -> int:
    """Give back the rows of this claim not yet handed over (pending again, the attempt not counted)."""
    return Notification.objects.filter(claim_token=token, status=Status.SENDING, handed_over_at__isnull=True).update(
        status=Status.PENDING, claim_token="", attempts=F("attempts") - 1
    )


def _hand_over(row: Notification) -> dict[str, str]:
    """Give one message to its channel (the channel table's entry for it); raises ChannelError (with the reason)
    when it is not taken. Returns what to record about who took it: for an SMS the provider and its id for the
    message (its delivery report names it)."""
    return channel_table.kind_of(row.channel).hand_over(row)


def backoff_s(attempts: int) -> float:
    """Seconds before the next try after `attempts` failures: OUTBOX_RETRY_BACKOFF_S doubled each time."""
    return settings.OUTBOX_RETRY_BACKOFF_S * (2 ** max(attempts - 1, 0))


def _record_refusal(row: Notification, token: str, error: Exception) -> str:
    """The channel did not take the message: pending again after a backoff, or failed once the tries are spent."""
    mine = Notification.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token)
    reason = str(error) if isinstance(error, delivery.ChannelError) else f"{type(error).__name__}: {error}"
    logger.warning("Notification %s (%s) attempt %s failed: %s", row.pk, row.channel, row.attempts, reason)
    if channel_table.kind_of(row.channel).fallback:
        # One try on a channel with a fallback (WhatsApp): the message goes by the fallback at once (SMS).
        write_with_retries(
            lambda: mine.update(status=Status.FAILED, last_error=reason[:2000], claim_token="", handed_over_at=None),
            what=f"recording notification {row.pk} failed",
        )
        outbox_fallback.fall_back(notification_id=row.pk, reason=reason)
        return "fell_back"
    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        write_with_retries(
            lambda: mine.update(status=Status.FAILED, last_error=reason[:2000], claim_token="", handed_over_at=None),
            what=f"recording notification {row.pk} failed",
        )
        # A critical notice whose tries are spent goes by its critical fallback (SMS: e-mail); others end here.
        if outbox_fallback.fall_back(notification_id=row.pk, reason=reason):
            return "fell_back"
        return "failed"
    delay = backoff_s(row.attempts)
    write_with_retries(
        lambda: mine.update(
            status=Status.PENDING,
            last_error=reason[:2000],
            claim_token="",
            handed_over_at=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        ),
        what=f"recording notification {row.pk} for a retry",
    )
    _enqueue_quietly([row.pk], countdown=delay)
    return "retry"


def _record_uncertain(row: Notification, token: str, error: Exception) -> str:
    """The provider's answer never came, so the message may have gone out: it is not sent again on a guess. The row
    waits on the outbox page for staff to check the provider's log, unless the provider's delivery report settles
    it first."""
    reason = f"{error}; check the provider's log before resending."
    logger.error("Notification %s (%s) may have been sent: %s", row.pk, row.channel, error)
    write_with_retries(
        lambda: Notification.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token).update(
            status=Status.UNKNOWN, last_error=reason[:2000], claim_token="", handed_over_at=None
        ),
        what=f"recording notification {row.pk} to check",
    )
    return "unknown"


def _send_claimed(row: Notification, token: str) -> str:
    """Send one claimed row and record the outcome, each message on its own (so a worker that dies leaves
    at most the message in its hands unrecorded, and that one is marked for review, never resent)."""
    mine = Notification.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token)
    if not mine.update(handed_over_at=timezone.now()):
        return "skipped"  # our claim expired and another worker took the row
    try:
        taken_by = _hand_over(row)
    except delivery.OutcomeUnknown as error:
        return _record_uncertain(row, token, error)
    except Exception as error:  # a channel error, or anything unexpected: recorded on the row either way
        return _record_refusal(row, token, error)
    # The message is out: the record must not be lost to a database blip. Our claim (and only ours) marks it
    # sent, also when the sweep has meanwhile marked it for review.
    recorded = write_with_retries(
        lambda: Notification.objects.filter(
            pk=row.pk, claim_token=token, status__in=[Status.SENDING, Status.UNKNOWN]
        ).update(
            status=Status.SENT, sent_at=timezone.now(), last_error="", claim_token="", handed_over_at=None, **taken_by
        ),
        what=f"recording notification {row.pk} sent",
    )
    if not recorded:
        logger.error("Notification %s was sent but its row was changed meanwhile (staff resolved it?)", row.pk)
    return "sent"


def _send_lane(rows: list[Notification], token: str, deadline: float, *, beat: bool) -> tuple[Counter, list]:
    """Send rows one after another until the deadline: their outcomes, and the rows left for a new task. With `beat`
    this lane also refreshes the claim (the heartbeat)."""
    outcomes: Counter = Counter()
    last_beat = time.monotonic()
    for index, row in enumerate(rows):
        now = time.monotonic()
        if now > deadline:
            return outcomes, rows[index:]
        if beat and now - last_beat >= heartbeat_s():
            refresh_claim(token)
            last_beat = now
        outcomes[_send_claimed(row, token)] += 1
    return outcomes, []


def _send_in_lanes(rows: list[Notification], token: str, deadline: float, lanes: int) -> tuple[Counter, list]:
    """OUTBOX_SEND_PARALLEL lanes side by side, each a thread with its own database connection sending its share one
    by one: a provider that takes 50 ms to answer is waited on in parallel. Every row keeps its own hand-over and
    outcome, exactly as when sent alone. This thread keeps the heartbeat while the lanes work; a database error in
    a lane is raised here once all lanes have stopped."""

    def lane(share: list[Notification]) -> tuple[Counter, list]:
        try:
            return _send_lane(share, token, deadline, beat=False)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="outbox-send") as pool:
        futures = [pool.submit(lane, rows[start::lanes]) for start in range(lanes)]
        while wait(futures, timeout=heartbeat_s()).not_done:
            refresh_claim(token)
    outcomes: Counter = Counter()
    left: list[Notification] = []
    for future in futures:
        lane_outcomes, lane_left = future.result()
        outcomes.update(lane_outcomes)
        left += lane_left
    return outcomes, left


def deliver_batch(notification_ids: list[int]) -> dict[str, int]:
    """Deliver outbox rows: claim those still claimable, send them (one by one, or OUTBOX_SEND_PARALLEL side by side),
    record each outcome.

    Idempotent: a row already claimed by a live worker, sent, failed or unknown is skipped. The claim is
    refreshed every `heartbeat_s()`. On a database error the rows not yet handed over are given back and the
    error is raised (the task retries with a backoff). Near the task time limit the rest goes to a new task.
    """
    token, rows = claim(list(notification_ids))
    outcomes: dict[str, int] = (
        {"skipped": len(notification_ids) - len(rows)} if len(rows) < len(notification_ids) else {}
    )
    deadline = time.monotonic() + BATCH_BUDGET_S
    lanes = max(1, min(settings.OUTBOX_SEND_PARALLEL, len(rows)))
    try:
        if lanes == 1:
            sent, left = _send_lane(rows, token, deadline, beat=True)
        else:
            sent, left = _send_in_lanes(rows, token, deadline, lanes)
        if left:
            # Give the rest back (pending again) and to a new task, rather than be killed holding them.
            release_claim(token)
            _enqueue_quietly([row.pk for row in left])
    except DATABASE_ERRORS:
        try:
            write_with_retries(lambda: release_claim(token), what="giving back a claim")
        except DATABASE_ERRORS:
            logger.warning("Could not give back claim %s; its rows are claimable again when it expires", token)
        raise
    for outcome, count in sent.items():
        outcomes[outcome] = outcomes.get(outcome, 0) + count
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


def mark_unknown_outcomes() -> int:
    """Rows handed over by a worker whose heartbeat stopped: the message may have gone out. Where the provider
    drops a repeat of the same reference (SMS_GATEWAY_DROPS_REPEATS), sending it again is known to be safe, so it
    goes back to pending; so does an e-mail (OUTBOX_RESEND_UNCERTAIN_EMAIL): a repeat carries the same Message-ID,
    which mail services that keep one copy per Message-ID show once, and a notice that never arrives costs the
    member more than a rare second copy. Anything else is marked for staff to check."""
    uncertain = Notification.objects.filter(
        status=Status.SENDING, claimed_at__lt=_stale_before(timezone.now()), handed_over_at__isnull=False
    )
    for kind in channel_table.TABLE:
        if kind.sends and kind.resends_uncertain():
            resent = uncertain.filter(channel=kind.channel).update(
                status=Status.PENDING, claim_token="", handed_over_at=None, next_attempt_at=None
            )
            if resent:
                logger.warning(
                    "Outbox: %s %s message(s) of a stopped worker sent again as the same message", resent, kind.channel
                )
    marked = uncertain.update(
        status=Status.UNKNOWN,
        last_error="The worker stopped after handing the message over; check the provider's log before resending.",
    )
    if marked:
        logger.error("Outbox: %s message(s) may have been sent and need checking", marked)
    return marked


def requeue_due(*, limit: int = 10_000) -> int:
    """The sweep: mark for review what a dead worker had handed over, then re-enqueue rows pending for longer
    than the grace period and rows whose claim expired before the hand-over. Marks each pending row re-enqueued
    now, so the next sweep leaves it for the grace period. Idempotent: enqueuing a row twice costs a task that
    finds nothing to claim."""
    mark_unknown_outcomes()
    outbox_fallback.fall_back_uncertain()
    now = timezone.now()
    due_before = now - timedelta(seconds=settings.OUTBOX_PENDING_GRACE_S)
    ids = list(
        Notification.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=due_before)
            | Q(status=Status.PENDING, next_attempt_at__isnull=True, created_at__lte=due_before)
            | Q(status=Status.SENDING, claimed_at__lt=_stale_before(now), handed_over_at__isnull=True)
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
    """An administrator sends a failed or unknown message again: back to pending with fresh attempts, sent after
    commit (with the same reference, so a provider that drops repeats drops it if it did go out).

    Only a failed or unknown row may be retried (a pending or sending one is on its way, a sent one went out).
    The last error stays on the row until the next try replaces it.
    """
    updated = Notification.objects.filter(pk=notification.pk, status__in=[Status.FAILED, Status.UNKNOWN]).update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        claim_token="",
        handed_over_at=None,
    )
    if not updated:
        raise ValidationError(_("Only a message that failed or needs checking can be sent again."), code="not_failed")
    logger.info("Notification %s retried by %s", notification.pk, by.pk)
    from members import tasks
    from members_portal.enqueue import after_commit

    after_commit(tasks.send_notification, notification.pk)
    notification.refresh_from_db()
    return notification


def confirm_sent(*, notification: Notification, by: User) -> Notification:
    """An administrator found a message that needed checking in the provider's log: it is recorded as sent."""
    updated = Notification.objects.filter(pk=notification.pk, status=Status.UNKNOWN).update(
        status=Status.SENT, sent_at=timezone.now(), claim_token="", handed_over_at=None
    )
    if not updated:
        raise ValidationError(_("Only a message that needs checking can be confirmed as sent."), code="not_unknown")
    logger.info("Notification %s confirmed sent by %s", notification.pk, by.pk)
    notification.refresh_from_db()
    return notification
