#!/bin/sh
# Keeps `make run`'s Celery worker running: when it dies, says so on the terminal and starts it again.
#   scripts/supervise_worker.sh LOG_FILE COMMAND [ARGS...]
# The command's output goes to LOG_FILE. TERM or INT (make run stopping) stops the worker and this loop.
log="$1"
shift
child=""
stop() {
  if [ -n "$child" ]; then
    kill "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap stop TERM INT
pause=2
while :; do
  started=$(date +%s)
  "$@" >>"$log" 2>&1 &
  child=$!
  wait "$child"
  status=$?
  child=""
  # A worker that keeps dying at once is restarted less and less often (up to a minute apart).
  if [ $(($(date +%s) - started)) -ge 60 ]; then pause=2; elif [ "$pause" -lt 60 ]; then pause=$((pause * 2)); fi
  echo "" >&2
  echo "!! The Celery worker stopped (exit status $status): background work (SMS, e-mail, receipts) waits." >&2
  echo "!! Its log: $log. Starting it again in $pause s." >&2
  sleep "$pause" &
  child=$!
  wait "$child"
  child=""
done
