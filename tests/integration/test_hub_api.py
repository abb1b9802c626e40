"""lapor_hub over loopback (a real server process), on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path
from typing import Any

import requests
from conftest import Hub, db_rows, run_cli

API = "/api/v1"
PASSWORD = "demo-lapor-2026"


def login(hub: Hub, username: str, password: str = PASSWORD) -> requests.Response:
    return requests.post(f"{hub.url}{API}/auth/login",
                         json={"username": username, "password": password}, timeout=30)


def token(hub: Hub, username: str) -> str:
    r = login(hub, username)
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def get_page(hub: Hub, tok: str, cursor: str | None, max_bytes: int | None = None
             ) -> tuple[int, bytes, dict[str, Any]]:
    params: dict[str, Any] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if max_bytes is not None:
        params["max_bytes"] = max_bytes
    r = requests.get(f"{hub.url}{API}/sync/changes", params=params,
                     headers={"Authorization": f"Bearer {tok}"}, stream=True, timeout=60)
    raw = r.raw.read(decode_content=False)
    if r.status_code != 200:
        return r.status_code, raw, json.loads(raw)
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Content-Type"].startswith("application/json")
    return 200, raw, json.loads(gzip.decompress(raw))


def pull_all(hub: Hub, tok: str, max_bytes: int | None = None
             ) -> tuple[list[bytes], list[dict[str, Any]], str]:
    raws: list[bytes] = []
    pages: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        status, raw, page = get_page(hub, tok, cursor, max_bytes)
        assert status == 200, page
        raws.append(raw)
        pages.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            return raws, pages, page["cursor"]
        assert len(pages) < 10_000



def visible_ids(db_url: str, agency: str) -> set[str]:
    rows = db_rows(db_url, "SELECT id FROM complaints WHERE agency_id = :a UNION "
                           "SELECT complaint_id FROM complaint_copies WHERE agency_id = :a",
                   a=agency)
    return {r[0] for r in rows}


def test_auth_flow(seeded_hub: Hub) -> None:
    hub = seeded_hub
    health = requests.get(f"{hub.url}{API}/health", timeout=10).json()
    assert health["status"] == "ok" and health["protocol"] == 1 and health["epoch"]

    bad = login(hub, "officer", "wrong-password")
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_credentials"
    assert "wrong-password" not in bad.text
    assert login(hub, "nobody", PASSWORD).status_code == 401
    assert requests.post(f"{hub.url}{API}/auth/login", json={"username": "x"},
                         timeout=10).status_code == 422
    for hostile in ("a\u0000b", "\ud800", "x" * 151):
        r = requests.post(f"{hub.url}{API}/auth/login",
                          json={"username": hostile, "password": "p\u0000"}, timeout=10)
        assert r.status_code == 422, r.text
    r = requests.post(f"{hub.url}{API}/auth/refresh", json={"refresh_token": "\u0000"},
                      timeout=10)
    assert r.status_code == 422
    r = requests.get(f"{hub.url}{API}/me", headers={"Authorization": "Bearer \xe9\xff"},
                     timeout=10)
    assert r.status_code == 401

    ok = login(hub, "officer").json()
    assert ok["token_type"] == "bearer" and ok["expires_in"] == 900
    assert ok["user"]["agency_id"] == "dpupr-kab-semarang" and ok["user"]["role"] == "officer"
    me = requests.get(f"{hub.url}{API}/me",
                      headers={"Authorization": f"Bearer {ok['access_token']}"}, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "officer"
    for hdr in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}):
        r = requests.get(f"{hub.url}{API}/me", headers=hdr, timeout=10)
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"

    # Tokens are stored hashed only.
    stored = {r[0] for r in db_rows(hub.db, "SELECT hash FROM tokens")}
    assert ok["access_token"] not in stored and ok["refresh_token"] not in stored

    def refresh(rt: str) -> requests.Response:
        return requests.post(f"{hub.url}{API}/auth/refresh", json={"refresh_token": rt},
                             timeout=10)

    r1 = ok["refresh_token"]
    first = refresh(r1)
    assert first.status_code == 200
    r2 = first.json()["refresh_token"]
    assert r2 != r1
    # The response carrying r2 was "lost": r1 still works while r2 is unused.
    retry = refresh(r1)
    assert retry.status_code == 200
    r3 = retry.json()["refresh_token"]
    assert refresh(r2).status_code == 401  # the lost token was retired
    nxt = refresh(r3)
    assert nxt.status_code == 200
    r4, access4 = nxt.json()["refresh_token"], nxt.json()["access_token"]
    # Its successor has been used: r1 is now a replay, which revokes the whole family.
    replay = refresh(r1)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "invalid_token"
    assert refresh(r4).status_code == 401
    me = requests.get(f"{hub.url}{API}/me", headers={"Authorization": f"Bearer {access4}"},
                      timeout=10)
    assert me.status_code == 401

    # Logout revokes the session.
    s = login(hub, "operator").json()
    assert requests.post(f"{hub.url}{API}/auth/logout",
                         json={"refresh_token": s["refresh_token"]}, timeout=10).json() == {}
    assert refresh(s["refresh_token"]).status_code == 401
    assert requests.get(f"{hub.url}{API}/me",
                        headers={"Authorization": f"Bearer {s['access_token']}"},
                        timeout=10).status_code == 401


def test_scope_copies_and_anonymous_redaction(seeded_hub: Hub, tmp_path: Path) -> None:
    hub = seeded_hub
    # A canary anonymous complaint, imported while the server runs.
    canary = {"name": "Kanari Anonim Zq", "phone": "0899-000-777", "email": "kanari@example.com"}
    line = {"id": str(uuid.uuid4()), "title": "Laporan anonim uji", "body": "Isi laporan.",
            "category": "KEPENDUDUKAN › KTP", "classification": "pengaduan", "channel": "web",
            "is_anonymous": True, "is_confidential": False, "reporter": canary,
            "agency_id": "disdukcapil-kota-semarang",
            "location": {"province": "Jawa Tengah", "regency": "Kota Semarang",
                         "district": "Tembalang"},
            "status": "baru", "created_at": "2026-10-01T08:00:00+07:00"}
    f = tmp_path / "canary.jsonl"
    f.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run_cli("lapor_hub", "import", "--db", hub.db, str(f))

    for username, agency in (("officer", "dpupr-kab-semarang"),
                             ("officer2", "disdukcapil-kota-semarang")):
        raws, pages, _ = pull_all(hub, token(hub, username), max_bytes=64 * 1024)
        docs = [c for p in pages for c in p["complaints"]]
        ids = [c["id"] for c in docs]
        assert len(ids) == len(set(ids))
        assert set(ids) == visible_ids(hub.db, agency)
        for c in docs:
            assert c["agency_id"] == agency or agency in c["copy_agency_ids"]
            if c["is_anonymous"]:
                assert c["reporter"] is None
        blob = b"".join(gzip.decompress(r) for r in raws)
        for value in canary.values():
            assert value.encode() not in blob
        anon = db_rows(hub.db, "SELECT reporter_phone FROM complaints WHERE is_anonymous = :t "
                               "AND reporter_phone IS NOT NULL", t=True)
        for (phone,) in anon:
            assert phone.encode() not in blob
        if username == "officer2":
            assert line["id"] in ids
            assert not any(c["agency_id"] == "dpupr-kab-semarang" for c in docs)
            assert any(c["agency_id"] != agency for c in docs), "no copy reached officer2"
            users = pages[0]["reference"]["users"]
            assert {u["agency_id"] for u in users} == {agency}
        else:
            assert any(c["reporter"] for c in docs)  # named reporters do arrive
            assert any(c["copy_agency_ids"] for c in docs)


def test_paging_bounds_and_cursor_checks(seeded_hub: Hub) -> None:
    hub = seeded_hub
    tok = token(hub, "officer")
    limit = 16 * 1024
    raws, pages, final_cursor = pull_all(hub, tok, max_bytes=1)  # clamped up to 16 KiB
    assert len(pages) >= 3  # several pages at the 16 KiB floor
    assert pages[0]["reference"] is not None and len(pages[0]["reference"]["categories"]) > 38
    assert all(p["reference"] is None for p in pages[1:])
    seen: list[str] = []
    for raw, page in zip(raws, pages, strict=True):
        assert len(page["complaints"]) >= 1
        assert len(raw) <= limit or len(page["complaints"]) == 1
        assert page["protocol"] == 1
        seen.extend(c["id"] for c in page["complaints"])
    assert len(seen) == len(set(seen))
    assert set(seen) == visible_ids(hub.db, "dpupr-kab-semarang")
    assert [p["remaining"] for p in pages][-1] == 0
    assert pages[0]["remaining"] == len(seen) - len(pages[0]["complaints"])

    # Caught up: an empty page with the same position.
    status, _, empty = get_page(hub, tok, final_cursor)
    assert status == 200 and empty["complaints"] == [] and not empty["has_more"]

    # Tampering with the cursor, or another agency's cursor, asks for a reset.
    body, sig = final_cursor.split(".")
    forged = json.loads(_b64d(body))
    forged["p"]["dpupr-kab-semarang"] = 0
    for bad in (body + "." + sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB"),
                _b64e(json.dumps(forged).encode()) + "." + sig, "garbage", "a.b.c"):
        status, _, err = get_page(hub, tok, bad)
        assert status == 409 and err["error"]["code"] == "reset_required"
    status, _, err = get_page(hub, token(hub, "officer2"), final_cursor)
    assert status == 409 and err["error"]["code"] == "reset_required"

    # Bad input and missing auth.
    r = requests.get(f"{hub.url}{API}/sync/changes", params={"max_bytes": "lots"},
                     headers={"Authorization": f"Bearer {tok}"}, timeout=10)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = requests.get(f"{hub.url}{API}/sync/changes", timeout=10)
    assert r.status_code == 401

    # A default-size pull returns the same set in far fewer pages.
    _, big_pages, _ = pull_all(hub, tok)
    assert len(big_pages) < len(pages)
    assert {c["id"] for p in big_pages for c in p["complaints"]} == set(seen)

    schema = requests.get(f"{hub.url}/openapi.json", timeout=10).json()
    assert f"{API}/sync/changes" in schema["paths"]


def _b64d(s: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _b64e(b: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def test_every_role_reads_own_agency_only(tmp_path: Path) -> None:
    from lapor_hub.embedded import EmbeddedHub
    from lapor_hub.seed import seed

    db = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(db, complaints=60, seed=3)
    with EmbeddedHub(db) as url:
        hub = Hub(url=url, db=db, proc=None)  # type: ignore[arg-type]
        for role in ("operator", "supervisor", "admin"):
            _, pages, _ = pull_all(hub, token(hub, role))
            ids = {c["id"] for p in pages for c in p["complaints"]}
            assert ids == visible_ids(db, "dpupr-kab-semarang")


def test_unknown_role_forbidden_disabled_user_refused(tmp_path: Path) -> None:
    from lapor_hub import auth, db
    from lapor_hub.embedded import EmbeddedHub

    url_db = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = db.make_engine(url_db)
    db.init_db(engine)
    with db.write_tx(engine) as conn:
        conn.execute(db.agencies.insert().values(id="a", name="A", kind="opd", parent_id=None))
        auth.add_user(conn, username="auditor", password=PASSWORD, role="auditor",
                      agency_id="a")
        uid = auth.add_user(conn, username="gone", password=PASSWORD, role="officer",
                            agency_id="a")
    with EmbeddedHub(url_db) as url:
        hub = Hub(url=url, db=url_db, proc=None)  # type: ignore[arg-type]
        r = login(hub, "auditor")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        ok = login(hub, "gone").json()
        with db.write_tx(engine) as conn:
            conn.execute(db.users.update().where(db.users.c.id == uid).values(disabled=True))
        assert login(hub, "gone").status_code == 401
        me = requests.get(f"{url}{API}/me",
                          headers={"Authorization": f"Bearer {ok['access_token']}"}, timeout=10)
        assert me.status_code == 401
        # An expired access token asks for a refresh, not a new login.
        with db.write_tx(engine) as conn:
            conn.execute(db.users.update().where(db.users.c.id == uid).values(disabled=False))
            conn.execute(db.tokens.update().where(db.tokens.c.kind == "access")
                         .values(expires_at=1))
        me = requests.get(f"{url}{API}/me",
                          headers={"Authorization": f"Bearer {ok['access_token']}"}, timeout=10)
        assert me.status_code == 401 and me.json()["error"]["code"] == "token_expired"
    engine.dispose()
