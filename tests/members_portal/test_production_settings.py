"""Production settings (DEBUG off), checked in fresh processes: the settings module reads the environment once."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a" * 10 + "production-secret-for-this-test-only-" + "Zq8#xW2!pL5@",
    "ALLOWED_HOSTS": "portal.najran-coffee.example",
    "DATABASE_URL": "postgres://portal@db.najran-coffee.example:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.najran-coffee.example:6379/0",
    "CACHE_URL": "redis://redis.najran-coffee.example:6379/1",
    "EMAIL_URL": "smtp://portal:not-a-secret@smtp.najran-coffee.example:587?tls=1",
}


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    # The test process's own settings stay out (DJANGO_ALLOW_ASYNC_UNSAFE, VAR_DIR, a DATABASE_URL, ...).
    leave_out = {*PRODUCTION, "VAR_DIR", "CACHE_URL"}
    env = {name: value for name, value in os.environ.items() if name not in leave_out and not name.startswith("DJANGO")}
    env.update(DJANGO_SETTINGS_MODULE="members_portal.settings.base", **environment)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL"]
)
def test_with_debug_off_a_missing_setting_stops_start_up_with_a_message_naming_it(missing):
    # Set to empty rather than removed, so a developer's .env file cannot fill it in.
    result = run_python("import django; django.setup()", **{**PRODUCTION, missing: ""})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deployment_check_with_no_warning():
    result = run_python(
        "from django.core.management import execute_from_command_line as run; "
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
