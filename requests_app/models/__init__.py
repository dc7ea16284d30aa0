"""The requests app's data: the catalogue and working calendar, and service requests with their timeline."""

from requests_app.models.catalogue import (
    Category,
    Department,
    DepartmentMembership,
    FrequentQuestion,
    Holiday,
    RequestDocument,
    RequestField,
    RequestType,
)
from requests_app.models.requests import (
    Attachment,
    Channel,
    Draft,
    Receipt,
    ReferenceCounter,
    ServiceRequest,
    TimelineEvent,
)
from requests_app.models.staff import BoardDecision, CannedReply, SavedQueueView, StaffNotice

__all__ = [
    "Attachment",
    "BoardDecision",
    "CannedReply",
    "Category",
    "Channel",
    "Department",
    "DepartmentMembership",
    "Draft",
    "FrequentQuestion",
    "Holiday",
    "Receipt",
    "ReferenceCounter",
    "RequestDocument",
    "RequestField",
    "RequestType",
    "SavedQueueView",
    "ServiceRequest",
    "StaffNotice",
    "TimelineEvent",
]
