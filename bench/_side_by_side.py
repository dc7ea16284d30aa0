"""Two versions of the portal side by side on the staff queue benchmark's data: which is faster, on a machine whose
speed drifts by a third within minutes.

    .venv/bin/python bench/_side_by_side.py <git revision> [path ...]
    (default paths: four queue pages; QUEUE_REQUESTS chooses the data, SIDE_ROUNDS and SIDE_RUNS the repetitions)

The revision is checked out in a temporary git worktree (with this checkout's bench helpers); each version serves
the same pages in a process of its own (Django's test client, DEBUG off, the bench's staff member signed in), taking
turns in random order, SIDE_RUNS requests a turn, SIDE_ROUNDS turns a page. Prints the median wall and CPU
milliseconds of each version and its SQL queries a page, with the load average. Not run by `make bench` (a tool for
comparing, not a figure of the portal).
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/requests/staff/queue/?status=open&sort=due",
    "/requests/staff/queue/?view=late&sort=-submitted",
    "/requests/staff/queue/?governorate=najran&sort=due",
    "/requests/staff/queue/?service=30&sort=reference",
]


def serve(root: str) -> None:
    """One version's process: answers {"path", "runs"} lines with timings, {"path", "queries": true} with a count."""
    sys.path.insert(0, root)
    os.chdir(root)
    from bench import _queue_data
    from bench._common import as_in_production, setup_django, with_second_factor

    setup_django(_queue_data.DATABASE_URL, "bench_queue")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    as_in_production()
    client = Client()
    from django.conf import settings

    staff = User.objects.get(username="bench-q-3-0")
    # A revision from before the second factor has no authenticators to set up.
    client.force_login(with_second_factor(staff) if "allauth.mfa" in settings.INSTALLED_APPS else staff)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        asked = json.loads(line)
        if asked.get("queries"):
            with CaptureQueriesContext(connection) as queries:
                client.get(asked["path"])
            print(json.dumps({"queries": len(queries)}), flush=True)
            continue
        times = []
        for _ in range(asked["runs"]):
            started, cpu = time.perf_counter(), time.process_time()
            if client.get(asked["path"]).status_code != 200:
                raise SystemExit(f"{asked['path']} did not answer 200")
            times.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
        print(json.dumps({"times": times}), flush=True)


class Version:
    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        while not self.process.stdout.readline().startswith('{"ready"'):  # type: ignore[union-attr]
            if self.process.poll() is not None:
                raise SystemExit(f"{name} did not start")
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def ask(self, question: dict) -> dict:
        self.process.stdin.write(json.dumps(question) + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        return json.loads(self.process.stdout.readline())  # type: ignore[union-attr]


def compare(revision: str, paths: list[str]) -> None:
    rounds, runs = int(os.environ.get("SIDE_ROUNDS", "8")), int(os.environ.get("SIDE_RUNS", "5"))
    folder = Path(tempfile.mkdtemp(prefix="side-by-side-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision], check=True)
    try:
        shutil.copytree(ROOT / "locale", folder / "locale", dirs_exist_ok=True)  # the compiled catalogue
        # The benchmark's own helpers are this checkout's, so that a revision older than them serves the same data.
        for helper in ("_common.py", "_queue_data.py"):
            shutil.copy2(ROOT / "bench" / helper, folder / "bench" / helper)
        versions = [Version(revision, folder), Version("this checkout", ROOT)]
        for path in paths:
            for version in versions:
                version.ask({"path": path, "runs": 2})  # warm up
        for _ in range(rounds):
            for path in paths:
                for version in random.sample(versions, len(versions)):
                    times = version.ask({"path": path, "runs": runs})["times"]
                    version.wall.append(statistics.median(wall for wall, _cpu in times))
                    version.cpu.append(statistics.median(cpu for _wall, cpu in times))
        for version in versions:
            queries = version.ask({"path": paths[0], "queries": True})["queries"]
            wall, cpu = statistics.median(version.wall), statistics.median(version.cpu)
            print(f"{version.name}: wall {wall:.2f} ms, CPU {cpu:.2f} ms, {queries} queries ({len(paths)} pages)")
            version.process.stdin.close()  # type: ignore[union-attr]
        print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    elif len(sys.argv) >= 2:
        compare(sys.argv[1], sys.argv[2:] or PAGES)
    else:
        raise SystemExit(__doc__)
