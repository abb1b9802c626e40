"""Attachment content in the encrypted replica, and the attachment view of a complaint.

Blobs are keyed by SHA-256 and stored in chunks inside the SQLCipher database, so they are
protected at rest like everything else (security.md) and a profile stays one file. A server
name is display text only: files written out for opening get ``safe_filename`` names in a
private directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection

from lapor_desk.errors import InvalidInputError, LaporError, NotFoundError, ProtocolError
from lapor_desk.sync import protocol as p

if TYPE_CHECKING:
    from lapor_desk.models.store import Store

AttachmentStateName = Literal["remote", "partial", "local", "pending_upload"]
CHUNK_BYTES = p.UPLOAD_CHUNK_BYTES


class AttachmentTooLargeError(InvalidInputError):
    code = "too_large"
    message_id = (f"Berkas terlalu besar; batasnya {p.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB"
                  " per lampiran.")
    message_en = (f"The file is too large; the limit is "
                  f"{p.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB per attachment.")


class FileReadError(LaporError):
    code = "file_unreadable"
    exit_code = 2
    message_id = "Berkas tidak dapat dibaca."
    message_en = "The file cannot be read."


class AttachmentCorruptError(ProtocolError):
    code = "attachment_corrupt"
    message_id = ("Isi lampiran yang diterima tidak cocok dengan sidik SHA-256-nya; bagian yang "
                  "rusak dibuang. Unduh lagi.")
    message_en = ("The downloaded attachment does not match its SHA-256; the damaged bytes were "
                  "discarded. Download it again.")


class CancelledTransferError(LaporError):
    code = "cancelled"
    message_id = "Transfer dibatalkan; bagian yang sudah diterima disimpan."
    message_en = "The transfer was cancelled; what was received so far is kept."


class NotDownloadedError(NotFoundError):
    code = "not_downloaded"
    message_id = "Lampiran belum diunduh. Unduh dulu."
    message_en = "The attachment is not downloaded yet. Download it first."


@dataclass(frozen=True, slots=True)
class LocalAttachment:
    index: int  # 1-based position in the complaint's list
    id: str
    name: str  # display text only, never a path
    size: int
    sha256: str
    mime: str | None
    state: AttachmentStateName
    have: int  # bytes held locally


@dataclass(frozen=True, slots=True)
class TransferProgress:
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class BlobInfo:
    sha256: str
    size: int
    have: int
    complete: bool
    upload: str


# ---------------------------------------------------------------------------- safe names

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\\/:*?"<>|]')
MAX_NAME_BYTES = 150  # well under every file system's 255-byte limit, room for " (12)"


def safe_filename(name: str, fallback: str = "lampiran") -> str:
    """A file name from server display text that is safe on Windows, macOS and Linux.

    No directories (``../x``, ``C:\\x``), no control or bidi-override characters (U+202E makes
    ``gpj.exe`` look like ``exe.jpg``), no reserved device names (``CON``), no leading dots or
    trailing dots/spaces, at most ``MAX_NAME_BYTES`` UTF-8 bytes keeping the extension.
    """
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")
                   else ch for ch in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").rstrip(". ")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    ext = ext[:16]
    if stem.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    budget = MAX_NAME_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
    encoded = stem.encode("utf-8")[:budget]
    stem = encoded.decode("utf-8", errors="ignore").rstrip(". ")
    if not stem:
        stem = fallback
    return f"{stem}.{ext}" if ext else stem


def unique_path(directory: os.PathLike[str] | str, name: str) -> str:
    """``directory/name``, or ``name (2)`` etc. when taken (never overwrites a file)."""
    base = os.fspath(directory)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = os.path.join(base, name)
    n = 2
    while os.path.lexists(candidate):
        candidate = os.path.join(base, f"{stem} ({n}){'.' + ext if ext else ''}")
        n += 1
    return candidate


# ---------------------------------------------------------------------------- blob rows

def blob_info(conn: Connection, sha256: str) -> BlobInfo | None:
    row = conn.exec_driver_sql("SELECT sha256, size, have, complete, upload FROM blobs"
                               " WHERE sha256 = ?", (sha256,)).first()
    if row is None:
        return None
    return BlobInfo(str(row[0]), int(row[1]), int(row[2]), bool(row[3]), str(row[4]))


def put_whole(conn: Connection, sha256: str, data: bytes, *, upload: str) -> None:
    """Store a verified whole blob (a file added here); keeps an existing complete one."""
    info = blob_info(conn, sha256)
    if info is not None and info.complete and info.upload != "failed":
        if upload == "pending" and info.upload == "none":
            # Downloaded before: the server has it, the upload will dedupe at once.
            conn.exec_driver_sql("UPDATE blobs SET upload = 'pending' WHERE sha256 = ?",
                                 (sha256,))
        return
    conn.exec_driver_sql("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
    conn.exec_driver_sql("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
    conn.exec_driver_sql(
        "INSERT INTO blobs (sha256, size, have, complete, upload, created_at)"
        " VALUES (?, ?, ?, 1, ?, ?)", (sha256, len(data), len(data), upload, int(time.time())))
    conn.exec_driver_sql(
        "INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
        [(sha256, i, data[i:i + CHUNK_BYTES]) for i in range(0, len(data), CHUNK_BYTES)])


def begin_download(store: Store, sha256: str, size: int) -> BlobInfo:
    with store.write() as conn:
        info = blob_info(conn, sha256)
        if info is not None and info.size != size:  # another size under one hash: start over
            conn.exec_driver_sql("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
            conn.exec_driver_sql("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
            info = None
        if info is None:
            conn.exec_driver_sql(
                "INSERT INTO blobs (sha256, size, have, complete, upload, created_at)"
                " VALUES (?, ?, 0, 0, 'none', ?)", (sha256, size, int(time.time())))
            info = BlobInfo(sha256, size, 0, False, "none")
        return info


def append_chunk(store: Store, sha256: str, offset: int, data: bytes) -> int:
    """Store downloaded bytes at ``offset`` (must be what we have); returns the new total."""
    with store.write() as conn:
        info = blob_info(conn, sha256)
        if info is None or info.have != offset or info.have + len(data) > info.size:
            raise ProtocolError("attachment bytes out of order")
        conn.exec_driver_sql("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
                             (sha256, offset, data))
        conn.exec_driver_sql("UPDATE blobs SET have = ? WHERE sha256 = ?",
                             (offset + len(data), sha256))
        return offset + len(data)


def iter_chunks(conn: Connection, sha256: str) -> Iterator[bytes]:
    pos = -1
    while True:
        rows = conn.exec_driver_sql(
            "SELECT pos, data FROM blob_chunks WHERE sha256 = ? AND pos > ? ORDER BY pos"
            " LIMIT 4", (sha256, pos)).all()
        if not rows:
            return
        for r in rows:
            pos = int(r[0])
            yield bytes(r[1])


def read_range(conn: Connection, sha256: str, start: int, length: int) -> bytes:
    end = start + length
    rows = conn.exec_driver_sql(
        "SELECT pos, data FROM blob_chunks WHERE sha256 = ? AND pos < ? AND pos + length(data) > ?"
        " ORDER BY pos", (sha256, end, start)).all()
    out = bytearray()
    for pos, data in rows:
        lo = max(0, start - int(pos))
        out += bytes(data)[lo:end - int(pos)]
    return bytes(out)


def finish_download(store: Store, sha256: str) -> None:
    """Mark a fully received blob complete after its SHA-256 matched; a mismatch discards it."""
    with store.write() as conn:
        info = blob_info(conn, sha256)
        if info is None or info.have != info.size:
            raise ProtocolError("attachment incomplete")
        digest = hashlib.sha256()
        for chunk in iter_chunks(conn, sha256):
            digest.update(chunk)
        if digest.hexdigest() == sha256:
            conn.exec_driver_sql("UPDATE blobs SET complete = 1 WHERE sha256 = ?", (sha256,))
            return
    with store.write() as conn:
        conn.exec_driver_sql("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
        conn.exec_driver_sql("UPDATE blobs SET have = 0 WHERE sha256 = ?", (sha256,))
    raise AttachmentCorruptError(sha256[:12])


def set_upload(store: Store, sha256: str, state: str) -> None:
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE blobs SET upload = ? WHERE sha256 = ?", (state, sha256))


def pending_uploads(store: Store) -> list[BlobInfo]:
    """Blobs added here whose commands are still open, in outbox order."""
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT payload FROM outbox WHERE kind = ? AND state IN ('pending', 'sending')"
            " ORDER BY seq", (p.CMD_ADD_ATTACHMENT,)).all()
        out: list[BlobInfo] = []
        seen: set[str] = set()
        for (payload,) in rows:
            sha = str(json.loads(payload).get("sha256", ""))
            info = blob_info(conn, sha)
            if sha not in seen and info is not None and info.upload == "pending":
                seen.add(sha)
                out.append(info)
        return out


def held_shas(conn: Connection) -> set[str]:
    """Hashes whose add_attachment commands must wait (the upload is not done yet)."""
    return {str(r[0]) for r in conn.exec_driver_sql(
        "SELECT sha256 FROM blobs WHERE upload = 'pending'")}


def read_file_checked(path: os.PathLike[str] | str) -> bytes:
    """A regular file's bytes, refusing anything over the limit before reading it all."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise InvalidInputError("not a file", message_id="Itu bukan berkas biasa.",
                                        message_en="That is not a regular file.")
            if st.st_size > p.MAX_ATTACHMENT_BYTES:
                raise AttachmentTooLargeError(f"{st.st_size} bytes")
            data = fh.read(p.MAX_ATTACHMENT_BYTES + 1)  # the file may grow meanwhile
    except FileNotFoundError:
        raise FileReadError(message_id="Berkas tidak ditemukan.",
                            message_en="The file was not found.") from None
    except IsADirectoryError:
        raise InvalidInputError("directory", message_id="Itu folder, bukan berkas.",
                                message_en="That is a folder, not a file.") from None
    except OSError as exc:
        raise FileReadError(type(exc).__name__) from None
    if len(data) > p.MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLargeError(f"{len(data)}+ bytes")
    if not data:
        raise InvalidInputError("empty file", message_id="Berkas kosong.",
                                message_en="The file is empty.")
    return data


def list_attachments(conn: Connection, complaint_id: str, rid: int) -> list[LocalAttachment]:
    """Synced attachments (server order), then this computer's pending ones."""
    out: list[LocalAttachment] = []
    rows = conn.exec_driver_sql(
        "SELECT a.id, a.name, a.size, a.sha256, a.mime, b.have, b.complete, b.upload"
        " FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256"
        " WHERE a.complaint_rid = ? ORDER BY a.position", (rid,)).all()
    ids = set()
    for aid, name, size, sha, mime, have, complete, _upload in rows:
        ids.add(str(aid))
        state: AttachmentStateName
        if complete and have == size:
            state, held = "local", int(size)
        elif have:
            state, held = "partial", int(have)
        else:
            state, held = "remote", 0
        out.append(LocalAttachment(len(out) + 1, str(aid), str(name), int(size), str(sha),
                                   mime, state, held))
    for (payload,) in conn.exec_driver_sql(
            "SELECT payload FROM outbox WHERE kind = ? AND complaint_id = ?"
            " AND state IN ('pending', 'sending') ORDER BY seq",
            (p.CMD_ADD_ATTACHMENT, complaint_id)).all():
        d = json.loads(payload)
        if d.get("attachment_id") in ids:
            continue  # already back in the pull stream
        out.append(LocalAttachment(len(out) + 1, str(d["attachment_id"]), str(d["name"]),
                                   int(d["size"]), str(d["sha256"]), d.get("mime"),
                                   "pending_upload", int(d["size"])))
    return out


def pick(items: list[LocalAttachment], which: int | str) -> LocalAttachment:
    """By 1-based index or by attachment id."""
    for item in items:
        if (isinstance(which, int) and item.index == which) or (
                isinstance(which, str) and item.id == which.strip().lower()):
            return item
    raise NotFoundError(str(which)[:64], message_id="Lampiran tidak ditemukan.",
                        message_en="Attachment not found.")
