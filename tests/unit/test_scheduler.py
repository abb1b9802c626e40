"""The sync trigger policy (lapor_desk.sync.scheduler) driven by a fake clock."""

from __future__ import annotations

import random

import pytest

from lapor_desk.sync.scheduler import SyncScheduler


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make(clock: Clock, **kw: float) -> SyncScheduler:
    options = {"interval_s": 600.0, "edit_delay_s": 5.0, "backoff_base_s": 10.0,
               "backoff_cap_s": 80.0, **kw}
    return SyncScheduler(clock=clock, rng=random.Random(1), **options)


def run(s: SyncScheduler, ok: bool = True, **kw: bool) -> None:
    s.sync_started()
    s.sync_finished(ok, **kw)


def test_start_syncs_at_once_then_the_timer_after_the_interval(clock: Clock) -> None:
    s = make(clock)
    assert s.take() is None  # nothing asked yet; the timer is 600 s away
    assert s.seconds_until_due() == 600
    s.app_started()
    assert s.take() == "start"
    run(s)
    assert s.take() is None
    clock.advance(599)
    assert s.take() is None
    clock.advance(1)
    assert s.take() == "timer"


def test_edits_are_debounced_from_the_last_one(clock: Clock) -> None:
    s = make(clock)
    s.local_edit()
    clock.advance(4)
    s.local_edit()  # typing goes on: the delay starts again
    clock.advance(4)
    assert s.take() is None
    assert s.seconds_until_due() == pytest.approx(1)
    clock.advance(1)
    assert s.take() == "edit"


def test_never_two_syncs_at_once_and_triggers_meanwhile_are_kept(clock: Clock) -> None:
    s = make(clock)
    s.app_started()
    assert s.take() == "start"
    s.sync_started()
    s.demand()
    s.local_edit()
    clock.advance(30)
    assert s.take() is None and s.next_due() is None  # one is running
    s.sync_finished(True)
    assert s.take() == "demand"  # asked while running: runs right after
    run(s)
    assert s.take() is None


def test_failures_back_off_exponentially_with_jitter_and_retry(clock: Clock) -> None:
    s = make(clock)
    waits = []
    for _ in range(6):
        s.demand()
        assert s.take() == "demand"
        run(s, ok=False)
        s.local_edit()  # an automatic trigger must wait for the backoff too
        wait = s.seconds_until_due()
        assert wait is not None
        waits.append(wait)
        assert s.next_due() is not None
        clock.advance(wait - 0.01)
        assert s.take() is None
        clock.advance(0.01)
        assert s.take() in ("retry", "edit")
    ceilings = [10, 20, 40, 80, 80, 80]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    # A success clears the backoff: an edit syncs 5 s later again.
    run(s)
    s.local_edit()
    assert s.seconds_until_due() == pytest.approx(5)


def test_a_failure_without_retry_waits_for_the_next_trigger(clock: Clock) -> None:
    s = make(clock)
    s.app_started()
    run(s, ok=False, retry=False)  # say, an expired login
    clock.advance(100)
    assert s.take() is None
    s.local_edit()
    clock.advance(5)
    assert s.take() == "edit"


def test_offline_holds_automatic_syncs_and_online_triggers_one(clock: Clock) -> None:
    s = make(clock)
    run(s, ok=False)
    s.connectivity_changed(False)
    s.local_edit()
    clock.advance(10_000)
    assert s.take() is None and s.next_due() is None
    s.connectivity_changed(True)  # offline -> online: now, despite the backoff
    assert s.take() is not None  # the held edit goes now
    run(s)
    s.connectivity_changed(True)  # online -> online is no event
    assert s.take() is None
    s.connectivity_changed(False)
    s.connectivity_changed(True)
    assert s.take() == "online"


def test_first_connectivity_report_is_not_a_transition(clock: Clock) -> None:
    s = make(clock)
    s.connectivity_changed(True)
    assert s.take() is None


def test_demand_bypasses_backoff_and_offline(clock: Clock) -> None:
    s = make(clock)
    run(s, ok=False)
    s.connectivity_changed(False)
    s.demand()
    assert s.take() == "demand"
    run(s)  # it worked after all: the backend was wrong
    assert s.online is True and s.failures == 0


def test_pause_holds_everything_until_resumed(clock: Clock) -> None:
    s = make(clock)
    s.app_started()
    s.pause()
    s.demand()
    assert s.take() is None and s.next_due() is None
    s.resume()
    assert s.take() == "demand"


def test_shorter_interval_applies_at_once(clock: Clock) -> None:
    s = make(clock)
    run(s)
    s.set_interval(60)
    clock.advance(60)
    assert s.take() == "timer"
