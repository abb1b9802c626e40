"""The idle lock over the real window, a real store and a real hub: locking closes the
database and empties the views; unlocking signs in to the server again."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import Hub
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, add_complaint, ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.ui.idle_lock import LockDialog
from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_idle_lock_closes_the_store_and_unlocks_with_the_password(
        window: MainWindow, ctx: DeskContext, ui_hub: tuple[Hub, str],  # noqa: F811
        qtbot: QtBot, tmp_path: Path) -> None:
    token = f"q{uuid.uuid4().hex[:8]}"
    cid = add_complaint(ui_hub[0].db, title=f"Lampu jalan mati {token}", body="Gelap.")
    with qtbot.waitSignal(window.syncFinished, timeout=20_000):
        window.start_sync()
    window.search_edit.setText(token)
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        window.reload_inbox()
    editor = window.response_editor
    window.select_row(0)  # (the table may already show row 0: wait for state, not a signal)
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.row.id == cid
                    and window.detail.detail is not None and window.detail.detail.row.id == cid,
                    timeout=10_000)
    qtbot.waitUntil(lambda: not window.tasks.busy("editor-load") and editor.editor.isEnabled(),
                    timeout=10_000)  # the draft lookup for the shown complaint is done
    window.search_edit.clear()
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        window.reload_inbox()
    rows = window.model.rowCount()
    assert rows > 1
    editor.editor.setFocus()
    typed = "Terima kasih, petugas sedang menuju lokasi."
    qtbot.keyClicks(editor.editor, typed)
    assert editor.dirty  # not saved yet when the lock comes
    # A plaintext copy exported for opening an attachment is removed by the lock.
    evidence = tmp_path / "bukti.txt"
    evidence.write_bytes(b"foto lokasi")
    exported = ctx.export_attachment(cid, ctx.attach_file(cid, evidence).id)
    assert exported.read_bytes() == b"foto lokasi"
    store = window.store
    lock = window.idle_lock
    with qtbot.waitSignal(lock.lockedChanged, timeout=10_000):
        lock.set_timeout_ms(30)  # no input from here on: it locks by itself
    lock.set_timeout_ms(0)  # and not again after unlocking
    qtbot.waitUntil(lambda: store.closed, timeout=10_000)
    assert lock.locked and window.locked
    assert not exported.exists()
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
    assert dialog.unlock_button.isDefault() and not dialog.quit_button.autoDefault()
    with qtbot.waitSignals([lock.lockedChanged, window.inboxReloaded], timeout=30_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.locked and lock.dialog is None
    # What was typed before the lock was saved to the local draft before the store closed.
    assert [d.body for d in ctx.outbox().drafts() if d.complaint_id == cid] == [typed]
    assert window.store is ctx.open_store() and not window.store.closed
    assert window.model.rowCount() == rows
    assert window.model.record(0) is not None
    with qtbot.waitSignal(window.detailShown, timeout=10_000):
        window.select_row(2)
    assert window.detail.detail is not None



def test_idle_lock_opens_offline_with_the_verifier_of_the_last_window_sign_in(
        window: MainWindow, ctx: DeskContext, ui_hub: tuple[Hub, str],  # noqa: F811
        qtbot: QtBot) -> None:
    from conftest import free_port

    from lapor_desk.secrets import UNLOCK_VERIFIER

    lock = window.idle_lock
    live, dead = ui_hub[0].url, f"http://127.0.0.1:{free_port()}"

    def lock_now() -> LockDialog:
        with qtbot.waitSignal(lock.lockedChanged, timeout=10_000):
            lock.lock()
        qtbot.waitUntil(lambda: window.store.closed, timeout=10_000)
        assert isinstance(lock.dialog, LockDialog)
        return lock.dialog

    def unlock(dialog: LockDialog, password: str, *, ok: bool) -> str:
        qtbot.keyClicks(dialog.password_edit, password)
        signal = lock.lockedChanged if ok else lock.unlockFailed
        with qtbot.waitSignal(signal, timeout=20_000) as got:
            qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        return str(got.args[0])

    # No sign-in typed in this window yet: offline, the server is still needed.
    assert ctx.secrets.get(UNLOCK_VERIFIER) is None
    dialog = lock_now()
    ctx.relocate(dead)
    assert "server" in unlock(dialog, PASSWORD, ok=False).lower()
    assert lock.locked
    # Online, the server checks the password, and a verifier (not the password) is kept.
    ctx.relocate(live)
    unlock(dialog, PASSWORD, ok=True)
    verifier = ctx.secrets.get(UNLOCK_VERIFIER)
    assert verifier is not None and PASSWORD not in verifier

    # The link drops: a wrong password stays locked, the right one opens, offline.
    ctx.relocate(dead)
    dialog = lock_now()
    unlock(dialog, "bukan-sandinya", ok=False)
    assert lock.locked and window.model.rowCount() == 0
    unlock(dialog, PASSWORD, ok=True)
    assert not lock.locked
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    # Logging out forgets the verifier with the tokens.
    ctx.relocate(live)
    ctx.logout()
    assert ctx.secrets.get(UNLOCK_VERIFIER) is None
