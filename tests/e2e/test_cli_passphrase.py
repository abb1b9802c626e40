"""A PC with no OS keyring: the profile is protected by an unlock passphrase, chosen explicitly.

Subprocesses of the real CLI with the keyring library's ``fail`` backend, against a real hub.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli, running_hub

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
PASS = "jalan desa berlubang sejak maret"
NEW = "jembatan gantung sudah diperbaiki"


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_passphrase_profile_from_login_to_passphrase_change(tmp_path: Path) -> None:
    (tmp_path / "hub").mkdir()
    with running_hub(tmp_path / "hub", complaints=60, seed=5) as hub:
        home = str(tmp_path / "p")

        def cli(*args: str, passphrase: str | None = None, check: bool = True,
                extra: dict[str, str] | None = None, input: str | None = None
                ) -> tuple[int, str, str]:
            env = dict(NO_KEYRING, LAPOR_DESK_PASSPHRASE=passphrase or "", **(extra or {}))
            proc = run_cli("lapor_desk", "--home", home, *args, env=env, check=check,
                           input=input if input is not None else "")
            return proc.returncode, proc.stdout, proc.stderr

        # Without a keyring and without a passphrase: refused before the server is asked,
        # with a hint, and nothing is written in plain text.
        code, _, err = cli("login", "--server", hub.url, "--username", "officer",
                           input="demo-lapor-2026\n", check=False)
        assert code != 0 and "--passphrase" in one_line(err)
        assert not (tmp_path / "p" / "replica.db").exists()
        assert not (tmp_path / "p" / "vault.json").exists()

        # A weak passphrase is refused; a good one protects the new profile.
        code, _, err = cli("login", "--passphrase", "--server", hub.url, "--username",
                           "officer", passphrase="short", input="demo-lapor-2026\n",
                           check=False)
        assert code == 2 and one_line(err)
        cli("login", "--passphrase", "--server", hub.url, "--username", "officer",
            passphrase=PASS, input="demo-lapor-2026\n")
        settings = json.loads((tmp_path / "p" / "settings.json").read_text())
        assert settings["key_store"] == "passphrase"
        vault = (tmp_path / "p" / "vault.json").read_text()
        assert PASS not in vault and "demo-lapor-2026" not in vault

        _, out, _ = cli("sync", "--json", passphrase=PASS)
        received = json.loads(out)["received"]
        assert received > 10
        with pytest.raises(sqlite3.DatabaseError):  # encrypted: plain SQLite cannot read it
            sqlite3.connect(tmp_path / "p" / "replica.db").execute(
                "SELECT count(*) FROM sqlite_master").fetchone()

        # No terminal and no variable: a clear one-line error, exit 3; a wrong one likewise.
        code, _, err = cli("status", "--json", check=False)
        assert code == 3 and "LAPOR_DESK_PASSPHRASE" in one_line(err)
        code, _, err = cli("status", "--json", passphrase=PASS + "x", check=False)
        assert code == 3 and one_line(err)

        # Changing the passphrase re-seals the key; the old one stops working, data stays.
        cli("passphrase", "change", passphrase=PASS, extra={"LAPOR_DESK_NEW_PASSPHRASE": NEW})
        code, _, _ = cli("status", "--json", passphrase=PASS, check=False)
        assert code == 3
        _, out, _ = cli("status", "--json", passphrase=NEW)
        assert json.loads(out)["complaints"] == received
        # The refresh token moved with the vault: sync works without signing in again.
        _, out, _ = cli("sync", "--json", passphrase=NEW)
        assert json.loads(out)["received"] == 0
