"""A complaint's attachments in the detail pane: state, download on demand, open, add evidence.

Downloads run on the net worker with a progress bar and Cancel (what arrived is kept, the next
download resumes); opening exports a plaintext copy into the core's private temp folder and hands
it to the desktop. Evidence comes from "Add evidence…" or a drop of local files; the size limit
is checked from the file's size before anything is read, and the new file shows as waiting for
upload until a sync sends it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.models.blobs import AttachmentTooLargeError, LocalAttachment, TransferProgress
from lapor_desk.sync import protocol as p
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui import theme
from lapor_desk.ui.tasks import TaskManager
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.core import DeskContext

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")
log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # attachment id


def local_files(mime: QMimeData) -> list[Path]:
    """The local files of a drop (links to web pages and the like are ignored)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def state_text(att: LocalAttachment, lang: str) -> str:
    if att.state == "local":
        return translate("Attachments", "downloaded")
    if att.state == "pending_upload":
        return translate("Attachments", "waiting to upload (sent at the next sync)")
    if att.state == "partial":
        return fmt.arg(translate("Attachments", "partly downloaded (%1 of %2)"),
                       fmt.format_size(att.have, lang), fmt.format_size(att.size, lang))
    return translate("Attachments", "on the server")


class AttachmentsPanel(QWidget):
    changed = Signal(str)  # complaint id whose list was refreshed
    added = Signal(object)  # LocalAttachment queued as evidence
    downloaded = Signal(object)  # LocalAttachment now local
    opened = Signal(object)  # Path of the exported copy handed to the desktop
    failed = Signal(str)  # plain-language message

    def __init__(self, ctx: DeskContext, tasks: TaskManager, *,
                 lang: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self.ctx = ctx
        self.tasks = tasks
        self._lang = lang
        self.complaint_id: str | None = None
        self.confidential = False
        self.confirm_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.items: list[LocalAttachment] = []
        self._cancel: threading.Event | None = None
        self._open_after: str | None = None
        # Hands a file to the desktop; replaceable so tests need not start a viewer.
        self.opener: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.setAcceptDrops(True)

        self.list = QListWidget()
        self.list.setObjectName("attachmentList")
        self.list.setWordWrap(True)  # long names and the state stay readable in a narrow pane
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_current)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.ask_files)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = PlainLabel(selectable=False)
        self.message.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.open_button.setText(translate("Attachments", "&Open"))
        self.open_button.setToolTip(
            translate("Attachments", "Download if needed, then open a copy of the file"))
        self.cancel_button.setText(translate("Attachments", "Cancel download"))
        self.add_button.setText(translate("Attachments", "Add &evidence…"))
        self.add_button.setToolTip(translate(
            "Attachments", "Attach files to this complaint (or drop them here); they are "
                           "uploaded at the next sync"))
        self.list.setAccessibleName(translate("Attachments", "Attachments"))
        self.progress.setAccessibleName(translate("Attachments", "Download progress"))
        self._fill()

    # -- listing ---------------------------------------------------------------------------

    def show_complaint(self, complaint_id: str | None, *, confidential: bool = False) -> None:
        if complaint_id != self.complaint_id:
            self.cancel()
            self._show_message(None)
            if self.confirm_box is not None:
                self.confirm_box.reject()  # it asked about another complaint's file
        self.complaint_id = complaint_id
        self.confidential = confidential
        self.refresh()

    def refresh(self) -> None:
        cid = self.complaint_id
        if cid is None:
            self.items = []
            self._fill()
            return
        ctx = self.ctx
        self.tasks.run(lambda: ctx.attachments(cid), lambda items: self._listed(cid, items),
                       self._error, pool="db", key="attachments")

    def _listed(self, cid: str, items: list[LocalAttachment]) -> None:
        if cid != self.complaint_id:
            return
        self.items = items
        self._fill()
        self.changed.emit(cid)

    def _fill(self) -> None:
        current = self.current()
        lang = self._lang()
        self.list.clear()
        for att in self.items:
            text = f"{fmt.safe_text(att.name)} ({fmt.format_size(att.size, lang)}) — " \
                   f"{state_text(att, lang)}"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, att.id)
            item.setToolTip(fmt.safe_text(att.mime or ""))
            self.list.addItem(item)
            if current is not None and att.id == current.id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.items:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def current(self) -> LocalAttachment | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(ID_ROLE)
        return next((a for a in self.items if a.id == wanted), None)

    def _update_buttons(self) -> None:
        busy = self._cancel is not None
        self.open_button.setEnabled(self.current() is not None and not busy)
        self.cancel_button.setVisible(busy)
        self.add_button.setEnabled(self.complaint_id is not None)

    # -- download and open -----------------------------------------------------------------

    @property
    def downloading(self) -> bool:
        return self._cancel is not None

    def open_current(self) -> None:
        att = self.current()
        if att is None or self.complaint_id is None or self.downloading:
            return
        if self.confidential:
            self._confirm_open(att)  # another program could print or forward it
            return
        self._open(att)

    def _confirm_open(self, att: LocalAttachment) -> None:
        if self.confirm_box is not None:
            return
        box = QMessageBox(self)
        box.setObjectName("rahasiaOpenConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(translate("Attachments", "Confidential attachment"))
        box.setText(translate(
            "Attachments", "This file belongs to a confidential (rahasia) complaint. Open a "
                           "copy of it in another program?"))
        box.setInformativeText(translate(
            "Attachments", "That program can print or share it. Do not share, print or "
                           "forward this content."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        cid = self.complaint_id

        def finished(_result: int) -> None:
            self.confirm_box = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes \
                    and cid == self.complaint_id:
                self._open(att)

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def _open(self, att: LocalAttachment) -> None:
        if self.downloading:
            return
        if att.state in ("local", "pending_upload"):
            self._export_and_open(att)
        else:
            self.download(att, then_open=True)

    def download(self, att: LocalAttachment, *, then_open: bool = False) -> None:
        cid = self.complaint_id
        if cid is None or self.downloading:
            return
        ctx, cancel = self.ctx, threading.Event()
        self._cancel = cancel
        self._open_after = att.id if then_open else None
        self.progress.setRange(0, max(att.size, 1))
        self.progress.setValue(att.have)
        self.progress.setVisible(True)
        self._show_message(None)
        self._update_buttons()
        self.tasks.run(
            lambda report: ctx.download_attachment(cid, att.id, progress=report, cancel=cancel),
            lambda done: self._downloaded(cid, done),
            self._download_failed,
            self._progress,
            pool="net",
            key="attachment-download",
        )

    def _progress(self, value: TransferProgress) -> None:
        self.progress.setRange(0, max(value.total, 1))
        self.progress.setValue(min(value.done, value.total))

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # the worker stops at the next chunk; bytes so far are kept

    def _finish_transfer(self) -> None:
        self._cancel = None
        self.progress.setVisible(False)
        self._update_buttons()

    def _downloaded(self, cid: str, att: LocalAttachment) -> None:
        self._finish_transfer()
        open_after, self._open_after = self._open_after, None
        self.downloaded.emit(att)
        if cid != self.complaint_id:
            return
        self.refresh()
        if open_after == att.id:
            self._export_and_open(att)

    def _download_failed(self, exc: BaseException) -> None:
        self._finish_transfer()
        self._open_after = None
        self.refresh()  # a partial download shows how much is kept
        self._error(exc)

    def _export_and_open(self, att: LocalAttachment) -> None:
        cid = self.complaint_id
        if cid is None:
            return
        ctx = self.ctx
        self.tasks.run(lambda: ctx.export_attachment(cid, att.id), self._open_path,
                       self._error, pool="db")

    def _open_path(self, path: Path) -> None:
        if not self.opener(QUrl.fromLocalFile(str(path))):
            self._show_message(translate(
                "Attachments", "No program on this computer could open the file."))
        self.opened.emit(path)

    # -- evidence --------------------------------------------------------------------------

    def ask_files(self) -> None:
        if self.complaint_id is None:
            return
        dialog = QFileDialog(self, translate("Attachments", "Add evidence"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda names: self.add_files([Path(n) for n in names]))
        self.file_dialog = dialog
        dialog.open()

    def add_files(self, paths: Sequence[Path]) -> None:
        """Queue files as evidence; a file over the limit is refused from its size alone."""
        cid = self.complaint_id
        if cid is None or not paths:
            return
        ok: list[Path] = []
        for path in paths:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # attach_file reports the unreadable file in plain language
            if size > p.MAX_ATTACHMENT_BYTES:
                self._error(AttachmentTooLargeError(f"{size} bytes"))
                continue
            ok.append(path)
        if not ok:
            return
        ctx = self.ctx

        def work() -> list[LocalAttachment | LaporError]:
            out: list[LocalAttachment | LaporError] = []
            for path in ok:
                try:
                    out.append(ctx.attach_file(cid, path))
                except LaporError as exc:  # the others still go in
                    out.append(exc)
            return out

        self.tasks.run(work, self._added, self._error, pool="db")

    def _added(self, results: list[LocalAttachment | LaporError]) -> None:
        errors = [r for r in results if isinstance(r, LaporError)]
        for r in results:
            if not isinstance(r, LaporError):
                self.added.emit(r)
        if errors:
            self._error(errors[0])
        else:
            self._show_message(None)
        self.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.complaint_id is not None and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if self.complaint_id is None or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(files)

    # -- messages --------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        if not isinstance(exc, LaporError):
            raise exc  # a bug: the application's hook logs it
        text = exc.message(self._lang())
        self._show_message(text)
        self.failed.emit(text)

    def _show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        theme.set_text_role(self.message, "error" if text else None)


class FileDropFilter(QObject):
    """Files dropped on another widget (the response editor) become evidence; text drops
    keep their normal meaning."""

    def __init__(self, panel: AttachmentsPanel, target: QWidget) -> None:
        super().__init__(target)
        self.panel = panel
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)  # QDragEnterEvent/QDragMoveEvent derive from it
            if self.panel.complaint_id is None or not local_files(event.mimeData()):
                return False
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                self.panel.add_files(local_files(event.mimeData()))
            return True
        return super().eventFilter(watched, event)
