"""Screenshots of the real window for the README (``widget.grab().save``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from lapor_desk.ui.main_window import MainWindow


def save_screenshots(window: MainWindow, out_dir: Path) -> list[Path]:
    """Save the main window (and the detail pane alone) as PNGs; returns the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # one pass so pending layouts are applied before grabbing
    shots = {"main-window.png": window, "detail-pane.png": window.detail}
    written = []
    for name, widget in shots.items():
        path = out_dir / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
    return written
