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

from lapor_desk.errors import KeyringUnavailableError, LaporError
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
        switch_profiles: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``switch_profiles``: another account signs in on its own profile (a shared PC);
        ``ctx`` is then the context the accepted dialog signed in, maybe a new one."""
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.ctx = ctx
        self._switch = switch_profiles
        self._target = ctx
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

        # Shown only when this computer has no OS keyring: the user chooses a passphrase that
        # seals the database key instead (never a silent fallback, never a plain key file).
        self.passphrase_box = QWidget()
        self.passphrase_box.setObjectName("passphraseBox")
        self.passphrase_note = PlainLabel(selectable=False)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("newPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_confirm = QLineEdit()
        self.passphrase_confirm.setObjectName("confirmPassphrase")
        self.passphrase_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self._pp_caption = QLabel()
        self._pp_caption.setBuddy(self.passphrase_edit)
        self._pp2_caption = QLabel()
        self._pp2_caption.setBuddy(self.passphrase_confirm)
        pp_form = QFormLayout()
        pp_form.setContentsMargins(0, 0, 0, 0)
        pp_form.addRow(self.passphrase_note)
        pp_form.addRow(self._pp_caption, self.passphrase_edit)
        pp_form.addRow(self._pp2_caption, self.passphrase_confirm)
        self.passphrase_box.setLayout(pp_form)
        self.passphrase_box.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_box)
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
        self.passphrase_note.setText(
            self.tr(
                "This computer has no system keyring to keep the key of your local data. "
                "Choose a passphrase (at least 10 characters, several words) to protect it "
                "instead; LAPOR! Desk asks for it each time it opens. It cannot be recovered."
            )
        )
        self._pp_caption.setText(self.tr("Pass&phrase:"))
        self._pp2_caption.setText(self.tr("&Repeat passphrase:"))
        self.passphrase_edit.setAccessibleName(self.tr("New passphrase"))
        self.passphrase_confirm.setAccessibleName(self.tr("Repeat the passphrase"))
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
        base = self.ctx
        asked = self.passphrase_box.isVisible()
        protect = asked and not base.uses_passphrase
        passphrase, confirm = self.passphrase_edit.text(), self.passphrase_confirm.text()
        if protect and not passphrase:
            self._show_error(self.tr("Please choose a passphrase for this computer."))
            self.passphrase_edit.setFocus()
            return
        self.error_label.setVisible(False)
        self._set_busy(True)

        def work() -> Any:
            ctx = base.for_account(server, username) if self._switch else base
            self._target = ctx
            if ctx is not base and ctx.needs_passphrase:
                return ctx, None  # the account's profile is sealed: the app unlocks it first
            if asked and not ctx.uses_passphrase:
                ctx.protect_with_passphrase(passphrase, confirm)
            user = ctx.login(server, username, password)
            ctx.remember_unlock(password)  # so the idle lock can open offline later
            return ctx, user

        self._job = self._tasks.run(work, self._done, self._failed, pool="net", key="login")

    def _set_busy(self, busy: bool) -> None:
        for w in (self.server_edit, self.username_edit, self.password_edit,
                  self.passphrase_edit, self.passphrase_confirm):
            w.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self._job = None
        ctx, user = result
        if ctx is not self.ctx:
            self.ctx = ctx
            log.info("signed in on another account's profile")
        for edit in (self.password_edit, self.passphrase_edit, self.passphrase_confirm):
            edit.clear()
        self._set_busy(False)
        self.loggedIn.emit(user)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        self.password_edit.clear()
        self._set_busy(False)
        if self._target.uses_passphrase:
            self.passphrase_box.setVisible(False)  # chosen already; the vault exists
        elif isinstance(exc, KeyringUnavailableError):
            self.passphrase_box.setVisible(True)
            self.passphrase_edit.clear()
            self.passphrase_confirm.clear()
            self._show_error(exc.message(self._lang))
            self.passphrase_edit.setFocus()
            return
        if isinstance(exc, LaporError):
            self._show_error(exc.message(self._lang))
        else:
            log.error("login failed unexpectedly", exc_info=exc)
            self._show_error(
                self.tr("Sign-in failed because of an unexpected error. Details are in the log.")
            )
        self.password_edit.setFocus()
