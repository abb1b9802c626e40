"""Attachment content: a content-addressed blob store with resumable chunked uploads.

Blobs live in the hub database (``db.blobs`` / ``db.blob_chunks``) so one backup holds
everything. An upload session (``db.uploads``) collects chunks at the offset the server
reports; ``complete`` checks size and SHA-256 and re-keys the chunks to the hash. The size limit
is checked when the session is created and again on every chunk, before anything is written.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from lapor_desk.sync.protocol import MAX_ATTACHMENT_BYTES, MAX_UPLOAD_CHUNK_BYTES
from lapor_hub import db
from lapor_hub.auth import Principal

_SHA = re.compile(r"^[0-9a-f]{64}$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class BlobError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def _session(upload_id: str | None, offset: int, size: int, complete: bool) -> dict[str, Any]:
    return {"upload_id": upload_id, "offset": offset, "size": size, "complete": complete}


def blob_size(conn: Connection, sha256: str) -> int | None:
    size = conn.execute(select(db.blobs.c.size).where(db.blobs.c.sha256 == sha256)).scalar()
    return None if size is None else int(size)


def create_upload(conn: Connection, who: Principal, sha256: str, size: int) -> dict[str, Any]:
    """A new (or the caller's unfinished) session for the blob; complete at once if present."""
    sha256 = sha256.lower()
    if not _SHA.match(sha256):
        raise BlobError(422, "invalid_input", "sha256 must be 64 hex digits.")
    if size < 0:
        raise BlobError(422, "invalid_input", "size must not be negative.")
    if size > MAX_ATTACHMENT_BYTES:
        raise BlobError(413, "too_large",
                        f"An attachment may have at most {MAX_ATTACHMENT_BYTES} bytes.")
    have = blob_size(conn, sha256)
    if have is not None and have == size and _known_to(conn, who, sha256):
        return _session(None, size, size, True)
    row = conn.execute(select(db.uploads.c.id, db.uploads.c.received).where(
        db.uploads.c.user_id == who.user_id, db.uploads.c.sha256 == sha256,
        db.uploads.c.size == size).limit(1)).first()
    if row is not None:  # resume the caller's own unfinished session
        return _session(str(row.id), int(row.received), size, False)
    upload_id = str(uuid.uuid4())
    conn.execute(insert(db.uploads).values(id=upload_id, user_id=who.user_id, sha256=sha256,
                                           size=size, received=0,
                                           created_at=int(time.time())))
    return _session(upload_id, 0, size, False)


def _known_to(conn: Connection, who: Principal, sha256: str) -> bool:
    """Instant dedupe only for content the caller uploaded before or their agency can already
    read: anyone else uploads the bytes (proof of possession), so the hub is no oracle for
    which files exist."""
    if conn.execute(select(db.blob_uploaders.c.sha256).where(
            db.blob_uploaders.c.sha256 == sha256,
            db.blob_uploaders.c.user_id == who.user_id)).first() is not None:
        return True
    a, c, cc = db.attachments, db.complaints, db.complaint_copies
    primary = select(a.c.id).join(c, c.c.id == a.c.complaint_id).where(
        a.c.sha256 == sha256, c.c.agency_id == who.agency_id).limit(1)
    if conn.execute(primary).first() is not None:
        return True
    copy = select(a.c.id).join(c, c.c.id == a.c.complaint_id).join(
        cc, cc.c.complaint_id == a.c.complaint_id).where(
        a.c.sha256 == sha256, cc.c.agency_id == who.agency_id,
        c.c.is_confidential.is_(False)).limit(1)
    return conn.execute(copy).first() is not None


def _own_upload(conn: Connection, who: Principal, upload_id: str) -> Any:
    row = conn.execute(select(db.uploads).where(db.uploads.c.id == upload_id)).first()
    if row is None or row.user_id != who.user_id:
        raise BlobError(404, "not_found", "No such upload.")
    return row


def upload_state(conn: Connection, who: Principal, upload_id: str) -> dict[str, Any]:
    row = _own_upload(conn, who, upload_id)
    return _session(upload_id, int(row.received), int(row.size), False)


def put_chunk(conn: Connection, who: Principal, upload_id: str, offset: int,
              data: bytes) -> dict[str, Any]:
    row = _own_upload(conn, who, upload_id)
    received, size = int(row.received), int(row.size)
    if offset != received:
        raise BlobError(409, "offset_mismatch",
                        f"The server holds {received} bytes; send from there.")
    if len(data) > MAX_UPLOAD_CHUNK_BYTES or received + len(data) > size:
        raise BlobError(413, "too_large", "The chunk goes past the declared size.")
    if not data:
        return _session(upload_id, received, size, False)
    # The WHERE on ``received`` makes two racing chunks at one offset store only one.
    moved = conn.execute(update(db.uploads).where(db.uploads.c.id == upload_id,
                                                  db.uploads.c.received == received)
                         .values(received=received + len(data))).rowcount
    if moved != 1:
        raise BlobError(409, "offset_mismatch", "Another chunk was stored at this offset.")
    conn.execute(insert(db.blob_chunks).values(owner=upload_id, pos=offset, length=len(data),
                                               data=data))
    return _session(upload_id, received + len(data), size, False)


def _chunks(conn: Connection, owner: str) -> Iterator[bytes]:
    pos = 0
    while True:  # a few chunks per query keeps memory flat for large blobs
        rows = conn.execute(select(db.blob_chunks.c.pos, db.blob_chunks.c.data)
                            .where(db.blob_chunks.c.owner == owner,
                                   db.blob_chunks.c.pos >= pos)
                            .order_by(db.blob_chunks.c.pos).limit(8)).all()
        if not rows:
            return
        for r in rows:
            yield bytes(r.data)
            pos = int(r.pos) + 1


def complete_upload(conn: Connection, who: Principal, upload_id: str) -> dict[str, Any]:
    row = _own_upload(conn, who, upload_id)
    size, sha256 = int(row.size), str(row.sha256)
    if int(row.received) != size:
        raise BlobError(409, "incomplete",
                        f"The server holds {int(row.received)} of {size} bytes.")
    digest = hashlib.sha256()
    for chunk in _chunks(conn, upload_id):
        digest.update(chunk)
    conn.execute(delete(db.uploads).where(db.uploads.c.id == upload_id))
    if digest.hexdigest() != sha256:
        conn.execute(delete(db.blob_chunks).where(db.blob_chunks.c.owner == upload_id))
        raise BlobError(422, "hash_mismatch",
                        "The uploaded bytes do not match the SHA-256; upload again.")
    if blob_size(conn, sha256) is not None:  # someone finished the same file meanwhile
        conn.execute(delete(db.blob_chunks).where(db.blob_chunks.c.owner == upload_id))
    else:
        conn.execute(update(db.blob_chunks).where(db.blob_chunks.c.owner == upload_id)
                     .values(owner=sha256))
        conn.execute(insert(db.blobs).values(sha256=sha256, size=size,
                                             created_at=int(time.time())))
    db.insert_or_ignore(conn, db.blob_uploaders, [{"sha256": sha256, "user_id": who.user_id}],
                        ["sha256", "user_id"])
    return _session(None, size, size, True)


def store_blob(conn: Connection, data: bytes, *, chunk: int = 1024 * 1024) -> str:
    """Store a whole blob at once (seeding, imports); returns its hash. Idempotent."""
    sha256 = hashlib.sha256(data).hexdigest()
    if blob_size(conn, sha256) is None:
        conn.execute(insert(db.blobs).values(sha256=sha256, size=len(data),
                                             created_at=int(time.time())))
        rows = [{"owner": sha256, "pos": i, "length": len(data[i:i + chunk]),
                 "data": data[i:i + chunk]} for i in range(0, len(data), chunk)]
        if rows:
            conn.execute(insert(db.blob_chunks), rows)
    return sha256


@dataclass(frozen=True, slots=True)
class Download:
    sha256: str
    size: int
    start: int
    end: int  # inclusive; end < start for an empty blob
    partial: bool
    mime: str | None


def visible_attachment(conn: Connection, who: Principal, attachment_id: str) -> Any:
    """The attachment row if the caller's agency may read it (404 otherwise, never 403: the
    existence of another agency's file is not disclosed)."""
    a = db.attachments
    c = db.complaints
    row = conn.execute(select(a.c.sha256, a.c.size, a.c.mime, c.c.agency_id,
                              c.c.is_confidential)
                       .join(c, c.c.id == a.c.complaint_id)
                       .where(a.c.id == attachment_id)).first()
    missing = BlobError(404, "not_found", "No such attachment.")
    if row is None:
        raise missing
    if row.agency_id != who.agency_id:
        copy = conn.execute(select(db.complaint_copies.c.agency_id).join(
            a, a.c.complaint_id == db.complaint_copies.c.complaint_id).where(
            a.c.id == attachment_id, db.complaint_copies.c.agency_id == who.agency_id)).first()
        # A copy agency reads open complaints' files; a rahasia complaint's stay with the
        # primary agency (as its text does).
        if copy is None or row.is_confidential:
            raise missing
    return row


def plan_download(conn: Connection, who: Principal, attachment_id: str,
                  range_header: str | None) -> Download:
    row = visible_attachment(conn, who, attachment_id)
    sha256, size = str(row.sha256), int(row.size)
    stored = blob_size(conn, sha256)
    if stored is None or stored != size:
        raise BlobError(404, "not_found", "The file of this attachment is not on the server.")
    if not range_header:
        return Download(sha256, size, 0, size - 1, False, row.mime)
    bad = BlobError(416, "bad_range", "The requested range is not satisfiable.",
                    {"Content-Range": f"bytes */{size}"})
    m = _RANGE.match(range_header.strip())
    if m is None or (not m.group(1) and not m.group(2)):
        raise bad
    if m.group(1):
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else size - 1
        if start >= size or end < start:
            raise bad
        end = min(end, size - 1)
    else:  # suffix range: the last N bytes
        n = int(m.group(2))
        if n == 0 or size == 0:
            raise bad
        start, end = max(0, size - n), size - 1
    return Download(sha256, size, start, end, True, row.mime)


def read_range(conn: Connection, sha256: str, start: int, end: int) -> bytes:
    """Bytes ``start..end`` (inclusive) of a complete blob."""
    if end < start:
        return b""
    ch = db.blob_chunks.c
    rows = conn.execute(select(ch.pos, ch.data).where(
        ch.owner == sha256, ch.pos <= end,
        or_(ch.pos + ch.length > start, and_(ch.length == 0, ch.pos >= start)))
        .order_by(ch.pos)).all()
    out = bytearray()
    for r in rows:
        data = bytes(r.data)
        lo = max(0, start - int(r.pos))
        hi = min(len(data), end + 1 - int(r.pos))
        out += data[lo:hi]
    return bytes(out)


UPLOAD_GRACE_S = 7 * 86400  # an unfinished upload session lives a week
ORPHAN_GRACE_S = 30 * 86400  # a complete blob no attachment uses (its command may be late)


def purge(conn: Connection, now_s: int) -> tuple[int, int]:
    """Drop stale upload sessions and long-unreferenced blobs (``lapor-hub jobs``); returns
    (sessions, blobs) removed."""
    ids = [str(r) for r in conn.execute(select(db.uploads.c.id).where(
        db.uploads.c.created_at < now_s - UPLOAD_GRACE_S)).scalars()]
    used = select(db.attachments.c.sha256)
    shas = [str(r) for r in conn.execute(select(db.blobs.c.sha256).where(
        db.blobs.c.created_at < now_s - ORPHAN_GRACE_S,
        db.blobs.c.sha256.not_in(used))).scalars()]
    for owners, table, col in ((ids, db.uploads, db.uploads.c.id),
                               (shas, db.blobs, db.blobs.c.sha256)):
        for i in range(0, len(owners), 500):
            part = owners[i:i + 500]
            conn.execute(delete(db.blob_chunks).where(db.blob_chunks.c.owner.in_(part)))
            conn.execute(delete(db.blob_uploaders).where(db.blob_uploaders.c.sha256.in_(part)))
            conn.execute(delete(table).where(col.in_(part)))
    return len(ids), len(shas)


def count_blobs(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(db.blobs)).scalar_one())
