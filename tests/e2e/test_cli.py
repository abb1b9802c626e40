"""The lapor-desk CLI as a user runs it: subprocesses against a real lapor-hub on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Hub, free_port, run_cli, running_hub

PASSWORD = "demo-lapor-2026\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub"), complaints=200, seed=7) as h:
        yield h



def assert_one_line_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_login_sync_status_list_show_logout(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "p"
    login = run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url,
                    "--username", "officer", input=PASSWORD)
    assert "officer" in login.stdout
    assert "demo-lapor-2026" not in (home / "settings.json").read_text()

    sync = run_cli("lapor_desk", "--home", str(home), "sync", "--json")
    report = json.loads(sync.stdout)
    for key in ("received", "seconds", "pages", "bytes", "removed", "rejected"):
        assert key in report
    assert report["received"] > 50

    status = json.loads(run_cli("lapor_desk", "--home", str(home), "status", "--json").stdout)
    assert status["complaints"] == report["received"]
    assert status["username"] == "officer" and status["server"] == hub.url
    assert status["last_sync"] and status["pending"] == 0 and "attention" in status

    rows = json.loads(run_cli("lapor_desk", "--home", str(home), "list", "--json",
                              "--limit", "1000").stdout)
    assert len(rows) == report["received"]
    for key in ("id", "tracking_id", "title", "status", "agency_id", "due_at"):
        assert key in rows[0]
    # Search by a word of a visible title.
    target = next(r for r in rows if not r["is_confidential"])
    word = max(target["title"].split(), key=len)
    found = json.loads(run_cli("lapor_desk", "--home", str(home), "list", "--json",
                               "--search", word, "--limit", "1000").stdout)
    assert target["id"] in {r["id"] for r in found}

    plain = run_cli("lapor_desk", "--home", str(home), "list", "--limit", "5").stdout
    assert len(plain.strip().splitlines()) == 6  # header + 5 rows

    shown = run_cli("lapor_desk", "--home", str(home), "show",
                    str(target["tracking_id"])).stdout
    assert str(target["tracking_id"]) in shown
    shown_json = json.loads(run_cli("lapor_desk", "--home", str(home), "show", target["id"],
                                    "--json").stdout)
    assert shown_json["row"]["id"] == target["id"]

    similar = json.loads(run_cli("lapor_desk", "--home", str(home), "similar",
                                 str(target["tracking_id"]), "--json").stdout)
    assert target["id"] not in {s["id"] for s in similar}
    assert all({"id", "tracking_id", "title", "score", "same_place"} <= s.keys() for s in similar)
    assert [s["score"] for s in similar] == sorted((s["score"] for s in similar), reverse=True)

    missing = run_cli("lapor_desk", "--home", str(home), "show", "99999999999", check=False)
    assert missing.returncode != 0
    assert_one_line_no_traceback(missing.stderr)

    out = run_cli("lapor_desk", "--home", str(home), "logout")
    assert out.returncode == 0
    again = run_cli("lapor_desk", "--home", str(home), "sync", check=False)
    assert again.returncode != 0
    assert_one_line_no_traceback(again.stderr)
    # Data is kept after logout.
    status = json.loads(run_cli("lapor_desk", "--home", str(home), "status", "--json").stdout)
    assert status["complaints"] == report["received"]


def test_wrong_password_one_line_no_traceback(hub: Hub, tmp_path: Path) -> None:
    proc = run_cli("lapor_desk", "--home", str(tmp_path / "p"), "login", "--server", hub.url,
                   "--username", "officer", input="not-the-password\n", check=False)
    assert proc.returncode != 0
    assert_one_line_no_traceback(proc.stderr)
    assert "kata sandi" in proc.stderr.lower()  # Indonesian by default
    assert "not-the-password" not in proc.stderr


def test_english_messages(hub: Hub, tmp_path: Path) -> None:
    proc = run_cli("lapor_desk", "--home", str(tmp_path / "p"), "login", "--server", hub.url,
                   "--username", "officer", input="nope-nope\n", check=False,
                   env={"LAPOR_DESK_LANG": "en"})
    assert proc.returncode != 0
    assert "password" in proc.stderr.lower()


def test_sync_with_server_down_is_a_clear_offline_error(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "p"
    run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url,
            "--username", "officer", input=PASSWORD)
    settings = json.loads((home / "settings.json").read_text())
    settings["server_url"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    (home / "settings.json").write_text(json.dumps(settings))
    proc = run_cli("lapor_desk", "--home", str(home), "sync", check=False)
    assert proc.returncode != 0
    assert_one_line_no_traceback(proc.stderr)
    assert "server tidak dapat dihubungi" in proc.stderr.lower()


def test_home_from_environment(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "env-home"
    run_cli("lapor_desk", "login", "--server", hub.url, "--username", "officer",
            input=PASSWORD, env={"LAPOR_DESK_HOME": str(home)})
    status = json.loads(run_cli("lapor_desk", "status", "--json",
                                env={"LAPOR_DESK_HOME": str(home)}).stdout)
    assert status["username"] == "officer"


def test_demo_without_window(tmp_path: Path) -> None:
    proc = run_cli("lapor_desk", "--home", str(tmp_path / "h"), "demo", "--no-window",
                   timeout=300)
    doc = json.loads(proc.stdout)
    assert doc["complaints"] > 100 and doc["username"] == "officer"


def test_usage_error_exit_code(tmp_path: Path) -> None:
    proc = run_cli("lapor_desk", "--home", str(tmp_path / "h"), "list", "--limit", "x",
                   check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
