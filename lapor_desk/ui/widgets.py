"""Small plain-text widgets: citizens' text is never interpreted as HTML or followed as a link."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

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
        if selectable:
            self.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        self.setText(text)


class PlainView(QPlainTextEdit):
    """A read-only plain-text view (QPlainTextEdit has no rich-text mode at all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)

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
