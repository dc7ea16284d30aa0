"""The delivery report: what became of the messages sent in a period, per kind, channel and provider.

One GROUP BY for the counts; the median time from queueing to the phone in the same query on PostgreSQL
(percentile_cont over the interval), worked out from the delivered rows elsewhere (SQLite for a first run).
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from members import channel_table
from members.models import Notification

Status = Notification.Status
DeliveryState = Notification.DeliveryState
ANNOUNCEMENTS, EVERYDAY = "announcements", "everyday"


class Median(Aggregate):
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = DurationField()


BACKEND_LABELS = {
    "file": _("a file on the server (development)"),
    "console": _("the server's console (development)"),
    "gateway": _("the HTTP gateway"),
    "whatsapp": _("WhatsApp"),
}


@dataclass(frozen=True)
class DeliveryRow:
    kind: str  # ANNOUNCEMENTS or EVERYDAY
    channel: str
    provider: str
    total: int
    sent: int  # taken by the provider or the mail server
    delivered: int
    not_delivered: int
    failed: int  # refused or never taken after every try
    pending: int  # waiting, being sent, or to check
    median_to_delivery: timedelta | None

    @property
    def median_seconds(self) -> int | None:
        return None if self.median_to_delivery is None else round(self.median_to_delivery.total_seconds())

    @property
    def provider_label(self) -> str:
        """A provider's own name (Unifonic, Taqnyat, Msegat); the development and generic backends in words."""
        return str(BACKEND_LABELS.get(self.provider, self.provider.capitalize()))

    @property
    def has_reports(self) -> bool:
        """Only channels whose provider reports delivery (SMS, WhatsApp: the channel table); e-mail stops at the mail
        server."""
        return channel_table.kind_of(self.channel).reports_delivery


def _time_to_delivery():
    return ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())


def delivery_summary(*, since: datetime) -> list[DeliveryRow]:
    """SMS and e-mail queued since `since` (the inbox copy is written delivered, so it is left out)."""
    rows = (
        Notification.objects.filter(created_at__gte=since)
        .filter(channel__in=channel_table.sent_channels())
        .annotate(
            kind=Case(When(announcement__isnull=True, then=Value(EVERYDAY)), default=Value(ANNOUNCEMENTS)),
        )
        .values("kind", "channel", "provider")
        .order_by("kind", "channel", "provider")
    )
    counts = {
        "total": Count("pk"),
        "sent": Count("pk", filter=Q(status=Status.SENT)),
        "delivered": Count("pk", filter=Q(delivery_state=DeliveryState.DELIVERED)),
        "not_delivered": Count("pk", filter=Q(delivery_state=DeliveryState.FAILED)),
        "failed": Count("pk", filter=Q(status=Status.FAILED)),
        "pending": Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING, Status.UNKNOWN])),
    }
    on_postgresql = connection.vendor == "postgresql"
    if on_postgresql:
        counts["median"] = Median(_time_to_delivery(), filter=Q(delivery_state=DeliveryState.DELIVERED))
    grouped = list(rows.annotate(**counts))
    medians = {} if on_postgresql else _medians(rows)
    return [
        DeliveryRow(
            kind=row["kind"],
            channel=row["channel"],
            provider=row["provider"],
            total=row["total"],
            sent=row["sent"],
            delivered=row["delivered"],
            not_delivered=row["not_delivered"],
            failed=row["failed"],
            pending=row["pending"],
            median_to_delivery=row["median"] if on_postgresql else medians.get(_key(row)),
        )
        for row in grouped
    ]


def _key(row: dict) -> tuple:
    return (row["kind"], row["channel"], row["provider"])


def _medians(rows) -> dict[tuple, timedelta]:
    """The median per group worked out here, for a database without percentile_cont."""
    durations: dict[tuple, list[timedelta]] = {}
    delivered = rows.filter(delivery_state=DeliveryState.DELIVERED).annotate(took=_time_to_delivery())
    for row in delivered.values("kind", "channel", "provider", "took"):
        durations.setdefault(_key(row), []).append(row["took"])
    return {key: statistics.median(values) for key, values in durations.items()}
