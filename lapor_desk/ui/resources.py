"""Where the shipped resources live (SVG icons, translations), relative to the repository."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"


def icon_path(name: str) -> Path:
    return ICONS / f"{name}.svg"


def icon(name: str) -> QIcon:
    """An SVG icon by name (app, sync, online, offline, anonim, rahasia, warning)."""
    return QIcon(str(icon_path(name)))
