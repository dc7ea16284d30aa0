"""What the messaging app keeps of its own: the members' WhatsApp messages it has landed, by WhatsApp's id only."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedMessage(models.Model):
    """A member's WhatsApp message the portal landed (on a request's timeline, or as a new inquiry). Only its id and
    when: the text lives on the timeline. Unique, so a message Meta posts twice lands once."""

    message_id = models.CharField(_("WhatsApp message id"), max_length=128, unique=True)
    landed_at = models.DateTimeField(_("landed"), auto_now_add=True)

    class Meta:
        verbose_name = _("received WhatsApp message")
        verbose_name_plural = _("received WhatsApp messages")

    def __str__(self) -> str:
        return self.message_id
