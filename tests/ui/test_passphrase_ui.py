"""A PC with no OS keyring, in the window: the sign-in dialog offers a passphrase, the app asks
for it at start, and the idle lock unlocks with it offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from conftest import Hub, free_port
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, shown_window, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.ui.app import connect_unlock
from lapor_desk.ui.idle_lock import LockDialog
from lapor_desk.ui.login_dialog import LoginDialog
from lapor_desk.ui.tasks import TaskManager

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PASSPHRASE = "pohon mangga di depan balai desa"
OPTIONS = {"attempts": 1, "deadline": 20.0}


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    try:
        yield manager
    finally:
        manager.shutdown()


def test_no_keyring_sign_in_start_unlock_and_offline_idle_unlock(
        no_keyring: None, ui_hub: tuple[Hub, str], tasks: TaskManager,  # noqa: F811
        qtbot: QtBot, tmp_path: Path) -> None:
    home = tmp_path / "profile"
    ctx = DeskContext.for_home(home, transport_options=OPTIONS)
    login = LoginDialog(ctx, tasks)
    qtbot.addWidget(login)
    login.show()
    login.server_edit.setText(ui_hub[0].url)
    login.username_edit.setText("officer")
    assert not login.passphrase_box.isVisible()

    # The first try finds no keyring: the dialog explains and asks for a passphrase.
    login.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(login.loginFailed, timeout=20_000) as failed:
        login.submit()
    assert "keyring" in failed.args[0]
    assert login.passphrase_box.isVisible()
    assert not (home / "replica.db").exists() and not (home / "vault.json").exists()

    # Two different passphrases are refused; then it signs in and the vault exists.
    login.password_edit.setText(PASSWORD)
    login.passphrase_edit.setText(PASSPHRASE)
    login.passphrase_confirm.setText(PASSPHRASE + "!")
    with qtbot.waitSignal(login.loginFailed, timeout=20_000):
        login.submit()
    assert not (home / "vault.json").exists()
    login.password_edit.setText(PASSWORD)
    login.passphrase_confirm.setText(PASSPHRASE)
    with qtbot.waitSignal(login.loggedIn, timeout=20_000):
        login.submit()
    assert (home / "vault.json").exists() and ctx.uses_passphrase
    assert login.passphrase_edit.text() == "" and login.passphrase_confirm.text() == ""
    received = ctx.sync().received
    assert received > 10
    ctx.close()

    # The next start: locked until the passphrase opens it (a wrong one says so).
    ctx = DeskContext.for_home(home, transport_options=OPTIONS)
    assert ctx.needs_passphrase
    start = LockDialog("officer", passphrase=True, at_start=True)
    qtbot.addWidget(start)
    connect_unlock(ctx, tasks, start, "en")
    start.open()
    qtbot.keyClicks(start.password_edit, "bukan frasa yang benar")
    qtbot.keyClick(start.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: start.error_label.isVisible(), timeout=20_000)
    assert start.error_label.text() == "Wrong passphrase."
    assert ctx.needs_passphrase and start.isVisible()
    qtbot.keyClicks(start.password_edit, PASSPHRASE)
    qtbot.keyClick(start.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: start.result() == int(QDialog.DialogCode.Accepted), timeout=20_000)
    assert not ctx.needs_passphrase

    # The server is gone (a dead address); the idle lock still unlocks with the passphrase.
    ctx.relocate(f"http://127.0.0.1:{free_port()}")
    with shown_window(ctx, qtbot) as window:
        assert window.model.rowCount() > 0
        lock = window.idle_lock
        store = window.store
        with qtbot.waitSignal(lock.lockedChanged, timeout=10_000):
            lock.lock()
        qtbot.waitUntil(lambda: store.closed and ctx.needs_passphrase, timeout=10_000)
        assert window.model.rowCount() == 0
        dialog = lock.dialog
        assert isinstance(dialog, LockDialog) and dialog.passphrase
        qtbot.keyClicks(dialog.password_edit, "salah lagi frasa ini")
        with qtbot.waitSignal(lock.unlockFailed, timeout=20_000):
            qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        assert lock.locked and ctx.needs_passphrase
        qtbot.keyClicks(dialog.password_edit, PASSPHRASE)
        with qtbot.waitSignal(lock.lockedChanged, timeout=20_000) as unlocked:
            qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        assert unlocked.args == [False]
        qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    ctx.close()
