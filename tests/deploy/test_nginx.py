"""The nginx locations of deploy/nginx/, run by a real nginx on loopback in front of a stub upstream."""

import http.client
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Upstream(BaseHTTPRequestHandler):
    """Stands in for Django: a page with Django's own headers, and a private file the 'view' allowed."""

    seen_headers: list = []

    def do_GET(self):
        Upstream.seen_headers.append(dict(self.headers))
        self.send_response(200)
        if self.path == "/requests/NJC-2026-000001/documents/1/":
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Disposition", 'attachment; filename="deed.pdf"')
            self.send_header("X-Accel-Redirect", "/_private/attachments/2026/k3j9.pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html>portal</html>"
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    base = tmp_path_factory.mktemp("nginx")
    (base / "static" / "css").mkdir(parents=True)
    (base / "static" / "css" / "portal.3f2a1b.css").write_text("body{}")
    (base / "private" / "attachments" / "2026").mkdir(parents=True)
    (base / "private" / "attachments" / "2026" / "k3j9.pdf").write_bytes(b"%PDF-1.7 title deed")
    (base / "logs").mkdir()
    for name in ("members-portal-locations.conf", "security-headers.conf"):
        text = (ROOT / "deploy" / "nginx" / name).read_text()
        text = text.replace("/srv/members-portal/app/deploy/nginx/", f"{base}/")
        text = text.replace("/srv/members-portal/static/", f"{base}/static/")
        text = text.replace("/var/lib/members-portal/private/", f"{base}/private/")
        text = text.replace("/etc/nginx/members-portal-admin-allow", f"{base}/admin-allow")
        (base / name).write_text(text)
    # The deployment names the administrators' address (here 127.0.0.1); 127.0.0.2 stands for everyone else.
    (base / "admin-allow.conf").write_text("allow 127.0.0.1;\n")

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    (base / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {base}/logs/access.log;
    client_body_temp_path {base}/body; proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fcgi; uwsgi_temp_path {base}/uwsgi; scgi_temp_path {base}/scgi;
    upstream members_portal {{ server 127.0.0.1:{upstream.server_address[1]}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        include {base}/members-portal-locations.conf;
    }}
}}
""")
    check = subprocess.run(
        [NGINX, "-t", "-p", str(base), "-c", str(base / "nginx.conf")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(base), "-c", str(base / "nginx.conf"), "-g", "daemon off;"])
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def get(port: int, path: str, method: str = "GET", body: bytes | None = None, source: str = "127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(source, 0))
    connection.request(method, path, body=body, headers={"Host": "portal.test"})
    response = connection.getresponse()
    return response, response.read()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_the_production_site_file_passes_nginx_t(tmp_path):
    """The file the administrator installs, as it is, with a throwaway certificate in place of the real one."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=portal.test",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (ROOT / "deploy" / "nginx" / "members-portal.conf").read_text()
    site = site.replace("/srv/members-portal/app/deploy/nginx/", f"{ROOT}/deploy/nginx/")
    site = site.replace("/etc/letsencrypt/live/portal.najran-coffee.example/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/portal.najran-coffee.example/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}} "
        f"http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}"
    )
    # The locations file includes security-headers.conf by its installed path: point it at the repository.
    locations = (ROOT / "deploy/nginx/members-portal-locations.conf").read_text()
    (tmp_path / "locations.conf").write_text(
        locations.replace("/srv/members-portal/app/deploy/nginx/", f"{ROOT}/deploy/nginx/")
    )
    site = site.replace(f"{ROOT}/deploy/nginx/members-portal-locations.conf", f"{tmp_path}/locations.conf")
    (tmp_path / "site.conf").write_text(site)

    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_static_files_come_from_disk_cached_and_with_security_headers(nginx):
    response, body = get(nginx, "/static/css/portal.3f2a1b.css")

    assert response.status == 200 and body == b"body{}"
    assert "immutable" in response.getheader("Cache-Control")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")


def test_private_files_cannot_be_fetched_directly(nginx):
    response, _ = get(nginx, "/_private/attachments/2026/k3j9.pdf")

    assert response.status == 404


def test_a_file_the_view_allowed_is_sent_by_nginx(nginx):
    response, body = get(nginx, "/requests/NJC-2026-000001/documents/1/")

    assert response.status == 200
    assert body == b"%PDF-1.7 title deed"
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Disposition") == 'attachment; filename="deed.pdf"'
    assert response.getheader("Cache-Control") == "private, no-store"
    assert response.getheader("X-Frame-Options") == "DENY"


def test_django_pages_get_each_security_header_once_and_a_request_id_upstream(nginx):
    response, _ = get(nginx, "/")

    assert response.status == 200
    assert len([v for k, v in response.getheaders() if k.lower() == "x-frame-options"]) == 1
    assert response.getheader("Permissions-Policy").startswith("camera=(self), microphone=()")
    sent = Upstream.seen_headers[-1]
    assert len(sent["X-Request-ID"]) == 32
    assert sent["X-Forwarded-Proto"] == "http"


def test_an_upload_over_the_cap_is_refused_by_nginx(nginx):
    too_big, _ = get(nginx, "/requests/new/", method="POST", body=b"x" * (41 * 1024 * 1024))
    fine, _ = get(nginx, "/requests/new/", method="POST", body=b"x" * (5 * 1024 * 1024))

    assert too_big.status == 413
    assert fine.status == 200


def test_the_admin_answers_only_the_addresses_the_deployment_names(nginx):
    allowed, _ = get(nginx, "/admin/login/")
    refused, _ = get(nginx, "/admin/login/", source="127.0.0.2")
    elsewhere, _ = get(nginx, "/accounts/login/", source="127.0.0.2")

    assert allowed.status == 200
    assert refused.status == 403
    assert elsewhere.status == 200


def test_without_an_allow_list_nobody_reaches_the_admin(tmp_path):
    """The locations file as shipped, with no allow-list installed: nginx -t passes and /admin/ is denied to all."""
    locations = (ROOT / "deploy/nginx/members-portal-locations.conf").read_text()

    assert "include /etc/nginx/members-portal-admin-allow*.conf;\n    deny all;" in locations
