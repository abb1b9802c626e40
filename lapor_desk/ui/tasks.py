"""THE one way to run background work from the UI.

Two pools: ``"db"`` for local reads and ``"net"`` for network work (login, sync), one thread
each, so a long sync never blocks reading the replica. Workers never touch widgets: results,
errors and progress reach the GUI thread through signals of the GUI-thread ``TaskManager``.
A job started with a ``key`` supersedes older jobs with that key; their results are dropped.
Progress is coalesced: only the latest report per job is delivered.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Pool = Literal["db", "net"]
Report = Callable[[Any], None]


@dataclass
class _Job:
    id: int
    key: str | None
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    on_progress: Callable[[Any], None] | None


class TaskManager(QObject):
    """Create it on the GUI thread; call ``run`` from the GUI thread only."""

    _finished = Signal(int, object, object)  # job id, result, exception
    _progress = Signal(int)  # job id (the payload waits in ``_latest``)
    idle = Signal()  # no job left running

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for name in ("db", "net"):
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            self._pools[name] = pool
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._current: dict[str, int] = {}  # key -> newest job id
        self._lock = threading.Lock()
        self._latest: dict[int, Any] = {}  # job id -> newest undelivered progress
        self._finished.connect(self._deliver)
        self._progress.connect(self._deliver_progress)
        self._closed = False

    def run(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[Any], None] | None = None,
        *,
        pool: Pool = "db",
        key: str | None = None,
    ) -> int:
        """Run ``fn`` on a worker; ``fn()`` or, with ``on_progress``, ``fn(report)``.

        ``report(obj)`` may be called from the worker any number of times. Returns the job id.
        """
        job_id = next(self._ids)
        if self._closed:
            return job_id
        self._jobs[job_id] = _Job(job_id, key, on_done, on_error, on_progress)
        if key is not None:
            self._current[key] = job_id
        report = self._reporter(job_id) if on_progress is not None else None

        def work() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = fn(report) if report is not None else fn()
            except BaseException as exc:  # delivered to on_error on the GUI thread
                error = exc
            self._finished.emit(job_id, result, error)

        self._pools[pool].start(work)
        return job_id

    def _reporter(self, job_id: int) -> Report:
        def report(value: Any) -> None:
            with self._lock:
                pending = job_id in self._latest
                self._latest[job_id] = value
            if not pending:
                self._progress.emit(job_id)

        return report

    def is_current(self, job_id: int) -> bool:
        job = self._jobs.get(job_id)
        return job is not None and (job.key is None or self._current.get(job.key) == job_id)

    def busy(self, key: str) -> bool:
        job_id = self._current.get(key)
        return job_id is not None and job_id in self._jobs

    @Slot(int)
    def _deliver_progress(self, job_id: int) -> None:
        with self._lock:
            value = self._latest.pop(job_id, None)
        job = self._jobs.get(job_id)
        if job is None or job.on_progress is None or not self.is_current(job_id):
            return
        job.on_progress(value)

    @Slot(int, object, object)
    def _deliver(self, job_id: int, result: Any, error: BaseException | None) -> None:
        current = self.is_current(job_id)
        job = self._jobs.pop(job_id, None)
        with self._lock:
            self._latest.pop(job_id, None)
        if job is not None and job.key is not None and self._current.get(job.key) == job_id:
            del self._current[job.key]
        if job is not None and current and not self._closed:
            if error is None:
                job.on_done(result)
            else:
                job.on_error(error)
        elif error is not None and not isinstance(error, Exception):
            log.error("stale background job %d failed: %r", job_id, error)
        if not self._jobs:
            self.idle.emit()

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Stop delivering results and wait for running workers (call before closing the store)."""
        self._closed = True
        for pool in self._pools.values():
            pool.clear()
            pool.waitForDone(timeout_ms)
