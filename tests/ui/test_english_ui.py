"""The English UI: no Indonesian text leaks in, and counts use proper English plurals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QTabWidget
from pytestqt.qtbot import QtBot
from test_translations import TS, messages
from ui_support import ctx, shown_window, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def english(ctx: DeskContext, qtbot: QtBot) -> Iterator[MainWindow]:  # noqa: F811
    with shown_window(ctx, qtbot, language="en") as win:
        yield win


def _indonesian_only() -> set[str]:
    sources, translated = set(), set()
    for (_ctx, source), msg in messages(TS).items():
        sources.add(source)
        tr = msg.find("translation")
        assert tr is not None
        for text in [tr.text or "", *(f.text or "" for f in tr.iter("numerusform"))]:
            translated.add(text.strip())
    return {t for t in translated - sources if t and "%" not in t}


def _visible_texts(win: MainWindow) -> list[str]:
    texts = [win.windowTitle()]
    texts += [w.text() for w in win.findChildren(QLabel)]
    texts += [w.text() for w in win.findChildren(QAbstractButton)]
    for menu in win.findChildren(QMenu):
        texts.append(menu.title())
        texts += [a.text() for a in menu.actions()]
    for tabs in win.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    header = win.model
    texts += [str(header.headerData(c, Qt.Orientation.Horizontal))
              for c in range(header.columnCount())]
    return [t.strip() for t in texts if t and t.strip()]


def test_english_window_shows_no_indonesian(english: MainWindow, qtbot: QtBot) -> None:
    win = english
    win.select_row(0)
    qtbot.waitUntil(lambda: win.detail.detail is not None, timeout=10_000)
    qtbot.waitUntil(lambda: win.attachments_panel.complaint_id is not None, timeout=10_000)
    indonesian = _indonesian_only()
    leaks = [t for t in _visible_texts(win) if t in indonesian]
    assert leaks == []
    n = win.model.rowCount()
    assert win.count_label.text() == f"{n} complaints"
    first = win.model.complaint_id(0)
    assert first is not None
    win.model.set_result(win.model.query, [first])
    win._show_count()
    assert win.count_label.text() == "1 complaint"
