"""A Redis server of a test's own, which the test may stop, freeze (SIGSTOP) and thaw: the real shape of an outage.

A closed port refuses at once; a frozen Redis accepts the connection and never answers, which is what hangs a
process without socket timeouts. The server listens on a free port (OWN_REDIS_PORTS="8221-8239" limits the
choice to a range) and keeps nothing on disk. Without redis-server the tests skip, except with CI=true.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    wanted = os.environ.get("OWN_REDIS_PORTS", "")
    candidates = range(int(wanted.split("-")[0]), int(wanted.split("-")[1]) + 1) if wanted else [0]
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in OWN_REDIS_PORTS={wanted}")


class OwnRedis:
    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process, self.port = process, port

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def freeze(self, for_s: float | None = None) -> None:
        """SIGSTOP; with `for_s` it thaws by itself after that long (code that hangs then fails, not hangs forever)."""
        self.process.send_signal(signal.SIGSTOP)
        if for_s is not None:
            timer = threading.Timer(for_s, self.thaw)
            timer.daemon = True
            timer.start()

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def own_redis(folder: Path) -> Iterator[OwnRedis]:
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    redis = OwnRedis(process, port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield redis
    finally:
        redis.thaw()
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def frozen_redis_server(tmp_path) -> Iterator[OwnRedis]:
    """A Redis of the test's own: the test freezes it when it chooses (thawed and stopped afterwards)."""
    with own_redis(tmp_path) as redis:
        yield redis
