"""Operator work from the command line: batch triage, notes and re-route requests, queued
offline and applied by a real hub on the next sync; the redacted log for administrators."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Hub, db_rows, run_cli, running_hub

PASSWORD = "demo-lapor-2026\n"
AGENCY = "dpupr-kab-semarang"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("operator-hub"), complaints=80, seed=11) as h:
        yield h


def desk(home: Path, *args: str, check: bool = True) -> Any:
    return run_cli("lapor_desk", "--home", str(home), *args, env={"LAPOR_DESK_LANG": "en"},
                   check=check)


def login(hub: Hub, home: Path, username: str) -> None:
    run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url, "--username",
            username, input=PASSWORD)
    desk(home, "sync")


def open_tracking(hub: Hub, n: int) -> list[int]:
    rows = db_rows(hub.db, "SELECT tracking_id FROM complaints WHERE agency_id = :a AND status"
                   " NOT IN ('selesai', 'ditutup', 'diarsipkan') ORDER BY tracking_id", a=AGENCY)
    assert len(rows) >= n
    return [int(r[0]) for r in rows[:n]]


def server_triage(hub: Hub, tracking: int) -> tuple[str, list[str], str | None, str | None]:
    (priority, tags, assignee, category), = db_rows(
        hub.db, "SELECT priority, tags, assignee_id, category_id FROM complaints"
        " WHERE tracking_id = :t", t=tracking)
    return priority, json.loads(tags), assignee, category


def test_batch_triage_note_and_reroute_reach_the_server(hub: Hub, tmp_path: Path,
                                                       _test_keyring: Path) -> None:
    home = tmp_path / "operator"
    login(hub, home, "operator")
    first, second = open_tracking(hub, 2)
    (officer_id, officer_name), = db_rows(
        hub.db, "SELECT id, display_name FROM users WHERE username = 'officer'")
    category_id, category_path = db_rows(hub.db, "SELECT id, path FROM categories"
                                         " ORDER BY path LIMIT 1")[0]

    queued = json.loads(desk(home, "triage", str(first), f"#{second}", "--priority", "mendesak",
                             "--tag", "banjir", "--assign", officer_name.upper(),
                             "--category", category_path, "--json").stdout)
    assert len(queued) == 2 and all(e["kind"] == "complaint.triage" for e in queued)
    # Offline until the sync: the server has not seen it.
    assert server_triage(hub, first)[0] != "mendesak" or "banjir" not in server_triage(
        hub, first)[1]
    desk(home, "sync")
    for t in (first, second):
        priority, tags, assignee, category = server_triage(hub, t)
        assert (priority, assignee, category) == ("mendesak", officer_id, category_id)
        assert "banjir" in tags

    desk(home, "triage", str(first), "--untag", "BANJIR", "--assign", "none")
    desk(home, "note", str(first), "Sudah dicek lapangan; menunggu RAB.")
    desk(home, "reroute", str(second), "--reason", "Jalan provinsi, bukan kabupaten.")
    desk(home, "sync")
    _, tags, assignee, _ = server_triage(hub, first)
    assert "banjir" not in tags and assignee is None
    notes = {int(r[0]): r[1] for r in db_rows(
        hub.db, "SELECT c.tracking_id, t.body FROM thread_entries t JOIN complaints c"
        " ON c.id = t.complaint_id WHERE t.kind = 'note' AND c.tracking_id IN (:a, :b)",
        a=first, b=second)}
    assert notes[first] == "Sudah dicek lapangan; menunggu RAB."
    assert notes[second].endswith("Jalan provinsi, bukan kabupaten.")  # marked as a request

    log = desk(home, "log", "--sync", "--lines", "5").stdout
    lines = log.splitlines()
    assert "sync done" in log and 0 < len(lines) <= 5
    assert all("lapor_desk.sync" in line for line in lines)
    secrets = json.loads(_test_keyring.read_text()).values()
    assert secrets and not any(value in log for value in secrets)  # tokens and DB key


def test_triage_errors_are_one_line_and_queue_nothing(hub: Hub, tmp_path: Path) -> None:
    operator = tmp_path / "operator"
    login(hub, operator, "operator")
    (tracking,) = open_tracking(hub, 1)
    cases = [
        ("triage", str(tracking), "--category", "no such category"),
        ("triage", str(tracking), "999999999", "--priority", "tinggi"),
        ("triage", str(tracking)),
        ("triage", str(tracking), "--assign", "nobody at all"),
    ]
    for args in cases:
        proc = desk(operator, *args, check=False)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    status = json.loads(desk(operator, "status", "--json").stdout)
    assert status["pending"] == 0

    officer = tmp_path / "officer"
    login(hub, officer, "officer")
    proc = desk(officer, "triage", str(tracking), "--priority", "tinggi", check=False)
    assert proc.returncode == 4 and "Only operators" in proc.stderr
