"""Push: send the outbox to ``POST /sync/push`` in seq order, in batches, and record outcomes.

* Commands go in seq order, ``batch_size`` per request. Before a batch is sent its commands are
  marked ``sending`` (so a later edit appends a new command instead of changing one on its
  way); the outcomes of the response are recorded in ONE transaction.
* A lost response loses nothing: the commands stay open and are sent again; the server returns
  the stored outcomes (dedupe by op_id). Outcomes also arrive on the pull stream.
* ``retry`` outcomes leave commands pending for the next sync. If the server expects an earlier
  seq than the first one sent (it was restored from a backup), the outbox is resent from there.
* A server without ``/sync/push`` (404) is skipped quietly: the commands stay pending.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lapor_desk.errors import NotFoundError
from lapor_desk.sync import protocol as p
from lapor_desk.sync.validate import parse_push_response

if TYPE_CHECKING:
    from lapor_desk.models.outbox import Outbox, RecordCounts
    from lapor_desk.sync.auth import AuthSession
    from lapor_desk.sync.transport import Transport

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_BATCH", "PushResult", "Pusher"]

DEFAULT_BATCH = 200
_MAX_REPLAYS = 3  # resend-from-next_seq rounds per sync (a confused server cannot loop us)


@dataclass(slots=True)
class PushResult:
    pushed: int = 0  # commands sent (a resend counts again)
    applied: int = 0  # applied or merged
    conflicts: int = 0
    rejected: int = 0
    retry: int = 0
    requests: int = 0
    unsupported: bool = False  # the server has no /sync/push yet


class Pusher:
    def __init__(self, outbox: Outbox, transport: Transport, auth: AuthSession,
                 device_id: str, *, batch_size: int = DEFAULT_BATCH) -> None:
        self.outbox = outbox
        self.transport = transport
        self.auth = auth
        self.device_id = device_id
        self.batch_size = max(1, batch_size)

    def push(self, cancel: threading.Event | None = None, *,
             replay_from: int | None = None) -> PushResult:
        """Send pending commands in seq order; ``replay_from`` resends everything from that seq
        (after the server was restored from a backup: it applies what it lost and answers the
        stored outcome for what it still knows, deduping by op_id)."""
        result = PushResult()
        replays = 0
        from_seq: int | None = replay_from
        while cancel is None or not cancel.is_set():
            replaying = from_seq is not None  # resent because the server lost them
            batch = self.outbox.next_batch(self.batch_size, from_seq=from_seq)
            if not batch:
                break
            body: p.PushRequest = {"device_id": self.device_id, "commands": batch}

            def post(token: str, body: p.PushRequest = body) -> object:
                return self.transport.post_json("/sync/push", body, token=token)

            try:
                raw = self.auth.call(post)
            except NotFoundError:
                log.info("the server has no /sync/push yet; %d command(s) stay pending",
                         len(batch))
                result.unsupported = True
                break
            response = parse_push_response(raw)
            result.requests += 1
            result.pushed += len(batch)
            counts: RecordCounts = self.outbox.record_outcomes(response["outcomes"],
                                                               replay=replaying)
            result.applied += counts.applied
            result.conflicts += counts.conflicts
            result.rejected += counts.rejected
            result.retry += counts.retry
            first, last = batch[0]["seq"], batch[-1]["seq"]
            next_seq = response["next_seq"]
            if from_seq is not None:
                from_seq = last + 1  # go on replaying in order
            if next_seq < first:
                # The server does not know commands before this batch (restored from a
                # backup): resend from its position; it dedupes by op_id.
                replays += 1
                if replays > _MAX_REPLAYS:
                    log.warning("push: the server keeps asking for seq %d; stopping", next_seq)
                    break
                log.warning("push: the server expects seq %d (sent %d-%d); resending",
                            next_seq, first, last)
                from_seq = max(1, next_seq)
                continue
            if next_seq <= last:
                # Not everything in this batch was taken (retry: busy, or a gap): try again
                # on the next sync rather than spinning now.
                break
            if from_seq is None and counts.applied + counts.conflicts + counts.rejected == 0:
                # No command of the batch reached an outcome we could record (say, outcomes we
                # had to drop): the next batch would be the same one. Stop; the next sync retries.
                log.warning("push: no outcome recorded for %d command(s); retrying next sync",
                            len(batch))
                break
        log.info("push: %d sent, %d applied, %d conflicts, %d rejected, %d retry in %d request(s)",
                 result.pushed, result.applied, result.conflicts, result.rejected, result.retry,
                 result.requests)
        return result
