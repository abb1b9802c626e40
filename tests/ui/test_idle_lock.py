"""The idle lock over the real window, a real store and a real hub: locking closes the
database and empties the views; unlocking signs in to the server again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.ui.idle_lock import LockDialog
from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_idle_lock_closes_the_store_and_unlocks_with_the_password(
        window: MainWindow, ctx: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    rows = window.model.rowCount()
    assert rows > 0
    window.select_row(1)
    cid = window.model.complaint_id(1)
    qtbot.waitUntil(lambda: window.detail.detail is not None
                    and window.detail.detail.row.id == cid, timeout=10_000)
    store = window.store
    lock = window.idle_lock
    with qtbot.waitSignal(lock.lockedChanged, timeout=10_000):
        lock.set_timeout_ms(30)  # no input from here on: it locks by itself
    lock.set_timeout_ms(0)  # and not again after unlocking
    qtbot.waitUntil(lambda: store.closed, timeout=10_000)
    assert lock.locked and window.locked
    assert window.model.rowCount() == 0
    assert window.detail.detail is None and window.detail.content.isHidden()
    assert window.similar.model.rowCount() == 0
    assert window.power.attention.isHidden() or not window.power.attention_dock.isVisible()
    dialog = lock.dialog
    assert isinstance(dialog, LockDialog) and dialog.isVisible()

    # A wrong password keeps it locked, with a plain message; the store stays closed.
    qtbot.keyClicks(dialog.password_edit, "bukan-sandinya")
    with qtbot.waitSignal(lock.unlockFailed, timeout=20_000) as failed:
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert failed.args[0] and dialog.error_label.text() == failed.args[0]
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert lock.locked and store.closed and window.model.rowCount() == 0
    assert dialog.password_edit.text() == ""  # the password is not kept

    # Escape does not unlock.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert lock.locked and dialog.isVisible()

    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignals([lock.lockedChanged, window.inboxReloaded], timeout=20_000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert not lock.locked and lock.dialog is None
    assert window.store is ctx.open_store() and not window.store.closed
    assert window.model.rowCount() == rows
    assert window.model.record(0) is not None
    with qtbot.waitSignal(window.detailShown, timeout=10_000):
        window.select_row(2)
    assert window.detail.detail is not None

