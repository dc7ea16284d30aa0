"""Production start-up (DEBUG off) stops at once, naming what is missing, instead of running half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "tUq3-not-a-real-key-8fJ2xLr0Vb9Zs1Nw4Pe6Yh7Kc5Md2Qa0Gt3Xi9Oj",
    "ALLOWED_HOSTS": "portal.najran-coffee.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hg",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
    "CACHE_URL": "redis://127.0.0.1:6379/6",
    "EMAIL_URL": "smtp://portal:secret@mail.najran-coffee.example:587?tls=1",
}


def start(overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with the production settings module and DEBUG off.

    A value set to "" counts as missing (and keeps a developer's .env from filling it in).
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG"))}
    env |= {"DEBUG": "", "DJANGO_SETTINGS_MODULE": "members_portal.settings.base", "VAR_DIR": "var/hg"}
    env |= PRODUCTION | overrides
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_production_environment_starts():
    result = start({})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", sorted(PRODUCTION))
def test_a_missing_variable_stops_start_up_naming_it(name):
    result = start({name: ""})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be set" in result.stderr


def test_object_storage_without_its_credentials_names_them():
    result = start(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "portal-private",
            "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "",
        }
    )

    assert result.returncode != 0
    assert "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY must be set when STORAGE_BACKEND=s3" in result.stderr


def test_an_unknown_storage_backend_is_refused():
    result = start({"STORAGE_BACKEND": "ftp"})

    assert result.returncode != 0
    assert "STORAGE_BACKEND must be 'filesystem' or 's3'" in result.stderr


def test_the_deployment_checklist_is_clean():
    result = start({}, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
