"""The changes feed: signed cursors and gzip pages bounded by compressed size.

A page is written straight into one gzip stream. Each complaint doc (stored pre-serialised)
is compressed with ``Z_SYNC_FLUSH`` so the exact compressed size so far is known; when the
next doc might not fit, it is tried on a copy of the compressor first, so a page never
exceeds ``max_bytes`` (unless its single first complaint alone does) and never splits a doc.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from lapor_desk.sync.protocol import PROTOCOL_VERSION
from lapor_hub import db
from lapor_hub.auth import Principal
from lapor_hub.rules import agency_rules

MIN_PAGE_BYTES = 16 * 1024
MAX_PAGE_BYTES = 4 * 1024 * 1024
DEFAULT_PAGE_BYTES = 256 * 1024
COMPRESS_LEVEL = 6  # weak links are why the product exists: 23% fewer bytes than level 1
_BATCH = 500  # stream rows read at most per query
_MIN_BATCH = 16
_FEED_BYTES = 64 * 1024  # raw bytes handed to zlib per call
_SAFETY = 64  # bytes kept free for flush markers and the gzip trailer


class ResetRequired(Exception):
    """The cursor cannot be continued (signature, epoch, scope or schema)."""


MAX_OUTCOMES_PER_PAGE = 200
MAX_READ_MARKS_PER_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Position:
    positions: dict[str, int]
    ref: int
    dev: str = ""  # the device whose push outcomes this cursor chain delivers
    out: int = 0  # the last command seq of ``dev`` whose outcome was delivered
    marks: int = 0  # the last read-mark seq of the cursor's user that was delivered


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_cursor(secret: str, epoch: str, scope: str, pos: Position) -> str:
    fields: dict[str, Any] = {"e": epoch, "s": scope, "p": pos.positions, "r": pos.ref,
                              "v": db.SCHEMA_VERSION}
    if pos.dev:
        fields["d"], fields["o"] = pos.dev, pos.out
    if pos.marks:
        fields["m"] = pos.marks
    payload = json.dumps(fields, separators=(",", ":"), sort_keys=True)
    body = _b64e(payload.encode("utf-8"))
    sig = hmac.new(bytes.fromhex(secret), body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64e(sig)}"


def decode_cursor(secret: str, epoch: str, scope: str, cursor: str | None) -> Position:
    """Check a client cursor; an empty one means "from the start"."""
    if not cursor:
        return Position({scope: 0}, 0)
    try:
        body, sig = cursor.split(".")
        expected = hmac.new(bytes.fromhex(secret), body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64d(sig)):
            raise ResetRequired("bad cursor signature")
        data = json.loads(_b64d(body))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ResetRequired("malformed cursor") from exc
    if not isinstance(data, dict):
        raise ResetRequired("malformed cursor")
    if data.get("e") != epoch:
        raise ResetRequired("the server epoch changed")
    if data.get("s") != scope:
        raise ResetRequired("the cursor belongs to another scope")
    if data.get("v") != db.SCHEMA_VERSION:
        raise ResetRequired("the server schema changed")
    p, r = data.get("p"), data.get("r")
    dev, out, marks = data.get("d", ""), data.get("o", 0), data.get("m", 0)
    if (not isinstance(p, dict) or not isinstance(r, int)
            or not all(isinstance(k, str) and isinstance(v, int) for k, v in p.items())
            or not isinstance(dev, str) or not isinstance(out, int)
            or not isinstance(marks, int)):
        raise ResetRequired("malformed cursor")
    return Position(dict(p), r, dev, out, marks)


def clamp_page_bytes(max_bytes: int | None) -> int:
    if max_bytes is None:
        return DEFAULT_PAGE_BYTES
    return max(MIN_PAGE_BYTES, min(MAX_PAGE_BYTES, max_bytes))


def _bound(n: int) -> int:
    """Worst-case deflate output for n input bytes, plus a sync flush marker."""
    return n + (n >> 10) + 16


# What a copy agency sees instead of rahasia text (domain.md "Privacy flags — strict": the
# content of a confidential complaint stays inside the agency it was disposed to).
REDACTED_TEXT = "[Konten rahasia — hanya untuk instansi penerima disposisi]"
REDACTED_TITLE = "[Rahasia]"
_CONFIDENTIAL = '"is_confidential":true'


def copy_view(doc: str) -> str:
    """The doc as a copy agency sees it.

    The primary agency's unpublished drafts are left out; for a confidential (rahasia)
    complaint the title, body, reporter, thread bodies and reporter names in the thread, attachment
    names and hashes are replaced by
    fixed placeholders and ``redacted`` is set. ``_CONFIDENTIAL`` can only match the key itself:
    inside a JSON string every quote is escaped.
    """
    confidential = _CONFIDENTIAL in doc
    if not confidential and '"responses":[]' in doc:
        return doc
    data = json.loads(doc)
    data["responses"] = []
    if confidential or data.get("is_confidential") is True:
        data["title"] = REDACTED_TITLE
        data["body"] = REDACTED_TEXT
        data["reporter"] = None
        for t in data.get("thread", []):
            t["body"] = REDACTED_TEXT
            if t.get("kind") == "comment":
                t["author"] = "Pelapor"  # the reporter's name is as confidential as the text
        for a in data.get("attachments", []):
            a["name"] = "rahasia"
            a["sha256"] = "0" * 64  # the hash would let a copy agency confirm a guessed file
        data["redacted"] = True
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def reference_data(conn: Connection, agency_id: str) -> dict[str, Any]:
    ags = [{"id": r.id, "name": r.name, "kind": r.kind, "parent_id": r.parent_id}
           for r in conn.execute(select(db.agencies).order_by(db.agencies.c.id))]
    cats = [{"id": r.id, "name": r.name, "parent_id": r.parent_id, "path": r.path}
            for r in conn.execute(select(db.categories).order_by(db.categories.c.path))]
    us = [{"id": r.id, "display_name": r.display_name, "role": r.role, "agency_id": r.agency_id}
          for r in conn.execute(select(db.users.c.id, db.users.c.display_name, db.users.c.role,
                                       db.users.c.agency_id)
                                .where(db.users.c.agency_id == agency_id)
                                .order_by(db.users.c.username))]
    return {"agencies": ags, "categories": cats, "users": us,
            "rules": agency_rules(conn, agency_id).to_dict()}


class _GzipBudget:
    """A gzip stream that never grows past ``limit`` bytes (except by a forced item).

    Items are compressed without flushing while the worst case still fits; only when in doubt
    is the stream sync-flushed to learn its exact size, and a doubtful item is tried on a copy
    of the compressor so it can be dropped without a trace. Few flushes keep the ratio good.
    Items that surely fit are handed to zlib in batches of ``_FEED_BYTES`` (one call per
    complaint made the page builder trade the GIL with every other thread tens of thousands
    of times a page); the bound covers every input byte since the last flush either way.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.comp = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)
        self.out: list[bytes] = []
        self.total = 0  # bytes output so far
        self.flushed = 0  # exact size at the last sync flush
        self.pending = 0  # input bytes since the last sync flush (including ``held``)
        self.held: list[bytes] = []  # input not yet given to the compressor
        self.held_bytes = 0

    def _emit(self, chunk: bytes) -> None:
        if chunk:
            self.out.append(chunk)
            self.total += len(chunk)

    def _feed(self) -> None:
        if self.held:
            self._emit(self.comp.compress(b"".join(self.held)))
            self.held.clear()
            self.held_bytes = 0

    def _sync(self) -> None:
        if self.pending:
            self._feed()
            self._emit(self.comp.flush(zlib.Z_SYNC_FLUSH))
            self.flushed, self.pending = self.total, 0

    def fits(self, extra_raw: int) -> bool:
        """Would ``extra_raw`` more raw bytes surely fit? Flushes once when unsure."""
        if self.flushed + _bound(self.pending + extra_raw) <= self.limit:
            return True
        self._sync()
        return self.flushed + _bound(extra_raw) <= self.limit

    def add(self, data: bytes, reserve: int, *, force: bool = False) -> bool:
        """Append ``data`` if it fits with ``reserve`` raw bytes still to come; else False."""
        n = len(data)
        if force or self.fits(n + reserve):
            self.held.append(data)
            self.held_bytes += n
            self.pending += n
            if self.held_bytes >= _FEED_BYTES:
                self._feed()
            return True
        self._feed()
        trial = self.comp.copy()
        chunk = trial.compress(data) + trial.flush(zlib.Z_SYNC_FLUSH)
        if self.flushed + len(chunk) + _bound(reserve) > self.limit:
            return False
        self.comp = trial
        self._emit(chunk)
        self.flushed, self.pending = self.total, 0
        return True

    def finish(self, tail: bytes) -> bytes:
        self._feed()
        self._emit(self.comp.compress(tail) + self.comp.flush(zlib.Z_FINISH))
        return b"".join(self.out)


@dataclass(slots=True)
class Page:
    body: bytes  # gzip
    count: int
    removed: int
    has_more: bool
    cursor: str


def build_page(conn: Connection, meta: dict[str, str], who: Principal, cursor: str | None,
               max_bytes: int | None, device_id: str | None = None) -> Page:
    """Build one gzip page of the caller's agency stream (read-only; any transaction).

    Push outcomes of ``device_id`` (default: the token's device) newer than the cursor's
    outcome position come first in the page (``outcomes``), at most
    ``MAX_OUTCOMES_PER_PAGE``; only the caller's own commands are ever included.
    """
    from lapor_hub.commands import outcomes_since, read_marks_since
    scope = who.agency_id
    limit = clamp_page_bytes(max_bytes)
    epoch, secret = meta["epoch"], meta["hmac_secret"]
    pos = decode_cursor(secret, epoch, scope, cursor)
    start = pos.positions.get(scope, 0)
    ref_now = db.current_ref_seq(conn)
    dev = device_id or who.device_id or ""
    out_after = pos.out if pos.dev == dev else 0
    outcomes = outcomes_since(conn, who.user_id, dev, out_after,
                              MAX_OUTCOMES_PER_PAGE + 1) if dev else []
    more_outcomes = len(outcomes) > MAX_OUTCOMES_PER_PAGE
    outcomes = outcomes[:MAX_OUTCOMES_PER_PAGE]
    out_pos = int(outcomes[-1]["seq"]) if outcomes else out_after
    # The user's read marks (from any of their devices); a cursor is one user's (its scope
    # is the agency, and a device belongs to one user).
    marks = read_marks_since(conn, who.user_id, pos.marks, MAX_READ_MARKS_PER_PAGE + 1)
    more_marks = len(marks) > MAX_READ_MARKS_PER_PAGE
    marks = marks[:MAX_READ_MARKS_PER_PAGE]
    marks_pos = marks[-1][0] if marks else pos.marks

    gz = _GzipBudget(limit)
    head: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "epoch": epoch,
                            "reference": reference_data(conn, scope) if pos.ref < ref_now
                            else None, "outcomes": outcomes,
                            "read_marks": [m for _, m in marks]}
    head_json = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    gz.add(head_json[:-1].encode("utf-8") + b',"complaints":[', 0, force=True)

    removed: list[str] = []
    # The tail is written last; reserve room for its worst case (cursor, counts, removed ids).
    longest = encode_cursor(secret, epoch, scope,
                            Position({**pos.positions, scope: 10**18}, ref_now, dev, 2**62,
                                     2**62))
    reserve = _bound(len(longest) + 120) + _SAFETY
    last = start
    count = 0
    full = False
    st, cp = db.stream, db.complaints
    batch = _BATCH
    while not full:
        rows = conn.execute(
            select(st.c.seq, st.c.complaint_id, st.c.removed, cp.c.doc, cp.c.agency_id)
            .select_from(st.outerjoin(cp, cp.c.id == st.c.complaint_id))
            .where(st.c.agency_id == scope, st.c.seq > last)
            .order_by(st.c.seq).limit(batch)).all()
        for seq, cid, is_removed, doc, primary in rows:
            if doc is not None and primary != scope:
                doc = copy_view(doc)
            first = count + len(removed) == 0
            if is_removed or doc is None:
                # A removed id costs at most its JSON text in the tail.
                extra = len(cid) + 4
                if not first and not gz.fits(reserve + extra):
                    full = True
                    break
                removed.append(cid)
                reserve += extra
            else:
                if not gz.add((b"," if count else b"") + doc.encode("utf-8"), reserve,
                              force=first):
                    full = True
                    break
                count += 1
            last = seq
        if len(rows) < batch:
            break
        # Read about as many rows as the page can still take (the compressed size per row
        # so far; it lags what zlib still holds, so this errs on reading more), not a full
        # batch of docs only to drop most of them.
        per_row = max(gz.total, 1) / (count + len(removed))
        batch = max(_MIN_BATCH, min(_BATCH, int((limit - gz.total) / per_row * 1.25)
                                    + _MIN_BATCH))

    remaining = int(conn.execute(select(func.count()).select_from(st)
                                 .where(st.c.agency_id == scope, st.c.seq > last)).scalar_one())
    new_pos = Position({**pos.positions, scope: last}, ref_now, dev, out_pos, marks_pos)
    new_cursor = encode_cursor(secret, epoch, scope, new_pos)
    more = bool(remaining) or more_outcomes or more_marks
    tail = ('],"removed":' + json.dumps(removed) + ',"cursor":' + json.dumps(new_cursor)
            + ',"has_more":' + ("true" if more else "false")
            + ',"remaining":' + str(remaining) + "}")
    return Page(gz.finish(tail.encode("utf-8")), count, len(removed), more, new_cursor)


def read_page(engine: Engine, who: Principal, cursor: str | None,
              max_bytes: int | None = None, device_id: str | None = None) -> Page:
    with db.read_tx(engine) as conn:
        return build_page(conn, db.get_meta(conn), who, cursor, max_bytes, device_id)
