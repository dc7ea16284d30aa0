"""The member's notice of a change to their request, queued in the outbox in the change's transaction."""

from django.utils import translation

from members import outbox
from requests_app.models import ServiceRequest

Status = ServiceRequest.Status


def notify_member(
    service_request: ServiceRequest, *, event: str, key: str, note: str = "", new_key: bool = False
) -> None:
    """Queue the member's notice; names are resolved in the member's language (the templates render in it).
    `new_key`: the key names a request created in this transaction (see outbox.queue_notification)."""
    member = service_request.member
    context = {
        "reference_no": service_request.reference_no,
        "status": service_request.status,
        "note": note,
        "due_date": service_request.due_date.isoformat(),  # written in both calendars by the templates
    }
    # Names in both languages (`<name>_ar`, `<name>_en`): the inbox shows the message in the language the member
    # reads the portal in, which may not be the one it was written in (members.notification_texts).
    for language in ("ar", "en"):
        with translation.override(language):
            context[f"service_{language}"] = service_request.request_type.name
            context[f"status_label_{language}"] = str(Status(service_request.status).label)
    own = member.language if member.language in ("ar", "en") else "ar"
    context["service"], context["status_label"] = context[f"service_{own}"], context[f"status_label_{own}"]
    outbox.queue_notification(
        member=member,
        event=event,
        key=key,
        link=service_request.get_absolute_url(),
        context=context,
        new_key=new_key,
    )
