"""Canary scan (security.md): secrets and personal data never reach the disk in a readable form.

Unique markers go into the server (``lapor-hub import`` JSON Lines): a NIK-like 16-digit number,
a reporter name and an e-mail on an ANONYMOUS complaint, rahasia (confidential) body text, and an
ordinary body marker; plus the user's password and, after login and sync, the refresh tokens and
the database key (read from the test keyring file). The profile is synced with the CLI (and once
more in-process, scanned while the replica is open so the WAL holds the pages), then every file
of the profile and of the processes' temporary directory is searched for every canary in plain,
lower-case, URL-encoded and Base64 forms: 0 hits. The ordinary marker IS found by ``lapor-desk
list --search`` (the data is there, encrypted); the anonymous reporter's identity is neither
searchable nor in ``show --json``; plain sqlite3 cannot open the replica.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Hub, run_cli, start_hub, stop_hub

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import SERVICE
from lapor_hub import auth as hub_auth
from lapor_hub import db as hub_db
from lapor_hub.seed import seed

AGENCY = "dpupr-kab-semarang"
USERNAME = "canary-officer"


def _marker(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"


# Mixed case, so that "lower-case" is a different form; one FTS token each.
PASSWORD = f"Kanari-Sandi-{secrets.token_urlsafe(12)}"
NIK = "3374" + "".join(secrets.choice("0123456789") for _ in range(12))
REPORTER = f"Kanarinama{secrets.token_hex(5)}"
REPORTER_EMAIL = f"{_marker('kanarisurel')}@contoh.go.id"
RAHASIA = _marker("KanariRahasia")
ORDINARY = _marker("Penandabiasa")

ANON_ID, SECRET_ID, PLAIN_ID = (str(uuid.uuid4()) for _ in range(3))


def _complaint(cid: str, title: str, body: str, **extra: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "id": cid, "title": title, "body": body, "classification": "pengaduan",
        "channel": "web", "status": "baru", "agency_id": AGENCY,
        "created_at": "2026-11-20T03:00:00+00:00",
        "location": {"province": "Jawa Tengah", "regency": "Kabupaten Semarang",
                     "district": "Ungaran Barat"},
    }
    doc.update(extra)
    return doc


def canary_lines() -> str:
    docs = [
        _complaint(ANON_ID, "Jalan rusak di depan sekolah",
                   "Mohon segera diperbaiki, sudah tiga bulan.", is_anonymous=True,
                   reporter={"name": REPORTER, "phone": NIK, "email": REPORTER_EMAIL}),
        _complaint(SECRET_ID, "Dugaan pungutan liar", f"Isi rahasia: {RAHASIA} di loket.",
                   classification="whistle_blowing", is_confidential=True,
                   comments=[{"id": str(uuid.uuid4()), "author": "Pelapor",
                              "body": f"Tambahan {RAHASIA}",
                              "created_at": "2026-11-20T04:00:00+00:00"}]),
        _complaint(PLAIN_ID, "Lampu jalan padam", f"Lampu di gang {ORDINARY} mati."),
    ]
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("canary-hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=40, seed=3)  # in-process: one interpreter start less
    engine = hub_db.make_engine(db)  # in-process ``lapor-hub user add``
    try:
        with hub_db.write_tx(engine) as conn:
            hub_auth.add_user(conn, username=USERNAME, password=PASSWORD, role="officer",
                              agency_id=AGENCY)
    finally:
        engine.dispose()
    jsonl = tmp / "canaries.jsonl"
    jsonl.write_text(canary_lines(), encoding="utf-8")
    run_cli("lapor_hub", "import", "--db", db, str(jsonl))
    jsonl.unlink()  # the server side is not what is scanned
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


# ---------------------------------------------------------------- forms of a canary

def _b64_cores(data: bytes) -> list[bytes]:
    """Base64 of ``data`` at each of the three alignments inside a longer stream, keeping only
    the characters that depend on ``data`` alone (standard and URL-safe alphabets)."""
    out: list[bytes] = []
    for k in range(3):
        n = k + len(data)
        for enc in (base64.b64encode(b"\0" * k + data),
                    base64.urlsafe_b64encode(b"\0" * k + data)):
            core = enc[((k + 2) // 3) * 4:(n // 3) * 4]
            if len(core) >= 8:
                out.append(core)
    return out


def forms(canary: str | bytes) -> list[tuple[str, bytes, bool]]:
    """(form name, bytes, case-insensitive?) for one canary."""
    raw = canary.encode("utf-8") if isinstance(canary, str) else canary
    result: list[tuple[str, bytes, bool]] = [("plain", raw, False), ("lower-case", raw, True)]
    if isinstance(canary, str):
        result.append(("url", urllib.parse.quote(canary, safe="").encode("ascii"), True))
        result.append(("url-plus", urllib.parse.quote_plus(canary).encode("ascii"), True))
        result.append(("utf-16-le", canary.encode("utf-16-le"), False))
    else:
        result.append(("hex", raw.hex().encode("ascii"), True))
    result += [(f"base64#{i}", core, False) for i, core in enumerate(_b64_cores(raw))]
    return result


def scan(roots: list[Path], canaries: dict[str, str | bytes]) -> tuple[list[str], int]:
    """Every (file, canary, form) hit under ``roots``; and the number of files read."""
    hits: list[str] = []
    files = 0
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            lowered = data.lower()
            files += 1
            for name, canary in canaries.items():
                for form, needle, fold in forms(canary):
                    if (needle.lower() in lowered) if fold else (needle in data):
                        hits.append(f"{path.relative_to(root)}: {name} ({form})")
    return hits, files


def keyring_values(profile_id: str) -> dict[str, str]:
    data = json.loads(Path(os.environ["LAPOR_TEST_KEYRING_FILE"]).read_text())
    prefix = f"{SERVICE}\0"
    return {k[len(prefix):].split(":")[0]: v for k, v in data.items()
            if k.startswith(prefix) and k.endswith(f":{profile_id}")}


def test_the_scanner_finds_every_form(tmp_path: Path) -> None:
    """The scan can fail: each form of a canary, embedded at any offset, is a hit."""
    canary = "Kanari-Uji/" + secrets.token_hex(4) + " x"
    key = secrets.token_bytes(32)
    for i, (_, needle, _) in enumerate(forms(canary) + forms(key)):
        (tmp_path / f"f{i}").write_bytes(b"noise " + b"#" * (i % 5) + needle + b" noise")
    for k in range(3):  # whole Base64 streams at each alignment
        blob = base64.b64encode(os.urandom(k) + canary.encode() + b"tail")
        (tmp_path / f"b{k}").write_bytes(blob)
    (tmp_path / "upper").write_bytes(canary.upper().encode())
    (tmp_path / "clean").write_bytes(b"nothing to see")
    hits, files = scan([tmp_path], {"c": canary, "k": key})
    hit_files = {h.split(":")[0] for h in hits}
    assert hit_files == {p.name for p in tmp_path.iterdir()} - {"clean"}
    assert files == len(list(tmp_path.iterdir()))


# ---------------------------------------------------------------- the test

def test_canary_scan_finds_nothing_readable(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "profile"
    tmpdir = tmp_path / "tmp"  # the processes' temporary files land here and are scanned
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir), "LAPOR_DESK_LANG": "en"}

    def desk(*args: str, check: bool = True, stdin: str | None = None) -> str:
        proc = run_cli("lapor_desk", "--home", str(home), *args, input=stdin, env=env,
                       check=check)
        return proc.stdout

    # A wrong password first (it must not be logged either), then the right one.
    desk("login", "--server", hub.url, "--username", USERNAME, "--json",
         stdin=PASSWORD + "-salah\n", check=False)
    desk("login", "--server", hub.url, "--username", USERNAME, stdin=PASSWORD + "\n")
    profile_id = json.loads((home / "settings.json").read_text())["profile_id"]
    tokens = [keyring_values(profile_id)["refresh-token"]]
    report = json.loads(desk("sync", "--json"))
    assert report["received"] > 3
    found = keyring_values(profile_id)
    tokens.append(found["refresh-token"])
    db_key = found["db-key"]

    # The data is there: the ordinary marker is searchable.
    rows = json.loads(desk("list", "--json", "--search", ORDINARY))
    assert [r["id"] for r in rows] == [PLAIN_ID]
    # The anonymous reporter's identity is not in ``show --json``; rahasia text is masked.
    shown = desk("show", ANON_ID, "--json")
    assert json.loads(shown)["row"]["is_anonymous"]
    for needle in (REPORTER, NIK, REPORTER_EMAIL):
        assert needle.lower() not in shown.lower()
    secret = desk("show", SECRET_ID, "--json")
    assert json.loads(secret)["row"]["is_confidential"] and RAHASIA not in secret

    canaries: dict[str, str | bytes] = {
        "password": PASSWORD, "nik": NIK, "reporter name": REPORTER,
        "reporter e-mail": REPORTER_EMAIL, "rahasia text": RAHASIA,
        "ordinary body": ORDINARY, "db key (hex)": db_key,
        "db key (bytes)": bytes.fromhex(db_key),
        **{f"refresh token {i}": t for i, t in enumerate(tokens)},
    }

    # While the app runs: a full re-download in-process, scanned with the replica open (the
    # pages sit in the WAL until the checkpoint at close).
    ctx = DeskContext.for_home(home)
    try:
        store = ctx.open_store()
        # Not searchable either (the same query as ``list --search``).
        for needle in (REPORTER, NIK, REPORTER_EMAIL.split("@")[0]):
            assert store.ids(ComplaintQuery(search=needle)) == [], needle
        assert store.ids(ComplaintQuery(search=ORDINARY)) == [PLAIN_ID]
        store.reset_synced()
        assert ctx.sync().received == report["received"]
        assert {ANON_ID, SECRET_ID, PLAIN_ID} <= set(store.ids(ComplaintQuery()))
        wal = home / "replica.db-wal"
        assert wal.exists() and wal.stat().st_size > 0
        hits, files_open = scan([home, tmpdir], canaries)
        assert hits == [], hits
    finally:
        ctx.close()
    hits, files_closed = scan([home, tmpdir], canaries)
    assert hits == [], hits
    assert (home / "logs").is_dir() and any((home / "logs").iterdir())
    assert files_open >= 4 and files_closed >= 3  # replica.db (+ -wal, -shm), settings, log

    # Without the key the file is noise.
    header = (home / "replica.db").read_bytes()[:16]
    assert header != b"SQLite format 3\0"
    conn = sqlite3.connect(home / "replica.db")
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        conn.close()
