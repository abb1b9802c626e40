"""Attachments in the window, against a real hub: drop evidence, see it wait for upload, sync,
download it in another profile, open the exported copy; errors in plain language."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from ui_support import ctx, make_ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.models.blobs import CancelledTransferError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.sync import protocol as p
from lapor_desk.ui.attachments_panel import AttachmentsPanel
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.tasks import TaskManager

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _drop(widget: QWidget, *paths: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    pos = QPointF(10, 10)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop


def _open(win: MainWindow, qtbot: QtBot, cid: str) -> None:
    row = win.model.row_of(cid)
    assert row is not None
    win.select_row(row)
    qtbot.waitUntil(lambda: win.attachments_panel.complaint_id == cid, timeout=10_000)


def _texts(panel: AttachmentsPanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_dropped_evidence_waits_for_upload_then_downloads_and_opens_elsewhere(
        window: MainWindow, ctx: DeskContext, ui_hub: tuple, qtbot: QtBot,  # noqa: F811
        tmp_path: Path) -> None:
    store = ctx.open_store()
    target = next(r for r in store.rows(store.ids(window.model.query))
                  if r.agency_id == ctx.settings.agency_id and not r.is_confidential)
    _open(window, qtbot, target.id)
    panel = window.attachments_panel
    # the window's translator is Indonesian (the app-wide default)
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.refresh()
    before = len(panel.items)
    evidence = tmp_path / "foto bukti.txt"
    content = b"bukti lapangan\n" * 4000
    evidence.write_bytes(content)

    # Too large: refused from its size (a sparse file; nothing is read), nothing queued.
    huge = tmp_path / "video.mp4"
    with huge.open("wb") as fh:
        fh.truncate(p.MAX_ATTACHMENT_BYTES + 1)
    with qtbot.waitSignal(panel.failed, timeout=5_000) as refused:
        _drop(window.detail, huge)
    assert "terlalu besar" in refused.args[0]
    assert panel.message.isVisible() and "terlalu besar" in panel.message.text()

    # A drop on the detail pane queues the file; it shows as waiting for upload.
    with qtbot.waitSignal(panel.added, timeout=10_000):
        drop = _drop(window.detail, evidence)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: len(panel.items) == before + 1, timeout=10_000)
    assert not panel.message.isVisible()
    added = panel.items[-1]
    assert added.state == "pending_upload" and added.size == len(content)
    assert _texts(panel)[-1].endswith("menunggu diunggah (dikirim pada sinkronisasi berikutnya)")
    assert window.detail.tabs.tabText(2) == f"Lampiran ({before + 1})"

    # A drop on the response editor's text is evidence too.
    second = tmp_path / "surat.pdf"
    second.write_bytes(b"%PDF-1.4 surat\n")
    with qtbot.waitSignal(panel.added, timeout=10_000):
        _drop(window.response_editor.editor.viewport(), second)
    assert "surat.pdf" not in window.response_editor.editor.toPlainText()
    qtbot.waitUntil(lambda: len(panel.items) == before + 2, timeout=10_000)

    # The sync uploads them; the waiting state goes away.
    with qtbot.waitSignal(window.syncFinished, timeout=60_000) as synced:
        window.start_sync()
    assert not isinstance(synced.args[0], BaseException), synced.args[0]
    qtbot.waitUntil(lambda: all(a.state != "pending_upload" for a in panel.items)
                    and len(panel.items) == before + 2, timeout=20_000)

    # Another profile sees it on the server, downloads it on demand and opens the copy.
    other = make_ctx(tmp_path / "other", ui_hub[0])
    tasks = TaskManager()
    panel2 = AttachmentsPanel(other, tasks, lang=lambda: "en")
    opened: list[QUrl] = []
    panel2.opener = lambda url: opened.append(url) or True
    try:
        panel2.show_complaint(target.id)
        qtbot.waitUntil(lambda: len(panel2.items) == before + 2, timeout=10_000)
        row = next(i for i, a in enumerate(panel2.items) if a.id == added.id)
        assert panel2.items[row].state == "remote"
        assert _texts(panel2)[row].endswith("— ada di server")
        panel2.list.setCurrentRow(row)
        with qtbot.waitSignal(panel2.opened, timeout=30_000) as done:
            panel2.open_current()
        path = done.args[0]
        assert isinstance(path, Path) and path.read_bytes() == content
        assert path.name == "foto bukti.txt"
        assert opened == [QUrl.fromLocalFile(str(path))]
        assert not panel2.progress.isVisible() and not panel2.downloading
        qtbot.waitUntil(lambda: panel2.items[row].state == "local", timeout=10_000)
        assert _texts(panel2)[row].endswith("— sudah diunduh")
    finally:
        tasks.shutdown()
        other.close()
    assert not path.exists()  # closing the profile removed the exported plaintext


def test_failed_download_is_explained_in_plain_language(
        window: MainWindow, ui_hub: tuple, qtbot: QtBot) -> None:  # noqa: F811
    _open(window, qtbot, ui_hub[1])  # its attachment's content never reached the hub
    panel = window.attachments_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    # Rahasia: opening in another program (which could print it) is confirmed each time.
    assert panel.confidential
    panel.open_current()
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: panel.confirm_box is None)
    assert not panel.downloading and not panel.progress.isVisible()
    panel.open_current()
    box = panel.confirm_box
    assert box is not None
    with qtbot.waitSignal(panel.failed, timeout=30_000) as failed:
        box.button(QMessageBox.StandardButton.Yes).click()
    text = failed.args[0]
    assert text and "Traceback" not in text and "\n" not in text
    assert panel.message.text() == text
    qtbot.waitUntil(lambda: not panel.downloading)
    assert not panel.progress.isVisible() and panel.open_button.isEnabled()


def test_cancel_keeps_the_partial_download_and_the_next_open_resumes(
        ctx: DeskContext, ui_hub: tuple, qtbot: QtBot, tmp_path: Path) -> None:  # noqa: F811
    store = ctx.open_store()
    target = next(r for r in store.rows(store.ids(ComplaintQuery()))
                  if r.agency_id == ctx.settings.agency_id and not r.is_confidential)
    content = bytes(range(256)) * (3 * p.UPLOAD_CHUNK_BYTES // 256 + 17)  # 3+ chunks
    source = tmp_path / "rekaman.bin"
    source.write_bytes(content)
    added = ctx.attach_file(target.id, source)
    ctx.sync()

    other = make_ctx(tmp_path / "other", ui_hub[0])
    tasks = TaskManager()
    panel = AttachmentsPanel(other, tasks, lang=lambda: "id")
    opened: list[QUrl] = []
    panel.opener = lambda url: opened.append(url) or True
    try:
        # A download cancelled from the panel: plain message, nothing opened, bytes kept.
        panel.show_complaint(target.id)
        qtbot.waitUntil(lambda: any(a.id == added.id for a in panel.items), timeout=10_000)
        panel.list.setCurrentRow(next(i for i, a in enumerate(panel.items) if a.id == added.id))
        with qtbot.waitSignal(panel.failed, timeout=30_000) as failed:
            panel.open_current()
            assert panel.downloading and panel.cancel_button.isVisibleTo(panel)
            panel.cancel()
        assert "dibatalkan" in failed.args[0]
        assert not opened and not panel.downloading

        # Interrupted after the first chunk (as a lost connection would): the panel says how
        # much is kept, and opening resumes from there.
        stop = threading.Event()
        with pytest.raises(CancelledTransferError):
            other.download_attachment(
                target.id, added.id, cancel=stop,
                progress=lambda tp: stop.set() if tp.done > 0 else None)
        with qtbot.waitSignal(panel.changed, timeout=10_000):
            panel.refresh()
        item = next(a for a in panel.items if a.id == added.id)
        assert item.state == "partial" and 0 < item.have < item.size
        row = panel.items.index(item)
        # no translator in this test: the English source text
        assert "partly downloaded (1,0 MB of 3,0 MB)" in panel.list.item(row).text()
        panel.list.setCurrentRow(row)
        with qtbot.waitSignal(panel.opened, timeout=30_000) as done:
            panel.open_current()
        assert done.args[0].read_bytes() == content
        assert opened == [QUrl.fromLocalFile(str(done.args[0]))]
    finally:
        tasks.shutdown()
        other.close()



def test_add_evidence_button_uses_the_file_dialog(
        ctx: DeskContext, qtbot: QtBot, tmp_path: Path) -> None:  # noqa: F811
    store = ctx.open_store()
    target = next(r for r in store.rows(store.ids(ComplaintQuery()))
                  if r.agency_id == ctx.settings.agency_id and not r.is_confidential)
    tasks = TaskManager()
    panel = AttachmentsPanel(ctx, tasks, lang=lambda: "en")
    qtbot.addWidget(panel)
    try:
        assert not panel.add_button.isEnabled()  # no complaint shown yet
        with qtbot.waitSignal(panel.changed, timeout=10_000):
            panel.show_complaint(target.id)
        before = len(panel.items)
        photo = tmp_path / "lokasi.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0 foto")
        panel.add_button.click()
        dialog = panel.file_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        dialog.selectFile(str(photo))
        with qtbot.waitSignal(panel.added, timeout=10_000) as added:
            dialog.accept()
        assert added.args[0].name == "lokasi.jpg" and added.args[0].state == "pending_upload"
        qtbot.waitUntil(lambda: len(panel.items) == before + 1, timeout=10_000)
        # An empty file is refused in plain language; nothing is queued.
        empty = tmp_path / "kosong.txt"
        empty.touch()
        with qtbot.waitSignal(panel.failed, timeout=10_000) as failed:
            panel.add_files([empty])
        assert failed.args[0] == "Berkas kosong." or "empty" in failed.args[0].lower()
        with qtbot.waitSignal(panel.changed, timeout=10_000):
            pass
        assert len(panel.items) == before + 1
    finally:
        tasks.shutdown()
