"""Msegat's SMS API (www.msegat.com/gw).

Send: POST {MSEGAT_URL}/gw/sendsms.php with JSON {"userName", "apiKey" (the credentials), "numbers" (digits without
+ or 00), "userSender" (the registered sender name), "msg", "msgEncoding": "UTF8", "reqBulkId": true (so the answer
names the message)}. Msegat's send has no client reference field: reports are matched by the id it answers.

Its answer is HTTP 200 whether or not it took the message: {"code": "1" or "M0000", "message": "Success", "id": ...}
when taken; any other code is a refusal inside the 200 answer (1060 no balance, 1110 a sender name missing or not
registered, 1120 a bad number, M0002 / 1020 bad credentials, 1061 a duplicate ...).

Delivery report (assumed shape, see docs/deploy.md): {"id", "number", "status": "DELIVRD" | "UNDELIV" | "REJECTD" |
"EXPIRED" | "SENT", "errorCode"}: the operators' own status words.
"""

from django.conf import settings

from members.channels import SmsError
from messaging import http
from messaging.report import Report, final_state

NAME = "msegat"
TAKEN_CODES = {"1", "M0000"}


def send(to: str, text: str, reference: str) -> str:
    """Hand one message to Msegat; returns its id, raises SmsError when it is refused."""
    if not (settings.MSEGAT_USERNAME and settings.MSEGAT_API_KEY):
        raise SmsError("SMS_BACKEND is 'msegat' but MSEGAT_USERNAME or MSEGAT_API_KEY is not set")
    reply = http.post(
        f"{settings.MSEGAT_URL}/gw/sendsms.php",
        json_body={
            "userName": settings.MSEGAT_USERNAME,
            "apiKey": settings.MSEGAT_API_KEY,
            "numbers": to.lstrip("+"),
            "userSender": settings.SMS_SENDER_NAME,
            "msg": text,
            "msgEncoding": "UTF8",
            "reqBulkId": True,
        },
        provider="Msegat",
    )
    code = str(reply.body.get("code", "")).strip()
    if not 200 <= reply.status < 300 or code not in TAKEN_CODES:
        reason = reply.body.get("message") or reply.text[:200]
        raise SmsError(f"Msegat refused the message (HTTP {reply.status}, code {code or 'none'}): {reason}")
    return str(reply.body.get("id") or "")


def read_report(payload: dict) -> Report:
    state = final_state(
        str(payload.get("status", "")),
        delivered={"delivrd", "delivered"},
        failed={"undeliv", "undelivered", "rejectd", "rejected", "expired", "failed"},
    )
    return Report(
        message_id=str(payload.get("id") or ""),
        state=state,
        error=str(payload.get("errorCode") or payload.get("status") or "") if state != "delivered" else "",
    )
