"""Saved views in a left sidebar: each a ComplaintQuery filter with its count beside it.

Counts are read on the "db" worker; bursts of refresh requests (sync pages, edits) coalesce
into one read. Ctrl+1…Ctrl+8 select the views in order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListView, QVBoxLayout, QWidget

from lapor_desk.errors import LaporError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.workdays import WorkCalendar
from lapor_desk.ui import formatting as fmt

if TYPE_CHECKING:
    from lapor_desk.models.store import Store
    from lapor_desk.ui.tasks import TaskManager

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
COALESCE_MS = 300
SOON_WORKING_DAYS = 2
NOBODY = "\x00nobody"  # an assignee id no user has (not signed in yet)

ALL, MINE, UNASSIGNED, OVERDUE, DUE_SOON, AWAITING, RETURNED, ATTENTION = (
    "all", "mine", "unassigned", "overdue", "due_soon", "awaiting", "returned", "attention")
UNREAD = "unread"


@dataclass(frozen=True, slots=True)
class SavedView:
    key: str
    supervisor_only: bool = False


VIEWS = (
    SavedView(ALL), SavedView(MINE), SavedView(UNASSIGNED), SavedView(OVERDUE),
    SavedView(DUE_SOON), SavedView(AWAITING, supervisor_only=True), SavedView(RETURNED),
    SavedView(ATTENTION), SavedView(UNREAD),
)


def view_query(key: str, *, user_id: str | None, now: datetime,
               calendar: WorkCalendar) -> ComplaintQuery:
    """The filter of a saved view at ``now`` (search, status and sort come from the window)."""
    if key == MINE:
        return ComplaintQuery(assignee_id=user_id or NOBODY, open_only=True)
    if key == UNASSIGNED:
        return ComplaintQuery(unassigned=True, open_only=True)
    if key == OVERDUE:
        return ComplaintQuery(open_only=True, due_before=now)
    if key == DUE_SOON:
        return ComplaintQuery(open_only=True, due_after=now,
                              due_before=calendar.deadline(now, SOON_WORKING_DAYS))
    if key == AWAITING:
        return ComplaintQuery(awaiting_review=True)
    if key == RETURNED:
        return ComplaintQuery(returned=True)
    if key == ATTENTION:
        return ComplaintQuery(needs_attention=True)
    if key == UNREAD:
        # Not marked read by this user, or the reporter replied since (open ones only).
        return ComplaintQuery(unread=True, open_only=True)
    return ComplaintQuery()


class ViewsModel(QAbstractListModel):
    """The saved views with their counts (None while not counted yet)."""

    def __init__(self, views: list[SavedView], parent: Any = None) -> None:
        super().__init__(parent)
        self._views = views
        self._counts: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self._titles = {
            ALL: self.tr("All"),
            MINE: self.tr("My work"),
            UNASSIGNED: self.tr("Unassigned"),
            OVERDUE: self.tr("Overdue"),
            DUE_SOON: self.tr("Due within 2 working days"),
            AWAITING: self.tr("Waiting for my approval"),
            RETURNED: self.tr("Returned to me"),
            ATTENTION: self.tr("Needs attention"),
            UNREAD: self.tr("Unread"),
        }
        if self._views:
            self.dataChanged.emit(self.index(0), self.index(len(self._views) - 1))

    def view_keys(self) -> list[str]:
        return [v.key for v in self._views]

    def count(self, key: str) -> int | None:
        return self._counts.get(key)

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        if self._views:
            self.dataChanged.emit(self.index(0), self.index(len(self._views) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._views)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        key = self._views[index.row()].key
        title = self._titles.get(key, key)
        count = self._counts.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return title if count is None else f"{title} ({count})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if count is None:
                return title
            return fmt.arg(self.tr("%1: %n complaint(s)", None, count), title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return fmt.arg(self.tr("Ctrl+%1"), index.row() + 1) if index.row() < 9 else None
        if role == KEY_ROLE:
            return key
        if role == COUNT_ROLE:
            return count
        return None


class ViewsSidebar(QWidget):
    """The list of saved views. ``viewChanged`` carries the selected view's key."""

    viewChanged = Signal(str)
    countsRefreshed = Signal(object)  # dict key -> count

    def __init__(self, store: Store, tasks: TaskManager, *, user_id: Callable[[], str | None],
                 role: Callable[[], str | None],
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 calendar: WorkCalendar | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewsSidebar")
        self._store = store
        self._tasks = tasks
        self._user_id = user_id
        self._clock = clock
        self._calendar = calendar
        self.counted_at: datetime = clock()
        views = [v for v in VIEWS if not v.supervisor_only or role() in ("supervisor", "admin")]
        self.model = ViewsModel(views, self)
        self.list = QListView()
        self.list.setObjectName("viewsList")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        self.list.setCurrentIndex(self.model.index(0))
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.refresh_counts_now)
        self.actions_by_key: dict[str, QAction] = {}
        for row, key in enumerate(self.model.view_keys()[:9]):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, k=key: self.select_view(k))
            self.actions_by_key[key] = action
        self.retranslate()

    def retranslate(self) -> None:
        self.model.retranslate()
        self.list.setAccessibleName(self.tr("Saved views"))
        for key, action in self.actions_by_key.items():
            row = self.model.view_keys().index(key)
            action.setText(str(self.model.data(self.model.index(row)) or key))

    # -- selection ---------------------------------------------------------------------

    def current_key(self) -> str:
        index = self.list.currentIndex()
        return str(index.data(KEY_ROLE)) if index.isValid() else ALL

    def select_view(self, key: str) -> None:
        if key not in self.model.view_keys():
            return
        row = self.model.view_keys().index(key)
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.viewChanged.emit(str(current.data(KEY_ROLE)))

    def query_for(self, key: str, now: datetime | None = None) -> ComplaintQuery:
        return view_query(key, user_id=self._user_id(), now=now or self._clock(),
                          calendar=self._calendar or fmt.store_calendar(self._store))

    def current_filter(self) -> ComplaintQuery:
        return self.query_for(self.current_key())

    # -- counts ------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Ask for fresh counts; calls within ``COALESCE_MS`` become one read."""
        self._timer.start()

    def refresh_counts_now(self) -> None:
        self._timer.stop()
        now = self._clock()
        queries = {key: self.query_for(key, now) for key in self.model.view_keys()}
        store = self._store

        def work() -> dict[str, int]:
            return {key: store.count(q) for key, q in queries.items()}

        def done(counts: dict[str, int]) -> None:
            self.counted_at = now
            self.model.set_counts(counts)
            self.retranslate()
            self.countsRefreshed.emit(counts)

        self._tasks.run(work, done, self._failed, pool="db", key="view-counts")

    def _failed(self, exc: BaseException) -> None:
        # The counts stay as they were; the inbox shows read errors itself.
        if not isinstance(exc, LaporError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
