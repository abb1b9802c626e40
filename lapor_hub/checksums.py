"""Verify: per-bucket checksums of a caller's scope, bucket listings and complaints by id.

The scope is exactly what the caller's changes feed delivers: complaints whose stream row for
the caller's agency is not removed, as the primary agency ("p") or a copy agency ("c"), with
the feed's redaction for copies. Each answer is computed in ONE snapshot (PostgreSQL
``REPEATABLE READ``; a SQLite read transaction is a snapshot already) together with the feed
position it describes, the highest stream seq of the agency. It is only meaningful for a
client whose cursor is at that position: otherwise ``at_head`` is false and nothing else is
sent, so a concurrent write can never make a client "repair" into a wrong state.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from lapor_desk.sync import protocol as p
from lapor_hub import db
from lapor_hub.auth import Principal
from lapor_hub.feed import copy_view, decode_cursor


@contextmanager
def snapshot_tx(engine: Engine) -> Iterator[Connection]:
    """A read transaction whose statements all see the same committed state."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # READ COMMITTED (the default) gives each statement its own snapshot.
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _head(conn: Connection, scope: str) -> int:
    value = conn.execute(select(func.max(db.stream.c.seq))
                         .where(db.stream.c.agency_id == scope)).scalar()
    return int(value or 0)


def _position(conn: Connection, who: Principal, cursor: str | None) -> tuple[str, int, bool]:
    """(epoch, head, at_head) for the caller's cursor; a bad cursor raises ResetRequired."""
    meta = db.get_meta(conn)
    pos = decode_cursor(meta["hmac_secret"], meta["epoch"], who.agency_id, cursor)
    head = _head(conn, who.agency_id)
    return meta["epoch"], head, pos.positions.get(who.agency_id, 0) >= head


def _scope_items(conn: Connection, scope: str) -> Iterator[tuple[str, int, str]]:
    st, cp = db.stream, db.complaints
    rows = conn.execute(
        select(cp.c.id, cp.c.version, cp.c.agency_id)
        .select_from(st.join(cp, cp.c.id == st.c.complaint_id))
        .where(st.c.agency_id == scope, st.c.removed.is_(False)))
    for cid, version, primary in rows:
        yield str(cid), int(version), p.SCOPE_PRIMARY if primary == scope else p.SCOPE_COPY


def checksums(engine: Engine, who: Principal, cursor: str | None) -> dict[str, Any]:
    with snapshot_tx(engine) as conn:
        epoch, head, at_head = _position(conn, who, cursor)
        sums: list[str] = []
        counts: list[int] = []
        if at_head:
            raw_sums, counts = p.bucket_sums(_scope_items(conn, who.agency_id))
            sums = [f"{s:016x}" for s in raw_sums]
    return {"protocol": p.PROTOCOL_VERSION, "epoch": epoch, "position": head,
            "at_head": at_head, "sums": sums, "counts": counts}


def listing(engine: Engine, who: Principal, cursor: str | None,
            buckets: Collection[int]) -> dict[str, Any]:
    wanted = frozenset(buckets)
    with snapshot_tx(engine) as conn:
        _epoch, head, at_head = _position(conn, who, cursor)
        items: list[list[Any]] = []
        if at_head:
            items = [[cid, version, kind] for cid, version, kind
                     in _scope_items(conn, who.agency_id) if p.bucket_of(cid) in wanted]
    return {"position": head, "at_head": at_head, "items": items}


def fetch(engine: Engine, who: Principal, cursor: str | None,
          ids: Collection[str]) -> str:
    """The asked complaints as the feed would send them now (JSON text of a changes page
    plus ``position``/``at_head``); ``removed``: the asked ids that are not in scope."""
    scope = who.agency_id
    st, cp = db.stream, db.complaints
    wanted = list(dict.fromkeys(ids))
    with snapshot_tx(engine) as conn:
        epoch, head, at_head = _position(conn, who, cursor)
        docs: list[str] = []
        removed: list[str] = []
        if at_head and wanted:
            found: dict[str, str] = {}
            rows = conn.execute(
                select(cp.c.id, cp.c.doc, cp.c.agency_id)
                .select_from(st.join(cp, cp.c.id == st.c.complaint_id))
                .where(st.c.agency_id == scope, st.c.removed.is_(False),
                       st.c.complaint_id.in_(wanted)))
            for cid, doc, primary in rows:
                found[str(cid)] = doc if primary == scope else copy_view(doc)
            docs = [found[i] for i in wanted if i in found]
            removed = [i for i in wanted if i not in found]
    head_json = json.dumps({"protocol": p.PROTOCOL_VERSION, "epoch": epoch,
                            "cursor": cursor or "", "has_more": False, "reference": None,
                            "removed": removed, "remaining": 0, "position": head,
                            "at_head": at_head}, ensure_ascii=False, separators=(",", ":"))
    # The stored docs are JSON text already: splice them in rather than parse and re-dump.
    return head_json[:-1] + ',"complaints":[' + ",".join(docs) + "]}"
