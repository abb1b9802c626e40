"""First sync over a slow link: a fresh replica pulls N complaints through the fault proxy.

    python bench/slow_link.py [--complaints 2000] [--latency-ms 150] [--kbit 1000] [--json]

The server runs as ``lapor-hub serve`` in its own process (the seeded database is cached under
bench/out/ by bench/first_sync.py's ``seeded_db``); ``tests/support/faultproxy.py`` adds latency
each way and a bandwidth cap shared by both directions' connections. Reported: seconds, bytes on
the wire (as counted by the proxy and by the engine), pages, and for comparison the gzip size of
the ``lapor-hub export`` JSON Lines of the same complaints (the officer's scope) and of all of
them. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "support")]

from faultproxy import FaultProxy  # noqa: E402
from first_sync import _Server, copy_sqlite, seeded_db  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DEMO_USERNAME, DeskContext  # noqa: E402
from lapor_desk.models.records import ComplaintQuery  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402


def export_gzip_sizes(db_url: str, work: Path, ids: set[str]) -> dict[str, int]:
    """gzip -6 sizes of ``lapor-hub export --include-confidential`` (on a copy of the cached
    database: the export writes an audit row), all complaints and the synced scope only."""
    src = Path(db_url.removeprefix("sqlite:///"))
    copy = work / "export-copy.db"
    copy_sqlite(src, copy)
    out = work / "export.jsonl"
    subprocess.run([sys.executable, "-m", "lapor_hub", "export", "--db", f"sqlite:///{copy}",
                    "--out", str(out), "--include-confidential"], check=True, cwd=ROOT,
                   capture_output=True)
    lines = out.read_bytes().splitlines(keepends=True)
    scoped = [ln for ln in lines if json.loads(ln)["id"] in ids]
    return {
        "export_all_complaints": len(lines),
        "export_all_jsonl_bytes": sum(map(len, lines)),
        "export_all_gzip_bytes": len(gzip.compress(b"".join(lines), 6)),
        "export_scope_complaints": len(scoped),
        "export_scope_jsonl_bytes": sum(map(len, scoped)),
        "export_scope_gzip_bytes": len(gzip.compress(b"".join(scoped), 6)),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-slowlink-"))
    server = _Server(db_url, True, work / "hub.log")
    try:
        url = server.start()
        port = int(url.rsplit(":", 1)[1])
        with FaultProxy("127.0.0.1", port) as proxy:
            ctx = DeskContext.for_home(work / "profile", secrets=MemorySecrets(),
                                       transport_options={"deadline": 600.0,
                                                          "read_timeout": 120.0})
            ctx.settings.page_max_bytes = args.page_bytes
            ctx.login(proxy.url, DEMO_USERNAME, DEMO_PASSWORD)
            ctx.open_store()  # creating the empty replica is not part of the sync
            proxy.latency_ms = args.latency_ms
            proxy.bandwidth = args.kbit * 1000 / 8
            proxy.reset_counters()
            started = time.perf_counter()
            report = ctx.sync()
            seconds = time.perf_counter() - started
            up, down, requests = proxy.bytes_up, proxy.bytes_down, len(proxy.requests)
            ids = set(ctx.open_store().ids(ComplaintQuery()))
            ctx.close()
        sizes = export_gzip_sizes(db_url, work, ids)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    rate = args.kbit * 1000 / 8
    floor = down / rate + report.pages * 2 * args.latency_ms / 1000
    return {
        "complaints_seeded": args.complaints,
        "complaints_received": report.received,
        "latency_ms_each_way": args.latency_ms,
        "bandwidth_kbit": args.kbit,
        "page_max_bytes": args.page_bytes,
        "seconds": round(seconds, 2),
        "pages": report.pages,
        "requests": requests,
        "wire_bytes_down": down,
        "wire_bytes_up": up,
        "engine_body_bytes": report.bytes,
        "decoded_json_bytes": report.decoded_bytes,
        "floor_seconds": round(floor, 2),  # approx.: bytes at the cap + a round trip per page
        **sizes,
        "wire_vs_export_scope_gzip": round(down / sizes["export_scope_gzip_bytes"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--kbit", type=float, default=1000.0, help="bandwidth in kbit/s")
    parser.add_argument("--page-bytes", type=int, default=256 * 1024)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    kib = 1024
    print(f"link            {args.latency_ms:g} ms each way, {args.kbit:g} kbit/s")
    print(f"complaints      {result['complaints_received']} "
          f"(scope of officer, {args.complaints} seeded)")
    print(f"seconds         {result['seconds']} (about {result['floor_seconds']} expected: "
          "bytes at the cap + one round trip per page)")
    print(f"pages           {result['pages']} ({result['requests']} requests, "
          f"max {args.page_bytes // kib} KiB)")
    print(f"wire down       {result['wire_bytes_down']} B ({result['wire_bytes_down'] / kib:.0f}"
          f" KiB; bodies {result['engine_body_bytes']} B, JSON "
          f"{result['decoded_json_bytes'] / kib:.0f} KiB)")
    print(f"wire up         {result['wire_bytes_up']} B")
    print(f"export gzip     {result['export_scope_gzip_bytes']} B for the same "
          f"{result['export_scope_complaints']} complaints (JSONL "
          f"{result['export_scope_jsonl_bytes'] / kib:.0f} KiB); all "
          f"{result['export_all_complaints']}: {result['export_all_gzip_bytes']} B")
    print(f"wire / export   {result['wire_vs_export_scope_gzip']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
