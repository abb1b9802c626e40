"""The settings dialog (server and CA bundle, language, sync interval, idle lock,
notifications) and the after-sync notifications (tray where available, else the status bar).

Values live in ``lapor_desk.settings.Settings``; the dialog only edits them and saves through
``DeskContext.save_settings``. The language applies at once (the i18n module switches live).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.resources import icon
from lapor_desk.ui.views_sidebar import AWAITING, DUE_SOON, MINE, RETURNED
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.core import DeskContext

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))


class SettingsDialog(QDialog):
    """Edits the profile's settings; ``saved`` carries the new language code."""

    saved = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.ctx = ctx
        s = ctx.settings
        self.setWindowTitle(self.tr("Settings"))
        self.server_edit = QLineEdit(s.server_url or "")
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setAccessibleName(self.tr("Server address"))
        self.ca_edit = QLineEdit(s.ca_bundle or "")
        self.ca_edit.setObjectName("caEdit")
        self.ca_edit.setAccessibleName(self.tr("CA bundle file"))
        self.ca_button = QPushButton(self.tr("&Browse…"))
        self.ca_button.clicked.connect(self._pick_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.setAccessibleName(self.tr("Language"))
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(s.language)))
        self.sync_spin = QSpinBox()
        self.sync_spin.setObjectName("syncSpin")
        self.sync_spin.setRange(1, 240)
        self.sync_spin.setValue(max(1, int(s.sync_interval_minutes)))
        self.sync_spin.setSuffix(self.tr(" min"))
        self.sync_spin.setAccessibleName(self.tr("Sync interval in minutes"))
        self.lock_spin = QSpinBox()
        self.lock_spin.setObjectName("lockSpin")
        self.lock_spin.setRange(0, 480)
        self.lock_spin.setValue(max(0, int(s.idle_lock_minutes)))
        self.lock_spin.setSuffix(self.tr(" min"))
        self.lock_spin.setSpecialValueText(self.tr("never"))
        self.lock_spin.setAccessibleName(self.tr("Lock after idle minutes"))
        self.notify_check = QCheckBox(self.tr("Show &notifications after a sync"))
        self.notify_check.setObjectName("notifyCheck")
        self.notify_check.setChecked(bool(s.notifications))
        self.error_label = PlainLabel(selectable=False)
        self.error_label.setStyleSheet("color: #b71c1c;")

        form = QFormLayout()
        form.addRow(self.tr("&Server address:"), self.server_edit)
        form.addRow(self.tr("CA &bundle:"), ca_row)
        form.addRow(self.tr("&Language:"), self.language_combo)
        form.addRow(self.tr("S&ync every:"), self.sync_spin)
        form.addRow(self.tr("Lock when &idle after:"), self.lock_spin)
        form.addRow("", self.notify_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(PlainLabel(self.tr("A new server address applies at the next "
                                            "sign-in."), selectable=False))
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.file_dialog: QFileDialog | None = None

    def _pick_ca(self) -> None:
        dialog = QFileDialog(self, self.tr("CA bundle"), self.ca_edit.text(),
                             self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            files = dialog.selectedFiles()
            if result == int(QDialog.DialogCode.Accepted) and files:
                self.ca_edit.setText(files[0])
            self.file_dialog = None

        dialog.finished.connect(finished)
        self.file_dialog = dialog
        dialog.open()

    def save(self) -> None:
        url = self.server_edit.text().strip()
        if url and not url.startswith(("https://", "http://")):
            self.error_label.setText(self.tr("The server address must start with https://."))
            self.server_edit.setFocus()
            return
        s = self.ctx.settings
        s.server_url = url or s.server_url
        s.ca_bundle = self.ca_edit.text().strip() or None
        s.language = str(self.language_combo.currentData())
        s.sync_interval_minutes = self.sync_spin.value()
        s.idle_lock_minutes = self.lock_spin.value()
        s.notifications = self.notify_check.isChecked()
        try:
            self.ctx.save_settings()
        except OSError as exc:
            self.error_label.setText(fmt.arg(self.tr("The settings could not be saved: %1"),
                                             type(exc).__name__))
            return
        self.saved.emit(s.language)
        self.accept()


APPROVED = "approved"  # the user's own drafts approved (not a saved view: an extra count)


class Notifier(QObject):
    """After a sync: new assignments, returned and approved drafts, responses waiting for
    approval, deadlines approaching — as a tray
    message when a system tray exists, otherwise through ``fallback`` (the status bar)."""

    notified = Signal(str)

    def __init__(self, enabled: Callable[[], bool], fallback: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._fallback = fallback
        self._last: dict[str, int] | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon("app"), self)
            self.tray.show()

    @property
    def primed(self) -> bool:
        return self._last is not None

    def counts_after_sync(self, counts: dict[str, int]) -> None:
        """Compare with the counts after the previous sync; the first call only remembers."""
        last, self._last = self._last, dict(counts)
        if last is None or not self._enabled():
            return
        lines = []
        grew = {k: counts.get(k, 0) - last.get(k, 0)
                for k in (MINE, RETURNED, DUE_SOON, AWAITING, APPROVED)}
        if grew[MINE] > 0:
            lines.append(self.tr("%n new complaint(s) assigned to you.", None, grew[MINE]))
        if grew[RETURNED] > 0:
            lines.append(self.tr("%n draft(s) returned to you.", None, grew[RETURNED]))
        if grew[APPROVED] > 0:
            lines.append(self.tr("%n of your response(s) approved.", None, grew[APPROVED]))
        if grew[AWAITING] > 0:
            lines.append(self.tr("%n more response(s) waiting for your approval.", None,
                                 grew[AWAITING]))
        if grew[DUE_SOON] > 0:
            lines.append(self.tr("%n more complaint(s) due within 2 working days.", None,
                                 grew[DUE_SOON]))
        if not lines:
            return
        text = " ".join(lines)
        if self.tray is not None:
            self.tray.showMessage(self.tr("LAPOR! Desk"), text)
        else:
            self._fallback(text)
        self.notified.emit(text)
