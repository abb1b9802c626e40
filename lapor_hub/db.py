"""Server storage: tables, engine setup (SQLite or PostgreSQL) and the ``meta`` row.

SQLAlchemy Core tables (the hot paths are bulk inserts and range scans, where ORM objects
would only cost time). Times in complaint rows are ISO 8601 UTC strings, the same text the
wire carries; token times are integer Unix seconds.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import ConnectionPoolEntry

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

agencies = Table(
    "agencies", metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("parent_id", String(100), ForeignKey("agencies.id"), nullable=True),
)

categories = Table(
    "categories", metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_id", String(100), ForeignKey("categories.id"), nullable=True),
    Column("path", Text, nullable=False, unique=True),
)

users = Table(
    "users", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("agency_id", String(100), ForeignKey("agencies.id"), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

tokens = Table(
    "tokens", metadata,
    Column("hash", String(64), primary_key=True),  # SHA-256 hex; the token itself is never stored
    Column("kind", String(10), nullable=False),  # "access" | "refresh"
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("family_id", String(36), nullable=False),
    Column("parent_hash", String(64), nullable=True),  # refresh token this one replaced
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),  # refresh: when it was first rotated
    Column("revoked", Boolean, nullable=False, default=False),
    Column("device_id", String(100), nullable=True),
    Index("ix_tokens_family", "family_id"),
    Index("ix_tokens_parent", "parent_hash"),
)

complaints = Table(
    "complaints", metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_id", BigInteger, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("incident_date", String(10), nullable=True),
    Column("province", Text, nullable=True),
    Column("regency", Text, nullable=True),
    Column("district", Text, nullable=True),
    Column("category_id", String(100), ForeignKey("categories.id"), nullable=True),
    Column("classification", String(40), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("is_anonymous", Boolean, nullable=False),
    Column("is_confidential", Boolean, nullable=False),
    # Reporter identity lives only here; the doc below is already redacted.
    Column("reporter_name", Text, nullable=True),
    Column("reporter_phone", Text, nullable=True),
    Column("reporter_email", Text, nullable=True),
    Column("agency_id", String(100), ForeignKey("agencies.id"), nullable=False),
    Column("status", String(40), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("tags", Text, nullable=False),  # JSON list
    Column("assignee_id", String(36), nullable=True),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("due_at", String(40), nullable=True),
    Column("resolution_due_at", String(40), nullable=True),
    Column("doc", Text, nullable=False),  # agency-view ComplaintDoc JSON, rebuilt on every write
    Index("ix_complaints_agency", "agency_id"),
)

complaint_copies = Table(
    "complaint_copies", metadata,
    Column("complaint_id", String(36), ForeignKey("complaints.id"), primary_key=True),
    Column("agency_id", String(100), ForeignKey("agencies.id"), primary_key=True),
)

thread_entries = Table(
    "thread_entries", metadata,
    Column("id", String(36), primary_key=True),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("author", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_thread_complaint", "complaint_id"),
)

attachments = Table(
    "attachments", metadata,
    Column("id", String(36), primary_key=True),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("mime", String(100), nullable=True),
    Index("ix_attachments_complaint", "complaint_id"),
)

# Attachment content lives in the hub database (backup/restore stays one thing): a blob is
# content-addressed by SHA-256 and split into chunk rows; an upload session owns its chunks
# under its id until ``complete`` verifies size and hash and re-keys them to the hash.
blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

blob_chunks = Table(
    "blob_chunks", metadata,
    Column("owner", String(64), primary_key=True),  # a blob's sha256 or an upload id
    Column("pos", BigInteger, primary_key=True),  # byte offset of the chunk
    Column("length", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

blob_uploaders = Table(  # who proved possession of a blob (instant dedupe for them later)
    "blob_uploaders", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("user_id", String(36), primary_key=True),
)

uploads = Table(
    "uploads", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Index("ix_uploads_user_sha", "user_id", "sha256"),
)

agency_seq = Table(
    "agency_seq", metadata,
    Column("agency_id", String(100), primary_key=True),
    Column("seq", BigInteger, nullable=False),
)

stream = Table(
    "stream", metadata,
    Column("agency_id", String(100), primary_key=True),
    Column("complaint_id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("removed", Boolean, nullable=False),
    Index("ix_stream_agency_seq", "agency_id", "seq", unique=True),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),  # Unix seconds
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),  # counts and flags only, never complaint text
)

responses = Table(
    "responses", metadata,
    Column("id", String(36), primary_key=True),  # made by the client (the draft id)
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False),
    Column("author_id", String(36), nullable=False),
    Column("author_name", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    # draft | submitted | returned | approved | published
    Column("state", String(20), nullable=False),
    Column("note", Text, nullable=True),  # supervisor's note on return
    Column("reviewer_id", String(36), nullable=True),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("published_at", String(40), nullable=True),
    Index("ix_responses_complaint", "complaint_id"),
)

command_log = Table(
    "command_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("op_id", String(100), nullable=False, unique=True),
    Column("user_id", String(36), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("complaint_id", String(36), nullable=True),
    # The Outcome JSON; on a conflict it holds both texts, so nothing human-written is lost.
    Column("outcome", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ux_command_log_device_seq", "device_id", "seq", unique=True),
)

complaint_flags = Table(
    "complaint_flags", metadata,
    Column("complaint_id", String(36), ForeignKey("complaints.id"), primary_key=True),
    Column("flag", String(40), primary_key=True),  # overdue | escalation | reroute_requested
    Column("set_at", String(40), nullable=False),
)

devices = Table(
    # A device id belongs to the user who first used it (login or push), so two users' command
    # seq streams can never interleave under one device id (``claim_device``).
    "devices", metadata,
    Column("device_id", String(100), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("first_seen", BigInteger, nullable=False),  # Unix seconds
)

rules = Table(
    # Per-agency deadline rules: DeadlineRules.to_dict() as JSON; no row means the defaults.
    "rules", metadata,
    Column("agency_id", String(100), ForeignKey("agencies.id"), primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", BigInteger, nullable=False),  # Unix seconds
)

former_owners = Table(
    # Agencies a complaint was re-routed (or disposed) away from: the one case in which an
    # agency outside the scope may still write, a handover note from an orphaned draft.
    "former_owners", metadata,
    Column("complaint_id", String(36), ForeignKey("complaints.id"), primary_key=True),
    Column("agency_id", String(100), primary_key=True),
    Column("left_at", String(40), nullable=False),
)

read_marks = Table(
    # Per-USER read state (the web console's "mark as read" is per user, not per desk). A
    # mark never changes the complaint; ``seq`` orders one user's marks for the pull cursor.
    "read_marks", metadata,
    Column("user_id", String(36), primary_key=True),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), primary_key=True),
    Column("read", Boolean, nullable=False),
    Column("last_comment_id", String(100), nullable=True),
    Column("seq", BigInteger, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ux_read_marks_user_seq", "user_id", "seq", unique=True),
)

user_seq = Table(
    # One counter row per user, bumped with UPDATE … RETURNING inside each mark's transaction:
    # the row lock makes a user's mark seq order equal commit order (as agency_seq).
    "user_seq", metadata,
    Column("user_id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False),
)

ref_seq = Table(
    "ref_seq", metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("seq", BigInteger, nullable=False),
)


def _sqlite_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver level; SQLAlchemy's "begin" hook below issues BEGIN itself so
    # writes can take the write lock up front (no deadlocking lock upgrades).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("lapor_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _sqlite_bulk(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
    # Seeding only: a crash mid-seed leaves no "seeded" mark, and a re-run rewrites the data.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA synchronous=OFF")
    cur.close()


def make_engine(db_url: str, *, bulk: bool = False) -> Engine:
    """An engine for ``sqlite:///…`` or ``postgresql+psycopg://…`` with our connection settings.

    ``bulk`` relaxes durability on SQLite for one-off loads (seeding).
    """
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url, pool_size=8, max_overflow=8)
        event.listen(engine, "connect", _sqlite_connect)
        if bulk:
            event.listen(engine, "connect", _sqlite_bulk)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(db_url, pool_size=8, max_overflow=8, pool_pre_ping=True)


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction (SQLite: BEGIN IMMEDIATE). Commits on success, rolls back on error."""
    with engine.connect().execution_options(lapor_write=True) as conn, conn.begin():
        yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def insert_or_ignore(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                     keys: Sequence[str]) -> None:
    """Bulk insert, skipping rows whose key already exists."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(table).on_conflict_do_nothing(index_elements=list(keys)),
                     list(rows))
    else:
        conn.execute(sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys)),
                     list(rows))


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
           keys: Sequence[str], update_cols: Sequence[str]) -> None:
    """Bulk insert-or-update by primary/unique key."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        pst = postgresql.insert(table)
        conn.execute(pst.on_conflict_do_update(
            index_elements=list(keys), set_={c: pst.excluded[c] for c in update_cols}), list(rows))
    else:
        sst = sqlite.insert(table)
        conn.execute(sst.on_conflict_do_update(
            index_elements=list(keys), set_={c: sst.excluded[c] for c in update_cols}), list(rows))


def get_meta(conn: Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.execute(select(meta.c.key, meta.c.value))}


def init_db(engine: Engine) -> dict[str, str]:
    """Create the tables and the meta row if missing; return the meta values."""
    metadata.create_all(engine)
    with write_tx(engine) as conn:
        insert_or_ignore(conn, meta, [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "epoch", "value": secrets.token_hex(16)},
            {"key": "hmac_secret", "value": secrets.token_hex(32)},
        ], ["key"])
        # ref_seq starts at 1 so a fresh cursor (r=0) always receives the reference data.
        insert_or_ignore(conn, ref_seq, [{"id": 1, "seq": 1}], ["id"])
        values = get_meta(conn)
    if values.get("schema_version") != str(SCHEMA_VERSION):
        raise RuntimeError("unsupported server schema version")
    return values


_DEVICE_OWNER = select(devices.c.user_id).where(devices.c.device_id == bindparam("dev"))
_DEVICE_OWNER_LOCKED = _DEVICE_OWNER.with_for_update()
_OTHERS_COMMANDS = select(command_log.c.id).where(
    command_log.c.device_id == bindparam("dev"), command_log.c.user_id != bindparam("user")
).limit(1)


def device_owner(conn: Connection, device_id: str, *, lock: bool = False) -> str | None:
    stmt = _DEVICE_OWNER_LOCKED if lock and conn.dialect.name == "postgresql" else _DEVICE_OWNER
    value = conn.execute(stmt, {"dev": device_id}).scalar()
    return None if value is None else str(value)


def claim_device(conn: Connection, device_id: str, user_id: str, now: int, *,
                 login: bool = False) -> bool:
    """May ``user_id`` use ``device_id``? (Inside the caller's write transaction.)

    A device id belongs to the user who first used it. Once another user's commands are
    logged under it, it is refused (False: ``device_mismatch``), so two users' command seq
    streams never interleave. A device id without any command of another user may change
    hands (a desk profile that signs in as another account, with nothing unsent): a login
    keeps the recorded owner, the new user's first push takes the device over.
    """
    owner = device_owner(conn, device_id, lock=True)
    if owner == user_id:
        return True
    if conn.execute(_OTHERS_COMMANDS, {"dev": device_id, "user": user_id}).first() is not None:
        return False
    if owner is None:
        insert_or_ignore(conn, devices, [{"device_id": device_id, "user_id": user_id,
                                          "first_seen": now}], ["device_id"])
        return device_owner(conn, device_id) == user_id
    if not login:
        conn.execute(update(devices).where(devices.c.device_id == device_id,
                                           devices.c.user_id == owner).values(user_id=user_id))
    return True


def bump_ref_seq(conn: Connection) -> None:
    """Mark reference data (agencies, categories, users) as changed."""
    conn.execute(update(ref_seq).where(ref_seq.c.id == 1).values(seq=ref_seq.c.seq + 1))


def current_ref_seq(conn: Connection) -> int:
    value = conn.execute(select(ref_seq.c.seq).where(ref_seq.c.id == 1)).scalar()
    return int(value or 0)
