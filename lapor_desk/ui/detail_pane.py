"""The detail pane: one complaint's fields, body, thread and attachments, all as plain text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lapor_desk.models.records import ComplaintDetail
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.attachments_panel import AttachmentsPanel, local_files
from lapor_desk.ui.resources import icon
from lapor_desk.ui.widgets import PlainLabel, PlainView

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")

# (attribute name, English field label); the label text is translated in retranslate().
FIELDS = (
    ("tracking", QT_TRANSLATE_NOOP("DetailPane", "Tracking ID")),
    ("status", QT_TRANSLATE_NOOP("DetailPane", "Status")),
    ("category", QT_TRANSLATE_NOOP("DetailPane", "Category")),
    ("agency", QT_TRANSLATE_NOOP("DetailPane", "Agency")),
    ("copies", QT_TRANSLATE_NOOP("DetailPane", "Copies to")),
    ("created", QT_TRANSLATE_NOOP("DetailPane", "Received")),
    ("updated", QT_TRANSLATE_NOOP("DetailPane", "Last change")),
    ("due", QT_TRANSLATE_NOOP("DetailPane", "Step deadline")),
    ("resolution_due", QT_TRANSLATE_NOOP("DetailPane", "Resolution deadline")),
    ("incident", QT_TRANSLATE_NOOP("DetailPane", "Incident date")),
    ("location", QT_TRANSLATE_NOOP("DetailPane", "Location")),
    ("classification", QT_TRANSLATE_NOOP("DetailPane", "Classification")),
    ("channel", QT_TRANSLATE_NOOP("DetailPane", "Channel")),
    ("priority", QT_TRANSLATE_NOOP("DetailPane", "Priority")),
    ("reporter", QT_TRANSLATE_NOOP("DetailPane", "Reporter")),
    ("flags", QT_TRANSLATE_NOOP("DetailPane", "Flags")),
    ("tags", QT_TRANSLATE_NOOP("DetailPane", "Tags")),
    ("assignee", QT_TRANSLATE_NOOP("DetailPane", "Assignee")),
)


class DetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self._detail: ComplaintDetail | None = None
        self._lang = "id"
        self.attachments_panel: AttachmentsPanel | None = None

        self.placeholder = PlainLabel(selectable=False)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.banner = PlainLabel(selectable=False)
        self.banner.setObjectName("rahasiaBanner")
        self.banner.setStyleSheet(
            "QLabel#rahasiaBanner { background: #b71c1c; color: white; font-weight: bold;"
            " padding: 6px; border-radius: 3px; }"
        )
        self.banner.setVisible(False)

        self.title_label = PlainLabel()
        self.title_label.setObjectName("detailTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)

        self.field_labels: dict[str, QLabel] = {}
        self.values: dict[str, PlainLabel] = {}
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, _label in FIELDS:
            caption = QLabel()
            caption.setTextFormat(Qt.TextFormat.PlainText)
            value = PlainLabel()
            value.setObjectName(f"detail_{name}")
            caption.setBuddy(value)
            self.field_labels[name] = caption
            self.values[name] = value
            form.addRow(caption, value)

        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.addWidget(self.banner)
        header_layout.addWidget(self.title_label)
        header_layout.addWidget(form_host)
        header_layout.addStretch(1)
        self.header_scroll = QScrollArea()
        self.header_scroll.setWidgetResizable(True)
        self.header_scroll.setWidget(header)

        self.body_view = PlainView()
        self.body_view.setObjectName("detailBody")
        self.thread_view = PlainView()
        self.thread_view.setObjectName("detailThread")
        self.attachments = QListWidget()
        self.attachments.setObjectName("detailAttachments")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.body_view, "")
        self.tabs.addTab(self.thread_view, "")
        self.tabs.addTab(self.attachments, "")

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.header_scroll, 2)
        content_layout.addWidget(self.tabs, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.content)
        self.content.setVisible(False)
        self.retranslate()

    # -- language ------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.retranslate()
        if self._detail is not None:
            self.show_detail(self._detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for name, label in FIELDS:
            self.field_labels[name].setText(translate("DetailPane", str(label)))
        self.placeholder.setText(translate("DetailPane", "Select a complaint to see its details."))
        self.setAccessibleName(translate("DetailPane", "Complaint details"))
        self.title_label.setAccessibleName(translate("DetailPane", "Complaint title"))
        self.body_view.setAccessibleName(translate("DetailPane", "Complaint text"))
        self.thread_view.setAccessibleName(translate("DetailPane", "Conversation and history"))
        self.attachments.setAccessibleName(translate("DetailPane", "Attachments"))
        self.banner.setText(
            translate(
                "DetailPane", "CONFIDENTIAL (RAHASIA): do not share, print or forward this content."
            )
        )
        self._retitle_tabs()

    def _retitle_tabs(self) -> None:
        d = self._detail
        self.tabs.setTabText(0, translate("DetailPane", "Report"))
        self.tabs.setTabText(
            1,
            fmt.arg(
                translate("DetailPane", "Conversation (%1)"),
                len(d.thread) if d else 0,
            ),
        )
        self.tabs.setTabText(
            2,
            fmt.arg(
                translate("DetailPane", "Attachments (%1)"),
                self._attachment_count(),
            ),
        )

    def retitle(self) -> None:
        self._retitle_tabs()

    def _attachment_count(self) -> int:
        d, panel = self._detail, self.attachments_panel
        if d is None:
            return 0
        if panel is not None and panel.complaint_id == d.row.id:
            return len(panel.items)  # includes evidence waiting to upload
        return len(d.attachments)

    # -- content -------------------------------------------------------------------------

    def install_attachments(self, panel: AttachmentsPanel) -> None:
        """The attachments tab becomes ``panel`` (download, open, add evidence, drops)."""
        index = self.tabs.indexOf(self.attachments)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, panel, "")
        self.attachments.setVisible(False)  # kept: retranslate and tests still name it
        self.attachments_panel = panel
        self.setAcceptDrops(True)  # files dropped anywhere on the pane become evidence
        self._retitle_tabs()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.attachments_panel is not None:
            self.attachments_panel.dragEnterEvent(event)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.attachments_panel is not None and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.attachments_panel is not None:
            self.tabs.setCurrentWidget(self.attachments_panel)
            self.attachments_panel.dropEvent(event)
        else:
            event.ignore()

    def clear(self) -> None:
        self._detail = None
        if self.attachments_panel is not None:
            self.attachments_panel.show_complaint(None)
        self.content.setVisible(False)
        self.placeholder.setVisible(True)

    @property
    def detail(self) -> ComplaintDetail | None:
        return self._detail

    def show_detail(self, d: ComplaintDetail) -> None:
        self._detail = d
        lang = self._lang
        row = d.row
        s = fmt.safe_text
        self.banner.setVisible(row.is_confidential)
        self.title_label.setText(s(row.title))
        v = self.values
        v["tracking"].setText(str(row.tracking_id))
        v["status"].setText(fmt.status_label(row.status, lang))
        v["category"].setText(s(row.category_path or "—"))
        v["agency"].setText(s(d.agency_name or row.agency_id))
        v["copies"].setText(s(", ".join(d.copy_agency_names) or "—"))
        v["created"].setText(fmt.format_datetime(row.created_at, lang))
        v["updated"].setText(fmt.format_datetime(d.updated_at, lang))
        v["due"].setText(fmt.format_datetime(row.due_at, lang) if row.due_at else "—")
        v["resolution_due"].setText(
            fmt.format_datetime(d.resolution_due_at, lang) if d.resolution_due_at else "—"
        )
        v["incident"].setText(self._incident(d.incident_date))
        v["location"].setText(
            s(", ".join(p for p in (d.district, d.regency, d.province) if p) or "—")
        )
        v["classification"].setText(fmt.classification_label(row.classification, lang))
        v["channel"].setText(fmt.channel_label(row.channel))
        v["priority"].setText(fmt.priority_label(row.priority))
        v["reporter"].setText(self._reporter(d))
        flags = []
        if row.is_confidential:
            flags.append(translate("DetailPane", "Confidential (rahasia)"))
        if row.is_anonymous:
            flags.append(translate("DetailPane", "Anonymous (anonim)"))
        v["flags"].setText(", ".join(flags) or "—")
        v["tags"].setText(s(", ".join(d.tags) or "—"))
        v["assignee"].setText(s(row.assignee_name or "—"))
        # Rahasia: nothing is copied without an explicit confirmation per copy.
        for view in (self.body_view, self.thread_view):
            view.set_confidential(row.is_confidential)
        for label in (self.title_label, *self.values.values()):
            label.set_confidential(row.is_confidential)
        self.body_view.set_text(s(d.body))
        self.thread_view.set_text(self._thread_text(d))
        if self.attachments_panel is not None:
            self.attachments_panel.show_complaint(row.id, confidential=row.is_confidential)
        else:
            self.attachments.clear()
            for att in d.attachments:
                item = QListWidgetItem(f"{s(att.name)} ({fmt.format_size(att.size, lang)})")
                item.setToolTip(s(att.mime or ""))
                self.attachments.addItem(item)
        self._retitle_tabs()
        self.tabs.setTabIcon(0, icon("rahasia") if row.is_confidential else QIcon())
        self.placeholder.setVisible(False)
        self.content.setVisible(True)

    def _incident(self, value: str | None) -> str:
        if not value:
            return "—"
        try:
            return fmt.format_date(date.fromisoformat(value), self._lang)
        except ValueError:
            return fmt.safe_text(value)

    def _reporter(self, d: ComplaintDetail) -> str:
        if d.row.is_anonymous:
            return translate("DetailPane", "Anonymous reporter")
        parts = [p for p in (d.reporter_name, d.reporter_phone, d.reporter_email) if p]
        return fmt.safe_text(" · ".join(parts)) if parts else "—"

    def _thread_text(self, d: ComplaintDetail) -> str:
        """The thread in order: a header line per entry, then its text."""
        blocks = []
        for item in d.thread:
            head = (
                f"[{fmt.thread_kind_label(item.kind)}] {fmt.one_line(item.author, 120)} — "
                f"{fmt.format_datetime(item.created_at, self._lang)}"
            )
            blocks.append(f"{head}\n{item.body}")
        if not blocks:
            return translate("DetailPane", "No replies, follow-ups or events yet.")
        return fmt.safe_text("\n\n".join(blocks))
