"""Display text for dates, deadlines, sizes and the domain vocabulary (id/en).

Pure functions over ``QCoreApplication.translate`` so they follow the installed translator.
Citizens' text is only ever made single-line here; it is never interpreted.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from lapor_desk.models.domain import (
    CLASSIFICATION_LABELS_ID,
    STATUS_LABELS_EN,
    STATUS_LABELS_ID,
    TERMINAL_STATUSES,
)
from lapor_desk.models.workdays import WIB, WorkCalendar

translate = QCoreApplication.translate  # lupdate finds translate("Context", "…")

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CLASSIFICATION_LABELS_EN = {
    "pengaduan": "Complaint",
    "aspirasi": "Aspiration",
    "permintaan_informasi": "Information request",
    "whistle_blowing": "Whistle blowing",
}
TITLE_DISPLAY_CHARS = 200
_LINE_BREAKS = str.maketrans(
    {
        "\r": " ",
        "\n": " ",
        "\u2028": " ",
        "\u2029": " ",
        "\x0b": " ",
        "\x0c": " ",
        "\x85": " ",
        "\x00": "\ufffd",
    }
)


def arg(template: str, *values: object) -> str:
    """Qt-style %1, %2 substitution (values are never re-scanned for placeholders)."""
    out = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and i + 1 < len(template) and template[i + 1].isdigit():
            n = int(template[i + 1])
            if 1 <= n <= len(values):
                out.append(str(values[n - 1]))
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def safe_text(text: str) -> str:
    """Text for a plain-text widget: NUL cannot be shown, so it becomes U+FFFD."""
    return text.replace("\x00", "\ufffd")


def one_line(text: str, limit: int = TITLE_DISPLAY_CHARS) -> str:
    """A single display line: line breaks become spaces; very long text is cut with '…'."""
    line = (
        text[: limit * 2].translate(_LINE_BREAKS)
        if len(text) > limit * 2
        else text.translate(_LINE_BREAKS)
    )
    return line if len(line) <= limit else line[: limit - 1] + "…"


def format_date(d: date, lang: str) -> str:
    months = MONTHS_ID if lang == "id" else MONTHS_EN
    return f"{d.day} {months[d.month - 1]} {d.year}"


def format_datetime(dt: datetime, lang: str) -> str:
    """'23 November 2026, 19.45 WIB' (Indonesian uses a dot in times) or '…, 19:45 WIB'."""
    local = dt.astimezone(WIB)
    sep = "." if lang == "id" else ":"
    return f"{format_date(local.date(), lang)}, {local.hour:02d}{sep}{local.minute:02d} WIB"


def format_size(size: int, lang: str) -> str:
    units = ("B", "KB", "MB", "GB")
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    text = f"{int(value)}" if unit == 0 else f"{value:.1f}"
    if lang == "id":
        text = text.replace(".", ",")
    return f"{text} {units[unit]}"


def status_label(status: str, lang: str) -> str:
    labels = STATUS_LABELS_ID if lang == "id" else STATUS_LABELS_EN
    return labels.get(status, status)


def classification_label(value: str, lang: str) -> str:
    labels = CLASSIFICATION_LABELS_ID if lang == "id" else CLASSIFICATION_LABELS_EN
    return labels.get(value, value)


def channel_label(channel: str) -> str:
    labels = {
        "web": translate("Format", "Website"),
        "sms": translate("Format", "SMS 1708"),
        "twitter": translate("Format", "X/Twitter"),
        "android": translate("Format", "Android app"),
        "ios": translate("Format", "iOS app"),
        "whatsapp": translate("Format", "WhatsApp"),
        "walk_in": translate("Format", "Walk-in"),
        "surat": translate("Format", "Letter"),
        "other": translate("Format", "Other"),
    }
    return labels.get(channel, channel)


def thread_kind_label(kind: str) -> str:
    labels = {
        "comment": translate("Format", "Reporter reply"),
        "followup": translate("Format", "Follow-up"),
        "note": translate("Format", "Internal note"),
        "event": translate("Format", "Event"),
    }
    return labels.get(kind, kind)


def priority_label(priority: str) -> str:
    labels = {
        "rendah": translate("Format", "Low"),
        "normal": translate("Format", "Normal"),
        "tinggi": translate("Format", "High"),
        "mendesak": translate("Format", "Urgent"),
    }
    return labels.get(priority, priority)


# Urgency levels of a deadline, for colours.
def store_calendar(store: object) -> WorkCalendar:
    """The working-day calendar of the agency rules synced into ``store`` (``Store.rules()``),
    so deadline labels match the server offline; the default rules' calendar for a source
    without rules (test doubles) or when they cannot be read."""
    from lapor_desk.errors import LaporError
    from lapor_desk.models.rules import DeadlineRules, shared_calendar

    rules = getattr(store, "rules", None)
    if callable(rules):
        try:
            found = rules()
        except LaporError:
            found = None
        if isinstance(found, DeadlineRules):
            return shared_calendar(found)
    return shared_calendar(DeadlineRules())


OVERDUE, TODAY, SOON, LATER, NONE = "overdue", "today", "soon", "later", "none"


def deadline(
    due: datetime | None, status: str, now: datetime, calendar: WorkCalendar
) -> tuple[str, str, int | None]:
    """(text, urgency, working days left) of a step deadline, e.g. '3 hari kerja lagi'."""
    if due is None or status in TERMINAL_STATUSES:
        return "—", NONE, None
    left = calendar.working_days_left(due, now)
    if left < 0:
        late = -left
        text = (
            translate("Format", "1 working day overdue")
            if late == 1
            else arg(translate("Format", "%1 working days overdue"), late)
        )
        return text, OVERDUE, left
    if left == 0:
        return translate("Format", "due today"), TODAY, 0
    text = (
        translate("Format", "1 working day left")
        if left == 1
        else arg(translate("Format", "%1 working days left"), left)
    )
    return text, (SOON if left <= 2 else LATER), left
