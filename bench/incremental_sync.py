"""Incremental sync benchmark: 1% of an officer's complaints change on the server, then one sync.

    python bench/incremental_sync.py [--complaints 50000] [--percent 1] [--json] [--subprocess]

A fresh encrypted replica (officer of dpupr-kab-semarang) first syncs everything from a copy of
the cached seed (bench/out/, made by bench/first_sync.py's ``seeded_db``). Then the server
changes ``--percent`` of the complaints in the officer's scope (primary and copies, not yet
completed/closed) the way they change in real life, all through the hub's own write paths
(``lapor_hub.commands.admin_act`` and ``lapor_hub.commands.push``, so every change bumps the
change feed exactly as in production, never raw SQL):

- reporter replies (``act reply``; a followed-up complaint re-opens),
- status changes by the agency admin (hold, resume, complete),
- category changes pushed by the agency's operator (``complaint.triage`` commands),
- closures and re-routes to another agency (these leave the open list or the scope).

Then it times the incremental sync and a sync when nothing changed (before and after). The
client talks to the server through ``tests/support/faultproxy.py`` with no shaping, only to
count bytes on the wire both ways (HTTP heads included) and the requests by path. A final
``sync(verify=True)`` compares checksums with the server and reports whether any bucket
differed (it should not). ``--latency-ms``/``--kbit`` shape the link after the first sync
(150 and 1000 are 2G-like). A complaint whose drawn change its status does not allow (say, a
re-route of a new complaint) gets a reporter reply instead; the counts say how many
(``refused:KIND:REASON``). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "support")]

from faultproxy import FaultProxy  # noqa: E402
from first_sync import _Server, copy_sqlite, seeded_db  # noqa: E402
from sqlalchemy import select  # noqa: E402

from lapor_desk.core import DEMO_PASSWORD, DeskContext  # noqa: E402
from lapor_desk.secrets import MemorySecrets  # noqa: E402
from lapor_desk.sync import protocol as p  # noqa: E402
from lapor_hub import db  # noqa: E402
from lapor_hub.auth import Principal  # noqa: E402
from lapor_hub.commands import ActError, admin_act, push  # noqa: E402

AGENCY = "dpupr-kab-semarang"
OTHER_AGENCY = "disdukcapil-kota-semarang"
TERMINAL = ("selesai", "ditutup")
REPLIES = ("Terima kasih, tapi sampai hari ini jalan di depan rumah saya belum diperbaiki.",
           "Mohon segera ditindaklanjuti, lubangnya makin besar setelah hujan kemarin.",
           "Sudah ada petugas yang datang, tapi hanya mengukur. Kapan dikerjakan?")
# Weights of the kinds of change (a complaint that cannot take its kind gets a reply).
MIX = (("reply", 40), ("status", 20), ("category", 25), ("close", 10), ("reroute", 5))


def copy_db(cached_url: str, work: Path) -> str:
    """A private copy of the cached seed (the benchmark writes to it)."""
    path = work / "hub.db"
    copy_sqlite(Path(cached_url.removeprefix("sqlite:///")), path)
    return f"sqlite:///{path}"


def in_scope(engine: Any) -> list[tuple[str, str, str, str | None]]:
    """(id, status, primary agency, category) of the officer's scope as the feed has it."""
    c, s = db.complaints, db.stream
    with db.read_tx(engine) as conn:
        rows = conn.execute(
            select(c.c.id, c.c.status, c.c.agency_id, c.c.category_id)
            .join(s, s.c.complaint_id == c.c.id)
            .where(s.c.agency_id == AGENCY, s.c.removed.is_(False))
            .order_by(c.c.tracking_id)).all()
    return [(str(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]


def operator(engine: Any) -> Principal:
    u, a = db.users, db.agencies
    with db.read_tx(engine) as conn:
        r = conn.execute(select(u.c.id, u.c.username, u.c.display_name, u.c.role, u.c.agency_id,
                                a.c.name).join(a, a.c.id == u.c.agency_id)
                         .where(u.c.username == "operator")).one()
    return Principal(r[0], r[1], r[2], r[3], r[4], r[5])


def change_server(db_url: str, percent: float, seed: int) -> tuple[int, Counter[str]]:
    """Change ``percent`` of the open complaints in scope through the hub's write paths."""
    engine = db.make_engine(db_url)
    try:
        scope = in_scope(engine)
        rng = random.Random(seed)
        n = max(1, round(len(scope) * percent / 100))
        open_ = [row for row in scope if row[1] not in TERMINAL]
        chosen = rng.sample(open_, min(n, len(open_)))
        with db.read_tx(engine) as conn:
            categories = sorted(conn.execute(select(db.categories.c.id)).scalars())
        who = operator(engine)
        device = str(uuid.uuid4())
        seq = 0
        done: Counter[str] = Counter()
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        for cid, status, agency, category in chosen:
            kind = rng.choices(kinds, weights)[0]
            if kind == "category" and agency != AGENCY:
                kind = "reply"  # copies are read-only to the agency's operator
            try:
                if kind == "reply":
                    admin_act(engine, "reply", cid, text=rng.choice(REPLIES))
                elif kind == "status":
                    verb = ("resume" if status == "ditunda" else
                            "complete" if status == "ditindaklanjuti" else "hold")
                    admin_act(engine, verb, cid)
                    kind = f"status:{verb}"
                elif kind == "close":
                    admin_act(engine, "close", cid, reason="duplikat")
                elif kind == "reroute":
                    admin_act(engine, "reroute", cid, to=OTHER_AGENCY)
                else:
                    seq += 1
                    new = rng.choice([c for c in categories if c != category])
                    cmd = {"op_id": str(uuid.uuid4()), "seq": seq, "kind": p.CMD_TRIAGE,
                           "complaint_id": cid, "base_version": None,
                           "created_at": datetime.now(UTC).isoformat(),
                           "payload": {"changes": {"category_id": new},
                                       "base": {"category_id": category}}}
                    [out] = push(engine, who, device, [cmd]).outcomes
                    if out["status"] != p.OUTCOME_APPLIED:
                        raise RuntimeError(f"triage not applied: {out}")
            except ActError as exc:  # e.g. a status the verb does not fit: a reply instead
                done[f"refused:{kind}:{exc.refusal.code}"] += 1
                admin_act(engine, "reply", cid, text=rng.choice(REPLIES))
                kind = "reply"
            done[kind] += 1
        return len(scope), done
    finally:
        engine.dispose()


def timed_sync(ctx: DeskContext, proxy: FaultProxy, **kw: Any) -> dict[str, Any]:
    proxy.reset_counters()
    started = time.perf_counter()
    report = ctx.sync(**kw)
    seconds = time.perf_counter() - started
    paths = Counter(path.removeprefix("/api/v1") for _, path in proxy.requests)
    return {
        "seconds": round(seconds, 3),
        "complaints_received": report.received,
        "complaints_removed": report.removed,
        "pages": report.pages,
        "requests": len(proxy.requests),
        "requests_by_path": dict(sorted(paths.items())),
        "wire_bytes_up": proxy.bytes_up,
        "wire_bytes_down": proxy.bytes_down,
        "body_bytes_down": report.bytes,  # compressed page bodies, as the engine counts them
        "decoded_bytes": report.decoded_bytes,
        "verified": report.verified,
        "buckets_differed": report.buckets_differed,
        "repaired": report.repaired + report.repair_removed,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    cached, _ = seeded_db(args.complaints, args.seed)
    work = Path(tempfile.mkdtemp(prefix="lapor-incr-bench-"))
    server: _Server | None = None
    try:
        db_url = copy_db(cached, work)
        server = _Server(db_url, args.subprocess, work / "hub.log")
        port = int(server.start().rsplit(":", 1)[1])
        with FaultProxy("127.0.0.1", port) as proxy:
            ctx = DeskContext.for_home(work / "profile", secrets=MemorySecrets())
            try:
                ctx.login(proxy.url, "officer", DEMO_PASSWORD)
                first = timed_sync(ctx, proxy)
                # The link after the first sync (e.g. 150 ms each way, 1000 kbit/s: 2G-like).
                proxy.latency_ms = args.latency_ms
                proxy.bandwidth = args.kbit * 1000 / 8
                idle_before = timed_sync(ctx, proxy)
                started = time.perf_counter()
                scope, changes = change_server(db_url, args.percent, args.seed)
                change_seconds = time.perf_counter() - started
                incremental = timed_sync(ctx, proxy)
                idle_after = timed_sync(ctx, proxy)
                check = timed_sync(ctx, proxy, verify=True)
            finally:
                ctx.close()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    changed = sum(v for k, v in changes.items() if not k.startswith("refused:"))
    return {
        "complaints_seeded": args.complaints,
        "scope_complaints": scope,
        "changed_complaints": changed,
        "changes": dict(sorted(changes.items())),
        "server_change_seconds": round(change_seconds, 2),
        "first_sync": first,
        "nothing_changed_before": idle_before,
        "incremental": incremental,
        "nothing_changed_after": idle_after,
        "verify": check,
        "server": "subprocess" if args.subprocess else "embedded",
        "link_after_first_sync": {"latency_ms_each_way": args.latency_ms,
                                  "bandwidth_kbit": args.kbit or None},
    }


def _line(name: str, r: dict[str, Any]) -> str:
    paths = ", ".join(f"{k} {v}" for k, v in r["requests_by_path"].items())
    verified = ""
    if r["verified"]:
        verified = f"; verified, {r['buckets_differed']} buckets differed"
    return (f"{name:22} {r['seconds']:8.3f} s  {r['complaints_received']:6} received "
            f"{r['complaints_removed']:4} removed  {r['pages']:3} pages  up "
            f"{r['wire_bytes_up']:>9} B  down {r['wire_bytes_down']:>10} B  "
            f"{r['requests']} requests ({paths}){verified}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--percent", type=float, default=1.0,
                        help="share of the officer's scope changed on the server")
    parser.add_argument("--subprocess", action="store_true",
                        help="run the server in its own process instead of in-process")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="latency each way after the first sync (e.g. 150)")
    parser.add_argument("--kbit", type=float, default=0.0,
                        help="bandwidth in kbit/s after the first sync (e.g. 1000; 0: loopback)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"scope           {result['scope_complaints']} complaints of the officer "
          f"({args.complaints} seeded); server {result['server']}")
    if args.latency_ms or args.kbit:
        rate = f"{args.kbit:g} kbit/s" if args.kbit else "unlimited bandwidth"
        print(f"link            loopback for the first sync, then {args.latency_ms:g} ms each "
              f"way, {rate}")
    print(f"changed         {result['changed_complaints']} ({args.percent:g}%) in "
          f"{result['server_change_seconds']} s: "
          + ", ".join(f"{k} {v}" for k, v in result["changes"].items()))
    for name in ("first_sync", "nothing_changed_before", "incremental", "nothing_changed_after",
                 "verify"):
        print(_line(name.replace("_", " "), result[name]))
    inc = result["incremental"]
    wire = inc["wire_bytes_down"] + inc["wire_bytes_up"]
    each = wire / max(1, inc["complaints_received"])
    print(f"incremental     {wire} B on the wire in {inc['requests']} round trips for "
          f"{inc['complaints_received']} complaints ({each:.0f} B each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
