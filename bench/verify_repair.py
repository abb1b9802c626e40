"""Verify/repair benchmark: what a checksum comparison costs, clean and with damage.

    python bench/verify_repair.py [--complaints 20000] [--damage 50] [--json]

A fresh encrypted replica syncs N complaints from an in-process lapor_hub (``EmbeddedHub``)
on loopback; then a clean verification runs, then ``--damage`` complaint rows are deleted and
as many versions rolled back, and a second verification repairs them. Prints the seconds,
requests and bytes on the wire of each. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from first_sync import seeded_db  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DEMO_USERNAME, DeskContext  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complaints", type=int, default=20_000)
    ap.add_argument("--damage", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from lapor_hub.embedded import EmbeddedHub

    db_url, _ = seeded_db(args.complaints, 1)
    tmp = Path(tempfile.mkdtemp(prefix="lapor-bench-verify-"))
    hub = EmbeddedHub(db_url, "127.0.0.1")
    url = hub.start()
    figures: dict[str, object] = {"complaints": args.complaints, "damage": args.damage}
    try:
        ctx = DeskContext.for_home(tmp / "profile", secrets=MemorySecrets())
        ctx.settings.page_max_bytes = 1024 * 1024
        ctx.login(url, DEMO_USERNAME, DEMO_PASSWORD)
        started = time.perf_counter()
        first = ctx.sync()
        figures["first_sync_s"] = round(time.perf_counter() - started, 2)
        figures["replica"] = first.received

        started = time.perf_counter()
        clean = ctx.sync(verify=True)
        figures["clean_verify_s"] = round(time.perf_counter() - started, 3)
        figures["clean_verify_bytes"] = clean.bytes
        figures["clean_buckets_differed"] = clean.buckets_differed

        store = ctx.open_store()
        with store.read() as conn:
            ids = [r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM complaints ORDER BY id LIMIT ?", (2 * args.damage,))]
        with store.write() as conn:
            for cid in ids[:args.damage]:
                conn.exec_driver_sql("DELETE FROM complaints WHERE id = ?", (cid,))
            for cid in ids[args.damage:]:
                conn.exec_driver_sql("UPDATE complaints SET version = version - 1 WHERE id = ?",
                                     (cid,))
        started = time.perf_counter()
        damaged = ctx.sync(verify=True)
        figures["repair_verify_s"] = round(time.perf_counter() - started, 3)
        figures["repair_bytes"] = damaged.bytes
        figures["repair_buckets_differed"] = damaged.buckets_differed
        figures["repaired"] = damaged.repaired
        ctx.close()
    finally:
        hub.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
