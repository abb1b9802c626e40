"""The one HTTP session of LAPOR! Desk.

Every request has connect and read timeouts, a total deadline checked while the body is read
(a server that drips bytes defeats a read timeout alone), a cap on raw and on decoded bytes (a
gzip bomb is refused), and TLS verification that cannot be switched off. Failures become
``lapor_desk.errors`` types; only offline, timeout and server errors are retried, with
exponential backoff and jitter.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import random
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

import lapor_desk
from lapor_desk.errors import (
    AuthError,
    InvalidInputError,
    LaporError,
    LoginExpiredError,
    NotFoundError,
    OfflineError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    TimeoutError_,
)
from lapor_desk.sync import protocol as p
from lapor_desk.sync.validate import parse_error

log = logging.getLogger(__name__)

USER_AGENT = f"lapor-desk/{lapor_desk.__version__}"
_CHUNK = 64 * 1024
_ERROR_BODY_CAP = 64 * 1024  # error bodies are small; never read a huge one
_RISKY_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


class ResetRequired(LaporError):
    """409 reset_required: the cursor's epoch, scope or schema is gone; pull from scratch."""

    code = "reset_required"
    message_id = "Server meminta sinkronisasi ulang dari awal. Pekerjaan Anda tetap aman."
    message_en = "The server asked for a full re-sync. Your work is kept."


class TokenExpired(LoginExpiredError):
    """401 token_expired: the access token is stale; refresh it and retry once."""

    code = "token_expired"


class TlsError(LaporError):
    """The server's certificate cannot be verified. Not retried: waiting will not fix it."""

    code = "tls"
    message_id = ("Sertifikat server tidak dapat diverifikasi. Hubungi administrator "
                  "(atau atur berkas CA di pengaturan).")
    message_en = ("The server's certificate cannot be verified. Contact your administrator "
                  "(or set a CA bundle in the settings).")


RETRYABLE: tuple[type[LaporError], ...] = (OfflineError, ServerError)  # TimeoutError_ ⊂ Offline


@dataclass(frozen=True, slots=True)
class JsonResult:
    data: Any
    status: int
    raw_bytes: int  # bytes on the wire (compressed body)
    decoded_bytes: int  # bytes of JSON after decompression
    # The JSON text has a \u0000 or \uD800-\uDFFF escape, so strings may hold NUL or lone
    # surrogates (raw, neither can appear in valid JSON); validation cleans only then.
    escapes: bool = True


@dataclass(frozen=True, slots=True)
class BodyResult:
    """A successful response's body, downloaded and decompressed but not yet parsed."""

    body: bytes
    status: int
    raw_bytes: int  # bytes on the wire (compressed body)
    headers: Mapping[str, str] = field(default_factory=dict)  # lowercase names; request_bytes

    def json(self) -> JsonResult:
        """Parse the body (CPU-bound: callers may download on one thread and parse on another)."""
        return JsonResult(_loads(self.body), self.status, self.raw_bytes, len(self.body),
                          b"\\u" in self.body and _RISKY_ESCAPE.search(self.body) is not None)


def _loads(body: bytes) -> Any:
    """The decoded JSON body, exactly as ``json.loads`` would give it (else ProtocolError).

    orjson first (about 1.7x faster on a sync page); anything it refuses goes to the
    standard library, which accepts a little more (lone surrogate escapes, NaN, a BOM, deep
    nesting) and so decides as before: validation, not the parser, drops a poison record.
    The one difference in what is accepted: an integer beyond 64 bits comes back as a float
    instead of an int, and validation refuses both (every integer field is range-checked).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise ProtocolError("response is not valid JSON") from None


def check_base_url(base_url: str) -> str:
    """http:// is allowed only to loopback (demo, tests); tokens never cross a network in clear."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(
            "server URL", message_id="Alamat server tidak valid (harus http(s)://…).",
            message_en="Invalid server address (must be http(s)://…).")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InvalidInputError(
            "server URL", message_id="Server harus memakai https:// (kecuali localhost).",
            message_en="The server must use https:// (except on localhost).")
    return base_url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- deadline watchdog
# The per-chunk deadline check cannot stop a server that drips the status line and headers:
# requests blocks in http.client until they are complete. A timer shuts the socket down at the
# deadline instead; the connection classes below tell it which socket this thread is using.

_current = threading.local()


class _Watch:
    """One request's deadline: ``fire`` shuts the socket down, unblocking any read on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sock: socket.socket | None = None
        self.fired = False

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self.sock = sock
            if self.fired:
                self._shutdown()

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def getresponse(self) -> Any:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self) -> Any:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


@dataclass(frozen=True, slots=True)
class _Binary:
    data: bytes | None
    headers: dict[str, str]
    max_bytes: int
    accept: tuple[int, ...]


class Transport:
    def __init__(self, base_url: str, *, ca_bundle: str | None = None,
                 connect_timeout: float = 5.0, read_timeout: float = 30.0,
                 deadline: float = 120.0, max_bytes: int = p.MAX_PAGE_BYTES_DECODED,
                 max_raw_bytes: int | None = None, user_agent: str = USER_AGENT,
                 attempts: int = 4, backoff_base: float = 0.5, backoff_cap: float = 20.0,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.base_url = check_base_url(base_url)
        self.api_url = self.base_url + p.API_PREFIX
        self.timeouts = (connect_timeout, read_timeout)
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_raw_bytes = max_raw_bytes if max_raw_bytes is not None else max_bytes
        self.attempts = max(1, attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._active: set[_Watch] = set()
        # time.monotonic() when bytes last arrived (response headers, a body chunk): the sync
        # watchdog's measure of progress on the wire.
        self.last_activity = time.monotonic()
        self._active_lock = threading.Lock()
        self._session = requests.Session()
        for adapter in self._session.adapters.values():
            manager = getattr(adapter, "poolmanager", None)
            if manager is not None:
                manager.pool_classes_by_scheme = {"http": _WatchedHTTPPool,
                                                  "https": _WatchedHTTPSPool}
        # TLS verification is always on; a custom CA bundle may replace the system store. It
        # is also passed with every request: requests lets REQUESTS_CA_BUNDLE silently beat a
        # session-level bundle.
        self._verify: str | bool = ca_bundle if ca_bundle else True
        self._session.verify = self._verify
        self._session.headers.update({
            "User-Agent": user_agent,
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
        })

    # ---------------------------------------------------------------- public

    def get_json(self, path: str, params: Mapping[str, str | int] | None = None,
                 token: str | None = None) -> Any:
        return self.request("GET", path, params=params, token=token).data

    def post_json(self, path: str, body: Any, token: str | None = None) -> Any:
        return self.request("POST", path, body=body, token=token).data

    def request(self, method: str, path: str, *, params: Mapping[str, str | int] | None = None,
                body: Any = None, token: str | None = None, retry: bool = True) -> JsonResult:
        """One JSON request with bounded retries of transient failures only."""
        return self.request_body(method, path, params=params, body=body, token=token,
                                 retry=retry).json()

    def request_body(self, method: str, path: str, *,
                     params: Mapping[str, str | int] | None = None, body: Any = None,
                     token: str | None = None, retry: bool = True) -> BodyResult:
        """Like ``request`` but stops before JSON parsing (the I/O part, GIL mostly released)."""
        attempts = self.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, path, params, body, token)
            except RETRYABLE as exc:
                if isinstance(exc, OfflineError):
                    # The link broke: every idle keep-alive connection is probably dead too.
                    self._drop_idle_connections()
                if attempt >= attempts:
                    raise
                delay = self._backoff(attempt, getattr(exc, "retry_after", None))
                log.info("%s %s failed (%s); retry %d/%d in %.1fs", method, path, exc.code,
                         attempt, attempts - 1, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")

    def request_bytes(self, method: str, path: str, *,
                      params: Mapping[str, str | int] | None = None, data: bytes | None = None,
                      headers: Mapping[str, str] | None = None, token: str | None = None,
                      max_bytes: int, accept: tuple[int, ...] = (200,),
                      retry: bool = True) -> BodyResult:
        """A binary request (attachment chunks): ``data`` is sent as octet-stream, the answer
        is capped at ``max_bytes`` (no gzip asked for) and its headers are returned; statuses
        in ``accept`` succeed. Same deadline, retries and error mapping as JSON requests."""
        attempts = self.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, path, params, None, token,
                                  _Binary(data, dict(headers or {}), max_bytes, accept))
            except RETRYABLE as exc:
                if isinstance(exc, OfflineError):
                    self._drop_idle_connections()
                if attempt >= attempts:
                    raise
                delay = self._backoff(attempt, getattr(exc, "retry_after", None))
                log.info("%s %s failed (%s); retry %d/%d in %.1fs", method, path, exc.code,
                         attempt, attempts - 1, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._session.close()

    def _drop_idle_connections(self) -> None:
        for adapter in self._session.adapters.values():
            manager = getattr(adapter, "poolmanager", None)
            if manager is not None:
                manager.clear()  # connections in use elsewhere are closed when returned

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- internals

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        # Full jitter: spreads clients that all lost the server at the same moment.
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        delay = self._rng.uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_cap))
        return delay

    def _once(self, method: str, path: str, params: Mapping[str, str | int] | None,
              body: Any, token: str | None, binary: _Binary | None = None) -> BodyResult:
        watch = _Watch()
        timer = threading.Timer(self.deadline, watch.fire)
        timer.daemon = True
        _current.watch = watch
        with self._active_lock:
            self._active.add(watch)
        timer.start()
        try:
            return self._attempt(method, path, params, body, token, binary)
        except LaporError:
            if watch.fired:
                raise TimeoutError_("deadline") from None
            raise
        finally:
            timer.cancel()
            _current.watch = None
            with self._active_lock:
                self._active.discard(watch)

    def abort(self) -> None:
        """Cut every request in flight now (from any thread); each ends with TimeoutError_."""
        with self._active_lock:
            watches = list(self._active)
        for watch in watches:
            watch.fire()

    def _attempt(self, method: str, path: str, params: Mapping[str, str | int] | None,
                 body: Any, token: str | None, binary: _Binary | None = None) -> BodyResult:
        started = time.monotonic()
        headers: dict[str, str] = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if binary is not None:
            headers.update(binary.headers)
            headers["Accept-Encoding"] = "identity"
            if binary.data is not None:
                data = binary.data
                headers["Content-Type"] = "application/octet-stream"
        try:
            resp = self._session.request(
                method, self.api_url + path, params=params, data=data, headers=headers,
                timeout=self.timeouts, stream=True, allow_redirects=False, verify=self._verify)
        except requests.exceptions.SSLError:
            raise TlsError() from None
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout):
            raise TimeoutError_() from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError):
            raise OfflineError() from None
        except requests.exceptions.RequestException as exc:
            # Invalid URL and the like: a configuration problem, not a transient one.
            raise InvalidInputError(type(exc).__name__) from None
        self.last_activity = time.monotonic()
        with resp:
            if resp.status_code >= 400:
                raise self._http_error(resp, started, token)
            if resp.status_code not in (binary.accept if binary is not None else (200,)):
                raise ProtocolError(f"unexpected HTTP status {resp.status_code}")
            if binary is not None:
                raw, decoded = self._read_body(resp, started, binary.max_bytes, binary.max_bytes)
                return BodyResult(decoded, resp.status_code, raw,
                                  {k.lower(): v for k, v in resp.headers.items()})
            raw, decoded = self._read_body(resp, started, self.max_raw_bytes, self.max_bytes)
        return BodyResult(decoded, resp.status_code, raw)

    def _read_body(self, resp: requests.Response, started: float, raw_cap: int,
                   decoded_cap: int) -> tuple[int, bytes]:
        """Read the whole body under the deadline and both byte caps; returns (raw, decoded)."""
        encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            raise ProtocolError(f"unsupported content encoding {encoding[:20]!r}")
        length = resp.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > raw_cap:
            raise ProtocolError("response larger than allowed")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
        out = bytearray()
        raw_total = 0
        stop_at = started + self.deadline
        try:
            while True:
                # read1: one recv at a time, so the deadline is checked between drips.
                chunk = resp.raw.read1(_CHUNK, decode_content=False)
                if time.monotonic() > stop_at:
                    raise TimeoutError_("deadline")
                if not chunk:
                    break
                self.last_activity = time.monotonic()
                raw_total += len(chunk)
                if raw_total > raw_cap:
                    raise ProtocolError("response larger than allowed")
                if inflater is None:
                    out += chunk
                else:
                    while chunk:
                        out += inflater.decompress(chunk, decoded_cap + 1 - len(out))
                        if len(out) > decoded_cap:
                            raise ProtocolError("decompressed response larger than allowed")
                        if inflater.eof:
                            break
                        chunk = inflater.unconsumed_tail
                if len(out) > decoded_cap:
                    raise ProtocolError("response larger than allowed")
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise TimeoutError_() from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, OSError):
            # Connection reset or closed before Content-Length / the last chunk: truncated.
            raise OfflineError("connection lost during the response") from None
        except zlib.error:
            raise ProtocolError("corrupt gzip body") from None
        if inflater is not None and not inflater.eof:
            raise OfflineError("connection lost during the response")
        if raw_total == 0 and length is None and "chunked" not in resp.headers.get(
                "Transfer-Encoding", "").lower():
            # No Content-Length, not chunked, nothing: the connection closed inside the
            # response head (http.client stops reading headers at EOF), not an empty answer.
            raise OfflineError("connection lost during the response")
        return raw_total, bytes(out)

    def _http_error(self, resp: requests.Response, started: float,
                    token: str | None) -> LaporError:
        status = resp.status_code
        code = ""
        try:
            _, body = self._read_body(resp, started, _ERROR_BODY_CAP, _ERROR_BODY_CAP)
            err = parse_error(json.loads(body))
            if err is not None:
                code = err["code"]
        except (LaporError, ValueError, RecursionError):
            pass  # the status alone decides
        detail = f"HTTP {status}" + (f" {code}" if code else "")
        if status == 401:
            if code == "token_expired":
                return TokenExpired(detail)
            if token is None and code != "invalid_token":
                return AuthError()  # login/refresh: wrong credentials
            return LoginExpiredError(detail)
        if status == 403:
            return PermissionDeniedError(detail)
        if status == 409 and code == "reset_required":
            return ResetRequired()
        if status == 429 or status >= 500:
            error = ServerError(detail)
            retry_after = resp.headers.get("Retry-After", "")
            if retry_after.isdigit():
                error.retry_after = float(retry_after)  # type: ignore[attr-defined]
            return error
        if status == 404:
            return NotFoundError(detail) if code == "not_found" else ProtocolError(detail)
        if status in (400, 409, 413, 422):
            return InvalidInputError(detail)
        return ProtocolError(detail)
