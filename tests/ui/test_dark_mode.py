"""Dark mode: the window follows the platform scheme and its colours stay readable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_support import ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.ui import formatting as fmt
from lapor_desk.ui import theme
from lapor_desk.ui.inbox_model import URGENCY_ROLE, Column
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.resources import icon

AA = 4.5
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def app() -> Iterator[QApplication]:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    theme.apply_color_scheme(instance, Qt.ColorScheme.Light)  # never leak a dark palette
    assert not theme.palette_is_dark(instance.palette())


def _urgent_cells(win: MainWindow) -> list[tuple[QColor, QColor]]:
    model = win.model
    out = []
    for r in range(model.rowCount()):
        idx = model.index(r, Column.DEADLINE)
        if model.data(idx, URGENCY_ROLE) in (fmt.OVERDUE, fmt.TODAY, fmt.SOON):
            fg = model.data(idx, Qt.ItemDataRole.ForegroundRole).color()
            bg = model.data(idx, Qt.ItemDataRole.BackgroundRole).color()
            out.append((fg, bg))
    return out


def _label_colour(style: str) -> QColor:
    return QColor(style.split("color:")[1].split(";")[0].strip())


def test_scheme_change_switches_palette_and_colours_stay_readable(
        window: MainWindow, app: QApplication, qtbot: QtBot) -> None:  # noqa: F811
    light = _urgent_cells(window)
    assert light, "the seeded inbox has urgent complaints"
    for fg, bg in light:
        assert theme.contrast(fg, bg) >= AA

    # The platform says "dark" (the offscreen platform cannot, so the signal is sent for it).
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: theme.palette_is_dark(window.palette()))
    view_base = window.table.palette().color(QPalette.ColorRole.Base)
    dark = _urgent_cells(window)
    assert len(dark) == len(light)
    for (fg, bg), (lfg, lbg) in zip(dark, light, strict=True):
        assert (fg, bg) != (lfg, lbg)
        assert theme.contrast(fg, bg) >= AA
        # no light block glaring from a dark table
        assert bg.lightness() < 128 and view_base.lightness() < 128

    # Role-coloured labels are restyled for the dark window colour.
    theme.set_text_role(window.attention_label, "error")
    qtbot.waitUntil(lambda: "color" in window.attention_label.styleSheet())
    window_colour = window.palette().color(QPalette.ColorRole.Window)
    for role in ("error", "ok", "warning"):
        assert theme.contrast(QColor(theme.text_colour(role)), window_colour) >= AA
    assert theme.contrast(_label_colour(window.attention_label.styleSheet()),
                          window_colour) >= AA

    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: not theme.palette_is_dark(window.palette()))
    assert _urgent_cells(window) == light
    window_colour = window.palette().color(QPalette.ColorRole.Window)
    assert theme.contrast(_label_colour(window.attention_label.styleSheet()),
                          window_colour) >= AA


@pytest.mark.parametrize("dark", [False, True])
def test_every_urgency_and_banner_pair_meets_contrast(dark: bool) -> None:
    for urgency in (fmt.OVERDUE, fmt.TODAY, fmt.SOON):
        pair = theme.urgency_colours(urgency, dark)
        assert pair is not None
        assert theme.contrast(*pair) >= AA, urgency
    assert theme.urgency_colours(fmt.LATER, dark) is None


def test_banners_follow_the_palette(app: QApplication) -> None:
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        theme.apply_color_scheme(app, scheme)
        for kind in ("draft", "info"):
            bg, fg = theme.banner_style(kind)
            assert theme.contrast(QColor(bg), QColor(fg)) >= AA
            window_colour = app.palette().color(QPalette.ColorRole.Window)
            # the banner's background sits on the same side (light/dark) as the window
            assert (QColor(bg).lightness() < 128) == (window_colour.lightness() < 128)


@pytest.mark.parametrize("ratio", [1.0, 2.0, 3.0])
def test_svg_icons_render_at_the_device_pixel_ratio(ratio: float, qtbot: QtBot) -> None:
    for name in ("rahasia", "anonim", "warning", "app"):
        pixmap = icon(name).pixmap(QSize(16, 16), ratio)
        # drawn for the device pixels, not a 16 px bitmap scaled up (blurry)
        assert pixmap.size() == QSize(int(16 * ratio), int(16 * ratio)), name
        assert pixmap.devicePixelRatio() == ratio
