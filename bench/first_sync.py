"""First-sync benchmark: a fresh encrypted replica pulls N complaints from lapor_hub on loopback.

    python bench/first_sync.py [--complaints 50000] [--json] [--subprocess] [--profile]

The seeded server database is cached under bench/out/ (keyed by N and the seed) because seeding
takes longer than the sync. By default the server runs in-process (``EmbeddedHub``, as in the
demo), so client and server share one interpreter; ``--subprocess`` runs ``lapor-hub serve`` in
its own process, which is closer to a real deployment. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lapor_desk.core import DEMO_PASSWORD, DEMO_USERNAME, DeskContext  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402

OUT = ROOT / "bench" / "out"


def seeded_db(n: int, seed: int) -> tuple[str, float]:
    """The cached server DB for (n, seed); returns its URL and the seconds spent seeding."""
    from lapor_hub.seed import seed as seed_hub

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"hub-{n}-seed{seed}.db"
    if path.exists():
        return f"sqlite:///{path}", 0.0
    tmp = path.with_suffix(".tmp.db")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    seed_hub(f"sqlite:///{tmp}", complaints=n, seed=seed)
    took = time.perf_counter() - started
    os.replace(tmp, path)  # only a complete seed is ever cached
    return f"sqlite:///{path}", took


def copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite database (its WAL included); benches write to copies of
    the cached seed so every run starts from the same state."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


class _Server:
    def __init__(self, db_url: str, subprocess_mode: bool, log: Path) -> None:
        self.db_url = db_url
        self.subprocess_mode = subprocess_mode
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.hub: Any = None

    def start(self) -> str:
        if not self.subprocess_mode:
            from lapor_hub.embedded import EmbeddedHub

            self.hub = EmbeddedHub(self.db_url, "127.0.0.1")
            return str(self.hub.start())
        import socket

        import requests

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "lapor_hub", "serve", "--db", self.db_url,
                 "--host", "127.0.0.1", "--port", str(port)],
                stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    return url
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("lapor-hub did not start")

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.stop()
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url, seed_seconds = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-bench-"))
    server = _Server(db_url, args.subprocess, work / "hub.log")
    try:
        url = server.start()
        ctx = DeskContext.for_home(work / "profile", secrets=MemorySecrets())
        ctx.settings.page_max_bytes = args.page_bytes
        ctx.login(url, DEMO_USERNAME, DEMO_PASSWORD)
        store = ctx.open_store()  # creating the empty replica is not part of the sync
        engine = ctx.engine()
        engine.prefetch = not args.no_prefetch
        # Attribute wall time to the store and to the download (figures, not tests).
        spent = {"apply": 0.0, "fetch": 0.0}

        def timed(name: str, fn: Any) -> Any:
            def wrapper(*a: Any, **kw: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return fn(*a, **kw)
                finally:
                    spent[name] += time.perf_counter() - t0
            return wrapper

        store.apply_page = timed("apply", store.apply_page)  # type: ignore[method-assign]
        engine._download = timed("fetch", engine._download)  # type: ignore[method-assign]
        cpu0 = _cpu()
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = ctx.sync()
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
        cpu = _cpu() - cpu0
        status = ctx.status()
        ctx.close()
        replica_bytes = sum(f.stat().st_size for f in (work / "profile").glob("replica.db*"))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(25)
        stats.sort_stats("tottime").print_stats(25)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "complaints_seeded": args.complaints,
        "complaints_received": report.received,
        "replica_complaints": status.complaints,
        "seconds": round(seconds, 3),
        "complaints_per_second": round(report.received / seconds, 1) if seconds else None,
        "wire_bytes": report.bytes,
        "decoded_bytes": report.decoded_bytes,
        "pages": report.pages,
        "page_max_bytes": args.page_bytes,
        "replica_bytes": replica_bytes,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "client_cpu_seconds": round(cpu, 2),
        "store_apply_seconds": round(spent["apply"], 2),
        "download_seconds": round(spent["fetch"], 2),
        "prefetch": not args.no_prefetch,
        "server": "subprocess" if args.subprocess else "embedded",
        "seed_seconds": round(seed_seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-bytes", type=int, default=256 * 1024)
    parser.add_argument("--subprocess", action="store_true",
                        help="run the server in its own process instead of in-process")
    parser.add_argument("--profile", action="store_true", help="cProfile the sync (stderr)")
    parser.add_argument("--no-prefetch", action="store_true",
                        help="download the next page only after applying the current one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        mib = 1024 * 1024
        print(f"complaints      {result['complaints_received']} "
              f"(replica holds {result['replica_complaints']} of {args.complaints} seeded)")
        print(f"seconds         {result['seconds']}")
        print(f"complaints/s    {result['complaints_per_second']}")
        print(f"wire bytes      {result['wire_bytes']} ({result['wire_bytes'] / mib:.1f} MiB "
              "gzip)")
        print(f"decoded bytes   {result['decoded_bytes']} "
              f"({result['decoded_bytes'] / mib:.1f} MiB JSON)")
        print(f"pages           {result['pages']} (max {args.page_bytes} B compressed)")
        print(f"replica size    {result['replica_bytes'] / mib:.1f} MiB")
        print(f"peak RSS        {result['peak_rss_mib']} MiB")
        print(f"client CPU      {result['client_cpu_seconds']} s "
              f"({'with' if result['server'] == 'embedded' else 'without'} the server)")
        print(f"store apply     {result['store_apply_seconds']} s (wall, main thread)")
        print(f"download        {result['download_seconds']} s (wall, "
              f"{'overlapped' if result['prefetch'] else 'sequential'})")
        print(f"server          {result['server']}")
        if result["seed_seconds"]:
            print(f"seeding took    {result['seed_seconds']} s (cached for next runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
