"""Failing examples the sync state machine found, kept as explicit step sequences.

Each test drives ``SyncMachine`` (tests/integration/test_state_machine.py) through the shrunk
steps and then the final heal with all invariant checks. A product bug stays here as
``xfail(strict=True)`` until it is fixed (then the marker must go).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from test_state_machine import SyncMachine, Template, drop_template, get_template


@pytest.fixture(scope="module")
def template() -> Iterator[Template]:
    yield get_template()
    drop_template()


class RestoreMachine(SyncMachine):
    RESTORE = True


def run_steps(steps: Callable[[SyncMachine], None], machine: type[SyncMachine] = SyncMachine,
              ) -> None:
    """The steps, the per-step invariants after each, then teardown (heal + final checks)."""
    m = machine()
    try:
        steps(m)
    except BaseException:
        m._stop_hub()  # no heal after a failed step; teardown only cleans up
        raise
    finally:
        m.teardown()


def check_all(m: SyncMachine) -> None:
    m.outbox_never_forgets()
    m.drafts_durable()
    m.server_safety()


def test_restore_loses_a_command_the_client_saw_applied(template: Template) -> None:
    def steps(m: SyncMachine) -> None:
        m.take_backup()
        m.save_draft("officer", 0, False, "stay")
        check_all(m)
        m.sync("officer")  # response.save applied on the server, logged
        check_all(m)
        m.restore_backup()  # the server forgets it; new epoch
        check_all(m)

    run_steps(steps, RestoreMachine)


def test_restore_then_new_command_replays_the_lost_ones(template: Template) -> None:
    """With something pending after the restore, the push learns next_seq and replays from
    there: nothing is lost (the path that works)."""
    def steps(m: SyncMachine) -> None:
        m.take_backup()
        m.save_draft("officer", 0, False, "stay")
        m.sync("officer")
        m.restore_backup()
        m.note("officer", 1)  # pending: the next push hears next_seq = 1 and replays
        check_all(m)

    run_steps(steps, RestoreMachine)


@pytest.mark.parametrize(("k_operator", "k_officer", "outcome"),
                         [(1, 2, "merged"), (1, 5, "conflict")], ids=["merge", "conflict"])
def test_two_editors_of_one_answer(template: Template, k_operator: int, k_officer: int,
                                   outcome: str) -> None:
    """The operator edits the officer's answer while the officer edits it offline: different
    paragraphs merge, the same paragraph conflicts (both texts kept); all invariants hold."""
    def steps(m: SyncMachine) -> None:
        m.save_draft("officer", 2, False, "stay")
        m.sync("officer")
        m.sync("operator")
        m.save_draft("operator", k_operator, True, "stay")
        m.save_draft("officer", k_officer, True, "stay")
        m.sync("operator")
        m.sync("officer")
        check_all(m)
        kinds = [(a.user, a.terminal) for a in m.model.acked.values()]
        assert kinds == [("officer", "applied"), ("operator", "applied"), ("officer", outcome)]

    run_steps(steps)


def test_restore_then_the_replayed_answer_is_rejected_and_the_client_says_so(
        template: Template) -> None:
    """Found by ``bench/state_machine_long.py --seed 44 --restore nudge``: an answer applied
    before the restore is replayed after it, but the complaint was closed on the restored
    server meanwhile. The server's new word (rejected: closed) must replace the client's old
    "applied" (invariant 1), and the draft moves to orphaned drafts with nothing lost."""
    from test_state_machine import AGENCY, OPEN_FOR_ANSWER

    def steps(m: SyncMachine) -> None:
        m.take_backup()
        m.save_draft("officer", 0, False, "stay")
        m.sync("officer")  # applied on the server
        (draft,) = m.ctx["officer"].outbox().drafts()
        m.restore_backup()  # the server forgets the answer
        rows = m._server_complaints(AGENCY, ("baru", "diverifikasi", *OPEN_FOR_ANSWER,
                                             "ditunda"))
        m.admin("close", [r[0] for r in rows].index(draft.complaint_id))
        m.note("officer", 1)  # something pending, so the push hears the server's position
        m.sync("officer")  # the replay: rejected now, as the complaint is closed
        check_all(m)
        outbox = m.ctx["officer"].outbox()
        saves = [e for e in outbox.entries() if e.complaint_id == draft.complaint_id
                 and e.kind == "response.save"]
        assert [e.state for e in saves] == ["rejected"]
        assert outbox.draft(draft.id).state == "orphaned"
        assert outbox.draft(draft.id).body == draft.body

    run_steps(steps, RestoreMachine)


def test_a_colleagues_later_version_is_published_and_the_author_sees_that_text(
        template: Template) -> None:
    """Found by ``bench/state_machine_long.py --seed 44 --restore nudge``: the operator's
    submitted answer is edited by the officer and approved in that later version; the
    operator, who never saw it, must show the draft approved with the text that was published
    (the follow-up's), not their own older text."""
    def steps(m: SyncMachine) -> None:
        m.save_draft("operator", 0, False, "submit+sync")
        (draft,) = m.ctx["operator"].outbox().drafts()
        m.sync("officer")
        m.save_draft("officer", 1, True, "submit+sync")  # the officer's version 2
        m.sync("supervisor")
        shown = sorted(m.local("supervisor", "SELECT id FROM responses WHERE state = 'submitted'"),
                       key=lambda r: m._rank(r[0]))
        k = [r[0] for r in shown].index(draft.id)
        m.review(k, True, "none")  # the officer's version 2 approved and published
        m.sync("supervisor")
        check_all(m)
        published = m.q("SELECT state, body FROM responses WHERE id = ?", draft.id)
        assert published[0][0] == "published" and published[0][1] != draft.body
        m.sync("operator")
        mine = m.ctx["operator"].outbox().draft(draft.id)
        assert (mine.state, mine.body) == ("approved", published[0][1])

    run_steps(steps)


def test_an_edit_refused_after_the_publication_stays_in_the_draft(template: Template) -> None:
    """Found by the long run once the crash-at-statement rule existed: the officer edits a
    submitted answer offline while the supervisor approves the submitted version. The edit is
    refused (published already); the draft shows approved but keeps the officer's newer text,
    never silently replaced by the published one (invariant 6; the loser stays visible)."""
    def steps(m: SyncMachine) -> None:
        m.save_draft("officer", 0, False, "submit+sync")
        (draft,) = m.ctx["officer"].outbox().drafts()
        m.save_draft("officer", 1, True, "stay")  # a newer text, not sent yet
        edited = m.ctx["officer"].outbox().draft(draft.id).body
        m.sync("supervisor")
        shown = sorted(m.local("supervisor", "SELECT id FROM responses WHERE state = 'submitted'"),
                       key=lambda r: m._rank(r[0]))
        m.review([r[0] for r in shown].index(draft.id), True, "none")
        m.sync("supervisor")  # the submitted version is published
        m.sync("officer")  # the edit is refused
        check_all(m)
        mine = m.ctx["officer"].outbox().draft(draft.id)
        assert edited != draft.body and mine.body == edited
        saves = [e for e in m.ctx["officer"].outbox().entries()
                 if e.response_id == draft.id and e.kind == "response.save"]
        assert saves[-1].state in ("rejected", "conflict")

    run_steps(steps)


def test_a_parked_refusal_of_an_edit_after_the_publication_keeps_the_text(
        template: Template) -> None:
    """Found by bench/soak.py: as above, then the officer sets the refusal aside (park) from
    the needs-attention list. The next sync must not replace the draft's text with the
    published one (invariant 6), nor after the refusal is resumed (unpark)."""
    def steps(m: SyncMachine) -> None:
        m.save_draft("officer", 0, False, "submit+sync")
        (draft,) = m.ctx["officer"].outbox().drafts()
        m.save_draft("officer", 1, True, "stay")
        edited = m.ctx["officer"].outbox().draft(draft.id).body
        m.sync("supervisor")
        shown = sorted(m.local("supervisor", "SELECT id FROM responses WHERE state = 'submitted'"),
                       key=lambda r: m._rank(r[0]))
        m.review([r[0] for r in shown].index(draft.id), True, "none")
        m.sync("supervisor")
        m.sync("officer")  # the edit is refused
        outbox = m.ctx["officer"].outbox()
        refused = [e for e in outbox.entries()
                   if e.response_id == draft.id and e.state in ("rejected", "conflict")]
        assert refused
        outbox.park(refused[-1].op_id)
        m.sync("officer")
        assert outbox.draft(draft.id).body == edited
        check_all(m)
        outbox.unpark(refused[-1].op_id)
        m.sync("officer")
        assert outbox.draft(draft.id).body == edited
        outbox.park(refused[-1].op_id)
        check_all(m)

    run_steps(steps)


def test_take_theirs_after_the_answer_was_published_takes_the_published_text(
        template: Template) -> None:
    """Found by bench/soak.py: a conflict on an answer that was then published. "Take theirs"
    used to fail (the server's version is no longer a response but the follow-up); it now
    takes the published text and the conflict leaves the needs-attention list."""
    def steps(m: SyncMachine) -> None:
        m.save_draft("officer", 2, False, "stay")
        m.sync("officer")
        m.sync("operator")
        m.save_draft("operator", 1, True, "submit+sync")  # the operator's version, submitted
        m.save_draft("officer", 5, True, "stay")  # the same paragraph, offline
        m.sync("officer")  # conflict: both texts kept
        (draft,) = m.ctx["officer"].outbox().drafts()
        m.sync("supervisor")
        shown = sorted(m.local("supervisor", "SELECT id FROM responses WHERE state = 'submitted'"),
                       key=lambda r: m._rank(r[0]))
        m.review([r[0] for r in shown].index(draft.id), True, "none")
        m.sync("supervisor")  # the operator's version is published
        m.sync("officer")
        outbox = m.ctx["officer"].outbox()
        assert any(i.kind == "conflict" for i in outbox.attention())
        published = m.q("SELECT body FROM responses WHERE id = ?", draft.id)[0][0]
        got = outbox.take_theirs(draft.id)
        m.model.drafts["officer"][draft.id] = got.body  # the person chose it
        assert (got.state, got.body) == ("approved", published)
        assert not [i for i in outbox.attention() if i.kind == "conflict"]
        check_all(m)

    run_steps(steps)
