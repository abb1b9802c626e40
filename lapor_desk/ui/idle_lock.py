"""Idle lock: after ``settings.idle_lock_minutes`` without keyboard or mouse input anywhere in
the application (0 = never), the session locks.

Locking saves the response being typed, stops syncing, empties every view that shows complaint
data, closes the local database (on the "db" worker, after the reads already queued; a
passphrase profile also forgets its vault key) and shows a lock screen. Unlocking a keyring
profile signs in to the server again through ``ctx.login`` on the "net" worker (the password is
never stored, so unlocking needs the server); a passphrase profile is unlocked with its
passphrase, offline. Then the database is reopened and the views reload.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError, OfflineError
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.models.store import Store
    from lapor_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class LockDialog(QDialog):
    """The lock screen: who is signed in, a password field, Unlock and Quit.

    ``passphrase``: the profile is unlocked with its passphrase (no keyring), not the server
    password; ``at_start``: shown before the window opens rather than after idling.
    """

    unlockRequested = Signal(str)  # the password (passed on, never kept)
    quitRequested = Signal()

    def __init__(self, username: str, parent: QWidget | None = None, *,
                 passphrase: bool = False, at_start: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._username = username
        self.passphrase = passphrase
        self.at_start = at_start
        self.intro = PlainLabel(selectable=False)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._caption = QLabel()
        self._caption.setBuddy(self.password_edit)
        form = QFormLayout()
        form.addRow(self._caption, self.password_edit)
        self.error_label = PlainLabel(selectable=True)
        self.error_label.setObjectName("lockError")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton()
        self.quit_button.setAutoDefault(False)  # Return never quits (not even while busy)
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.unlock_button.clicked.connect(self.submit)
        # Return in the password field unlocks by itself, not through the dialog's default
        # button (which Qt may move while the field and button are disabled during a check).
        self.password_edit.returnPressed.connect(self.submit)
        self.quit_button.clicked.connect(self.quitRequested.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.password_edit.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("LAPOR! Desk is locked"))
        if self.at_start:
            intro = self.tr(
                "The data of %1 on this computer is protected by a passphrase. Enter it to "
                "open LAPOR! Desk."
            )
        elif self.passphrase:
            intro = self.tr(
                "The session was locked after a period without activity. Enter the passphrase "
                "of this profile (%1) to continue; no connection is needed."
            )
        else:
            intro = self.tr(
                "The session was locked after a period without activity. Enter the password of "
                "%1 to continue. Unlocking checks it with the server, or on this computer while "
                "the server cannot be reached."
            )
        self.intro.setText(intro.replace("%1", self._username))
        if self.passphrase:
            self._caption.setText(self.tr("&Passphrase:"))
            self.password_edit.setAccessibleName(self.tr("Passphrase"))
        else:
            self._caption.setText(self.tr("&Password:"))
            self.password_edit.setAccessibleName(self.tr("Password"))
        self.error_label.setAccessibleName(self.tr("Unlock error"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.quit_button.setText(self.tr("&Quit"))

    def submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return  # already checking
        password = self.password_edit.text()
        if not password:
            self.show_error(self.tr("Please enter your passphrase.") if self.passphrase
                            else self.tr("Please enter your password."))
            return
        self.set_busy(True)
        self.password_edit.clear()
        self.unlockRequested.emit(password)

    def set_busy(self, busy: bool) -> None:
        self.password_edit.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if not busy:
            self.unlock_button.setDefault(True)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self.password_edit.setFocus()

    def reject(self) -> None:
        """Esc does not unlock (only the password does)."""

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class IdleLock(QObject):
    lockedChanged = Signal(bool)
    unlockFailed = Signal(str)  # the message shown

    def __init__(self, window: MainWindow, *, timeout_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.dialog: LockDialog | None = None
        self._hidden_docks: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self._from_settings = timeout_ms is None  # follow the settings dialog's changes
        self.set_timeout_ms(
            timeout_ms
            if timeout_ms is not None
            else max(0, int(window.ctx.settings.idle_lock_minutes)) * 60_000
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.closed.connect(self._window_closed)

    def set_timeout_ms(self, ms: int) -> None:
        """0 turns the lock off; otherwise the countdown restarts with the new length."""
        self.timer.setInterval(max(0, ms))
        if ms > 0 and not self.locked:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.locked or event.type() not in INPUT_EVENTS:
            return False
        if self._from_settings:
            minutes = max(0, int(self.window.ctx.settings.idle_lock_minutes))
            if minutes * 60_000 != self.timer.interval():
                self.set_timeout_ms(minutes * 60_000)
                return False
        if self.timer.interval() > 0:
            self.timer.start()
        return False

    def _window_closed(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # -- locking -------------------------------------------------------------------------

    def lock(self) -> None:
        w = self.window
        if self.locked or w._closing:
            return
        self.timer.stop()
        w.response_editor.flush(wait=True)  # what was typed is in the local draft first
        self.locked = True
        w.locked = True
        w.sync_triggers.stop()
        w._search_timer.stop()
        w.cancel_sync()
        self._empty_views()
        ctx = w.ctx

        # Attachment copies written in plain text for opening go too; a passphrase profile
        # forgets its vault key. On the db worker: after the reads already queued there, none
        # of them half-done.
        w.tasks.run(ctx.lock, self._closed, self._close_failed, pool="db")
        self.dialog = LockDialog(ctx.settings.username or "", w, passphrase=ctx.uses_passphrase)
        self.dialog.unlockRequested.connect(self._unlock)
        self.dialog.quitRequested.connect(w.close)
        self.dialog.open()
        self.lockedChanged.emit(True)

    def _closed(self, _result: object) -> None:
        if self.locked:
            self._clear_data()  # results of reads queued before the close arrived meanwhile

    def _empty_views(self) -> None:
        self._clear_data()
        self.window.centralWidget().setVisible(False)
        self._hidden_docks = [d for d in self._docks() if d.isVisible()]
        for dock in self._hidden_docks:
            dock.setVisible(False)

    def _clear_data(self) -> None:
        w = self.window
        w.model.set_result(w.model.query, [])
        w.table.clearSelection()
        w.detail.clear()
        w.response_editor.set_complaint(None)
        queue = w.approval_queue
        queue.model.set_items([])
        for view in (queue.response_view, queue.complaint_view, queue.diff_view):
            view.clear()
        power = getattr(w, "power", None)
        if power is not None:
            power.attention.model.set_items([])
            power.attention.detail.clear()
        similar = getattr(w, "similar", None)
        if similar is not None:
            similar.clear()

    def _docks(self) -> list[QWidget]:
        from PySide6.QtWidgets import QDockWidget

        return list(self.window.findChildren(QDockWidget))

    def _close_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Exception):
            raise exc
        log.error("closing the database at idle lock failed", exc_info=exc)

    # -- unlocking -----------------------------------------------------------------------

    def _unlock(self, password: str) -> None:
        ctx = self.window.ctx
        if ctx.uses_passphrase:
            # Offline: the passphrase opens the vault; the refresh token inside still signs
            # the next sync in, so no server is needed to go back to work.
            self.window.tasks.run(lambda: ctx.unlock(password), self._signed_in,
                                  self._unlock_failed, pool="db", key="unlock")
            return
        server, username = ctx.settings.server_url or "", ctx.settings.username or ""

        def work() -> Any:
            try:
                user = ctx.login(server, username, password)
            except OfflineError:
                # No link (days, sometimes): the verifier kept at the last sign-in in this
                # window decides; without one, the server is still needed.
                if ctx.unlock_offline(password):
                    return None
                raise
            ctx.remember_unlock(password)
            return user

        self.window.tasks.run(work, self._signed_in, self._unlock_failed, pool="net", key="unlock")

    def _unlock_failed(self, exc: BaseException) -> None:
        if self.dialog is None:
            return
        lang = self.window.lang
        if isinstance(exc, OfflineError):
            text = self.tr("Unlocking needs the server, and it cannot be reached now: %1").replace(
                "%1", exc.message(lang)
            )
        elif isinstance(exc, LaporError):
            text = exc.message(lang)
        else:
            log.error("unlock failed unexpectedly", exc_info=exc)
            text = self.tr(
                "Unlocking failed because of an unexpected error. Details are in the log."
            )
        self.dialog.set_busy(False)
        self.dialog.show_error(text)
        self.unlockFailed.emit(text)

    def _signed_in(self, _user: Any) -> None:
        ctx = self.window.ctx
        self.window.tasks.run(ctx.open_store, self._reopened, self._reopen_failed, pool="db")

    def _reopen_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError) and self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.show_error(exc.message(self.window.lang))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def _reopened(self, store: Store) -> None:
        w = self.window
        self._rebind(w.store, store)
        self.locked = False
        w.locked = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        w.centralWidget().setVisible(True)
        for dock in self._hidden_docks:
            dock.setVisible(True)
        self._hidden_docks = []
        w.sync_triggers.start()
        w.reload_inbox()
        w.refresh_status()
        if not w.approval_dock.isHidden():
            w.approval_queue.reload()
        power = getattr(w, "power", None)
        if power is not None:
            power.sidebar.refresh_counts_now()
            power.attention.refresh()
        if self.timer.interval() > 0:
            self.timer.start()
        self.lockedChanged.emit(False)

    def _rebind(self, old: Store, new: Store) -> None:
        """Every part of the window that holds the closed store gets the reopened one."""
        w = self.window
        power = getattr(w, "power", None)
        holders: list[object] = [w, w.model, w.approval_queue]
        outboxes: list[object] = [w.response_editor.outbox, w.approval_queue.outbox]
        if power is not None:
            holders += [power.sidebar, power.triage]
            outboxes += [power.outbox, power.attention._outbox, power.triage._outbox]
        for obj in holders:
            for attr in ("store", "_store"):
                if getattr(obj, attr, None) is old:
                    setattr(obj, attr, new)
        for outbox in outboxes:
            if getattr(outbox, "store", None) is old:
                outbox.store = new  # type: ignore[attr-defined]


def install(window: MainWindow, *, timeout_ms: int | None = None) -> IdleLock:
    return IdleLock(window, timeout_ms=timeout_ms)
