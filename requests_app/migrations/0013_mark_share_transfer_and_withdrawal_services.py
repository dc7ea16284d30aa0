"""The seed's share transfer (MEM-03) and withdrawal (MEM-04) get their own kinds: completing one moves shares
or ends a membership (requests_app.completion). Only a service still of the seed's kind changes."""

from django.db import migrations

KINDS = {"MEM-03": "share_transfer", "MEM-04": "withdrawal"}


def forward(apps, schema_editor):
    RequestType = apps.get_model("requests_app", "RequestType")
    for code, kind in KINDS.items():
        RequestType.objects.filter(code=code, kind="service").update(kind=kind)


def backward(apps, schema_editor):
    RequestType = apps.get_model("requests_app", "RequestType")
    for code, kind in KINDS.items():
        RequestType.objects.filter(code=code, kind=kind).update(kind="service")


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0012_add_share_transfer_and_withdrawal_kinds")]

    operations = [migrations.RunPython(forward, backward)]
