"""The fault drill: production-shaped processes, members at work, and one fault after another. CI runs it.

    .venv/bin/python scripts/fault_drill.py

Starts its own PostgreSQL and Redis (own ports, own folders under a temporary folder), two gunicorns, two Celery
workers and one beat, an SMS gateway sink; members submit requests with a document and the cooperative sends
announcements, while the drill injects in turn: Redis stopped, Redis frozen (SIGSTOP), both workers killed with
SIGKILL (one mid-delivery of an announcement, one mid-render of a receipt), PostgreSQL restarted mid-delivery, a
second beat, concurrent double submits. After each fault it waits for recovery and prints one JSON line:

    {"fault": "redis_frozen", "submitted": 42, "lost": 0, "duplicated": 0, "receipts_missing": 0,
     "recovery_s": 4.1, "max_submit_ms": 15180}

Delivery is counted where providers received it (the SMS sink, the e-mail each machine wrote), never from the
outbox's rows. Exits 1 if anything was lost or delivered twice, a receipt is missing, or recovery took over 120 s.
Settings are production's (DEBUG off) except the per-member submission limits (see ENV below).
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import Cluster, log
from drill_services import PrivatePostgres, SmsSink, attachment_files, deliveries, rendering, seed_code, wait
from portal_http import Browser, fill, multipart, parse_forms

PORTS = {"web_a": 8241, "web_b": 8242, "postgres": 8251, "redis": 8252, "sms": 8253}
RECOVERY_LIMIT_S = 120
FAULTS = ["redis_stopped", "redis_frozen", "worker_killed", "postgres_restarted", "second_beat", "double_submit"]
SUBMITTERS, AUDIENCE = 4, 150  # members submitting; members an announcement goes to (submitters included)
PASSWORD = "Fault-Drill-2026"
ENV = {
    "SMS_BACKEND": "gateway",
    "SMS_GATEWAY_URL": f"http://127.0.0.1:{PORTS['sms']}/send",
    # The sink drops a repeat of a reference, as a provider with its duplicate check on does.
    "SMS_GATEWAY_DROPS_REPEATS": "1",
    # The drill's four members submit far more than a member may (5 in 10 minutes in production).
    "REQUEST_SUBMISSION_LIMITS": "100000/600,100000/86400",
}

ANNOUNCE = """
from members.announcements import send_announcement
from members.models import User
send_announcement(by=User.objects.get(username="drill.admin"), title_ar="MARKER", title_en="MARKER",
                  body_ar="اجتماع الجمعية يوم الخميس", body_en="The assembly meets on Thursday", segment="all")
"""


class Drill:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.postgres = PrivatePostgres(work / "postgres", PORTS["postgres"])
        self.cluster = Cluster(
            work / "machines", "portal_drill", redis_port=PORTS["redis"],
            server=f"postgres://postgres@127.0.0.1:{PORTS['postgres']}",
        )  # fmt: skip
        self.cluster.base_env.update(ENV)
        self.cluster.work.mkdir(parents=True)
        self.sink = SmsSink(PORTS["sms"])
        self.markers: dict[str, str] = {}
        self.expected: set = set()  # (channel, recipient, subject) of this phase
        self.references: list[str] = []  # of this phase
        self.submit_ms: list[float] = []
        self.lock = threading.Lock()
        self.browsers: list[tuple[Browser, dict]] = []
        self.code = ""
        self.results: list[dict] = []
        self.double_stored: list[list[str]] = []
        self.uploads = 0
        self.last_note = 0.0
        self.restarts: list[str] = []
        self.stopping = False
        self.chosen = FAULTS

    # --- set-up ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        log("--> own PostgreSQL and Redis, migrate, seed")
        self.postgres.start()
        self.cluster.fresh_database()
        self.cluster.start_redis()
        self.cluster.manage("migrate", "--noinput", "--verbosity", "0")
        self.cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
        codes = json.loads(self.cluster.python(seed_code(AUDIENCE, SUBMITTERS, PASSWORD)).strip().splitlines()[-1])
        log("--> two gunicorns, two workers, one beat")
        self.cluster.start_web("a", PORTS["web_a"], workers=1, threads=4)
        self.cluster.start_web("b", PORTS["web_b"], workers=1, threads=4)
        for machine in ("a", "b"):
            self.cluster.start_worker(machine)
        self.cluster.start_beat("a")
        self.cluster.wait_for_workers(2)
        threading.Thread(target=self.supervise, daemon=True).start()
        for n in range(SUBMITTERS):
            browser = Browser(f"http://127.0.0.1:{PORTS['web_a' if n % 2 else 'web_b']}")
            browser.log_in(f"drill{n}@najran-coffee.example", PASSWORD)
            self.browsers.append((browser, {"mobile": f"+9665000{n:05d}", "email": f"drill{n}@najran-coffee.example"}))
        browser, _member = self.browsers[0]
        for code in codes:  # the first service whose form this filler completes
            if self.submit_once(browser, self.browsers[0][1], code):
                self.code = code
                break
        if not self.code:
            raise RuntimeError(f"no service form could be submitted (tried {codes})")

    # --- systemd's part: Restart=on-failure, RestartSec=5 (deploy/systemd) ---------------------------------------
    def supervise(self) -> None:
        """Restart a worker or beat that died, 5 s later, as systemd does in production; each restart is reported."""
        starters = {"a:worker": self.cluster.start_worker, "b:worker": self.cluster.start_worker}
        starters["a:beat"] = self.cluster.start_beat
        while not self.stopping:
            dead = [name for name in starters if self.cluster.processes[name].poll() is not None]
            if dead:
                time.sleep(5)
                for name in dead:
                    log(f"    {name} exited ({self.cluster.processes[name].returncode}): restarted")
                    starters[name](name.split(":")[0])
                    with self.lock:
                        self.restarts.append(name)
            time.sleep(0.5)

    # --- members at work -------------------------------------------------------------------------------------
    def expect_request(self, member: dict, reference: str) -> None:
        with self.lock:
            self.references.append(reference)
            self.expected.update({("sms", member["mobile"], reference), ("email", member["email"], reference)})

    def submit_once(self, browser: Browser, member: dict, code: str) -> bool:
        try:
            form = browser.get(f"/requests/new/{code}/")
            started = time.perf_counter()
            response = browser.post_form(form, action_contains="/requests/new/")
            elapsed = (time.perf_counter() - started) * 1000
        except Exception:
            return False  # the member saw an error (a refused connection): nothing was promised
        reference = response.url.rstrip("/").rsplit("/", 1)[-1]
        if response.status != 200 or not reference.startswith("NJC-"):
            return False
        with self.lock:
            self.submit_ms.append(elapsed)
        self.expect_request(member, reference)
        return True

    def load(self, seconds: float, pause: float = 1.2) -> list[threading.Thread]:
        stop = time.monotonic() + seconds

        def work(browser: Browser, member: dict) -> None:
            while time.monotonic() < stop:
                self.submit_once(browser, member, self.code)
                time.sleep(pause)

        threads = [threading.Thread(target=work, args=pair) for pair in self.browsers]
        for thread in threads:
            thread.start()
        return threads

    def announce(self, name: str) -> None:
        marker = f"تمرين-{name}"
        self.markers[marker] = name
        for n in range(AUDIENCE):
            self.expected.update(
                {("sms", f"+9665000{n:05d}", name), ("email", f"drill{n}@najran-coffee.example", name)}
            )
        self.cluster.python(ANNOUNCE.replace("MARKER", marker))

    def double_submits(self, count: int) -> float:
        """Each member posts one form twice at the same moment (two taps): one request, one upload, one message."""
        before = attachment_files(self.cluster.work / "shared" / "private")
        for _ in range(count):
            for browser, member in self.browsers:
                form = parse_forms(browser.get(f"/requests/new/{self.code}/").text)
                form = next(
                    f for f in form if f.method == "post" and "/requests/new/" in (f.action or "/requests/new/")
                )
                body, content_type = multipart(*fill(form))
                action = form.action or f"/requests/new/{self.code}/"
                barrier, references = threading.Barrier(2), []
                post = (barrier, action, body, content_type, references)
                twins = [Browser(browser.base) for _ in range(2)]
                for twin in twins:
                    twin.cookies = dict(browser.cookies)
                threads = [threading.Thread(target=self._post_twin, args=(twin, *post)) for twin in twins]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                if len(set(references)) != 1 or not references[0].startswith("NJC-"):
                    self.double_stored.append(references)
                else:
                    self.expect_request(member, references[0])
        self.uploads = attachment_files(self.cluster.work / "shared" / "private") - before
        return time.monotonic()

    def _post_twin(self, twin: Browser, barrier, action: str, body: bytes, content_type: str, references: list) -> None:
        barrier.wait()
        started = time.perf_counter()
        response = twin.request("POST", action, body=body, headers={"Content-Type": content_type})
        with self.lock:
            self.submit_ms.append((time.perf_counter() - started) * 1000)
        references.append(response.url.rstrip("/").rsplit("/", 1)[-1])

    # --- the faults: each returns the moment it ended ------------------------------------------------------------
    def load_around(self, fault_seconds: float, begin, end) -> float:
        """Members submit for 4 s, through the fault (begin, then end after fault_seconds) and 4 s after it."""
        threads = self.load(4 + fault_seconds + 4)
        time.sleep(4)
        begin()
        time.sleep(fault_seconds)
        end()
        ended = time.monotonic()
        for thread in threads:
            thread.join()
        return ended

    def kill_workers(self) -> float:
        """SIGKILL worker a mid-delivery of an announcement and worker b mid-render of a receipt; systemd restarts."""
        threads = self.load(20)
        sent_before = len(self.sink.received())
        self.announce("worker_killed")
        wait(lambda: len(self.sink.received()) > sent_before + 40, timeout=20, interval=0.1)
        os.killpg(self.cluster.processes["a:worker"].pid, signal.SIGKILL)  # mid-delivery of the announcement
        log_b = self.cluster.work / "b" / "worker.log"
        if not wait(lambda: rendering(log_b), timeout=15, interval=0.05):
            log("    no receipt was rendering on worker b: killed anyway")
        os.killpg(self.cluster.processes["b:worker"].pid, signal.SIGKILL)  # mid-render of a receipt
        wait(lambda: len(self.restarts) >= 2, timeout=30, interval=0.2)  # systemd restarts both
        ended = time.monotonic()
        for thread in threads:
            thread.join()
        return ended

    def restart_postgres(self, sent_before: int) -> float:
        """Restart PostgreSQL mid-delivery of an announcement, once 40 SMS more than sent_before reached the sink."""
        threads = self.load(12)
        self.announce("postgres_restarted")
        wait(lambda: len(self.sink.received()) > sent_before + 40, timeout=20, interval=0.1)
        self.postgres.restart()
        ended = time.monotonic()
        for thread in threads:
            thread.join()
        return ended

    def second_beat(self) -> float:
        """A second beat on machine b for 35 s of members' load, then stopped."""
        self.cluster.start_beat("b")
        threads = self.load(35)  # a minute's periodic work runs twice over (the outbox sweep every 60 s)
        for thread in threads:
            thread.join()
        os.killpg(self.cluster.processes["b:beat"].pid, signal.SIGTERM)
        return time.monotonic()

    # --- what reached members --------------------------------------------------------------------------------
    def missing_receipts(self) -> int:
        if not self.references:
            return 0
        import psycopg2

        db = psycopg2.connect(host="127.0.0.1", port=PORTS["postgres"], user="postgres", dbname="portal_drill")
        try:
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT r.file FROM requests_app_servicerequest s JOIN requests_app_receipt r "
                    "ON r.service_request_id = s.id AND r.kind = 'submitted' WHERE s.reference_no = ANY(%s)",
                    (self.references,),
                )
                rows = cursor.fetchall()
        finally:
            db.close()
        private = self.cluster.work / "shared" / "private"
        on_disk = sum(1 for (name,) in rows if (private / name).is_file())
        return len(set(self.references)) - on_disk

    def state(self) -> tuple[int, int, int]:
        counts = deliveries(self.sink, [self.cluster.work / m / "mail" for m in ("a", "b")], self.markers)
        missing = [key for key in self.expected if counts[key] == 0]
        lost = len(missing)
        if missing and time.monotonic() - self.last_note > 10:
            self.last_note = time.monotonic()
            log(f"    waiting for {lost} message(s), e.g. {missing[0]}; the SMS sink has {len(self.sink.received())}")
            if self.sink.received():
                log(f"    last SMS: {self.sink.received()[-1]}")
        duplicated = sum(counts[key] - 1 for key in self.expected if counts[key] > 1)
        try:
            receipts = self.missing_receipts()
        except __import__("psycopg2").OperationalError:  # PostgreSQL not back yet
            receipts = len(self.references)
        return lost, duplicated, receipts

    def phase(self, fault: str, inject) -> dict | None:
        if fault not in self.chosen:
            return None
        log(f"--> {fault}")
        self.expected, self.references, self.submit_ms, self.double_stored = set(), [], [], []
        self.restarts = []
        started = time.monotonic()
        fault_ended = inject()  # returns the moment the fault ended
        recovered = wait(lambda: (lambda s: s[0] == 0 and s[2] == 0)(self.state()), timeout=RECOVERY_LIMIT_S + 30)
        recovery = time.monotonic() - fault_ended
        time.sleep(2)  # a late duplicate has a moment to show
        lost, duplicated, receipts = self.state()
        result = {
            "fault": fault,
            "submitted": len(set(self.references)),
            "lost": lost,
            "duplicated": duplicated + len(self.double_stored),
            "receipts_missing": receipts,
            "recovery_s": round(recovery, 1) if recovered else None,
            "max_submit_ms": round(max(self.submit_ms, default=0)),
            "phase_s": round(time.monotonic() - started, 1),
            "restarted": self.restarts,
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
        self.results.append(result)
        return result


def run_faults(drill: Drill, problems: list[str]) -> None:
    """The chosen faults in turn, one phase each; the double submits must store one upload per request."""
    cluster = drill.cluster
    drill.phase("redis_stopped", lambda: drill.load_around(15, cluster.stop_redis, cluster.start_redis))
    frozen = cluster.processes["redis"]
    drill.phase(
        "redis_frozen",
        lambda: drill.load_around(
            15, lambda: os.kill(frozen.pid, signal.SIGSTOP), lambda: os.kill(frozen.pid, signal.SIGCONT)
        ),
    )
    drill.phase("worker_killed", drill.kill_workers)
    sent_before = len(drill.sink.received())
    drill.phase("postgres_restarted", lambda: drill.restart_postgres(sent_before))
    drill.phase("second_beat", drill.second_beat)
    result = drill.phase("double_submit", lambda: drill.double_submits(3))
    if result and drill.uploads != result["submitted"]:
        problems.append(f"double submits: {drill.uploads} files stored for {result['submitted']} requests")


def shut_down(drill: Drill, work: Path) -> None:
    """Stop everything the drill started, keeping what the SMS sink received in the work folder."""
    drill.stopping = True
    cluster = drill.cluster
    if "redis" in cluster.processes:
        os.kill(cluster.processes["redis"].pid, signal.SIGCONT)  # stopped mid-freeze: let everything shut down
    with open(work / "sms-received.jsonl", "w", encoding="utf-8") as received:
        received.writelines(json.dumps(m, ensure_ascii=False) + "\n" for m in drill.sink.received())
    cluster.stop_all()
    drill.postgres.stop()
    drill.sink.stop()


def report(drill: Drill, problems: list[str], started: float, work: Path) -> int:
    """The phases' losses, repeats and recoveries checked, the drill's JSON line and log lines: the exit code."""
    for result in drill.results:
        if result["lost"] or result["duplicated"] or result["receipts_missing"]:
            problems.append(f"{result['fault']}: lost, duplicated or missing receipts: {result}")
        if result["recovery_s"] is None or result["recovery_s"] > RECOVERY_LIMIT_S:
            problems.append(f"{result['fault']}: no recovery within {RECOVERY_LIMIT_S} s")
    total = round(time.monotonic() - started, 1)
    print(json.dumps({"drill_s": total, "faults": len(drill.results), "problems": problems}, ensure_ascii=False))
    for problem in problems:
        log(f"FAILED: {problem}")
    if problems:
        log(f"logs kept in {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


def main() -> int:
    """Start the drill's processes, run the chosen faults, stop everything and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--faults", default=",".join(FAULTS), help=f"comma-separated, of {', '.join(FAULTS)}")
    chosen = parser.parse_args().faults.split(",")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop everything it started (the finally below)
    work = Path(tempfile.mkdtemp(prefix="fault-drill-"))
    os.chmod(work, 0o755)  # noqa: S103 (PostgreSQL runs as its own user below it)
    drill = Drill(work)
    drill.chosen = chosen
    problems: list[str] = []
    try:
        drill.start()
        log(f"--> ready after {time.monotonic() - started:.0f} s; service {drill.code}")
        run_faults(drill, problems)
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    finally:
        shut_down(drill, work)
    return report(drill, problems, started, work)


if __name__ == "__main__":
    sys.exit(main())
