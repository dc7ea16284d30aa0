"""Every entry beat sends names a task the worker has, and that task does its work without failing.

A schedule test that only reads the settings dict passes when the name is misspelt or the task raises; these run
the task the schedule names, with the schedule's arguments.
"""

import pytest
from django.conf import settings

from members_portal.celery import app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_scheduled_task_exists_and_runs_on_an_empty_portal(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    app.loader.import_default_modules()

    assert entry["task"] in app.tasks, f"beat would send {entry['task']!r}, which no worker knows"
    result = app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))

    assert result.successful(), result.traceback
