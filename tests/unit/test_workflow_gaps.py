"""Mark read/unread, parking and resuming, orphaned drafts (handover note, export, discard) and
one answer for a cluster of complaints, over a real SQLCipher replica."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_outbox import KEY, make_doc, make_page, outcome

from lapor_desk.errors import InvalidInputError, NotFoundError
from lapor_desk.models.cluster import preview
from lapor_desk.models.outbox import Outbox
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.store import Store
from lapor_desk.sync import protocol as p

C1, C2, C3 = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
REPLY1 = str(uuid.UUID(int=10**6 + 1))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "replica.db", KEY)
    s.apply_page(make_page([
        make_doc(1, reporter={"name": "Siti Aminah", "phone": None, "email": None},
                 location={"province": "Jawa Tengah", "regency": "Kab. Semarang",
                           "district": "Ungaran Barat"}),
        make_doc(2, is_anonymous=True),
        make_doc(3, status="selesai")]))
    yield s
    s.close()


@pytest.fixture
def outbox(store: Store) -> Outbox:
    return Outbox(store)


def unread(store: Store) -> set[str]:
    return set(store.ids(ComplaintQuery(unread=True)))


def mark(cid: str, read: bool, seen: str | None, at: str = "2026-11-05T08:00:00+00:00"
         ) -> p.ReadMark:
    return {"complaint_id": cid, "read": read, "last_comment_id": seen, "at": at}


# ------------------------------------------------------------------ mark read / unread


def test_mark_read_is_a_command_per_complaint_and_a_reply_makes_it_unread_again(
        store: Store, outbox: Outbox) -> None:
    assert unread(store) == {C1, C2, C3}
    entries = outbox.mark_read(["9100001", C2])
    assert [(e.kind, e.complaint_id, e.seq) for e in entries] == [
        (p.CMD_MARK_READ, C1, 1), (p.CMD_MARK_READ, C2, 2)]
    sent = outbox.next_batch()
    assert sent[0]["payload"] == {"read": True, "last_comment_id": REPLY1}
    assert unread(store) == {C3} and store.unread([C1, C2, C3]) == {C3}
    # Applied, then the server's mark arrives with the page: same state from the synced layer.
    store.apply_page(make_page([], cursor="c2", outcomes=[outcome(c, "applied") for c in sent]),
                     also=lambda conn, _r: outbox.record_outcomes_in(
                         conn, [outcome(c, "applied") for c in sent]))
    store.apply_page({**make_page([], cursor="c3"), "read_marks": [
        mark(C1, True, REPLY1), mark(C2, True, str(uuid.UUID(int=10**6 + 2)))]})
    assert unread(store) == {C3}
    # A new reporter reply: unread again (the "new reporter reply" badge).
    reply = {"id": str(uuid.uuid4()), "kind": "comment", "author": "Pelapor",
             "body": "Belum diperbaiki", "created_at": "2026-11-06T08:00:00+00:00"}
    doc = make_doc(1, version=4)
    doc["thread"] = [*doc["thread"], reply]  # type: ignore[typeddict-item]
    store.apply_page(make_page([doc], cursor="c4"))
    assert unread(store) == {C1, C3}
    # Unread from here: the newest unsent command wins over the synced mark.
    outbox.mark_read([C2], read=False)
    assert unread(store) == {C1, C2, C3}


def test_marks_from_another_device_and_a_reset(store: Store, outbox: Outbox) -> None:
    store.apply_page({**make_page([], cursor="c2"), "read_marks": [mark(C2, True, None)]})
    assert C2 in unread(store)  # seen before the reporter's comment: still unread
    store.apply_page({**make_page([], cursor="c3"), "read_marks": [
        mark(C2, True, str(uuid.UUID(int=10**6 + 2))), mark(C3, False, None)]})
    assert unread(store) == {C1, C3}
    store.reset_synced()
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM read_marks").scalar_one() == 0
    with pytest.raises(NotFoundError):
        outbox.mark_read(["123"])
    assert outbox.pending() == []  # all or nothing


# ------------------------------------------------------------------ park / unpark


def test_park_lists_and_unpark_resumes(store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Teks saya")
    note = outbox.add_note("9100002", "Catatan")
    sent = outbox.next_batch()
    outbox.record_outcomes([outcome(sent[0], "conflict", p.REASON_TEXT_CONFLICT),
                            outcome(sent[1], "rejected", p.REASON_FORBIDDEN)])
    assert len(outbox.attention()) == 2
    with pytest.raises(InvalidInputError):
        outbox.unpark(note.op_id)  # not parked
    ops = outbox.resolve_items("9100002", parked=False)
    assert ops == [note.op_id]
    outbox.park(ops[0])
    outbox.park(outbox.resolve_items(sent[0]["op_id"], parked=False)[0])
    assert outbox.attention() == []
    parked = outbox.parked()
    assert [(i.kind, i.tracking_id, i.draft_id) for i in parked] == [
        ("parked", 9_100_001, d.id), ("parked", 9_100_002, None)]
    assert "disisihkan" in parked[0].message("id") and "parked" in parked[0].message("en")
    assert outbox.unpark(outbox.resolve_items("#9100001", parked=True)[0]).state == "conflict"
    assert outbox.unpark(note.op_id).state == "rejected"
    assert [i.kind for i in outbox.attention()] == ["conflict", "rejected"]
    with pytest.raises(NotFoundError):
        outbox.resolve_items("9100003", parked=True)
    done = outbox.add_note("9100002", "baru")
    [cmd] = outbox.next_batch()
    outbox.record_outcomes([outcome(cmd, "applied")])
    with pytest.raises(InvalidInputError):  # applied: nothing to set aside
        outbox.park(done.op_id)


# ------------------------------------------------------------------ orphaned drafts


def orphan_by_reroute(store: Store, outbox: Outbox) -> str:
    d = outbox.save_draft("9100001", "Jalan sudah kami tambal.\nFoto terlampir.")
    sent = outbox.next_batch()
    outbox.record_outcomes([outcome(sent[0], "rejected", p.REASON_NOT_ASSIGNED)])
    store.apply_page(make_page([], cursor="c2", removed=[C1]))
    assert outbox.draft(d.id).state == "orphaned"
    return d.id


def test_orphan_sent_as_handover_note_export_and_discard(
        store: Store, outbox: Outbox, tmp_path: Path) -> None:
    did = orphan_by_reroute(store, outbox)
    assert [i.draft_id for i in outbox.attention()] == [did]
    name, text = outbox.export_draft(did)
    assert name == "draf-9100001.txt"
    assert text.startswith("Pengaduan / Complaint: #9100001\n")
    assert text.endswith("Jalan sudah kami tambal.\nFoto terlampir.\n")
    first = outbox.export_draft_to(did, tmp_path)
    second = outbox.export_draft_to(did, tmp_path)  # never overwrites
    assert (first.name, second.name) == ("draf-9100001.txt", "draf-9100001-2.txt")
    assert first.read_text(encoding="utf-8") == text
    with pytest.raises(InvalidInputError):
        outbox.export_draft_to(did, tmp_path / "missing-dir" / "x.txt")
    entry = outbox.send_handover_note(did)
    assert (entry.kind, entry.complaint_id, entry.state) == (p.CMD_HANDOVER_NOTE, C1, "pending")
    assert outbox.send_handover_note(did) == entry  # a second click sends nothing more
    cmd = outbox.next_batch()[0]
    assert cmd["payload"]["body"] == "Jalan sudah kami tambal.\nFoto terlampir."
    assert set(cmd["payload"]) == {"entry_id", "body"}  # the draft id stays local
    assert outbox.attention() == []  # handed over: nothing left to decide
    assert outbox.draft(did).body.startswith("Jalan")  # kept until discarded
    outbox.discard_draft(did)
    with pytest.raises(NotFoundError):
        outbox.draft(did)


def test_orphan_of_a_closed_complaint_goes_as_a_normal_note(
        store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100002", "Teks")
    outbox.record_outcomes([outcome(outbox.next_batch()[0], "applied", response_version=1)])
    store.apply_page(make_page([make_doc(2, version=5, status="ditutup")], cursor="c2"),
                     also=lambda conn, _r: outbox.reconcile_in(conn))
    assert outbox.draft(d.id).state == "orphaned"
    assert outbox.send_handover_note(d.id).kind == p.CMD_NOTE
    with pytest.raises(InvalidInputError):
        outbox.send_handover_note(outbox.save_draft("9100001", "x").id)  # not orphaned


# ------------------------------------------------------------------ cluster answer


TEXT = ("{salam} {nama_pelapor},\n\nLaporan {nomor_tiket} ({kategori}) di {lokasi} sudah "
        "kami periksa pada {tanggal}.")


def test_cluster_preview_adapts_and_never_names_an_anonymous_reporter(store: Store) -> None:
    items = preview(store, ["9100001", C2, "#9100001", "9100003", "42"], TEXT,
                    date(2026, 11, 24))
    assert [i.tracking_id for i in items] == [9_100_001, 9_100_002, 9_100_003, None]
    one, anon, closed, missing = items
    assert one.text is not None and one.text.startswith("Yth. Siti Aminah,")
    assert "Laporan 9100001" in one.text and "Ungaran Barat, Kab. Semarang" in one.text
    assert "24 November 2026" in one.text and one.unfilled == ("{kategori}",)
    assert anon.text is not None and anon.text.startswith("Yth. Bapak/Ibu Pelapor,")
    assert "Siti" not in anon.text and "{lokasi}" in anon.unfilled
    assert closed.text is None and closed.problem_en and missing.text is None
    with pytest.raises(InvalidInputError):
        preview(store, [], TEXT, date(2026, 11, 24))
    # Another agency's view: complaints it only has a copy of are skipped with the reason.
    copies = preview(store, ["9100001"], TEXT, date(2026, 11, 24), agency_id="kab-semarang")
    assert copies[0].text is None and "copy" in (copies[0].problem_en or "")


def test_cluster_drafts_one_command_each_and_undo_while_unsent(
        store: Store, outbox: Outbox) -> None:
    before = outbox.add_note("9100001", "sebelum")
    items = [i for i in preview(store, ["9100001", "9100002"], TEXT, date(2026, 11, 24))]
    drafts = outbox.save_drafts([(str(i.complaint_id), str(i.text)) for i in items])
    assert [d.tracking_id for d in drafts] == [9_100_001, 9_100_002]
    assert [(e.seq, e.kind) for e in outbox.pending()] == [
        (1, p.CMD_NOTE), (2, p.CMD_RESPONSE_SAVE), (3, p.CMD_RESPONSE_SAVE)]
    after = outbox.add_note("9100002", "sesudah")
    assert after.seq == 4
    outbox.undo_new_drafts([d.id for d in drafts])
    assert outbox.drafts() == []
    # Gap-free again: the later unsent note moved down, the earlier one kept its seq.
    assert [(e.seq, e.op_id) for e in outbox.pending()] == [(1, before.op_id), (2, after.op_id)]
    with pytest.raises(InvalidInputError):  # a closed complaint refuses the whole batch
        outbox.save_drafts([(C1, "a"), (C3, "b")])
    assert outbox.drafts() == []
    again = outbox.save_drafts([(C1, "a"), (C2, "b")])
    outbox.next_batch()  # on its way: no longer undoable
    with pytest.raises(InvalidInputError):
        outbox.undo_new_drafts([d.id for d in again])
    assert len(outbox.drafts()) == 2


def test_a_refused_read_mark_is_recorded_but_never_nags(store: Store, outbox: Outbox) -> None:
    outbox.mark_read(["9100001"])
    [cmd] = outbox.next_batch()
    outbox.record_outcomes([outcome(cmd, "rejected", p.REASON_NOT_ASSIGNED)])
    assert outbox.attention() == []
    assert [(e.state, e.reason) for e in outbox.entries()] == [("parked", "not_assigned")]


def test_a_waiting_command_parked_goes_as_a_skip_and_resumes_as_a_new_command(
        store: Store, outbox: Outbox) -> None:
    stuck = outbox.add_note("9100001", "Catatan yang terus gagal")
    after = outbox.add_note("9100002", "Catatan berikutnya")
    parked = outbox.park(stuck.op_id)
    assert parked.state == "parked" and outbox.counts() == (1, 0)  # no longer pending
    assert outbox.parked()[0].op_id == stuck.op_id
    batch = outbox.next_batch()
    assert [(c["seq"], c["op_id"], c["kind"], c["payload"]) for c in batch] == [
        (1, stuck.op_id, p.CMD_SKIP, {}),
        (2, after.op_id, p.CMD_NOTE, batch[1]["payload"])]
    with pytest.raises(InvalidInputError):
        outbox.park(after.op_id)  # being sent
    counts = outbox.record_outcomes([
        {**outcome(batch[0], "rejected", p.REASON_PARKED), "complaint_version": None},
        outcome(batch[1], "applied")])
    assert (counts.rejected, counts.applied) == (1, 1)
    assert outbox.next_batch() == [] and outbox.attention() == []
    [item] = outbox.parked()
    assert "parked" in item.message("en") and item.reason == p.REASON_PARKED
    resumed = outbox.unpark(stuck.op_id)
    assert (resumed.seq, resumed.kind, resumed.state) == (3, p.CMD_NOTE, "pending")
    [again] = outbox.next_batch()
    assert again["payload"]["body"] == "Catatan yang terus gagal"
    assert outbox.parked() == []
    with pytest.raises(InvalidInputError):
        outbox.unpark(stuck.op_id)  # resumed already


def test_a_parked_command_resumed_before_its_skip_was_sent_just_waits_again(
        store: Store, outbox: Outbox) -> None:
    entry = outbox.add_note("9100001", "Catatan")
    outbox.park(entry.op_id)
    assert outbox.unpark(entry.op_id).state == "pending"
    [cmd] = outbox.next_batch()
    assert (cmd["op_id"], cmd["kind"]) == (entry.op_id, p.CMD_NOTE)
    assert "_skip" not in cmd["payload"] and "_parked_from" not in cmd["payload"]
