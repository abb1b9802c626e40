"""Two people on one PC: sign out with unsent work, another account signs in on its own
profile, the first comes back and its work is sent. The real run_app loop over a real hub."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Hub
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.settings import ProfileDir
from lapor_desk.ui.app import run_app
from lapor_desk.ui.login_dialog import LoginDialog
from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _keyring_ctx(home: Path, hub: Hub) -> DeskContext:
    """A profile on the (test) keyring, as the product uses it: the account's other profile
    is opened from its own keyring entries."""
    ctx = DeskContext.for_home(home, transport_options={"attempts": 1, "deadline": 20.0})
    ctx.login(hub.url, "officer", PASSWORD)
    ctx.sync()
    return ctx


def _first_complaint(ctx: DeskContext) -> str:
    return ctx.open_store().ids(ComplaintQuery())[0]


class Script:
    """Steps run by a timer inside the app's own event loops (dialogs run exec())."""

    def __init__(self, steps: list[Callable[[], bool]]) -> None:
        self.steps = steps
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.tick)
        self.synced: dict[int, int] = {}  # id(window) -> finished syncs
        self.error: BaseException | None = None

    def tick(self) -> None:
        if not self.steps:
            self.timer.stop()
            return
        try:
            if self.steps[0]():
                self.steps.pop(0)
        except BaseException as exc:  # fail the test, not the event loop
            self.error = exc
            self.timer.stop()
            for w in QApplication.topLevelWidgets():
                w.close()
            QApplication.exit(1)

    def window(self, username: str) -> MainWindow | None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible() and not w.signed_out \
                    and w.ctx.settings.username == username:
                if id(w) not in self.synced:
                    self.synced[id(w)] = 0
                    key = id(w)
                    w.syncFinished.connect(lambda _r, k=key: self._count(k))
                return w
        return None

    def _count(self, key: int) -> None:
        self.synced[key] += 1

    def synced_window(self, username: str) -> MainWindow | None:
        w = self.window(username)
        return w if w is not None and self.synced[id(w)] > 0 and not w.syncing else None


def _login_dialog() -> LoginDialog | None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, LoginDialog) and w.isVisible():
            return w
    return None


def test_switch_user_keeps_unsent_work_and_each_account_has_its_own_profile(
        qtbot: QtBot, ui_hub: tuple[Hub, str], tmp_path: Path) -> None:  # noqa: F811
    hub = ui_hub[0]
    ctx = _keyring_ctx(tmp_path / "default", hub)
    complaint = _first_complaint(ctx)
    seen: dict[str, Any] = {}
    script = Script([])

    def note_then_sign_out() -> bool:
        win = script.synced_window("officer")
        if win is None:
            return False
        win.ctx.outbox().add_note(complaint, "Catatan yang belum terkirim saat keluar.")
        win.sign_out_action.trigger()
        return True

    def keep_and_sign_out() -> bool:
        win = script.window("officer")
        box = win.sign_out_box if win is not None else None
        if box is None or not box.isVisible():
            return False
        seen["warning"] = box.text()
        keep = next(b for b in box.buttons() if b.objectName() == "signOutKeepButton")
        keep.click()
        return True

    def sign_in(username: str) -> Callable[[], bool]:
        def step() -> bool:
            dialog = _login_dialog()
            if dialog is None:
                return False
            seen.setdefault("prefilled", dialog.username_edit.text())
            dialog.username_edit.setText(username)
            dialog.password_edit.setText(PASSWORD)
            dialog.submit()
            return True
        return step

    def second_user_works_then_signs_out() -> bool:
        win = script.synced_window("officer2")
        if win is None:
            return False
        seen["officer2_home"] = win.ctx.profile.home
        seen["officer2_title"] = win.windowTitle()
        seen["officer2_rows"] = win.model.rowCount()
        win.sign_out_action.trigger()  # nothing unsent: no question asked
        return True

    def first_user_back() -> bool:
        win = script.synced_window("officer")
        if win is None:
            return False
        seen["officer_home"] = win.ctx.profile.home
        seen["pending_after"] = win.ctx.status().pending
        win.close()
        return True

    script.steps = [note_then_sign_out, keep_and_sign_out, sign_in("officer2"),
                    second_user_works_then_signs_out, sign_in("officer"), first_user_back]
    script.timer.start()
    code = run_app(ctx)
    script.timer.stop()
    if script.error is not None:
        raise script.error
    assert code == 0 and not script.steps
    assert seen["warning"] == "1 perubahan di komputer ini belum sampai ke server."
    assert seen["prefilled"] == "officer"
    # Each account on its own profile; the first account's work was kept, then sent.
    assert seen["officer2_home"] == tmp_path / "officer2" and seen["officer2_rows"] > 0
    assert seen["officer2_title"].startswith("LAPOR! Desk — ")  # whose window this is
    name = ProfileDir(tmp_path / "officer2").load().display_name
    assert name and name in seen["officer2_title"]
    assert seen["officer_home"] == tmp_path / "default"
    assert seen["pending_after"] == 0
    again = DeskContext.for_home(tmp_path / "default")
    try:
        notes = [e for e in again.outbox().entries() if e.kind == "complaint.note"]
        assert [e.state for e in notes] == ["applied"]
    finally:
        again.close()
    ctx.close()


def test_sync_first_sends_the_work_then_signs_out(
        qtbot: QtBot, ui_hub: tuple[Hub, str], tmp_path: Path) -> None:  # noqa: F811
    from lapor_desk.ui.app import create_main_window

    ctx = _keyring_ctx(tmp_path / "p", ui_hub[0])
    ctx.outbox().add_note(_first_complaint(ctx), "Catatan yang dikirim sebelum keluar.")
    win = create_main_window(ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.show()
    win.sign_out_action.trigger()
    qtbot.waitUntil(lambda: win.sign_out_box is not None and win.sign_out_box.isVisible(),
                    timeout=10_000)
    box = win.sign_out_box
    assert isinstance(box, QMessageBox)
    first = next(b for b in box.buttons() if b.objectName() == "syncFirstButton")
    assert box.defaultButton() is first
    with qtbot.waitSignal(win.signedOut, timeout=30_000):
        first.click()
    assert win.sign_out_box is None  # everything went: no second question
    assert not ctx.is_logged_in() and ctx.status().pending == 0
    assert ctx.settings.username == "officer"  # the profile stays this account's
    win.translations.close()
    ctx.close()
