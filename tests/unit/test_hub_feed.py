"""Changes feed internals on a real SQLite file: cursors, byte bounds, removals."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import random
import string
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lapor_hub import db, feed
from lapor_hub.auth import Principal
from lapor_hub.store import ComplaintData, write_complaints

A, B = "dinas-a", "dinas-b"
WHO_A = Principal("u1", "a", "A", "officer", A, A)
WHO_B = Principal("u2", "b", "B", "officer", B, B)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = db.make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    db.init_db(eng)
    with db.write_tx(eng) as conn:
        for a in (A, B):
            conn.execute(db.agencies.insert().values(id=a, name=a, kind="opd", parent_id=None))
    yield eng
    eng.dispose()


def make(tid: int, agency: str = A, body: str = "Isi laporan.", copies: list[str] | None = None,
         cid: str | None = None) -> ComplaintData:
    return ComplaintData(id=cid or str(uuid.uuid4()), tracking_id=tid, title=f"Laporan {tid}",
                         body=body, agency_id=agency, classification="pengaduan",
                         channel="web", status="baru", created_at="2026-10-01T01:00:00+00:00",
                         updated_at="2026-10-01T01:00:00+00:00", reporter_name="Nama Rahasia",
                         copy_agency_ids=copies or [])


def pull(engine: Engine, who: Principal, cursor: str | None = None, max_bytes: int = 16384
         ) -> tuple[list[bytes], list[dict[str, Any]]]:
    raws, pages = [], []
    while True:
        page = feed.read_page(engine, who, cursor, max_bytes)
        raws.append(page.body)
        body = json.loads(gzip.decompress(page.body))
        pages.append(body)
        cursor = body["cursor"]
        if not body["has_more"]:
            return raws, pages


def test_cursor_round_trip_and_rejections() -> None:
    secret = "ab" * 32
    pos = feed.Position({A: 42}, 3)
    cur = feed.encode_cursor(secret, "ep", A, pos)
    assert feed.decode_cursor(secret, "ep", A, cur) == pos
    assert feed.decode_cursor(secret, "ep", A, None) == feed.Position({A: 0}, 0)
    with pytest.raises(feed.ResetRequired, match="epoch"):
        feed.decode_cursor(secret, "other", A, cur)
    with pytest.raises(feed.ResetRequired, match="scope"):
        feed.decode_cursor(secret, "ep", B, cur)
    with pytest.raises(feed.ResetRequired):
        feed.decode_cursor("cd" * 32, "ep", A, cur)
    for bad in ("x", "x.y", cur + "x", "." + cur, "é.é", cur.replace(".", "..")):
        with pytest.raises(feed.ResetRequired):
            feed.decode_cursor(secret, "ep", A, bad)
    # The read-mark position travels in the cursor; a malformed one asks for a reset.
    marked = feed.Position({A: 42}, 3, "dev-1", 7, 19)
    assert feed.decode_cursor(secret, "ep", A, feed.encode_cursor(secret, "ep", A, marked)) \
        == marked
    forged = feed.encode_cursor(secret, "ep", A, marked).split(".")[0]
    body = json.loads(feed._b64d(forged))
    body["m"] = "19"
    raw = feed._b64e(json.dumps(body).encode())
    sig = feed._b64e(hmac.new(bytes.fromhex(secret), raw.encode("ascii"),
                              hashlib.sha256).digest())
    with pytest.raises(feed.ResetRequired, match="malformed"):
        feed.decode_cursor(secret, "ep", A, f"{raw}.{sig}")
    assert feed.clamp_page_bytes(None) == 256 * 1024
    assert feed.clamp_page_bytes(1) == 16 * 1024
    assert feed.clamp_page_bytes(10**12) == 4 * 1024 * 1024


def test_incompressible_pages_stay_within_bounds(engine: Engine) -> None:
    rng = random.Random(4)
    alphabet = string.ascii_letters + string.digits
    items = [make(1000 + i, body="".join(rng.choice(alphabet) for _ in range(rng.randint(
        200, 6000)))) for i in range(120)]
    items.append(make(5000, body="".join(rng.choice(alphabet) for _ in range(40_000))))
    with db.write_tx(engine) as conn:
        write_complaints(conn, items)
    raws, pages = pull(engine, WHO_A)
    assert len(pages) > 10
    ids: list[str] = []
    for raw, page in zip(raws, pages, strict=True):
        assert len(page["complaints"]) >= 1
        assert len(raw) <= 16384 or len(page["complaints"]) == 1
        ids.extend(c["id"] for c in page["complaints"])
    assert sorted(ids) == sorted(c.id for c in items)
    # Pages are reasonably full, not cut short.
    assert sum(len(r) for r in raws) / len(raws) > 8000


def test_copies_rerouting_and_removed(engine: Engine) -> None:
    x, y = make(1, A, copies=[B]), make(2, A)
    with db.write_tx(engine) as conn:
        write_complaints(conn, [x, y])
    _, pages_b = pull(engine, WHO_B)
    assert [c["id"] for p in pages_b for c in p["complaints"]] == [x.id]
    cursor_b = pages_b[-1]["cursor"]
    _, pages_a = pull(engine, WHO_A)
    cursor_a = pages_a[-1]["cursor"]
    assert pages_a[0]["reference"] is not None

    # x loses its copy; y is re-routed from A to B.
    with db.write_tx(engine) as conn:
        write_complaints(conn, [make(1, A, cid=x.id), make(2, B, cid=y.id)])
    _, after_b = pull(engine, WHO_B, cursor_b)
    assert after_b[0]["removed"] == [x.id]
    assert [c["id"] for c in after_b[0]["complaints"]] == [y.id]
    assert after_b[0]["complaints"][0]["version"] == 2
    assert after_b[0]["reference"] is None
    _, after_a = pull(engine, WHO_A, cursor_a)
    assert after_a[0]["removed"] == [y.id]
    assert [c["id"] for c in after_a[0]["complaints"]] == [x.id]

    # Reference data changes are sent again once.
    with db.write_tx(engine) as conn:
        db.bump_ref_seq(conn)
    _, again = pull(engine, WHO_A, after_a[-1]["cursor"])
    assert again[0]["reference"] is not None and again[0]["complaints"] == []


def test_anonymous_doc_is_redacted(engine: Engine) -> None:
    c = make(7)
    c.is_anonymous = True
    c.reporter_phone = "0812-999"
    with db.write_tx(engine) as conn:
        write_complaints(conn, [c])
    raws, pages = pull(engine, WHO_A)
    assert pages[0]["complaints"][0]["reporter"] is None
    plain = gzip.decompress(raws[0])
    assert b"Nama Rahasia" not in plain and b"0812-999" not in plain


def test_reporter_names_in_imported_threads_never_leak(engine: Engine) -> None:
    """Imported data may name the reporter as a reply's author: anonymous complaints lose
    that name for everyone, rahasia ones for copy agencies."""
    from lapor_hub.store import ThreadData

    anon, secret = make(8), make(9, copies=[B])
    anon.is_anonymous = True
    secret.is_confidential = True
    for c in (anon, secret):
        c.thread.append(ThreadData(str(uuid.uuid4()), "comment", "Nama Rahasia 0812-777",
                                   "Belum diperbaiki.", "2026-10-02T01:00:00+00:00"))
        c.thread.append(ThreadData(str(uuid.uuid4()), "note", "Petugas Dinas",
                                   "Dicek.", "2026-10-02T02:00:00+00:00"))
    with db.write_tx(engine) as conn:
        write_complaints(conn, [anon, secret])
    _, pages = pull(engine, WHO_A)
    docs = {d["tracking_id"]: d for pg in pages for d in pg["complaints"]}
    assert [t["author"] for t in docs[8]["thread"]] == ["Pelapor", "Petugas Dinas"]
    assert docs[9]["thread"][0]["author"] == "Nama Rahasia 0812-777"  # primary: not anonymous
    raws, pages = pull(engine, WHO_B)
    assert b"Nama Rahasia" not in b"".join(gzip.decompress(r) for r in raws)
    (copy,) = [d for pg in pages for d in pg["complaints"]]
    assert copy["redacted"] and copy["thread"][0]["author"] == "Pelapor"


def test_load_and_rewrite_keeps_the_doc(engine: Engine) -> None:
    from lapor_hub.store import build_doc, load_complaints

    c = make(9, copies=[B])
    with db.write_tx(engine) as conn:
        write_complaints(conn, [c])
    with db.write_tx(engine) as conn:
        loaded = load_complaints(conn, [c.id, str(uuid.uuid4())])
        assert len(loaded) == 1
        assert build_doc(loaded[0], 1) == build_doc(c, 1)
        loaded[0].status = "diverifikasi"
        write_complaints(conn, loaded)
    _, pages = pull(engine, WHO_B)
    doc = pages[0]["complaints"][0]
    assert doc["version"] == 2 and doc["status"] == "diverifikasi"
    assert doc["copy_agency_ids"] == [B]
