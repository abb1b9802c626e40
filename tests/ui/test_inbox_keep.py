"""Inbox selection across reloads, large batch triage progress, the checker panel's width."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from pytestqt.qtbot import QtBot
from ui_support import ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.models.outbox import PRIORITIES
from lapor_desk.ui.app import create_main_window
from lapor_desk.ui.inbox_model import Column
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.response_editor import CHECKER_MIN_WIDTH

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _selected_ids(win: MainWindow) -> set[str]:
    return {win.model.complaint_id(r) for r in win.selected_rows()} - {None}  # type: ignore[arg-type]


def test_multi_selection_and_current_survive_a_reload_that_moves_rows(
        window: MainWindow, qtbot: QtBot) -> None:  # noqa: F811
    win = window
    assert win.model.rowCount() > 10
    win.select_row(4)
    current = win.model.complaint_id(4)
    sel = QItemSelection()
    for r in (1, 4, 7, 9):
        sel.select(win.model.index(r, 0), win.model.index(r, 0))
    win.table.selectionModel().select(
        sel, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    chosen = _selected_ids(win)
    assert len(chosen) == 4
    before = [win.model.complaint_id(r) for r in range(win.model.rowCount())]
    # A different order: every kept id sits on another row after the reload.
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.table.sortByColumn(Column.TITLE, win.table.horizontalHeader().sortIndicatorOrder())
    after = [win.model.complaint_id(r) for r in range(win.model.rowCount())]
    assert after != before
    assert _selected_ids(win) == chosen
    assert win.model.complaint_id(win.table.currentIndex().row()) == current
    # A plain reload (as after a sync) keeps them too.
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.reload_inbox()
    assert _selected_ids(win) == chosen
    assert win.model.complaint_id(win.table.currentIndex().row()) == current


def test_large_batch_triage_reports_progress_while_the_window_runs(
        window: MainWindow, ctx: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    win = window
    store = ctx.open_store()
    ids = store.ids(win.model.query)
    assert len(ids) >= 40
    triage = win.power.triage
    seen: list[tuple[int, int]] = []
    label_texts: list[str] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        label_texts.append(win.progress_label.text())

    triage.progress.connect(progress)
    with qtbot.waitSignal(triage.queued, timeout=60_000) as done:
        triage.queue({cid: {"priority": PRIORITIES[0]} for cid in ids}, undo=False)
    entries: Any = done.args[0]
    assert len(entries) == len(ids)
    # Progress reached the GUI thread while the batch ran (its event loop was not blocked),
    # counting up; the status bar said so in Indonesian.
    assert seen and all(total == len(ids) for _, total in seen)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen})
    done_n = seen[-1][0]
    assert label_texts[-1] == f"Mengantrekan perubahan: {done_n} dari {len(ids)}"
    qtbot.waitUntil(lambda: not win.progress.isVisible())


def test_checker_panel_has_a_minimum_width_and_its_width_is_remembered(
        window: MainWindow, ctx: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    splitter = window.response_editor.splitter
    assert not splitter.childrenCollapsible()
    assert splitter.widget(1).minimumWidth() >= CHECKER_MIN_WIDTH
    total = sum(splitter.sizes())
    splitter.setSizes([10, total - 10])  # asks for less than the editor's minimum
    assert splitter.sizes()[0] >= CHECKER_MIN_WIDTH or total < 2 * CHECKER_MIN_WIDTH
    wanted = [total - CHECKER_MIN_WIDTH - 40, CHECKER_MIN_WIDTH + 40]
    splitter.setSizes(wanted)
    chosen = splitter.sizes()
    window.close()
    again = create_main_window(ctx)
    try:
        with qtbot.waitSignal(again.inboxReloaded, timeout=10_000):
            again.show()
        assert again.response_editor.splitter.sizes() == chosen
    finally:
        again.close()
        if again.translations is not None:
            again.translations.close()
        again.deleteLater()
