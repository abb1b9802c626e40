"""``kill -9`` trials during a first sync: lost or duplicated complaints, integrity failures.

    python bench/kill_test.py [--trials 50] [--complaints 2000] [--seed 1] [--json]

Each trial signs a fresh profile in (a file-backed test keyring), starts ``lapor-desk sync``
against a ``lapor-hub serve`` process on loopback, SIGKILLs it at a uniformly random moment of
the sync (0 to 1.05 times a clean sync's duration, counted from the creation of the replica),
then opens the replica with its key, runs ``PRAGMA integrity_check``, compares the stored
complaints with what the stored cursor covers (whole pages only), resumes with a new sync and
compares with the server's scope. The trial is ``kill_trial`` of tests/integration/test_crash.py.
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests"),
                str(ROOT / "tests" / "integration")]

import conftest  # noqa: E402,F401  (selects the test keyring backend for us and the children)
from first_sync import _Server, seeded_db  # noqa: E402
from test_crash import (  # noqa: E402
    SyncLauncher,
    TrialResult,
    kill_trial,
    prepare_profile,
    server_stream,
    timed_clean_sync,
)


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-kill-"))
    os.environ["LAPOR_TEST_KEYRING_FILE"] = str(work / "keyring.json")
    server = _Server(db_url, True, work / "hub.log")
    rng = random.Random(args.seed)
    results: list[TrialResult] = []
    started = time.perf_counter()
    try:
        url = server.start()
        scope = len(server_stream(db_url))
        with SyncLauncher() as launcher:
            durations = []
            for k in range(2):  # the longer of two clean syncs: a loaded machine varies
                prepare_profile(work / f"clean{k}", url)
                durations.append(timed_clean_sync(launcher, work / f"clean{k}"))
            duration = max(durations)
            for i in range(args.trials):
                home = work / f"t{i}"
                results.append(kill_trial(launcher, home, url, db_url,
                                          work / "keyring.json",
                                          rng.uniform(0, 1.05 * duration)))
                shutil.rmtree(home, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    killed = [r for r in results if r.killed]
    phases = Counter("nothing stored yet" if r.stored_after_kill == 0 else
                     "all pages stored" if r.stored_after_kill == scope else
                     "some pages stored" for r in killed)
    return {
        "trials": len(results),
        "killed": len(killed),
        "finished_before_the_kill": len(results) - len(killed),
        "kill_phases": dict(phases),
        "scope_complaints": scope,
        "clean_sync_seconds": round(duration, 3),
        "integrity_failures": sum(r.integrity != "ok" for r in results),
        "search_index_mismatches": sum(r.fts_mismatch for r in results),
        "lost_under_cursor": sum(r.missing_under_cursor for r in results),
        "stored_beyond_cursor": sum(r.beyond_cursor for r in results),
        "duplicates_after_resume": sum(r.duplicates for r in results),
        "lost_after_resume": sum(r.lost for r in results),
        "extra_after_resume": sum(r.extra for r in results),
        "downloaded_twice": sum(r.refetched for r in results),
        "failed_trials": sum(not r.ok for r in results),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--complaints", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key.replace('_', ' '):26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
