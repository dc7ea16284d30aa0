from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Secret ballots")

    def ready(self) -> None:
        from assembly import slots
        from assembly.signals import minutes_approved
        from ballots import results

        slots.register_secret_results(results.secret_results)
        minutes_approved.connect(results.apply_to_board, dispatch_uid="ballots.apply_to_board")
