"""The scripts' HTTP client (scripts/portal_http.py) shows a dropped connection instead of retrying it silently:
two_machines.py and bench/load.py count what members would have seen."""

import importlib.util
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("portal_http", settings.BASE_DIR / "scripts" / "portal_http.py")
portal_http = importlib.util.module_from_spec(spec)
spec.loader.exec_module(portal_http)


class DroppingServer(BaseHTTPRequestHandler):
    """Answers a GET; drops the connection of every POST without an answer (a web process killed mid-request)."""

    posts = 0

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_POST(self):
        DroppingServer.posts += 1
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.close_connection = True
        self.connection.close()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    DroppingServer.posts = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), DroppingServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_a_dropped_post_is_raised_and_sent_once(server):
    browser = portal_http.Browser(server)
    browser.get("/")  # a kept-alive connection, as in a running load test

    with pytest.raises((ConnectionError, OSError, portal_http.http.client.HTTPException)):
        browser.request("POST", "/submit", body=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert DroppingServer.posts == 1 and browser.reconnects == 0
