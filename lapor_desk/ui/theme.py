"""Light and dark colours that stay readable, following the platform's colour scheme.

Whether we are dark is read from the palette actually in use (what the text is drawn on); the
platform scheme (QStyleHints.colorScheme) decides which palette that is. When the platform says
dark but the style kept a light palette (Fusion on a desktop without a platform theme), we install
a dark palette ourselves, and drop it again when the scheme turns light.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from lapor_desk.ui import formatting as fmt

_OURS = "_lapor_dark_palette"  # marks a palette this module installed

# urgency -> (foreground, background), each pair >= 4.5:1 contrast (WCAG AA)
_URGENCY_LIGHT: dict[str, tuple[str, str]] = {
    fmt.OVERDUE: ("#b71c1c", "#ffebee"),
    fmt.TODAY: ("#a33a00", "#fff3e0"),
    fmt.SOON: ("#7a4e00", "#fff8e1"),
}
_URGENCY_DARK: dict[str, tuple[str, str]] = {
    fmt.OVERDUE: ("#ffcdd2", "#5f1515"),
    fmt.TODAY: ("#ffe0b2", "#5a2a00"),
    fmt.SOON: ("#fff3c4", "#463600"),
}
# text roles on the window background
_TEXT_LIGHT = {"error": "#b71c1c", "ok": "#1b5e20", "warning": "#7a4e00"}
_TEXT_DARK = {"error": "#ff8a80", "ok": "#a5d6a7", "warning": "#ffd54f"}
# banners: (background, foreground)
_BANNER_LIGHT = {"draft": ("#fff3cd", "#5c4100"), "info": ("#e3f2fd", "#0d3c61")}
_BANNER_DARK = {"draft": ("#463600", "#fff3c4"), "info": ("#0d3c61", "#e3f2fd")}


def palette_is_dark(palette: QPalette | None = None) -> bool:
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def urgency_colours(urgency: str, dark: bool | None = None) -> tuple[QColor, QColor] | None:
    table = _URGENCY_DARK if (palette_is_dark() if dark is None else dark) else _URGENCY_LIGHT
    pair = table.get(urgency)
    return None if pair is None else (QColor(pair[0]), QColor(pair[1]))


def text_colour(role: str) -> str:
    """'error' | 'ok' | 'warning' as a colour name readable on the current window colour."""
    return (_TEXT_DARK if palette_is_dark() else _TEXT_LIGHT)[role]


def banner_style(kind: str) -> tuple[str, str]:
    """'draft' | 'info' -> (background, foreground) for the current palette."""
    return (_BANNER_DARK if palette_is_dark() else _BANNER_LIGHT)[kind]


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 .. 21)."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, c in (
        (role.Window, "#2b2b2b"), (role.WindowText, "#e8e8e8"), (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"), (role.Text, "#e8e8e8"), (role.Button, "#353535"),
        (role.ButtonText, "#e8e8e8"), (role.BrightText, "#ffffff"), (role.ToolTipBase, "#3a3a3a"),
        (role.ToolTipText, "#f0f0f0"), (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"), (role.Link, "#8ab4f8"), (role.LinkVisited, "#c58af9"),
        (role.PlaceholderText, "#9e9e9e"), (role.Mid, "#444444"), (role.Dark, "#1a1a1a"),
        (role.Light, "#505050"), (role.Midlight, "#404040"), (role.Shadow, "#000000"),
    ):
        p.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#808080"))
    return p


def apply_color_scheme(app: QApplication, scheme: Qt.ColorScheme | None = None) -> bool:
    """Make the application palette match ``scheme`` (default: the platform's). True if dark."""
    if scheme is None:
        scheme = app.styleHints().colorScheme()
    ours = bool(app.property(_OURS))
    if scheme == Qt.ColorScheme.Dark and not palette_is_dark(app.palette()):
        app.setPalette(dark_palette())
        app.setProperty(_OURS, True)
    elif scheme == Qt.ColorScheme.Light and ours:
        app.setPalette(app.style().standardPalette())
        app.setProperty(_OURS, False)
    return palette_is_dark(app.palette())


_ROLE_PROP = "_lapor_colour_role"


def set_text_role(widget: QWidget, role: str | None, *, bold: bool = True) -> None:
    """Colour a label's text by role ('error' | 'ok' | 'warning'; None = plain), kept current
    by ``restyle`` when the palette changes."""
    widget.setProperty(_ROLE_PROP, f"text:{role}:{int(bold)}" if role else "")
    _apply(widget)


def set_banner(widget: QWidget, kind: str) -> None:
    """A padded, rounded banner in the 'draft' or 'info' colours (by object name selector)."""
    widget.setProperty(_ROLE_PROP, f"banner:{kind}")
    _apply(widget)


def _apply(widget: QWidget) -> None:
    spec = str(widget.property(_ROLE_PROP) or "")
    if spec.startswith("text:"):
        _, role, bold = spec.split(":")
        weight = " font-weight: bold;" if bold == "1" else ""
        widget.setStyleSheet(f"color: {text_colour(role)};{weight}")
    elif spec.startswith("banner:"):
        bg, fg = banner_style(spec.split(":", 1)[1])
        widget.setStyleSheet(
            f"QLabel#{widget.objectName()} {{ background: {bg}; color: {fg}; padding: 6px;"
            " border-radius: 3px; }")
    else:
        widget.setStyleSheet("")


def restyle(root: QWidget) -> None:
    """Re-apply role colours under ``root`` (after a palette change)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.property(_ROLE_PROP):
            _apply(widget)
