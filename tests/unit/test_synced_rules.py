"""The agency's deadline rules arrive in ``reference.rules``, are validated, stored in the page's
transaction and drive the offline working-day calendar; bad rules never cost the page."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lapor_desk.models.rules import CutiBersama, DeadlineRules, shared_calendar
from lapor_desk.models.store import Store
from lapor_desk.sync import protocol as p
from lapor_desk.sync.validate import parse_page

KEY = bytes(range(32))
AGENCY = "dpupr-kab-semarang"
DAY_OFF = date(2026, 3, 10)  # a Tuesday, a working day by default
RULES = DeadlineRules(follow_up_days=7, timezone="WITA",
                      extra_days_off=(CutiBersama(DAY_OFF, "Hari jadi kabupaten"),))


def _complaint(cursor_n: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "tracking_id": 9197000 + cursor_n, "version": 1,
        "title": "Jalan berlubang", "body": "Kronologi", "incident_date": None,
        "location": {"province": "Jawa Tengah", "regency": None, "district": None},
        "category_id": None, "classification": "pengaduan", "channel": "web",
        "is_anonymous": True, "is_confidential": False, "reporter": None,
        "agency_id": AGENCY, "copy_agency_ids": [], "status": "didisposisikan",
        "priority": "normal", "tags": [], "assignee_id": None,
        "created_at": "2026-03-02T08:00:00+00:00", "updated_at": "2026-03-02T08:00:00+00:00",
        "due_at": None, "resolution_due_at": None, "thread": [], "attachments": [],
    }


def _page(n: int, rules: Any = None, *, with_rules: bool = True) -> dict[str, Any]:
    ref: dict[str, Any] = {"agencies": [], "categories": [], "users": []}
    if with_rules:
        ref["rules"] = rules
    return {"protocol": p.PROTOCOL_VERSION, "epoch": "e1", "cursor": f"c{n}",
            "has_more": False, "reference": ref, "complaints": [_complaint(n)],
            "removed": [], "remaining": 0}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "replica.db", KEY)
    yield s
    s.close()


def _apply(store: Store, raw: dict[str, Any]) -> None:
    page, rejected = parse_page(raw, scope={AGENCY})
    assert rejected == []
    result = store.apply_page(page)
    assert len(result.upserted_ids) == 1


def test_defaults_before_any_rules(store: Store) -> None:
    assert store.rules() == DeadlineRules()
    _apply(store, _page(1, with_rules=False))  # an older server: no rules key
    assert store.rules() == DeadlineRules()


def test_synced_rules_are_stored_and_drive_the_calendar(store: Store, tmp_path: Path) -> None:
    wire = RULES.to_dict() | {"future_setting": 1}  # unknown keys of a newer server: dropped
    page, _ = parse_page(_page(1, wire), scope={AGENCY})
    assert page["reference"] is not None
    assert page["reference"].get("rules") == RULES.to_dict()
    store.apply_page(page)
    assert store.rules() == RULES
    assert not shared_calendar(store.rules()).is_working_day(DAY_OFF)
    assert shared_calendar(DeadlineRules()).is_working_day(DAY_OFF)
    # A later reference without rules keeps them; they survive reopening (offline).
    _apply(store, _page(2, with_rules=False))
    store.close()
    reopened = Store.open(tmp_path / "replica.db", KEY)
    try:
        assert reopened.rules() == RULES
    finally:
        reopened.close()


@pytest.mark.parametrize("bad", [
    "not an object",
    ["follow_up_days", 7],
    {"follow_up_days": "lots"},
    {"follow_up_days": True},
    {"verify_days": 0},
    {"timezone": "UTC"},
    {"extra_days_off": ["31-12-2026"]},
    {"extra_days_off": [{"date": "2026-03-10", "note": 5}]},
    {"extra_work_days": "2026-03-21"},
])
def test_malformed_rules_are_dropped_and_the_page_still_applies(
        store: Store, bad: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="lapor_desk.sync.validate"):
        page, rejected = parse_page(_page(1, bad), scope={AGENCY})
    assert rejected == []
    assert page["reference"] is not None and "rules" not in page["reference"]
    assert "ignored invalid deadline rules" in caplog.text
    assert store.apply_page(page).upserted_ids == (page["complaints"][0]["id"],)
    assert store.rules() == DeadlineRules()


def test_malformed_rules_keep_the_rules_already_synced(store: Store) -> None:
    _apply(store, _page(1, RULES.to_dict()))
    _apply(store, _page(2, {"escalation_days": -1}))
    assert store.rules() == RULES
    assert store.sync_state().cursor == "c2"
