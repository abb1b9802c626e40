"""Push: commands from desk outboxes, applied one per transaction with a command log.

For each command, in seq order: dedupe (a known op_id, or a seq at or below the device's last
logged seq, answers the stored outcome) -> seq gap check (answers ``retry`` for it and every
later command of the batch) -> authorize (role, agency scope: primary only, copies are
read-only) -> preconditions -> apply or merge -> record the outcome in ``command_log`` in the
same transaction as the effect. A rejection never leaves a partial effect (the effect runs in
a savepoint). Retry outcomes are not logged.

The admin and reporter side of the workflow (``lapor-hub act``) uses the same effects
(``admin_act``), so a transition looks the same in the thread whichever way it happened.

Text hashes (``text_sha256``) are SHA-256 of the response body encoded as UTF-8, hex.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from lapor_desk.models.domain import STATUS_LABELS_ID
from lapor_desk.models.rules import (
    DeadlineRules,
    due_for_step,
    follow_up_due_after_reply,
)
from lapor_desk.models.workdays import WorkCalendar
from lapor_desk.sync.protocol import (
    CMD_ADD_ATTACHMENT,
    CMD_HANDOVER_NOTE,
    CMD_MARK_READ,
    CMD_NOTE,
    CMD_REROUTE_REQUEST,
    CMD_RESPONSE_APPROVE,
    CMD_RESPONSE_RETURN,
    CMD_RESPONSE_SAVE,
    CMD_RESPONSE_SUBMIT,
    CMD_SKIP,
    CMD_TRANSITION,
    CMD_TRIAGE,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_BODY_CHARS,
    OUTCOME_APPLIED,
    OUTCOME_CONFLICT,
    OUTCOME_MERGED,
    OUTCOME_REJECTED,
    OUTCOME_RETRY,
    REASON_CLOSED,
    REASON_FIELD_CONFLICT,
    REASON_FILE_NOT_UPLOADED,
    REASON_ILLEGAL_TRANSITION,
    REASON_INVALID,
    REASON_NEEDS_REVIEW,
    REASON_NOT_ASSIGNED,
    REASON_PARKED,
    REASON_STALE_APPROVAL,
    REASON_TEXT_CONFLICT,
    Outcome,
)
from lapor_hub import blobs, db, workflow
from lapor_hub.auth import Principal
from lapor_hub.merge import merge3
from lapor_hub.rules import agency_rules, calendar_for
from lapor_hub.store import (
    AttachmentData,
    ComplaintData,
    Snapshot,
    ThreadData,
    load_one,
    save_one,
    write_complaints,
)
from lapor_hub.workflow import Refusal

MAX_COMMANDS = 500  # per push request
MAX_NOTE_CHARS = 20_000
MAX_TAGS, MAX_TAG_CHARS = 20, 50
FLAG_REROUTE_REQUESTED = "reroute_requested"
_STATUS_ID = STATUS_LABELS_ID


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: str
    name: str
    role: str  # a desk role, or workflow.REPORTER / workflow.SYSTEM
    agency_id: str
    device_id: str | None = None

    @classmethod
    def of(cls, who: Principal, device_id: str | None) -> Actor:
        return cls(who.user_id, who.display_name, who.role, who.agency_id, device_id)


class Rejected(Exception):
    """A permanent refusal of one command (becomes a ``rejected`` outcome)."""

    def __init__(self, reason: str, message: str, refusal: Refusal | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.refusal = refusal or Refusal(reason, message, message)

    @classmethod
    def of(cls, refusal: Refusal) -> Rejected:
        return cls(refusal.code, refusal.message_en, refusal)


def _check(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise Rejected.of(refusal)


# ------------------------------------------------------------------------------------------
# Effects on a loaded complaint (shared by push and ``lapor-hub act``)
# ------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Ctx:
    conn: Connection
    actor: Actor
    now: datetime
    c: ComplaintData
    version: int  # the stored version (before this change)
    rules: DeadlineRules
    cal: WorkCalendar
    dirty: bool = True  # False when the command turned out to change nothing
    snap: Snapshot | None = None  # set by ``open_ctx``: ``save_ctx`` writes only the changes

    @property
    def now_iso(self) -> str:
        return iso(self.now)

    def event(self, text: str) -> None:
        """An audit entry in the thread: who (author), when (created_at), from which device."""
        device = f" (perangkat {self.actor.device_id})" if self.actor.device_id else ""
        author = f"{self.actor.name} ({self.actor.role})"
        self.c.thread.append(ThreadData(str(uuid.uuid4()), "event", author, text + device,
                                        self.now_iso))

    def due(self, step: str) -> str:
        return iso(due_for_step(step, self.now, self.rules, self.cal))

    def agency_name(self, agency_id: str) -> str:
        name = self.conn.execute(select(db.agencies.c.name)
                                 .where(db.agencies.c.id == agency_id)).scalar()
        return str(name) if name is not None else agency_id


def set_status(ctx: Ctx, to_status: str, note: str | None = None) -> None:
    """Move the complaint (the caller has checked the transition) and set the step deadline."""
    c = ctx.c
    before = c.status
    c.status = to_status
    if to_status in workflow.TERMINAL or to_status == workflow.DITUNDA:
        c.due_at = None
    elif to_status in (workflow.BARU, workflow.DIVERIFIKASI):
        c.due_at = ctx.due("verify")
    elif to_status == workflow.DIDISPOSISIKAN:
        c.due_at = ctx.due("follow_up")
    elif to_status == workflow.DITINDAKLANJUTI:
        c.due_at = ctx.due("reporter_reply")
    text = f"Status: {_STATUS_ID.get(before, before)} → {_STATUS_ID.get(to_status, to_status)}."
    if note:
        text += f" {note}"
    ctx.event(text)
    if to_status in workflow.TERMINAL:
        _clear_flags(ctx, None)


def _clear_flags(ctx: Ctx, flag: str | None) -> None:
    q = delete(db.complaint_flags).where(db.complaint_flags.c.complaint_id == ctx.c.id)
    if flag is not None:
        q = q.where(db.complaint_flags.c.flag == flag)
    ctx.conn.execute(q)


def _set_flag(ctx: Ctx, flag: str) -> None:
    db.insert_or_ignore(ctx.conn, db.complaint_flags,
                        [{"complaint_id": ctx.c.id, "flag": flag, "set_at": ctx.now_iso}],
                        ["complaint_id", "flag"])


def transition(ctx: Ctx, to_status: str, reason: str | None = None) -> None:
    c = ctx.c
    _check(workflow.check_transition(ctx.actor.role, c.status, to_status))
    note = None
    if to_status == workflow.DITUTUP:
        canonical = workflow.normalise_close_reason(reason)
        if canonical is None:
            _check(workflow.close_reason_refusal())
        note = f"Alasan: {canonical}."
    set_status(ctx, to_status, note)


def dispose(ctx: Ctx, to_agency: str | None, copies: list[str]) -> None:
    """Verified -> disposed, to ``to_agency`` (default: the current one) with copies."""
    c = ctx.c
    _check(workflow.check_transition(ctx.actor.role, c.status, workflow.DIDISPOSISIKAN))
    target = to_agency or c.agency_id
    _known_agencies(ctx.conn, [target, *copies])
    if target != c.agency_id:
        _former_owner(ctx, c.agency_id)
    c.agency_id = target
    c.copy_agency_ids = sorted(set(copies) - {target})
    _use_agency_rules(ctx)
    names = "".join(f"; tembusan ke {ctx.agency_name(a)}" for a in c.copy_agency_ids)
    set_status(ctx, workflow.DIDISPOSISIKAN, f"Terdisposisi ke {ctx.agency_name(target)}{names}.")


def reroute(ctx: Ctx, to_agency: str, copies: list[str] | None) -> None:
    """"Bukan wewenang": the complaint leaves the old agency's scope for ``to_agency``."""
    c = ctx.c
    _check(workflow.check_reroute(ctx.actor.role, c.status, c.agency_id, to_agency))
    _known_agencies(ctx.conn, [to_agency, *(copies or [])])
    old = c.agency_id
    if old != to_agency:
        _former_owner(ctx, old)
    c.agency_id = to_agency
    if copies is not None:
        c.copy_agency_ids = sorted(set(copies) - {to_agency})
    else:
        c.copy_agency_ids = sorted(set(c.copy_agency_ids) - {to_agency, old})
    c.assignee_id = None  # the old agency's officer no longer handles it
    _use_agency_rules(ctx)
    _clear_flags(ctx, FLAG_REROUTE_REQUESTED)
    # Unpublished drafts of the old agency stay in its command log / outcomes, not in the doc.
    ctx.conn.execute(update(db.responses)
                     .where(db.responses.c.complaint_id == c.id,
                            db.responses.c.state != "published")
                     .values(state="withdrawn", updated_at=ctx.now_iso))
    before = c.status
    c.status = workflow.DIDISPOSISIKAN
    c.due_at = ctx.due("follow_up")
    ctx.event(f"Dialihkan (bukan wewenang) dari {ctx.agency_name(old)} ke "
              f"{ctx.agency_name(to_agency)}; status {_STATUS_ID.get(before, before)} → "
              f"{_STATUS_ID[workflow.DIDISPOSISIKAN]}.")


def _former_owner(ctx: Ctx, agency_id: str) -> None:
    """Remember the agency that lost the complaint (it may send one kind of write: a handover
    note from a draft the re-route orphaned)."""
    db.insert_or_ignore(ctx.conn, db.former_owners, [
        {"complaint_id": ctx.c.id, "agency_id": agency_id, "left_at": ctx.now_iso}],
        ["complaint_id", "agency_id"])


def reporter_reply(ctx: Ctx, text: str, entry_id: str | None = None) -> None:
    """A reporter's reply (tanggapan); on a followed-up complaint it re-opens it."""
    c = ctx.c
    if c.status in workflow.TERMINAL:
        _check(workflow.check_transition(workflow.REPORTER, c.status, c.status))
    c.thread.append(ThreadData(entry_id or str(uuid.uuid4()), "comment", "Pelapor", text,
                               ctx.now_iso))
    if c.status == workflow.DITINDAKLANJUTI:
        _check(workflow.check_transition(workflow.REPORTER, c.status, workflow.DIDISPOSISIKAN))
        previous = parse_iso(c.due_at) if c.due_at else ctx.now
        c.status = workflow.DIDISPOSISIKAN
        c.due_at = iso(follow_up_due_after_reply(previous, ctx.now, ctx.rules, ctx.cal))
        ctx.event("Pelapor menanggapi; laporan dibuka kembali untuk tindak lanjut baru "
                  f"(status {_STATUS_ID[workflow.DITINDAKLANJUTI]} → "
                  f"{_STATUS_ID[workflow.DIDISPOSISIKAN]}).")


def _known_agencies(conn: Connection, ids: list[str]) -> None:
    found = set(conn.execute(select(db.agencies.c.id).where(db.agencies.c.id.in_(ids))).scalars())
    missing = sorted(set(ids) - found)
    if missing:
        raise Rejected(REASON_INVALID, f"unknown agency: {missing[0][:100]}")


# ------------------------------------------------------------------------------------------
# Loading, locking, writing
# ------------------------------------------------------------------------------------------

def open_ctx(conn: Connection, actor: Actor, complaint_id: str, now: datetime,
             rules: DeadlineRules | None = None) -> Ctx | None:
    loaded = load_one(conn, complaint_id)  # locks the row (PostgreSQL)
    if loaded is None:
        return None
    c, snap = loaded
    rules = rules or agency_rules(conn, c.agency_id)
    return Ctx(conn, actor, now, c, snap.version, rules, calendar_for(rules), snap=snap)


def _use_agency_rules(ctx: Ctx) -> None:
    """After a disposition or re-route: deadlines follow the new agency's rules."""
    ctx.rules = agency_rules(ctx.conn, ctx.c.agency_id)
    ctx.cal = calendar_for(ctx.rules)


def save_ctx(ctx: Ctx) -> int:
    """Rebuild the doc and bump the streams (H1's write path); the new complaint version."""
    ctx.c.updated_at = ctx.now_iso
    if ctx.snap is not None:
        return save_one(ctx.conn, ctx.c, ctx.snap)
    write_complaints(ctx.conn, [ctx.c])
    return ctx.version + 1


def find_complaint_id(conn: Connection, ref: str) -> str | None:
    """A complaint id from a tracking ID or a UUID."""
    ref = ref.strip().lstrip("#")
    if ref.isdigit():
        value = conn.execute(select(db.complaints.c.id)
                             .where(db.complaints.c.tracking_id == int(ref))).scalar()
    else:
        value = conn.execute(select(db.complaints.c.id)
                             .where(db.complaints.c.id == ref.lower())).scalar()
    return None if value is None else str(value)


# ------------------------------------------------------------------------------------------
# Payload helpers
# ------------------------------------------------------------------------------------------

def storable(value: str) -> bool:
    """No NUL (PostgreSQL text) and no lone surrogates (not UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(p: Mapping[str, Any], key: str, limit: int, *, optional: bool = False,
          allow_empty: bool = False) -> str | None:
    value = p.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit or not storable(value) \
            or (not allow_empty and not value.strip()):
        raise Rejected(REASON_INVALID, f"payload field {key} is missing or invalid")
    return value


def _req_text(p: Mapping[str, Any], key: str, limit: int, *, allow_empty: bool = False) -> str:
    value = _text(p, key, limit, allow_empty=allow_empty)
    assert value is not None
    return value


def _uuid(p: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = p.get(key)
    if value is None and optional:
        return None
    try:
        return str(uuid.UUID(str(value))) if isinstance(value, str) else _bad_uuid(key)
    except ValueError:
        return _bad_uuid(key)


def _bad_uuid(key: str) -> str:
    raise Rejected(REASON_INVALID, f"payload field {key} must be a UUID")


def _int(p: Mapping[str, Any], key: str) -> int:
    value = p.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Rejected(REASON_INVALID, f"payload field {key} must be a whole number >= 0")
    return value


# ------------------------------------------------------------------------------------------
# Command handlers: each returns (status, reason, message, extra outcome fields)
# ------------------------------------------------------------------------------------------

Result = tuple[str, str | None, str, dict[str, Any]]


def _scope(ctx: Ctx, *, allow_closed: bool = False) -> None:
    c = ctx.c
    _check(workflow.check_scope(ctx.actor.agency_id, c.agency_id, set(c.copy_agency_ids)))
    if not allow_closed and c.status in workflow.TERMINAL:
        raise Rejected(REASON_CLOSED, f"the complaint is {c.status}; nothing was changed")


_RESPONSE = select(db.responses).where(db.responses.c.id == bindparam("rid"))
_RESPONSE_LOCKED = _RESPONSE.with_for_update()
_INS_RESPONSE = db.responses.insert()
_ENTRY_OWNER = select(db.thread_entries.c.complaint_id).where(
    db.thread_entries.c.id == bindparam("eid"))


def _response_row(ctx: Ctx, response_id: str) -> Any:
    q = _RESPONSE_LOCKED if ctx.conn.dialect.name == "postgresql" else _RESPONSE
    row = ctx.conn.execute(q, {"rid": response_id}).mappings().first()
    if row is not None and row["complaint_id"] != ctx.c.id:
        raise Rejected(REASON_INVALID, "the response belongs to another complaint")
    return row


def _need_response(ctx: Ctx, response_id: str) -> Any:
    row = _response_row(ctx, response_id)
    if row is None or row["state"] == "withdrawn":
        raise Rejected(REASON_INVALID, "unknown response")
    if row["state"] == "published":
        raise Rejected(REASON_INVALID, "the response is already published")
    return row


def _update_response(ctx: Ctx, response_id: str, **values: Any) -> None:
    ctx.conn.execute(update(db.responses).where(db.responses.c.id == response_id)
                     .values(updated_at=ctx.now_iso, **values))


def _response_save(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_DRAFT))
    _scope(ctx)
    rid = _uuid(p, "response_id")
    assert rid is not None
    body = _req_text(p, "body", MAX_BODY_CHARS, allow_empty=True)
    base_version = _int(p, "base_response_version")
    base_body = _text(p, "base_body", MAX_BODY_CHARS, optional=True, allow_empty=True)
    row = _response_row(ctx, rid)
    if row is None:
        if base_version != 0:
            raise Rejected(REASON_INVALID, "unknown response for an edit (base version > 0)")
        ctx.conn.execute(_INS_RESPONSE, {
            "id": rid, "complaint_id": ctx.c.id, "author_id": ctx.actor.user_id,
            "author_name": ctx.actor.name, "body": body, "version": 1,
            "text_sha256": sha256_text(body), "state": "draft", "note": None,
            "reviewer_id": None, "created_at": ctx.now_iso, "updated_at": ctx.now_iso,
            "published_at": None})
        return OUTCOME_APPLIED, None, "response created", {"response_version": 1}
    if row["state"] in ("published", "withdrawn"):
        raise Rejected(REASON_INVALID, f"the response is {row['state']}; start a new one")
    current, server_body = int(row["version"]), str(row["body"])
    status, reason, message = OUTCOME_APPLIED, None, "response saved"
    if base_version != current:
        merged = merge3(base_body, server_body, body) if base_body is not None else None
        if merged is None or merged.conflict or merged.text is None:
            return (OUTCOME_CONFLICT, REASON_TEXT_CONFLICT,
                    "overlapping edits; the server kept its version, both texts are kept",
                    {"response_version": current, "theirs": server_body, "mine": body})
        body = merged.text
        status, message = OUTCOME_MERGED, "merged with a concurrent edit"
    if body == server_body:
        ctx.dirty = False
        return status, reason, message + " (text unchanged)", {"response_version": current}
    state = row["state"]
    if state == "submitted":
        ctx.event("Draf tindak lanjut diubah; pengajuan persetujuan ditarik.")
    _update_response(ctx, rid, body=body, version=current + 1, text_sha256=sha256_text(body),
                     state="draft" if state in ("submitted", "approved", "returned") else state)
    return status, reason, message, {"response_version": current + 1}


def _comments_after(c: ComplaintData, seen: str | None) -> bool:
    """Is there a reporter comment the author has not seen?"""
    comments = sorted((t for t in c.thread if t.kind == "comment"),
                      key=lambda t: (t.created_at, t.id))
    if not comments:
        return False
    if seen is None:
        return True
    ids = [t.id for t in comments]
    return seen not in ids or ids.index(seen) != len(ids) - 1


def _bound_to_current(row: Any, p: Mapping[str, Any], reason: str) -> None:
    version, digest = _int(p, "response_version"), p.get("text_sha256")
    if (version != int(row["version"]) or digest != row["text_sha256"]
            or digest != sha256_text(str(row["body"]))):
        raise Rejected(reason, "the response changed after this version was seen")


def _response_submit(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_SUBMIT))
    _scope(ctx)
    rid = _uuid(p, "response_id")
    assert rid is not None
    row = _need_response(ctx, rid)
    _bound_to_current(row, p, REASON_TEXT_CONFLICT)
    if ctx.c.status not in (workflow.DIDISPOSISIKAN, workflow.DITINDAKLANJUTI):
        raise Rejected(REASON_ILLEGAL_TRANSITION,
                       f"a complaint that is {ctx.c.status} cannot get a follow-up")
    seen = _text(p, "last_comment_id_seen", 100, optional=True)
    if _comments_after(ctx.c, seen):
        raise Rejected(REASON_NEEDS_REVIEW, "a new reporter reply arrived; read it and resubmit")
    if row["state"] == "submitted":
        ctx.dirty = False
        return OUTCOME_APPLIED, None, "already submitted", {"response_version": row["version"]}
    _update_response(ctx, rid, state="submitted", note=None)
    ctx.event("Draf tindak lanjut diajukan untuk persetujuan.")
    return OUTCOME_APPLIED, None, "submitted", {"response_version": int(row["version"])}


def _submitted_for_review(ctx: Ctx, p: Mapping[str, Any]) -> tuple[str, Any]:
    """Approve and return share their preconditions: a supervisor, in scope, reviewing the
    exact submitted version and text (else the review is stale)."""
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_REVIEW))
    _scope(ctx)
    rid = _uuid(p, "response_id")
    assert rid is not None
    row = _need_response(ctx, rid)
    _bound_to_current(row, p, REASON_STALE_APPROVAL)
    if row["state"] != "submitted":
        raise Rejected(REASON_STALE_APPROVAL, f"the response is {row['state']}, not submitted")
    return rid, row


def _response_approve(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    rid, row = _submitted_for_review(ctx, p)
    c = ctx.c
    if c.status not in (workflow.DIDISPOSISIKAN, workflow.DITINDAKLANJUTI):
        raise Rejected(REASON_ILLEGAL_TRANSITION,
                       f"a complaint that is {c.status} cannot get a follow-up")
    # Publish exactly once: the response id is the thread entry id, and the state moves on.
    _update_response(ctx, rid, state="published", reviewer_id=ctx.actor.user_id,
                     published_at=ctx.now_iso)
    entry_id = rid
    if ctx.conn.execute(select(db.thread_entries.c.id)
                        .where(db.thread_entries.c.id == rid)).first() is not None:
        entry_id = str(uuid.uuid4())  # a client reused the id elsewhere; the state guards once
    c.thread.append(ThreadData(entry_id, "followup", ctx.agency_name(c.agency_id),
                               str(row["body"]), ctx.now_iso))
    ctx.event(f"Tindak lanjut disetujui oleh {ctx.actor.name} dan diterbitkan "
              f"(versi {int(row['version'])}).")
    if c.status == workflow.DIDISPOSISIKAN:
        before = c.status
        _check(workflow.check_transition(workflow.SYSTEM, before, workflow.DITINDAKLANJUTI))
        set_status(ctx, workflow.DITINDAKLANJUTI)
    else:
        c.due_at = ctx.due("reporter_reply")
    return OUTCOME_APPLIED, None, "approved and published", {"response_version": row["version"]}


def _response_return(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    rid, row = _submitted_for_review(ctx, p)
    note = _req_text(p, "note", MAX_NOTE_CHARS)
    _update_response(ctx, rid, state="returned", note=note, reviewer_id=ctx.actor.user_id)
    ctx.event(f"Draf tindak lanjut dikembalikan oleh {ctx.actor.name} dengan catatan.")
    return OUTCOME_APPLIED, None, "returned", {"response_version": row["version"]}


def _triage_value(ctx: Ctx, name: str, value: Any) -> Any:
    conn = ctx.conn
    if name == "priority":
        if value not in workflow.PRIORITIES:
            raise Rejected(REASON_INVALID, "unknown priority")
        return value
    if name == "tags":
        if not isinstance(value, list) or len(value) > MAX_TAGS or not all(
                isinstance(t, str) and 0 < len(t.strip()) <= MAX_TAG_CHARS and storable(t)
                for t in value):
            raise Rejected(REASON_INVALID, "tags must be a list of short texts")
        return list(dict.fromkeys(t.strip() for t in value))
    if name == "category_id":
        if value is None:
            return None
        if not isinstance(value, str) or conn.execute(
                select(db.categories.c.id).where(db.categories.c.id == value)).first() is None:
            raise Rejected(REASON_INVALID, "unknown category")
        return value
    if value is None:
        return None
    if not isinstance(value, str) or conn.execute(
            select(db.users.c.id).where(db.users.c.id == value,
                                        db.users.c.agency_id == ctx.actor.agency_id,
                                        db.users.c.disabled.is_(False))).first() is None:
        raise Rejected(REASON_INVALID, "the assignee is not an active user of your agency")
    return value


def _same(name: str, a: Any, b: Any) -> bool:
    if name == "tags" and isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


_FIELD_ID = {"category_id": "kategori", "priority": "prioritas", "tags": "label",
             "assignee_id": "penanggung jawab"}


def _triage(ctx: Ctx, p: Mapping[str, Any], base_version: int | None) -> Result:
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_TRIAGE))
    _scope(ctx)
    changes, base = p.get("changes"), p.get("base")
    if not isinstance(changes, dict) or not changes or not isinstance(base, dict) \
            or not set(changes) <= set(workflow.TRIAGE_FIELDS):
        raise Rejected(REASON_INVALID, "changes must name only category_id, priority, tags, "
                                       "assignee_id")
    c = ctx.c
    wanted = {k: _triage_value(ctx, k, v) for k, v in changes.items()}
    conflicts: list[str] = []
    applied: list[str] = []
    for name in workflow.TRIAGE_FIELDS:
        if name not in wanted:
            continue
        server = getattr(c, name)
        if _same(name, server, wanted[name]):
            continue  # already so on the server
        if name in base and _same(name, server, base[name]):
            setattr(c, name, wanted[name])
            applied.append(name)
        else:
            conflicts.append(name)
    if applied:
        text_ = "Pemilahan diubah: " + ", ".join(_FIELD_ID[n] for n in applied) + "."
        if "assignee_id" in applied:
            assignee = ctx.conn.execute(select(db.users.c.display_name)
                                        .where(db.users.c.id == c.assignee_id)).scalar()
            text_ += f" Ditugaskan kepada {assignee}." if assignee else " Penugasan dilepas."
        ctx.event(text_)
    if conflicts:
        ctx.dirty = bool(applied)
        return (OUTCOME_CONFLICT, REASON_FIELD_CONFLICT,
                "changed on the server meanwhile: " + ", ".join(conflicts)
                + ("; other fields applied" if applied else ""),
                {"fields": conflicts,
                 "theirs_values": {n: getattr(c, n) for n in conflicts},
                 "mine_values": {n: wanted[n] for n in conflicts}})
    if base_version is not None and base_version != ctx.version and applied:
        return OUTCOME_MERGED, None, "applied alongside concurrent changes", {}
    ctx.dirty = bool(applied)
    return OUTCOME_APPLIED, None, "triage applied" if applied else "nothing to change", {}


def _transition(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    _scope(ctx)
    from_status = _req_text(p, "from_status", 40)
    to_status = _req_text(p, "to_status", 40)
    reason = _text(p, "reason", 200, optional=True)
    if ctx.c.status != from_status:
        raise Rejected(REASON_ILLEGAL_TRANSITION,
                       f"the status changed on the server to {ctx.c.status}; not applied")
    if to_status == workflow.DIDISPOSISIKAN and from_status == workflow.DIVERIFIKASI:
        dispose(ctx, None, list(ctx.c.copy_agency_ids))
    else:
        transition(ctx, to_status, reason)
    return OUTCOME_APPLIED, None, f"status {from_status} -> {to_status}", {}


def _note(ctx: Ctx, p: Mapping[str, Any], *, reroute_request: bool) -> Result:
    action = workflow.ACT_REROUTE_REQUEST if reroute_request else workflow.ACT_NOTE
    _check(workflow.check_action(ctx.actor.role, action))
    _scope(ctx, allow_closed=not reroute_request)
    entry_id = _uuid(p, "entry_id")
    body = _req_text(p, "body", MAX_NOTE_CHARS)
    if any(t.id == entry_id for t in ctx.c.thread):
        ctx.dirty = False
        return OUTCOME_APPLIED, None, "note already present", {}
    owner = ctx.conn.execute(_ENTRY_OWNER, {"eid": entry_id}).scalar()
    if owner is not None:
        raise Rejected(REASON_INVALID, "the entry id is used by another complaint")
    assert entry_id is not None
    if reroute_request:
        body = "Permintaan pengalihan (bukan wewenang): " + body
        _set_flag(ctx, FLAG_REROUTE_REQUESTED)
    ctx.c.thread.append(ThreadData(entry_id, "note", ctx.actor.name, body, ctx.now_iso))
    return OUTCOME_APPLIED, None, "reroute requested" if reroute_request else "note added", {}


_FORMER_OWNER = select(db.former_owners.c.agency_id).where(
    db.former_owners.c.complaint_id == bindparam("cid"),
    db.former_owners.c.agency_id == bindparam("agency"))


def _handover_note(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    """A note from the agency that LOST the complaint (re-routed or disposed away), carrying
    an orphaned draft to the new owner. Exactly that case: a former primary agency that is
    neither the primary nor a copy agency now; anyone else is refused."""
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_NOTE))
    c, agency = ctx.c, ctx.actor.agency_id
    if agency == c.agency_id or agency in c.copy_agency_ids:
        raise Rejected(REASON_INVALID, "the complaint is in your scope; send a normal note")
    if ctx.conn.execute(_FORMER_OWNER, {"cid": c.id, "agency": agency}).first() is None:
        raise Rejected(REASON_NOT_ASSIGNED, "your agency never handled this complaint")
    entry_id = _uuid(p, "entry_id")
    body = _req_text(p, "body", MAX_NOTE_CHARS)
    if any(t.id == entry_id for t in c.thread):
        ctx.dirty = False
        return OUTCOME_APPLIED, None, "handover note already present", {}
    if ctx.conn.execute(_ENTRY_OWNER, {"eid": entry_id}).scalar() is not None:
        raise Rejected(REASON_INVALID, "the entry id is used by another complaint")
    assert entry_id is not None
    name = ctx.agency_name(agency)
    ctx.c.thread.append(ThreadData(
        entry_id, "note", f"{ctx.actor.name} ({name})",
        f"Catatan serah terima dari {name} (instansi sebelumnya):\n\n{body}", ctx.now_iso))
    return OUTCOME_APPLIED, None, "handover note added", {}


_BUMP_USER = (update(db.user_seq).where(db.user_seq.c.user_id == bindparam("uid"))
              .values(seq=db.user_seq.c.seq + 1).returning(db.user_seq.c.seq))


def _mark_read(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    """Per-user read state; the complaint itself is unchanged (no new version)."""
    read = p.get("read")
    if not isinstance(read, bool):
        raise Rejected(REASON_INVALID, "payload field read must be true or false")
    seen = _text(p, "last_comment_id", 100, optional=True)
    ctx.dirty = False
    record_read_mark(ctx.conn, ctx.actor.user_id, ctx.c.id, read, seen, ctx.now_iso)
    return OUTCOME_APPLIED, None, "marked read" if read else "marked unread", {}


def record_read_mark(conn: Connection, user_id: str, complaint_id: str, read: bool,
                     seen: str | None, now_iso: str) -> int:
    """Store one user's mark with the user's next seq (inside the caller's transaction; the
    counter row stays locked until commit, so seq order is commit order). The seq."""
    db.insert_or_ignore(conn, db.user_seq, [{"user_id": user_id, "seq": 0}], ["user_id"])
    seq = int(conn.execute(_BUMP_USER, {"uid": user_id}).scalar_one())
    db.upsert(conn, db.read_marks, [{
        "user_id": user_id, "complaint_id": complaint_id, "read": read,
        "last_comment_id": seen, "seq": seq, "updated_at": now_iso}],
        ["user_id", "complaint_id"], ["read", "last_comment_id", "seq", "updated_at"])
    return seq


def read_marks_since(conn: Connection, user_id: str, after: int, limit: int
                     ) -> list[tuple[int, dict[str, Any]]]:
    """(seq, ReadMark) of a user's marks changed after ``after``, by seq."""
    rm = db.read_marks
    rows = conn.execute(select(rm.c.seq, rm.c.complaint_id, rm.c.read, rm.c.last_comment_id,
                               rm.c.updated_at)
                        .where(rm.c.user_id == user_id, rm.c.seq > after)
                        .order_by(rm.c.seq).limit(limit)).all()
    return [(int(r.seq), {"complaint_id": r.complaint_id, "read": bool(r.read),
                          "last_comment_id": r.last_comment_id, "at": r.updated_at})
            for r in rows]
MAX_ATTACHMENT_NAME_CHARS = 500
_ATTACHMENT_OWNER = select(db.attachments.c.complaint_id).where(
    db.attachments.c.id == bindparam("aid"))


def _add_attachment(ctx: Ctx, p: Mapping[str, Any]) -> Result:
    """Attach an uploaded blob (same rights as a note: the primary agency, open or closed)."""
    _check(workflow.check_action(ctx.actor.role, workflow.ACT_NOTE))
    _scope(ctx, allow_closed=True)
    attachment_id = _uuid(p, "attachment_id")
    assert attachment_id is not None
    sha = p.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64 or any(
            ch not in "0123456789abcdef" for ch in sha):
        raise Rejected(REASON_INVALID, "payload field sha256 must be 64 lowercase hex digits")
    size = _int(p, "size")
    if size > MAX_ATTACHMENT_BYTES:
        raise Rejected(REASON_INVALID, "the file is larger than the attachment limit")
    name = _req_text(p, "name", MAX_ATTACHMENT_NAME_CHARS)
    mime = _text(p, "mime", 100, optional=True)
    note = _text(p, "note", MAX_NOTE_CHARS, optional=True, allow_empty=True)
    if any(a.id == attachment_id for a in ctx.c.attachments):
        ctx.dirty = False
        return OUTCOME_APPLIED, None, "attachment already present", {}
    if ctx.conn.execute(_ATTACHMENT_OWNER, {"aid": attachment_id}).scalar() is not None:
        raise Rejected(REASON_INVALID, "the attachment id is used by another complaint")
    if blobs.blob_size(ctx.conn, sha) != size:
        raise Rejected(REASON_FILE_NOT_UPLOADED,
                       "file not uploaded: the server does not hold this file (complete)")
    if len(ctx.c.attachments) >= MAX_ATTACHMENTS:
        raise Rejected(REASON_INVALID, "the complaint has the most attachments allowed")
    ctx.c.attachments.append(AttachmentData(attachment_id, name, size, sha, mime))
    text = f"Lampiran ditambahkan: {name}"
    if note and note.strip():
        text += f" — {note.strip()}"
    ctx.c.thread.append(ThreadData(str(uuid.uuid4()), "note", ctx.actor.name, text,
                                   ctx.now_iso))
    return OUTCOME_APPLIED, None, "attachment added", {}


def _dispatch(ctx: Ctx, cmd: Mapping[str, Any]) -> Result:
    kind, payload = cmd["kind"], cmd["payload"]
    handlers: dict[str, Callable[[Ctx, Mapping[str, Any]], Result]] = {
        CMD_RESPONSE_SAVE: _response_save,
        CMD_RESPONSE_SUBMIT: _response_submit,
        CMD_RESPONSE_APPROVE: _response_approve,
        CMD_RESPONSE_RETURN: _response_return,
        CMD_TRANSITION: _transition,
        CMD_NOTE: lambda x, q: _note(x, q, reroute_request=False),
        CMD_REROUTE_REQUEST: lambda x, q: _note(x, q, reroute_request=True),
        CMD_HANDOVER_NOTE: _handover_note,
        CMD_MARK_READ: _mark_read,
        CMD_TRIAGE: lambda x, q: _triage(x, q, cmd.get("base_version")),
        CMD_ADD_ATTACHMENT: _add_attachment,
    }
    handler = handlers.get(kind)
    if handler is None:
        raise Rejected(REASON_INVALID, "unknown command kind")
    return handler(ctx, payload)


# ------------------------------------------------------------------------------------------
# The push endpoint
# ------------------------------------------------------------------------------------------

def _outcome(cmd: Mapping[str, Any], status: str, reason: str | None, message: str,
             version: int | None, extra: Mapping[str, Any] | None = None) -> Outcome:
    cid = cmd.get("complaint_id")
    out: dict[str, Any] = {"op_id": cmd["op_id"], "seq": cmd["seq"], "status": status,
                           "reason": reason, "message": message, "complaint_version": version}
    if isinstance(cid, str):
        out["complaint_id"] = cid
    out.update(extra or {})
    return out  # type: ignore[return-value]


def _valid_envelope(cmd: Any) -> str | None:
    """Why a command cannot even be logged (no usable op_id/seq); None when it can."""
    if not isinstance(cmd, dict):
        return "a command must be an object"
    op_id, seq = cmd.get("op_id"), cmd.get("seq")
    if not isinstance(op_id, str) or not 0 < len(op_id) <= 100 or not storable(op_id):
        return "op_id"
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**62:
        return "seq"
    return None


def _valid_command(cmd: Mapping[str, Any]) -> str | None:
    """Why a loggable command is malformed (None when fine); it is rejected and logged."""
    kind = cmd.get("kind")
    if not isinstance(kind, str) or not storable(kind) or not isinstance(cmd.get("payload"),
                                                                         dict):
        return "kind/payload"
    cid = cmd.get("complaint_id")
    if not isinstance(cid, str) or len(cid) > 100 or not storable(cid):
        return "complaint_id"
    bv = cmd.get("base_version")
    if bv is not None and (not isinstance(bv, int) or isinstance(bv, bool)):
        return "base_version"
    return None


_CL = db.command_log
_LAST_SEQ = select(func.max(_CL.c.seq)).where(_CL.c.device_id == bindparam("dev"))
_BY_OP = select(_CL.c.outcome).where(_CL.c.op_id == bindparam("op"))
_BY_SEQ = select(_CL.c.outcome, _CL.c.op_id).where(_CL.c.device_id == bindparam("dev"),
                                                   _CL.c.seq == bindparam("seq"))
_LOG = _CL.insert()


def last_seq(conn: Connection, device_id: str) -> int:
    value = conn.execute(_LAST_SEQ, {"dev": device_id}).scalar()
    return int(value or 0)


def _stored(conn: Connection, device_id: str, cmd: Mapping[str, Any],
            last: int | None = None) -> Outcome | None:
    """The logged outcome of a replayed command. ``last`` (the device's last logged seq,
    when known) spares the (device, seq) lookup for a seq above it."""
    row = conn.execute(_BY_OP, {"op": cmd["op_id"]}).scalar()
    if row is None:
        if last is not None and cmd["seq"] > last:
            return None
        row = conn.execute(_BY_SEQ, {"dev": device_id, "seq": cmd["seq"]}).first()
        if row is None:
            return None
        if row.op_id != cmd["op_id"]:
            return _outcome(cmd, OUTCOME_REJECTED, REASON_INVALID,
                            "this seq was already used by another command of this device", None)
        row = row.outcome
    out: Outcome = json.loads(row)
    return out


class DeviceMismatch(Exception):
    """The device id belongs to another user's command stream (HTTP 403 device_mismatch)."""


def apply_command(engine: Engine, who: Principal, device_id: str, cmd: Mapping[str, Any],
                  now: datetime | None = None) -> Outcome:
    """Dedupe, authorize, apply and log one command in its own transaction."""
    moment = now or datetime.now(UTC)
    broken = False
    for _attempt in range(3):
        try:
            with db.write_tx(engine) as conn:
                # The device's owner, checked in the command's own transaction, so a device
                # that changed hands meanwhile can never get interleaved seqs.
                if db.device_owner(conn, device_id) != who.user_id and not db.claim_device(
                        conn, device_id, who.user_id, int(moment.timestamp())):
                    raise DeviceMismatch(device_id)
                last = last_seq(conn, device_id)
                stored = _stored(conn, device_id, cmd, last)
                if stored is not None:
                    return stored
                if cmd["seq"] != last + 1:
                    return _outcome(cmd, OUTCOME_RETRY, None,
                                    "a previous command of this device is missing; resend "
                                    "from the first unacknowledged seq", None)
                problem = _valid_command(cmd)
                if broken:
                    # Not a concurrent duplicate (that would be stored by now): the command
                    # clashes with stored data. A recorded rejection keeps the queue moving.
                    out = _outcome(cmd, OUTCOME_REJECTED, REASON_INVALID,
                                   "the command clashes with stored data (duplicate id)", None)
                elif problem is None and cmd["kind"] == CMD_SKIP:
                    # Parked by the user before it was applied: logged, nothing applied.
                    out = _outcome(cmd, OUTCOME_REJECTED, REASON_PARKED,
                                   "set aside by the user; not applied", None)
                elif problem is None:
                    out = _execute(conn, who, device_id, cmd, moment)
                else:
                    out = _outcome(cmd, OUTCOME_REJECTED, REASON_INVALID,
                                   f"malformed command ({problem})", None)
                conn.execute(_LOG, {
                    "device_id": device_id, "seq": cmd["seq"], "op_id": cmd["op_id"],
                    "user_id": who.user_id, "kind": str(cmd.get("kind"))[:64],
                    "complaint_id": str(cmd.get("complaint_id"))[:36],
                    "outcome": json.dumps(out, ensure_ascii=False), "created_at": iso(moment)})
                return out
        except IntegrityError:
            broken = True  # a concurrent push of the same command won, or ids clash
    return _outcome(cmd, OUTCOME_RETRY, None, "server busy; resend later", None)


def _execute(conn: Connection, who: Principal, device_id: str, cmd: Mapping[str, Any],
             now: datetime) -> Outcome:
    actor = Actor.of(who, device_id)
    savepoint = conn.begin_nested()
    try:
        ctx = open_ctx(conn, actor, str(cmd["complaint_id"]), now)
        if ctx is None:
            raise Rejected(REASON_NOT_ASSIGNED, "unknown complaint or not in your agency")
        kind = cmd["kind"]
        if kind == CMD_MARK_READ:
            # Reading is allowed to copy agencies too: a mark is the user's, not a write.
            if actor.agency_id != ctx.c.agency_id and actor.agency_id not in \
                    ctx.c.copy_agency_ids:
                raise Rejected(REASON_NOT_ASSIGNED, "the complaint is not in your agency")
        elif kind != CMD_HANDOVER_NOTE:  # that one authorizes itself (former owners only)
            # Scope before role: a complaint that left the caller's agency answers
            # not_assigned whatever the command, so the client can orphan its drafts.
            _check(workflow.check_scope(actor.agency_id, ctx.c.agency_id,
                                        set(ctx.c.copy_agency_ids)))
        status, reason, message, extra = _dispatch(ctx, cmd)
        version: int | None = ctx.version
        if ctx.dirty and (status in (OUTCOME_APPLIED, OUTCOME_MERGED) or (
                status == OUTCOME_CONFLICT and reason == REASON_FIELD_CONFLICT)):
            version = save_ctx(ctx)
        savepoint.commit()
        if kind == CMD_HANDOVER_NOTE:
            version = None  # the complaint is no longer the sender's to follow
        return _outcome(cmd, status, reason, message, version, extra)
    except Rejected as exc:
        savepoint.rollback()
        current = conn.execute(select(db.complaints.c.version, db.complaints.c.agency_id)
                               .where(db.complaints.c.id == str(cmd["complaint_id"]))).first()
        # The version is only told to those who may see the complaint.
        seen = int(current.version) if current is not None and \
            current.agency_id == who.agency_id else None
        return _outcome(cmd, OUTCOME_REJECTED, exc.reason, exc.message, seen)
    except BaseException:
        savepoint.rollback()
        raise


@dataclass(frozen=True, slots=True)
class PushResult:
    outcomes: list[Outcome]
    next_seq: int


def push(engine: Engine, who: Principal, device_id: str, commands: list[Any],
         now: datetime | None = None) -> PushResult:
    """Apply a batch in seq order; a malformed command gets a rejected outcome (logged)."""
    outcomes: list[Outcome] = []
    retry_rest = False
    def seq_of(c: Any) -> int:
        seq = c.get("seq") if isinstance(c, dict) else None
        return seq if isinstance(seq, int) else 0

    ordered = sorted(commands, key=seq_of)
    for cmd in ordered:
        problem = _valid_envelope(cmd)
        if problem is not None:
            # Not loggable without a valid op_id/seq: answer without recording.
            op = cmd.get("op_id") if isinstance(cmd, dict) else None
            outcomes.append({"op_id": op if isinstance(op, str) else "", "seq": int(
                cmd.get("seq") or 0) if isinstance(cmd, dict) and isinstance(cmd.get("seq"), int)
                else 0, "status": OUTCOME_REJECTED, "reason": REASON_INVALID,
                "message": f"malformed command ({problem})", "complaint_version": None})
            continue
        if retry_rest:
            outcomes.append(_outcome(cmd, OUTCOME_RETRY, None,
                                     "an earlier command must be applied first", None))
            continue
        out = apply_command(engine, who, device_id, cmd, now)
        if out["status"] == OUTCOME_RETRY:
            retry_rest = True
        outcomes.append(out)
    with db.read_tx(engine) as conn:
        nxt = last_seq(conn, device_id) + 1
    return PushResult(outcomes, nxt)


def outcomes_since(conn: Connection, user_id: str, device_id: str, after_seq: int,
                   limit: int) -> list[Outcome]:
    """Logged outcomes of a device (only the caller's own commands), by seq."""
    rows = conn.execute(select(db.command_log.c.outcome)
                        .where(db.command_log.c.device_id == device_id,
                               db.command_log.c.user_id == user_id,
                               db.command_log.c.seq > after_seq)
                        .order_by(db.command_log.c.seq).limit(limit)).scalars()
    return [json.loads(r) for r in rows]


# ------------------------------------------------------------------------------------------
# ``lapor-hub act``: the agency admin and the reporter, for scripted scenarios
# ------------------------------------------------------------------------------------------

ACT_VERBS = ("verify", "dispose", "reroute", "hold", "resume", "close", "complete", "reply")


class ActError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message_en)
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class ActResult:
    complaint_id: str
    tracking_id: int
    status: str
    agency_id: str
    version: int


def admin_act(engine: Engine, verb: str, ref: str, *, to: str | None = None,
              copies: list[str] | None = None, reason: str | None = None,
              text: str | None = None, status: str | None = None,
              now: datetime | None = None) -> ActResult:
    """Play the agency admin (or, for ``reply``, the reporter) on one complaint."""
    moment = now or datetime.now(UTC)
    with db.write_tx(engine) as conn:
        cid = find_complaint_id(conn, ref)
        if cid is None:
            raise ActError(Refusal(REASON_INVALID, "Laporan tidak ditemukan.",
                                   "No such complaint (tracking ID or UUID)."))
        role = workflow.REPORTER if verb == "reply" else workflow.ADMIN
        actor = Actor("reporter" if verb == "reply" else "admin-lapor",
                      "Pelapor" if verb == "reply" else "Admin LAPOR!", role, "")
        ctx = open_ctx(conn, actor, cid, moment)
        assert ctx is not None
        try:
            _act(ctx, verb, to, copies, reason, text, status)
        except Rejected as exc:
            raise ActError(exc.refusal) from None
        version = save_ctx(ctx)
        return ActResult(cid, ctx.c.tracking_id, ctx.c.status, ctx.c.agency_id, version)


def _act(ctx: Ctx, verb: str, to: str | None, copies: list[str] | None, reason: str | None,
         text: str | None, status: str | None) -> None:
    c = ctx.c
    if verb == "verify":
        transition(ctx, workflow.DIVERIFIKASI)
    elif verb == "dispose":
        dispose(ctx, to, copies if copies is not None else list(c.copy_agency_ids))
    elif verb == "reroute":
        if not to:
            raise Rejected(REASON_INVALID, "reroute needs --to AGENCY")
        reroute(ctx, to, copies)
    elif verb == "hold":
        transition(ctx, workflow.DITUNDA)
    elif verb == "resume":
        transition(ctx, status or workflow.DIDISPOSISIKAN)
    elif verb == "close":
        transition(ctx, workflow.DITUTUP, reason)
    elif verb == "complete":
        transition(ctx, workflow.SELESAI)
    elif verb == "reply":
        if not text or not text.strip() or not storable(text) or len(text) > MAX_NOTE_CHARS:
            raise Rejected(REASON_INVALID, "reply needs --text (1 to 20000 characters)")
        reporter_reply(ctx, text)
    else:
        raise Rejected(REASON_INVALID, f"unknown verb {verb}")
