"""Secrets of one profile: the database key and the refresh token.

They live in the OS keyring under the service ``lapor-desk`` with usernames
``db-key:<profile_id>`` and ``refresh-token:<profile_id>``. Where no keyring exists the user
chooses, explicitly, an unlock passphrase instead (``PassphraseSecrets``): the same entries are
sealed with AES-256-GCM under a key derived from the passphrase by scrypt, in the profile's
``vault.json``. There is never a silent fallback: without a keyring and without a chosen
passphrase, ``KeyringUnavailableError`` tells the user what to do, and nothing is ever written
in plain text. ``MemorySecrets`` is for the demo profile only (ephemeral, never written).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets as _random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import keyring
import keyring.backends.fail
import keyring.backends.null
from keyring.errors import KeyringError, PasswordDeleteError

from lapor_desk.errors import (
    DatabaseKeyError,
    InvalidInputError,
    KeyringUnavailableError,
    VaultError,
    VaultLockedError,
    WrongPassphraseError,
)

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


VAULT_FILE = "vault.json"
VAULT_FORMAT = "lapor-desk-vault"
VAULT_VERSION = 1
# scrypt at 2^17 x 8 x 1 needs 128 MiB and about half a second here: slow for a guesser,
# bearable once per unlock (OWASP's minimum for scrypt is 2^17 with r=8, p=1).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE_CHARS = 10  # NIST 800-63B asks for at least 8; a passphrase should be longer


def check_new_passphrase(passphrase: str, *, confirm: str | None = None) -> None:
    """Refuse a passphrase too weak to seal the database key (or one typed differently twice)."""
    if confirm is not None and passphrase != confirm:
        raise InvalidInputError(
            message_id="Kedua frasa sandi tidak sama.",
            message_en="The two passphrases do not match.")
    if len(passphrase) < MIN_PASSPHRASE_CHARS or len(set(passphrase)) < 4:
        raise InvalidInputError(
            message_id=f"Frasa sandi terlalu lemah: minimal {MIN_PASSPHRASE_CHARS} karakter, "
                       "tidak berulang. Gunakan beberapa kata.",
            message_en=f"The passphrase is too weak: at least {MIN_PASSPHRASE_CHARS} characters, "
                       "not repeated. Use several words.")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * 1024 * 1024, dklen=32)


class PassphraseSecrets:
    """Secrets of one profile sealed with an unlock passphrase, for a PC with no OS keyring.

    ``vault.json`` holds the scrypt parameters, a salt, a nonce and the AES-256-GCM ciphertext of
    the entries (the profile id is the associated data, so a vault cannot be swapped between
    profiles unnoticed). The database key inside is random, as with the keyring: changing the
    passphrase re-seals the vault and never re-encrypts the database. Locked until ``unlock``;
    ``lock`` forgets the derived key and the entries.
    """

    def __init__(self, path: Path, profile_id: str) -> None:
        self.path = path
        self.profile_id = profile_id
        self._kek: bytes | None = None
        self._salt = b""
        self._entries: dict[str, str] | None = None

    @classmethod
    def create(cls, path: Path, profile_id: str, passphrase: str, *,
               confirm: str | None = None) -> PassphraseSecrets:
        """A new, empty, unlocked vault; an existing vault is never overwritten."""
        check_new_passphrase(passphrase, confirm=confirm)
        if path.exists():
            raise VaultError("vault exists",
                             message_id="Profil ini sudah dilindungi frasa sandi.",
                             message_en="This profile is already protected by a passphrase.")
        vault = cls(path, profile_id)
        vault._seal_with(passphrase, {})
        return vault

    @property
    def locked(self) -> bool:
        return self._entries is None

    def _aad(self) -> bytes:
        return f"{VAULT_FORMAT}:{VAULT_VERSION}:{self.profile_id}".encode()

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise VaultError("vault missing",
                             message_id="Berkas kunci profil (vault.json) tidak ada; basis data "
                                        "tidak diubah. Pulihkan berkas itu dari cadangan.",
                             message_en="The profile's key file (vault.json) is missing; the "
                                        "database was not changed. Restore it from a backup."
                             ) from None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != VAULT_FORMAT:
                raise ValueError("not a vault")
            if data.get("version") != VAULT_VERSION or data.get("kdf") != "scrypt":
                raise ValueError("unknown vault version")
            n, r, p = data["n"], data["r"], data["p"]
            # A damaged or hostile file must not make us allocate gigabytes.
            if not (isinstance(n, int) and 2**14 <= n <= 2**20 and n & (n - 1) == 0
                    and isinstance(r, int) and 1 <= r <= 16
                    and isinstance(p, int) and 1 <= p <= 4):
                raise ValueError("kdf parameters out of range")
            for key in ("salt", "nonce", "ciphertext"):
                data[key] = _unb64(data[key])
            return data
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultError(type(exc).__name__,
                             message_id="Berkas kunci profil (vault.json) rusak; basis data "
                                        "tidak diubah. Pulihkan berkas itu dari cadangan.",
                             message_en="The profile's key file (vault.json) is damaged; the "
                                        "database was not changed. Restore it from a backup."
                             ) from None

    def unlock(self, passphrase: str) -> None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = self._read()
        kek = _derive(passphrase, data["salt"], data["n"], data["r"], data["p"])
        try:
            plain = AESGCM(kek).decrypt(data["nonce"], data["ciphertext"], self._aad())
        except InvalidTag:
            raise WrongPassphraseError() from None
        entries = json.loads(plain)
        if not isinstance(entries, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
            raise VaultError("entries")
        self._kek, self._salt, self._entries = kek, data["salt"], entries

    def lock(self) -> None:
        self._kek, self._entries = None, None

    def change_passphrase(self, old: str, new: str, *, confirm: str | None = None) -> None:
        """Re-seal the same entries under ``new`` (a fresh salt); ``old`` must unlock it."""
        check_new_passphrase(new, confirm=confirm)
        self.unlock(old)
        assert self._entries is not None
        self._seal_with(new, dict(self._entries))

    def _unlocked(self) -> dict[str, str]:
        if self._entries is None:
            raise VaultLockedError()
        return self._entries

    def get(self, name: str) -> str | None:
        return self._unlocked().get(name)

    def set(self, name: str, value: str) -> None:
        entries = dict(self._unlocked())
        entries[name] = value
        self._write(entries)

    def delete(self, name: str) -> None:
        entries = dict(self._unlocked())
        if entries.pop(name, None) is not None:
            self._write(entries)

    def _seal_with(self, passphrase: str, entries: dict[str, str]) -> None:
        salt = _random.token_bytes(16)
        self._kek = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        self._salt = salt
        self._write(entries)

    def _write(self, entries: dict[str, str]) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        assert self._kek is not None
        nonce = _random.token_bytes(12)  # random 96-bit nonce: a handful of writes per key
        sealed = AESGCM(self._kek).encrypt(nonce, json.dumps(entries).encode("utf-8"),
                                           self._aad())
        doc = {"format": VAULT_FORMAT, "version": VAULT_VERSION, "kdf": "scrypt",
               "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(self._salt),
               "nonce": _b64(nonce), "ciphertext": _b64(sealed)}
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Atomic and durable: a crash leaves the old vault or the new one, never neither.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".vault-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        try:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return  # not every platform can open a directory (Windows)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._entries = entries


UNLOCK_VERIFIER = "unlock-verifier"
# The idle lock's offline check: scrypt at 2^16 x 8 (64 MiB, about a quarter second). Only the
# window stores one, after the user typed the password there; the CLI has no idle lock.
VERIFIER_N = 2**16


def set_unlock_verifier(secrets: SecretStore, username: str, password: str) -> None:
    """Keep a salted scrypt verifier of the password (never the password) so that the idle
    lock can be opened while the server cannot be reached (NIST 800-63B verifier storage)."""
    salt = _random.token_bytes(16)
    digest = _derive(password, salt, VERIFIER_N, 8, 1)
    secrets.set(UNLOCK_VERIFIER, json.dumps(
        {"u": username, "n": VERIFIER_N, "r": 8, "p": 1, "s": _b64(salt), "h": _b64(digest)}))


def check_unlock_verifier(secrets: SecretStore, username: str, password: str) -> bool | None:
    """True/False when a verifier for ``username`` exists; None when there is none to use."""
    import hmac

    raw = secrets.get(UNLOCK_VERIFIER)
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
        n, r, p = doc["n"], doc["r"], doc["p"]
        if not (isinstance(n, int) and 2**14 <= n <= 2**20 and n & (n - 1) == 0
                and r == 8 and p == 1):
            return None
        salt, digest = _unb64(doc["s"]), _unb64(doc["h"])
    except (ValueError, KeyError, TypeError):
        return None  # damaged: the server decides, as without a verifier
    if doc.get("u") != username:
        return None
    return hmac.compare_digest(_derive(password, salt, n, r, p), digest)


def delete_unlock_verifier(secrets: SecretStore) -> None:
    secrets.delete(UNLOCK_VERIFIER)


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
