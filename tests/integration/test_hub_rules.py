"""Per-agency deadline rules over a real lapor_hub process (SQLite).

``lapor-hub rules set`` stores DPUPR's rules; its users receive them in the page
``reference`` (another agency gets the defaults); the server's deadlines follow them: a
disposition (``lapor-hub act``), the reporter-reply window set on publication (push), and the
escalation job, each checked against ``due_for_step`` / the calendar of the agency's rules.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from conftest import Hub, db_rows, run_cli, running_hub

from lapor_desk.models.rules import DeadlineRules, calendar_from_rules, due_for_step
from lapor_hub.commands import iso, parse_iso

API = "/api/v1"
PASSWORD = "demo-lapor-2026"
DPUPR = "dpupr-kab-semarang"
RULES = DeadlineRules(follow_up_days=2, reply_window_days=3, escalation_days=4,
                      timezone="WITA")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("rules"), complaints=60, seed=3) as h:
        yield h



class _User:
    def __init__(self, hub: Hub, username: str) -> None:
        self.hub, self.device, self.seq = hub, f"dev-{uuid.uuid4().hex[:10]}", 0
        r = requests.post(f"{hub.url}{API}/auth/login", timeout=30, json={
            "username": username, "password": PASSWORD, "device_id": self.device})
        assert r.status_code == 200, r.text
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

    def first_page(self) -> dict[str, Any]:
        r = requests.get(f"{self.hub.url}{API}/sync/changes", headers=self.headers,
                         params={"max_bytes": 16384}, timeout=30)
        assert r.status_code == 200, r.text
        page: dict[str, Any] = r.json()
        return page

    def push(self, kind: str, cid: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        cmd = {"op_id": str(uuid.uuid4()), "seq": self.seq, "kind": kind, "complaint_id": cid,
               "base_version": None, "created_at": "2026-01-05T09:00:00+07:00",
               "payload": payload}
        r = requests.post(f"{self.hub.url}{API}/sync/push", headers=self.headers, timeout=30,
                          json={"device_id": self.device, "commands": [cmd]})
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()["outcomes"][0]
        assert out["status"] == "applied", out
        return out


def _set_rules(hub: Hub) -> None:
    sets = [f"{k}={json.dumps(v)}" for k, v in RULES.to_dict().items()
            if k in ("follow_up_days", "reply_window_days", "escalation_days", "timezone")]
    args = [a for s in sets for a in ("--set", s)]
    out = run_cli("lapor_hub", "rules", "set", "--agency", DPUPR, "--db", hub.db, "--json",
                  *args)
    assert json.loads(out.stdout)["rules"] == RULES.to_dict()
    shown = run_cli("lapor_hub", "rules", "show", "--agency", DPUPR, "--db", hub.db, "--json")
    assert json.loads(shown.stdout) == {"agency_id": DPUPR, "stored": True,
                                        "rules": RULES.to_dict()}
    other = run_cli("lapor_hub", "rules", "show", "--agency", "kab-semarang", "--db", hub.db,
                    "--json")
    assert json.loads(other.stdout)["stored"] is False
    bad = run_cli("lapor_hub", "rules", "set", "--agency", DPUPR, "--db", hub.db,
                  "--set", "follow_up_days=0", check=False)
    assert bad.returncode == 2 and "follow_up_days" in bad.stderr


def test_agency_rules_reach_clients_and_drive_server_deadlines(hub: Hub) -> None:
    officer = _User(hub, "officer")
    assert officer.first_page()["reference"]["rules"] == DeadlineRules().to_dict()
    _set_rules(hub)
    cal = calendar_from_rules(RULES)

    # Clients: the next page carries the new reference (the rules bumped it), per agency.
    assert officer.first_page()["reference"]["rules"] == RULES.to_dict()
    assert _User(hub, "officer2").first_page()["reference"]["rules"] \
        == DeadlineRules().to_dict()

    # A disposition (lapor-hub act) sets the follow-up deadline by DPUPR's rules.
    (cid,) = db_rows(hub.db, "SELECT id FROM complaints WHERE agency_id = :a AND status = "
                        "'diverifikasi' ORDER BY tracking_id LIMIT 1", a=DPUPR)[0]
    at = "2026-03-16T09:00:00+07:00"
    run_cli("lapor_hub", "act", "dispose", cid, "--db", hub.db, "--now", at)
    (due,) = db_rows(hub.db, "SELECT due_at FROM complaints WHERE id = :c", c=cid)[0]
    expected = iso(due_for_step("follow_up", parse_iso(at), RULES, cal))
    assert due == expected
    assert due != iso(due_for_step("follow_up", parse_iso(at), DeadlineRules(),
                                   calendar_from_rules(DeadlineRules())))

    # Publication (push: save, submit, approve) opens a reply window of DPUPR's length.
    supervisor = _User(hub, "supervisor")
    rid, body = str(uuid.uuid4()), "Jalan sudah ditambal pada 17-03-2026 oleh UPT Jalan."
    officer.push("response.save", cid, {"response_id": rid, "body": body,
                                        "base_response_version": 0, "base_body": None})
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    officer.push("response.submit", cid, {"response_id": rid, "response_version": 1,
                                          "text_sha256": digest, "last_comment_id_seen": None})
    supervisor.push("response.approve", cid, {"response_id": rid, "response_version": 1,
                                              "text_sha256": digest})
    status, due, published = db_rows(
        hub.db, "SELECT c.status, c.due_at, r.published_at FROM complaints c JOIN responses r "
             "ON r.complaint_id = c.id WHERE r.id = :r", r=rid)[0]
    assert status == "ditindaklanjuti"
    assert due == iso(due_for_step("reporter_reply", parse_iso(published), RULES, cal))

    # Jobs: escalation after 4 working days for DPUPR, 60 (defaults) elsewhere.
    now = datetime.fromisoformat(max(r[0] for r in db_rows(
        hub.db, "SELECT created_at FROM complaints"))) + timedelta(days=10)
    run_cli("lapor_hub", "jobs", "--db", hub.db, "--now", now.isoformat())
    default_cal = calendar_from_rules(DeadlineRules())
    flagged = {r[0] for r in db_rows(hub.db, "SELECT complaint_id FROM complaint_flags "
                                        "WHERE flag = 'escalation'")}
    open_rows = db_rows(hub.db, "SELECT id, agency_id, created_at FROM complaints WHERE status "
                           "NOT IN ('selesai', 'ditutup', 'ditindaklanjuti')")
    expect = {cid_ for cid_, agency, created in open_rows
              if (cal.deadline(parse_iso(created), RULES.escalation_days) if agency == DPUPR
                  else default_cal.deadline(parse_iso(created), 60)) < now}
    assert expect & {r[0] for r in open_rows if r[1] == DPUPR}
    assert {r[0] for r in open_rows} & flagged == expect
