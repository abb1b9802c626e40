"""Attachment blobs over a real lapor_hub process (SQLite and PostgreSQL): chunked resumable
uploads, dedupe, hash and size checks, the add_attachment command, Range downloads and scope."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import Hub, run_cli, start_hub, stop_hub
from sqlalchemy import select, update

from lapor_desk.sync import protocol as p
from lapor_hub import db

API = "/api/v1"
PASSWORD = "demo-lapor-2026"
DPUPR = "dpupr-kab-semarang"
DUKCAPIL = "disdukcapil-kota-semarang"


@pytest.fixture
def hub(hub_db: str, tmp_path: Path) -> Iterator[Hub]:
    run_cli("lapor_hub", "seed", "--db", hub_db, "--complaints", "30", "--seed", "7")
    h = start_hub(hub_db, tmp_path / "hub.log")
    try:
        yield h
    finally:
        stop_hub(h)


class Client:
    def __init__(self, hub: Hub, username: str) -> None:
        self.hub = hub
        self.device = f"dev-{uuid.uuid4().hex[:8]}"
        r = requests.post(f"{hub.url}{API}/auth/login", timeout=30,
                          json={"username": username, "password": PASSWORD,
                                "device_id": self.device})
        assert r.status_code == 200, r.text
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        self.seq = 0

    def call(self, method: str, path: str, **kw: Any) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return requests.request(method, f"{self.hub.url}{API}{path}", headers=headers,
                                timeout=30, **kw)

    def upload(self, data: bytes, chunk: int = 64 * 1024) -> dict[str, Any]:
        sha = hashlib.sha256(data).hexdigest()
        s = self.call("POST", "/attachments/uploads", json={"sha256": sha, "size": len(data)})
        assert s.status_code == 200, s.text
        session = s.json()
        while not session["complete"] and session["offset"] < len(data):
            off = session["offset"]
            r = self.call("PUT", f"/attachments/uploads/{session['upload_id']}",
                          params={"offset": off}, data=data[off:off + chunk],
                          headers={"Content-Type": "application/octet-stream"})
            assert r.status_code == 200, r.text
            session = {**r.json(), "upload_id": session["upload_id"]}
        if not session["complete"]:
            r = self.call("POST", f"/attachments/uploads/{session['upload_id']}/complete")
            assert r.status_code == 200, r.text
            session = r.json()
        return dict(session)

    def attach(self, complaint_id: str, data: bytes, name: str = "foto.png") -> dict[str, Any]:
        self.seq += 1
        cmd = {"op_id": str(uuid.uuid4()), "seq": self.seq, "kind": p.CMD_ADD_ATTACHMENT,
               "complaint_id": complaint_id, "base_version": None,
               "created_at": datetime.now(UTC).isoformat(),
               "payload": {"attachment_id": str(uuid.uuid4()),
                           "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                           "name": name, "mime": "image/png"}}
        r = self.call("POST", "/sync/push", json={"device_id": self.device, "commands": [cmd]})
        assert r.status_code == 200, r.text
        out = dict(r.json()["outcomes"][0])
        out["attachment_id"] = cmd["payload"]["attachment_id"]  # type: ignore[index]
        return out


def _complaints(hub: Hub, agency: str, n: int = 1) -> list[str]:
    engine = db.make_engine(hub.db)
    try:
        with db.read_tx(engine) as conn:
            return [str(r) for r in conn.execute(
                select(db.complaints.c.id).where(db.complaints.c.agency_id == agency)
                .order_by(db.complaints.c.tracking_id).limit(n)).scalars()]
    finally:
        engine.dispose()


def _set(hub: Hub, complaint_id: str, **values: Any) -> None:
    engine = db.make_engine(hub.db)
    try:
        with db.write_tx(engine) as conn:
            if "copies" in values:
                conn.execute(db.complaint_copies.insert(),
                             [{"complaint_id": complaint_id, "agency_id": a}
                              for a in values.pop("copies")])
            if values:
                conn.execute(update(db.complaints).where(db.complaints.c.id == complaint_id)
                             .values(**values))
    finally:
        engine.dispose()


def test_upload_resume_complete_dedupe_and_range_download(hub: Hub) -> None:
    officer = Client(hub, "officer")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    s = officer.call("POST", "/attachments/uploads", json={"sha256": sha, "size": len(data)})
    assert s.status_code == 200 and s.json()["offset"] == 0 and not s.json()["complete"]
    upload_id = s.json()["upload_id"]
    r = officer.call("PUT", f"/attachments/uploads/{upload_id}", params={"offset": 0},
                     data=data[:100_000])
    assert r.status_code == 200 and r.json()["offset"] == 100_000
    # A client that lost the answer resumes from the offset the server reports.
    again = officer.call("POST", "/attachments/uploads", json={"sha256": sha, "size": len(data)})
    assert again.json() == {"upload_id": upload_id, "offset": 100_000, "size": len(data),
                            "complete": False}
    assert officer.call("GET", f"/attachments/uploads/{upload_id}").json()["offset"] == 100_000
    wrong = officer.call("PUT", f"/attachments/uploads/{upload_id}", params={"offset": 0},
                         data=data[:10])
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "offset_mismatch"
    early = officer.call("POST", f"/attachments/uploads/{upload_id}/complete")
    assert early.status_code == 409
    # Another user cannot see or feed this session.
    other = Client(hub, "officer2")
    assert other.call("GET", f"/attachments/uploads/{upload_id}").status_code == 404
    assert officer.upload(data)["complete"] is True
    # Dedupe: the uploader gets the same content complete at once ...
    again = officer.call("POST", "/attachments/uploads", json={"sha256": sha, "size": len(data)})
    assert again.json() == {"upload_id": None, "offset": len(data), "size": len(data),
                            "complete": True}
    # ... another agency must prove it holds the bytes (the hub is no oracle of which files
    # exist); its upload then dedupes into the one stored blob.
    dup = other.call("POST", "/attachments/uploads", json={"sha256": sha, "size": len(data)})
    assert dup.json()["complete"] is False and dup.json()["offset"] == 0
    assert other.upload(data)["complete"] is True

    cid = _complaints(hub, DPUPR)[0]
    out = officer.attach(cid, data, "bukti.png")
    assert out["status"] == p.OUTCOME_APPLIED, out
    aid = out["attachment_id"]
    # Once attached, the whole agency gets instant dedupe; one copy is stored.
    supervisor = Client(hub, "supervisor")
    assert supervisor.call("POST", "/attachments/uploads",
                           json={"sha256": sha, "size": len(data)}).json()["complete"] is True
    engine = db.make_engine(hub.db)
    try:
        with db.read_tx(engine) as conn:
            stored = conn.execute(select(db.blob_chunks.c.length).where(
                db.blob_chunks.c.owner == sha)).scalars().all()
    finally:
        engine.dispose()
    assert sum(stored) == len(data)
    whole = officer.call("GET", f"/attachments/{aid}/content")
    assert whole.status_code == 200 and whole.content == data
    part = officer.call("GET", f"/attachments/{aid}/content", headers={"Range": "bytes=5-70004"})
    assert part.status_code == 206 and part.content == data[5:70005]
    assert part.headers["Content-Range"] == f"bytes 5-70004/{len(data)}"
    tail = officer.call("GET", f"/attachments/{aid}/content",
                        headers={"Range": f"bytes={len(data) - 7}-"})
    assert tail.status_code == 206 and tail.content == data[-7:]
    suffix = officer.call("GET", f"/attachments/{aid}/content", headers={"Range": "bytes=-9"})
    assert suffix.content == data[-9:]
    for bad in (f"bytes={len(data)}-", "bytes=9-3", "bytes=-0", "items=0-1", "bytes=0-1,4-5"):
        r = officer.call("GET", f"/attachments/{aid}/content", headers={"Range": bad})
        assert r.status_code == 416, bad
        assert r.headers["Content-Range"] == f"bytes */{len(data)}"
    # Out of scope: another agency gets 404, as for an unknown id.
    assert other.call("GET", f"/attachments/{aid}/content").status_code == 404
    assert officer.call("GET", f"/attachments/{uuid.uuid4()}/content").status_code == 404


def test_copy_agency_reads_open_files_but_never_rahasia_ones(hub: Hub) -> None:
    officer, copy = Client(hub, "officer"), Client(hub, "officer2")
    plain_id, secret_id = _complaints(hub, DPUPR, 2)
    data = b"bukti lapangan " * 100
    officer.upload(data)
    a_plain = officer.attach(plain_id, data)["attachment_id"]
    a_secret = officer.attach(secret_id, data)["attachment_id"]
    _set(hub, plain_id, copies=[DUKCAPIL])
    _set(hub, secret_id, copies=[DUKCAPIL], is_confidential=True)
    assert copy.call("GET", f"/attachments/{a_plain}/content").content == data
    assert copy.call("GET", f"/attachments/{a_secret}/content").status_code == 404
    assert officer.call("GET", f"/attachments/{a_secret}/content").content == data
    # A copy agency cannot add files either (copies are read-only).
    copy.upload(b"x" * 10)
    out = copy.attach(plain_id, b"x" * 10)
    assert out["status"] == p.OUTCOME_REJECTED


def test_hash_mismatch_size_limit_and_missing_blob(hub: Hub) -> None:
    officer = Client(hub, "officer")
    data = b"a" * 5000
    lie = hashlib.sha256(b"something else").hexdigest()
    s = officer.call("POST", "/attachments/uploads", json={"sha256": lie, "size": len(data)})
    upload_id = s.json()["upload_id"]
    officer.call("PUT", f"/attachments/uploads/{upload_id}", params={"offset": 0}, data=data)
    r = officer.call("POST", f"/attachments/uploads/{upload_id}/complete")
    assert r.status_code == 422 and r.json()["error"]["code"] == "hash_mismatch"
    # The bad upload is gone; nothing was stored under the claimed hash.
    assert officer.call("GET", f"/attachments/uploads/{upload_id}").status_code == 404
    dup = officer.call("POST", "/attachments/uploads", json={"sha256": lie, "size": len(data)})
    assert dup.json()["complete"] is False and dup.json()["offset"] == 0

    big = officer.call("POST", "/attachments/uploads",
                       json={"sha256": "b" * 64, "size": p.MAX_ATTACHMENT_BYTES + 1})
    assert big.status_code == 413
    small = officer.call("POST", "/attachments/uploads", json={"sha256": "c" * 64, "size": 10})
    past = officer.call("PUT", f"/attachments/uploads/{small.json()['upload_id']}",
                        params={"offset": 0}, data=b"x" * 11)
    assert past.status_code == 413

    cid = _complaints(hub, DPUPR)[0]
    out = officer.attach(cid, b"never uploaded")
    assert out["status"] == p.OUTCOME_REJECTED
    assert out["reason"] == p.REASON_FILE_NOT_UPLOADED
    # Half an upload is not enough either.
    half = os.urandom(2000)
    s = officer.call("POST", "/attachments/uploads",
                     json={"sha256": hashlib.sha256(half).hexdigest(), "size": len(half)})
    officer.call("PUT", f"/attachments/uploads/{s.json()['upload_id']}", params={"offset": 0},
                 data=half[:1000])
    assert officer.attach(cid, half)["reason"] == p.REASON_FILE_NOT_UPLOADED
    assert officer.call("POST", "/attachments/uploads", json={}).status_code == 422


def test_jobs_purge_stale_uploads_and_unused_blobs_only(hub: Hub) -> None:
    officer = Client(hub, "officer")
    used, unused = os.urandom(3000), os.urandom(3000)
    officer.upload(used)
    officer.upload(unused)
    assert officer.attach(_complaints(hub, DPUPR)[0], used)["status"] == p.OUTCOME_APPLIED
    s = officer.call("POST", "/attachments/uploads",
                     json={"sha256": "d" * 64, "size": 10}).json()
    officer.call("PUT", f"/attachments/uploads/{s['upload_id']}", params={"offset": 0},
                 data=b"x" * 5)
    soon = json.loads(run_cli("lapor_hub", "jobs", "--db", hub.db, "--json").stdout)
    assert (soon["uploads_purged"], soon["blobs_purged"]) == (0, 0)
    later = json.loads(run_cli("lapor_hub", "jobs", "--db", hub.db, "--now",
                               "2031-01-01T00:00:00+00:00", "--json").stdout)
    assert later["uploads_purged"] == 1 and later["blobs_purged"] == 1
    engine = db.make_engine(hub.db)
    try:
        with db.read_tx(engine) as conn:
            left = set(conn.execute(select(db.blobs.c.sha256)).scalars())
            owners = set(conn.execute(select(db.blob_chunks.c.owner)).scalars())
    finally:
        engine.dispose()
    assert hashlib.sha256(used).hexdigest() in left
    assert hashlib.sha256(unused).hexdigest() not in left
    assert owners <= left  # no chunk of a purged session or blob is left behind
