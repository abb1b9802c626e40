"""Display text in Indonesian (default) and English: deadlines, dates with WIB, sizes, lines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from lapor_desk.models.workdays import WorkCalendar
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.i18n import Translations

CAL = WorkCalendar()
# Monday 2 March 2026, 10:00 WIB (03:00 UTC); no holidays that week before Nyepi (19 March).
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["id", "en"])
def lang(request: pytest.FixtureRequest, tmp_path: Path,
         qapp: QCoreApplication) -> Iterator[str]:
    translations = Translations(qapp, tmp_path, request.param)
    yield request.param
    translations.close()


def _due(day: int) -> datetime:
    return CAL.deadline(datetime(2026, 3, day, 3, 0, tzinfo=UTC), 0)


def test_deadline_phrases(lang: str) -> None:
    expected = {
        "id": ["3 hari kerja lagi", "1 hari kerja lagi", "hari ini", "terlambat 1 hari kerja",
               "terlambat 2 hari kerja"],
        "en": ["3 working days left", "1 working day left", "due today",
               "1 working day overdue", "2 working days overdue"],
    }[lang]
    # Thu 5th, Tue 3rd, Mon 2nd, Fri 27 Feb, Thu 26 Feb.
    dues = [_due(5), _due(3), _due(2), CAL.deadline(datetime(2026, 2, 27, 3, tzinfo=UTC), 0),
            CAL.deadline(datetime(2026, 2, 26, 3, tzinfo=UTC), 0)]
    got = [fmt.deadline(d, "didisposisikan", NOW, CAL)[0] for d in dues]
    assert got == expected
    urgencies = [fmt.deadline(d, "didisposisikan", NOW, CAL)[1] for d in dues]
    assert urgencies == [fmt.LATER, fmt.SOON, fmt.TODAY, fmt.OVERDUE, fmt.OVERDUE]
    assert fmt.deadline(dues[-1], "selesai", NOW, CAL) == ("—", fmt.NONE, None)
    assert fmt.deadline(None, "baru", NOW, CAL) == ("—", fmt.NONE, None)


def test_dates_in_wib() -> None:
    dt = datetime(2026, 11, 23, 19, 45, tzinfo=UTC)  # 02:45 WIB the next day
    assert fmt.format_datetime(dt, "id") == "24 November 2026, 02.45 WIB"
    assert fmt.format_datetime(dt, "en") == "24 November 2026, 02:45 WIB"
    assert fmt.format_date(dt.date().replace(month=8, day=17), "id") == "17 Agustus 2026"


def test_sizes_and_single_lines() -> None:
    assert fmt.format_size(512, "id") == "512 B"
    assert fmt.format_size(2_345_678, "id") == "2,2 MB"
    assert fmt.format_size(2_345_678, "en") == "2.2 MB"
    assert fmt.one_line("a\r\nb\u2028c\x00") == "a  b c\ufffd"
    long = fmt.one_line("x" * 1_000_000)
    assert len(long) == fmt.TITLE_DISPLAY_CHARS and long.endswith("…")
    assert fmt.arg("%1 dari %2", "%2", 5) == "%2 dari 5"  # values are not re-scanned
