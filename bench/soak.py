"""Soak run: several desk clients, each through a fault-injecting proxy, against one real hub.

    python bench/soak.py [--minutes 2] [--clients 4] [--complaints 2000] [--seed 1] [--json]

One ``lapor-hub serve`` process on a private copy of the cached seed (bench/out/, made by
bench/first_sync.py's ``seeded_db``). N desk clients (default 4: officer, operator and
supervisor of dpupr-kab-semarang and the officer of disdukcapil-kota-semarang; more clients are
second devices of the same accounts), each with its own encrypted profile
(``DeskContext.for_home`` + ``MemorySecrets``) and its own ``tests/support/faultproxy.py`` in
front of the hub, run concurrently in threads for ``--minutes``:

- each client loops over realistic local actions through the real ``Outbox`` API (new and
  edited drafts, also a colleague's answer under review; submit; internal notes; mark read;
  triage for the operator; approve or return for the supervisor; settling conflicts with keep
  mine / take theirs, parking refusals, handing orphaned drafts over, parking a command that
  keeps failing and resuming it) and syncs at random intervals (sometimes with a checksum
  verification);
- a fault thread arms random faults on the proxies: latency, a bandwidth cap, a reset in the
  middle of a body, a truncated push answer after the server committed it, a black hole that
  the client's request deadline cuts, a dropped request, 5xx/429 bursts, a refused port;
- an "admin" thread changes the server through lapor_hub's own write paths
  (``lapor_hub.commands.admin_act``): reporter replies, closes, completions, holds/resumes,
  re-routes both ways, new complaints verified and disposed to an agency. Half of the picks
  hit a complaint with an answer in progress, so "closed/re-routed while drafting" happens.

At the end every fault is healed, every client syncs until nothing moves, and the run CHECKS:

1. every command in every outbox has exactly one terminal outcome, equal to the one in the
   hub's ``command_log`` (by op_id, with the device and seq), and the device's log holds
   exactly the outbox's commands;
2. no op_id (nor device seq) is logged twice; each applied note is in the thread once;
   follow-ups grew by exactly the responses published; every response published during the run
   carries a text an applied approval bound (sha256);
3. each replica equals its scope on the server (ids, versions, statuses; responses under
   review) and ``ctx.sync(verify=True)`` finds no differing checksum bucket;
4. no draft lost: every draft saved is still there with the text last saved (drafts edited from
   more than one client may carry a colleague's text) and a draft whose last save was applied
   has that text on the server;
5. no client action or sync raised anything but a ``LaporError``.

It prints the counts (actions, commands, syncs ok/failed by reason, faults fired by kind, pages,
bytes, wall time) and exits 1 if any check failed, so a nightly job can run it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "support")]

from faultproxy import Fault, FaultProxy  # noqa: E402
from first_sync import _Server, seeded_db  # noqa: E402
from incremental_sync import copy_db  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DeskContext  # noqa: E402
from lapor_desk.errors import LaporError  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402
from lapor_desk.sync import protocol as p  # noqa: E402
from lapor_hub import db as hub_db  # noqa: E402
from lapor_hub.commands import ActError, admin_act  # noqa: E402

AGENCY = "dpupr-kab-semarang"
OTHER = "disdukcapil-kota-semarang"
# (user, role, agency); client i is ROTA[i % len(ROTA)] (beyond 4: second devices).
ROTA = (("officer", "officer", AGENCY), ("operator", "operator", AGENCY),
        ("supervisor", "supervisor", AGENCY), ("officer2", "officer", OTHER))
OPEN_FOR_ANSWER = ("didisposisikan", "ditindaklanjuti")
DONE = frozenset({"applied", "merged", "conflict", "rejected", "parked"})
TERMINAL_STATUSES = ("selesai", "ditutup")
# The client's link: a black hole is cut by the deadline; two attempts per request.
TRANSPORT = {"attempts": 2, "backoff_base": 0.2, "backoff_cap": 1.0, "connect_timeout": 2.0,
             "read_timeout": 5.0, "deadline": 8.0}
PARAGRAPHS = (
    "Terima kasih atas laporan Bapak/Ibu.",
    "Tim Bidang Bina Marga telah memeriksa lokasi pada hari Senin.",
    "Jalan berlubang sepanjang 40 meter sudah ditambal dengan aspal panas.",
    "Perbaikan saluran drainase dijadwalkan bulan depan setelah anggaran cair.",
    "Bila masih ada kerusakan, hubungi kami di 024-123456 pada jam kerja.",
)
REPLIES = ("Terima kasih, tapi sampai hari ini jalan di depan rumah saya belum diperbaiki.",
           "Mohon segera ditindaklanjuti, lubangnya makin besar setelah hujan kemarin.",
           "Sudah ada petugas yang datang, tapi hanya mengukur. Kapan dikerjakan?")
ACTIONS = {
    "officer": (("new_draft", 22), ("edit_draft", 20), ("submit", 16), ("note", 12),
                ("mark_read", 10), ("attention", 12), ("park_pending", 2), ("unpark", 3),
                ("reroute_request", 3)),
    "operator": (("triage", 30), ("note", 15), ("mark_read", 12), ("new_draft", 12),
                 ("edit_draft", 8), ("submit", 8), ("attention", 12), ("park_pending", 1),
                 ("unpark", 2)),
    "supervisor": (("review", 45), ("note", 14), ("mark_read", 14), ("attention", 12),
                   ("park_pending", 1), ("unpark", 2)),
}
FAULTS = (("latency", 14), ("bandwidth", 10), ("reset", 18), ("truncate_push", 14),
          ("blackhole", 8), ("drop", 10), ("status", 10), ("refuse", 6))
ADMIN = (("reply", 36), ("close", 12), ("complete", 8), ("reroute", 10), ("hold", 6),
         ("resume", 6), ("verify", 6), ("dispose", 6))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


@dataclass
class Shared:
    """What the threads share: the run's stop flag, the draft owners, a text counter."""

    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    editors: dict[str, set[str]] = field(default_factory=dict)  # draft id -> client names
    counter: int = 0

    def n(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def edited(self, draft_id: str, client: str) -> None:
        with self.lock:
            self.editors.setdefault(draft_id, set()).add(client)


@dataclass
class Client:
    name: str
    user: str
    role: str
    agency: str
    ctx: DeskContext
    proxy: FaultProxy
    rng: random.Random
    shared: Shared
    actions: Counter[str] = field(default_factory=Counter)
    syncs: Counter[str] = field(default_factory=Counter)
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> the text last saved
    notes: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)  # anything but a LaporError
    failures: Counter[str] = field(default_factory=Counter)  # failed syncs: code + detail
    pages: int = 0
    body_bytes: int = 0
    pushed: int = 0

    # ------------------------------------------------------------ helpers

    def q(self, sql: str, *args: Any) -> list[Any]:
        with self.ctx.open_store().read() as conn:
            return list(conn.exec_driver_sql(sql, tuple(args)).all())

    def open_complaints(self, statuses: tuple[str, ...] = OPEN_FOR_ANSWER) -> list[str]:
        marks = ", ".join("?" * len(statuses))
        return [r[0] for r in self.q(
            f"SELECT id FROM complaints WHERE agency_id = ? AND status IN ({marks})",
            self.agency, *statuses)]

    def text(self) -> str:
        k = self.rng.randrange(len(PARAGRAPHS))
        parts = [PARAGRAPHS[(k + i) % len(PARAGRAPHS)] for i in range(1 + k % 3)]
        return "\n\n".join(parts) + f"\n\n(ref {self.name} {self.shared.n()})"

    def saved(self, draft_id: str, body: str) -> None:
        self.drafts[draft_id] = body
        self.shared.edited(draft_id, self.name)

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        next_sync = time.monotonic() + self.rng.uniform(0.2, 4.0)
        while not self.shared.stop.is_set():
            if time.monotonic() >= next_sync:
                self.sync()
                next_sync = time.monotonic() + self.rng.uniform(0.5, 6.0)
                continue
            self.act(_pick(self.rng, ACTIONS[self.role]))
            self.shared.stop.wait(self.rng.uniform(0.05, 0.6))

    def sync(self, *, verify: bool | None = None) -> Any:
        if verify is None:
            verify = self.rng.random() < 0.1
        try:
            report = self.ctx.sync(verify=verify)
        except LaporError as exc:
            self.syncs[f"failed:{exc.code}"] += 1
            self.failures[f"{exc.code}: {exc.detail}"] += 1
            return None
        except Exception:
            self.syncs["failed:unexpected"] += 1
            self.errors.append(f"sync: {traceback.format_exc()}")
            return None
        self.syncs["ok"] += 1
        if report.verified:
            self.syncs["verified"] += 1
            if report.buckets_differed:
                self.syncs["verify:buckets_differed"] += report.buckets_differed
        self.pages += report.pages
        self.body_bytes += report.bytes
        self.pushed += report.pushed
        return report

    def act(self, action: str) -> None:
        try:
            done = getattr(self, f"do_{action}")()
        except LaporError as exc:
            self.actions[f"refused:{action}:{exc.code}"] += 1
            return
        except Exception:
            self.actions[f"error:{action}"] += 1
            self.errors.append(f"{action}: {traceback.format_exc()}")
            return
        self.actions[action if done else f"nothing:{action}"] += 1

    # ------------------------------------------------------------ actions

    def do_new_draft(self) -> bool:
        ids = self.open_complaints()
        if not ids:
            return False
        body = self.text()
        got = self.ctx.outbox().save_draft(self.rng.choice(ids), body)
        assert got.body == body
        self.saved(got.id, body)
        return True

    def do_edit_draft(self) -> bool:
        outbox = self.ctx.outbox()
        editable = {d.id: (d.complaint_id, d.body) for d in outbox.drafts()
                    if d.state in ("draft", "returned", "submitted")}
        if self.rng.random() < 0.3:  # a colleague's answer under review, as the replica has it
            for rid, cid, body in self.q(
                    "SELECT r.id, r.complaint_id, r.body FROM responses r JOIN complaints c"
                    " ON c.id = r.complaint_id WHERE c.agency_id = ?"
                    " AND r.state IN ('draft', 'returned', 'submitted')", self.agency):
                editable.setdefault(rid, (cid, body))
        if not editable:
            return False
        did = self.rng.choice(sorted(editable))
        cid, old = editable[did]
        paras = old.split("\n\n")
        paras[self.rng.randrange(len(paras))] = (f"{self.rng.choice(PARAGRAPHS)} (ubah "
                                                  f"{self.name} {self.shared.n()})")
        body = "\n\n".join(paras)
        got = outbox.save_draft(cid, body, draft_id=did)
        assert got.body == body
        self.saved(got.id, body)
        return True

    def do_submit(self) -> bool:
        outbox = self.ctx.outbox()
        ready = sorted(d.id for d in outbox.drafts() if d.state in ("draft", "returned"))
        if not ready:
            return False
        got = outbox.submit_draft(self.rng.choice(ready))
        assert got.state == "submitted"
        return True

    def do_note(self) -> bool:
        ids = self.open_complaints(("didisposisikan", "ditindaklanjuti", "ditunda",
                                    "diverifikasi", "selesai", "ditutup"))
        if not ids:
            return False
        body = f"Catatan internal {self.name} #{self.shared.n()}"
        self.ctx.outbox().add_note(self.rng.choice(ids), body)
        self.notes.add(body)
        return True

    def do_mark_read(self) -> bool:
        ids = [r[0] for r in self.q("SELECT id FROM complaints ORDER BY random() LIMIT 3")]
        if not ids:
            return False
        self.ctx.outbox().mark_read(ids, read=self.rng.random() < 0.85)
        return True

    def do_triage(self) -> bool:
        ids = self.open_complaints(("diverifikasi", "didisposisikan", "ditindaklanjuti",
                                    "ditunda"))
        if not ids:
            return False
        cid = self.rng.choice(ids)
        if self.rng.random() < 0.5:
            changes: dict[str, object] = {"priority": self.rng.choice(
                ("rendah", "normal", "tinggi", "mendesak"))}
        else:
            cats = [r[0] for r in self.q("SELECT id FROM categories")]
            if not cats:
                return False
            changes = {"category_id": self.rng.choice(cats)}
        self.ctx.outbox().triage(cid, changes)
        return True

    def do_review(self) -> bool:
        """Approve or return one item of the review queue: the exact text the replica shows."""
        queue = self.ctx.outbox().review_queue()
        if not queue:
            return False
        item = self.rng.choice(queue)
        assert item.text_sha256 == sha(item.body), "the replica's hash does not match its text"
        outbox = self.ctx.outbox()
        if self.rng.random() < 0.65:
            outbox.approve(item.response_id, expected_sha256=sha(item.body))
            self.actions["review:approve"] += 1
        else:
            outbox.return_draft(item.response_id, f"Mohon dilengkapi ({self.shared.n()}).",
                                expected_sha256=item.text_sha256)
            self.actions["review:return"] += 1
        return True

    def do_reroute_request(self) -> bool:
        ids = self.open_complaints()
        if not ids:
            return False
        self.ctx.outbox().request_reroute(self.rng.choice(ids),
                                          "Bukan kewenangan kami; mohon dialihkan.")
        return True

    def do_attention(self) -> bool:
        """Settle what the needs-attention list shows, as a person would."""
        outbox = self.ctx.outbox()
        items = [i for i in outbox.attention(role=self.role)
                 if i.kind in ("conflict", "rejected", "orphaned")]
        if not items:
            return False
        item = self.rng.choice(items)
        if item.kind == "conflict" and item.draft_id is not None:
            how = "keep_mine" if self.rng.random() < 0.5 else "take_theirs"
            got = getattr(outbox, how)(item.draft_id)
            self.saved(got.id, got.body)
            self.actions[f"attention:{how}"] += 1
        elif item.kind == "orphaned" and item.draft_id is not None:
            outbox.send_handover_note(item.draft_id)
            self.actions["attention:handover"] += 1
        elif item.op_id is not None:
            outbox.park(item.op_id)
            self.actions[f"attention:park_{item.kind}"] += 1
        else:
            return False
        return True

    def do_park_pending(self) -> bool:
        """Set aside a command still waiting (a person giving up on something stuck)."""
        pending = [e for e in self.ctx.outbox().entries(["pending"])
                   if e.kind in (p.CMD_NOTE, p.CMD_TRIAGE, p.CMD_MARK_READ)]
        if not pending:
            return False
        self.ctx.outbox().park(self.rng.choice(pending).op_id)
        return True

    def do_unpark(self) -> bool:
        parked = [e for e in self.ctx.outbox().entries(["parked"])
                  if e.kind in (p.CMD_NOTE, p.CMD_TRIAGE, p.CMD_MARK_READ)]
        if not parked or self.rng.random() < 0.5:
            return False
        self.ctx.outbox().unpark(self.rng.choice(parked).op_id)
        return True


# ---------------------------------------------------------------- the fault thread


@dataclass
class FaultStats:
    armed: Counter[str] = field(default_factory=Counter)
    fired: Counter[str] = field(default_factory=Counter)  # requests hit (or episodes)


def fault_loop(proxies: list[FaultProxy], shared: Shared, rng: random.Random,
               every: float, stats: FaultStats) -> None:
    """Arm a random fault on a random proxy every ``every`` seconds on average; each episode
    lasts 2-12 s, then that proxy is healed."""
    active: dict[int, tuple[float, str, list[Fault], int]] = {}
    next_at = time.monotonic() + rng.expovariate(1 / every)

    def end(i: int) -> None:
        _, kind, faults, requests_before = active.pop(i)
        proxy = proxies[i]
        if faults:
            stats.fired[kind] += sum(f.fired for f in faults)
        elif kind in ("blackhole", "latency", "bandwidth"):
            stats.fired[kind] += len(proxy.requests) - requests_before
        else:
            stats.fired[kind] += 1
        proxy.heal()

    while not shared.stop.wait(0.05):
        now = time.monotonic()
        for i in [i for i, a in active.items() if a[0] <= now]:
            end(i)
        if now < next_at:
            continue
        next_at = now + rng.expovariate(1 / every)
        i = rng.randrange(len(proxies))
        if i in active:
            end(i)
        proxy = proxies[i]
        kind = _pick(rng, FAULTS)
        faults: list[Fault] = []
        path = rng.choice(("/sync/changes", "/sync/push", "/sync/", ""))
        if kind == "latency":
            proxy.latency_ms = rng.choice((80, 150, 300, 600))
        elif kind == "bandwidth":
            proxy.bandwidth = rng.choice((4_000, 16_000, 64_000))  # bytes/s
        elif kind == "reset":
            faults.append(Fault("reset", path=rng.choice(("/sync/changes", "/sync/push")),
                                after_bytes=rng.randint(0, 6000), times=rng.randint(1, 3),
                                skip=rng.randint(0, 2)))
        elif kind == "truncate_push":  # the server committed; its answer is cut
            faults.append(Fault("truncate", path="/sync/push", after_bytes=rng.randint(0, 80),
                                times=rng.randint(1, 2)))
        elif kind == "blackhole":
            proxy.blackhole = True
        elif kind == "drop":
            faults.append(Fault("drop", path=path, times=rng.randint(1, 3)))
        elif kind == "status":
            status = rng.choice((500, 502, 503, 429))
            faults.append(Fault("status", path=path, status=status, times=rng.randint(1, 4),
                                retry_after=1 if status in (429, 503) else None))
        else:
            proxy.refuse()
        if faults:
            proxy.arm(*faults)
        stats.armed[kind] += 1
        active[i] = (now + rng.uniform(2.0, 12.0), kind, faults, len(proxy.requests))
    for i in list(active):
        end(i)


# ---------------------------------------------------------------- the admin thread


def admin_loop(db_url: str, shared: Shared, rng: random.Random, every: float,
               done: Counter[str], errors: list[str]) -> None:
    engine = hub_db.make_engine(db_url)
    try:
        while not shared.stop.wait(rng.expovariate(1 / every)):
            verb = _pick(rng, ADMIN)
            try:
                admin_once(engine, verb, rng, done)
            except Exception:
                done[f"error:{verb}"] += 1
                errors.append(f"admin {verb}: {traceback.format_exc()}")
    finally:
        engine.dispose()


def admin_once(engine: Any, verb: str, rng: random.Random, done: Counter[str]) -> None:
    statuses = {"reply": ("didisposisikan", "ditindaklanjuti", "ditunda"),
                "close": ("baru", "diverifikasi", "didisposisikan", "ditindaklanjuti",
                          "ditunda"),
                "complete": ("ditindaklanjuti",), "hold": ("diverifikasi", "didisposisikan"),
                "resume": ("ditunda",), "verify": ("baru",), "dispose": ("diverifikasi",),
                "reroute": ("diverifikasi", "didisposisikan", "ditindaklanjuti", "ditunda")}[verb]
    marks = ", ".join("?" * len(statuses))
    with hub_db.read_tx(engine) as conn:
        busy = []
        if rng.random() < 0.5:  # where someone is answering: closed/re-routed while drafting
            busy = list(conn.exec_driver_sql(
                f"SELECT c.id, c.agency_id FROM complaints c WHERE c.agency_id IN (?, ?) AND"
                f" c.status IN ({marks}) AND EXISTS (SELECT 1 FROM responses r WHERE"
                " r.complaint_id = c.id AND r.state IN ('draft', 'submitted', 'returned'))",
                (AGENCY, OTHER, *statuses)).all())
        rows = busy or list(conn.exec_driver_sql(
            f"SELECT id, agency_id FROM complaints WHERE agency_id IN (?, ?) AND"
            f" status IN ({marks})", (AGENCY, OTHER, *statuses)).all())
    if not rows:
        done[f"nothing:{verb}"] += 1
        return
    cid, agency = rng.choice(rows)
    try:
        if verb == "reply":
            admin_act(engine, "reply", cid, text=rng.choice(REPLIES))
        elif verb == "close":
            admin_act(engine, "close", cid, reason="duplikat")
        elif verb == "reroute":
            to = OTHER if agency == AGENCY else AGENCY
            if agency == AGENCY and rng.random() < 0.2:
                to = AGENCY  # not a move: refused, counted
            admin_act(engine, "reroute", cid, to=to)
        elif verb == "dispose":
            admin_act(engine, "dispose", cid, to=agency)
        else:
            admin_act(engine, verb, cid)
    except ActError as exc:
        done[f"refused:{verb}:{exc.refusal.code}"] += 1
        return
    done[verb] += 1


# ---------------------------------------------------------------- the checks


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed: Counter[str] = Counter()

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed[name] += 1
        else:
            self.failures.append(f"{name}: {detail}")


def server_rows(engine: Any, sql: str, *args: Any) -> list[Any]:
    with hub_db.read_tx(engine) as conn:
        return list(conn.exec_driver_sql(sql, tuple(args)).all())


def server_snapshot(engine: Any) -> dict[str, Any]:
    return {
        "followups": int(server_rows(
            engine, "SELECT count(*) FROM thread_entries WHERE kind = 'followup'")[0][0]),
        "published": {r[0] for r in server_rows(
            engine, "SELECT id FROM responses WHERE state = 'published'")},
    }


def check_all(engine: Any, clients: list[Client], start: dict[str, Any], shared: Shared,
              checks: Checks) -> None:
    # 1 + 2: one terminal outcome per command, the hub's, logged once.
    approvals: dict[str, set[str]] = {}
    for c in clients:
        device = c.ctx.settings.device_id
        entries = c.ctx.outbox().entries()
        seqs = sorted(e.seq for e in entries)
        checks.check("outbox seqs gap-free", seqs == list(range(1, len(seqs) + 1)),
                     f"{c.name}: {seqs[:5]}…")
        logged = {r[0]: (r[1], r[2], json.loads(r[3])) for r in server_rows(
            engine, "SELECT op_id, device_id, seq, outcome FROM command_log WHERE device_id = ?",
            device)}
        checks.check("device log = outbox", set(logged) == {e.op_id for e in entries},
                     f"{c.name}: {len(logged)} logged, {len(entries)} in the outbox; only "
                     f"logged {sorted(set(logged) - {e.op_id for e in entries})[:3]}, never "
                     f"logged {sorted({e.op_id for e in entries} - set(logged))[:3]}")
        for e in entries:
            what = f"{c.name} {e.kind} seq {e.seq} op {e.op_id}"
            checks.check("terminal outcome", e.state in DONE, f"{what} is {e.state}")
            rows = server_rows(engine, "SELECT device_id, seq, outcome FROM command_log"
                               " WHERE op_id = ?", e.op_id)
            checks.check("logged once", len(rows) == 1, f"{what} logged {len(rows)} times")
            if len(rows) != 1:
                continue
            dev, seq, outcome = rows[0]
            checks.check("same device and seq", (dev, int(seq)) == (device, e.seq),
                         f"{what}: server has {(dev, seq)}")
            status = json.loads(outcome)["status"]
            if e.state == "parked":
                checks.check("parked = refused or skipped", status in ("rejected", "conflict"),
                             f"{what}: parked locally, {status} on the server")
            else:
                checks.check("outcome = hub's", e.state == status,
                             f"{what}: {e.state} locally, {status} on the server "
                             f"({json.loads(outcome).get('reason')})")
            if status not in ("applied", "merged"):
                continue
            payload = json.loads(c.q("SELECT payload FROM outbox WHERE op_id = ?",
                                     e.op_id)[0][0])
            if e.kind in (p.CMD_NOTE, p.CMD_HANDOVER_NOTE) and not payload.get("_skip"):
                n = server_rows(engine, "SELECT count(*) FROM thread_entries WHERE id = ?",
                                payload["entry_id"])[0][0]
                checks.check("applied note once", n == 1, f"{what}: {n} thread entries")
            if e.kind == p.CMD_RESPONSE_APPROVE:
                approvals.setdefault(payload["response_id"], set()).add(payload["text_sha256"])
    dup = server_rows(engine, "SELECT op_id, count(*) FROM command_log GROUP BY op_id"
                      " HAVING count(*) > 1")
    checks.check("no op_id logged twice", not dup, str(dup[:5]))
    dup = server_rows(engine, "SELECT device_id, seq, count(*) FROM command_log"
                      " GROUP BY device_id, seq HAVING count(*) > 1")
    checks.check("no device seq logged twice", not dup, str(dup[:5]))
    notes = {b for c in clients for b in c.notes}
    dup_notes = [r for r in server_rows(
        engine, "SELECT body, count(*) FROM thread_entries WHERE kind = 'note'"
        " GROUP BY body HAVING count(*) > 1") if r[0] in notes]
    checks.check("no note twice", not dup_notes, str(dup_notes[:5]))
    now = server_snapshot(engine)
    new_published = now["published"] - start["published"]
    checks.check("follow-ups = publications",
                 now["followups"] - start["followups"] == len(new_published),
                 f"{now['followups'] - start['followups']} follow-ups for "
                 f"{len(new_published)} publications")
    for rid in sorted(new_published):
        (body,) = server_rows(engine, "SELECT body FROM responses WHERE id = ?", rid)[0]
        checks.check("published text was approved", sha(body) in approvals.get(rid, set()),
                     f"response {rid}")
        entries = server_rows(engine, "SELECT body FROM thread_entries WHERE id = ?", rid)
        checks.check("follow-up carries the text", entries == [(body,)], f"response {rid}")
    # 3: convergence.
    for c in clients:
        server = {r[0]: (int(r[1]), r[2]) for r in server_rows(
            engine, "SELECT c.id, c.version, c.status FROM stream s JOIN complaints c"
            " ON c.id = s.complaint_id WHERE s.agency_id = ? AND NOT s.removed", c.agency)}
        local = {r[0]: (int(r[1]), r[2]) for r in c.q(
            "SELECT id, version, status FROM complaints")}
        checks.check("replica = scope", local == server,
                     f"{c.name}: missing {len(set(server) - set(local))}, extra "
                     f"{len(set(local) - set(server))}, changed "
                     f"{sum(1 for k in set(local) & set(server) if local[k] != server[k])}")
        srv = {r[0]: (int(r[1]), r[2], r[3]) for r in server_rows(
            engine, "SELECT r.id, r.version, r.state, r.body FROM responses r JOIN complaints c"
            " ON c.id = r.complaint_id WHERE c.agency_id = ? AND r.state NOT IN"
            " ('published', 'withdrawn')", c.agency)}
        loc = {r[0]: (int(r[1]), r[2], r[3]) for r in c.q(
            "SELECT id, version, state, body FROM responses")}
        checks.check("responses under review = server's", loc == srv,
                     f"{c.name}: {len(set(loc) ^ set(srv))} ids differ, "
                     f"{sum(1 for k in set(loc) & set(srv) if loc[k] != srv[k])} changed")
    # 4: no draft lost.
    for c in clients:
        outbox = c.ctx.outbox()
        have = {d.id: d for d in outbox.drafts()}
        entries = outbox.entries()
        for did, body in c.drafts.items():
            checks.check("draft kept", did in have, f"{c.name} lost draft {did}")
            if did not in have:
                continue
            if len(shared.editors.get(did, ())) == 1:
                checks.check("draft text kept", have[did].body == body,
                             f"{c.name}'s draft {did} ({have[did].state}) changed from "
                             f"{body[-30:]!r} to {have[did].body[-30:]!r}")
        for d in have.values():
            saves = [e for e in entries
                     if e.response_id == d.id and e.kind == p.CMD_RESPONSE_SAVE]
            if d.state == "orphaned" or not saves or saves[-1].state not in ("applied",
                                                                           "merged"):
                continue
            rows = server_rows(engine, "SELECT body, state FROM responses WHERE id = ?", d.id)
            checks.check("applied draft on the server",
                         bool(rows) and (rows[0][0] == d.body or rows[0][1] == "withdrawn"),
                         f"{c.name}'s draft {d.id} ({d.state}, {d.sync_state}): server "
                         f"{rows[0][1] if rows else 'none'}")
    for c in clients:
        checks.check("no unexpected exception", not c.errors,
                     f"{c.name}: {len(c.errors)}, first: {c.errors[0] if c.errors else ''}")


# ---------------------------------------------------------------- the run


def run(args: argparse.Namespace) -> tuple[dict[str, Any], Checks]:
    cached, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-soak-"))
    server: _Server | None = None
    proxies: list[FaultProxy] = []
    clients: list[Client] = []
    checks = Checks()
    shared = Shared()
    rng = random.Random(args.rng)
    try:
        db_url = copy_db(cached, work)
        server = _Server(db_url, True, work / "hub.log")
        port = int(server.start().rsplit(":", 1)[1])
        engine = hub_db.make_engine(db_url)
        started = time.perf_counter()
        for i in range(args.clients):
            user, role, agency = ROTA[i % len(ROTA)]
            name = user if i < len(ROTA) else f"{user}#{i // len(ROTA) + 1}"
            proxy = FaultProxy("127.0.0.1", port).start()
            proxies.append(proxy)
            ctx = DeskContext.for_home(work / f"client-{i}", secrets=MemorySecrets(),
                                       transport_options=TRANSPORT)
            ctx.settings.page_max_bytes = args.page_bytes
            ctx.settings.sync_stall_seconds = 20.0
            ctx.save_settings()
            ctx.login(proxy.url, user, DEMO_PASSWORD)
            ctx.sync()
            clients.append(Client(name, user, role, agency, ctx, proxy,
                                  random.Random(rng.random()), shared))
        first_sync_s = time.perf_counter() - started
        for proxy in proxies:
            proxy.reset_counters()
        start = server_snapshot(engine)
        faults = FaultStats()
        admin_done: Counter[str] = Counter()
        admin_errors: list[str] = []
        threads = [threading.Thread(target=c.run, name=f"soak-{c.name}") for c in clients]
        threads.append(threading.Thread(
            target=fault_loop, args=(proxies, shared, random.Random(rng.random()),
                                     args.fault_every, faults), name="soak-faults"))
        threads.append(threading.Thread(
            target=admin_loop, args=(db_url, shared, random.Random(rng.random()),
                                     args.admin_every, admin_done, admin_errors),
            name="soak-admin"))
        started = time.perf_counter()
        for t in threads:
            t.start()
        shared.stop.wait(args.minutes * 60)
        shared.stop.set()
        for t in threads:
            t.join()
        soak_s = time.perf_counter() - started
        # Heal, then sync every client until nothing moves.
        for proxy in proxies:
            proxy.heal()
        started = time.perf_counter()
        rounds = 0
        heal_failures: list[str] = []
        for rounds in range(1, 13):
            moved = False
            for c in clients:
                try:
                    r = c.ctx.sync()
                except LaporError as exc:
                    heal_failures.append(f"{c.name} round {rounds}: {exc.code} {exc}")
                    moved = True
                    continue
                c.pages += r.pages
                c.body_bytes += r.bytes
                c.pushed += r.pushed
                moved = moved or bool(r.pushed or r.received or r.removed or r.reset)
            if not moved:
                break
        checks.check("quiet after the heal", not moved, f"still moving after {rounds} rounds")
        checks.check("syncs succeed after the heal", not heal_failures, "; ".join(
            heal_failures[:3]))
        verify: dict[str, Any] = {}
        for c in clients:
            r = c.ctx.sync(verify=True)
            verify[c.name] = {"verified": r.verified, "buckets_differed": r.buckets_differed,
                              "repaired": r.repaired + r.repair_removed}
            checks.check("checksums agree", r.verified and not r.buckets_differed
                         and not r.repaired and not r.repair_removed,
                         f"{c.name}: {verify[c.name]} ({r.verify_skipped})")
        heal_s = time.perf_counter() - started
        check_all(engine, clients, start, shared, checks)
        checks.check("admin thread without unexpected errors", not admin_errors,
                     admin_errors[0] if admin_errors else "")
        commands: Counter[str] = Counter()
        outcomes: Counter[str] = Counter()
        for c in clients:
            for e in c.ctx.outbox().entries():
                commands[e.kind] += 1
                outcomes[e.state if e.reason is None else f"{e.state}:{e.reason}"] += 1
        actions: Counter[str] = Counter()
        syncs: Counter[str] = Counter()
        failures: Counter[str] = Counter()
        for c in clients:
            actions.update(c.actions)
            syncs.update(c.syncs)
            failures.update(c.failures)
        result: dict[str, Any] = {
            "clients": [c.name for c in clients],
            "complaints_seeded": args.complaints,
            "scope": {c.name: len(c.q("SELECT id FROM complaints")) for c in clients},
            "minutes": args.minutes,
            "first_sync_seconds": round(first_sync_s, 1),
            "soak_seconds": round(soak_s, 1),
            "heal_seconds": round(heal_s, 1),
            "heal_rounds": rounds,
            "actions": sum(v for k, v in actions.items()
                           if not k.startswith(("nothing:", "refused:", "error:", "review:",
                                                "attention:"))),
            "actions_by_kind": dict(sorted(actions.items())),
            "commands": sum(commands.values()),
            "commands_by_kind": dict(sorted(commands.items())),
            "outcomes": dict(sorted(outcomes.items())),
            "syncs": dict(sorted(syncs.items())),
            "sync_failures": dict(failures.most_common()),
            "faults_armed": dict(sorted(faults.armed.items())),
            "faults_fired": dict(sorted(faults.fired.items())),
            "admin": dict(sorted(admin_done.items())),
            "pages": sum(c.pages for c in clients),
            "body_bytes": sum(c.body_bytes for c in clients),
            "wire_bytes_up": sum(px.bytes_up for px in proxies),
            "wire_bytes_down": sum(px.bytes_down for px in proxies),
            "requests": sum(len(px.requests) for px in proxies),
            "verify": verify,
            "checks_passed": dict(sorted(checks.passed.items())),
            "failures": checks.failures,
        }
        if checks.failures:
            for c in clients:
                for err in c.errors[:3]:
                    print(f"--- {c.name}: {err}", file=sys.stderr)
            for err in admin_errors[:3]:
                print(f"--- {err}", file=sys.stderr)
        engine.dispose()
        return result, checks
    finally:
        shared.stop.set()
        for c in clients:
            c.ctx.close()
        for proxy in proxies:
            proxy.stop()
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--complaints", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1, help="seed of the server data")
    parser.add_argument("--rng", type=int, default=1, help="seed of the run's choices")
    parser.add_argument("--page-bytes", type=int, default=32 * 1024,
                        help="pages the clients ask for (compressed bytes)")
    parser.add_argument("--fault-every", type=float, default=2.0,
                        help="mean seconds between faults armed")
    parser.add_argument("--admin-every", type=float, default=1.0,
                        help="mean seconds between server-side changes")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result, checks = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"clients         {len(result['clients'])}: {', '.join(result['clients'])} "
              f"(scopes {_counts(result['scope'])}; {result['complaints_seeded']} seeded)")
        print(f"wall time       soak {result['soak_seconds']} s, first syncs "
              f"{result['first_sync_seconds']} s, heal {result['heal_seconds']} s "
              f"({result['heal_rounds']} rounds)")
        print(f"actions         {result['actions']}: {_counts(result['actions_by_kind'])}")
        print(f"commands        {result['commands']}: {_counts(result['commands_by_kind'])}")
        print(f"outcomes        {_counts(result['outcomes'])}")
        print(f"syncs           {_counts(result['syncs'])}")
        print(f"sync failures   {_counts(result['sync_failures'])}")
        print(f"faults armed    {_counts(result['faults_armed'])}")
        print(f"faults fired    {_counts(result['faults_fired'])} (requests hit; latency/"
              "bandwidth/blackhole: requests during the episode; refuse: episodes)")
        print(f"admin           {_counts(result['admin'])}")
        print(f"pages           {result['pages']} ({result['body_bytes']} B of page bodies)")
        print(f"wire            up {result['wire_bytes_up']} B, down "
              f"{result['wire_bytes_down']} B, {result['requests']} requests")
        print(f"checks passed   {sum(checks.passed.values())} "
              f"({len(checks.passed)} kinds)")
        for failure in checks.failures[:40]:
            print(f"FAILED          {failure}")
        if len(checks.failures) > 40:
            print(f"FAILED          … {len(checks.failures) - 40} more")
        print("RESULT          " + ("FAIL" if checks.failures else "OK"))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
