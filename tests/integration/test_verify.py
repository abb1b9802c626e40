"""Verify and repair against a real lapor-hub process (SQLite and PostgreSQL).

The local replica is damaged in several ways (a complaint row deleted, a version rolled back,
a version pushed above the server's, a complaint of another agency added with a draft on it);
a sync with ``verify`` must repair exactly those complaints and nothing else: the requests
are counted on the wire by the fault proxy (used here only as a counter) and every upserted
complaint is counted in the report. A server write between the checksums and the listing
must make the client skip the repair, never repair into a wrong state.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub
from faultproxy import FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import LaporError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_desk.sync.checksums import SKIP_MOVED, Verifier, local_items
from lapor_desk.sync.validate import parse_page
from lapor_hub import db as hub_db_mod
from lapor_hub import store as hub_store

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
FAST = {"attempts": 2, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}
API = p.API_PREFIX


def server_scope(hub: Hub, agency: str = AGENCY) -> dict[str, int]:
    """The oracle: {complaint id: version} the server holds for the agency (primary or copy)."""
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, version FROM complaints WHERE agency_id = :a OR id IN "
                "(SELECT complaint_id FROM complaint_copies WHERE agency_id = :a)"),
                {"a": agency}).all()
    finally:
        engine.dispose()
    return {str(r[0]): int(r[1]) for r in rows}


def foreign_doc(hub: Hub, agency: str = AGENCY) -> p.ComplaintDoc:
    """A complaint the agency cannot see at all (another agency's, no copy)."""
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            raw = conn.execute(sa.text(
                "SELECT doc FROM complaints WHERE agency_id <> :a AND id NOT IN "
                "(SELECT complaint_id FROM complaint_copies WHERE agency_id = :a) "
                "AND status NOT IN ('selesai', 'ditutup') ORDER BY id LIMIT 1"),
                {"a": agency}).scalar_one()
    finally:
        engine.dispose()
    page, rejected = parse_page({"protocol": p.PROTOCOL_VERSION, "epoch": "x", "cursor": "x",
                                 "has_more": False, "reference": None, "removed": [],
                                 "remaining": 0, "complaints": [json.loads(raw)]})
    assert not rejected
    return page["complaints"][0]


def touch_on_server(hub: Hub, complaint_id: str) -> None:
    """A real server write (new version, stream bump), as a concurrent officer would cause."""
    engine = hub_db_mod.make_engine(hub.db)
    try:
        with hub_db_mod.write_tx(engine) as conn:
            c = hub_store.load_complaints(conn, [complaint_id])[0]
            c.tags = sorted({*c.tags, f"t{time.monotonic_ns()}"})[-5:]
            hub_store.write_complaints(conn, [c])
    finally:
        engine.dispose()


def replica(ctx: DeskContext) -> dict[str, int]:
    return {cid: v for cid, (v, _) in local_items(ctx.open_store(), AGENCY).items()}


def verify_requests(proxy: FaultProxy) -> list[str]:
    return [path.removeprefix(API) for _m, path in proxy.requests
            if path.removeprefix(API) in ("/sync/checksums", "/sync/listing", "/sync/fetch")]


@pytest.fixture
def proxy(seeded_hub: Hub) -> Iterator[FaultProxy]:
    port = int(seeded_hub.url.rsplit(":", 1)[1])
    with FaultProxy("127.0.0.1", port) as px:
        yield px


@pytest.fixture
def ctx(tmp_path: Path, proxy: FaultProxy) -> Iterator[DeskContext]:
    c = DeskContext.for_home(tmp_path / "profile", secrets=MemorySecrets(),
                             transport_options=FAST)
    c.login(proxy.url, "officer", PASSWORD)
    c.sync()
    yield c
    c.close()


def test_clean_replica_costs_one_small_request(ctx: DeskContext, proxy: FaultProxy,
                                               seeded_hub: Hub) -> None:
    proxy.reset_counters()
    report = ctx.sync(verify=True)
    assert report.verified and report.buckets_differed == 0
    assert report.repaired == report.repair_removed == report.received == 0
    assert verify_requests(proxy) == ["/sync/checksums"]
    assert replica(ctx) == server_scope(seeded_hub)


def test_damaged_replica_repairs_exactly_the_damage(ctx: DeskContext, proxy: FaultProxy,
                                                    seeded_hub: Hub) -> None:
    store = ctx.open_store()
    expected = server_scope(seeded_hub)
    assert replica(ctx) == expected
    ids = sorted(expected)
    deleted, rolled_back, ahead = ids[3], ids[10], ids[20]
    foreign = foreign_doc(seeded_hub)
    assert foreign["id"] not in expected
    # Damage: a row lost, a version rolled back (and its title with it), a version the server
    # never had, and a complaint from outside the scope with a draft written on it.
    cursor = store.sync_state().cursor
    assert cursor is not None
    assert store.repair([foreign], [], cursor=cursor) is not None
    draft = ctx.outbox().save_draft(foreign["id"], "Jawaban yang tidak boleh hilang.")
    before_title = store.detail(rolled_back).row.title
    with store.write() as conn:
        conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (deleted,))
        conn.exec_driver_sql("UPDATE complaints SET version = version - 1, title = 'lama' "
                             "WHERE id = ?", (rolled_back,))
        conn.exec_driver_sql("UPDATE complaints SET version = version + 7 WHERE id = ?",
                             (ahead,))
    assert replica(ctx) != expected
    untouched = {cid: store.detail(cid).row for cid in ids[30:40]}

    proxy.reset_counters()
    report = ctx.sync(verify=True)

    damaged = {deleted, rolled_back, ahead, foreign["id"]}
    assert report.verified
    assert report.buckets_differed == len({p.bucket_of(c) for c in damaged})
    assert (report.repaired, report.repair_removed) == (3, 1)
    # One listing of the differing buckets, one fetch of the three stale complaints.
    assert verify_requests(proxy) == ["/sync/checksums", "/sync/listing", "/sync/fetch"]
    assert replica(ctx) == expected
    assert store.detail(rolled_back).row.title == before_title
    assert {cid: store.detail(cid).row for cid in ids[30:40]} == untouched
    # The foreign complaint is gone; the draft written on it is kept, orphaned.
    assert foreign["id"] not in replica(ctx)
    kept = ctx.outbox().draft(draft.id)
    assert kept.body == "Jawaban yang tidak boleh hilang." and kept.state == "orphaned"
    # Repaired: the next verification finds nothing.
    proxy.reset_counters()
    again = ctx.sync(verify=True)
    assert again.verified and again.buckets_differed == 0
    assert verify_requests(proxy) == ["/sync/checksums"]


class _WriteAfterChecksums:
    """The real transport; a real server write lands right after the checksums answer."""

    def __init__(self, inner: Any, hub: Hub, complaint_id: str) -> None:
        self.inner = inner
        self.hub = hub
        self.complaint_id = complaint_id
        self.done = False

    def __getattr__(self, name: str) -> Any:  # everything else: the real transport
        return getattr(self.inner, name)

    def request(self, method: str, path: str, **kw: Any) -> Any:
        result = self.inner.request(method, path, **kw)
        if path == "/sync/checksums" and not self.done:
            self.done = True
            touch_on_server(self.hub, self.complaint_id)
        return result


def test_head_moving_during_verification_repairs_nothing(ctx: DeskContext,
                                                         seeded_hub: Hub) -> None:
    store = ctx.open_store()
    ids = sorted(server_scope(seeded_hub))
    damaged, written = ids[5], ids[6]
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE complaints SET version = version - 1 WHERE id = ?",
                             (damaged,))
    snapshot = replica(ctx)
    engine = ctx.engine()
    verifier = Verifier(store, _WriteAfterChecksums(ctx.transport(), seeded_hub, written),
                        engine.auth, AGENCY, scope={AGENCY})  # type: ignore[arg-type]
    result = verifier.verify()
    # The checksums were taken at our position, the listing is not: nothing is touched.
    assert result.checked and result.buckets_differed >= 1
    assert result.skipped == SKIP_MOVED and result.repaired == result.removed == 0
    assert replica(ctx) == snapshot

    # The next sync pulls the write, then verifies at the new head and repairs the damage.
    report = ctx.sync(verify=True)
    assert report.verified and report.repaired == 1
    assert replica(ctx) == server_scope(seeded_hub)


def test_sync_verify_pulls_the_concurrent_write_and_verifies_again(
        ctx: DeskContext, seeded_hub: Hub, proxy: FaultProxy) -> None:
    store = ctx.open_store()
    ids = sorted(server_scope(seeded_hub))
    damaged, written = ids[8], ids[9]
    with store.write() as conn:
        conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (damaged,))
    engine = ctx.engine()
    engine.transport = _WriteAfterChecksums(engine.transport, seeded_hub,  # type: ignore[assignment]
                                            written)
    proxy.reset_counters()
    report = engine.sync(verify=True)
    # Round one stopped at the moved head; the write was pulled; round two repaired.
    assert report.verified and report.verify_skipped is None
    assert report.repaired == 1 and report.repair_removed == 0
    assert verify_requests(proxy) == ["/sync/checksums", "/sync/listing",
                                      "/sync/checksums", "/sync/listing", "/sync/fetch"]
    assert replica(ctx) == server_scope(seeded_hub)


def test_verify_behind_the_head_is_skipped(ctx: DeskContext, seeded_hub: Hub,
                                           proxy: FaultProxy) -> None:
    ids = sorted(server_scope(seeded_hub))
    touch_on_server(seeded_hub, ids[0])  # not pulled: our cursor is behind
    engine = ctx.engine()
    proxy.reset_counters()
    result = Verifier(ctx.open_store(), ctx.transport(), engine.auth, AGENCY).verify()
    assert not result.checked and result.skipped == SKIP_MOVED
    assert verify_requests(proxy) == ["/sync/checksums"]


def test_concurrent_writer_never_causes_a_wrong_repair(ctx: DeskContext,
                                                       seeded_hub: Hub) -> None:
    ids = sorted(server_scope(seeded_hub))
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        i = 0
        try:
            while not stop.is_set():
                touch_on_server(seeded_hub, ids[i % 15])
                i += 1
                time.sleep(0.02)
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        for _ in range(6):
            try:
                report = ctx.sync(verify=True)
            except LaporError as exc:  # a busy server may refuse a request; never a bad state
                pytest.fail(f"sync failed under a concurrent writer: {exc.code}")
            # Whatever the interleaving, a repair only ever happens at the head: a verified
            # sync never finds more than what the writer changed meanwhile.
            assert report.repair_removed == 0
    finally:
        stop.set()
        thread.join(10)
    assert not errors
    final = ctx.sync(verify=True)
    assert final.verified and final.buckets_differed == 0
    assert replica(ctx) == server_scope(seeded_hub)
    assert len(ctx.open_store().ids(ComplaintQuery())) == len(server_scope(seeded_hub))


def test_verification_runs_by_itself_every_n_syncs(tmp_path: Path, proxy: FaultProxy,
                                                   seeded_hub: Hub) -> None:
    c = DeskContext.for_home(tmp_path / "every", secrets=MemorySecrets(),
                             transport_options=FAST)
    c.settings.verify_every_syncs = 2
    c.settings.verify_every_minutes = 0  # off: only the count decides here
    try:
        c.login(proxy.url, "officer", PASSWORD)
        assert not c.sync().verified  # the first sync of the session
        store = c.open_store()
        victim = sorted(server_scope(seeded_hub))[7]
        with store.write() as conn:
            conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (victim,))
        second = c.sync()
        assert second.verified and second.repaired == 1
        assert not c.sync().verified  # counted again from zero
        assert replica(c) == server_scope(seeded_hub)
    finally:
        c.close()


def test_repair_of_a_copy_keeps_the_feed_redaction(ctx: DeskContext, seeded_hub: Hub) -> None:
    """A confidential complaint of another agency, copied to ours: the repair refetches the
    copy view (placeholders), and a local row that claims to be ours is caught by its kind."""
    engine = hub_db_mod.make_engine(seeded_hub.db)
    try:
        with engine.connect() as conn:
            other = conn.execute(sa.text(
                "SELECT id FROM complaints WHERE agency_id <> :a ORDER BY id LIMIT 2"),
                {"a": AGENCY}).scalars().all()
        with hub_db_mod.write_tx(engine) as conn:
            docs = hub_store.load_complaints(conn, list(other))
            for c in docs:
                c.is_confidential = True
                c.copy_agency_ids = sorted({*c.copy_agency_ids, AGENCY})
            hub_store.write_complaints(conn, docs)
    finally:
        engine.dispose()
    ctx.sync()
    store = ctx.open_store()
    lost, claimed = str(other[0]), str(other[1])
    assert store.detail(lost).row.title == "[Rahasia]"
    with store.write() as conn:
        conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (lost,))
        # Same id and version, but stored as if our agency were the primary one.
        conn.exec_driver_sql("UPDATE complaints SET agency_id = ? WHERE id = ?",
                             (AGENCY, claimed))
    report = ctx.sync(verify=True)
    assert report.verified and report.repaired == 2
    for cid in (lost, claimed):
        detail = store.detail(cid)
        assert detail.row.title == "[Rahasia]" and detail.row.agency_id != AGENCY
        assert detail.reporter_name is None
    assert ctx.sync(verify=True).buckets_differed == 0
