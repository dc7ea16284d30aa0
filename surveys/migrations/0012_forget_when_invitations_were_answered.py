"""Answered invitations forget what a response also holds or dates: when they were answered, the questionnaire
version, the origin, the expiry and the reminder. They keep `answered` (issue 13, item 11)."""

from django.db import migrations


def forward(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    Invitation.objects.filter(answered_at__isnull=False).update(
        answered=True, answered_at=None, questionnaire_version=None, origin="", expires_at=None, reminded_at=None
    )


def backward(apps, schema_editor):
    """What was forgotten cannot come back; the previous code reads answered invitations as unanswered."""


class Migration(migrations.Migration):
    dependencies = [("surveys", "0011_keep_less_on_an_answered_invitation")]

    operations = [migrations.RunPython(forward, backward)]
