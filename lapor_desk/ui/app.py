"""Application entry: ``run_app(ctx)`` (used by the CLI) and ``create_main_window(ctx)`` (tests).

Sets up the QApplication (names, SVG window icon), the translator (Indonesian by default), a
global exception hook, the sign-in dialog when the profile has no valid login, then the window.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from lapor_desk.errors import LaporError, NotLoggedInError
from lapor_desk.ui.i18n import Translations
from lapor_desk.ui.idle_lock import LockDialog
from lapor_desk.ui.login_dialog import LoginDialog
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.resources import icon
from lapor_desk.ui.single_instance import SingleInstance
from lapor_desk.ui.tasks import TaskManager

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")

if TYPE_CHECKING:
    from lapor_desk.core import DeskContext

log = logging.getLogger(__name__)

APP_NAME = "LAPOR! Desk"
ORG_NAME = "LAPOR Desk"

ExcHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ExceptionHook:
    """``sys.excepthook``: log with traceback, tell the user in plain language, keep running.

    The dialog never shows the traceback (it could hold complaint text); it offers to continue
    or to quit cleanly. Only one dialog is shown at a time.
    """

    def __init__(self, lang: Callable[[], str], parent: Callable[[], QWidget | None]) -> None:
        self._lang = lang
        self._parent = parent
        self._previous: ExcHook | None = None
        self.dialog: QMessageBox | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous

    def __call__(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.exit(130)
            return
        if isinstance(value, LaporError):
            log.error(
                "unhandled %s: %s", value.code, value.message("en"), exc_info=(etype, value, tb)
            )
            text = value.message(self._lang())
        else:
            log.error("unexpected error", exc_info=(etype, value, tb))
            text = translate(
                "ExceptionHook",
                "Something unexpected went wrong. The details were written to the log "
                "file. Your work saved on this computer is safe.",
            )
        try:
            self._show(text)
        except Exception:  # the hook must never raise itself
            log.exception("could not show the error dialog")

    def _show(self, text: str) -> None:
        if QApplication.instance() is None or self.dialog is not None:
            return
        box = QMessageBox(self._parent())
        box.setObjectName("errorDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(translate("ExceptionHook", "LAPOR! Desk: error"))
        box.setText(text)
        box.setInformativeText(
            translate("ExceptionHook", "You can continue working or close the application.")
        )
        cont = box.addButton(
            translate("ExceptionHook", "&Continue"), QMessageBox.ButtonRole.AcceptRole
        )
        quit_button = box.addButton(
            translate("ExceptionHook", "&Quit"), QMessageBox.ButtonRole.DestructiveRole
        )
        # Esc or the close button means "continue" (without an escape button QMessageBox
        # refuses to close, which would also block quitting the application).
        box.setEscapeButton(cont)
        box.setDefaultButton(cont)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(_result: int) -> None:
            self.dialog = None
            if box.clickedButton() is quit_button:
                app = QApplication.instance()
                if isinstance(app, QApplication):
                    app.closeAllWindows()  # windows save state and stop workers
                QApplication.exit(1)

        box.finished.connect(done)
        self.dialog = box
        box.open()


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("lapor-desk")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setDesktopFileName("lapor-desk")
    app.setWindowIcon(icon("app"))
    return app


def translation_cache(ctx: DeskContext) -> Path:
    return Path(ctx.profile.home) / "cache" / "translations"


def create_main_window(
    ctx: DeskContext,
    *,
    translations: Translations | None = None,
    tasks: TaskManager | None = None,
    sync_on_start: bool = False,
    demo: bool = False,
) -> MainWindow:
    """The main window over ``ctx`` (a QApplication must exist). Tests use this directly."""
    app = ensure_application()
    if translations is None:
        translations = Translations(app, translation_cache(ctx), ctx.settings.language or "id")
    return MainWindow(
        ctx, tasks=tasks, translations=translations, sync_on_start=sync_on_start, demo=demo
    )


def has_valid_login(ctx: DeskContext) -> bool:
    """True when the profile holds a login the core can use (no network needed)."""
    check = getattr(ctx, "is_logged_in", None)
    if callable(check):
        try:
            return bool(check())
        except LaporError:
            return False
    if not (ctx.settings.server_url and ctx.settings.username):
        return False
    try:
        ctx.status()
    except NotLoggedInError:
        return False
    return True


def connect_unlock(ctx: DeskContext, tasks: TaskManager, dialog: LockDialog, lang: str) -> None:
    """The start-up lock dialog asks for the passphrase until it opens the vault (accepted) or
    the user quits (rejected)."""

    def opened(_result: object) -> None:
        dialog.done(int(QDialog.DialogCode.Accepted))

    def failed(exc: BaseException) -> None:
        dialog.set_busy(False)
        if isinstance(exc, LaporError):
            dialog.show_error(exc.message(lang))
        else:
            log.error("unlock failed unexpectedly", exc_info=exc)
            dialog.show_error(translate("App", "Unlocking failed because of an unexpected "
                                               "error. Details are in the log."))

    dialog.unlockRequested.connect(
        lambda passphrase: tasks.run(lambda: ctx.unlock(passphrase), opened, failed,
                                     pool="db", key="unlock"))
    dialog.quitRequested.connect(lambda: dialog.done(int(QDialog.DialogCode.Rejected)))


def run_app(ctx: DeskContext, *, demo: bool = False) -> int:
    """Run the desktop window until it closes; returns the process exit code."""
    app = ensure_application()
    # Not "quit on last window closed": its posted quit event could end a later event loop.
    quit_on_last = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    translations = Translations(app, translation_cache(ctx), ctx.settings.language or "id")
    instance = SingleInstance(Path(ctx.profile.home))
    if not instance.acquire():
        translations.close()
        app.setQuitOnLastWindowClosed(quit_on_last)
        print(translate("App", "LAPOR! Desk is already running for this profile; "
                               "its window was brought to the front."), flush=True)
        return 0
    window: MainWindow | None = None
    front: QWidget | None = None

    def raise_front() -> None:
        _bring_to_front(front)

    instance.activationRequested.connect(raise_front)
    hook = ExceptionHook(lambda: translations.lang, lambda: window)
    hook.install()
    tasks = TaskManager()
    given = ctx  # the caller closes it; a context for another account is closed here
    try:
        while True:
            if ctx.needs_passphrase:
                lock = LockDialog(ctx.settings.username or "", passphrase=True, at_start=True)
                lock.setWindowIcon(icon("app"))
                front = lock
                connect_unlock(ctx, tasks, lock, translations.lang)
                unlocked = lock.exec() == int(QDialog.DialogCode.Accepted)
                front = None
                if not unlocked:
                    return 0
            if not has_valid_login(ctx):
                # After a sign-out another person may sign in: on their own profile.
                dialog = LoginDialog(ctx, tasks, lang=translations.lang,
                                     switch_profiles=not demo)
                dialog.setWindowIcon(icon("app"))
                front = dialog
                accepted = dialog.exec() == int(LoginDialog.DialogCode.Accepted)
                front = None
                if not accepted:
                    return 0
                if dialog.ctx is not ctx:
                    instance.release()
                    instance = SingleInstance(Path(dialog.ctx.profile.home))
                    instance.activationRequested.connect(raise_front)
                    ctx.close()  # the previous account's database and network are let go
                    ctx = dialog.ctx
                    if not instance.acquire():
                        print(translate("App", "LAPOR! Desk is already running for this "
                                               "profile; its window was brought to the front."),
                              flush=True)
                        return 0
                    continue  # a sealed profile unlocks first; then its login is checked
            window = MainWindow(
                ctx, tasks=tasks, translations=translations, sync_on_start=True, demo=demo
            )
            front = window
            # Quit when this window closes, whatever other top-level widgets exist.
            window.closed.connect(lambda: app.exit(0))
            window.show()
            code = int(app.exec())
            if not window.signed_out:
                return code
            window.deleteLater()
            window = None
            tasks = TaskManager()  # the window stopped the old one's workers
    finally:
        app.setQuitOnLastWindowClosed(quit_on_last)
        if window is not None:
            window.close()
        tasks.shutdown()
        hook.uninstall()
        translations.close()
        instance.release()
        if ctx is not given:
            ctx.close()


def _bring_to_front(widget: QWidget | None) -> None:
    """A second launch on this profile: show the running window instead."""
    if widget is None:
        return
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()
