"""Window state (geometry, dock/toolbar state, splitters, header columns) in ``ui-state.ini``.

Kept apart from user settings; restored geometry is clamped to the screen that is available now
(a laptop that was docked to a bigger monitor last time must not open the window off-screen).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

STATE_FILE = "ui-state.ini"


class WindowState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def _get(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save(
        self, window: QMainWindow, splitters: dict[str, QSplitter], headers: dict[str, QHeaderView]
    ) -> None:
        self._settings.setValue("main/geometry", window.saveGeometry())
        self._settings.setValue("main/state", window.saveState())
        for name, splitter in splitters.items():
            self._settings.setValue(f"splitter/{name}", splitter.saveState())
        for name, header in headers.items():
            self._settings.setValue(f"header/{name}", header.saveState())
        self._settings.sync()

    def restore(
        self, window: QMainWindow, splitters: dict[str, QSplitter], headers: dict[str, QHeaderView]
    ) -> bool:
        """Restore what was saved; False when nothing was (the caller picks a default size)."""
        geometry = self._get("main/geometry")
        restored = geometry is not None and window.restoreGeometry(geometry)
        state = self._get("main/state")
        if state is not None:
            window.restoreState(state)
        for name, splitter in splitters.items():
            value = self._get(f"splitter/{name}")
            if value is not None:
                splitter.restoreState(value)
        for name, header in headers.items():
            value = self._get(f"header/{name}")
            if value is not None:
                header.restoreState(value)
        clamp_to_screen(window)
        return restored


def clamp_to_screen(window: QMainWindow) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    avail = screen.availableGeometry()
    geo = window.geometry()
    if avail.contains(geo):
        return
    width = min(geo.width(), avail.width())
    height = min(geo.height(), avail.height())
    x = min(max(geo.x(), avail.x()), avail.x() + avail.width() - width)
    y = min(max(geo.y(), avail.y()), avail.y() + avail.height() - height)
    window.setGeometry(QRect(x, y, width, height))
