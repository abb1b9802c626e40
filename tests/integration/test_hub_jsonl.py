"""JSON Lines import/export through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from conftest import run_cli
from sqlalchemy import create_engine, text


def good_line(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": str(uuid.uuid4()), "tracking_id": None, "title": "Jalan berlubang di Jl. Pemuda",
        "body": "Jalan rusak sejak dua bulan. Mohon diperbaiki.",
        "category": "PEKERJAAN UMUM DAN PENATAAN RUANG › JALAN BERLUBANG",
        "classification": "pengaduan", "channel": "web", "is_anonymous": False,
        "is_confidential": False,
        "reporter": {"name": "Warga Uji", "phone": "0812000111", "email": None},
        "agency_id": "dpupr-kab-semarang",
        "location": {"province": "Jawa Tengah", "regency": "Kabupaten Semarang",
                     "district": "Bawen"},
        "status": "baru", "created_at": "2026-10-01T08:00:00+07:00",
        "updated_at": "2026-10-02T08:00:00+07:00", "due_at": "2026-10-06T23:59:59+07:00",
        "attachments": [{"name": "foto.jpg", "size": 1234, "sha256": "ab" * 32}],
        "comments": [{"id": str(uuid.uuid4()), "author": "Pelapor", "body": "Belum ada perbaikan.",
                      "created_at": "2026-10-03T09:00:00+07:00"}],
    }
    base.update(over)
    if base["tracking_id"] is None:
        del base["tracking_id"]
    return base


def count(db_url: str, sql: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_import_bad_lines_and_idempotency(hub_db: str, tmp_path: Path) -> None:
    goods = [good_line(),
             good_line(title="<script>alert(1)</script> \u202eRTL override",
                       category="KATEGORI BARU › SUB BARU", agency_id="instansi-baru"),
             good_line(tracking_id=1234567, is_anonymous=True)]
    lines: list[bytes] = [json.dumps(goods[0]).encode()]
    lines.append(b"{not json")                                                  # 2
    lines.append(json.dumps(good_line(status="hilang")).encode())                # 3
    lines.append(json.dumps(goods[1], ensure_ascii=False).encode())              # 4
    lines.append(json.dumps(good_line(body="a\u0000b")).encode())                # 5
    lines.append(b'{"id": "\xff\xfe", "title": "x"}')                            # 6
    lines.append(json.dumps(good_line(created_at="2026-10-01T08:00:00")).encode())  # 7
    lines.append(json.dumps(good_line(id="not-a-uuid")).encode())               # 8
    lines.append(b"")                                                            # 9 blank
    lines.append(json.dumps(goods[2]).encode())                                  # 10
    lines.append(json.dumps(good_line(title="\ud800 lone")).encode())            # 11
    lines.append(b"[" * 100_000)                                                 # 12
    lines.append(json.dumps(good_line(tracking_id=1234567)).encode())            # 13 taken
    f = tmp_path / "in.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")

    proc = run_cli("lapor_hub", "import", "--db", hub_db, str(f), "--json", check=False)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["created"] == 3 and summary["updated"] == 0
    bad = {b["line"]: b["reason"] for b in summary["bad_lines"]}
    assert set(bad) == {2, 3, 5, 6, 7, 8, 11, 12, 13}, bad
    assert "NUL" in bad[5] and "UTF-8" in bad[6] and "offset" in bad[7]
    for n in bad:
        assert f"line {n}: " in proc.stderr
    assert "Warga Uji" not in proc.stderr
    assert count(hub_db, "SELECT count(*) FROM complaints") == 3
    assert count(hub_db, "SELECT count(*) FROM agencies WHERE id = 'instansi-baru'") == 1
    assert count(hub_db, "SELECT count(*) FROM categories WHERE path = "
                         "'KATEGORI BARU › SUB BARU'") == 1
    # Hostile text is stored as text, unchanged.
    assert count(hub_db, "SELECT count(*) FROM complaints WHERE title LIKE '<script>%'") == 1

    # Re-importing the same file changes nothing; a changed line is an update, not a copy.
    again = run_cli("lapor_hub", "import", "--db", hub_db, str(f), "--json", check=False)
    summary = json.loads(again.stdout)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 3)
    assert count(hub_db, "SELECT max(version) FROM complaints") == 1
    g = tmp_path / "changed.jsonl"
    g.write_text(json.dumps({**goods[0], "status": "diverifikasi"}) + "\n", encoding="utf-8")
    out = run_cli("lapor_hub", "import", "--db", hub_db, str(g), "--json")
    assert json.loads(out.stdout)["updated"] == 1
    assert count(hub_db, "SELECT count(*) FROM complaints") == 3
    assert count(hub_db, "SELECT max(version) FROM complaints") == 2

    missing = run_cli("lapor_hub", "import", "--db", hub_db, str(tmp_path / "nope.jsonl"),
                      check=False)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_export_round_trip(hub_db: str, tmp_path: Path) -> None:
    run_cli("lapor_hub", "seed", "--db", hub_db, "--complaints", "120", "--seed", "5")
    first = tmp_path / "a.jsonl"
    plain = run_cli("lapor_hub", "export", "--db", hub_db).stdout.splitlines()
    n_conf = count(hub_db, "SELECT count(*) FROM complaints WHERE is_confidential = true")
    assert n_conf > 0 and len(plain) == 120 - n_conf  # rahasia stays out unless asked for
    assert not any(json.loads(x)["is_confidential"] for x in plain)
    run_cli("lapor_hub", "export", "--db", hub_db, "--out", str(first),
            "--include-confidential")
    assert count(hub_db, "SELECT count(*) FROM audit WHERE action = 'export_confidential'") == 1
    rows = [json.loads(x) for x in first.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 120
    assert any(r["responses"] for r in rows) and any(r["comments"] for r in rows)
    assert all(r["category"] and "›" in r["category"] for r in rows)

    other = f"sqlite:///{tmp_path / 'other.db'}"
    imported = run_cli("lapor_hub", "import", "--db", other, str(first), "--json")
    assert json.loads(imported.stdout)["created"] == 120
    second = run_cli("lapor_hub", "export", "--db", other, "--include-confidential").stdout
    assert second == first.read_text(encoding="utf-8")

    # Re-importing the export into the source keeps everything as it was.
    back = run_cli("lapor_hub", "import", "--db", hub_db, str(first), "--json")
    assert json.loads(back.stdout)["unchanged"] == 120
    assert count(hub_db, "SELECT max(version) FROM complaints") == 1


def test_cli_errors_and_user_add(hub_db: str) -> None:
    run_cli("lapor_hub", "seed", "--db", hub_db, "--complaints", "0")
    again = run_cli("lapor_hub", "seed", "--db", hub_db, "--complaints", "5", "--json")
    assert json.loads(again.stdout)["already_seeded"] is True
    short = run_cli("lapor_hub", "user", "add", "--db", hub_db, "--username", "u1", "--role",
                    "officer", "--agency", "dpupr-kab-semarang", input="short\n", check=False)
    assert short.returncode == 2 and "Traceback" not in short.stderr
    unknown = run_cli("lapor_hub", "user", "add", "--db", hub_db, "--username", "u1", "--role",
                      "officer", "--agency", "tidak-ada", input="panjang-sekali-1\n", check=False)
    assert unknown.returncode == 2 and "unknown agency" in unknown.stderr
    ok = run_cli("lapor_hub", "user", "add", "--db", hub_db, "--username", "u1", "--role",
                 "officer", "--agency", "dpupr-kab-semarang", input="panjang-sekali-1\n")
    assert "panjang-sekali-1" not in ok.stdout + ok.stderr
    dup = run_cli("lapor_hub", "user", "add", "--db", hub_db, "--username", "u1", "--role",
                  "officer", "--agency", "dpupr-kab-semarang", input="panjang-sekali-1\n",
                  check=False)
    assert dup.returncode == 2 and dup.stderr.count("\n") == 1
    bad_url = run_cli("lapor_hub", "export", "--db", "nosuch://x", check=False)
    assert bad_url.returncode == 1 and "Traceback" not in bad_url.stderr
