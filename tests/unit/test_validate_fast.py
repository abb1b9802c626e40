"""The fast path of complaint validation decides exactly as the checked path does.

``parse_complaint`` first tries ``_fast_complaint`` (inlined checks for well-formed records)
and falls back to ``_checked_complaint``; whatever the fast path accepts, the checked path must
accept with the same result, and a record the fast path turns down must still get the checked
path's verdict and reason.
"""

from __future__ import annotations

import copy
import logging
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor_desk.sync import validate as v

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=20), children, max_size=6),
    max_leaves=30,
)

_THREAD_KEYS = ("id", "kind", "author", "body", "created_at")
_ATTACHMENT_KEYS = ("id", "name", "size", "sha256", "mime")
_SUB_KEYS = ("province", "regency", "district", "name", "phone", "email")

# Values near the edges of each check (besides arbitrary JSON).
edge_values = st.sampled_from([
    None, True, False, 0, -1, 1, 2**53, 2**53 + 1, 10**15, 10**15 + 1, 1.0, "", "x",
    "a" * 64, "A" * 64, "0x" + "a" * 62, " " + "a" * 63, "a_" + "a" * 62, "g" * 64,
    "x" * 33, "x" * 64, "x" * 65, "x" * 200, "x" * 201, "x" * 1000, "x" * 1001,
    "2026-11-02", "2026-13-40", "2026-02-30", "٢٠٢٦-١١-٠٢", "20261102",
    "2026-11-02T08:00:00+00:00", "2026-11-02T08:00:00Z", "2026-11-02T08:00:00",
    "2026-11-02 08:00:00+07:00", "2026-11-02T08:00:00.123456+00:00", "2026-11-02T25:00:00Z",
    "2026-11-02T08:00:00+00:00" + " " * 20, "yesterday",
    "105565ba-3993-4381-ac47-5a642d6762ae", "105565BA-3993-4381-AC47-5A642D6762AE",
    "105565ba-3993-4381-ac47-5a642d6762a", "dpupr-kab-semarang", "../x", "a..b", "a/b",
    "-x", ".x", "x y", "é", "normal", "mendesak", "NORMAL", "image/png",
    [], ["x"], ["dpupr-kab-semarang"], ["../x"], [1], {}, {"name": None},
])
any_value = edge_values | json_values


def _verdict(fn: Any, raw: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(raw)
    except v._Bad as exc:
        return "bad", exc.reason


def _check(raw: dict[str, Any]) -> None:
    expected = _verdict(v._checked_complaint, copy.deepcopy(raw))
    got = _verdict(v.parse_complaint, copy.deepcopy(raw))
    assert got == expected
    try:
        fast = v._fast_complaint(copy.deepcopy(raw))
    except (KeyError, v._Bad):  # a missing key; a bad response (checked helpers)
        fast = None
    if fast is not None:  # what the fast path vouches for, the checked path accepts alike
        assert expected == ("ok", fast)


def _doc(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()), "tracking_id": 9197446, "version": 3,
        "title": "Jalan berlubang di Ungaran", "body": "Kronologi ...",
        "incident_date": "2026-11-02",
        "location": {"province": "Jawa Tengah", "regency": "Kab. Semarang", "district": None},
        "category_id": "pu/jalan-berlubang", "classification": "pengaduan", "channel": "web",
        "is_anonymous": False, "is_confidential": False,
        "reporter": {"name": "Budi", "phone": "081234567890", "email": None},
        "agency_id": "dpupr-kab-semarang", "copy_agency_ids": ["kab-semarang"],
        "status": "didisposisikan", "priority": "normal", "tags": ["jalan"],
        "assignee_id": str(uuid.uuid4()),
        "created_at": "2026-11-02T08:00:00+00:00", "updated_at": "2026-11-03T08:00:00Z",
        "due_at": "2026-11-09T16:59:59+00:00", "resolution_due_at": None,
        "thread": [{"id": str(uuid.uuid4()), "kind": "comment", "author": "Pelapor",
                    "body": "Tolong", "created_at": "2026-11-02T08:00:00+00:00"}],
        "attachments": [{"id": str(uuid.uuid4()), "name": "../../etc/passwd", "size": 10,
                         "sha256": "a" * 64, "mime": "image/png"}],
    }
    doc.update(over)
    return doc


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(_doc())), any_value, max_size=4),
       st.lists(st.sampled_from(sorted(_doc())), max_size=2))
def test_top_level_fields(over: dict[str, Any], drop: list[str]) -> None:
    raw = _doc(**over)
    for key in drop:
        raw.pop(key, None)
    _check(raw)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["thread", "attachments", "location", "reporter"]),
       st.dictionaries(st.sampled_from(_THREAD_KEYS + _ATTACHMENT_KEYS + _SUB_KEYS),
                       any_value, max_size=3),
       st.lists(st.sampled_from(_THREAD_KEYS + _ATTACHMENT_KEYS + _SUB_KEYS), max_size=2))
def test_nested_fields(where: str, over: dict[str, Any], drop: list[str]) -> None:
    raw = _doc()
    target = raw[where][0] if where in ("thread", "attachments") else raw[where]
    target.update(over)
    for key in drop:
        target.pop(key, None)
    _check(raw)


@pytest.mark.parametrize("over", [
    {"is_anonymous": True},  # identity present: the checked path removes and logs it
    {"is_anonymous": True, "reporter": None},
    {"priority": "unknown"},  # unknown vocabulary becomes "normal"
    {"id": "105565BA-3993-4381-AC47-5A642D6762AE"},
    {"attachments": [{"id": "f1", "name": "a", "size": 1, "sha256": "AB" * 32}]},
    {"responses": [{"bad": 1}]},
    {"responses": []},
])
def test_special_cases(over: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        _check(_doc(**over))


def test_fast_path_takes_the_well_formed_record() -> None:
    raw = _doc()
    fast = v._fast_complaint(copy.deepcopy(raw))
    assert fast is not None and fast == v._checked_complaint(raw)
