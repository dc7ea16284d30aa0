"""Notes written for the board when referring a request were stored on the member-visible status change.

Each such note becomes a board note (never shown to the member) at the same time, by the same person, and the
status change keeps no note. Backwards: the notes go back on the status changes.
"""

from django.db import migrations


def forward(apps, schema_editor):
    TimelineEvent = apps.get_model("requests_app", "TimelineEvent")
    referrals = TimelineEvent.objects.filter(kind="status_changed", to_status="pending_board_decision").exclude(note="")
    for event in referrals.iterator():
        note = TimelineEvent.objects.create(
            service_request_id=event.service_request_id,
            kind="board_note",
            actor_id=event.actor_id,
            note=event.note,
            visible_to_member=False,
        )
        # auto_now_add stamped "now": the board note keeps the referral's time.
        TimelineEvent.objects.filter(pk=note.pk).update(created_at=event.created_at)
    referrals.update(note="")


def backward(apps, schema_editor):
    TimelineEvent = apps.get_model("requests_app", "TimelineEvent")
    for note in TimelineEvent.objects.filter(kind="board_note").iterator():
        referral = (
            TimelineEvent.objects.filter(
                service_request_id=note.service_request_id,
                kind="status_changed",
                to_status="pending_board_decision",
                created_at__lte=note.created_at,
                note="",
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if referral is not None:
            TimelineEvent.objects.filter(pk=referral).update(note=note.note)
    TimelineEvent.objects.filter(kind="board_note").delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0008_add_board_notes_never_shown_to_members")]

    operations = [migrations.RunPython(forward, backward)]
