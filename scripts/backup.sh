#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the private files (attachments,
# receipts, reports) as one folder with a checksum file.
#
#   scripts/backup.sh [DEST]          DEST defaults to $BACKUP_DIR, else var/backups
#   scripts/backup.sh --keep 14 DEST  also delete all but the newest 14 backups in DEST
#
# Reads the same settings as the portal (DATABASE_URL, PRIVATE_MEDIA_ROOT, STORAGE_BACKEND from the environment
# or .env). Prints the new backup's folder on its last line. Restore with scripts/restore.sh.
# The database is dumped first, then the files: every file a row of the dump points at was written before that
# row was committed, so it is in the archive (later files may be too; they are harmless).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

keep=0
dest=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) dest=$1; shift ;;
  esac
done
dest=${dest:-${BACKUP_DIR:-var/backups}}

eval "$("$PY" scripts/portal_env.py)"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dest/portal-$stamp"
mkdir -p "$out"
chmod 700 "$out"
started=$SECONDS

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$out/database.dump"
echo "database $PGDATABASE: $(du -h "$out/database.dump" | cut -f1)"

if [ "$STORAGE_BACKEND" = "filesystem" ]; then
  mkdir -p "$PRIVATE_MEDIA_ROOT"
  tar --create --gzip --file "$out/private-files.tar.gz" --directory "$PRIVATE_MEDIA_ROOT" .
  echo "private files from $PRIVATE_MEDIA_ROOT: $(find "$PRIVATE_MEDIA_ROOT" -type f | wc -l) files," \
    "$(du -h "$out/private-files.tar.gz" | cut -f1)"
else
  echo "private files are in the object store (STORAGE_BACKEND=$STORAGE_BACKEND): keep the bucket versioned" \
    "and replicated; they are not in this backup" | tee "$out/PRIVATE-FILES-IN-OBJECT-STORE"
fi

{
  echo "created_utc=$stamp"
  echo "database=$PGDATABASE"
  echo "code_commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump=$(pg_dump --version)"
  echo "storage_backend=$STORAGE_BACKEND"
} > "$out/MANIFEST"
(cd "$out" && sha256sum -- * > SHA256SUMS)

if [ "$keep" -gt 0 ]; then
  # Names sort by time; keep the newest $keep.
  find "$dest" -maxdepth 1 -type d -name 'portal-*' | sort | head -n "-$keep" | while read -r old; do
    echo "removing old backup $old"
    rm -rf -- "$old"
  done
fi

echo "backup done in $((SECONDS - started)) s:"
echo "$out"
