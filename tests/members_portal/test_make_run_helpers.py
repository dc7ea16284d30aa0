"""`make run`'s helpers: the worker is restarted (and the terminal told) when it dies, and commands run beside
the server print links to the server it started."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SUPERVISOR = ROOT / "scripts" / "supervise_worker.sh"


def _wait_for(predicate, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_that_dies_is_announced_and_started_again(tmp_path):
    runs = tmp_path / "runs"
    log = tmp_path / "worker.log"
    supervisor = subprocess.Popen(
        [str(SUPERVISOR), str(log), "sh", "-c", f"echo run >> {runs}; echo 'JSONDecodeError'; exit 3"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert _wait_for(lambda: runs.exists() and runs.read_text().count("run") >= 2)
    finally:
        os.killpg(supervisor.pid, signal.SIGTERM)
        _out, told = supervisor.communicate(timeout=10)

    assert "The Celery worker stopped (exit status 3)" in told
    assert str(log) in told
    assert "JSONDecodeError" in log.read_text()


def test_stopping_make_run_stops_the_worker_too(tmp_path):
    pid_file = tmp_path / "worker.pid"
    supervisor = subprocess.Popen(
        [str(SUPERVISOR), str(tmp_path / "worker.log"), "sh", "-c", f"echo $$ > {pid_file}; exec sleep 300"],
        stderr=subprocess.PIPE,
    )
    assert _wait_for(lambda: pid_file.exists() and pid_file.read_text().strip())
    worker_pid = int(pid_file.read_text())

    supervisor.send_signal(signal.SIGTERM)  # make run's EXIT trap kills the supervisor alone
    supervisor.wait(timeout=10)

    assert _wait_for(lambda: not Path(f"/proc/{worker_pid}").exists(), timeout=5)


def _site_url_seen_by_a_command(var_dir: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(VAR_DIR=str(var_dir), DEBUG="1", DJANGO_SETTINGS_MODULE="members_portal.settings.base")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_a_command_run_beside_make_run_links_to_its_server(tmp_path):
    (tmp_path / "site_url").write_text("http://127.0.0.1:8165\n", encoding="utf-8")

    assert _site_url_seen_by_a_command(tmp_path) == "http://127.0.0.1:8165"


def test_without_make_run_running_links_use_the_default(tmp_path):
    assert _site_url_seen_by_a_command(tmp_path) == "http://127.0.0.1:8000"


@pytest.mark.parametrize("line", ['echo "$$SITE_URL" > $${VAR_DIR:-var}/site_url', "rm -f $${VAR_DIR:-var}/site_url"])
def test_make_run_records_its_address_and_removes_it_when_it_stops(line):
    assert line in (ROOT / "Makefile").read_text(encoding="utf-8")
