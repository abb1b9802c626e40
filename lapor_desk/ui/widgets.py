"""Small plain-text widgets: citizens' text is never interpreted as HTML or followed as a link.

Rahasia (confidential) content: ``set_confidential(True)`` makes a label unselectable and makes
a view refuse every copy path (Ctrl+C, the context menu, drag, the X11 selection) unless the
user confirms that one copy explicitly.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QKeySequence, QTextOption
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QPlainTextEdit, QWidget

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")

LONG_LINE = 5_000  # chars in one line above which wrapping switches to "anywhere"


class PlainLabel(QLabel):
    """A QLabel that always shows plain text (Qt would otherwise guess rich text)."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        selectable: bool = True,
        wrap: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setOpenExternalLinks(False)
        self.setWordWrap(wrap)
        self._selectable = selectable
        if selectable:
            self.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        self.setText(text)

    def set_confidential(self, on: bool) -> None:
        """Rahasia text cannot be selected, so neither Ctrl+C nor the context menu copies it."""
        if not self._selectable:
            return
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.NoTextInteraction if on
            else Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)


class PlainView(QPlainTextEdit):
    """A read-only plain-text view (QPlainTextEdit has no rich-text mode at all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self._confidential = False
        self._allow_copy = False  # set only while a confirmed copy runs
        self.confirm_box: QMessageBox | None = None

    # -- rahasia guard ---------------------------------------------------------------------

    def set_confidential(self, on: bool) -> None:
        self._confidential = on
        if self.confirm_box is not None:
            self.confirm_box.reject()  # the content it asked about is gone

    @property
    def confidential(self) -> bool:
        return self._confidential

    def createMimeDataFromSelection(self) -> QMimeData:
        # Every copy path (copy(), drag, the X11 selection) comes through here.
        if self._confidential and not self._allow_copy:
            return QMimeData()
        return super().createMimeDataFromSelection()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._confidential and event.matches(QKeySequence.StandardKey.Copy):
            event.accept()
            self.guarded_copy()
            return
        super().keyPressEvent(event)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu; for rahasia text its Copy asks first."""
        menu = self.createStandardContextMenu(pos)
        if self._confidential:
            for action in menu.actions():
                if action.objectName() == "edit-copy":
                    guarded = QAction(
                        translate("PlainView", "Copy confidential text…"), menu)
                    guarded.setObjectName("guarded-copy")
                    guarded.setEnabled(action.isEnabled())
                    guarded.triggered.connect(self.guarded_copy)
                    menu.insertAction(action, guarded)
                    menu.removeAction(action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def guarded_copy(self) -> None:
        """Copy the selection; rahasia text only after an explicit confirmation (per copy)."""
        if not self.textCursor().hasSelection():
            return
        if not self._confidential:
            self.copy()
            return
        if self.confirm_box is not None:
            return
        box = QMessageBox(self)
        box.setObjectName("rahasiaCopyConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(translate("PlainView", "Confidential content"))
        box.setText(translate(
            "PlainView", "This complaint is confidential (rahasia). Copy the selected text "
                         "to the clipboard anyway?"))
        box.setInformativeText(translate(
            "PlainView", "Other programs can read the clipboard. Do not share, print or "
                         "forward this content."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            self.confirm_box = None
            if box.standardButton(box.clickedButton()) != QMessageBox.StandardButton.Yes:
                return
            self._allow_copy = True
            try:
                self.copy()
            finally:
                self._allow_copy = False

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def set_text(self, text: str) -> None:
        """Show ``text`` verbatim. Qt's "word boundary or anywhere" wrap is quadratic on a long
        unbroken line (minutes for 1 MB), so such text wraps anywhere instead (linear)."""
        longest = max((len(line) for line in text.split("\n")), default=0)
        self.setWordWrapMode(
            QTextOption.WrapMode.WrapAnywhere
            if longest > LONG_LINE
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        self.setPlainText(text)
