"""Checksum vocabulary (shared by client and hub) and the client's checks of hostile answers."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from lapor_desk.errors import ProtocolError
from lapor_desk.sync import protocol as p
from lapor_desk.sync.checksums import _parse_checksums, _parse_listing
from lapor_desk.sync.transport import JsonResult


def result(data: Any) -> JsonResult:
    return JsonResult(data, 200, 100, 100)


def test_digest_and_bucket_are_fixed_by_the_protocol() -> None:
    # Golden values: client and server must agree across versions, so these never change.
    cid = "0b9f3c2e-5d4a-4e8b-9c1d-2f3a4b5c6d7e"
    assert p.bucket_of(cid) == p.bucket_of(cid.upper()) == 0xE1
    assert p.complaint_digest(cid, 3, "p") == 0x304538B04B032BB2
    assert p.complaint_digest(cid, 3, "p") != p.complaint_digest(cid, 4, "p")
    assert p.complaint_digest(cid, 3, "p") != p.complaint_digest(cid, 3, "c")


def test_bucket_sums_are_order_independent_and_local() -> None:
    rng = random.Random(5)
    items = [(str(uuid.UUID(int=rng.getrandbits(128))), rng.randint(1, 9), rng.choice("pc"))
             for _ in range(2000)]
    sums, counts = p.bucket_sums(items)
    shuffled = items[:]
    rng.shuffle(shuffled)
    assert p.bucket_sums(shuffled) == (sums, counts)
    assert sum(counts) == 2000 and all(0 <= s < 2**64 for s in sums)
    # Changing one complaint's version changes its bucket and no other.
    cid, version, kind = items[0]
    changed = [(cid, version + 1, kind), *items[1:]]
    sums2, counts2 = p.bucket_sums(changed)
    differ = [b for b in range(p.CHECKSUM_BUCKETS) if sums[b] != sums2[b]]
    assert differ == [p.bucket_of(cid)] and counts2 == counts


def good_checksums() -> dict[str, Any]:
    return {"at_head": True, "position": 5, "sums": ["0" * 16] * p.CHECKSUM_BUCKETS,
            "counts": [0] * p.CHECKSUM_BUCKETS}


@pytest.mark.parametrize("change", [
    {"at_head": "yes"},
    {"sums": ["0" * 16] * (p.CHECKSUM_BUCKETS - 1)},
    {"sums": ["zz" * 8] * p.CHECKSUM_BUCKETS},
    {"sums": [0] * p.CHECKSUM_BUCKETS},
    {"counts": [-1] * p.CHECKSUM_BUCKETS},
    {"counts": [True] * p.CHECKSUM_BUCKETS},
    {"counts": None},
])
def test_hostile_checksums_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        _parse_checksums(result({**good_checksums(), **change}))


def test_checksums_behind_the_head_mean_nothing_to_compare() -> None:
    assert _parse_checksums(result({"at_head": False, "sums": [], "counts": []})) is None
    assert _parse_checksums(result(good_checksums())) == ([0] * 256, [0] * 256)
    with pytest.raises(ProtocolError):
        _parse_checksums(result([1, 2]))


def test_hostile_listings_are_refused() -> None:
    cid = "0b9f3c2e-5d4a-4e8b-9c1d-2f3a4b5c6d7e"
    mine = frozenset({p.bucket_of(cid)})
    ok = _parse_listing(result({"at_head": True, "items": [[cid.upper(), 2, "c"]]}), mine)
    assert ok == ({cid: (2, "c")}, {cid: cid.upper()})
    for items in ([[cid, 2, "x"]], [[cid, "2", "p"]], [[cid, 2]], [["../etc", 2, "p"]],
                  [[cid, True, "p"]], "items"):
        with pytest.raises(ProtocolError):
            _parse_listing(result({"at_head": True, "items": items}), mine)
    other = frozenset(range(p.CHECKSUM_BUCKETS)) - mine
    with pytest.raises(ProtocolError):  # an entry we did not ask for
        _parse_listing(result({"at_head": True, "items": [[cid, 2, "p"]]}), other)
