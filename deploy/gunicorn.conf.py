"""gunicorn settings for the portal (systemd: deploy/systemd/members-portal-web.service).

    gunicorn -c deploy/gunicorn.conf.py members_portal.wsgi

Each value can be changed from the environment file without editing this one. `systemctl reload` sends HUP:
gunicorn starts workers on the new code and lets the old ones finish their requests (no dropped request).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core is plenty for a portal whose slow parts (SMS, e-mail, PDFs) run in Celery.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# nginx buffers slow clients; a request that takes longer than this is a bug, not a slow phone.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that memory stays bounded (goal: at most 200 MiB each).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Not preloaded: a reload (HUP) must load the new code in the new workers.
preload_app = False
# Only the local nginx may say which client and scheme a request came with.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Under systemd the worker temp files go to memory, not a disk that may be slow or full.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn heartbeat files)

# Logs to stdout/stderr (journald). The access log is one JSON object per line with the request id
# that Django put on the response (members_portal/request_id.py), so an access line and the
# application's log lines of the same request can be joined.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": %(B)s, "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s", "client": "%({x-real-ip}i)s"}'
)
proc_name = "members-portal"
# gunicorn 24+ opens a control socket (for gunicornc), by default in ~/.gunicorn/: the service account's home,
# which the unit's ProtectSystem=strict makes read-only (a warning at every start). Under systemd it goes into the
# unit's RuntimeDirectory (/run/members-portal-web) instead. (Older gunicorns ignore this setting.)
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
