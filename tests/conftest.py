"""Shared fixtures: a real lapor_hub process on loopback, temporary profiles, a test keyring."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = Path(__file__).resolve().parent / "support"

# Set before anything imports keyring or Qt; subprocesses inherit these.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "test_keyring.FileKeyring"
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(SUPPORT), os.environ.get("PYTHONPATH", "")) if p
)
sys.path.insert(0, str(SUPPORT))

PG_URL = os.environ.get("LAPOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _test_keyring(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path_factory.mktemp("keyring") / "keyring.json"
    monkeypatch.setenv("LAPOR_TEST_KEYRING_FILE", str(path))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lapor_desk|lapor_hub ...`` as a user would; return the finished process."""
    proc = subprocess.run(
        [sys.executable, "-m", *args], input=input, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=timeout, cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{args} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


@dataclass
class Hub:
    url: str
    db: str
    proc: subprocess.Popen[bytes]


def start_hub(db: str, log: Path) -> Hub:
    port = free_port()
    with log.open("wb") as fh:  # the child keeps its own descriptor; ours must not leak
        proc = subprocess.Popen(
            [sys.executable, "-m", "lapor_hub", "serve", "--db", db, "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"lapor-hub exited early:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return Hub(url=url, db=db, proc=proc)
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"lapor-hub did not start:\n{log.read_text()}")


@contextmanager
def running_hub(tmp: Path, *, complaints: int, seed: int) -> Iterator[Hub]:
    """A seeded SQLite hub process for a module fixture; stopped on exit."""
    url = f"sqlite:///{tmp / 'hub.db'}"
    run_cli("lapor_hub", "seed", "--db", url, "--complaints", str(complaints), "--seed", str(seed))
    hub = start_hub(url, tmp / "hub.log")
    try:
        yield hub
    finally:
        stop_hub(hub)


def db_rows(db_url: str, sql: str, **params: Any) -> list[Any]:
    """Read the hub's database directly, as an auditor would (never through the API)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def stop_hub(hub: Hub) -> None:
    hub.proc.terminate()
    try:
        hub.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        hub.proc.kill()
        hub.proc.wait()


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                             connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_pg_url() -> str:
    """A new, empty schema-free database on the local PostgreSQL for one test."""
    import uuid

    import psycopg

    name = f"lapor_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A server database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    if not pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not reachable")
    return fresh_pg_url()


@pytest.fixture
def seeded_hub(hub_db: str, tmp_path: Path) -> Iterator[Hub]:
    """A real lapor-hub process over a freshly seeded database (200 complaints, seed 7)."""
    run_cli("lapor_hub", "seed", "--db", hub_db, "--complaints", "200", "--seed", "7")
    hub = start_hub(hub_db, tmp_path / "hub.log")
    try:
        yield hub
    finally:
        stop_hub(hub)
