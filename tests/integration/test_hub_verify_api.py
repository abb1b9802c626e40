"""The verify endpoints of lapor_hub over loopback: authorization, scope and cursor checks.

Another agency's officer asking for our complaints gets them back as "not in scope", never a
doc or a listing entry; a bad or foreign cursor answers 409 reset_required like the feed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import Hub, start_hub, stop_hub
from test_hub_api import API, pull_all, token, visible_ids

from lapor_desk.sync import protocol as p
from lapor_hub.seed import seed


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp: Path = tmp_path_factory.mktemp("verify-hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=120, seed=9)
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


def call(hub: Hub, tok: str | None, method: str, path: str, **kw: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {tok}"} if tok else {}
    return requests.request(method, f"{hub.url}{API}{path}", headers=headers, timeout=30, **kw)


def test_verify_endpoints_need_a_token(hub: Hub) -> None:
    assert call(hub, None, "GET", "/sync/checksums").status_code == 401
    assert call(hub, None, "POST", "/sync/listing",
                json={"cursor": None, "buckets": [1]}).status_code == 401
    assert call(hub, None, "POST", "/sync/fetch",
                json={"cursor": None, "ids": []}).status_code == 401
    assert call(hub, "not-a-token", "GET", "/sync/checksums").status_code == 401


def test_checksums_cover_exactly_the_callers_scope(hub: Hub) -> None:
    tok = token(hub, "officer")
    _raws, pages, cursor = pull_all(hub, tok)
    r = call(hub, tok, "GET", "/sync/checksums", params={"cursor": cursor})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    body = r.json()
    assert body["at_head"] is True and len(body["sums"]) == p.CHECKSUM_BUCKETS
    docs = [d for page in pages for d in page["complaints"]]
    items = [(d["id"], d["version"],
              p.SCOPE_PRIMARY if d["agency_id"] == "dpupr-kab-semarang" else p.SCOPE_COPY)
             for d in docs]
    sums, counts = p.bucket_sums(items)
    assert body["counts"] == counts and body["sums"] == [f"{s:016x}" for s in sums]
    assert sum(counts) == len(visible_ids(hub.db, "dpupr-kab-semarang"))
    # Without a cursor (or behind the head) nothing but the position is given away.
    behind = call(hub, tok, "GET", "/sync/checksums").json()
    assert behind["at_head"] is False and behind["sums"] == behind["counts"] == []
    assert behind["position"] == body["position"] > 0


def test_another_agency_gets_nothing_of_ours(hub: Hub) -> None:
    ours = sorted(visible_ids(hub.db, "dpupr-kab-semarang")
                  - visible_ids(hub.db, "disdukcapil-kota-semarang"))[:5]
    tok = token(hub, "officer2")
    _raws, _pages, cursor = pull_all(hub, tok)
    listing = call(hub, tok, "POST", "/sync/listing",
                   json={"cursor": cursor, "buckets": list(range(p.CHECKSUM_BUCKETS))}).json()
    assert listing["at_head"] is True
    listed = {item[0] for item in listing["items"]}
    assert listed == visible_ids(hub.db, "disdukcapil-kota-semarang")
    assert not listed & set(ours)
    fetched = call(hub, tok, "POST", "/sync/fetch", json={"cursor": cursor, "ids": ours}).json()
    assert fetched["at_head"] is True
    assert fetched["complaints"] == [] and fetched["removed"] == ours


def test_bad_cursors_and_bodies_are_refused(hub: Hub) -> None:
    tok = token(hub, "officer")
    _raws, _pages, cursor = pull_all(hub, tok)
    other = token(hub, "officer2")
    assert call(hub, other, "GET", "/sync/checksums",
                params={"cursor": cursor}).json()["error"]["code"] == "reset_required"
    forged = cursor[:-4] + ("AAAA" if not cursor.endswith("AAAA") else "BBBB")
    assert call(hub, tok, "POST", "/sync/listing",
                json={"cursor": forged, "buckets": [0]}).status_code == 409
    assert call(hub, tok, "POST", "/sync/listing",
                json={"cursor": cursor, "buckets": [256]}).status_code == 422
    assert call(hub, tok, "POST", "/sync/fetch",
                json={"cursor": cursor, "ids": ["x"] * (p.MAX_FETCH_IDS + 1)}).status_code == 422
    assert call(hub, tok, "POST", "/sync/fetch",
                json={"cursor": cursor, "ids": ["a\u0000b"]}).status_code == 422
