"""Tables of the local replica (SQLCipher), in three layers (see sync-design.md).

* SYNCED — the server's data, written only by ``Store.apply_page`` (one transaction per page):
  agencies, categories, users, complaints (+ copies, thread entries, attachment metadata).
* LOCAL — the user's own work: response drafts.
* OUTBOX — commands waiting for a terminal server outcome; plus the single ``sync_state`` row.

Times are stored as integer microseconds since the Unix epoch (UTC): they sort correctly, index
compactly and never depend on a text format. Complaints have an integer ``rid`` (the FTS rowid)
besides their UUID ``id``. Schema changes go through Alembic migrations (``migrations/``); these
models describe the head revision and are what the store's Core statements are built from.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DRAFT_STATES = ("draft", "submitted", "approved", "returned", "orphaned")
OUTBOX_STATES = ("pending", "sending", "applied", "merged", "conflict", "rejected", "parked")
OUTBOX_OPEN_STATES = ("pending", "sending")
OUTBOX_ATTENTION_STATES = ("conflict", "rejected")


class Base(DeclarativeBase):
    metadata = MetaData()


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# --- SYNCED layer --------------------------------------------------------------------------


class Agency(Base):
    __tablename__ = "agencies"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(Text)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(Text, index=True)
    path: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    agency_id: Mapped[str] = mapped_column(Text)


class Complaint(Base):
    __tablename__ = "complaints"
    # Integer rowid: the key of the full-text index and of the child tables.
    rid: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(Text, unique=True)
    tracking_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    incident_date: Mapped[str | None] = mapped_column(Text)  # YYYY-MM-DD
    province: Mapped[str | None] = mapped_column(Text)
    regency: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    is_anonymous: Mapped[bool] = mapped_column(Boolean)
    is_confidential: Mapped[bool] = mapped_column(Boolean)
    # Reporter identity: NULL for anonymous reports; never in the full-text index.
    reporter_name: Mapped[str | None] = mapped_column(Text)
    reporter_phone: Mapped[str | None] = mapped_column(Text)
    reporter_email: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[str] = mapped_column(Text)  # primary agency (disposition)
    status: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text)  # JSON list of strings
    assignee_id: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(Integer)  # µs since epoch, UTC
    updated_at: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[int | None] = mapped_column(Integer)
    resolution_due_at: Mapped[int | None] = mapped_column(Integer)
    thread_count: Mapped[int] = mapped_column(Integer)  # denormalised for the inbox

    __table_args__ = (
        # Sort indexes: key, then tracking_id (the inbox's tie-breaker), then id, so that
        # ``Store.ids`` is an index-only scan with no sort step and no table lookups (the table
        # rows are large and every page read is decrypted). The default (deadline) index puts
        # "no deadline" last and also covers the status, agency and category filters.
        Index("ix_complaints_due", text("(due_at IS NULL)"), "due_at", "tracking_id", "id",
              "status", "agency_id", "category_id"),
        Index("ix_complaints_status", "status", "tracking_id", "id"),
        Index("ix_complaints_tracking_id", "tracking_id", "id"),
        Index("ix_complaints_updated_at", "updated_at", "tracking_id", "id"),
        Index("ix_complaints_created_at", "created_at", "tracking_id", "id"),
        Index("ix_complaints_agency_id", "agency_id"),
        Index("ix_complaints_category_id", "category_id"),
    )


class ComplaintCopy(Base):
    """Copy agencies of a complaint's disposition (tembusan)."""

    __tablename__ = "complaint_copies"
    complaint_rid: Mapped[int] = mapped_column(
        ForeignKey("complaints.rid", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_complaint_copies_agency_id", "agency_id"),)


class ThreadEntry(Base):
    """One thread entry. Keyed by an integer rowid, not by the server's UUID: entries are only
    ever read and replaced per complaint, and a random UUID index would make every page apply
    touch pages all over the file."""

    __tablename__ = "thread_entries"
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(Text)
    complaint_rid: Mapped[int] = mapped_column(
        ForeignKey("complaints.rid", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)  # followup | comment | note | event | unknown text
    author: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(Integer)


class Attachment(Base):
    """Attachment metadata only; ``name`` is display text, never a path."""

    __tablename__ = "attachments"
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # as for thread entries
    id: Mapped[str] = mapped_column(Text)
    complaint_rid: Mapped[int] = mapped_column(
        ForeignKey("complaints.rid", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(Text)
    mime: Mapped[str | None] = mapped_column(Text)


class Response(Base):
    """A response (tindak lanjut) under review, from ``ComplaintDoc.responses``. No foreign key:
    replaced per complaint with it, deleted when it leaves the scope."""

    __tablename__ = "responses"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(Text, index=True)
    position: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    text_sha256: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[int | None] = mapped_column(Integer)


class ReadMark(Base):
    """This user's read state of a complaint, from ``ChangesPage.read_marks`` (per user, from
    any of their devices). No foreign key: a mark may arrive before its complaint."""

    __tablename__ = "read_marks"
    complaint_id: Mapped[str] = mapped_column(Text, primary_key=True)
    read: Mapped[bool] = mapped_column(Boolean)
    last_comment_id: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[int] = mapped_column(Integer)


# --- LOCAL layer ---------------------------------------------------------------------------


class Draft(Base):
    """A response draft. No foreign key to complaints: drafts outlive a reset or a re-route."""

    __tablename__ = "drafts"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(Text, index=True)
    body: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(Text, default="draft")
    created_at: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    # The response's server version once the commands queued for it are applied (0: new).
    response_version: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (
        CheckConstraint(_in("state", DRAFT_STATES), name="ck_drafts_state"),
        Index("ix_drafts_state", "state"),
    )


# --- OUTBOX --------------------------------------------------------------------------------


class OutboxCommand(Base):
    """One command for the server. ``seq`` is gap-free per device; rows are never deleted."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    op_id: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)
    complaint_id: Mapped[str | None] = mapped_column(Text, index=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(Text, default="pending")
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[int] = mapped_column(Integer)
    response_id: Mapped[str | None] = mapped_column(Text, index=True)  # the draft/response
    outcome_message: Mapped[str | None] = mapped_column(Text)  # server detail (no citizen text)
    outcome_version: Mapped[int | None] = mapped_column(Integer)  # complaint version after it
    response_version: Mapped[int | None] = mapped_column(Integer)  # response version after it
    sent_at: Mapped[int | None] = mapped_column(Integer)  # first sent to the server

    __table_args__ = (
        CheckConstraint(_in("state", OUTBOX_STATES), name="ck_outbox_state"),
        Index("ix_outbox_state", "state"),
    )


BLOB_UPLOAD_STATES = ("none", "pending", "done", "failed")


class Blob(Base):
    """Attachment content held locally (encrypted with the replica), keyed by SHA-256; 0005.

    Not part of the synced layer: content never changes under its hash, so a reset keeps it.
    ``have`` bytes are stored contiguously from 0 in ``blob_chunks``; ``complete`` is set only
    after the SHA-256 of all of them matched. ``upload`` is "pending" for a file added on this
    computer until the server holds it ("done"); "failed" lets its command go (to be rejected)
    instead of holding the outbox forever; "none" for downloads.
    """

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    have: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    complete: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    upload: Mapped[str] = mapped_column(Text, server_default=text("'none'"))
    created_at: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint(_in("upload", BLOB_UPLOAD_STATES), name="ck_blobs_upload"),)


class BlobChunk(Base):
    __tablename__ = "blob_chunks"
    sha256: Mapped[str] = mapped_column(
        ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SyncStateRow(Base):
    """The single row (id = 1) holding the pull cursor, saved with each page."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cursor: Mapped[str | None] = mapped_column(Text)
    epoch: Mapped[str | None] = mapped_column(Text)
    last_sync_at: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[int | None] = mapped_column(Integer)
    # The agency's synced DeadlineRules.to_dict() as JSON (NULL: defaults); 0003.
    rules: Mapped[str | None] = mapped_column(Text)
    rules_updated_at: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_state_single"),)


agencies = Base.metadata.tables["agencies"]
categories = Base.metadata.tables["categories"]
users = Base.metadata.tables["users"]
complaints = Base.metadata.tables["complaints"]
complaint_copies = Base.metadata.tables["complaint_copies"]
thread_entries = Base.metadata.tables["thread_entries"]
attachments = Base.metadata.tables["attachments"]
responses = Base.metadata.tables["responses"]
drafts = Base.metadata.tables["drafts"]
outbox = Base.metadata.tables["outbox"]
sync_state = Base.metadata.tables["sync_state"]
read_marks = Base.metadata.tables["read_marks"]
blobs = Base.metadata.tables["blobs"]
blob_chunks = Base.metadata.tables["blob_chunks"]

SYNCED_TABLES = (read_marks, responses, complaint_copies, thread_entries, attachments,
                 complaints, users, categories, agencies)
