"""The fault drill's own services (scripts/fault_drill.py): a private PostgreSQL it can restart, and the providers'
side of delivery: an SMS gateway sink that records every message it is handed, and the e-mail each machine's
file backend wrote. The drill counts what these received, never what the portal's database says was sent.
"""

import contextlib
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cluster import wait_for_port

REFERENCE = re.compile(r"NJC-\d{4}-\d{6}")


class PrivatePostgres:
    """initdb into a folder of the drill's own, one port; restartable. As root, the server runs as `postgres`."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "pgdata"
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        self.bin = candidates[-1] if candidates else Path(os.path.dirname(shutil.which("initdb") or "/usr/bin/x"))
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._ctl("start")

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "postgres.log"),
            "-o", options, "-m", "fast", "-w", "-t", "60", action,
        )  # fmt: skip
        if action != "stop":
            wait_for_port(self.port)

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop")


class SmsSink:
    """An SMS gateway on loopback: answers 200 to every POST and records it (to, text, client reference if any)."""

    def __init__(self, port: int) -> None:
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                message = json.loads(self.rfile.read(length) or b"{}")
                with sink.lock:
                    sink.messages.append(message)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "15")
                self.end_headers()
                self.wfile.write(b'{"status": "ok"}'[:15])

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self) -> list[dict]:
        with self.lock:
            return list(self.messages)

    def stop(self) -> None:
        self.server.shutdown()


def message_key(to: str, text: str, markers: dict[str, str]) -> tuple[str, str] | None:
    """What a message is about: (recipient, request reference) or (recipient, announcement marker)."""
    found = REFERENCE.search(text)
    if found:
        return (to, found.group())
    for marker, name in markers.items():
        if marker in text:
            return (to, name)
    return None


def deliveries(sink: SmsSink, mail_folders: list[Path], markers: dict[str, str]) -> Counter:
    """How many times each (channel, recipient, subject) reached its provider. A repeat carrying the same client
    reference (SMS) or Message-ID (e-mail) counts once: a provider drops it, a mailbox shows it once."""
    counts: Counter = Counter()
    seen_references: set = set()
    for message in sink.received():
        reference = message.get("reference") or message.get("client_reference")
        if reference and reference in seen_references:
            continue
        seen_references.add(reference)
        if "to" not in message:
            continue  # a request cut off mid-body (its worker killed): the provider refuses it, nothing is sent
        key = message_key(str(message["to"]), message.get("text", ""), markers)
        if key:
            counts[("sms", *key)] += 1
    for folder in mail_folders:
        if not folder.exists():
            continue
        for path in sorted(folder.iterdir()):
            # Django's file backend may append several messages to one file, separated by a line of 79 dashes.
            for raw in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
                if not raw.strip():
                    continue
                message = email.message_from_string(raw.strip(), policy=email.policy.default)
                if message["Message-ID"] in seen_references:
                    continue  # the outbox resent it with the same Message-ID: one message in the member's mailbox
                seen_references.add(message["Message-ID"])
                body = message.get_body(("plain",))
                text = f"{message['Subject']}\n{body.get_content() if body else ''}"
                to = message["To"].addresses[0].addr_spec if message["To"] else ""
                key = message_key(to, text, markers)
                if key:
                    counts[("email", *key)] += 1
    return counts


def wait(predicate, timeout: float, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def rendering(worker_log: Path) -> bool:
    """A receipt task received and not yet finished, by the worker's log."""
    text = worker_log.read_text(errors="replace") if worker_log.exists() else ""
    received = set(re.findall(r"render_submission_receipt\[([0-9a-f-]+)\] received", text))
    done = set(re.findall(r"render_submission_receipt\[([0-9a-f-]+)\] (?:succeeded|retry|raised)", text))
    return bool(received - done)


def attachment_files(private: Path) -> int:
    folder = private / "attachments"
    return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0


def seed_code(audience: int, submitters: int, password: str) -> str:
    """Django code (run in the portal's shell) that creates the drill's members and prints the services they may
    ask for: `audience` members, the first `submitters` of them with an account (mobile +9665000NNNNN)."""
    values = {"PASSWORD": password, "AUDIENCE": str(audience), "SUBMITTERS": str(submitters)}
    code = SEED
    for name, value in values.items():
        code = code.replace(name, value)
    return code


SEED = """
import json
from django.contrib.auth.models import Group
from members.models import Member, User
from members.roles import Role
from requests_app.models import RequestType
from requests_app.services import check_may_request
group = Group.objects.get_or_create(name=Role.MEMBER.value)[0]
User.objects.create_superuser("drill.admin", "drill.admin@najran-coffee.example", "PASSWORD")
members = []
for n in range(AUDIENCE):
    user = None
    if n < SUBMITTERS:
        user = User.objects.create_user(f"drill{n}", f"drill{n}@najran-coffee.example", "PASSWORD",
                                        phone=f"+9665000{n:05d}", phone_verified=True)
        user.groups.add(group)
    members.append(Member(user=user, national_id=f"10{n:08d}", membership_no=f"FD-{n:04d}",
                          full_name_ar=f"عضو التمرين {n}", mobile=f"+9665000{n:05d}", governorate="najran",
                          email=f"drill{n}@najran-coffee.example", status="active", sms_consent=True,
                          email_consent=True))
Member.objects.bulk_create(members)
codes = []
for request_type in RequestType.objects.filter(active=True).order_by("pk"):
    try:
        check_may_request(member=members[0], request_type=request_type)
    except Exception:
        continue
    if not getattr(request_type, "needs_board_decision", False):
        codes.append(request_type.code)
from requests_app.models import RequestDocument
for code in codes:  # every form the drill may use asks for a document: submissions carry an upload
    request_type = RequestType.objects.get(code=code)
    if not request_type.documents.filter(active=True, required=True).exists():
        RequestDocument.objects.create(request_type=request_type, name_ar="صورة الهوية الوطنية",
                                       name_en="National ID copy", required=True)
print(json.dumps(codes))
"""
