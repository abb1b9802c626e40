"""Take the README screenshots from the real window on the demo server.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/make_screenshots.py

(QT_QPA_PLATFORM=offscreen works too.) Writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from lapor_desk.core import DeskContext, start_demo
from lapor_desk.ui.app import create_main_window, ensure_application
from lapor_desk.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent / "screenshots"

ANSWER = (
    "Yth. Bapak/Ibu Pelapor,\n\n"
    "Pada Kamis, 19 November 2026 tim UPT Jalan dan Jembatan Wilayah II meninjau lokasi dan "
    "menambal lubang sepanjang 12 meter. Dokumentasi foto terlampir.\n\n"
    "Apabila masih ditemukan kerusakan, hubungi UPT di 0812-2345-6789."
)


def grab(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def add_evidence(ctx: DeskContext, window: MainWindow) -> None:
    """A photo of the repaired road, added as evidence (waits for upload in the demo)."""
    detail = window.detail.detail
    assert detail is not None
    folder = Path(tempfile.mkdtemp(prefix="lapor-shot-"))
    photo = folder / "tambalan-jalan-km12.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(180_000))  # a stand-in, never opened
    ctx.attach_file(detail.row.id, photo)
    window.attachments_panel.refresh()


def main() -> int:
    demo = start_demo()
    try:
        app = ensure_application()
        assert demo.ctx is not None
        window = create_main_window(demo.ctx, demo=True)
        window.resize(1500, 860)
        window.show()
        steps: list[tuple[int, object]] = [
            (800, lambda: window.select_row(3)),
            (1500, lambda: grab(window, "main-window.png")),
            (1700, lambda: window.detail.tabs.setCurrentWidget(window.response_editor)),
            (1900, lambda: window.response_editor.editor.setPlainText(ANSWER)),
            (3200, lambda: grab(window, "response-editor.png")),
            (3400, lambda: add_evidence(demo.ctx, window)),
            (3600, lambda: window.detail.tabs.setCurrentWidget(window.attachments_panel)),
            (4600, lambda: grab(window, "attachments.png")),
            (4800, app.quit),
        ]
        for ms, fn in steps:
            QTimer.singleShot(ms, fn)  # type: ignore[arg-type]
        app.exec()
        window.close()
        QApplication.processEvents()
    finally:
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
