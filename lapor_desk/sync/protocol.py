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
    GET  /sync/changes?cursor=C&max_bytes=N -> ChangesPage         (Bearer; gzip body)

Errors are ``{"error": {"code": str, "message": str}}`` with a 4xx/5xx status.
401 ``token_expired`` asks the client to refresh; 401 ``invalid_token`` asks for a new login.
409 ``reset_required`` on /sync/changes means the cursor's epoch, scope or schema no longer
matches: the client drops its synced layer (never drafts or the outbox) and pulls from scratch.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"

# Bounds the client enforces on what it accepts (hostile or broken servers).
MAX_PAGE_BYTES_DECODED = 32 * 1024 * 1024  # decoded JSON of one page
MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 2_000_000
MAX_THREAD_ENTRIES = 5_000
MAX_ATTACHMENTS = 500
DEFAULT_PAGE_MAX_BYTES = 256 * 1024  # compressed bytes a client asks for per page


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


class ChangesPage(TypedDict):
    protocol: int
    epoch: str
    cursor: str  # opaque; the client stores it with the page in one transaction
    has_more: bool
    reference: Reference | None
    complaints: list[ComplaintDoc]  # whole complaints, never split across pages
    removed: list[str]  # complaint ids that left the caller's scope (re-routed, purged)
    remaining: int  # estimate of complaints still to come, for progress displays


class ErrorBody(TypedDict):
    code: str
    message: str


class ErrorResponse(TypedDict):
    error: ErrorBody
