"""Taqnyat's SMS API (api.taqnyat.sa).

Send: POST {TAQNYAT_URL}/v1/messages with "Authorization: Bearer {TAQNYAT_TOKEN}" and JSON {"recipients": [digits
without + or 00], "body", "sender": the registered sender name}. Taqnyat's public send resource has no client
reference field, so the outbox key stays on our row and reports are matched by Taqnyat's messageId.

Its answer: 201 {"statusCode": 201, "messageId": ..., "cost": ..., "accepted": "[966501234567,]", "rejected": "[]"}.
Refused: an HTTP error status (400 a bad sender or number, 401 a bad token, 402 no balance ...) with
{"statusCode", "message"}, or a 2xx answer whose statusCode is not 200/201 or whose "rejected" list holds our number
(the request was taken, our one recipient was not).

Delivery report (assumed shape, see docs/deploy.md): {"messageId", "recipient", "status": "delivered" |
"undelivered" | "failed" | "rejected" | "sent", "reason"}.
"""

from django.conf import settings

from members.channels import SmsError
from messaging import http
from messaging.report import Report, final_state

NAME = "taqnyat"


def send(to: str, text: str, reference: str) -> str:
    """Hand one message to Taqnyat; returns its messageId, raises SmsError when it is refused."""
    if not settings.TAQNYAT_TOKEN:
        raise SmsError("SMS_BACKEND is 'taqnyat' but TAQNYAT_TOKEN is not set")
    digits = to.lstrip("+")
    reply = http.post(
        f"{settings.TAQNYAT_URL}/v1/messages",
        json_body={"recipients": [digits], "body": text, "sender": settings.SMS_SENDER_NAME},
        headers={"Authorization": f"Bearer {settings.TAQNYAT_TOKEN}"},
        provider="Taqnyat",
    )
    body = reply.body
    code = str(body.get("statusCode", reply.status))
    accepted, rejected = str(body.get("accepted", "")), str(body.get("rejected", ""))
    refused = (
        not 200 <= reply.status < 300
        or code not in {"200", "201"}
        or digits in rejected
        or (bool(accepted) and digits not in accepted)
    )
    if refused:
        reason = body.get("message") or (f"rejected: {rejected}" if digits in rejected else reply.text[:200])
        raise SmsError(f"Taqnyat refused the message (HTTP {reply.status}, statusCode {code}): {reason}")
    return str(body.get("messageId") or "")


def read_report(payload: dict) -> Report:
    state = final_state(
        str(payload.get("status", "")), delivered={"delivered"}, failed={"undelivered", "failed", "rejected"}
    )
    return Report(
        message_id=str(payload.get("messageId") or ""),
        state=state,
        error=str(payload.get("reason") or payload.get("status") or "") if state != "delivered" else "",
    )
