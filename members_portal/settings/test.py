"""Test settings: base settings made fast. Tasks run eagerly unless a test starts a real worker."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a real worker process can open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Celery reads a CELERY_BROKER_URL environment variable in preference to its own setting, so a test that points
# app.conf.broker_url elsewhere (a broker that is down, a worker's own Redis database) would be ignored when CI
# exports one. The value is in CELERY_BROKER_URL above; the test process no longer needs the variable.
os.environ.pop("CELERY_BROKER_URL", None)
