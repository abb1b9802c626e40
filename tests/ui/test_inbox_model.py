"""The lazy inbox model over a real store synced from a real server."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from ui_support import HOSTILE_TITLE, ctx, ui_hub  # noqa: F401 (fixtures)

from lapor_desk.core import DeskContext
from lapor_desk.models.records import ComplaintQuery, SortKey
from lapor_desk.ui import formatting as fmt
from lapor_desk.ui.inbox_model import BLOCK, ID_ROLE, Column, InboxModel


def test_model_passes_qtmodeltester(ctx: DeskContext, qtmodeltester: ModelTester) -> None:  # noqa: F811
    store = ctx.open_store()
    model = InboxModel(store)
    model.load(ComplaintQuery())
    assert model.rowCount() == store.count(ComplaintQuery()) > 0
    qtmodeltester.check(model, force_py=True)


def test_rows_are_lazy_and_single_line(ctx: DeskContext, ui_hub: tuple) -> None:  # noqa: F811
    store = ctx.open_store()
    model = InboxModel(store, lang="id")
    model.load(ComplaintQuery(search="zebracanary"))
    assert model.rowCount() == 1
    assert model.index(0, 0).data(ID_ROLE) == ui_hub[1]
    title = model.index(0, Column.TITLE).data()
    assert "\n" not in title and "\x00" not in title
    assert title == fmt.one_line(HOSTILE_TITLE.replace("\x00", "\ufffd"))
    badges = model.index(0, Column.BADGES).data()
    # No translator installed: English source. Nobody marked it read yet.
    assert badges == "Unread · Confidential · Anonymous"
    assert "anonim" in model.index(0, Column.BADGES).data(Qt.ItemDataRole.ToolTipRole)
    access = model.index(0, Column.TITLE).data(Qt.ItemDataRole.AccessibleTextRole)
    assert access.startswith("Title: ")
    # Only the block that was read is cached.
    assert len(model._blocks) == 1 and BLOCK >= 1


def test_deadline_text_and_colour(ctx: DeskContext) -> None:  # noqa: F811
    store = ctx.open_store()
    model = InboxModel(store, clock=lambda: datetime(2030, 1, 1, tzinfo=UTC))
    model.load(ComplaintQuery(search="zebracanary"))
    # Due in 2026/2027: long overdue by 2030.
    text = model.index(0, Column.DEADLINE).data()
    assert text.endswith("working days overdue")
    assert isinstance(model.index(0, Column.DEADLINE).data(Qt.ItemDataRole.ForegroundRole),
                      QBrush)


def test_header_sort_requeries_the_store(ctx: DeskContext) -> None:  # noqa: F811
    store = ctx.open_store()
    model = InboxModel(store)
    model.load(ComplaintQuery())
    model.sort(Column.TRACKING, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == SortKey.TRACKING_ID and model.query.descending
    tids = [int(model.index(r, Column.TRACKING).data()) for r in range(model.rowCount())]
    assert tids == sorted(tids, reverse=True)
    model.sort(Column.ASSIGNEE, Qt.SortOrder.AscendingOrder)  # not sortable: unchanged
    assert model.query.sort == SortKey.TRACKING_ID


def test_deadline_labels_use_the_synced_agency_rules(ctx: DeskContext) -> None:  # noqa: F811
    import json
    from datetime import date

    from lapor_desk.models.rules import CutiBersama, DeadlineRules

    day_off = date(2026, 3, 10)  # a Tuesday
    store = ctx.open_store()
    model = InboxModel(store)
    assert model._calendar.is_working_day(day_off)
    rules = DeadlineRules(extra_days_off=(CutiBersama(day_off, "Hari jadi"),))
    with store.write() as conn:  # as a sync page carrying ``reference.rules`` would
        conn.exec_driver_sql("UPDATE sync_state SET rules = ? WHERE id = 1",
                             (json.dumps(rules.to_dict()),))
    try:
        model.invalidate()  # after a sync
        assert not model._calendar.is_working_day(day_off)
        assert not fmt.store_calendar(store).is_working_day(day_off)
        assert ctx.calendar() is fmt.store_calendar(store)
    finally:
        with store.write() as conn:
            conn.exec_driver_sql("UPDATE sync_state SET rules = NULL WHERE id = 1")
