"""Similar complaints beside the open complaint (same problem, often the same place).

Computed on the "db" worker with ``similar_complaints`` whenever the detail changes; a newer
selection supersedes older jobs (their results are dropped). Confidential rows show
"[rahasia]" instead of their title. Enter or a double-click opens the complaint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QPushButton, QVBoxLayout, QWidget

from lapor_desk.errors import LaporError
from lapor_desk.models.similar import SimilarComplaint, similar_complaints
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.tasks import TaskManager
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.models.store import Store
    from lapor_desk.ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex
LIMIT = 8
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
CONFIDENTIAL_TITLE = "[rahasia]"


class SimilarModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[SimilarComplaint] = []
        self._lang = "id"
        self.same_place_text = "same place"

    def set_items(self, items: list[SimilarComplaint]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def set_language(self, lang: str, same_place_text: str) -> None:
        self._lang = lang
        self.same_place_text = same_place_text
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 0))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def complaint_id(self, row: int) -> str | None:
        return self._items[row].row.id if 0 <= row < len(self._items) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        row = item.row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            title = CONFIDENTIAL_TITLE if row.is_confidential else fmt.one_line(row.title, 80)
            parts = [str(row.tracking_id), title, fmt.status_label(row.status, self._lang)]
            if item.same_place:
                parts.append(self.same_place_text)
            return " · ".join(parts)
        if role == ID_ROLE:
            return row.id
        return None


class _List(QListView):
    activatedByKey = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedByKey.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class SimilarPanel(QWidget):
    openComplaint = Signal(str)  # complaint id
    loaded = Signal(int)  # items shown
    answerTogether = Signal(object)  # list[str]: the open complaint and the similar ones

    def __init__(
        self,
        store: Callable[[], Store],
        tasks: TaskManager,
        *,
        lang: Callable[[], str] = lambda: "id",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("similarPanel")
        self._store = store
        self._tasks = tasks
        self._lang = lang
        self._for: str | None = None
        self.caption = PlainLabel(selectable=False)
        self.model = SimilarModel(self)
        self.list = _List()
        self.list.setObjectName("similarList")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.doubleClicked.connect(self._activate)
        self.list.activatedByKey.connect(self._activate)
        self.caption.setBuddy(self.list)
        self.answer_button = QPushButton()
        self.answer_button.setObjectName("answerTogether")
        self.answer_button.setEnabled(False)
        self.answer_button.clicked.connect(self._answer_together)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.list)
        layout.addWidget(self.answer_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Similar complaints:"))
        self.list.setAccessibleName(self.tr("Similar complaints"))
        self.answer_button.setText(self.tr("Answer &together…"))
        self.model.set_language(self._lang(), self.tr("same place"))

    def show_for(self, complaint_id: str) -> None:
        """Compute the complaints similar to ``complaint_id`` (older requests are dropped)."""
        self._for = complaint_id
        store = self._store()
        self._tasks.run(
            lambda: similar_complaints(store, complaint_id, LIMIT),
            lambda items: self._loaded(complaint_id, items),
            self._failed,
            pool="db",
            key="similar",
        )

    def clear(self) -> None:
        self._for = None
        self.model.set_items([])
        self.answer_button.setEnabled(False)

    def _answer_together(self) -> None:
        if self._for is None:
            return
        ids = [self._for, *(cid for r in range(self.model.rowCount())
                            if (cid := self.model.complaint_id(r)) is not None)]
        self.answerTogether.emit(ids)

    def _loaded(self, complaint_id: str, items: list[SimilarComplaint]) -> None:
        if complaint_id != self._for:
            return
        self.model.set_items([i for i in items if i.row.id != complaint_id])
        self.answer_button.setEnabled(self.model.rowCount() > 0)
        self.loaded.emit(self.model.rowCount())

    def _failed(self, exc: BaseException) -> None:
        self.model.set_items([])
        if not isinstance(exc, LaporError):  # a closed store (idle lock) just shows nothing
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _activate(self, index: QModelIndex) -> None:
        cid = self.model.complaint_id(index.row())
        if cid is not None:
            self.openComplaint.emit(cid)


def install(window: MainWindow) -> SimilarPanel:
    """Put the panel under the detail (hidden with it) and follow the shown complaint."""
    panel = SimilarPanel(lambda: window.store, window.tasks, lang=lambda: window.lang)
    layout = window.detail.content.layout()
    layout.addWidget(panel)
    if isinstance(layout, QVBoxLayout):
        layout.setStretchFactor(panel, 1)
    window.detailShown.connect(panel.show_for)

    def open_complaint(cid: str) -> None:
        row = window.model.row_of(cid)
        if row is not None:
            window.select_row(row)
        else:
            window.show_complaint_detail(cid)

    panel.openComplaint.connect(open_complaint)
    return panel
