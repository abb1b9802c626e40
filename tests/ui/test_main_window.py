"""The real main window over a real store synced from a real lapor_hub process (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_support import (  # noqa: F401 (fixtures)
    HOSTILE_BODY,
    HOSTILE_TITLE,
    PASSWORD,
    add_complaint,
    ctx,
    hostile_display,
    make_ctx,
    ui_hub,
    window,
)

from lapor_desk.core import DeskContext
from lapor_desk.errors import AuthError, OfflineError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.sync.engine import SyncReport
from lapor_desk.ui.app import create_main_window
from lapor_desk.ui.inbox_model import Column
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.screenshots import save_screenshots
from lapor_desk.ui.state import STATE_FILE

# The offscreen platform plugin says so on every show(); it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def search(qtbot: QtBot, win: MainWindow, text: str) -> None:
    win.search_edit.clear()
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        qtbot.keyClicks(win.search_edit, text)  # debounced: one reload after typing


def select(qtbot: QtBot, win: MainWindow, row: int) -> None:
    """Select a row and wait for its detail (the focused table may already show row 0)."""
    cid = win.model.complaint_id(row)
    if win.detail.detail is not None and win.detail.detail.row.id == cid:
        return
    with qtbot.waitSignal(win.detailShown, timeout=10_000, check_params_cb=lambda c: c == cid):
        win.select_row(row)


def test_inbox_shows_synced_complaints(window: MainWindow, ctx: DeskContext) -> None:  # noqa: F811
    total = ctx.open_store().count(ComplaintQuery())
    assert total > 0
    assert window.model.rowCount() == total
    assert window.count_label.text() == f"{total} laporan"
    assert window.sync_action.text() == "&Sinkronkan"
    header = window.model.headerData(Column.TRACKING, Qt.Orientation.Horizontal)
    assert header == "ID Pelacakan"


def test_search_filters_as_you_type(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                    ui_hub: tuple) -> None:  # noqa: F811
    total = window.model.rowCount()
    search(qtbot, window, "zebracanary")
    assert window.model.rowCount() == 1 < total
    assert window.model.complaint_id(0) == ui_hub[1]
    # FTS syntax typed by a user is just text, never an error.
    search(qtbot, window, 'jalan" OR title:* NEAR(')
    assert "kesalahan" not in window.message_label.text().lower()
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        window.search_edit.clear()
    assert window.model.rowCount() == total


def test_selecting_a_row_shows_the_detail(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                          ctx: DeskContext) -> None:  # noqa: F811
    select(qtbot, window, 0)
    cid = window.model.complaint_id(0)
    detail = ctx.open_store().detail(cid)
    assert window.detail.title_label.text() == hostile_display(detail.row.title)
    assert window.detail.values["tracking"].text() == str(detail.row.tracking_id)
    assert window.detail.body_view.toPlainText() == hostile_display(detail.body)
    assert window.detail.values["created"].text().endswith(" WIB")
    # Keyboard navigation moves the selection and the detail follows.
    with qtbot.waitSignal(window.detailShown, timeout=10_000):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.detail.detail is not None
    assert window.detail.detail.row.id == window.model.complaint_id(1)


def test_hostile_complaint_renders_as_plain_text(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    search(qtbot, window, "zebracanary")
    select(qtbot, window, 0)
    pane = window.detail
    assert pane.title_label.text() == hostile_display(HOSTILE_TITLE)
    assert pane.title_label.textFormat() == Qt.TextFormat.PlainText
    assert pane.body_view.toPlainText() == HOSTILE_BODY
    # An anonymous reporter's reply carries no name: the hub drops the (hostile) imported one.
    assert "<i>" not in pane.thread_view.toPlainText()
    assert "] Pelapor —" in pane.thread_view.toPlainText()
    assert "<script>alert(2)</script>" in pane.thread_view.toPlainText()
    assert pane.values["reporter"].text() == "Pelapor anonim"
    assert pane.banner.isVisible() and "RAHASIA" in pane.banner.text()
    panel = window.attachments_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    assert panel.list.item(0).text() == "../../etc/passwd<b> (2,2 MB) — ada di server"
    # Every label in the window shows plain text and opens no links.
    for label in window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, (label.text(), label.parent())
        assert not label.openExternalLinks()
    cell = window.model.index(0, Column.TITLE).data()
    assert "\n" not in cell and cell.startswith("<img src=x onerror=alert(1)><b>bold</b>")


def test_language_switch_to_english(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                    ctx: DeskContext) -> None:  # noqa: F811
    select(qtbot, window, 0)
    window.set_language("en")
    assert window.sync_action.text() == "&Sync"
    assert window.file_menu.title() == "&File"
    assert window.model.headerData(Column.TRACKING, Qt.Orientation.Horizontal) == "Tracking ID"
    assert window.status_combo.itemText(0) == "All statuses"
    assert window.detail.field_labels["tracking"].text() == "Tracking ID"
    assert ctx.profile.load().language == "en"  # remembered in the profile
    window.set_language("id")
    assert window.sync_action.text() == "&Sinkronkan"
    assert window.detail.field_labels["tracking"].text() == "ID Pelacakan"


def test_sync_action_runs_in_background(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                        ui_hub: tuple) -> None:  # noqa: F811
    hub, _ = ui_hub
    before = window.model.rowCount()
    add_complaint(hub.db, title="Lampu jalan mati di Ungaran yakcanary", body="Sudah seminggu.")
    with qtbot.waitSignal(window.syncFinished, timeout=60_000) as blocker:
        window.sync_action.trigger()
        assert window.syncing  # trigger returned while the sync is still running
        assert not window.sync_action.isEnabled()
        window.reload_inbox()  # reading stays possible meanwhile (db worker, not net)
    assert isinstance(blocker.args[0], SyncReport)
    assert blocker.args[0].received >= 1
    if window.model.rowCount() == before:
        qtbot.waitSignal(window.inboxReloaded, timeout=10_000).wait()
    assert window.model.rowCount() == before + 1
    assert window.sync_action.isEnabled() and not window.progress.isVisible()
    assert window.online_label.text() == "Daring"
    qtbot.waitUntil(lambda: window.last_sync_label.text() != "Sinkron terakhir: belum pernah")
    assert window.last_sync_label.text().startswith("Sinkron terakhir: ")


def test_offline_sync_error_goes_to_status_bar(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                               ctx: DeskContext) -> None:  # noqa: F811
    from conftest import free_port

    ctx.relocate(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with qtbot.waitSignal(window.syncFinished, timeout=60_000) as blocker:
        window.start_sync()
    assert isinstance(blocker.args[0], OfflineError)
    assert window.message_label.text() == blocker.args[0].message("id")
    assert window.online_label.text() == "Luring"
    assert window.model.rowCount() > 0  # the replica is still readable


def test_window_state_and_screenshots(qtbot: QtBot, ctx: DeskContext,  # noqa: F811
                                      tmp_path: Path) -> None:
    win = create_main_window(ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.show()
    win.resize(700, 450)
    shots = save_screenshots(win, tmp_path / "shots")
    assert all(p.stat().st_size > 0 for p in shots)
    win.close()
    win.translations.close()
    assert (ctx.profile.home / STATE_FILE).exists()
    again = create_main_window(ctx)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (700, 450)
    # Saved on a bigger screen, far off to the side: restored inside the screen we have now.
    again.setGeometry(4000, 3000, 3000, 2000)
    again.close()
    again.translations.close()
    third = create_main_window(ctx)
    qtbot.addWidget(third)
    assert third.screen().availableGeometry().contains(third.geometry())
    third.close()
    third.translations.close()


def test_lost_login_opens_the_sign_in_dialog_once(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                                  ctx: DeskContext) -> None:  # noqa: F811
    ctx.logout()  # the server revokes the refresh token; the replica stays
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as blocker:
        window.start_sync()
    assert isinstance(blocker.args[0], AuthError)
    dialog = window.login_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.model.rowCount() > 0  # still readable while signed out
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.start_sync()  # a second failure does not stack a second dialog
    assert window.login_dialog is dialog
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as again:
        dialog.submit()  # signing in again syncs right away
    assert isinstance(again.args[0], SyncReport)


def test_header_click_sorts_in_the_store(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    header = window.table.horizontalHeader()
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        header.setSortIndicator(Column.TRACKING, Qt.SortOrder.DescendingOrder)
    tids = [int(window.model.index(r, Column.TRACKING).data())
            for r in range(window.model.rowCount())]
    assert tids == sorted(tids, reverse=True)
    # A column the store cannot sort by leaves the order (and the indicator) alone.
    header.setSortIndicator(Column.ASSIGNEE, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == Column.TRACKING
    assert window.model.query.sort.value == "tracking_id"


def test_first_sync_shows_progress_by_pages(qtbot: QtBot, ui_hub: tuple,  # noqa: F811
                                            tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "fresh", ui_hub[0], sync=False)  # noqa: F811
    ctx.settings.page_max_bytes = 4 * 1024  # many small pages
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    win = create_main_window(ctx)
    qtbot.addWidget(win)
    seen: list[object] = []
    texts: list[str] = []
    win.syncProgress.connect(seen.append)
    win.syncProgress.connect(lambda _p: texts.append(win.progress_label.text()))
    try:
        assert win.model.rowCount() == 0
        with qtbot.waitSignal(win.syncFinished, timeout=60_000) as blocker:
            win.sync_action.trigger()
            assert not win.progress.isHidden()
        report = blocker.args[0]
        assert isinstance(report, SyncReport) and report.pages > 1
        assert seen, "progress was reported"
        done = [p.complaints_done for p in seen]  # type: ignore[attr-defined]
        assert done == sorted(done)
        assert any(" laporan · " in t for t in texts)
        if win.model.rowCount() == 0:
            qtbot.waitSignal(win.inboxReloaded, timeout=10_000).wait()
        assert win.model.rowCount() == report.received
    finally:
        win.close()
        win.translations.close()
        ctx.close()


def test_status_filter_and_copying_tracking_ids(qtbot: QtBot,
                                                window: MainWindow) -> None:  # noqa: F811
    index = window.status_combo.findData("ditindaklanjuti")
    assert window.status_combo.itemText(index) == "Ditindaklanjuti"
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        window.status_combo.setCurrentIndex(index)
    n = window.model.rowCount()
    assert n >= 2
    assert {window.model.record(r).status for r in range(n)} == {"ditindaklanjuti"}
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_rows() == [0, 1]
    window.copy_ids_action.trigger()
    expected = [str(window.model.record(r).tracking_id) for r in (0, 1)]
    assert QGuiApplication.clipboard().text().split("\n") == expected
