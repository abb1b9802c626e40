"""The proof of the sync design: a Hypothesis ``RuleBasedStateMachine`` over the REAL sync engine,
REAL SQLCipher replicas and a REAL ``lapor_hub`` (embedded uvicorn on loopback, behind the
fault-injecting proxy), with a small reference model as the oracle.

Actors: ``officer`` and ``supervisor`` of ``dpupr-kab-semarang``, ``officer2`` of
``disdukcapil-kota-semarang`` (each a ``DeskContext`` with its own profile directory), and the
admin / reporter played in-process through ``lapor_hub.commands.admin_act``.

Rules: save/edit a draft, submit, review (approve the exact text shown, or return), internal
note, admin reroute / close / complete, reporter reply, full sync, partial sync (cancel after a
page), push whose response is lost after the server committed (proxy truncate), pull cut
mid-page (proxy reset), crash mid-sync (an exception out of the progress callback, then close
and reopen from disk), crash between actions (close + reopen), backup of the hub database and
restore from it under a new epoch.

Invariants (numbers of ../shared/sync-design.md) are checked after every step where they can
be, and all of them after a final heal (every client syncs until nothing moves):
1 no lost intent, 2 no duplicated effect, 3 convergence, 4 no resurrection, 5 approval binds
content, 6 local durability, 7 monotonic reads.

Isolation: one seeded hub database and three logged-in, synced client profiles are built once
per module (the "template"); each example copies them (a few ms) and starts a fresh server.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from faultproxy import Fault, FaultProxy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine

from lapor_desk.core import DeskContext
from lapor_desk.errors import LaporError
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_hub import db as hub_db
from lapor_hub.commands import admin_act
from lapor_hub.embedded import EmbeddedHub
from lapor_hub.jobs import run_jobs
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
OTHER = "disdukcapil-kota-semarang"
USERS = {"officer": AGENCY, "supervisor": AGENCY, "officer2": OTHER, "operator": AGENCY}
AUTHORS = ("officer", "officer2", "operator")
SEED = 7  # 30 complaints: 9 didisposisikan + 3 ditindaklanjuti in dpupr-kab-semarang
SEED_NOW = datetime(2026, 11, 2, tzinfo=UTC)
COMPLAINTS = 30
LETTER_WORDS = 450  # a long reporter letter: ~6 kB, poorly compressible (~3 kB gzip)
PAGE_BYTES = 1  # the server's minimum: about one complaint per page, so a sync can stop
# between pages (and a fault can hit the n-th page) even when only a few complaints changed
TRANSPORT = {"attempts": 1, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}
TERMINAL = frozenset({"selesai", "ditutup"})
OPEN_FOR_ANSWER = ("didisposisikan", "ditindaklanjuti")
REROUTABLE = ("diverifikasi", "didisposisikan", "ditindaklanjuti", "ditunda")
DONE_STATES = frozenset({"applied", "merged", "conflict", "rejected", "parked"})
PARAGRAPHS = (
    "Terima kasih atas laporan Bapak/Ibu.",
    "Tim Bina Marga telah memeriksa lokasi pada hari Senin.",
    "Jalan berlubang sepanjang 40 meter sudah ditambal.",
    "Perbaikan drainase dijadwalkan bulan depan.",
    "Hubungi kami di 024-123456 bila masih ada kerusakan.",
)

CI_SETTINGS = settings(max_examples=16, stateful_step_count=12, deadline=None,
                       derandomize=True, database=None, print_blob=True,
                       suppress_health_check=list(HealthCheck))
RESTORE_SETTINGS = settings(CI_SETTINGS, max_examples=6)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Crash(BaseException):
    """Raised out of the progress callback: the process dies at that point of a sync."""


# ---------------------------------------------------------------- the template (once per module)


@dataclass
class Template:
    root: Path
    hub_db: Path
    secrets: dict[str, dict[str, str]]
    profiles: dict[str, Path]
    followups: int  # follow-up thread entries in the seeded data


def build_template(root: Path) -> Template:
    root.mkdir(parents=True, exist_ok=True)
    work = root / "build.db"
    seed(f"sqlite:///{work}", complaints=COMPLAINTS, seed=SEED, now=SEED_NOW)
    engine = hub_db.make_engine(f"sqlite:///{work}")
    try:
        # Long reporter letters on the open complaints of both agencies: each complaint then
        # fills a good part of a page, so even incremental pulls take several pages (and a
        # cancel, a crash or a cut can land between two pages).
        for i, (cid,) in enumerate(list(engine.connect().exec_driver_sql(
                "SELECT id FROM complaints WHERE agency_id IN (?, ?) AND status NOT IN"
                " ('selesai', 'ditutup') ORDER BY tracking_id", (AGENCY, OTHER)))):
            admin_act(engine, "reply", cid, text=long_letter(i), now=SEED_NOW)
    finally:
        engine.dispose()
    hub = EmbeddedHub(f"sqlite:///{work}")
    url = hub.start()
    engine = hub_engine_of(hub)
    secrets: dict[str, dict[str, str]] = {}
    profiles: dict[str, Path] = {}
    try:
        for user in USERS:
            mem = MemorySecrets()
            home = root / "profiles" / user
            ctx = DeskContext.for_home(home, secrets=mem, transport_options=TRANSPORT)
            ctx.settings.page_max_bytes = PAGE_BYTES
            ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
            ctx.save_settings()
            ctx.login(url, user, PASSWORD)
            ctx.sync()
            ctx.close()
            secrets[user] = dict(mem._data)
            profiles[user] = home
    finally:
        hub.stop()
        engine.dispose()
    pristine = root / "pristine.db"
    copy_sqlite(work, pristine)
    with sqlite3.connect(pristine) as conn:
        followups = int(conn.execute(
            "SELECT count(*) FROM thread_entries WHERE kind = 'followup'").fetchone()[0])
    conn.close()
    return Template(root, pristine, secrets, profiles, followups)


def long_letter(n: int) -> str:
    words = (hashlib.sha256(f"{n}-{i}".encode()).hexdigest()[:12] for i in range(LETTER_WORDS))
    return f"Surat pelapor #{n}: jalan belum diperbaiki. Lampiran: " + " ".join(words)


def copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a (possibly open, WAL-mode) SQLite database."""
    dst.unlink(missing_ok=True)
    s = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()


def hub_engine_of(hub: EmbeddedHub) -> Engine:
    """The engine the embedded server's app uses (to dispose of it after ``stop``)."""
    server: Any = hub._server
    engine: Engine = server.config.app.state.engine
    return engine


_TEMPLATE: dict[str, Template] = {}
STATS: Counter[str] = Counter()  # what the runs covered (printed by bench/state_machine_long.py)


def get_template() -> Template:
    if "t" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="lapor-sm-"))
        _TEMPLATE["t"] = build_template(root)
    return _TEMPLATE["t"]


def drop_template() -> None:
    t = _TEMPLATE.pop("t", None)
    if t is not None:
        shutil.rmtree(t.root, ignore_errors=True)


# ---------------------------------------------------------------- the reference model


@dataclass
class Acked:
    """A command the client acknowledged (it is in the outbox: the UI said "saved")."""

    user: str
    op_id: str
    seq: int
    kind: str
    terminal: str | None = None  # first terminal state observed


@dataclass
class Model:
    drafts: dict[str, dict[str, str]] = field(default_factory=dict)  # user -> id -> body
    acked: dict[str, Acked] = field(default_factory=dict)  # op_id -> Acked
    approved: dict[str, set[str]] = field(default_factory=dict)  # response id -> shas seen
    notes: dict[str, str] = field(default_factory=dict)  # note body -> user
    closed: set[str] = field(default_factory=set)  # complaint ids made terminal by the admin
    rerouted: dict[str, str] = field(default_factory=dict)  # complaint id -> new agency
    followups_at_close: dict[str, int] = field(default_factory=dict)
    responses_at_close: dict[str, list[Any]] = field(default_factory=dict)
    seen_versions: dict[str, dict[str, int]] = field(default_factory=dict)  # user -> id -> v
    seen_epoch: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Backup:
    path: Path
    closed: set[str]
    rerouted: dict[str, str]
    followups_at_close: dict[str, int]
    responses_at_close: dict[str, list[Any]]


# ---------------------------------------------------------------- the machine


class SyncMachine(RuleBasedStateMachine):
    """One example: a fresh server on a copy of the template, three clients, one model."""

    # Server restore from a backup (at most one backup and one restore per example); on in
    # RestoreMachine (CI) and the long run.
    RESTORE = False
    # After a restore, each client that ever sent a command queues one more note, so its next
    # push hears the server's next_seq (the path through push rather than the reset replay).
    NUDGE_AFTER_RESTORE = False

    def __init__(self) -> None:
        super().__init__()
        self.t = get_template()
        self.dir = Path(tempfile.mkdtemp(prefix="ex-", dir=self.t.root))
        self.db_path = self.dir / "hub.db"
        shutil.copyfile(self.t.hub_db, self.db_path)
        self.db_url = f"sqlite:///{self.db_path}"
        self.hub: EmbeddedHub | None = None
        self.hub_app_engine: Engine | None = None
        self.port = 0
        self._start_hub()
        assert self.hub is not None
        self.proxy = FaultProxy("127.0.0.1", self.port).start()
        self.engine = hub_db.make_engine(self.db_url)
        self.secrets: dict[str, MemorySecrets] = {}
        self.ctx: dict[str, DeskContext] = {}
        for user in USERS:
            home = self.dir / user
            shutil.copytree(self.t.profiles[user], home)
            mem = MemorySecrets()
            mem._data.update(self.t.secrets[user])
            self.secrets[user] = mem
            ctx = self._open(user)
            ctx.relocate(self.proxy.url)
        self.model = Model()
        for user in USERS:
            self.model.drafts[user] = {}
            self.model.seen_versions[user] = {}
            self.model.seen_epoch[user] = None
        self.backup: Backup | None = None
        self.counter = itertools.count(1)
        self.clock = SEED_NOW
        self.shared: set[str] = set()  # responses edited by more than one person
        self.order: list[str] = []
        self.restored = False
        self.replay_pending: set[str] = set()

    # ------------------------------------------------------------ plumbing

    def _start_hub(self) -> None:
        hub = EmbeddedHub(self.db_url, port=self.port)
        hub.start()
        self.hub = hub
        self.hub_app_engine = hub_engine_of(hub)
        self.port = hub.port or int(str(hub.url).rsplit(":", 1)[1])

    def _stop_hub(self) -> None:
        if self.hub is not None:
            self.hub.stop()
            self.hub = None
        if self.hub_app_engine is not None:
            self.hub_app_engine.dispose()
            self.hub_app_engine = None

    def _open(self, user: str) -> DeskContext:
        ctx = DeskContext.for_home(self.dir / user, secrets=self.secrets[user],
                                   transport_options=TRANSPORT)
        self.ctx[user] = ctx
        return ctx

    def teardown(self) -> None:
        try:
            if self.hub is not None:
                self.heal_and_check()
                STATS["examples"] += 1
                for a in self.model.acked.values():
                    STATS[f"outcome {a.kind} {a.terminal}"] += 1
                STATS["published"] += len(self.q(
                    "SELECT 1 FROM responses WHERE state = 'published'"))
        finally:
            for ctx in self.ctx.values():
                ctx.close()
            self.proxy.stop()
            self._stop_hub()
            self.engine.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

    def q(self, sql: str, *args: Any) -> list[Any]:
        with hub_db.read_tx(self.engine) as conn:
            return list(conn.exec_driver_sql(sql, tuple(args)).all())

    def local(self, user: str, sql: str, *args: Any) -> list[Any]:
        with self.ctx[user].open_store().read() as conn:
            return list(conn.exec_driver_sql(sql, tuple(args)).all())

    def text(self, k: int) -> str:
        n = next(self.counter)
        parts = [PARAGRAPHS[(k + i) % len(PARAGRAPHS)] for i in range(1 + k % 3)]
        return "\n\n".join(parts) + f"\n\n(ref {n})"

    def _rank(self, draft_id: str) -> int:
        """Creation order (draft ids are random UUIDs; picking by it keeps runs repeatable)."""
        return self.order.index(draft_id) if draft_id in self.order else len(self.order)

    @staticmethod
    def pick(items: list[Any], k: int) -> Any:
        return items[k % len(items)]

    def _ack_new(self, user: str, before: set[str]) -> None:
        """Commands the action put in the outbox: the user saw them as saved."""
        for e in self.ctx[user].outbox().entries():
            if e.op_id not in before:
                assert e.op_id not in self.model.acked
                self.model.acked[e.op_id] = Acked(user, e.op_id, e.seq, e.kind)

    def _op_ids(self, user: str) -> set[str]:
        return {e.op_id for e in self.ctx[user].outbox().entries()}

    def _observe(self, user: str) -> None:
        """Invariant 7 (monotonic reads), except across a declared reset (a new epoch)."""
        store = self.ctx[user].open_store()
        epoch = store.sync_state().epoch
        seen = self.model.seen_versions[user]
        if epoch != self.model.seen_epoch[user]:
            seen.clear()
            self.model.seen_epoch[user] = epoch
        for cid, version in self.local(user, "SELECT id, version FROM complaints"):
            old = seen.get(cid)
            assert old is None or version >= old, (
                f"invariant 7: {user} saw complaint {cid} at version {old}, now {version}")
            seen[cid] = int(version)

    def _sync(self, user: str, **kw: Any) -> Any:
        report = self.ctx[user].sync(**kw)
        if not getattr(report, "cancelled", False):
            self.replay_pending.discard(user)  # the replay after a restore is done
        self._observe(user)
        return report

    # ------------------------------------------------------------ rules: client actions

    @rule(user=st.sampled_from(AUTHORS), k=st.integers(0, 10_000), edit=st.booleans(),
          then=st.sampled_from(("stay", "submit", "submit+sync")), fresh=st.booleans())
    def save_draft(self, user: str, k: int, edit: bool, then: str, fresh: bool = False,
                   ) -> None:
        """Write a new answer or edit one (offline, or right after a sync); maybe submit it
        at once, and sync."""
        if fresh:
            self._sync(user)
        outbox = self.ctx[user].outbox()
        editable = {d.id: (d.complaint_id, d.body) for d in outbox.drafts()
                    if d.state in ("draft", "returned", "submitted")}
        # A colleague's response under review, as the replica shows it (two people, one
        # answer: clean three-way merges when they touch different paragraphs, else conflicts).
        for rid, cid, sbody in self.local(
                user, "SELECT id, complaint_id, body FROM responses"
                " WHERE state IN ('draft', 'returned', 'submitted')"):
            editable.setdefault(rid, (cid, sbody))
        before = self._op_ids(user)
        body = self.text(k)
        if edit and editable:
            did = self.pick(sorted(editable, key=self._rank), k)
            cid, old = editable[did]
            paras = old.split("\n\n")
            paras[k % len(paras)] = f"{PARAGRAPHS[k % len(PARAGRAPHS)]} (ubah {user} "\
                                    f"{next(self.counter)})"
            body = "\n\n".join(paras)
            try:
                got = outbox.save_draft(cid, body, draft_id=did)
            except LaporError:
                return
            for other, drafts in self.model.drafts.items():
                if other != user and did in drafts:
                    self.shared.add(did)
            if did not in self.model.drafts[user] and did in self.order:
                self.shared.add(did)
        else:
            rows = self.local(
                user, "SELECT id FROM complaints WHERE agency_id = ? AND status IN (?, ?)"
                " ORDER BY tracking_id", USERS[user], *OPEN_FOR_ANSWER)
            if not rows:
                return
            cid = self.pick(rows, k)[0]
            try:
                got = outbox.save_draft(cid, body)
            except LaporError:
                return
        assert got.body == body
        STATS["save_draft"] += 1
        if got.id not in self.model.drafts[user]:
            self.order.append(got.id)
        self.model.drafts[user][got.id] = body
        self._ack_new(user, before)
        if then != "stay":
            self._submit(user, got.id)
        if then == "submit+sync":
            self._sync(user)

    @rule(user=st.sampled_from(AUTHORS), k=st.integers(0, 10_000), then_sync=st.booleans())
    def submit(self, user: str, k: int, then_sync: bool) -> None:
        outbox = self.ctx[user].outbox()
        ready = sorted((d for d in outbox.drafts() if d.state in ("draft", "returned")),
                       key=lambda d: self._rank(d.id))
        if not ready:
            return
        self._submit(user, self.pick(ready, k).id)
        if then_sync:
            self._sync(user)

    def _submit(self, user: str, did: str) -> None:
        outbox = self.ctx[user].outbox()
        d = outbox.draft(did)
        before = self._op_ids(user)
        try:
            got = outbox.submit_draft(did)
        except LaporError as exc:
            # A draft whose complaint is not in the replica: a rebuild (reset) still pulling,
            # or a re-route the next complete pull turns into an orphan. It stays as it is.
            missing = not self.local(user, "SELECT 1 FROM complaints WHERE id = ?",
                                     d.complaint_id)
            assert d.state not in ("draft", "returned", "submitted") or (
                missing and exc.code == "not_found"
                and self.ctx[user].outbox().draft(did).state == d.state), (d, exc, exc.detail)
            return
        assert got.state == "submitted" and got.body == d.body, (d, got)
        STATS["submit"] += 1
        self._ack_new(user, before)

    @rule(k=st.integers(0, 10_000), approve=st.booleans(),
          sync_first=st.sampled_from(("officer+supervisor", "supervisor", "none")))
    def review(self, k: int, approve: bool, sync_first: str) -> None:
        """The supervisor (after a sync, maybe the officer's too, or offline) reviews the
        exact text its replica shows: approve it or return it with a note."""
        if sync_first == "officer+supervisor":
            self._sync("officer")
        if sync_first != "none":
            self._sync("supervisor")
        shown = sorted(self.local("supervisor",
                                  "SELECT id, body, version, text_sha256 FROM responses"
                                  " WHERE state = 'submitted'"), key=lambda r: self._rank(r[0]))
        if not shown:
            return
        rid, body, _version, digest = self.pick(shown, k)
        assert digest == sha(body), "the replica's hash does not match the text shown"
        outbox = self.ctx["supervisor"].outbox()
        before = self._op_ids("supervisor")
        try:
            if approve:
                outbox.approve(rid)
                self.model.approved.setdefault(rid, set()).add(sha(body))
            else:
                outbox.return_draft(rid, f"Mohon dilengkapi ({next(self.counter)}).")
        except LaporError:
            return
        STATS["approve" if approve else "return"] += 1
        self._ack_new("supervisor", before)

    @rule(user=st.sampled_from(tuple(USERS)), k=st.integers(0, 10_000))
    def note(self, user: str, k: int) -> None:
        rows = self.local(user, "SELECT id FROM complaints WHERE agency_id = ?"
                          " ORDER BY tracking_id", USERS[user])
        if not rows:
            return
        body = f"Catatan internal {user} #{next(self.counter)}"
        before = self._op_ids(user)
        self.ctx[user].outbox().add_note(self.pick(rows, k)[0], body)
        self.model.notes[body] = user
        STATS["note"] += 1
        self._ack_new(user, before)

    # ------------------------------------------------------------ rules: the server side

    def _server_complaints(self, agency: str, statuses: tuple[str, ...]) -> list[Any]:
        marks = ", ".join("?" * len(statuses))
        return self.q(f"SELECT id, status FROM complaints WHERE agency_id = ? AND status IN"
                      f" ({marks}) ORDER BY tracking_id", agency, *statuses)

    def _responses_of(self, cid: str) -> list[Any]:
        return self.q("SELECT id, version, state, body FROM responses WHERE complaint_id = ?"
                      " ORDER BY id", cid)

    def _followups(self, cid: str) -> int:
        return int(self.q("SELECT count(*) FROM thread_entries WHERE complaint_id = ? AND"
                          " kind = 'followup'", cid)[0][0])

    @rule(verb=st.sampled_from(("reply", "close", "complete", "reroute")),
          k=st.integers(0, 10_000))
    def admin(self, verb: str, k: int) -> None:
        """The agency admin (close, complete, re-route away) or the reporter (reply), played
        in-process on the server's database while the server runs."""
        statuses = {"reply": OPEN_FOR_ANSWER, "complete": ("ditindaklanjuti",),
                    "reroute": REROUTABLE,
                    "close": ("baru", "diverifikasi", *OPEN_FOR_ANSWER, "ditunda")}[verb]
        rows = self._server_complaints(AGENCY, statuses)
        if verb != "reroute":
            rows += self._server_complaints(OTHER, statuses)
        if not rows:
            return
        cid = self.pick(rows, k)[0]
        if verb == "reply":
            n = next(self.counter)
            text = long_letter(n) if k % 2 else f"Balasan pelapor #{n}: belum diperbaiki."
            admin_act(self.engine, "reply", cid, text=text)
        elif verb == "reroute":
            admin_act(self.engine, "reroute", cid, to=OTHER)
            self.model.rerouted[cid] = OTHER
        else:
            admin_act(self.engine, verb, cid, reason="duplikat" if verb == "close" else None)
            self.model.closed.add(cid)
            self.model.followups_at_close[cid] = self._followups(cid)
            self.model.responses_at_close[cid] = self._responses_of(cid)
        STATS[f"admin {verb}"] += 1

    @rule(days=st.sampled_from((1, 3, 10, 30)))
    def server_jobs(self, days: int) -> None:
        """``lapor-hub jobs`` on a clock that moves forward: overdue/escalation flags and
        automatic completion touch many complaints at once (multi-page incremental pulls)."""
        self.clock += timedelta(days=days)
        before = {r[0]: r[1] for r in self.q("SELECT id, status FROM complaints")}
        report = run_jobs(self.engine, self.clock)
        for cid, status in self.q("SELECT id, status FROM complaints"):
            if status in TERMINAL and before[cid] not in TERMINAL:
                self.model.closed.add(cid)
                self.model.followups_at_close[cid] = self._followups(cid)
                self.model.responses_at_close[cid] = self._responses_of(cid)
        STATS["jobs (changed)" if any(report.as_dict().values()) else "jobs (no change)"] += 1

    # ------------------------------------------------------------ rules: sync and faults

    @rule(user=st.sampled_from(tuple(USERS)))
    def sync(self, user: str) -> None:
        self._sync(user)
        STATS["sync"] += 1

    @rule(user=st.sampled_from(tuple(USERS)),
          kind=st.sampled_from(("partial", "push_lost", "pull_cut", "crash", "restart")),
          n=st.integers(-1, 2))
    def faulty_sync(self, user: str, kind: str, n: int) -> None:
        """A sync that does not finish:
        partial   -- cancelled after the first page (the user closed the laptop lid);
        push_lost -- the server commits the push, its answer is cut (proxy truncate);
        pull_cut  -- the (n+1)-th page download is reset mid-body;
        crash     -- the process dies before the push (n=-1), between push and pull (0) or
                     after page n, and restarts from disk;
        restart   -- no sync at all: the app is closed (or killed between two actions) and
                     reopened from disk."""
        ctx = self.ctx[user]
        if kind == "restart":
            STATS["restart"] += 1
            self._reopen(user)
            return
        if kind == "partial":
            cancel = threading.Event()

            def stop_after_page(pr: Any) -> None:
                if pr.phase == "pull" and pr.pages >= 1:
                    cancel.set()

            report = self._sync(user, progress=stop_after_page, cancel=cancel)
            STATS["partial (cancelled)" if report.cancelled else "partial (finished)"] += 1
        elif kind == "push_lost":
            if not ctx.outbox().pending():
                return
            self.proxy.arm(Fault("truncate", "/sync/push", after_bytes=40, times=None))
            try:
                with pytest.raises(LaporError):
                    ctx.sync()
            finally:
                self.proxy.heal()
            STATS["push response lost"] += 1
            self._observe(user)
        elif kind == "pull_cut":
            self.proxy.arm(Fault("reset", "/sync/changes", skip=max(0, n), after_bytes=100,
                                 times=None))
            try:
                ctx.sync()
                STATS["pull cut (not reached)"] += 1
            except LaporError:
                STATS["pull cut"] += 1
            finally:
                self.proxy.heal()
            self._observe(user)
        else:
            def die(pr: Any) -> None:
                if (n < 0 and pr.phase == "push") or (pr.phase == "pull" and pr.pages >= n >= 0):
                    raise Crash()

            try:
                ctx.sync(progress=die)
                STATS["crash mid-sync (not reached)"] += 1
            except Crash:
                STATS[f"crash mid-sync at {n}"] += 1
            self._reopen(user)


    @rule(user=st.sampled_from(AUTHORS), what=st.sampled_from(("edit", "submit", "sync")),
          k=st.integers(1, 40))
    def crash_at_statement(self, user: str, what: str, k: int) -> None:
        """The process dies just before the k-th SQL statement of a local edit, a submit or a
        sync (push marking, outcomes, page + cursor). The transaction in flight never
        commits, as at a power cut; the app restarts from disk. What the user saw as saved
        before stays (invariant 6); nothing half-written shows (checked on reopen)."""
        from sqlalchemy import event

        engine = self.ctx[user].open_store().engine
        seen = 0

        def before(*_args: Any) -> None:
            nonlocal seen
            seen += 1
            if seen == k:
                raise Crash()

        event.listen(engine, "before_cursor_execute", before)
        try:
            if what == "edit":
                self.save_draft(user, k, bool(k % 2), "stay")
            elif what == "submit":
                drafts = [d for d in self.ctx[user].outbox().drafts() if d.state == "draft"]
                if drafts:
                    self._submit(user, self.pick(sorted((d.id for d in drafts),
                                                        key=self._rank), k))
            else:
                self.ctx[user].sync()
            STATS[f"crash at SQL statement ({what}, not reached)"] += 1
        except Crash:
            STATS[f"crash at SQL statement ({what})"] += 1
        except LaporError:
            STATS[f"crash at SQL statement ({what}, sync failed first)"] += 1
        finally:
            if event.contains(engine, "before_cursor_execute", before):
                event.remove(engine, "before_cursor_execute", before)
        self._reopen(user)

    def _reopen(self, user: str) -> None:
        self.ctx[user].close()
        self._open(user)
        self.check_durability(user)
        self._observe(user)

    @precondition(lambda self: self.RESTORE and self.backup is None and not self.restored)
    @rule()
    def take_backup(self) -> None:
        path = self.dir / "backup.db"
        copy_sqlite(self.db_path, path)
        STATS["backup"] += 1
        self.backup = Backup(path, set(self.model.closed), dict(self.model.rerouted),
                             dict(self.model.followups_at_close),
                             dict(self.model.responses_at_close))

    @precondition(lambda self: self.backup is not None)
    @rule()
    def restore_backup(self) -> None:
        """The operator restores the hub from the backup and declares a new epoch."""
        b = self.backup
        assert b is not None
        self._stop_hub()
        self.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        copy_sqlite(b.path, self.db_path)
        with sqlite3.connect(self.db_path) as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'epoch'",
                         (f"restored-{next(self.counter)}",))
        conn.close()
        self._start_hub()
        self.model.closed = set(b.closed)
        self.model.rerouted = dict(b.rerouted)
        self.model.followups_at_close = dict(b.followups_at_close)
        self.model.responses_at_close = dict(b.responses_at_close)
        self.restored = True
        # The restored server may decide a replayed command differently (it applies it anew):
        # an outcome observed before the restore may change once, to the server's new word
        # (checked against the server's log by the other invariants); then it stays.
        for a in self.model.acked.values():
            a.terminal = None
        self.replay_pending = set(USERS)  # outcomes are pinned again after a full sync
        STATS["restore"] += 1
        self.backup = None
        # Tokens issued after the backup are unknown to the restored server: sign in again
        # (same account, same server: the replica and the outbox stay).
        for user, ctx in self.ctx.items():
            ctx.login(self.proxy.url, user, PASSWORD)
            if self.NUDGE_AFTER_RESTORE and ctx.outbox().entries():
                rows = self.local(user, "SELECT id FROM complaints WHERE agency_id = ?"
                                  " ORDER BY tracking_id", USERS[user])
                if rows:
                    self.note(user, 0)

    # ------------------------------------------------------------ invariants (every step)

    @invariant()
    def outbox_never_forgets(self) -> None:
        """Invariant 1 (before the heal): an acknowledged command stays in the outbox, in
        order; once terminal it stays terminal with the same outcome (until a server restore,
        after which the server's new outcome for the replayed command wins)."""
        if not hasattr(self, "model"):
            return
        for user in USERS:
            entries = {e.op_id: e for e in self.ctx[user].outbox().entries()}
            seqs = sorted(e.seq for e in entries.values())
            assert seqs == list(range(1, len(seqs) + 1)), f"{user}: outbox seqs have gaps"
            for a in self.model.acked.values():
                if a.user != user:
                    continue
                e = entries.get(a.op_id)
                assert e is not None, f"invariant 1: {user} lost command {a.kind} {a.op_id}"
                assert (e.seq, e.kind) == (a.seq, a.kind)
                if a.terminal is not None:
                    assert e.state == a.terminal or (e.state == "parked"), (
                        f"invariant 1: {a.kind} {a.op_id} went from {a.terminal} to {e.state}")
                elif e.state in DONE_STATES and user not in self.replay_pending:
                    a.terminal = e.state

    @invariant()
    def drafts_durable(self) -> None:
        if not hasattr(self, "model"):
            return
        for user in AUTHORS:
            self.check_durability(user)

    def check_durability(self, user: str) -> None:
        """Invariant 6: every draft the user saved is there with the text last saved."""
        have = {d.id: d for d in self.ctx[user].outbox().drafts()}
        for did, body in self.model.drafts[user].items():
            assert did in have, f"invariant 6: {user} lost draft {did}"
            if did in self.shared:
                continue  # a colleague's edit or a merge may change the text; it must exist
            assert have[did].body == body, (
                f"invariant 6: draft {did} of {user} changed from {body!r} to "
                f"{have[did].body!r}")

    @invariant()
    def server_safety(self) -> None:
        """Invariants 2, 4 and 5 on the server, after every step."""
        if not hasattr(self, "model") or self.hub is None:
            return
        # 4: what the admin closed stays closed; what it re-routed stays re-routed; no
        # follow-up is published on a closed complaint.
        for cid in self.model.closed:
            (status,) = self.q("SELECT status FROM complaints WHERE id = ?", cid)[0]
            assert status in TERMINAL, f"invariant 4: closed complaint {cid} is {status}"
            assert self._followups(cid) == self.model.followups_at_close[cid], (
                f"invariant 4: a follow-up was published on closed complaint {cid}")
            assert self._responses_of(cid) == self.model.responses_at_close[cid], (
                f"invariant 4: a response of closed complaint {cid} changed after the close")
        for cid, agency in self.model.rerouted.items():
            (now_agency,) = self.q("SELECT agency_id FROM complaints WHERE id = ?", cid)[0]
            assert now_agency == agency, f"invariant 4: {cid} went back to {now_agency}"
            # The old agency's unpublished answers were withdrawn and stay withdrawn.
            stale = self.q("SELECT r.id, r.state FROM responses r JOIN users u"
                           " ON u.id = r.author_id WHERE r.complaint_id = ? AND"
                           " u.agency_id <> ? AND r.state NOT IN ('withdrawn', 'published')",
                           cid, agency)
            assert not stale, f"invariant 4: old agency's answer revived on {cid}: {stale}"
        # 5: every published response is a text the supervisor approved, and the follow-up
        # in the thread carries exactly that text.
        published = self.q("SELECT id, complaint_id, body FROM responses"
                           " WHERE state = 'published'")
        for rid, cid, body in published:
            assert sha(body) in self.model.approved.get(rid, set()), (
                f"invariant 5: response {rid} was published with a text never approved")
            entries = self.q("SELECT complaint_id, body FROM thread_entries WHERE id = ?", rid)
            assert entries == [(cid, body)], f"invariant 5/2: follow-up of {rid}: {entries}"
        # 2: no duplicated effect: follow-ups = seeded + published responses; each note once.
        total = int(self.q("SELECT count(*) FROM thread_entries WHERE kind = 'followup'")[0][0])
        assert total == self.t.followups + len(published), (
            f"invariant 2: {total} follow-ups for {len(published)} published responses")
        dup = self.q("SELECT body, count(*) FROM thread_entries WHERE kind = 'note'"
                     " GROUP BY body HAVING count(*) > 1")
        assert not [d for d in dup if d[0] in self.model.notes or d[0].split(": ", 1)[-1]
                    in self.model.notes], f"invariant 2: duplicated notes {dup}"
        logged = self.q("SELECT op_id, count(*) FROM command_log GROUP BY op_id"
                        " HAVING count(*) > 1")
        assert not logged, f"invariant 2: op_ids logged twice {logged}"

    # ------------------------------------------------------------ the final heal

    def heal_and_check(self) -> None:
        self.proxy.heal()
        for _round in range(8):
            moved = False
            for user in USERS:
                r = self._sync(user)
                moved = moved or bool(r.pushed or r.received or r.removed or r.reset)
            if not moved:
                break
        else:
            raise AssertionError("the clients did not become quiet after 8 sync rounds")
        self.outbox_never_forgets()
        self.server_safety()
        for user in USERS:
            self.check_durability(user) if user in AUTHORS else None
            self.check_outcomes(user)
            self.check_convergence(user)

    def check_outcomes(self, user: str) -> None:
        """Invariant 1 (after the heal): every acknowledged command reached exactly one
        terminal outcome, the server logged it once, and the client shows that outcome."""
        device = self.ctx[user].settings.device_id
        entries = {e.op_id: e for e in self.ctx[user].outbox().entries()}
        for a in self.model.acked.values():
            if a.user != user:
                continue
            e = entries[a.op_id]
            assert e.state in DONE_STATES, f"invariant 1: {a.kind} {a.op_id} is {e.state}"
            rows = self.q("SELECT device_id, seq, outcome FROM command_log WHERE op_id = ?",
                          a.op_id)
            assert len(rows) == 1, (
                f"invariant 1: {user}'s {a.kind} seq {a.seq} ({e.state} locally) is logged "
                f"{len(rows)} times on the server")
            dev, seq, outcome = rows[0]
            assert (dev, seq) == (device, a.seq)
            server_status = json.loads(outcome)["status"]
            local = e.state if e.state != "parked" else server_status
            assert local == server_status, (
                f"invariant 1: {user}'s {a.kind} seq {a.seq} shows {local} locally but the "
                f"server logged {server_status}")
            if server_status not in ("applied", "merged"):
                continue
            (payload,) = self.local(user, "SELECT payload FROM outbox WHERE op_id = ?",
                                    a.op_id)[0]
            data = json.loads(payload)
            if a.kind == p.CMD_NOTE:
                n = self.q("SELECT count(*) FROM thread_entries WHERE id = ? AND body = ?",
                           data["entry_id"], data["body"])[0][0]
                assert n == 1, f"invariant 2: applied note {a.op_id} is there {n} times"
            elif a.kind == p.CMD_RESPONSE_APPROVE:
                rows = self.q("SELECT state, body FROM responses WHERE id = ?",
                              data["response_id"])
                assert rows and rows[0][0] == "published", (
                    f"invariant 1: approval {a.op_id} applied, response is {rows}")
                assert sha(rows[0][1]) == data["text_sha256"], "invariant 5"

    def check_convergence(self, user: str) -> None:
        """Invariant 3: the replica equals the server for the user's scope."""
        agency = USERS[user]
        server = {r[0]: (int(r[1]), r[2]) for r in self.q(
            "SELECT c.id, c.version, c.status FROM stream s JOIN complaints c"
            " ON c.id = s.complaint_id WHERE s.agency_id = ? AND NOT s.removed", agency)}
        local = {r[0]: (int(r[1]), r[2]) for r in self.local(
            user, "SELECT id, version, status FROM complaints")}
        assert local == server, (
            f"invariant 3: {user}'s replica differs from the server: "
            f"missing {sorted(set(server) - set(local))}, "
            f"extra {sorted(set(local) - set(server))}, "
            f"changed {sorted(k for k in set(local) & set(server) if local[k] != server[k])}")
        # Responses under review as the replica holds them equal the server's.
        srv = {r[0]: (int(r[1]), r[2], r[3]) for r in self.q(
            "SELECT r.id, r.version, r.state, r.body FROM responses r JOIN complaints c"
            " ON c.id = r.complaint_id WHERE c.agency_id = ? AND r.state NOT IN"
            " ('published', 'withdrawn')", agency)}
        loc = {r[0]: (int(r[1]), r[2], r[3]) for r in self.local(
            user, "SELECT id, version, state, body FROM responses")}
        assert loc == srv, f"invariant 3: {user}'s responses differ from the server's"
        # Each of the user's drafts whose last save was applied has that text on the server.
        if user not in AUTHORS:
            return
        for d in self.ctx[user].outbox().drafts():
            saves = [e for e in self.ctx[user].outbox().entries()
                     if e.response_id == d.id and e.kind == p.CMD_RESPONSE_SAVE]
            if d.state == "orphaned" or not saves or saves[-1].state not in ("applied",
                                                                           "merged"):
                continue
            rows = self.q("SELECT body, state FROM responses WHERE id = ?", d.id)
            assert rows, (f"invariant 1/3: {user}'s draft {d.id} ({d.state}, badge "
                          f"{d.sync_state}) does not exist on the server")
            cmds = [(e.seq, e.kind, e.state, e.reason)
                    for e in self.ctx[user].outbox().entries() if e.response_id == d.id]
            assert rows[0][0] == d.body or rows[0][1] == "withdrawn", (
                f"invariant 3: {user}'s draft {d.id} ({d.state}, badge {d.sync_state}, "
                f"v{d.response_version}) differs from the server's response ({rows[0][1]}, "
                f"{self.q('SELECT version FROM responses WHERE id = ?', d.id)}); commands "
                f"{cmds}")
        self.check_draft_states(user)

    def check_draft_states(self, user: str) -> None:
        """Invariant 3 for drafts: after the heal each draft shows the server's state of its
        response (or is orphaned when its complaint left the scope or was closed)."""
        outbox = self.ctx[user].outbox()
        entries = outbox.entries()
        in_replica = {r[0]: r[1] for r in self.local(user, "SELECT id, status FROM complaints")}
        for d in outbox.drafts():
            mine = [e for e in entries if e.response_id == d.id]
            status = in_replica.get(d.complaint_id)
            if status is None:
                assert d.state == "orphaned", (
                    f"invariant 3: draft {d.id} of {user}: complaint left the scope, draft is "
                    f"{d.state}")
                continue
            if d.state == "orphaned" or (mine and mine[-1].state in ("conflict", "rejected",
                                                                   "parked")):
                continue
            server = self.q("SELECT state, version, body FROM responses WHERE id = ?", d.id)
            if not server:
                continue  # checked above (a draft never saved on the server is an error)
            state, version, body = server[0]
            want = {"draft": "draft", "withdrawn": "draft", "submitted": "submitted",
                    "returned": "returned", "approved": "approved",
                    "published": "approved"}[state]
            if status in TERMINAL and want != "approved":
                want = "orphaned"
            got_version = d.response_version
            if state == "published" and got_version <= int(version):
                # A published response reaches clients as the follow-up's text only: a draft
                # that never saw a colleague's last version takes the published text, not its
                # number (an approved draft is final; nothing is ever based on it again).
                got_version = int(version)
            assert (d.state, got_version, d.body) == (want, int(version), body), (
                f"invariant 3: {user}'s draft {d.id} is {(d.state, d.response_version)}, "
                f"the server's response is {(state, version)} (complaint {status}; last "
                f"command {mine[-1].kind if mine else None} {mine[-1].state if mine else None})")


@pytest.fixture(scope="module")
def template() -> Iterator[Template]:
    yield get_template()
    drop_template()


def run_machine(machine: type[SyncMachine], cfg: settings) -> None:
    run_state_machine_as_test(machine, settings=cfg)


def test_sync_state_machine(template: Template) -> None:
    run_machine(SyncMachine, CI_SETTINGS)


class RestoreMachine(SyncMachine):
    RESTORE = True


def test_sync_state_machine_with_server_restore(template: Template) -> None:
    """The same machine plus one backup and one restore (new epoch) per example, with no
    help after the restore: the engine itself resends what the server lost and takes the
    server's new outcomes (``bench/state_machine_long.py --restore raw`` for long runs)."""
    run_machine(RestoreMachine, RESTORE_SETTINGS)
