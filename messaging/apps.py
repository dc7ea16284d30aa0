from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("SMS providers")

    def ready(self) -> None:
        from members import channels
        from messaging import providers

        for name, client in providers.CLIENTS.items():
            channels.register_sms_backend(name, client.send)
