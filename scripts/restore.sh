#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database and private-files folder of the current settings
# (DATABASE_URL, PRIVATE_MEDIA_ROOT from the environment or .env).
#
#   scripts/restore.sh BACKUP_DIR                      into an empty database (created if missing)
#   scripts/restore.sh BACKUP_DIR --force              REPLACE everything in a database that is not empty
#
# Refuses (exit 3, before changing anything) when the database has tables or the private-files folder has files,
# unless --force: a restore over live data is never an accident. With --force the old files are moved aside to
# <PRIVATE_MEDIA_ROOT>.before-restore-<time>, not deleted. Afterwards run `manage.py migrate` (the backup may be
# older than the code) and restart the services.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

force=0
backup=""
for argument in "$@"; do
  case "$argument" in
    --force) force=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $argument" >&2; exit 2 ;;
    *) backup=$argument ;;
  esac
done
if [ -z "$backup" ] || [ ! -f "$backup/database.dump" ]; then
  echo "usage: scripts/restore.sh BACKUP_DIR [--force]   (BACKUP_DIR holds database.dump)" >&2
  exit 2
fi

echo "checking $backup/SHA256SUMS"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

eval "$("$PY" scripts/portal_env.py)"
started=$SECONDS

database_exists=$(psql --dbname=postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${PGDATABASE//\'/\'\'}'")
tables=0
if [ "$database_exists" = 1 ]; then
  tables=$(psql -tAc "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
fi
files=0
if [ -f "$backup/private-files.tar.gz" ] && [ -d "$PRIVATE_MEDIA_ROOT" ]; then
  files=$(find "$PRIVATE_MEDIA_ROOT" -type f | wc -l)
fi
if [ "$force" != 1 ] && { [ "$tables" -gt 0 ] || [ "$files" -gt 0 ]; }; then
  echo "REFUSED: database '$PGDATABASE' has $tables tables and $PRIVATE_MEDIA_ROOT has $files files." >&2
  echo "Restore into a new, empty database (set DATABASE_URL to it), or add --force to replace what is there." >&2
  exit 3
fi

if [ "$database_exists" != 1 ]; then
  echo "creating database $PGDATABASE"
  createdb "$PGDATABASE"
elif [ "$tables" -gt 0 ]; then
  echo "--force: emptying database $PGDATABASE ($tables tables)"
  psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
fi

pg_restore --no-owner --no-privileges --exit-on-error --jobs 2 --dbname "$PGDATABASE" "$backup/database.dump"
echo "database restored: $(psql -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") tables"

if [ -f "$backup/private-files.tar.gz" ]; then
  if [ "$files" -gt 0 ]; then
    aside="$PRIVATE_MEDIA_ROOT.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    echo "--force: moving the current private files aside to $aside"
    mv "$PRIVATE_MEDIA_ROOT" "$aside"
  fi
  mkdir -p "$PRIVATE_MEDIA_ROOT"
  tar --extract --gzip --file "$backup/private-files.tar.gz" --directory "$PRIVATE_MEDIA_ROOT"
  echo "private files restored: $(find "$PRIVATE_MEDIA_ROOT" -type f | wc -l) files in $PRIVATE_MEDIA_ROOT"
else
  echo "this backup has no private files (object store); nothing to extract"
fi
echo "restore done in $((SECONDS - started)) s. Next: manage.py migrate, then restart the services."
