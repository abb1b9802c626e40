"""The supervisor's approval queue: submitted responses with the complaint beside them, the
checker's verdict on the exact text shown and the difference from the version returned before.

Approve and return are bound to the hash of the text on screen (``expected_sha256``); several
responses can be approved in one pass, each bound to its own text.
"""

from __future__ import annotations

import difflib
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.models.checker import CheckResult, check_response
from lapor_desk.models.outbox import ReviewItem, text_sha256
from lapor_desk.models.records import ComplaintDetail
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.widgets import PlainLabel, PlainView

if TYPE_CHECKING:
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.store import Store
    from lapor_desk.ui.tasks import TaskManager

_Index = QModelIndex | QPersistentModelIndex


class ReviewModel(QAbstractTableModel):
    """Submitted responses (ids and the exact text shown), one per row."""

    COLUMNS = 4  # tracking, title, author, submitted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ReviewItem] = []
        self.lang = "id"

    def set_items(self, items: list[ReviewItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            col = index.column()
            if col == 0:
                return str(item.tracking_id) if item.tracking_id is not None else "—"
            if col == 1:
                return fmt.one_line(item.title or "")
            if col == 2:
                return fmt.one_line(item.author_name, 60)
            if col == 3:
                return fmt.format_datetime(item.updated_at, self.lang)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        labels = (self.tr("Tracking ID"), self.tr("Complaint"), self.tr("Author"),
                  self.tr("Submitted"))
        return labels[section] if 0 <= section < len(labels) else None


def line_diff(old: str, new: str) -> str:
    """A simple line diff as plain text ("- " removed, "+ " added)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))


class ApprovalQueue(QWidget):
    loaded = Signal(int)  # rows in the queue
    reviewed = Signal(int)  # commands queued in the last approve/return pass
    failed = Signal(str)

    def __init__(self, outbox: Outbox, store: Store, tasks: TaskManager, *, lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalQueue")
        self.outbox, self.store, self.tasks, self.lang = outbox, store, tasks, lang
        self.result: CheckResult | None = None
        self.complaint: ComplaintDetail | None = None
        self.confirm_box: QMessageBox | None = None

        self.model = ReviewModel(self)
        self.table = QTableView()
        self.table.setObjectName("approvalTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.heading = PlainLabel(selectable=False)
        self.response_view = PlainView()
        self.response_view.setObjectName("reviewText")
        self.complaint_view = PlainView()
        self.complaint_view.setObjectName("reviewComplaint")
        self.diff_view = PlainView()
        self.diff_view.setObjectName("reviewDiff")
        self.score_label = PlainLabel(selectable=False)
        self.score_label.setObjectName("reviewScore")
        self.findings = QListWidget()
        self.findings.setObjectName("reviewFindings")
        self.findings.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.response_view, "")
        self.tabs.addTab(self.complaint_view, "")
        self.tabs.addTab(self.diff_view, "")

        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("returnNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(80)
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button = QPushButton()
        self.return_button.setObjectName("returnButton")
        self.return_button.clicked.connect(self.return_current)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.tabs, 3)
        rl.addWidget(self.score_label)
        rl.addWidget(self.findings, 1)
        rl.addWidget(self.note_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        rl.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslate()
        self._show_item(None)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.model.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setAccessibleName(self.tr("Responses waiting for approval"))
        self.tabs.setTabText(0, self.tr("Response"))
        self.tabs.setTabText(1, self.tr("Complaint"))
        self.tabs.setTabText(2, self.tr("Changes since returned"))
        self.response_view.setAccessibleName(self.tr("Response text under review"))
        self.complaint_view.setAccessibleName(self.tr("Complaint under review"))
        self.diff_view.setAccessibleName(self.tr("Changes since the returned version"))
        self.findings.setAccessibleName(self.tr("Checker findings"))
        self.note_edit.setAccessibleName(self.tr("Note for the officer"))
        self.note_edit.setPlaceholderText(self.tr("Note for the officer (required to return)"))
        self.approve_button.setText(self.tr("&Approve"))
        self.return_button.setText(self.tr("&Return with note"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, ReviewModel.COLUMNS - 1)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self.tasks.run(self.outbox.review_queue, self._loaded, self._failed, pool="db",
                       key="review-queue")

    def _loaded(self, items: list[ReviewItem]) -> None:
        keep = self.current_item()
        self.model.set_items(items)
        rows = [i for i, item in enumerate(items)
                if keep is not None and item.response_id == keep.response_id]
        if items:
            self.table.selectRow(rows[0] if rows else 0)
        else:
            self._show_item(None)
        self.loaded.emit(len(items))

    def current_item(self) -> ReviewItem | None:
        row = self.table.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def selected_items(self) -> list[ReviewItem]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.items[r] for r in rows if r < len(self.model.items)]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row()
        self._show_item(self.model.items[row] if 0 <= row < len(self.model.items) else None)

    def _show_item(self, item: ReviewItem | None) -> None:
        self.approve_button.setEnabled(item is not None)
        self.return_button.setEnabled(item is not None)
        self.findings.clear()
        if item is None:
            self.heading.setText(self.tr("No responses are waiting for your approval."))
            self.response_view.set_text("")
            self.complaint_view.set_text("")
            self.diff_view.set_text("")
            self.score_label.setText("")
            return
        self.heading.setText(fmt.arg(self.tr("#%1 — %2 (version %3, by %4)"),
                                     item.tracking_id or "—", fmt.one_line(item.title or ""),
                                     item.version, fmt.one_line(item.author_name, 60)))
        self.response_view.set_text(fmt.safe_text(item.body))
        if item.returned_body is None:
            self.diff_view.set_text(self.tr("This response was not returned before."))
        else:
            self.diff_view.set_text(line_diff(item.returned_body, item.body)
                                    or self.tr("No changes since it was returned."))
        store, body = self.store, item.body

        def work() -> tuple[ComplaintDetail | None, CheckResult]:
            try:
                detail: ComplaintDetail | None = store.detail(item.complaint_id)
            except LaporError:
                detail = None
            return detail, check_response(
                body, classification=item.classification or "pengaduan",
                complaint_title=item.title,
                complaint_body=detail.body[:20_000] if detail else None)

        self.tasks.run(work, lambda r: self._detail_loaded(item, *r), self._failed,
                       pool="db", key="review-detail")

    def _detail_loaded(self, item: ReviewItem, detail: ComplaintDetail | None,
                       result: CheckResult) -> None:
        if self.current_item() is not item:
            return
        self.complaint = detail
        self.result = result
        self.complaint_view.set_confidential(detail is not None and detail.row.is_confidential)
        if detail is None:
            self.complaint_view.set_text(self.tr("The complaint is not in this replica."))
        else:
            head = fmt.safe_text(detail.row.title)
            if detail.row.is_confidential:
                head = self.tr("CONFIDENTIAL (RAHASIA)") + "\n" + head
            self.complaint_view.set_text(head + "\n\n" + fmt.safe_text(detail.body))
        verdict = self.tr("substantive") if result.substantive else self.tr("not substantive")
        self.score_label.setText(fmt.arg(self.tr("Checker score %1/100 — %2"), result.score,
                                         verdict))
        self.findings.clear()
        for finding in result.findings:
            self.findings.addItem(finding.message_en if self.lang == "en"
                                  else finding.message_id)

    # -- review ----------------------------------------------------------------------------

    def approve_selected(self) -> None:
        items = self.selected_items() or ([self.current_item()] if self.current_item() else [])
        chosen = [i for i in items if i is not None]
        if not chosen:
            return
        if len(chosen) == 1:
            self._review(chosen, None)
            return
        box = QMessageBox(self)
        box.setObjectName("confirmApprove")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Approve responses"))
        box.setText(self.tr("Approve %n response(s), each exactly as shown?", None, len(chosen)))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda code: self._review(chosen, None)
                             if code == QMessageBox.StandardButton.Yes else None)
        self.confirm_box = box
        box.open()

    def return_current(self) -> None:
        item = self.current_item()
        note = self.note_edit.toPlainText().strip()
        if item is None:
            return
        if not note:
            self.failed.emit(self.tr("Write a note for the officer before returning."))
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._review([item], note)

    def _review(self, items: list[ReviewItem], note: str | None) -> None:
        outbox = self.outbox
        bound = [(i.response_id, text_sha256(i.body)) for i in items]

        def work() -> int:
            for rid, sha in bound:
                if note is None:
                    outbox.approve(rid, expected_sha256=sha)
                else:
                    outbox.return_draft(rid, note, expected_sha256=sha)
            return len(bound)

        def done(n: int) -> None:
            if note is not None:
                self.note_edit.clear()
            self.reviewed.emit(n)
            self.reload()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.reload()

        self.tasks.run(work, done, failed, pool="db")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            self.failed.emit(exc.message(self.lang))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)
