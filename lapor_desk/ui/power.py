"""Hooks the operator's power features into the main window: the saved-views sidebar, batch
triage (menu, shortcuts, undo), the needs-attention dock, settings and notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from lapor_desk.sync import protocol as p
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.attention_panel import AttentionPanel
from lapor_desk.ui.cluster import ClusterController
from lapor_desk.ui.settings_dialog import APPROVED, Notifier, SettingsDialog
from lapor_desk.ui.triage import TriageController
from lapor_desk.ui.views_sidebar import ViewsSidebar

if TYPE_CHECKING:
    from lapor_desk.ui.main_window import MainWindow


class PowerFeatures(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        ctx = window.ctx
        self.outbox = ctx.outbox()
        self.sidebar = ViewsSidebar(window.store, window.tasks,
                                    user_id=lambda: ctx.settings.user_id,
                                    role=lambda: ctx.settings.role)
        self.views_dock = QDockWidget()
        self.views_dock.setObjectName("viewsDock")
        self.views_dock.setWidget(self.sidebar)
        self.views_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.views_dock)
        for action in self.sidebar.actions_by_key.values():
            window.addAction(action)
        window.view_filter = self.sidebar.current_filter
        self.sidebar.viewChanged.connect(lambda _key: window.reload_inbox())

        self.triage = TriageController(
            window.store, self.outbox, window.tasks, selection=self.selection,
            agency_id=lambda: ctx.settings.agency_id, lang=lambda: window.lang,
            parent_widget=window)
        self.triage.queued.connect(self._queued)
        self.triage.progress.connect(self._triage_progress)
        self.triage.failed.connect(window.show_message)
        self.triage_menu = window.menuBar().addMenu("")
        window.menuBar().insertMenu(window.help_menu.menuAction(), self.triage_menu)
        may_triage = ctx.settings.role in ("operator", "admin")
        for action in self.triage.actions():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            # Category, priority, tags and assignee are the operator's (the server refuses
            # them from others); anyone may ask for a re-route or mark read (per user).
            action.setEnabled(may_triage or action in (
                self.triage.reroute_action, self.triage.read_action, self.triage.unread_action))
            self.triage_menu.addAction(action)
            window.addAction(action)
        # Right-click on the inbox: the same actions (copy tracking IDs is already there).
        window.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        window.table.addActions(self.triage.actions())
        window.edit_menu.insertActions(window.copy_ids_action,
                                       [self.triage.undo_action, self.triage.redo_action])
        window.edit_menu.insertSeparator(window.copy_ids_action)
        window.addAction(self.triage.undo_action)
        window.addAction(self.triage.redo_action)

        # One answer for a cluster: from the similar panel or the inbox multi-selection.
        self.cluster = ClusterController(lambda: window.store, self.outbox, window.tasks,
                                         self.triage.undo_stack, lang=lambda: window.lang,
                                         agency_id=lambda: ctx.settings.agency_id,
                                         parent_widget=window)
        self.cluster.failed.connect(window.show_message)
        self.cluster.created.connect(self._cluster_created)
        self.cluster.undone.connect(lambda _n: self._changed())
        self.cluster_action = QAction(self)
        self.cluster_action.setShortcut(QKeySequence("Ctrl+Shift+J"))
        self.cluster_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cluster_action.triggered.connect(
            lambda: self.cluster.open([cid for cid, _t, _s in self.selection()]))
        self.triage_menu.addAction(self.cluster_action)
        window.addAction(self.cluster_action)

        self.attention = AttentionPanel(self.outbox, window.tasks,
                                        role=lambda: ctx.settings.role, lang=window.lang)
        self.attention_dock = QDockWidget()
        self.attention_dock.setObjectName("attentionDock")
        self.attention_dock.setWidget(self.attention)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.attention_dock)
        # An empty list should not take half the window: hidden until something needs a person,
        # shown (once per new batch) when items appear; Ctrl+Shift+N toggles it any time.
        self.attention_dock.hide()
        self._attention_seen = 0
        self.attention.refreshed.connect(self._attention_count)
        self.attention.changed.connect(self._changed)
        self.attention.message.connect(lambda text: window.show_message(text, transient=True))
        self.attention_toggle = self.attention_dock.toggleViewAction()
        self.attention_toggle.setShortcut(QKeySequence("Ctrl+Shift+N"))
        window.view_menu.addAction(self.attention_toggle)

        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        window.file_menu.insertAction(window.quit_action, self.settings_action)
        window.addAction(self.settings_action)
        self.settings_dialog: SettingsDialog | None = None

        self.notifier = Notifier(lambda: bool(ctx.settings.notifications),
                                 lambda text: window.show_message(text), self)
        self._after_sync = False
        self.sidebar.countsRefreshed.connect(self._counts)
        window.syncFinished.connect(self._synced)
        window.statusRefreshed.connect(self._status)
        window.installEventFilter(self)
        for language_action in window.language_actions.values():
            # Connected after the window's own slot: the window has switched by then.
            language_action.triggered.connect(lambda _checked=False: self.retranslate())
        self.attention.openComplaint.connect(self.show_complaint)
        window.response_editor.orphanAction.connect(self._orphan_action)
        self.retranslate()
        self.sidebar.refresh_counts_now()
        self.attention.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _attention_count(self, n: int) -> None:
        if self.attention.showing_parked:
            return  # the parked list is not what needs attention
        if n > self._attention_seen and not self.attention_dock.isVisible():
            self.attention_dock.show()
        self._attention_seen = n

    def retranslate(self) -> None:
        self.views_dock.setWindowTitle(self.tr("Views"))
        self.attention_dock.setWindowTitle(self.tr("Needs attention"))
        self.triage_menu.setTitle(self.tr("&Triage"))
        self.triage.undo_action.setText(self.tr("&Undo triage"))
        self.triage.redo_action.setText(self.tr("&Redo triage"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.cluster_action.setText(self.tr("Answer selected &together…"))
        self.sidebar.retranslate()
        self.triage.retranslate()
        self.attention.set_language(self.window.lang)

    # -- glue --------------------------------------------------------------------------

    def selection(self) -> list[tuple[str, int, bool]]:
        out = []
        for row in self.window.selected_rows():
            record = self.window.model.record(row)
            if record is not None:
                out.append((record.id, record.tracking_id, record.is_confidential))
        return out

    def _triage_progress(self, done: int, total: int) -> None:
        self.window.show_work_progress(
            fmt.arg(self.tr("Queuing changes: %1 of %2"), done, total), done, total)

    def _queued(self, entries: list[object], undo: bool) -> None:
        self.window.show_work_progress("", 0, 0)
        n = len(entries)
        if any(getattr(e, "kind", None) == p.CMD_MARK_READ for e in entries):
            self.window.model.invalidate()  # the "Unread" badges of the rows
        self.window.show_message(
            self.tr("Undone: %n inverse change(s) queued.", None, n) if undo
            else self.tr("%n change(s) queued; they are sent at the next sync.", None, n),
            transient=True)
        self._changed()

    def _changed(self) -> None:
        self.window.refresh_status()  # statusRefreshed then refreshes the counts and the list

    def _status(self, _status: object) -> None:
        # Any edit anywhere in the window ends in a status refresh: counts follow (coalesced).
        self.sidebar.refresh_counts()
        self.attention.refresh()
        store, model = self.window.store, self.window.model
        self.window.tasks.run(store.local_states, model.set_local_states, self._ignore,
                              pool="db", key="local-states")

    def _ignore(self, exc: BaseException) -> None:
        if not isinstance(exc, Exception):
            raise exc  # badges are a convenience: a failed read leaves them as they were

    def _synced(self, _report: object) -> None:
        self._after_sync = True
        self.window.model.invalidate()  # read marks from the user's other devices

    def _counts(self, counts: dict[str, int]) -> None:
        if self._after_sync or not self.notifier.primed:
            self._after_sync = False
            outbox = self.outbox

            def approved() -> int:
                return sum(1 for d in outbox.drafts() if d.state == "approved")

            self.window.tasks.run(
                approved, lambda n: self.notifier.counts_after_sync({**counts, APPROVED: n}),
                self._ignore, pool="db", key="approved-count")

    def _cluster_created(self, drafts: list[object]) -> None:
        self.window.show_message(
            fmt.arg(self.tr("%1 drafts created, one per complaint; Ctrl+Z takes them back "
                            "while they are unsent."), len(drafts)), transient=True)
        self.window.response_editor.reload()
        self._changed()

    def _orphan_action(self, key: str, draft_id: str, tracking_id: object) -> None:
        """The response editor's orphaned-draft buttons: the attention panel's actions."""
        if key == "note":
            self.attention.copy_as_note(draft_id)
        elif key == "export":
            self.attention.ask_export(draft_id,
                                      tracking_id if isinstance(tracking_id, int) else None)
        else:
            self.attention.ask_discard(draft_id)

    def show_complaint(self, complaint_id: str) -> None:
        """Select a complaint in the inbox (from the attention list); "All" if it is hidden."""
        row = self.window.model.row_of(complaint_id)
        if row is None and self.sidebar.current_key() != "all":
            self.sidebar.select_view("all")
            return
        if row is not None:
            self.window.select_row(row)
            self.window.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.window.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_saved(self, lang: str) -> None:
        self.window.set_language(lang)
        self.retranslate()
        self.window.sync_triggers.set_interval(self.window.ctx.settings.sync_interval_minutes)


def install(window: MainWindow) -> PowerFeatures:
    return PowerFeatures(window)
