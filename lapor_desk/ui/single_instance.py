"""One running window per profile.

The first launch on a profile takes a QLockFile in the profile directory (Qt notices a lock left
by a crashed process and takes it over) and listens on a QLocalServer named from a hash of the
profile path. A second launch on the same profile cannot take the lock; it asks the running one
over a QLocalSocket to bring its window to the front, then exits. Other profiles have their own
lock and server name, so they run side by side.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "lapor-desk.lock"
ACTIVATE = b"activate\n"
_CONNECT_TRIES = 20  # the running instance may still be starting its server
_WAIT_MS = 250


def server_name(home: Path) -> str:
    """Local socket name for a profile (short: Unix socket paths are limited)."""
    digest = hashlib.sha256(str(home.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"lapor-desk-{digest}"


class SingleInstance(QObject):
    """``acquire()`` is True for the first instance; it then emits ``activationRequested``."""

    activationRequested = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.name = server_name(home)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the profile's running instance, or activate the running one and return False."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = QLockFile(str(self.home / LOCK_NAME))
        lock.setStaleLockTime(0)  # only a dead owner makes the lock stale, never its age
        if lock.tryLock(0):
            self._lock = lock
            self._listen()
            return True
        self._ask_running_instance()
        return False

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket file left under this name is from a crashed run.
        QLocalServer.removeServer(self.name)
        if not server.listen(self.name):
            log.warning("single instance: cannot listen on %s: %s", self.name,
                        server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server
        log.info("single instance: listening on %s", self.name)

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda s=sock: self._on_ready(s))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._on_ready(sock)

    def _on_ready(self, sock: QLocalSocket) -> None:
        data = bytes(sock.readAll().data())
        if ACTIVATE.strip() in data:
            log.info("single instance: a second launch asked to activate this window")
            self.activationRequested.emit()
        sock.disconnectFromServer()

    def _ask_running_instance(self) -> None:
        for _ in range(_CONNECT_TRIES):
            sock = QLocalSocket()
            sock.connectToServer(self.name)
            if sock.waitForConnected(_WAIT_MS):
                sock.write(ACTIVATE)
                sock.waitForBytesWritten(_WAIT_MS * 4)
                sock.disconnectFromServer()
                return
            sock.abort()
            QThread.msleep(_WAIT_MS // 2)  # not listening yet: it is still starting up
        log.warning("single instance: the running instance did not answer on %s", self.name)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
