"""kill -9 while drafts are being saved: every acknowledged save is there with its command, and
the outbox seq stays gap-free (invariant 6, local durability)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from test_outbox import KEY, make_doc, make_page

from lapor_desk.models.outbox import Outbox
from lapor_desk.models.store import Store

WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from test_outbox import KEY
    from lapor_desk.models.outbox import Outbox
    from lapor_desk.models.store import Store

    store = Store.open(Path(sys.argv[1]), KEY)
    outbox = Outbox(store)
    trial = sys.argv[2]
    draft = None
    for i in range(100_000):
        if i % 3 == 0:
            draft = outbox.save_draft("9100001", f"{{trial}} teks {{i}}")
        elif i % 3 == 1:
            outbox.save_draft("9100001", f"{{trial}} teks {{i}}", draft_id=draft.id)
            outbox.next_batch(1000)  # on its way: the next edit appends
        else:
            outbox.add_note("9100002", f"{{trial}} catatan {{i}}")
        print(i, draft.id, flush=True)  # acknowledged: the UI would say "saved"
""")


def test_kill_during_draft_saves_loses_no_acknowledged_save(tmp_path: Path) -> None:
    rnd = random.Random(11)
    path = tmp_path / "replica.db"
    store = Store.open(path, KEY)
    store.apply_page(make_page([make_doc(1), make_doc(2)]))
    store.close()
    for trial in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"t{trial}"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        acked: list[tuple[int, str]] = []
        for _ in range(rnd.randint(3, 30)):
            line = proc.stdout.readline().split()
            acked.append((int(line[0]), line[1]))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

        store = Store.open(path, KEY)
        try:
            with store.read() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
                seqs = [r[0] for r in conn.exec_driver_sql("SELECT seq FROM outbox ORDER BY seq")]
                payloads = [json.loads(r[0]) for r in conn.exec_driver_sql(
                    "SELECT payload FROM outbox ORDER BY seq")]
            assert seqs == list(range(1, len(seqs) + 1))  # gap-free across kills
            outbox = Outbox(store)
            bodies = {d.id: d.body for d in outbox.drafts()}
            texts = {str(p.get("body")) for p in payloads}
            last_i, last_draft = acked[-1]
            for i, draft_id in acked:
                uuid.UUID(draft_id)
                assert draft_id in bodies
                expected = f"t{trial} " + ("catatan" if i % 3 == 2 else "teks") + f" {i}"
                # A new draft's unsent save is replaced in place by the edit after it (if that
                # edit committed, acknowledged or not).
                edited = f"t{trial} teks {i + 1}" if i % 3 == 0 else None
                assert expected in texts or edited in texts, f"acknowledged save {i} lost"
            if last_i % 3 != 2:
                assert bodies[last_draft] in (f"t{trial} teks {last_i}",
                                              f"t{trial} teks {last_i + 1}")
        finally:
            store.close()
