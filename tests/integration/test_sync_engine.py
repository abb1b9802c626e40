"""The sync engine over real HTTP and a real encrypted store, against a scripted loopback server.

The scripted server plays the misbehaviours a real lapor-hub never shows on demand: poison
records, structural garbage mid-sync, identity leaks, resets, expiring tokens, stuck cursors.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from scripted_http import JsonHandler, LoopbackServer

from lapor_desk.errors import LoginExpiredError, ProtocolError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.store import Store
from lapor_desk.secrets import MemorySecrets, get_refresh_token
from lapor_desk.sync.auth import AuthSession, login
from lapor_desk.sync.engine import SyncEngine, SyncProgress
from lapor_desk.sync.transport import Transport

AGENCY = "dpupr-kab-semarang"
USER = {"id": str(uuid.uuid4()), "username": "officer", "display_name": "Officer",
        "role": "officer", "agency_id": AGENCY, "agency_name": "DPUPR"}


def complaint(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()), "tracking_id": int.from_bytes(os.urandom(3), "big"),
        "version": 1, "title": "Jalan rusak", "body": "Kronologi", "incident_date": None,
        "location": {"province": "Jawa Tengah", "regency": None, "district": None},
        "category_id": None, "classification": "pengaduan", "channel": "web",
        "is_anonymous": False, "is_confidential": False,
        "reporter": {"name": "Budi", "phone": None, "email": None},
        "agency_id": AGENCY, "copy_agency_ids": [], "status": "baru", "priority": "normal",
        "tags": [], "assignee_id": None, "created_at": "2026-11-02T08:00:00+00:00",
        "updated_at": "2026-11-02T08:00:00+00:00", "due_at": None, "resolution_due_at": None,
        "thread": [], "attachments": [],
    }
    doc.update(over)
    return doc


def page(complaints: list[Any], cursor: str, has_more: bool = False, epoch: str = "e1",
         **over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"protocol": 1, "epoch": epoch, "cursor": cursor, "has_more": has_more,
                         "reference": None, "complaints": complaints, "removed": [],
                         "remaining": 0}
    d.update(over)
    return d


Reply = tuple[int, Any]  # (status, JSON body)


@dataclass
class Script:
    """What the fake server answers to /sync/changes, given (cursor, access token)."""

    changes: Callable[[str | None, str], Reply]
    expired: set[str] = field(default_factory=set)  # access tokens answered with token_expired
    cursors: list[str | None] = field(default_factory=list)
    refreshes: list[str] = field(default_factory=list)
    issued: int = 1


class FakeHub:
    def __init__(self, script: Script) -> None:
        self.script = script
        outer = self

        class H(JsonHandler):
            def tokens(self) -> dict[str, Any]:
                n = outer.script.issued
                return {"access_token": f"a{n}", "refresh_token": f"r{n}",
                        "token_type": "bearer", "expires_in": 900, "user": USER}

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path.endswith("/auth/login"):
                    self.reply(200, self.tokens())
                elif self.path.endswith("/auth/refresh"):
                    outer.script.refreshes.append(body["refresh_token"])
                    outer.script.issued += 1
                    self.reply(200, self.tokens())
                else:
                    self.reply(404, {"error": {"code": "not_found", "message": ""}})

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token in outer.script.expired:
                    self.reply(401, {"error": {"code": "token_expired", "message": ""}})
                    return
                cursor = parse_qs(url.query).get("cursor", [None])[0]
                outer.script.cursors.append(cursor)
                self.reply(*outer.script.changes(cursor, token))

        self.server = LoopbackServer(H)
        self.url = self.server.url

    def close(self) -> None:
        self.server.close()


@dataclass
class Rig:
    hub: FakeHub
    store: Store
    engine: SyncEngine
    secrets: MemorySecrets

    def ids(self) -> set[str]:
        return set(self.store.ids(ComplaintQuery()))


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Callable[[Script], Rig]]:
    made: list[tuple[FakeHub, Store, Transport]] = []

    def make(script: Script) -> Rig:
        hub = FakeHub(script)
        store = Store.open(tmp_path / f"replica{len(made)}.db", os.urandom(32))
        transport = Transport(hub.url, attempts=2, sleep=lambda _s: None)
        made.append((hub, store, transport))
        secrets = MemorySecrets()
        auth = AuthSession(transport, secrets)
        auth.adopt(login(transport, "officer", "pw", "device-1"))
        return Rig(hub, store, SyncEngine(store, transport, auth, scope={AGENCY}), secrets)

    yield make
    for hub, store, transport in made:
        transport.close()
        store.close()
        hub.close()


def test_poison_out_of_scope_and_leaked_identity_never_stored(rig: Callable[[Script], Rig]
                                                              ) -> None:
    good = complaint()
    poison = complaint(title=12345)
    foreign = complaint(agency_id="disdukcapil-kota-semarang")
    leaked = complaint(is_anonymous=True,
                       reporter={"name": "Nama Rahasia", "phone": "0811", "email": None})
    r = rig(Script(lambda c, t: (200, page([good, poison, foreign, leaked], "c1"))))
    report = r.engine.sync()
    assert report.received == 2 and report.rejected == 2
    assert r.ids() == {good["id"], leaked["id"]}
    with r.store.read() as conn:
        names = [row[0] for row in conn.exec_driver_sql(
            "SELECT reporter_name FROM complaints WHERE id = ?", (leaked["id"],))]
    assert names == [None]


def test_structural_error_mid_sync_applies_nothing_of_that_page_then_resumes(
        rig: Callable[[Script], Rig]) -> None:
    first, second = complaint(), complaint()
    broken = {"on": True}

    def changes(cursor: str | None, _t: str) -> Reply:
        if cursor is None:
            return 200, page([first], "c1", has_more=True)
        if broken["on"]:
            bad = page([second], "c2")
            del bad["cursor"]
            return 200, bad
        return 200, page([second], "c2")

    r = rig(Script(changes))
    with pytest.raises(ProtocolError):
        r.engine.sync()
    assert r.ids() == {first["id"]}
    state = r.store.sync_state()
    assert state.cursor == "c1" and state.last_error == "protocol"

    broken["on"] = False
    report = r.engine.sync()
    assert report.received == 1 and r.ids() == {first["id"], second["id"]}
    assert r.hub.script.cursors[-1] == "c1"
    assert r.store.sync_state().last_error is None


def test_reset_required_rebuilds_the_synced_layer_once(rig: Callable[[Script], Rig]) -> None:
    old, new = complaint(), complaint()
    phase = {"restored": False}

    def changes(cursor: str | None, _t: str) -> Reply:
        if not phase["restored"]:
            return 200, page([old], "c1")
        if cursor == "c1":
            return 409, {"error": {"code": "reset_required", "message": "epoch"}}
        return 200, page([new], "d1", epoch="e2")

    r = rig(Script(changes))
    r.engine.sync()
    phase["restored"] = True
    report = r.engine.sync()
    assert report.reset and report.received == 1
    assert r.ids() == {new["id"]}
    assert r.store.sync_state().epoch == "e2"


def test_epoch_change_without_409_is_treated_as_a_reset(rig: Callable[[Script], Rig]) -> None:
    a, b = complaint(), complaint()
    phase = {"restored": False}

    def changes(cursor: str | None, _t: str) -> Reply:
        return 200, (page([b], "x", epoch="e9") if phase["restored"] else page([a], "c1"))

    r = rig(Script(changes))
    r.engine.sync()
    phase["restored"] = True
    report = r.engine.sync()
    assert report.reset
    assert r.hub.script.cursors[-2:] == ["c1", None]  # refused the page, pulled from scratch
    assert r.ids() == {b["id"]} and r.store.sync_state().epoch == "e9"


def test_token_expired_refreshes_exactly_once_and_stores_the_rotated_token(
        rig: Callable[[Script], Rig]) -> None:
    script = Script(lambda c, t: (200, page([complaint()], "c1")), expired={"a1"})
    r = rig(script)
    assert r.engine.sync().received == 1
    assert script.refreshes == ["r1"]
    assert get_refresh_token(r.secrets) == "r2"

    script.expired = {f"a{i}" for i in range(1, 10)}  # every token "expires": give up
    with pytest.raises(LoginExpiredError):
        r.engine.sync()
    assert script.refreshes == ["r1", "r2"]  # one refresh for this sync, not a loop


def test_cancel_stops_between_pages_and_the_next_sync_continues(
        rig: Callable[[Script], Rig]) -> None:
    docs = [complaint() for _ in range(3)]

    def changes(cursor: str | None, _t: str) -> Reply:
        i = 0 if cursor is None else int(cursor[1:])
        return 200, page([docs[i]], f"c{i + 1}", has_more=i < 2, remaining=2 - i)

    r = rig(Script(changes))
    cancel = threading.Event()

    def progress(p: SyncProgress) -> None:
        if p.pages == 1:
            cancel.set()

    report = r.engine.sync(progress=progress, cancel=cancel)
    assert report.cancelled and report.pages == 1
    assert r.ids() == {docs[0]["id"]}
    assert r.store.sync_state().last_sync_at is None  # a cancelled sync is not a success

    report = r.engine.sync()
    assert report.received == 2 and r.ids() == {d["id"] for d in docs}


def test_a_cursor_that_never_advances_is_refused(rig: Callable[[Script], Rig]) -> None:
    r = rig(Script(lambda c, t: (200, page([complaint()], "same", has_more=True))))
    with pytest.raises(ProtocolError):
        r.engine.sync()
    assert len(r.hub.script.cursors) <= 3
