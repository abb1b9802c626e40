"""Sign-in dialog. ``ctx.login`` runs on the network worker; the password is never stored."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.ui.tasks import TaskManager
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.core import DeskContext

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    loggedIn = Signal(object)  # UserInfo
    loginFailed = Signal(str)  # the message shown

    def __init__(
        self,
        ctx: DeskContext,
        tasks: TaskManager,
        *,
        lang: str = "id",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._ctx = ctx
        self._tasks = tasks
        self._lang = lang
        self._job: int | None = None

        self.server_edit = QLineEdit(ctx.settings.server_url or "")
        self.server_edit.setObjectName("serverUrl")
        self.username_edit = QLineEdit(ctx.settings.username or "")
        self.username_edit.setObjectName("username")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = PlainLabel(selectable=True)
        self.error_label.setObjectName("loginError")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.setVisible(False)
        self.intro = PlainLabel(selectable=False)

        self._server_caption = QLabel()
        self._user_caption = QLabel()
        self._password_caption = QLabel()
        for caption, edit in (
            (self._server_caption, self.server_edit),
            (self._user_caption, self.username_edit),
            (self._password_caption, self.password_edit),
        ):
            caption.setBuddy(edit)
        form = QFormLayout()
        form.addRow(self._server_caption, self.server_edit)
        form.addRow(self._user_caption, self.username_edit)
        form.addRow(self._password_caption, self.password_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        (
            self.password_edit
            if self.username_edit.text()
            else self.username_edit
            if self.server_edit.text()
            else self.server_edit
        ).setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to LAPOR! Desk"))
        self.intro.setText(
            self.tr(
                "Sign in with your LAPOR! account. Your password is not saved on this computer."
            )
        )
        self._server_caption.setText(self.tr("&Server address:"))
        self._user_caption.setText(self.tr("&Username:"))
        self._password_caption.setText(self.tr("&Password:"))
        self.server_edit.setAccessibleName(self.tr("Server address"))
        self.server_edit.setPlaceholderText("https://lapor.example.go.id")
        self.username_edit.setAccessibleName(self.tr("Username"))
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.error_label.setAccessibleName(self.tr("Sign-in error"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign &in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self.loginFailed.emit(text)

    def submit(self) -> None:
        if self._job is not None:
            return
        server = self.server_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not server or not username or not password:
            self._show_error(self.tr("Please fill in the server address, username and password."))
            return
        self.error_label.setVisible(False)
        self._set_busy(True)
        ctx = self._ctx

        def work() -> Any:
            return ctx.login(server, username, password)

        self._job = self._tasks.run(work, self._done, self._failed, pool="net", key="login")

    def _set_busy(self, busy: bool) -> None:
        for w in (self.server_edit, self.username_edit, self.password_edit):
            w.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _done(self, user: Any) -> None:
        self._job = None
        self.password_edit.clear()
        self._set_busy(False)
        self.loggedIn.emit(user)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        self.password_edit.clear()
        self._set_busy(False)
        if isinstance(exc, LaporError):
            self._show_error(exc.message(self._lang))
        else:
            log.error("login failed unexpectedly", exc_info=exc)
            self._show_error(
                self.tr("Sign-in failed because of an unexpected error. Details are in the log.")
            )
        self.password_edit.setFocus()
