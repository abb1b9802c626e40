"""The operator's power features over the real main window, a real store and a real hub:
saved views with counts, batch triage with undo, the needs-attention dock, settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Hub, run_cli, start_hub, stop_hub
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, add_complaint

from lapor_desk.core import DeskContext
from lapor_desk.models.outbox import reason_text
from lapor_desk.secrets import MemorySecrets
from lapor_desk.settings import ProfileDir
from lapor_desk.sync import protocol as p
from lapor_desk.ui.app import create_main_window
from lapor_desk.ui.attention_panel import ConflictDialog
from lapor_desk.ui.inbox_model import Column
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.triage import ChoiceDialog
from lapor_desk.ui.views_sidebar import ATTENTION, MINE

# The offscreen platform plugin says so on every show(); it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def power_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A hub of its own: the attention test closes a complaint on it."""
    from lapor_hub.seed import seed

    tmp = tmp_path_factory.mktemp("power-hub")
    db_url = f"sqlite:///{tmp / 'hub.db'}"
    seed(db_url, complaints=30, seed=11)
    add_complaint(db_url, title="Pungutan liar di loket", body="Rahasia: nama petugas ...",
                  confidential=True)
    hub = start_hub(db_url, tmp / "hub.log")
    try:
        yield hub
    finally:
        stop_hub(hub)


@pytest.fixture
def pctx(power_hub: Hub, tmp_path: Path) -> Iterator[DeskContext]:
    # The operator: triage is theirs (the server refuses it from an officer).
    context = DeskContext.for_home(tmp_path / "profile", secrets=MemorySecrets(),
                                   transport_options={"attempts": 1, "deadline": 20.0})
    context.login(power_hub.url, "operator", PASSWORD)
    context.sync()
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def win(pctx: DeskContext, qtbot: QtBot) -> Iterator[MainWindow]:
    pctx.settings.language = "id"
    window = create_main_window(pctx)
    with qtbot.waitSignal(window.inboxReloaded, timeout=10_000):
        window.show()
    try:
        yield window
    finally:
        window.close()
        if window.translations is not None:
            window.translations.close()
        window.deleteLater()


def commands(ctx: DeskContext, kind: str) -> list[dict[str, Any]]:
    with ctx.open_store().read() as conn:
        return [{"complaint_id": r[0], **json.loads(r[1])} for r in conn.exec_driver_sql(
            "SELECT complaint_id, payload FROM outbox WHERE kind = ? ORDER BY seq", (kind,))]


def test_saved_views_count_like_the_store_and_select_by_keyboard(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot, qtmodeltester: Any) -> None:
    sidebar = win.power.sidebar
    with qtbot.waitSignal(sidebar.countsRefreshed, timeout=10_000) as blocker:
        sidebar.refresh_counts_now()
    counts = blocker.args[0]
    store = pctx.open_store()
    assert set(counts) == set(sidebar.model.view_keys())
    assert len(counts) == 8  # an officer does not see "waiting for my approval"
    for key in sidebar.model.view_keys():
        assert sidebar.model.count(key) == store.count(sidebar.query_for(key, sidebar.counted_at))
    assert counts["all"] == store.count(sidebar.query_for("all")) > 0
    qtmodeltester.check(sidebar.model)
    # Ctrl+2 is "my work": the inbox shows exactly that view.
    action = sidebar.actions_by_key[MINE]
    assert action.shortcut().toString() == "Ctrl+2"
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000) as reloaded:
        action.trigger()
    assert sidebar.current_key() == MINE
    assert reloaded.args[0] == store.count(sidebar.query_for(MINE)) == win.model.rowCount()
    text = sidebar.model.index(1).data()
    assert text.startswith("Pekerjaan saya (")


def test_batch_assign_three_rows_then_undo_queues_inverse_commands(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:
    assert win.model.rowCount() >= 3
    sel = QItemSelection(win.model.index(0, 0), win.model.index(2, 0))
    win.table.selectionModel().select(
        sel, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    ids = [win.model.complaint_id(r) for r in range(3)]
    triage = win.power.triage
    assert triage.assign_action.shortcut().toString() == "Ctrl+Shift+G"
    triage.assign_action.trigger()
    qtbot.waitUntil(lambda: isinstance(triage.dialog, ChoiceDialog), timeout=10_000)
    dialog = triage.dialog
    assert isinstance(dialog, ChoiceDialog)
    qtbot.keyClicks(dialog.filter_edit, "operator")
    chosen = dialog.value()
    assert isinstance(chosen, str)
    with qtbot.waitSignal(triage.queued, timeout=10_000) as done:
        qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
    entries, undo = done.args
    assert undo is False and len(entries) == 3
    made = commands(pctx, p.CMD_TRIAGE)
    assert [c["complaint_id"] for c in made] == ids
    assert all(c["changes"] == {"assignee_id": chosen} for c in made)
    with qtbot.waitSignal(win.statusRefreshed, timeout=10_000):
        pass
    with qtbot.waitSignal(win.tasks.idle, timeout=10_000):
        pass
    badges = [win.model.index(r, Column.BADGES).data() for r in range(3)]
    assert all("Belum terkirim" in b for b in badges), badges
    with qtbot.waitSignal(triage.queued, timeout=10_000) as undone:
        triage.undo_action.trigger()
    assert undone.args[1] is True and len(undone.args[0]) == 3
    made = commands(pctx, p.CMD_TRIAGE)
    assert len(made) == 6
    for first, inverse in zip(made[:3], made[3:], strict=True):
        assert inverse["complaint_id"] == first["complaint_id"]
        assert inverse["changes"] == first["base"]
    with qtbot.waitSignal(triage.queued, timeout=10_000):
        triage.redo_action.trigger()
    assert len(commands(pctx, p.CMD_TRIAGE)) == 9


def test_attention_shows_a_real_rejection_and_handles_the_orphaned_draft(
        win: MainWindow, pctx: DeskContext, power_hub: Hub, qtbot: QtBot, tmp_path: Path,
        qtmodeltester: Any) -> None:
    store = pctx.open_store()
    outbox = pctx.outbox()
    target = next(r for r in store.rows(store.ids(win.model.query))
                  if r.agency_id == pctx.settings.agency_id and r.status == "didisposisikan")
    draft = outbox.save_draft(str(target.tracking_id), "Jawaban yang belum sempat terkirim.")
    pctx.sync()  # the draft reaches the server
    run_cli("lapor_hub", "act", "close", str(target.tracking_id), "--db", power_hub.db,
            "--reason", "duplikat")
    outbox.request_reroute(str(target.tracking_id), "Bukan wewenang kami.")
    pctx.sync()  # the request is refused (closed); the pull orphans the draft
    panel = win.power.attention
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.refresh()
    qtmodeltester.check(panel.model)
    items = panel.model.items()
    rejected = next(i for i in items if i.kind == "rejected")
    assert rejected.reason == p.REASON_CLOSED and rejected.tracking_id == target.tracking_id
    panel.select_item(rejected)
    assert panel.detail.toPlainText() == rejected.message("id")
    assert reason_text(p.REASON_CLOSED)[0] in panel.detail.toPlainText()
    assert panel.park_button.isEnabled()
    orphan = next(i for i in items if i.draft_id == draft.id)
    panel.select_item(orphan)
    assert panel.export_button.isEnabled()
    out = tmp_path / f"draf-{target.tracking_id}.txt"
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.export_to(draft.id, out)
    exported = out.read_text(encoding="utf-8")  # the tracking ID, then the text
    assert exported.startswith(f"Pengaduan / Complaint: #{target.tracking_id}\n")
    assert exported.endswith("\n\nJawaban yang belum sempat terkirim.\n")
    # Discard asks first; Cancel keeps it, Discard removes it.
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        pass
    orphaned = next(i for i in panel.model.items() if i.kind == "orphaned")
    panel.select_item(orphaned)
    panel.ask_discard()
    box = panel.confirm_box
    assert box is not None
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        box.button(QMessageBox.StandardButton.Discard).click()
    assert draft.id not in [d.id for d in outbox.drafts()]
    # Park the rejection: it leaves the list.
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        pass
    panel.select_item(next(i for i in panel.model.items() if i.kind == "rejected"))
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.park_current()
    assert [i.kind for i in outbox.attention()] == []
    sidebar = win.power.sidebar
    with qtbot.waitSignal(sidebar.countsRefreshed, timeout=10_000):
        sidebar.refresh_counts_now()
    assert sidebar.model.count(ATTENTION) == 0


def test_settings_dialog_saves_the_language(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:
    win.power.settings_action.trigger()
    dialog = win.power.settings_dialog
    assert dialog is not None
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.sync_spin.setValue(7)
    dialog.notify_check.setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=5_000):
        dialog.save()
    saved = ProfileDir(pctx.profile.home).load()
    assert (saved.language, saved.sync_interval_minutes, saved.notifications) == ("en", 7, False)
    assert win.file_menu.title() == "&File"
    assert win.power.triage_menu.title() == "&Triage"


def test_a_real_conflict_shows_base_theirs_mine_and_keep_mine_saves_again(
        win: MainWindow, pctx: DeskContext, power_hub: Hub, qtbot: QtBot,
        tmp_path: Path) -> None:
    store, outbox = pctx.open_store(), pctx.outbox()
    target = next(r for r in store.rows(store.ids(win.model.query))
                  if r.agency_id == pctx.settings.agency_id and r.status == "didisposisikan")
    ref = str(target.tracking_id)
    base = "Paragraf satu.\n\nParagraf dua."
    draft = outbox.save_draft(ref, base)
    pctx.sync()
    other = DeskContext.for_home(tmp_path / "other", secrets=MemorySecrets(),
                                 transport_options={"attempts": 1, "deadline": 20.0})
    try:
        other.login(power_hub.url, "officer", PASSWORD)
        other.sync()
        other.outbox().save_draft(ref, "Paragraf satu, versi petugas.\n\nParagraf dua.",
                                  draft_id=draft.id)
        other.sync()
    finally:
        other.close()
    outbox.save_draft(ref, "Paragraf satu, versi operator.\n\nParagraf dua.", draft_id=draft.id)
    pctx.sync()  # the same paragraph changed on both sides: a conflict
    panel = win.power.attention
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.refresh()
    conflict = next(i for i in panel.model.items() if i.kind == "conflict")
    panel.select_item(conflict)
    assert panel.conflict_button.isEnabled()
    panel.conflict_button.click()
    qtbot.waitUntil(lambda: panel.dialog is not None, timeout=10_000)
    dialog = panel.dialog
    assert isinstance(dialog, ConflictDialog)
    texts = {k: v.toPlainText() for k, v in dialog.views.items()}
    assert texts == {"base": base,
                     "theirs": "Paragraf satu, versi petugas.\n\nParagraf dua.",
                     "mine": "Paragraf satu, versi operator.\n\nParagraf dua."}
    assert all(v.isReadOnly() for v in dialog.views.values())
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        dialog.mine_button.click()
    [save] = [c for c in commands(pctx, p.CMD_RESPONSE_SAVE)[-1:]]
    assert save["body"] == "Paragraf satu, versi operator.\n\nParagraf dua."
    assert save["base_body"] == "Paragraf satu, versi petugas.\n\nParagraf dua."
    pctx.sync()  # saved again over the server's version: applied, the conflict settles
    assert [i.kind for i in outbox.attention()] == []


def test_language_menu_retranslates_the_sidebar_and_notifications_respect_the_setting(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:
    sidebar = win.power.sidebar
    assert sidebar.model.index(0).data().startswith("Semua")
    win.language_actions["en"].trigger()
    assert sidebar.model.index(0).data().startswith("All")
    assert win.power.attention.park_button.text() == "P&ark"
    notifier = win.power.notifier
    notifier.tray = None  # the status-bar path (no tray on the offscreen platform anyway)
    base = {"mine": 1, "returned": 0, "due_soon": 2}
    notifier.counts_after_sync(base)
    with qtbot.waitSignal(notifier.notified, timeout=1_000) as shown:
        notifier.counts_after_sync({"mine": 3, "returned": 1, "due_soon": 2})
    assert shown.args[0] == ("2 new complaints assigned to you. "
                             "1 draft returned to you.")
    assert win.message_label.text() == shown.args[0]
    pctx.settings.notifications = False
    with qtbot.assertNotEmitted(notifier.notified):
        notifier.counts_after_sync({"mine": 9, "returned": 5, "due_soon": 9})


def test_reroute_request_warns_before_forwarding_a_rahasia_complaint(
        win: MainWindow, pctx: DeskContext, qtbot: QtBot) -> None:
    row = next(r for r in range(win.model.rowCount())
               if (rec := win.model.record(r)) is not None and rec.is_confidential)
    win.select_row(row)
    triage = win.power.triage
    assert triage.reroute_action.isEnabled()
    triage.reroute_action.trigger()
    dialog = triage.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.edit, "Bukan wewenang kami: urusan inspektorat.")
    dialog.accept()
    box = triage.confirm_box
    assert box.isVisible() and "rahasia" in box.text()
    assert commands(pctx, p.CMD_REROUTE_REQUEST) == []
    box.button(QMessageBox.StandardButton.No).click()
    assert commands(pctx, p.CMD_REROUTE_REQUEST) == []  # declined: nothing queued
    triage.reroute_action.trigger()
    qtbot.keyClicks(triage.dialog.edit, "Bukan wewenang kami.")
    triage.dialog.accept()
    with qtbot.waitSignal(triage.queued, timeout=10_000):
        triage.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    [sent] = commands(pctx, p.CMD_REROUTE_REQUEST)
    assert sent["body"] == "Bukan wewenang kami."
