"""Production-shaped processes on this machine, for scripts/two_machines.py and bench/load.py.

A "machine" here is a set of processes with its own VAR_DIR (its SMS log, its e-mail folder, its logs), sharing
with the other machines only what real machines share: PostgreSQL, Redis (broker and cache), and the private
files (a shared volume). Settings are the production ones (DEBUG off) with loopback addresses. Redis is a
private redis-server on its own port when the binary exists, so that stopping it (the fault test) touches
nobody else; otherwise the machine's Redis with REDIS_FALLBACK_URL.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's .venv, or else the environment of the Python running this (a checkout that uses another one).
VENV = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin" / "gunicorn").exists() else Path(sys.executable).parent
PY = str(VENV / "python")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Cluster:
    def __init__(self, work: Path, database: str, *, redis_port: int = 6391, server: str | None = None) -> None:
        self.work = Path(work)
        self.server = server or os.environ.get("CLUSTER_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
        self.database = database
        self.redis_port = redis_port
        self.processes: dict[str, subprocess.Popen] = {}
        self.own_redis = shutil.which("redis-server") is not None
        if self.own_redis:
            self.redis_url = f"redis://127.0.0.1:{redis_port}"
            broker, cache = f"{self.redis_url}/0", f"{self.redis_url}/1"
        else:
            fallback = os.environ.get("REDIS_FALLBACK_URL", "redis://127.0.0.1:6379/6")
            broker, cache = fallback, fallback
        self.base_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "GUNICORN_"))},
            "DJANGO_SETTINGS_MODULE": "members_portal.settings.base",
            "DEBUG": "",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{self.server}/{database}",
            "CELERY_BROKER_URL": broker,
            "CACHE_URL": cache,
            "CACHE_KEY_PREFIX": f"cluster-{database}",
            "SECURE_SSL_REDIRECT": "0",
            "PRIVATE_MEDIA_ROOT": str(self.work / "shared" / "private"),
            "STATIC_ROOT": str(self.work / "shared" / "static"),
            "SMS_BACKEND": "file",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            # The outbox sweep re-enqueues a message left pending this long (a broker outage): quick here.
            "OUTBOX_PENDING_GRACE_S": "10",
            "SITE_URL": "http://127.0.0.1:8801",
            "PYTHONUNBUFFERED": "1",
        }

    # --- environment of one machine -------------------------------------------------------------------------
    def env(self, machine: str, **extra: str) -> dict:
        var = self.work / machine
        var.mkdir(parents=True, exist_ok=True)
        return {
            **self.base_env,
            "VAR_DIR": str(var),
            "EMAIL_URL": f"file:{var / 'mail'}",
            "SMS_FILE_PATH": str(var / "sms.log"),
            # Simulated members submit as fast as answers come: the per-member limit would refuse most of it.
            "REQUEST_SUBMISSION_LIMITS": "",
            **extra,
        }

    def manage(self, *args: str, machine: str = "a", check: bool = True, quiet: bool = False) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env(machine), capture_output=True, text=True, timeout=900
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        if not quiet and result.stdout.strip():
            print(result.stdout.strip())
        return result.stdout

    def python(self, code: str, machine: str = "a") -> str:
        """Run Django code in a fresh process of `machine` and return what it printed."""
        return self.manage("shell", "--no-imports", "-c", code, machine=machine, quiet=True)

    # --- shared services -------------------------------------------------------------------------------------
    def fresh_database(self) -> None:
        subprocess.run(
            ["psql", "-q", f"{self.server}/postgres", "-c", f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'],
            check=True,
        )
        subprocess.run(
            ["psql", "-q", f"{self.server}/postgres", "-c", f'CREATE DATABASE "{self.database}"'], check=True
        )

    def ensure_database(self) -> None:
        """Create the database when missing; keep it (and its data) when it exists."""
        names = subprocess.run(
            ["psql", "-tA", f"{self.server}/postgres", "-c", "SELECT datname FROM pg_database"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        if self.database not in names:
            subprocess.run(
                ["psql", "-q", f"{self.server}/postgres", "-c", f'CREATE DATABASE "{self.database}"'], check=True
            )

    def start_redis(self) -> None:
        if not self.own_redis:
            return
        log = open(self.work / "redis.log", "w")  # noqa: SIM115 - closed with the process
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        if not self.own_redis:
            raise RuntimeError("no private redis-server to stop (the binary is missing)")
        process = self.processes.pop("redis")
        process.kill()
        process.wait(timeout=10)

    # --- the portal's processes ------------------------------------------------------------------------------
    def _spawn(self, name: str, args: list[str], machine: str, **extra: str) -> subprocess.Popen:
        (self.work / machine).mkdir(parents=True, exist_ok=True)
        log = open(self.work / machine / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env(machine, **extra), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[f"{machine}:{name}"] = process
        return process

    def start_web(self, machine: str, port: int, workers: int = 2, threads: int = 4) -> subprocess.Popen:
        process = self._spawn(
            "web",
            [str(VENV / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "members_portal.wsgi"],
            machine,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS=str(threads),
        )
        wait_for_port(port)
        return process

    def start_worker(self, machine: str, concurrency: int = 2) -> subprocess.Popen:
        return self._spawn(
            "worker",
            [
                str(VENV / "celery"),
                "-A",
                "members_portal",
                "worker",
                "--hostname",
                f"worker-{machine}@%h",
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            machine,
        )

    def start_beat(self, machine: str) -> subprocess.Popen:
        return self._spawn(
            "beat",
            [
                str(VENV / "celery"),
                "-A",
                "members_portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.work / machine / "celerybeat-schedule"),
            ],
            machine,
        )

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        """Until `count` workers answer a ping through the broker."""
        code = (
            "from members_portal.celery import app; import json; "
            "print(json.dumps(sorted(k for r in app.control.ping(timeout=2) for k in r)))"
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answered = json.loads(self.python(code).strip().splitlines()[-1] or "[]")
            if len(answered) >= count:
                return
            time.sleep(1)
        raise TimeoutError(f"fewer than {count} workers answered within {timeout} s")

    def pids(self, name: str) -> list[int]:
        """The process and its children (gunicorn workers, Celery pool processes)."""
        process = self.processes[name]
        pids = [process.pid]
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        return pids

    def stop_all(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM) if name != "redis" else process.terminate()
                except ProcessLookupError:
                    continue
        for name, process in list(self.processes.items()):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL) if name != "redis" else process.kill()
                process.wait(timeout=5)
        self.processes.clear()


def rss_mib(pid: int) -> float:
    """Resident memory of one process (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
