"""How a queue row reads: the plain strings and badge styles a table row shows, formatted once per page."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members_portal.hijri import to_hijri
from requests_app import sla
from requests_app.models import ServiceRequest

Status = ServiceRequest.Status

STATUS_STYLES = {
    Status.RETURNED_TO_MEMBER: "text-bg-warning",
    Status.PENDING_BOARD_DECISION: "text-bg-info",
    Status.COMPLETED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.CANCELLED: "text-bg-secondary",
}
SLA_STYLES = {
    sla.SlaState.LATE: "text-bg-danger",
    sla.SlaState.DUE_TODAY: "text-bg-warning",
    sla.SlaState.ON_TIME: "text-bg-success",
    sla.SlaState.PAUSED: "text-bg-secondary",
    sla.SlaState.WITH_BOARD: "text-bg-info",
}


class RowFormatter:
    """Turns queue rows into the plain values a table row shows, formatted once per page.

    The queue is the page staff load all day: labels are translated once per page, not once per row,
    and dates are formatted in Python, so 50 rows cost little more than 5.
    """

    def __init__(self, *, today: datetime.date, unassigned_cutoff: datetime.datetime) -> None:
        self.today = today
        self.cutoff = unassigned_cutoff
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.sla_labels = {state.value: str(state.label) for state in sla.SlaState}
        self.english = (translation.get_language() or "ar").startswith("en")
        self._to_hijri = to_hijri
        self._hijri: dict[datetime.date, str] = {}
        self._ages: dict[int, str] = {}

    def hijri(self, day: datetime.date) -> str:
        if day not in self._hijri:
            converted = self._to_hijri(day)
            self._hijri[day] = converted.format() if converted else ""
        return self._hijri[day]

    def age(self, submitted_at: datetime.datetime) -> str:
        days = (self.today - timezone.localtime(submitted_at).date()).days
        if days not in self._ages:
            self._ages[days] = (
                str(_("today")) if days <= 0 else ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
            )
        return self._ages[days]

    def row(self, values: dict) -> dict:
        """One table row from a dict of ROW_VALUES (queue_values), plain strings ready for the template."""
        status = values["status"]
        closed = status in ServiceRequest.CLOSED_STATUSES
        if closed:
            state = sla.SlaState.CLOSED
        elif status == Status.RETURNED_TO_MEMBER:
            state = sla.SlaState.PAUSED
        elif status == Status.PENDING_BOARD_DECISION:
            state = sla.SlaState.WITH_BOARD
        elif values["due_date"] < self.today:
            state = sla.SlaState.LATE
        elif values["due_date"] == self.today:
            state = sla.SlaState.DUE_TODAY
        else:
            state = sla.SlaState.ON_TIME
        english = self.english
        waiting = values["assignee_id"] is None and not closed and values["submitted_at"] < self.cutoff
        assignee_name = " ".join(
            part for part in (values["assignee__first_name"], values["assignee__last_name"]) if part
        ) or (values["assignee__username"] or "")
        return {
            "pk": values["pk"],
            "reference_no": values["reference_no"],
            "department_id": values["department_id"],
            "service_name": (values["request_type__name_en"] if english and values["request_type__name_en"]
                             else values["request_type__name_ar"]),
            "service_code": values["request_type__code"],
            "member_name": values["member__full_name_ar"],
            "membership_no": values["member__membership_no"],
            "mobile": values["mobile"],
            "status": status,
            "status_label": self.status_labels[status],
            "status_style": STATUS_STYLES.get(status, "text-bg-primary"),
            "age": self.age(values["submitted_at"]),
            "due": values["due_date"].isoformat(),
            "due_hijri": self.hijri(values["due_date"]),
            "sla_label": self.sla_labels[state] if state in SLA_STYLES else "",
            "sla_style": SLA_STYLES.get(state, ""),
            "assignee_id": values["assignee_id"],
            "assignee_name": assignee_name if values["assignee_id"] else "",
            "waiting_for_someone": waiting,
            "is_closed": closed,
        }  # fmt: skip
