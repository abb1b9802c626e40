"""The push loop against a scripted loopback server, for what a real lapor-hub does not do on
demand: no push endpoint yet (404), a server restored from a backup (it asks for an earlier
seq), retry outcomes, outcomes it must drop, and outcomes on the pull stream."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scripted_http import JsonHandler, LoopbackServer

from lapor_desk.models.outbox import Outbox
from lapor_desk.models.store import Store
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_desk.sync.auth import AuthSession, login
from lapor_desk.sync.engine import SyncEngine
from lapor_desk.sync.transport import Transport

AGENCY = "dpupr-kab-semarang"
USER = {"id": str(uuid.uuid4()), "username": "officer", "display_name": "Officer",
        "role": "officer", "agency_id": AGENCY, "agency_name": "DPUPR"}
CID = str(uuid.UUID(int=7))

Reply = tuple[int, Any]


def complaint(version: int = 1) -> dict[str, Any]:
    return {
        "id": CID, "tracking_id": 777, "version": version, "title": "Jalan rusak",
        "body": "Kronologi", "incident_date": None,
        "location": {"province": "Jawa Tengah", "regency": None, "district": None},
        "category_id": None, "classification": "pengaduan", "channel": "web",
        "is_anonymous": False, "is_confidential": False, "reporter": None,
        "agency_id": AGENCY, "copy_agency_ids": [], "status": "didisposisikan",
        "priority": "normal", "tags": [], "assignee_id": None,
        "created_at": "2026-11-02T08:00:00+00:00", "updated_at": "2026-11-02T08:00:00+00:00",
        "due_at": None, "resolution_due_at": None, "thread": [], "attachments": [],
    }


class Server:
    """Answers login, /sync/changes (one page) and /sync/push through ``push``."""

    def __init__(self, push: Callable[[dict[str, Any]], Reply]) -> None:
        self.push = push
        self.pushes: list[dict[str, Any]] = []
        self.page_outcomes: list[dict[str, Any]] = []
        outer = self

        class H(JsonHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path.endswith("/auth/login"):
                    self.reply(200, {"access_token": "a1", "refresh_token": "r1",
                                     "token_type": "bearer", "expires_in": 900, "user": USER})
                elif self.path.endswith("/sync/push"):
                    outer.pushes.append(body)
                    self.reply(*outer.push(body))
                else:
                    self.reply(404, {"error": {"code": "not_found", "message": ""}})

            def do_GET(self) -> None:
                page: dict[str, Any] = {
                    "protocol": 1, "epoch": "e1", "cursor": "c1", "has_more": False,
                    "reference": None, "complaints": [complaint()], "removed": [],
                    "remaining": 0}
                if outer.page_outcomes:
                    page["outcomes"] = outer.page_outcomes
                self.reply(200, page)

        self.server = LoopbackServer(H)
        self.url = self.server.url

    def close(self) -> None:
        self.server.close()


def applied(cmd: dict[str, Any], status: str = p.OUTCOME_APPLIED) -> dict[str, Any]:
    return {"op_id": cmd["op_id"], "seq": cmd["seq"], "status": status, "reason": None,
            "message": "ok", "complaint_version": 2, "response_version": 1}


class Rig:
    def __init__(self, tmp: Path, push: Callable[[dict[str, Any]], Reply]) -> None:
        self.server = Server(push)
        self.store = Store.open(tmp / "replica.db", os.urandom(32))
        self.transport = Transport(self.server.url, attempts=1, sleep=lambda _s: None)
        auth = AuthSession(self.transport, MemorySecrets())
        auth.adopt(login(self.transport, "officer", "pw", "device-1"))
        self.engine = SyncEngine(self.store, self.transport, auth, scope={AGENCY},
                                 device_id="device-1", push_batch=2)
        self.outbox = Outbox(self.store)
        self.engine.sync()  # the complaint is in the replica

    def close(self) -> None:
        self.transport.close()
        self.store.close()
        self.server.close()

    def states(self) -> list[str]:
        return [e.state for e in self.outbox.entries()]


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Callable[[Callable[[dict[str, Any]], Reply]], Rig]]:
    rigs: list[Rig] = []

    def build(push: Callable[[dict[str, Any]], Reply]) -> Rig:
        rig = Rig(tmp_path / str(len(rigs)), push)
        rigs.append(rig)
        return rig

    yield build
    for rig in rigs:
        rig.close()


def test_a_server_without_push_is_skipped_and_the_pull_still_runs(make: Any) -> None:
    rig = make(lambda body: (404, {"error": {"code": "not_found", "message": ""}}))
    rig.outbox.add_note("777", "Catatan")
    report = rig.engine.sync()
    assert report.push_unsupported and report.pushed == 0
    assert rig.states() == ["sending"] and len(rig.outbox.pending()) == 1
    assert rig.store.sync_state().last_sync_at is not None


def test_batches_in_seq_order_and_retry_stays_pending_without_spinning(make: Any) -> None:
    def push(body: dict[str, Any]) -> Reply:
        cmds = body["commands"]
        if cmds[0]["seq"] >= 3:
            return 200, {"outcomes": [applied(c, p.OUTCOME_RETRY) for c in cmds],
                         "next_seq": 3}
        return 200, {"outcomes": [applied(c) for c in cmds], "next_seq": cmds[-1]["seq"] + 1}

    rig = make(push)
    for i in range(5):
        rig.outbox.add_note("777", f"Catatan {i}")
    report = rig.engine.sync()
    assert [[c["seq"] for c in b["commands"]] for b in rig.server.pushes] == [[1, 2], [3, 4]]
    assert (report.pushed, report.applied) == (4, 2)
    assert rig.states() == ["applied", "applied", "pending", "pending", "pending"]
    assert all(b["device_id"] == "device-1" for b in rig.server.pushes)


def test_a_server_restored_from_backup_gets_the_lost_commands_again(make: Any) -> None:
    known: dict[str, dict[str, Any]] = {}

    def push(body: dict[str, Any]) -> Reply:
        outs = []
        for cmd in body["commands"]:
            expected = len(known) + 1
            if cmd["op_id"] in known:
                outs.append(known[cmd["op_id"]])
            elif cmd["seq"] == expected:
                known[cmd["op_id"]] = applied(cmd)
                outs.append(known[cmd["op_id"]])
            else:
                outs.append(applied(cmd, p.OUTCOME_RETRY))
        return 200, {"outcomes": outs, "next_seq": len(known) + 1}

    rig = make(push)
    for i in range(3):
        rig.outbox.add_note("777", f"Catatan {i}")
    rig.engine.sync()
    assert rig.states() == ["applied"] * 3
    known.clear()  # the server is restored from a backup taken before those commands
    rig.outbox.add_note("777", "Catatan sesudah pemulihan")
    report = rig.engine.sync()
    sent = [[c["seq"] for c in b["commands"]] for b in rig.server.pushes[2:]]
    assert sent == [[4], [1, 2], [3, 4]]
    assert sorted(int(o["seq"]) for o in known.values()) == [1, 2, 3, 4]
    assert rig.states() == ["applied"] * 4 and report.applied == 1


def test_outcomes_that_must_be_dropped_do_not_loop_and_the_pull_stream_settles_them(
        make: Any) -> None:
    def push(body: dict[str, Any]) -> Reply:
        bad = [{**applied(c), "op_id": "not-a-uuid"} for c in body["commands"]]
        return 200, {"outcomes": bad, "next_seq": body["commands"][-1]["seq"] + 1}

    rig = make(push)
    rig.outbox.save_draft("777", "Jawaban")
    [cmd] = rig.outbox.entries()
    rig.server.page_outcomes = [{"op_id": cmd.op_id, "seq": 1, "status": p.OUTCOME_APPLIED,
                                 "reason": None, "message": "ok", "complaint_version": 2,
                                 "response_version": 1}]
    report = rig.engine.sync()
    assert len(rig.server.pushes) == 1
    assert report.applied == 1  # from the pull stream, in the page's transaction
    assert rig.states() == ["applied"]
