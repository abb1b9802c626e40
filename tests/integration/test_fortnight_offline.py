"""The design's scenario "fourteen days offline with a thousand commands, then sync over a
2G-like link" end to end.

A real ``lapor-hub`` process on SQLite; a real encrypted profile of the agency's operator
(``DeskContext``) that signs in and syncs, then works offline and writes exactly 1,000 commands
through the real ``Outbox`` API: draft saves (edited several times: unsent saves coalesce),
submissions, internal notes, triage (priority, tags) and mark-read, across most of the agency's
open complaints. Meanwhile the server moves on: the admin re-routes complaints the operator is
drafting on to another agency and closes others, reporters reply to complaints whose drafts are
then submitted unseen, and the agency admin (another real client) changes priorities the
operator also changes offline. Then one sync runs through ``tests/support/faultproxy.py``
shaped like 2G (150 ms each way, 1 Mbit/s), with a connection reset after the server applied a
push batch (its response is lost) and another in the middle of a changes page.

Checked afterwards (invariants 1-4 of the sync design): every command has exactly one terminal
outcome, the same on the client and in the server's command log; the server logged each op_id
once and applied nothing twice (one note per note command, response versions equal to the
applied saves); drafts of re-routed and closed complaints are orphaned with their text and
shown in the needs-attention list; the replica equals the server's scope (ids and versions),
and a checksum verification finds nothing to repair. No timing assertions: the run is kept
short by its size (a 200-complaint seed), not by a clock.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Hub, db_rows, start_hub, stop_hub
from faultproxy import Fault, FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import LaporError
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_hub import db
from lapor_hub.commands import admin_act
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
OTHER = "disdukcapil-kota-semarang"
COMMANDS = 1000
LATENCY_MS = 150.0  # each way
BANDWIDTH = 1_000_000 / 8  # 1 Mbit/s, bytes per second, both directions
# Retries within the sync as in the app (a reset is retried), quickly.
OPTIONS: dict[str, Any] = {"attempts": 4, "backoff_base": 0.05, "connect_timeout": 5.0,
                           "read_timeout": 30.0, "deadline": 60.0}
NOTE = "Catatan dua minggu luring #{i}: cek lapangan hari ke-{day}, koordinasi dengan UPT."
DRAFT = ("Yth. Pelapor, terima kasih atas laporan Anda. Tim kami telah menjadwalkan pemeriksaan "
         "lokasi (draf {i}, revisi {rev}); hasilnya akan kami sampaikan melalui kanal ini.")


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url, complaints=200, seed=7)
    h = start_hub(url, tmp_path / "hub.log")
    yield h
    stop_hub(h)



def open_complaints(hub: Hub) -> tuple[list[str], list[str]]:
    """The agency's open complaints as (followed-up-able ``didisposisikan``, other open)."""
    found = db_rows(hub.db, "SELECT id, status FROM complaints WHERE agency_id = :a AND status"
                    " NOT IN ('selesai', 'ditutup') ORDER BY tracking_id", a=AGENCY)
    disposed = [str(r[0]) for r in found if r[1] == "didisposisikan"]
    other = [str(r[0]) for r in found if r[1] != "didisposisikan"]
    return disposed, other


def server_scope(hub: Hub) -> dict[str, int]:
    found = db_rows(hub.db, "SELECT id, version FROM complaints WHERE agency_id = :a OR id IN "
                      "(SELECT complaint_id FROM complaint_copies WHERE agency_id = :a)", a=AGENCY)
    return {str(r[0]): int(r[1]) for r in found}


def replica_versions(ctx: DeskContext) -> dict[str, int]:
    with ctx.open_store().read() as conn:
        return {str(r[0]): int(r[1]) for r in conn.exec_driver_sql(
            "SELECT id, version FROM complaints")}


class Fortnight:
    """The operator's two weeks offline: commands through the real Outbox API, counted."""

    def __init__(self, ctx: DeskContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.outbox = ctx.outbox()
        self.rng = rng
        self.drafts: dict[str, str] = {}  # complaint -> draft id
        self.texts: dict[str, str] = {}  # draft id -> last text saved
        self.notes: dict[str, str] = {}  # op_id -> body
        self.triaged: set[tuple[str, str]] = set()  # (complaint, field)
        self.n = 0
        self.day = 1

    def count(self) -> int:
        return len(self.outbox.entries())

    def draft(self, cid: str) -> None:
        did = self.drafts.get(cid)
        text = DRAFT.format(i=len(self.texts), rev=self.n)
        d = self.outbox.save_draft(cid, text, draft_id=did)
        self.drafts[cid] = d.id
        self.texts[d.id] = text

    def note(self, cid: str) -> None:
        body = NOTE.format(i=self.n, day=self.day)
        self.notes[self.outbox.add_note(cid, body).op_id] = body

    def triage(self, cid: str, field: str, value: object) -> None:
        if (cid, field) not in self.triaged:  # one change per field: the base is the server's
            self.triaged.add((cid, field))
            self.outbox.triage(cid, {field: value})

    def step(self, disposed: list[str], other: list[str]) -> None:
        """One user action; most add one command, draft edits coalesce into the unsent save."""
        self.n += 1
        self.day = 1 + self.n * 14 // COMMANDS
        everything = disposed + other
        roll = self.rng.random()
        cid = self.rng.choice(everything)
        if roll < 0.15:
            self.draft(self.rng.choice(disposed) if roll < 0.1 else cid)
        elif roll < 0.55:
            self.note(cid)
        elif roll < 0.65:
            self.triage(cid, "priority", self.rng.choice(["rendah", "normal", "tinggi"]))
        elif roll < 0.70:
            self.triage(cid, "tags", ["jalan", f"minggu-{1 + self.day // 7}"])
        else:
            self.outbox.mark_read(self.rng.sample(everything, 1), read=roll < 0.95)

    def fill_to(self, total: int, disposed: list[str], other: list[str]) -> None:
        while self.count() < total:
            self.step(disposed, other)
        assert self.count() == total


def test_fourteen_days_offline_then_a_thousand_commands_over_2g(hub: Hub,
                                                                tmp_path: Path) -> None:
    disposed, other = open_complaints(hub)
    assert len(disposed) >= 20 and len(other) >= 20
    rerouted, closed, replied = disposed[:3], disposed[3:6], disposed[6:10]
    engine = db.make_engine(hub.db)
    admin = DeskContext.for_home(tmp_path / "admin", secrets=MemorySecrets())
    with FaultProxy("127.0.0.1", int(hub.url.rsplit(":", 1)[1])) as proxy:
        ctx = DeskContext.for_home(tmp_path / "operator", secrets=MemorySecrets(),
                                   transport_options=OPTIONS)
        try:
            ctx.settings.page_max_bytes = 32 * 1024  # several pages even for this scope
            ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
            ctx.login(proxy.url, "operator", PASSWORD)
            ctx.sync()
            admin.login(hub.url, "admin", PASSWORD)
            admin.sync()
            proxy.refuse()  # offline for real: nothing reaches the server from here on

            # Week one, offline. Drafts on every complaint the server will move or close.
            days = Fortnight(ctx, random.Random(14))
            for cid in rerouted + closed + replied:
                days.draft(cid)
                days.note(cid)
            # Complaints whose priority both sides change (neither value is the current one).
            plain = {str(r[0]) for r in db_rows(hub.db, "SELECT id FROM complaints WHERE priority"
                                                  " NOT IN ('tinggi', 'mendesak')")}
            contested = [c for c in other if c in plain and days.rng.random() < 0.5][:5]
            assert len(contested) == 5
            for cid in contested:
                days.triage(cid, "priority", "tinggi")
            days.fill_to(COMMANDS // 2, disposed, other)

            # Meanwhile on the server: re-routes, closures, reporter replies, and the admin's
            # own triage of complaints the operator also triaged offline.
            for cid in rerouted:
                admin_act(engine, "reroute", cid, to=OTHER)
            for cid in closed:
                admin_act(engine, "close", cid, reason="duplikat")
            for cid in replied:
                admin_act(engine, "reply", cid, text="Sudah dua minggu, belum ada tindakan.")
            for cid in contested:
                admin.outbox().triage(cid, {"priority": "mendesak"})
            assert admin.sync().applied == len(contested)

            # Week two, offline: more work, and the drafts of the replied ones are submitted
            # by an officer who has not seen the replies.
            for cid in rerouted + closed:
                days.draft(cid)  # edits coalesce into the unsent save
            for cid in replied:
                days.outbox.submit_draft(days.drafts[cid])
            moved = set(rerouted + closed + replied)
            submitted = [c for c in disposed if c in days.drafts and c not in moved][:5]
            for cid in submitted:
                days.outbox.submit_draft(days.drafts[cid])
            days.fill_to(COMMANDS, disposed, other)
            entries = days.outbox.entries()
            assert len(entries) == COMMANDS and all(e.state == "pending" for e in entries)
            kinds = Counter(e.kind for e in entries)
            assert {p.CMD_RESPONSE_SAVE, p.CMD_RESPONSE_SUBMIT, p.CMD_NOTE, p.CMD_TRIAGE,
                    p.CMD_MARK_READ} <= set(kinds)

            # Back online over a 2G-like link that drops twice: after the server applied the
            # second push batch (the answer is lost) and in the middle of a changes page.
            proxy.heal()
            proxy.latency_ms = LATENCY_MS
            proxy.bandwidth = BANDWIDTH
            proxy.arm(Fault("reset", path="/sync/push", skip=1, after_bytes=200),
                      Fault("reset", path="/sync/changes", skip=1, after_bytes=6000))
            proxy.reset_counters()
            for _attempt in range(3):  # a sync cut short is simply run again (the scheduler)
                try:
                    ctx.sync()
                    break
                except LaporError:
                    continue
            assert proxy.faults_fired == 2
            pushes = sum(1 for _, path in proxy.requests if path.endswith("/sync/push"))
            assert pushes > COMMANDS // 200  # the lost batch was sent again

            # Invariant 1: exactly one terminal outcome each, the same on both sides.
            entries = days.outbox.entries()
            assert len(entries) == COMMANDS
            # A refused mark-read is parked at once (nothing to decide): its outcome is the
            # server's rejection, shown as a badge.
            assert all(e.state in p.TERMINAL_OUTCOMES or (
                e.state == "parked" and e.kind == p.CMD_MARK_READ
                and e.reason == p.REASON_NOT_ASSIGNED) for e in entries), Counter(
                (e.state, e.kind) for e in entries)
            assert ctx.status().pending == 0
            device = ctx.settings.device_id
            log = db_rows(hub.db, "SELECT seq, op_id, outcome FROM command_log WHERE device_id = :d"
                            " ORDER BY seq", d=device)
            assert [int(r[0]) for r in log] == list(range(1, COMMANDS + 1))
            logged = {str(r[1]): json.loads(r[2]) for r in log}
            assert len(logged) == COMMANDS
            assert {e.op_id: ("rejected" if e.state == "parked" else e.state, e.reason)
                    for e in entries} == {
                op: (out["status"], out["reason"]) for op, out in logged.items()}

            # Invariant 2: nothing applied twice.
            applied = {e.op_id for e in entries if e.state in ("applied", "merged")}
            bodies = Counter(str(r[0]) for r in db_rows(
                hub.db, "SELECT body FROM thread_entries WHERE body LIKE 'Catatan dua minggu%'"))
            assert bodies == Counter(b for op, b in days.notes.items() if op in applied)
            saves = Counter(e.response_id for e in entries
                            if e.kind == p.CMD_RESPONSE_SAVE and e.op_id in applied)
            versions = {str(r[0]): int(r[1]) for r in db_rows(
                hub.db, "SELECT id, version FROM responses WHERE author_id = (SELECT id FROM users"
                     " WHERE username = 'operator')")}
            assert versions == dict(saves)

            # Invariant 4 and the scenario's outcomes: re-routed and closed drafts orphaned,
            # text kept; the replied ones need review; the contested priorities conflict.
            by_complaint: dict[str, list[Any]] = {}
            for e in entries:
                by_complaint.setdefault(str(e.complaint_id), []).append(e)
            states = {str(r[0]): (str(r[1]), str(r[2])) for r in db_rows(
                hub.db, "SELECT id, agency_id, status FROM complaints")}
            assert all(states[c][0] == OTHER for c in rerouted)  # nothing came back
            assert all(states[c] == (AGENCY, "ditutup") for c in closed)
            for cid in rerouted + closed:
                draft = days.outbox.draft(days.drafts[cid])
                assert draft.state == "orphaned", (cid, draft.state)
                assert draft.body == days.texts[draft.id]
            for cid in rerouted:
                assert {e.reason for e in by_complaint[cid] if e.kind != p.CMD_MARK_READ} == {
                    p.REASON_NOT_ASSIGNED}
                assert all(e.state == "rejected" for e in by_complaint[cid]
                           if e.kind != p.CMD_MARK_READ)
            for cid in closed:
                assert {(e.state, e.reason) for e in by_complaint[cid]
                        if e.kind == p.CMD_RESPONSE_SAVE} == {("rejected", p.REASON_CLOSED)}
            for cid in replied:
                [submit] = [e for e in by_complaint[cid] if e.kind == p.CMD_RESPONSE_SUBMIT]
                assert (submit.state, submit.reason) == ("rejected", p.REASON_NEEDS_REVIEW)
            assert len(submitted) == 5
            for cid in submitted:
                assert [e.state for e in by_complaint[cid]
                        if e.kind == p.CMD_RESPONSE_SUBMIT] == ["applied"]
            for cid in contested:
                [first] = [e for e in by_complaint[cid] if e.kind == p.CMD_TRIAGE][:1]
                assert (first.state, first.reason) == ("conflict", p.REASON_FIELD_CONFLICT)
            attention = days.outbox.attention()
            shown_drafts = {i.draft_id for i in attention} | {
                e.response_id for e in entries if e.op_id in {i.op_id for i in attention}}
            for cid in rerouted + closed + replied:
                assert days.drafts[cid] in shown_drafts, cid
            assert ctx.status().attention == len(attention) > 0

            # Invariant 3: the replica is the server's scope, and the checksums agree.
            proxy.heal()
            report = ctx.sync(verify=True)
            assert report.verified and report.buckets_differed == 0
            assert report.repaired == report.repair_removed == 0
            assert replica_versions(ctx) == server_scope(hub)
            assert not set(rerouted) & set(replica_versions(ctx))
        finally:
            ctx.close()
            admin.close()
            engine.dispose()
