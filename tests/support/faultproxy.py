"""A fault-injecting TCP proxy on loopback, for tests and benchmarks only.

    with FaultProxy("127.0.0.1", hub_port) as proxy:
        ctx.login(proxy.url, ...)
        proxy.arm(Fault("reset", path="/sync/changes", skip=2, after_bytes=100))
        ...
        proxy.heal()

It sits between a real client and a real server and frames the HTTP/1.1 requests it forwards
(request head plus ``Content-Length`` body; the client never pipelines), so a fault can target
"the n-th request to /sync/changes". Bytes that the server sends on a connection after request k
was forwarded belong to the response to request k.

Link shaping (any time, for all traffic): ``latency_ms`` each way and ``bandwidth`` in bytes/s
(one token bucket per direction, shared by all connections, as on one physical link).

Link states: ``refuse()`` closes the listening socket (connections are refused) until
``heal()``; ``blackhole = True`` accepts connections and never answers anything.

Per-request faults (``arm``): ``reset`` (RST after ``after_bytes`` of the response: the server
has already done its work), ``truncate`` (clean FIN after ``after_bytes`` of the response),
``stall`` (``after_bytes`` of the response, then silence on the open connection), ``drop`` (RST
before the request reaches the server), ``hang`` (the request is swallowed, the connection stays
open and silent) and ``status`` (answer ``status`` without asking the server, e.g. a 503 burst).
Counters: bytes each way, requests seen, faults fired.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

_POLL = 0.1  # seconds between checks of the stop flags in blocking loops
_RECV = 64 * 1024
_KINDS = ("reset", "truncate", "stall", "drop", "hang", "status")


@dataclass
class Fault:
    """A fault for matching requests: the first ``skip`` pass, then ``times`` (None: every one
    until ``heal``) get ``kind``. ``path`` matches as a substring of the request path."""

    kind: str
    path: str = ""
    skip: int = 0
    times: int | None = 1
    after_bytes: int = 0  # reset/truncate/stall: response bytes delivered before the fault
    status: int = 503  # status: the answer
    retry_after: int | None = None  # status: a Retry-After header
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")

    def take(self, path: str) -> bool:
        """Called under the proxy lock for each request; True if this one gets the fault."""
        if self.path not in path:
            return False
        self.seen += 1
        if self.seen <= self.skip:
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        self.fired += 1
        return True


class _Bucket:
    """A token bucket shared by all connections in one direction."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 0.0

    def reserve(self, n: int, rate: float) -> float:
        """The monotonic time at which ``n`` bytes may be sent at ``rate`` bytes/s."""
        with self._lock:
            start = max(time.monotonic(), self._next)
            self._next = start + n / rate
            return start


def _sleep_until(when: float, stop: threading.Event) -> bool:
    """Sleep until ``when``; False if ``stop`` was set meanwhile."""
    while True:
        left = when - time.monotonic()
        if left <= 0:
            return not stop.is_set()
        if stop.wait(min(left, _POLL)):
            return False


@dataclass
class _Chunk:
    data: bytes
    due: float  # monotonic time at which it may leave (latency)
    fault: Fault | None = None  # down: the fault of the request this response belongs to
    close: str | None = None  # "fin" | "rst": close the destination after the data


class _Conn:
    """One client connection and its upstream connection: four threads."""

    def __init__(self, proxy: FaultProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream: socket.socket | None = None
        self.stop = threading.Event()
        self.hung = False  # a swallowed request: say nothing more to the client
        self.silenced = False  # a stalled response: nothing more reaches the client
        self._lock = threading.Lock()
        self._up: queue.Queue[_Chunk] = queue.Queue()
        self._down: queue.Queue[_Chunk] = queue.Queue()
        self._inbuf = bytearray()
        self._current: Fault | None = None  # the fault of the request in flight
        self._sent = 0  # response bytes already delivered for the request in flight
        self._threads: list[threading.Thread] = []

    def start(self, blackhole: bool) -> None:
        self.client.settimeout(_POLL)
        if blackhole:
            self.hung = True
            targets = [self._swallow]
        else:
            try:
                self.upstream = socket.create_connection(self.proxy.target, timeout=5)
            except OSError:
                self.close("rst")
                return
            self.upstream.settimeout(_POLL)
            targets = [self._read_client, self._read_upstream, self._write_up, self._write_down]
        for target in targets:
            t = threading.Thread(target=target, daemon=True,
                                 name=f"faultproxy-{target.__name__}")
            self._threads.append(t)
            t.start()

    # -- teardown ---------------------------------------------------------------------------

    def close(self, how: str = "fin") -> None:
        """Close both sides; ``rst`` makes the client see a connection reset."""
        with self._lock:
            if self.stop.is_set():
                return
            self.stop.set()
            if how == "rst":
                with contextlib.suppress(OSError):
                    self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            else:
                with contextlib.suppress(OSError):
                    self.client.shutdown(socket.SHUT_WR)
            with contextlib.suppress(OSError):
                self.client.close()
            if self.upstream is not None:
                with contextlib.suppress(OSError):
                    self.upstream.close()
        self.proxy._forget(self)

    def join(self, timeout: float) -> None:
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout)

    # -- client -> proxy -> server -----------------------------------------------------------

    def _recv(self, sock: socket.socket) -> bytes | None:
        """One recv; None when stopped or closed, b"" never (EOF is None too)."""
        while not self.stop.is_set():
            try:
                data = sock.recv(_RECV)
            except TimeoutError:
                continue
            except OSError:
                return None
            return data or None
        return None

    def _swallow(self) -> None:
        while (data := self._recv(self.client)) is not None:
            self.proxy._count(up=len(data))
        self.close()

    def _read_client(self) -> None:
        while True:
            data = self._recv(self.client)
            if data is None:
                if self.hung:
                    self.close()  # the client gave up on a swallowed request
                else:
                    self._up.put(_Chunk(b"", time.monotonic(), close="fin"))
                return
            self.proxy._count(up=len(data))
            if self.hung:
                continue
            self._inbuf += data
            while (request := self._next_request()) is not None:
                if not self._route(*request):
                    break

    def _next_request(self) -> tuple[bytes, str, str] | None:
        """A complete request (raw bytes, method, target with its query) out of the buffer."""
        end = self._inbuf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self._inbuf[:end]).decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        method, target = (parts[0], parts[1]) if len(parts) >= 2 else ("?", "?")
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length" and value.strip().isdigit():
                length = int(value.strip())
        total = end + 4 + length
        if len(self._inbuf) < total:
            return None
        raw = bytes(self._inbuf[:total])
        del self._inbuf[:total]
        return raw, method, target

    def _route(self, raw: bytes, method: str, target: str) -> bool:
        """Forward or fault one request; False when the connection is done for."""
        fault = self.proxy._match(method, target)
        due = time.monotonic() + self.proxy.latency_ms / 1000
        if fault is None or fault.kind in ("reset", "truncate", "stall"):
            with self._lock:
                self._current = fault
                self._sent = 0
            self._up.put(_Chunk(raw, due))
            return True
        if fault.kind == "drop":
            self.close("rst")
            return False
        if fault.kind == "hang":
            self.hung = True
            if self.upstream is not None:
                with contextlib.suppress(OSError):
                    self.upstream.close()
            return False
        # status: answer without asking the server, then close.
        body = (b'{"error":{"code":"unavailable","message":"injected by the fault proxy"}}')
        extra = f"Retry-After: {fault.retry_after}\r\n" if fault.retry_after is not None else ""
        head = (f"HTTP/1.1 {fault.status} Injected\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n")
        self._down.put(_Chunk(head.encode("ascii") + body, due, close="fin"))
        self.hung = True  # nothing more goes upstream on this connection
        return False

    def _write_up(self) -> None:
        assert self.upstream is not None
        while not self.stop.is_set():
            try:
                chunk = self._up.get(timeout=_POLL)
            except queue.Empty:
                continue
            if not self._send(self.upstream, chunk.data, chunk.due, self.proxy._up_bucket):
                self.close()
                return
            if chunk.close:
                with contextlib.suppress(OSError):
                    self.upstream.shutdown(socket.SHUT_WR)

    # -- server -> proxy -> client -----------------------------------------------------------

    def _read_upstream(self) -> None:
        assert self.upstream is not None
        while True:
            data = self._recv(self.upstream)
            if data is None:
                if not self.hung:
                    self._down.put(_Chunk(b"", time.monotonic(), close="fin"))
                return
            if self.hung:
                continue  # the client must hear nothing
            with self._lock:
                fault = self._current
            self._down.put(_Chunk(data, time.monotonic() + self.proxy.latency_ms / 1000, fault))

    def _write_down(self) -> None:
        while not self.stop.is_set():
            try:
                chunk = self._down.get(timeout=_POLL)
            except queue.Empty:
                continue
            if self.silenced:
                continue
            data, close = chunk.data, chunk.close
            fault = chunk.fault
            stall = False
            if fault is not None and data:
                with self._lock:
                    room = max(0, fault.after_bytes - self._sent)
                    if len(data) >= room:
                        data = data[:room]
                        stall = fault.kind == "stall"
                        close = None if stall else "rst" if fault.kind == "reset" else "fin"
                    self._sent += len(data)
            if data and not self._send(self.client, data, chunk.due, self.proxy._down_bucket):
                self.close()
                return
            if stall:
                self.silenced = self.hung = True
                continue
            if close is not None:
                self.close(close)
                return

    def _send(self, sock: socket.socket, data: bytes, due: float, bucket: _Bucket) -> bool:
        if not _sleep_until(due, self.stop):
            return False
        view = memoryview(data)
        while view:
            rate = self.proxy.bandwidth
            n = len(view) if not rate else max(1, min(len(view), int(rate) // 50 or 1))
            if rate and not _sleep_until(bucket.reserve(n, rate), self.stop):
                return False
            try:
                sock.sendall(view[:n])
            except OSError:
                return False
            if sock is self.client:
                self.proxy._count(down=n)
            view = view[n:]
        return True


class FaultProxy:
    """A TCP proxy from ``127.0.0.1:<port>`` to ``target``; see the module docstring."""

    def __init__(self, target_host: str, target_port: int, *, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.latency_ms = 0.0
        self.bandwidth = 0.0  # bytes/s each way; 0 = unlimited
        self.blackhole = False
        self.bytes_up = 0  # client -> server
        self.bytes_down = 0  # server -> client (as delivered to the client)
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request seen
        self.targets: list[str] = []  # the same with their query strings
        self._port = port
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._conns: set[_Conn] = set()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._up_bucket = _Bucket()
        self._down_bucket = _Bucket()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._stopped.clear()
        self._listen()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._unlisten()
        for conn in self._snapshot():
            conn.close()
        for conn in self._snapshot():
            conn.join(2)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- control --------------------------------------------------------------------------------

    def arm(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def refuse(self) -> None:
        """Close the listening port: new connections are refused; open ones are reset."""
        self._unlisten()
        self.cut()

    def cut(self) -> None:
        """Reset every open connection now."""
        for conn in self._snapshot():
            conn.close("rst")

    def heal(self) -> None:
        """Back to a clean link: no faults, no shaping, listening, hung connections closed."""
        with self._lock:
            self._faults.clear()
        self.latency_ms = 0.0
        self.bandwidth = 0.0
        self.blackhole = False
        for conn in self._snapshot():
            if conn.hung or conn.silenced:
                conn.close("rst")
        if self._listener is None and not self._stopped.is_set():
            self._listen()

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = 0
            self.requests.clear()
            self.targets.clear()

    @property
    def faults_fired(self) -> int:
        with self._lock:
            return sum(f.fired for f in self._faults)

    # -- internals ------------------------------------------------------------------------------

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        sock.listen(64)
        sock.settimeout(_POLL)
        self._port = int(sock.getsockname()[1])
        self._listener = sock
        thread = threading.Thread(target=self._accept, args=(sock,), daemon=True,
                                  name="faultproxy-accept")
        self._accept_thread = thread
        thread.start()

    def _unlisten(self) -> None:
        sock, thread = self._listener, self._accept_thread
        self._listener = self._accept_thread = None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()
        if thread is not None:
            thread.join(5)

    def _accept(self, sock: socket.socket) -> None:
        while self._listener is sock:
            try:
                client, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._listener is not sock:
                client.close()
                return
            conn = _Conn(self, client)
            with self._lock:
                self._conns.add(conn)
            conn.start(self.blackhole)

    def _snapshot(self) -> list[_Conn]:
        with self._lock:
            return list(self._conns)

    def _forget(self, conn: _Conn) -> None:
        with self._lock:
            self._conns.discard(conn)

    def _count(self, *, up: int = 0, down: int = 0) -> None:
        with self._lock:
            self.bytes_up += up
            self.bytes_down += down

    def _match(self, method: str, target: str) -> Fault | None:
        path = target.split("?", 1)[0]
        with self._lock:
            self.requests.append((method, path))
            self.targets.append(target)
            if self.blackhole:
                return Fault("hang", times=None)
            for fault in self._faults:
                if fault.take(path):
                    return fault
            return None
