"""The inbox: a lazy table model holding only the ordered complaint ids.

Rows are fetched from the store in blocks of ``BLOCK`` ids on demand and kept in a small LRU
cache. Sorting re-queries the store (SQL ``ORDER BY``); there is no proxy model. Citizens' text
is shown single-line, plain, and truncated for display.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QIcon

from lapor_desk.errors import LaporError
from lapor_desk.models.records import ComplaintQuery, ComplaintRow, SortKey
from lapor_desk.models.workdays import WorkCalendar
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui import theme
from lapor_desk.ui.resources import icon

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")

log = logging.getLogger(__name__)

BLOCK = 200
CACHE_BLOCKS = 16
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the complaint id (str)
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2  # deadline urgency (formatting.OVERDUE, …)

Index = QModelIndex | QPersistentModelIndex


class RowSource(Protocol):
    """What the model needs from ``lapor_desk.models.store.Store``."""

    def ids(self, q: ComplaintQuery) -> list[str]: ...
    def rows(self, ids: Sequence[str]) -> list[ComplaintRow]: ...


class Column(IntEnum):
    TRACKING = 0
    TITLE = 1
    STATUS = 2
    DEADLINE = 3
    CATEGORY = 4
    ASSIGNEE = 5
    BADGES = 6


SORT_KEYS: dict[Column, SortKey] = {
    Column.TRACKING: SortKey.TRACKING_ID,
    Column.TITLE: SortKey.TITLE,
    Column.CATEGORY: SortKey.CATEGORY,
    Column.STATUS: SortKey.STATUS,
    Column.DEADLINE: SortKey.DUE_AT,
}

def column_titles() -> dict[Column, str]:
    return {
        Column.TRACKING: translate("InboxModel", "Tracking ID"),
        Column.TITLE: translate("InboxModel", "Title"),
        Column.CATEGORY: translate("InboxModel", "Category"),
        Column.STATUS: translate("InboxModel", "Status"),
        Column.DEADLINE: translate("InboxModel", "Deadline"),
        Column.ASSIGNEE: translate("InboxModel", "Assignee"),
        Column.BADGES: translate("InboxModel", "Flags"),
    }


class InboxModel(QAbstractTableModel):
    """Ids in query order; rows on demand. ``loader`` (if set) runs sort re-queries async."""

    queryChanged = Signal(object)  # the new ComplaintQuery after set_result

    def __init__(
        self,
        store: RowSource,
        *,
        calendar: WorkCalendar | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lang: str = "id",
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._fixed_calendar = calendar is not None
        self._calendar = calendar or fmt.store_calendar(store)  # the synced agency rules
        self._clock = clock
        self._lang = lang
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._blocks: OrderedDict[int, dict[str, ComplaintRow]] = OrderedDict()
        self._titles = column_titles()
        self._icons: dict[str, QIcon] = {}
        self._deadlines: dict[str, tuple[str, str, int | None]] = {}
        self._now = self._clock()
        self.query = ComplaintQuery()
        self.loader: Callable[[ComplaintQuery], None] | None = None
        self._local: dict[str, str] = {}  # complaint id -> "pending" | "attention"

    # -- loading -------------------------------------------------------------------------

    def load(self, query: ComplaintQuery) -> None:
        """Synchronous re-query (tests, small stores); the window uses ``loader`` instead."""
        self.set_result(query, self._store.ids(query))

    def set_result(self, query: ComplaintQuery, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self.query = query
        self._ids = list(ids)
        self._pos = {cid: i for i, cid in enumerate(self._ids)}
        self._blocks.clear()
        self._deadlines.clear()
        self._now = self._clock()
        self.endResetModel()
        self.queryChanged.emit(query)

    def invalidate(self) -> None:
        """Forget cached rows (after a sync) and repaint what is visible."""
        if not self._fixed_calendar:  # a sync may have brought new deadline rules
            self._calendar = fmt.store_calendar(self._store)
        self._blocks.clear()
        self._deadlines.clear()
        self._now = self._clock()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self._deadlines.clear()
        self._titles = column_titles()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    def complaint_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, complaint_id: str) -> int | None:
        return self._pos.get(complaint_id)

    def record(self, row: int) -> ComplaintRow | None:
        if not 0 <= row < len(self._ids):
            return None
        block = self._block(row // BLOCK)
        return block.get(self._ids[row])

    def _block(self, number: int) -> dict[str, ComplaintRow]:
        cached = self._blocks.get(number)
        if cached is not None:
            self._blocks.move_to_end(number)
            return cached
        ids = self._ids[number * BLOCK : (number + 1) * BLOCK]
        try:
            rows = self._store.rows(ids)
        except LaporError as exc:  # e.g. the store was closed; show empty cells, not a crash
            log.warning("could not read inbox rows: %s", exc.code)
            rows = []
        block = {r.id: r for r in rows}
        self._blocks[number] = block
        while len(self._blocks) > CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._titles[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and Column(section) not in SORT_KEYS:
            return translate("InboxModel", "This column cannot be sorted")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        query = replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder)
        if query == self.query:
            return
        if self.loader is not None:
            self.loader(query)
        else:
            self.load(query)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        col = Column(index.column())
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.TextAlignmentRole,
            URGENCY_ROLE,
        ):
            return None
        row = self.record(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == Column.TRACKING:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if col == Column.DEADLINE:
            return self._deadline_data(row, role)
        if col == Column.BADGES:
            return self._badge_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Column.TITLE:
                return fmt.one_line(row.title, 1000)
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._titles[col]}: {self._text(row, col)}"
        return None

    def _text(self, row: ComplaintRow, col: Column) -> str:
        if col == Column.TRACKING:
            return str(row.tracking_id)
        if col == Column.TITLE:
            return fmt.one_line(row.title)
        if col == Column.CATEGORY:
            return fmt.one_line(row.category_path or "—")
        if col == Column.STATUS:
            return fmt.status_label(row.status, self._lang)
        if col == Column.ASSIGNEE:
            return fmt.one_line(row.assignee_name or "—")
        return ""

    def _deadline_data(self, row: ComplaintRow, role: int) -> Any:
        cached = self._deadlines.get(row.id)
        if cached is None:  # counting working days is a loop: once per row, not per role
            cached = fmt.deadline(row.due_at, row.status, self._now, self._calendar)
            self._deadlines[row.id] = cached
        text, urgency, _left = cached
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == URGENCY_ROLE:
            return urgency
        if role == Qt.ItemDataRole.ToolTipRole:
            return fmt.format_datetime(row.due_at, self._lang) if row.due_at else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._titles[Column.DEADLINE]}: {text}"
        if role not in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            return None
        colours = theme.urgency_colours(urgency)  # light or dark, from the palette in use
        if colours is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colours[0])
        return QBrush(colours[1])
        return None

    def refresh_colours(self) -> None:
        """The palette changed (light/dark): repaint the urgency colours."""
        if self._ids:
            last = len(self._ids) - 1
            self.dataChanged.emit(self.index(0, Column.DEADLINE), self.index(last, Column.DEADLINE),
                                  [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole])

    def set_local_states(self, states: dict[str, str]) -> None:
        """Badges for local work (unsent changes, needs attention), from Store.local_states."""
        if states == self._local:
            return
        self._local = dict(states)
        if self._ids:
            last = len(self._ids) - 1
            self.dataChanged.emit(self.index(0, Column.BADGES), self.index(last, Column.BADGES))

    def _badge_data(self, row: ComplaintRow, role: int) -> Any:
        names = []
        tips = []
        local = self._local.get(row.id)
        if row.unread:
            names.append(translate("InboxModel", "Unread"))
            tips.append(translate("InboxModel", "Not read by you yet, or the reporter replied "
                                                "since you marked it read"))
        if local == "attention":
            names.append(translate("InboxModel", "Needs attention"))
            tips.append(translate("InboxModel", "A change was refused or conflicts: see the "
                                                "needs-attention list"))
        elif local == "pending":
            names.append(translate("InboxModel", "Not sent yet"))
            tips.append(translate("InboxModel", "Changes saved here, sent at the next sync"))
        if row.is_confidential:
            names.append(translate("InboxModel", "Confidential"))
            tips.append(
                translate("InboxModel", "Confidential (rahasia): the content is not public")
            )
        if row.is_anonymous:
            names.append(translate("InboxModel", "Anonymous"))
            tips.append(
                translate("InboxModel", "Anonymous (anonim): the reporter's identity is hidden")
            )
        if role == Qt.ItemDataRole.DisplayRole:
            return " · ".join(names)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(tips) or translate("InboxModel", "No flags")
        if role == Qt.ItemDataRole.DecorationRole:
            name = "rahasia" if row.is_confidential else "anonim" if row.is_anonymous else None
            if name is None:
                return None
            if name not in self._icons:
                self._icons[name] = icon(name)
            return self._icons[name]
        return None
