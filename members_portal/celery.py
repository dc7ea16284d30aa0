"""The Celery app. Tasks live in each app's tasks.py and are found by autodiscovery."""

import os

from celery import Celery
from celery.signals import beat_init
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")

# filesystem:// (the embedded default's broker) writes whole messages: members_portal/broker.py.
TRANSPORT_ALIASES["filesystem"] = "members_portal.broker:Transport"

app = Celery("members_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _only_one_beat(**kwargs) -> None:
    """A second beat refuses to start (members_portal/one_beat.py)."""
    from members_portal import one_beat

    one_beat.refuse_a_second_beat()
