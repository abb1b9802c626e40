"""Read-side records the store returns to the CLI and the UI (plain dataclasses, no ORM objects).

The UI and the CLI never touch SQLAlchemy sessions; they ask the store for these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SortKey(StrEnum):
    TRACKING_ID = "tracking_id"
    TITLE = "title"
    STATUS = "status"
    CATEGORY = "category"
    DUE_AT = "due_at"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@dataclass(frozen=True, slots=True)
class ComplaintQuery:
    """What the inbox shows. ``search`` is user text: the store escapes it, never FTS syntax."""

    search: str = ""
    statuses: tuple[str, ...] = ()
    agency_id: str | None = None
    category_id: str | None = None
    sort: SortKey = SortKey.DUE_AT
    descending: bool = False
    # Saved views (all optional; the defaults filter nothing).
    assignee_id: str | None = None  # assigned to this user
    unassigned: bool = False  # no assignee
    open_only: bool = False  # not completed or closed
    due_after: datetime | None = None  # deadline at or after (aware)
    due_before: datetime | None = None  # deadline strictly before (aware)
    awaiting_review: bool = False  # a submitted response waits for a supervisor
    returned: bool = False  # a local draft was returned for changes
    needs_attention: bool = False  # a conflict, rejection or orphaned draft
    unread: bool = False  # not marked read by this user, or a reporter replied since


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    """One inbox line. Cheap to build; the lazy table model fetches these by page of ids."""

    id: str
    tracking_id: int
    title: str
    status: str
    category_path: str | None
    agency_id: str
    assignee_name: str | None
    due_at: datetime | None  # aware (UTC)
    created_at: datetime
    is_anonymous: bool
    is_confidential: bool
    classification: str
    channel: str
    priority: str
    thread_count: int
    unread: bool = False  # not marked read by this user, or the reporter replied since


@dataclass(frozen=True, slots=True)
class ThreadItem:
    id: str
    kind: str
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AttachmentItem:
    id: str
    name: str
    size: int
    sha256: str
    mime: str | None


@dataclass(frozen=True, slots=True)
class ComplaintDetail:
    row: ComplaintRow
    body: str
    incident_date: str | None
    province: str | None
    regency: str | None
    district: str | None
    reporter_name: str | None  # None for anonymous reports (the server never sends it)
    reporter_phone: str | None
    reporter_email: str | None
    agency_name: str | None
    copy_agency_names: tuple[str, ...]
    tags: tuple[str, ...]
    version: int
    updated_at: datetime
    resolution_due_at: datetime | None
    thread: tuple[ThreadItem, ...] = field(default_factory=tuple)
    attachments: tuple[AttachmentItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    complaints: int
    pending: int  # outbox commands not yet acknowledged by the server
    attention: int  # items needing a person (conflicts, rejections, orphaned drafts)
    last_sync: datetime | None  # last successful sync (aware)
    server_url: str | None
    username: str | None


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What applying one page changed, so views refresh selectively."""

    upserted_ids: tuple[str, ...]
    removed_ids: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]  # (complaint id or "?", reason) records dropped
    reference_changed: bool
