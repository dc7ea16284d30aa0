from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("SMS providers")  # and WhatsApp Business

    def ready(self) -> None:
        from members import channels
        from messaging import providers, whatsapp

        for name, client in providers.CLIENTS.items():
            channels.register_sms_backend(name, client.send)
        channels.register_whatsapp_sender(whatsapp.send_template)
