"""Officer drafts and submits in the real window; a supervisor's window approves or returns.

A real hub, real profiles synced from it, the real main window offscreen."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, add_complaint, make_ctx, ui_hub  # noqa: F401 (fixture)

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_desk.ui.app import create_main_window
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.response_editor import SPAN_ROLE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ANSWER = (
    "Yth. Bapak Budi Contoh, pada 20 November 2026 tim UPT Jalan DPUPR Kabupaten Semarang "
    "meninjau jalan berlubang di Ungaran dan menambal lubang sepanjang 12 meter. Perbaikan "
    "selesai pada 21 November 2026 sesuai SOP pemeliharaan jalan. Foto sebelum dan sesudah "
    "terlampir, berita acara nomor 600/123/2026. Bila masih rusak, hubungi 024-6923456."
)


def open_window(ctx: DeskContext, qtbot: QtBot) -> MainWindow:
    ctx.settings.language = "id"
    win = create_main_window(ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.show()
    return win


def close_window(win: MainWindow) -> None:
    win.close()
    if win.translations is not None:
        win.translations.close()


def show_complaint(qtbot: QtBot, win: MainWindow, cid: str) -> None:
    token = win.store.detail(cid).row.title.split()[-1]
    win.search_edit.setText(token)
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.reload_inbox()
    row = win.model.row_of(cid)
    assert row is not None
    editor = win.response_editor
    with qtbot.waitSignal(editor.draftLoaded, timeout=10_000, check_params_cb=lambda _d: (
            editor.detail is not None and editor.detail.row.id == cid)):
        win.select_row(row)
    win.detail.tabs.setCurrentWidget(win.response_editor)


def submit(qtbot: QtBot, win: MainWindow) -> None:
    editor = win.response_editor
    with qtbot.waitSignal(editor.submitted, timeout=10_000):
        qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        box = getattr(editor, "confirm_box", None)
        if box is not None and box.isVisible():  # the checker found it not substantive
            box.button(QMessageBox.StandardButton.Yes).click()


@pytest.fixture
def officer(ui_hub: tuple, tmp_path: Path) -> Iterator[DeskContext]:  # noqa: F811
    ctx = make_ctx(tmp_path / "officer", ui_hub[0], sync=False)
    try:
        yield ctx
    finally:
        ctx.close()


def test_officer_types_autosaves_checks_and_submits(
        ui_hub: tuple, officer: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    cid = add_complaint(ui_hub[0].db, title=f"Jalan berlubang di Ungaran q{uuid.uuid4().hex[:8]}",
                        body="Jalan rusak.")
    officer.sync()
    win = open_window(officer, qtbot)
    show_complaint(qtbot, win, cid)
    editor = win.response_editor
    assert editor.badge.text() == "Belum ada draf"
    qtbot.keyClicks(editor.editor, ANSWER)
    assert editor.badge.text() == "Belum disimpan…"
    outbox = officer.outbox()
    with qtbot.waitSignal(editor.draftSaved, timeout=10_000,
                          check_params_cb=lambda d: d.body == ANSWER):
        pass  # the debounced autosave (no focus change, no switch)
    assert [d.body for d in outbox.drafts() if d.complaint_id == cid] == [ANSWER]
    qtbot.waitUntil(lambda: editor.badge.text() == "Draf · tersimpan lokal", timeout=10_000)

    # The checker panel follows the text; a finding with a span selects it in the editor.
    qtbot.waitUntil(lambda: editor._checked_text == ANSWER, timeout=10_000)
    assert editor.score_label.text().startswith("Skor ")
    qtbot.keyClicks(editor.editor, " [isi nomor WA]")
    text = ANSWER + " [isi nomor WA]"
    qtbot.waitUntil(lambda: editor._checked_text == text, timeout=10_000)
    items = [editor.findings.item(i) for i in range(editor.findings.count())]
    spanned = [i for i in items if i.data(SPAN_ROLE)[0] is not None]
    assert spanned, [i.text() for i in items]
    start, end = spanned[0].data(SPAN_ROLE)
    rect = editor.findings.visualItemRect(spanned[0])
    qtbot.mouseClick(editor.findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.editor.textCursor().selectedText() == text[start:end]
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.editor.toPlainText() != text  # undo …
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.editor.toPlainText() == text  # … and redo

    submit(qtbot, win)
    kinds = [e.kind for e in outbox.pending()]
    assert kinds[-1] == p.CMD_RESPONSE_SUBMIT
    assert [d.body for d in outbox.drafts() if d.complaint_id == cid] == [text]
    close_window(win)

    # Reopening the window shows the text again.
    win2 = open_window(officer, qtbot)
    show_complaint(qtbot, win2, cid)
    assert win2.response_editor.editor.toPlainText() == text
    assert win2.response_editor.badge.text().startswith("Diajukan untuk persetujuan")
    close_window(win2)


def test_supervisor_approves_a_pass_and_returns_with_a_note(
        ui_hub: tuple, officer: DeskContext, qtbot: QtBot, tmp_path: Path,  # noqa: F811
        qtmodeltester: object) -> None:
    hub = ui_hub[0]
    cids = [add_complaint(hub.db, title=f"Lampu jalan padam q{uuid.uuid4().hex[:8]}",
                          body="Lampu jalan mati.") for _ in range(3)]
    officer.sync()
    outbox = officer.outbox()
    drafts = []
    for cid in cids:
        d = outbox.save_draft(cid, ANSWER.replace("jalan berlubang", "lampu jalan"))
        drafts.append(outbox.submit_draft(d.id))
    officer.sync()

    sup = DeskContext.for_home(tmp_path / "supervisor", secrets=MemorySecrets(),
                               transport_options={"attempts": 1, "deadline": 20.0})
    try:
        sup.login(hub.url, "supervisor", PASSWORD)
        sup.sync()
        assert sup.settings.role == "supervisor"
        win = open_window(sup, qtbot)
        queue = win.approval_queue
        assert not win.approval_dock.isHidden()  # shown first for supervisors
        mine = {d.id for d in drafts}
        qtbot.waitUntil(lambda: mine <= {i.response_id for i in queue.model.items},
                        timeout=10_000)
        qtmodeltester.check(queue.model)  # type: ignore[attr-defined]
        rows = {i.response_id: n for n, i in enumerate(queue.model.items)}

        # Approve two in one pass (confirmed with the count), each bound to its own text.
        queue.table.clearSelection()
        for d in drafts[:2]:
            queue.table.selectionModel().select(
                queue.model.index(rows[d.id], 0),
                queue.table.selectionModel().SelectionFlag.Select
                | queue.table.selectionModel().SelectionFlag.Rows)
        qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
        assert queue.confirm_box is not None and "2 tanggapan" in queue.confirm_box.text()
        with qtbot.waitSignal(queue.reviewed, timeout=10_000) as reviewed:
            queue.confirm_box.button(QMessageBox.StandardButton.Yes).click()
        assert reviewed.args == [2]

        # Return the third with a note.
        qtbot.waitUntil(lambda: drafts[2].id in {i.response_id for i in queue.model.items}
                        and drafts[0].id not in {i.response_id for i in queue.model.items},
                        timeout=10_000)
        row = [i.response_id for i in queue.model.items].index(drafts[2].id)
        queue.table.selectRow(row)
        assert queue.response_view.toPlainText() == drafts[2].body
        qtbot.keyClicks(queue.note_edit, "Sebutkan nama petugas lapangan.")
        with qtbot.waitSignal(queue.reviewed, timeout=10_000):
            qtbot.mouseClick(queue.return_button, Qt.MouseButton.LeftButton)
        assert [e.kind for e in sup.outbox().pending()] == [
            p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_RETURN]
        with qtbot.waitSignal(win.syncFinished, timeout=30_000):
            win.start_sync()
        assert sup.outbox().pending() == []
        close_window(win)
    finally:
        sup.close()

    officer.sync()
    store = officer.open_store()
    for d in drafts[:2]:
        thread = store.detail(d.complaint_id).thread
        assert [t.id for t in thread if t.kind == "followup"] == [d.id]  # published once
    assert store.count(ComplaintQuery()) > 0
    win = open_window(officer, qtbot)
    show_complaint(qtbot, win, cids[2])
    editor = win.response_editor
    assert editor.note_label.isVisibleTo(win)
    assert editor.note_label.text() == (
        "Dikembalikan oleh atasan: Sebutkan nama petugas lapangan.")
    assert editor.badge.text().startswith("Dikembalikan")
    close_window(win)


def test_officer_is_notified_when_a_supervisor_approves(
        ui_hub: tuple, officer: DeskContext, qtbot: QtBot, tmp_path: Path,  # noqa: F811
) -> None:
    hub = ui_hub[0]
    cid = add_complaint(hub.db, title=f"Trotoar rusak n{uuid.uuid4().hex[:8]}",
                        body="Trotoar rusak.")
    officer.sync()
    outbox = officer.outbox()
    draft = outbox.submit_draft(outbox.save_draft(cid, ANSWER).id)
    officer.sync()
    win = open_window(officer, qtbot)
    notifier = win.power.notifier
    notifier.tray = None  # the status-bar path (no tray offscreen)
    qtbot.waitUntil(lambda: notifier.primed, timeout=10_000)

    sup = DeskContext.for_home(tmp_path / "supervisor", secrets=MemorySecrets(),
                               transport_options={"attempts": 1, "deadline": 20.0})
    try:
        sup.login(hub.url, "supervisor", PASSWORD)
        sup.sync()
        sup.outbox().approve(draft.id)
        sup.sync()
    finally:
        sup.close()

    with qtbot.waitSignal(notifier.notified, timeout=30_000) as shown:
        win.start_sync()
    assert "1 tanggapan Anda disetujui." in shown.args[0]
    assert win.message_label.text() == shown.args[0]
    close_window(win)
