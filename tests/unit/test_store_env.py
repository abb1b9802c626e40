"""The replica under environment trouble: locks, a full disk, concurrent reader and writer."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event
from test_store import KEY, make_doc, make_page

from lapor_desk.errors import DatabaseLockedError, DiskFullError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.models.store import Store


def test_write_lock_held_elsewhere_is_database_locked(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    store = Store.open(path, KEY, busy_timeout_ms=50)
    other = sqlcipher.connect(str(path), isolation_level=None)
    try:
        other.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLockedError):
            store.apply_page(make_page([make_doc(1)]))
        assert store.count(ComplaintQuery()) == 0  # reads still work (WAL)
        other.execute("ROLLBACK")
        store.apply_page(make_page([make_doc(1)]))
        assert store.count(ComplaintQuery()) == 1
    finally:
        other.close()
        store.close()


def test_full_disk_is_disk_full_and_nothing_half_applied(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "replica.db", KEY)
    try:
        store.apply_page(make_page([make_doc(1)], cursor="c1"))
        with store.read() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        store.engine.dispose()

        @event.listens_for(store.engine, "connect")
        def _limit(dbapi_conn: Any, record: Any) -> None:
            # SQLite's own SQLITE_FULL, as on a full disk.
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}").fetchall()

        big = [make_doc(i, body="isi " * 5_000) for i in range(2, 40)]
        with pytest.raises(DiskFullError):
            store.apply_page(make_page(big, cursor="c2"))
        assert store.sync_state().cursor == "c1"
        assert store.count(ComplaintQuery()) == 1
    finally:
        store.close()


def test_reader_sees_whole_pages_while_writer_applies(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "replica.db", KEY)
    per_page, pages = 5, 30
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for p in range(1, pages + 1):
                docs = [make_doc(p * 100 + i) for i in range(per_page)]
                store.apply_page(make_page(docs, cursor=f"c{p}"))
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    seen: list[int] = []
    try:
        thread.start()
        while thread.is_alive() or not seen or seen[-1] < pages:
            with store.read() as conn:  # one snapshot: complaints and cursor agree
                n = int(conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one())
                cursor = conn.exec_driver_sql("SELECT cursor FROM sync_state").scalar_one()
            done = 0 if cursor is None else int(cursor[1:])
            assert n == done * per_page
            assert not seen or done >= seen[-1]  # never goes back
            seen.append(done)
            if errors:
                break
        thread.join()
    finally:
        store.close()
    assert not errors
    assert seen[-1] == pages


def test_path_with_spaces_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "my profile #1?" / "replica.db"
    store = Store.open(path, KEY)
    store.apply_page(make_page([make_doc(1)]))
    store.close()
    store = Store.open(path, KEY)
    assert store.count(ComplaintQuery()) == 1
    store.close()
