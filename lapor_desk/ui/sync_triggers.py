"""The Qt side of the sync triggers: thin over ``lapor_desk.sync.scheduler.SyncScheduler``.

One single-shot QTimer is armed for the scheduler's next due time; when it fires and the
scheduler names a reason, the window's ``start_sync`` runs. The window's own signals feed the
policy: ``syncStarted`` / ``syncFinished`` (whoever started the sync, the Sync action too),
and ``statusRefreshed``: more pending changes than before means a local edit was queued.
Connectivity comes from QNetworkInformation's default backend when one loads (offline ->
online syncs at once); without one, the sync results themselves are the signal (the
scheduler's backoff after failures, the window's online/offline label).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QNetworkInformation

from lapor_desk.errors import AuthError
from lapor_desk.sync.scheduler import DEMAND, SyncScheduler

if TYPE_CHECKING:
    from lapor_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

_RECHECK_MS = 30_000  # a due sync that could not start (sign-in dialog open): look again
_MAX_WAIT_MS = 3_600_000  # re-evaluate at least hourly (clock changes, long sleeps)
_Reach = QNetworkInformation.Reachability


class SyncTriggers(QObject):
    def __init__(self, window: MainWindow, *, sync_on_start: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 use_network_information: bool = True) -> None:
        super().__init__(window)
        self.window = window
        settings = window.ctx.settings
        self.scheduler = SyncScheduler(
            interval_s=max(1, int(settings.sync_interval_minutes or 10)) * 60.0,
            edit_delay_s=float(settings.sync_edit_delay_seconds), clock=clock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self._pending_seen: int | None = None
        self.network: QNetworkInformation | None = None
        window.syncStarted.connect(self._started)
        window.syncFinished.connect(self._finished)
        window.statusRefreshed.connect(self._status)
        if use_network_information:
            self.network = self._load_network()
        if sync_on_start:
            self.scheduler.app_started()
        self._arm()

    # ------------------------------------------------------------------ control

    def stop(self) -> None:
        """Hold every trigger (idle lock, closing)."""
        self.scheduler.pause()
        self.timer.stop()

    def start(self) -> None:
        self.scheduler.resume()
        self._arm()

    def set_interval(self, minutes: int) -> None:
        self.scheduler.set_interval(max(1, int(minutes)) * 60.0)
        self._arm()

    def sync_now(self) -> None:
        """On demand through the policy (the Sync action calls ``start_sync`` directly)."""
        self.scheduler.demand()
        self._arm()

    # ------------------------------------------------------------------ events

    def _load_network(self) -> QNetworkInformation | None:
        try:
            if not QNetworkInformation.loadDefaultBackend():
                return None
            info = QNetworkInformation.instance()
            if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
                return None
        except RuntimeError:  # no backend on this platform: sync results are the signal
            return None
        info.reachabilityChanged.connect(self._reachability)
        self._reachability(info.reachability())
        return info

    def _reachability(self, reach: Any) -> None:
        if reach == _Reach.Unknown:
            return
        online = reach != _Reach.Disconnected
        self.scheduler.connectivity_changed(online)
        if not online and not self.window.syncing:
            self.window.set_online(False)
        self._arm()

    def _started(self) -> None:
        self.scheduler.sync_started()
        self.timer.stop()

    def _finished(self, result: object) -> None:
        failed = isinstance(result, BaseException)
        # Waiting does not fix an expired login: the sign-in dialog does.
        self.scheduler.sync_finished(not failed, retry=not isinstance(result, AuthError))
        self._arm()

    def _status(self, status: object) -> None:
        pending = int(getattr(status, "pending", 0) or 0)
        if self._pending_seen is not None and pending > self._pending_seen:
            self.scheduler.local_edit()
            self._arm()
        self._pending_seen = pending

    def _fire(self) -> None:
        w = self.window
        reason = self.scheduler.take()
        if reason is None:
            self._arm()
            return
        if not w.syncing:
            if w.may_sync_automatically() or reason == DEMAND:
                log.info("sync triggered: %s", reason)
                w.start_sync(automatic=reason != DEMAND)
            if not w.syncing:  # not possible now (locked, closing, signing in): later
                self.timer.start(_RECHECK_MS)
                return
        self._arm()

    def _arm(self) -> None:
        wait = self.scheduler.seconds_until_due()
        if wait is None:
            self.timer.stop()
            return
        self.timer.start(int(min(wait * 1000, _MAX_WAIT_MS)))


def install(window: MainWindow, *, sync_on_start: bool = False) -> SyncTriggers:
    return SyncTriggers(window, sync_on_start=sync_on_start)
