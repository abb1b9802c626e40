"""Complaint writes and the per-agency change sequence.

Every complaint write runs inside the caller's transaction and, for each agency that can see
the complaint (primary + copies) or just lost it, bumps that agency's counter row with
``UPDATE agency_seq … RETURNING seq`` and upserts the ``stream`` row. The counter row lock
serialises writers of one agency, so seq order equals commit order and a reader polling
``seq > n`` never skips a change. Writes are batched: one counter bump per agency per batch.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from lapor_desk.sync.protocol import ComplaintDoc, ResponseDoc
from lapor_hub import db

_CHUNK = 500
# Response states shown in the doc; "published" ones are followup thread entries, "withdrawn"
# ones belonged to an agency the complaint was re-routed away from.
UNDER_REVIEW = ("draft", "submitted", "returned", "approved")


@dataclass(slots=True)
class ThreadData:
    id: str
    kind: str
    author: str
    body: str
    created_at: str


@dataclass(slots=True)
class AttachmentData:
    id: str
    name: str
    size: int
    sha256: str
    mime: str | None = None


@dataclass(slots=True)
class ComplaintData:
    """A complaint's full server state (times are ISO 8601 UTC strings)."""

    id: str
    tracking_id: int
    title: str
    body: str
    agency_id: str
    classification: str
    channel: str
    status: str
    created_at: str
    updated_at: str
    is_anonymous: bool = False
    is_confidential: bool = False
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None
    incident_date: str | None = None
    province: str | None = None
    regency: str | None = None
    district: str | None = None
    category_id: str | None = None
    priority: str = "normal"
    tags: list[str] = field(default_factory=list)
    assignee_id: str | None = None
    due_at: str | None = None
    resolution_due_at: str | None = None
    copy_agency_ids: list[str] = field(default_factory=list)
    thread: list[ThreadData] = field(default_factory=list)
    attachments: list[AttachmentData] = field(default_factory=list)
    # Stored in their own tables (``responses``, ``complaint_flags``), which are the truth:
    # ``write_complaints`` reloads both for complaints that already exist.
    responses: list[ResponseDoc] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


REPORTER_AUTHOR = "Pelapor"


def _author(c: ComplaintData, t: ThreadData) -> str:
    """An anonymous reporter's replies carry no name, whatever imported data put there."""
    return REPORTER_AUTHOR if c.is_anonymous and t.kind == "comment" else t.author


def build_doc(c: ComplaintData, version: int) -> ComplaintDoc:
    """The agency view of a complaint. An anonymous reporter's identity is never included."""
    reporter = None if c.is_anonymous else {
        "name": c.reporter_name, "phone": c.reporter_phone, "email": c.reporter_email}
    thread = sorted(c.thread, key=lambda t: (t.created_at, t.id))
    return {
        "id": c.id,
        "tracking_id": c.tracking_id,
        "version": version,
        "title": c.title,
        "body": c.body,
        "incident_date": c.incident_date,
        "location": {"province": c.province, "regency": c.regency, "district": c.district},
        "category_id": c.category_id,
        "classification": c.classification,
        "channel": c.channel,
        "is_anonymous": c.is_anonymous,
        "is_confidential": c.is_confidential,
        "reporter": reporter,  # type: ignore[typeddict-item]
        "agency_id": c.agency_id,
        "copy_agency_ids": sorted(set(c.copy_agency_ids) - {c.agency_id}),
        "status": c.status,
        "priority": c.priority,
        "tags": list(c.tags),
        "assignee_id": c.assignee_id,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "due_at": c.due_at,
        "resolution_due_at": c.resolution_due_at,
        "thread": [{"id": t.id, "kind": t.kind, "author": _author(c, t), "body": t.body,
                    "created_at": t.created_at} for t in thread],
        "attachments": [{"id": a.id, "name": a.name, "size": a.size, "sha256": a.sha256,
                         "mime": a.mime} for a in c.attachments],
        "responses": sorted(c.responses, key=lambda r: (r["updated_at"], r["id"])),
        "flags": sorted(set(c.flags)),
    }


def response_doc(r: Any) -> ResponseDoc:
    """A ``responses`` row as it travels in the complaint doc."""
    return {"id": r["id"], "author_id": r["author_id"], "author_name": r["author_name"],
            "body": r["body"], "version": int(r["version"]), "text_sha256": r["text_sha256"],
            "state": r["state"], "note": r["note"], "reviewer_id": r["reviewer_id"],
            "updated_at": r["updated_at"], "published_at": r["published_at"]}


def load_extras(conn: Connection, ids: Sequence[str]
                ) -> tuple[dict[str, list[ResponseDoc]], dict[str, list[str]]]:
    """Unpublished responses and flags of the given complaints (missing ids map to [])."""
    resp: dict[str, list[ResponseDoc]] = {i: [] for i in ids}
    flags: dict[str, list[str]] = {i: [] for i in ids}
    for chunk in _chunks(list(ids)):
        for r in conn.execute(select(db.responses)
                              .where(db.responses.c.complaint_id.in_(chunk),
                                     db.responses.c.state.in_(UNDER_REVIEW))).mappings():
            resp[r["complaint_id"]].append(response_doc(r))
        for cid, flag in conn.execute(
                select(db.complaint_flags.c.complaint_id, db.complaint_flags.c.flag)
                .where(db.complaint_flags.c.complaint_id.in_(chunk))):
            flags[cid].append(flag)
    return resp, flags


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def bump_agency_seqs(conn: Connection, counts: dict[str, int]) -> dict[str, int]:
    """Reserve ``counts[a]`` consecutive seqs per agency; return the first seq of each range.

    Agencies are locked in sorted order so concurrent writers never deadlock.
    """
    db.insert_or_ignore(conn, db.agency_seq,
                        [{"agency_id": a, "seq": 0} for a in sorted(counts)], ["agency_id"])
    first: dict[str, int] = {}
    for agency in sorted(counts):
        n = counts[agency]
        end = conn.execute(
            update(db.agency_seq).where(db.agency_seq.c.agency_id == agency)
            .values(seq=db.agency_seq.c.seq + n).returning(db.agency_seq.c.seq)).scalar_one()
        first[agency] = int(end) - n + 1
    return first


def _complaint_row(c: ComplaintData, version: int, doc: str) -> dict[str, Any]:
    return {
        "id": c.id, "tracking_id": c.tracking_id, "version": version, "title": c.title,
        "body": c.body, "incident_date": c.incident_date, "province": c.province,
        "regency": c.regency, "district": c.district, "category_id": c.category_id,
        "classification": c.classification, "channel": c.channel,
        "is_anonymous": c.is_anonymous, "is_confidential": c.is_confidential,
        "reporter_name": c.reporter_name, "reporter_phone": c.reporter_phone,
        "reporter_email": c.reporter_email, "agency_id": c.agency_id, "status": c.status,
        "priority": c.priority, "tags": json.dumps(c.tags, ensure_ascii=False),
        "assignee_id": c.assignee_id, "created_at": c.created_at, "updated_at": c.updated_at,
        "due_at": c.due_at, "resolution_due_at": c.resolution_due_at, "doc": doc,
    }


@dataclass(slots=True)
class WriteResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    seqs: dict[str, list[int]] = field(default_factory=dict)  # agency -> seqs assigned


def write_complaints(conn: Connection, items: Sequence[ComplaintData], *,
                     merge_thread: bool = True) -> WriteResult:
    """Insert or replace complaints (by id) inside the caller's transaction.

    Existing complaints get ``version + 1``. Thread entries are append-only: with
    ``merge_thread`` the stored entries are kept and new ids added (the doc shows the union);
    attachments and copies are replaced by the given ones.
    """
    result = WriteResult()
    if not items:
        return result
    by_id = {c.id: c for c in items}
    if len(by_id) != len(items):
        raise ValueError("duplicate complaint id in one batch")
    ids = list(by_id)
    old_version: dict[str, int] = {}
    old_visible: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        q = (select(db.complaints.c.id, db.complaints.c.version, db.complaints.c.agency_id)
             .where(db.complaints.c.id.in_(chunk)))
        if conn.dialect.name == "postgresql":
            q = q.with_for_update()  # two writers of one complaint must not share a version
        for cid, ver, agency in conn.execute(q):
            old_version[cid] = int(ver)
            old_visible[cid].add(agency)
    existing = list(old_version)
    if existing:
        extra_resp, extra_flags = load_extras(conn, existing)
        for cid in existing:
            by_id[cid].responses = extra_resp[cid]
            by_id[cid].flags = extra_flags[cid]
        for chunk in _chunks(existing):
            for cid, agency in conn.execute(
                    select(db.complaint_copies.c.complaint_id, db.complaint_copies.c.agency_id)
                    .where(db.complaint_copies.c.complaint_id.in_(chunk))):
                old_visible[cid].add(agency)
            if merge_thread:
                stored = conn.execute(
                    select(db.thread_entries).where(db.thread_entries.c.complaint_id.in_(chunk)))
                known = {(c.id, t.id) for c in items for t in c.thread}
                for entry in stored.mappings():
                    c = by_id[entry["complaint_id"]]
                    if (c.id, entry["id"]) not in known:
                        c.thread.append(ThreadData(entry["id"], entry["kind"], entry["author"],
                                                   entry["body"], entry["created_at"]))
            conn.execute(delete(db.complaint_copies)
                         .where(db.complaint_copies.c.complaint_id.in_(chunk)))
            conn.execute(delete(db.attachments).where(db.attachments.c.complaint_id.in_(chunk)))
            conn.execute(delete(db.thread_entries)
                         .where(db.thread_entries.c.complaint_id.in_(chunk)))

    new_rows: list[dict[str, Any]] = []
    upd_rows: list[dict[str, Any]] = []
    thread_rows: list[dict[str, Any]] = []
    att_rows: list[dict[str, Any]] = []
    copy_rows: list[dict[str, Any]] = []
    stream_items: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for c in items:
        version = old_version.get(c.id, 0) + 1
        doc = json.dumps(build_doc(c, version), ensure_ascii=False, separators=(",", ":"))
        row = _complaint_row(c, version, doc)
        if c.id in old_version:
            upd_rows.append(row)
            result.updated.append(c.id)
        else:
            new_rows.append(row)
            result.created.append(c.id)
        copies = sorted(set(c.copy_agency_ids) - {c.agency_id})
        copy_rows.extend({"complaint_id": c.id, "agency_id": a} for a in copies)
        thread_rows.extend({"id": t.id, "complaint_id": c.id, "kind": t.kind, "author": t.author,
                            "body": t.body, "created_at": t.created_at} for t in c.thread)
        att_rows.extend({"id": a.id, "complaint_id": c.id, "name": a.name, "size": a.size,
                         "sha256": a.sha256, "mime": a.mime} for a in c.attachments)
        visible = {c.agency_id, *copies}
        for agency in visible:
            stream_items[agency].append((c.id, False))
        for agency in old_visible.get(c.id, set()) - visible:
            stream_items[agency].append((c.id, True))

    if new_rows:
        conn.execute(db.complaints.insert(), new_rows)
    if upd_rows:
        cols = [k for k in upd_rows[0] if k != "id"]
        db.upsert(conn, db.complaints, upd_rows, ["id"], cols)
    if copy_rows:
        conn.execute(db.complaint_copies.insert(), copy_rows)
    if thread_rows:
        conn.execute(db.thread_entries.insert(), thread_rows)
    if att_rows:
        conn.execute(db.attachments.insert(), att_rows)

    first = bump_agency_seqs(conn, {a: len(v) for a, v in stream_items.items()})
    stream_rows: list[dict[str, Any]] = []
    for agency, entries in stream_items.items():
        seqs = list(range(first[agency], first[agency] + len(entries)))
        result.seqs[agency] = seqs
        stream_rows.extend({"agency_id": agency, "complaint_id": cid, "seq": s, "removed": rm}
                           for (cid, rm), s in zip(entries, seqs, strict=True))
    db.upsert(conn, db.stream, stream_rows, ["agency_id", "complaint_id"], ["seq", "removed"])
    return result


def _complaint_from_row(r: RowMapping) -> ComplaintData:
    """The scalar columns of a complaints row; copies, thread and attachments are added after."""
    return ComplaintData(
        id=r["id"], tracking_id=int(r["tracking_id"]), title=r["title"], body=r["body"],
        agency_id=r["agency_id"], classification=r["classification"],
        channel=r["channel"], status=r["status"], created_at=r["created_at"],
        updated_at=r["updated_at"], is_anonymous=bool(r["is_anonymous"]),
        is_confidential=bool(r["is_confidential"]), reporter_name=r["reporter_name"],
        reporter_phone=r["reporter_phone"], reporter_email=r["reporter_email"],
        incident_date=r["incident_date"], province=r["province"], regency=r["regency"],
        district=r["district"], category_id=r["category_id"], priority=r["priority"],
        tags=list(json.loads(r["tags"])), assignee_id=r["assignee_id"],
        due_at=r["due_at"], resolution_due_at=r["resolution_due_at"])


def load_complaints(conn: Connection, ids: Sequence[str]) -> list[ComplaintData]:
    """The stored state of complaints (missing ids are skipped), ready to edit and re-write.

    ``c = load_complaints(conn, [cid])[0]; c.agency_id = "other"; write_complaints(conn, [c])``
    re-routes a complaint: the old agency's stream gets ``removed``, the new one the doc.
    """
    out: dict[str, ComplaintData] = {}
    for chunk in _chunks(list(ids)):
        for r in conn.execute(select(db.complaints).where(db.complaints.c.id.in_(chunk))
                              ).mappings():
            out[r["id"]] = _complaint_from_row(r)
        for cid, agency in conn.execute(
                select(db.complaint_copies.c.complaint_id, db.complaint_copies.c.agency_id)
                .where(db.complaint_copies.c.complaint_id.in_(chunk))):
            out[cid].copy_agency_ids.append(agency)
        for t in conn.execute(select(db.thread_entries)
                              .where(db.thread_entries.c.complaint_id.in_(chunk))).mappings():
            out[t["complaint_id"]].thread.append(ThreadData(
                t["id"], t["kind"], t["author"], t["body"], t["created_at"]))
        for a in conn.execute(select(db.attachments)
                              .where(db.attachments.c.complaint_id.in_(chunk))).mappings():
            out[a["complaint_id"]].attachments.append(AttachmentData(
                a["id"], a["name"], int(a["size"]), a["sha256"], a["mime"]))
    if out:
        extra_resp, extra_flags = load_extras(conn, list(out))
        for cid, c in out.items():
            c.responses, c.flags = extra_resp[cid], extra_flags[cid]
    return [out[i] for i in ids if i in out]


# ------------------------------------------------------------------------------------------
# One complaint per command (the push path): prebuilt statements, only what changed written
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snapshot:
    """What ``load_one`` read, so ``save_one`` writes only the difference."""

    version: int
    agency_id: str
    copies: tuple[str, ...]
    thread_ids: frozenset[str]
    attachments: tuple[tuple[str, str, int, str, str | None], ...]


def _att_key(a: AttachmentData) -> tuple[str, str, int, str, str | None]:
    return (a.id, a.name, a.size, a.sha256, a.mime)


_C, _T, _A, _K = db.complaints, db.thread_entries, db.attachments, db.complaint_copies
_R, _F = db.responses, db.complaint_flags
_ONE = select(_C).where(_C.c.id == bindparam("cid"))
_ONE_LOCKED = _ONE.with_for_update()
_ONE_COPIES = select(_K.c.agency_id).where(_K.c.complaint_id == bindparam("cid"))
_ONE_THREAD = select(_T).where(_T.c.complaint_id == bindparam("cid"))
_ONE_ATTS = select(_A).where(_A.c.complaint_id == bindparam("cid"))
_ONE_RESP = select(_R).where(_R.c.complaint_id == bindparam("cid"),
                             _R.c.state.in_(UNDER_REVIEW))
_ONE_FLAGS = select(_F.c.flag).where(_F.c.complaint_id == bindparam("cid"))
_UPD_COMPLAINT = update(_C).where(_C.c.id == bindparam("_cid"))
_DEL_COPIES = delete(_K).where(_K.c.complaint_id == bindparam("cid"))
_DEL_ATTS = delete(_A).where(_A.c.complaint_id == bindparam("cid"))
_INS_THREAD = _T.insert()
_INS_COPIES = _K.insert()
_INS_ATTS = _A.insert()
_BUMP = (update(db.agency_seq).where(db.agency_seq.c.agency_id == bindparam("agency"))
         .values(seq=db.agency_seq.c.seq + 1).returning(db.agency_seq.c.seq))
_STREAM_UPSERT: dict[str, Any] = {}


def _stream_upsert(conn: Connection) -> Any:
    name = conn.dialect.name
    stmt = _STREAM_UPSERT.get(name)
    if stmt is None:
        ins = (postgresql.insert(db.stream) if name == "postgresql"
               else sqlite.insert(db.stream))
        stmt = ins.on_conflict_do_update(
            index_elements=["agency_id", "complaint_id"],
            set_={"seq": ins.excluded.seq, "removed": ins.excluded.removed})
        _STREAM_UPSERT[name] = stmt
    return stmt


def load_one(conn: Connection, complaint_id: str) -> tuple[ComplaintData, Snapshot] | None:
    """One complaint, its row locked (PostgreSQL; SQLite writers are serialised), and a
    snapshot for ``save_one``. The same data as ``load_complaints([id])``."""
    p = {"cid": complaint_id}
    r = conn.execute(_ONE_LOCKED if conn.dialect.name == "postgresql" else _ONE,
                     p).mappings().first()
    if r is None:
        return None
    c = _complaint_from_row(r)
    c.copy_agency_ids = [str(a) for a in conn.execute(_ONE_COPIES, p).scalars()]
    c.thread = [ThreadData(t["id"], t["kind"], t["author"], t["body"], t["created_at"])
                for t in conn.execute(_ONE_THREAD, p).mappings()]
    c.attachments = [AttachmentData(a["id"], a["name"], int(a["size"]), a["sha256"], a["mime"])
                     for a in conn.execute(_ONE_ATTS, p).mappings()]
    c.responses = [response_doc(x) for x in conn.execute(_ONE_RESP, p).mappings()]
    c.flags = [str(f) for f in conn.execute(_ONE_FLAGS, p).scalars()]
    snap = Snapshot(int(r["version"]), c.agency_id,
                    tuple(sorted(set(c.copy_agency_ids) - {c.agency_id})),
                    frozenset(t.id for t in c.thread),
                    tuple(_att_key(a) for a in c.attachments))
    return c, snap


def save_one(conn: Connection, c: ComplaintData, snap: Snapshot) -> int:
    """Write one complaint loaded by ``load_one`` (in the same transaction): version + 1, the
    doc rebuilt, new thread entries appended (never a rewrite), copies and attachments only
    when they changed, one seq bump per agency that sees it (or just lost it). The same
    result as ``write_complaints([c])``; returns the new version."""
    p = {"cid": c.id}
    # Responses and flags live in their own tables, which the command may have changed.
    c.responses = [response_doc(x) for x in conn.execute(_ONE_RESP, p).mappings()]
    c.flags = [str(f) for f in conn.execute(_ONE_FLAGS, p).scalars()]
    version = snap.version + 1
    doc = json.dumps(build_doc(c, version), ensure_ascii=False, separators=(",", ":"))
    row = _complaint_row(c, version, doc)
    row["_cid"] = row.pop("id")
    conn.execute(_UPD_COMPLAINT, row)
    new_thread = [{"id": t.id, "complaint_id": c.id, "kind": t.kind, "author": t.author,
                   "body": t.body, "created_at": t.created_at}
                  for t in c.thread if t.id not in snap.thread_ids]
    if new_thread:
        conn.execute(_INS_THREAD, new_thread)
    copies = tuple(sorted(set(c.copy_agency_ids) - {c.agency_id}))
    if copies != snap.copies or c.agency_id != snap.agency_id:
        conn.execute(_DEL_COPIES, p)
        if copies:
            conn.execute(_INS_COPIES, [{"complaint_id": c.id, "agency_id": a} for a in copies])
    if tuple(_att_key(a) for a in c.attachments) != snap.attachments:
        conn.execute(_DEL_ATTS, p)
        if c.attachments:
            conn.execute(_INS_ATTS, [{"id": a.id, "complaint_id": c.id, "name": a.name,
                                      "size": a.size, "sha256": a.sha256, "mime": a.mime}
                                     for a in c.attachments])
    visible = {c.agency_id, *copies}
    before = {snap.agency_id, *snap.copies}
    stream_rows: list[dict[str, Any]] = []
    # Agencies in sorted order (as bump_agency_seqs) so concurrent writers never deadlock.
    for agency in sorted(visible | before):
        seq = conn.execute(_BUMP, {"agency": agency}).scalar()
        if seq is None:
            seq = bump_agency_seqs(conn, {agency: 1})[agency]
        stream_rows.append({"agency_id": agency, "complaint_id": c.id, "seq": int(seq),
                            "removed": agency not in visible})
    conn.execute(_stream_upsert(conn), stream_rows)
    return version
