"""Network faults at every step of a multi-page sync, through a fault-injecting proxy.

A real ``lapor-hub`` process on SQLite, the client through ``DeskContext`` (and the CLI once),
``tests/support/faultproxy.py`` in between. For each fault: the failing sync raises a
``LaporError`` with a plain message; after healing, the next sync completes and the replica
holds exactly the complaints a clean fresh sync gets, each once; the cursor never goes back and
the resumed sync downloads only what the partial one had not stored.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub, run_cli, start_hub, stop_hub
from faultproxy import Fault, FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import LaporError, OfflineError, ServerError, TimeoutError_
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import MemorySecrets, get_refresh_token
from lapor_desk.sync.engine import SyncProgress
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
PAGE = 16 * 1024  # the server's minimum page: 200 seeded complaints take several pages
CHANGES = "/sync/changes"
# Small, bounded retries: a persistent fault fails the sync quickly.
FAST: dict[str, Any] = {"attempts": 2, "backoff_base": 0.01, "connect_timeout": 2.0,
                        "read_timeout": 10.0, "deadline": 10.0}


# ---------------------------------------------------------------- fixtures and helpers

@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("faults-hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=200, seed=7)  # in-process: one interpreter start less
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


def hub_port(hub: Hub) -> int:
    return int(hub.url.rsplit(":", 1)[1])


def server_scope(hub: Hub, agency: str = AGENCY) -> set[str]:
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id FROM complaints WHERE agency_id = :a OR id IN "
                "(SELECT complaint_id FROM complaint_copies WHERE agency_id = :a)"),
                {"a": agency}).all()
    finally:
        engine.dispose()
    return {str(r[0]) for r in rows}


def hub_sql(hub: Hub, statement: str) -> None:
    engine = sa.create_engine(hub.db)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def new_ctx(home: Path, **options: Any) -> DeskContext:
    ctx = DeskContext.for_home(home, secrets=MemorySecrets(),
                               transport_options={**FAST, **options})
    ctx.settings.page_max_bytes = PAGE
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    return ctx


def replica_ids(ctx: DeskContext) -> list[str]:
    return list(ctx.open_store().ids(ComplaintQuery()))


@pytest.fixture(scope="module")
def clean(hub: Hub, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What a clean fresh sync gets (checked against the server's own tables)."""
    ctx = new_ctx(tmp_path_factory.mktemp("clean") / "profile")
    try:
        ctx.login(hub.url, "officer", PASSWORD)
        report = ctx.sync()
        ids = replica_ids(ctx)
    finally:
        ctx.close()
    assert report.pages >= 4, "the fault tests need a multi-page sync"
    assert len(ids) == len(set(ids))
    assert set(ids) == server_scope(hub)
    return set(ids)


@pytest.fixture
def proxy(hub: Hub) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", hub_port(hub)) as px:
        yield px


def positions(cursor: str | None) -> dict[str, int]:
    """The per-agency stream positions in an (opaque, signed) cursor; {} before the first."""
    if not cursor:
        return {}
    body = cursor.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return {str(k): int(v) for k, v in data["p"].items()}


class CursorWatch:
    """Reads the stored cursor after every applied page and checks it never goes back."""

    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx
        self.seen: list[dict[str, int]] = []
        self.hooks: list[Callable[[SyncProgress], None]] = []

    def check(self) -> None:
        pos = positions(self.ctx.open_store().sync_state().cursor)
        if self.seen:
            last = self.seen[-1]
            for agency, seq in last.items():
                assert pos.get(agency, -1) >= seq, f"cursor went back: {last} -> {pos}"
        self.seen.append(pos)

    def __call__(self, pr: SyncProgress) -> None:
        if pr.phase in ("pull", "done"):
            self.check()
        for hook in self.hooks:
            hook(pr)


def assert_plain(exc: LaporError) -> None:
    """A taxonomy error with its own plain message, not a wrapped library exception."""
    assert type(exc).__module__.startswith("lapor_desk."), type(exc)
    assert exc.__cause__ is None
    text = exc.message("en")
    assert text.startswith(type(exc).message_en), text
    for raw in ("Traceback", "urllib3", "requests.", "Errno", "HTTPConnection", "socket"):
        assert raw not in text, text


def fail_then_heal(ctx: DeskContext, proxy: FaultProxy, clean: set[str],
                   expected: type[LaporError],
                   during: Callable[[SyncProgress], None] | None = None) -> LaporError:
    """Run a sync that must fail with ``expected``, heal the link, sync again, check all."""
    watch = CursorWatch(ctx)
    if during is not None:
        watch.hooks.append(during)
    with pytest.raises(LaporError) as info:
        ctx.sync(progress=watch)
    exc = info.value
    assert isinstance(exc, expected), f"{type(exc).__name__}: {exc}"
    assert_plain(exc)
    partial = replica_ids(ctx)
    assert len(partial) == len(set(partial)) and set(partial) <= clean
    assert len(partial) < len(clean)
    assert ctx.open_store().sync_state().last_error == exc.code
    watch.check()

    watch.hooks.clear()  # the fault hook belongs to the failing sync only
    generous(ctx)
    proxy.heal()
    report = ctx.sync(progress=watch)
    ids = replica_ids(ctx)
    assert len(ids) == len(set(ids)), "duplicates in the replica"
    assert set(ids) == clean
    # Resumed from the last whole page: nothing stored before was downloaded again.
    assert len(partial) + report.received == len(clean)
    assert report.rejected == 0 and not report.reset
    state = ctx.open_store().sync_state()
    assert state.last_error is None and state.last_sync_at is not None
    assert ctx.sync().received == 0
    watch.check()
    return exc


def generous(ctx: DeskContext) -> None:
    """A short deadline proves a cut; the healed syncs get a long one (a loaded CI machine)."""
    ctx.transport().deadline = max(ctx.transport().deadline, 30.0)


def logged_in(tmp_path: Path, proxy: FaultProxy, **options: Any) -> DeskContext:
    """A signed-in profile; a short ``deadline`` applies after the login (a loaded machine
    may take longer than that to hash the password)."""
    deadline = options.pop("deadline", FAST["deadline"])
    ctx = new_ctx(tmp_path / "profile", **options)
    ctx.login(proxy.url, "officer", PASSWORD)
    ctx.transport().deadline = deadline
    proxy.reset_counters()
    return ctx


# ---------------------------------------------------------------- persistent faults

# (fault kind, requests to /sync/changes that pass first, response bytes before the fault,
#  the error the sync must end with)
PERSISTENT = [
    ("reset", 0, 0, OfflineError),  # first page: the server answered, the client sees a reset
    ("reset", 1, 300, OfflineError),  # inside the headers / first bytes of the body
    ("reset", 2, 4000, OfflineError),  # mid-body of a later (full) page
    ("truncate", 0, 150, OfflineError),
    ("truncate", 0, 30, OfflineError),  # inside the response head, after the status line
    ("truncate", 2, 6000, OfflineError),
    ("drop", 2, 0, OfflineError),  # the request never reaches the server
    ("status", 2, 0, ServerError),  # the server keeps answering 503
]


@pytest.mark.parametrize(("kind", "skip", "after", "error"), PERSISTENT,
                         ids=[f"{k}-page{s + 1}-at{a}" for k, s, a, _ in PERSISTENT])
def test_persistent_fault_fails_plainly_then_heals(
        proxy: FaultProxy, clean: set[str], tmp_path: Path, kind: str, skip: int, after: int,
        error: type[LaporError]) -> None:
    ctx = logged_in(tmp_path, proxy)
    try:
        proxy.arm(Fault(kind, CHANGES, skip=skip, after_bytes=after, times=None))
        fail_then_heal(ctx, proxy, clean, error)
        assert proxy.requests.count(("GET", "/api/v1/sync/changes")) > skip
    finally:
        ctx.close()


@pytest.mark.parametrize(("kind", "after"), [("hang", 0), ("stall", 3000)])
def test_hang_mid_sync_is_cut_by_the_deadline(proxy: FaultProxy, clean: set[str],
                                              tmp_path: Path, kind: str, after: int) -> None:
    """No answer at all, or part of the body and then silence on an open connection."""
    # A read timeout longer than the deadline: only the total deadline can end the request.
    ctx = logged_in(tmp_path, proxy, deadline=1.0, read_timeout=60.0, attempts=1)
    try:
        proxy.arm(Fault(kind, CHANGES, skip=2, after_bytes=after, times=None))
        exc = fail_then_heal(ctx, proxy, clean, TimeoutError_)
        assert exc.detail == "deadline"
    finally:
        ctx.close()


@pytest.mark.parametrize("at_page", [1, 2])  # later, the last page may be prefetched
def test_link_refused_mid_sync(proxy: FaultProxy, clean: set[str], tmp_path: Path,
                               at_page: int) -> None:
    ctx = logged_in(tmp_path, proxy)

    def refuse(pr: SyncProgress) -> None:
        if pr.phase == "pull" and pr.pages == at_page:
            proxy.refuse()  # the port closes and the connections in flight are reset

    try:
        fail_then_heal(ctx, proxy, clean, OfflineError, during=refuse)
    finally:
        ctx.close()


def test_refused_from_the_start(proxy: FaultProxy, clean: set[str], tmp_path: Path) -> None:
    ctx = logged_in(tmp_path, proxy)
    try:
        proxy.refuse()
        with pytest.raises(OfflineError) as info:
            ctx.sync()
        assert_plain(info.value)
        assert replica_ids(ctx) == []
        proxy.heal()
        assert ctx.sync().received == len(clean)
        assert set(replica_ids(ctx)) == clean
    finally:
        ctx.close()


def test_black_hole_from_the_start_is_cut_by_the_deadline(proxy: FaultProxy, clean: set[str],
                                                          tmp_path: Path) -> None:
    ctx = logged_in(tmp_path, proxy, deadline=0.5, read_timeout=60.0, connect_timeout=60.0,
                    attempts=2)
    try:
        proxy.blackhole = True
        with pytest.raises(TimeoutError_) as info:
            ctx.sync()
        assert info.value.detail == "deadline"
        assert_plain(info.value)
        assert proxy.bytes_up > 0 and proxy.bytes_down == 0  # swallowed, never answered
        generous(ctx)
        proxy.heal()
        assert ctx.sync().received == len(clean)
        assert set(replica_ids(ctx)) == clean
    finally:
        ctx.close()


def test_slow_drip_is_cut_by_the_deadline(proxy: FaultProxy, clean: set[str],
                                          tmp_path: Path) -> None:
    # 2,000 bytes/s for 16 KiB pages: every read makes progress, so no read timeout fires.
    ctx = logged_in(tmp_path, proxy, deadline=1.0, read_timeout=60.0, attempts=1)

    def slow_down(pr: SyncProgress) -> None:
        if pr.phase == "pull" and pr.pages == 1:
            proxy.bandwidth = 2000

    try:
        exc = fail_then_heal(ctx, proxy, clean, TimeoutError_, during=slow_down)
        assert exc.detail == "deadline"
    finally:
        ctx.close()


def test_refresh_response_lost_mid_sync_then_grace(hub: Hub, proxy: FaultProxy,
                                                   clean: set[str], tmp_path: Path) -> None:
    """Token expiry mid-sync, and the server rotates the refresh token but the answer is
    reset: the sync fails plainly; the next one refreshes with the old token (grace)."""
    ctx = logged_in(tmp_path, proxy, attempts=1)

    def expire(pr: SyncProgress) -> None:
        if pr.phase == "pull" and pr.pages == 1:
            ctx.engine().prefetch = False  # the next request is made after this point
            hub_sql(hub, "UPDATE tokens SET expires_at = 1 WHERE kind = 'access'")
            proxy.arm(Fault("reset", "/auth/refresh", after_bytes=0, times=None))

    try:
        fail_then_heal(ctx, proxy, clean, OfflineError, during=expire)
        assert ("POST", "/api/v1/auth/refresh") in proxy.requests
    finally:
        ctx.close()


# ---------------------------------------------------------------- transient faults

TRANSIENT = [  # (503 bursts: below)
    ("reset", 1, 0),
    ("truncate", 3, 100),
    ("hang", 2, 0),
]


@pytest.mark.parametrize(("kind", "skip", "after"), TRANSIENT,
                         ids=[f"{k}-page{s + 1}" for k, s, _ in TRANSIENT])
def test_one_transient_fault_is_retried_within_the_sync(
        proxy: FaultProxy, clean: set[str], tmp_path: Path, kind: str, skip: int,
        after: int) -> None:
    ctx = logged_in(tmp_path, proxy, attempts=3, deadline=30.0)
    if kind == "hang":
        ctx.transport().deadline = 1.5  # ends the swallowed request; the retry is quick
    try:
        fault = Fault(kind, CHANGES, skip=skip, after_bytes=after, times=1)
        proxy.arm(fault)
        watch = CursorWatch(ctx)
        report = ctx.sync(progress=watch)
        assert fault.fired == 1
        ids = replica_ids(ctx)
        assert len(ids) == len(set(ids)) and set(ids) == clean
        assert report.received == len(clean)
    finally:
        ctx.close()


def test_5xx_burst_is_retried_with_backoff(proxy: FaultProxy, clean: set[str],
                                           tmp_path: Path) -> None:
    delays: list[float] = []
    ctx = logged_in(tmp_path, proxy, attempts=4, backoff_base=0.2, sleep=delays.append)
    try:
        proxy.arm(Fault("status", CHANGES, skip=1, times=3, status=503))
        report = ctx.sync()
        assert report.received == len(clean) and set(replica_ids(ctx)) == clean
        assert len(delays) == 3
        for attempt, delay in enumerate(delays, start=1):
            assert 0 <= delay <= 0.2 * 2 ** (attempt - 1)  # full jitter, doubling ceiling
    finally:
        ctx.close()


def test_429_retry_after_is_honoured(proxy: FaultProxy, clean: set[str],
                                     tmp_path: Path) -> None:
    delays: list[float] = []
    ctx = logged_in(tmp_path, proxy, attempts=3, backoff_base=0.01, sleep=delays.append)
    try:
        proxy.arm(Fault("status", CHANGES, skip=2, times=1, status=429, retry_after=7))
        assert ctx.sync().received == len(clean)
        assert delays and delays[0] >= 7
    finally:
        ctx.close()


def test_5xx_burst_longer_than_the_retries_fails_then_heals(
        proxy: FaultProxy, clean: set[str], tmp_path: Path) -> None:
    delays: list[float] = []
    ctx = logged_in(tmp_path, proxy, attempts=3, sleep=delays.append)
    try:
        proxy.arm(Fault("status", CHANGES, skip=1, times=5, status=502))
        fail_then_heal(ctx, proxy, clean, ServerError)
        assert len(delays) == 2
    finally:
        ctx.close()


# ---------------------------------------------------------------- the CLI

def test_cli_sync_fault_is_one_plain_line_then_heals(proxy: FaultProxy, clean: set[str],
                                                     tmp_path: Path) -> None:
    home = tmp_path / "cli"
    ctx = DeskContext.for_home(home)  # the test keyring, as the CLI uses it
    ctx.settings.page_max_bytes = PAGE
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    ctx.login(proxy.url, "officer", PASSWORD)
    ctx.close()
    proxy.arm(Fault("reset", CHANGES, skip=1, after_bytes=500, times=None))
    failed = run_cli("lapor_desk", "--home", str(home), "sync", check=False,
                     env={"LAPOR_DESK_LANG": "en"})
    assert failed.returncode == OfflineError.exit_code
    assert "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines() == [failed.stderr.strip()]
    assert failed.stderr.startswith(OfflineError.message_en)
    proxy.heal()
    report = json.loads(run_cli("lapor_desk", "--home", str(home), "sync", "--json").stdout)
    with DeskContext.for_home(home) as again:
        ids = replica_ids(again)
    assert len(ids) == len(set(ids)) and set(ids) == clean
    assert 0 < report["received"] < len(clean)  # resumed, not restarted


# ---------------------------------------------------------------- cancel

def test_cancel_while_a_page_request_hangs_ends_the_sync_as_cancelled(
        proxy: FaultProxy, clean: set[str], tmp_path: Path) -> None:
    # A long deadline: only the cancel can end this sync early (it must not wait for the
    # deadline, nor report a cancelled sync as a network failure).
    ctx = logged_in(tmp_path, proxy, deadline=40.0, read_timeout=60.0, attempts=3)
    # The first page hangs, so the sync thread is waiting for it when the cancel comes (a hang
    # of a prefetched page can be cancelled while the page before it is being applied).
    fault = Fault("hang", CHANGES, times=None)
    cancel = threading.Event()

    def cancel_once_hung() -> None:
        for _ in range(500):  # bounded: at most ~5 s
            if fault.fired:
                break
            time.sleep(0.01)
        cancel.set()

    try:
        proxy.arm(fault)
        helper = threading.Thread(target=cancel_once_hung)
        helper.start()
        try:
            report = ctx.sync(cancel=cancel)
        finally:
            helper.join()
        assert fault.fired and report.cancelled and report.pages == 0
        assert report.seconds < 20, "the cancel waited for the transport deadline"
        generous(ctx)
        proxy.heal()
        ctx.sync()
        assert set(replica_ids(ctx)) == clean
    finally:
        ctx.close()


# ---------------------------------------------------------------- login

LOGIN_FAULTS = [
    ("reset", "/auth/login", 0, OfflineError),  # the server made the tokens; the answer is lost
    ("truncate", "/auth/login", 200, OfflineError),
    ("status", "/health", 0, ServerError),
]


@pytest.mark.parametrize(("kind", "path", "after", "error"), LOGIN_FAULTS,
                         ids=[f"{k}-{p.strip('/').replace('/', '-')}"
                              for k, p, _, _ in LOGIN_FAULTS])
def test_login_fault_stores_nothing_then_login_and_sync_work(
        proxy: FaultProxy, clean: set[str], tmp_path: Path, kind: str, path: str, after: int,
        error: type[LaporError]) -> None:
    secrets = MemorySecrets()
    ctx = DeskContext.for_home(tmp_path / "profile", secrets=secrets,
                               transport_options={**FAST, "attempts": 1})
    ctx.settings.page_max_bytes = PAGE
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    try:
        proxy.arm(Fault(kind, path, after_bytes=after, times=None))
        with pytest.raises(LaporError) as info:
            ctx.login(proxy.url, "officer", PASSWORD)
        assert isinstance(info.value, error), repr(info.value)
        assert_plain(info.value)
        assert get_refresh_token(secrets) is None and ctx.settings.username is None
        assert not ctx.is_logged_in()
        proxy.heal()
        ctx.login(proxy.url, "officer", PASSWORD)
        assert ctx.sync().received == len(clean)
        assert set(replica_ids(ctx)) == clean
    finally:
        ctx.close()


# ---------------------------------------------------------------- faults while the server changes

def test_server_changes_during_a_failed_sync_converge_after_healing(tmp_path: Path) -> None:
    """Mid-sync the server updates complaints already received and not yet received and gets
    new ones; the link then fails. After healing, the replica equals the server: every id
    once, every version and changed title the server's."""
    from lapor_hub import db as hub_db
    from lapor_hub.jsonl import export_jsonl, import_jsonl

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url, complaints=200, seed=11)
    hub = start_hub(url, tmp_path / "hub.log")
    engine = hub_db.make_engine(url)
    changed: dict[str, str] = {}
    try:
        out = io.StringIO()
        export_jsonl(engine, out, include_confidential=True)
        docs = {d["id"]: d for d in map(json.loads, out.getvalue().splitlines())}
        with FaultProxy("127.0.0.1", hub_port(hub)) as proxy:
            ctx = logged_in(tmp_path, proxy)

            def change_server(pr: SyncProgress) -> None:
                if pr.phase != "pull" or pr.pages != 1 or changed:
                    return
                have = set(replica_ids(ctx))
                scope = server_scope(hub)
                picks = sorted(have)[:4] + sorted(scope - have)[:4]
                lines = []
                for cid in picks:
                    doc = dict(docs[cid], title=f"Diperbarui saat sinkron {cid[:8]}")
                    changed[cid] = doc["title"]
                    lines.append(doc)
                for i in range(3):
                    new = dict(docs[picks[0]], id=str(uuid.uuid4()), tracking_id=None,
                               title=f"Pengaduan baru {i}", comments=[], responses=[])
                    lines.append(new)
                data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines)
                assert not import_jsonl(engine, io.BytesIO(data.encode())).errors
                proxy.arm(Fault("reset", CHANGES, after_bytes=0, times=None))

            try:
                watch = CursorWatch(ctx)
                watch.hooks.append(change_server)
                with pytest.raises(OfflineError):
                    ctx.sync(progress=watch)
                assert len(changed) == 8
                watch.hooks.clear()
                proxy.heal()
                ctx.sync(progress=watch)
                expected = server_scope(hub)
                ids = replica_ids(ctx)
                assert len(ids) == len(set(ids)) and set(ids) == expected
                with engine.connect() as conn:
                    versions = {str(r[0]): (int(r[1]), str(r[2])) for r in conn.execute(
                        sa.text("SELECT id, version, title FROM complaints"))}
                store = ctx.open_store()
                for cid in ids:
                    detail = store.detail(cid)
                    assert (detail.version, detail.row.title) == versions[cid], cid
                for cid, title in changed.items():
                    assert store.detail(cid).row.title == title
            finally:
                ctx.close()
    finally:
        engine.dispose()
        stop_hub(hub)


# ---------------------------------------------------------------- push

PUSH_FAULTS = [
    ("truncate", 120, OfflineError),  # the server applied the command; half an answer arrives
    ("truncate", 30, OfflineError),  # cut inside the head: not "invalid data" (soak run)
    ("stall", 60, TimeoutError_),  # the server applied it; the answer stops mid-way
    ("drop", 0, OfflineError),  # the command never reaches the server
]


@pytest.mark.parametrize(("kind", "after", "error"), PUSH_FAULTS,
                         ids=[k for k, _, _ in PUSH_FAULTS])
def test_push_fault_then_heal_takes_effect_exactly_once(
        hub: Hub, proxy: FaultProxy, clean: set[str], tmp_path: Path, kind: str, after: int,
        error: type[LaporError]) -> None:
    ctx = logged_in(tmp_path, proxy, attempts=1)
    try:
        ctx.sync()
        store = ctx.open_store()
        cid = next(r.id for r in store.rows(replica_ids(ctx)) if r.agency_id == AGENCY)
        marker = f"Catatan uji gangguan {uuid.uuid4().hex}"
        ctx.outbox().add_note(cid, marker)
        ctx.transport().deadline = 1.0
        proxy.arm(Fault(kind, "/sync/push", after_bytes=after, times=None))
        with pytest.raises(LaporError) as info:
            ctx.sync()
        assert isinstance(info.value, error), repr(info.value)
        assert_plain(info.value)
        assert ctx.status().pending == 1  # the client has no outcome yet
        generous(ctx)
        proxy.heal()
        ctx.sync()
        assert ctx.status().pending == 0
        assert [e.state for e in ctx.outbox().entries()] == ["applied"]
        engine = sa.create_engine(hub.db)
        try:
            with engine.connect() as conn:
                notes = conn.execute(sa.text(
                    "SELECT count(*) FROM thread_entries WHERE body = :b"), {"b": marker}
                ).scalar_one()
        finally:
            engine.dispose()
        assert notes == 1
        ids = replica_ids(ctx)
        assert len(ids) == len(set(ids)) and set(ids) == clean
    finally:
        ctx.close()


def _asked_sizes(px: FaultProxy) -> list[int]:
    from urllib.parse import parse_qs, urlsplit

    return [int(parse_qs(urlsplit(target).query)["max_bytes"][0])
            for target in px.targets if urlsplit(target).path.endswith(CHANGES)]


def test_pages_grow_on_a_fast_link_and_stay_small_on_a_slow_one(
        hub: Hub, proxy: FaultProxy, tmp_path: Path, clean: set[str]) -> None:
    """Fewer, bigger pages where the link is fast (fewer commits), the configured size where
    it is slow (a drop loses little); a page never asks for more than twice the last one."""
    fast = new_ctx(tmp_path / "fast")
    fast.settings.page_grow_max_bytes = 2 * PAGE
    try:
        fast.login(proxy.url, "officer", PASSWORD)
        proxy.reset_counters()
        fast.sync()
        assert set(replica_ids(fast)) == clean
    finally:
        fast.close()
    sizes = _asked_sizes(proxy)
    assert sizes and sizes[0] == PAGE and max(sizes) == 2 * PAGE, sizes
    assert all(b <= 2 * a for a, b in itertools.pairwise(sizes)), sizes

    slow = new_ctx(tmp_path / "slow")
    slow.settings.page_grow_max_bytes = 2 * PAGE
    cancel = threading.Event()
    try:
        slow.login(proxy.url, "officer", PASSWORD)
        proxy.reset_counters()
        proxy.bandwidth = 10_000  # bytes/s: a 16 KiB page takes well over the second aimed at
        slow.sync(lambda pr: cancel.set() if pr.pages >= 2 else None, cancel)
    finally:
        proxy.heal()
        slow.close()
    assert _asked_sizes(proxy)[:2] == [PAGE, PAGE]
