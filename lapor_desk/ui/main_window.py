"""The main window: inbox table, detail pane, search, status filter, sync and status bar.

Everything slow runs through the one ``TaskManager``: store reads on the "db" worker, sync and
login on the "net" worker, so reading stays possible during a long sync. Offline problems are
shown in the status bar, never as a dialog per timer tick; an expired login opens the sign-in
dialog once.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from lapor_desk.errors import AuthError, LaporError, LoginExpiredError, NotFoundError
from lapor_desk.models.domain import Status
from lapor_desk.models.records import ComplaintDetail, ComplaintQuery
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui import theme
from lapor_desk.ui.approval_queue import ApprovalQueue
from lapor_desk.ui.attachments_panel import AttachmentsPanel, FileDropFilter
from lapor_desk.ui.detail_pane import DetailPane
from lapor_desk.ui.i18n import Translations
from lapor_desk.ui.inbox_model import SORT_KEYS, Column, InboxModel
from lapor_desk.ui.login_dialog import LoginDialog
from lapor_desk.ui.resources import icon
from lapor_desk.ui.response_editor import ResponseEditor
from lapor_desk.ui.state import STATE_FILE, WindowState
from lapor_desk.ui.tasks import TaskManager
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.core import DeskContext
    from lapor_desk.models.store import Store

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


class MainWindow(QMainWindow):
    syncStarted = Signal()
    syncFinished = Signal(object)  # SyncReport on success, the exception on failure
    inboxReloaded = Signal(int)  # rows now in the inbox
    detailShown = Signal(str)  # complaint id
    statusRefreshed = Signal(object)  # SyncStatus
    syncProgress = Signal(object)  # SyncProgress (coalesced)
    closed = Signal()  # the window closed (state saved, workers stopped)
    signedOut = Signal()  # the user signed out; the window closes next (the app asks who's next)

    def __init__(
        self,
        ctx: DeskContext,
        *,
        tasks: TaskManager | None = None,
        translations: Translations | None = None,
        store: Store | None = None,
        sync_on_start: bool = False,
        demo: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.tasks = tasks or TaskManager(self)
        self.translations = translations
        self.store = store if store is not None else ctx.open_store()
        self.demo = demo
        self._clock = clock
        self._cancel = threading.Event()
        self._sync_job: int | None = None
        self._online: bool | None = None
        self._last_error: str | None = None
        self._login_open = False
        self._extra_statuses: list[str] = []  # values a newer server sent that we do not know
        self._login_declined = False
        self._sync_automatic = False
        self.login_dialog: LoginDialog | None = None
        self._status: Any = None
        self._closing = False
        self.signed_out = False
        self.sign_out_box: QMessageBox | None = None
        self.locked = False  # the idle lock closed the database: no reads until unlocked
        # The saved view's filter (the views sidebar replaces it); search/status/sort on top.
        self.view_filter: Callable[[], ComplaintQuery] = ComplaintQuery

        self._build_widgets()
        self._build_actions()
        self._build_status_bar()
        self.retranslate()
        self._state = WindowState(ctx.profile.home / STATE_FILE)
        if not self._state.restore(
            self, self._splitters(), {"inbox": self.table.horizontalHeader()}
        ):
            self.resize(1200, 760)
            self.splitter.setSizes([700, 500])

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.reload_inbox)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.reload_inbox)
        self.status_combo.currentIndexChanged.connect(self.reload_inbox)

        self._transient: str | None = None
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(8000)
        self._message_timer.timeout.connect(self._clear_message)

        self.model.loader = self._sort_requested
        from lapor_desk.ui import power, sync_triggers  # sidebar, triage, attention, settings

        # Start, edits, timer, connectivity and backoff: one policy (lapor_desk.sync.scheduler).
        self.sync_triggers = sync_triggers.install(self, sync_on_start=sync_on_start)

        self.power = power.install(self)
        from lapor_desk.ui import idle_lock, similar_panel

        self.similar = similar_panel.install(self)
        self.similar.answerTogether.connect(self.power.cluster.open)
        self.idle_lock = idle_lock.install(self)
        self.reload_inbox()
        self.refresh_status()
        self._refresh_statuses()
        if not self.approval_dock.isHidden():
            self.approval_queue.reload()

    # -- construction --------------------------------------------------------------------

    @property
    def lang(self) -> str:
        if self.translations is not None:
            return self.translations.lang
        return self.ctx.settings.language if self.ctx.settings.language in ("id", "en") else "id"

    def _build_widgets(self) -> None:
        self.model = InboxModel(self.store, clock=self._clock, lang=self.lang, parent=self)
        # Follow the platform's light/dark scheme, now and when it changes.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_color_scheme(app)
            app.styleHints().colorSchemeChanged.connect(self._on_color_scheme)
        # Until the widgets exist and the saved header state is back, sorting only moves the
        # indicator; the first reload_inbox() reads it.
        self.model.loader = lambda _query: None
        self.table = QTableView()
        self.table.setObjectName("inboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: no per-row size queries over 100,000 lazy rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(Column.DEADLINE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # Defaults until the user's own widths are restored: wide enough for the header text
        # (plus the sort arrow) and the longest deadline text in either language.
        fm = self.table.fontMetrics()
        pad = 2 * fm.horizontalAdvance("M")
        tracking_w = max(fm.horizontalAdvance(t) for t in ("ID Pelacakan", "Tracking ID"))
        deadline_w = max(fm.horizontalAdvance(t) for t in (
            "terlambat 99 hari kerja", "99 working days overdue"))
        for col, width in (
            (Column.TRACKING, max(80, tracking_w + pad + 12)),
            (Column.TITLE, 300),
            (Column.STATUS, 110),
            (Column.DEADLINE, max(160, deadline_w + pad)),
            (Column.CATEGORY, 200),
            (Column.ASSIGNEE, 140),
            (Column.BADGES, 120),
        ):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)

        self.detail = DetailPane()
        self.detail.set_language(self.lang)
        # H12: the response editor (a tab of the detail area) and the approval queue (a dock).
        outbox = self.ctx.outbox()
        self.response_editor = ResponseEditor(outbox, self.tasks, lang=self.lang)
        self.response_editor.failed.connect(self.show_message)
        self.detail.tabs.addTab(self.response_editor, "")
        self.attachments_panel = AttachmentsPanel(self.ctx, self.tasks, lang=lambda: self.lang)
        self.detail.install_attachments(self.attachments_panel)
        self.attachments_panel.changed.connect(lambda _cid: self.detail.retitle())
        # Files dropped on the response text are evidence too (text drops stay text).
        self._editor_drops = FileDropFilter(self.attachments_panel,
                                            self.response_editor.editor.viewport())
        self.syncFinished.connect(lambda _result: self.attachments_panel.refresh())
        self.approval_queue = ApprovalQueue(outbox, self.store, self.tasks, lang=self.lang)
        self.approval_queue.failed.connect(self.show_message)
        self.approval_dock = QDockWidget()
        self.approval_dock.setObjectName("approvalDock")
        self.approval_dock.setWidget(self.approval_queue)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.approval_dock)
        self.approval_dock.setVisible(self.ctx.settings.role == "supervisor")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self._fill_status_combo()

    def _build_actions(self) -> None:
        self.sync_action = QAction(icon("sync"), "", self)
        self.sync_action.setObjectName("syncAction")
        self.sync_action.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence(Qt.Key.Key_F5)])
        self.sync_action.triggered.connect(lambda: self.start_sync())

        self.find_action = QAction("", self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.focus_search)

        # Tracking IDs only (never complaint text: rahasia content must not leak by accident).
        self.copy_ids_action = QAction("", self)
        self.copy_ids_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_ids_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_ids_action.triggered.connect(self.copy_tracking_ids)
        self.table.addAction(self.copy_ids_action)

        self.quit_action = QAction("", self)
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.sign_out_action = QAction("", self)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(self.request_sign_out)
        self.sign_out_action.setEnabled(not self.demo)  # the demo's login is throwaway

        self.about_action = QAction("", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._about)

        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == self.lang)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_actions[code] = action

        self.approval_action = QAction(self)
        self.approval_action.setObjectName("approvalQueueAction")
        self.approval_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.approval_action.triggered.connect(self.show_approval_queue)

        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.sync_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.copy_ids_action)
        self.edit_menu.addAction(self.find_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.approval_action)
        self.language_menu = self.view_menu.addMenu("")
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.sync_action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_edit)
        self.toolbar.addWidget(self.status_combo)
        self.addToolBar(self.toolbar)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.online_icon = QLabel()
        self.online_icon.setTextFormat(Qt.TextFormat.PlainText)
        self.online_label = PlainLabel(selectable=False, wrap=False)
        self.online_label.setObjectName("onlineLabel")
        self.last_sync_label = PlainLabel(selectable=False, wrap=False)
        self.last_sync_label.setObjectName("lastSyncLabel")
        self.pending_label = PlainLabel(selectable=False, wrap=False)
        self.pending_label.setObjectName("pendingLabel")
        self.attention_label = PlainLabel(selectable=False, wrap=False)
        self.attention_label.setObjectName("attentionLabel")
        self.count_label = PlainLabel(selectable=False, wrap=False)
        self.count_label.setObjectName("countLabel")
        self.message_label = PlainLabel(selectable=False, wrap=False)
        self.message_label.setObjectName("messageLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.progress_label = PlainLabel(selectable=False, wrap=False)
        self.progress_label.setVisible(False)
        self.demo_label = PlainLabel(selectable=False, wrap=False)
        theme.set_text_role(self.demo_label, "warning")
        self.demo_label.setVisible(self.demo)
        bar.addWidget(self.message_label, 1)
        bar.addPermanentWidget(self.demo_label)
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.pending_label)
        bar.addPermanentWidget(self.attention_label)
        bar.addPermanentWidget(self.last_sync_label)
        bar.addPermanentWidget(self.online_icon)
        bar.addPermanentWidget(self.online_label)

    def _fill_status_combo(self) -> None:
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(self.tr("All statuses"), None)
        known = [status.value for status in Status]
        for value in known + [v for v in self._extra_statuses if v not in known]:
            self.status_combo.addItem(fmt.status_label(value, self.lang), value)
        index = self.status_combo.findData(current) if current is not None else 0
        self.status_combo.setCurrentIndex(max(0, index))
        self.status_combo.blockSignals(False)

    # -- language ------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Switch the UI language now and remember it in the profile's settings."""
        if self.translations is not None:
            self.translations.set_language(lang)
        if self.ctx.settings.language != lang:
            self.ctx.settings.language = lang
            try:
                self.ctx.save_settings()
            except OSError as exc:
                log.warning("could not save the language setting: %s", type(exc).__name__)
        self.language_actions[lang].setChecked(True)
        self.retranslate()

    def _on_color_scheme(self, scheme: Qt.ColorScheme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_color_scheme(app, scheme)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            theme.restyle(self)
            self.model.refresh_colours()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.attachments_panel.retranslate()
        lang = self.lang
        title = self.tr("LAPOR! Desk")
        if self.demo:
            title += " — " + self.tr("demo (synthetic data)")
        # Who is signed in: on a PC shared by several officers the title says whose work it is.
        who = self.ctx.settings.display_name or self.ctx.settings.username
        if who:
            agency = self.ctx.settings.agency_name
            title += f" — {who} ({agency})" if agency else f" — {who}"
        self.setWindowTitle(title)
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.sync_action.setText(self.tr("&Sync"))
        self.sync_action.setToolTip(self.tr("Sync with the server now (Ctrl+R, F5)"))
        self.find_action.setText(self.tr("&Find…"))
        self.copy_ids_action.setText(self.tr("&Copy tracking IDs"))
        self.quit_action.setText(self.tr("&Quit"))
        self.sign_out_action.setText(self.tr("Sign &out / switch user…"))
        self.about_action.setText(self.tr("&About LAPOR! Desk"))
        self.search_edit.setPlaceholderText(self.tr("Search complaints (Ctrl+F)…"))
        self.search_edit.setAccessibleName(self.tr("Search complaints"))
        self.status_combo.setAccessibleName(self.tr("Filter by status"))
        self.table.setAccessibleName(self.tr("Complaint inbox"))
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.demo_label.setText(self.tr("DEMO: synthetic data"))
        self.approval_action.setText(self.tr("&Approval queue"))
        self.approval_dock.setWindowTitle(self.tr("Approval queue"))
        self.detail.tabs.setTabText(self.detail.tabs.indexOf(self.response_editor),
                                    self.tr("Response"))
        self.response_editor.set_language(lang)
        self.approval_queue.set_language(lang)
        self._fill_status_combo()
        self.model.set_language(lang)
        self.detail.set_language(lang)
        self._show_online()
        self._show_status()
        self._show_count()

    # -- inbox ---------------------------------------------------------------------------

    def current_query(self) -> ComplaintQuery:
        """The query the widgets describe now (search text, status, header sort indicator)."""
        status = self.status_combo.currentData()
        header = self.table.horizontalHeader()
        section = header.sortIndicatorSection()
        key = SORT_KEYS.get(Column(section)) if 0 <= section < len(Column) else None
        return replace(
            self.view_filter(),
            search=self.search_edit.text().strip(),
            statuses=(status,) if status else (),
            sort=key or self.model.query.sort,
            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            if key
            else self.model.query.descending,
        )

    def _sort_requested(self, query: ComplaintQuery) -> None:
        """A header click: re-query with the pending search/status text and the new order."""
        self._load_query(
            replace(self.current_query(), sort=query.sort, descending=query.descending)
        )

    def _sort_indicator_changed(self, section: int, _order: Qt.SortOrder) -> None:
        if 0 <= section < len(Column) and Column(section) in SORT_KEYS:
            return
        # Not sortable: put the indicator back where the data is actually sorted.
        self._show_sort_indicator(self.model.query)

    def _show_sort_indicator(self, query: ComplaintQuery) -> None:
        header = self.table.horizontalHeader()
        for col, key in SORT_KEYS.items():
            if key == query.sort:
                header.blockSignals(True)
                header.setSortIndicator(
                    col,
                    Qt.SortOrder.DescendingOrder
                    if query.descending
                    else Qt.SortOrder.AscendingOrder,
                )
                header.blockSignals(False)
                header.viewport().update()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, "checker": self.response_editor.splitter}

    def reload_inbox(self) -> None:
        self._search_timer.stop()
        self._load_query(self.current_query())

    def _load_query(self, query: ComplaintQuery) -> None:
        if self.locked:
            return
        store = self.store
        self.tasks.run(
            lambda: store.ids(query),
            lambda ids: self._inbox_loaded(query, ids),
            self._read_failed,
            pool="db",
            key="inbox",
        )

    def _inbox_loaded(self, query: ComplaintQuery, ids: list[str]) -> None:
        if self.locked:
            return  # read before the lock closed the database
        keep = self._selected_id()
        # The multi-selection is kept by complaint id (rows move when a sync changes the list).
        chosen = [cid for r in self.selected_rows()
                  if (cid := self.model.complaint_id(r)) is not None]
        self.model.set_result(query, ids)
        self._show_sort_indicator(query)
        self._reselect(chosen, keep)
        self._show_count()
        self.inboxReloaded.emit(len(ids))

    def _reselect(self, chosen: list[str], keep: str | None) -> None:
        selection_model = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        row = self.model.row_of(keep) if keep else None
        if row is not None:
            selection_model.setCurrentIndex(
                self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)
        elif keep is not None:
            self.detail.clear()
        selection = QItemSelection()
        for cid in chosen:
            r = self.model.row_of(cid)
            if r is not None:
                selection.select(self.model.index(r, 0), self.model.index(r, 0))
        if not selection.isEmpty():
            selection_model.select(selection, flags.Select | flags.Rows)

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.table.selectionModel().selectedRows())

    def copy_tracking_ids(self) -> None:
        """Copy the selected complaints' tracking IDs, one per line."""
        ids = []
        for row in self.selected_rows():
            record = self.model.record(row)
            if record is not None:
                ids.append(str(record.tracking_id))
        if ids:
            QGuiApplication.clipboard().setText("\n".join(ids))
            self.show_message(self.tr("Copied %n tracking ID(s).", None, len(ids)), transient=True)

    def _selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.complaint_id(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(
            self.tr("%n complaint(s)", None, n)
        )

    # -- detail --------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cid = self.model.complaint_id(current.row()) if current.isValid() else None
        if cid is None:
            self.detail.clear()
            return
        self._load_detail(cid)

    def show_complaint_detail(self, cid: str) -> None:
        """Show one complaint in the detail pane (also when the inbox filter hides it)."""
        self.table.clearSelection()
        self._load_detail(cid)

    def _load_detail(self, cid: str) -> None:
        if self.locked:
            return
        store = self.store
        self.tasks.run(
            lambda: store.detail(cid),
            self._detail_loaded,
            self._detail_failed,
            pool="db",
            key="detail",
        )

    def _detail_loaded(self, detail: ComplaintDetail) -> None:
        if self.locked:
            return
        self.detail.show_detail(detail)
        self.response_editor.set_complaint(detail)
        self.detailShown.emit(detail.row.id)

    def _detail_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NotFoundError):
            self.detail.clear()  # removed by a sync in the meantime
            return
        self._read_failed(exc)

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            self.show_message(exc.message(self.lang))
            return
        _report_bug(exc)

    # -- sync ----------------------------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self._sync_job is not None

    def may_sync_automatically(self) -> bool:
        return not (self._login_open or self._closing or self.locked)

    def set_online(self, online: bool) -> None:
        """Connectivity from the system (sync_triggers); the next sync result overrides it."""
        self._online = online
        self._show_online()

    def start_sync(self, *, automatic: bool = False) -> None:
        """Run ``ctx.sync`` on the network worker; the inbox stays readable meanwhile.

        ``automatic`` (timer, start-up): after the user declined to sign in again, an auth
        failure only shows in the status bar instead of reopening the sign-in dialog.
        """
        if self._sync_job is not None or self._closing or self.locked:
            return
        self._sync_automatic = automatic
        self._cancel = threading.Event()
        ctx, cancel = self.ctx, self._cancel
        self.sync_action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.progress_label.setText(self.tr("Syncing…"))
        self.progress_label.setVisible(True)
        self.syncStarted.emit()
        self._sync_job = self.tasks.run(
            lambda report: ctx.sync(report, cancel),
            self._sync_done,
            self._sync_failed,
            self._sync_progress,
            pool="net",
            key="sync",
        )

    def show_work_progress(self, text: str, done: int, total: int) -> None:
        """Progress of other long work in the status bar (sync's own progress wins)."""
        if self._sync_job is not None:
            return
        busy = bool(text)
        if busy:
            self.progress.setRange(0, max(total, done, 1))
            self.progress.setValue(done)
            self.progress_label.setText(text)
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)

    def cancel_sync(self) -> None:
        self._cancel.set()

    def _sync_progress(self, p: Any) -> None:
        total = getattr(p, "complaints_total", None)
        done = int(getattr(p, "complaints_done", 0))
        size = fmt.format_size(int(getattr(p, "bytes_done", 0)), self.lang)
        if total:
            self.progress.setRange(0, max(int(total), done))
            self.progress.setValue(done)
            text = fmt.arg(self.tr("%1 of %2 complaints · %3"), done, max(int(total), done), size)
        else:
            self.progress.setRange(0, 0)
            text = fmt.arg(self.tr("%1 complaints · %2"), done, size)
        self.progress_label.setText(text)
        self.syncProgress.emit(p)

    def _sync_finished_ui(self) -> None:
        self._sync_job = None
        self.sync_action.setEnabled(True)
        self.progress.setVisible(False)
        self.progress_label.setVisible(False)

    def _sync_done(self, report: Any) -> None:
        self._sync_finished_ui()
        self._online = True
        self._last_error = None
        self.message_label.setText("")
        received = int(getattr(report, "received", 0))
        removed = int(getattr(report, "removed", 0))
        if received or removed or getattr(report, "reset", False):
            self.model.invalidate()
            self.reload_inbox()
            self._refresh_statuses()
            cid = self._selected_id()
            if cid is not None:
                self._load_detail(cid)
        self.response_editor.reload()
        if not self.approval_dock.isHidden():
            self.approval_queue.reload()
        self.show_message(
            fmt.arg(self.tr("Sync finished: %1 received, %2 removed."), received, removed),
            transient=True,
        )
        self._show_online()
        self.refresh_status()
        self.syncFinished.emit(report)

    def _sync_failed(self, exc: BaseException) -> None:
        self._sync_finished_ui()
        if isinstance(exc, LoginExpiredError | AuthError):
            self._online = True
            self.show_message(exc.message(self.lang))
            self.syncFinished.emit(exc)
            if not (self._sync_automatic and self._login_declined):
                self.ask_login()
            return
        if isinstance(exc, LaporError):
            self._online = False
            self._last_error = exc.message(self.lang)
            self.show_message(self._last_error)
            self._show_online()
            self.refresh_status()
            self.syncFinished.emit(exc)
            return
        self.syncFinished.emit(exc)
        _report_bug(exc)

    def ask_login(self) -> None:
        """The sign-in dialog (once, however many syncs fail meanwhile); sync after success."""
        if self._login_open or self._closing:
            return
        self._login_open = True
        dialog = LoginDialog(self.ctx, self.tasks, lang=self.lang, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            self._login_open = False
            self._login_declined = result != int(LoginDialog.DialogCode.Accepted)
            if not self._login_declined:
                self.start_sync()

        dialog.finished.connect(finished)
        dialog.open()
        self.login_dialog = dialog

    # -- status bar ----------------------------------------------------------------------

    def refresh_status(self) -> None:
        if self.locked:
            return  # ctx.status() would reopen the database
        ctx = self.ctx
        self.tasks.run(ctx.status, self._status_loaded, self._read_failed, pool="db", key="status")

    def _refresh_statuses(self) -> None:
        if self.locked:
            return
        store = self.store
        self.tasks.run(
            store.statuses_present,
            self._statuses_loaded,
            self._read_failed,
            pool="db",
            key="statuses",
        )

    def _statuses_loaded(self, values: list[str]) -> None:
        known = {status.value for status in Status}
        extra = sorted(v for v in values if v not in known)
        if extra != self._extra_statuses:
            self._extra_statuses = extra
            self._fill_status_combo()

    def _status_loaded(self, status: Any) -> None:
        self._status = status
        self._show_status()
        self._show_online()
        self.statusRefreshed.emit(status)

    def _show_status(self) -> None:
        s = self._status
        last = getattr(s, "last_sync", None)
        self.last_sync_label.setText(
            fmt.arg(
                self.tr("Last sync: %1"),
                fmt.format_datetime(last, self.lang) if last else self.tr("never"),
            )
        )
        pending = int(getattr(s, "pending", 0) or 0)
        attention = int(getattr(s, "attention", 0) or 0)
        self.pending_label.setText(fmt.arg(self.tr("Pending: %1"), pending))
        self.pending_label.setToolTip(self.tr("Changes saved here and not yet sent"))
        self.attention_label.setText(fmt.arg(self.tr("Needs attention: %1"), attention))
        self.attention_label.setToolTip(self.tr("Conflicts, rejections and orphaned drafts"))
        theme.set_text_role(self.attention_label, "error" if attention else None)

    def _show_online(self) -> None:
        if self._online is None:
            synced_before = getattr(self._status, "last_sync", None) is not None
            text = (
                self.tr("Connection not checked yet")
                if synced_before
                else self.tr("Not synced yet")
            )
            name = "offline"
        elif self._online:
            text, name = self.tr("Online"), "online"
        else:
            text, name = self.tr("Offline"), "offline"
        self.online_label.setText(text)
        self.online_label.setAccessibleName(fmt.arg(self.tr("Connection: %1"), text))
        self.online_icon.setPixmap(icon(name).pixmap(16, 16))
        if self._online is False and self._last_error:
            self.online_label.setToolTip(self._last_error)
        else:
            self.online_label.setToolTip("")

    def show_message(self, text: str, *, transient: bool = False) -> None:
        """A plain-language message in the status bar (never a modal dialog)."""
        self.message_label.setText(text)
        self._transient = text if transient else None
        if transient:
            self._message_timer.start()

    def _clear_message(self) -> None:
        if self._transient is not None and self.message_label.text() == self._transient:
            self.message_label.setText(self._last_error or "")
        self._transient = None

    def show_approval_queue(self) -> None:
        """Ctrl+Shift+A: the supervisor's queue of submitted responses."""
        self.approval_dock.setVisible(True)
        self.approval_dock.raise_()
        self.approval_queue.reload()
        self.approval_queue.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- sign out ------------------------------------------------------------------------

    def request_sign_out(self) -> None:
        """Sign out (another person can then sign in on their own profile). Unsent work is
        never deleted: with changes still waiting the user is told, offered a sync first, and
        may sign out anyway; the changes stay here and go when this account signs in again."""
        if self._closing or self.sign_out_box is not None or self.demo:
            return
        self.response_editor.flush(wait=True)  # what was just typed counts as pending
        self.tasks.run(self.ctx.status, self._ask_sign_out, self._read_failed, pool="db",
                       key="sign-out")

    def _ask_sign_out(self, status: Any) -> None:
        pending = int(getattr(status, "pending", 0))
        if pending == 0:
            self._sign_out()
            return
        box = QMessageBox(self)
        box.setObjectName("signOutDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Sign out"))
        box.setText(self.tr("%n change(s) on this computer have not reached the server yet.",
                            None, pending))
        info = self.tr("They are not deleted: they stay in this account's profile and are sent "
                       "when it signs in here again. Sync now to send them first.")
        if self._last_error:
            info = self._last_error + "\n\n" + info
        box.setInformativeText(info)
        sync_first = box.addButton(self.tr("S&ync first"), QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton(self.tr("Sign out and &keep them here"),
                              QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        sync_first.setObjectName("syncFirstButton")
        leave.setObjectName("signOutKeepButton")
        box.setDefaultButton(sync_first)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(_result: int) -> None:
            self.sign_out_box = None
            clicked = box.clickedButton()
            if clicked is sync_first:
                self.syncFinished.connect(self._synced_before_sign_out,
                                          Qt.ConnectionType.UniqueConnection)
                self.start_sync()
            elif clicked is leave:
                self._sign_out()

        box.finished.connect(done)
        self.sign_out_box = box
        box.open()

    def _synced_before_sign_out(self, _result: object) -> None:
        self.syncFinished.disconnect(self._synced_before_sign_out)
        self.request_sign_out()  # signs out at once if everything went; else asks again

    def _sign_out(self) -> None:
        self.sign_out_action.setEnabled(False)
        self.sync_triggers.stop()
        self._cancel.set()
        self.tasks.run(self.ctx.logout, self._signed_out, self._sign_out_failed, pool="net",
                       key="logout")

    def _signed_out(self, info: Any) -> None:
        log.info("signed out from the window (%d unsent change(s) kept)",
                 int(getattr(info, "pending", 0)))
        self.signed_out = True
        self.signedOut.emit()
        self.close()

    def _sign_out_failed(self, exc: BaseException) -> None:
        self.sign_out_action.setEnabled(True)
        self.sync_triggers.start()
        if isinstance(exc, LaporError):
            self.show_message(exc.message(self.lang))
            return
        _report_bug(exc)

    # -- misc ----------------------------------------------------------------------------

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIconPixmap(icon("app").pixmap(64, 64))
        box.setWindowTitle(self.tr("About LAPOR! Desk"))
        box.setText(
            self.tr(
                "LAPOR! Desk: an offline-first desktop client for handling "
                "SP4N-LAPOR! public complaints."
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            super().closeEvent(event)
            return
        self._closing = True
        self.sync_triggers.stop()
        self._search_timer.stop()
        self._cancel.set()
        self._state.save(self, self._splitters(), {"inbox": self.table.horizontalHeader()})
        self.response_editor.flush(wait=True)  # nothing typed is lost on close
        self.tasks.shutdown()  # the store belongs to ctx; ctx.close() closes it
        super().closeEvent(event)
        self.closed.emit()


def _report_bug(exc: BaseException) -> None:
    """An unexpected exception from a worker: the global hook logs it and tells the user."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
