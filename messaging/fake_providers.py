"""Stand-ins for the SMS providers' APIs: one small HTTP server per provider on 127.0.0.1, in a thread, answering
in that provider's own shape, for tests, the benchmark and drills. `make run` does not use them (file backend).

    with FakeProvider("taqnyat") as fake:
        settings.TAQNYAT_URL = fake.url
        fake.mode = "refuse_in_body"         # the next answers refuse inside a 2xx answer

Modes (what the provider does with the next requests):
- "ok": takes the message and answers with its id;
- "server_error": answers 503 and takes nothing;
- "slow": takes the message, then answers only after `slow_s` (longer than the client waits);
- "refuse_in_body": refuses in a 2xx answer (Unifonic success false ER-08, Taqnyat our number in "rejected",
  Msegat code 1110);
- "refuse_http": refuses with an HTTP 4xx (bad credentials).

`script`, when set, gives the mode of each request in turn (itertools.cycle of modes: a mix of faults).

`taken` lists every message the provider took (to, text, reference, message id): what a phone would get, so a
message taken twice is counted here. `report()` posts a delivery report to the portal the way the provider would.
"""

import base64
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREDENTIALS = {"unifonic": "fake-app-sid", "taqnyat": "fake-token", "msegat": "fake-api-key"}
PATHS = {"unifonic": "/rest/SMS/messages", "taqnyat": "/v1/messages", "msegat": "/gw/sendsms.php"}
MODES = ("ok", "server_error", "slow", "refuse_in_body", "refuse_http")


@dataclass(frozen=True)
class Taken:
    to: str
    text: str
    reference: str
    message_id: str


def _request_fields(provider: str, handler: BaseHTTPRequestHandler, raw: bytes) -> dict:
    """The provider's request as to, text, reference, credential and sender; ValueError when it cannot be read."""
    if provider == "unifonic":
        form = {key: values[0] for key, values in urllib.parse.parse_qs(raw.decode("utf-8")).items()}
        return {
            "to": form.get("Recipient", ""),
            "text": form.get("Body", ""),
            "reference": form.get("CorrelationID", ""),
            "credential": form.get("AppSid", ""),
            "sender": form.get("SenderID", ""),
        }
    body = json.loads(raw or b"{}")
    if provider == "taqnyat":
        token = handler.headers.get("Authorization", "").removeprefix("Bearer ")
        recipients = body.get("recipients") or [""]
        return {
            "to": str(recipients[0]),
            "text": body.get("body", ""),
            "reference": "",
            "credential": token,
            "sender": body.get("sender", ""),
        }
    return {
        "to": str(body.get("numbers", "")),
        "text": body.get("msg", ""),
        "reference": "",
        "credential": body.get("apiKey", ""),
        "sender": body.get("userSender", ""),
    }


def _answer(provider: str, outcome: str, fields: dict, message_id: str) -> tuple[int, dict]:
    """The provider's answer for an outcome: "taken", "refused_in_body" or "refused_http"."""
    if provider == "unifonic":
        if outcome == "taken":
            return 200, {
                "success": True,
                "message": "",
                "errorCode": "ER-00",
                "data": {"MessageID": message_id, "CorrelationID": fields["reference"], "Status": "Sent"},
            }
        if outcome == "refused_in_body":
            return 200, {"success": False, "message": "Invalid Sender ID", "errorCode": "ER-08", "data": None}
        return 401, {"success": False, "message": "Wrong AppSid", "errorCode": "ER-401"}
    if provider == "taqnyat":
        if outcome == "taken":
            accepted = f"[{fields['to']},]"
            return 201, {"statusCode": 201, "messageId": message_id, "accepted": accepted, "rejected": "[]"}
        if outcome == "refused_in_body":
            return 201, {"statusCode": 201, "messageId": message_id, "accepted": "[]", "rejected": f"[{fields['to']},]"}
        return 401, {"statusCode": 401, "message": "Unauthorized: the token is not valid"}
    if outcome == "taken":
        return 200, {"code": "1", "message": "Success", "id": message_id}
    if outcome == "refused_in_body":
        return 200, {"code": "1110", "message": "Sender name is missing or incorrect"}
    return 400, {"code": "M0002", "message": "Invalid login info"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many workers' lanes connect at once (the socket default is 5)


class FakeProvider:
    def __init__(self, provider: str, *, port: int = 0, latency_s: float = 0.0, slow_s: float = 3.0):
        if provider not in PATHS:
            raise ValueError(f"no fake for {provider!r}")
        self.provider = provider
        self.credential = CREDENTIALS[provider]
        self.mode = "ok"
        self.script: Iterator[str] | None = None  # a mode per request, in turn (a drill's mix of faults)
        self.latency_s = latency_s  # every answer waits this long (a real provider over the Internet)
        self.slow_s = slow_s
        self.taken: list[Taken] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(5_000_001)
        self._server = _Server(("127.0.0.1", port), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=f"fake-{provider}", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def taken_more_than_once(self) -> dict[tuple[str, str], int]:
        """Messages a phone would have got twice or more: the same text to the same number."""
        counts = Counter((message.to, message.text) for message in self.taken)
        return {key: count for key, count in counts.items() if count > 1}

    def _handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict]:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        with self._lock:
            self.requests += 1
            mode = next(self.script) if self.script is not None else self.mode
        if handler.path.split("?")[0] != PATHS[self.provider]:
            return 404, {"message": "not found"}
        if self.latency_s:
            time.sleep(self.latency_s)
        if mode == "server_error":
            return 503, {"message": "Service Unavailable"}
        try:
            fields = _request_fields(self.provider, handler, raw)
        except ValueError:
            return 400, {"message": "could not read the request"}
        message_id = str(next(self._ids))
        if mode == "refuse_http" or fields["credential"] != self.credential:
            return _answer(self.provider, "refused_http", fields, message_id)
        if mode == "refuse_in_body" or not fields["sender"]:
            return _answer(self.provider, "refused_in_body", fields, message_id)
        with self._lock:
            self.taken.append(Taken(fields["to"], fields["text"], fields["reference"], message_id))
        if mode == "slow":
            time.sleep(self.slow_s)
        return _answer(self.provider, "taken", fields, message_id)

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
                    pass  # the client gave up waiting (the "slow" mode)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def report_payload(self, message_id: str, status: str, *, reference: str = "") -> dict:
        """A delivery report in this provider's shape; `status` is the provider's own word."""
        if self.provider == "unifonic":
            return {"messageId": message_id, "correlationId": reference, "status": status, "errorCode": ""}
        if self.provider == "taqnyat":
            return {"messageId": message_id, "recipient": "", "status": status, "reason": ""}
        return {"id": message_id, "number": "", "status": status, "errorCode": ""}

    def report(self, callback_url: str, message_id: str, status: str, *, secret: str, reference: str = "") -> int:
        """POST a delivery report to the portal as the provider does (HTTP Basic with the shared secret); returns
        the portal's HTTP status."""
        payload = json.dumps(self.report_payload(message_id, status, reference=reference)).encode()
        credentials = base64.b64encode(f"{self.provider}:{secret}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (a local test URL)
            callback_url,
            data=payload,
            headers={"Content-Type": "application/json", "Authorization": f"Basic {credentials}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
