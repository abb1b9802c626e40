"""When to sync: one policy for every trigger, free of Qt and of real time.

Triggers (sync-design.md): at start, after local edits (debounced: ``edit_delay_s`` after the
last edit), on the timer (``interval_s`` after the last sync ended), when connectivity comes
back (offline -> online) and on demand. The UI feeds events in (``lapor_desk.ui.sync_triggers``
is the thin Qt adapter: a QTimer armed for ``next_due()``, QNetworkInformation for
connectivity) and starts a sync when ``take()`` names a reason.

Rules:
* Never two syncs at once: nothing is due while one runs; triggers that arrive meanwhile
  (an edit, a demand) are kept and fire after it ends.
* After a failure (offline, server error, a stalled sync) automatic triggers wait for an
  exponential backoff with jitter (``backoff_base_s`` doubling up to ``backoff_cap_s``), and a
  "retry" is due when it ends. A success clears the backoff. Failures that waiting cannot
  fix (an expired login) set no retry: the next trigger tries again.
* While a connectivity backend says offline, automatic triggers wait for it to say online
  (that transition is itself a trigger, and cuts the backoff short: the link is back).
  Without a backend (``online`` stays None) the sync results alone drive the backoff.
* On demand (the user asked) bypasses backoff and the offline state; pausing (the idle lock)
  holds everything until resumed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Due", "SyncScheduler"]

START = "start"
EDIT = "edit"
TIMER = "timer"
ONLINE = "online"
DEMAND = "demand"
RETRY = "retry"


@dataclass(frozen=True, slots=True)
class Due:
    at: float  # clock time at which the sync should start
    reason: str  # START | EDIT | TIMER | ONLINE | DEMAND | RETRY


class SyncScheduler:
    def __init__(self, *, interval_s: float, edit_delay_s: float = 5.0,
                 backoff_base_s: float = 15.0, backoff_cap_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None) -> None:
        self.interval_s = max(1.0, interval_s)
        self.edit_delay_s = max(0.0, edit_delay_s)
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._clock = clock
        self._rng = rng or random.Random()
        now = clock()
        self._timer_at = now + self.interval_s
        self._asap: str | None = None  # START, ONLINE or DEMAND, due at once
        self._edit_at: float | None = None
        self._retry_at: float | None = None
        self._backoff_until: float | None = None
        self.failures = 0
        self.running = False
        self.paused = False
        self.online: bool | None = None  # from a connectivity backend; None: unknown

    # ------------------------------------------------------------------ events

    def app_started(self) -> None:
        self._want(START)

    def local_edit(self) -> None:
        """A local change was queued: sync ``edit_delay_s`` after the last one."""
        self._edit_at = self._clock() + self.edit_delay_s

    def demand(self) -> None:
        self._asap = DEMAND  # the strongest reason: bypasses backoff and offline

    def connectivity_changed(self, online: bool) -> None:
        was = self.online
        self.online = online
        if online and was is False:
            self._backoff_until = None  # the link is back: waiting longer helps nobody
            self._want(ONLINE)

    def set_interval(self, seconds: float) -> None:
        self.interval_s = max(1.0, seconds)
        self._timer_at = min(self._timer_at, self._clock() + self.interval_s)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def sync_started(self) -> None:
        """A sync began (whoever started it): what was asked for so far goes with it."""
        self.running = True
        self._asap = None
        self._edit_at = None
        self._retry_at = None

    def sync_finished(self, ok: bool, *, retry: bool = True) -> None:
        """``ok``: the sync succeeded; ``retry=False``: a failure waiting cannot fix."""
        now = self._clock()
        self.running = False
        self._timer_at = now + self.interval_s
        if ok:
            if self.online is False:
                self.online = True  # a sync just worked: evidence beats the backend
            self.failures = 0
            self._backoff_until = self._retry_at = None
            return
        self.failures += 1
        self._backoff_until = now + self.backoff_s(self.failures)
        self._retry_at = self._backoff_until if retry else None

    # ------------------------------------------------------------------ decisions

    def backoff_s(self, failures: int) -> float:
        """Exponential backoff with jitter: in [ceiling/2, ceiling]."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** max(0, failures - 1))
        return float(ceiling * self._rng.uniform(0.5, 1.0))

    def next_due(self) -> Due | None:
        """When the next sync should start and why; None while one runs, when paused, or
        while offline with nothing asked on demand."""
        if self.running or self.paused:
            return None
        now = self._clock()
        if self._asap == DEMAND:
            return Due(now, DEMAND)
        if self.online is False:
            return None
        candidates = [Due(self._timer_at, TIMER)]
        if self._asap is not None:
            candidates.append(Due(now, self._asap))
        if self._edit_at is not None:
            candidates.append(Due(self._edit_at, EDIT))
        if self._retry_at is not None:
            candidates.append(Due(self._retry_at, RETRY))
        first = min(candidates, key=lambda d: d.at)
        if self._backoff_until is not None and first.at < self._backoff_until:
            return Due(self._backoff_until, first.reason)
        return first

    def take(self) -> str | None:
        """The reason to start a sync now, or None. The caller starts it and reports
        ``sync_started`` (which clears what it satisfies)."""
        due = self.next_due()
        if due is None or due.at > self._clock():
            return None
        return due.reason

    def seconds_until_due(self) -> float | None:
        due = self.next_due()
        return None if due is None else max(0.0, due.at - self._clock())

    def _want(self, reason: str) -> None:
        if self._asap != DEMAND:
            self._asap = reason
