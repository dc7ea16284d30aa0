"""The minutes of a held meeting (محضر الاجتماع): an Arabic PDF rendered in the background once the board closes the
meeting, kept privately, and announced to every eligible member with a link to the meeting's page, where they read
it through a permission-checked download.

Once, however often the task runs (a redelivered task, the sweep, two workers at once): the meeting's row is locked
while the PDF is rendered and stored, so a second run waits and finds the minutes there; the messages are keyed per
meeting and member, and members already told are skipped before anything is written.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from assembly import fan_out, slots
from assembly.attendance import attendance
from assembly.models import Meeting
from members.models import Channel, Notification
from members_portal.pdf import render_pdf

logger = logging.getLogger(__name__)

EVENT = "assembly_minutes"
# A closed meeting whose task was lost (broker or worker down) is caught up by the sweep after this long.
GRACE = datetime.timedelta(seconds=60)


def minutes_context(meeting: Meeting) -> dict:
    """What the minutes print: the meeting, who attended and the quorum (assembly.attendance), the chair, each
    item with its counts and result, and the count of each secret question (assembly.slots: ballots fills it; the
    whole count only, never by governorate or any other slice)."""
    items = list(meeting.agenda_items.select_related("appeal", "decision").order_by("order"))
    return {
        "meeting": meeting,
        "attendance": attendance(meeting),
        "chair": meeting.chair,
        "items": items,
        "secret": slots.secret_results(meeting),
        "issued_at": timezone.localtime(),
    }


def render(meeting: Meeting) -> bytes:
    """The minutes' PDF, in Arabic: the record of the meeting is the Arabic one."""
    with translation.override("ar"):
        return render_pdf("pdf/minutes.html", minutes_context(meeting))


def issue_minutes(*, meeting_id: int) -> bool:
    """Render and store a held meeting's minutes if they are not yet, then tell the eligible members. Idempotent
    (see the module's docstring). Returns whether this run rendered them."""
    rendered = False
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("chair").filter(pk=meeting_id).first()
        if meeting is None or meeting.status != Meeting.Status.HELD:
            return False
        if not meeting.minutes:
            pdf = render(meeting)
            meeting.minutes.save("minutes.pdf", ContentFile(pdf), save=False)
            stored = meeting.minutes.name
            assert stored is not None  # save() has just named the file
            try:
                Meeting.objects.filter(pk=meeting.pk).update(minutes=stored)
            except Exception:
                default_storage.delete(stored)
                raise
            rendered = True
    send_minutes(meeting=meeting)
    return rendered


def send_minutes(*, meeting: Meeting) -> int:
    """Tell every eligible member that the minutes are in the portal (inbox, SMS and e-mail as each accepts), once
    per member. Returns the rows written by this run."""
    key_prefix = f"{EVENT}:{meeting.pk}:"
    already = set(
        Notification.objects.filter(key__startswith=key_prefix, channel=Channel.INBOX).values_list(
            "member_id", flat=True
        )
    )
    member_ids = [
        pk for pk in meeting.eligible.order_by("member_id").values_list("member_id", flat=True) if pk not in already
    ]
    starts_at = timezone.localtime(meeting.starts_at)
    common = {"meeting_id": meeting.pk, "starts_at": starts_at.isoformat()}
    contexts = {}
    for language in ("ar", "en"):
        with translation.override(language):
            contexts[language] = {**common, "kind": str(meeting.get_kind_display())}
    written = fan_out.queue(
        event=EVENT,
        key_prefix=key_prefix,
        member_ids=member_ids,
        contexts=contexts,
        context={**common, "kind_ar": contexts["ar"]["kind"], "kind_en": contexts["en"]["kind"]},
        link=reverse("assembly:meeting-member", args=[meeting.pk]),
    )
    Meeting.objects.filter(pk=meeting.pk, minutes_sent_at__isnull=True).update(minutes_sent_at=timezone.now())
    logger.info("Assembly meeting %s: minutes announced to %s members (%s rows)", meeting.pk, len(member_ids), written)
    return written


def missing() -> list[int]:
    """Held meetings closed more than GRACE ago whose minutes were not rendered or not announced."""
    late = Meeting.objects.filter(status=Meeting.Status.HELD, closed_at__lt=timezone.now() - GRACE)
    return list(late.filter(minutes="").values_list("pk", flat=True)) + list(
        late.exclude(minutes="").filter(minutes_sent_at__isnull=True).values_list("pk", flat=True)
    )
