"""Deadline rules: the working-day limits of the LAPOR! workflow as data an admin can change.

The defaults follow the domain notes (verify 3, follow-up 5, reporter reply 10, auto-complete 10,
resolution 5/14/60 by class, escalation 60). Only some are official; regions differ and the
regulation that replaced PermenPANRB 62/2018 could not be read, so nothing here is hard-wired:
the server syncs a ``DeadlineRules`` dict and every client counts the same deadlines offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

from lapor_desk.errors import InvalidInputError
from lapor_desk.models.workdays import ZONES, WorkCalendar

__all__ = [
    "DEFAULT_CUTI_BERSAMA",
    "STEPS",
    "CutiBersama",
    "DeadlineLevel",
    "DeadlineRules",
    "DeadlineState",
    "calendar_from_rules",
    "deadline_state",
    "due_for_step",
    "follow_up_due_after_reply",
    "resolution_due",
    "shared_calendar",
]

MAX_DAYS = 366  # a limit longer than a year is surely a typo in the rules table


@dataclass(frozen=True, slots=True)
class CutiBersama:
    """An extra day off (cuti bersama or a regional day off) with a note for the admin screen."""

    day: date
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "note": self.note}


# DATA, not logic: an admin edits this table (it is synced as part of the rules). Source: the
# SKB 3 Menteri on national holidays and cuti bersama for 2025 (incl. the August 2025 revision
# adding 18 August) and for 2026. National holidays themselves come from the ``holidays``
# package; only cuti bersama are listed here. Check against each year's SKB and its revisions.
DEFAULT_CUTI_BERSAMA: tuple[CutiBersama, ...] = (
    CutiBersama(date(2025, 1, 28), "Cuti bersama Tahun Baru Imlek 2576"),
    CutiBersama(date(2025, 3, 28), "Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1947)"),
    CutiBersama(date(2025, 4, 2), "Cuti bersama Idul Fitri 1446 H"),
    CutiBersama(date(2025, 4, 3), "Cuti bersama Idul Fitri 1446 H"),
    CutiBersama(date(2025, 4, 4), "Cuti bersama Idul Fitri 1446 H"),
    CutiBersama(date(2025, 4, 7), "Cuti bersama Idul Fitri 1446 H"),
    CutiBersama(date(2025, 5, 13), "Cuti bersama Waisak 2569 BE"),
    CutiBersama(date(2025, 5, 30), "Cuti bersama Kenaikan Yesus Kristus"),
    CutiBersama(date(2025, 6, 9), "Cuti bersama Idul Adha 1446 H"),
    CutiBersama(date(2025, 8, 18), "Cuti bersama HUT Kemerdekaan RI ke-80"),
    CutiBersama(date(2025, 12, 26), "Cuti bersama Kelahiran Yesus Kristus"),
    CutiBersama(date(2026, 2, 16), "Cuti bersama Tahun Baru Imlek 2577"),
    CutiBersama(date(2026, 3, 18), "Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    CutiBersama(date(2026, 3, 20), "Cuti bersama Idul Fitri 1447 H"),
    CutiBersama(date(2026, 3, 23), "Cuti bersama Idul Fitri 1447 H"),
    CutiBersama(date(2026, 3, 24), "Cuti bersama Idul Fitri 1447 H"),
    CutiBersama(date(2026, 5, 15), "Cuti bersama Kenaikan Yesus Kristus"),
    CutiBersama(date(2026, 5, 28), "Cuti bersama Idul Adha 1447 H"),
    CutiBersama(date(2026, 12, 24), "Cuti bersama Kelahiran Yesus Kristus"),
)

_INT_FIELDS = (
    "verify_days",
    "follow_up_days",
    "reply_window_days",
    "auto_complete_days",
    "resolution_information_days",
    "resolution_complaint_days",
    "resolution_supervisory_days",
    "escalation_days",
)


def _bad(name: str, why_id: str, why_en: str) -> InvalidInputError:
    return InvalidInputError(
        name,
        message_id=f"Aturan tenggat tidak valid: {name} {why_id}.",
        message_en=f"Invalid deadline rule: {name} {why_en}.",
    )


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """Working-day limits per workflow step. Construct with keywords; values are validated."""

    verify_days: int = 3
    follow_up_days: int = 5
    reply_window_days: int = 10
    auto_complete_days: int = 10
    resolution_information_days: int = 5
    resolution_complaint_days: int = 14
    resolution_supervisory_days: int = 60
    escalation_days: int = 60
    # Unconfirmed in the regulation whether a reporter's reply restarts the 5-day clock.
    restart_follow_up_on_reply: bool = True
    extra_days_off: tuple[CutiBersama, ...] = DEFAULT_CUTI_BERSAMA
    extra_work_days: tuple[date, ...] = ()
    timezone: str = "WIB"

    def __post_init__(self) -> None:
        for name in _INT_FIELDS:
            value = getattr(self, name)
            # bool is an int subclass; True as "1 day" would be a silent mistake.
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad(name, "harus bilangan bulat", "must be a whole number")
            if not 1 <= value <= MAX_DAYS:
                raise _bad(name, f"harus antara 1 dan {MAX_DAYS} hari kerja",
                           f"must be between 1 and {MAX_DAYS} working days")
        if not isinstance(self.restart_follow_up_on_reply, bool):
            raise _bad("restart_follow_up_on_reply", "harus true atau false",
                       "must be true or false")
        if not isinstance(self.timezone, str) or self.timezone not in ZONES:
            raise _bad("timezone", "harus WIB, WITA, atau WIT", "must be WIB, WITA or WIT")

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (dates as ISO strings)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in _INT_FIELDS}
        out["restart_follow_up_on_reply"] = self.restart_follow_up_on_reply
        out["extra_days_off"] = [d.to_dict() for d in self.extra_days_off]
        out["extra_work_days"] = [d.isoformat() for d in self.extra_work_days]
        out["timezone"] = self.timezone
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeadlineRules:
        """Build from a (possibly partial) dict; unknown keys are ignored, missing keys default."""
        if not isinstance(data, Mapping):
            raise _bad("rules", "harus berupa objek JSON", "must be a JSON object")
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue  # newer servers may add settings; older clients ignore them
            if key == "extra_days_off":
                kwargs[key] = _parse_days_off(value)
            elif key == "extra_work_days":
                kwargs[key] = tuple(_parse_date(key, v) for v in _as_list(key, value))
            else:
                kwargs[key] = value
        return cls(**kwargs)

    def days_off(self) -> frozenset[date]:
        return frozenset(d.day for d in self.extra_days_off)


def _as_list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _bad(name, "harus berupa daftar", "must be a list")
    return list(value)


def _parse_date(name: str, value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(name, f"berisi tanggal tidak valid ({str(value)[:40]!r}; format TTTT-BB-HH)",
               f"has an invalid date ({str(value)[:40]!r}; format YYYY-MM-DD)")


def _parse_days_off(value: Any) -> tuple[CutiBersama, ...]:
    out: list[CutiBersama] = []
    for item in _as_list("extra_days_off", value):
        if isinstance(item, Mapping):
            note = item.get("note", "")
            if not isinstance(note, str):
                raise _bad("extra_days_off", "berisi catatan yang bukan teks",
                           "has a note that is not text")
            out.append(CutiBersama(_parse_date("extra_days_off", item.get("date")), note))
        else:
            out.append(CutiBersama(_parse_date("extra_days_off", item)))
    return tuple(out)


def calendar_from_rules(rules: DeadlineRules) -> WorkCalendar:
    return WorkCalendar(rules.days_off(), rules.extra_work_days, ZONES[rules.timezone])


@lru_cache(maxsize=16)
def shared_calendar(rules: DeadlineRules) -> WorkCalendar:
    """``calendar_from_rules`` shared per rules value (building a calendar is not free; rules
    are frozen, so views and commands asking with equal rules get the same calendar)."""
    return calendar_from_rules(rules)


# Workflow steps whose limit does not depend on the complaint's class.
STEPS: dict[str, str] = {
    "verify": "verify_days",
    "follow_up": "follow_up_days",
    "reporter_reply": "reply_window_days",
    "auto_complete": "auto_complete_days",
    "escalation": "escalation_days",
}


def due_for_step(step: str, start: datetime, rules: DeadlineRules, cal: WorkCalendar) -> datetime:
    """End of the last working day for ``step`` counted from ``start`` (start's day not counted).

    ``start`` must be timezone-aware; the result is in the calendar's zone.
    """
    attr = STEPS.get(step)
    if attr is None:
        raise InvalidInputError(
            step[:40],
            message_id="Tahap alur kerja tidak dikenal.",
            message_en="Unknown workflow step.",
        )
    return cal.deadline(_aware(start), int(getattr(rules, attr)))


def follow_up_due_after_reply(previous_due: datetime, reply_at: datetime,
                              rules: DeadlineRules, cal: WorkCalendar) -> datetime:
    """The follow-up deadline once the reporter replied: a fresh clock from the reply when
    ``restart_follow_up_on_reply`` is set, else the deadline that was already running."""
    if rules.restart_follow_up_on_reply:
        return due_for_step("follow_up", reply_at, rules, cal)
    return _aware(previous_due).astimezone(cal.tz)


def resolution_due(classification: str, supervisory: bool, start: datetime,
                   rules: DeadlineRules, cal: WorkCalendar) -> datetime:
    """Resolution deadline by class: information request, complaint, supervisory complaint.

    Whistle-blowing reports are supervisory by nature. Unknown classes (a newer server's
    vocabulary) count as ordinary complaints rather than failing a view.
    """
    if classification == "permintaan_informasi":
        days = rules.resolution_information_days
    elif supervisory or classification == "whistle_blowing":
        days = rules.resolution_supervisory_days
    else:
        days = rules.resolution_complaint_days
    return cal.deadline(_aware(start), days)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time could be WIB, WITA or UTC; guessing shifts deadlines by a day.
        raise InvalidInputError(
            "naive datetime",
            message_id="Waktu harus menyertakan zona waktu.",
            message_en="The time must include a time zone.",
        )
    return moment


DeadlineLevel = Literal["ok", "soon", "today", "overdue"]


@dataclass(frozen=True, slots=True)
class DeadlineState:
    """How a deadline looks now.

    ``working_days_left``: 0 = due today; negative = working days overdue. It can be 0 with
    level "overdue" when the deadline passed but no working day has started since (a weekend).
    """

    working_days_left: int
    level: DeadlineLevel
    label_id: str
    label_en: str


def deadline_state(due: datetime, now: datetime, cal: WorkCalendar, *,
                   soon_days: int = 2) -> DeadlineState:
    """Label a deadline for lists and badges: "3 hari kerja lagi", "hari ini", "terlambat…"."""
    due, now = _aware(due), _aware(now)
    left = cal.working_days_left(due, now)
    if now > due:
        late = max(0, -left)
        if late == 0:
            return DeadlineState(left, "overdue", "terlambat", "overdue")
        return DeadlineState(left, "overdue", f"terlambat {late} hari kerja",
                             f"{late} working day{'s' if late != 1 else ''} overdue")
    if left <= 0:
        return DeadlineState(0, "today", "hari ini", "due today")
    level: DeadlineLevel = "soon" if left <= soon_days else "ok"
    return DeadlineState(left, level, f"{left} hari kerja lagi",
                         f"{left} working day{'s' if left != 1 else ''} left")
