"""``kill -9`` of a ``lapor-desk sync`` process at random points of a multi-page first sync.

After each kill: the replica opens with the key from the (test) keyring, ``PRAGMA
integrity_check`` is ok, the stored cursor covers exactly the complaints stored (whole pages,
never part of one), and the next sync completes with exactly the server's complaints for the
scope, each once, downloading only what was missing.

``bench/kill_test.py`` runs many more trials with the same ``kill_trial``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, Hub, start_hub, stop_hub

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.store import Store
from lapor_desk.secrets import SERVICE
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
PAGE = 16 * 1024  # the server's minimum page size
TRIALS = 8  # a bound for CI; bench/kill_test.py runs 50 or more
COMPLAINTS = 500  # about 300 in the officer's scope: some 10 pages of 16 KiB


# ---------------------------------------------------------------- the trial (shared with bench)

def server_stream(db_url: str, agency: str = AGENCY) -> dict[str, int]:
    """{complaint id: seq} of the agency's change stream on the server (no removals here)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT complaint_id, seq FROM stream WHERE agency_id = :a AND NOT removed"),
                {"a": agency}).all()
    finally:
        engine.dispose()
    return {str(r[0]): int(r[1]) for r in rows}


def cursor_position(cursor: str | None, agency: str = AGENCY) -> int:
    if not cursor:
        return 0
    body = cursor.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return int(data["p"].get(agency, 0))


def keyring_entry(keyring_file: Path, name: str, profile_id: str) -> str | None:
    """An entry of the file-backed test keyring (tests/support/test_keyring.py)."""
    try:
        data = json.loads(keyring_file.read_text())
    except FileNotFoundError:
        return None
    value = data.get(f"{SERVICE}\0{name}:{profile_id}")
    return None if value is None else str(value)


def prepare_profile(home: Path, url: str) -> None:
    """A signed-in profile (the test keyring) with an empty replica and small pages."""
    ctx = DeskContext.for_home(home)
    try:
        ctx.settings.page_max_bytes = PAGE
        ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
        ctx.login(url, "officer", PASSWORD)
    finally:
        ctx.close()


# A pre-imported interpreter that forks one ``lapor_desk.cli.main(["sync"])`` process per trial:
# the same code as ``python -m lapor_desk sync``, without paying the interpreter start-up (seconds
# on a loaded CI machine) before every kill. Children are reaped by the zygote (SIGCHLD ignored).
_ZYGOTE = """
import os, signal, sys
import alembic.command, keyring, requests, sqlalchemy, sqlcipher3.dbapi2
import lapor_desk.cli, lapor_desk.core, lapor_desk.models.store, lapor_desk.sync.engine
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
print("ready", flush=True)
for line in sys.stdin:
    home = line.strip()
    if not home:
        break
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        code = 70
        try:
            code = lapor_desk.cli.main(["--home", home, "sync", "--json"])
        finally:
            os._exit(code)
    print(pid, flush=True)
"""


class SyncLauncher:
    """Starts ``lapor-desk sync`` processes (forked from the zygote); kill and wait by pid."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _ZYGOTE], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=ROOT, env=os.environ.copy(),
                                     text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        assert self.proc.stdout.readline().strip() == "ready"

    def start(self, home: Path) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{home}\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    @staticmethod
    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait(self, pid: int, timeout: float) -> bool:
        """True if the process ended within ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while self.alive(pid):
            if time.monotonic() >= end:
                return False
            time.sleep(0.002)
        return True

    def kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        assert self.wait(pid, 30)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> SyncLauncher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_sync(launcher: SyncLauncher, home: Path) -> tuple[int, float]:
    """Start a sync and wait (bounded) until it creates the replica, i.e. until the sync proper
    begins; returns the pid and that moment."""
    pid = launcher.start(home)
    db_path = home / "replica.db"
    deadline = time.monotonic() + 60
    while not db_path.exists() and launcher.alive(pid) and time.monotonic() < deadline:
        time.sleep(0.001)
    return pid, time.monotonic()


def timed_clean_sync(launcher: SyncLauncher, home: Path) -> float:
    """Seconds from the creation of the replica to the end of a complete sync process."""
    pid, began = start_sync(launcher, home)
    assert launcher.wait(pid, 60)
    return time.monotonic() - began


@dataclass
class TrialResult:
    kill_after: float
    killed: bool  # False: the sync had already finished
    stored_after_kill: int  # complaints in the replica right after the kill
    integrity: str  # PRAGMA integrity_check
    fts_mismatch: int  # complaints without their search-index row, or index rows without one
    covered_by_cursor: int  # complaints the stored cursor says were applied
    missing_under_cursor: int  # covered by the cursor but absent (lost)
    beyond_cursor: int  # stored but not covered (part of an uncommitted page)
    duplicates: int  # after the resumed sync
    lost: int  # in the server's scope but absent after the resumed sync
    extra: int  # present after the resumed sync but not in the scope
    refetched: int  # received again although stored before the kill

    @property
    def ok(self) -> bool:
        return (self.integrity == "ok" and self.fts_mismatch == 0
                and self.missing_under_cursor == 0
                and self.beyond_cursor == 0 and self.duplicates == 0 and self.lost == 0
                and self.extra == 0 and self.refetched == 0)


def kill_trial(launcher: SyncLauncher, home: Path, url: str, db_url: str, keyring_file: Path,
               kill_after: float) -> TrialResult:
    """Sign in, start ``lapor-desk sync``, SIGKILL it ``kill_after`` s after the replica was
    created, inspect the replica, resume with a new sync and compare with the server."""
    prepare_profile(home, url)
    pid, began = start_sync(launcher, home)
    killed = not launcher.wait(pid, max(0.0, began + kill_after - time.monotonic()))
    if killed:
        launcher.kill(pid)

    stream = server_stream(db_url)
    profile_id = json.loads((home / "settings.json").read_text())["profile_id"]
    stored: list[str] = []
    integrity = "ok"
    fts_mismatch = 0
    cursor: str | None = None
    db_path = home / "replica.db"
    if db_path.exists():
        key = keyring_entry(keyring_file, "db-key", profile_id)
        assert key is not None, "a replica exists without its key in the keyring"
        store = Store.open(db_path, bytes.fromhex(key))
        try:
            with store.read() as conn:
                integrity = "; ".join(str(r[0]) for r in
                                      conn.exec_driver_sql("PRAGMA integrity_check").all())
                rids = {r[0] for r in conn.exec_driver_sql("SELECT rid FROM complaints")}
                indexed = {r[0] for r in
                           conn.exec_driver_sql("SELECT rowid FROM complaints_fts")}
                fts_mismatch = len(rids ^ indexed)
            stored = list(store.ids(ComplaintQuery()))
            cursor = store.sync_state().cursor
        finally:
            store.close()
    position = cursor_position(cursor)
    covered = {cid for cid, seq in stream.items() if seq <= position}
    stored_set = set(stored)

    ctx = DeskContext.for_home(home)
    try:
        report = ctx.sync()
        after = list(ctx.open_store().ids(ComplaintQuery()))
    finally:
        ctx.close()
    expected = set(stream)
    return TrialResult(
        kill_after=kill_after, killed=killed, stored_after_kill=len(stored),
        integrity=integrity, fts_mismatch=fts_mismatch, covered_by_cursor=len(covered),
        missing_under_cursor=len(covered - stored_set), beyond_cursor=len(stored_set - covered),
        duplicates=len(after) - len(set(after)), lost=len(expected - set(after)),
        extra=len(set(after) - expected),
        refetched=max(0, len(stored_set) + report.received - len(expected)),
    )


# ---------------------------------------------------------------- the test

@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("crash-hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=COMPLAINTS, seed=7)  # in-process: one interpreter start less
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


def test_kill_9_during_first_sync_keeps_whole_pages_and_resumes(
        hub: Hub, tmp_path: Path) -> None:
    keyring_file = Path(os.environ["LAPOR_TEST_KEYRING_FILE"])
    clean_home = tmp_path / "clean"
    prepare_profile(clean_home, hub.url)
    rng = random.Random(int(os.environ.get("LAPOR_CRASH_SEED", "20261123")))
    results: list[TrialResult] = []
    with SyncLauncher() as launcher:
        duration = timed_clean_sync(launcher, clean_home)
        with DeskContext.for_home(clean_home) as clean:
            assert set(clean.open_store().ids(ComplaintQuery())) == set(server_stream(hub.db))
        for i in range(TRIALS):
            # Stratified over the sync (token refresh, every page, the end), a little past it.
            kill_after = 1.05 * duration * (i + rng.random()) / TRIALS
            results.append(kill_trial(launcher, tmp_path / f"t{i}", hub.url, hub.db,
                                      keyring_file, kill_after))
    bad = [r for r in results if not r.ok]
    print("\n".join(str(r) for r in results))
    assert not bad, bad
    assert any(r.killed for r in results)
