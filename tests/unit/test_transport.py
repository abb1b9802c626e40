"""The transport against tiny real HTTP servers on loopback (hostile and flaky behaviours)."""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scripted_http import LoopbackServer

from lapor_desk.errors import (
    AuthError,
    InvalidInputError,
    LoginExpiredError,
    OfflineError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    TimeoutError_,
)
from lapor_desk.sync.transport import (
    BodyResult,
    ResetRequired,
    TlsError,
    TokenExpired,
    Transport,
    check_base_url,
)

Handler = Callable[[BaseHTTPRequestHandler, int], None]  # (request, call number)


class _Server:
    def __init__(self, handler: Handler) -> None:
        self.calls = 0
        self.headers: list[dict[str, str]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                outer.calls += 1
                outer.headers.append(dict(self.headers))
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self, outer.calls)

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients hanging up on hostile responses is the point of these tests

        self.server = LoopbackServer(H, Quiet)
        self.url = self.server.url

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], _Server]]:
    servers: list[_Server] = []

    def make(handler: Handler) -> _Server:
        s = _Server(handler)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, *,
         headers: dict[str, str] | None = None, length: int | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(body) if length is None else length))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)
    h.wfile.flush()


def ok(h: BaseHTTPRequestHandler, _: int) -> None:
    send(h, 200, b'{"ok": true}')


def error(status: int, code: str) -> Handler:
    def handler(h: BaseHTTPRequestHandler, _: int) -> None:
        send(h, status, json.dumps({"error": {"code": code, "message": "m"}}).encode())
    return handler


_made: list[Transport] = []


@pytest.fixture(autouse=True)
def _close_transports() -> Iterator[None]:
    # Pooled sockets left to the garbage collector would raise ResourceWarning in a later test.
    yield
    while _made:
        _made.pop().close()


def make_transport(url: str, **kw: object) -> tuple[Transport, list[float]]:
    sleeps: list[float] = []
    t = Transport(url, sleep=sleeps.append, **kw)  # type: ignore[arg-type]
    _made.append(t)
    return t, sleeps


def test_plain_json_and_headers(serve: Callable[[Handler], _Server]) -> None:
    s = serve(ok)
    t, _ = make_transport(s.url)
    assert t.get_json("/x", {"a": 1}, token="tok") == {"ok": True}
    assert s.headers[0]["Authorization"] == "Bearer tok"
    assert "gzip" in s.headers[0]["Accept-Encoding"]
    t.close()


def test_gzip_body_decoded_and_counted(serve: Callable[[Handler], _Server]) -> None:
    payload = json.dumps({"items": ["x" * 100] * 1000}).encode()
    packed = gzip.compress(payload)
    s = serve(lambda h, _: send(h, 200, packed, headers={"Content-Encoding": "gzip"}))
    t, _ = make_transport(s.url)
    r = t.request("GET", "/x")
    assert r.data["items"][0] == "x" * 100
    assert r.raw_bytes == len(packed) and r.decoded_bytes == len(payload)


def test_drip_server_is_cut_off_by_the_deadline(serve: Callable[[Handler], _Server]) -> None:
    def drip(h: BaseHTTPRequestHandler, _: int) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _i in range(100000):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.05)

    s = serve(drip)
    # Each drip arrives well within the read timeout; only the deadline can stop this.
    # (The whole drip would take over an hour; the per-test timeout would catch a miss.)
    t, _ = make_transport(s.url, read_timeout=2.0, deadline=0.6, attempts=1)
    with pytest.raises(TimeoutError_):
        t.get_json("/x")


def test_drip_in_the_headers_is_cut_off_by_the_deadline(
        serve: Callable[[Handler], _Server]) -> None:
    def drip_headers(h: BaseHTTPRequestHandler, _: int) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _i in range(100000):
            h.wfile.write(b"X-Slow: 1\r\n")
            h.wfile.flush()
            time.sleep(0.05)

    s = serve(drip_headers)
    t, _ = make_transport(s.url, read_timeout=2.0, deadline=0.6, attempts=1)
    with pytest.raises(TimeoutError_):  # without the watchdog: OfflineError after ~5 s
        t.get_json("/x")


def test_gzip_bomb_refused(serve: Callable[[Handler], _Server]) -> None:
    bomb = gzip.compress(b"[" + b" " * (8 * 1024 * 1024) + b"]")
    s = serve(lambda h, _: send(h, 200, bomb, headers={"Content-Encoding": "gzip"}))
    t, _ = make_transport(s.url, max_bytes=1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ProtocolError):
        t.get_json("/x")


def test_oversized_body_refused_by_content_length_and_by_counting(
        serve: Callable[[Handler], _Server]) -> None:
    big = b'"' + b"x" * 200_000 + b'"'
    s = serve(lambda h, _: send(h, 200, big))
    t, _ = make_transport(s.url, max_bytes=100_000)
    with pytest.raises(ProtocolError):
        t.get_json("/x")

    def chunked(h: BaseHTTPRequestHandler, _: int) -> None:  # no Content-Length to trust
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for _i in range(20):
            piece = b"x" * 10_000
            h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.write(b"0\r\n\r\n")

    s2 = serve(chunked)
    t2, _ = make_transport(s2.url, max_bytes=100_000)
    with pytest.raises(ProtocolError):
        t2.get_json("/x")


def test_503_then_200_is_retried_with_backoff(serve: Callable[[Handler], _Server]) -> None:
    def flaky(h: BaseHTTPRequestHandler, n: int) -> None:
        if n < 3:
            send(h, 503, b'{"error": {"code": "unavailable", "message": "m"}}')
        else:
            ok(h, n)

    s = serve(flaky)
    t, sleeps = make_transport(s.url, attempts=4)
    assert t.get_json("/x") == {"ok": True}
    assert s.calls == 3 and len(sleeps) == 2
    assert all(0 <= d <= 20 for d in sleeps)


def test_429_retry_after_honoured_and_attempts_bounded(
        serve: Callable[[Handler], _Server]) -> None:
    s = serve(lambda h, _: send(h, 429, b"{}", headers={"Retry-After": "3"}))
    t, sleeps = make_transport(s.url, attempts=3)
    with pytest.raises(ServerError):
        t.get_json("/x")
    assert s.calls == 3 and sleeps == [3.0, 3.0]


@pytest.mark.parametrize(("status", "code", "token", "exc"), [
    (401, "token_expired", "t", TokenExpired),
    (401, "invalid_token", "t", LoginExpiredError),
    (401, "invalid_credentials", None, AuthError),
    (403, "forbidden", "t", PermissionDeniedError),
    (409, "reset_required", "t", ResetRequired),
    (422, "invalid", "t", InvalidInputError),
    (404, "nope", "t", ProtocolError),
])
def test_client_errors_are_mapped_and_never_retried(
        serve: Callable[[Handler], _Server], status: int, code: str, token: str | None,
        exc: type[Exception]) -> None:
    s = serve(error(status, code))
    t, sleeps = make_transport(s.url, attempts=4)
    with pytest.raises(exc):
        t.get_json("/x", token=token)
    assert s.calls == 1 and sleeps == []


def test_truncated_body_is_an_error(serve: Callable[[Handler], _Server]) -> None:
    def truncated(h: BaseHTTPRequestHandler, _: int) -> None:
        send(h, 200, b'{"items": [1, 2, 3', length=1000)
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_RDWR)

    s = serve(truncated)
    t, _ = make_transport(s.url, attempts=2)
    with pytest.raises(OfflineError):
        t.get_json("/x")
    assert s.calls == 2  # a dropped connection is transient: retried, then reported


def test_truncated_gzip_is_an_error(serve: Callable[[Handler], _Server]) -> None:
    packed = gzip.compress(json.dumps(list(range(10000))).encode())
    cut = packed[: len(packed) // 2]
    s = serve(lambda h, _: send(h, 200, cut, headers={"Content-Encoding": "gzip"}))
    t, _ = make_transport(s.url, attempts=1)
    with pytest.raises(OfflineError):
        t.get_json("/x")


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000])
def test_malformed_json_is_a_protocol_error(serve: Callable[[Handler], _Server],
                                            body: bytes) -> None:
    s = serve(lambda h, _: send(h, 200, body))
    t, _ = make_transport(s.url)
    with pytest.raises(ProtocolError):
        t.get_json("/x")
    assert s.calls == 1


def test_connection_refused_is_offline_and_retried() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    t, sleeps = make_transport(f"http://127.0.0.1:{port}", attempts=3)
    with pytest.raises(OfflineError):
        t.get_json("/x")
    assert len(sleeps) == 2


def test_plain_http_only_to_loopback() -> None:
    assert check_base_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert check_base_url("https://lapor.example.go.id") == "https://lapor.example.go.id"
    for bad in ("http://lapor.example.go.id", "ftp://x", "lapor.example", ""):
        with pytest.raises(InvalidInputError):
            check_base_url(bad)


def test_tls_verification_cannot_be_disabled() -> None:
    t, _ = make_transport("https://127.0.0.1:1")
    assert t._session.verify is True
    t2, _ = make_transport("https://127.0.0.1:1", ca_bundle="/tmp/ca.pem")
    assert t2._session.verify == "/tmp/ca.pem"


def test_risky_escapes_are_flagged_for_cleaning(serve: Callable[[Handler], _Server]) -> None:
    bodies = [b'{"t": "a\\u0000b"}', b'{"t": "\\ud800"}', b'{"t": "\\u203a plain"}',
              '{"t": "Jalan › rusak"}'.encode()]
    s = serve(lambda h, n: send(h, 200, bodies[n - 1]))
    t, _ = make_transport(s.url)
    flags = [t.request("GET", "/x").escapes for _ in bodies]
    assert flags == [True, True, False, False]


@pytest.mark.parametrize("body", [
    b'{"a": 1, "a": 2}', b'"\\ud800"', b'"\\udc00\\ud800 x"', b'"\xed\xa0\x80"',
    b'"a\\u0000b"', b"NaN", b"[Infinity, -Infinity]", b"[1e400]", b"\xef\xbb\xbf{}",
    b"[9223372036854775807, 9223372036854775808, 18446744073709551615, -9223372036854775808]",
    b'{"x": -0.0, "y": 1.5e-7, "z": 0.1}', b" [ ] ", b"[" * 500 + b"]" * 500,
    '{"judul": "Jalan \u203a rusak", "isi": "\\u0041 \u0628\u062d\u062b"}'.encode(),
])
def test_body_parse_equals_the_standard_library(body: bytes) -> None:
    """orjson parses pages first; whatever it refuses the standard library decides, so a
    page decodes to exactly what ``json.loads`` gives (NaN compared as text)."""
    got = BodyResult(body, 200, len(body)).json().data
    assert repr(got) == repr(json.loads(body))


@pytest.mark.parametrize("body", [b"[18446744073709551616]", b"[-9223372036854775809]"])
def test_integers_beyond_64_bits_never_pass_as_integers(body: bytes) -> None:
    """The one difference from ``json.loads``: such an integer comes back as a float, which
    validation refuses like the out-of-range integer it is."""
    got = BodyResult(body, 200, len(body)).json().data
    assert isinstance(got[0], float) and isinstance(json.loads(body)[0], int)


# ---------------------------------------------------------------- TLS (locally generated certs)

def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("certs")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=LAPOR test CA", cwd=d)
    for name, san in (("good", "IP:127.0.0.1"), ("wronghost", "DNS:lapor.example.org")):
        (d / f"{name}.ext").write_text(f"subjectAltName={san}\n")
        _openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", "/CN=server", cwd=d)
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", f"{name}.pem", "-days", "2",
                 "-extfile", f"{name}.ext", cwd=d)
    return d


def _tls_server(serve: Callable[[Handler], _Server], certs: Path, name: str) -> str:
    s = serve(ok)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certs / f"{name}.pem", certs / f"{name}.key")
    s.server.httpd.socket = ctx.wrap_socket(s.server.httpd.socket, server_side=True)
    return s.url.replace("http://", "https://")


def test_tls_untrusted_certificate_is_refused_and_not_retried(
        serve: Callable[[Handler], _Server], certs: Path) -> None:
    url = _tls_server(serve, certs, "good")
    t, sleeps = make_transport(url, attempts=3)
    with pytest.raises(TlsError):
        t.get_json("/x")
    assert sleeps == []


def test_tls_custom_ca_bundle_is_trusted(serve: Callable[[Handler], _Server],
                                         certs: Path) -> None:
    url = _tls_server(serve, certs, "good")
    t, _ = make_transport(url, ca_bundle=str(certs / "ca.pem"))
    assert t.get_json("/x") == {"ok": True}


def test_tls_wrong_host_is_refused_even_with_the_ca(serve: Callable[[Handler], _Server],
                                                    certs: Path) -> None:
    url = _tls_server(serve, certs, "wronghost")
    t, _ = make_transport(url, ca_bundle=str(certs / "ca.pem"))
    with pytest.raises(TlsError):
        t.get_json("/x")
