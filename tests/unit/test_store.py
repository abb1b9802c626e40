"""The encrypted replica: opening, keys, plaintext leaks, page application, reads."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lapor_desk.errors import DatabaseKeyError, LaporError, NotFoundError, ProtocolError
from lapor_desk.models.records import ComplaintQuery, SortKey
from lapor_desk.models.store import Store
from lapor_desk.sync.protocol import ChangesPage, ComplaintDoc, Reference

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def make_doc(n: int, **over: Any) -> ComplaintDoc:
    """A complete ComplaintDoc; ``n`` makes ids and tracking ids unique."""
    doc: dict[str, Any] = {
        "id": str(uuid.UUID(int=n)),
        "tracking_id": 9_000_000 + n,
        "version": 1,
        "title": f"Jalan berlubang nomor {n}",
        "body": f"Kronologi kejadian {n}",
        "incident_date": "2026-10-01",
        "location": {"province": "Jawa Tengah", "regency": "Kab. Semarang", "district": None},
        "category_id": "cat-jalan",
        "classification": "pengaduan",
        "channel": "web",
        "is_anonymous": False,
        "is_confidential": False,
        "reporter": {"name": "Budi", "phone": "0812", "email": "budi@example.org"},
        "agency_id": "dpupr-kab-semarang",
        "copy_agency_ids": [],
        "status": "didisposisikan",
        "priority": "normal",
        "tags": ["jalan"],
        "assignee_id": "u-1",
        "created_at": f"2026-10-01T08:{n % 60:02d}:00+00:00",
        "updated_at": "2026-10-02T08:00:00+00:00",
        "due_at": f"2026-10-{(n % 28) + 1:02d}T17:00:00+07:00",
        "resolution_due_at": None,
        "thread": [{"id": str(uuid.UUID(int=10**9 + n)), "kind": "followup",
                    "author": "DPUPR", "body": f"Tindak lanjut {n}",
                    "created_at": "2026-10-03T08:00:00Z"}],
        "attachments": [{"id": str(uuid.UUID(int=2 * 10**9 + n)), "name": "foto.jpg",
                         "size": 1234, "sha256": "ab" * 32, "mime": "image/jpeg"}],
    }
    doc.update(over)
    return doc  # type: ignore[return-value]


REFERENCE: Reference = {
    "agencies": [
        {"id": "dpupr-kab-semarang", "name": "DPUPR Kab. Semarang", "kind": "opd",
         "parent_id": "kab-semarang"},
        {"id": "kab-semarang", "name": "Pemkab Semarang", "kind": "kabupaten",
         "parent_id": None},
        {"id": "disdukcapil-kota-semarang", "name": "Disdukcapil Kota Semarang", "kind": "opd",
         "parent_id": None},
    ],
    "categories": [
        {"id": "cat-pu", "name": "PU", "parent_id": None, "path": "PEKERJAAN UMUM"},
        {"id": "cat-jalan", "name": "JALAN", "parent_id": "cat-pu",
         "path": "PEKERJAAN UMUM › JALAN"},
        {"id": "cat-ktp", "name": "KTP", "parent_id": None, "path": "KEPENDUDUKAN › KTP"},
    ],
    "users": [{"id": "u-1", "display_name": "Sri Officer", "role": "officer",
               "agency_id": "dpupr-kab-semarang"}],
}


def make_page(docs: list[ComplaintDoc], *, cursor: str = "c1", removed: list[str] | None = None,
              reference: Reference | None = None, epoch: str = "e1") -> ChangesPage:
    return {"protocol": 1, "epoch": epoch, "cursor": cursor, "has_more": False,
            "reference": reference, "complaints": docs, "removed": removed or [],
            "remaining": 0}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "replica.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store.open(db_path, KEY)
    try:
        yield s
    finally:
        s.close()


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as conn:
        for table in ("complaints", "complaint_copies", "thread_entries", "attachments",
                      "agencies", "categories", "users", "drafts", "outbox", "sync_state"):
            out[table] = [tuple(r) for r in conn.exec_driver_sql(
                f"SELECT * FROM {table} ORDER BY 1, 2")]
        out["fts"] = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT rowid FROM complaints_fts ORDER BY rowid")]
    return out


def add_draft(store: Store, complaint_id: str, draft_id: str = "d-1") -> None:
    with store.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO drafts (id, complaint_id, body, base_version, state, created_at,"
            " updated_at) VALUES (?, ?, 'Jawaban', 1, 'draft', 0, 0)", (draft_id, complaint_id))


def add_outbox(store: Store, seq: int = 1, state: str = "pending") -> None:
    with store.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outbox (seq, op_id, kind, complaint_id, payload, base_version,"
            " created_at, state, updated_at) VALUES (?, ?, 'note', NULL, '{}', NULL, 0, ?, 0)",
            (seq, str(uuid.uuid4()), state))


# --- opening and keys --------------------------------------------------------------------


def test_open_creates_owner_only_file_and_reopens(db_path: Path) -> None:
    s = Store.open(db_path, KEY)
    s.apply_page(make_page([make_doc(1)], reference=REFERENCE))
    s.close()
    assert db_path.stat().st_mode & 0o777 == 0o600
    wal = db_path.with_name("replica.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed on close
    s = Store.open(db_path, KEY)
    try:
        assert s.count(ComplaintQuery()) == 1
        assert s.sync_state().cursor == "c1"
        with s.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1
    finally:
        s.close()


def test_wrong_key_raises_and_leaves_file_untouched(db_path: Path) -> None:
    s = Store.open(db_path, KEY)
    s.apply_page(make_page([make_doc(1)]))
    s.close()
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    with pytest.raises(DatabaseKeyError):
        Store.open(db_path, OTHER_KEY)
    after = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    assert after == before
    s = Store.open(db_path, KEY)  # still opens with the right key
    assert s.count(ComplaintQuery()) == 1
    s.close()


def test_plaintext_database_is_refused(db_path: Path) -> None:
    import sqlite3

    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as plain:
        plain.execute("CREATE TABLE t (x)")
    plain.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseKeyError):
        Store.open(db_path, KEY)
    assert db_path.read_bytes() == before


def test_no_plaintext_on_disk(db_path: Path) -> None:
    marker = "Canary" + uuid.uuid4().hex[:12]
    s = Store.open(db_path, KEY)
    try:
        doc = make_doc(1, title=f"{marker} title", body=f"{marker} body",
                       reporter={"name": f"{marker} name", "phone": marker, "email": marker},
                       thread=[{"id": "t1", "kind": "note", "author": marker, "body": marker,
                                "created_at": "2026-10-03T08:00:00Z"}])
        s.apply_page(make_page([doc, make_doc(2)], reference=REFERENCE))
        add_draft(s, doc["id"])
        # Files are read while the store is open: the WAL still holds the page.
        files = [p for p in db_path.parent.iterdir() if p.name.startswith("replica.db")]
        assert any(p.name.endswith("-wal") for p in files)
        for p in files:
            data = p.read_bytes()
            for needle in (marker, marker.lower(), "Jalan berlubang", "budi@example.org"):
                assert needle.encode() not in data, p.name
    finally:
        s.close()


# --- apply_page ---------------------------------------------------------------------------


def test_apply_page_stores_everything(store: Store) -> None:
    doc = make_doc(1, copy_agency_ids=["kab-semarang", "disdukcapil-kota-semarang"])
    result = store.apply_page(make_page([doc], reference=REFERENCE))
    assert result.upserted_ids == (doc["id"],)
    assert result.reference_changed
    d = store.detail(doc["id"])
    assert d.row.tracking_id == doc["tracking_id"]
    assert d.row.category_path == "PEKERJAAN UMUM › JALAN"
    assert d.row.assignee_name == "Sri Officer"
    assert d.row.due_at == datetime(2026, 10, 2, 10, 0, tzinfo=UTC)
    assert d.agency_name == "DPUPR Kab. Semarang"
    assert d.copy_agency_names == ("Pemkab Semarang", "Disdukcapil Kota Semarang")
    assert d.reporter_name == "Budi"
    assert d.tags == ("jalan",)
    assert [t.body for t in d.thread] == ["Tindak lanjut 1"]
    assert [a.name for a in d.attachments] == ["foto.jpg"]
    assert store.detail(str(doc["tracking_id"])).row.id == doc["id"]
    assert store.detail(f"#{doc['tracking_id']}").row.id == doc["id"]
    with pytest.raises(NotFoundError):
        store.detail("does-not-exist")
    assert store.agencies()[0] == ("disdukcapil-kota-semarang", "Disdukcapil Kota Semarang")
    assert ("cat-jalan", "PEKERJAAN UMUM › JALAN") in store.categories()
    assert store.statuses_present() == ["didisposisikan"]


def test_apply_page_is_idempotent(store: Store) -> None:
    page = make_page([make_doc(i) for i in range(1, 6)], reference=REFERENCE)
    store.apply_page(page)
    first = snapshot(store)
    store.apply_page(page)
    assert snapshot(store) == first
    assert store.count(ComplaintQuery()) == 5


def test_update_replaces_thread_and_index(store: Store) -> None:
    doc = make_doc(1)
    store.apply_page(make_page([doc]))
    new = make_doc(1, version=2, title="Lampu jalan mati", thread=[
        {"id": "t-new", "kind": "comment", "author": "Pelapor", "body": "Belum diperbaiki",
         "created_at": "2026-10-04T08:00:00Z"}], attachments=[])
    store.apply_page(make_page([new], cursor="c2"))
    d = store.detail(doc["id"])
    assert d.row.title == "Lampu jalan mati" and d.version == 2
    assert [t.id for t in d.thread] == ["t-new"] and d.attachments == ()
    assert store.ids(ComplaintQuery(search="berlubang")) == []
    assert store.ids(ComplaintQuery(search="lampu")) == [doc["id"]]
    assert store.ids(ComplaintQuery(search="diperbaiki")) == [doc["id"]]
    assert store.ids(ComplaintQuery(search="Tindak")) == []


def test_version_never_goes_back(store: Store) -> None:
    store.apply_page(make_page([make_doc(1, version=5, title="Baru")]))
    result = store.apply_page(make_page([make_doc(1, version=4, title="Lama")], cursor="c2"))
    assert result.upserted_ids == ()
    assert [r[0] for r in result.rejected] == [make_doc(1)["id"]]
    assert store.detail(make_doc(1)["id"]).row.title == "Baru"
    assert store.sync_state().cursor == "c2"  # the page itself is still applied


def test_page_and_cursor_are_atomic(store: Store) -> None:
    store.apply_page(make_page([make_doc(1)], cursor="c1"))
    before = snapshot(store)
    secret = "Rahasia" + uuid.uuid4().hex
    bad = make_doc(3, title=None, body=secret)  # NOT NULL violation at the SQL level, 2nd
    with pytest.raises(ProtocolError) as info:
        store.apply_page(make_page([make_doc(2), bad, make_doc(4)], cursor="c2",
                                   removed=[make_doc(1)["id"]], reference=REFERENCE))
    assert secret not in str(info.value) and secret not in repr(info.value.__context__)
    assert info.value.__suppress_context__
    assert snapshot(store) == before
    assert store.sync_state().cursor == "c1"


def test_removed_complaint_orphans_its_draft(store: Store) -> None:
    keep, gone = make_doc(1), make_doc(2)
    store.apply_page(make_page([keep, gone]))
    add_draft(store, gone["id"], "d-gone")
    add_draft(store, keep["id"], "d-keep")
    result = store.apply_page(make_page([], cursor="c2", removed=[gone["id"], "unknown"]))
    assert result.removed_ids == (gone["id"],)
    assert store.ids(ComplaintQuery()) == [keep["id"]]
    assert store.ids(ComplaintQuery(search="nomor")) == [keep["id"]]
    with store.read() as conn:
        states = dict(conn.exec_driver_sql("SELECT id, state FROM drafts").all())
        assert conn.exec_driver_sql("SELECT count(*) FROM thread_entries").scalar_one() == 1
    assert states == {"d-gone": "orphaned", "d-keep": "draft"}
    assert store.status_counts() == (1, 0, 1)


def test_reset_keeps_drafts_and_outbox(store: Store) -> None:
    doc = make_doc(1)
    store.apply_page(make_page([doc], reference=REFERENCE))
    add_draft(store, doc["id"])
    add_outbox(store, 1, "pending")
    add_outbox(store, 2, "conflict")
    store.reset_synced()
    assert store.count(ComplaintQuery()) == 0
    assert store.ids(ComplaintQuery(search="nomor")) == []
    assert store.agencies() == []
    assert store.sync_state().cursor is None
    assert store.status_counts() == (0, 1, 1)
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT state FROM drafts").scalar_one() == "draft"
    store.apply_page(make_page([doc]))  # and the replica fills again
    assert store.count(ComplaintQuery()) == 1


def test_sync_state_records(store: Store) -> None:
    when = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    store.record_sync_error("offline", when)
    st = store.sync_state()
    assert st.last_error == "offline" and st.last_error_at == when and st.last_sync_at is None
    store.record_sync_success(when)
    st = store.sync_state()
    assert st.last_sync_at == when and st.last_error is None


# --- reads ---------------------------------------------------------------------------------


def test_sorting_filters_and_rows_order(store: Store) -> None:
    docs = [
        make_doc(1, title="b", status="baru", due_at="2026-10-05T00:00:00Z"),
        make_doc(2, title="a", status="selesai", due_at=None, category_id="cat-ktp",
                 agency_id="disdukcapil-kota-semarang"),
        make_doc(3, title="c", status="baru", due_at="2026-10-04T00:00:00Z",
                 copy_agency_ids=["disdukcapil-kota-semarang"]),
        make_doc(4, title="a", status="ditunda", due_at="2026-10-04T00:00:00Z",
                 category_id="cat-pu"),
    ]
    store.apply_page(make_page(docs, reference=REFERENCE))
    i = [d["id"] for d in docs]
    assert store.ids(ComplaintQuery()) == [i[2], i[3], i[0], i[1]]  # due_at, nulls last
    assert store.ids(ComplaintQuery(descending=True)) == [i[1], i[0], i[3], i[2]]  # reverse
    assert store.ids(ComplaintQuery(sort=SortKey.TITLE)) == [i[1], i[3], i[0], i[2]]
    assert store.ids(ComplaintQuery(sort=SortKey.TRACKING_ID, descending=True)) == i[::-1]
    assert store.ids(ComplaintQuery(sort=SortKey.CATEGORY)) == [i[1], i[3], i[0], i[2]]
    assert store.ids(ComplaintQuery(statuses=("baru", "ditunda"),
                                    sort=SortKey.TRACKING_ID)) == [i[0], i[2], i[3]]
    assert store.ids(ComplaintQuery(agency_id="disdukcapil-kota-semarang",
                                    sort=SortKey.TRACKING_ID)) == [i[1], i[2]]
    assert store.ids(ComplaintQuery(category_id="cat-pu", sort=SortKey.TRACKING_ID)) == [
        i[0], i[2], i[3]]  # the category's subtree
    assert store.count(ComplaintQuery(statuses=("baru",))) == 2
    assert store.statuses_present() == ["baru", "ditunda", "selesai"]
    order = [i[3], "missing", i[0], i[2]]
    assert [r.id for r in store.rows(order)] == [i[3], i[0], i[2]]
    assert store.rows([]) == []


HOSTILE = [
    '"', '""', '"""', "*", "**", "NEAR(", "NEAR(a b)", "title:", "body:x", "thread:tindak",
    "reporter_name:Budi", "{title body}:x", "-", "-x", "^", "^nomor", "OR", "a OR b", "AND",
    "NOT", "a NOT b", '"unbalanced', "unbalanced'", "(", ")", "()", "nomor)", "\x00", "a\x00b",
    "\u202enomor", "🙂", "nomor 🙂", "👨‍👩‍👧", "\ud800", "ﷺ", "x" * 10_000, "nomor " * 2_000,
    "\t\n\r", "+", ":", "col:", "rowid:1", "'", "`", "\\", "%", "_",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_never_raises(store: Store, text: str) -> None:
    store.apply_page(make_page([make_doc(1)]))
    ids = store.ids(ComplaintQuery(search=text))
    assert store.count(ComplaintQuery(search=text)) == len(ids)


def test_search_is_never_a_column_filter(store: Store) -> None:
    store.apply_page(make_page([make_doc(1, title="alpha", body="beta")]))
    assert store.ids(ComplaintQuery(search="title:beta")) == []
    assert store.ids(ComplaintQuery(search="alpha OR zzz")) == []  # OR is a word, ANDed
    assert store.ids(ComplaintQuery(search="alp")) != []  # prefix on the last token
    assert store.ids(ComplaintQuery(search="Álphá bet")) != []  # diacritics folded


def test_reporter_identity_is_not_searchable(store: Store) -> None:
    anon = make_doc(1, is_anonymous=True,
                    reporter={"name": "Rahmawati", "phone": "0899", "email": "r@x.id"})
    named = make_doc(2, reporter={"name": "Sulistyo", "phone": "0811", "email": "s@x.id"})
    store.apply_page(make_page([anon, named]))
    for text in ("Rahmawati", "Sulistyo", "0899", "s@x.id", "Pelapor", "DPUPR"):
        assert store.ids(ComplaintQuery(search=text)) == [], text
    assert store.detail(anon["id"]).reporter_name is None  # never stored for anonymous
    assert store.detail(named["id"]).reporter_name == "Sulistyo"


def test_concurrent_reader_sees_snapshot(store: Store) -> None:
    store.apply_page(make_page([make_doc(1)]))
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one() == 1
        store.apply_page(make_page([make_doc(2)], cursor="c2"))  # a writer while reading
        assert conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one() == 1
    assert store.count(ComplaintQuery()) == 2


def test_open_with_missing_parent_dir_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "replica.db"
    s = Store.open(path, KEY)
    s.apply_page(make_page([make_doc(1)]))
    for p in path.parent.iterdir():
        assert os.stat(p).st_mode & 0o077 == 0, p.name
    s.close()


def test_closed_store_refuses_use(db_path: Path) -> None:
    s = Store.open(db_path, KEY)
    s.close()
    s.close()  # idempotent
    assert s.closed
    with pytest.raises(LaporError):
        s.count(ComplaintQuery())
    with pytest.raises(LaporError):
        s.apply_page(make_page([make_doc(1)]))
