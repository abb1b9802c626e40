"""The one error taxonomy of LAPOR! Desk (core, CLI and UI share it).

Environment problems (offline, disk full, locked database, expired login, no keyring) are
``LaporError`` subclasses with a plain-language message in Bahasa Indonesia and English.
Anything else that escapes is a bug and is handled by the global exception hook.
Messages never contain secrets, reporter identity or complaint text.
"""

from __future__ import annotations


class LaporError(Exception):
    """Base for expected, user-facing problems. ``code`` is stable for scripts (CLI --json)."""

    code = "error"
    message_id = "Terjadi kesalahan."
    message_en = "Something went wrong."
    exit_code = 1

    def __init__(self, detail: str | None = None, *, message_id: str | None = None,
                 message_en: str | None = None) -> None:
        if message_id is not None:
            self.message_id = message_id
        if message_en is not None:
            self.message_en = message_en
        self.detail = detail
        super().__init__(self.message(lang="en"))

    def message(self, lang: str = "id") -> str:
        base = self.message_id if lang == "id" else self.message_en
        return f"{base} ({self.detail})" if self.detail else base


class OfflineError(LaporError):
    code = "offline"
    message_id = "Server tidak dapat dihubungi. Pekerjaan Anda tetap tersimpan di komputer ini."
    message_en = "The server cannot be reached. Your work stays saved on this computer."


class TimeoutError_(OfflineError):
    code = "timeout"
    message_id = "Koneksi terlalu lambat; permintaan dihentikan. Akan dicoba lagi."
    message_en = "The connection is too slow; the request was stopped. It will be retried."


class ServerError(LaporError):
    code = "server_error"
    message_id = "Server sedang bermasalah. Akan dicoba lagi nanti."
    message_en = "The server has a problem. It will be retried later."


class ProtocolError(LaporError):
    """The server sent something we refuse to store (malformed, oversized, out of scope)."""

    code = "protocol"
    message_id = "Server mengirim data yang tidak valid; data itu tidak disimpan."
    message_en = "The server sent invalid data; it was not stored."


class AuthError(LaporError):
    code = "auth"
    exit_code = 3
    message_id = "Nama pengguna atau kata sandi salah."
    message_en = "Wrong username or password."


class LoginExpiredError(AuthError):
    code = "login_expired"
    message_id = (
        "Sesi login berakhir. Silakan masuk lagi; pekerjaan "
        "yang belum terkirim tetap aman."
    )
    message_en = "Your login expired. Please sign in again; unsent work is kept."


class NotLoggedInError(AuthError):
    code = "not_logged_in"
    message_id = "Belum masuk. Jalankan 'lapor-desk login' terlebih dahulu."
    message_en = "Not signed in. Run 'lapor-desk login' first."


class PermissionDeniedError(LaporError):
    code = "forbidden"
    exit_code = 4
    message_id = "Anda tidak berwenang melakukan tindakan ini."
    message_en = "You are not allowed to do this."


class KeyringUnavailableError(LaporError):
    code = "no_keyring"
    message_id = (
        "Tidak ada layanan keyring sistem untuk menyimpan kunci basis data. Jalankan layanan "
        "keyring (mis. gnome-keyring), atau lindungi profil ini dengan frasa sandi "
        "('lapor-desk login --passphrase' atau pilihan di jendela masuk)."
    )
    message_en = (
        "No system keyring is available to hold the database key. Start a keyring service "
        "(e.g. gnome-keyring), or protect this profile with a passphrase "
        "('lapor-desk login --passphrase' or the option in the sign-in window)."
    )


class WrongPassphraseError(AuthError):
    code = "bad_passphrase"
    message_id = "Frasa sandi salah."
    message_en = "Wrong passphrase."


class VaultLockedError(LaporError):
    code = "locked"
    exit_code = 3
    message_id = "Profil terkunci. Masukkan frasa sandi untuk membukanya."
    message_en = "The profile is locked. Enter its passphrase to open it."


class VaultError(LaporError):
    code = "vault"
    message_id = "Berkas kunci profil tidak dapat dibaca; basis data tidak diubah."
    message_en = "The profile's key file cannot be read; the database was not changed."


class DatabaseKeyError(LaporError):
    code = "bad_key"
    message_id = (
        "Basis data lokal tidak dapat dibuka dengan kunci "
        "ini (kunci salah atau berkas rusak)."
    )
    message_en = "The local database cannot be opened with this key (wrong key or damaged file)."


class DatabaseLockedError(LaporError):
    code = "db_locked"
    message_id = "Basis data lokal sedang dipakai proses lain. Tutup jendela LAPOR! Desk yang lain."
    message_en = (
        "The local database is in use by another process. "
        "Close the other LAPOR! Desk window."
    )


class DiskFullError(LaporError):
    code = "disk_full"
    message_id = "Ruang disk penuh. Kosongkan ruang disk; tidak ada data yang hilang."
    message_en = "The disk is full. Free some space; no data was lost."


class NotFoundError(LaporError):
    code = "not_found"
    exit_code = 5
    message_id = "Data tidak ditemukan."
    message_en = "Not found."


class InvalidInputError(LaporError):
    code = "invalid_input"
    exit_code = 2
    message_id = "Masukan tidak valid."
    message_en = "Invalid input."


class SyncStalledError(OfflineError):
    """The watchdog stopped a sync that moved no data and applied nothing for too long."""

    code = "stalled"
    message_id = ("Sinkronisasi macet (tidak ada data yang masuk atau keluar) dan dihentikan. "
                  "Pekerjaan Anda tetap tersimpan; sinkronisasi dicoba lagi nanti.")
    message_en = ("The sync stalled (no data moved) and was stopped. Your work stays saved; "
                  "the sync is tried again later.")
