"""Validation of the push protocol's shapes: push responses, page outcomes, responses in docs."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lapor_desk.errors import ProtocolError
from lapor_desk.sync.validate import parse_complaint, parse_page, parse_push_response

OP = str(uuid.uuid4())


def outcome(**over: Any) -> dict[str, Any]:
    o: dict[str, Any] = {"op_id": OP, "seq": 1, "status": "applied", "reason": None,
                         "message": "ok", "complaint_version": 3, "response_version": 2}
    o.update(over)
    return o


def doc(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": str(uuid.uuid4()), "tracking_id": 1, "version": 1, "title": "t", "body": "b",
        "incident_date": None, "location": {"province": None, "regency": None,
                                            "district": None},
        "category_id": None, "classification": "pengaduan", "channel": "web",
        "is_anonymous": False, "is_confidential": False, "reporter": None,
        "agency_id": "a", "copy_agency_ids": [], "status": "baru", "priority": "normal",
        "tags": [], "assignee_id": None, "created_at": "2026-11-01T00:00:00+00:00",
        "updated_at": "2026-11-01T00:00:00+00:00", "due_at": None, "resolution_due_at": None,
        "thread": [], "attachments": []}
    d.update(over)
    return d


def response(**over: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"id": str(uuid.uuid4()), "author_id": "u-1", "author_name": "Sri",
                         "body": "Jawaban", "version": 1, "text_sha256": "ab" * 32,
                         "state": "submitted", "note": None, "reviewer_id": None,
                         "updated_at": "2026-11-01T00:00:00+00:00", "published_at": None}
    r.update(over)
    return r


def test_push_response_keeps_good_outcomes_and_drops_bad_ones() -> None:
    got = parse_push_response({"outcomes": [
        outcome(), outcome(op_id="op-1"), outcome(status="maybe"), outcome(seq=0),
        outcome(seq=2, status="rejected", reason="closed", message="x" * 5000,
                complaint_version=None, theirs="teks mereka")], "next_seq": 3})
    assert got["next_seq"] == 3
    assert [(o["seq"], o["status"]) for o in got["outcomes"]] == [(1, "applied"),
                                                                  (2, "rejected")]
    assert len(got["outcomes"][1]["message"]) == 500
    assert "theirs" not in got["outcomes"][1]  # only what the client uses is kept
    for bad in ({"outcomes": []}, {"next_seq": 1}, [], {"outcomes": {}, "next_seq": 1},
                {"outcomes": [], "next_seq": -1}):
        with pytest.raises(ProtocolError):
            parse_push_response(bad)


def test_page_outcomes_and_responses_are_optional_and_validated() -> None:
    page: dict[str, Any] = {"protocol": 1, "epoch": "e", "cursor": "c", "has_more": False,
                            "reference": None, "complaints": [doc()], "removed": [],
                            "remaining": 0}
    plain, _ = parse_page(dict(page))
    assert "outcomes" not in plain and "responses" not in plain["complaints"][0]
    with_outcomes, _ = parse_page({**page, "outcomes": [outcome(), {"op_id": 1}]})
    assert [o["op_id"] for o in with_outcomes["outcomes"]] == [OP]
    with pytest.raises(ProtocolError):
        parse_page({**page, "outcomes": "many"})
    good = parse_complaint(doc(responses=[response(), response(note="Perbaiki")]))
    assert [r["note"] for r in good.get("responses", [])] == [None, "Perbaiki"]
    page_bad, rejected = parse_page({**page, "complaints": [
        doc(responses=[response(text_sha256="zz")]), doc(responses="x")]})
    assert page_bad["complaints"] == [] and len(rejected) == 2
