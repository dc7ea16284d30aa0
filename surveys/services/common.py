"""What every surveys use case shares: the refusal a person reads, the statuses that can be rated, months and
quarters."""

import datetime

from requests_app.models import ServiceRequest

RATABLE_STATUSES = (ServiceRequest.Status.COMPLETED, ServiceRequest.Status.REJECTED)


class InvitationRefused(Exception):
    """A survey link or offer that cannot be used. `reason` picks the page the person reads."""

    UNKNOWN = "unknown"  # forged, mistyped or from another site
    EXPIRED = "expired"
    ANSWERED = "answered"
    OTHER_MEMBER = "other_member"  # signed in as someone else than the member invited
    NOT_RATABLE = "not_ratable"  # the request is not completed or rejected
    NO_ACCOUNT = "no_account"  # a contact request needs the member's account

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- Time helpers ------------------------------------------------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_of(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
