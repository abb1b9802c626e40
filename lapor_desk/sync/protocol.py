"""Wire types of the LAPOR! Desk sync protocol, shared by the client and ``lapor_hub``.

Everything here is JSON. Times are ISO 8601 strings with an offset (server writes UTC).
IDs are UUID strings (agencies and categories may also use slug ids). The server builds
these shapes; the client validates them (``lapor_desk.sync.validate``) before storing anything.

Endpoints (prefix ``/api/v1``):

    GET  /health                  -> Health
    POST /auth/login    LoginRequest   -> TokenResponse
    POST /auth/refresh  RefreshRequest -> TokenResponse (the refresh token rotates)
    POST /auth/logout   RefreshRequest -> {}
    GET  /me                      -> UserInfo                      (Bearer access token)
    GET  /sync/changes?cursor=C&max_bytes=N[&device_id=D] -> ChangesPage  (Bearer; gzip body;
                                  D defaults to the device_id given at login; see outcomes)
    POST /sync/push     PushRequest    -> PushResponse                (Bearer; see the end)
    GET  /sync/checksums, POST /sync/listing, POST /sync/fetch: verify and repair (see the end)
    POST /attachments/uploads {sha256, size} -> UploadSession (Bearer; 413 past
                                  MAX_ATTACHMENT_BYTES; an existing blob answers complete)
    GET  /attachments/uploads/{id}            -> UploadSession (resume: where to go on)
    PUT  /attachments/uploads/{id}?offset=N   octet-stream chunk -> UploadSession (409
                                  offset_mismatch when N is not the server's offset)
    POST /attachments/uploads/{id}/complete   -> UploadSession (422 hash_mismatch discards
                                  the upload; the client starts again)
    GET  /attachments/{attachment_id}/content  bytes; Range: bytes=a-b -> 206 + Content-Range,
                                  416 for a bad range; 404 outside the caller's scope (a copy
                                  agency never gets a rahasia complaint's files)

Errors are ``{"error": {"code": str, "message": str}}`` with a 4xx/5xx status.
401 ``token_expired`` asks the client to refresh; 401 ``invalid_token`` asks for a new login.
409 ``reset_required`` on /sync/changes means the cursor's epoch, scope or schema no longer
matches: the client drops its synced layer (never drafts or the outbox) and pulls from scratch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal, NotRequired, TypedDict

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"

# Bounds the client enforces on what it accepts (hostile or broken servers).
MAX_PAGE_BYTES_DECODED = 32 * 1024 * 1024  # decoded JSON of one page
MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 2_000_000
MAX_THREAD_ENTRIES = 5_000
MAX_ATTACHMENTS = 500
DEFAULT_PAGE_MAX_BYTES = 256 * 1024  # compressed bytes a client asks for per page
DEFAULT_PAGE_GROW_MAX_BYTES = 1024 * 1024  # ... and up to this on a fast link
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # one attachment file (client and hub)
UPLOAD_CHUNK_BYTES = 1024 * 1024  # one upload request body / one download Range
MAX_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024  # the hub refuses larger upload bodies


class Health(TypedDict):
    status: Literal["ok"]
    epoch: str
    protocol: int
    version: str


class LoginRequest(TypedDict):
    username: str
    password: str
    device_id: NotRequired[str]
    device_name: NotRequired[str]


class RefreshRequest(TypedDict):
    refresh_token: str


class UserInfo(TypedDict):
    id: str
    username: str
    display_name: str
    role: str  # lapor_desk.models.domain.Role
    agency_id: str
    agency_name: str


class TokenResponse(TypedDict):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"]
    expires_in: int  # seconds the access token lives
    user: UserInfo


class Location(TypedDict):
    province: str | None
    regency: str | None
    district: str | None


class Reporter(TypedDict):
    name: str | None
    phone: str | None
    email: str | None


class ThreadEntry(TypedDict):
    id: str
    kind: str  # lapor_desk.models.domain.ThreadKind
    author: str  # display text ("Pelapor", a unit or an officer's name)
    body: str
    created_at: str


class AttachmentMeta(TypedDict):
    id: str
    name: str  # display text only, never a path
    size: int
    sha256: str
    mime: str | None


class ComplaintDoc(TypedDict):
    id: str
    tracking_id: int
    version: int  # server version; increases on every change of the complaint
    title: str
    body: str
    incident_date: str | None  # YYYY-MM-DD
    location: Location
    category_id: str | None
    classification: str  # lapor_desk.models.domain.Classification
    channel: str
    is_anonymous: bool
    is_confidential: bool
    reporter: Reporter | None  # always None when is_anonymous (the server redacts)
    agency_id: str  # primary agency (disposition)
    copy_agency_ids: list[str]
    status: str  # lapor_desk.models.domain.Status (unknown values kept as text)
    priority: str  # "rendah" | "normal" | "tinggi" | "mendesak"
    tags: list[str]
    assignee_id: str | None
    created_at: str
    updated_at: str
    due_at: str | None  # deadline of the current step
    resolution_due_at: str | None  # resolution deadline by class
    thread: list[ThreadEntry]
    attachments: list[AttachmentMeta]
    # Responses under review in the primary agency (draft/submitted/returned/approved; a
    # published one becomes a "followup" thread entry). Always sent by lapor_hub >= push.
    responses: NotRequired[list[ResponseDoc]]
    # Server-side flags set by the jobs or commands: "overdue", "escalation",
    # "reroute_requested".
    flags: NotRequired[list[str]]
    # True when the doc was sent to a copy agency of a confidential (rahasia) complaint: the
    # title, body, reporter, thread bodies and attachment names are placeholders (lapor_hub).
    redacted: NotRequired[bool]


class AgencyRef(TypedDict):
    id: str
    name: str
    kind: str  # "provinsi" | "kabupaten" | "kota" | "opd" | "kementerian" | ...
    parent_id: str | None


class CategoryRef(TypedDict):
    id: str
    name: str
    parent_id: str | None
    path: str  # "PEKERJAAN UMUM DAN PENATAAN RUANG › JALAN BERLUBANG"


class UserRef(TypedDict):
    id: str
    display_name: str
    role: str
    agency_id: str


class Reference(TypedDict):
    """Small reference data; sent whole when it changed since the cursor (or on the first page)."""

    agencies: list[AgencyRef]
    categories: list[CategoryRef]
    users: list[UserRef]  # the caller's agency's users (for assignee names)
    # The caller's agency's deadline rules, ``DeadlineRules.to_dict()`` (lapor_hub; the
    # defaults when the agency has none stored), so offline countdowns use the same calendar.
    rules: NotRequired[dict[str, Any]]


class ChangesPage(TypedDict):
    protocol: int
    epoch: str
    cursor: str  # opaque; the client stores it with the page in one transaction
    has_more: bool
    reference: Reference | None
    complaints: list[ComplaintDoc]  # whole complaints, never split across pages
    removed: list[str]  # complaint ids that left the caller's scope (re-routed, purged)
    remaining: int  # estimate of complaints still to come, for progress displays
    # Push outcomes of the caller's device (the token's device_id) with a seq above the one the
    # cursor carries; the cursor advances past them, so each arrives once per cursor chain.
    outcomes: NotRequired[list[Outcome]]
    # The caller's (user's) read marks changed since the cursor's mark position, from any of
    # their devices (at most MAX_READ_MARKS_PER_PAGE; has_more when more are waiting).
    read_marks: NotRequired[list[ReadMark]]


class ErrorBody(TypedDict):
    code: str
    message: str


class ErrorResponse(TypedDict):
    error: ErrorBody


# --------------------------------------------------------------------------------------------
# Push: commands from the outbox (protocol v1, part 2). See ../shared/sync-design.md.
#
#     POST /sync/push  PushRequest -> PushResponse                      (Bearer)
#
# The server applies each command in its own transaction: dedupe by (device_id, seq) and op_id
# -> authorize -> check preconditions -> apply or merge -> record the outcome in a command log.
# A replay (same op_id) returns the stored outcome and changes nothing. Commands are applied in
# seq order; a device's seq is gap-free, and a gap answers outcome "retry" for the rest (the
# client resends from the first unacknowledged seq). Outcomes of this device also come back on
# the pull stream (ChangesPage.outcomes), so a lost push response loses nothing.
# --------------------------------------------------------------------------------------------

# Command kinds and their payloads.
CMD_RESPONSE_SAVE = "response.save"  # ResponseSavePayload: create or edit a draft response
CMD_RESPONSE_SUBMIT = "response.submit"  # ResponseSubmitPayload: submit for approval
CMD_RESPONSE_APPROVE = "response.approve"  # ResponseReviewPayload: supervisor approves -> publish
CMD_RESPONSE_RETURN = "response.return"  # ResponseReviewPayload (+note): back to the author
CMD_TRIAGE = "complaint.triage"  # TriagePayload: category, priority, tags, assignee
CMD_TRANSITION = "complaint.transition"  # TransitionPayload: request a status change
CMD_NOTE = "complaint.note"  # NotePayload: internal note (append-only, union by id)
CMD_REROUTE_REQUEST = "complaint.reroute_request"  # NotePayload-like: ask admin to re-route
# HandoverNotePayload: the text of a draft orphaned by a re-route, sent by the agency that lost
# the complaint; the server accepts it only from a former primary agency no longer in scope and
# adds it to the thread as an internal note "from the previous agency".
CMD_HANDOVER_NOTE = "complaint.handover_note"
# MarkReadPayload: per-USER read state (like the web console's "mark as read"), not per agency
# desk; it never changes the complaint (no version bump) and comes back to the user's other
# devices as ChangesPage.read_marks.
CMD_MARK_READ = "complaint.mark_read"
# A command the user parked before the server took it (say, it kept failing): sent in its place
# with the same op_id and seq and an empty payload, so later commands are not blocked. The server
# logs it as rejected with REASON_PARKED and applies nothing; resuming sends a new command.
CMD_SKIP = "outbox.skip"
CMD_ADD_ATTACHMENT = "complaint.add_attachment"  # AddAttachmentPayload; blob uploaded first

OUTCOME_APPLIED = "applied"
OUTCOME_MERGED = "merged"  # applied after merging with a concurrent change
OUTCOME_CONFLICT = "conflict"  # both versions kept on the server; a person must choose
OUTCOME_REJECTED = "rejected"  # permanent, with a reason code; never retried
OUTCOME_RETRY = "retry"  # not applied now (seq gap, server busy); the client resends later
TERMINAL_OUTCOMES = frozenset({OUTCOME_APPLIED, OUTCOME_MERGED, OUTCOME_CONFLICT,
                               OUTCOME_REJECTED})

# Rejection / conflict reason codes (plain-language messages live in the client).
REASON_NOT_ASSIGNED = "not_assigned"  # complaint left the caller's scope (re-routed)
REASON_CLOSED = "closed"  # complaint is selesai/ditutup on the server
REASON_STALE_APPROVAL = "stale_approval"  # response changed after the supervisor reviewed it
REASON_NEEDS_REVIEW = "needs_review"  # new reporter reply since the draft was based
REASON_FORBIDDEN = "forbidden"  # role may not do this
REASON_ILLEGAL_TRANSITION = "illegal_transition"
REASON_INVALID = "invalid"  # malformed payload
REASON_TEXT_CONFLICT = "text_conflict"  # overlapping edits of a response
REASON_FIELD_CONFLICT = "field_conflict"  # a short field changed on both sides
REASON_PARKED = "parked"  # the user set the command aside before it was applied (CMD_SKIP)
REASON_FILE_NOT_UPLOADED = "file_not_uploaded"  # add_attachment before its blob is complete


class Command(TypedDict):
    op_id: str  # UUID made by the client; the idempotency key
    seq: int  # gap-free per device, from 1
    kind: str
    complaint_id: str
    base_version: int | None  # complaint version the user saw
    created_at: str
    payload: dict[str, object]


class ResponseSavePayload(TypedDict):
    response_id: str  # UUID made by the client (the draft id)
    body: str
    base_response_version: int  # 0 for a new response
    base_body: str | None  # the text the edit started from (for the three-way merge)


# text_sha256 everywhere: SHA-256 of the response body encoded as UTF-8, lowercase hex.


class ResponseSubmitPayload(TypedDict):
    response_id: str
    response_version: int
    text_sha256: str
    last_comment_id_seen: str | None  # newest reporter comment the author had seen


class ResponseReviewPayload(TypedDict):
    response_id: str
    response_version: int
    text_sha256: str  # hash of the exact text the supervisor saw (approval binds content)
    note: NotRequired[str]


class TriagePayload(TypedDict):
    changes: dict[str, object]  # field -> new value (category_id, priority, tags, assignee_id)
    base: dict[str, object]  # field -> value the user saw (per-field merge)


class TransitionPayload(TypedDict):
    from_status: str
    to_status: str
    reason: NotRequired[str]


class NotePayload(TypedDict):
    entry_id: str
    body: str


class HandoverNotePayload(TypedDict):
    entry_id: str
    body: str
    draft_id: NotRequired[str]  # the orphaned draft it came from (for the log only)


class MarkReadPayload(TypedDict):
    read: bool
    # The newest reporter comment the user had seen when marking read: a later reply makes the
    # complaint unread again ("new reporter reply" badge). None when there is none.
    last_comment_id: str | None


class ReadMark(TypedDict):
    """One user's read state of one complaint (ChangesPage.read_marks)."""

    complaint_id: str
    read: bool
    last_comment_id: str | None
    at: str
class AddAttachmentPayload(TypedDict):
    attachment_id: str  # UUID made by the client; the attachment's id everywhere
    sha256: str  # lowercase hex; the blob must be complete on the server
    size: int
    name: str  # display text only
    mime: str | None
    note: NotRequired[str]  # optional text of the thread entry that records the attachment


class UploadSession(TypedDict):
    """``POST /attachments/uploads`` {sha256, size} and ``GET /attachments/uploads/{id}``."""

    upload_id: str | None  # None when the blob is already complete on the server (dedupe)
    offset: int  # bytes the server holds; the next chunk starts here
    size: int
    complete: bool


class PushRequest(TypedDict):
    device_id: str
    commands: list[Command]


class Outcome(TypedDict):
    op_id: str
    seq: int
    status: str  # OUTCOME_*
    reason: str | None  # REASON_* for conflict/rejected
    message: str  # short English detail for logs (no citizen text)
    complaint_version: int | None  # the complaint's server version after applying
    response_version: NotRequired[int | None]
    complaint_id: NotRequired[str]
    # Conflicts keep both sides (nothing human-written is lost): response text conflicts carry
    # the server's text (theirs) and the sender's (mine); field conflicts name the fields and
    # carry both values per field.
    theirs: NotRequired[str]
    mine: NotRequired[str]
    fields: NotRequired[list[str]]
    theirs_values: NotRequired[dict[str, object]]
    mine_values: NotRequired[dict[str, object]]


class PushResponse(TypedDict):
    outcomes: list[Outcome]
    next_seq: int  # the seq the server expects next from this device


class ResponseDoc(TypedDict):
    """A response (tindak lanjut) under review, as it travels in ComplaintDoc['responses']."""

    id: str
    author_id: str
    author_name: str
    body: str
    version: int
    text_sha256: str
    state: str  # draft | submitted | approved | returned | published | withdrawn
    note: str | None  # supervisor's note on return
    reviewer_id: str | None
    updated_at: str
    published_at: str | None


# --------------------------------------------------------------------------------------------
# Verify: order-independent checksums per bucket of complaints; repair only what differs.
#
#     GET  /sync/checksums?cursor=C               -> Checksums                    (Bearer; gzip)
#     POST /sync/listing   ListingRequest         -> Listing                      (Bearer; gzip)
#     POST /sync/fetch     FetchRequest           -> ChangesPage + at_head/position (Bearer; gzip)
#
# The caller's scope is what its feed delivers: complaints whose stream row for the caller's
# agency is not removed, as the primary agency ("p") or as a copy agency ("c"). A complaint
# falls in bucket ``bucket_of(id)``; its digest covers id, version and that kind; a bucket's
# checksum is the sum of its digests mod 2^64 (plus a count), so order never matters.
# Every answer describes one snapshot of the server and names the feed position it is at
# (``position``: the highest stream seq of the caller's agency). It is only meaningful for a
# client whose cursor is at that position, so each request carries the client's cursor and
# the answer says ``at_head``; when false (the head moved: a concurrent write) the lists are
# empty and the client repairs nothing now (its next pull brings the change; it verifies
# later). ``/sync/fetch`` answers like a changes page whose ``cursor`` is the one sent:
# ``complaints`` with the feed's redaction (copy view), ``removed`` the asked ids that are not
# in scope. A bad cursor answers 409 ``reset_required`` as on /sync/changes.
# --------------------------------------------------------------------------------------------

CHECKSUM_BUCKETS = 256
MAX_LISTING_BUCKETS = CHECKSUM_BUCKETS
MAX_FETCH_IDS = 500
SCOPE_PRIMARY = "p"
SCOPE_COPY = "c"
_MASK64 = (1 << 64) - 1


def bucket_of(complaint_id: str) -> int:
    """The checksum bucket of a complaint id (stable: SHA-256 of the lower-case id)."""
    return hashlib.sha256(complaint_id.lower().encode("utf-8")).digest()[0]


def complaint_digest(complaint_id: str, version: int, kind: str) -> int:
    """A complaint's 64-bit digest: id, server version and scope kind ("p" or "c")."""
    text = f"{complaint_id.lower()}\n{version}\n{kind}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def bucket_sums(items: Iterable[tuple[str, int, str]]) -> tuple[list[int], list[int]]:
    """(sums, counts) per bucket of ``(id, version, kind)`` items; sums mod 2^64."""
    sums = [0] * CHECKSUM_BUCKETS
    counts = [0] * CHECKSUM_BUCKETS
    for cid, version, kind in items:
        b = bucket_of(cid)
        sums[b] = (sums[b] + complaint_digest(cid, version, kind)) & _MASK64
        counts[b] += 1
    return sums, counts


class Checksums(TypedDict):
    protocol: int
    epoch: str
    position: int  # the feed position (highest stream seq of the caller's agency)
    at_head: bool  # the cursor sent is at ``position``; else sums/counts are empty
    sums: list[str]  # CHECKSUM_BUCKETS hex strings of 16 digits
    counts: list[int]  # CHECKSUM_BUCKETS complaint counts


class ListingRequest(TypedDict):
    cursor: str | None
    buckets: list[int]  # at most MAX_LISTING_BUCKETS distinct buckets


class Listing(TypedDict):
    position: int
    at_head: bool
    items: list[list[Any]]  # [id, version, kind] of every complaint in the asked buckets


class FetchRequest(TypedDict):
    cursor: str | None
    ids: list[str]  # at most MAX_FETCH_IDS complaint ids
