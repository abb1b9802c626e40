"""An in-process server for the desktop demo and tests (uvicorn in a daemon thread)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from types import TracebackType

from lapor_desk.sync.protocol import API_PREFIX


class EmbeddedHub:
    """``with EmbeddedHub(url) as base_url: ...`` or ``start()`` / ``stop()``."""

    def __init__(self, db_url: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.db_url = db_url
        self.host = host
        self.port = port
        self.url: str | None = None
        self._server: object | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self, timeout: float = 30.0) -> str:
        """Start serving; return the base URL once /health answers."""
        import uvicorn

        from lapor_hub.app import create_app

        if self._thread is not None:
            raise RuntimeError("already started")
        app = create_app(self.db_url)
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self._sock = sock
        port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                        name="lapor-hub", daemon=True)
        self._thread.start()
        host = f"[{self.host}]" if ":" in self.host else self.host
        url = f"http://{host}:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise RuntimeError("the embedded server stopped during start-up")
            try:
                with urllib.request.urlopen(f"{url}{API_PREFIX}/health", timeout=1) as resp:  # noqa: S310
                    if resp.status == 200:
                        self.url = url
                        return url
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the embedded server did not answer in time")

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if thread is not None:
            thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None
        self.url = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
