"""Long run of the sync state machine (tests/integration/test_state_machine.py), for nightly use.

    .venv/bin/python bench/state_machine_long.py [--examples N] [--steps N] [--seed N]

Same machine, same invariants as the CI test, many more examples and steps, random (not
derandomized) unless --seed is given. Prints what the runs covered and the time taken; exits 1
with the shrunk failing example (and a reproduce blob) when an invariant breaks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "support"), str(ROOT / "tests" / "integration")]
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=300)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--seed", type=int, default=None, help="fixed random seed (repeatable run)")
    ap.add_argument("--no-shrink", action="store_true",
                    help="report the first failing example as found (fast, long)")
    ap.add_argument("--restore", choices=("off", "nudge", "raw"), default="raw",
                    help="hub backup + restore: off; raw (the engine replays what the server "
                         "lost by itself); nudge (after the restore each client also queues a "
                         "note, so the replay goes through the push's next_seq path)")
    ap.add_argument("--reproduce", metavar="BLOB",
                    help="replay one failing example (the blob Hypothesis printed)")
    args = ap.parse_args()

    import logging

    import test_state_machine as sm

    # Resets and replays are expected here (restore runs); keep the summary readable.
    logging.getLogger("lapor_desk").setLevel(logging.ERROR)
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.stateful import run_state_machine_as_test

    cfg = settings(max_examples=args.examples, stateful_step_count=args.steps, deadline=None,
                   database=None, print_blob=True, suppress_health_check=list(HealthCheck),
                   derandomize=False,
                   phases=[Phase.explicit, Phase.generate] if args.no_shrink else list(Phase))
    machine: type[sm.SyncMachine] = type("LongSyncMachine", (sm.SyncMachine,),
                                         {"RESTORE": args.restore != "off",
                                          "NUDGE_AFTER_RESTORE": args.restore == "nudge"})
    if args.seed is not None:
        from hypothesis import seed as hseed

        machine = hseed(args.seed)(machine)
    if args.reproduce:
        import hypothesis

        machine = hypothesis.reproduce_failure(hypothesis.__version__,
                                               args.reproduce.encode())(machine)
    started = time.monotonic()
    failed = False
    try:
        run_state_machine_as_test(machine, settings=cfg)
    except BaseException as exc:  # report the summary, then the failure
        failed = True
        import traceback

        traceback.print_exception(exc)  # with Hypothesis' notes: the failing steps
        print(f"FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        sm.drop_template()
    seconds = time.monotonic() - started
    print(f"state machine: {sm.STATS['examples']} healed examples, up to {args.steps} steps, "
          f"{seconds:.1f} s ({seconds / max(1, sm.STATS['examples']):.2f} s per example)")
    for key, n in sorted(sm.STATS.items()):
        if key != "examples":
            print(f"  {key:<48} {n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
