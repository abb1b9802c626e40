"""``lapor-desk sync --verify`` as a user runs it, against a real lapor-hub on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Hub, run_cli, start_hub, stop_hub

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery

PASSWORD = "demo-lapor-2026\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    from lapor_hub.seed import seed

    tmp = tmp_path_factory.mktemp("hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=60, seed=5)
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


def test_sync_verify_repairs_a_lost_complaint(hub: Hub, tmp_path: Path) -> None:
    home = str(tmp_path / "p")
    run_cli("lapor_desk", "--home", home, "login", "--server", hub.url, "--username",
            "officer", input=PASSWORD)
    first = json.loads(run_cli("lapor_desk", "--home", home, "sync", "--json").stdout)
    assert first["received"] > 0 and first["verified"] is False
    # Damage the replica behind the app's back (same profile, same keyring entry).
    with DeskContext.for_home(Path(home)) as ctx:
        store = ctx.open_store()
        lost = store.ids(ComplaintQuery())[0]
        with store.write() as conn:
            conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (lost,))
    doc = json.loads(run_cli("lapor_desk", "--home", home, "sync", "--verify", "--json").stdout)
    assert doc["verified"] is True and doc["buckets_differed"] == 1
    assert (doc["repaired"], doc["repair_removed"], doc["verify_skipped"]) == (1, 0, None)
    # The redacted sync log records what the verification found and did.
    log_text = (Path(home) / "logs" / "lapor-desk.log").read_text(encoding="utf-8")
    assert "verify: compared; 1 bucket(s) differed, 1 repaired, 0 removed" in log_text
    plain = run_cli("lapor_desk", "--home", home, "sync", "--verify").stdout
    assert "Replika diperiksa: 0 kelompok berbeda, 0 pengaduan diperbaiki" in plain
    shown = json.loads(run_cli("lapor_desk", "--home", home, "show", lost, "--json").stdout)
    assert shown["row"]["id"] == lost


def test_the_verification_schedule_survives_between_runs(hub: Hub, tmp_path: Path) -> None:
    """Each CLI run is a new process: the count of syncs since the last verification is kept
    in the profile, so a sync run by a scheduler still verifies every N syncs."""
    home = str(tmp_path / "p")
    run_cli("lapor_desk", "--home", home, "login", "--server", hub.url, "--username",
            "officer", input=PASSWORD)
    with DeskContext.for_home(Path(home)) as ctx:
        ctx.settings.verify_every_syncs = 3
        ctx.settings.verify_every_minutes = 0
        ctx.save_settings()
    verified = [json.loads(run_cli("lapor_desk", "--home", home, "sync", "--json").stdout)
                ["verified"] for _ in range(4)]
    assert verified == [False, False, True, False]
    state = json.loads((Path(home) / "verify-state.json").read_text(encoding="utf-8"))
    assert state["syncs_since_verify"] == 1
