"""``kill -9`` trials during a first sync: lost or duplicated complaints, integrity failures.

    python bench/kill_test.py [--trials 50] [--complaints 2000] [--seed 1] [--json]
    python bench/kill_test.py --push 40 [--trials 30] [--complaints 200]

Each trial signs a fresh profile in (a file-backed test keyring), starts ``lapor-desk sync``
against a ``lapor-hub serve`` process on loopback, SIGKILLs it at a uniformly random moment of
the sync (0 to 1.05 times a clean sync's duration, counted from the creation of the replica),
then opens the replica with its key, runs ``PRAGMA integrity_check``, compares the stored
complaints with what the stored cursor covers (whole pages only), resumes with a new sync and
compares with the server's scope. The trial is ``kill_trial`` of tests/integration/test_crash.py.

``--push N``: each profile is synced first and then holds N unsent notes in its outbox; the kill
lands during push (and the short pull after it). Reported: notes the server holds twice or not
at all after the resumed sync, commands not ``applied``, integrity failures.
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
import sqlalchemy as sa  # noqa: E402
from first_sync import _Server, copy_sqlite, seeded_db  # noqa: E402
from test_crash import (  # noqa: E402
    AGENCY,
    SyncLauncher,
    TrialResult,
    keyring_entry,
    kill_trial,
    prepare_profile,
    server_stream,
    start_sync,
    timed_clean_sync,
)

from lapor_desk.core import DeskContext  # noqa: E402
from lapor_desk.models.records import ComplaintQuery  # noqa: E402
from lapor_desk.models.store import Store  # noqa: E402


def _push_profile(home: Path, url: str, tag: str, notes: int) -> list[str]:
    """A signed-in, synced profile with ``notes`` unsent internal notes; returns their texts."""
    prepare_profile(home, url)
    with DeskContext.for_home(home) as ctx:
        ctx.sync()
        store = ctx.open_store()
        own = [r.id for r in store.rows(store.ids(ComplaintQuery())) if r.agency_id == AGENCY]
        outbox = ctx.outbox()
        texts = [f"{tag} catatan {i}" for i in range(notes)]
        for i, text in enumerate(texts):
            outbox.add_note(own[i % len(own)], text)
    return texts


def _server_notes(db_url: str, tag: str) -> dict[str, int]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT body, count(*) FROM thread_entries WHERE body LIKE :p GROUP BY body"),
                {"p": f"{tag} catatan %"}).all()
    finally:
        engine.dispose()
    return {str(r[0]): int(r[1]) for r in rows}


def run_push(args: argparse.Namespace) -> dict[str, Any]:
    db_url, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-kill-push-"))
    copy = work / "hub.db"  # push writes: work on a copy of the cached database
    copy_sqlite(Path(db_url.removeprefix("sqlite:///")), copy)
    db_url = f"sqlite:///{copy}"
    keyring_file = work / "keyring.json"
    os.environ["LAPOR_TEST_KEYRING_FILE"] = str(keyring_file)
    server = _Server(db_url, True, work / "hub.log")
    rng = random.Random(args.seed)
    totals: Counter[str] = Counter()
    started = time.perf_counter()
    try:
        url = server.start()
        with SyncLauncher() as launcher:
            _push_profile(work / "clean", url, "clean", args.push)
            pid, began = start_sync(launcher, work / "clean")
            launcher.wait(pid, 120)
            duration = time.monotonic() - began
            for i in range(args.trials):
                home, tag = work / f"t{i}", f"t{i}-{os.getpid()}"
                texts = _push_profile(home, url, tag, args.push)
                pid, began = start_sync(launcher, home)
                kill_after = rng.uniform(0, 1.05 * duration)
                if not launcher.wait(pid, max(0.0, began + kill_after - time.monotonic())):
                    launcher.kill(pid)
                    totals["killed"] += 1
                on_server = _server_notes(db_url, tag)
                totals["killed with part of the outbox applied"] += 0 < len(on_server) < len(
                    texts)
                profile_id = json.loads((home / "settings.json").read_text())["profile_id"]
                key = keyring_entry(keyring_file, "db-key", profile_id)
                assert key is not None
                store = Store.open(home / "replica.db", bytes.fromhex(key))
                try:
                    with store.read() as conn:
                        ok = conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                finally:
                    store.close()
                totals["integrity_failures"] += not ok
                with DeskContext.for_home(home) as ctx:
                    try:
                        ctx.sync()
                    except Exception as exc:  # a figure, not a crash of the bench
                        totals[f"resume_error {type(exc).__name__}"] += 1
                    states = Counter(e.state for e in ctx.outbox().entries())
                after = _server_notes(db_url, tag)
                totals["notes_duplicated"] += sum(n - 1 for n in after.values())
                totals["notes_lost"] += len(set(texts) - set(after))
                totals["commands_not_applied"] += sum(n for st, n in states.items()
                                                      if st != "applied")
                shutil.rmtree(home, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "mode": "push",
        "trials": args.trials,
        "notes_per_trial": args.push,
        "clean_push_and_sync_seconds": round(duration, 3),
        **{k: totals[k] for k in ("killed", "killed with part of the outbox applied",
                                  "integrity_failures", "notes_duplicated", "notes_lost",
                                  "commands_not_applied")},
        **{k: v for k, v in totals.items() if k.startswith("resume_error")},
        "seconds": round(time.perf_counter() - started, 1),
    }


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
    parser.add_argument("--push", type=int, default=0, metavar="N",
                        help="kill during push of N unsent notes instead of a first sync")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run_push(args) if args.push else run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key.replace('_', ' '):26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
