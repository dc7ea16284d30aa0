"""A small HTTP client for driving the portal like a browser (two_machines.py, bench/load.py): cookies, CSRF,
and filling in the portal's own HTML forms. Standard library only; loopback use.
"""

import base64
import hashlib
import hmac
import html.parser
import http.client
import struct
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def totp_code(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for a base32 `secret` (RFC 6238, 30 s, SHA-1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() if at is None else at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[dict] = field(default_factory=list)  # {"tag", "type", "name", "value", "options", "required"}


class _FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), a.get("enctype", "")))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            self.forms[-1].fields.append(
                {
                    "tag": "input",
                    "type": a.get("type", "text").lower(),
                    "name": a["name"],
                    "value": a.get("value", ""),
                    "required": "required" in a,
                    "checked": "checked" in a,
                }
            )
        elif tag == "select" and a.get("name"):
            self._select = {
                "tag": "select",
                "type": "select",
                "name": a["name"],
                "value": "",
                "options": [],
                "required": "required" in a,
            }
            self.forms[-1].fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = {
                "tag": "textarea",
                "type": "textarea",
                "name": a["name"],
                "value": "",
                "required": "required" in a,
            }
            self.forms[-1].fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def parse_forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def fill(form: Form, overrides: dict | None = None) -> tuple[dict, dict]:
    """Values a person would give: what is preset stays, empty fields get something valid-looking, files a PDF."""
    overrides = overrides or {}
    data: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    for f in form.fields:
        name, kind = f["name"], f["type"]
        if name in overrides:
            data[name] = overrides[name]
        elif kind == "file":
            files[name] = ("document.pdf", PDF, "application/pdf")
        elif kind in {"submit", "button", "reset", "image"}:
            continue
        elif kind in {"checkbox", "radio"}:
            if f["checked"] or (f["required"] and name not in data):
                data[name] = f["value"] or "on"
        elif kind == "select":
            data[name] = f["value"] or next((option for option in f["options"] if option), "")
        elif f["value"].strip():
            data[name] = f["value"]
        elif kind == "number":
            data[name] = "3"
        elif kind == "date":
            data[name] = time.strftime("%Y-%m-%d")
        elif kind == "email":
            data[name] = "member@example.org"
        elif kind == "tel":
            data[name] = "0501234567"
        elif kind in {"text", "textarea", "search"}:
            data[name] = "طلب تجريبي من اختبار الحمل" if kind == "textarea" else "نص تجريبي"
    return data, files


def multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    elapsed_ms: float
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


# What a kept-alive connection closed by the server while idle raises on its next request.
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Browser:
    """One person's browser against one web process (host:port). Cookies are kept whatever their Secure flag:
    the portal behind nginx is HTTPS, here the proxy's X-Forwarded-Proto says so."""

    def __init__(self, base: str, *, https_proxy_header: bool = True, timeout: float = 30) -> None:
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self.https_proxy_header = https_proxy_header
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None
        self.reconnects = 0  # GETs sent again because an idle kept-alive connection had been closed by the server

    def point_at(self, base: str) -> None:
        """The same person (same cookies) now talks to another web process: another machine behind the balancer."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        self.host, self.port = parts.hostname, parts.port or 80

    def _conn(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._connection

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None, follow: bool = True
    ) -> Response:
        url = path if path.startswith("/") else _path_of(path)
        all_headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "portal-http/1"}
        if self.https_proxy_header:
            all_headers["X-Forwarded-Proto"] = "https"
        if method == "POST":
            all_headers["Referer"] = f"https://{self.host}:{self.port}{url}"
            all_headers["Origin"] = f"https://{self.host}:{self.port}"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        started = time.perf_counter()
        for attempt in range(2):
            reused = self._connection is not None
            connection = self._conn()
            try:
                connection.request(method, url, body=body, headers=all_headers)
                raw = connection.getresponse()
                payload = raw.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError) as error:
                connection.close()
                self._connection = None
                # Only a GET on a kept-alive connection the server closed while it was idle is tried again (and
                # counted); anything else is the caller's to see: a dropped connection, a POST that may have landed.
                if attempt or not (reused and method == "GET" and isinstance(error, STALE_CONNECTION)):
                    raise
                self.reconnects += 1
        elapsed = (time.perf_counter() - started) * 1000
        for key, value in raw.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in {"", '""'}:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        headers_out = {k.lower(): v for k, v in raw.getheaders()}
        response = Response(raw.status, headers_out, payload, elapsed, url)
        if follow and raw.status in {301, 302, 303} and "location" in headers_out:
            location = headers_out["location"]
            if location.startswith("http"):
                location = _path_of(location)
            followed = self.request("GET", urljoin(url, location))
            followed.elapsed_ms += elapsed
            return followed
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(
        self, page: Response, *, action_contains: str = "", overrides: dict | None = None, follow: bool = True
    ) -> Response:
        """Fill and send the first form of `page` whose action contains `action_contains` (POST forms only)."""
        forms = [f for f in parse_forms(page.text) if f.method == "post" and action_contains in (f.action or page.url)]
        if not forms:
            raise LookupError(f"no POST form with action containing {action_contains!r} on {page.url}")
        form = forms[0]
        data, files = fill(form, overrides)
        action = urljoin(page.url, form.action) if form.action else page.url
        if files or "multipart" in form.enctype:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", action, body=body, headers={"Content-Type": content_type}, follow=follow)

    def log_in(self, login: str, password: str, totp_secret: str | None = None) -> Response:
        """Sign in; staff, board and administrators then give their authenticator app's code (`totp_secret`)."""
        page = self.get("/accounts/login/")
        response = self.post_form(
            page, action_contains="/accounts/login/", overrides={"login": login, "password": password}
        )
        for _ in range(2):  # a code given just as its 30 s ran out is refused: give the next one
            if "/accounts/2fa/authenticate/" not in response.url or not totp_secret:
                break
            response = self.post_form(
                response, action_contains="/accounts/2fa/authenticate/", overrides={"code": totp_code(totp_secret)}
            )
        if "/accounts/2fa/" in response.url:
            raise RuntimeError(f"sign-in as {login} stopped at the second factor: {response.url}")
        if not any(name.endswith("sessionid") for name in self.cookies):  # __Host-sessionid in production
            raise RuntimeError(f"sign-in as {login} failed: {response.status} {response.url}")
        return response
