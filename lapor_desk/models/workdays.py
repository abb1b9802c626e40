"""Indonesian working-day calendar (weekends, national holidays, cuti bersama, regional days off).

Deadlines in LAPOR! are counted in working days. The ``holidays`` package gives national
holidays; cuti bersama and regional days off are data (``extra_days_off``) an admin edits and the
server syncs, so the client counts the same deadlines offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import holidays

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

# Indonesia's three zones by the names officials use; rules tables store the name, not the offset.
ZONES: dict[str, timezone] = {"WIB": WIB, "WITA": WITA, "WIT": WIT}


@lru_cache(maxsize=64)
def _national(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


class WorkCalendar:
    def __init__(self, extra_days_off: Iterable[date] = (), extra_work_days: Iterable[date] = (),
                 tz: timezone = WIB) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_work_days = frozenset(extra_work_days)
        self.tz = tz

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_work_days:
            return True
        if d.weekday() >= 5 or d in self.extra_days_off:
            return False
        return d not in _national(d.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after ``start`` (start itself is not counted)."""
        d = start
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            d += timedelta(days=step)
            if self.is_working_day(d):
                remaining -= 1
        return d

    def deadline(self, start: datetime, n: int) -> datetime:
        """End of the n-th working day after ``start``, in the calendar's zone (aware)."""
        local = start.astimezone(self.tz).date()
        return datetime.combine(self.add_working_days(local, n), time(23, 59, 59), self.tz)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        d = lo
        while d < hi:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return sign * count

    def working_days_left(self, due: datetime, now: datetime) -> int:
        """Working days from today until the due date (0 = due today, negative = overdue)."""
        today = now.astimezone(self.tz).date()
        return self.working_days_between(today, due.astimezone(self.tz).date())
