from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys and reports")

    def ready(self) -> None:
        from surveys import receivers  # noqa: F401  (connects the request_completed/request_rejected receivers)
