#!/usr/bin/env bash
# The restore drill (CI runs it): fill a database, back it up, wipe it, restore into a FRESH database, and check
# that members, requests, attachments, receipts and survey answers all came back and the portal serves them.
#
#   scripts/restore_drill.sh          uses postgres://postgres@127.0.0.1:5432 (DRILL_SERVER) and var/drill/
#
# Databases portal_drill and portal_drill_restored are dropped and made anew on each run. Exit 0 = drill passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
SERVER=${DRILL_SERVER:-postgres://postgres@127.0.0.1:5432}
SOURCE_DB=${DRILL_DB:-portal_drill}
RESTORED_DB="${SOURCE_DB}_restored"
WORK=${DRILL_DIR:-var/drill}
PORT=${DRILL_PORT:-8790}
started=$SECONDS
step() { printf '\n--> %s (%d s)\n' "$*" $((SECONDS - started)); }

gunicorn_pid=""
cleanup() { if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

export DEBUG=1 CELERY_TASK_ALWAYS_EAGER=1 CELERY_BROKER_URL=filesystem:// CACHE_URL= LOG_LEVEL=WARNING
source_env() { export DATABASE_URL="$SERVER/$SOURCE_DB" VAR_DIR="$WORK/source" PRIVATE_MEDIA_ROOT="$WORK/source/private"; }
restored_env() { export DATABASE_URL="$SERVER/$RESTORED_DB" VAR_DIR="$WORK/restored" PRIVATE_MEDIA_ROOT="$WORK/restored/private"; }

step "fresh databases and folders"
rm -rf "$WORK"
mkdir -p "$WORK"
for database in "$SOURCE_DB" "$RESTORED_DB"; do
  psql -q "$SERVER/postgres" -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)"
done
psql -q "$SERVER/postgres" -c "CREATE DATABASE \"$SOURCE_DB\""

step "load data into $SOURCE_DB"
source_env
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" scripts/drill_check.py seed
"$PY" scripts/drill_check.py snapshot "$WORK/before.json"

step "back up"
# (tee into a file, not /dev/stderr: opening that truncates a log file CI's output may be redirected to.)
scripts/backup.sh "$WORK/backups" | tee "$WORK/backup.log"
backup=$(tail -n 1 "$WORK/backup.log")

step "wipe: drop $SOURCE_DB and delete its private files"
psql -q "$SERVER/postgres" -c "DROP DATABASE \"$SOURCE_DB\" WITH (FORCE)"
rm -rf "$WORK/source"

step "restore into the fresh database $RESTORED_DB"
restored_env
scripts/restore.sh "$backup"

step "a second restore over it is refused without --force"
if scripts/restore.sh "$backup" > "$WORK/refused.log" 2>&1; then
  echo "FAILED: restore into a non-empty database was not refused"; exit 1
fi
grep REFUSED "$WORK/refused.log"

step "the code's migrations on the restored database (none should be missing)"
# Not `cmd && echo ok`: under set -e a failing command on the left of && stops nothing (it would pass silently).
if "$PY" manage.py migrate --check --verbosity 0; then
  echo "ok: no unapplied migration"
else
  echo "FAILED: the restored database lacks migrations of this code"; exit 1
fi

step "compare what was restored with what was backed up"
"$PY" scripts/drill_check.py snapshot "$WORK/after.json"
"$PY" scripts/drill_check.py compare "$WORK/before.json" "$WORK/after.json"

step "the portal serves the restored data (in process)"
"$PY" scripts/drill_check.py serve

step "the portal serves the restored data (gunicorn on 127.0.0.1:$PORT)"
.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 1 --access-logfile - --error-logfile "$WORK/gunicorn.log" \
  members_portal.wsgi > "$WORK/gunicorn-access.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null -w "ok: GET /healthz -> %{http_code}\n" "http://127.0.0.1:$PORT/healthz"
curl -fsS -o /dev/null -w "ok: GET / -> %{http_code}\n" "http://127.0.0.1:$PORT/"
read -r session_key request_url reference <<<"$("$PY" scripts/drill_check.py session)" || true
if [ -n "${session_key:-}" ]; then
  page=$(curl -fsS -H "Cookie: sessionid=$session_key" "http://127.0.0.1:$PORT$request_url")
  if grep -q "$reference" <<<"$page"; then
    echo "ok: member's request page $request_url shows $reference"
  else
    echo "FAILED: member's request page $request_url does not show $reference"; exit 1
  fi
else
  echo "skipped: no request in the restored data to open over HTTP"
fi

echo
echo "restore drill passed in $((SECONDS - started)) s"
