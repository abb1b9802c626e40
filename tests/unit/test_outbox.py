"""The outbox over a real SQLCipher file: atomic edit + command, gap-free seq, coalescing,
idempotent outcomes, plain-language attention, drafts following the server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from lapor_desk.errors import InvalidInputError, NotFoundError
from lapor_desk.models.outbox import Outbox, text_sha256
from lapor_desk.models.store import Store, migrate, open_engine
from lapor_desk.sync import protocol as p
from lapor_desk.sync.protocol import ChangesPage, ComplaintDoc, Outcome

KEY = bytes(range(32))
AGENCY = "dpupr-kab-semarang"


def make_doc(n: int, **over: Any) -> ComplaintDoc:
    doc: dict[str, Any] = {
        "id": str(uuid.UUID(int=n)), "tracking_id": 9_100_000 + n, "version": 3,
        "title": f"Jalan berlubang {n}", "body": "Kronologi", "incident_date": None,
        "location": {"province": "Jawa Tengah", "regency": None, "district": None},
        "category_id": None, "classification": "pengaduan", "channel": "web",
        "is_anonymous": False, "is_confidential": False, "reporter": None,
        "agency_id": AGENCY, "copy_agency_ids": [], "status": "didisposisikan",
        "priority": "normal", "tags": [], "assignee_id": None,
        "created_at": "2026-11-01T08:00:00+00:00", "updated_at": "2026-11-01T08:00:00+00:00",
        "due_at": None, "resolution_due_at": None,
        "thread": [{"id": str(uuid.UUID(int=10**6 + n)), "kind": "comment", "author": "Pelapor",
                    "body": "Mohon segera", "created_at": "2026-11-02T08:00:00+00:00"}],
        "attachments": [],
    }
    doc.update(over)
    return doc  # type: ignore[return-value]


def make_page(docs: list[ComplaintDoc], *, cursor: str = "c1", removed: list[str] | None = None,
              outcomes: list[Outcome] | None = None) -> ChangesPage:
    page: ChangesPage = {"protocol": 1, "epoch": "e1", "cursor": cursor, "has_more": False,
                         "reference": None, "complaints": docs, "removed": removed or [],
                         "remaining": 0}
    if outcomes is not None:
        page["outcomes"] = outcomes
    return page


def response_doc(rid: str, body: str, *, version: int, state: str,
                 note: str | None = None) -> p.ResponseDoc:
    return {"id": rid, "author_id": "u-officer", "author_name": "Officer", "body": body,
            "version": version, "text_sha256": text_sha256(body), "state": state, "note": note,
            "reviewer_id": None, "updated_at": "2026-11-03T08:00:00+00:00",
            "published_at": None}


def outcome(cmd: p.Command, status: str, reason: str | None = None,
            response_version: int | None = None) -> Outcome:
    o: Outcome = {"op_id": cmd["op_id"], "seq": cmd["seq"], "status": status, "reason": reason,
                  "message": "test", "complaint_version": 4}
    if response_version is not None:
        o["response_version"] = response_version
    return o


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "replica.db", KEY)
    s.apply_page(make_page([make_doc(1), make_doc(2)]))
    yield s
    s.close()


@pytest.fixture
def outbox(store: Store) -> Outbox:
    return Outbox(store)


def rows(store: Store) -> tuple[list[Any], list[Any]]:
    with store.read() as conn:
        drafts = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, body, state, response_version FROM drafts ORDER BY id")]
        cmds = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT seq, op_id, kind, payload, state FROM outbox ORDER BY seq")]
    return drafts, cmds


def seqs(store: Store) -> list[int]:
    return [r[0] for r in rows(store)[1]]


# ---------------------------------------------------------------- commands and seq


def test_save_draft_writes_draft_and_command_by_tracking_id_or_uuid(
        store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Jawaban pertama")
    assert d.state == "draft" and d.tracking_id == 9_100_001 and d.sync_state == "saved_locally"
    d2 = outbox.save_draft(str(uuid.UUID(int=2)).upper(), "Jawaban kedua")
    assert d2.complaint_id == str(uuid.UUID(int=2))
    [c1, c2] = outbox.pending()
    assert (c1.seq, c1.kind, c1.response_id, c1.base_version) == (1, p.CMD_RESPONSE_SAVE, d.id, 3)
    assert c2.seq == 2
    payload = json.loads(rows(store)[1][0][3])
    # "_tracking_id" is kept locally only (an orphaned draft still names its complaint).
    assert payload == {"response_id": d.id, "body": "Jawaban pertama",
                       "base_response_version": 0, "base_body": None, "_tracking_id": 9_100_001}
    assert "_tracking_id" not in outbox.next_batch()[0]["payload"]
    with pytest.raises(NotFoundError):
        outbox.save_draft("123", "x")
    with pytest.raises(InvalidInputError):
        outbox.save_draft("9100001", "   ")


def test_coalescing_keeps_seq_gap_free_across_sending_and_restart(
        tmp_path: Path, store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "v1")
    outbox.save_draft("9100001", "v2", draft_id=d.id)  # unsent: replaced in place
    assert seqs(store) == [1]
    assert json.loads(rows(store)[1][0][3])["body"] == "v2"
    batch = outbox.next_batch(10)  # now on its way: the next edit must not change it
    assert [c["seq"] for c in batch] == [1] and batch[0]["payload"]["body"] == "v2"
    d = outbox.save_draft("9100001", "v3", draft_id=d.id)
    assert seqs(store) == [1, 2]
    p2 = json.loads(rows(store)[1][1][3])
    assert p2 == {"response_id": d.id, "body": "v3", "base_response_version": 1,
                  "base_body": "v2"}
    assert d.response_version == 2
    outbox.save_draft("9100001", "v4", draft_id=d.id)  # coalesces into seq 2
    sub = outbox.submit_draft(d.id)
    assert sub.state == "submitted"
    assert seqs(store) == [1, 2, 3]
    submit = json.loads(rows(store)[1][2][3])
    assert submit["text_sha256"] == text_sha256("v4")
    assert submit["response_version"] == 2
    assert submit["last_comment_id_seen"] == str(uuid.UUID(int=10**6 + 1))
    # An edit after submitting is a new save (never folded into the save before the submit).
    outbox.save_draft("9100001", "v5", draft_id=d.id)
    assert seqs(store) == [1, 2, 3, 4]
    assert outbox.draft(d.id).state == "draft"
    path = store.path
    store.close()
    reopened = Store.open(path, KEY)
    try:
        ob = Outbox(reopened)
        ob.add_note("9100002", "Catatan internal")
        ob.triage("9100002", {"priority": "tinggi", "tags": ["jalan"]})
        assert seqs(reopened) == [1, 2, 3, 4, 5, 6]
        triage = json.loads(rows(reopened)[1][5][3])
        assert triage == {"changes": {"priority": "tinggi", "tags": ["jalan"]},
                          "base": {"priority": "normal", "tags": []}}
        assert [c.seq for c in ob.pending()] == [1, 2, 3, 4, 5, 6]
    finally:
        reopened.close()


def _fail_at(store: Store, k: int) -> Any:
    """Raise at the k-th SQL statement from now (a crash between any two statements)."""
    count = {"n": 0}

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith(("BEGIN", "PRAGMA")):
            return
        count["n"] += 1
        if count["n"] == k:
            raise RuntimeError(f"injected failure at statement {k}")

    event.listen(store.engine, "before_cursor_execute", before)
    return before, count


@pytest.mark.parametrize("action", ["new", "edit", "edit_after_send", "submit", "approve"])
def test_a_failure_at_any_statement_keeps_neither_draft_nor_command(
        tmp_path: Path, action: str) -> None:
    def prepare(name: str) -> tuple[Store, Outbox, str]:
        s = Store.open(tmp_path / name, KEY)
        s.apply_page(make_page([make_doc(1), make_doc(2)]))
        ob = Outbox(s)
        d = ob.save_draft("9100001", "awal")
        if action == "edit_after_send":
            ob.next_batch(10)
        if action == "approve":
            ob.submit_draft(d.id)
        return s, ob, d.id

    def run(ob: Outbox, draft_id: str) -> None:
        if action == "new":
            ob.save_draft("9100002", "baru")
        elif action in ("edit", "edit_after_send"):
            ob.save_draft("9100001", "diubah", draft_id=draft_id)
        elif action == "submit":
            ob.submit_draft(draft_id)
        else:
            ob.approve(draft_id)

    # Count the statements of the action on one copy ...
    probe, probe_ob, probe_id = prepare("probe.db")
    try:
        listener, count = _fail_at(probe, 10**9)
        run(probe_ob, probe_id)
        event.remove(probe.engine, "before_cursor_execute", listener)
        total = count["n"]
        expected = [len(x) for x in rows(probe)]
    finally:
        probe.close()
    assert total >= 2
    # ... then fail at each of them on another: nothing of the action may remain.
    store, ob, draft_id = prepare("sweep.db")
    try:
        before = rows(store)
        for k in range(1, total + 1):
            listener, _ = _fail_at(store, k)
            try:
                with pytest.raises(RuntimeError, match="injected"):
                    run(ob, draft_id)
            finally:
                event.remove(store.engine, "before_cursor_execute", listener)
            assert rows(store) == before, f"partial write after a failure at statement {k}"
        run(ob, draft_id)  # without a failure it works, and the seq stays gap-free
        assert [len(x) for x in rows(store)] == expected
        assert seqs(store) == list(range(1, len(seqs(store)) + 1))
    finally:
        store.close()


# ---------------------------------------------------------------- outcomes


def test_record_outcomes_is_idempotent_and_never_drops_a_command(
        store: Store, outbox: Outbox) -> None:
    d1 = outbox.save_draft("9100001", "Jawaban satu")
    d2 = outbox.save_draft("9100002", "Jawaban dua")
    outbox.submit_draft(d1.id)
    batch = outbox.next_batch(10)
    assert [c["seq"] for c in batch] == [1, 2, 3]
    assert [e.state for e in outbox.pending()] == ["sending"] * 3
    outs = [outcome(batch[0], p.OUTCOME_APPLIED, response_version=1),
            outcome(batch[1], p.OUTCOME_REJECTED, p.REASON_NOT_ASSIGNED),
            outcome(batch[2], p.OUTCOME_RETRY)]
    first = outbox.record_outcomes(outs)
    assert (first.applied, first.rejected, first.retry) == (1, 1, 1)
    snapshot = rows(store)
    again = outbox.record_outcomes(outs)  # a replay (lost response, or the pull stream)
    assert (again.applied, again.rejected, again.repeated, again.retry) == (0, 0, 2, 1)
    assert rows(store) == snapshot
    states = {e.seq: e.state for e in outbox.entries()}
    assert states == {1: "applied", 2: "rejected", 3: "pending"}
    assert outbox.draft(d2.id).state == "orphaned"
    assert outbox.draft(d2.id).body == "Jawaban dua"  # the text is kept
    # An outcome for an unknown command or with a mismatching seq changes nothing.
    bogus = outcome({**batch[0], "op_id": str(uuid.uuid4())}, p.OUTCOME_APPLIED)
    wrong_seq = outcome({**batch[2], "seq": 99}, p.OUTCOME_APPLIED)
    assert outbox.record_outcomes([bogus, wrong_seq]).unknown == 2
    # The retried command goes out again, in order.
    assert [c["seq"] for c in outbox.next_batch(10)] == [3]
    assert outbox.record_outcomes([outcome(batch[2], p.OUTCOME_APPLIED)]).applied == 1
    assert outbox.pending() == []
    assert len(outbox.entries()) == 3  # nothing deleted


def test_needs_review_returns_the_draft_and_park_clears_attention(
        store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Jawaban")
    outbox.submit_draft(d.id)
    batch = outbox.next_batch(10)
    outbox.record_outcomes([outcome(batch[0], p.OUTCOME_APPLIED, response_version=1),
                            outcome(batch[1], p.OUTCOME_REJECTED, p.REASON_NEEDS_REVIEW)])
    assert outbox.draft(d.id).state == "draft"  # not submitted after all
    [item] = outbox.attention()
    assert item.kind == "needs_review" and item.tracking_id == 9_100_001
    assert item.message("id").startswith("#9100001: Ajukan jawaban ditolak.")
    assert "balasan baru dari pelapor" in item.message("id")
    assert "The reporter replied" in item.message("en")
    assert outbox.counts() == (0, 1)
    with pytest.raises(InvalidInputError):
        outbox.park(batch[0]["op_id"])  # applied: nothing to park
    parked = outbox.park(batch[1]["op_id"])
    assert parked.state == "parked" and outbox.attention() == []
    assert outbox.record_outcomes([outcome(batch[1], p.OUTCOME_APPLIED)]).repeated == 1
    assert outbox.entries()[1].state == "parked"
    # Resubmitting after reading the reply is a new command.
    outbox.submit_draft(d.id)
    assert [e.kind for e in outbox.pending()] == [p.CMD_RESPONSE_SUBMIT]


def test_attention_lists_conflicts_stale_approvals_orphans_and_returns(
        store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Teks saya")
    batch = outbox.next_batch(10)
    outbox.record_outcomes([outcome(batch[0], p.OUTCOME_CONFLICT, p.REASON_TEXT_CONFLICT)])
    # A supervisor's stale approval of a synced response.
    rid = str(uuid.uuid4())
    doc = make_doc(2, version=5, responses=[response_doc(rid, "Teks petugas", version=2,
                                                         state="submitted")])
    store.apply_page(make_page([doc], cursor="c2"))
    assert [i.kind for i in outbox.attention(role="supervisor")] == ["conflict",
                                                                    "awaiting_review"]
    approve = outbox.approve(rid)
    payload = json.loads(rows(store)[1][1][3])
    assert payload == {"response_id": rid, "response_version": 2,
                       "text_sha256": text_sha256("Teks petugas")}
    assert approve.base_version == 5
    [cmd] = outbox.next_batch(10)
    outbox.record_outcomes([outcome(cmd, p.OUTCOME_REJECTED, p.REASON_STALE_APPROVAL)])
    items = outbox.attention(role="supervisor")
    assert [i.kind for i in items] == ["conflict", "rejected"]
    assert "Kedua versi disimpan" in items[0].message("id")
    assert "changed after you reviewed it" in items[1].message("en")
    assert items[1].tracking_id == 9_100_002
    # The complaint of the conflicting draft is re-routed away: an orphaned draft.
    store.apply_page(make_page([], cursor="c3", removed=[str(uuid.UUID(int=1))]))
    kinds = [i.kind for i in outbox.attention()]
    assert kinds == ["conflict", "rejected", "orphaned"]
    orphan = outbox.attention()[2]
    # The complaint left the replica; the draft still names it (kept with its first save).
    assert orphan.tracking_id == 9_100_001 and orphan.draft_id == d.id
    assert "Draf yatim" in orphan.message("id") and "Orphaned draft" in orphan.message("en")
    assert outbox.draft(d.id).body == "Teks saya"
    with pytest.raises(NotFoundError):
        outbox.save_draft(str(uuid.UUID(int=1)), "x", draft_id=d.id)  # no longer in replica
    outbox.discard_draft(d.id)
    with pytest.raises(NotFoundError):
        outbox.draft(d.id)


def test_drafts_follow_the_server_after_a_page(store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Jawaban")
    outbox.submit_draft(d.id)
    batch = outbox.next_batch(10)
    outbox.record_outcomes([outcome(batch[0], p.OUTCOME_APPLIED, response_version=1),
                            outcome(batch[1], p.OUTCOME_APPLIED, response_version=1)])
    returned = make_doc(1, version=6, responses=[
        response_doc(d.id, "Jawaban", version=1, state="returned", note="Tambahkan tanggal")])

    def also(conn: Any, _result: Any) -> None:
        outbox.reconcile_in(conn)

    store.apply_page(make_page([returned], cursor="c2"), also)
    got = outbox.draft(d.id)
    assert (got.state, got.note, got.server_state) == ("returned", "Tambahkan tanggal",
                                                       "returned")
    [item] = outbox.attention()
    assert item.kind == "returned" and "Tambahkan tanggal" in item.message("id")
    # The officer edits and resubmits; then the complaint is closed on the server.
    outbox.save_draft("9100001", "Jawaban dengan tanggal 5 Desember", draft_id=d.id)
    assert outbox.attention() == []
    closed = make_doc(1, version=7, status="ditutup", responses=[
        response_doc(d.id, "Jawaban", version=1, state="returned", note="Tambahkan tanggal")])
    store.apply_page(make_page([closed], cursor="c3"), also)
    assert outbox.draft(d.id).state == "draft"  # the edit is still on its way
    [save] = outbox.next_batch(10)
    outbox.record_outcomes([outcome(save, p.OUTCOME_REJECTED, p.REASON_CLOSED)])
    assert outbox.draft(d.id).state == "orphaned"
    assert outbox.draft(d.id).body == "Jawaban dengan tanggal 5 Desember"
    [item] = outbox.attention()
    assert item.kind == "rejected" and "selesai atau ditutup" in item.message("id")


def test_a_conflict_keeps_my_text_and_a_publication_approves_the_draft(
        store: Store, outbox: Outbox) -> None:
    d = outbox.save_draft("9100001", "Versi awal")
    [first] = outbox.next_batch(10)
    outbox.record_outcomes([outcome(first, p.OUTCOME_APPLIED, response_version=1)])
    outbox.save_draft("9100001", "Versi saya", draft_id=d.id)
    [mine] = outbox.next_batch(10)
    assert mine["payload"]["base_response_version"] == 1
    outbox.record_outcomes([outcome(mine, p.OUTCOME_CONFLICT, p.REASON_TEXT_CONFLICT,
                                    response_version=2)])

    def also(conn: Any, _result: Any) -> None:
        outbox.reconcile_in(conn)

    theirs = make_doc(1, version=8, responses=[
        response_doc(d.id, "Versi mereka", version=2, state="draft")])
    store.apply_page(make_page([theirs], cursor="c2"), also)
    got = outbox.draft(d.id)
    assert got.body == "Versi saya" and got.response_version == 2
    assert got.sync_state == "conflict"
    # Keeping mine: the next save is based on the server's current version.
    outbox.save_draft("9100001", "Versi saya, final", draft_id=d.id)
    [keep] = outbox.next_batch(10)
    assert keep["payload"]["base_response_version"] == 2
    assert [i.kind for i in outbox.attention()] == ["conflict"]
    outbox.record_outcomes([outcome(keep, p.OUTCOME_APPLIED, response_version=3)])
    assert outbox.attention() == []  # settled by the applied save after it
    outbox.submit_draft(d.id)
    [sub] = outbox.next_batch(10)
    assert sub["payload"]["response_version"] == 3
    outbox.record_outcomes([outcome(sub, p.OUTCOME_APPLIED, response_version=3)])
    thread = [*make_doc(1)["thread"], {"id": d.id, "kind": "followup", "author": "DPUPR",
                                       "body": "Versi saya, final",
                                       "created_at": "2026-11-04T08:00:00+00:00"}]
    published = make_doc(1, version=9, status="ditindaklanjuti", thread=thread, responses=[])
    store.apply_page(make_page([published], cursor="c3"), also)
    assert outbox.draft(d.id).state == "approved"


def test_outcomes_on_the_pull_stream_are_recorded_with_the_page(
        store: Store, outbox: Outbox) -> None:
    outbox.save_draft("9100001", "Jawaban")
    [cmd] = outbox.next_batch(10)

    def also(conn: Any, _result: Any) -> None:
        outbox.record_outcomes_in(conn, [outcome(cmd, p.OUTCOME_APPLIED, response_version=1)])
        raise RuntimeError("crash inside the page transaction")

    with pytest.raises(RuntimeError):
        store.apply_page(make_page([make_doc(1, version=4)], cursor="c9"), also)
    assert outbox.entries()[0].state == "sending"  # rolled back with the page
    assert store.sync_state().cursor == "c1"


# ---------------------------------------------------------------- upgrade


def test_a_draft_and_command_from_revision_0001_survive_and_still_send(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    engine = open_engine(path, KEY)
    try:
        migrate(engine, "0001")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO drafts (id, complaint_id, body, base_version, state, created_at,"
                " updated_at, note) VALUES (?, ?, 'Jawaban lama', 3, 'draft', 1, 2, NULL)",
                ("d0000000-0000-4000-8000-000000000001", str(uuid.UUID(int=1))))
            conn.exec_driver_sql(
                "INSERT INTO outbox (seq, op_id, kind, complaint_id, payload, base_version,"
                " created_at, state, outcome_reason, updated_at) VALUES (1, ?, ?, ?, ?, 3, 1,"
                " 'pending', NULL, 1)",
                ("0b000000-0000-4000-8000-000000000001", p.CMD_NOTE, str(uuid.UUID(int=1)),
                 '{"entry_id": "e1", "body": "catatan"}'))
    finally:
        engine.dispose()
    store = Store.open(path, KEY)
    try:
        ob = Outbox(store)
        [d] = ob.drafts()
        assert (d.body, d.state, d.response_version) == ("Jawaban lama", "draft", 0)
        store.apply_page(make_page([make_doc(1)]))
        ob.save_draft("9100001", "Jawaban lama, diperbarui", draft_id=d.id)
        batch = ob.next_batch(10)
        assert [(c["seq"], c["kind"]) for c in batch] == [(1, p.CMD_NOTE),
                                                          (2, p.CMD_RESPONSE_SAVE)]
        assert batch[0]["payload"] == {"entry_id": "e1", "body": "catatan"}
        assert batch[1]["payload"]["base_response_version"] == 0
        assert store.status_counts()[1] == 2
    finally:
        store.close()


def test_a_review_is_recorded_once_per_version_and_a_new_version_asks_again(
        store: Store, outbox: Outbox) -> None:
    rid = str(uuid.uuid4())
    store.apply_page(make_page([make_doc(2, version=5, responses=[
        response_doc(rid, "Teks petugas", version=2, state="submitted")])], cursor="c2"))
    first = outbox.approve(rid)
    assert outbox.approve(rid) == first  # running the command twice queues nothing more
    assert seqs(store) == [1]
    assert outbox.attention(role="supervisor") == []
    [cmd] = outbox.next_batch(10)
    outbox.record_outcomes([outcome(cmd, p.OUTCOME_REJECTED, p.REASON_STALE_APPROVAL)])
    # The author edited and submitted again: the new version waits for review again.
    store.apply_page(make_page([make_doc(2, version=7, responses=[
        response_doc(rid, "Teks petugas, diperbaiki", version=3, state="submitted")])],
        cursor="c3"))
    kinds = [i.kind for i in outbox.attention(role="supervisor")]
    assert kinds == ["rejected", "awaiting_review"]
    second = outbox.approve(rid)
    assert second.seq == 2
    assert json.loads(rows(store)[1][1][3])["text_sha256"] == text_sha256(
        "Teks petugas, diperbaiki")
    assert [i.kind for i in outbox.attention(role="supervisor")] == ["rejected"]


def test_review_queue_binds_to_the_text_shown_and_keeps_the_returned_text_locally(
        store: Store, outbox: Outbox) -> None:
    rid = str(uuid.uuid4())
    doc = make_doc(2, version=5, responses=[response_doc(rid, "Versi satu", version=2,
                                                         state="submitted")])
    store.apply_page(make_page([doc], cursor="c2"))
    [item] = outbox.review_queue()
    assert (item.response_id, item.body, item.version, item.returned_body) == (
        rid, "Versi satu", 2, None)
    assert item.tracking_id == 9_100_002
    with pytest.raises(InvalidInputError):
        outbox.return_draft(rid, "Lengkapi", expected_sha256=text_sha256("lain"))
    outbox.return_draft(rid, "Lengkapi", expected_sha256=item.text_sha256)
    assert outbox.review_queue() == []  # reviewed from here
    [cmd] = outbox.next_batch(10)
    assert "_returned_body" not in cmd["payload"] and cmd["payload"]["note"] == "Lengkapi"
    outbox.record_outcomes([outcome(cmd, p.OUTCOME_APPLIED)])
    doc = make_doc(2, version=7, responses=[response_doc(rid, "Versi dua", version=4,
                                                         state="submitted")])
    store.apply_page(make_page([doc], cursor="c3"))
    [item] = outbox.review_queue()
    assert (item.body, item.returned_body) == ("Versi dua", "Versi satu")
    outbox.approve(rid, expected_sha256=text_sha256("Versi dua"))
    assert outbox.review_queue() == []
