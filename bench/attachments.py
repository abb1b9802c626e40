"""Attachment transfer over loopback: upload and download of one file (issue 4).

    python bench/attachments.py [--mib 10] [--db URL] [--embedded] [--json]

A fresh hub (50 seeded complaints; SQLite in a temp dir unless --db names an empty
PostgreSQL database) runs as a subprocess (or in-process with --embedded). The officer adds
a random file offline (read, hash, encrypted into the replica, command queued), then one
sync uploads it in 1 MiB chunks and sends the command; a second profile (operator) syncs and
downloads it with Range requests (each chunk stored encrypted, SHA-256 checked at the end),
then writes it out. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from first_sync import _Server  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DeskContext  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402
from lapor_hub.seed import seed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=float, default=10.0)
    ap.add_argument("--db", help="server database URL (default: SQLite in a temp dir)")
    ap.add_argument("--embedded", action="store_true", help="in-process server")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lapor-bench-att-"))
    server = None
    ctxs: list[DeskContext] = []
    try:
        db_url = args.db or f"sqlite:///{tmp / 'hub.db'}"
        seed(db_url, complaints=50, seed=3)
        server = _Server(db_url, not args.embedded, tmp / "hub.log")
        url = server.start()
        size = int(args.mib * 1024 * 1024)
        f = tmp / "bukti.bin"
        f.write_bytes(os.urandom(size))

        def profile(name: str, user: str) -> DeskContext:
            ctx = DeskContext.for_home(tmp / name, secrets=MemorySecrets())
            ctxs.append(ctx)
            ctx.login(url, user, DEMO_PASSWORD)
            ctx.sync()
            return ctx

        officer, operator = profile("a", "officer"), profile("b", "operator")
        with officer.open_store().read() as conn:
            tid = str(conn.exec_driver_sql(
                "SELECT tracking_id FROM complaints WHERE agency_id = ?"
                " AND is_confidential = 0 ORDER BY tracking_id LIMIT 1",
                (officer.settings.agency_id,)).scalar_one())
        t0 = time.perf_counter()
        officer.attach_file(tid, f)
        t1 = time.perf_counter()
        report = officer.sync()
        t2 = time.perf_counter()
        operator.sync()
        t3 = time.perf_counter()
        item = operator.download_attachment(tid, 1)
        t4 = time.perf_counter()
        out = operator.export_attachment(tid, 1)
        t5 = time.perf_counter()
        assert out.stat().st_size == size and item.state == "local"
        mib = size / (1024 * 1024)
        figures = {
            "mib": round(mib, 2),
            "server": "embedded" if args.embedded else "subprocess",
            "db": "postgresql" if db_url.startswith("postgresql") else "sqlite",
            "attach_offline_s": round(t1 - t0, 3),
            "upload_sync_s": round(t2 - t1, 3),
            "upload_mib_s": round(mib / (t2 - t1), 1),
            "uploaded_bytes": report.uploaded_bytes,
            "download_s": round(t4 - t3, 3),
            "download_mib_s": round(mib / (t4 - t3), 1),
            "export_s": round(t5 - t4, 3),
        }
        if args.json:
            print(json.dumps(figures))
        else:
            for k, v in figures.items():
                print(f"{k:>18}: {v}")
        return 0
    finally:
        for ctx in ctxs:
            ctx.close()
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
