"""POST /sync/push, the workflow and the jobs over a real lapor_hub process (SQLite, PostgreSQL).

One seeded server per database for the module (seeding and start-up are the slow part); each
test takes complaints nobody else in the module uses and its own device ids.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from conftest import Hub, fresh_pg_url, pg_available, run_cli, start_hub, stop_hub
from sqlalchemy import create_engine, text

from lapor_hub import db
from lapor_hub.commands import ActError, ActResult, admin_act
from lapor_hub.jobs import run_jobs

API = "/api/v1"
PASSWORD = "demo-lapor-2026"
DPUPR = "dpupr-kab-semarang"
DUKCAPIL = "disdukcapil-kota-semarang"


@dataclass
class Env:
    hub: Hub
    used: set[str] = field(default_factory=set)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        engine = create_engine(self.hub.db)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params))
        finally:
            engine.dispose()

    def take(self, status: str, agency: str = DPUPR) -> tuple[str, int]:
        """A complaint (id, tracking id) in ``status`` of ``agency`` no other test uses."""
        for cid, tid in self.rows("SELECT id, tracking_id FROM complaints WHERE status = :s AND "
                                  "agency_id = :a ORDER BY tracking_id", s=status, a=agency):
            if cid not in self.used:
                self.used.add(cid)
                return str(cid), int(tid)
        raise AssertionError(f"no unused {status} complaint of {agency} in the seed")

    def act(self, *args: str, check: bool = True) -> Any:
        """``lapor-hub act`` as a user runs it (a subprocess)."""
        return run_cli("lapor_hub", "act", *args, "--db", self.hub.db, check=check)

    def admin(self, verb: str, ref: str, **kw: Any) -> ActResult:
        """The same admin action in-process (scenario setup; the CLI is tested on its own)."""
        engine = db.make_engine(self.hub.db)
        try:
            return admin_act(engine, verb, ref, **kw)
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("push")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'hub.db'}"
    else:
        if not pg_available():
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432")
            pytest.skip("PostgreSQL is not reachable")
        url = fresh_pg_url()
    run_cli("lapor_hub", "seed", "--db", url, "--complaints", "200", "--seed", "7")
    hub = start_hub(url, tmp / "hub.log")
    try:
        yield Env(hub)
    finally:
        stop_hub(hub)


class Desk:
    """A desk client's device: a login with a device id and a gap-free command seq."""

    def __init__(self, env: Env, username: str) -> None:
        self.env = env
        self.device = f"dev-{username}-{uuid.uuid4().hex[:8]}"
        r = requests.post(f"{env.hub.url}{API}/auth/login", timeout=30,
                          json={"username": username, "password": PASSWORD,
                                "device_id": self.device})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        self.user = r.json()["user"]
        self.seq = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def cmd(self, kind: str, complaint_id: str, payload: dict[str, Any],
            base_version: int | None = None) -> dict[str, Any]:
        self.seq += 1
        return {"op_id": str(uuid.uuid4()), "seq": self.seq, "kind": kind,
                "complaint_id": complaint_id, "base_version": base_version,
                "created_at": "2026-01-05T09:00:00+07:00", "payload": payload}

    def push(self, *commands: dict[str, Any]) -> dict[str, Any]:
        r = requests.post(f"{self.env.hub.url}{API}/sync/push", headers=self.headers,
                          json={"device_id": self.device, "commands": list(commands)},
                          timeout=60)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def one(self, kind: str, complaint_id: str, payload: dict[str, Any],
            base_version: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = self.push(self.cmd(kind, complaint_id, payload,
                                                 base_version))["outcomes"][0]
        return out

    def page(self, cursor: str | None = None) -> dict[str, Any]:
        params = {"cursor": cursor} if cursor else {}
        r = requests.get(f"{self.env.hub.url}{API}/sync/changes", params=params,
                         headers=self.headers, timeout=60)
        assert r.status_code == 200, r.text
        page: dict[str, Any] = r.json()
        return page

    def pull_all(self, cursor: str | None = None) -> tuple[list[dict[str, Any]], str]:
        pages = []
        while True:
            page = self.page(cursor)
            pages.append(page)
            cursor = page["cursor"]
            if not page["has_more"]:
                assert cursor is not None
                return pages, cursor

    def doc(self, complaint_id: str) -> dict[str, Any]:
        pages, _ = self.pull_all()
        docs = [c for p in pages for c in p["complaints"] if c["id"] == complaint_id]
        assert len(docs) == 1
        return docs[0]


def sha(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def save(d: Desk, cid: str, rid: str, body: str, base: int = 0,
         base_body: str | None = None) -> dict[str, Any]:
    return d.one("response.save", cid, {"response_id": rid, "body": body,
                                        "base_response_version": base, "base_body": base_body})


def submit(d: Desk, cid: str, rid: str, body: str, version: int,
           seen: str | None = None) -> dict[str, Any]:
    return d.one("response.submit", cid, {"response_id": rid, "response_version": version,
                                          "text_sha256": sha(body),
                                          "last_comment_id_seen": seen})


def review(d: Desk, kind: str, cid: str, rid: str, body: str, version: int,
           note: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"response_id": rid, "response_version": version,
                               "text_sha256": sha(body)}
    if note is not None:
        payload["note"] = note
    return d.one(kind, cid, payload)


def last_comment(env: Env, cid: str) -> str | None:
    rows = env.rows("SELECT id FROM thread_entries WHERE complaint_id = :c AND kind = 'comment' "
                    "ORDER BY created_at DESC, id DESC", c=cid)
    return str(rows[0][0]) if rows else None


ANSWER = ("Yth. Pelapor,\n\nTim UPT Jalan DPUPR telah memeriksa lokasi pada 05-01-2026.\n\n"
          "Penambalan dijadwalkan 12-01-2026; foto terlampir (surat 600/12/2026).")


# ------------------------------------------------------------------------------------------


def test_same_batch_twice_same_outcomes_one_effect(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer = Desk(env, "officer")
    rid, note_id = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [officer.cmd("response.save", cid, {"response_id": rid, "body": ANSWER,
                                                 "base_response_version": 0, "base_body": None}),
             officer.cmd("complaint.note", cid, {"entry_id": note_id, "body": "Cek lokasi."})]
    first = officer.push(*batch)
    assert [o["status"] for o in first["outcomes"]] == ["applied", "applied"]
    assert first["next_seq"] == 3
    again = officer.push(*batch)
    assert again == first
    assert env.rows("SELECT count(*) FROM responses WHERE id = :r", r=rid)[0][0] == 1
    assert env.rows("SELECT count(*) FROM thread_entries WHERE id = :n", n=note_id)[0][0] == 1
    assert env.rows("SELECT count(*) FROM command_log WHERE device_id = :d",
                    d=officer.device)[0][0] == 2
    doc = officer.doc(cid)
    assert [r["id"] for r in doc["responses"]] == [rid]
    assert doc["responses"][0]["state"] == "draft" and doc["responses"][0]["version"] == 1
    assert doc["responses"][0]["text_sha256"] == sha(ANSWER)
    assert doc["version"] == first["outcomes"][1]["complaint_version"]


def test_dropped_push_response_then_resend(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer = Desk(env, "officer")
    note_id = str(uuid.uuid4())
    cmd = officer.cmd("complaint.note", cid, {"entry_id": note_id, "body": "Catatan."})
    body = json.dumps({"device_id": officer.device, "commands": [cmd]}).encode()
    url = urlparse(env.hub.url)
    # Send the whole request, then hang up without reading the response.
    with socket.create_connection((url.hostname, url.port), timeout=30) as s:
        s.sendall(b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  + f"Authorization: Bearer {officer.token}\r\n".encode()
                  + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        s.shutdown(socket.SHUT_WR)
    resent = officer.push(cmd)
    assert resent["outcomes"][0]["status"] == "applied"
    assert resent["outcomes"][0]["op_id"] == cmd["op_id"]
    assert resent == officer.push(cmd)
    assert env.rows("SELECT count(*) FROM thread_entries WHERE id = :n", n=note_id)[0][0] == 1
    # The outcome also arrives on the pull stream, once per cursor chain.
    pages, cursor = officer.pull_all()
    outcomes = [o for p in pages for o in p["outcomes"]]
    assert [o["op_id"] for o in outcomes] == [cmd["op_id"]]
    assert officer.page(cursor)["outcomes"] == []


def test_concurrent_resends_take_effect_once(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer = Desk(env, "officer")
    rid, note_id = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [officer.cmd("response.save", cid, {"response_id": rid, "body": ANSWER,
                                                 "base_response_version": 0, "base_body": None}),
             officer.cmd("complaint.note", cid, {"entry_id": note_id, "body": "Cek."})]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: officer.push(*batch), range(4)))
    done = [r for r in results if r["outcomes"][-1]["status"] != "retry"]
    assert done and all(r["outcomes"] == done[0]["outcomes"] for r in done)
    assert officer.push(*batch)["outcomes"] == done[0]["outcomes"]
    assert env.rows("SELECT count(*) FROM thread_entries WHERE id = :n", n=note_id)[0][0] == 1
    assert env.rows("SELECT version FROM responses WHERE id = :r", r=rid)[0][0] == 1
    assert env.rows("SELECT count(*) FROM command_log WHERE device_id = :d",
                    d=officer.device)[0][0] == 2


def test_seq_gap_answers_retry(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer = Desk(env, "officer")
    c1 = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "satu"})
    c2 = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "dua"})
    c3 = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "tiga"})
    assert officer.push(c1)["outcomes"][0]["status"] == "applied"
    gap = officer.push(c3)
    assert gap["outcomes"][0]["status"] == "retry" and gap["next_seq"] == 2
    # A gap inside a batch: the rest of the batch waits too.
    c5 = {**c3, "op_id": str(uuid.uuid4()), "seq": 5}
    mixed = officer.push(c3, c5)
    assert [o["status"] for o in mixed["outcomes"]] == ["retry", "retry"]
    done = officer.push(c2, c3)
    assert [o["status"] for o in done["outcomes"]] == ["applied", "applied"]
    assert done["next_seq"] == 4
    notes = env.rows("SELECT body FROM thread_entries WHERE complaint_id = :c AND kind = 'note' "
                     "AND body IN ('satu', 'dua', 'tiga')", c=cid)
    assert sorted(r[0] for r in notes) == ["dua", "satu", "tiga"]


def test_roles_and_agency_scope(env: Env) -> None:
    cid, tid = env.take("didisposisikan")
    officer, operator, supervisor = Desk(env, "officer"), Desk(env, "operator"), \
        Desk(env, "supervisor")
    rid = str(uuid.uuid4())
    assert save(officer, cid, rid, ANSWER)["status"] == "applied"
    assert submit(officer, cid, rid, ANSWER, 1)["status"] == "applied"
    denied = review(officer, "response.approve", cid, rid, ANSWER, 1)
    assert (denied["status"], denied["reason"]) == ("rejected", "forbidden")
    denied = review(operator, "response.approve", cid, rid, ANSWER, 1)
    assert (denied["status"], denied["reason"]) == ("rejected", "forbidden")
    denied = save(supervisor, cid, str(uuid.uuid4()), "Draf supervisor")
    assert (denied["status"], denied["reason"]) == ("rejected", "forbidden")
    tri = officer.one("complaint.triage", cid, {"changes": {"priority": "tinggi"},
                                                "base": {"priority": "normal"}})
    assert (tri["status"], tri["reason"]) == ("rejected", "forbidden")
    hold = operator.one("complaint.transition", cid, {"from_status": "didisposisikan",
                                                      "to_status": "ditunda"})
    assert (hold["status"], hold["reason"]) == ("rejected", "forbidden")

    other = Desk(env, "officer2")  # another agency
    before = env.rows("SELECT version FROM complaints WHERE id = :c", c=cid)[0][0]
    for out in (save(other, cid, str(uuid.uuid4()), "Bukan urusan saya"),
                other.one("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "x"}),
                review(other, "response.return", cid, rid, ANSWER, 1, note="tidak")):
        assert (out["status"], out["reason"]) == ("rejected", "not_assigned")
        assert out["complaint_version"] is None  # nothing about another agency leaks
    assert env.rows("SELECT version FROM complaints WHERE id = :c", c=cid)[0][0] == before
    assert env.rows("SELECT state FROM responses WHERE id = :r", r=rid)[0][0] == "submitted"

    # A copy is read-only for the copied agency.
    copied, ctid = env.take("diverifikasi")
    env.admin("dispose", str(ctid), copies=[DUKCAPIL])
    assert save(officer, copied, str(uuid.uuid4()), ANSWER)["status"] == "applied"
    seen = [c for p in other.pull_all()[0] for c in p["complaints"] if c["id"] == copied]
    assert len(seen) == 1 and seen[0]["responses"] == []  # the primary's drafts stay home
    assert len(officer.doc(copied)["responses"]) == 1
    out = other.one("complaint.note", copied, {"entry_id": str(uuid.uuid4()), "body": "x"})
    assert (out["status"], out["reason"]) == ("rejected", "forbidden")
    assert tid  # the first complaint stays with DPUPR


def test_stale_approval_and_return(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer, supervisor = Desk(env, "officer"), Desk(env, "supervisor")
    rid = str(uuid.uuid4())
    save(officer, cid, rid, ANSWER)
    assert submit(officer, cid, rid, ANSWER, 1)["status"] == "applied"
    # The supervisor saw other text than the server holds.
    out = review(supervisor, "response.approve", cid, rid, ANSWER + " (lama)", 1)
    assert (out["status"], out["reason"]) == ("rejected", "stale_approval")
    # The officer edits after submitting: the submission is withdrawn, the old approval is stale.
    edited = ANSWER + "\n\nKontak: 024-3581234."
    out = save(officer, cid, rid, edited, base=1, base_body=ANSWER)
    assert out["status"] == "applied" and out["response_version"] == 2
    assert env.rows("SELECT state FROM responses WHERE id = :r", r=rid)[0][0] == "draft"
    out = review(supervisor, "response.approve", cid, rid, ANSWER, 1)
    assert (out["status"], out["reason"]) == ("rejected", "stale_approval")
    assert submit(officer, cid, rid, edited, 2)["status"] == "applied"
    out = review(supervisor, "response.return", cid, rid, edited, 2, note="Tambahkan foto.")
    assert out["status"] == "applied"
    doc = officer.doc(cid)
    assert doc["responses"][0]["state"] == "returned"
    assert doc["responses"][0]["note"] == "Tambahkan foto."
    assert not [t for t in doc["thread"] if t["kind"] == "followup" and t["id"] == rid]


def test_approve_publishes_exactly_once(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer, supervisor = Desk(env, "officer"), Desk(env, "supervisor")
    rid = str(uuid.uuid4())
    save(officer, cid, rid, ANSWER)
    submit(officer, cid, rid, ANSWER, 1)
    approve = supervisor.cmd("response.approve", cid, {"response_id": rid, "response_version": 1,
                                                       "text_sha256": sha(ANSWER)})
    first = supervisor.push(approve)
    assert first["outcomes"][0]["status"] == "applied"
    assert supervisor.push(approve) == first  # a replay changes nothing
    again = review(supervisor, "response.approve", cid, rid, ANSWER, 1)  # a new op
    assert again["status"] == "rejected"
    edit = save(officer, cid, rid, ANSWER + " lagi", base=1, base_body=ANSWER)
    assert edit["status"] == "rejected"  # published text is not edited in place
    doc = officer.doc(cid)
    followups = [t for t in doc["thread"] if t["kind"] == "followup" and t["id"] == rid]
    assert len(followups) == 1 and followups[0]["body"] == ANSWER
    assert doc["status"] == "ditindaklanjuti"
    assert doc["due_at"] is not None and doc["due_at"] > doc["updated_at"]
    assert doc["responses"] == []
    events = [t["body"] for t in doc["thread"] if t["kind"] == "event"]
    assert any("disetujui" in e and "perangkat " + supervisor.device in e for e in events)
    assert env.rows("SELECT count(*) FROM thread_entries WHERE complaint_id = :c AND "
                    "kind = 'followup' AND body = :b", c=cid, b=ANSWER)[0][0] == 1


def test_reporter_reply_reopens_and_needs_review(env: Env) -> None:
    cid, tid = env.take("ditindaklanjuti")
    officer = Desk(env, "officer")
    rid = str(uuid.uuid4())
    seen = last_comment(env, cid)
    save(officer, cid, rid, ANSWER)
    r = env.act("reply", str(tid), "--text", "Jalan masih berlubang, belum ada perbaikan.",
                "--json")
    assert json.loads(r.stdout)["status"] == "didisposisikan"
    out = submit(officer, cid, rid, ANSWER, 1, seen=seen)
    assert (out["status"], out["reason"]) == ("rejected", "needs_review")
    newest = last_comment(env, cid)
    assert newest is not None and newest != seen
    assert submit(officer, cid, rid, ANSWER, 1, seen=newest)["status"] == "applied"
    doc = officer.doc(cid)
    assert doc["status"] == "didisposisikan" and doc["due_at"] is not None
    assert any(t["kind"] == "comment" and t["id"] == newest for t in doc["thread"])


def test_closed_complaint_rejects_draft_and_transition(env: Env) -> None:
    cid, tid = env.take("didisposisikan")
    officer, admin = Desk(env, "officer"), Desk(env, "admin")
    env.admin("close", str(tid), reason="duplikat")
    out = save(officer, cid, str(uuid.uuid4()), ANSWER)
    assert (out["status"], out["reason"]) == ("rejected", "closed")
    out = admin.one("complaint.transition", cid, {"from_status": "didisposisikan",
                                                  "to_status": "ditunda"})
    assert (out["status"], out["reason"]) == ("rejected", "closed")
    # Notes are still accepted (append-only, internal).
    note = officer.one("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "arsip"})
    assert note["status"] == "applied"


def test_transition_via_push(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    admin = Desk(env, "admin")
    stale = admin.one("complaint.transition", cid, {"from_status": "baru",
                                                    "to_status": "diverifikasi"})
    assert (stale["status"], stale["reason"]) == ("rejected", "illegal_transition")
    hold = admin.one("complaint.transition", cid, {"from_status": "didisposisikan",
                                                   "to_status": "ditunda"})
    assert hold["status"] == "applied"
    nope = admin.one("complaint.transition", cid, {"from_status": "ditunda",
                                                   "to_status": "ditutup"})
    assert (nope["status"], nope["reason"]) == ("rejected", "invalid")  # no reason given
    close = admin.one("complaint.transition", cid, {"from_status": "ditunda",
                                                    "to_status": "ditutup",
                                                    "reason": "Tidak relevan"})
    assert close["status"] == "applied"
    assert env.rows("SELECT status, due_at FROM complaints WHERE id = :c", c=cid)[0] == \
        ("ditutup", None)


def test_reroute_leaves_old_agency_feed(env: Env) -> None:
    cid, tid = env.take("didisposisikan")
    officer, other = Desk(env, "officer"), Desk(env, "officer2")
    rid = str(uuid.uuid4())
    save(officer, cid, rid, ANSWER)
    _, cursor = officer.pull_all()
    _, other_cursor = other.pull_all()
    officer.one("complaint.reroute_request", cid, {"entry_id": str(uuid.uuid4()),
                                                   "body": "Ini urusan Disdukcapil."})
    assert "reroute_requested" in officer.doc(cid)["flags"]
    env.admin("reroute", str(tid), to=DUKCAPIL)
    pages, _ = officer.pull_all(cursor)
    assert cid in [i for p in pages for i in p["removed"]]
    assert cid not in [c["id"] for p in pages for c in p["complaints"]]
    gained = [c for p in other.pull_all(other_cursor)[0] for c in p["complaints"]
              if c["id"] == cid]
    assert len(gained) == 1 and gained[0]["agency_id"] == DUKCAPIL
    assert gained[0]["responses"] == [] and gained[0]["flags"] == []
    assert gained[0]["status"] == "didisposisikan"
    out = save(officer, cid, rid, ANSWER + " x", base=1, base_body=ANSWER)
    assert (out["status"], out["reason"]) == ("rejected", "not_assigned")


def test_triage_field_conflict(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    op1, op2 = Desk(env, "operator"), Desk(env, "operator")
    prio, tags = env.rows("SELECT priority, tags FROM complaints WHERE id = :c", c=cid)[0]
    tags = json.loads(tags)
    new_prio = "mendesak" if prio != "mendesak" else "rendah"
    first = op1.one("complaint.triage", cid, {"changes": {"priority": new_prio},
                                              "base": {"priority": prio}})
    assert first["status"] == "applied"
    # op2 was offline and saw the old priority; its tag change still applies.
    out = op2.one("complaint.triage", cid, {"changes": {"priority": "tinggi",
                                                        "tags": [*tags, "banjir"]},
                                            "base": {"priority": prio, "tags": tags}})
    assert (out["status"], out["reason"]) == ("conflict", "field_conflict")
    assert out["fields"] == ["priority"]
    assert out["theirs_values"] == {"priority": new_prio}
    assert out["mine_values"] == {"priority": "tinggi"}
    doc = op1.doc(cid)
    assert doc["priority"] == new_prio and "banjir" in doc["tags"]
    bad = op1.one("complaint.triage", cid, {"changes": {"assignee_id": str(uuid.uuid4())},
                                            "base": {"assignee_id": None}})
    assert (bad["status"], bad["reason"]) == ("rejected", "invalid")
    other_agency = Desk(env, "officer2").user["id"]
    bad = op1.one("complaint.triage", cid, {"changes": {"assignee_id": other_agency},
                                            "base": {"assignee_id": doc["assignee_id"]}})
    assert (bad["status"], bad["reason"]) == ("rejected", "invalid")
    assign = op1.one("complaint.triage", cid, {"changes": {"assignee_id": op1.user["id"]},
                                               "base": {"assignee_id": doc["assignee_id"]}})
    assert assign["status"] == "applied"
    doc = op1.doc(cid)
    assert doc["assignee_id"] == op1.user["id"]
    assert any(t["kind"] == "event" and "Ditugaskan kepada Rini Setyowati" in t["body"]
               for t in doc["thread"])


def test_response_text_merge_and_conflict(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer, operator = Desk(env, "officer"), Desk(env, "operator")
    rid = str(uuid.uuid4())
    save(officer, cid, rid, ANSWER)
    theirs = ANSWER.replace("Yth. Pelapor,", "Yth. Bapak/Ibu Pelapor,")
    assert save(officer, cid, rid, theirs, base=1, base_body=ANSWER)["status"] == "applied"
    # The operator edited version 1 offline, another paragraph: a clean merge.
    mine = ANSWER + "\n\nNarahubung: 024-3581234."
    out = save(operator, cid, rid, mine, base=1, base_body=ANSWER)
    assert out["status"] == "merged" and out["response_version"] == 3
    merged = env.rows("SELECT body FROM responses WHERE id = :r", r=rid)[0][0]
    assert merged.startswith("Yth. Bapak/Ibu Pelapor,") and merged.endswith("024-3581234.")
    # Overlapping edits: the server keeps its text, both texts come back in the outcome.
    clash = ANSWER.replace("Yth. Pelapor,", "Kepada Yth. Pelapor,")
    out = save(operator, cid, rid, clash, base=1, base_body=ANSWER)
    assert (out["status"], out["reason"]) == ("conflict", "text_conflict")
    assert out["theirs"] == merged and out["mine"] == clash
    assert env.rows("SELECT body FROM responses WHERE id = :r", r=rid)[0][0] == merged
    logged = env.rows("SELECT outcome FROM command_log WHERE op_id = :o", o=out["op_id"])
    assert json.loads(logged[0][0])["mine"] == clash  # nothing human-written is lost


def test_malformed_commands_are_rejected_and_advance(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer = Desk(env, "officer")
    bad = officer.cmd("response.save", cid, {"response_id": "not-a-uuid", "body": "x",
                                             "base_response_version": 0, "base_body": None})
    unknown = officer.cmd("complaint.fly", cid, {})
    nul = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "a\u0000"})
    no_kind = officer.cmd("complaint.note", cid, {})
    del no_kind["kind"]
    ok = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "ok"})
    res = officer.push(bad, unknown, nul, no_kind, ok)
    assert [(o["status"], o["reason"]) for o in res["outcomes"]] == [
        ("rejected", "invalid"), ("rejected", "invalid"), ("rejected", "invalid"),
        ("rejected", "invalid"), ("applied", None)]
    assert res["next_seq"] == 6
    # Outcomes travel on the pull stream only to the user who sent them.
    pages, _ = officer.pull_all()
    assert [o["seq"] for p in pages for o in p["outcomes"]] == [1, 2, 3, 4, 5]
    operator = Desk(env, "operator")
    r = requests.get(f"{env.hub.url}{API}/sync/changes", params={"device_id": officer.device},
                     headers=operator.headers, timeout=60)
    assert r.status_code == 200 and r.json()["outcomes"] == []
    r = requests.post(f"{env.hub.url}{API}/sync/push", json={"device_id": "d", "commands": []},
                      timeout=30)
    assert r.status_code == 401
    url = f"{env.hub.url}{API}/sync/push"
    # Lone surrogates cannot be stored: such a body is refused whole.
    raw = b'{"device_id": "\\ud800", "commands": []}'
    r = requests.post(url, data=raw, headers={**officer.headers,
                                              "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    lone = officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()), "body": "x"})
    raw = json.dumps({"device_id": officer.device, "commands": [lone]}).replace(
        '"body": "x"', '"body": "\\udc00"').encode()
    r = requests.post(url, data=raw, headers={**officer.headers,
                                              "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 422  # not valid UTF-8 JSON at all: nothing is applied or logged
    officer.seq -= 1
    # gzip request bodies are accepted (weak links); the answer is gzip when asked for.
    zipped = gzip.compress(json.dumps({"device_id": officer.device, "commands": [
        officer.cmd("complaint.note", cid, {"entry_id": str(uuid.uuid4()),
                                            "body": "z" * 3000})]}).encode())
    r = requests.post(url, data=zipped, headers={
        **officer.headers, "Content-Type": "application/json", "Content-Encoding": "gzip",
        "Accept-Encoding": "gzip"}, timeout=30)
    assert r.status_code == 200 and r.json()["outcomes"][0]["status"] == "applied"
    r = requests.post(url, data=b"not gzip", headers={
        **officer.headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=30)
    assert r.status_code == 400
    bomb = gzip.compress(b" " * (65 * 1024 * 1024))
    r = requests.post(url, data=bomb, headers={
        **officer.headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=60)
    assert r.status_code == 413


def test_act_cli_errors(env: Env) -> None:
    cid, tid = env.take("baru")
    r = env.act("dispose", str(tid), check=False)
    assert r.returncode != 0 and r.stdout == ""
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "Baru" in line and "Terdisposisi" in line
    r = env.act("close", str(tid), "--reason", "malas", check=False)
    assert r.returncode != 0 and "masukan terlalu umum" in r.stderr
    r = env.act("verify", "999", check=False)
    assert r.returncode != 0 and "tidak ditemukan" in r.stderr
    with pytest.raises(ActError, match="verify it first"):
        env.admin("reroute", cid, to=DUKCAPIL)  # not verified yet
    assert json.loads(env.act("verify", cid, "--json").stdout)["status"] == "diverifikasi"
    with pytest.raises(ActError) as err:
        env.admin("verify", cid)
    assert err.value.refusal.message_id == "Laporan sudah berstatus Diverifikasi."
    done = env.admin("dispose", str(tid), to=DPUPR, copies=["kab-semarang"])
    assert done.status == "didisposisikan" and done.agency_id == DPUPR
    with pytest.raises(ActError, match="--text"):
        env.admin("reply", str(tid))
    assert env.admin("hold", str(tid)).status == "ditunda"
    assert env.rows("SELECT due_at FROM complaints WHERE id = :c", c=cid)[0][0] is None
    assert env.admin("resume", str(tid)).status == "didisposisikan"
    assert env.rows("SELECT due_at FROM complaints WHERE id = :c", c=cid)[0][0] is not None
    with pytest.raises(ActError, match="unknown agency"):
        env.admin("reroute", str(tid), to="no-such-agency")
    events = env.rows("SELECT body FROM thread_entries WHERE complaint_id = :c AND "
                      "kind = 'event' ORDER BY created_at, id", c=cid)
    assert any("Terdisposisi ke" in e[0] and "tembusan" in e[0] for e in events)


def test_jobs_complete_flag_and_are_idempotent(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    officer, supervisor = Desk(env, "officer"), Desk(env, "supervisor")
    rid = str(uuid.uuid4())
    save(officer, cid, rid, ANSWER)
    submit(officer, cid, rid, ANSWER, 1)
    review(supervisor, "response.approve", cid, rid, ANSWER, 1)
    due = env.rows("SELECT due_at FROM complaints WHERE id = :c", c=cid)[0][0]
    # Just before the reply window closes: nothing to complete for this complaint.
    engine = db.make_engine(env.hub.db)
    try:
        run_jobs(engine, datetime.fromisoformat(due))
    finally:
        engine.dispose()
    assert env.rows("SELECT status FROM complaints WHERE id = :c", c=cid)[0][0] == \
        "ditindaklanjuti"
    late = "2031-01-01T00:00:00+00:00"
    first = json.loads(run_cli("lapor_hub", "jobs", "--db", env.hub.db, "--now", late,
                               "--json").stdout)
    assert first["completed"] >= 1  # this one (the run at the deadline flagged the rest)
    second = json.loads(run_cli("lapor_hub", "jobs", "--db", env.hub.db, "--now", late,
                                "--json").stdout)
    assert second == {"completed": 0, "overdue_set": 0, "overdue_cleared": 0, "escalated": 0,
                      "uploads_purged": 0, "blobs_purged": 0}
    status, = env.rows("SELECT status FROM complaints WHERE id = :c", c=cid)[0]
    assert status == "selesai"
    events = [r[0] for r in env.rows("SELECT body FROM thread_entries WHERE complaint_id = :c "
                                     "AND kind = 'event'", c=cid)]
    assert sum("Selesai otomatis" in e for e in events) == 1
    waiting, _ = env.take("didisposisikan")
    doc = officer.doc(waiting)
    assert "overdue" in doc["flags"] and "escalation" in doc["flags"]


def note(d: Desk, kind: str, cid: str, body: str) -> dict[str, Any]:
    return d.one(kind, cid, {"entry_id": str(uuid.uuid4()), "body": body})


def test_handover_note_only_from_the_agency_that_lost_the_complaint(env: Env) -> None:
    cid, tid = env.take("didisposisikan")
    officer, other = Desk(env, "officer"), Desk(env, "officer2")
    # Before the re-route: a stranger may not, the owner must use a normal note.
    out = note(other, "complaint.handover_note", cid, "bukan milik kami")
    assert (out["status"], out["reason"]) == ("rejected", "not_assigned")
    out = note(officer, "complaint.handover_note", cid, "masih milik kami")
    assert (out["status"], out["reason"]) == ("rejected", "invalid")
    env.admin("reroute", str(tid), to=DUKCAPIL)
    # After it: a normal note from the old agency is still refused, the handover applies.
    out = note(officer, "complaint.note", cid, "catatan biasa")
    assert (out["status"], out["reason"]) == ("rejected", "not_assigned")
    cmd = officer.cmd("complaint.handover_note", cid,
                      {"entry_id": str(uuid.uuid4()), "body": "Draf jawaban kami: tambal."})
    first = officer.push(cmd)["outcomes"][0]
    assert (first["status"], first["complaint_version"]) == ("applied", None)
    assert officer.push(cmd)["outcomes"][0] == first  # a replay changes nothing
    notes = [t for t in other.doc(cid)["thread"] if t["id"] == cmd["payload"]["entry_id"]]
    assert len(notes) == 1 and notes[0]["kind"] == "note"
    assert "instansi sebelumnya" in notes[0]["body"]
    assert notes[0]["body"].endswith("Draf jawaban kami: tambal.")
    # The new owner's agency is not a former owner: it writes normal notes.
    out = note(other, "complaint.handover_note", cid, "x")
    assert (out["status"], out["reason"]) == ("rejected", "invalid")


def test_mark_read_is_per_user_and_reaches_the_users_other_devices(env: Env) -> None:
    cid, _ = env.take("didisposisikan")
    laptop, desktop, colleague = Desk(env, "officer"), Desk(env, "officer"), Desk(env, "operator")
    _, cursor = desktop.pull_all()
    _, colleague_cursor = colleague.pull_all()
    version = int(env.rows("SELECT version FROM complaints WHERE id = :c", c=cid)[0][0])
    out = laptop.one("complaint.mark_read", cid, {"read": True, "last_comment_id": None})
    assert out["status"] == "applied" and out["complaint_version"] == version
    pages, cursor = desktop.pull_all(cursor)
    marks = [m for p in pages for m in p["read_marks"]]
    assert [(m["complaint_id"], m["read"]) for m in marks] == [(cid, True)]
    assert not [c for p in pages for c in p["complaints"] if c["id"] == cid]  # no new version
    assert [m for p in colleague.pull_all(colleague_cursor)[0] for m in p["read_marks"]] == []
    laptop.one("complaint.mark_read", cid, {"read": False, "last_comment_id": None})
    pages, _ = desktop.pull_all(cursor)
    assert [(m["complaint_id"], m["read"]) for p in pages for m in p["read_marks"]] == [
        (cid, False)]
    bad = laptop.one("complaint.mark_read", cid, {"read": "yes"})
    assert (bad["status"], bad["reason"]) == ("rejected", "invalid")
