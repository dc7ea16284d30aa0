"""The daily escalation: reminders before a due date, supervisors told of late and long-unassigned requests.

Staff are not members, so the member outbox does not reach them: an escalation is a `StaffNotice` (shown
on the staff home page, and in the header count) and, for staff with an e-mail address, one e-mail sent
after commit through members.channels.send_email. Idempotent per person, request, kind and day: the
unique constraint on StaffNotice makes a second run the same day add nothing and e-mail nobody again.

Rules (working days from requests_app.calendar; days in Riyadh):
- the assignee of a running request due on the next working day is reminded (due_soon);
- every supervisor of the department is told of a running request past its due date (late), the
  assignee too;
- every supervisor of the department is told of an open request still unassigned after a whole working
  day (unassigned).
Runs only on working days: a reminder on a Friday helps nobody, and Sunday's run catches up.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import channels
from members.models import User
from members_portal import locks
from members_portal.enqueue import after_commit
from requests_app import calendar, sla
from requests_app.models import DepartmentMembership, ServiceRequest, StaffNotice

logger = logging.getLogger(__name__)
Kind = StaffNotice.Kind


def _supervisors_by_department(department_ids: set[int]) -> dict[int, list[int]]:
    supervisors: dict[int, list[int]] = {}
    rows = DepartmentMembership.objects.filter(
        department_id__in=department_ids, is_supervisor=True, user__is_active=True
    ).values_list("department_id", "user_id")
    for department_id, user_id in rows:
        supervisors.setdefault(department_id, []).append(user_id)
    return supervisors


@transaction.atomic
def escalate(*, on: datetime.date | None = None) -> dict[str, int]:
    """Write today's staff notices; returns how many of each kind were new. Safe to run again, and at the same
    time (two beats by mistake): runs wait for each other, so the second finds the first's notices and counts none."""
    locks.hold("requests_app.escalation.escalate")
    on = on or sla.today()
    counts = {kind: 0 for kind in Kind.values}
    if not calendar.is_working_day(on):
        return counts
    tomorrow = sla.next_working_day(on)
    running = Q(status__in=sla.RUNNING_STATUSES)
    due_soon = ServiceRequest.objects.filter(running, due_date=tomorrow, assignee__isnull=False)
    late = ServiceRequest.objects.filter(running, due_date__lt=on)
    unassigned = ServiceRequest.objects.filter(
        status__in=sla.OPEN_STATUSES, assignee__isnull=True, submitted_at__lt=sla.unassigned_cutoff(on)
    )
    late_rows = list(late.values_list("pk", "department_id", "assignee_id"))
    unassigned_rows = list(unassigned.values_list("pk", "department_id"))
    supervisors = _supervisors_by_department({row[1] for row in late_rows} | {row[1] for row in unassigned_rows})

    wanted: list[StaffNotice] = [
        StaffNotice(recipient_id=assignee_id, service_request_id=pk, kind=Kind.DUE_SOON, day=on)
        for pk, assignee_id in due_soon.values_list("pk", "assignee_id")
    ]
    for pk, department_id, assignee_id in late_rows:
        recipients = set(supervisors.get(department_id, []))
        if assignee_id:
            recipients.add(assignee_id)
        wanted += [StaffNotice(recipient_id=uid, service_request_id=pk, kind=Kind.LATE, day=on) for uid in recipients]
    for pk, department_id in unassigned_rows:
        wanted += [
            StaffNotice(recipient_id=uid, service_request_id=pk, kind=Kind.UNASSIGNED, day=on)
            for uid in supervisors.get(department_id, [])
        ]
    if not wanted:
        return counts
    before = set(StaffNotice.objects.filter(day=on).values_list("recipient_id", "service_request_id", "kind"))
    new = [n for n in wanted if (n.recipient_id, n.service_request_id, n.kind) not in before]
    # ignore_conflicts: a concurrent run the same day inserting the same notice is not an error.
    StaffNotice.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    for notice in new:
        counts[notice.kind] += 1
    if new:
        from requests_app import tasks

        after_commit(tasks.email_staff_notices)
    return counts


def _claim(notice_id: int) -> bool:
    return bool(StaffNotice.objects.filter(pk=notice_id, emailed_at__isnull=True).update(emailed_at=timezone.now()))


def _email_text(user: User, notices: list[StaffNotice]) -> tuple[str, str]:
    labels = {
        Kind.DUE_SOON: _("Due on the next working day"),
        Kind.LATE: _("Late"),
        Kind.UNASSIGNED: _("Unassigned for more than a working day"),
    }
    from django.conf import settings
    from django.urls import reverse

    lines = [
        f"{labels[notice.kind]}: {notice.service_request.reference_no} — "
        f"{settings.SITE_URL}{reverse('requests_app:staff-request', args=[notice.service_request.reference_no])}"
        for notice in notices
    ]
    subject = _("Requests that need your attention (%(count)s)") % {"count": len(notices)}
    body = _("Hello %(name)s,") % {"name": user.get_full_name() or user.username} + "\n\n" + "\n".join(lines)
    return subject, body


def email_notices(*, limit: int = 500) -> int:
    """E-mail each staff member the notices not yet e-mailed, in one message per person. Idempotent: a notice
    is claimed (emailed_at set by a conditional UPDATE) before its e-mail goes, so it is never sent twice;
    an e-mail that fails is logged and not retried (the notice stays on the staff home page)."""
    by_user: dict[int, list[StaffNotice]] = {}
    with transaction.atomic():
        # One run claims at a time: two runs at once would each take part of a person's notices and send two e-mails.
        locks.hold("requests_app.escalation.email")
        pending = list(
            StaffNotice.objects.filter(emailed_at__isnull=True)
            .select_related("recipient", "service_request")
            .order_by("recipient_id", "pk")[:limit]
        )
        for notice in pending:
            if _claim(notice.pk):
                by_user.setdefault(notice.recipient_id, []).append(notice)
    sent = 0
    for notices in by_user.values():
        user = notices[0].recipient
        if not user.email:
            continue
        # Staff read the portal in Arabic unless their session says otherwise; e-mails go in Arabic.
        with translation.override("ar"):
            subject, body = _email_text(user, notices)
        try:
            channels.send_email(user.email, subject, body)
        except channels.EmailError:
            logger.exception("staff notice e-mail to user %s failed", user.pk)
            continue
        sent += 1
    return sent
