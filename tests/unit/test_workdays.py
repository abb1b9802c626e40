"""The working-day calendar: weekends, national holidays, extra days off and work days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lapor_desk.models.workdays import WIB, WIT, WITA, ZONES, WorkCalendar


def test_weekends_and_national_holidays() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(date(2026, 11, 20))  # Friday
    assert not cal.is_working_day(date(2026, 11, 21))  # Saturday
    assert not cal.is_working_day(date(2026, 11, 22))  # Sunday
    assert not cal.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan
    assert not cal.is_working_day(date(2026, 12, 25))  # Natal
    assert not cal.is_working_day(date(2027, 1, 1))  # Tahun Baru


def test_extra_days_off_and_extra_work_days() -> None:
    cal = WorkCalendar(extra_days_off=[date(2026, 3, 20)], extra_work_days=[date(2026, 3, 28)])
    assert not cal.is_working_day(date(2026, 3, 20))
    assert cal.is_working_day(date(2026, 3, 28))  # a Saturday declared a work day
    assert WorkCalendar().is_working_day(date(2026, 3, 20))


def test_add_working_days_both_directions() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert cal.add_working_days(date(2026, 11, 23), -1) == date(2026, 11, 20)
    assert cal.add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_deadline_is_end_of_day_in_zone() -> None:
    cal = WorkCalendar(tz=WITA)
    due = cal.deadline(datetime(2026, 11, 19, 9, 0, tzinfo=WITA), 1)
    assert due == datetime(2026, 11, 20, 23, 59, 59, tzinfo=WITA)
    assert due.utcoffset() == timedelta(hours=8)


def test_working_days_between_and_left() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5
    assert cal.working_days_between(date(2026, 11, 27), date(2026, 11, 20)) == -5
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    due = datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB)
    assert cal.working_days_left(due, datetime(2026, 11, 23, 8, 0, tzinfo=WIB)) == 3
    assert cal.working_days_left(due, datetime(2026, 11, 30, 8, 0, tzinfo=WIB)) == -2


def test_zone_names() -> None:
    assert ZONES == {"WIB": WIB, "WITA": WITA, "WIT": WIT}
    assert [z.utcoffset(None) for z in (WIB, WITA, WIT)] == [
        timedelta(hours=7), timedelta(hours=8), timedelta(hours=9)]
