"""Secrets of one profile: the database key and the refresh token, kept in the OS keyring.

Keyring entries live under the service ``lapor-desk`` with usernames ``db-key:<profile_id>``
and ``refresh-token:<profile_id>``. There is never a silent fallback: when no usable keyring
exists, ``KeyringUnavailableError`` tells the user what to do. ``MemorySecrets`` is for the
demo profile only (ephemeral, never written anywhere).
"""

from __future__ import annotations

import secrets as _random
from collections.abc import Callable
from typing import Protocol, TypeVar

import keyring
import keyring.backends.fail
import keyring.backends.null
from keyring.errors import KeyringError, PasswordDeleteError

from lapor_desk.errors import DatabaseKeyError, KeyringUnavailableError

SERVICE = "lapor-desk"
DB_KEY = "db-key"
REFRESH_TOKEN = "refresh-token"  # noqa: S105 - an entry name, not a secret
DB_KEY_BYTES = 32

T = TypeVar("T")

# Modules whose exceptions mean "the Secret Service / D-Bus is not reachable".
_DBUS_MODULES = ("jeepney", "secretstorage", "dbus")


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, KeyringError | OSError):
        return True
    return type(exc).__module__.split(".")[0] in _DBUS_MODULES


class KeyringSecrets:
    """Secrets of one profile in the OS keyring (service ``lapor-desk``)."""

    def __init__(self, profile_id: str) -> None:
        self.profile_id = profile_id

    def _username(self, name: str) -> str:
        return f"{name}:{self.profile_id}"

    @staticmethod
    def _call(fn: Callable[[], T]) -> T:
        """Run a keyring call; any sign that no keyring service is usable becomes
        ``KeyringUnavailableError`` (the detail names only the exception type: backend messages
        are not ours to show)."""
        try:
            backend = keyring.get_keyring()
            if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
                raise KeyringUnavailableError(type(backend).__module__)
            return fn()
        except KeyringUnavailableError:
            raise
        except PasswordDeleteError:
            raise
        except Exception as exc:
            if _unavailable(exc):
                raise KeyringUnavailableError(type(exc).__name__) from None
            raise

    def get(self, name: str) -> str | None:
        value = self._call(lambda: keyring.get_password(SERVICE, self._username(name)))
        return None if value is None else str(value)

    def set(self, name: str, value: str) -> None:
        self._call(lambda: keyring.set_password(SERVICE, self._username(name), value))

    def delete(self, name: str) -> None:
        try:
            self._call(lambda: keyring.delete_password(SERVICE, self._username(name)))
        except PasswordDeleteError:
            return  # already absent


class MemorySecrets:
    """Ephemeral secrets for the demo profile: gone when the process ends."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._data.get(name)

    def set(self, name: str, value: str) -> None:
        self._data[name] = value

    def delete(self, name: str) -> None:
        self._data.pop(name, None)


def get_or_create_db_key(secrets: SecretStore, *, db_exists: bool) -> bytes:
    """The profile's 32-byte database key; created only when no database exists yet.

    A database without its key is never replaced or deleted: that would destroy unsent work.
    """
    stored = secrets.get(DB_KEY)
    if stored is not None:
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            key = b""
        if len(key) != DB_KEY_BYTES:
            raise DatabaseKeyError("the stored database key is malformed")
        return key
    if db_exists:
        raise DatabaseKeyError(
            "the database key is missing from the keyring",
            message_id="Kunci basis data lokal tidak ada di keyring; berkas basis data tidak "
                       "diubah. Pulihkan keyring atau hubungi administrator.",
            message_en="The local database key is missing from the keyring; the database file "
                       "was not changed. Restore the keyring or contact an administrator.",
        )
    key = _random.token_bytes(DB_KEY_BYTES)
    secrets.set(DB_KEY, key.hex())
    return key


def get_refresh_token(secrets: SecretStore) -> str | None:
    return secrets.get(REFRESH_TOKEN)


def set_refresh_token(secrets: SecretStore, token: str) -> None:
    secrets.set(REFRESH_TOKEN, token)


def delete_refresh_token(secrets: SecretStore) -> None:
    secrets.delete(REFRESH_TOKEN)
