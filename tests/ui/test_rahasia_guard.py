"""Rahasia guard: a confidential complaint's text leaves the window only after a confirmation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.widgets import PlainView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SENTINEL = "clipboard before"


def _open(win: MainWindow, qtbot: QtBot, cid: str) -> None:
    row = win.model.row_of(cid)
    assert row is not None
    win.select_row(row)
    qtbot.waitUntil(lambda: win.detail.detail is not None and win.detail.detail.row.id == cid,
                    timeout=10_000)


def _answer(view: PlainView, qtbot: QtBot, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: view.confirm_box is not None and view.confirm_box.isVisible())
    box = view.confirm_box
    assert box is not None and box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.button(button).click()
    qtbot.waitUntil(lambda: view.confirm_box is None)


def test_rahasia_text_is_copied_only_after_confirmation(
        window: MainWindow, ui_hub: tuple, qtbot: QtBot) -> None:  # noqa: F811
    _open(window, qtbot, ui_hub[1])  # the hostile complaint is confidential
    clipboard = QGuiApplication.clipboard()
    body = window.detail.body_view
    assert body.confidential and window.detail.thread_view.confidential
    # Labels (title, fields) cannot even be selected.
    assert window.detail.title_label.textInteractionFlags() == \
        Qt.TextInteractionFlag.NoTextInteraction
    body.setFocus()
    body.selectAll()
    clipboard.setText(SENTINEL)
    # Drag and the X11 selection get nothing.
    assert not body.createMimeDataFromSelection().hasText()
    # Ctrl+C asks; "No" copies nothing.
    qtbot.keyClick(body, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    _answer(body, qtbot, QMessageBox.StandardButton.No)
    assert clipboard.text() == SENTINEL
    # The context menu has no plain Copy, only the guarded one.
    menu = body.context_menu(QPoint(5, 5))
    names = [a.objectName() for a in menu.actions()]
    assert "edit-copy" not in names and "guarded-copy" in names
    next(a for a in menu.actions() if a.objectName() == "guarded-copy").trigger()
    menu.deleteLater()
    _answer(body, qtbot, QMessageBox.StandardButton.Yes)
    assert clipboard.text() == body.toPlainText() != SENTINEL
    # The permission was for that one copy only.
    clipboard.setText(SENTINEL)
    qtbot.keyClick(body, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert body.confirm_box is not None
    _answer(body, qtbot, QMessageBox.StandardButton.No)
    assert clipboard.text() == SENTINEL
    assert not body.createMimeDataFromSelection().hasText()


def test_ordinary_complaint_copies_without_asking(
        window: MainWindow, ui_hub: tuple, qtbot: QtBot) -> None:  # noqa: F811
    store = window.store
    rows = store.rows(store.ids(window.model.query))
    plain = next(r for r in rows if not r.is_confidential)
    _open(window, qtbot, plain.id)
    body = window.detail.body_view
    assert not body.confidential
    assert window.detail.title_label.textInteractionFlags() != \
        Qt.TextInteractionFlag.NoTextInteraction
    body.setFocus()
    body.selectAll()
    QGuiApplication.clipboard().setText(SENTINEL)
    qtbot.keyClick(body, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert body.confirm_box is None
    assert QGuiApplication.clipboard().text() == body.toPlainText()
    names = [a.objectName() for a in body.context_menu(QPoint(5, 5)).actions()]
    assert "edit-copy" in names
