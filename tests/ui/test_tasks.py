"""The one background-work API: worker threads, GUI-thread delivery, stale results dropped."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from lapor_desk.ui.tasks import TaskManager


def test_result_reaches_the_gui_thread(qtbot: QtBot) -> None:
    tasks = TaskManager()
    seen: dict[str, Any] = {}

    def work() -> str:
        seen["worker"] = threading.current_thread()
        return "ok"

    def done(result: str) -> None:
        seen["result"] = result
        seen["gui"] = threading.current_thread()

    with qtbot.waitSignal(tasks.idle, timeout=5_000):
        tasks.run(work, done, lambda e: None)
    assert seen["result"] == "ok"
    assert seen["gui"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    tasks.shutdown()


def test_errors_go_to_on_error(qtbot: QtBot) -> None:
    tasks = TaskManager()
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("nope")

    with qtbot.waitSignal(tasks.idle, timeout=5_000):
        tasks.run(boom, lambda r: errors.append(AssertionError("no")), errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ValueError)
    tasks.shutdown()


def test_superseded_job_result_is_dropped(qtbot: QtBot) -> None:
    tasks = TaskManager()
    gate = threading.Event()
    results: list[str] = []
    first = tasks.run(lambda: gate.wait(5) and "old", results.append, lambda e: None,
                      pool="db", key="inbox")
    # Runs after the first on the single db thread; supersedes it.
    second = tasks.run(lambda: "new", results.append, lambda e: None, pool="db", key="inbox")
    assert not tasks.is_current(first) and tasks.is_current(second)
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        gate.set()
    assert results == ["new"]
    tasks.shutdown()


def test_network_job_does_not_block_reads(qtbot: QtBot) -> None:
    tasks = TaskManager()
    gate = threading.Event()
    reads: list[int] = []
    progress: list[int] = []

    def slow_sync(report: Any) -> str:
        for i in range(50):
            report(i)
        gate.wait(10)
        return "synced"

    synced: list[str] = []
    tasks.run(slow_sync, synced.append, lambda e: None, progress.append, pool="net", key="sync")
    with qtbot.waitSignal(tasks._finished, timeout=5_000):
        tasks.run(lambda: 42, reads.append, lambda e: None, pool="db")
    assert reads == [42] and synced == []  # the read finished while the sync still ran
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        gate.set()
    assert synced == ["synced"]
    # Progress is coalesced: never more reports than sent, always in order, the last one seen.
    assert progress and progress == sorted(progress) and progress[-1] == 49
    tasks.shutdown()
