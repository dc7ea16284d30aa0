"""Account messages (sign-in codes, password links, security notices) leave after the response, in the worker.

A request that asks for a code takes the same path whether the account exists or not: it hands one task to the
broker after commit (members_portal.enqueue) and answers. The worker then sends the message, or nothing when there
is no account. No gateway or mail server is called inside a request, so the time of an answer says nothing about
who is registered.

A code allauth drew (sign-in by code, phone verification) travels in the task's message: it lives a few minutes,
and the broker drops the message once the worker acknowledges it. Codes of our own flows are drawn in the worker
itself (members.activation.issue_code). Messages carrying a code are capped per receiving number per day
(members.limits.SMS_PER_NUMBER_PER_DAY), whatever asked for them.
"""

import logging

from django.core.mail import EmailMessage

from members import channels, limits
from members_portal import enqueue

logger = logging.getLogger(__name__)


def send_sms_later(phone: str, text: str) -> None:
    from members import tasks

    enqueue.after_commit(tasks.send_code_sms, phone, text)


def nothing_to_send_later() -> None:
    """The path of a request for a number without an account: the same task, which sends nothing."""
    send_sms_later("", "")


def send_email_later(message: EmailMessage) -> None:
    from members import tasks

    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
    for to in message.to:
        enqueue.after_commit(tasks.send_account_email, to, str(message.subject), str(message.body), html)


def deliver_sms(phone: str, text: str) -> bool:
    """Send a code message unless there is nobody to send it to or the number's daily cap is reached."""
    if not phone or not text:
        return False
    try:
        limits.hit(limits.SMS_PER_NUMBER_PER_DAY, limits.identifier(phone))
    except limits.Refused:
        logger.warning("Daily cap of code messages reached for a number; message not sent")
        return False
    try:
        channels.send_code_sms(phone, text)
    except channels.SmsError:
        # The person can ask for the code again; the reason is in the log.
        logger.exception("Could not send a code by SMS")
        return False
    return True


def deliver_email(to: str, subject: str, body: str, html: str = "") -> bool:
    try:
        channels.send_email(to, subject, body, html=html)
    except channels.EmailError:
        logger.exception("Could not send an account e-mail")
        return False
    return True
