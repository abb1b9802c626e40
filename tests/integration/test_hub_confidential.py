"""Rahasia content stays inside the primary agency, over a real lapor_hub process (SQLite).

A confidential complaint disposed to DPUPR with a copy to Dukcapil carries canary strings in
its title, body, reporter identity, thread and attachment names; the copy agency's user pulls
every page and none of them holds a canary in any form, while the primary agency sees them.
"""

from __future__ import annotations

import base64
import gzip
import json
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import Hub, run_cli, start_hub, stop_hub
from sqlalchemy import select

from lapor_desk.sync.validate import parse_page
from lapor_hub import db
from lapor_hub.feed import REDACTED_TEXT
from lapor_hub.store import AttachmentData, ThreadData, load_complaints, write_complaints

API = "/api/v1"
PASSWORD = "demo-lapor-2026"
DPUPR = "dpupr-kab-semarang"
DUKCAPIL = "disdukcapil-kota-semarang"
CANARY_BODY = "KANARI-ISI-7f3a9c rahasia sekali"
CANARY_TITLE = "KANARI-JUDUL-51be02"
CANARY_THREAD = "KANARI-UTAS-c0ffee"
CANARY_NAME = "KANARI-NAMA-Budi Santoso"
CANARY_FILE = "KANARI-BERKAS-ktp.jpg"
CANARIES = (CANARY_BODY, CANARY_TITLE, CANARY_THREAD, CANARY_NAME, CANARY_FILE)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("conf")
    url = f"sqlite:///{tmp / 'hub.db'}"
    run_cli("lapor_hub", "seed", "--db", url, "--complaints", "40", "--seed", "11")
    h = start_hub(url, Path(tmp / "hub.log"))
    try:
        yield h
    finally:
        stop_hub(h)


def _plant(hub: Hub) -> tuple[str, str]:
    """Make one DPUPR complaint confidential with canaries and a copy to Dukcapil; also one
    non-confidential copied complaint (must reach the copy agency in full)."""
    engine = db.make_engine(hub.db)
    try:
        with db.write_tx(engine) as conn:
            ids = [r[0] for r in conn.execute(
                select(db.complaints.c.id).where(db.complaints.c.agency_id == DPUPR)
                .order_by(db.complaints.c.tracking_id).limit(2))]
            secret, plain = load_complaints(conn, ids)
            secret.is_confidential, secret.is_anonymous = True, False
            secret.title, secret.body = CANARY_TITLE, CANARY_BODY
            secret.reporter_name = CANARY_NAME
            secret.copy_agency_ids = [DUKCAPIL]
            secret.thread.append(ThreadData(str(uuid.uuid4()), "note", "Petugas",
                                            CANARY_THREAD, "2026-01-05T02:00:00Z"))
            secret.attachments.append(AttachmentData(str(uuid.uuid4()), CANARY_FILE, 10,
                                                     "a" * 64, "image/jpeg"))
            plain.is_confidential = False
            plain.body = "isi biasa yang boleh dibaca tembusan"
            plain.copy_agency_ids = [DUKCAPIL]
            write_complaints(conn, [secret, plain])
        return secret.id, plain.id
    finally:
        engine.dispose()


def _pull(hub: Hub, username: str) -> tuple[list[bytes], list[dict[str, Any]]]:
    r = requests.post(f"{hub.url}{API}/auth/login", timeout=30,
                      json={"username": username, "password": PASSWORD,
                            "device_id": f"dev-{uuid.uuid4().hex[:8]}"})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}",
               "Accept-Encoding": "gzip"}
    raw: list[bytes] = []
    docs: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"max_bytes": 16384}
        if cursor:
            params["cursor"] = cursor
        resp = requests.get(f"{hub.url}{API}/sync/changes", params=params, headers=headers,
                            timeout=60, stream=True)
        assert resp.status_code == 200, resp.text
        body = resp.raw.read()
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        raw.append(body)
        page = json.loads(body)
        clean, dropped = parse_page(page, scope={r.json()["user"]["agency_id"]})
        assert dropped == []
        docs.extend(dict(c) for c in clean["complaints"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return raw, docs


def _forms(s: str) -> list[bytes]:
    return [f.encode("utf-8") for f in (
        s, s.lower(), urllib.parse.quote(s), json.dumps(s)[1:-1],
        json.dumps(s, ensure_ascii=True)[1:-1])] + [base64.b64encode(s.encode("utf-8"))]


def test_copy_agency_never_receives_confidential_text(hub: Hub) -> None:
    secret_id, plain_id = _plant(hub)
    raw, docs = _pull(hub, "officer2")
    blob = b"\n".join(raw)
    hits = [c for c in CANARIES for form in _forms(c) if form in blob]
    assert hits == []
    by_id = {d["id"]: d for d in docs}
    copy_doc = by_id[secret_id]
    assert copy_doc["is_confidential"] is True
    assert copy_doc["body"] == REDACTED_TEXT
    assert copy_doc["reporter"] is None
    assert copy_doc["thread"] and all(t["body"] == REDACTED_TEXT for t in copy_doc["thread"])
    assert copy_doc["responses"] == []
    assert copy_doc["attachments"] and all(
        a["name"] == "rahasia" and a["sha256"] == "0" * 64 for a in copy_doc["attachments"])
    assert b'"redacted":true' in blob
    # A non-confidential copy arrives whole.
    assert by_id[plain_id]["body"] == "isi biasa yang boleh dibaca tembusan"

    raw_p, docs_p = _pull(hub, "officer")
    blob_p = b"\n".join(raw_p)
    assert all(c.encode("utf-8") in blob_p for c in CANARIES)
    own = {d["id"]: d for d in docs_p}[secret_id]
    assert own["body"] == CANARY_BODY and own["title"] == CANARY_TITLE
    assert b'"redacted"' not in blob_p
