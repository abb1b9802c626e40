"""The per-agency change sequence under concurrent writers (PostgreSQL and SQLite).

Two writer threads create, update and re-route complaints of one agency while a reader polls
the feed with its cursor. Each writer holds its transaction open for a moment after taking its
seq, so a sequence that was not commit-ordered would let the reader jump past an uncommitted
change and never see it. The reader must end with exactly the server's state, and every
complaint ever created in the agency must have reached it.
"""

from __future__ import annotations

import gzip
import json
import random
import threading
import uuid
from typing import Any

from sqlalchemy import text

from lapor_hub import db
from lapor_hub.auth import Principal
from lapor_hub.feed import read_page
from lapor_hub.store import ComplaintData, write_complaints

AGENCY, OTHER = "dinas-a", "dinas-b"
WRITES_PER_THREAD = 120


def _complaint(cid: str, tid: int, agency: str, status: str = "baru") -> ComplaintData:
    return ComplaintData(id=cid, tracking_id=tid, title=f"Laporan {tid}", body="Isi. " * 20,
                         agency_id=agency, classification="pengaduan", channel="web",
                         status=status, created_at="2026-10-01T01:00:00+00:00",
                         updated_at="2026-10-01T01:00:00+00:00")


def test_reader_never_skips_a_change(hub_db: str) -> None:
    engine = db.make_engine(hub_db)
    db.init_db(engine)
    with db.write_tx(engine) as conn:
        for a in (AGENCY, OTHER):
            conn.execute(db.agencies.insert().values(id=a, name=a, kind="opd", parent_id=None))
    who = Principal("u", "u", "U", "officer", AGENCY, AGENCY)
    pause = "SELECT pg_sleep(:s)" if engine.dialect.name == "postgresql" else None

    created: set[str] = set()
    lock = threading.Lock()
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(n: int) -> None:
        rng = random.Random(n)
        mine: list[str] = []
        try:
            for i in range(WRITES_PER_THREAD):
                tid = 1_000_000 + n * 10_000 + i
                if mine and i % 5 == 4:  # update one of ours
                    cid = rng.choice(mine)
                    item = _complaint(cid, 0, AGENCY, "diverifikasi")
                elif mine and i % 7 == 6:  # re-route one away
                    cid = mine.pop(rng.randrange(len(mine)))
                    item = _complaint(cid, 0, OTHER)
                else:
                    cid = str(uuid.uuid4())
                    mine.append(cid)
                    item = _complaint(cid, tid, AGENCY)
                    with lock:
                        created.add(cid)
                with db.write_tx(engine) as conn:
                    if item.tracking_id == 0:
                        item.tracking_id = int(conn.execute(
                            text("SELECT tracking_id FROM complaints WHERE id = :i"),
                            {"i": item.id}).scalar_one())
                    write_complaints(conn, [item])
                    if pause:  # hold the counter row lock past the seq bump
                        conn.execute(text(pause), {"s": rng.random() * 0.004})
        except BaseException as exc:
            errors.append(exc)

    state: dict[str, int] = {}
    ever_seen: set[str] = set()
    cursor: str | None = None

    def pull() -> bool:
        nonlocal cursor
        page = read_page(engine, who, cursor, 16 * 1024)
        body: dict[str, Any] = json.loads(gzip.decompress(page.body))
        for doc in body["complaints"]:
            assert doc["version"] >= state.get(doc["id"], 0), "a version went backwards"
            state[doc["id"]] = doc["version"]
            ever_seen.add(doc["id"])
        for cid in body["removed"]:
            state.pop(cid, None)
            ever_seen.add(cid)  # created and re-routed before this reader looked
        cursor = body["cursor"]
        return bool(body["has_more"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()

    def join() -> None:
        for t in threads:
            t.join()
        done.set()

    joiner = threading.Thread(target=join)
    joiner.start()
    polls = 0
    while not done.is_set():
        pull()
        polls += 1
    joiner.join()
    while pull():
        pass
    engine_rows = _server_state(engine)
    engine.dispose()
    assert not errors, errors
    assert polls > 1
    assert ever_seen == created  # nothing ever skipped (as a doc or as a removal)
    assert state == engine_rows  # converged to the server's view


def _server_state(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, version FROM complaints WHERE agency_id = :a"),
                            {"a": AGENCY})
        return {str(r[0]): int(r[1]) for r in rows}


MARKS_PER_THREAD = 150


def test_read_marks_reach_the_users_devices_in_commit_order(hub_db: str) -> None:
    """Two devices of one user mark complaints read/unread concurrently; a third device
    polling the feed never skips a mark (a later seq is never visible before an earlier one
    is committed) and ends with exactly the server's marks."""
    from lapor_hub.commands import record_read_mark

    engine = db.make_engine(hub_db)
    db.init_db(engine)
    ids = [str(uuid.uuid4()) for _ in range(2 * MARKS_PER_THREAD)]
    with db.write_tx(engine) as conn:
        conn.execute(db.agencies.insert().values(id=AGENCY, name=AGENCY, kind="opd",
                                                 parent_id=None))
        write_complaints(conn, [_complaint(cid, 2_000_000 + i, AGENCY)
                                for i, cid in enumerate(ids)])
    who = Principal("u", "u", "U", "officer", AGENCY, AGENCY)
    pause = "SELECT pg_sleep(:s)" if engine.dialect.name == "postgresql" else None
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rng = random.Random(n)
        try:
            # Each mark on a complaint of its own: a mark the reader skipped would never be
            # superseded, so it would be missing for good.
            for i, cid in enumerate(ids[n::2]):
                with db.write_tx(engine) as conn:
                    record_read_mark(conn, "u", cid, rng.random() < 0.5, None,
                                     f"2026-11-24T00:00:{i % 60:02d}+00:00")
                    if pause:  # hold the user's counter row lock past the bump
                        conn.execute(text(pause), {"s": rng.random() * 0.004})
        except BaseException as exc:
            errors.append(exc)

    seen: dict[str, bool] = {}
    cursor: str | None = None

    def pull() -> bool:
        nonlocal cursor
        body = json.loads(gzip.decompress(read_page(engine, who, cursor, 16 * 1024).body))
        for mark in body["read_marks"]:
            seen[mark["complaint_id"]] = mark["read"]
        cursor = body["cursor"]
        return bool(body["has_more"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    polls = 0
    while any(t.is_alive() for t in threads):
        pull()
        polls += 1
    for t in threads:
        t.join()
    while pull():
        pass
    with engine.connect() as conn:
        server = {str(r[0]): bool(r[1]) for r in conn.execute(text(
            "SELECT complaint_id, read FROM read_marks WHERE user_id = 'u'"))}
        top = conn.execute(text("SELECT seq FROM user_seq WHERE user_id = 'u'")).scalar_one()
    engine.dispose()
    assert not errors, errors
    assert polls > 1 and int(top) == 2 * MARKS_PER_THREAD  # gap-free, one per mark
    assert len(server) == len(ids) and seen == server  # nothing skipped, converged
