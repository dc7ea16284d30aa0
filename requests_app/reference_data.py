"""The service desk's reference data (members_portal.reference): the kinds the queue and the request page read on
every view, each with the models whose change starts it afresh. Imported when the app is ready, so every process
(web, worker, management command) that saves one of these models starts the kind afresh."""

from members_portal import reference

HOLIDAYS = reference.kind("holidays", "requests_app.Holiday")
DEPARTMENT_STAFF = reference.kind(
    "department_staff",
    "requests_app.DepartmentMembership",
    "members.User",
    fields={"members.User": ("first_name", "last_name", "username", "email", "is_active")},
)
SERVICES = reference.kind("services", "requests_app.RequestType", "requests_app.Department")
CANNED_REPLIES = reference.kind("canned_replies", "requests_app.CannedReply")
SAVED_VIEWS = reference.kind("saved_views", "requests_app.SavedQueueView")
SERVICE_FORMS = reference.kind(
    "service_forms",
    "requests_app.RequestType",
    "requests_app.Category",
    "requests_app.Department",
    "requests_app.RequestField",
    "requests_app.RequestDocument",
)
