"""Concurrent refreshes could write a summary cell twice (issue 14 item 6). The summaries are sums recomputed from
the answers and requests, so they are cleared: every month counts as never summarised, and the next refresh (the
beat, or a board page on the spot) rewrites it once, before the next migration makes each cell unique."""

from django.db import migrations


def clear(apps, schema_editor):
    for name in ("SatisfactionSummary", "RequestSummary", "CompletionDays", "SummarisedMonth"):
        apps.get_model("surveys", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0008_add_answered_invitations_to_request_summary")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
