"""kill -9 while pages are being applied: the replica holds whole pages only, cursor in step."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from test_store import KEY

from lapor_desk.models.store import Store

PER_PAGE = 20

WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from test_store import KEY, make_doc, make_page
    from lapor_desk.models.store import Store

    store = Store.open(Path(sys.argv[1]), KEY)
    cursor = store.sync_state().cursor  # resume after the last whole page, as the engine does
    start = 1 if cursor is None else int(cursor[1:]) + 1
    for p in range(start, 10_000):
        docs = [make_doc(p * 1000 + i, body="isi " * 200) for i in range({PER_PAGE})]
        store.apply_page(make_page(docs, cursor=f"c{{p}}"))
        print(p, flush=True)
""")


def test_kill_during_apply_keeps_whole_pages(tmp_path: Path) -> None:
    rnd = random.Random(7)
    path = tmp_path / "replica.db"
    for _trial in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        # Let it commit a random number of pages, then kill it mid-way through the next ones.
        for _ in range(rnd.randint(1, 4)):
            assert proc.stdout.readline()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

        store = Store.open(path, KEY)
        try:
            with store.read() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
                n = int(conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one())
                fts = int(conn.exec_driver_sql(
                    "SELECT count(*) FROM complaints_fts").scalar_one())
                cursor = conn.exec_driver_sql("SELECT cursor FROM sync_state").scalar_one()
            pages = int(cursor[1:])
            assert pages >= 1
            assert n == fts == pages * PER_PAGE  # only whole pages; the index in step
        finally:
            store.close()
