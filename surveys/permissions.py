"""What the administrator may do with questionnaires, answers and suggestions in the Django admin: added to the
role's table in members.permissions from surveys.apps, granted after every migrate."""

from members.permissions import EVERYTHING, READ

ADMINISTRATOR_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "surveys": {
        "questionnaire": ("add", "change", "view"),
        "questionnaireversion": READ,
        "response": READ,
        "suggestion": ("change", "view"),
        "adoptedsuggestion": EVERYTHING,
    },
}
