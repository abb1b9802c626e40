"""Settings: declared once, typed, versioned. One profile = one data directory.

A profile directory holds ``settings.json`` (this file's data; never a secret), the encrypted
replica ``replica.db`` and a ``logs/`` folder. Secrets (database key, refresh token) live in the
OS keyring under the profile's id (see ``lapor_desk.secrets``). Window state (geometry, splitters,
columns) is kept apart by the UI in ``ui-state.ini``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from lapor_desk.errors import InvalidInputError

SETTINGS_VERSION = 1
HOME_ENV = "LAPOR_DESK_HOME"


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    profile_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    device_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Server and identity (filled at login; the password is never stored anywhere).
    server_url: str | None = None
    username: str | None = None
    user_id: str | None = None
    display_name: str | None = None
    role: str | None = None
    agency_id: str | None = None
    agency_name: str | None = None
    ca_bundle: str | None = None  # custom CA bundle path; TLS verification is never switched off
    # Where the database key and refresh token live: "keyring" (the OS keyring) or
    # "passphrase" (vault.json, sealed with the unlock passphrase; for PCs with no keyring).
    key_store: str = "keyring"
    # Behaviour.
    language: str = "id"  # "id" | "en"
    sync_interval_minutes: int = 10
    idle_lock_minutes: int = 15
    notifications: bool = True
    page_max_bytes: int = 256 * 1024
    # On a fast link pages grow (about a second each) up to this; 0 keeps them fixed.
    page_grow_max_bytes: int = 1024 * 1024
    # Sync triggers (lapor_desk.sync.scheduler): a sync this long after the last local edit.
    sync_edit_delay_seconds: float = 5.0
    # The watchdog stops a sync that moved no data and applied nothing for this long.
    sync_stall_seconds: float = 90.0
    # Verify the replica against the server's checksums (repairing what differs) after a pull
    # that reached the head, once this many syncs or minutes passed since the last time
    # (0 disables that trigger; ``lapor-desk sync --verify`` verifies on demand).
    verify_every_syncs: int = 20
    verify_every_minutes: int = 60

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        data = _upgrade(dict(data))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Versioned upgrades of older settings files go here (none yet)."""
    data["version"] = SETTINGS_VERSION
    return data


def resolve_home(cli_home: str | os.PathLike[str] | None = None) -> Path:
    """--home beats LAPOR_DESK_HOME beats the platform's user data directory."""
    if cli_home:
        return Path(cli_home).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("lapor-desk", appauthor=False)) / "default"


class ProfileDir:
    """Paths of one profile's data directory and its settings file."""

    def __init__(self, home: Path) -> None:
        self.home = home

    @property
    def settings_path(self) -> Path:
        return self.home / "settings.json"

    @property
    def db_path(self) -> Path:
        return self.home / "replica.db"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def attachments_dir(self) -> Path:
        return self.home / "attachments"

    def ensure(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)

    def load(self) -> Settings:
        try:
            raw = self.settings_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return Settings.from_dict(data)
        except (ValueError, TypeError) as exc:
            raise InvalidInputError(
                str(self.settings_path),
                message_id="Berkas pengaturan rusak.",
                message_en="The settings file is damaged.",
            ) from exc

    def save(self, settings: Settings) -> None:
        """Atomic write: a crash leaves either the old or the new file, never half of one."""
        self.ensure()
        fd, tmp = tempfile.mkstemp(dir=self.home, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(asdict(settings), fh, indent=2, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.settings_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _account_of(home: Path) -> tuple[str | None, str | None] | None:
    """(server_url, username) of the profile at ``home``; None when it is no readable profile."""
    try:
        settings = ProfileDir(home).load()
    except (OSError, InvalidInputError):
        return None
    return settings.server_url, settings.username


def account_home(home: Path, server_url: str, username: str) -> Path:
    """The profile directory for an account on a shared PC.

    The profile at ``home`` when it is still unused or already that account's; otherwise the
    account's own profile beside it (found by its settings, else a new directory named after
    the account). Each account so keeps its own encrypted database and keyring entries, and
    signing in as someone else never touches another account's unsent work.
    """
    wanted = (server_url, username.casefold())

    def belongs(account: tuple[str | None, str | None] | None) -> bool:
        return account is not None and account[1] is not None \
            and (account[0], account[1].casefold()) == wanted

    own = _account_of(home)
    if own is None or own[1] is None or belongs(own):
        return home
    parent = home.parent
    try:
        siblings = sorted(d for d in parent.iterdir() if d.is_dir() and d != home)
    except OSError:
        siblings = []
    for candidate in siblings:
        if (candidate / "settings.json").is_file() and belongs(_account_of(candidate)):
            return candidate
    base = re.sub(r"[^a-z0-9._-]+", "-", username.casefold()).strip(".-")[:40] or "akun"
    for n in range(1, 1000):
        candidate = parent / (base if n == 1 else f"{base}-{n}")
        if not candidate.exists():
            return candidate
    raise InvalidInputError(username[:40], message_id="Tidak ada nama profil yang tersedia.",
                            message_en="No profile name is available.")
