"""Supervisors and administrators may send announcements (members.send_announcement).

Permissions are normally created after all migrations (post_migrate), so this creates the one it grants.
"""

from django.db import migrations

GROUPS = ["supervisor", "administrator"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="members", model="announcement")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="send_announcement",
        defaults={"name": "Can send announcements to members"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permission = Permission.objects.filter(content_type__app_label="members", codename="send_announcement").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_add_announcements_and_outbox_delivery_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
