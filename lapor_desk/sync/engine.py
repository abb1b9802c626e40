"""The sync engine: push the outbox first, then pull pages of changes.

Push (``lapor_desk.sync.push``) sends pending commands in seq order and records their outcomes;
outcomes that come back on the pull stream are recorded in the same transaction as their page,
and the local drafts follow the server's responses there too.

Each page is validated completely before it reaches the store, and the store applies it with
its cursor in one transaction: a page is applied whole or not at all, so a killed connection or
process resumes from the last applied page without duplicates. A ``reset_required`` answer
rebuilds the synced layer (never drafts or the outbox) and pulls from scratch once.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lapor_desk.errors import LaporError, OfflineError, ProtocolError, SyncStalledError
from lapor_desk.models.blobs import CancelledTransferError
from lapor_desk.sync import protocol as p
from lapor_desk.sync.attachments import upload_pending
from lapor_desk.sync.auth import AuthSession
from lapor_desk.sync.checksums import SKIP_MOVED, Verifier, VerifyResult
from lapor_desk.sync.push import Pusher, PushResult
from lapor_desk.sync.transport import BodyResult, ResetRequired, Transport
from lapor_desk.sync.validate import parse_page

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.records import ApplyResult
    from lapor_desk.models.store import Store

log = logging.getLogger(__name__)

__all__ = ["ResetRequired", "SyncEngine", "SyncProgress", "SyncReport"]


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: str  # "upload" | "push" | "pull" | "reset" | "done"
    complaints_done: int
    complaints_total: int | None  # estimate from the server's ``remaining``
    bytes_done: int  # bytes on the wire (compressed)
    pages: int
    upload_bytes_done: int = 0  # attachment bytes uploaded in this sync (phase "upload")
    upload_bytes_total: int = 0


@dataclass(frozen=True, slots=True)
class SyncReport:
    received: int  # complaints upserted into the replica
    removed: int
    rejected: int  # records dropped by validation or the store
    pages: int
    bytes: int  # bytes on the wire (compressed)
    seconds: float
    reset: bool  # the synced layer was rebuilt during this sync
    decoded_bytes: int = 0
    cancelled: bool = False
    reference_changed: bool = False
    pushed: int = 0  # commands sent to the server
    applied: int = 0  # commands applied or merged (push responses and the pull stream)
    conflicts: int = 0  # commands that ended in a conflict (both versions kept)
    commands_rejected: int = 0  # commands the server refused, with a reason
    push_unsupported: bool = False  # the server has no /sync/push; commands stay pending
    # Verify (lapor_desk.sync.checksums): the replica was compared with the server's checksums;
    # repaired/repair_removed are included in received/removed.
    verified: bool = False
    buckets_differed: int = 0
    repaired: int = 0  # complaints refetched because they were missing or stale
    repair_removed: int = 0  # local complaints the server no longer has in our scope
    verify_skipped: str | None = None  # why a due verification did not complete
    uploaded_bytes: int = 0  # attachment content uploaded before the commands


@dataclass(frozen=True, slots=True)
class _Step:
    """Where one applied page left the pull."""

    cursor: str
    epoch: str
    has_more: bool
    remaining: int


class _Counters:
    def __init__(self) -> None:
        self.received = 0
        self.removed = 0
        self.rejected = 0
        self.pages = 0
        self.bytes = 0
        self.decoded = 0
        self.reference_changed = False
        self.cancelled = False
        self.push = PushResult()
        self.verify: VerifyResult | None = None
        self.uploaded = 0
        self.upload_total = 0


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while one page is decoded, validated and applied.

    A page is some 10^5 new containers (dicts and lists, none in a cycle: reference counting
    frees them), and allocating them made the collector walk the ever-larger heap again and
    again (about a third of parse time). The pause also covers the apply (its row tuples are
    more containers) and ends only after the page is released: ended earlier, the first
    collection after it traversed every container of the still-live page (about 5% of a
    first sync). Process-wide, but only for the fraction of a second a page takes;
    collection resumes afterwards, also on error.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# Pages grow on a fast link: a page should take about this long to arrive, from the
# configured size (the floor, what a slow link keeps) up to ``page_grow_max_bytes``. Fewer,
# bigger pages cost fewer commits on a LAN; a 2G link keeps small pages, so a drop loses little.
PAGE_SECONDS = 1.0


class SyncEngine:
    def __init__(self, store: Store, transport: Transport, auth_session: AuthSession, *,
                 page_max_bytes: int = p.DEFAULT_PAGE_MAX_BYTES,
                 page_grow_max_bytes: int = p.DEFAULT_PAGE_GROW_MAX_BYTES,
                 scope: Collection[str] | None = None, prefetch: bool = True,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 device_id: str | None = None, push_batch: int = 200,
                 verify_every_syncs: int | None = None,
                 verify_every_minutes: float | None = None,
                 stall_seconds: float | None = None) -> None:
        """``scope``: the agency ids the user may hold; None derives it from the login.
        ``device_id``: this installation's id for pushing the outbox; None skips pushing.
        ``verify_every_syncs`` / ``verify_every_minutes``: verify the replica after a pull that
        reached the head, once that many syncs or minutes passed since the last verification
        (None: only on demand). ``page_max_bytes``: the compressed size a page asks for;
        on a fast link it grows up to ``page_grow_max_bytes`` (no more than it: fixed pages).
        ``stall_seconds``: the watchdog cancels a sync that received
        nothing and applied nothing for that long (None: no watchdog)."""
        self.store = store
        self.transport = transport
        self.auth = auth_session
        self.page_max_bytes = page_max_bytes
        self.page_grow_max_bytes = page_grow_max_bytes
        self._page_bytes = page_max_bytes  # what the next page asks for (adapts to the link)
        self._scope = None if scope is None else frozenset(scope)
        self.prefetch = prefetch
        self._clock = clock
        self._lock = threading.Lock()  # one sync at a time per engine
        from lapor_desk.models.outbox import Outbox

        self.outbox: Outbox = Outbox(store)
        self.device_id = device_id
        self.push_batch = push_batch
        self.verify_every_syncs = verify_every_syncs
        self.verify_every_minutes = verify_every_minutes
        self.stall_seconds = stall_seconds
        # The verification schedule; a profile keeps it across runs (DeskContext), so a CLI
        # run from a scheduler also verifies now and then.
        self.syncs_since_verify = 0
        self.last_verify_at: datetime = clock()

    def sync(self, progress: Callable[[SyncProgress], None] | None = None,
             cancel: threading.Event | None = None, *, verify: bool = False) -> SyncReport:
        """Push, pull, and verify when due (``verify=True``: now, after the pull)."""
        if not self._lock.acquire(blocking=False):
            raise LaporError("sync already running",
                             message_id="Sinkronisasi sedang berjalan.",
                             message_en="A sync is already running.")
        try:
            if self.stall_seconds is None:
                with self._abort_on(cancel):
                    return self._sync(progress, cancel, verify)
            watchdog = StallWatchdog(self.stall_seconds, self.transport, cancel)
            with self._abort_on(watchdog.stop, watchdog):
                try:
                    return self._sync(watchdog.wrap(progress), watchdog.stop, verify)
                except LaporError as exc:
                    if not watchdog.fired or isinstance(exc, SyncStalledError):
                        raise
                    # An error caused by the cut (say, a push response cut halfway).
                    self._record_error(SyncStalledError.code)
                    raise SyncStalledError() from None
        finally:
            self._lock.release()

    @contextmanager
    def _abort_on(self, cancel: threading.Event | None,
                  watchdog: StallWatchdog | None = None) -> Iterator[None]:
        """While syncing, a cancel cuts the request in flight at once (and any retry of it)
        instead of waiting for the page to arrive or the transport deadline to pass."""
        if cancel is None:
            yield
            return
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                if watchdog is not None:
                    watchdog.check()
                if cancel.wait(0.05) and not done.is_set():
                    self.transport.abort()
                    done.wait(0.02)  # keep cutting retries, without spinning a core

        watcher = threading.Thread(target=watch, name="sync-cancel", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()

    def _sync(self, progress: Callable[[SyncProgress], None] | None,
              cancel: threading.Event | None, verify: bool = False) -> SyncReport:
        started = time.monotonic()
        counters = _Counters()
        reset = False
        try:
            self._push(counters, progress, cancel)
            try:
                self._pull(counters, progress, cancel)
            except ResetRequired:
                log.warning("server asked for a reset; rebuilding the synced layer")
                reset = True
                # Counts describe the rebuilt replica; pages and bytes stay the wire totals.
                counters.received = counters.removed = 0
                self._emit(progress, "reset", counters, None)
                self.store.reset_synced()
                self._replay_outbox(counters, progress, cancel)
                self._pull(counters, progress, cancel)  # a second reset propagates
            self._maybe_verify(counters, progress, cancel, verify)
        except OfflineError as exc:
            if cancel is None or not cancel.is_set():
                self._record_error(exc.code)
                raise
            # The request was cut because the user cancelled: a cancelled sync, not a failure.
            counters.cancelled = True
        except LaporError as exc:
            self._record_error(exc.code)
            raise
        except Exception as exc:
            self._record_error(f"internal: {type(exc).__name__}")
            raise
        if counters.cancelled and isinstance(cancel, _StopEvent) and cancel.stalled:
            # Cut by the watchdog, not by the user: a failure the scheduler retries.
            self._record_error(SyncStalledError.code)
            raise SyncStalledError()
        if not counters.cancelled:
            self.store.record_sync_success(self._clock())
        report = SyncReport(
            received=counters.received, removed=counters.removed, rejected=counters.rejected,
            pages=counters.pages, bytes=counters.bytes, seconds=time.monotonic() - started,
            reset=reset, decoded_bytes=counters.decoded, cancelled=counters.cancelled,
            reference_changed=counters.reference_changed, pushed=counters.push.pushed,
            applied=counters.push.applied, conflicts=counters.push.conflicts,
            commands_rejected=counters.push.rejected,
            push_unsupported=counters.push.unsupported, uploaded_bytes=counters.uploaded)
        if counters.verify is not None:
            report = replace(report, **_verify_fields(counters.verify))
        self._emit(progress, "done", counters, counters.received)
        log.info("sync done: %d received, %d removed, %d rejected, %d pages, %d bytes, %.2fs%s",
                 report.received, report.removed, report.rejected, report.pages, report.bytes,
                 report.seconds, " (cancelled)" if report.cancelled else "")
        return report

    def _verify_due(self) -> bool:
        every_n, every_min = self.verify_every_syncs, self.verify_every_minutes
        return ((every_n is not None and self.syncs_since_verify >= every_n)
                or (every_min is not None
                    and (self._clock() - self.last_verify_at).total_seconds()
                    >= every_min * 60))

    def _maybe_verify(self, c: _Counters, progress: Callable[[SyncProgress], None] | None,
                      cancel: threading.Event | None, forced: bool) -> None:
        """After a pull that reached the head: compare checksums, repair what differs.

        A verification that cannot complete (the head moved, a network error) is skipped and
        stays due; the sync itself still succeeded."""
        if c.cancelled or (cancel is not None and cancel.is_set()):
            return
        self.syncs_since_verify += 1
        if not forced and not self._verify_due():
            return
        agency = self._primary_agency()
        if agency is None:
            return
        self._emit(progress, "verify", c, None)
        verifier = Verifier(self.store, self.transport, self.auth, agency,
                            scope=self._scope_ids(), after=self._after_repair)
        done = VerifyResult()  # what earlier rounds repaired (counts only)
        try:
            result = verifier.verify(cancel)
            if result.skipped == SKIP_MOVED:
                # Someone wrote meanwhile: pull what changed and try once more at the new head.
                done = result
                self._pull(c, progress, cancel)
                result = verifier.verify(cancel)
        except LaporError as exc:
            if cancel is not None and cancel.is_set():
                raise
            log.warning("verify failed (%s); it stays due", exc.code)
            result = VerifyResult(skipped=f"error: {exc.code}")
        result.repaired += done.repaired
        result.removed += done.removed
        result.rejected += done.rejected
        result.bytes += done.bytes
        c.verify = result
        c.received += result.repaired
        c.removed += result.removed
        c.rejected += result.rejected
        c.bytes += result.bytes
        if result.checked and result.skipped is None:
            self.syncs_since_verify = 0
            self.last_verify_at = self._clock()

    def _after_repair(self, conn: Connection, _result: ApplyResult) -> None:
        self.outbox.reconcile_in(conn)

    def _primary_agency(self) -> str | None:
        if self.auth.user is not None:
            return self.auth.user["agency_id"]
        scope = self._scope_ids()
        return next(iter(scope)) if scope is not None and len(scope) == 1 else None

    def _record_error(self, code: str) -> None:
        # Never let bookkeeping (a locked or full disk) hide the error that ended the sync.
        try:
            self.store.record_sync_error(code, self._clock())
        except Exception as exc:
            log.warning("could not record the sync error: %s", type(exc).__name__)

    def _push(self, c: _Counters, progress: Callable[[SyncProgress], None] | None,
              cancel: threading.Event | None) -> None:
        """Send the outbox before pulling, so the pull already shows the commands' effects."""
        if self.device_id is None or not self.outbox.pending():
            return
        self._upload(c, progress, cancel)
        self._emit(progress, "push", c, None)
        pusher = Pusher(self.outbox, self.transport, self.auth, self.device_id,
                        batch_size=self.push_batch)
        c.push = pusher.push(cancel)

    def _upload(self, c: _Counters, progress: Callable[[SyncProgress], None] | None,
                cancel: threading.Event | None) -> None:
        """Attachment files first: their commands are held until the server holds them."""
        def each(done: int, total: int) -> None:
            c.uploaded, c.upload_total = done, total
            self._emit(progress, "upload", c, None)

        try:
            c.uploaded = upload_pending(self.store, self.transport, self.auth, each, cancel)
        except CancelledTransferError:
            c.cancelled = True

    def _replay_outbox(self, c: _Counters, progress: Callable[[SyncProgress], None] | None,
                       cancel: threading.Event | None) -> None:
        """After a reset (new server epoch: restored from a backup) resend the whole outbox.

        The server may have lost commands it had applied; it dedupes by op_id, so those it
        still knows only answer their stored outcome. Without this a draft that showed
        "synced" would silently not exist on the server (no lost intent)."""
        if self.device_id is None or not self.outbox.entries():
            return
        self._emit(progress, "push", c, None)
        pusher = Pusher(self.outbox, self.transport, self.auth, self.device_id,
                        batch_size=self.push_batch)
        replay = pusher.push(cancel, replay_from=1)
        c.push.pushed += replay.pushed
        c.push.applied += replay.applied
        c.push.conflicts += replay.conflicts
        c.push.rejected += replay.rejected

    def _after_page(self, c: _Counters, page_outcomes: list[p.Outcome], *, last: bool = False,
                    ) -> Callable[[Connection, ApplyResult], None]:
        """Runs inside the page's transaction: record its outcomes, reconcile the drafts."""

        def also(conn: Connection, _result: ApplyResult) -> None:
            if page_outcomes:
                counts = self.outbox.record_outcomes_in(conn, page_outcomes)
                c.push.applied += counts.applied
                c.push.conflicts += counts.conflicts
                c.push.rejected += counts.rejected
            self.outbox.reconcile_in(conn, complete=last)

        return also

    def _scope_ids(self) -> frozenset[str] | None:
        if self._scope is not None:
            return self._scope
        if self.auth.user is not None:
            return frozenset({self.auth.user["agency_id"]})
        return None

    def _pull(self, c: _Counters, progress: Callable[[SyncProgress], None] | None,
              cancel: threading.Event | None) -> None:
        """Pull pages until ``has_more`` is false.

        The next page is downloaded on a helper thread while the store applies the current one
        (the cursor for page n+1 is in page n, so this is safe): a prefetched page is parsed and
        applied only after the pages before it, and discarded on any failure.
        """
        state = self.store.sync_state()
        cursor, epoch = state.cursor, state.epoch
        scope = self._scope_ids()
        total: int | None = None
        if cancel is not None and cancel.is_set():
            c.cancelled = True
            return
        self._emit(progress, "pull", c, total)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-fetch") as pool:
            pending: Future[BodyResult] | None = pool.submit(self._download, cursor)

            def prefetch(next_cursor: str) -> None:
                nonlocal pending
                if self.prefetch and (cancel is None or not cancel.is_set()):
                    pending = pool.submit(self._download, next_cursor)

            try:
                while pending is not None:
                    body = pending.result()
                    pending = None
                    with _gc_paused():
                        step = self._apply_body(c, body, scope, cursor, epoch, prefetch)
                        del body  # released before collection resumes
                    total = c.received + step.remaining
                    cursor, epoch = step.cursor, step.epoch
                    if not step.has_more:
                        return
                    self._emit(progress, "pull", c, total)
                    if cancel is not None and cancel.is_set():
                        c.cancelled = True
                        return
                    if pending is None:
                        pending = pool.submit(self._download, cursor)
            finally:
                if pending is not None and not pending.cancel():
                    # A prefetch is under way and its page will not be used (cancel, error or
                    # Ctrl-C): cut it now instead of waiting up to the deadline.
                    self.transport.abort()

    def _download(self, cursor: str | None) -> BodyResult:
        """The I/O half of a page (helper thread): request, read, decompress. No parsing:
        CPU-bound work on a second thread would fight the store's SQLite calls for the GIL."""
        asked = self._page_bytes
        params: dict[str, str | int] = {"max_bytes": asked}
        if cursor is not None:
            params["cursor"] = cursor

        def get(token: str) -> BodyResult:
            return self.transport.request_body("GET", "/sync/changes", params=params,
                                               token=token)

        started = time.monotonic()
        result = self.auth.call(get)
        self._adapt_page_size(asked, result.raw_bytes, time.monotonic() - started)
        return result

    def _adapt_page_size(self, asked: int, got: int, seconds: float) -> None:
        """The next page's size from this one's speed: at most double, never below the
        configured size, never above the cap. A short page (the last) says little."""
        if got < asked // 2:
            return
        fitting = int(got / max(seconds, 1e-3) * PAGE_SECONDS)
        cap = max(self.page_max_bytes, self.page_grow_max_bytes)
        self._page_bytes = max(self.page_max_bytes, min(cap, fitting, 2 * asked))

    def _apply_body(self, c: _Counters, body: BodyResult, scope: frozenset[str] | None,
                    cursor: str | None, epoch: str | None,
                    prefetch: Callable[[str], None]) -> _Step:
        """Parse, validate and apply one downloaded page; ``prefetch`` is called with the next
        cursor once the page is known to be valid, before the (long) apply. The page itself
        is released when this returns: only its position goes back to the loop."""
        result = body.json()
        page, rejected = parse_page(result.data, scope=scope, clean=result.escapes)
        del result
        if cursor is not None and epoch is not None and page["epoch"] != epoch:
            # The server should have answered 409; never mix two epochs.
            raise ResetRequired("epoch changed")
        if page["has_more"]:
            if page["cursor"] == cursor:
                raise ProtocolError("the server did not advance the cursor")
            prefetch(page["cursor"])
        applied = self.store.apply_page(
            page, self._after_page(c, page.get("outcomes") or [], last=not page["has_more"]))
        c.pages += 1
        c.bytes += body.raw_bytes
        c.decoded += len(body.body)
        c.received += len(applied.upserted_ids)
        c.removed += len(applied.removed_ids)
        c.rejected += len(rejected) + len(applied.rejected)
        c.reference_changed = c.reference_changed or applied.reference_changed
        for rid, reason in applied.rejected:
            log.warning("store rejected complaint %s: %s", rid, reason)
        return _Step(page["cursor"], page["epoch"], page["has_more"], page["remaining"])

    @staticmethod
    def _emit(progress: Callable[[SyncProgress], None] | None, phase: str, c: _Counters,
              total: int | None) -> None:
        if progress is not None:
            progress(SyncProgress(phase=phase, complaints_done=c.received,
                                  complaints_total=total, bytes_done=c.bytes, pages=c.pages,
                                  upload_bytes_done=c.uploaded,
                                  upload_bytes_total=c.upload_total))


def _verify_fields(v: VerifyResult) -> dict[str, Any]:
    return {"verified": v.checked and v.skipped is None, "buckets_differed": v.buckets_differed,
            "repaired": v.repaired, "repair_removed": v.removed,
            "verify_skipped": v.skipped}


class _StopEvent(threading.Event):
    """The event the engine checks for "stop now": set by the user's cancel or by a stall."""

    stalled = False


class StallWatchdog:
    """Stops a sync that makes no progress for ``seconds``: no bytes arrived (the transport's
    ``last_activity``) and no progress event (a page applied, a phase begun).

    It sets ``stop`` (the engine's cancel event, which also follows the user's ``cancel``);
    the engine's cancel watcher then cuts the request in flight and its retries, and the sync
    ends with ``SyncStalledError`` (recorded as "stalled") instead of as a cancelled one.
    """

    def __init__(self, seconds: float, transport: Transport,
                 cancel: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.transport = transport
        self.user_cancel = cancel
        self.stop = _StopEvent()
        self._last = time.monotonic()

    @property
    def fired(self) -> bool:
        return self.stop.stalled

    def touch(self) -> None:
        self._last = time.monotonic()

    def wrap(self, progress: Callable[[SyncProgress], None] | None,
             ) -> Callable[[SyncProgress], None]:
        def report(pr: SyncProgress) -> None:
            self.touch()
            if progress is not None:
                progress(pr)

        return report

    def check(self) -> None:
        """Called every few tens of milliseconds by the engine's cancel watcher."""
        if self.stop.is_set():
            return
        if self.user_cancel is not None and self.user_cancel.is_set():
            self.stop.set()
            return
        last = max(self._last, self.transport.last_activity)
        if time.monotonic() - last > self.seconds:
            log.warning("sync stalled: nothing received or applied for %.0f s; stopping it",
                        self.seconds)
            self.stop.stalled = True
            self.stop.set()
