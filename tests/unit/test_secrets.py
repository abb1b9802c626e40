"""Keyring wrapper: entries per profile, no silent fallback, the DB key is never replaced."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from lapor_desk import secrets as s
from lapor_desk.errors import DatabaseKeyError, KeyringUnavailableError


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    try:
        yield
    finally:
        keyring.set_keyring(before)


def test_keyring_secrets_use_profile_entries(_test_keyring: Path) -> None:
    a, b = s.KeyringSecrets("profile-a"), s.KeyringSecrets("profile-b")
    s.set_refresh_token(a, "tok-a")
    assert s.get_refresh_token(a) == "tok-a"
    assert s.get_refresh_token(b) is None
    stored = json.loads(_test_keyring.read_text())
    assert stored == {"lapor-desk\0refresh-token:profile-a": "tok-a"}
    s.delete_refresh_token(a)
    s.delete_refresh_token(a)  # deleting twice is fine
    assert s.get_refresh_token(a) is None


def test_db_key_created_once_and_reused(_test_keyring: Path) -> None:
    sec = s.KeyringSecrets("p1")
    key = s.get_or_create_db_key(sec, db_exists=False)
    assert len(key) == 32
    assert s.get_or_create_db_key(sec, db_exists=True) == key
    assert json.loads(_test_keyring.read_text())["lapor-desk\0db-key:p1"] == key.hex()
    assert s.get_or_create_db_key(s.KeyringSecrets("p2"), db_exists=False) != key


def test_missing_key_for_existing_db_is_an_error() -> None:
    sec = s.MemorySecrets()
    with pytest.raises(DatabaseKeyError):
        s.get_or_create_db_key(sec, db_exists=True)
    assert sec.get(s.DB_KEY) is None  # no new key was created over the existing database


def test_malformed_key_is_an_error() -> None:
    sec = s.MemorySecrets()
    sec.set(s.DB_KEY, "abcd")
    with pytest.raises(DatabaseKeyError):
        s.get_or_create_db_key(sec, db_exists=False)
    assert sec.get(s.DB_KEY) == "abcd"


def test_memory_secrets_are_ephemeral(_test_keyring: Path) -> None:
    sec = s.MemorySecrets()
    s.set_refresh_token(sec, "tok")
    s.get_or_create_db_key(sec, db_exists=False)
    assert s.get_refresh_token(sec) == "tok"
    assert not _test_keyring.exists()  # nothing written to the keyring
    assert s.get_refresh_token(s.MemorySecrets()) is None


@pytest.mark.usefixtures("restore_keyring")
def test_fail_backend_raises_unavailable() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    sec = s.KeyringSecrets("p")
    with pytest.raises(KeyringUnavailableError) as info:
        s.get_or_create_db_key(sec, db_exists=False)
    assert "keyring" in info.value.message("en").lower()
    with pytest.raises(KeyringUnavailableError):
        sec.set(s.REFRESH_TOKEN, "x")
    with pytest.raises(KeyringUnavailableError):
        sec.delete(s.REFRESH_TOKEN)


class _BrokenKeyring(KeyringBackend):
    """A backend whose service is gone (as when D-Bus or the Secret Service fails)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("secret service not running")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise ConnectionRefusedError("dbus socket")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("secret service not running")


@pytest.mark.usefixtures("restore_keyring")
def test_backend_failures_raise_unavailable() -> None:
    keyring.set_keyring(_BrokenKeyring())
    sec = s.KeyringSecrets("p")
    with pytest.raises(KeyringUnavailableError):
        sec.get(s.DB_KEY)
    with pytest.raises(KeyringUnavailableError):
        sec.set(s.DB_KEY, "00")
    with pytest.raises(KeyringUnavailableError):
        sec.delete(s.DB_KEY)
