"""The central log redaction filter: secrets and identity never reach the log file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from lapor_desk.logging_setup import redact, setup_logging

SECRETS = {
    "bearer": "Authorization: Bearer abc.DEF-123_xyz",
    "password": 'body {"username": "officer", "password": "demo-lapor-2026"}',
    "kv": "refresh_token=Zx9_kLm2QpR7sT4uVw1yAb3Cd5Ef6Gh8",
    "jwt": "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl seen",
    "hex": "db key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "opaque": "got R2d4kLm9QpZ7sT4uVw1yAb3Cd5Ef6Gh8Ij0 back",
    "email": "reporter budi.santoso+x@mail.example.co.id wrote",
    "nik": "NIK 3322014501990001 found",
    "phone1": "call 0812-3456-7890 now",
    "phone2": "call +62 812 3456 7890 now",
    "phone3": "call 6281234567890 now",
}
LEAKS = ["abc.DEF-123_xyz", "demo-lapor-2026", "Zx9_kLm2QpR7sT4uVw1yAb3Cd5Ef6Gh8",
         "eyJhbGciOiJIUzI1NiJ9", "9f86d081884c7d659a2feaa0c55ad015", "R2d4kLm9QpZ7sT4uVw1yAb3Cd5",
         "budi.santoso", "3322014501990001", "3456-7890", "812 3456", "6281234567890"]


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_redact_patterns(name: str) -> None:
    out = redact(SECRETS[name])
    for leak in LEAKS:
        assert leak not in out, (name, out)


def test_ordinary_text_is_kept() -> None:
    text = ("sync done: 200 received, tracking 9197446, complaint "
            "0b9e7c1e-4f0e-4a57-9d2b-8b1f2f7c6a11 in /home/u/lapor_desk/sync/engine.py line 42")
    assert redact(text) == text


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(tmp_path / "logs", level=logging.DEBUG)
    assert path is not None
    yield path
    setup_logging(None)


def test_file_handler_redacts_messages_args_and_tracebacks(log_file: Path) -> None:
    log = logging.getLogger("lapor_desk.test")
    log.info("login with %s", {"password": "demo-lapor-2026"})
    log.warning("header Authorization: Bearer %s", "sekret-token-123")
    try:
        raise ValueError("key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    except ValueError:
        log.exception("failed for reporter %s", "budi@example.id")
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text()
    assert "login with" in text and "Traceback" in text
    for leak in ("demo-lapor-2026", "sekret-token-123", "9f86d081884c7d65", "budi@example.id"):
        assert leak not in text
    assert (log_file.stat().st_mode & 0o077) == 0
