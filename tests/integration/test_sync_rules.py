"""Deadline rules set on a real lapor-hub reach the client and drive its calendar offline.

``lapor-hub rules set`` changes DPUPR's rules; the officer's next sync stores them, and
``DeskContext.rules()`` / ``calendar()`` (what ``lapor-desk list|show`` and the inbox labels
use) follow them, also after the store is reopened without a server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import Hub, run_cli, running_hub

from lapor_desk.cli import _calendar
from lapor_desk.core import DeskContext
from lapor_desk.models.rules import CutiBersama, DeadlineRules
from lapor_desk.secrets import MemorySecrets

PASSWORD = "demo-lapor-2026"
DPUPR = "dpupr-kab-semarang"
DAY_OFF = date(2026, 3, 10)  # a Tuesday: a working day under the default rules
FAST = {"attempts": 2, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("sync-rules"), complaints=30, seed=5) as h:
        yield h


def test_rules_set_on_the_server_drive_the_client_calendar_offline(
        hub: Hub, tmp_path: Path) -> None:
    secrets = MemorySecrets()
    ctx = DeskContext.for_home(tmp_path / "profile", secrets=secrets, transport_options=FAST)
    try:
        ctx.login(hub.url, "officer", PASSWORD)
        ctx.sync()
        assert ctx.rules() == DeadlineRules()
        assert ctx.calendar().is_working_day(DAY_OFF)
        complaints = ctx.status().complaints

        days_off = json.dumps([{"date": DAY_OFF.isoformat(), "note": "Hari jadi kabupaten"}])
        run_cli("lapor_hub", "rules", "set", "--agency", DPUPR, "--db", hub.db,
                "--set", f"extra_days_off={days_off}", "--set", "follow_up_days=7")
        expected = DeadlineRules(follow_up_days=7,
                                 extra_days_off=(CutiBersama(DAY_OFF, "Hari jadi kabupaten"),))

        ctx.sync()
        assert ctx.rules() == expected
        assert not ctx.calendar().is_working_day(DAY_OFF)
        assert not _calendar(ctx).is_working_day(DAY_OFF)  # lapor-desk list / show
        assert ctx.status().complaints == complaints
    finally:
        ctx.close()

    # Offline: a fresh context on the same profile, no server involved.
    offline = DeskContext.for_home(tmp_path / "profile", secrets=secrets,
                                   transport_options=FAST)
    try:
        assert offline.rules() == expected
        assert not offline.calendar().is_working_day(DAY_OFF)
    finally:
        offline.close()
