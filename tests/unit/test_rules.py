"""Deadline rules: defaults, (de)serialisation and deadlines on concrete Indonesian dates."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from lapor_desk.errors import InvalidInputError
from lapor_desk.models.rules import (
    DEFAULT_CUTI_BERSAMA,
    CutiBersama,
    DeadlineRules,
    calendar_from_rules,
    deadline_state,
    due_for_step,
    follow_up_due_after_reply,
    resolution_due,
)
from lapor_desk.models.workdays import WIB, WIT

RULES = DeadlineRules()
CAL = calendar_from_rules(RULES)


def wib(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=WIB)


def test_defaults_match_domain_notes() -> None:
    r = DeadlineRules()
    assert (r.verify_days, r.follow_up_days, r.reply_window_days, r.auto_complete_days) == (
        3, 5, 10, 10)
    assert (r.resolution_information_days, r.resolution_complaint_days,
            r.resolution_supervisory_days, r.escalation_days) == (5, 14, 60, 60)
    assert r.restart_follow_up_on_reply is True
    assert r.timezone == "WIB"
    assert date(2026, 3, 20) in r.days_off()
    assert all(isinstance(c, CutiBersama) for c in DEFAULT_CUTI_BERSAMA)


def test_round_trip_is_json_safe() -> None:
    r = DeadlineRules(follow_up_days=14, restart_follow_up_on_reply=False, timezone="WITA",
                      extra_work_days=(date(2026, 3, 28),))
    data = json.loads(json.dumps(r.to_dict()))
    assert DeadlineRules.from_dict(data) == r


def test_from_dict_partial_and_unknown_keys() -> None:
    r = DeadlineRules.from_dict({"verify_days": 2, "future_setting": {"x": 1}})
    assert r.verify_days == 2
    assert r.follow_up_days == 5


def test_from_dict_accepts_plain_dates_for_days_off() -> None:
    r = DeadlineRules.from_dict({"extra_days_off": ["2026-11-20", {"date": "2026-11-23"}]})
    assert r.days_off() == {date(2026, 11, 20), date(2026, 11, 23)}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"verify_days": "tiga"}, "verify_days"),
        ({"follow_up_days": 0}, "follow_up_days"),
        ({"follow_up_days": -5}, "follow_up_days"),
        ({"escalation_days": 10_000}, "escalation_days"),
        ({"verify_days": True}, "verify_days"),
        ({"verify_days": 3.5}, "verify_days"),
        ({"restart_follow_up_on_reply": "ya"}, "restart_follow_up_on_reply"),
        ({"timezone": "UTC"}, "timezone"),
        ({"timezone": ["WIB"]}, "timezone"),
        ({"extra_days_off": None}, "extra_days_off"),
        ({"extra_days_off": [{"note": "tanpa tanggal"}]}, "extra_days_off"),
        ({"extra_days_off": "2026-03-20"}, "extra_days_off"),
        ({"extra_days_off": ["2026-13-01"]}, "extra_days_off"),
        ({"extra_days_off": [{"date": "2026-03-20", "note": 5}]}, "extra_days_off"),
        ({"extra_work_days": [20260320]}, "extra_work_days"),
    ],
)
def test_from_dict_rejects_bad_values(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        DeadlineRules.from_dict(data)
    assert field in info.value.message("id")
    assert field in info.value.message("en")
    assert info.value.message("id").startswith("Aturan tenggat tidak valid")


def test_from_dict_rejects_non_mapping() -> None:
    with pytest.raises(InvalidInputError):
        DeadlineRules.from_dict([1, 2])  # type: ignore[arg-type]


def test_across_a_weekend() -> None:
    # Thursday 19 November 2026: five working days end on Thursday 26 November.
    assert due_for_step("follow_up", wib(2026, 11, 19), RULES, CAL) == end_of(2026, 11, 26)


def test_across_idul_fitri_2026_and_its_cuti_bersama() -> None:
    # 18 Mar cuti Nyepi, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti.
    assert due_for_step("verify", wib(2026, 3, 17), RULES, CAL) == end_of(2026, 3, 27)
    assert due_for_step("follow_up", wib(2026, 3, 16), RULES, CAL) == end_of(2026, 3, 30)
    # Without the cuti bersama table only national holidays and weekends count.
    bare = DeadlineRules(extra_days_off=())
    assert due_for_step("verify", wib(2026, 3, 17), bare, calendar_from_rules(bare)) == end_of(
        2026, 3, 23)


def test_across_year_end() -> None:
    # 24 Dec 2026 cuti, 25 Christmas, 1 Jan 2027 New Year.
    assert due_for_step("follow_up", wib(2026, 12, 23), RULES, CAL) == datetime(
        2027, 1, 4, 23, 59, 59, tzinfo=WIB)
    # 25 Dec 2025 Christmas, 26 Dec cuti.
    assert due_for_step("verify", wib(2025, 12, 24), RULES, CAL) == end_of(2025, 12, 31)


def test_start_on_a_holiday_or_weekend() -> None:
    # Independence Day, Monday 17 August 2026; the start day is never counted anyway.
    assert due_for_step("verify", wib(2026, 8, 17), RULES, CAL) == end_of(2026, 8, 20)
    # Saturday 21 November 2026.
    assert due_for_step("verify", wib(2026, 11, 21), RULES, CAL) == end_of(2026, 11, 25)


def test_friday_evening_starts() -> None:
    friday_evening = wib(2026, 11, 20, 19, 30)
    assert due_for_step("verify", friday_evening, RULES, CAL) == end_of(2026, 11, 25)
    # The same instant given in UTC counts in the calendar's zone.
    assert due_for_step("verify", friday_evening.astimezone(UTC), RULES, CAL) == end_of(
        2026, 11, 25)
    # Thursday 17:30 UTC is already Friday 00:30 WIB: one working day later than Thursday.
    thursday_utc = datetime(2026, 11, 19, 17, 30, tzinfo=UTC)
    assert due_for_step("verify", thursday_utc, RULES, CAL) == end_of(2026, 11, 25)
    assert due_for_step("verify", wib(2026, 11, 19, 23, 30), RULES, CAL) == end_of(2026, 11, 24)


def test_calendar_zone_follows_rules() -> None:
    rules = DeadlineRules(timezone="WIT")
    cal = calendar_from_rules(rules)
    # Thursday 15:30 UTC is Friday 00:30 WIT.
    due = due_for_step("verify", datetime(2026, 11, 19, 15, 30, tzinfo=UTC), rules, cal)
    assert due == datetime(2026, 11, 25, 23, 59, 59, tzinfo=WIT)


def test_other_steps_use_their_limits() -> None:
    start = wib(2026, 11, 2)  # a Monday; November 2026 has no holidays
    assert due_for_step("reporter_reply", start, RULES, CAL) == end_of(2026, 11, 16)
    assert due_for_step("auto_complete", start, RULES, CAL) == end_of(2026, 11, 16)
    assert due_for_step("escalation", start, RULES, CAL) > end_of(2027, 1, 1)


def test_unknown_step_and_naive_time_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        due_for_step("approve", wib(2026, 11, 2), RULES, CAL)
    with pytest.raises(InvalidInputError):
        due_for_step("verify", datetime(2026, 11, 2, 10, 0), RULES, CAL)


def test_resolution_by_class() -> None:
    start = wib(2026, 11, 2)
    assert resolution_due("permintaan_informasi", False, start, RULES, CAL) == end_of(2026, 11, 9)
    assert resolution_due("pengaduan", False, start, RULES, CAL) == end_of(2026, 11, 20)
    assert resolution_due("aspirasi", False, start, RULES, CAL) == end_of(2026, 11, 20)
    long = resolution_due("pengaduan", True, start, RULES, CAL)
    assert long == due_for_step("escalation", start, RULES, CAL)
    assert resolution_due("whistle_blowing", False, start, RULES, CAL) == long
    # A class from a newer server counts as an ordinary complaint.
    assert resolution_due("kelas_baru", False, start, RULES, CAL) == end_of(2026, 11, 20)
    custom = DeadlineRules(resolution_information_days=2)
    assert resolution_due("permintaan_informasi", False, start, custom, CAL) == end_of(
        2026, 11, 4)


def test_deadline_state_labels() -> None:
    due = end_of(2026, 11, 26)  # Thursday
    s = deadline_state(due, wib(2026, 11, 23), CAL)
    assert (s.working_days_left, s.level, s.label_id, s.label_en) == (
        3, "ok", "3 hari kerja lagi", "3 working days left")
    s = deadline_state(due, wib(2026, 11, 25), CAL)
    assert (s.working_days_left, s.level, s.label_id) == (1, "soon", "1 hari kerja lagi")
    assert s.label_en == "1 working day left"
    s = deadline_state(due, wib(2026, 11, 26, 23, 0), CAL)
    assert (s.working_days_left, s.level, s.label_id, s.label_en) == (
        0, "today", "hari ini", "due today")
    s = deadline_state(due, wib(2026, 11, 30, 9, 0), CAL)
    assert (s.working_days_left, s.level, s.label_id, s.label_en) == (
        -2, "overdue", "terlambat 2 hari kerja", "2 working days overdue")


def test_deadline_state_over_a_weekend() -> None:
    friday_due = end_of(2026, 11, 20)
    s = deadline_state(friday_due, wib(2026, 11, 21), CAL)
    assert (s.working_days_left, s.level, s.label_id) == (0, "overdue", "terlambat")
    # On Saturday a Monday deadline is one working day away.
    s = deadline_state(end_of(2026, 11, 23), wib(2026, 11, 21), CAL)
    assert (s.working_days_left, s.level) == (1, "soon")
    s = deadline_state(friday_due, friday_due + timedelta(seconds=1), CAL)
    assert s.level == "overdue"


def test_deadline_state_across_lebaran() -> None:
    # On 17 March 2026 a deadline of 25 March is only one working day away (cuti + Lebaran).
    s = deadline_state(end_of(2026, 3, 25), wib(2026, 3, 17), CAL)
    assert (s.working_days_left, s.level) == (1, "soon")


def test_reporter_reply_restarts_follow_up_clock_by_default() -> None:
    first_due = due_for_step("follow_up", wib(2026, 11, 2), RULES, CAL)  # Monday 9 Nov
    reply = wib(2026, 11, 6, 20, 0)  # Friday evening
    assert follow_up_due_after_reply(first_due, reply, RULES, CAL) == end_of(2026, 11, 13)
    keep = DeadlineRules(restart_follow_up_on_reply=False)
    assert follow_up_due_after_reply(first_due, reply, keep, calendar_from_rules(keep)) == (
        end_of(2026, 11, 9))
