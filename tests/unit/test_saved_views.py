"""Saved-view filters of ComplaintQuery, the triage/users reads, and the conflict choices
(keep mine / take theirs) over a real SQLCipher store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_outbox import KEY, make_doc, make_page, outcome, response_doc

from lapor_desk.models.outbox import Outbox
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.store import Store
from lapor_desk.sync import protocol as p


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "replica.db", KEY)
    s.apply_page(make_page([
        make_doc(1, assignee_id="u-me", due_at="2026-11-10T08:00:00+00:00"),
        make_doc(2, due_at="2026-11-20T08:00:00+00:00"),
        make_doc(3, assignee_id="u-other", status="selesai",
                 due_at="2026-11-05T08:00:00+00:00", priority="tinggi", tags=["jalan"]),
        make_doc(4, responses=[response_doc("r-4", "Jawaban", version=1, state="submitted")]),
    ]))
    yield s
    s.close()


def ids(store: Store, **kw: Any) -> set[int]:
    q = ComplaintQuery(**kw)
    got = {r.tracking_id - 9_100_000 for r in store.rows(store.ids(q))}
    assert store.count(q) == len(got)
    return got


def test_saved_view_filters(store: Store) -> None:
    now = datetime(2026, 11, 8, tzinfo=UTC)
    assert ids(store) == {1, 2, 3, 4}
    assert ids(store, assignee_id="u-me") == {1}
    assert ids(store, unassigned=True) == {2, 4}
    assert ids(store, open_only=True, due_before=now) == set()
    assert ids(store, due_before=now) == {3}
    assert ids(store, open_only=True, due_after=now,
               due_before=datetime(2026, 11, 12, tzinfo=UTC)) == {1}
    assert ids(store, awaiting_review=True) == {4}
    ob = Outbox(store)
    d = ob.save_draft("9100002", "Draf")
    assert ids(store, returned=True) == set()
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE drafts SET state = 'returned' WHERE id = ?", (d.id,))
    assert ids(store, returned=True) == {2}
    assert ids(store, needs_attention=True) == set()
    entry = ob.triage("9100001", {"priority": "tinggi"})
    [cmd] = [c for c in ob.next_batch(10) if c["op_id"] == entry.op_id]
    ob.record_outcomes([outcome(cmd, p.OUTCOME_REJECTED, p.REASON_CLOSED)])
    assert ids(store, needs_attention=True) == {1}
    assert ids(store, needs_attention=True, assignee_id="u-other") == set()


def test_triage_values_and_users(store: Store) -> None:
    doc3 = make_doc(3)
    values = store.triage_values([doc3["id"], "missing"])
    assert values == {doc3["id"]: {"category_id": None, "priority": "tinggi",
                                   "tags": ["jalan"], "assignee_id": "u-other"}}
    assert store.users() == []


def test_conflict_texts_keep_mine_and_take_theirs(store: Store) -> None:
    ob = Outbox(store)
    d = ob.save_draft("9100002", "Versi awal")
    [first] = ob.next_batch(10)
    ob.record_outcomes([outcome(first, p.OUTCOME_APPLIED, response_version=1)])
    ob.save_draft("9100002", "Versi saya", draft_id=d.id)
    [mine] = ob.next_batch(10)
    ob.record_outcomes([outcome(mine, p.OUTCOME_CONFLICT, p.REASON_TEXT_CONFLICT,
                                response_version=2)])

    def also(conn: Any, _result: Any) -> None:
        ob.reconcile_in(conn)

    theirs = make_doc(2, version=8, responses=[
        response_doc(d.id, "Versi mereka", version=2, state="draft")])
    store.apply_page(make_page([theirs], cursor="c2"), also)
    texts = ob.conflict_texts(mine["op_id"])
    assert (texts.base, texts.theirs, texts.mine) == ("Versi awal", "Versi mereka", "Versi saya")
    # Keep mine: a new save over the server's version 2, even though my text is unchanged.
    ob.keep_mine(d.id)
    [keep] = ob.next_batch(10)
    assert keep["payload"]["base_response_version"] == 2
    assert keep["payload"]["body"] == "Versi saya"
    assert keep["payload"]["base_body"] == "Versi mereka"
    ob.keep_mine(d.id)  # already on its way: nothing more
    assert len(ob.entries()) == 3
    ob.record_outcomes([outcome(keep, p.OUTCOME_CONFLICT, p.REASON_TEXT_CONFLICT,
                                response_version=2)])
    # Take theirs: the server's text in the draft, conflicts parked, nothing to send.
    got = ob.take_theirs(d.id)
    assert got.body == "Versi mereka" and got.response_version == 2
    assert ob.attention() == [] and ob.next_batch(10) == []


def test_request_reroute_is_a_command_with_the_reason(store: Store) -> None:
    ob = Outbox(store)
    entry = ob.request_reroute("9100002", "Bukan wewenang kami: jalan provinsi")
    [cmd] = ob.next_batch(10)
    assert cmd["op_id"] == entry.op_id and cmd["kind"] == p.CMD_REROUTE_REQUEST
    assert cmd["payload"]["body"] == "Bukan wewenang kami: jalan provinsi"


def test_local_states_mark_pending_and_attention(store: Store) -> None:
    ob = Outbox(store)
    assert store.local_states() == {}
    a = ob.triage("9100001", {"priority": "tinggi"})
    ob.add_note("9100002", "Catatan")
    [cmd] = [c for c in ob.next_batch(10) if c["op_id"] == a.op_id]
    assert store.local_states() == {make_doc(1)["id"]: "pending", make_doc(2)["id"]: "pending"}
    ob.record_outcomes([outcome(cmd, p.OUTCOME_REJECTED, p.REASON_FORBIDDEN)])
    assert store.local_states()[make_doc(1)["id"]] == "attention"
