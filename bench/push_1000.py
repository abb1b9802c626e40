"""Two weeks offline, then one sync: 1,000 commands pushed to lapor_hub (issue 4).

    python bench/push_1000.py [--complaints 2000] [--commands 1000] [--json] [--subprocess]

A desk client (``DeskContext``, officer of dpupr-kab-semarang) logs in and syncs, then saves
drafts and internal notes offline across many complaints (half each), then runs one
``sync()`` (push first, then pull). Reported: seconds of the sync, commands/s, HTTP round
trips and bytes both ways (counted at ``requests``), and, with the in-process server (the
default), SQL statements the server ran per command. The server database is a copy of the
cached seed (bench/out/), so every run starts from the same state. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import requests  # noqa: E402
from first_sync import _Server, copy_sqlite, seeded_db  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DeskContext  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402

AGENCY = "dpupr-kab-semarang"
OPEN = ("didisposisikan", "diproses", "ditindaklanjuti", "ditanggapi")
NOTE = ("Catatan internal: lokasi sudah dicek oleh tim lapangan pada {i} Januari; "
        "menunggu anggaran pemeliharaan.")
DRAFT = ("Yth. Pelapor, terima kasih atas laporannya. Tim Bidang Bina Marga DPUPR telah "
         "memeriksa lokasi (draf {i}); penambalan dijadwalkan minggu depan. Foto terlampir.")


class _Wire:
    """Counts HTTP round trips and bytes at ``requests.Session.send``."""

    def __init__(self) -> None:
        self.trips = 0
        self.sent = 0
        self.received = 0
        self._orig = requests.Session.send

    def __enter__(self) -> _Wire:
        wire = self
        orig = self._orig

        def send(session: requests.Session, request: requests.PreparedRequest,
                 **kw: Any) -> requests.Response:
            wire.trips += 1
            body = request.body
            wire.sent += len(body) if isinstance(body, (bytes, str)) else 0
            resp = orig(session, request, **kw)
            wire.received += int(resp.headers.get("Content-Length") or 0)
            return resp

        requests.Session.send = send  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_exc: object) -> None:
        requests.Session.send = self._orig  # type: ignore[method-assign]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--complaints", type=int, default=2000)
    ap.add_argument("--commands", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--subprocess", action="store_true",
                    help="run lapor-hub serve as a process (no SQL statement count)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    cached, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-push-bench-"))
    try:
        db_path = work / "hub.db"
        copy_sqlite(Path(cached.removeprefix("sqlite:///")), db_path)
        db_url = f"sqlite:///{db_path}"
        with sqlite3.connect(db_path) as c:
            rows = c.execute(
                f"SELECT tracking_id FROM complaints WHERE agency_id = ? AND status IN "
                f"({','.join('?' * len(OPEN))}) ORDER BY tracking_id", (AGENCY, *OPEN)
            ).fetchall()
        c.close()
        refs = [str(r[0]) for r in rows]
        if not refs:
            raise SystemExit("no open complaints in the seed")

        statements = [0]
        hub_path = str(db_path)

        def count(conn: Any, *_a: Any) -> None:
            if conn.engine.url.database == hub_path:
                statements[0] += 1

        server = _Server(db_url, args.subprocess, work / "hub.log")
        url = server.start()
        ctx = DeskContext.for_home(work / "desk", secrets=MemorySecrets())
        try:
            ctx.login(url, "officer", DEMO_PASSWORD)
            ctx.sync()
            outbox = ctx.outbox()
            started = time.perf_counter()
            for i in range(args.commands):
                ref = refs[i % len(refs)]
                if i % 2:
                    outbox.add_note(ref, NOTE.format(i=i))
                else:
                    outbox.save_draft(ref, DRAFT.format(i=i))
            offline_s = time.perf_counter() - started
            if not args.subprocess:
                event.listen(Engine, "before_cursor_execute", count)
            with _Wire() as wire:
                started = time.perf_counter()
                report = ctx.sync()
                seconds = time.perf_counter() - started
            if not args.subprocess:
                event.remove(Engine, "before_cursor_execute", count)
        finally:
            ctx.close()
            server.stop()
        out: dict[str, Any] = {
            "commands": args.commands, "complaints_touched": min(len(refs), args.commands),
            "offline_save_seconds": round(offline_s, 3),
            "sync_seconds": round(seconds, 3),
            "commands_per_second": round(report.pushed / seconds, 1) if seconds else None,
            "pushed": report.pushed, "applied": report.applied,
            "rejected": report.commands_rejected, "conflicts": report.conflicts,
            "round_trips": wire.trips, "bytes_sent": wire.sent,
            "bytes_received": wire.received, "pull_pages": report.pages,
            "pull_bytes": report.bytes,
        }
        if not args.subprocess:
            out["server_sql_statements"] = statements[0]
            out["sql_statements_per_command"] = round(statements[0] / max(1, report.pushed), 1)
        if args.json:
            print(json.dumps(out))
        else:
            for k, v in out.items():
                print(f"{k:28} {v}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
