"""One answer for a cluster of similar complaints, adapted to each (issue 5).

From the similar-complaints panel ("Answer together…": the open complaint and its similar
ones) or the inbox multi-selection (Ctrl+Shift+J): the officer writes one text with
placeholders, previews it per complaint (``models.cluster.preview`` on the "db" worker), then
creates one draft per complaint (``Outbox.save_drafts``: each its own command, one
transaction). The creation is one step on the triage undo stack: Ctrl+Z takes the drafts back
while nothing of them was sent (``Outbox.undo_new_drafts``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.models.cluster import CLUSTER_PLACEHOLDERS, ClusterItem, preview
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.widgets import PlainLabel, PlainView

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from lapor_desk.models.outbox import Draft, Outbox
    from lapor_desk.models.store import Store
    from lapor_desk.ui.tasks import TaskManager

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class ClusterDialog(QDialog):
    """Write once, preview per complaint, create the drafts."""

    createRequested = Signal(object)  # list[tuple[complaint id, text]]

    def __init__(self, store: Store, tasks: TaskManager, refs: Sequence[str], *,
                 lang: str = "id", today: Callable[[], datetime] | None = None,
                 agency_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clusterDialog")
        self._store = store
        self._tasks = tasks
        self._refs = list(dict.fromkeys(refs))
        self._lang = lang
        self._today = today or (lambda: datetime.now(UTC))
        self._agency_id = agency_id
        self.items: list[ClusterItem] = []
        self.setWindowTitle(self.tr("Answer similar complaints together"))
        self.hint = PlainLabel(fmt.arg(
            self.tr("One text for %1 complaints. Placeholders filled per complaint: %2. An "
                    "anonymous reporter is never named."), len(self._refs),
            ", ".join("{" + p + "}" for p in CLUSTER_PLACEHOLDERS)))
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("clusterText")
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName(self.tr("Response text for the cluster"))
        self.preview_button = QPushButton(self.tr("&Preview"))
        self.preview_button.clicked.connect(self.run_preview)
        self.list = QListWidget()
        self.list.setObjectName("clusterList")
        self.list.setAccessibleName(self.tr("Complaints of the cluster"))
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.view = PlainView()
        self.view.setObjectName("clusterPreview")
        self.view.setAccessibleName(self.tr("Text for the selected complaint"))
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            self.tr("&Create drafts"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(lambda: self.create_button.setEnabled(False))
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.view, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 640)

    def run_preview(self) -> None:
        """Fill the text for each complaint (on the db worker); Create is enabled after."""
        store, refs, text, today = self._store, self._refs, self.editor.toPlainText(), \
            self._today().date()
        agency = self._agency_id
        self.preview_button.setEnabled(False)
        self._tasks.run(lambda: preview(store, refs, text, today, agency_id=agency),
                        self._previewed,
                        self._failed, pool="db")

    def _previewed(self, items: list[ClusterItem]) -> None:
        self.preview_button.setEnabled(True)
        self.items = items
        self.list.clear()
        for item in items:
            ref = f"#{item.tracking_id}" if item.tracking_id is not None else item.complaint_ref
            if item.text is None:
                problem = item.problem_en if self._lang == "en" else item.problem_id
                label = fmt.arg(self.tr("%1: skipped (%2)"), ref, problem or "")
            elif item.unfilled:
                label = fmt.arg(self.tr("%1: still to fill %2"), ref, ", ".join(item.unfilled))
            else:
                label = ref
            entry = QListWidgetItem(label)
            entry.setData(ITEM_ROLE, item)
            self.list.addItem(entry)
        if items:
            self.list.setCurrentRow(0)
        self.create_button.setEnabled(any(i.text is not None for i in items))

    def _show_current(self) -> None:
        entry = self.list.currentItem()
        item = entry.data(ITEM_ROLE) if entry is not None else None
        self.view.set_text(item.text or "" if isinstance(item, ClusterItem) else "")

    def ready(self) -> list[tuple[str, str]]:
        return [(i.complaint_id, i.text) for i in self.items
                if i.complaint_id is not None and i.text is not None]

    def _create(self) -> None:
        ready = self.ready()
        if ready:
            self.createRequested.emit(ready)
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        if isinstance(exc, LaporError):
            self.hint.setText(exc.message(self._lang))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)


class ClusterCommand(QUndoCommand):
    """Creating the cluster's drafts; undo takes them back while none was sent."""

    def __init__(self, controller: ClusterController, items: list[tuple[str, str]],
                 text: str) -> None:
        super().__init__(text)
        self._controller = controller
        self._items = items
        self.draft_ids: list[str] = []

    def redo(self) -> None:
        self._controller.create(self)

    def undo(self) -> None:
        self._controller.take_back(self)


class ClusterController(QObject):
    """Opens the dialog and runs the creation / undo on the db worker."""

    created = Signal(object)  # list[Draft]
    undone = Signal(int)  # drafts taken back
    failed = Signal(str)

    def __init__(self, store: Callable[[], Store], outbox: Outbox, tasks: TaskManager,
                 undo_stack: QUndoStack, *, lang: Callable[[], str],
                 agency_id: Callable[[], str | None] = lambda: None,
                 parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._store = store
        self._outbox = outbox
        self._tasks = tasks
        self._undo_stack = undo_stack
        self._lang = lang
        self._agency_id = agency_id
        self._parent = parent_widget
        self.dialog: ClusterDialog | None = None

    def open(self, refs: Sequence[str]) -> None:
        if len(set(refs)) < 2:
            self.failed.emit(self.tr("Choose at least two complaints to answer together."))
            return
        dialog = ClusterDialog(self._store(), self._tasks, refs, lang=self._lang(),
                               agency_id=self._agency_id(), parent=self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.createRequested.connect(self._push)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _push(self, items: list[tuple[str, str]]) -> None:
        self._undo_stack.push(ClusterCommand(
            self, items, fmt.arg(self.tr("Answer %1 complaints together"), len(items))))

    def create(self, command: ClusterCommand) -> None:
        if command.draft_ids:
            return  # an undo was refused (already sent): the drafts are still there
        outbox, items = self._outbox, list(command._items)

        def done(drafts: list[Draft]) -> None:
            command.draft_ids = [d.id for d in drafts]
            self.created.emit(drafts)

        self._tasks.run(lambda: outbox.save_drafts(items), done, self._error, pool="db")

    def take_back(self, command: ClusterCommand) -> None:
        outbox, ids = self._outbox, list(command.draft_ids)

        def done(_result: object) -> None:
            command.draft_ids = []
            self.undone.emit(len(ids))

        self._tasks.run(lambda: outbox.undo_new_drafts(ids), done, self._error, pool="db")

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            self.failed.emit(exc.message(self._lang()))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)
