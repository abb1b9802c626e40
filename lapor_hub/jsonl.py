"""Import and export of complaints as JSON Lines.

Import is idempotent by ``id``: a known id is updated (new version), never duplicated. Each
line is checked on its own; a bad line is reported with its number and reason and nothing of
it is written, while good lines are written in batches (a failing batch is retried line by
line so one bad line never takes good ones with it). Text is stored as text (HTML, RTL marks);
NUL characters, lone surrogates and invalid UTF-8 are rejected with a reason.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from lapor_desk.models.domain import CHANNELS, Classification, Status, ThreadKind
from lapor_desk.sync.protocol import (
    MAX_ATTACHMENTS,
    MAX_BODY_CHARS,
    MAX_THREAD_ENTRIES,
    MAX_TITLE_CHARS,
)
from lapor_hub import db, seeddata
from lapor_hub.store import (
    AttachmentData,
    ComplaintData,
    ThreadData,
    build_doc,
    load_extras,
    write_complaints,
)

MAX_LINE_BYTES = 8 * 1024 * 1024
_BATCH = 500
_AGENCY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_SHORT = 1_000  # names, authors, places


class BadLine(Exception):
    """The reason a line was rejected (never contains the line's text)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def _iter_lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) with overlong lines as None; a partial last line is kept."""
    n = 0
    while True:
        chunk = fh.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        n += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while True:  # skip the rest of the long line without holding it
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, chunk


def _text(obj: dict[str, Any], key: str, *, required: bool = False, limit: int = _SHORT,
          allow_empty: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise BadLine(f"missing field '{key}'")
        return None
    if not isinstance(value, str):
        raise BadLine(f"field '{key}' must be a string")
    if not value.strip() and required and not allow_empty:
        raise BadLine(f"field '{key}' is empty")
    if len(value) > limit:
        raise BadLine(f"field '{key}' is longer than {limit} characters")
    if "\x00" in value:
        raise BadLine(f"field '{key}' contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadLine(f"field '{key}' contains invalid Unicode (lone surrogate)") from exc
    return value


def _bool(obj: dict[str, Any], key: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise BadLine(f"field '{key}' must be true or false")
    return value


def _time(obj: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = _text(obj, key, required=required, limit=64)
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadLine(f"field '{key}' is not an ISO 8601 time") from exc
    if dt.tzinfo is None:
        raise BadLine(f"field '{key}' has no UTC offset")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _uuid(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise BadLine(f"{what} must be a UUID string")
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise BadLine(f"{what} is not a valid UUID") from exc


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadLine(f"{what} must be an object")
    return value


def _list(obj: dict[str, Any], key: str, limit: int) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadLine(f"field '{key}' must be a list")
    if len(value) > limit:
        raise BadLine(f"field '{key}' has more than {limit} items")
    return value


@dataclass
class Parsed:
    complaint: ComplaintData
    category: str | None  # slug or path as given


def parse_line(raw: bytes) -> Parsed | None:
    """Validate one line; None for a blank line. Raises ``BadLine``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"invalid UTF-8 at byte {exc.start}") from exc
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise BadLine("JSON nested too deeply") from exc
    obj = _obj(obj, "the line")
    cid = _uuid(obj.get("id"), "field 'id'")
    tid = obj.get("tracking_id")
    if tid is not None and (isinstance(tid, bool) or not isinstance(tid, int)
                            or not 0 < tid < 10**15):
        raise BadLine("field 'tracking_id' must be a positive integer")
    title = _text(obj, "title", required=True, limit=MAX_TITLE_CHARS)
    body = _text(obj, "body", required=True, limit=MAX_BODY_CHARS, allow_empty=True)
    category = _text(obj, "category", limit=_SHORT)
    classification = _text(obj, "classification", required=True, limit=40)
    if classification not in set(Classification):
        raise BadLine("field 'classification' has an unknown value")
    channel = _text(obj, "channel", limit=40) or "other"
    if channel not in CHANNELS:
        raise BadLine("field 'channel' has an unknown value")
    status = _text(obj, "status", required=True, limit=40)
    if status not in set(Status):
        raise BadLine("field 'status' has an unknown value")
    agency = _text(obj, "agency_id", required=True, limit=100)
    assert agency is not None and title is not None and body is not None
    if not _AGENCY_RE.match(agency):
        raise BadLine("field 'agency_id' must be a lower-case slug")
    reporter = obj.get("reporter")
    rname = rphone = remail = None
    if reporter is not None:
        rep = _obj(reporter, "field 'reporter'")
        rname, rphone, remail = (_text(rep, "name"), _text(rep, "phone", limit=64),
                                 _text(rep, "email", limit=320))
    loc = _obj(obj.get("location") or {}, "field 'location'")
    created = _time(obj, "created_at", required=True)
    assert created is not None
    updated = _time(obj, "updated_at", required=False) or created
    c = ComplaintData(
        id=cid, tracking_id=int(tid or 0), title=title, body=body, agency_id=agency,
        classification=classification, channel=channel, status=status, created_at=created,
        updated_at=updated, is_anonymous=_bool(obj, "is_anonymous"),
        is_confidential=_bool(obj, "is_confidential"), reporter_name=rname,
        reporter_phone=rphone, reporter_email=remail,
        province=_text(loc, "province"), regency=_text(loc, "regency"),
        district=_text(loc, "district"), due_at=_time(obj, "due_at", required=False),
    )
    for i, item in enumerate(_list(obj, "attachments", MAX_ATTACHMENTS)):
        a = _obj(item, f"attachments[{i}]")
        name = _text(a, "name", required=True)
        size = a.get("size")
        sha = a.get("sha256")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise BadLine(f"attachments[{i}].size must be a non-negative integer")
        if not isinstance(sha, str) or not _SHA_RE.match(sha.lower()):
            raise BadLine(f"attachments[{i}].sha256 must be 64 hex digits")
        assert name is not None
        # A stable id per (complaint, file) keeps re-imports idempotent.
        aid = str(uuid.uuid5(uuid.UUID(cid), f"{sha.lower()}/{name}/{i}"))
        c.attachments.append(AttachmentData(aid, name, size, sha.lower(), _text(a, "mime")))
    entries = [(ThreadKind.REPORT_COMMENT.value, x) for x in
               _list(obj, "comments", MAX_THREAD_ENTRIES)]
    entries += [(ThreadKind.FOLLOWUP.value, x) for x in
                _list(obj, "responses", MAX_THREAD_ENTRIES)]
    if len(entries) > MAX_THREAD_ENTRIES:
        raise BadLine(f"more than {MAX_THREAD_ENTRIES} comments and responses")
    seen: set[str] = set()
    for i, (kind, item) in enumerate(entries):
        e = _obj(item, f"comments[{i}]")
        eid = _uuid(e.get("id"), f"comments[{i}].id")
        if eid in seen:
            raise BadLine(f"duplicate comment id {eid}")
        seen.add(eid)
        author = _text(e, "author", limit=_SHORT) or "Pelapor"
        ebody = _text(e, "body", required=True, limit=MAX_BODY_CHARS, allow_empty=True)
        when = _time(e, "created_at", required=True)
        assert ebody is not None and when is not None
        c.thread.append(ThreadData(eid, kind, author, ebody, when))
    return Parsed(c, category)


def _resolve_refs(conn: Connection, batch: list[Parsed]) -> None:
    """Map category slugs/paths to ids and create unknown agencies/categories."""
    known_ag = set(conn.execute(select(db.agencies.c.id)).scalars())
    cats = {r.id: r.path for r in conn.execute(select(db.categories.c.id, db.categories.c.path))}
    by_path = {p: i for i, p in cats.items()}
    changed = False
    for p in batch:
        c = p.complaint
        if c.agency_id not in known_ag:
            conn.execute(db.agencies.insert().values(id=c.agency_id, name=c.agency_id,
                                                     kind="lainnya", parent_id=None))
            known_ag.add(c.agency_id)
            changed = True
        if p.category is None or not p.category.strip():
            continue
        key = p.category.strip()
        if key in cats:
            c.category_id = key
            continue
        parts = [s.strip() for s in key.split("›")] if "›" in key else [key]
        if any(not s for s in parts):
            raise BadLine("field 'category' has an empty path part")
        parent: str | None = None
        for depth in range(len(parts)):
            path = seeddata.SEP.join(parts[:depth + 1])
            cid = by_path.get(path)
            if cid is None:
                cid = seeddata.category_id(path)[:100] or "kategori"
                if cid in cats:  # slug clash with another path: make it unique
                    cid = (cid[:60] + "-" + uuid.uuid5(uuid.NAMESPACE_URL, path).hex[:12])
                conn.execute(db.categories.insert().values(
                    id=cid, name=parts[depth], parent_id=parent, path=path))
                cats[cid] = path
                by_path[path] = cid
                changed = True
            parent = cid
        c.category_id = parent
    if changed:
        db.bump_ref_seq(conn)


def _assign_tracking_ids(conn: Connection, batch: list[Parsed]) -> None:
    ids = [p.complaint.id for p in batch]
    stored = {str(r[0]): int(r[1]) for r in conn.execute(
        select(db.complaints.c.id, db.complaints.c.tracking_id)
        .where(db.complaints.c.id.in_(ids)))}
    wanted = [p.complaint.tracking_id for p in batch if p.complaint.tracking_id]
    taken = {int(t): str(i) for t, i in conn.execute(
        select(db.complaints.c.tracking_id, db.complaints.c.id)
        .where(db.complaints.c.tracking_id.in_(wanted)))} if wanted else {}
    next_tid = int(conn.execute(select(func.coalesce(func.max(db.complaints.c.tracking_id),
                                                     9_000_000))).scalar_one()) + 1
    seen: dict[int, str] = {}
    for p in batch:
        c = p.complaint
        if not c.tracking_id:
            c.tracking_id = int(stored.get(c.id) or 0) or next_tid
            next_tid = max(next_tid, c.tracking_id + 1)
        owner = taken.get(c.tracking_id) or seen.get(c.tracking_id)
        if owner is not None and owner != c.id:
            raise BadLine(f"tracking_id {c.tracking_id} already belongs to another complaint")
        seen[c.tracking_id] = c.id


def _carry_over(conn: Connection, batch: list[Parsed]) -> list[ComplaintData]:
    """Complete known complaints with what the line format does not carry; drop unchanged ones.

    Copies, priority, tags, assignee, incident date, resolution deadline, internal thread
    entries and attachment ids/mime types stay as stored; a line equal to the stored state
    is not written again (no new version).
    """
    by_id = {p.complaint.id: p for p in batch}
    ids = list(by_id)
    stored = {r["id"]: r for r in conn.execute(
        select(db.complaints).where(db.complaints.c.id.in_(ids))).mappings()}
    if not stored:
        return [p.complaint for p in batch]
    sids = list(stored)
    copies: dict[str, list[str]] = {i: [] for i in sids}
    for cid, agency in conn.execute(select(db.complaint_copies.c.complaint_id,
                                           db.complaint_copies.c.agency_id)
                                    .where(db.complaint_copies.c.complaint_id.in_(sids))):
        copies[cid].append(agency)
    known = {(p.complaint.id, e.id) for p in batch for e in p.complaint.thread}
    for t in conn.execute(select(db.thread_entries)
                          .where(db.thread_entries.c.complaint_id.in_(sids))).mappings():
        c = by_id[t["complaint_id"]].complaint
        if (c.id, t["id"]) not in known:
            c.thread.append(ThreadData(t["id"], t["kind"], t["author"], t["body"],
                                       t["created_at"]))
    old_atts: dict[tuple[str, str, str], Any] = {}
    for arow in conn.execute(select(db.attachments)
                             .where(db.attachments.c.complaint_id.in_(sids))).mappings():
        old_atts[(arow["complaint_id"], arow["sha256"], arow["name"])] = arow
    extra_resp, extra_flags = load_extras(conn, sids)
    out: list[ComplaintData] = []
    for p in batch:
        c = p.complaint
        row = stored.get(c.id)
        if row is None:
            out.append(c)
            continue
        c.copy_agency_ids = sorted(copies[c.id])
        c.priority = row["priority"]
        c.tags = list(json.loads(row["tags"]))
        c.assignee_id = row["assignee_id"]
        c.incident_date = row["incident_date"]
        c.resolution_due_at = row["resolution_due_at"]
        if p.category is None:
            c.category_id = row["category_id"]
        for a in c.attachments:
            old = old_atts.get((c.id, a.sha256, a.name))
            if old is not None:
                a.id = old["id"]
                a.mime = a.mime or old["mime"]
        c.responses, c.flags = extra_resp[c.id], extra_flags[c.id]
        old_doc = json.loads(row["doc"])
        new_doc = dict(build_doc(c, int(row["version"])))
        if new_doc == old_doc and _private_equal(c, row):
            continue
        out.append(c)
    return out


def _private_equal(c: ComplaintData, row: Any) -> bool:
    """Fields the (redacted) doc may not show."""
    return bool(c.reporter_name == row["reporter_name"] and c.reporter_phone ==
                row["reporter_phone"] and c.reporter_email == row["reporter_email"])


def _write_batch(engine: Engine, batch: list[Parsed], report: ImportReport) -> None:
    with db.write_tx(engine) as conn:
        _resolve_refs(conn, batch)
        _assign_tracking_ids(conn, batch)
        changed = _carry_over(conn, batch)
        result = write_complaints(conn, changed, merge_thread=False)
    report.created += len(result.created)
    report.updated += len(result.updated)
    report.unchanged += len(batch) - len(changed)


def _flush(engine: Engine, batch: list[tuple[int, Parsed]], report: ImportReport) -> None:
    if not batch:
        return
    try:
        _write_batch(engine, [p for _, p in batch], report)
        return
    except (BadLine, SQLAlchemyError, ValueError):
        pass  # fall back to one line per transaction to find the bad one(s)
    for lineno, p in batch:
        try:
            _write_batch(engine, [p], report)
        except BadLine as exc:
            report.errors.append((lineno, str(exc)))
        except (SQLAlchemyError, ValueError) as exc:
            report.errors.append((lineno, f"rejected by the database ({type(exc).__name__})"))


def import_jsonl(engine: Engine, fh: IO[bytes]) -> ImportReport:
    """Import complaints from a binary JSON Lines stream."""
    report = ImportReport()
    batch: list[tuple[int, Parsed]] = []
    ids_in_batch: set[str] = set()
    for lineno, raw in _iter_lines(fh):
        if raw is None:
            report.errors.append((lineno, f"line longer than {MAX_LINE_BYTES} bytes"))
            continue
        try:
            parsed = parse_line(raw)
        except BadLine as exc:
            report.errors.append((lineno, str(exc)))
            continue
        if parsed is None:
            continue
        if parsed.complaint.id in ids_in_batch:  # the later line wins, in order
            _flush(engine, batch, report)
            batch, ids_in_batch = [], set()
        batch.append((lineno, parsed))
        ids_in_batch.add(parsed.complaint.id)
        if len(batch) >= _BATCH:
            _flush(engine, batch, report)
            batch, ids_in_batch = [], set()
    _flush(engine, batch, report)
    report.errors.sort()
    return report


@dataclass
class ExportReport:
    exported: int = 0
    confidential_skipped: int = 0
    confidential_exported: int = 0


def export_jsonl(engine: Engine, out: IO[str], *,
                 include_confidential: bool = False) -> ExportReport:
    """Write complaints (ordered by tracking id) as JSON lines.

    Rahasia (confidential) complaints are left out unless ``include_confidential``; including
    them is recorded in the ``audit`` table (a deliberate, audited action).
    """
    report = ExportReport()
    with db.read_tx(engine) as conn:
        cat_path = {str(r[0]): str(r[1]) for r in
                    conn.execute(select(db.categories.c.id, db.categories.c.path))}
        last = -1
        while True:
            rows = conn.execute(select(db.complaints).where(db.complaints.c.tracking_id > last)
                                .order_by(db.complaints.c.tracking_id).limit(_BATCH)
                                ).mappings().all()
            if not rows:
                break
            last = int(rows[-1]["tracking_id"])
            if not include_confidential:
                kept = [r for r in rows if not r["is_confidential"]]
                report.confidential_skipped += len(rows) - len(kept)
                rows = kept
                if not rows:
                    continue
            report.confidential_exported += sum(1 for r in rows if r["is_confidential"])
            ids = [r["id"] for r in rows]
            thread: dict[str, list[Any]] = {i: [] for i in ids}
            for t in conn.execute(select(db.thread_entries)
                                  .where(db.thread_entries.c.complaint_id.in_(ids))
                                  .order_by(db.thread_entries.c.created_at,
                                            db.thread_entries.c.id)).mappings():
                thread[t["complaint_id"]].append(t)
            atts: dict[str, list[Any]] = {i: [] for i in ids}
            for a in conn.execute(select(db.attachments)
                                  .where(db.attachments.c.complaint_id.in_(ids))
                                  .order_by(db.attachments.c.name, db.attachments.c.sha256,
                                            db.attachments.c.id)).mappings():
                atts[a["complaint_id"]].append(a)
            for r in rows:
                out.write(json.dumps(_export_obj(r, cat_path, thread[r["id"]], atts[r["id"]]),
                                     ensure_ascii=False, separators=(",", ":")) + "\n")
                report.exported += 1
    if include_confidential:
        with db.write_tx(engine) as conn:
            conn.execute(db.audit.insert().values(
                at=int(time.time()), action="export_confidential",
                detail=json.dumps({"confidential": report.confidential_exported,
                                   "total": report.exported})))
    return report


def _export_obj(r: Any, cat_path: dict[str, str], thread: list[Any],
                atts: list[Any]) -> dict[str, Any]:
    def entry(t: Any) -> dict[str, Any]:
        return {"id": t["id"], "author": t["author"], "body": t["body"],
                "created_at": t["created_at"]}

    has_reporter = any(r[k] is not None for k in
                       ("reporter_name", "reporter_phone", "reporter_email"))
    return {
        "id": r["id"], "tracking_id": r["tracking_id"], "title": r["title"], "body": r["body"],
        "category": cat_path.get(r["category_id"]) if r["category_id"] else None,
        "classification": r["classification"], "channel": r["channel"],
        "is_anonymous": bool(r["is_anonymous"]), "is_confidential": bool(r["is_confidential"]),
        "reporter": {"name": r["reporter_name"], "phone": r["reporter_phone"],
                     "email": r["reporter_email"]} if has_reporter else None,
        "agency_id": r["agency_id"],
        "location": {"province": r["province"], "regency": r["regency"],
                     "district": r["district"]},
        "status": r["status"], "created_at": r["created_at"], "updated_at": r["updated_at"],
        "due_at": r["due_at"],
        "attachments": [{"name": a["name"], "size": a["size"], "sha256": a["sha256"]}
                        for a in atts],
        "comments": [entry(t) for t in thread if t["kind"] == ThreadKind.REPORT_COMMENT],
        "responses": [entry(t) for t in thread if t["kind"] == ThreadKind.FOLLOWUP],
    }
