"""One instance per profile, with real processes: ``python -m lapor_desk --home H`` (offscreen).

Without a login the window command waits in the sign-in dialog, which is enough: the profile is
claimed before it opens.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from lapor_desk.ui.single_instance import LOCK_NAME, server_name

LISTENING = "single instance: listening"
ACTIVATED = "a second launch asked to activate this window"


def _log(home: Path) -> str:
    path = home / "logs" / "lapor-desk.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _wait_for(home: Path, text: str, proc: subprocess.Popen[bytes], count: int = 1) -> None:
    # Waits on state (a log line), bounded only so a broken build cannot hang the suite.
    deadline = time.monotonic() + 60
    while _log(home).count(text) < count:
        assert proc.poll() is None, f"exited early ({proc.returncode}):\n{_log(home)}"
        assert time.monotonic() < deadline, f"no {text!r} in the log:\n{_log(home)}"
        time.sleep(0.05)


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[object]:
    procs: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LAPOR_DESK_LANG": "en"}

    def start(home: Path) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, "-m", "lapor_desk", "--home", str(home)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def test_second_launch_activates_the_first_and_other_profiles_run_alongside(
        tmp_path: Path, launch) -> None:  # type: ignore[no-untyped-def]
    home, other = tmp_path / "a", tmp_path / "b"
    first = launch(home)
    _wait_for(home, LISTENING, first)

    second = launch(home)
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0, out
    assert b"already running" in out
    _wait_for(home, ACTIVATED, first)
    assert first.poll() is None  # the first one keeps running

    third = launch(other)  # another profile is not blocked by the first
    _wait_for(other, LISTENING, third)
    assert server_name(home) != server_name(other)

    # A crash leaves the lock file behind; the next launch sees its owner is gone and takes over.
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert (home / LOCK_NAME).exists()
    again = launch(home)
    _wait_for(home, LISTENING, again, count=2)
    assert again.poll() is None
    assert _log(home).count(ACTIVATED) == 1
