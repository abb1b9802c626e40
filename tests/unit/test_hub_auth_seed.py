"""Hub tokens (expiry, grace window, reuse) and the seed, on real SQLite files."""

from __future__ import annotations

import io
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from lapor_hub import auth, db
from lapor_hub.jsonl import BadLine, export_jsonl, parse_line
from lapor_hub.seed import seed


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = db.make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    db.init_db(eng)
    with db.write_tx(eng) as conn:
        conn.execute(db.agencies.insert().values(id="a", name="A", kind="opd", parent_id=None))
        auth.add_user(conn, username="u", password="rahasia-panjang", role="officer",
                      agency_id="a")
    yield eng
    eng.dispose()


def test_passwords() -> None:
    h = auth.hash_password("kata-sandi-1")
    assert "kata-sandi-1" not in h and h.startswith("scrypt$")
    assert auth.verify_password("kata-sandi-1", h)
    assert not auth.verify_password("kata-sandi-2", h)
    assert not auth.verify_password("x", "garbage")
    assert auth.hash_password("kata-sandi-1") != h  # salted


def test_access_expiry_and_refresh_grace(engine: Engine) -> None:
    with db.write_tx(engine) as conn:
        tok = auth.login(conn, "u", "rahasia-panjang")
    with pytest.raises(auth.AuthFailure), db.write_tx(engine) as conn:
        auth.login(conn, "u", "salah")
    now = int(time.time())
    with db.read_tx(engine) as conn:
        assert auth.authenticate(conn, tok["access_token"], now=now).username == "u"
        with pytest.raises(auth.AuthFailure) as exc:
            auth.authenticate(conn, tok["access_token"], now=now + auth.ACCESS_TTL + 1)
        assert exc.value.code == "token_expired"
        with pytest.raises(auth.AuthFailure) as exc:
            auth.authenticate(conn, "made-up", now=now)
        assert exc.value.code == "invalid_token"

    r1 = tok["refresh_token"]
    auth.refresh_in_tx(engine, r1, now=now)
    # Within 5 minutes the old token still works (the response may have been lost) ...
    auth.refresh_in_tx(engine, r1, now=now + 60)
    # ... but not after the grace window: that reuse revokes the family, persistently.
    with pytest.raises(auth.AuthFailure):
        auth.refresh_in_tx(engine, r1, now=now + auth.REFRESH_GRACE + 61)
    with db.read_tx(engine) as conn:
        alive = conn.execute(select(func.count()).select_from(db.tokens)
                             .where(db.tokens.c.revoked.is_(False))).scalar_one()
        assert alive == 0


def test_seed_is_deterministic_and_realistic(tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    dumps = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.db"
        rep = seed(url, complaints=400, seed=11, now=now)
        assert rep.complaints == 400 and not rep.already_seeded
        assert seed(url, complaints=400, seed=11, now=now).already_seeded
        eng = db.make_engine(url)
        buf = io.StringIO()
        assert export_jsonl(eng, buf, include_confidential=True).exported == 400
        eng.dispose()
        dumps.append(buf.getvalue())
    assert dumps[0] == dumps[1]
    rows = [json.loads(x) for x in dumps[0].splitlines()]
    agencies = Counter(r["agency_id"] for r in rows)
    assert 0.5 < agencies["dpupr-kab-semarang"] / 400 < 0.7
    assert agencies["disdukcapil-kota-semarang"] > 20
    assert 0.08 < sum(r["is_anonymous"] for r in rows) / 400 < 0.25
    assert 0 < sum(r["is_confidential"] for r in rows) / 400 < 0.15
    assert len({r["status"] for r in rows}) >= 6
    assert all(re.fullmatch(r"\d{7}", str(r["tracking_id"])) for r in rows)
    assert len({r["tracking_id"] for r in rows}) == 400
    assert all(r["created_at"] <= now.isoformat() for r in rows)
    assert all(r["due_at"] for r in rows if r["status"] == "baru")
    assert any(r["category"] == "KEPENDUDUKAN › KTP" for r in rows)


@pytest.mark.parametrize("raw, reason", [
    (b"\xc3\x28", "UTF-8"),
    (b"[1, 2]", "object"),
    (b'{"id": 5}', "UUID"),
    (b'{"id": "8d3c3b1e-0000-4000-8000-000000000001"}', "title"),
    (b"{" * 5000, "JSON"),
])
def test_parse_line_rejects_with_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(BadLine, match=reason):
        parse_line(raw)
    assert parse_line(b"   \n") is None


def test_category_ids_are_client_safe() -> None:
    from lapor_hub.seeddata import category_id

    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")
    for path in ("KEPENDUDUKAN › KTP", "جاده › ۱", "../.. › x", "   › ?"):
        cid = category_id(path)
        assert pattern.fullmatch(cid) and ".." not in cid, cid
    assert category_id("KEPENDUDUKAN › KTP") == "kependudukan/ktp"
