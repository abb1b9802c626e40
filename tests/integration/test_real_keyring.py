"""The real OS keyring: Secret Service (gnome-keyring) on a private D-Bus session.

The CLI logs in and syncs with PYTHON_KEYRING_BACKEND unset, so `keyring` picks the Secret
Service. The DB key and refresh token must end up there and nowhere in the profile directory;
a second process must reopen the replica with the key from the keyring; and without a keyring
the CLI must refuse with a plain message instead of falling back to anything unencrypted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, start_hub, stop_hub

pytestmark = pytest.mark.realkeyring

SCRIPT = r"""
set -e
printf '%s' "$KEYRING_UNLOCK" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s' "$DEMO_PASSWORD" | "$PY" -m lapor_desk --home "$HOME_DIR" login \
    --server "$SERVER" --username officer
"$PY" -m lapor_desk --home "$HOME_DIR" sync --json > "$OUT/sync.json"
# A second, fresh process must reopen the replica with the key held by the keyring.
"$PY" -m lapor_desk --home "$HOME_DIR" list --json --limit 5 > "$OUT/list.json"
"$PY" - <<'PY' > "$OUT/keyring.json"
import json, os, keyring
pid = json.load(open(os.path.join(os.environ["HOME_DIR"], "settings.json")))["profile_id"]
print(json.dumps({
    "backend": type(keyring.get_keyring()).__module__,
    "db_key": keyring.get_password("lapor-desk", f"db-key:{pid}"),
    "refresh": keyring.get_password("lapor-desk", f"refresh-token:{pid}"),
}))
PY
"""


def _secret_service_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND",
                                                           "DBUS_SESSION_BUS_ADDRESS")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)])
    # gnome-keyring keeps its files under XDG_DATA_HOME; keep them inside the test's tmp dir.
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "xdg-run")
    (tmp_path / "xdg-run").mkdir(mode=0o700)
    return env


def _require_tools() -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"real keyring test needs {missing} (./run tests installs them as root)")
        pytest.skip(f"missing {missing}")


def test_login_and_sync_keep_secrets_in_secret_service(tmp_path: Path) -> None:
    _require_tools()
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run_cli("lapor_hub", "seed", "--db", db, "--complaints", "60", "--seed", "3")
    hub = start_hub(db, tmp_path / "hub.log")
    home, out = tmp_path / "profile", tmp_path / "out"
    out.mkdir()
    env = _secret_service_env(tmp_path)
    env.update(KEYRING_UNLOCK="test-unlock", DEMO_PASSWORD="demo-lapor-2026", PY=sys.executable,
               HOME_DIR=str(home), SERVER=hub.url, OUT=str(out))
    try:
        proc = subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env,
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
    finally:
        stop_hub(hub)
    assert proc.returncode == 0, proc.stderr
    secrets = json.loads((out / "keyring.json").read_text())
    assert secrets["backend"] == "keyring.backends.SecretService"
    assert len(bytes.fromhex(secrets["db_key"])) == 32
    assert secrets["refresh"]
    assert json.loads((out / "sync.json").read_text())["received"] > 0
    assert len(json.loads((out / "list.json").read_text())) == 5

    # Neither secret nor the password is anywhere in the profile directory (any encoding).
    needles = [secrets["db_key"], secrets["refresh"], "demo-lapor-2026"]
    for path in home.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for needle in needles:
                for form in (needle, needle.lower(), needle.upper()):
                    assert form.encode() not in blob, f"secret found in {path.name}"


def test_no_keyring_is_a_clear_error_not_a_fallback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run_cli("lapor_hub", "seed", "--db", db, "--complaints", "10", "--seed", "3")
    hub = start_hub(db, tmp_path / "hub.log")
    home = tmp_path / "profile"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    try:
        procs = [
            subprocess.run([sys.executable, "-m", "lapor_desk", "--home", str(home), *args],
                           input="demo-lapor-2026", env=env, capture_output=True, text=True,
                           timeout=60, cwd=ROOT)
            for args in (["login", "--server", hub.url, "--username", "officer"],
                         ["sync", "--json"], ["list", "--json"])
        ]
    finally:
        stop_hub(hub)
    # Login is refused before the server is asked (nowhere to keep the refresh token) and
    # names the way out; the later commands then find no login or no key, plainly.
    assert "keyring" in procs[0].stderr.lower() and "--passphrase" in procs[0].stderr
    for proc in procs:
        assert proc.returncode != 0, proc.stdout
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert not (home / "replica.db").exists(), "no replica may exist without a key in a keyring"
