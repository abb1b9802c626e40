"""Crash injection swept over every SQL statement of the edit, page-apply and outcome paths.

A child process opens the real SQLCipher replica, counts the statements SQLAlchemy sends and
dies with ``os._exit`` just before statement k, for k = 1, 2, … until the operation finishes
without reaching k. After each death the file is reopened and checked: integrity ok, and the
operation happened entirely or not at all (an edit and its outbox command, a page and its
cursor, a batch of outcomes), with the outbox seq gap-free. Random ``kill -9`` tests
(test_store_crash.py, test_outbox_crash.py, integration/test_crash.py) cover timing; this
covers every statement boundary deterministically.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from test_outbox import KEY, make_doc, make_page

from lapor_desk.models.outbox import Outbox
from lapor_desk.models.store import Store
from lapor_desk.sync import protocol as p

DONE = 0
CRASHED = 77
MAX_STATEMENTS = 400  # a sweep that never ends is a failure, not a hang

CHILD = textwrap.dedent(f"""
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from sqlalchemy import event
    from test_outbox import KEY, make_doc, make_page
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.store import Store
    from lapor_desk.sync import protocol as p

    path, op, k = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store.open(path, KEY)
    outbox = Outbox(store)
    seen = 0

    def before(*_args):
        global seen
        seen += 1
        if seen == k:
            os._exit({CRASHED})  # no cleanup, no rollback: as a power cut

    event.listen(store.engine, "before_cursor_execute", before)
    if op == "edit_new":
        outbox.save_draft("9100001", "Teks baru setelah kunjungan lapangan.")
    elif op == "edit_sending":
        draft = outbox.drafts()[0]
        outbox.save_draft(draft.complaint_id, "Teks kedua.", draft_id=draft.id)
    elif op == "page":
        store.apply_page(make_page([make_doc(n, version=4) for n in (1, 3, 4)],
                                   cursor="c2", removed=[make_doc(2)["id"]]))
    elif op == "outcomes":
        entries = outbox.entries()
        outbox.record_outcomes([{{"op_id": e.op_id, "seq": e.seq, "status": "applied",
                                  "reason": None, "message": "ok", "complaint_version": 5,
                                  "response_version": 1}} for e in entries])
    os._exit({DONE})
""")


def prepare(path: Path) -> None:
    """Two complaints synced at cursor c1; one draft whose save command is on its way."""
    store = Store.open(path, KEY)
    try:
        store.apply_page(make_page([make_doc(1), make_doc(2)], cursor="c1"))
        outbox = Outbox(store)
        outbox.save_draft("9100002", "Jawaban pertama.")
        outbox.add_note("9100001", "Catatan internal.")
        outbox.next_batch(100)  # marked sending: the next edit appends a command
    finally:
        store.close()


def snapshot(path: Path) -> dict[str, object]:
    store = Store.open(path, KEY)
    try:
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            seqs = [r[0] for r in conn.exec_driver_sql("SELECT seq FROM outbox ORDER BY seq")]
            assert seqs == list(range(1, len(seqs) + 1)), "outbox seq has a gap"
            return {
                "cursor": store.sync_state().cursor,
                "complaints": sorted((r[0], r[1]) for r in conn.exec_driver_sql(
                    "SELECT tracking_id, version FROM complaints")),
                "fts": conn.exec_driver_sql(
                    "SELECT count(*) FROM complaints_fts").scalar_one(),
                "outbox": [(r[0], r[1], r[2], json.loads(r[3]).get("body")) for r in
                           conn.exec_driver_sql("SELECT seq, kind, state, payload FROM outbox"
                                                " ORDER BY seq")],
                "drafts": sorted((r[0], r[1]) for r in conn.exec_driver_sql(
                    "SELECT body, state FROM drafts")),
            }
    finally:
        store.close()


def sweep(tmp_path: Path, op: str, check: Callable[[dict[str, object], dict[str, object],
                                                    dict[str, object]], None]) -> int:
    """Run ``op`` dying before statement k for every k; ``check(before, after_crash, done)``."""
    base = tmp_path / "base.db"
    prepare(base)
    before = snapshot(base)
    full = tmp_path / "full.db"
    shutil.copy(base, full)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(full), op, "0"], timeout=60)
    assert proc.returncode == DONE
    done = snapshot(full)
    assert done != before, "the operation changed nothing: the sweep would prove nothing"
    k = 1
    while True:
        assert k < MAX_STATEMENTS
        work = tmp_path / f"k{k}.db"
        shutil.copy(base, work)
        proc = subprocess.run([sys.executable, "-c", CHILD, str(work), op, str(k)], timeout=60)
        after = snapshot(work)
        assert after in (before, done), f"{op}: a crash before statement {k} left a half state"
        check(before, after, done)
        work.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        if proc.returncode == DONE:
            return k  # statement k was never reached: every boundary was tried
        assert proc.returncode == CRASHED, proc.returncode
        k += 1


@pytest.mark.parametrize("op", ["edit_new", "edit_sending"])
def test_a_crash_at_any_statement_of_an_edit_keeps_draft_and_command_together(
        tmp_path: Path, op: str) -> None:
    def check(before: dict[str, object], after: dict[str, object],
              done: dict[str, object]) -> None:
        # The draft's text and its outbox command are one: both new or both old.
        new_text = "Teks baru setelah kunjungan lapangan." if op == "edit_new" else "Teks kedua."
        in_drafts = any(body == new_text for body, _ in after["drafts"])  # type: ignore[attr-defined]
        in_outbox = any(body == new_text for *_, body in after["outbox"])  # type: ignore[attr-defined]
        assert in_drafts == in_outbox

    n = sweep(tmp_path, op, check)
    assert n > 3  # BEGIN, reads, the draft, the command: several boundaries were really tried


def test_a_crash_at_any_statement_of_a_page_keeps_page_and_cursor_together(
        tmp_path: Path) -> None:
    def check(before: dict[str, object], after: dict[str, object],
              done: dict[str, object]) -> None:
        assert (after["cursor"] == "c2") == (after["complaints"] == done["complaints"])
        assert after["fts"] == len(after["complaints"])  # type: ignore[arg-type]

    assert sweep(tmp_path, "page", check) > 5


def test_a_crash_at_any_statement_of_recording_outcomes_is_all_or_nothing(
        tmp_path: Path) -> None:
    def check(before: dict[str, object], after: dict[str, object],
              done: dict[str, object]) -> None:
        states = {state for _, _, state, _ in after["outbox"]}  # type: ignore[attr-defined]
        assert states <= {"sending", "pending"} or states == {p.OUTCOME_APPLIED}

    assert sweep(tmp_path, "outcomes", check) > 2
