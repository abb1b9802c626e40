"""Batch triage on the inbox's multi-selection: assign, category, priority, tags, re-route.

Every change is a command in the outbox (``Outbox.triage`` / ``request_reroute``), written on
the "db" worker. Triage changes are undoable through a QUndoStack: undo queues the inverse
triage command for the same complaints (still a command in the outbox, never a silent local
edit). A re-route request is a message to the admin and cannot be taken back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import LaporError
from lapor_desk.models.outbox import PRIORITIES, OutboxEntry
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.store import Store
    from lapor_desk.ui.tasks import TaskManager

Changes = dict[str, object]
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class ChoiceDialog(QDialog):
    """A searchable list of (value, label) choices; type to filter, Enter to pick."""

    def __init__(self, title: str, prompt: str, choices: Sequence[tuple[object, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("choiceFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("Type to filter…"))
        self.filter_edit.setAccessibleName(self.tr("Filter the choices"))
        self.list = QListWidget()
        self.list.setObjectName("choiceList")
        self.list.setAccessibleName(prompt)
        for value, label in choices:
            item = QListWidgetItem(label)
            item.setData(VALUE_ROLE, value)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.returnPressed.connect(self.accept)
        layout = QVBoxLayout(self)
        label = PlainLabel(prompt)
        label.setBuddy(self.filter_edit)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        if first is not None:
            self.list.setCurrentRow(first)

    def value(self) -> object:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(VALUE_ROLE)

    def has_choice(self) -> bool:
        item = self.list.currentItem()
        return item is not None and not item.isHidden()


class TriageCommand(QUndoCommand):
    """One batch change; redo/undo each queue commands in the outbox."""

    def __init__(self, controller: TriageController, text: str, new: dict[str, Changes],
                 old: dict[str, Changes]) -> None:
        super().__init__(text)
        self._controller = controller
        self._new = new
        self._old = old

    def redo(self) -> None:
        self._controller.queue(self._new, undo=False)

    def undo(self) -> None:
        self._controller.queue(self._old, undo=True)


class MarkReadCommand(QUndoCommand):
    """Mark a batch read (or unread); undo marks back only those whose state it changed."""

    def __init__(self, controller: TriageController, text: str, ids: list[str],
                 read: bool) -> None:
        super().__init__(text)
        self._controller = controller
        self._ids = ids
        self._read = read

    def redo(self) -> None:
        self._controller.queue_marks(self._ids, self._read, undo=False)

    def undo(self) -> None:
        self._controller.queue_marks(self._ids, not self._read, undo=True)


class TriageController(QObject):
    """Owns the undo stack and the triage actions for a window's inbox selection."""

    queued = Signal(object, bool)  # list[OutboxEntry], whether it was an undo
    progress = Signal(int, int)  # changes queued so far, in all (a large batch)
    failed = Signal(str)  # a plain-language message

    def __init__(self, store: Store, outbox: Outbox, tasks: TaskManager, *,
                 selection: Callable[[], list[tuple[str, int, bool]]],
                 agency_id: Callable[[], str | None], lang: Callable[[], str],
                 parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._store = store
        self._outbox = outbox
        self._tasks = tasks
        self._selection = selection  # [(complaint id, tracking id, rahasia)]
        self._agency_id = agency_id
        self._lang = lang
        self._parent = parent_widget
        self.undo_stack = QUndoStack(self)
        # Set once here: Qt refuses (with a warning) a limit on a non-empty stack, which a
        # language change (retranslate) would otherwise attempt.
        self.undo_stack.setUndoLimit(100)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.assign_action = self._action("Ctrl+Shift+G", self.ask_assign)
        self.category_action = self._action("Ctrl+Shift+K", self.ask_category)
        self.priority_action = self._action("Ctrl+Shift+P", self.ask_priority)
        self.tags_action = self._action("Ctrl+Shift+T", self.ask_tags)
        self.reroute_action = self._action("Ctrl+Shift+E", self.ask_reroute)
        self.read_action = self._action("Ctrl+Shift+R", lambda: self.mark_selection(True))
        self.unread_action = self._action("Ctrl+Shift+U", lambda: self.mark_selection(False))
        self.dialog: QDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.retranslate()

    def _action(self, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def actions(self) -> list[QAction]:
        return [self.assign_action, self.category_action, self.priority_action,
                self.tags_action, self.reroute_action, self.read_action, self.unread_action]

    def retranslate(self) -> None:
        self.assign_action.setText(self.tr("&Assign to…"))
        self.category_action.setText(self.tr("Set &category…"))
        self.priority_action.setText(self.tr("Set &priority…"))
        self.tags_action.setText(self.tr("Set &tags…"))
        self.reroute_action.setText(self.tr("Request &re-route…"))
        self.read_action.setText(self.tr("Mark rea&d"))
        self.unread_action.setText(self.tr("Mark &unread"))

    # -- applying ----------------------------------------------------------------------

    def apply(self, ids: Sequence[str], changes: Changes, text: str) -> None:
        """Read the current values, then push an undoable command setting ``changes``."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return
        store = self._store

        def done(current: dict[str, dict[str, object]]) -> None:
            found = [cid for cid in ids if cid in current]
            new = {cid: dict(changes) for cid in found}
            old = {cid: {k: current[cid][k] for k in changes} for cid in found}
            if found:
                self.undo_stack.push(TriageCommand(self, text, new, old))

        self._tasks.run(lambda: store.triage_values(ids), done, self._error, pool="db")

    def queue(self, changes_by_id: dict[str, Changes], *, undo: bool) -> None:
        outbox = self._outbox
        items = list(changes_by_id.items())

        def work(report: Callable[[object], None]) -> list[OutboxEntry]:
            out = []
            for done, (cid, changes) in enumerate(items, 1):
                out.append(outbox.triage(cid, changes))
                report((done, len(items)))  # coalesced: the GUI sees the newest only
            return out

        def progress(value: tuple[int, int]) -> None:
            self.progress.emit(value[0], value[1])

        self._tasks.run(work, lambda entries: self.queued.emit(entries, undo), self._error,
                        progress, pool="db")

    def mark_selection(self, read: bool) -> None:
        """Ctrl+Shift+R / Ctrl+Shift+U: mark the selected complaints read or unread for this
        user (one undo step; undo touches only those whose state changed)."""
        if self._nothing_selected():
            return
        ids, store = list(dict.fromkeys(self._ids())), self._store

        def done(unread: set[str]) -> None:
            changing = [cid for cid in ids if (cid in unread) == read]
            if not changing:
                return
            n = len(changing)
            text = (fmt.arg(self.tr("Mark %1 read"), n) if read
                    else fmt.arg(self.tr("Mark %1 unread"), n))
            self.undo_stack.push(MarkReadCommand(self, text, changing, read))

        self._tasks.run(lambda: store.unread(ids), done, self._error, pool="db")

    def queue_marks(self, ids: list[str], read: bool, *, undo: bool) -> None:
        outbox = self._outbox
        self._tasks.run(lambda: outbox.mark_read(ids, read=read),
                        lambda entries: self.queued.emit(entries, undo), self._error, pool="db")

    def request_reroute(self, ids: Sequence[str], reason: str) -> None:
        outbox = self._outbox
        wanted = list(dict.fromkeys(ids))

        def work() -> list[OutboxEntry]:
            return [outbox.request_reroute(cid, reason) for cid in wanted]

        self._tasks.run(work, lambda entries: self.queued.emit(entries, False), self._error,
                        pool="db")

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            self.failed.emit(exc.message(self._lang()))
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    # -- the dialogs -------------------------------------------------------------------

    def _ids(self) -> list[str]:
        return [cid for cid, _tracking, _secret in self._selection()]

    def _nothing_selected(self) -> bool:
        if self._ids():
            return False
        self.failed.emit(self.tr("Select one or more complaints first."))
        return True

    def _choose(self, title: str, prompt: str, choices: Sequence[tuple[object, str]],
                then: Callable[[object], None]) -> None:
        dialog = ChoiceDialog(title, prompt, choices, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result == int(QDialog.DialogCode.Accepted) and dialog.has_choice():
                then(dialog.value())
            self.dialog = None

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()

    def ask_assign(self) -> None:
        if self._nothing_selected():
            return
        ids, store, agency = self._ids(), self._store, self._agency_id()

        def show(users: list[tuple[str, str, str]]) -> None:
            choices: list[tuple[object, str]] = [(None, self.tr("(nobody)"))]
            choices += [(uid, f"{name} — {role}") for uid, name, role in users]
            n = len(ids)
            self._choose(self.tr("Assign"), self.tr("Assign %n complaint(s) to:", None, n),
                         choices, lambda v: self.apply(ids, {"assignee_id": v},
                                                       fmt.arg(self.tr("Assign %1"), n)))

        self._tasks.run(lambda: store.users(agency), show, self._error, pool="db")

    def ask_category(self) -> None:
        if self._nothing_selected():
            return
        ids, store = self._ids(), self._store

        def show(categories: list[tuple[str, str]]) -> None:
            n = len(ids)
            self._choose(self.tr("Category"),
                         self.tr("Category for %n complaint(s):", None, n),
                         [(cid, path) for cid, path in categories],
                         lambda v: self.apply(ids, {"category_id": v},
                                              fmt.arg(self.tr("Set category of %1"), n)))

        self._tasks.run(store.categories, show, self._error, pool="db")

    def ask_priority(self) -> None:
        if self._nothing_selected():
            return
        ids, n = self._ids(), len(self._ids())
        self._choose(self.tr("Priority"), self.tr("Priority for %n complaint(s):", None, n),
                     [(p, fmt.priority_label(p)) for p in PRIORITIES],
                     lambda v: self.apply(ids, {"priority": v},
                                          fmt.arg(self.tr("Set priority of %1"), n)))

    def ask_tags(self) -> None:
        if self._nothing_selected():
            return
        ids, n = self._ids(), len(self._ids())
        dialog = TextDialog(self.tr("Tags"),
                            self.tr("Tags for %n complaint(s), separated by commas:", None, n),
                            multiline=False, parent=self._parent)

        def finished(result: int) -> None:
            self.dialog = None
            if result != int(QDialog.DialogCode.Accepted):
                return
            tags = [t.strip() for t in dialog.text().split(",") if t.strip()]
            self.apply(ids, {"tags": list(dict.fromkeys(tags))},
                       fmt.arg(self.tr("Set tags of %1"), n))

        self._open_text(dialog, finished)

    def ask_reroute(self) -> None:
        if self._nothing_selected():
            return
        selection = self._selection()
        ids = [cid for cid, _t, _s in selection]
        secret = [str(t) for _c, t, s in selection if s]
        dialog = TextDialog(
            self.tr("Request re-route"),
            fmt.arg(self.tr("Why is this not your agency's authority? The admin reads this "
                            "reason (%1 complaints)."), len(ids)),
            multiline=True, parent=self._parent)

        def finished(result: int) -> None:
            self.dialog = None
            if result != int(QDialog.DialogCode.Accepted) or not dialog.text().strip():
                return
            reason = dialog.text()
            if secret:
                self._confirm_secret(secret, lambda: self.request_reroute(ids, reason))
            else:
                self.request_reroute(ids, reason)

        self._open_text(dialog, finished)

    def _confirm_secret(self, tracking: list[str], then: Callable[[], None]) -> None:
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Confidential complaints"))
        box.setText(fmt.arg(
            self.tr("%1 of the selected complaints are confidential (rahasia): #%2. Their "
                    "content must only reach people allowed to see it. Forward them anyway?"),
            len(tracking), ", #".join(tracking)))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result == int(QMessageBox.StandardButton.Yes):
                then()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def _open_text(self, dialog: TextDialog, finished: Callable[[int], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()


class TextDialog(QDialog):
    """A prompt with a plain-text field (one line or several)."""

    def __init__(self, title: str, prompt: str, *, multiline: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit: Any = QPlainTextEdit() if multiline else QLineEdit()
        self.edit.setObjectName("textDialogEdit")
        self.edit.setAccessibleName(prompt)
        if multiline:
            self.edit.setTabChangesFocus(True)
        label = PlainLabel(prompt)
        label.setBuddy(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    def text(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return str(self.edit.text())
