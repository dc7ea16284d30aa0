"""The data the migrations seed (the service catalogue, the default questionnaire), again after a transactional test
flushed every table: pytest-django runs transactional tests after the others, and each one empties the database."""

from importlib import import_module

SEED_STEPS = [
    ("requests_app.migrations.0002_seed_catalogue", "seed"),
    ("requests_app.migrations.0007_use_checked_field_types_in_catalogue", "forward"),
    ("requests_app.migrations.0013_mark_share_transfer_and_withdrawal_services", "forward"),
    ("requests_app.migrations.0019_mark_additional_shares_and_heirs_services", "forward"),
    ("surveys.migrations.0002_seed_default_questionnaire", "forward"),
]


def restore_seed_data() -> None:
    from django.apps import apps

    from requests_app.models import RequestType

    if RequestType.objects.exists():
        return
    for module, function in SEED_STEPS:
        getattr(import_module(module), function)(apps, None)
