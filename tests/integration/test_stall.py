"""The stalled-sync watchdog against a real lapor-hub behind a black-holed link.

The fault proxy accepts every connection and never answers (``blackhole``), so the transport
alone would wait for its read timeout and deadline, with retries. The watchdog must stop the
sync once nothing moved for ``sync_stall_seconds``: the sync ends with the plain-language
"stalled" error recorded in the sync state, the unsent work is kept, and after the link comes
back the next sync sends it and completes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Hub, start_hub, stop_hub
from faultproxy import FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import SyncStalledError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import MemorySecrets
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
# The transport would give up only after 2 attempts of a 20 s read timeout / deadline: far
# longer than the watchdog's second, so only the watchdog can end the sync first.
SLOW = {"attempts": 2, "backoff_base": 0.01, "connect_timeout": 5.0, "read_timeout": 20.0,
        "deadline": 20.0}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("stall-hub")
    db = f"sqlite:///{tmp / 'hub.db'}"
    seed(db, complaints=60, seed=3)
    h = start_hub(db, tmp / "hub.log")
    yield h
    stop_hub(h)


@pytest.fixture
def proxy(hub: Hub) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", int(hub.url.rsplit(":", 1)[1])) as px:
        yield px


@pytest.fixture
def ctx(tmp_path: Path, proxy: FaultProxy) -> Iterator[DeskContext]:
    c = DeskContext.for_home(tmp_path / "profile", secrets=MemorySecrets(),
                             transport_options=SLOW)
    c.settings.sync_stall_seconds = 1.0
    c.login(proxy.url, "officer", PASSWORD)
    yield c
    c.close()


def test_black_hole_ends_as_stalled_and_the_next_sync_succeeds(ctx: DeskContext,
                                                               proxy: FaultProxy) -> None:
    first = ctx.sync()
    assert first.received > 0
    store = ctx.open_store()
    target = next(r for r in store.rows(store.ids(ComplaintQuery()))
                  if r.status not in ("selesai", "ditutup"))
    draft = ctx.outbox().save_draft(target.id, "Sudah kami periksa di lokasi pada 2 Mei.")
    assert ctx.status().pending == 1

    proxy.blackhole = True
    with pytest.raises(SyncStalledError) as info:
        ctx.sync()
    assert info.value.code == "stalled"
    assert "macet" in info.value.message("id") and "stalled" in info.value.message("en")
    state = store.sync_state()
    assert state.last_error == "stalled"
    # Nothing lost: the draft and its command are still there, not yet acknowledged.
    assert ctx.outbox().draft(draft.id).body.startswith("Sudah kami periksa")
    assert ctx.status().pending == 1

    proxy.heal()
    again = ctx.sync()
    assert not again.cancelled and again.pushed == 1 and again.applied == 1
    assert ctx.status().pending == 0
    state = store.sync_state()
    assert state.last_error is None and state.last_sync_at is not None


def test_a_user_cancel_is_still_a_cancel_not_a_stall(ctx: DeskContext,
                                                     proxy: FaultProxy) -> None:
    ctx.sync()
    proxy.blackhole = True
    cancel = threading.Event()
    cancel.set()
    report = ctx.sync(cancel=cancel)
    assert report.cancelled
    assert ctx.open_store().sync_state().last_error is None
