"""The wiring of one profile: settings, secrets, the encrypted store, transport, auth and sync.

The CLI and the UI both talk to a ``DeskContext``; nothing here imports Qt. Methods may be
called from a worker thread (one at a time per kind of work); lazy members are created under a
lock.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from lapor_desk.errors import (
    AuthError,
    DiskFullError,
    InvalidInputError,
    LaporError,
    NotLoggedInError,
    ProtocolError,
    VaultError,
)
from lapor_desk.models.blobs import LocalAttachment, TransferProgress, safe_filename
from lapor_desk.models.records import SyncStatus
from lapor_desk.secrets import (
    REFRESH_TOKEN,
    VAULT_FILE,
    KeyringSecrets,
    MemorySecrets,
    PassphraseSecrets,
    SecretStore,
    get_or_create_db_key,
    get_refresh_token,
)
from lapor_desk.settings import ProfileDir, Settings
from lapor_desk.sync import protocol as p
from lapor_desk.sync.auth import AuthSession
from lapor_desk.sync.auth import login as auth_login
from lapor_desk.sync.engine import SyncEngine, SyncProgress, SyncReport
from lapor_desk.sync.transport import Transport, check_base_url
from lapor_desk.sync.validate import parse_health

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.rules import DeadlineRules
    from lapor_desk.models.store import Store
    from lapor_desk.models.workdays import WorkCalendar
    from lapor_hub.embedded import EmbeddedHub

log = logging.getLogger(__name__)

DEMO_USERNAME = "officer"
DEMO_PASSWORD = "demo-lapor-2026"  # noqa: S105 - the published password of synthetic demo data


class OtherAccountError(LaporError):
    """A login as another account on a profile that still holds that account's unsent work."""

    code = "other_account"
    exit_code = 6

    def __init__(self, pending: int) -> None:
        super().__init__(
            message_id=(f"Profil ini masih menyimpan {pending} perubahan yang belum terkirim milik "
                        "akun lain. Masuk dengan akun itu dan sinkronkan dulu, atau gunakan profil "
                        "lain (--home). Tidak ada data yang dihapus."),
            message_en=(f"This profile still holds {pending} unsent change(s) of another account. "
                        "Sign in with that account and sync first, or use another profile "
                        "(--home). Nothing was deleted."),
        )


@dataclass(frozen=True, slots=True)
class LogoutInfo:
    pending: int  # unsent changes that stay in the replica (warn the user)
    server_confirmed: bool  # the server revoked the refresh token


class DeskContext:
    def __init__(self, profile: ProfileDir, settings: Settings, secrets: SecretStore, *,
                 transport_options: Mapping[str, Any] | None = None) -> None:
        """``transport_options``: extra ``Transport`` keywords (timeouts, retries; tests, bench)."""
        self.profile = profile
        self.settings = settings
        self.secrets = secrets
        self.transport_options: dict[str, Any] = dict(transport_options or {})
        self.last_login_reset = False  # the previous login rebuilt the synced layer
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._transport: Transport | None = None
        self._auth: AuthSession | None = None
        self._engine: SyncEngine | None = None
        self._exports: Path | None = None  # private dir of attachment files opened

    @classmethod
    def for_home(cls, home: Path, *, secrets: SecretStore | None = None,
                 transport_options: Mapping[str, Any] | None = None) -> DeskContext:
        profile = ProfileDir(home)
        settings = profile.load()
        if not profile.settings_path.exists():
            # The profile id names the keyring entries: it must be stable from the first use.
            profile.save(settings)
        if secrets is None:
            # The profile says where its secrets are: a missing vault.json is an error at
            # unlock, never a silent switch to the keyring or to no encryption.
            if settings.key_store == "passphrase":
                secrets = PassphraseSecrets(profile.home / VAULT_FILE, settings.profile_id)
            else:
                secrets = KeyringSecrets(settings.profile_id)
        return cls(profile, settings, secrets, transport_options=transport_options)

    def for_account(self, server_url: str, username: str) -> DeskContext:
        """The context to sign ``username`` in with: this one when the profile is unused or
        already that account's, else the account's own profile beside it (created on first
        use with the server and account filled in, so a retry finds it again)."""
        from lapor_desk.settings import account_home

        try:
            url = check_base_url(server_url)
        except LaporError:
            return self  # login reports the bad address
        username = username.strip()
        if not username:
            return self
        home = account_home(self.profile.home, url, username)
        if home == self.profile.home:
            return self
        other = DeskContext.for_home(home, transport_options=self.transport_options)
        if other.settings.username is None:
            other.settings.server_url = url
            other.settings.username = username
            other.settings.language = self.settings.language
            other.save_settings()
        log.info("signing in on the account's own profile %s", home.name)
        return other

    # ---------------------------------------------------------------- members

    @property
    def language(self) -> str:
        return self.settings.language

    def save_settings(self) -> None:
        self.profile.save(self.settings)

    # ---------------------------------------------------------------- passphrase profiles

    @property
    def uses_passphrase(self) -> bool:
        return isinstance(self.secrets, PassphraseSecrets)

    @property
    def needs_passphrase(self) -> bool:
        """A passphrase profile that is locked: ``unlock`` before anything else."""
        return isinstance(self.secrets, PassphraseSecrets) and self.secrets.locked

    def unlock(self, passphrase: str) -> None:
        """Open a passphrase profile's vault (slow on purpose: scrypt)."""
        if isinstance(self.secrets, PassphraseSecrets):
            self.secrets.unlock(passphrase)

    def protect_with_passphrase(self, passphrase: str, confirm: str | None = None) -> None:
        """Keep this profile's secrets in a vault sealed by ``passphrase`` (no OS keyring).

        Only for a profile that holds no data yet: an existing database's key is in the
        keyring, and moving it is not something to do silently.
        """
        if isinstance(self.secrets, PassphraseSecrets):
            return
        if self.profile.db_path.exists():
            raise VaultError(
                "profile has data",
                message_id="Profil ini sudah berisi data yang kuncinya ada di keyring; frasa "
                           "sandi hanya dapat dipilih untuk profil baru (--home lain).",
                message_en="This profile already holds data whose key is in the keyring; a "
                           "passphrase can only be chosen for a new profile (another --home).")
        self.profile.ensure()
        vault = PassphraseSecrets.create(self.profile.home / VAULT_FILE,
                                         self.settings.profile_id, passphrase, confirm=confirm)
        with self._lock:
            self.secrets = vault
            self.settings.key_store = "passphrase"
            self.save_settings()
            self._auth = None
        log.info("profile protected by a passphrase (no keyring)")

    def change_passphrase(self, old: str, new: str, confirm: str | None = None) -> None:
        if not isinstance(self.secrets, PassphraseSecrets):
            raise VaultError(
                "keyring profile",
                message_id="Profil ini memakai keyring sistem, bukan frasa sandi.",
                message_en="This profile uses the system keyring, not a passphrase.")
        self.secrets.change_passphrase(old, new, confirm=confirm)
        log.info("passphrase changed")

    def remember_unlock(self, password: str) -> None:
        """After the window signed in with ``password``: keep a verifier of it (not the
        password) so the idle lock opens offline. Passphrase profiles unlock with the
        passphrase instead."""
        from lapor_desk.secrets import set_unlock_verifier

        if not self.uses_passphrase and self.settings.username:
            set_unlock_verifier(self.secrets, self.settings.username, password)

    def unlock_offline(self, password: str) -> bool:
        """Check ``password`` against the stored verifier (the server cannot be reached).

        False when there is no verifier to check against; raises ``AuthError`` when it is
        wrong."""
        from lapor_desk.secrets import check_unlock_verifier

        ok = check_unlock_verifier(self.secrets, self.settings.username or "", password)
        if ok is None:
            return False
        if not ok:
            raise AuthError()
        log.info("unlocked offline with the stored verifier")
        return True

    def lock(self) -> None:
        """Idle lock: close the database and forget the vault's key (if any)."""
        self.remove_exports()
        self.close_store()
        if isinstance(self.secrets, PassphraseSecrets):
            with self._lock:
                self._engine = None
                self._auth = None
            self.secrets.lock()

    def open_store(self) -> Store:
        from lapor_desk.models.store import Store

        with self._lock:
            if self._store is None:
                self.profile.ensure()
                key = get_or_create_db_key(self.secrets, db_exists=self.profile.db_path.exists())
                self._store = Store.open(self.profile.db_path, key)
            return self._store

    def close_store(self) -> None:
        """Close the database (idle lock); the next ``open_store`` reopens it."""
        with self._lock:
            self._engine = None
            if self._store is not None:
                self._store.close()
                self._store = None

    def rules(self) -> DeadlineRules:
        """The agency's deadline rules as last synced (the defaults before the first sync)."""
        return self.open_store().rules()

    def calendar(self) -> WorkCalendar:
        """The working-day calendar of the synced rules: offline countdowns match the server."""
        from lapor_desk.models.rules import shared_calendar

        return shared_calendar(self.rules())

    def outbox(self) -> Outbox:
        """Local actions as commands (drafts, submissions, reviews, notes); work offline."""
        from lapor_desk.models.outbox import Outbox

        return Outbox(self.open_store())

    def transport(self) -> Transport:
        with self._lock:
            if self._transport is None:
                if not self.settings.server_url:
                    raise NotLoggedInError()
                self._transport = self._new_transport(self.settings.server_url)
            return self._transport

    def auth_session(self) -> AuthSession:
        with self._lock:
            if self._auth is None:
                self._auth = AuthSession(self.transport(), self.secrets)
            return self._auth

    def engine(self) -> SyncEngine:
        with self._lock:
            if self._engine is None:
                scope = {self.settings.agency_id} if self.settings.agency_id else None
                self._engine = SyncEngine(self.open_store(), self.transport(),
                                          self.auth_session(),
                                          page_max_bytes=self.settings.page_max_bytes,
                                          page_grow_max_bytes=self.settings.page_grow_max_bytes,
                                          scope=scope, device_id=self.settings.device_id,
                                          **_sync_policy(self.settings))
                _load_verify_state(self.profile.home / VERIFY_STATE_FILE, self._engine)
            return self._engine

    def _new_transport(self, url: str) -> Transport:
        return Transport(url, ca_bundle=self.settings.ca_bundle, **self.transport_options)

    def relocate(self, server_url: str) -> None:
        """The same server moved to another address: keep the login and the replica."""
        url = check_base_url(server_url)
        self._drop_network()
        with self._lock:
            self.settings.server_url = url
            self.save_settings()

    def _drop_network(self) -> None:
        with self._lock:
            self._engine = None
            self._auth = None
            if self._transport is not None:
                self._transport.close()
                self._transport = None

    # ---------------------------------------------------------------- actions

    def login(self, server_url: str, username: str, password: str) -> p.UserInfo:
        """Sign in, keep the refresh token in the keyring and the identity in the settings.

        Signing in as another account (or on another server) on a profile with data rebuilds
        the synced layer when nothing unsent would be lost; with unsent work it is refused.
        """
        url = check_base_url(server_url)
        # Before asking the server: a profile with nowhere to keep the refresh token (no
        # keyring, or a locked vault) must fail here, not after the server issued tokens.
        self.secrets.get(REFRESH_TOKEN)
        transport = self._new_transport(url)
        try:
            health = parse_health(transport.get_json("/health"))
            if health["protocol"] != p.PROTOCOL_VERSION:
                raise ProtocolError(
                    f"server protocol {health['protocol']}",
                    message_id="Versi server tidak cocok dengan aplikasi ini. Perbarui aplikasi.",
                    message_en="The server's version does not match this app. Update the app.")
            tokens = auth_login(transport, username, password, self.settings.device_id,
                                device_name=platform.node() or None)
            user = tokens["user"]
            same = (self.settings.user_id in (None, user["id"])
                    and self.settings.server_url in (None, url))
            reset = False
            if not same and self.profile.db_path.exists():
                store = self.open_store()
                _, pending, _ = store.status_counts()
                if pending > 0:
                    _revoke_quietly(transport, tokens["refresh_token"])
                    raise OtherAccountError(pending)
                log.info("login as another account: rebuilding the synced layer")
                store.reset_synced()
                reset = True
        except BaseException:
            transport.close()
            raise
        self._drop_network()
        with self._lock:
            self.settings.server_url = url
            self.settings.username = user["username"]
            self.settings.user_id = user["id"]
            self.settings.display_name = user["display_name"]
            self.settings.role = user["role"]
            self.settings.agency_id = user["agency_id"]
            self.settings.agency_name = user["agency_name"]
            self.save_settings()
            self._transport = transport
            self._auth = AuthSession(transport, self.secrets)
            self._auth.adopt(tokens)
            self.last_login_reset = reset
        log.info("signed in (role %s, agency %s)", user["role"], user["agency_id"])
        return user

    def is_logged_in(self) -> bool:
        return bool(self.settings.server_url) and get_refresh_token(self.secrets) is not None

    def sync(self, progress: Callable[[SyncProgress], None] | None = None,
             cancel: threading.Event | None = None, *, verify: bool = False) -> SyncReport:
        """Push, pull and (when due, or with ``verify``) check the replica's checksums."""
        if not self.settings.server_url:
            raise NotLoggedInError()
        with self._lock:
            has_access = self._auth is not None and self._auth.user is not None
        if not has_access and get_refresh_token(self.secrets) is None:
            raise NotLoggedInError()
        engine = self.engine()
        try:
            return engine.sync(progress=progress, cancel=cancel, verify=verify)
        finally:
            _save_verify_state(self.profile.home / VERIFY_STATE_FILE, engine)

    def status(self) -> SyncStatus:
        if self._store is None and not self.profile.db_path.exists():
            return SyncStatus(complaints=0, pending=0, attention=0, last_sync=None,
                              server_url=self.settings.server_url,
                              username=self.settings.username)
        store = self.open_store()
        complaints, _, _ = store.status_counts()
        pending, attention = self.outbox().counts(role=self.settings.role)
        return SyncStatus(complaints=complaints, pending=pending, attention=attention,
                          last_sync=store.sync_state().last_sync_at,
                          server_url=self.settings.server_url, username=self.settings.username)

    # ---------------------------------------------------------------- attachments

    def _complaint_key(self, complaint_ref: str) -> tuple[str, int]:
        from lapor_desk.models.outbox import Outbox

        with self.open_store().read() as conn:
            cid, _, _, rid = Outbox._complaint(conn, complaint_ref)
        return cid, rid

    def attachments(self, complaint_ref: str) -> list[LocalAttachment]:
        """The complaint's attachments with their local state."""
        from lapor_desk.models.blobs import list_attachments

        cid, rid = self._complaint_key(complaint_ref)
        with self.open_store().read() as conn:
            return list_attachments(conn, cid, rid)

    def attach_file(self, complaint_ref: str, path: Path, *,
                    note: str | None = None) -> LocalAttachment:
        """Add a file as evidence, offline: kept encrypted here, uploaded by the next sync."""
        import mimetypes

        from lapor_desk.models.blobs import pick, read_file_checked

        data = read_file_checked(path)
        name = path.name or "lampiran"
        mime = mimetypes.guess_type(name)[0]
        _, attachment_id, _ = self.outbox().add_attachment(complaint_ref, data, name, mime,
                                                           note)
        return pick(self.attachments(complaint_ref), attachment_id)

    def download_attachment(self, complaint_ref: str, which: int | str, *,
                            progress: Callable[[TransferProgress], None] | None = None,
                            cancel: threading.Event | None = None) -> LocalAttachment:
        """Fetch one attachment into the replica (resumes; verified by SHA-256)."""
        from lapor_desk.models.blobs import pick
        from lapor_desk.sync.attachments import download_blob

        item = pick(self.attachments(complaint_ref), which)
        if item.state in ("local", "pending_upload"):
            return item
        if not self.settings.server_url:
            raise NotLoggedInError()
        download_blob(self.open_store(), self.transport(), self.auth_session(), item.id,
                      item.sha256, item.size, progress, cancel)
        return pick(self.attachments(complaint_ref), item.id)

    def _write_attachment(self, item: LocalAttachment, target: Path) -> Path:
        import os

        from lapor_desk.models.blobs import NotDownloadedError, iter_chunks, unique_path

        if item.state not in ("local", "pending_upload"):
            raise NotDownloadedError(item.name[:64])
        out = Path(unique_path(target, safe_filename(item.name)))
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh, self.open_store().read() as conn:
                for chunk in iter_chunks(conn, item.sha256):
                    fh.write(chunk)
        except OSError as exc:
            out.unlink(missing_ok=True)
            if exc.errno == 28:  # ENOSPC
                raise DiskFullError() from None
            raise LaporError(type(exc).__name__,
                             message_id="Berkas lampiran tidak dapat ditulis.",
                             message_en="The attachment file cannot be written.") from None
        return out

    def export_attachment(self, complaint_ref: str, which: int | str) -> Path:
        """Write the file for opening into a private (0700) temp dir; see remove_exports."""
        from lapor_desk.models.blobs import pick

        item = pick(self.attachments(complaint_ref), which)
        with self._lock:
            if self._exports is None or not self._exports.is_dir():
                self._exports = Path(tempfile.mkdtemp(prefix="lapor-lampiran-"))
            target = self._exports
        return self._write_attachment(item, target)

    def save_attachment(self, complaint_ref: str, which: int | str, dest_dir: Path) -> Path:
        """Copy the file into a folder of the user's choice under a safe, unused name."""
        from lapor_desk.models.blobs import pick

        if not dest_dir.is_dir():
            raise InvalidInputError(str(dest_dir)[:200], message_id="Folder tujuan tidak ada.",
                                    message_en="The destination folder does not exist.")
        return self._write_attachment(pick(self.attachments(complaint_ref), which), dest_dir)

    def remove_exports(self) -> None:
        """Delete the plaintext files written for opening (logout, close, idle lock)."""
        with self._lock:
            exports, self._exports = self._exports, None
        if exports is not None:
            shutil.rmtree(exports, ignore_errors=True)

    def logout(self) -> LogoutInfo:
        """Drop the tokens (server revocation is best effort). Never deletes data."""
        self.remove_exports()
        pending = self.status().pending
        confirmed = False
        if self.settings.server_url:
            confirmed = self.auth_session().logout()
        else:
            from lapor_desk.secrets import delete_refresh_token

            delete_refresh_token(self.secrets)
        from lapor_desk.secrets import delete_unlock_verifier

        delete_unlock_verifier(self.secrets)
        self._drop_network()
        if pending:
            log.warning("logged out with %d unsent change(s); they stay in the replica", pending)
        return LogoutInfo(pending=pending, server_confirmed=confirmed)

    def close(self) -> None:
        self.remove_exports()
        self._drop_network()
        self.close_store()
        if isinstance(self.secrets, PassphraseSecrets):
            self.secrets.lock()

    def __enter__(self) -> DeskContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


VERIFY_STATE_FILE = "verify-state.json"  # when the replica was last verified (no secrets)


def _load_verify_state(path: Path, engine: SyncEngine) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        syncs, at = int(data["syncs_since_verify"]), datetime.fromisoformat(data["last_verify_at"])
    except FileNotFoundError:
        return
    except (ValueError, TypeError, KeyError, OSError):
        log.warning("the verification schedule file is unreadable; starting it again")
        return
    if at.tzinfo is not None:
        engine.syncs_since_verify, engine.last_verify_at = max(0, syncs), at


def _save_verify_state(path: Path, engine: SyncEngine) -> None:
    """Best effort (a full disk must not turn a finished sync into a failure)."""
    data = {"syncs_since_verify": engine.syncs_since_verify,
            "last_verify_at": engine.last_verify_at.isoformat()}
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not save the verification schedule: %s", type(exc).__name__)


def _sync_policy(s: Settings) -> dict[str, Any]:
    """The engine's verify and watchdog settings (0 or less switches one off)."""
    return {"verify_every_syncs": s.verify_every_syncs if s.verify_every_syncs > 0 else None,
            "verify_every_minutes": (s.verify_every_minutes if s.verify_every_minutes > 0
                                     else None),
            "stall_seconds": s.sync_stall_seconds if s.sync_stall_seconds > 0 else None}


def _revoke_quietly(transport: Transport, refresh_token: str) -> None:
    try:
        transport.request("POST", "/auth/logout", body={"refresh_token": refresh_token},
                          retry=False)
    except Exception as exc:  # the refused login must still report its real reason
        log.info("could not revoke the refused login's token: %s", type(exc).__name__)


# ---------------------------------------------------------------- demo

class DemoSession:
    """An embedded, seeded ``lapor_hub`` plus a throw-away profile signed in as ``officer``.

    Synthetic data only, so the profile uses ``MemorySecrets`` (an ephemeral key). Everything
    lives under one temporary directory that ``close()`` removes.
    """

    def __init__(self, *, complaints: int = 2000, seed: int = 1) -> None:
        self.complaints = complaints
        self.seed = seed
        self.tmp: Path | None = None
        self.hub: EmbeddedHub | None = None
        self.ctx: DeskContext | None = None
        self.url: str | None = None

    def start(self, *, first_sync: bool = True) -> DemoSession:
        from lapor_hub.embedded import EmbeddedHub
        from lapor_hub.seed import seed

        self.tmp = Path(tempfile.mkdtemp(prefix="lapor-demo-"))
        try:
            db_url = f"sqlite:///{self.tmp / 'hub.db'}"
            seed(db_url, complaints=self.complaints, seed=self.seed)
            self.hub = EmbeddedHub(db_url, "127.0.0.1")
            self.url = self.hub.start()
            self.ctx = DeskContext.for_home(self.tmp / "profile", secrets=MemorySecrets())
            self.ctx.login(self.url, DEMO_USERNAME, DEMO_PASSWORD)
            if first_sync:
                self.ctx.sync()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None
        if self.hub is not None:
            self.hub.stop()
            self.hub = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> DemoSession:
        return self if self.ctx is not None else self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def start_demo(*, complaints: int = 2000, seed: int = 1) -> DemoSession:
    """Start the demo (seed, embedded server, login, first sync); ``close()`` cleans up."""
    return DemoSession(complaints=complaints, seed=seed).start()
