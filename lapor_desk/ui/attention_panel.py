"""The needs-attention list: conflicts, rejected commands, orphaned and returned drafts.

Each item is the outbox's plain-language message (Indonesian or English) with its actions:
a conflict opens a base / theirs / mine view (read-only plain text) with "keep mine",
"take the server's" and "park"; a rejection can be parked; an orphaned draft can be exported
to a .txt file (tracking ID and text), sent to the complaint's new owner as a note (a handover
note when it was re-routed away), or discarded after confirmation. "Parked" switches the list
to the parked items, which can be resumed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.models.outbox import AttentionItem, ConflictTexts
from lapor_desk.sync import protocol as p
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.widgets import PlainLabel, PlainView

if TYPE_CHECKING:
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.ui.tasks import TaskManager

Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
PARKABLE = ("conflict", "rejected", "needs_review")


class AttentionModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[AttentionItem] = []
        self.lang = "id"

    def set_items(self, items: list[AttentionItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def item(self, row: int) -> AttentionItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[AttentionItem]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return fmt.one_line(item.message(self.lang), 300)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.message(self.lang)
        if role == ITEM_ROLE:
            return item
        return None


class ConflictDialog(QDialog):
    """Base / theirs / mine side by side, read-only plain text, with the three choices."""

    KEEP_MINE, TAKE_THEIRS, PARK = 10, 11, 12

    def __init__(self, texts: ConflictTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Resolve a conflict"))
        grid = QGridLayout()
        self.views: dict[str, PlainView] = {}
        for col, (key, title, text) in enumerate((
                ("base", self.tr("Common base"), texts.base),
                ("theirs", self.tr("Server version (theirs)"), texts.theirs),
                ("mine", self.tr("My version"), texts.mine))):
            view = PlainView()
            view.setObjectName(f"conflict_{key}")
            view.setAccessibleName(title)
            view.set_text(text if text is not None else self.tr("(not known)"))
            label = PlainLabel(title, selectable=False)
            label.setBuddy(view)
            grid.addWidget(label, 0, col)
            grid.addWidget(view, 1, col)
            self.views[key] = view
        buttons = QDialogButtonBox()
        self.mine_button = buttons.addButton(self.tr("Keep &mine"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.theirs_button = buttons.addButton(self.tr("Take the &server's"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.park_button = buttons.addButton(self.tr("&Park"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.theirs_button.setEnabled(texts.theirs is not None)
        self.mine_button.clicked.connect(lambda: self.done(self.KEEP_MINE))
        self.theirs_button.clicked.connect(lambda: self.done(self.TAKE_THEIRS))
        self.park_button.clicked.connect(lambda: self.done(self.PARK))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.resize(1000, 520)


class AttentionPanel(QWidget):
    """The list and its per-item actions. ``changed`` fires after an action took effect."""

    refreshed = Signal(int)  # items now listed
    openComplaint = Signal(str)  # complaint id (Enter / double-click on an item without a dialog)
    changed = Signal()
    message = Signal(str)  # plain-language feedback for the status bar

    def __init__(self, outbox: Outbox, tasks: TaskManager, *, role: Callable[[], str | None],
                 lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionPanel")
        self._outbox = outbox
        self._tasks = tasks
        self._role = role
        self.model = AttentionModel(self)
        self.model.lang = lang
        self.list = QListView()
        self.list.setObjectName("attentionList")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail = PlainView()
        self.detail.setObjectName("attentionDetail")
        self.detail.setMaximumHeight(120)
        self.conflict_button = QPushButton()
        self.park_button = QPushButton()
        self.export_button = QPushButton()
        self.note_button = QPushButton()
        self.discard_button = QPushButton()
        self.parked_button = QPushButton()
        self.parked_button.setObjectName("showParked")
        self.parked_button.setCheckable(True)
        row = QHBoxLayout()
        for button in (self.conflict_button, self.park_button, self.export_button,
                       self.note_button, self.discard_button):
            row.addWidget(button)
        row.addWidget(self.parked_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        self.conflict_button.clicked.connect(self.open_conflict)
        self.park_button.clicked.connect(self.park_current)
        self.export_button.clicked.connect(lambda: self.ask_export())
        self.note_button.clicked.connect(lambda: self.copy_as_note())
        self.discard_button.clicked.connect(lambda: self.ask_discard())
        self.parked_button.toggled.connect(lambda _on: self.refresh())
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.list.activated.connect(lambda _index: self._default_action())
        self.dialog: QDialog | None = None
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.list.setAccessibleName(self.tr("Needs attention"))
        self.detail.setAccessibleName(self.tr("Details of the selected item"))
        self.conflict_button.setText(self.tr("&Compare versions…"))
        self.park_button.setText(self.tr("&Resume") if self.showing_parked else self.tr("P&ark"))
        self.export_button.setText(self.tr("E&xport…"))
        self.note_button.setText(self.tr("Send as &note to the owner"))
        self.discard_button.setText(self.tr("&Discard…"))
        self.parked_button.setText(self.tr("Show pa&rked"))

    def set_language(self, lang: str) -> None:
        self.model.set_language(lang)
        self.retranslate()
        self._update_buttons()

    # -- data --------------------------------------------------------------------------

    @property
    def showing_parked(self) -> bool:
        return self.parked_button.isChecked()

    def refresh(self) -> None:
        outbox, role = self._outbox, self._role()
        work = outbox.parked if self.showing_parked else (lambda: outbox.attention(role=role))
        self.retranslate()
        self._tasks.run(work, self._loaded, self._error, pool="db", key="attention-list")

    def _loaded(self, items: list[AttentionItem]) -> None:
        keep = self.current_item()
        self.model.set_items(items)
        for row, item in enumerate(items):
            if keep is not None and (item.op_id, item.draft_id, item.kind) == (
                    keep.op_id, keep.draft_id, keep.kind):
                self.list.setCurrentIndex(self.model.index(row))
                break
        else:
            if items:
                self.list.setCurrentIndex(self.model.index(0))
        self._update_buttons()
        self.refreshed.emit(len(items))

    def current_item(self) -> AttentionItem | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_item(self, item: AttentionItem) -> None:
        for row, it in enumerate(self.model.items()):
            if it == item:
                self.list.setCurrentIndex(self.model.index(row))

    def _update_buttons(self) -> None:
        item = self.current_item()
        kind = item.kind if item else None
        self.conflict_button.setEnabled(kind == "conflict" and item is not None
                                        and item.draft_id is not None)
        self.park_button.setEnabled(kind in (*PARKABLE, "parked") and item is not None
                                    and item.op_id is not None)
        orphan = kind == "orphaned" or (item is not None and item.draft_id is not None
                                        and kind == "rejected"
                                        and item.reason in (p.REASON_NOT_ASSIGNED,
                                                            p.REASON_CLOSED))
        self.export_button.setEnabled(orphan)
        self.note_button.setEnabled(orphan)
        self.discard_button.setEnabled(kind == "orphaned")
        self.detail.set_text(item.message(self.model.lang) if item else "")

    def _default_action(self) -> None:
        item = self.current_item()
        if self.conflict_button.isEnabled():
            self.open_conflict()
        elif item is not None and item.complaint_id is not None:
            self.openComplaint.emit(item.complaint_id)

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            self.message.emit(exc.message(self.model.lang))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def _run(self, fn: Callable[[], object], feedback: str) -> None:
        def done(_result: object) -> None:
            self.message.emit(feedback)
            self.changed.emit()
            self.refresh()

        self._tasks.run(fn, done, self._error, pool="db")

    # -- actions -----------------------------------------------------------------------

    def park_current(self) -> None:
        """Park the current item, or resume it when the parked list is shown."""
        item = self.current_item()
        if item is None or item.op_id is None:
            return
        outbox, op_id = self._outbox, item.op_id
        if item.kind == "parked":
            self._run(lambda: outbox.unpark(op_id),
                      self.tr("Resumed; it is back in the needs-attention list."))
            return
        self._run(lambda: outbox.park(op_id), self.tr("Set aside; it stays recorded."))

    def open_conflict(self) -> None:
        item = self.current_item()
        if item is None or item.op_id is None or item.draft_id is None:
            return
        outbox, op_id, draft_id = self._outbox, item.op_id, item.draft_id

        def show(texts: ConflictTexts) -> None:
            dialog = ConflictDialog(texts, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def finished(result: int) -> None:
                self.dialog = None
                if result == ConflictDialog.KEEP_MINE:
                    self._run(lambda: outbox.keep_mine(draft_id),
                              self.tr("Your version is saved again as a new version."))
                elif result == ConflictDialog.TAKE_THEIRS:
                    self._run(lambda: outbox.take_theirs(draft_id),
                              self.tr("The server's version is now in your draft."))
                elif result == ConflictDialog.PARK:
                    self._run(lambda: outbox.park(op_id), self.tr("Set aside; it stays "
                                                                  "recorded."))

            dialog.finished.connect(finished)
            self.dialog = dialog
            dialog.open()

        self._tasks.run(lambda: outbox.conflict_texts(op_id), show, self._error, pool="db")

    def export_to(self, draft_id: str, path: Path) -> None:
        """Write the complaint's tracking ID and the draft's text to ``path`` (UTF-8 plain
        text; an existing file is never overwritten: a new name is picked)."""
        outbox = self._outbox

        def work() -> Path:
            return outbox.export_draft_to(draft_id, path)

        def done(written: Path) -> None:
            self.message.emit(fmt.arg(self.tr("Draft exported to %1."), str(written)))
            self.changed.emit()
            self.refresh()

        self._tasks.run(work, done, self._error, pool="db")

    def ask_export(self, draft_id: str | None = None, tracking_id: int | None = None) -> None:
        """Ask where to export the current item's draft (or ``draft_id``, from the editor)."""
        if draft_id is None:
            item = self.current_item()
            if item is None or item.draft_id is None:
                return
            draft_id, tracking_id = item.draft_id, item.tracking_id
        name = f"draf-{tracking_id or draft_id[:8]}.txt"
        dialog = QFileDialog(self, self.tr("Export draft"), str(Path.home() / name),
                             self.tr("Text files (*.txt)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            self.dialog = None
            files = dialog.selectedFiles()
            if result == int(QDialog.DialogCode.Accepted) and files:
                self.export_to(draft_id, Path(files[0]))

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()

    def copy_as_note(self, draft_id: str | None = None) -> None:
        """Send the orphaned draft to the complaint's owner as an internal note (a handover
        note from the agency that lost it when it was re-routed away)."""
        if draft_id is None:
            item = self.current_item()
            if item is None or item.draft_id is None:
                return
            draft_id = item.draft_id
        outbox, did = self._outbox, draft_id
        self._run(lambda: outbox.send_handover_note(did),
                  self.tr("The draft's text is queued as a note for the complaint's owner."))

    def ask_discard(self, draft_id: str | None = None) -> None:
        if draft_id is None:
            item = self.current_item()
            if item is None or item.kind != "orphaned" or item.draft_id is None:
                return
            draft_id = item.draft_id
        did: str = draft_id
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Discard draft"))
        box.setText(self.tr("Discard this orphaned draft for good? Its text cannot be "
                            "recovered. Export it first if you may need it."))
        box.setStandardButtons(QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        outbox = self._outbox

        def finished(result: int) -> None:
            self.confirm_box = None
            if result == int(QMessageBox.StandardButton.Discard):
                self._run(lambda: outbox.discard_draft(did), self.tr("Draft discarded."))

        box.finished.connect(finished)
        self.confirm_box: QMessageBox | None = box
        box.open()
