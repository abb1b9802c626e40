"""``lapor-hub`` command line: serve, seed, import, export, user add, act, jobs, rules.

Exit codes: 0 ok; 1 error (bad database URL, unreadable file, …); 2 invalid arguments or
input (argparse, short password, unknown agency); 3 import finished but some lines were bad
(the good lines are imported; each bad line is printed on stderr as ``line N: reason``).
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_BAD_LINES = 0, 1, 2, 3
ROLES = ("officer", "operator", "supervisor", "admin")


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def default_db_url() -> str:
    import platformdirs

    path = Path(platformdirs.user_data_dir("lapor-hub", appauthor=False)) / "hub.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lapor-hub", description="LAPOR! reference sync server")
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--db", default=None,
                        help="database URL (sqlite:///file.db or postgresql+psycopg://…); "
                             "default: a SQLite file in the user data directory")
        return sp

    s = with_db(sub.add_parser("serve", help="run the HTTP server"))
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8470)

    s = with_db(sub.add_parser("seed", help="create synthetic demo data"))
    s.add_argument("--complaints", type=int, default=2000)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--json", action="store_true", help="print the report as JSON")

    s = with_db(sub.add_parser("import", help="import complaints from JSON Lines"))
    s.add_argument("file", help="a .jsonl file, or - for stdin")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")

    s = with_db(sub.add_parser("export", help="export complaints as JSON Lines"))
    s.add_argument("--out", default=None, help="output file (default: stdout)")
    s.add_argument("--include-confidential", action="store_true",
                   help="also export rahasia complaints (recorded in the audit table)")

    s = with_db(sub.add_parser(
        "act", help="play the agency admin (or the reporter, for reply) on one complaint"))
    s.add_argument("verb", choices=("verify", "dispose", "reroute", "hold", "resume", "close",
                                    "complete", "reply"))
    s.add_argument("id", help="tracking ID or UUID of the complaint")
    s.add_argument("--to", default=None, help="target agency (dispose, reroute)")
    s.add_argument("--copy", action="append", default=None,
                   help="copy agency (dispose, reroute; repeatable)")
    s.add_argument("--reason", default=None, help="close reason, from the list")
    s.add_argument("--text", default=None, help="the reporter's reply text (reply)")
    s.add_argument("--status", default=None, help="status to resume to (resume)")
    s.add_argument("--now", default=None, help="ISO 8601 time to act at (tests)")
    s.add_argument("--json", action="store_true")

    s = with_db(sub.add_parser("jobs", help="auto-complete, overdue and escalation flags"))
    s.add_argument("--now", default=None, help="ISO 8601 time to run at (default: now)")
    s.add_argument("--json", action="store_true")

    r = sub.add_parser("rules", help="per-agency deadline rules (admin)").add_subparsers(
        dest="rules_cmd", required=True)
    s = with_db(r.add_parser("show", help="the agency's rules (the defaults when none stored)"))
    s.add_argument("--agency", required=True)
    s.add_argument("--json", action="store_true")
    s = with_db(r.add_parser("set", help="change the agency's rules (clients get them with "
                                         "their next sync)"))
    s.add_argument("--agency", required=True)
    s.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                   help="e.g. follow_up_days=7, timezone=WITA, "
                        "extra_work_days='[\"2026-03-21\"]' (repeatable)")
    s.add_argument("--json", action="store_true")

    u = sub.add_parser("user", help="manage users").add_subparsers(dest="user_cmd", required=True)
    s = with_db(u.add_parser("add", help="add a user; the password is read from stdin"))
    s.add_argument("--username", required=True)
    s.add_argument("--role", required=True, choices=ROLES)
    s.add_argument("--agency", required=True)
    s.add_argument("--display-name", default=None)
    s.add_argument("--json", action="store_true")
    return p


def _serve(db_url: str, host: str, port: int) -> int:
    import uvicorn

    from lapor_hub.app import create_app

    app = create_app(db_url)
    print(f"lapor-hub listening on http://{host}:{port}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return EXIT_OK


def _seed(db_url: str, n: int, seed_value: int, as_json: bool) -> int:
    from lapor_hub.seed import seed

    if n < 0:
        raise CliError("--complaints must be 0 or more", EXIT_INPUT)
    rep = seed(db_url, complaints=n, seed=seed_value)
    if as_json:
        print(json.dumps({"complaints": rep.complaints, "agencies": rep.agencies,
                          "categories": rep.categories, "users": rep.users,
                          "already_seeded": rep.already_seeded,
                          "seconds": round(rep.seconds, 3)}))
    elif rep.already_seeded:
        print("database already seeded; nothing added")
    else:
        print(f"seeded {rep.complaints} complaints, {rep.agencies} agencies, "
              f"{rep.categories} categories, {rep.users} users in {rep.seconds:.1f} s")
    return EXIT_OK


def _import(db_url: str, file: str, as_json: bool) -> int:
    from lapor_hub import db
    from lapor_hub.jsonl import import_jsonl

    try:
        fh = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror}") from exc
    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        with fh:
            rep = import_jsonl(engine, fh)
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror}") from exc
    finally:
        engine.dispose()
    for lineno, reason in rep.errors:
        print(f"line {lineno}: {reason}", file=sys.stderr)
    if as_json:
        print(json.dumps({"created": rep.created, "updated": rep.updated,
                          "unchanged": rep.unchanged,
                          "bad_lines": [{"line": n, "reason": r} for n, r in rep.errors]}))
    else:
        print(f"imported {rep.imported} complaints ({rep.created} new, {rep.updated} updated, "
              f"{rep.unchanged} unchanged); {len(rep.errors)} bad lines")
    return EXIT_BAD_LINES if rep.errors else EXIT_OK


def _export(db_url: str, out: str | None, include_confidential: bool) -> int:
    from lapor_hub import db
    from lapor_hub.jsonl import export_jsonl

    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        if out is None:
            rep = export_jsonl(engine, sys.stdout, include_confidential=include_confidential)
        else:
            try:
                with open(out, "w", encoding="utf-8", newline="\n") as fh:
                    rep = export_jsonl(engine, fh, include_confidential=include_confidential)
            except OSError as exc:
                raise CliError(f"cannot write {out}: {exc.strerror}") from exc
    finally:
        engine.dispose()
    print(f"exported {rep.exported} complaints", file=sys.stderr)
    if rep.confidential_skipped:
        print(f"left out {rep.confidential_skipped} confidential (rahasia) complaints; "
              f"use --include-confidential to export them", file=sys.stderr)
    if rep.confidential_exported:
        print(f"included {rep.confidential_exported} confidential (rahasia) complaints "
              f"(recorded in the audit log)", file=sys.stderr)
    return EXIT_OK


def _user_add(db_url: str, username: str, role: str, agency: str, display: str | None,
              as_json: bool) -> int:
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from lapor_hub import auth, db

    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < auth.MIN_PASSWORD_CHARS:
        raise CliError(f"the password (read from stdin) must have at least "
                       f"{auth.MIN_PASSWORD_CHARS} characters", EXIT_INPUT)
    if not username.strip() or len(username) > 150:
        raise CliError("the username must be 1 to 150 characters", EXIT_INPUT)
    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        with db.write_tx(engine) as conn:
            if conn.execute(select(db.agencies.c.id).where(db.agencies.c.id == agency)).first() \
                    is None:
                raise CliError(f"unknown agency: {agency}", EXIT_INPUT)
            if conn.execute(select(db.users.c.id).where(db.users.c.username == username)) \
                    .first() is not None:
                raise CliError(f"the username {username} is taken", EXIT_INPUT)
            uid = auth.add_user(conn, username=username, password=password, role=role,
                                agency_id=agency, display_name=display)
    except IntegrityError as exc:
        raise CliError(f"the username {username} is taken", EXIT_INPUT) from exc
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps({"id": uid, "username": username, "role": role, "agency_id": agency}))
    else:
        print(f"added user {username} ({role}, {agency})")
    return EXIT_OK


def _parse_now(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError("--now must be an ISO 8601 time, e.g. 2026-01-05T09:00:00+07:00",
                       EXIT_INPUT) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _act(db_url: str, args: argparse.Namespace) -> int:
    from lapor_hub import db
    from lapor_hub.commands import ActError, admin_act

    now = _parse_now(args.now)
    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        res = admin_act(engine, args.verb, args.id, to=args.to, copies=args.copy,
                        reason=args.reason, text=args.text, status=args.status, now=now)
    except ActError as exc:
        r = exc.refusal
        text = r.message_en if r.message_id == r.message_en else \
            f"{r.message_id} ({r.message_en})"
        raise CliError(text.replace("\n", " "), EXIT_INPUT) from None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"id": res.complaint_id, "tracking_id": res.tracking_id,
                          "status": res.status, "agency_id": res.agency_id,
                          "version": res.version}))
    else:
        print(f"#{res.tracking_id}: {res.status} ({res.agency_id}), version {res.version}")
    return EXIT_OK


def _jobs(db_url: str, now_text: str | None, as_json: bool) -> int:
    from lapor_hub import db
    from lapor_hub.jobs import run_jobs

    now = _parse_now(now_text)
    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        rep = run_jobs(engine, now)
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps(rep.as_dict()))
    else:
        print(f"completed {rep.completed}; overdue flagged {rep.overdue_set}, cleared "
              f"{rep.overdue_cleared}; escalation flagged {rep.escalated}; attachment uploads "
              f"purged {rep.uploads_purged}, unused files purged {rep.blobs_purged}")
    return EXIT_OK


def _rules(db_url: str, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from lapor_desk.errors import InvalidInputError
    from lapor_hub import db
    from lapor_hub import rules as hub_rules

    settings: dict[str, str] = {}
    for item in args.settings if args.rules_cmd == "set" else []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--set needs KEY=VALUE, got {item!r}", EXIT_INPUT)
        settings[key.strip()] = value
    if args.rules_cmd == "set" and not settings:
        raise CliError("nothing to set: give --set KEY=VALUE (repeatable)", EXIT_INPUT)
    engine = db.make_engine(db_url)
    try:
        db.init_db(engine)
        with db.write_tx(engine) if settings else db.read_tx(engine) as conn:
            if conn.execute(select(db.agencies.c.id)
                            .where(db.agencies.c.id == args.agency)).first() is None:
                raise CliError(f"unknown agency: {args.agency}", EXIT_INPUT)
            current = hub_rules.agency_rules(conn, args.agency)
            if settings:
                try:
                    current = hub_rules.apply_settings(current, settings)
                except KeyError as exc:
                    raise CliError(f"unknown rule: {exc.args[0]}", EXIT_INPUT) from None
                except InvalidInputError as exc:
                    raise CliError(exc.message_en, EXIT_INPUT) from None
                except (TypeError, ValueError) as exc:
                    raise CliError(f"invalid rule value ({exc})", EXIT_INPUT) from None
                hub_rules.set_rules(conn, args.agency, current)
            stored = hub_rules.stored(conn, args.agency)
    finally:
        engine.dispose()
    data = current.to_dict()
    if args.json:
        print(json.dumps({"agency_id": args.agency, "stored": stored, "rules": data},
                         ensure_ascii=False))
        return EXIT_OK
    print(f"{args.agency}: {'stored rules' if stored else 'defaults (no rules stored)'}")
    for key, value in data.items():
        if key == "extra_days_off":
            print(f"  {key}: {len(value)} days")
        else:
            print(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        db_url: str = args.db or default_db_url()
        if args.command == "serve":
            return _serve(db_url, args.host, args.port)
        if args.command == "seed":
            return _seed(db_url, args.complaints, args.seed, args.json)
        if args.command == "import":
            return _import(db_url, args.file, args.json)
        if args.command == "export":
            return _export(db_url, args.out, args.include_confidential)
        if args.command == "act":
            return _act(db_url, args)
        if args.command == "jobs":
            return _jobs(db_url, args.now, args.json)
        if args.command == "rules":
            return _rules(db_url, args)
        if args.command == "user" and args.user_cmd == "add":
            return _user_add(db_url, args.username, args.role, args.agency, args.display_name,
                             args.json)
        raise CliError("unknown command", EXIT_INPUT)
    except CliError as exc:
        print(f"lapor-hub: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # One line, no traceback; the type name helps without leaking data.
        from sqlalchemy.exc import ArgumentError, OperationalError

        if isinstance(exc, ArgumentError):
            msg = "invalid database URL"
        elif isinstance(exc, OperationalError):
            msg = "cannot open the database (check --db and that the server is running)"
        else:
            msg = f"unexpected error ({type(exc).__name__})"
        print(f"lapor-hub: {msg}", file=sys.stderr)
        return EXIT_ERROR
