"""Workflow gaps over the real main window, a real store and a real hub: mark read/unread
(Ctrl+Shift+R / Ctrl+Shift+U, undo, the "Unread" view), an orphaned draft of a re-routed
complaint handed over from the attention panel and from the response editor, and the parked
list with resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Hub, run_cli
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from pytestqt.qtbot import QtBot
from test_power import commands, pctx, power_hub, win  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.sync import protocol as p
from lapor_desk.ui.inbox_model import Column
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.views_sidebar import UNREAD

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
DUKCAPIL = "disdukcapil-kota-semarang"


def test_mark_read_and_unread_from_the_keyboard_with_undo(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    sidebar, triage, store = win.power.sidebar, win.power.triage, pctx.open_store()
    with qtbot.waitSignal(sidebar.countsRefreshed, timeout=10_000):
        sidebar.refresh_counts_now()
    before = sidebar.model.count(UNREAD)
    assert before is not None and before >= 2
    assert sidebar.model.index(sidebar.model.view_keys().index(UNREAD)).data().startswith(
        "Belum dibaca (")
    ids = [win.model.complaint_id(r) for r in range(2)]
    win.table.selectionModel().select(
        QItemSelection(win.model.index(0, 0), win.model.index(1, 0)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    assert triage.read_action.shortcut().toString() == "Ctrl+Shift+R"
    assert triage.read_action.isEnabled() and triage.read_action.text() == "Tandai sudah &dibaca"
    badges = [win.model.index(r, Column.BADGES).data() for r in range(2)]
    assert all("Belum dibaca" in b for b in badges), badges
    with qtbot.waitSignal(triage.queued, timeout=10_000) as done:
        triage.read_action.trigger()
    assert done.args[1] is False and [e.complaint_id for e in done.args[0]] == ids
    qtbot.waitUntil(lambda: not any("Belum dibaca" in (win.model.index(r, Column.BADGES).data()
                                                       or "") for r in range(2)),
                    timeout=10_000)
    assert store.unread([i for i in ids if i]) == set()
    with qtbot.waitSignal(sidebar.countsRefreshed, timeout=10_000):
        sidebar.refresh_counts_now()
    assert sidebar.model.count(UNREAD) == before - 2
    with qtbot.waitSignal(triage.queued, timeout=10_000) as undone:
        triage.undo_action.trigger()
    assert undone.args[1] is True
    assert store.unread([i for i in ids if i]) == set(ids)
    marks = commands(pctx, p.CMD_MARK_READ)
    assert [m["read"] for m in marks] == [True, True, False, False]
    # Unread on what is unread already: nothing to do, nothing queued.
    triage.unread_action.trigger()
    with qtbot.waitSignal(win.tasks.idle, timeout=10_000):
        pass
    assert len(commands(pctx, p.CMD_MARK_READ)) == 4
    pctx.sync()
    assert [e.state for e in pctx.outbox().entries() if e.kind == p.CMD_MARK_READ] == [
        "applied"] * 4


def test_orphan_of_a_rerouted_complaint_handed_over_from_the_editor_and_the_panel(
        win: MainWindow, pctx: DeskContext, power_hub: Hub, qtbot: QtBot,  # noqa: F811
        tmp_path: Path) -> None:
    store, outbox = pctx.open_store(), pctx.outbox()
    first, second = [r for r in store.rows(store.ids(win.model.query))
                     if r.agency_id == pctx.settings.agency_id and r.status == "didisposisikan"
                     and not r.is_confidential][:2]
    editor = win.response_editor
    with qtbot.waitSignal(editor.draftLoaded, timeout=10_000):
        win.show_complaint_detail(first.id)
    one = outbox.save_draft(first.id, "Draf pertama untuk dialihkan.")
    two = outbox.save_draft(second.id, "Draf kedua untuk dialihkan.")
    for r in (first, second):
        run_cli("lapor_hub", "act", "reroute", str(r.tracking_id), "--db", power_hub.db,
                "--to", DUKCAPIL)
    pctx.sync()  # the saves are refused (not assigned); the pull removes both complaints
    assert {outbox.draft(one.id).state, outbox.draft(two.id).state} == {"orphaned"}
    # The editor still shows the first draft (its complaint is gone) with what can be done.
    with qtbot.waitSignal(editor.draftLoaded, timeout=10_000):
        editor.reload()
    assert editor.orphan_row.isVisibleTo(editor) and editor.editor.isReadOnly()
    panel = win.power.attention
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        editor.orphan_buttons["note"].click()
    [handover] = [e for e in outbox.pending() if e.kind == p.CMD_HANDOVER_NOTE]
    assert handover.complaint_id == first.id
    # The second from the panel: export (tracking ID and text) and send as note.
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.refresh()
    [item] = [i for i in panel.model.items() if i.draft_id == two.id]
    assert item.tracking_id == second.tracking_id
    panel.select_item(item)
    assert panel.note_button.isEnabled() and panel.export_button.isEnabled()
    out = tmp_path / "draf.txt"
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.export_to(two.id, out)
    text = out.read_text(encoding="utf-8")
    assert f"#{second.tracking_id}" in text and text.endswith("Draf kedua untuk dialihkan.\n")
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.copy_as_note()
    pctx.sync()
    handovers = [e for e in outbox.entries() if e.kind == p.CMD_HANDOVER_NOTE]
    assert [e.state for e in handovers] == ["applied", "applied"]
    assert outbox.attention() == []


def test_parked_list_and_resume(win: MainWindow, pctx: DeskContext,  # noqa: F811
                                qtbot: QtBot) -> None:
    store, outbox = pctx.open_store(), pctx.outbox()
    target = next(r for r in store.rows(store.ids(win.model.query))
                  if r.agency_id == pctx.settings.agency_id and r.status == "didisposisikan")
    outbox.request_transition(str(target.tracking_id), "selesai")  # refused by the server
    pctx.sync()
    panel = win.power.attention
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.refresh()
    [item] = [i for i in panel.model.items() if i.complaint_id == target.id]
    panel.select_item(item)
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.park_current()
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.parked_button.click()
    assert panel.showing_parked and panel.park_button.text() == "&Lanjutkan"
    [parked] = panel.model.items()
    assert parked.kind == "parked" and parked.op_id == item.op_id
    panel.select_item(parked)
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.park_current()
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.parked_button.click()
    assert [i.op_id for i in panel.model.items()] == [item.op_id]


def test_answer_similar_complaints_together_then_undo(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:  # noqa: F811
    store, outbox = pctx.open_store(), pctx.outbox()
    panel = win.similar
    for row in store.rows(store.ids(win.model.query)):
        if row.status != "didisposisikan" or row.agency_id != pctx.settings.agency_id:
            continue
        with qtbot.waitSignal(panel.loaded, timeout=10_000) as shown:
            win.show_complaint_detail(row.id)
        if shown.args[0] > 0:
            break
    else:
        pytest.fail("no complaint with similar ones in the seed")
    assert panel.answer_button.isEnabled() and panel.answer_button.text() == "Jawab &bersama…"
    panel.answer_button.click()
    dialog = win.power.cluster.dialog
    assert dialog is not None and not dialog.create_button.isEnabled()
    dialog.editor.setPlainText("{salam} {nama_pelapor},\n\nLaporan {nomor_tiket} sudah kami "
                               "periksa bersama laporan serupa.")
    dialog.run_preview()
    qtbot.waitUntil(lambda: dialog.create_button.isEnabled(), timeout=10_000)
    ready = dialog.ready()
    assert 1 + shown.args[0] == len(dialog.items) and ready
    for cid, text in ready:
        detail = store.detail(cid)
        assert f"Laporan {detail.row.tracking_id} sudah" in text
        if detail.row.is_anonymous:
            assert text.startswith("Yth. Bapak/Ibu Pelapor,")
    with qtbot.waitSignal(win.power.cluster.created, timeout=10_000) as created:
        dialog.create_button.click()
    drafts = created.args[0]
    assert sorted((d.complaint_id, d.body) for d in drafts) == sorted(ready)
    assert [e.kind for e in outbox.pending()] == [p.CMD_RESPONSE_SAVE] * len(ready)
    with qtbot.waitSignal(win.power.cluster.undone, timeout=10_000):
        win.power.triage.undo_action.trigger()
    assert outbox.drafts() == [] and outbox.pending() == []
