"""Questionnaires and their versions: which questions a rating page asks."""

from django.db import transaction

from requests_app.models import RequestType
from surveys.models import Questionnaire, QuestionnaireVersion

# --- Questionnaires ----------------------------------------------------------------------------------------------


@transaction.atomic
def publish_version(*, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The questionnaire's current version: a new one when its questions changed since the last, else the last.

    Versions are never edited, so answers stay with the questions they answered. Idempotent.
    """
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    latest = questionnaire.versions.order_by("-number").first()
    content = questionnaire.content()
    if latest is not None and latest.content == content:
        return latest
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, content=content
    )


def questionnaire_for(request_type: RequestType | None) -> Questionnaire:
    """The service's own active questionnaire, else the default one."""
    if request_type is not None:
        own = Questionnaire.objects.filter(request_type=request_type, active=True).first()
        if own is not None:
            return own
    default = Questionnaire.objects.filter(is_default=True).first()
    if default is None:
        raise Questionnaire.DoesNotExist("No default questionnaire: the seed migration creates one.")
    return default


def current_version(request_type: RequestType | None) -> QuestionnaireVersion:
    questionnaire = questionnaire_for(request_type)
    latest = questionnaire.versions.order_by("-number").first()
    return latest if latest is not None else publish_version(questionnaire=questionnaire)
