"""The officer's response (tanggapan) editor for the selected complaint.

Autosave: ~2 s after the last keystroke, on focus loss and on a complaint switch the text goes to
the local draft (``Outbox.save_draft``) on the DB worker; on window close ``flush(wait=True)``
writes it on the spot. The substantive-answer checker runs, debounced, on the DB worker and its
findings select their span in the editor. Everything the citizen or an officer wrote is shown as
plain text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.errors import InvalidInputError, LaporError
from lapor_desk.models.checker import CheckResult, check_response
from lapor_desk.models.outbox import AttentionItem, Draft
from lapor_desk.models.records import ComplaintDetail
from lapor_desk.models.templates import DEFAULT_TEMPLATES, Template, render
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui import theme
from lapor_desk.ui.widgets import PlainLabel

if TYPE_CHECKING:
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.ui.tasks import TaskManager

AUTOSAVE_MS = 1500
CHECKER_MIN_WIDTH = 280  # px: a finding of a dozen words fits in three lines
CHECK_MS = 400
SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
_READ_ONLY_STATES = ("approved", "orphaned")
_BANNER_KINDS = ("needs_review", "conflict", "rejected", "orphaned")


def utf16_offset(text: str, index: int) -> int:
    """A Python (code point) index as a Qt (UTF-16) position."""
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass
class _Ref:
    """Which draft the editor writes to. Read and set only inside DB-worker jobs (they run one
    at a time, in order), so a second autosave never creates a second draft."""

    complaint_id: str
    draft_id: str | None = None


class ResponseEditor(QWidget):
    draftSaved = Signal(object)  # Draft
    draftLoaded = Signal(object)  # Draft or None
    checked = Signal(object)  # CheckResult
    submitted = Signal(object)  # Draft
    failed = Signal(str)  # a plain-language message
    # An orphaned draft's action from the banner row: ("note" | "export" | "discard",
    # draft id, tracking id or None); the needs-attention panel carries it out.
    orphanAction = Signal(str, str, object)

    def __init__(self, outbox: Outbox, tasks: TaskManager, *, lang: str = "id",
                 clock: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("responseEditor")
        self.outbox = outbox
        self.tasks = tasks
        self.lang = lang
        self._clock = clock or (lambda: datetime.now(UTC))
        self.detail: ComplaintDetail | None = None
        self.draft: Draft | None = None
        self.result: CheckResult | None = None
        self._ref: _Ref | None = None
        self._dirty = False
        self._saving = 0  # autosaves queued and not yet finished
        self._loading = False
        self._template_text: str | None = None
        self._checked_text = ""
        self._attention: list[AttentionItem] = []

        self.banner = PlainLabel(selectable=False)
        self.banner.setObjectName("draftBanner")
        theme.set_banner(self.banner, "draft")
        self.banner.setVisible(False)
        self.note_label = PlainLabel()
        self.note_label.setObjectName("returnNote")
        theme.set_banner(self.note_label, "info")
        self.note_label.setVisible(False)
        self.badge = PlainLabel(selectable=False, wrap=False)
        self.badge.setObjectName("draftBadge")
        # Shown while the draft is orphaned (its complaint closed, or re-routed away and gone
        # from the replica): what can still be done with the text.
        self.orphan_row = QWidget()
        self.orphan_row.setObjectName("orphanActions")
        orphan_layout = QHBoxLayout(self.orphan_row)
        orphan_layout.setContentsMargins(0, 0, 0, 0)
        self.orphan_buttons: dict[str, QPushButton] = {}
        for key in ("note", "export", "discard"):
            button = QPushButton()
            button.setObjectName(f"orphan_{key}")
            button.clicked.connect(lambda _checked=False, k=key: self._orphan_action(k))
            orphan_layout.addWidget(button)
            self.orphan_buttons[key] = button
        orphan_layout.addStretch(1)
        self.orphan_row.setVisible(False)

        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        for template in DEFAULT_TEMPLATES:
            self.template_combo.addItem(template.name, template.id)
        self.template_button = QPushButton()
        self.template_button.setObjectName("insertTemplate")
        self.template_button.clicked.connect(self.insert_template)
        self.template_label = QLabel()
        self.template_label.setTextFormat(Qt.TextFormat.PlainText)
        self.template_label.setBuddy(self.template_combo)

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("responseText")
        self.editor.setTabChangesFocus(True)
        self.editor.setUndoRedoEnabled(True)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.installEventFilter(self)

        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submitResponse")
        self.submit_button.clicked.connect(self.submit)
        self.submit_action = QAction(self)
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"),
                                         QKeySequence("Ctrl+Enter")])
        self.submit_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.submit_action.triggered.connect(self.submit)
        self.addAction(self.submit_action)

        self.score_label = PlainLabel(selectable=False)
        self.score_label.setObjectName("checkScore")
        self.findings = QListWidget()
        self.findings.setObjectName("checkFindings")
        self.findings.setWordWrap(True)
        self.findings.itemActivated.connect(self.select_finding)
        self.findings.itemClicked.connect(self.select_finding)

        top = QHBoxLayout()
        top.addWidget(self.template_label)
        top.addWidget(self.template_combo, 1)
        top.addWidget(self.template_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.editor, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.badge, 1)
        bottom.addWidget(self.submit_button)
        left_layout.addLayout(bottom)
        self.check_title = PlainLabel(selectable=False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.check_title)
        right_layout.addWidget(self.score_label)
        right_layout.addWidget(self.findings, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setObjectName("checkerSplitter")
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # Findings wrap and need room to be read; the width the user picks is remembered
        # (MainWindow saves this splitter with the window state).
        right.setMinimumWidth(CHECKER_MIN_WIDTH)
        left.setMinimumWidth(CHECKER_MIN_WIDTH)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.orphan_row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.splitter, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(AUTOSAVE_MS)
        self._save_timer.timeout.connect(self.flush)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_MS)
        self._check_timer.timeout.connect(self.recheck)

        self.retranslate()
        self._set_enabled(False)

    # -- language --------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.template_label.setText(self.tr("&Template:"))
        self.template_combo.setAccessibleName(self.tr("Response template"))
        self.template_button.setText(self.tr("&Insert template"))
        self.editor.setAccessibleName(self.tr("Response text"))
        self.editor.setPlaceholderText(
            self.tr("Write the follow-up for the reporter here. It is saved on this computer "
                    "as you type."))
        self.submit_button.setText(self.tr("Su&bmit for approval"))
        self.submit_button.setToolTip(self.tr("Submit for approval (Ctrl+Enter)"))
        self.submit_action.setText(self.tr("Submit for approval"))
        self.check_title.setText(self.tr("Substantive-answer check"))
        self.findings.setAccessibleName(self.tr("Checker findings"))
        self.badge.setAccessibleName(self.tr("Draft state"))
        self.orphan_buttons["note"].setText(self.tr("Send as note to the owner"))
        self.orphan_buttons["export"].setText(self.tr("Export…"))
        self.orphan_buttons["discard"].setText(self.tr("Discard…"))
        self._show_badge()
        if self.result is not None:
            self._show_result(self.result)
        self._show_banner()

    # -- complaint and draft ---------------------------------------------------------------

    def set_complaint(self, detail: ComplaintDetail | None) -> None:
        """Show the draft of ``detail`` (saving what was typed for the previous one first)."""
        same = (detail is not None and self.detail is not None
                and detail.row.id == self.detail.row.id)
        if not same:
            self.flush()
        self.detail = detail
        if detail is None:
            self._ref = None
            self.draft = None
            self._load_text("")
            self._set_enabled(False)
            return
        if not same:
            self._ref = _Ref(detail.row.id)
            self._template_text = None
            self._load_text("")
            self._set_enabled(False)
        self.reload()

    def reload(self) -> None:
        """Read the complaint's draft and what needs attention about it (after a sync too)."""
        ref, outbox = self._ref, self.outbox
        if ref is None:
            return

        def work() -> tuple[Draft | None, list[AttentionItem]]:
            drafts = [d for d in outbox.drafts() if d.complaint_id == ref.complaint_id]
            if ref.draft_id is not None:
                drafts = [d for d in drafts if d.id == ref.draft_id] or drafts
            draft = drafts[0] if drafts else None
            if draft is not None and ref.draft_id is None:
                ref.draft_id = draft.id
            items = [] if draft is None else [
                i for i in outbox.attention() if i.draft_id == draft.id]
            return draft, items

        self.tasks.run(work, lambda result: self._loaded(ref, *result), self._failed,
                       pool="db", key="editor-load")

    def _loaded(self, ref: _Ref, draft: Draft | None, items: list[AttentionItem]) -> None:
        if ref is not self._ref:
            return
        self.draft = draft
        self._attention = items
        if not self._dirty and not self._saving:  # never overwrite what was typed
            self._load_text(draft.body if draft is not None else "")
        self._set_enabled(draft is None or draft.state not in _READ_ONLY_STATES)
        self._show_badge()
        self._show_banner()
        self.draftLoaded.emit(draft)

    def _load_text(self, text: str) -> None:
        if self.editor.toPlainText() == text:
            return
        self._loading = True
        try:
            self.editor.setPlainText(text)  # a new document: undo starts here
        finally:
            self._loading = False
        self._check_timer.start()

    def _set_enabled(self, on: bool) -> None:
        self.editor.setReadOnly(not on)
        self.template_button.setEnabled(on)
        self.template_combo.setEnabled(on)
        self.submit_button.setEnabled(on and self.detail is not None)
        self.submit_action.setEnabled(on and self.detail is not None)

    # -- typing and autosave ---------------------------------------------------------------

    def _text_changed(self) -> None:
        if self._loading or self._ref is None:
            return
        self._dirty = True
        self._save_timer.start()
        self._check_timer.start()
        self._show_badge()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def flush(self, *, wait: bool = False) -> None:
        """Save what was typed to the local draft now (on the DB worker, or here if ``wait``)."""
        self._save_timer.stop()
        ref = self._ref
        if not self._dirty or ref is None:
            return
        self._dirty = False
        text, outbox = self.editor.toPlainText(), self.outbox

        def work() -> Draft:
            draft = outbox.save_draft(ref.complaint_id, text, draft_id=ref.draft_id)
            ref.draft_id = draft.id
            return draft

        if wait:
            try:
                work()
            except LaporError as exc:
                self.failed.emit(exc.message(self.lang))
            return
        self._saving += 1
        self.tasks.run(work, lambda draft: self._saved(ref, draft),
                       lambda exc: self._save_failed(ref, exc), pool="db")

    def _saved(self, ref: _Ref, draft: Draft) -> None:
        self._saving = max(0, self._saving - 1)
        if ref is self._ref:
            self.draft = draft
            self._show_badge()
            self._set_enabled(draft.state not in _READ_ONLY_STATES)
        self.draftSaved.emit(draft)

    def _save_failed(self, ref: _Ref, exc: BaseException) -> None:
        self._saving = max(0, self._saving - 1)
        if ref is self._ref:
            self._dirty = True  # still unsaved; the text stays in the editor
            self._show_badge()
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LaporError):
            message = exc.message(self.lang)
            self.banner.setText(message)
            self.banner.setVisible(True)
            self.failed.emit(message)
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    # -- templates -------------------------------------------------------------------------

    def template_context(self) -> dict[str, str]:
        d = self.detail
        if d is None:
            return {}
        name = "" if d.row.is_anonymous else (d.reporter_name or "")
        return {
            "salam": "Yth.",
            "nama_pelapor": name,
            "nomor_laporan": str(d.row.tracking_id),
            "judul": fmt.one_line(d.row.title, 200),
            "unit": d.agency_name or "",
            "tanggal": fmt.format_date(self._clock().date(), "id"),
        }

    def insert_template(self) -> None:
        """Insert the chosen template at the cursor (one undo step)."""
        if self.detail is None or self.editor.isReadOnly():
            return
        template: Template = DEFAULT_TEMPLATES[max(0, self.template_combo.currentIndex())]
        text = render(template, self.template_context())
        self._template_text = text
        self.editor.textCursor().insertText(text)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- checker ---------------------------------------------------------------------------

    def recheck(self) -> None:
        self._check_timer.stop()
        d = self.detail
        text = self.editor.toPlainText()
        title = d.row.title if d else None
        body = d.body[:20_000] if d else None
        classification = d.row.classification if d else "pengaduan"
        template = self._template_text

        def work() -> tuple[str, CheckResult]:
            return text, check_response(text, classification=classification,
                                        complaint_title=title, complaint_body=body,
                                        template_text=template)

        self.tasks.run(work, lambda r: self._checked(*r), self._failed, pool="db",
                       key="editor-check")

    def _checked(self, text: str, result: CheckResult) -> None:
        self._checked_text = text
        self.result = result
        self._show_result(result)
        self.checked.emit(result)

    def _show_result(self, result: CheckResult) -> None:
        verdict = self.tr("substantive") if result.substantive else self.tr("not substantive yet")
        self.score_label.setText(fmt.arg(self.tr("Score %1/100 — %2"), result.score, verdict))
        theme.set_text_role(self.score_label, "ok" if result.substantive else "error")
        self.findings.clear()
        marks = {"problem": "✖", "warning": "⚠", "info": "ℹ"}
        for finding in result.findings:
            message = finding.message_en if self.lang == "en" else finding.message_id
            item = QListWidgetItem(f"{marks.get(finding.severity, '•')} {message}")
            item.setData(SPAN_ROLE, (finding.start, finding.end))
            if finding.start is not None:
                item.setToolTip(self.tr("Click or press Enter to select this place in the text"))
            self.findings.addItem(item)

    def select_finding(self, item: QListWidgetItem) -> None:
        start, end = item.data(SPAN_ROLE) or (None, None)
        text = self._checked_text
        if start is None or end is None or text != self.editor.toPlainText():
            return
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(utf16_offset(text, start))
        cursor.setPosition(utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- submit ----------------------------------------------------------------------------

    def submit(self) -> None:
        """Save, then ``Outbox.submit_draft`` (after a confirmation when not substantive)."""
        if self.detail is None or self.editor.isReadOnly():
            return
        if not self.editor.toPlainText().strip():
            self.failed.emit(self.tr("The response is empty."))
            return
        result = self.result
        current = result is not None and self._checked_text == self.editor.toPlainText()
        if not current:
            text = self.editor.toPlainText()
            result = check_response(text, classification=self.detail.row.classification,
                                    complaint_title=self.detail.row.title,
                                    template_text=self._template_text)
        assert result is not None
        if not result.substantive:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowTitle(self.tr("Submit for approval"))
            box.setText(fmt.arg(
                self.tr("The checker says this answer is not substantive yet (score %1/100). "
                        "Submit it for approval anyway?"), result.score))
            box.setStandardButtons(QMessageBox.StandardButton.Yes
                                   | QMessageBox.StandardButton.No)
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.setObjectName("confirmSubmit")
            box.finished.connect(
                lambda code: self._do_submit() if code == QMessageBox.StandardButton.Yes
                else None)
            self.confirm_box = box
            box.open()
            return
        self._do_submit()

    def _do_submit(self) -> None:
        self._dirty = True  # make sure the text on screen is what is submitted
        self.flush()
        ref, outbox = self._ref, self.outbox
        if ref is None:
            return

        def work() -> Draft:
            if ref.draft_id is None:  # the save before it failed (and said why)
                raise InvalidInputError(
                    "no draft", message_id="Draf belum tersimpan; tidak bisa diajukan.",
                    message_en="The draft is not saved; it cannot be submitted.")
            return outbox.submit_draft(ref.draft_id)

        self.tasks.run(work, lambda draft: self._submitted(ref, draft), self._failed, pool="db")

    def _submitted(self, ref: _Ref, draft: Draft) -> None:
        if ref is self._ref:
            self.draft = draft
            self._show_badge()
            self.reload()
        self.submitted.emit(draft)

    # -- badge and banner ------------------------------------------------------------------

    def badge_text(self) -> str:
        d = self.draft
        if self._dirty:
            return self.tr("Not saved yet…")
        if d is None:
            return self.tr("No draft yet")
        states = {
            "draft": self.tr("Draft"),
            "submitted": self.tr("Submitted for approval"),
            "approved": self.tr("Approved"),
            "returned": self.tr("Returned"),
            "orphaned": self.tr("Orphaned (no longer assigned)"),
        }
        syncs = {
            "saved_locally": self.tr("saved locally"),
            "sending": self.tr("sending"),
            "synced": self.tr("synced"),
            "merged": self.tr("merged"),
            "conflict": self.tr("conflict"),
            "rejected": self.tr("rejected"),
            "parked": self.tr("parked"),
        }
        return f"{states.get(d.state, d.state)} · {syncs.get(d.sync_state, d.sync_state)}"

    def _show_badge(self) -> None:
        self.badge.setText(self.badge_text())

    def _new_reply(self) -> bool:
        d, draft = self.detail, self.draft
        if d is None or draft is None or draft.state not in ("draft", "returned", "submitted"):
            return False
        return any(t.kind == "comment" and t.created_at > draft.updated_at for t in d.thread)

    def _orphan_action(self, key: str) -> None:
        draft = self.draft
        if draft is not None and draft.state == "orphaned":
            self.orphanAction.emit(key, draft.id, draft.tracking_id)

    def _show_banner(self) -> None:
        lines = [i.message(self.lang) for i in self._attention if i.kind in _BANNER_KINDS]
        draft = self.draft
        self.orphan_row.setVisible(draft is not None and draft.state == "orphaned")
        if draft is not None and draft.state == "orphaned" and not any(
                i.kind == "orphaned" for i in self._attention) and not lines:
            lines.append(self.tr(
                "This complaint left your scope or was closed. Your text is kept here (read "
                "only): send it as a note to the owner, export it, or discard it."))
        if self._new_reply() and not any(i.kind == "needs_review" for i in self._attention):
            lines.append(self.tr(
                "The reporter replied after this draft was last saved. Read the reply in the "
                "Conversation tab, adjust the answer if needed, then submit."))
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))
        note = draft.note if draft is not None and draft.state == "returned" else None
        if note:
            self.note_label.setText(fmt.arg(self.tr("Returned by the supervisor: %1"), note))
        else:
            self.note_label.setText("")
        self.note_label.setVisible(bool(note))
