"""A device id belongs to the user who first used it, over a real lapor_hub process (SQLite).

Once a user's commands are logged under a device id, another user's login or push with it
answers 403 ``device_mismatch``, issues no token and logs no command, so two users' command
seq streams never interleave on one device.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests
from conftest import Hub, db_rows, running_hub

API = "/api/v1"
PASSWORD = "demo-lapor-2026"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("device"), complaints=30, seed=5) as h:
        yield h



def _login(hub: Hub, username: str, device: str) -> requests.Response:
    return requests.post(f"{hub.url}{API}/auth/login", timeout=30,
                         json={"username": username, "password": PASSWORD, "device_id": device})


def _push(hub: Hub, token: str, device: str, complaint_id: str) -> requests.Response:
    cmd = {"op_id": str(uuid.uuid4()), "seq": 1, "kind": "complaint.note",
           "complaint_id": complaint_id, "base_version": None,
           "created_at": "2026-01-05T09:00:00+07:00",
           "payload": {"entry_id": str(uuid.uuid4()), "body": "catatan perangkat"}}
    return requests.post(f"{hub.url}{API}/sync/push", timeout=30,
                         headers={"Authorization": f"Bearer {token}"},
                         json={"device_id": device, "commands": [cmd]})


def _mismatch(r: requests.Response) -> bool:
    return r.status_code == 403 and r.json()["error"]["code"] == "device_mismatch"


def _user_id(hub: Hub, username: str) -> str:
    return str(db_rows(hub.db, "SELECT id FROM users WHERE username = :u", u=username)[0][0])


def _complaint(hub: Hub) -> str:
    return str(db_rows(hub.db, "SELECT id FROM complaints WHERE agency_id = 'dpupr-kab-semarang' "
                          "AND status = 'didisposisikan' ORDER BY tracking_id")[0][0])


def test_device_with_commands_is_refused_to_another_user(hub: Hub) -> None:
    shared, own, fresh = (f"dev-{uuid.uuid4().hex[:10]}" for _ in range(3))
    cid = _complaint(hub)
    r = _login(hub, "officer", shared)
    assert r.status_code == 200, r.text
    officer = r.json()["access_token"]
    r = _push(hub, officer, shared, cid)
    assert r.status_code == 200 and r.json()["outcomes"][0]["status"] == "applied", r.text
    assert _login(hub, "officer", shared).status_code == 200  # the owner again: fine

    # Another user, same device id (which carries the officer's commands): refused, and no
    # token was issued.
    r = _login(hub, "supervisor", shared)
    assert _mismatch(r), r.text
    sup_id = _user_id(hub, "supervisor")
    assert db_rows(hub.db, "SELECT count(*) FROM tokens WHERE user_id = :u AND device_id = :d",
                 u=sup_id, d=shared) == [(0,)]

    # The supervisor, signed in on a device of their own, may not push under it either.
    r = _login(hub, "supervisor", own)
    assert r.status_code == 200, r.text
    supervisor = r.json()["access_token"]
    assert _mismatch(_push(hub, supervisor, shared, cid))
    assert db_rows(hub.db, "SELECT DISTINCT user_id FROM command_log WHERE device_id = :d",
                 d=shared) == [(_user_id(hub, "officer"),)]

    # A device id first seen in a push belongs to that user from then on.
    assert _push(hub, officer, fresh, cid).status_code == 200
    assert _mismatch(_login(hub, "supervisor", fresh))
    assert _mismatch(_push(hub, supervisor, fresh, cid))
    owners = dict(db_rows(hub.db, "SELECT device_id, user_id FROM devices WHERE device_id IN "
                             "(:a, :b, :c)", a=shared, b=own, c=fresh))
    officer_id = _user_id(hub, "officer")
    assert owners == {shared: officer_id, own: sup_id, fresh: officer_id}


def test_device_without_commands_changes_hands_on_the_first_push(hub: Hub) -> None:
    """A desk profile signing in as another account with nothing sent: allowed; the new
    user's first push takes the device, and from then on the old user is refused."""
    device = f"dev-{uuid.uuid4().hex[:10]}"
    cid = _complaint(hub)
    r = _login(hub, "officer", device)
    assert r.status_code == 200
    officer = r.json()["access_token"]
    r = _login(hub, "supervisor", device)
    assert r.status_code == 200, r.text
    supervisor = r.json()["access_token"]
    assert db_rows(hub.db, "SELECT user_id FROM devices WHERE device_id = :d",
                 d=device) == [(_user_id(hub, "officer"),)]
    r = _push(hub, supervisor, device, cid)
    assert r.status_code == 200 and r.json()["outcomes"][0]["status"] == "applied", r.text
    assert db_rows(hub.db, "SELECT user_id FROM devices WHERE device_id = :d",
                 d=device) == [(_user_id(hub, "supervisor"),)]
    assert _mismatch(_push(hub, officer, device, cid))
    assert _mismatch(_login(hub, "officer", device))
