"""The messaging app's Celery tasks."""

import logging

from celery import shared_task

from members.channels import ChannelError
from messaging import whatsapp

logger = logging.getLogger(__name__)


@shared_task
def answer_on_whatsapp(to: str, text: str) -> bool:
    """Send a short free-form answer to someone who wrote to the cooperative on WhatsApp (within the 24 hours their
    message opened). Best effort, sent once: a failure is logged, not retried (they can write again)."""
    try:
        whatsapp.send_text(to, text)
    except ChannelError as error:
        logger.warning("Could not answer a WhatsApp message: %s", error)
        return False
    return True
