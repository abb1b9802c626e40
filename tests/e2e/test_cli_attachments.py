"""``lapor-desk attach / attachments / download`` as a user runs them, over a real hub."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import Hub, run_cli, start_hub, stop_hub

PASSWORD = "demo-lapor-2026"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run_cli("lapor_hub", "seed", "--db", db, "--complaints", "30", "--seed", "7")
    h = start_hub(db, tmp_path / "hub.log")
    try:
        yield h
    finally:
        stop_hub(h)


def desk(home: Path, *args: str, check: bool = True) -> str:
    proc = run_cli("lapor_desk", "--home", str(home), *args, check=check)
    if not check:
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        return proc.stderr
    return proc.stdout


def test_attach_sync_list_download_with_a_hostile_name(hub: Hub, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for home, user in ((a, "officer"), (b, "operator")):
        run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url,
                "--username", user, input=PASSWORD)
        desk(home, "sync")
    engine = sa.create_engine(hub.db)
    with engine.connect() as conn:
        tid = str(conn.execute(sa.text(
            "SELECT tracking_id FROM complaints WHERE agency_id = 'dpupr-kab-semarang'"
            " AND is_confidential = :f ORDER BY tracking_id"), {"f": False}).scalars().first())
    data = os.urandom(1_500_000)
    f = tmp_path / "bukti.bin"
    f.write_bytes(data)
    out = desk(a, "attach", tid, str(f), "--note", "foto lokasi")
    assert "bukti.bin" in out
    listed = json.loads(desk(a, "attachments", tid, "--json"))
    assert [x["state"] for x in listed][-1] == "pending_upload"
    desk(a, "sync")
    # The server's display name is hostile; it must not steer where the file lands.
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE attachments SET name = :n WHERE size = :s"),
                     {"n": "../../evil\u202etxt.exe\n", "s": len(data)})
        # The feed serves the stored doc: change the name there too (a fresh profile reads it).
        doc = json.loads(conn.execute(sa.text("SELECT doc FROM complaints WHERE tracking_id"
                                              " = :t"), {"t": int(tid)}).scalar_one())
        for att in doc["attachments"]:
            if att["size"] == len(data):
                att["name"] = "../../evil\u202etxt.exe\n"
        conn.execute(sa.text("UPDATE complaints SET doc = :d WHERE tracking_id = :t"),
                     {"d": json.dumps(doc), "t": int(tid)})
    engine.dispose()
    c = tmp_path / "c"
    run_cli("lapor_desk", "--home", str(c), "login", "--server", hub.url,
            "--username", "supervisor", input=PASSWORD)
    desk(c, "sync")
    text = desk(c, "attachments", tid)
    assert "\u202e" not in text and "\n\n" not in text
    rows = json.loads(desk(c, "attachments", tid, "--json"))
    n = str(next(x["index"] for x in rows if x["size"] == len(data)))
    assert rows[int(n) - 1]["state"] == "remote"
    dest = tmp_path / "dest"
    dest.mkdir()
    proc = run_cli("lapor_desk", "--home", str(c), "download", tid, n, "--out", str(dest))
    assert "MiB" in proc.stderr  # progress on stderr
    [saved] = list(dest.iterdir())
    assert saved.read_bytes() == data
    assert saved.parent == dest and saved.name == "_.._evil txt.exe"
    assert json.loads(desk(c, "attachments", tid, "--json"))[int(n) - 1]["state"] == "local"
    # Errors are one plain line: no such attachment, missing folder, too large.
    desk(c, "download", tid, "99", "--out", str(dest), check=False)
    desk(c, "download", tid, n, "--out", str(tmp_path / "nope"), check=False)
    big = tmp_path / "big.bin"
    with big.open("wb") as fh:
        fh.truncate(26 * 1024 * 1024)
    assert "MiB" in desk(a, "attach", tid, str(big), check=False)
