"""Unifonic's SMS API (el.cloud.unifonic.com).

Send: POST {UNIFONIC_URL}/rest/SMS/messages as a form: AppSid (the application's id, which is the credential),
SenderID (the registered sender name), Recipient (international digits without + or 00), Body, responseType=JSON,
and CorrelationID: the outbox key, Unifonic's client reference, which its delivery reports carry back.

Its answer: {"success": true, "message": "", "errorCode": "ER-00", "data": {"MessageID": ..., "Status": "Sent"}}.
Refused: an HTTP error status, or a 200 answer with success false, an errorCode other than ER-00 (ER-01 no
balance, ER-02 a bad number, ER-08 a sender name not registered, ...), or a Status of Rejected or Failed.

Delivery report (the DLR webhook; its field names as far as the public guide shows them, see docs/deploy.md):
{"messageId", "correlationId", "status": "Delivered" | "Undelivered" | "Rejected" | "Failed" | "Sent" | "Queued",
"errorCode"}.
"""

from django.conf import settings

from members.channels import SmsError
from messaging import http
from messaging.report import Report, final_state

NAME = "unifonic"
TAKEN_CODE = "ER-00"
REFUSED_STATUSES = {"rejected", "failed", "undelivered"}


def send(to: str, text: str, reference: str) -> str:
    """Hand one message to Unifonic; returns its MessageID, raises SmsError when it is refused."""
    if not settings.UNIFONIC_APP_SID:
        raise SmsError("SMS_BACKEND is 'unifonic' but UNIFONIC_APP_SID is not set")
    form = {
        "AppSid": settings.UNIFONIC_APP_SID,
        "SenderID": settings.SMS_SENDER_NAME,
        "Recipient": to.lstrip("+"),
        "Body": text,
        "responseType": "JSON",
    }
    if reference:
        form["CorrelationID"] = reference
    reply = http.post(f"{settings.UNIFONIC_URL}/rest/SMS/messages", form=form, provider="Unifonic")
    body = reply.body
    data = http.json_object(body.get("data"))
    code = str(body.get("errorCode") or "")
    refused = (
        not 200 <= reply.status < 300
        or body.get("success") is not True
        or (code and code != TAKEN_CODE)
        or str(data.get("Status", "")).strip().lower() in REFUSED_STATUSES
    )
    if refused:
        reason = body.get("message") or data.get("Status") or reply.text[:200]
        raise SmsError(f"Unifonic refused the message (HTTP {reply.status}, {code or 'no code'}): {reason}")
    return str(data.get("MessageID") or "")


def read_report(payload: dict) -> Report:
    state = final_state(
        str(payload.get("status", "")), delivered={"delivered"}, failed={"undelivered", "rejected", "failed"}
    )
    return Report(
        message_id=str(payload.get("messageId") or ""),
        reference=str(payload.get("correlationId") or ""),
        state=state,
        error=str(payload.get("errorCode") or payload.get("status") or "") if state != "delivered" else "",
    )
