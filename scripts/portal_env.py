"""Print the portal's database and private-files location as shell assignments, read from the Django settings.

    eval "$(.venv/bin/python scripts/portal_env.py)"

Sets PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (libpq's own variables, so pg_dump, pg_restore and psql need
no URL on their command line, and the password is never in `ps`), PRIVATE_MEDIA_ROOT and STORAGE_BACKEND. The
settings read the same environment as the portal (/etc/members-portal/env in production, .env in development).
"""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")

import django
from django.conf import settings

django.setup()
database = settings.DATABASES["default"]
if "postgresql" not in database["ENGINE"]:
    sys.exit(f"backup and restore need PostgreSQL; DATABASE_URL points at {database['ENGINE']}")
values = {
    "PGHOST": database.get("HOST") or "127.0.0.1",
    "PGPORT": str(database.get("PORT") or 5432),
    "PGUSER": database.get("USER") or "",
    "PGPASSWORD": database.get("PASSWORD") or "",
    "PGDATABASE": database["NAME"],
    "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    "STORAGE_BACKEND": getattr(settings, "STORAGE_BACKEND", "filesystem"),
}
for name, value in values.items():
    print(f"export {name}={shlex.quote(value)}")
