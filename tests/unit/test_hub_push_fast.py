"""The push path's one-complaint write (``store.save_one``) leaves exactly what the general
write path (``store.write_complaints``) would: the stored doc, the thread, the copies and one
stream bump per agency that sees the complaint (in-process, SQLite)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lapor_hub import db
from lapor_hub.auth import Principal
from lapor_hub.commands import admin_act, push
from lapor_hub.seed import seed
from lapor_hub.store import build_doc, load_complaints

DPUPR = "dpupr-kab-semarang"
DUKCAPIL = "disdukcapil-kota-semarang"


def _rebuilt(conn: Any, cid: str) -> dict[str, Any]:
    c = load_complaints(conn, [cid])[0]
    version = conn.execute(select(db.complaints.c.version)
                           .where(db.complaints.c.id == cid)).scalar_one()
    doc: dict[str, Any] = json.loads(json.dumps(build_doc(c, int(version))))
    return doc


def test_save_one_matches_the_general_write_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url, complaints=30, seed=9)
    engine = db.make_engine(url)
    try:
        with db.read_tx(engine) as conn:
            u = conn.execute(select(db.users).where(db.users.c.username == "officer")
                             ).mappings().one()
            cid = conn.execute(select(db.complaints.c.id).where(
                db.complaints.c.agency_id == DPUPR,
                db.complaints.c.status == "didisposisikan")).scalars().first()
            assert cid is not None
            threads_before = len(load_complaints(conn, [cid])[0].thread)
            seq_before = dict(conn.execute(select(db.agency_seq.c.agency_id,
                                                  db.agency_seq.c.seq)).all())
        who = Principal(u["id"], "officer", u["display_name"], u["role"], u["agency_id"], "x")
        note, rid = str(uuid.uuid4()), str(uuid.uuid4())
        cmds = [
            {"op_id": str(uuid.uuid4()), "seq": 1, "kind": "complaint.note",
             "complaint_id": cid, "base_version": None, "created_at": "2026-01-05T09:00:00Z",
             "payload": {"entry_id": note, "body": "catatan"}},
            {"op_id": str(uuid.uuid4()), "seq": 2, "kind": "response.save",
             "complaint_id": cid, "base_version": None, "created_at": "2026-01-05T09:00:00Z",
             "payload": {"response_id": rid, "body": "draf", "base_response_version": 0,
                         "base_body": None}},
        ]
        result = push(engine, who, "dev-fast", cmds)
        assert [o["status"] for o in result.outcomes] == ["applied", "applied"]
        # A re-route with a copy: the old agency's stream row says removed, two others bumped.
        admin_act(engine, "reroute", cid, to=DUKCAPIL, copies=["kab-semarang"])
        with db.read_tx(engine) as conn:
            stored = json.loads(conn.execute(select(db.complaints.c.doc)
                                             .where(db.complaints.c.id == cid)).scalar_one())
            assert stored == _rebuilt(conn, cid)
            ids = [t["id"] for t in stored["thread"]]
            assert note in ids and len(ids) == len(set(ids)) >= threads_before + 1
            assert [r["id"] for r in stored["responses"]] == []  # withdrawn by the re-route
            assert stored["copy_agency_ids"] == ["kab-semarang"]
            seqs = dict(conn.execute(select(db.agency_seq.c.agency_id,
                                            db.agency_seq.c.seq)).all())
            stream = {a: (s, rm) for a, s, rm in conn.execute(
                select(db.stream.c.agency_id, db.stream.c.seq, db.stream.c.removed)
                .where(db.stream.c.complaint_id == cid))}
            # Three writes for DPUPR (the last one removes it), one for each new agency.
            assert stored["agency_id"] == DUKCAPIL
            assert seqs[DPUPR] == seq_before[DPUPR] + 3
            assert stream[DPUPR] == (seqs[DPUPR], True)
            assert stream[DUKCAPIL] == (seqs[DUKCAPIL], False)
            assert stream["kab-semarang"] == (seqs["kab-semarang"], False)
    finally:
        engine.dispose()
