"""Sync triggers in the real main window (offscreen) against a real lapor_hub process.

The policy itself is tested with a fake clock (tests/unit/test_scheduler.py); here the thin
Qt adapter: a local edit starts a debounced sync that sends it, a failed sync is retried after
the backoff, connectivity coming back syncs at once, and the idle-lock pause holds triggers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot
from ui_support import ctx, shown_window, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.errors import OfflineError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.sync.engine import SyncReport
from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(ctx: DeskContext, qtbot: QtBot) -> Iterator[MainWindow]:  # noqa: F811
    ctx.settings.sync_edit_delay_seconds = 0.2
    with shown_window(ctx, qtbot) as win:
        yield win


def open_complaint(ctx: DeskContext) -> str:  # noqa: F811
    store = ctx.open_store()
    return next(r.id for r in store.rows(store.ids(ComplaintQuery()))
                if r.status not in ("selesai", "ditutup") and not r.is_confidential)


def test_a_local_edit_starts_a_debounced_sync_that_sends_it(
        qtbot: QtBot, window: MainWindow, ctx: DeskContext) -> None:  # noqa: F811
    triggers = window.sync_triggers
    qtbot.waitUntil(lambda: triggers._pending_seen is not None, timeout=10_000)
    assert not window.syncing
    ctx.outbox().save_draft(open_complaint(ctx), "Sudah kami periksa di lokasi pada 2 Mei.")
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as blocker:
        window.refresh_status()  # what every edit in the window ends in
    report = blocker.args[0]
    assert isinstance(report, SyncReport) and report.pushed == 1 and report.applied == 1
    assert ctx.status().pending == 0
    assert triggers.scheduler.failures == 0 and not triggers.scheduler.running


def test_a_failed_sync_is_retried_after_the_backoff(
        qtbot: QtBot, window: MainWindow, ctx: DeskContext, ui_hub: tuple) -> None:  # noqa: F811
    from conftest import free_port

    hub, _ = ui_hub
    triggers = window.sync_triggers
    triggers.scheduler.backoff_base_s = 0.3  # seconds, to keep the test short
    ctx.relocate(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as failed:
        window.start_sync()
    assert isinstance(failed.args[0], OfflineError)
    assert triggers.scheduler.failures == 1
    assert triggers.timer.isActive()  # the retry is armed; no other trigger is due
    ctx.relocate(hub.url)  # the link is back
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as retried:
        pass
    assert isinstance(retried.args[0], SyncReport)
    assert triggers.scheduler.failures == 0


def test_connectivity_coming_back_syncs_at_once(
        qtbot: QtBot, window: MainWindow) -> None:
    triggers = window.sync_triggers
    reach = QNetworkInformation.Reachability
    triggers._reachability(reach.Disconnected)  # as the system's backend would report
    assert window.online_label.text() == "Luring"
    assert triggers.scheduler.next_due() is None  # automatic syncs wait for the link
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as blocker:
        triggers._reachability(reach.Online)
    assert isinstance(blocker.args[0], SyncReport)
    assert window.online_label.text() == "Daring"


def test_paused_triggers_hold_even_an_edit(
        qtbot: QtBot, window: MainWindow, ctx: DeskContext) -> None:  # noqa: F811
    triggers = window.sync_triggers
    qtbot.waitUntil(lambda: triggers._pending_seen is not None, timeout=10_000)
    triggers.stop()  # what the idle lock does
    ctx.outbox().save_draft(open_complaint(ctx), "Catatan sementara.")
    window.refresh_status()
    qtbot.waitUntil(lambda: triggers._pending_seen == 1, timeout=10_000)
    assert not triggers.timer.isActive() and not window.syncing
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as blocker:
        triggers.start()
    assert isinstance(blocker.args[0], SyncReport) and blocker.args[0].pushed == 1
