"""Verify the synced layer against the server and repair only what differs.

1. ``GET /sync/checksums`` with the stored cursor: per-bucket sums of (id, version, scope kind)
   digests of the server's view of our scope (``protocol.bucket_sums``), at the position the
   cursor must be at. The same sums are computed over the local synced layer.
2. For the buckets that differ, ``POST /sync/listing``: id, version and kind of each complaint
   the server has there. Local complaints missing or different are refetched, local ones the
   server does not list are removed.
3. ``POST /sync/fetch`` in batches: the complaints as the feed sends them (validated like a
   page); the store replaces them and removes the others in one transaction per batch, only
   if the stored cursor is still the one the answers describe (``Store.repair``).

Every answer says whether our cursor is at the server's head; if the head moved (a concurrent
write), verification stops and repairs nothing: the next pull brings the change and a later
verify runs again. Drafts and the outbox are never touched; a removed complaint orphans its
drafts exactly as a scope change does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lapor_desk.errors import NotFoundError, ProtocolError
from lapor_desk.sync import protocol as p
from lapor_desk.sync.validate import parse_page

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from lapor_desk.models.records import ApplyResult
    from lapor_desk.models.store import Store
    from lapor_desk.sync.auth import AuthSession
    from lapor_desk.sync.transport import JsonResult, Transport

log = logging.getLogger(__name__)

__all__ = ["FETCH_BATCH", "Verifier", "VerifyResult", "local_items"]

FETCH_BATCH = 200

# Why a verification did not compare anything (VerifyResult.skipped).
SKIP_NO_CURSOR = "no_cursor"  # nothing synced yet
SKIP_MOVED = "moved"  # the server's head or our cursor moved meanwhile: try again later
SKIP_UNSUPPORTED = "unsupported"  # the server has no verify endpoints
SKIP_CANCELLED = "cancelled"


@dataclass(slots=True)
class VerifyResult:
    checked: bool = False  # the checksums were compared at the server's head
    skipped: str | None = None  # SKIP_* when not (or not completely) done
    buckets_differed: int = 0
    repaired: int = 0  # complaints refetched and stored
    removed: int = 0  # local complaints the server no longer has in our scope
    rejected: int = 0  # refetched records dropped by validation or the store
    requests: int = 0
    bytes: int = 0  # bytes on the wire (compressed)
    repaired_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)


def local_items(store: Store, agency_id: str) -> dict[str, tuple[int, str]]:
    """id -> (version, kind) of the synced complaints (never drafts or the outbox)."""
    with store.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = raw.execute("SELECT id, version, agency_id FROM complaints").fetchall()
    return {str(cid): (int(version), p.SCOPE_PRIMARY if agency == agency_id else p.SCOPE_COPY)
            for cid, version, agency in rows}


class Verifier:
    def __init__(self, store: Store, transport: Transport, auth: AuthSession, agency_id: str,
                 *, scope: Collection[str] | None = None,
                 after: Callable[[Connection, ApplyResult], None] | None = None,
                 fetch_batch: int = FETCH_BATCH) -> None:
        """``agency_id``: the user's agency (primary); ``scope``: agency ids for validation;
        ``after``: runs inside each repair transaction (the outbox reconciles drafts)."""
        self.store = store
        self.transport = transport
        self.auth = auth
        self.agency_id = agency_id
        self.scope = None if scope is None else frozenset(scope)
        self.after = after
        self.fetch_batch = max(1, min(fetch_batch, p.MAX_FETCH_IDS))

    def verify(self, cancel: threading.Event | None = None) -> VerifyResult:
        result = VerifyResult()
        cursor = self.store.sync_state().cursor
        if cursor is None:
            result.skipped = SKIP_NO_CURSOR
            return result
        try:
            self._verify(cursor, result, cancel)
        except NotFoundError:
            log.info("verify: the server has no checksum endpoints; skipped")
            result.skipped = SKIP_UNSUPPORTED
        log.info("verify: %s; %d bucket(s) differed, %d repaired, %d removed, %d rejected, "
                 "%d request(s), %d bytes",
                 "compared" if result.checked else "not compared",
                 result.buckets_differed, result.repaired, result.removed, result.rejected,
                 result.requests, result.bytes)
        if result.skipped:
            log.info("verify skipped: %s", result.skipped)
        return result

    # ------------------------------------------------------------------ steps

    def _verify(self, cursor: str, r: VerifyResult, cancel: threading.Event | None) -> None:
        sums = _parse_checksums(self._call("GET", "/sync/checksums", r, params={"cursor": cursor}))
        if sums is None:
            r.skipped = SKIP_MOVED
            return
        local = local_items(self.store, self.agency_id)
        mine_sums, mine_counts = p.bucket_sums((cid, v, k) for cid, (v, k) in local.items())
        theirs_sums, theirs_counts = sums
        differing = [b for b in range(p.CHECKSUM_BUCKETS)
                     if mine_sums[b] != theirs_sums[b] or mine_counts[b] != theirs_counts[b]]
        r.checked = True
        r.buckets_differed = len(differing)
        if not differing:
            return
        if cancel is not None and cancel.is_set():
            r.skipped = SKIP_CANCELLED
            return
        body: p.ListingRequest = {"cursor": cursor, "buckets": differing}
        parsed = _parse_listing(self._call("POST", "/sync/listing", r, body=body),
                                frozenset(differing))
        if parsed is None:
            r.skipped = SKIP_MOVED
            return
        listing, spelled = parsed
        wanted = frozenset(differing)
        mine = {cid: vk for cid, vk in local.items() if p.bucket_of(cid) in wanted}
        stale = [cid for cid, vk in listing.items() if mine.get(cid) != vk]
        extra = [cid for cid in mine if cid not in listing]
        log.info("verify: %d bucket(s) differ: %d complaint(s) to refetch, %d to remove",
                 len(differing), len(stale), len(extra))
        # Removals ride with the first batch (one transaction), or alone when nothing is stale.
        batches = [stale[i:i + self.fetch_batch]
                   for i in range(0, len(stale), self.fetch_batch)] or [[]]
        for i, ids in enumerate(batches):
            if cancel is not None and cancel.is_set():
                r.skipped = SKIP_CANCELLED
                return
            # Asked for in the server's own spelling of the id (we store ids lower-case).
            asked = [spelled.get(cid, cid) for cid in ids]
            if not self._repair_batch(cursor, asked, extra if i == 0 else [], r):
                r.skipped = SKIP_MOVED
                return

    def _repair_batch(self, cursor: str, ids: list[str], extra: list[str],
                      r: VerifyResult) -> bool:
        docs: list[p.ComplaintDoc] = []
        gone: list[str] = list(extra)
        if ids:
            body: p.FetchRequest = {"cursor": cursor, "ids": ids}
            result = self._call("POST", "/sync/fetch", r, body=body)
            data = result.data
            if not isinstance(data, dict) or not isinstance(data.get("at_head"), bool):
                raise ProtocolError("fetch: at_head missing")
            if not data["at_head"]:
                return False
            page, rejected = parse_page(data, scope=self.scope, clean=result.escapes)
            asked = frozenset(i.lower() for i in ids)
            docs = [d for d in page["complaints"] if d["id"] in asked]
            # Listed a moment ago in the same snapshot, so "not in scope" cannot happen unless
            # the server contradicts itself; then the server's latest word wins.
            gone += [cid for cid in page["removed"] if cid in asked]
            r.rejected += len(rejected) + (len(page["complaints"]) - len(docs))
        applied = self.store.repair(docs, gone, cursor=cursor, also=self.after)
        if applied is None:
            return False  # our cursor moved (another process pulled): the answer is stale
        r.repaired += len(applied.upserted_ids)
        r.removed += len(applied.removed_ids)
        r.rejected += len(applied.rejected)
        r.repaired_ids.extend(applied.upserted_ids)
        r.removed_ids.extend(applied.removed_ids)
        for rid, reason in applied.rejected:
            log.warning("verify: store rejected complaint %s: %s", rid, reason)
        return True

    def _call(self, method: str, path: str, r: VerifyResult, *,
              params: dict[str, str | int] | None = None, body: Any = None) -> JsonResult:
        def call(token: str) -> JsonResult:
            return self.transport.request(method, path, params=params, body=body, token=token)

        result: JsonResult = self.auth.call(call)
        r.requests += 1
        r.bytes += result.raw_bytes
        return result


# ---------------------------------------------------------------------- validation

def _parse_checksums(result: JsonResult) -> tuple[list[int], list[int]] | None:
    """(sums, counts) per bucket, or None when our cursor is not at the server's head."""
    d = result.data
    if not isinstance(d, dict) or not isinstance(d.get("at_head"), bool):
        raise ProtocolError("checksums: not an object with at_head")
    if not d["at_head"]:
        return None
    sums, counts = d.get("sums"), d.get("counts")
    if (not isinstance(sums, list) or not isinstance(counts, list)
            or len(sums) != p.CHECKSUM_BUCKETS or len(counts) != p.CHECKSUM_BUCKETS):
        raise ProtocolError("checksums: wrong bucket lists")
    out_sums: list[int] = []
    for s in sums:
        if not isinstance(s, str) or len(s) != 16:
            raise ProtocolError("checksums: bad sum")
        try:
            out_sums.append(int(s, 16))
        except ValueError:
            raise ProtocolError("checksums: bad sum") from None
    if not all(type(c) is int and 0 <= c <= 2**53 for c in counts):
        raise ProtocolError("checksums: bad count")
    return out_sums, [int(c) for c in counts]


def _parse_listing(result: JsonResult, buckets: frozenset[int],
                   ) -> tuple[dict[str, tuple[int, str]], dict[str, str]] | None:
    """(lower-case id -> (version, kind), lower-case id -> the server's spelling) in the
    asked buckets, or None when our cursor is not at the server's head."""
    d = result.data
    if not isinstance(d, dict) or not isinstance(d.get("at_head"), bool):
        raise ProtocolError("listing: not an object with at_head")
    if not d["at_head"]:
        return None
    items = d.get("items")
    if not isinstance(items, list):
        raise ProtocolError("listing: items missing")
    out: dict[str, tuple[int, str]] = {}
    spelled: dict[str, str] = {}
    for item in items:
        if (not isinstance(item, list) or len(item) != 3 or not isinstance(item[0], str)
                or type(item[1]) is not int or item[2] not in (p.SCOPE_PRIMARY, p.SCOPE_COPY)):
            raise ProtocolError("listing: bad item")
        cid = item[0].lower()
        if len(cid) != 36 or p.bucket_of(cid) not in buckets:
            raise ProtocolError("listing: item outside the asked buckets")
        out[cid] = (int(item[1]), str(item[2]))
        spelled[cid] = item[0]
    return out, spelled
