"""``lapor-desk``: the window, the demo, and headless commands for scripts and administrators.

Contract: ``--json`` prints exactly one JSON document on stdout. Errors print one line on
stderr in the user's language (Indonesian unless ``LAPOR_DESK_LANG=en`` or the profile says
otherwise) and exit non-zero, never with a traceback: a ``LaporError`` exits with its
``exit_code``, Ctrl-C with 130, anything else is logged with its traceback and exits 70.
Qt is imported only by the commands that open a window.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lapor_desk import __version__
from lapor_desk.core import DeskContext
from lapor_desk.errors import InvalidInputError, LaporError, NotFoundError
from lapor_desk.logging_setup import setup_logging
from lapor_desk.settings import resolve_home

log = logging.getLogger("lapor_desk.cli")

LANG_ENV = "LAPOR_DESK_LANG"
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class _Out:
    """Where the user's language and the log path are remembered for error messages."""

    lang = "id"
    log_path: Path | None = None


def _t(id_text: str, en_text: str) -> str:
    return en_text if _Out.lang == "en" else id_text


def _lang_from_env() -> str | None:
    value = os.environ.get(LANG_ENV, "").strip().lower()
    return value if value in ("id", "en") else None


# ---------------------------------------------------------------- argument parsing

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, metavar="DIR",
                        help="profile directory (default: $LAPOR_DESK_HOME or the user data dir)")
    parser = argparse.ArgumentParser(
        prog="lapor-desk", parents=[common],
        description="LAPOR! Desk — offline-first desktop client for SP4N-LAPOR!")
    parser.add_argument("--version", action="version", version=f"lapor-desk {__version__}")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", parents=[common], help="open the window on demo data")
    demo.add_argument("--no-window", action="store_true", help=argparse.SUPPRESS)
    demo.add_argument("--complaints", type=int, default=2000, help=argparse.SUPPRESS)

    login = sub.add_parser("login", parents=[common], help="sign in to a server")
    login.add_argument("--server", required=True, metavar="URL")
    login.add_argument("--username", required=True)
    login.add_argument("--ca-bundle", metavar="PEM",
                       help="CA certificates to trust for this server (verification stays on)")
    login.add_argument("--json", action="store_true")

    sync = sub.add_parser("sync", parents=[common], help="send and receive changes")
    sync.add_argument("--json", action="store_true")

    status = sub.add_parser("status", parents=[common], help="sync status and counts")
    status.add_argument("--json", action="store_true")

    lst = sub.add_parser("list", parents=[common], help="list complaints")
    lst.add_argument("--search", default="")
    lst.add_argument("--status", action="append", default=[], metavar="S",
                     help="filter by status (repeatable or comma-separated)")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--reveal", action="store_true",
                     help="show titles of confidential (rahasia) complaints")

    show = sub.add_parser("show", parents=[common], help="show one complaint")
    show.add_argument("complaint", metavar="COMPLAINT", help="tracking id or uuid")
    show.add_argument("--json", action="store_true")
    show.add_argument("--reveal", action="store_true",
                      help="print the content of a confidential (rahasia) complaint")

    sub.add_parser("logout", parents=[common], help="sign out (keeps all data)")
    return parser


# ---------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> int:
    _Out.lang = _lang_from_env() or "id"
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return _dispatch(args)
    except LaporError as exc:
        log.warning("command failed: %s (%s)", exc.code, exc.detail or "")
        _err(exc.message(_Out.lang))
        return exc.exit_code
    except KeyboardInterrupt:
        _err(_t("Dibatalkan.", "Cancelled."))
        return EXIT_INTERRUPTED
    except Exception:
        log.exception("internal error")
        where = f" {_Out.log_path}" if _Out.log_path else ""
        _err(_t(f"Kesalahan internal; lihat log{where}.", f"Internal error; see the log{where}."))
        return EXIT_INTERNAL


def _err(line: str) -> None:
    print(" ".join(line.split()), file=sys.stderr)  # exactly one line


def _emit(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(type(value).__name__)


def _context(args: argparse.Namespace) -> DeskContext:
    home = resolve_home(getattr(args, "home", None))
    _Out.log_path = setup_logging(home / "logs")
    ctx = DeskContext.for_home(home)
    _Out.lang = _lang_from_env() or (ctx.settings.language if ctx.settings.language in (
        "id", "en") else "id")
    return ctx


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "demo":
        return _cmd_demo(args)
    ctx = _context(args)
    log.info("lapor-desk %s %s", __version__, command or "window")
    try:
        if command is None:
            from lapor_desk.ui.app import run_app

            return int(run_app(ctx))
        handler = {"login": _cmd_login, "sync": _cmd_sync, "status": _cmd_status,
                   "list": _cmd_list, "show": _cmd_show, "logout": _cmd_logout}[command]
        return handler(ctx, args)
    finally:
        ctx.close()


# ---------------------------------------------------------------- commands

def _cmd_demo(args: argparse.Namespace) -> int:
    from lapor_desk.core import start_demo

    home = resolve_home(getattr(args, "home", None))
    _Out.log_path = setup_logging(home / "logs")
    session = start_demo(complaints=args.complaints)
    try:
        assert session.ctx is not None
        if args.no_window:
            _emit(_status_doc(session.ctx))
            return 0
        from lapor_desk.ui.app import run_app

        return int(run_app(session.ctx, demo=True))
    finally:
        session.close()


def _read_password() -> str:
    if sys.stdin is not None and not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return getpass.getpass(_t("Kata sandi: ", "Password: "))


def _cmd_login(ctx: DeskContext, args: argparse.Namespace) -> int:
    if args.ca_bundle:
        bundle = Path(args.ca_bundle).expanduser().resolve()
        if not bundle.is_file():
            raise InvalidInputError("--ca-bundle", message_id="Berkas CA tidak ditemukan.",
                                    message_en="The CA bundle file does not exist.")
        ctx.settings.ca_bundle = str(bundle)
    password = _read_password()
    if not password:
        raise InvalidInputError(message_id="Kata sandi kosong.", message_en="Empty password.")
    user = ctx.login(args.server, args.username, password)
    del password
    if args.json:
        _emit({"user": user, "server": ctx.settings.server_url,
               "reset": ctx.last_login_reset})
    else:
        print(_t(f"Masuk sebagai {user['display_name']} ({user['username']}), "
                 f"{user['agency_name']}.",
                 f"Signed in as {user['display_name']} ({user['username']}), "
                 f"{user['agency_name']}."))
        if ctx.last_login_reset:
            print(_t("Data sinkron akun sebelumnya diganti; tidak ada pekerjaan yang hilang.",
                     "The previous account's synced data was replaced; no work was lost."))
    return 0


def _cmd_sync(ctx: DeskContext, args: argparse.Namespace) -> int:
    progress = None
    if not args.json and sys.stderr.isatty():
        def progress(pr: Any) -> None:
            total = f"/{pr.complaints_total}" if pr.complaints_total is not None else ""
            print(f"\r{pr.phase}: {pr.complaints_done}{total}, {pr.bytes_done // 1024} KiB",
                  end="", file=sys.stderr, flush=True)
    report = ctx.sync(progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    if args.json:
        doc = asdict(report)
        doc["seconds"] = round(report.seconds, 3)
        _emit(doc)
    else:
        print(_t(f"Sinkron: {report.received} pengaduan diterima, {report.removed} dihapus, "
                 f"{report.rejected} ditolak; {report.pages} halaman, "
                 f"{report.bytes // 1024} KiB, {report.seconds:.1f} detik.",
                 f"Synced: {report.received} complaints received, {report.removed} removed, "
                 f"{report.rejected} rejected; {report.pages} pages, "
                 f"{report.bytes // 1024} KiB, {report.seconds:.1f} s."))
    return 0


def _status_doc(ctx: DeskContext) -> dict[str, Any]:
    st = ctx.status()
    return {
        "complaints": st.complaints, "pending": st.pending, "attention": st.attention,
        "last_sync": st.last_sync.isoformat() if st.last_sync else None,
        "server": st.server_url, "username": st.username,
        "agency_id": ctx.settings.agency_id, "logged_in": ctx.is_logged_in(),
    }


def _cmd_status(ctx: DeskContext, args: argparse.Namespace) -> int:
    doc = _status_doc(ctx)
    if args.json:
        _emit(doc)
        return 0
    never = _t("belum pernah", "never")
    rows = [
        (_t("Server", "Server"), doc["server"] or "-"),
        (_t("Pengguna", "User"), doc["username"] or "-"),
        (_t("Pengaduan", "Complaints"), str(doc["complaints"])),
        (_t("Belum terkirim", "Pending"), str(doc["pending"])),
        (_t("Perlu perhatian", "Needs attention"), str(doc["attention"])),
        (_t("Sinkron terakhir", "Last sync"), doc["last_sync"] or never),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    return 0


def _masked(confidential: bool, text: str, reveal: bool) -> str:
    if confidential and not reveal:
        return _t("[rahasia]", "[confidential]")
    return text


def _calendar() -> Any:
    from lapor_desk.models.rules import DeadlineRules, calendar_from_rules

    return calendar_from_rules(DeadlineRules())


def _cmd_list(ctx: DeskContext, args: argparse.Namespace) -> int:
    from lapor_desk.models.domain import STATUS_LABELS_EN, STATUS_LABELS_ID
    from lapor_desk.models.records import ComplaintQuery

    if args.limit < 0:
        raise InvalidInputError("--limit")
    statuses = tuple(s.strip() for v in args.status for s in v.split(",") if s.strip())
    store = ctx.open_store()
    ids = list(store.ids(ComplaintQuery(search=args.search, statuses=statuses)))[: args.limit]
    rows = list(store.rows(ids)) if ids else []
    if args.reveal and any(r.is_confidential for r in rows):
        log.warning("audit: titles of confidential complaints printed by 'list --reveal'")
    if args.json:
        _emit([{
            "id": r.id, "tracking_id": r.tracking_id,
            "title": _masked(r.is_confidential, r.title, args.reveal),
            "status": r.status, "agency_id": r.agency_id,
            "due_at": r.due_at.isoformat() if r.due_at else None,
            "created_at": r.created_at.isoformat(), "priority": r.priority,
            "category": r.category_path, "assignee": r.assignee_name,
            "is_anonymous": r.is_anonymous, "is_confidential": r.is_confidential,
        } for r in rows])
        return 0
    labels = STATUS_LABELS_EN if _Out.lang == "en" else STATUS_LABELS_ID
    cal = _calendar()
    now = datetime.now(UTC)
    table = [(_t("NO.", "NO."), _t("STATUS", "STATUS"), _t("TENGGAT", "DUE"),
              _t("SISA HK", "WD LEFT"), _t("INSTANSI", "AGENCY"), _t("JUDUL", "TITLE"))]
    for r in rows:
        due = r.due_at.astimezone(cal.tz).strftime("%Y-%m-%d") if r.due_at else "-"
        left = str(cal.working_days_left(r.due_at, now)) if r.due_at else "-"
        title = _one_line(_masked(r.is_confidential, r.title, args.reveal), 60)
        table.append((str(r.tracking_id), labels.get(r.status, r.status), due, left,
                      r.agency_id, title))
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [row[i].rjust(widths[i]) if i in (0, 3) else row[i].ljust(widths[i])
                 for i in range(5)]
        print("  ".join([*cells, row[5]]))
    if not rows:
        print(_t("(tidak ada pengaduan)", "(no complaints)"))
    return 0


def _one_line(text: str, limit: int) -> str:
    # Control characters (newlines, escape sequences) in citizens' text must not steer the
    # terminal.
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)


def _cmd_show(ctx: DeskContext, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    detail = store.detail(args.complaint.strip())
    if detail is None:
        raise NotFoundError(args.complaint[:64])
    r = detail.row
    reveal = bool(args.reveal)
    if r.is_confidential and reveal:
        log.warning("audit: confidential complaint %s printed by 'show --reveal'", r.id)
    hidden = r.is_confidential and not reveal
    if args.json:
        doc = asdict(detail)
        if hidden:
            doc["row"]["title"] = _masked(True, "", False)
            doc["body"] = None
            for item in doc["thread"]:
                item["body"] = None
        _emit(doc)
        return 0
    cal = _calendar()
    now = datetime.now(UTC)

    def when(value: datetime | None) -> str:
        return value.astimezone(cal.tz).strftime("%Y-%m-%d %H:%M %Z") if value else "-"

    due = when(r.due_at)
    if r.due_at is not None:
        from lapor_desk.models.rules import deadline_state

        state = deadline_state(r.due_at, now, cal)
        due += f" ({_t(state.label_id, state.label_en)})"
    reporter = _t("anonim", "anonymous") if r.is_anonymous else ", ".join(
        v for v in (detail.reporter_name, detail.reporter_phone, detail.reporter_email) if v
    ) or "-"
    lines = [
        f"#{r.tracking_id}  {_one_line(_masked(r.is_confidential, r.title, reveal), 200)}",
        f"{_t('ID', 'ID')}: {r.id}",
        f"{_t('Status', 'Status')}: {r.status}    {_t('Prioritas', 'Priority')}: {r.priority}",
        f"{_t('Klasifikasi', 'Class')}: {r.classification}    "
        f"{_t('Kanal', 'Channel')}: {r.channel}",
        f"{_t('Kategori', 'Category')}: {r.category_path or '-'}",
        f"{_t('Instansi', 'Agency')}: {detail.agency_name or r.agency_id}"
        + (f"  ({_t('tembusan', 'copies')}: {', '.join(detail.copy_agency_names)})"
           if detail.copy_agency_names else ""),
        f"{_t('Lokasi', 'Location')}: "
        + (", ".join(v for v in (detail.district, detail.regency, detail.province) if v) or "-"),
        f"{_t('Pelapor', 'Reporter')}: {_one_line(reporter, 200)}",
        f"{_t('Dibuat', 'Created')}: {when(r.created_at)}    {_t('Tenggat', 'Due')}: {due}",
        f"{_t('Rahasia', 'Confidential')}: {_t('ya', 'yes') if r.is_confidential else '-'}",
        "",
    ]
    if hidden:
        lines.append(_t("[Isi pengaduan rahasia disembunyikan; gunakan --reveal.]",
                        "[Confidential content hidden; use --reveal.]"))
    else:
        lines.append(_printable(detail.body))
        for item in detail.thread:
            lines += ["", f"--- {when(item.created_at)}  {item.kind}  {_one_line(item.author, 80)}",
                      _printable(item.body)]
    for att in detail.attachments:
        lines.append(f"[{_t('lampiran', 'attachment')}] {_one_line(att.name, 120)} "
                     f"({att.size} B)")
    print("\n".join(lines))
    return 0


def _cmd_logout(ctx: DeskContext, args: argparse.Namespace) -> int:
    info = ctx.logout()
    print(_t("Keluar. Data di komputer ini tetap tersimpan.",
             "Signed out. The data on this computer is kept."))
    if info.pending:
        print(_t(f"Perhatian: {info.pending} perubahan belum terkirim; masuk lagi dan "
                 "sinkronkan untuk mengirimnya.",
                 f"Warning: {info.pending} change(s) not sent yet; sign in again and sync "
                 "to send them."), file=sys.stderr)
    if not info.server_confirmed:
        log.info("logout not confirmed by the server")
    return 0
