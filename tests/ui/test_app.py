"""Application entry: exception hook, sign-in dialog and run_app over a real hub."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, make_ctx, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.errors import AuthError, DiskFullError
from lapor_desk.secrets import MemorySecrets
from lapor_desk.ui.app import ExceptionHook, run_app
from lapor_desk.ui.i18n import Translations
from lapor_desk.ui.login_dialog import LoginDialog
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.tasks import TaskManager

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _raise(exc: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


@pytest.fixture
def indonesian(tmp_path: Path) -> Iterator[Translations]:
    app = QApplication.instance()
    assert app is not None
    translations = Translations(app, tmp_path / "qm", "id")
    yield translations
    translations.close()


def test_exception_hook_logs_and_shows_a_plain_dialog(qtbot: QtBot, indonesian: Translations,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    hook = ExceptionHook(lambda: indonesian.lang, lambda: None)
    etype, value, tb = _raise(ValueError("isi laporan <b>rahasia</b>"))
    with caplog.at_level(logging.ERROR, logger="lapor_desk.ui.app"):
        hook(etype, value, tb)  # type: ignore[arg-type]
    assert caplog.records and caplog.records[0].exc_info is not None
    box = hook.dialog
    assert box is not None
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "rahasia" not in box.text() and "Traceback" not in box.text()
    assert box.text().startswith("Terjadi kesalahan")
    # A second error while the dialog is open only logs.
    hook(*_raise(RuntimeError("again")))  # type: ignore[arg-type]
    assert hook.dialog is box
    (cont,) = [b for b in box.buttons()
               if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    assert cont.text() == "&Lanjutkan"
    with qtbot.waitSignal(box.finished, timeout=5_000):
        cont.click()
    assert hook.dialog is None


def test_exception_hook_shows_lapor_error_message(qtbot: QtBot) -> None:
    hook = ExceptionHook(lambda: "en", lambda: None)
    hook(*_raise(DiskFullError()))  # type: ignore[arg-type]
    assert hook.dialog is not None
    box = hook.dialog
    assert box.text() == DiskFullError().message("en")
    with qtbot.waitSignal(box.finished, timeout=5_000):
        box.close()  # closing the dialog means "continue"
    assert hook.dialog is None


def test_login_dialog_against_real_server(qtbot: QtBot, ui_hub: tuple,  # noqa: F811
                                          tmp_path: Path) -> None:
    hub, _ = ui_hub
    ctx = DeskContext.for_home(tmp_path / "p", secrets=MemorySecrets(),
                               transport_options={"attempts": 1})
    tasks = TaskManager()
    dialog = LoginDialog(ctx, tasks, lang="id")
    qtbot.addWidget(dialog)
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    dialog.server_edit.setText(hub.url)
    dialog.username_edit.setText("officer")
    qtbot.keyClicks(dialog.password_edit, "wrong-password")
    with qtbot.waitSignal(dialog.loginFailed, timeout=20_000) as failed:
        dialog.submit()
    assert failed.args[0] == AuthError().message("id")
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.password_edit.text() == ""
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.loggedIn, timeout=20_000):
        dialog.submit()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert ctx.settings.username == "officer"
    assert PASSWORD not in ctx.profile.settings_path.read_text()
    tasks.shutdown()
    ctx.close()


def test_run_app_syncs_on_start_and_closes_cleanly(qtbot: QtBot, ui_hub: tuple,  # noqa: F811
                                                   tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "p", ui_hub[0], sync=False)
    seen: list[object] = []

    def watch() -> None:
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

        def finished(result: object) -> None:
            seen.append(result)
            win.close()

        win.syncFinished.connect(finished)

    QTimer.singleShot(0, watch)
    assert run_app(ctx, demo=True) == 0
    assert seen and type(seen[0]).__name__ == "SyncReport"
    assert ctx.open_store().status_counts()[0] > 0
    ctx.close()


def test_run_app_without_login_shows_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = DeskContext.for_home(tmp_path / "p", secrets=MemorySecrets())
    shown: list[str] = []

    def cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog))
        shown.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert run_app(ctx) == 0
    assert shown == ["Masuk ke LAPOR! Desk"]
    ctx.close()
