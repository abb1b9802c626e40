"""Validation of server payloads: strict shapes, poison records dropped, identity never kept."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor_desk.errors import ProtocolError
from lapor_desk.sync import protocol as p
from lapor_desk.sync.transport import BodyResult
from lapor_desk.sync.validate import (
    clean_text,
    parse_error,
    parse_health,
    parse_page,
    parse_token_response,
)

AGENCY = "dpupr-kab-semarang"


def complaint(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "tracking_id": 9197446,
        "version": 3,
        "title": "Jalan berlubang di Ungaran",
        "body": "Kronologi ...",
        "incident_date": "2026-11-02",
        "location": {"province": "Jawa Tengah", "regency": "Kab. Semarang", "district": None},
        "category_id": "pu-jalan-berlubang",
        "classification": "pengaduan",
        "channel": "web",
        "is_anonymous": False,
        "is_confidential": False,
        "reporter": {"name": "Budi", "phone": "081234567890", "email": None},
        "agency_id": AGENCY,
        "copy_agency_ids": [],
        "status": "didisposisikan",
        "priority": "normal",
        "tags": ["jalan"],
        "assignee_id": None,
        "created_at": "2026-11-02T08:00:00+00:00",
        "updated_at": "2026-11-03T08:00:00Z",
        "due_at": "2026-11-09T16:59:59+00:00",
        "resolution_due_at": None,
        "thread": [{"id": str(uuid.uuid4()), "kind": "comment", "author": "Pelapor",
                    "body": "Tolong", "created_at": "2026-11-02T08:00:00+00:00"}],
        "attachments": [{"id": str(uuid.uuid4()), "name": "../../etc/passwd", "size": 10,
                         "sha256": "a" * 64, "mime": "image/png"}],
    }
    doc.update(over)
    return doc


def page(complaints: list[Any] | None = None, **over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "protocol": p.PROTOCOL_VERSION, "epoch": "e1", "cursor": "c1", "has_more": False,
        "reference": {"agencies": [{"id": AGENCY, "name": "DPUPR", "kind": "opd",
                                    "parent_id": "kab-semarang"}],
                      "categories": [{"id": "pu", "name": "PU", "parent_id": None,
                                      "path": "PU"}],
                      "users": [{"id": str(uuid.uuid4()), "display_name": "Sari",
                                 "role": "officer", "agency_id": AGENCY}]},
        "complaints": complaints if complaints is not None else [complaint()],
        "removed": [], "remaining": 0,
    }
    d.update(over)
    return d


def test_valid_page_round_trips() -> None:
    raw = page()
    parsed, rejected = parse_page(copy.deepcopy(raw), scope={AGENCY})
    assert rejected == []
    assert parsed["complaints"][0]["title"] == raw["complaints"][0]["title"]
    assert parsed["complaints"][0]["attachments"][0]["name"] == "../../etc/passwd"  # display only
    assert parsed["reference"] is not None


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("cursor"),
    lambda d: d.update(complaints={}),
    lambda d: d.update(has_more="yes"),
    lambda d: d.update(protocol=99),
    lambda d: d.update(removed=["not-a-uuid"]),
    lambda d: d.update(reference={"agencies": []}),
    lambda d: d.update(remaining=-1),
    lambda d: d.update(cursor=""),
])
def test_structural_errors_refuse_the_page(mutate: Any) -> None:
    d = page()
    mutate(d)
    with pytest.raises(ProtocolError):
        parse_page(d)


@pytest.mark.parametrize("over", [
    {"id": "x"}, {"tracking_id": "1"}, {"tracking_id": True}, {"title": "x" * 1001},
    {"created_at": "2026-11-02T08:00:00"}, {"due_at": "yesterday"}, {"location": None},
    {"thread": [{"id": "a"}]}, {"attachments": [{}] * 501}, {"agency_id": "../x"},
    {"incident_date": "2026-13-40"}, {"is_anonymous": 0},
])
def test_poison_record_is_dropped_not_the_page(over: dict[str, Any]) -> None:
    good = complaint()
    bad = complaint(**over)
    parsed, rejected = parse_page(page([bad, good]), scope={AGENCY})
    assert [c["id"] for c in parsed["complaints"]] == [good["id"]]
    assert len(rejected) == 1
    assert rejected[0][0] in (bad["id"], "?")
    # Reasons name fields, never carry the text.
    assert "Jalan" not in rejected[0][1]


@pytest.mark.parametrize("number", ["18446744073709551616", "-9223372036854775809",
                                    "1" * 40, "3.0", "1e400", "NaN"])
@pytest.mark.parametrize("key", ["version", "tracking_id"])
def test_absurd_numbers_in_the_wire_text_drop_only_their_record(number: str, key: str) -> None:
    """From the bytes on the wire: whichever parser decodes the page (orjson, or the
    standard library for what orjson refuses), a number no integer field can take drops
    that record and keeps the rest of the page."""
    good = complaint()
    bad = complaint(**{key: 0})
    text = json.dumps(page([bad, good])).replace(f'"{key}": 0', f'"{key}": {number}', 1)
    body = text.encode()
    parsed, rejected = parse_page(BodyResult(body, 200, len(body)).json().data, scope={AGENCY})
    assert [c["id"] for c in parsed["complaints"]] == [good["id"]]
    assert rejected == [(bad["id"], rejected[0][1])]


def test_missing_key_and_non_object_records() -> None:
    bad = complaint()
    del bad["status"]
    parsed, rejected = parse_page(page([bad, 42, complaint()]))
    assert len(parsed["complaints"]) == 1
    assert [r[0] for r in rejected] == [bad["id"], "?"]


def test_out_of_scope_dropped_copy_kept() -> None:
    other = complaint(agency_id="disdukcapil-kota-semarang")
    copied = complaint(agency_id="kab-semarang", copy_agency_ids=[AGENCY])
    parsed, rejected = parse_page(page([other, copied]), scope={AGENCY})
    assert [c["id"] for c in parsed["complaints"]] == [copied["id"]]
    assert rejected == [(other["id"], "out of scope")]


def test_anonymous_identity_is_removed_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    doc = complaint(is_anonymous=True,
                    reporter={"name": "Rahasia Nama", "phone": "081299990000", "email": "a@b.id"})
    with caplog.at_level(logging.WARNING):
        parsed, rejected = parse_page(page([doc]))
    assert rejected == []
    assert parsed["complaints"][0]["reporter"] is None
    assert "protocol violation" in caplog.text
    for secret in ("Rahasia Nama", "081299990000", "a@b.id"):
        assert secret not in caplog.text


def test_hostile_text_kept_nul_and_surrogates_replaced() -> None:
    title = "<img src=http://x/a.png>\u202eabc\x00def\ud800"
    parsed, _ = parse_page(page([complaint(title=title)]))
    got = parsed["complaints"][0]["title"]
    assert got == "<img src=http://x/a.png>\u202eabc\ufffddef\ufffd"
    got.encode("utf-8")  # storable
    assert clean_text("plain") == "plain"


def test_duplicate_in_page_dropped() -> None:
    doc = complaint()
    parsed, rejected = parse_page(page([doc, copy.deepcopy(doc)]))
    assert len(parsed["complaints"]) == 1
    assert rejected == [(doc["id"], "duplicate in page")]


def test_unknown_priority_and_extra_keys_tolerated() -> None:
    parsed, rejected = parse_page(page([complaint(priority="kritis", extra="x")], future=1))
    assert rejected == []
    assert parsed["complaints"][0]["priority"] == "normal"
    assert "extra" not in parsed["complaints"][0]


def test_token_health_error_shapes() -> None:
    user = {"id": str(uuid.uuid4()), "username": "officer", "display_name": "O", "role": "officer",
            "agency_id": AGENCY, "agency_name": "DPUPR"}
    tok = parse_token_response({"access_token": "a.b.c", "refresh_token": "r1",
                                "token_type": "bearer", "expires_in": 900, "user": user})
    assert tok["user"]["username"] == "officer"
    with pytest.raises(ProtocolError):
        parse_token_response({"access_token": "a\nb", "refresh_token": "r", "token_type": "bearer",
                              "expires_in": 900, "user": user})
    assert parse_health({"status": "ok", "epoch": "e", "protocol": 1, "version": "0.1"})[
        "protocol"] == 1
    with pytest.raises(ProtocolError):
        parse_health({"status": "down"})
    assert parse_error({"error": {"code": "reset_required", "message": "m"}}) == {
        "code": "reset_required", "message": "m"}
    assert parse_error([1]) is None
    assert parse_error({"error": {"code": 5}}) is None


# ---------------------------------------------------------------- property tests

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=20), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_arbitrary_json_only_raises_protocol_error(value: Any) -> None:
    for fn in (parse_page, parse_token_response, parse_health):
        with contextlib.suppress(ProtocolError):
            fn(value)
    parse_error(value)


_keys = st.sampled_from(sorted(p.ComplaintDoc.__annotations__))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, json_values, max_size=6))
def test_any_corrupted_record_is_kept_or_rejected_never_raises(over: dict[str, Any]) -> None:
    parsed, rejected = parse_page(page([complaint(**over)]), scope={AGENCY})
    assert len(parsed["complaints"]) + len(rejected) == 1
    json.dumps(parsed)  # what goes on to the store is plain JSON


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_clean_text_output_is_always_utf8(text: str) -> None:
    out = clean_text(text)
    out.encode("utf-8")
    assert "\x00" not in out


def test_cleaning_runs_when_asked_and_reaches_nested_strings() -> None:
    doc = complaint(thread=[{"id": "t1", "kind": "comment", "author": "A\x00",
                             "body": "x\udfff", "created_at": "2026-11-02T08:00:00+00:00"}])
    parsed, _ = parse_page(page([doc]))
    entry = parsed["complaints"][0]["thread"][0]
    assert entry["author"] == "A\ufffd" and entry["body"] == "x\ufffd"
