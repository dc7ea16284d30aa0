"""A stand-in for WhatsApp's Cloud API beside the SMS providers' fakes (fake_providers): a small HTTP server on
127.0.0.1, in a thread, answering as the Graph API does, and posting signed webhooks to the portal as Meta does. For
tests, the benchmark and drills; `make run` does not use it (WHATSAPP_BACKEND=file).

    with FakeWhatsApp() as fake:
        settings.WHATSAPP_API_URL = fake.url
        fake.mode = "refuse"                 # the next answers refuse the message (HTTP 400, error 131026)

Modes: "ok" (takes the message, answers its wamid), "refuse" (400: not a WhatsApp user), "server_error" (503, takes
nothing), "slow" (takes the message, answers after `slow_s`); `script`, when set, gives each request's mode in
turn. `taken` lists what reached a phone.
`status(...)` and `message(...)` post a status or a member's message to the portal's webhook, signed with the app
secret (or with a wrong one, `secret="…"`); `times=2` posts it twice, as Meta does when an answer is slow.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCESS_TOKEN = "fake-whatsapp-token"  # noqa: S105 (the fake's own, for tests)
PHONE_NUMBER_ID = "100200300400500"
APP_SECRET = "fake-whatsapp-app-secret"  # noqa: S105 (the fake's own, for tests)
MODES = ("ok", "refuse", "server_error", "slow")


@dataclass(frozen=True)
class Taken:
    to: str
    kind: str  # "template" or "text"
    template: str
    language: str
    params: tuple[str, ...]
    text: str
    reference: str
    message_id: str


def signature(body: bytes, secret: str) -> str:
    """X-Hub-Signature-256 as Meta computes it: sha256= and the HMAC-SHA256 of the raw body with the app secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


class FakeWhatsApp:
    def __init__(self, *, port: int = 0, latency_s: float = 0.0, slow_s: float = 3.0):
        self.mode = "ok"
        self.script: Iterator[str] | None = None  # a mode per request, in turn (a drill's mix of faults)
        self.latency_s = latency_s
        self.slow_s = slow_s
        self.taken: list[Taken] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", port), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-whatsapp", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeWhatsApp":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeWhatsApp":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def taken_more_than_once(self) -> dict[str, int]:
        """References a phone got twice or more."""
        counts = Counter(message.reference for message in self.taken if message.reference)
        return {reference: count for reference, count in counts.items() if count > 1}

    def _handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict]:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        with self._lock:
            self.requests += 1
            mode = next(self.script) if self.script is not None else self.mode
        if not handler.path.endswith(f"/{PHONE_NUMBER_ID}/messages"):
            return 404, {"error": {"message": "Unknown path", "code": 100}}
        if self.latency_s:
            time.sleep(self.latency_s)
        if mode == "server_error":
            return 503, {"error": {"message": "Service temporarily unavailable", "code": 2}}
        if handler.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return 401, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"error": {"message": "Invalid JSON", "code": 100}}
        if mode == "refuse":
            return 400, {
                "error": {
                    "message": "(#131026) Message undeliverable",
                    "code": 131026,
                    "error_data": {"details": "The recipient is not a WhatsApp user"},
                }
            }
        template = body.get("template") or {}
        components = template.get("components") or [{}]
        message_id = f"wamid.FAKE{next(self._ids):08d}"
        taken = Taken(
            to=str(body.get("to", "")),
            kind=str(body.get("type", "")),
            template=str(template.get("name", "")),
            language=str((template.get("language") or {}).get("code", "")),
            params=tuple(param.get("text", "") for param in components[0].get("parameters", [])),
            text=str((body.get("text") or {}).get("body", "")),
            reference=str(body.get("biz_opaque_callback_data", "")),
            message_id=message_id,
        )
        with self._lock:
            self.taken.append(taken)
        if mode == "slow":
            time.sleep(self.slow_s)
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": taken.to, "wa_id": taken.to}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                status, body = fake._handle(self)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        return Handler


# --- Webhooks, as Meta posts them -----------------------------------------------------------------------------


def _envelope(value: dict) -> dict:
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": PHONE_NUMBER_ID}, **value}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def status_payload(message_id: str, status: str, *, reference: str = "", error_code: int = 0) -> dict:
    """A status webhook: sent, delivered, read or failed (with an error)."""
    entry = {"id": message_id, "status": status, "timestamp": str(int(time.time())), "recipient_id": "966500000000"}
    if reference:
        entry["biz_opaque_callback_data"] = reference
    if status == "failed":
        entry["errors"] = [{"code": error_code or 131026, "title": "Message undeliverable"}]
    return _envelope({"statuses": [entry]})


def message_payload(from_number: str, *, text: str = "", kind: str = "text", message_id: str = "") -> dict:
    """A member's message: text, or media (image, document, audio, video, sticker…)."""
    message = {
        "from": from_number.lstrip("+"),
        "id": message_id or f"wamid.IN{int(time.time() * 1000)}",
        "timestamp": str(int(time.time())),
        "type": kind,
    }
    if kind == "text":
        message["text"] = {"body": text}
    else:
        message[kind] = {"id": "media-1", "mime_type": "application/octet-stream"}
    return _envelope({"contacts": [{"wa_id": message["from"], "profile": {"name": "?"}}], "messages": [message]})


def post_webhook(url: str, payload: dict, *, secret: str = APP_SECRET, times: int = 1) -> list[int]:
    """POST a webhook to the portal signed with `secret`, `times` times; the portal's HTTP statuses."""
    body = json.dumps(payload).encode()
    statuses = []
    for _ in range(times):
        request = urllib.request.Request(  # noqa: S310 (a local test URL)
            url,
            data=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature(body, secret)},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses
