"""A trigram index on members_member.name_search, for the staff queue's search by name (LIKE '%word%').

PostgreSQL only (pg_trgm ships with it); on SQLite nothing is done and the search scans, which is fine for
a demo. The extension needs the right to create it: superuser, or the database owner on PostgreSQL 13+
(pg_trgm is a trusted extension).
"""

from django.db import migrations

INDEX = "member_name_search_trgm_idx"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (name_search gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_add_member_and_outbox"),
        ("requests_app", "0004_add_staff_queue_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
