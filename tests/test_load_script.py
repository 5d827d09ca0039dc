"""benchmarks/load.py cannot rot silently: its HTTP client and report checked on a tiny server.

The load test itself (gunicorn, Redis and 200 users for a minute) runs by hand, never here.
"""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks import load


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"ciao ", b"mondo"):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        body = b"boom" if self.path == "/error" else b"ok"
        self.send_response(500 if self.path == "/error" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "sessionid=abc; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_client_keeps_cookies_and_reads_both_body_framings(server):
    async def go():
        connection = load.Connection(server, timeout=5)
        first = await connection.request("GET", "/")
        chunked = await connection.request("GET", "/chunked")
        await connection.close()
        return first, chunked, connection.cookies

    first, chunked, cookies = asyncio.run(go())
    assert (first.status, first.body) == (200, b"ok")
    assert chunked.body == b"ciao mondo"
    assert cookies == {"sessionid": "abc"}


def test_server_errors_and_refusals_count_as_errors(server):
    stats, clock = load.Stats(), load.Clock(60)

    async def go():
        await load.timed(stats, clock, load.Connection(server, timeout=5), "GET", "/")
        await load.timed(stats, clock, load.Connection(server, timeout=5), "GET", "/error")
        await load.timed(stats, clock, load.Connection(load.free_port(), timeout=5), "GET", "/")

    asyncio.run(go())
    result = load.report("browse", stats, 1, None)
    assert result["errors"] == 2
    assert result["requests"] == 3
    assert result["p95_ms"] > 0
