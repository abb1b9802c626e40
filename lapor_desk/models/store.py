"""The encrypted local replica (SQLCipher) and its reads and writes.

* Every new connection sends the raw key (``PRAGMA key = "x'…'"``) as its first statement, then
  proves it with a read of ``sqlite_master``; a wrong key raises ``DatabaseKeyError`` and the file
  is never touched.
* WAL + ``synchronous=FULL``; ``secure_delete`` so deleted text does not linger in free pages;
  ``temp_store=MEMORY`` so sorts and temp tables never reach disk outside the cipher.
* Thread-safe: each method takes its own pooled connection. Writes run in ``BEGIN IMMEDIATE``
  transactions (one writer at a time, no deadlocking lock upgrade); reads run in deferred
  transactions and so see a consistent snapshot while the sync worker writes.
* ``apply_page`` applies one sync page and its cursor in ONE transaction: all or nothing.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import QueuePool

from lapor_desk.errors import (
    DatabaseKeyError,
    DatabaseLockedError,
    DiskFullError,
    LaporError,
    NotFoundError,
    ProtocolError,
)
from lapor_desk.models import fts
from lapor_desk.models.records import (
    ApplyResult,
    AttachmentItem,
    ComplaintDetail,
    ComplaintQuery,
    ComplaintRow,
    SortKey,
    ThreadItem,
)

if TYPE_CHECKING:
    from lapor_desk.models.rules import DeadlineRules
    from lapor_desk.sync.protocol import ChangesPage, ComplaintDoc, ReadMark, Reference

log = logging.getLogger(__name__)

__all__ = ["Store", "SyncState", "from_us", "migrate", "open_engine", "to_us"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5_000
_CHUNK = 500  # bound on SQL variables per statement (SQLite's limit is far higher)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_WRITE = "lapor_write"
# SQLite's default auto-checkpoint (WAL frames), kept by every connection except while a sync
# page commits: a first-sync page writes ~1,000 frames (its rows plus the index and full-text
# pages it touches), so the default checkpointed after every page and copied the same hot index
# pages back into the file (with an fsync of it) page after page. 8,192 frames (32 MiB) make
# that one checkpoint per ~8 pages; ``journal_size_limit`` still shrinks the WAL afterwards.
_WAL_AUTOCHECKPOINT_FRAMES = 1000
_PAGE_CHECKPOINT_FRAMES = 8192

T = TypeVar("T")


# --- time ----------------------------------------------------------------------------------


def to_us(value: str | datetime | None) -> int | None:
    """An ISO 8601 time (or aware datetime) as integer microseconds since the epoch, UTC."""
    if value is None:
        return None
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # the server writes UTC; a naive time is taken as UTC
    return (dt - _EPOCH) // _US


def from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _from_us_opt(value: int | None) -> datetime | None:
    return None if value is None else from_us(value)


def _now_us() -> int:
    return (datetime.now(UTC) - _EPOCH) // _US


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


# --- engine --------------------------------------------------------------------------------


# Primary SQLite result codes (extended codes carry them in the low byte).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL, _SQLITE_NOTADB = 5, 6, 13, 26


def _map_error(exc: BaseException) -> LaporError | None:
    """The taxonomy error for an environment failure of SQLite, or None (a bug: re-raise)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text \
            or "database table is locked" in text:
        return DatabaseLockedError()
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return DiskFullError()
    if primary == _SQLITE_NOTADB or "file is not a database" in text:
        return DatabaseKeyError()
    return None


@contextmanager
def _db_errors() -> Iterator[None]:
    """Turn environment failures of SQLite into the error taxonomy (without leaking SQL/data)."""
    try:
        yield
    except (sa_exc.DBAPIError, sqlcipher.Error) as exc:
        mapped = _map_error(exc)
        if mapped is not None:
            raise mapped from None
        raise


def _ensure_file(path: Path) -> None:
    """Create the database file owner-only before SQLite does (it would honour the umask).

    SQLite gives the -wal and -shm files the permissions of the main file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    else:
        os.chmod(path, 0o600)


def _key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise DatabaseKeyError("the database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""  # a raw key: no KDF, no passphrase


def _prove_key(conn: Any, key_pragma: str) -> None:
    """Send the key as the first statement and prove it; close ``conn`` and raise if wrong."""
    try:
        conn.execute(key_pragma)
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()  # no stderr noise
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.Error as exc:
        conn.close()
        mapped = _map_error(exc)
        if mapped is not None:
            raise mapped from None
        raise


def _connector(path: Path, key: bytes, busy_timeout_ms: int) -> Any:
    key_pragma = _key_pragma(key)

    def connect() -> Any:
        conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None,
                                 timeout=busy_timeout_ms / 1000)
        _prove_key(conn, key_pragma)
        try:
            for pragma in (
                f"PRAGMA busy_timeout = {int(busy_timeout_ms)}",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = FULL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA secure_delete = ON",
                "PRAGMA temp_store = MEMORY",
                # 16 MiB page cache (grows only as used): fewer pages decrypted again.
                "PRAGMA cache_size = -16384",
                # A checkpointed WAL shrinks back to this size instead of staying at its peak.
                "PRAGMA journal_size_limit = 67108864",
            ):
                conn.execute(pragma).fetchall()
        except sqlcipher.Error as exc:
            conn.close()
            mapped = _map_error(exc)
            if mapped is not None:
                raise mapped from None
            raise
        return conn

    return connect


def open_engine(path: Path, key: bytes, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """A pooled SQLAlchemy engine over the SQLCipher file (created 0600 when missing)."""
    _ensure_file(path)
    engine = create_engine(
        "sqlite+pysqlite://", creator=_connector(path, key, busy_timeout_ms), module=sqlcipher,
        # LIFO: the most recently used connection (with a warm, already-decrypted page cache)
        # is handed out first.
        poolclass=QueuePool, pool_size=4, max_overflow=8, pool_pre_ping=False,
        pool_use_lifo=True,
        # SQLAlchemy error messages otherwise quote bound values: complaint text, identities.
        hide_parameters=True,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # The driver runs in autocommit mode (isolation_level=None); we issue BEGIN ourselves so
        # writes take the write lock up front (no SQLITE_BUSY on a read-to-write upgrade).
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def head_revision() -> str:
    """The newest migration, read from the file names (``NNNN_name.py``, a linear history).

    Cheap on purpose: importing Alembic costs ~0.4 s of start-up, so ``Store.open`` only does
    that when the file is not already at this revision. A test checks it equals Alembic's head.
    """
    names = (p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))
    return max(names)


def _current_revision(engine: Engine) -> str | None:
    with _db_errors(), engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if has_table is None:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in one write transaction (no-op when already there)."""
    if revision == "head" and _current_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with (_db_errors(), engine.connect().execution_options(**{_WRITE: True}) as conn,
          conn.begin()):
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        current = MigrationContext.configure(conn).get_current_revision()
        script = ScriptDirectory.from_config(cfg)
        target = script.get_current_head() if revision == "head" else revision
        if current != target:
            command.upgrade(cfg, revision)


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncState:
    cursor: str | None
    epoch: str | None
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None = None


_COMPLAINT_COLS = (
    "rid", "id", "tracking_id", "version", "title", "body", "incident_date", "province",
    "regency", "district", "category_id", "classification", "channel", "is_anonymous",
    "is_confidential", "reporter_name", "reporter_phone", "reporter_email", "agency_id",
    "status", "priority", "tags", "assignee_id", "created_at", "updated_at", "due_at",
    "resolution_due_at", "thread_count",
)
# Built from the fixed column list above (no data in the SQL text).
_UPSERT_COMPLAINT = " ".join((
    "INSERT INTO complaints (", ", ".join(_COMPLAINT_COLS), ") VALUES (",
    _marks(len(_COMPLAINT_COLS)), ") ON CONFLICT (rid) DO UPDATE SET",
    ", ".join(f"{c} = excluded.{c}" for c in _COMPLAINT_COLS if c not in ("rid", "id")),
))
_INSERT_THREAD = (
    "INSERT INTO thread_entries "
    "(id, complaint_rid, position, kind, author, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ATTACHMENT = (
    "INSERT INTO attachments (id, complaint_rid, position, name, size, sha256, mime)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_COPY = (
    "INSERT OR IGNORE INTO complaint_copies (complaint_rid, agency_id, position) VALUES (?, ?, ?)"
)
_INSERT_RESPONSE = (
    "INSERT OR REPLACE INTO responses (id, complaint_id, position, author_id, author_name, body,"
    " version, text_sha256, state, note, reviewer_id, updated_at, published_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FTS = "INSERT INTO complaints_fts (rowid, title, body, thread) VALUES (?, ?, ?, ?)"
_DELETE_FTS = "DELETE FROM complaints_fts WHERE rowid = ?"

# This user's read state of complaint ``c``: the newest unsent mark-read command wins over the
# synced mark; a complaint is read when that says read AND the newest reporter comment is the
# one seen then (a later reply makes it unread: the "new reporter reply" badge).
IS_READ_SQL = (
    "EXISTS (SELECT 1 FROM (SELECT rd, seen FROM ("
    " SELECT json_extract(o.payload, '$.read') AS rd,"
    "  json_extract(o.payload, '$.last_comment_id') AS seen, 0 AS pri, o.seq AS k"
    "  FROM outbox o WHERE o.complaint_id = c.id AND o.kind = 'complaint.mark_read'"
    "  AND o.state IN ('pending', 'sending')"
    " UNION ALL SELECT m.read, m.last_comment_id, 1, 0 FROM read_marks m"
    "  WHERE m.complaint_id = c.id) ORDER BY pri, k DESC LIMIT 1) x"
    " WHERE x.rd AND coalesce(x.seen, '') = coalesce((SELECT t.id FROM thread_entries t"
    "  WHERE t.complaint_rid = c.rid AND t.kind = 'comment'"
    "  ORDER BY t.position DESC LIMIT 1), ''))")


_ROW_SELECT = (
    "SELECT c.id, c.tracking_id, c.title, c.status, cat.path, c.agency_id, u.display_name,"  # noqa: S608
    " c.due_at, c.created_at, c.is_anonymous, c.is_confidential, c.classification, c.channel,"
    f" c.priority, c.thread_count, NOT {IS_READ_SQL}"
    " FROM complaints c"
    " LEFT JOIN categories cat ON cat.id = c.category_id"
    " LEFT JOIN users u ON u.id = c.assignee_id"
)

_SORT_SQL: dict[SortKey, str] = {
    SortKey.TRACKING_ID: "c.tracking_id",
    SortKey.TITLE: "c.title COLLATE NOCASE",
    SortKey.STATUS: "c.status",
    SortKey.CATEGORY: "cat.path COLLATE NOCASE",
    SortKey.DUE_AT: "c.due_at",  # must match the expression of ix_complaints_due
    SortKey.CREATED_AT: "c.created_at",
    SortKey.UPDATED_AT: "c.updated_at",
}


_fromisoformat = datetime.fromisoformat


def _us(value: str | None) -> int | None:
    """``to_us`` for the ISO text of a validated document (the hot path of a page apply)."""
    if value is None:
        return None
    dt = _fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return (dt - _EPOCH) // _US


@lru_cache(maxsize=1024)
def _tags_text(tags: tuple[str, ...]) -> str:
    """The stored JSON text of a tag list (a handful of distinct lists fill a whole page)."""
    return json.dumps(list(tags), ensure_ascii=False)


def _complaint_params(rid: int, doc: ComplaintDoc) -> tuple[Any, ...]:
    loc = doc["location"]
    # Belt and braces: an anonymous report's identity is never stored, whatever arrives.
    rep = None if doc["is_anonymous"] else doc["reporter"]
    tags = doc["tags"]
    return (
        rid, doc["id"], doc["tracking_id"], doc["version"], doc["title"], doc["body"],
        doc["incident_date"], loc["province"], loc["regency"], loc["district"],
        doc["category_id"], doc["classification"], doc["channel"], bool(doc["is_anonymous"]),
        bool(doc["is_confidential"]),
        rep["name"] if rep else None, rep["phone"] if rep else None,
        rep["email"] if rep else None,
        doc["agency_id"], doc["status"], doc["priority"],
        _tags_text(tuple(tags)) if tags else "[]", doc["assignee_id"],
        _us(doc["created_at"]), _us(doc["updated_at"]), _us(doc["due_at"]),
        _us(doc["resolution_due_at"]), len(doc["thread"]),
    )


def _row(r: Sequence[Any]) -> ComplaintRow:
    return ComplaintRow(
        id=r[0], tracking_id=r[1], title=r[2], status=r[3], category_path=r[4], agency_id=r[5],
        assignee_name=r[6], due_at=_from_us_opt(r[7]), created_at=from_us(r[8]),
        is_anonymous=bool(r[9]), is_confidential=bool(r[10]), classification=r[11],
        channel=r[12], priority=r[13], thread_count=r[14], unread=bool(r[15]),
    )


# --- the store -----------------------------------------------------------------------------


class Store:
    """The local replica. Create with ``Store.open``; every method is safe from any thread."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self._engine = engine
        self.path = path
        self._closed = False

    @classmethod
    def open(cls, path: Path, key: bytes, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """Open (or create) the encrypted replica at ``path`` and upgrade its schema to head.

        A wrong key raises ``DatabaseKeyError``; the file is left exactly as it was. Another
        process holding the write lock longer than ``busy_timeout_ms`` gives
        ``DatabaseLockedError``.
        """
        if path.exists():
            _check_key(path, key)  # before anything could write (pragmas, migrations)
        engine = open_engine(path, key, busy_timeout_ms=busy_timeout_ms)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, path)

    @property
    def engine(self) -> Engine:
        self._check_open()
        return self._engine

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        # After close (logout, idle lock) nothing may quietly reconnect with the key.
        if self._closed:
            raise LaporError(message_id="Basis data lokal sudah ditutup (sesi dikunci).",
                             message_en="The local database is closed (session locked).")

    def close(self) -> None:
        """Refresh planner statistics, checkpoint the WAL and close every pooled connection.

        Idempotent; any later use of the store raises ``LaporError``.
        """
        if self._closed:
            return
        self._closed = True
        try:
            with self._engine.connect() as conn:
                # On the driver connection: outside any transaction (a checkpoint cannot
                # run inside one).
                raw = conn.connection.driver_connection
                assert raw is not None
                raw.execute("PRAGMA optimize").fetchall()
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except (sa_exc.DBAPIError, sqlcipher.Error, LaporError):
            pass  # another process holds it; closing must still succeed
        self._engine.dispose()

    # -- transactions (also for the parts of the app that write drafts and the outbox) --

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; committed on success, rolled back on error."""
        self._check_open()
        with (_db_errors(), self._engine.connect().execution_options(**{_WRITE: True}) as conn,
              conn.begin()):
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A deferred (snapshot) read transaction."""
        self._check_open()
        with _db_errors(), self._engine.connect() as conn:
            yield conn

    # -- sync ------------------------------------------------------------------------------

    def apply_page(self, page: ChangesPage,
                   also: Callable[[Connection, ApplyResult], None] | None = None,
                   ) -> ApplyResult:
        """Apply one validated page and its cursor in one transaction (all or nothing).

        ``also`` runs inside that transaction after the page is written (the outbox records the
        page's outcomes and reconciles drafts there), so it commits or rolls back with it.
        """
        # A complaint listed twice keeps its highest version (the later one on a tie).
        docs: dict[str, ComplaintDoc] = {}
        for doc in page["complaints"]:
            prev = docs.get(doc["id"])
            if prev is None or doc["version"] >= prev["version"]:
                docs[doc["id"]] = doc
        removed_req = [r for r in dict.fromkeys(page["removed"]) if r not in docs]
        rejected: list[tuple[str, str]] = []
        self._check_open()
        try:
            # As ``write()``, plus a larger WAL auto-checkpoint for this page's commit (see
            # _PAGE_CHECKPOINT_FRAMES), set back before the connection returns to the pool.
            with (_db_errors(),
                  self._engine.connect().execution_options(**{_WRITE: True}) as conn):
                raw = conn.connection.driver_connection
                assert raw is not None
                raw.execute(f"PRAGMA wal_autocheckpoint = {_PAGE_CHECKPOINT_FRAMES}").fetchall()
                try:
                    with conn.begin():
                        reference_changed = False
                        if page["reference"] is not None:
                            _replace_reference(conn, page["reference"])
                            reference_changed = True
                        removed = _remove(conn, removed_req)
                        upserted = _upsert(conn, list(docs.values()), rejected)
                        _read_marks(conn, page.get("read_marks") or [])
                        conn.exec_driver_sql(
                            "UPDATE sync_state SET cursor = ?, epoch = ? WHERE id = 1",
                            (page["cursor"], page["epoch"]))
                        result = ApplyResult(upserted_ids=tuple(upserted),
                                             removed_ids=tuple(removed),
                                             rejected=tuple(rejected),
                                             reference_changed=reference_changed)
                        if also is not None:
                            also(conn, result)
                finally:
                    with suppress(sqlcipher.Error):  # never hide the error that got us here
                        raw.execute(
                            f"PRAGMA wal_autocheckpoint = {_WAL_AUTOCHECKPOINT_FRAMES}"
                        ).fetchall()
        except sa_exc.IntegrityError:
            # The page broke a constraint: nothing of it was stored; the details may quote data.
            raise ProtocolError("a page violated the replica's constraints") from None
        return result

    def repair(self, docs: Sequence[ComplaintDoc], removed: Sequence[str], *, cursor: str,
               also: Callable[[Connection, ApplyResult], None] | None = None,
               ) -> ApplyResult | None:
        """Replace ``docs`` and remove ``removed`` from the synced layer in one transaction.

        For verify (``lapor_desk.sync.checksums``): the server's answer describes the position
        of ``cursor``, so nothing is written (None) when the stored cursor moved on meanwhile.
        Removal orphans drafts as a scope change does; drafts and the outbox are never deleted.
        """
        with self.write() as conn:
            stored = conn.exec_driver_sql("SELECT cursor FROM sync_state WHERE id = 1").scalar()
            if stored != cursor:
                return None
            ids = [d["id"] for d in docs]
            # The server is the truth at this position even below the stored version: only a
            # damaged replica holds a version the server never had (monotonic reads guard
            # against stale pages; this answer is not stale).
            _delete_in(conn, "UPDATE complaints SET version = -1 WHERE id IN", ids)
            removed_ids = _remove(conn, [r for r in dict.fromkeys(removed) if r not in set(ids)])
            rejected: list[tuple[str, str]] = []
            upserted = _upsert(conn, list(docs), rejected)
            result = ApplyResult(upserted_ids=tuple(upserted), removed_ids=tuple(removed_ids),
                                 rejected=tuple(rejected), reference_changed=False)
            if also is not None:
                also(conn, result)
        return result

    def reset_synced(self) -> None:
        """Drop the synced layer and the cursor; drafts and the outbox are never touched."""
        with self.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO complaints_fts (complaints_fts) VALUES ('delete-all')")
            for table in ("read_marks", "responses", "complaint_copies", "thread_entries",
                          "attachments", "complaints", "users", "categories", "agencies"):
                conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            conn.exec_driver_sql("UPDATE sync_state SET cursor = NULL, epoch = NULL WHERE id = 1")

    def sync_state(self) -> SyncState:
        with self.read() as conn:
            r = conn.exec_driver_sql(
                "SELECT cursor, epoch, last_sync_at, last_error, last_error_at "
                "FROM sync_state WHERE id = 1").one()
        return SyncState(cursor=r[0], epoch=r[1], last_sync_at=_from_us_opt(r[2]),
                         last_error=r[3], last_error_at=_from_us_opt(r[4]))

    def rules(self) -> DeadlineRules:
        """The agency's deadline rules as last synced (``reference.rules``); the defaults
        before any server sent them."""
        with self.read() as conn:
            data = conn.exec_driver_sql("SELECT rules FROM sync_state WHERE id = 1").scalar()
        return _parse_rules(data)

    def record_sync_success(self, when: datetime) -> None:
        with self.write() as conn:
            conn.exec_driver_sql(
                "UPDATE sync_state SET last_sync_at = ?, last_error = NULL, last_error_at = NULL"
                " WHERE id = 1", (to_us(when),))

    def record_sync_error(self, message: str, when: datetime) -> None:
        """``message`` must already be free of secrets (an error code or a plain reason)."""
        with self.write() as conn:
            conn.exec_driver_sql(
                "UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1",
                (message[:500], to_us(when)))

    # -- reads -----------------------------------------------------------------------------

    def count(self, q: ComplaintQuery) -> int:
        where, params = _where(q)
        with self.read() as conn:
            return int(conn.exec_driver_sql(
                f"SELECT count(*) FROM complaints c{where}", params).scalar_one())  # noqa: S608

    def ids(self, q: ComplaintQuery) -> list[str]:
        """Complaint ids matching ``q``, sorted by ``q.sort`` (ties by tracking ID)."""
        # For the default sort the deadline index covers every filter column: a unary "+"
        # stops SQLite from picking a filter index and then sorting after table lookups.
        where, params = _where(q, plus="+" if q.sort is SortKey.DUE_AT else "")
        d = "DESC" if q.descending else "ASC"
        key = _SORT_SQL[q.sort]
        join = (" LEFT JOIN categories cat ON cat.id = c.category_id"
                if q.sort is SortKey.CATEGORY else "")
        if q.sort in (SortKey.DUE_AT, SortKey.CATEGORY):
            # "No deadline" / "no category" sorts last; descending is the exact reverse, so
            # both directions are one index scan (forward or backward).
            order = f"({key} IS NULL) {d}, {key} {d}, c.tracking_id {d}"
        else:
            order = f"{key} {d}, c.tracking_id {d}"
        sql = f"SELECT c.id FROM complaints c{join}{where} ORDER BY {order}"  # noqa: S608
        with self.read() as conn:
            # The raw DBAPI cursor: 100,000 ids without building a Row object for each.
            raw = conn.connection.driver_connection
            assert raw is not None
            return [r[0] for r in raw.execute(sql, params).fetchall()]

    def rows(self, ids: Sequence[str]) -> list[ComplaintRow]:
        """Inbox rows for ``ids`` in the order given; ids no longer stored are skipped."""
        found: dict[str, ComplaintRow] = {}
        with self.read() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                sql = f"{_ROW_SELECT} WHERE c.id IN ({_marks(len(chunk))})"
                for r in conn.exec_driver_sql(sql, tuple(chunk)):
                    found[r[0]] = _row(r)
        return [found[i] for i in ids if i in found]

    def detail(self, ref: str) -> ComplaintDetail:
        """A complaint by UUID or tracking ID (``9197446`` or ``#9197446``), with its thread."""
        ref = ref.strip().removeprefix("#")
        with self.read() as conn:
            col = "c.tracking_id" if ref.isdecimal() else "c.id"
            value: Any = int(ref) if ref.isdecimal() else ref
            base = conn.exec_driver_sql(
                f"{_ROW_SELECT} WHERE {col} = ? ORDER BY c.version DESC LIMIT 1",
                (value,)).first()
            if base is None:
                raise NotFoundError(ref[:64])
            row = _row(base)
            r = conn.exec_driver_sql(
                "SELECT c.rid, c.body, c.incident_date, c.province, c.regency, c.district,"
                " c.reporter_name, c.reporter_phone, c.reporter_email, a.name, c.tags,"
                " c.version, c.updated_at, c.resolution_due_at"
                " FROM complaints c LEFT JOIN agencies a ON a.id = c.agency_id WHERE c.id = ?",
                (row.id,)).one()
            rid = r[0]
            copies = tuple(x[0] for x in conn.exec_driver_sql(
                "SELECT coalesce(a.name, cc.agency_id) FROM complaint_copies cc"
                " LEFT JOIN agencies a ON a.id = cc.agency_id"
                " WHERE cc.complaint_rid = ? ORDER BY cc.position", (rid,)))
            thread = tuple(
                ThreadItem(id=t[0], kind=t[1], author=t[2], body=t[3], created_at=from_us(t[4]))
                for t in conn.exec_driver_sql(
                    "SELECT id, kind, author, body, created_at FROM thread_entries"
                    " WHERE complaint_rid = ? ORDER BY position", (rid,)))
            files = tuple(
                AttachmentItem(id=f[0], name=f[1], size=f[2], sha256=f[3], mime=f[4])
                for f in conn.exec_driver_sql(
                    "SELECT id, name, size, sha256, mime FROM attachments"
                    " WHERE complaint_rid = ? ORDER BY position", (rid,)))
        return ComplaintDetail(
            row=row, body=r[1], incident_date=r[2], province=r[3], regency=r[4], district=r[5],
            reporter_name=None if row.is_anonymous else r[6],
            reporter_phone=None if row.is_anonymous else r[7],
            reporter_email=None if row.is_anonymous else r[8],
            agency_name=r[9], copy_agency_names=copies, tags=tuple(json.loads(r[10])),
            version=r[11], updated_at=from_us(r[12]), resolution_due_at=_from_us_opt(r[13]),
            thread=thread, attachments=files,
        )

    def status_counts(self) -> tuple[int, int, int]:
        """(complaints, pending outbox commands, items needing attention)."""
        with self.read() as conn:
            r = conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM complaints),"
                " (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')),"
                " (SELECT count(*) FROM outbox WHERE state IN ('conflict', 'rejected'))"
                " + (SELECT count(*) FROM drafts WHERE state = 'orphaned')").one()
        return int(r[0]), int(r[1]), int(r[2])

    def agencies(self) -> list[tuple[str, str]]:
        """(id, name) of every known agency, by name."""
        with self.read() as conn:
            return [(r[0], r[1]) for r in conn.exec_driver_sql(
                "SELECT id, name FROM agencies ORDER BY name COLLATE NOCASE, id")]

    def categories(self) -> list[tuple[str, str]]:
        """(id, path) of every category, by path."""
        with self.read() as conn:
            return [(r[0], r[1]) for r in conn.exec_driver_sql(
                "SELECT id, path FROM categories ORDER BY path COLLATE NOCASE, id")]

    def users(self, agency_id: str | None = None) -> list[tuple[str, str, str]]:
        """(id, display name, role) of the synced users, of one agency if given, by name."""
        sql = "SELECT id, display_name, role FROM users"
        params: tuple[str, ...] = ()
        if agency_id is not None:
            sql += " WHERE agency_id = ?"
            params = (agency_id,)
        with self.read() as conn:
            return [(r[0], r[1], r[2]) for r in conn.exec_driver_sql(
                sql + " ORDER BY display_name COLLATE NOCASE, id", params)]

    def triage_values(self, ids: Sequence[str]) -> dict[str, dict[str, object]]:
        """The triage fields (category_id, priority, tags, assignee_id) of each complaint."""
        out: dict[str, dict[str, object]] = {}
        with self.read() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                sql = f"{_TRIAGE_SELECT} WHERE id IN ({_marks(len(chunk))})"
                for r in conn.exec_driver_sql(sql, tuple(chunk)):
                    out[r[0]] = {"category_id": r[1], "priority": r[2],
                                 "tags": json.loads(r[3]), "assignee_id": r[4]}
        return out

    def local_states(self) -> dict[str, str]:
        """Complaints with local work: "attention" (a conflict, rejection or orphaned draft)
        or "pending" (commands not yet acknowledged). Small: the outbox, not the replica."""
        with self.read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT complaint_id, max(CASE WHEN state IN ('conflict', 'rejected') THEN 2"
                " ELSE 1 END) FROM outbox WHERE complaint_id IS NOT NULL AND state IN"
                " ('pending', 'sending', 'conflict', 'rejected') GROUP BY complaint_id"
                " UNION ALL SELECT complaint_id, 2 FROM drafts WHERE state = 'orphaned'").all()
        out: dict[str, str] = {}
        for cid, level in rows:
            if level == 2 or cid not in out:
                out[str(cid)] = "attention" if level == 2 else "pending"
        return out

    def unread(self, ids: Sequence[str]) -> set[str]:
        """Which of these complaints are unread for this user (the inbox badge)."""
        out: set[str] = set()
        with self.read() as conn:
            for chunk in _chunks(list(ids)):
                out.update(str(r[0]) for r in conn.exec_driver_sql(
                    f"SELECT c.id FROM complaints c WHERE c.id IN ({_marks(len(chunk))})"  # noqa: S608
                    f" AND NOT {IS_READ_SQL}", tuple(chunk)))
        return out

    def statuses_present(self) -> list[str]:
        with self.read() as conn:
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT DISTINCT status FROM complaints ORDER BY status")]


# --- helpers ---------------------------------------------------------------------------------


def _check_key(path: Path, key: bytes) -> None:
    """Prove the key on a read-only connection before any pragma or migration could write.

    Only a definite answer counts: "not a database" (wrong key, or not a SQLCipher file)
    raises; anything else (say, a WAL that a read-only open cannot recover) is left to the
    normal open, which proves the key the same way before touching anything.
    """
    key_pragma = _key_pragma(key)
    try:
        conn = sqlcipher.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                 check_same_thread=False, isolation_level=None)
    except sqlcipher.Error:
        return
    try:
        _prove_key(conn, key_pragma)
    except DatabaseKeyError:
        raise
    except (LaporError, sqlcipher.Error):
        return
    conn.close()


def _where(q: ComplaintQuery, plus: str = "") -> tuple[str, dict[str, Any]]:
    """WHERE clause and parameters for ``q``; ``plus="+"`` keeps filters off their indexes.

    Search text with nothing searchable in it (only punctuation, say) does not filter.
    """
    parts: list[str] = []
    params: dict[str, Any] = {}
    if q.search.strip():
        match = fts.escape_query(q.search)
        if match is not None:
            parts.append(f"{plus}c.rid IN (SELECT rowid FROM complaints_fts "  # noqa: S608
                         "WHERE complaints_fts MATCH :match)")
            params["match"] = match
    if q.statuses:
        names = [f":s{i}" for i in range(len(q.statuses))]
        parts.append(f"{plus}c.status IN ({', '.join(names)})")
        params.update({n[1:]: s for n, s in zip(names, q.statuses, strict=True)})
    if q.agency_id is not None:
        parts.append(f"({plus}c.agency_id = :agency OR {plus}c.rid IN (SELECT complaint_rid "  # noqa: S608
                     "FROM complaint_copies WHERE agency_id = :agency))")
        params["agency"] = q.agency_id
    if q.category_id is not None:
        # The category and everything below it in the tree.
        parts.append(f"{plus}c.category_id IN (WITH RECURSIVE sub(id) AS (SELECT :category "  # noqa: S608
                     "UNION SELECT k.id FROM categories k JOIN sub ON k.parent_id = sub.id) "
                     "SELECT id FROM sub)")
        params["category"] = q.category_id
    _where_views(q, plus, parts, params)
    return ((" WHERE " + " AND ".join(parts)) if parts else ""), params


_TRIAGE_SELECT = "SELECT id, category_id, priority, tags, assignee_id FROM complaints"


def _where_views(q: ComplaintQuery, plus: str, parts: list[str], params: dict[str, Any]) -> None:
    """The saved views' filters (assignee, deadline, review and attention states)."""
    if q.assignee_id is not None:
        parts.append("c.assignee_id = :assignee")
        params["assignee"] = q.assignee_id
    if q.unassigned:
        parts.append("c.assignee_id IS NULL")
    if q.open_only:
        parts.append(f"{plus}c.status NOT IN ('selesai', 'ditutup')")
    if q.due_after is not None:
        parts.append(f"{plus}c.due_at >= :due_after")
        params["due_after"] = to_us(q.due_after)
    if q.due_before is not None:
        parts.append(f"{plus}c.due_at < :due_before")
        params["due_before"] = to_us(q.due_before)
    if q.awaiting_review:
        parts.append("c.id IN (SELECT complaint_id FROM responses WHERE state = 'submitted')")
    if q.returned:
        parts.append("c.id IN (SELECT complaint_id FROM drafts WHERE state = 'returned')")
    if q.unread:
        parts.append(f"NOT {IS_READ_SQL}")
    if q.needs_attention:
        parts.append("(c.id IN (SELECT complaint_id FROM outbox WHERE state IN ('conflict',"
                     " 'rejected') AND complaint_id IS NOT NULL)"
                     " OR c.id IN (SELECT complaint_id FROM drafts WHERE state = 'orphaned'))")


@lru_cache(maxsize=8)
def _parse_rules(data: str | None) -> DeadlineRules:
    from lapor_desk.models.rules import DeadlineRules  # imports `holidays`: only when needed

    if data is None:
        return DeadlineRules()
    try:
        return DeadlineRules.from_dict(json.loads(data))
    except (LaporError, TypeError, ValueError):
        # Only validated rules are stored; a damaged value must not break every deadline view.
        log.warning("stored deadline rules are unreadable; using the defaults")
        return DeadlineRules()


def _replace_reference(conn: Connection, ref: Reference) -> None:
    """Reference data arrives whole: replace each set."""
    for table in ("agencies", "categories", "users"):
        conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    _executemany(conn, "INSERT OR REPLACE INTO agencies (id, name, kind, parent_id) "
                       "VALUES (?, ?, ?, ?)",
                 [(a["id"], a["name"], a["kind"], a["parent_id"]) for a in ref["agencies"]])
    _executemany(conn, "INSERT OR REPLACE INTO categories (id, name, parent_id, path) "
                       "VALUES (?, ?, ?, ?)",
                 [(c["id"], c["name"], c["parent_id"], c["path"]) for c in ref["categories"]])
    _executemany(conn, "INSERT OR REPLACE INTO users (id, display_name, role, agency_id) "
                       "VALUES (?, ?, ?, ?)",
                 [(u["id"], u["display_name"], u["role"], u["agency_id"])
                  for u in ref["users"]])
    rules = ref.get("rules")
    if rules is not None:  # validated and normalised by sync.validate; absent: keep what we have
        conn.exec_driver_sql(
            "UPDATE sync_state SET rules = ?, rules_updated_at = ? WHERE id = 1",
            (json.dumps(rules, ensure_ascii=False, sort_keys=True), _now_us()))


def _executemany(conn: Connection, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    batch = list(rows)
    if batch:
        conn.exec_driver_sql(sql, batch)


# Rows per multi-row INSERT: a power of two, and the rest of a batch goes in power-of-two
# pieces too, so each table needs at most 11 distinct statements (prepared once, cached)
# rather than one per batch size. 1,024 rows x 28 columns = 28,672 variables, below SQLite's
# default limit of 32,766. Large pieces mean few statements a page (about 20 rather than 80),
# and so few times the page apply has to win the GIL back from the prefetch thread and an
# embedded hub: 64-row pieces made a 50k first sync ~2.5% slower.
_INSERT_ROWS = 1024


@lru_cache(maxsize=128)
def _multi_row(sql: str, n: int) -> str:
    """One row's ``INSERT … VALUES (?, …) [tail]`` as an INSERT of ``n`` rows."""
    head, sep, rest = sql.partition(" VALUES (")
    group, _, tail = rest.partition(")")
    assert sep and "(" not in group, sql  # fixed statements of this module only
    return f"{head} VALUES {', '.join([f'({group})'] * n)}{tail}"


def _insert_rows(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """``sql`` (one row's INSERT) for each row, as multi-row INSERTs of a few hundred rows.

    Same rows, same order, same per-row conflict handling as ``executemany``, but one
    statement step per few hundred rows instead of one per row: the driver releases the GIL
    around every step, and while another thread is busy in Python (the embedded hub, the UI)
    each step could wait a whole switch interval (5 ms) to get it back.
    """
    i, total = 0, len(rows)
    while i < total:
        n = _INSERT_ROWS
        while n > total - i:
            n >>= 1
        conn.exec_driver_sql(_multi_row(sql, n), tuple(chain.from_iterable(rows[i:i + n])))
        i += n


def _delete_in(conn: Connection, sql: str, keys: list[Any]) -> None:
    """``sql`` (``DELETE … WHERE col IN``) for ``keys``, a chunk per statement."""
    for chunk in _chunks(keys):
        conn.exec_driver_sql(f"{sql} ({_marks(len(chunk))})", tuple(chunk))


def _lookup(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """id -> (rid, version) of the stored complaints among ``ids``."""
    out: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(ids):
        for r in conn.exec_driver_sql(
                f"SELECT id, rid, version FROM complaints WHERE id IN ({_marks(len(chunk))})",  # noqa: S608
                tuple(chunk)):
            out[r[0]] = (r[1], r[2])
    return out


def _remove(conn: Connection, ids: Sequence[str]) -> list[str]:
    """Delete complaints that left the scope; their drafts become orphaned, never deleted."""
    if not ids:
        return []
    found = _lookup(conn, ids)
    rids = [(rid,) for rid, _ in found.values()]
    _executemany(conn, _DELETE_FTS, rids)
    # Children go by ON DELETE CASCADE; responses are keyed by complaint id.
    _executemany(conn, "DELETE FROM complaints WHERE rid = ?", rids)
    _executemany(conn, "DELETE FROM responses WHERE complaint_id = ?", [(i,) for i in ids])
    now = _now_us()
    _executemany(conn, "UPDATE drafts SET state = 'orphaned', updated_at = ? "
                       "WHERE complaint_id = ? AND state <> 'orphaned'",
                 [(now, i) for i in ids])
    return [i for i in ids if i in found]


def _read_marks(conn: Connection, marks: Sequence[ReadMark]) -> None:
    """The user's read marks (in the page's order: a later mark of a complaint wins)."""
    _executemany(conn, "INSERT INTO read_marks (complaint_id, read, last_comment_id, updated_at)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT (complaint_id) DO UPDATE SET"
                       " read = excluded.read, last_comment_id = excluded.last_comment_id,"
                       " updated_at = excluded.updated_at",
                 [(m["complaint_id"], int(m["read"]), m["last_comment_id"],
                   to_us(m["at"])) for m in marks])


def _upsert(conn: Connection, docs: list[ComplaintDoc],
            rejected: list[tuple[str, str]]) -> list[str]:
    if not docs:
        return []
    existing = _lookup(conn, [d["id"] for d in docs])
    next_rid = int(conn.exec_driver_sql(
        "SELECT coalesce(max(rid), 0) FROM complaints").scalar_one()) + 1
    accepted: list[tuple[int, ComplaintDoc]] = []
    replaced: list[int] = []
    for doc in docs:
        cur = existing.get(doc["id"])
        if cur is None:
            accepted.append((next_rid, doc))
            next_rid += 1
            continue
        rid, version = cur
        if doc["version"] < version:
            # Monotonic reads: the replica never goes back to an older server version.
            rejected.append((doc["id"], f"older version {doc['version']} < stored {version}"))
            continue
        accepted.append((rid, doc))
        replaced.append(rid)
    # Replace the sets of the complaints already stored (thread, attachments, copies, index).
    _executemany(conn, _DELETE_FTS, [(rid,) for rid in replaced])
    _delete_in(conn, "DELETE FROM thread_entries WHERE complaint_rid IN", replaced)
    _delete_in(conn, "DELETE FROM attachments WHERE complaint_rid IN", replaced)
    _delete_in(conn, "DELETE FROM complaint_copies WHERE complaint_rid IN", replaced)
    _insert_rows(conn, _UPSERT_COMPLAINT, [_complaint_params(rid, d) for rid, d in accepted])
    _insert_rows(conn, _INSERT_COPY, [
        (rid, agency, pos) for rid, d in accepted
        for pos, agency in enumerate(d["copy_agency_ids"])])
    _insert_rows(conn, _INSERT_THREAD, [
        (t["id"], rid, pos, t["kind"], t["author"], t["body"], _us(t["created_at"]))
        for rid, d in accepted for pos, t in enumerate(d["thread"])])
    _insert_rows(conn, _INSERT_ATTACHMENT, [
        (a["id"], rid, pos, a["name"], a["size"], a["sha256"], a["mime"])
        for rid, d in accepted for pos, a in enumerate(d["attachments"])])
    # Responses under review: replaced per complaint when the server sends them (an older
    # server without the field leaves them as they are).
    with_responses = [d for _, d in accepted if "responses" in d]
    _delete_in(conn, "DELETE FROM responses WHERE complaint_id IN",
               [d["id"] for d in with_responses])
    _insert_rows(conn, _INSERT_RESPONSE, [
        (r["id"], d["id"], pos, r["author_id"], r["author_name"], r["body"], r["version"],
         r["text_sha256"], r["state"], r["note"], r["reviewer_id"], to_us(r["updated_at"]),
         to_us(r["published_at"]))
        for d in with_responses for pos, r in enumerate(d.get("responses", ()))])
    _insert_rows(conn, _INSERT_FTS, [
        (rid, *fts.document(d["title"], d["body"], [t["body"] for t in d["thread"]]))
        for rid, d in accepted])
    return [d["id"] for _, d in accepted]
