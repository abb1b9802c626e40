"""The outbox: every local action is a command, written in ONE transaction with its effect.

* A command has a client-made ``op_id`` (UUID, the idempotency key), a gap-free per-device
  ``seq`` and the server versions it was based on (complaint version, response version, the hash
  of the text, the newest reporter comment seen). ``seq`` is allocated inside the same
  ``BEGIN IMMEDIATE`` transaction as the local effect (``max(seq) + 1``; rows are never deleted,
  so the numbers stay gap-free across restarts).
* Saving a draft whose last command is a ``response.save`` not yet sent replaces that command's
  text in place (coalescing) instead of appending a new one; no seq is used up.
* ``record_outcomes`` is idempotent. A command never disappears: applied/merged ones are marked,
  conflicts and rejections stay visible with their reason until a person parks them, and a
  ``retry`` outcome leaves the command pending.
* Drafts of complaints that left the scope or were closed become ``orphaned``; the text is kept.

The store is passed in; nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from lapor_desk.errors import InvalidInputError, NotFoundError
from lapor_desk.models.domain import TERMINAL_STATUSES
from lapor_desk.models.store import from_us, to_us
from lapor_desk.sync import protocol as p

if TYPE_CHECKING:
    from lapor_desk.models.store import Store

__all__ = ["AttentionItem", "ConflictTexts", "Draft", "Outbox", "OutboxEntry", "RecordCounts",
           "ReviewItem", "text_sha256"]

log = logging.getLogger(__name__)

MAX_DRAFT_CHARS = p.MAX_BODY_CHARS
MAX_NOTE_CHARS = 20_000
TRIAGE_FIELDS = ("category_id", "priority", "tags", "assignee_id")
PRIORITIES = ("rendah", "normal", "tinggi", "mendesak")
_OPEN = ("pending", "sending")
_PROBLEM = ("conflict", "rejected")
_EDITABLE = ("draft", "returned", "submitted")


def text_sha256(text: str) -> str:
    """The hash that binds a submission or an approval to an exact text (UTF-8, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dt(us: int) -> datetime:
    return from_us(us)


def _opt_dt(us: int | None) -> datetime | None:
    return None if us is None else from_us(us)


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Draft:
    id: str  # also the response id on the server
    complaint_id: str
    body: str
    state: str  # draft | submitted | approved | returned | orphaned
    base_version: int | None  # complaint version the author saw
    response_version: int  # server version once the queued commands are applied (0: new)
    note: str | None  # the supervisor's note on return
    created_at: datetime
    updated_at: datetime
    tracking_id: int | None = None  # None when the complaint is no longer in the replica
    title: str | None = None
    server_state: str | None = None  # state of the response on the server, as last synced
    sync_state: str = "synced"  # saved locally | sending | synced | conflict | rejected | parked

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "complaint_id": self.complaint_id, "tracking_id": self.tracking_id,
            "state": self.state, "server_state": self.server_state,
            "sync_state": self.sync_state, "response_version": self.response_version,
            "base_version": self.base_version, "note": self.note,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "chars": len(self.body),
        }


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    op_id: str
    kind: str
    complaint_id: str | None
    response_id: str | None
    state: str  # pending | sending | applied | merged | conflict | rejected | parked
    reason: str | None
    message: str | None
    base_version: int | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "op_id": self.op_id, "kind": self.kind,
            "complaint_id": self.complaint_id, "response_id": self.response_id,
            "state": self.state, "reason": self.reason,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One thing a person must look at, in plain language (Indonesian and English)."""

    kind: str  # conflict | rejected | needs_review | orphaned | returned | awaiting_review
    message_id: str
    message_en: str
    complaint_id: str | None = None
    tracking_id: int | None = None
    draft_id: str | None = None
    op_id: str | None = None
    reason: str | None = None

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {
            "kind": self.kind, "message": self.message(lang), "message_id": self.message_id,
            "message_en": self.message_en, "complaint_id": self.complaint_id,
            "tracking_id": self.tracking_id, "draft_id": self.draft_id, "op_id": self.op_id,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ConflictTexts:
    """Base / theirs / mine of a conflicting response save (plain text)."""

    draft_id: str
    complaint_id: str | None
    base: str | None
    theirs: str | None
    mine: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A submitted response waiting for this supervisor's review (the exact synced text)."""

    response_id: str
    complaint_id: str
    tracking_id: int | None
    title: str | None
    classification: str | None
    author_name: str
    body: str
    version: int
    text_sha256: str
    updated_at: datetime
    returned_body: str | None  # the text this profile last returned, if any (for a diff)


@dataclass(slots=True)
class RecordCounts:
    applied: int = 0  # applied or merged
    conflicts: int = 0
    rejected: int = 0
    retry: int = 0
    unknown: int = 0  # outcomes for commands this outbox does not hold
    repeated: int = 0  # outcomes already recorded (replays)
    changed: int = 0  # after a server restore: a recorded outcome the server now decided otherwise

    def add(self, other: RecordCounts) -> None:
        self.changed += other.changed
        self.applied += other.applied
        self.conflicts += other.conflicts
        self.rejected += other.rejected
        self.retry += other.retry
        self.unknown += other.unknown
        self.repeated += other.repeated


# ---------------------------------------------------------------- plain-language reasons

_REASONS: dict[str, tuple[str, str]] = {
    p.REASON_NOT_ASSIGNED: (
        "Pengaduan ini sudah tidak ditugaskan ke instansi Anda (dialihkan). Teks Anda disimpan "
        "di draf yatim: kirim sebagai catatan ke pemilik baru, ekspor, atau buang.",
        "This complaint is no longer assigned to your agency (re-routed). Your text is kept "
        "in orphaned drafts: send it as a note to the new owner, export it, or discard it."),
    p.REASON_CLOSED: (
        "Pengaduan ini sudah selesai atau ditutup di server; perubahan Anda tidak diterapkan. "
        "Teks Anda tetap disimpan.",
        "This complaint was completed or closed on the server; your change was not applied. "
        "Your text is kept."),
    p.REASON_STALE_APPROVAL: (
        "Jawaban berubah setelah Anda memeriksanya; persetujuan tidak diterapkan. Periksa "
        "versi terbaru lalu setujui lagi.",
        "The response changed after you reviewed it; the approval was not applied. Review "
        "the latest version and approve again."),
    p.REASON_NEEDS_REVIEW: (
        "Ada balasan baru dari pelapor sejak draf ini dibuat. Baca balasannya, sesuaikan "
        "jawaban bila perlu, lalu ajukan lagi.",
        "The reporter replied since this draft was started. Read the reply, adjust the "
        "response if needed, then submit again."),
    p.REASON_FORBIDDEN: (
        "Peran Anda tidak boleh melakukan tindakan ini; tindakan tidak diterapkan.",
        "Your role may not do this; the action was not applied."),
    p.REASON_ILLEGAL_TRANSITION: (
        "Perubahan status ini tidak diizinkan dari status pengaduan saat ini.",
        "This status change is not allowed from the complaint's current status."),
    p.REASON_INVALID: (
        "Server menolak tindakan ini karena datanya tidak valid.",
        "The server refused this action because its data is invalid."),
    p.REASON_TEXT_CONFLICT: (
        "Jawaban ini diubah orang lain pada bagian yang sama saat Anda offline. Kedua versi "
        "disimpan; pilih versi Anda, versi mereka, atau gabungkan secara manual.",
        "Someone else changed the same part of this response while you were offline. Both "
        "versions are kept; keep yours, take theirs, or merge by hand."),
    p.REASON_PARKED: (
        "Anda menyisihkan tindakan ini sebelum diterapkan server; tidak ada yang diubah. "
        "Lanjutkan (unpark) untuk mengirimnya lagi.",
        "You parked this action before the server applied it; nothing was changed. Resume "
        "(unpark) to send it again."),
    p.REASON_FIELD_CONFLICT: (
        "Kolom yang sama diubah orang lain saat Anda offline; nilai di server dipertahankan "
        "dan nilai Anda dicatat.",
        "Someone else changed the same field while you were offline; the server's value was "
        "kept and yours is recorded."),
    p.REASON_FILE_NOT_UPLOADED: (
        "Berkas lampiran belum ada di server (unggahan tidak selesai); lampiran tidak "
        "ditambahkan. Tambahkan berkas itu lagi.",
        "The attachment's file is not on the server (the upload did not finish); the "
        "attachment was not added. Add the file again."),
}

_KIND_LABELS: dict[str, tuple[str, str]] = {
    p.CMD_RESPONSE_SAVE: ("Simpan draf jawaban", "Save response draft"),
    p.CMD_RESPONSE_SUBMIT: ("Ajukan jawaban", "Submit response"),
    p.CMD_RESPONSE_APPROVE: ("Setujui jawaban", "Approve response"),
    p.CMD_RESPONSE_RETURN: ("Kembalikan jawaban", "Return response"),
    p.CMD_TRIAGE: ("Triase", "Triage"),
    p.CMD_TRANSITION: ("Ubah status", "Status change"),
    p.CMD_NOTE: ("Catatan internal", "Internal note"),
    p.CMD_REROUTE_REQUEST: ("Minta pengalihan", "Re-route request"),
    p.CMD_HANDOVER_NOTE: ("Catatan serah terima", "Handover note"),
    p.CMD_MARK_READ: ("Tandai dibaca", "Mark read"),
    p.CMD_ADD_ATTACHMENT: ("Tambah lampiran", "Add attachment"),
}


def reason_text(reason: str | None) -> tuple[str, str]:
    if reason is not None and reason in _REASONS:
        return _REASONS[reason]
    return ("Server menolak tindakan ini. Tindakan tetap tercatat; hubungi administrator bila "
            "perlu.",
            "The server refused this action. It stays recorded; contact your administrator if "
            "needed.")


def _where(tracking_id: int | None, id_text: str, en_text: str) -> tuple[str, str]:
    if tracking_id is None:
        return id_text, en_text
    return f"#{tracking_id}: {id_text}", f"#{tracking_id}: {en_text}"


# ---------------------------------------------------------------- the outbox


_DRAFT_SELECT = (
    "SELECT d.id, d.complaint_id, d.body, d.state, d.base_version, d.response_version, d.note,"
    " d.created_at, d.updated_at,"
    " coalesce(c.tracking_id, (SELECT json_extract(o.payload, '$._tracking_id') FROM outbox o"
    "  WHERE o.response_id = d.id ORDER BY o.seq LIMIT 1)), c.title, r.state,"
    " (SELECT o.state FROM outbox o WHERE o.response_id = d.id ORDER BY o.seq DESC LIMIT 1)"
    " FROM drafts d LEFT JOIN complaints c ON c.id = d.complaint_id"
    " LEFT JOIN responses r ON r.id = d.id"
)
# The tracking ID of a draft's complaint, also once the complaint left the replica (kept in
# the draft's first save command under a local-only key).
_DRAFT_TRACKING = (
    "coalesce(c.tracking_id, (SELECT json_extract(o.payload, '$._tracking_id') FROM outbox o"
    " WHERE o.response_id = d.id ORDER BY o.seq LIMIT 1))")
# The same for a command about a draft (a rejected save of a complaint now gone).
_OP_TRACKING = (
    "coalesce(c.tracking_id, (SELECT json_extract(f.payload, '$._tracking_id') FROM outbox f"
    " WHERE f.response_id = o.response_id ORDER BY f.seq LIMIT 1))")
_ENTRY_SELECT = (
    "SELECT seq, op_id, kind, complaint_id, response_id, state, outcome_reason, outcome_message,"
    " base_version, created_at, updated_at, sent_at FROM outbox"
)


def _sync_badge(last_state: str | None) -> str:
    return {None: "synced", "pending": "saved_locally", "sending": "sending",
            "applied": "synced", "merged": "merged"}.get(last_state, last_state or "synced")


class Outbox:
    """Local actions as commands. Every method is one write (or read) transaction."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    # ------------------------------------------------------------ helpers

    def _now(self) -> int:
        value = to_us(self._clock())
        assert value is not None
        return value

    @staticmethod
    def _complaint(conn: Connection, ref: str) -> tuple[str, int, str, int]:
        """(id, version, status, rid) of a complaint by UUID or tracking ID."""
        ref = ref.strip().removeprefix("#")
        if ref.isdecimal():
            row = conn.exec_driver_sql(
                "SELECT id, version, status, rid FROM complaints WHERE tracking_id = ?"
                " ORDER BY version DESC LIMIT 1", (int(ref),)).first()
        else:
            row = conn.exec_driver_sql(
                "SELECT id, version, status, rid FROM complaints WHERE id = ?",
                (ref.lower(),)).first()
        if row is None:
            raise NotFoundError(ref[:64], message_id="Pengaduan tidak ada di data lokal.",
                                message_en="The complaint is not in the local data.")
        return str(row[0]), int(row[1]), str(row[2]), int(row[3])

    def resolve(self, ref: str) -> str:
        """The UUID of a complaint given by tracking ID (``#`` optional) or UUID."""
        with self.store.read() as conn:
            return self._complaint(conn, ref)[0]

    @staticmethod
    def _append(conn: Connection, *, kind: str, complaint_id: str | None,
                response_id: str | None, base_version: int | None,
                payload: Mapping[str, object], now: int) -> tuple[int, str]:
        """Append one command with the next seq (same transaction as the caller's effect)."""
        seq = int(conn.exec_driver_sql(
            "SELECT coalesce(max(seq), 0) + 1 FROM outbox").scalar_one())
        op_id = str(uuid.uuid4())
        conn.exec_driver_sql(
            "INSERT INTO outbox (seq, op_id, kind, complaint_id, response_id, payload,"
            " base_version, created_at, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            " 'pending', ?)",
            (seq, op_id, kind, complaint_id, response_id,
             json.dumps(dict(payload), ensure_ascii=False), base_version, now, now))
        return seq, op_id

    @staticmethod
    def _draft_row(conn: Connection, draft_id: str) -> Any:
        row = conn.exec_driver_sql(
            "SELECT id, complaint_id, body, state, base_version, response_version, note"
            " FROM drafts WHERE id = ?", (draft_id.strip().lower(),)).first()
        if row is None:
            raise NotFoundError(draft_id[:64], message_id="Draf tidak ditemukan.",
                                message_en="Draft not found.")
        return row

    @staticmethod
    def _check_body(body: str, limit: int = MAX_DRAFT_CHARS) -> str:
        if not isinstance(body, str) or not body.strip():
            raise InvalidInputError("empty text", message_id="Teks masih kosong.",
                                    message_en="The text is empty.")
        if len(body) > limit:
            raise InvalidInputError("text too long", message_id="Teks terlalu panjang.",
                                    message_en="The text is too long.")
        if "\x00" in body:
            raise InvalidInputError("NUL in text", message_id="Teks berisi karakter NUL.",
                                    message_en="The text contains a NUL character.")
        return body

    @staticmethod
    def _last_comment_seen(conn: Connection, rid: int) -> str | None:
        row = conn.exec_driver_sql(
            "SELECT id FROM thread_entries WHERE complaint_rid = ? AND kind = 'comment'"
            " ORDER BY position DESC LIMIT 1", (rid,)).first()
        return None if row is None else str(row[0])

    # ------------------------------------------------------------ drafts

    def save_draft(self, complaint_ref: str, body: str, *, draft_id: str | None = None) -> Draft:
        """Create or edit a response draft and queue ``response.save`` in one transaction.

        Editing a submitted or returned draft makes it a draft again (the server withdraws
        the submission). A pending, unsent save of the same draft is updated in place.
        """
        body = self._check_body(body)
        now = self._now()
        with self.store.write() as conn:
            cid, version, status, _ = self._complaint(conn, complaint_ref)
            if draft_id is None:
                if status in TERMINAL_STATUSES:
                    raise InvalidInputError(
                        "complaint closed",
                        message_id="Pengaduan ini sudah selesai/ditutup; tidak bisa dijawab.",
                        message_en="This complaint is completed/closed; it cannot be answered.")
                return self._get_draft(conn, self._new_draft(conn, cid, version, body, now))
            self._adopt_response(conn, draft_id, now)
            row = self._draft_row(conn, draft_id)
            did = str(row[0])
            if row[1] != cid:
                raise InvalidInputError(
                    "draft of another complaint",
                    message_id="Draf ini milik pengaduan lain.",
                    message_en="This draft belongs to another complaint.")
            if row[3] not in _EDITABLE:
                raise InvalidInputError(
                    f"draft is {row[3]}",
                    message_id="Draf ini tidak bisa diubah lagi (sudah disetujui atau yatim).",
                    message_en="This draft can no longer be edited (approved or orphaned).")
            old_body, response_version = str(row[2]), int(row[5])
            if old_body == body:
                # Nothing changed: no command (the server would not bump the version either).
                return self._get_draft(conn, did)
            last = conn.exec_driver_sql(
                "SELECT seq, kind, state, payload FROM outbox WHERE response_id = ?"
                " ORDER BY seq DESC LIMIT 1", (did,)).first()
            if last is not None and last[1] == p.CMD_RESPONSE_SAVE and last[2] == "pending":
                # Coalesce: the unsent save carries the new text; its base stays the same.
                payload = json.loads(last[3])
                payload["body"] = body
                conn.exec_driver_sql(
                    "UPDATE outbox SET payload = ?, updated_at = ? WHERE seq = ?",
                    (json.dumps(payload, ensure_ascii=False), now, last[0]))
            else:
                self._append(conn, kind=p.CMD_RESPONSE_SAVE, complaint_id=cid,
                             response_id=did, base_version=version, now=now, payload={
                                 "response_id": did, "body": body,
                                 "base_response_version": response_version,
                                 "base_body": old_body if response_version > 0 else None})
                response_version += 1
            conn.exec_driver_sql(
                "UPDATE drafts SET body = ?, state = 'draft', base_version = ?,"
                " response_version = ?, updated_at = ? WHERE id = ?",
                (body, version, response_version, now, did))
            return self._get_draft(conn, did)

    def _new_draft(self, conn: Connection, cid: str, version: int, body: str, now: int) -> str:
        did = str(uuid.uuid4())
        conn.exec_driver_sql(
            "INSERT INTO drafts (id, complaint_id, body, base_version, state, created_at,"
            " updated_at, note, response_version) VALUES (?, ?, ?, ?, 'draft', ?, ?,"
            " NULL, 1)", (did, cid, body, version, now, now))
        tracking = conn.exec_driver_sql(
            "SELECT tracking_id FROM complaints WHERE id = ?", (cid,)).scalar()
        # "_tracking_id" stays local (never sent): an orphaned draft still names its
        # complaint after the complaint left the replica.
        self._append(conn, kind=p.CMD_RESPONSE_SAVE, complaint_id=cid, response_id=did,
                     base_version=version, now=now, payload={
                         "response_id": did, "body": body, "base_response_version": 0,
                         "base_body": None, "_tracking_id": tracking})
        return did

    @staticmethod
    def _adopt_response(conn: Connection, draft_id: str, now: int) -> None:
        """Editing a response someone else wrote (synced, no local draft yet): start a local
        draft from the server's copy, so the edit is based on its version and text."""
        rid = draft_id.strip().lower()
        if conn.exec_driver_sql("SELECT 1 FROM drafts WHERE id = ?", (rid,)).first():
            return
        server = conn.exec_driver_sql(
            "SELECT r.complaint_id, r.body, r.version, r.state, c.version FROM responses r"
            " LEFT JOIN complaints c ON c.id = r.complaint_id WHERE r.id = ?", (rid,)).first()
        if server is None:
            return
        state = _SERVER_TO_DRAFT.get(str(server[3]), "draft")
        conn.exec_driver_sql(
            "INSERT INTO drafts (id, complaint_id, body, base_version, state, created_at,"
            " updated_at, note, response_version) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            (rid, server[0], server[1], server[4], state, now, now, int(server[2])))

    def submit_draft(self, draft_id: str) -> Draft:
        """Submit a draft for approval (bound to its text hash and the replies seen)."""
        now = self._now()
        with self.store.write() as conn:
            self._adopt_response(conn, draft_id, now)
            row = self._draft_row(conn, draft_id)
            did = str(row[0])
            if row[3] == "submitted":
                return self._get_draft(conn, did)  # already submitted: idempotent
            if row[3] not in ("draft", "returned"):
                raise InvalidInputError(
                    f"draft is {row[3]}",
                    message_id="Hanya draf yang bisa diajukan.",
                    message_en="Only a draft can be submitted.")
            try:
                cid, version, _, rid = self._complaint(conn, str(row[1]))
            except NotFoundError:
                # Only while a rebuild is still pulling, or just before the pull that orphans
                # the draft: the replies seen cannot be bound yet. The draft stays as it is.
                raise NotFoundError(
                    str(row[1])[:64],
                    message_id="Pengaduan draf ini belum ada di data lokal (sinkronisasi belum "
                               "selesai, atau pengaduan dialihkan). Sinkronkan dulu; drafnya "
                               "tetap tersimpan.",
                    message_en="This draft's complaint is not in the local data yet (a sync "
                               "has not finished, or the complaint was re-routed). Sync first; "
                               "the draft stays saved.") from None
            body = str(row[2])
            self._append(conn, kind=p.CMD_RESPONSE_SUBMIT, complaint_id=cid, response_id=did,
                         base_version=version, now=now, payload={
                             "response_id": did, "response_version": int(row[5]),
                             "text_sha256": text_sha256(body),
                             "last_comment_id_seen": self._last_comment_seen(conn, rid)})
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'submitted', note = NULL, updated_at = ? WHERE id = ?",
                (now, did))
            return self._get_draft(conn, did)

    def _review(self, kind: str, ref: str, note: str | None,
                expected_sha256: str | None = None) -> OutboxEntry:
        now = self._now()
        rid_ = ref.strip().lower()
        with self.store.write() as conn:
            server = conn.exec_driver_sql(
                "SELECT complaint_id, version, text_sha256, state FROM responses WHERE id = ?",
                (rid_,)).first()
            local = conn.exec_driver_sql(
                "SELECT complaint_id, response_version, body, state FROM drafts WHERE id = ?",
                (rid_,)).first()
            if server is not None:
                # Bound to exactly what the supervisor saw: the synced version and its hash.
                complaint_id, rversion, sha, state = (str(server[0]), int(server[1]),
                                                      str(server[2]), str(server[3]))
            elif local is not None:
                complaint_id, rversion, sha, state = (str(local[0]), int(local[1]),
                                                      text_sha256(str(local[2])), str(local[3]))
            else:
                raise NotFoundError(ref[:64], message_id="Jawaban tidak ditemukan.",
                                    message_en="Response not found.")
            if state != "submitted":
                raise InvalidInputError(
                    f"response is {state}",
                    message_id="Hanya jawaban yang sudah diajukan yang bisa diperiksa.",
                    message_en="Only a submitted response can be reviewed.")
            if expected_sha256 is not None and expected_sha256 != sha:
                raise InvalidInputError(
                    "response changed since shown",
                    message_id="Jawaban berubah sejak ditampilkan; periksa versi terbaru.",
                    message_en="The response changed since it was shown; review the latest "
                               "version.")
            done = conn.exec_driver_sql(
                "SELECT seq FROM outbox WHERE response_id = ? AND kind IN (?, ?)"
                " AND json_extract(payload, '$.response_version') = ?"
                " AND json_extract(payload, '$.text_sha256') = ?"
                " AND state IN ('pending', 'sending', 'applied', 'merged') ORDER BY seq LIMIT 1",
                (rid_, p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_RETURN, rversion, sha)).first()
            if done is not None:
                # This exact version was already reviewed from here: never a second command.
                return self._entry(conn, int(done[0]))
            version: int | None = None
            crow = conn.exec_driver_sql(
                "SELECT version FROM complaints WHERE id = ?", (complaint_id,)).first()
            if crow is not None:
                version = int(crow[0])
            payload: dict[str, object] = {"response_id": rid_, "response_version": rversion,
                                          "text_sha256": sha}
            if note is not None:
                payload["note"] = note
            if kind == p.CMD_RESPONSE_RETURN:
                # Kept locally for the diff at the next review; "_" keys are never sent.
                text_row = conn.exec_driver_sql(
                    "SELECT body FROM responses WHERE id = ?", (rid_,)).first()
                if text_row is None:
                    text_row = conn.exec_driver_sql(
                        "SELECT body FROM drafts WHERE id = ?", (rid_,)).first()
                if text_row is not None:
                    payload["_returned_body"] = str(text_row[0])
            seq, _ = self._append(conn, kind=kind, complaint_id=complaint_id, response_id=rid_,
                                  base_version=version, payload=payload, now=now)
            if local is not None:
                new_state = "approved" if kind == p.CMD_RESPONSE_APPROVE else "returned"
                conn.exec_driver_sql(
                    "UPDATE drafts SET state = ?, note = ?, updated_at = ? WHERE id = ?",
                    (new_state, note, now, rid_))
            return self._entry(conn, seq)

    def approve(self, ref: str, *, expected_sha256: str | None = None) -> OutboxEntry:
        """Approve a submitted response (by draft or response id): bound to version and hash.
        With ``expected_sha256`` (the hash of the text on screen) a different text refuses."""
        return self._review(p.CMD_RESPONSE_APPROVE, ref, None, expected_sha256)

    def return_draft(self, ref: str, note: str, *,
                     expected_sha256: str | None = None) -> OutboxEntry:
        """Return a submitted response to its author with a note."""
        note = self._check_body(note, MAX_NOTE_CHARS)
        return self._review(p.CMD_RESPONSE_RETURN, ref, note, expected_sha256)

    def discard_draft(self, draft_id: str) -> None:
        """Discard an orphaned draft (the UI confirms first). Other drafts are never deleted."""
        with self.store.write() as conn:
            row = self._draft_row(conn, draft_id)
            if row[3] != "orphaned":
                raise InvalidInputError(
                    f"draft is {row[3]}",
                    message_id="Hanya draf yatim yang bisa dibuang.",
                    message_en="Only an orphaned draft can be discarded.")
            conn.exec_driver_sql("DELETE FROM drafts WHERE id = ?", (row[0],))

    def conflict_texts(self, op_id: str) -> ConflictTexts:
        """The three texts of a conflicting ``response.save``: the common base, the server's
        text (theirs) and the local draft (mine). Base or theirs may be unknown (None)."""
        with self.store.read() as conn:
            row = conn.exec_driver_sql(
                "SELECT o.response_id, o.payload, d.body, r.body, o.complaint_id FROM outbox o"
                " LEFT JOIN drafts d ON d.id = o.response_id"
                " LEFT JOIN responses r ON r.id = o.response_id WHERE o.op_id = ?",
                (op_id.strip().lower(),)).first()
        if row is None or row[0] is None:
            raise NotFoundError(op_id[:64])
        payload = json.loads(row[1])
        base = payload.get("base_body")
        mine = row[2] if row[2] is not None else str(payload.get("body", ""))
        return ConflictTexts(draft_id=str(row[0]), complaint_id=row[4],
                             base=base if isinstance(base, str) else None,
                             theirs=row[3], mine=mine)

    def keep_mine(self, draft_id: str) -> Draft:
        """After a conflict: save my text again as a new version over the server's current one
        (a new ``response.save`` based on the server's version and text)."""
        now = self._now()
        with self.store.write() as conn:
            row = self._draft_row(conn, draft_id)
            did, cid, body, state = str(row[0]), str(row[1]), str(row[2]), str(row[3])
            if state not in _EDITABLE:
                raise InvalidInputError(
                    f"draft is {state}",
                    message_id="Draf ini tidak bisa diubah lagi (sudah disetujui atau yatim).",
                    message_en="This draft can no longer be edited (approved or orphaned).")
            last = conn.exec_driver_sql(
                "SELECT state FROM outbox WHERE response_id = ? ORDER BY seq DESC LIMIT 1",
                (did,)).first()
            if last is not None and last[0] in _OPEN:
                return self._get_draft(conn, did)  # my text is already on its way
            server = conn.exec_driver_sql(
                "SELECT body, version FROM responses WHERE id = ?", (did,)).first()
            version = conn.exec_driver_sql(
                "SELECT version FROM complaints WHERE id = ?", (cid,)).first()
            rv = int(server[1]) if server is not None else int(row[5])
            self._append(conn, kind=p.CMD_RESPONSE_SAVE, complaint_id=cid, response_id=did,
                         base_version=None if version is None else int(version[0]), now=now,
                         payload={"response_id": did, "body": body,
                                  "base_response_version": rv,
                                  "base_body": None if server is None else str(server[0])})
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'draft', response_version = ?, updated_at = ?"
                " WHERE id = ?", (rv + 1, now, did))
            return self._get_draft(conn, did)

    def take_theirs(self, draft_id: str) -> Draft:
        """After a conflict: put the server's text into the draft (no command: the server has
        it already) and park the draft's conflicts, which leave the attention list."""
        now = self._now()
        with self.store.write() as conn:
            row = self._draft_row(conn, draft_id)
            did = str(row[0])
            server = conn.exec_driver_sql(
                "SELECT body, version, state FROM responses WHERE id = ?", (did,)).first()
            if server is None:
                # Published meanwhile: "theirs" is the follow-up's text (its version number
                # never reaches clients; the draft keeps its own, as approved drafts do).
                server = conn.exec_driver_sql(
                    "SELECT t.body, d.response_version, 'approved' FROM thread_entries t"
                    " JOIN complaints c ON c.rid = t.complaint_rid JOIN drafts d"
                    " ON d.complaint_id = c.id AND d.id = t.id"
                    " WHERE t.id = ? AND t.kind = 'followup'", (did,)).first()
            if server is None:
                raise NotFoundError(did, message_id="Versi server tidak ada di data lokal.",
                                    message_en="The server's version is not in the local data.")
            last = conn.exec_driver_sql(
                "SELECT state FROM outbox WHERE response_id = ? ORDER BY seq DESC LIMIT 1",
                (did,)).first()
            if last is not None and last[0] in _OPEN:
                raise InvalidInputError(
                    "command open", message_id="Perubahan draf ini masih dalam antrean kirim.",
                    message_en="Changes to this draft are still waiting to be sent.")
            conn.exec_driver_sql(
                "UPDATE drafts SET body = ?, response_version = ?, state = ?, updated_at = ?"
                " WHERE id = ?",
                (server[0], int(server[1]), _SERVER_TO_DRAFT.get(str(server[2]), "draft"),
                 now, did))
            conn.exec_driver_sql(
                "UPDATE outbox SET state = 'parked', updated_at = ?"
                " WHERE response_id = ? AND state = 'conflict'", (now, did))
            return self._get_draft(conn, did)

    # ------------------------------------------------------------ other commands

    def add_note(self, complaint_ref: str, body: str) -> OutboxEntry:
        """An internal note (append-only on the server, union by entry id)."""
        body = self._check_body(body, MAX_NOTE_CHARS)
        now = self._now()
        with self.store.write() as conn:
            cid, version, _, _ = self._complaint(conn, complaint_ref)
            seq, _ = self._append(conn, kind=p.CMD_NOTE, complaint_id=cid, response_id=None,
                                  base_version=version, now=now,
                                  payload={"entry_id": str(uuid.uuid4()), "body": body})
            return self._entry(conn, seq)

    def add_attachment(self, complaint_ref: str, data: bytes, name: str, mime: str | None,
                       note: str | None = None) -> tuple[OutboxEntry, str, str]:
        """Keep the file encrypted in the replica and queue ``add_attachment`` in ONE
        transaction; returns (entry, attachment id, sha256). The sync uploads the blob before
        it sends the command."""
        from lapor_desk.models import blobs

        if len(data) > p.MAX_ATTACHMENT_BYTES:
            raise blobs.AttachmentTooLargeError(f"{len(data)} bytes")
        shown = self._check_body(name, 500).strip()
        if note is not None and note.strip():
            note = self._check_body(note, MAX_NOTE_CHARS)
        sha = hashlib.sha256(data).hexdigest()
        attachment_id = str(uuid.uuid4())
        payload: dict[str, object] = {"attachment_id": attachment_id, "sha256": sha,
                                      "size": len(data), "name": shown, "mime": mime}
        if note is not None and note.strip():
            payload["note"] = note
        now = self._now()
        with self.store.write() as conn:
            cid, version, _, _ = self._complaint(conn, complaint_ref)
            blobs.put_whole(conn, sha, data, upload="pending")
            seq, _ = self._append(conn, kind=p.CMD_ADD_ATTACHMENT, complaint_id=cid,
                                  response_id=None, base_version=version, now=now,
                                  payload=payload)
            return self._entry(conn, seq), attachment_id, sha

    def request_reroute(self, complaint_ref: str, reason: str) -> OutboxEntry:
        """Ask the admin to re-route a complaint (not our authority), with the reason."""
        body = self._check_body(reason, MAX_NOTE_CHARS)
        now = self._now()
        with self.store.write() as conn:
            cid, version, _, _ = self._complaint(conn, complaint_ref)
            seq, _ = self._append(conn, kind=p.CMD_REROUTE_REQUEST, complaint_id=cid,
                                  response_id=None, base_version=version, now=now,
                                  payload={"entry_id": str(uuid.uuid4()), "body": body})
            return self._entry(conn, seq)

    def triage(self, complaint_ref: str, changes: Mapping[str, object]) -> OutboxEntry:
        """Category, priority, tags, assignee: per-field changes with the values the user saw."""
        unknown = set(changes) - set(TRIAGE_FIELDS)
        if not changes or unknown:
            raise InvalidInputError(
                "triage fields", message_id="Kolom triase tidak dikenal.",
                message_en="Unknown triage field.")
        if "priority" in changes and changes["priority"] not in PRIORITIES:
            raise InvalidInputError("priority", message_id="Prioritas tidak dikenal.",
                                    message_en="Unknown priority.")
        if "tags" in changes:
            tags = changes["tags"]
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise InvalidInputError("tags")
        now = self._now()
        with self.store.write() as conn:
            cid, version, _, _ = self._complaint(conn, complaint_ref)
            row = conn.exec_driver_sql(
                "SELECT category_id, priority, tags, assignee_id FROM complaints WHERE id = ?",
                (cid,)).one()
            current: dict[str, object] = {"category_id": row[0], "priority": row[1],
                                          "tags": json.loads(row[2]), "assignee_id": row[3]}
            base = {k: current[k] for k in changes}
            seq, _ = self._append(conn, kind=p.CMD_TRIAGE, complaint_id=cid, response_id=None,
                                  base_version=version, now=now,
                                  payload={"changes": dict(changes), "base": base})
            return self._entry(conn, seq)

    def request_transition(self, complaint_ref: str, to_status: str,
                           reason: str | None = None) -> OutboxEntry:
        now = self._now()
        with self.store.write() as conn:
            cid, version, status, _ = self._complaint(conn, complaint_ref)
            payload: dict[str, object] = {"from_status": status, "to_status": to_status}
            if reason:
                payload["reason"] = reason
            seq, _ = self._append(conn, kind=p.CMD_TRANSITION, complaint_id=cid,
                                  response_id=None, base_version=version, now=now,
                                  payload=payload)
            return self._entry(conn, seq)

    def save_drafts(self, items: Sequence[tuple[str, str]]) -> list[Draft]:
        """New drafts, one per (complaint, text), each with its own ``response.save``, all in
        ONE transaction (a cluster answer is one step: all or nothing, one undo)."""
        if not items:
            return []
        for _, body in items:
            self._check_body(body)
        now = self._now()
        with self.store.write() as conn:
            ids = []
            for ref, body in items:
                cid, version, status, _ = self._complaint(conn, ref)
                if status in TERMINAL_STATUSES:
                    raise InvalidInputError(
                        "complaint closed",
                        message_id="Pengaduan ini sudah selesai/ditutup; tidak bisa dijawab.",
                        message_en="This complaint is completed/closed; it cannot be answered.")
                ids.append(self._new_draft(conn, cid, version, body, now))
            return [self._get_draft(conn, did) for did in ids]

    def undo_new_drafts(self, draft_ids: Sequence[str]) -> None:
        """Take back drafts just created (a cluster answer) while nothing of them or after
        them was sent: their commands go and the unsent commands after them are renumbered,
        so seq stays gap-free and the server never sees a hole. Otherwise it refuses and the
        drafts stay (nothing is lost)."""
        ids = [d.strip().lower() for d in draft_ids]
        if not ids:
            return
        with self.store.write() as conn:
            marks = ", ".join("?" * len(ids))
            first = conn.exec_driver_sql(
                f"SELECT min(seq) FROM outbox WHERE response_id IN ({marks})",  # noqa: S608
                tuple(ids)).scalar()
            sent = conn.exec_driver_sql(
                "SELECT count(*) FROM outbox WHERE seq >= ? AND (state <> 'pending'"
                " OR sent_at IS NOT NULL)", (first or 0,)).scalar_one()
            other = conn.exec_driver_sql(
                f"SELECT count(*) FROM outbox WHERE response_id IN ({marks})"  # noqa: S608
                " AND kind <> ?", (*ids, p.CMD_RESPONSE_SAVE)).scalar_one()
            if first is None or sent or other:
                raise InvalidInputError(
                    "already sent",
                    message_id="Draf ini sudah dikirim atau diajukan; tidak bisa dibatalkan. "
                               "Draf tetap tersimpan.",
                    message_en="These drafts were already sent or submitted; they cannot be "
                               "taken back. The drafts are kept.")
            conn.exec_driver_sql(
                f"DELETE FROM outbox WHERE response_id IN ({marks})", tuple(ids))  # noqa: S608
            conn.exec_driver_sql(
                f"DELETE FROM drafts WHERE id IN ({marks})", tuple(ids))  # noqa: S608
            rest = [int(r[0]) for r in conn.exec_driver_sql(
                "SELECT seq FROM outbox WHERE seq > ? ORDER BY seq", (first,))]
            for new_seq, old_seq in enumerate(rest, start=int(first)):
                conn.exec_driver_sql("UPDATE outbox SET seq = ? WHERE seq = ?",
                                     (new_seq, old_seq))

    def mark_read(self, complaint_refs: Sequence[str], *, read: bool = True
                  ) -> list[OutboxEntry]:
        """Mark complaints read (or unread) for this USER: one ``complaint.mark_read`` command
        per complaint, all in one transaction (a batch from the inbox is one undo step). The
        mark records the newest reporter comment seen, so a later reply makes it unread."""
        if not complaint_refs:
            return []
        now = self._now()
        with self.store.write() as conn:
            seqs = []
            for ref in complaint_refs:
                cid, version, _, rid = self._complaint(conn, ref)
                seq, _ = self._append(conn, kind=p.CMD_MARK_READ, complaint_id=cid,
                                      response_id=None, base_version=version, now=now,
                                      payload={"read": read,
                                               "last_comment_id": self._last_comment_seen(
                                                   conn, rid)})
                seqs.append(seq)
            return [self._entry(conn, seq) for seq in seqs]

    def send_handover_note(self, draft_id: str) -> OutboxEntry:
        """Send an orphaned draft's text to the complaint's owner as an internal note.

        Still in the replica (closed on the server): a normal note. Gone (re-routed away): a
        ``complaint.handover_note``, which the server accepts only from the agency that lost
        the complaint; the new owner sees it in the thread. The draft is kept (discard it
        separately); its not-assigned/closed rejections are settled by this."""
        now = self._now()
        with self.store.write() as conn:
            row = self._draft_row(conn, draft_id)
            did, cid, body, state = str(row[0]), str(row[1]), str(row[2]), str(row[3])
            if state != "orphaned":
                raise InvalidInputError(
                    f"draft is {state}",
                    message_id="Hanya draf yatim yang bisa dikirim sebagai catatan serah "
                               "terima.",
                    message_en="Only an orphaned draft can be sent as a handover note.")
            self._check_body(body, MAX_NOTE_CHARS)
            sent = conn.exec_driver_sql(
                "SELECT seq FROM outbox WHERE kind IN (?, ?) AND json_extract(payload,"
                " '$._draft_id') = ? AND state NOT IN ('rejected', 'conflict')"
                " ORDER BY seq DESC LIMIT 1", (p.CMD_HANDOVER_NOTE, p.CMD_NOTE, did)).first()
            if sent is not None:
                return self._entry(conn, int(sent[0]))  # handed over already: never twice
            local = conn.exec_driver_sql(
                "SELECT version FROM complaints WHERE id = ?", (cid,)).first()
            kind = p.CMD_NOTE if local is not None else p.CMD_HANDOVER_NOTE
            seq, _ = self._append(conn, kind=kind, complaint_id=cid, response_id=None,
                                  base_version=None if local is None else int(local[0]),
                                  now=now, payload={"entry_id": str(uuid.uuid4()),
                                                    "body": body, "_draft_id": did})
            conn.exec_driver_sql(
                "UPDATE outbox SET state = 'parked', updated_at = ? WHERE response_id = ?"
                " AND state IN ('rejected', 'conflict') AND outcome_reason IN (?, ?)",
                (now, did, p.REASON_NOT_ASSIGNED, p.REASON_CLOSED))
            return self._entry(conn, seq)

    def export_draft(self, draft_id: str) -> tuple[str, str]:
        """(safe file name, plain text) of a draft: the complaint's tracking ID and the text."""
        d = self.draft(draft_id)
        ref = f"#{d.tracking_id}" if d.tracking_id is not None else d.complaint_id
        name = f"draf-{d.tracking_id if d.tracking_id is not None else d.id[:8]}.txt"
        text = (f"Pengaduan / Complaint: {ref}\n"
                f"Draf / Draft: {d.id}\n"
                f"Status draf / Draft state: {d.state}\n"
                f"Diubah / Updated: {d.updated_at.isoformat()}\n\n{d.body}")
        if not text.endswith("\n"):
            text += "\n"
        return name, text

    def export_draft_to(self, draft_id: str, directory_or_file: Path) -> Path:
        """Write ``export_draft`` to a file: into a directory under the safe name, or to the
        given file path; never overwrites an existing file (a new name is picked)."""
        name, text = self.export_draft(draft_id)
        target = directory_or_file / name if directory_or_file.is_dir() else directory_or_file
        stem, suffix, n = target.stem, target.suffix or ".txt", 1
        while target.exists():
            n += 1
            target = target.with_name(f"{stem}-{n}{suffix}")
        try:
            with open(target, "x", encoding="utf-8", newline="\n") as fh:
                try:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                except OSError:
                    target.unlink(missing_ok=True)  # no half-written export left behind
                    raise
        except OSError as exc:
            raise InvalidInputError(
                type(exc).__name__,
                message_id="Berkas ekspor tidak dapat ditulis (izin atau ruang disk?). Draf "
                           "tetap tersimpan.",
                message_en="The export file cannot be written (permission or disk space?). "
                           "The draft is still kept.") from None
        return target

    # ------------------------------------------------------------ reads

    def _get_draft(self, conn: Connection, draft_id: str) -> Draft:
        row = conn.exec_driver_sql(f"{_DRAFT_SELECT} WHERE d.id = ?", (draft_id,)).first()
        if row is None:
            raise NotFoundError(draft_id[:64])
        return self._draft(row)

    @staticmethod
    def _draft(r: Sequence[Any]) -> Draft:
        return Draft(id=r[0], complaint_id=r[1], body=r[2], state=r[3], base_version=r[4],
                     response_version=int(r[5]), note=r[6], created_at=_dt(r[7]),
                     updated_at=_dt(r[8]), tracking_id=r[9], title=r[10], server_state=r[11],
                     sync_state=_sync_badge(r[12]))

    def draft(self, draft_id: str) -> Draft:
        with self.store.read() as conn:
            return self._get_draft(conn, draft_id.strip().lower())

    def drafts(self) -> list[Draft]:
        with self.store.read() as conn:
            return [self._draft(r) for r in conn.exec_driver_sql(
                f"{_DRAFT_SELECT} ORDER BY d.updated_at DESC, d.id")]

    @staticmethod
    def _entry_row(r: Sequence[Any]) -> OutboxEntry:
        return OutboxEntry(seq=r[0], op_id=r[1], kind=r[2], complaint_id=r[3], response_id=r[4],
                           state=r[5], reason=r[6], message=r[7], base_version=r[8],
                           created_at=_dt(r[9]), updated_at=_dt(r[10]), sent_at=_opt_dt(r[11]))

    def _entry(self, conn: Connection, seq: int) -> OutboxEntry:
        return self._entry_row(conn.exec_driver_sql(
            f"{_ENTRY_SELECT} WHERE seq = ?", (seq,)).one())

    def entries(self, states: Iterable[str] | None = None) -> list[OutboxEntry]:
        with self.store.read() as conn:
            if states is None:
                rows = conn.exec_driver_sql(f"{_ENTRY_SELECT} ORDER BY seq")
            else:
                wanted = tuple(states)
                marks = ", ".join("?" * len(wanted))
                rows = conn.exec_driver_sql(
                    f"{_ENTRY_SELECT} WHERE state IN ({marks}) ORDER BY seq", wanted)
            return [self._entry_row(r) for r in rows]

    def pending(self) -> list[OutboxEntry]:
        """Commands not yet acknowledged by the server, in seq order."""
        return self.entries(_OPEN)

    def counts(self, *, role: str | None = None) -> tuple[int, int]:
        """(pending commands, items needing attention) — the status bar's two numbers."""
        with self.store.read() as conn:
            pending = int(conn.exec_driver_sql(
                "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')").scalar_one())
        return pending, len(self.attention(role=role))

    def review_queue(self) -> list[ReviewItem]:
        """Submitted responses whose current version this profile has not reviewed yet, oldest
        first, with the text this profile returned before (if any)."""
        with self.store.read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT r.id, r.complaint_id, c.tracking_id, c.title, c.classification,"
                " r.author_name, r.body, r.version, r.text_sha256, r.updated_at,"
                " (SELECT json_extract(o.payload, '$._returned_body') FROM outbox o"
                "  WHERE o.response_id = r.id AND o.kind = ? ORDER BY o.seq DESC LIMIT 1)"
                " FROM responses r LEFT JOIN complaints c ON c.id = r.complaint_id"
                " WHERE r.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM outbox o"
                "  WHERE o.response_id = r.id AND o.kind IN (?, ?)"
                "  AND json_extract(o.payload, '$.response_version') = r.version"
                "  AND o.state IN ('pending', 'sending', 'applied', 'merged'))"
                " ORDER BY r.updated_at, r.id",
                (p.CMD_RESPONSE_RETURN, p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_RETURN)).all()
        return [ReviewItem(
            response_id=str(r[0]), complaint_id=str(r[1]), tracking_id=r[2], title=r[3],
            classification=r[4], author_name=str(r[5]), body=str(r[6]), version=int(r[7]),
            text_sha256=str(r[8]), updated_at=_dt(int(r[9])),
            returned_body=None if r[10] is None else str(r[10])) for r in rows]

    # ------------------------------------------------------------ attention

    def attention(self, *, role: str | None = None) -> list[AttentionItem]:
        """What a person must look at: conflicts, rejections (with the reason), orphaned and
        returned drafts; for a supervisor, responses waiting for review."""
        items: list[AttentionItem] = []
        with self.store.read() as conn:
            problems = conn.exec_driver_sql(
                "SELECT o.op_id, o.kind, o.state, o.outcome_reason, o.complaint_id,"  # noqa: S608
                f" o.response_id, {_OP_TRACKING} FROM outbox o"
                " LEFT JOIN complaints c ON c.id = o.complaint_id"
                " WHERE o.state IN ('conflict', 'rejected')"
                # Settled by a later command of the same kind for the same response (the
                # author kept their text, or resubmitted after reading the reply).
                " AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.response_id = o.response_id"
                "  AND l.kind = o.kind AND l.seq > o.seq AND l.state IN ('applied', 'merged'))"
                " ORDER BY o.seq").all()
            orphaned_ids: set[str] = set()
            for op_id, kind, state, reason, cid, rid, tracking in problems:
                label_id, label_en = _KIND_LABELS.get(kind, (kind, kind))
                why_id, why_en = reason_text(reason)
                if reason == p.REASON_NEEDS_REVIEW:
                    item_kind = "needs_review"
                elif state == "conflict":
                    item_kind = "conflict"
                else:
                    item_kind = "rejected"
                verb_id = "bentrok" if state == "conflict" else "ditolak"
                verb_en = "conflict" if state == "conflict" else "rejected"
                mid, men = _where(tracking, f"{label_id} {verb_id}. {why_id}",
                                  f"{label_en}: {verb_en}. {why_en}")
                items.append(AttentionItem(item_kind, mid, men, complaint_id=cid,
                                           tracking_id=tracking, draft_id=rid, op_id=op_id,
                                           reason=reason))
                if rid is not None and reason in (p.REASON_NOT_ASSIGNED, p.REASON_CLOSED):
                    orphaned_ids.add(rid)
            for did, cid, tracking in conn.exec_driver_sql(
                    f"SELECT d.id, d.complaint_id, {_DRAFT_TRACKING} FROM drafts d"  # noqa: S608
                    " LEFT JOIN complaints c ON c.id = d.complaint_id"
                    " WHERE d.state = 'orphaned' AND NOT EXISTS (SELECT 1 FROM outbox h"
                    "  WHERE h.kind IN (?, ?) AND json_extract(h.payload, '$._draft_id') = d.id"
                    "  AND h.state NOT IN ('rejected', 'conflict'))"
                    " ORDER BY d.updated_at, d.id", (p.CMD_HANDOVER_NOTE, p.CMD_NOTE)):
                # (An orphan already handed over as a note needs nothing more.)
                if did in orphaned_ids:
                    continue  # the rejection above already explains it
                mid, men = _where(
                    tracking,
                    "Draf yatim: pengaduan ini sudah tidak ada di lingkup Anda atau sudah "
                    "ditutup. Teks Anda disimpan: kirim sebagai catatan, ekspor, atau buang.",
                    "Orphaned draft: this complaint left your scope or was closed. Your text is "
                    "kept: send it as a note, export it, or discard it.")
                items.append(AttentionItem("orphaned", mid, men, complaint_id=cid,
                                           tracking_id=tracking, draft_id=did))
            for did, cid, tracking, note in conn.exec_driver_sql(
                    "SELECT d.id, d.complaint_id, c.tracking_id, d.note FROM drafts d"
                    " LEFT JOIN complaints c ON c.id = d.complaint_id"
                    " WHERE d.state = 'returned' ORDER BY d.updated_at, d.id"):
                if not self._own_return(conn, did):
                    continue
                extra_id = f" Catatan: {note}" if note else ""
                extra_en = f" Note: {note}" if note else ""
                mid, men = _where(
                    tracking,
                    f"Jawaban dikembalikan oleh atasan untuk diperbaiki.{extra_id}",
                    f"The response was returned by the supervisor for changes.{extra_en}")
                items.append(AttentionItem("returned", mid, men, complaint_id=cid,
                                           tracking_id=tracking, draft_id=did))
            if role == "supervisor":
                # Submitted versions not yet reviewed from this profile (a review of an older
                # version does not count: the new version needs a look).
                for rid, cid, tracking in conn.exec_driver_sql(
                        "SELECT r.id, r.complaint_id, c.tracking_id FROM responses r"
                        " LEFT JOIN complaints c ON c.id = r.complaint_id"
                        " WHERE r.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM outbox o"
                        "  WHERE o.response_id = r.id AND o.kind IN (?, ?)"
                        "  AND json_extract(o.payload, '$.response_version') = r.version)"
                        " ORDER BY r.updated_at, r.id",
                        (p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_RETURN)):
                    mid, men = _where(tracking, "Jawaban menunggu persetujuan Anda.",
                                      "A response is waiting for your approval.")
                    items.append(AttentionItem("awaiting_review", mid, men, complaint_id=cid,
                                               tracking_id=tracking, draft_id=rid))
        return items

    @staticmethod
    def _own_return(conn: Connection, draft_id: str) -> bool:
        """A draft returned by the server (not one this profile returned as a supervisor)."""
        row = conn.exec_driver_sql(
            "SELECT kind FROM outbox WHERE response_id = ? ORDER BY seq DESC LIMIT 1",
            (draft_id,)).first()
        return row is None or row[0] != p.CMD_RESPONSE_RETURN

    def park(self, op_id: str) -> OutboxEntry:
        """Set a conflict or rejection aside: it stays recorded (state ``parked``, listed by
        ``parked()``) but leaves the needs-attention list until ``unpark``. A command still
        waiting to be applied (pending; not while it is being sent) can be parked too: the
        server then receives a ``CMD_SKIP`` for its seq (it needs every seq in order) and
        applies nothing; ``unpark`` sends it again as a new command."""
        now = self._now()
        with self.store.write() as conn:
            row = conn.exec_driver_sql(
                "SELECT seq, state, payload FROM outbox WHERE op_id = ?",
                (op_id.strip().lower(),)).first()
            if row is None:
                raise NotFoundError(op_id[:64])
            if row[1] == "sending":
                raise InvalidInputError(
                    "command is being sent",
                    message_id="Tindakan ini sedang dikirim; coba lagi setelah sinkronisasi.",
                    message_en="This action is being sent; try again after the sync.")
            if row[1] not in (*_PROBLEM, "parked", "pending"):
                raise InvalidInputError(
                    f"command is {row[1]}",
                    message_id="Hanya item yang tertunda, bentrok atau ditolak yang bisa "
                               "disisihkan.",
                    message_en="Only a waiting, conflicting or rejected item can be parked.")
            if row[1] != "parked":
                payload = json.loads(row[2])
                payload["_parked_from"] = row[1]  # local only: where unpark returns it
                if row[1] == "pending":
                    # Not applied yet (say, it keeps failing): a CMD_SKIP goes in its place
                    # with the same op_id and seq, so the commands after it are not blocked.
                    payload["_skip"] = True
                conn.exec_driver_sql(
                    "UPDATE outbox SET state = 'parked', payload = ?, updated_at = ?"
                    " WHERE seq = ?", (json.dumps(payload, ensure_ascii=False), now, row[0]))
            return self._entry(conn, int(row[0]))

    def unpark(self, op_id: str) -> OutboxEntry:
        """Resume a parked item: back to its conflict or rejection, in the attention list; a
        parked waiting command waits again, or (once its skip reached the server) is sent
        again as a new command (returned)."""
        now = self._now()
        with self.store.write() as conn:
            row = conn.exec_driver_sql(
                "SELECT seq, state, payload, outcome_reason FROM outbox WHERE op_id = ?",
                (op_id.strip().lower(),)).first()
            if row is None:
                raise NotFoundError(op_id[:64])
            if row[1] != "parked":
                raise InvalidInputError(
                    f"command is {row[1]}",
                    message_id="Item ini tidak sedang disisihkan.",
                    message_en="This item is not parked.")
            payload = json.loads(row[2])
            if payload.get("_resumed_as"):
                raise InvalidInputError(
                    "already resumed", message_id="Item ini sudah dilanjutkan.",
                    message_en="This item was already resumed.")
            if payload.pop("_skip", False):
                payload.pop("_parked_from", None)
                if row[3] is None:
                    # The skip has not reached the server: simply waiting again.
                    conn.exec_driver_sql(
                        "UPDATE outbox SET state = 'pending', payload = ?, updated_at = ?"
                        " WHERE seq = ?", (json.dumps(payload, ensure_ascii=False), now, row[0]))
                    return self._entry(conn, int(row[0]))
                # The server logged the skip for that seq: send the action as a new command.
                full = conn.exec_driver_sql(
                    "SELECT kind, complaint_id, response_id, base_version FROM outbox"
                    " WHERE seq = ?", (row[0],)).one()
                seq, new_op = self._append(conn, kind=str(full[0]), complaint_id=full[1],
                                           response_id=full[2], base_version=full[3],
                                           payload=payload, now=now)
                conn.exec_driver_sql(
                    "UPDATE outbox SET payload = json_set(payload, '$._resumed_as', ?),"
                    " updated_at = ? WHERE seq = ?", (new_op, now, row[0]))
                return self._entry(conn, seq)
            back = payload.pop("_parked_from", None)
            if back not in _PROBLEM:  # parked by "take theirs" (before this key existed)
                back = "conflict" if row[3] in (p.REASON_TEXT_CONFLICT,
                                                p.REASON_FIELD_CONFLICT) else "rejected"
            conn.exec_driver_sql(
                "UPDATE outbox SET state = ?, payload = ?, updated_at = ? WHERE seq = ?",
                (back, json.dumps(payload, ensure_ascii=False), now, row[0]))
            return self._entry(conn, int(row[0]))

    def resolve_items(self, ref: str, *, parked: bool) -> list[str]:
        """op_ids for ``park``/``unpark`` from an op_id or a complaint (tracking ID or UUID):
        every conflict/rejection (or every parked item) of that complaint."""
        ref = ref.strip().lower()
        with self.store.read() as conn:
            if conn.exec_driver_sql("SELECT 1 FROM outbox WHERE op_id = ?", (ref,)).first():
                return [ref]
            states = ("parked",) if parked else _PROBLEM  # waiting ones only by op id
            marks = ", ".join("?" * len(states))
            tracking = ref.removeprefix("#")
            rows = conn.exec_driver_sql(
                f"SELECT o.op_id FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id"  # noqa: S608
                f" WHERE o.state IN ({marks}) AND (o.complaint_id = ? OR"
                f" (c.tracking_id IS NOT NULL AND CAST(c.tracking_id AS TEXT) = ?)"
                f" OR CAST(json_extract(o.payload, '$._tracking_id') AS TEXT) = ?"
                f" OR o.response_id IN (SELECT o2.response_id FROM outbox o2 WHERE"
                f"  CAST(json_extract(o2.payload, '$._tracking_id') AS TEXT) = ?))"
                f" ORDER BY o.seq", (*states, ref, tracking, tracking, tracking)).all()
        if not rows:
            raise NotFoundError(ref[:64], message_id=(
                "Tidak ada item yang disisihkan untuk itu." if parked else
                "Tidak ada item bentrok atau ditolak untuk itu."), message_en=(
                "No parked item matches." if parked else
                "No conflicting or rejected item matches."))
        return [str(r[0]) for r in rows]

    def parked(self) -> list[AttentionItem]:
        """Parked items, in plain language, so they can be found and resumed."""
        items: list[AttentionItem] = []
        with self.store.read() as conn:
            for op_id, kind, reason, cid, rid, tracking in conn.exec_driver_sql(
                    "SELECT o.op_id, o.kind, o.outcome_reason, o.complaint_id,"  # noqa: S608
                    f" o.response_id, {_OP_TRACKING}"
                    " FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id"
                    " WHERE o.state = 'parked'"
                    " AND json_extract(o.payload, '$._resumed_as') IS NULL ORDER BY o.seq"):
                label_id, label_en = _KIND_LABELS.get(kind, (kind, kind))
                why_id, why_en = reason_text(reason)
                mid, men = _where(tracking, f"{label_id} disisihkan. {why_id}",
                                  f"{label_en}: parked. {why_en}")
                items.append(AttentionItem("parked", mid, men, complaint_id=cid,
                                           tracking_id=tracking, draft_id=rid, op_id=op_id,
                                           reason=reason))
        return items

    # ------------------------------------------------------------ push support

    def next_batch(self, limit: int = 200, *, from_seq: int | None = None) -> list[p.Command]:
        """The next commands to send, in seq order, marked ``sending`` in the same transaction
        (a later edit then appends instead of changing a command already on its way).

        ``from_seq`` resends from that seq whatever the local state (the server lost commands,
        e.g. restored from a backup; it dedupes by op_id).
        """
        from lapor_desk.models.blobs import held_shas

        now = self._now()
        with self.store.write() as conn:
            if from_seq is None:
                # Open commands, and parked ones whose skip has no outcome yet.
                rows = conn.exec_driver_sql(
                    "SELECT seq, op_id, kind, complaint_id, base_version, created_at, payload,"
                    " state FROM outbox WHERE state IN ('pending', 'sending')"
                    " OR (state = 'parked' AND outcome_reason IS NULL"
                    "     AND json_extract(payload, '$._skip')) ORDER BY seq LIMIT ?",
                    (limit,)).all()
            else:
                rows = conn.exec_driver_sql(
                    "SELECT seq, op_id, kind, complaint_id, base_version, created_at, payload,"
                    " state FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?",
                    (from_seq, limit)).all()
            # An add_attachment waits until its file is on the server, and so does everything
            # after it (the server applies a device's commands in seq order).
            held = held_shas(conn)
            if held:
                for i, r in enumerate(rows):
                    # (a parked command goes out as a skip, which waits for nothing)
                    if (r[2] == p.CMD_ADD_ATTACHMENT and r[7] != "parked"
                            and json.loads(r[6]).get("sha256") in held):
                        rows = rows[:i]
                        break
            if rows:
                conn.exec_driver_sql(
                    "UPDATE outbox SET state = 'sending', sent_at = coalesce(sent_at, ?),"
                    " updated_at = ? WHERE seq BETWEEN ? AND ? AND state = 'pending'",
                    (now, now, rows[0][0], rows[-1][0]))
        return [self._wire(r) for r in rows]

    @staticmethod
    def _wire(r: Sequence[Any]) -> p.Command:
        payload = json.loads(r[6])
        if r[7] == "parked" and payload.get("_skip"):
            return {"op_id": r[1], "seq": int(r[0]), "kind": p.CMD_SKIP,
                    "complaint_id": r[3] or "", "base_version": None,
                    "created_at": _dt(r[5]).isoformat(), "payload": {}}
        return {
            "op_id": r[1], "seq": int(r[0]), "kind": r[2], "complaint_id": r[3] or "",
            "base_version": r[4], "created_at": _dt(r[5]).isoformat(),
            "payload": {k: v for k, v in payload.items() if not k.startswith("_")},
        }

    def record_outcomes(self, outcomes: Iterable[p.Outcome], *,
                        replay: bool = False) -> RecordCounts:
        """Record server outcomes in one transaction (idempotent).

        ``replay``: the outcomes answer commands resent because the server lost them (restored
        from a backup). The server applied them anew, so its word now wins over an outcome
        recorded before the restore: an answer applied then may be rejected now (the complaint
        was closed meanwhile), and the user must see that, not a stale "synced".
        """
        with self.store.write() as conn:
            return self.record_outcomes_in(conn, outcomes, replay=replay)

    def record_outcomes_in(self, conn: Connection, outcomes: Iterable[p.Outcome], *,
                           replay: bool = False) -> RecordCounts:
        """``record_outcomes`` inside the caller's write transaction (a pulled page's)."""
        now = self._now()
        counts = RecordCounts()
        for o in outcomes:
            row = conn.exec_driver_sql(
                "SELECT seq, kind, state, response_id, outcome_reason,"
                " json_extract(payload, '$._skip') FROM outbox WHERE op_id = ?",
                (o["op_id"].lower(),)).first()
            if row is None or int(row[0]) != o["seq"]:
                counts.unknown += 1
                continue
            seq, kind, state, response_id = int(row[0]), str(row[1]), str(row[2]), row[3]
            status = o["status"]
            if state == "parked" and row[5] and row[4] is None \
                    and status in p.TERMINAL_OUTCOMES:
                if status not in (p.OUTCOME_APPLIED, p.OUTCOME_MERGED):
                    # The skip's outcome: recorded, the command stays parked (resumable).
                    conn.exec_driver_sql(
                        "UPDATE outbox SET outcome_reason = ?, outcome_message = ?,"
                        " updated_at = ? WHERE seq = ?",
                        (o["reason"] or p.REASON_PARKED, o["message"][:500], now, seq))
                    counts.rejected += 1
                    continue
                # The original had been applied before the park (a lost response): that is
                # its real outcome, recorded below as for any open command.
                conn.exec_driver_sql(
                    "UPDATE outbox SET state = 'sending', payload = json_remove(payload,"
                    " '$._skip', '$._parked_from') WHERE seq = ?", (seq,))
                state = "sending"
            if status == p.OUTCOME_RETRY:
                if state == "sending":
                    conn.exec_driver_sql(
                        "UPDATE outbox SET state = 'pending', updated_at = ? WHERE seq = ?",
                        (now, seq))
                counts.retry += 1
                continue
            if status not in p.TERMINAL_OUTCOMES:
                counts.unknown += 1
                continue
            if state not in _OPEN:
                if not (replay and state in p.TERMINAL_OUTCOMES
                        and (state, row[4]) != (status, o["reason"])):
                    counts.repeated += 1  # already terminal (or parked): a replay changes nothing
                    continue
                log.warning("after a server restore, command seq %d ended %s/%s (was %s/%s)",
                            seq, status, o["reason"], state, row[4])
                counts.changed += 1
            rversion = o.get("response_version")
            conn.exec_driver_sql(
                "UPDATE outbox SET state = ?, outcome_reason = ?, outcome_message = ?,"
                " outcome_version = ?, response_version = ?, updated_at = ? WHERE seq = ?",
                (status, o["reason"], o["message"][:500], o["complaint_version"], rversion,
                 now, seq))
            if kind == p.CMD_MARK_READ and status == p.OUTCOME_REJECTED:
                # A read mark refused (e.g. the complaint left the scope) is a badge, not a
                # decision: recorded, set aside, never nagging in the attention list.
                conn.exec_driver_sql(
                    "UPDATE outbox SET state = 'parked' WHERE seq = ?", (seq,))
            if status in (p.OUTCOME_APPLIED, p.OUTCOME_MERGED):
                counts.applied += 1
            elif status == p.OUTCOME_CONFLICT:
                counts.conflicts += 1
            else:
                counts.rejected += 1
            if response_id is not None:
                self._after_outcome(conn, kind, str(response_id), status, o["reason"], now,
                                    rversion, seq)
        return counts

    @staticmethod
    def _after_outcome(conn: Connection, kind: str, draft_id: str, status: str,
                       reason: str | None, now: int, rversion: int | None, seq: int) -> None:
        """The local draft state that follows a terminal outcome."""
        draft = conn.exec_driver_sql(
            "SELECT state FROM drafts WHERE id = ?", (draft_id,)).first()
        if draft is None:
            return  # a supervisor's review of someone else's response
        later_saves = conn.exec_driver_sql(
            "SELECT count(*) FROM outbox WHERE response_id = ? AND seq > ? AND kind = ?",
            (draft_id, seq, p.CMD_RESPONSE_SAVE)).scalar_one()
        if kind == p.CMD_RESPONSE_SAVE and rversion is not None and not later_saves:
            # The server's own count (a merge or an unchanged text may differ from ours); on a
            # conflict it is the server's current version, so the next edit is based on it.
            conn.exec_driver_sql(
                "UPDATE drafts SET response_version = ? WHERE id = ?", (rversion, draft_id))
        if status == p.OUTCOME_REJECTED and reason in (p.REASON_NOT_ASSIGNED, p.REASON_CLOSED):
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'orphaned', updated_at = ? WHERE id = ?",
                (now, draft_id))
            return
        if kind == p.CMD_RESPONSE_SUBMIT and status in (p.OUTCOME_REJECTED, p.OUTCOME_CONFLICT) \
                and draft[0] == "submitted":
            # Not submitted after all (e.g. a new reporter reply to read first).
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'draft', updated_at = ? WHERE id = ?",
                (now, draft_id))
        elif kind in (p.CMD_RESPONSE_APPROVE, p.CMD_RESPONSE_RETURN) \
                and status in (p.OUTCOME_REJECTED, p.OUTCOME_CONFLICT):
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'submitted', updated_at = ? WHERE id = ?",
                (now, draft_id))

    def reconcile_in(self, conn: Connection, *, complete: bool = False) -> None:
        """After a pulled page (same transaction): follow the server's state of our drafts.

        A draft with no command still open adopts the synced response (text, version, state,
        note). A draft whose complaint is closed on the server becomes orphaned. ``complete``:
        this page ends a pull (the replica is at the server's head), so a draft whose complaint
        is not in the replica at all left the scope — typically while a reset rebuilt the synced
        layer, which removes nothing one by one — and becomes orphaned too.
        """
        now = self._now()
        if complete:
            conn.exec_driver_sql(
                "UPDATE drafts SET state = 'orphaned', updated_at = ?"
                " WHERE state NOT IN ('orphaned', 'approved')"
                " AND complaint_id NOT IN (SELECT id FROM complaints)", (now,))
        rows = conn.exec_driver_sql(
            "SELECT d.id, d.state, d.body, d.response_version, d.note, r.body, r.version,"
            " r.state, r.note, c.status,"
            " (SELECT o.state FROM outbox o WHERE o.response_id = d.id"
            "  ORDER BY o.seq DESC LIMIT 1),"
            " (SELECT t.body FROM thread_entries t WHERE t.complaint_rid = c.rid"
            "  AND t.id = d.id AND t.kind = 'followup')"
            " FROM drafts d LEFT JOIN responses r ON r.id = d.id"
            " LEFT JOIN complaints c ON c.id = d.complaint_id"
            " WHERE d.state <> 'orphaned'").all()
        for (did, state, body, rv, note, sbody, sversion, sstate, snote, cstatus, last,
             published) in rows:
            if last in _OPEN:
                continue  # local work on its way: the server's copy is older than ours
            if published is not None:
                # Approved and published: the response became a follow-up in the thread, with
                # the text that was approved (maybe a colleague's later version of it). A text
                # of ours the server refused (say, an edit that came after the approval) stays
                # in the draft: nothing a person wrote is replaced unseen, nor once the
                # refusal was set aside (parked) from the needs-attention list.
                if last in ("rejected", "conflict", "parked"):
                    published = body
                if state != "approved" or published != body:
                    conn.exec_driver_sql(
                        "UPDATE drafts SET state = 'approved', body = ?, note = NULL,"
                        " updated_at = ? WHERE id = ?", (published, now, did))
                continue
            if cstatus is not None and cstatus in TERMINAL_STATUSES and state != "approved":
                conn.exec_driver_sql(
                    "UPDATE drafts SET state = 'orphaned', updated_at = ? WHERE id = ?",
                    (now, did))
                continue
            if sversion is None or int(sversion) < int(rv):
                continue
            if last == "conflict" and int(sversion) == int(rv):
                sbody = body  # keep my text after a conflict; theirs stays in the response
            new_state = _SERVER_TO_DRAFT.get(str(sstate), state)
            new_note = snote if new_state == "returned" else None
            if (sbody, int(sversion), new_state, new_note) != (body, int(rv), state, note):
                conn.exec_driver_sql(
                    "UPDATE drafts SET body = ?, response_version = ?, state = ?, note = ?,"
                    " updated_at = ? WHERE id = ?",
                    (sbody, int(sversion), new_state, new_note, now, did))


_SERVER_TO_DRAFT = {"draft": "draft", "withdrawn": "draft", "submitted": "submitted",
                    "returned": "returned", "approved": "approved", "published": "approved"}
