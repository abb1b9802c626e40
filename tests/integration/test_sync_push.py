"""Push against a real lapor-hub process (SQLite and PostgreSQL): offline work reaches the server
exactly once, a lost push response is harmless, approvals publish once and bind content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import Hub, db_rows, run_cli, start_hub, stop_hub
from faultproxy import Fault, FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import OfflineError
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
FAST = {"attempts": 2, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}
# Scenario tests run on SQLite only (to keep this file fast); exactly-once is checked on both.
SQLITE_ONLY = pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
ANSWER = (
    "Terima kasih atas laporan Bapak/Ibu. Pada 3 Desember 2026 tim Bidang Bina Marga DPUPR "
    "Kab. Semarang telah memeriksa lokasi dan menambal jalan berlubang sepanjang 40 meter. "
    "Foto sebelum dan sesudah perbaikan terlampir (surat tugas No. 600/123/2026). Bila masih "
    "ada kerusakan, hubungi kami di 024-123456."
)



def open_complaint(hub: Hub, skip: int = 0) -> tuple[str, int]:
    """A complaint of the agency that can get a follow-up and has no reporter reply yet."""
    rows = db_rows(
        hub.db, "SELECT id, tracking_id FROM complaints WHERE agency_id = :a AND status ="
        " 'didisposisikan' AND id NOT IN (SELECT complaint_id FROM thread_entries WHERE kind ="
        " 'comment') ORDER BY tracking_id", a=AGENCY)
    assert len(rows) > skip
    return str(rows[skip][0]), int(rows[skip][1])


def new_ctx(home: Path) -> DeskContext:
    return DeskContext.for_home(home, secrets=MemorySecrets(), transport_options=FAST)


@pytest.fixture
def officer(seeded_hub: Hub, tmp_path: Path) -> Iterator[DeskContext]:
    ctx = new_ctx(tmp_path / "officer")
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    ctx.sync()
    yield ctx
    ctx.close()


@pytest.fixture
def supervisor(seeded_hub: Hub, tmp_path: Path) -> Iterator[DeskContext]:
    ctx = new_ctx(tmp_path / "supervisor")
    ctx.login(seeded_hub.url, "supervisor", PASSWORD)
    ctx.sync()
    yield ctx
    ctx.close()


def test_offline_response_reaches_the_server_once_and_approval_publishes_once(
        seeded_hub: Hub, officer: DeskContext, supervisor: DeskContext, tmp_path: Path) -> None:
    cid, tracking = open_complaint(seeded_hub)
    stop_hub(seeded_hub)  # offline from here
    outbox = officer.outbox()
    draft = outbox.save_draft(str(tracking), "Draf pertama")
    draft = outbox.save_draft(cid, ANSWER, draft_id=draft.id)  # coalesced
    outbox.submit_draft(draft.id)
    assert officer.status().pending == 2
    with pytest.raises(OfflineError):
        officer.sync()
    assert officer.status().pending == 2  # nothing lost, nothing marked done
    hub = start_hub(seeded_hub.db, tmp_path / "hub2.log")  # back online (another port)
    try:
        officer.relocate(hub.url)
        report = officer.sync()
        assert (report.pushed, report.applied, report.commands_rejected) == (2, 2, 0)
        assert officer.status().pending == 0 and officer.status().attention == 0
        assert db_rows(hub.db, "SELECT body, state, version FROM responses WHERE id = :r",
                        r=draft.id) == [(ANSWER, "submitted", 1)]
        got = outbox.draft(draft.id)
        assert (got.state, got.server_state, got.sync_state) == ("submitted", "submitted",
                                                                 "synced")
        # The supervisor sees the submitted response offline after a sync and approves it.
        supervisor.relocate(hub.url)
        supervisor.sync()
        sup = supervisor.outbox()
        assert [i.kind for i in sup.attention(role="supervisor")] == ["awaiting_review"]
        assert supervisor.status().attention == 1
        sup.approve(draft.id)
        rep = supervisor.sync()
        assert (rep.pushed, rep.applied) == (1, 1)
        assert supervisor.status().attention == 0
        supervisor.sync()  # nothing more to send: published exactly once
        assert db_rows(hub.db, "SELECT state FROM responses WHERE id = :r",
                        r=draft.id) == [("published",)]
        assert db_rows(hub.db, "SELECT count(*) FROM thread_entries WHERE id = :r",
                        r=draft.id) == [(1,)]
        officer.sync()
        detail = officer.open_store().detail(str(tracking))
        assert detail.row.status == "ditindaklanjuti"
        assert [t.body for t in detail.thread if t.id == draft.id] == [ANSWER]
        assert outbox.draft(draft.id).state == "approved"
    finally:
        stop_hub(hub)


def test_a_lost_push_response_is_resent_and_takes_effect_once(
        seeded_hub: Hub, officer: DeskContext) -> None:
    cid, _ = open_complaint(seeded_hub)
    port = urlsplit(seeded_hub.url).port
    assert port is not None
    with FaultProxy("127.0.0.1", port) as proxy:
        officer.relocate(proxy.url)
        outbox = officer.outbox()
        draft = outbox.save_draft(cid, ANSWER)
        outbox.add_note(cid, "Catatan internal: survei lokasi dijadwalkan.")
        # Every push is answered with a reset after the server did its work.
        proxy.arm(Fault("reset", path="/sync/push", times=None))
        with pytest.raises(OfflineError):
            officer.sync()
        assert proxy.faults_fired >= 1
        assert db_rows(seeded_hub.db, "SELECT count(*) FROM command_log")[0][0] == 2
        assert officer.status().pending == 2  # the client never saw the outcomes
        proxy.heal()
        report = officer.sync()
    assert report.applied == 2 and officer.status().pending == 0
    assert db_rows(seeded_hub.db, "SELECT count(*) FROM command_log")[0][0] == 2
    assert db_rows(seeded_hub.db, "SELECT count(*) FROM responses WHERE id = :r",
                    r=draft.id) == [(1,)]
    notes = db_rows(seeded_hub.db, "SELECT count(*) FROM thread_entries WHERE complaint_id = :c"
                     " AND kind = 'note'", c=cid)
    assert notes == [(1,)]
    assert [e.state for e in officer.outbox().entries()] == ["applied", "applied"]


@SQLITE_ONLY  # the server rules are tested on both databases in lapor_hub's own tests
def test_stale_approval_becomes_a_plain_language_attention_item(
        seeded_hub: Hub, officer: DeskContext, supervisor: DeskContext) -> None:
    cid, tracking = open_complaint(seeded_hub, skip=1)
    outbox = officer.outbox()
    draft = outbox.save_draft(cid, ANSWER)
    outbox.submit_draft(draft.id)
    officer.sync()
    supervisor.sync()  # the supervisor reviews version 1 ...
    outbox.save_draft(cid, ANSWER + " Terima kasih.", draft_id=draft.id)  # ... the author edits
    officer.sync()
    sup = supervisor.outbox()
    sup.approve(draft.id)  # still bound to the version the supervisor saw
    report = supervisor.sync()
    assert report.commands_rejected == 1
    [item] = sup.attention(role="supervisor")
    assert item.kind == "rejected" and item.reason == p.REASON_STALE_APPROVAL
    assert item.tracking_id == tracking
    assert "berubah setelah Anda memeriksanya" in item.message("id")
    assert supervisor.status().attention == 1
    assert db_rows(seeded_hub.db, "SELECT state FROM responses WHERE id = :r",
                    r=draft.id) == [("draft",)]  # nothing unapproved was published
    assert db_rows(seeded_hub.db, "SELECT count(*) FROM thread_entries WHERE id = :r",
                    r=draft.id) == [(0,)]


def act(hub: Hub, verb: str, ref: str, *args: str) -> None:
    run_cli("lapor_hub", "act", verb, ref, "--db", hub.db, *args)


@SQLITE_ONLY  # the server rules are tested on both databases in lapor_hub's own tests
def test_new_reporter_reply_before_submit_needs_review_then_resubmit(
        seeded_hub: Hub, officer: DeskContext) -> None:
    cid, tracking = open_complaint(seeded_hub, skip=2)
    outbox = officer.outbox()
    draft = outbox.save_draft(cid, ANSWER)
    officer.sync()  # the draft is on the server; the officer has seen no reply
    act(seeded_hub, "reply", cid, "--text", "Jalan di depan sekolah juga rusak.")
    outbox.submit_draft(draft.id)  # offline, before seeing the reply
    report = officer.sync()
    assert report.commands_rejected == 1
    [item] = outbox.attention()
    assert item.kind == "needs_review" and item.tracking_id == tracking
    assert "balasan baru dari pelapor" in item.message("id")
    assert outbox.draft(draft.id).state == "draft"
    # The officer has now synced the reply, parks the item and submits again.
    assert any(t.kind == "comment" for t in officer.open_store().detail(cid).thread)
    assert item.op_id is not None
    outbox.park(item.op_id)
    outbox.submit_draft(draft.id)
    report = officer.sync()
    assert (report.applied, report.commands_rejected) == (1, 0)
    assert db_rows(seeded_hub.db, "SELECT state FROM responses WHERE id = :r",
                    r=draft.id) == [("submitted",)]
    assert outbox.attention() == [] and officer.status().attention == 0


@SQLITE_ONLY  # the server rules are tested on both databases in lapor_hub's own tests
def test_reroute_and_close_while_drafting_orphan_the_drafts_and_keep_the_text(
        seeded_hub: Hub, officer: DeskContext) -> None:
    moved, moved_tracking = open_complaint(seeded_hub, skip=3)
    closed, _ = open_complaint(seeded_hub, skip=4)
    outbox = officer.outbox()
    synced = outbox.save_draft(moved, "Draf yang sudah terkirim")
    officer.sync()
    unsent = outbox.save_draft(closed, "Draf yang belum terkirim")
    act(seeded_hub, "reroute", moved, "--to", "disdukcapil-kota-semarang")
    act(seeded_hub, "close", closed, "--reason", "duplikat")
    report = officer.sync()
    assert report.commands_rejected == 1  # the unsent save hit a closed complaint
    assert outbox.draft(synced.id).state == "orphaned"
    assert outbox.draft(unsent.id).state == "orphaned"
    assert outbox.draft(synced.id).body == "Draf yang sudah terkirim"
    assert outbox.draft(unsent.id).body == "Draf yang belum terkirim"
    kinds = sorted((i.kind, i.reason) for i in outbox.attention())
    assert kinds == [("orphaned", None), ("rejected", p.REASON_CLOSED)]
    orphan = next(i for i in outbox.attention() if i.kind == "orphaned")
    # No longer in the replica, but the draft still names it (kept with its first save).
    assert orphan.draft_id == synced.id and orphan.tracking_id == moved_tracking
    assert str(moved_tracking) in orphan.message("id")
    assert officer.status().attention == 2 and officer.status().pending == 0
    # Handed over to the new owner (the server accepts it from the agency that lost it); the
    # closed one goes as a normal note. Both settle their attention items.
    handover = outbox.send_handover_note(synced.id)
    note = outbox.send_handover_note(unsent.id)
    assert (handover.kind, note.kind) == (p.CMD_HANDOVER_NOTE, p.CMD_NOTE)
    officer.sync()
    assert [e.state for e in outbox.entries() if e.op_id in (handover.op_id, note.op_id)] == [
        "applied", "applied"]
    assert outbox.attention() == []


@SQLITE_ONLY
def test_two_people_edit_one_draft_clean_merge_and_overlap(
        seeded_hub: Hub, officer: DeskContext, tmp_path: Path) -> None:
    cid, _ = open_complaint(seeded_hub, skip=5)
    base = "Paragraf satu: pemeriksaan.\n\nParagraf dua: hasil.\n\nParagraf tiga: kontak."
    mine_ob = officer.outbox()
    draft = mine_ob.save_draft(cid, base)
    officer.sync()
    operator = new_ctx(tmp_path / "operator")
    try:
        operator.login(seeded_hub.url, "operator", PASSWORD)
        operator.sync()
        theirs_ob = operator.outbox()
        # Offline on both sides: different paragraphs.
        mine_ob.save_draft(cid, base.replace("pemeriksaan", "pemeriksaan 3 Desember"),
                           draft_id=draft.id)
        theirs_ob.save_draft(cid, base.replace("kontak", "kontak 024-123456"),
                             draft_id=draft.id)
        assert officer.sync().applied == 1
        merged = operator.sync()
        assert merged.applied == 1 and merged.conflicts == 0
        expected = ("Paragraf satu: pemeriksaan 3 Desember.\n\nParagraf dua: hasil.\n\n"
                    "Paragraf tiga: kontak 024-123456.")
        assert db_rows(seeded_hub.db, "SELECT body FROM responses WHERE id = :r",
                        r=draft.id) == [(expected,)]
        officer.sync()
        assert mine_ob.draft(draft.id).body == expected == theirs_ob.draft(draft.id).body
        # Offline again: both change the same paragraph. The second one is a conflict; the
        # server keeps the first, the second keeps their own text locally, nothing is lost.
        mine_text = expected.replace("hasil", "hasil: jalan sudah ditambal")
        their_text = expected.replace("hasil", "hasil: menunggu anggaran")
        mine_ob.save_draft(cid, mine_text, draft_id=draft.id)
        theirs_ob.save_draft(cid, their_text, draft_id=draft.id)
        officer.sync()
        clash = operator.sync()
        assert clash.conflicts == 1
        [item] = theirs_ob.attention()
        assert item.kind == "conflict" and item.reason == p.REASON_TEXT_CONFLICT
        assert "Kedua versi disimpan" in item.message("id")
        assert theirs_ob.draft(draft.id).body == their_text
        assert db_rows(seeded_hub.db, "SELECT body FROM responses WHERE id = :r",
                        r=draft.id) == [(mine_text,)]
        # Keeping theirs as the new version: the next save is based on the server's version.
        theirs_ob.save_draft(cid, their_text + "\n\nTambahan.", draft_id=draft.id)
        assert operator.sync().applied == 1
        assert db_rows(seeded_hub.db, "SELECT body FROM responses WHERE id = :r",
                        r=draft.id) == [(their_text + "\n\nTambahan.",)]
        assert theirs_ob.attention() == []  # the conflict is settled by the applied save
    finally:
        operator.close()


@SQLITE_ONLY
def test_a_parked_waiting_command_does_not_block_the_queue_and_resumes(
        seeded_hub: Hub, officer: DeskContext) -> None:
    cid, tracking = open_complaint(seeded_hub, skip=6)
    outbox = officer.outbox()
    stuck = outbox.add_note(cid, "Catatan yang disisihkan dulu")
    later = outbox.mark_read([str(tracking)])[0]
    outbox.park(stuck.op_id)
    report = officer.sync()
    assert report.commands_rejected == 1  # the skip, logged by the server as parked
    states = {e.op_id: (e.state, e.reason) for e in outbox.entries()}
    assert states[stuck.op_id] == ("parked", p.REASON_PARKED)
    assert states[later.op_id] == ("applied", None)
    assert officer.status().pending == 0 and outbox.attention() == []

    def notes() -> list[str]:
        return [r[0] for r in db_rows(seeded_hub.db, "SELECT body FROM thread_entries WHERE"
                                       " complaint_id = :c AND kind = 'note'", c=cid)]

    assert "Catatan yang disisihkan dulu" not in notes()
    resumed = outbox.unpark(stuck.op_id)
    officer.sync()
    assert outbox.entries()[-1].op_id == resumed.op_id
    assert outbox.entries()[-1].state == "applied"
    assert notes().count("Catatan yang disisihkan dulu") == 1
