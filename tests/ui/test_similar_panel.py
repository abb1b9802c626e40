"""Similar complaints beside the open complaint, over the real window and store."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.models.similar import similar_complaints
from lapor_desk.ui.main_window import MainWindow
from lapor_desk.ui.similar_panel import CONFIDENTIAL_TITLE, ID_ROLE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_similar_panel_lists_others_and_opens_one(
        window: MainWindow, ctx: DeskContext, qtbot: QtBot,  # noqa: F811
        qtmodeltester: Any) -> None:
    store = ctx.open_store()
    row = next(r for r in range(window.model.rowCount())
               if similar_complaints(store, str(window.model.complaint_id(r)), 8))
    cid = window.model.complaint_id(row)
    expected = [s.row.id for s in similar_complaints(store, str(cid), 8)]
    panel = window.similar
    window.select_row(row)

    def shown() -> list[str]:
        return [panel.model.index(i).data(ID_ROLE) for i in range(panel.model.rowCount())]

    qtbot.waitUntil(lambda: shown() == expected, timeout=10_000)
    assert expected and cid not in shown()
    qtmodeltester.check(panel.model, force_py=True)
    for i, sim in enumerate(similar_complaints(store, str(cid), 8)):
        text = panel.model.index(i).data()
        assert text.startswith(str(sim.row.tracking_id))
        if sim.row.is_confidential:
            assert CONFIDENTIAL_TITLE in text and sim.row.title not in text
        assert ("tempat sama" in text) == sim.same_place

    # Enter on an item opens that complaint in the detail.
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(0))
    with qtbot.waitSignal(window.detailShown, timeout=10_000) as shown_signal:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert shown_signal.args[0] == expected[0]
    detail = window.detail.detail
    assert detail is not None and detail.row.id == expected[0]
