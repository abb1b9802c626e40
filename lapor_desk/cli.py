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
from typing import TYPE_CHECKING, Any

from lapor_desk import __version__
from lapor_desk.core import DeskContext
from lapor_desk.errors import (
    InvalidInputError,
    LaporError,
    NotFoundError,
    PermissionDeniedError,
    VaultError,
    VaultLockedError,
)
from lapor_desk.logging_setup import setup_logging
from lapor_desk.models.blobs import TransferProgress
from lapor_desk.settings import resolve_home

if TYPE_CHECKING:
    from lapor_desk.models.workdays import WorkCalendar

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
    login.add_argument("--passphrase", action="store_true",
                       help="no OS keyring here: protect this new profile with an unlock "
                            "passphrase instead (asked twice; or $LAPOR_DESK_PASSPHRASE)")
    login.add_argument("--json", action="store_true")

    sync = sub.add_parser("sync", parents=[common], help="send and receive changes")
    sync.add_argument("--json", action="store_true")
    sync.add_argument("--verify", action="store_true",
                      help="also compare the replica with the server's checksums and repair "
                           "what differs")

    status = sub.add_parser("status", parents=[common], help="sync status and counts")
    status.add_argument("--json", action="store_true")

    lst = sub.add_parser("list", parents=[common], help="list complaints")
    lst.add_argument("--search", default="")
    lst.add_argument("--status", action="append", default=[], metavar="S",
                     help="filter by status (repeatable or comma-separated)")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--unread", action="store_true",
                     help="only complaints not read yet (or with a new reporter reply)")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--reveal", action="store_true",
                     help="show titles of confidential (rahasia) complaints")

    show = sub.add_parser("show", parents=[common], help="show one complaint")
    show.add_argument("complaint", metavar="COMPLAINT", help="tracking id or uuid")
    show.add_argument("--json", action="store_true")
    show.add_argument("--reveal", action="store_true",
                      help="print the content of a confidential (rahasia) complaint")

    sub.add_parser("logout", parents=[common], help="sign out (keeps all data)")

    pp = sub.add_parser("passphrase", parents=[common],
                        help="change the unlock passphrase of a profile without a keyring")
    pp.add_argument("action", choices=["change"])

    respond = sub.add_parser("respond", parents=[common],
                             help="write a response draft (offline; sent on the next sync)")
    respond.add_argument("complaint", metavar="COMPLAINT", nargs="+",
                         help="tracking id or uuid (several with --cluster)")
    respond.add_argument("--text-file", required=True, metavar="F", help="UTF-8 text ('-': stdin)")
    respond.add_argument("--draft", metavar="DRAFT", help="edit this draft instead of a new one")
    respond.add_argument("--submit", action="store_true", help="also submit it for approval")
    respond.add_argument("--cluster", action="store_true",
                         help="one text with {placeholders} adapted to each complaint: one "
                              "draft per complaint")
    respond.add_argument("--preview", action="store_true",
                         help="with --cluster: show the adapted texts, save nothing")
    respond.add_argument("--reveal", action="store_true",
                         help="with --cluster: print texts of confidential complaints (audited)")
    respond.add_argument("--json", action="store_true")

    mark = sub.add_parser("mark-read", parents=[common],
                          help="mark complaints read (per user; offline, sent on the next sync)")
    mark.add_argument("complaint", metavar="COMPLAINT", nargs="+")
    mark.add_argument("--unread", action="store_true", help="mark unread instead")
    mark.add_argument("--json", action="store_true")

    park = sub.add_parser("park", parents=[common],
                          help="set a conflict or rejection aside (listed under parked)")
    park.add_argument("item", metavar="OP|COMPLAINT", nargs="*")
    park.add_argument("--list", action="store_true", help="list the parked items")
    park.add_argument("--waiting", action="store_true",
                      help="list the commands still waiting to be sent (to park one by OP)")
    park.add_argument("--json", action="store_true")
    unpark = sub.add_parser("unpark", parents=[common],
                            help="resume a parked item (back to needs attention)")
    unpark.add_argument("item", metavar="OP|COMPLAINT", nargs="+")
    unpark.add_argument("--json", action="store_true")

    submit = sub.add_parser("submit", parents=[common], help="submit a draft for approval")
    submit.add_argument("draft", metavar="DRAFT")
    submit.add_argument("--json", action="store_true")

    review = sub.add_parser("review", parents=[common], help="approve or return a response")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    approve = review_sub.add_parser("approve", parents=[common], help="approve and publish")
    approve.add_argument("draft", metavar="DRAFT")
    approve.add_argument("--json", action="store_true")
    ret = review_sub.add_parser("return", parents=[common], help="return to the author")
    ret.add_argument("draft", metavar="DRAFT")
    ret.add_argument("--note", required=True, metavar="TEXT")
    ret.add_argument("--json", action="store_true")

    check = sub.add_parser("check", parents=[common], help="is a response substantive?")
    check.add_argument("--text-file", required=True, metavar="F", help="UTF-8 text ('-': stdin)")
    check.add_argument("--complaint", metavar="COMPLAINT",
                       help="check against this complaint (tracking id or uuid)")
    check.add_argument("--json", action="store_true")

    attention = sub.add_parser("attention", parents=[common], help="what needs attention")
    attention.add_argument("--json", action="store_true")

    drafts = sub.add_parser("drafts", parents=[common], help="response drafts on this computer")
    drafts.add_argument("--json", action="store_true")
    drafts_sub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION")
    send = drafts_sub.add_parser("send-note", parents=[common],
                                 help="send an orphaned draft to the new owner as a note")
    send.add_argument("draft", metavar="DRAFT")
    send.add_argument("--json", action="store_true")
    export = drafts_sub.add_parser("export", parents=[common],
                                   help="write a draft to a text file")
    export.add_argument("draft", metavar="DRAFT")
    export.add_argument("--out", metavar="PATH", default=".",
                        help="a directory (safe name chosen) or a file; never overwritten")
    export.add_argument("--json", action="store_true")
    discard = drafts_sub.add_parser("discard", parents=[common],
                                    help="discard an orphaned draft for good")
    discard.add_argument("draft", metavar="DRAFT")
    discard.add_argument("--yes", action="store_true", help="confirm (needed without a terminal)")
    discard.add_argument("--json", action="store_true")

    similar = sub.add_parser("similar", parents=[common],
                             help="complaints like this one (same problem, same place)")
    similar.add_argument("complaint", help="tracking ID or UUID")
    similar.add_argument("--limit", type=int, default=8)
    similar.add_argument("--json", action="store_true")
    similar.add_argument("--reveal", action="store_true",
                         help="show titles of confidential complaints (audited)")

    triage = sub.add_parser("triage", parents=[common],
                            help="assign, categorise, prioritise or tag complaints (offline)")
    triage.add_argument("complaints", nargs="+", metavar="COMPLAINT",
                        help="tracking ids or uuids")
    triage.add_argument("--assign", metavar="USER",
                        help="user id or display name of the agency; 'none' to unassign")
    triage.add_argument("--category", metavar="CATEGORY", help="category id or full path")
    triage.add_argument("--priority", choices=("rendah", "normal", "tinggi", "mendesak"))
    triage.add_argument("--tag", action="append", default=[], metavar="TAG",
                        help="add a tag (repeatable)")
    triage.add_argument("--untag", action="append", default=[], metavar="TAG",
                        help="remove a tag (repeatable)")
    triage.add_argument("--json", action="store_true")

    note = sub.add_parser("note", parents=[common], help="add an internal note (offline)")
    note.add_argument("complaint", metavar="COMPLAINT", help="tracking id or uuid")
    note.add_argument("text", metavar="TEXT")
    note.add_argument("--json", action="store_true")

    reroute = sub.add_parser("reroute", parents=[common],
                             help="ask the administrator to route complaints elsewhere")
    reroute.add_argument("complaints", nargs="+", metavar="COMPLAINT")
    reroute.add_argument("--reason", required=True, metavar="TEXT")
    reroute.add_argument("--json", action="store_true")

    logcmd = sub.add_parser("log", parents=[common],
                            help="the end of this profile's log (redacted; for administrators)")
    logcmd.add_argument("--lines", type=int, default=50, metavar="N")
    logcmd.add_argument("--sync", action="store_true", help="only the sync engine's lines")

    attach = sub.add_parser("attach", parents=[common],
                            help="add a file as evidence (offline; uploaded on the next sync)")
    attach.add_argument("complaint", metavar="TRACKING", help="tracking id or uuid")
    attach.add_argument("file", metavar="FILE")
    attach.add_argument("--note", metavar="TEXT", help="a note recorded with the file")
    attach.add_argument("--json", action="store_true")

    atts = sub.add_parser("attachments", parents=[common],
                          help="list a complaint's attachments and their local state")
    atts.add_argument("complaint", metavar="TRACKING", help="tracking id or uuid")
    atts.add_argument("--json", action="store_true")
    atts.add_argument("--reveal", action="store_true",
                      help="show file names of a confidential (rahasia) complaint")

    download = sub.add_parser("download", parents=[common],
                              help="download an attachment (resumes if re-run)")
    download.add_argument("complaint", metavar="TRACKING", help="tracking id or uuid")
    download.add_argument("which", metavar="N", help="number in 'attachments', or its id")
    download.add_argument("--out", required=True, metavar="DIR",
                          help="folder to save the file in (a safe, unused name is chosen)")
    download.add_argument("--json", action="store_true")
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


PASSPHRASE_ENV = "LAPOR_DESK_PASSPHRASE"  # noqa: S105 - a variable name
NEW_PASSPHRASE_ENV = "LAPOR_DESK_NEW_PASSPHRASE"  # noqa: S105


def _ask_secret(env: str, prompt: str) -> str:
    """A passphrase: from ``env`` (scripts), else asked at the terminal; never from a file."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise VaultLockedError(
            "no terminal",
            message_id=f"Profil ini dilindungi frasa sandi. Jalankan di terminal, atau isi "
                       f"{env} untuk skrip.",
            message_en=f"This profile is protected by a passphrase. Run it in a terminal, or "
                       f"set {env} for scripts.")
    return getpass.getpass(prompt)


def _new_passphrase(env: str) -> tuple[str, str | None]:
    value = os.environ.get(env)
    if value:
        return value, None
    first = _ask_secret(env, _t("Frasa sandi baru: ", "New passphrase: "))
    return first, _ask_secret(env, _t("Ulangi frasa sandi: ", "Repeat the passphrase: "))


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "demo":
        return _cmd_demo(args)
    ctx = _context(args)
    log.info("lapor-desk %s %s", __version__, command or "window")
    try:
        # The window asks in a dialog; "passphrase change" asks for the current one itself.
        if ctx.needs_passphrase and command not in (None, "passphrase"):
            ctx.unlock(_ask_secret(PASSPHRASE_ENV, _t("Frasa sandi profil: ",
                                                      "Profile passphrase: ")))
        if command is None:
            from lapor_desk.ui.app import run_app

            return int(run_app(ctx))
        handler = {"login": _cmd_login, "sync": _cmd_sync, "status": _cmd_status,
                   "list": _cmd_list, "show": _cmd_show, "logout": _cmd_logout,
                   "respond": _cmd_respond, "submit": _cmd_submit, "review": _cmd_review,
                   "check": _cmd_check, "attention": _cmd_attention,
                   "drafts": _cmd_drafts, "similar": _cmd_similar, "triage": _cmd_triage,
                   "note": _cmd_note, "reroute": _cmd_reroute, "log": _cmd_log,
                   "mark-read": _cmd_mark_read, "park": _cmd_park,
                   "unpark": _cmd_unpark, "attach": _cmd_attach,
                   "attachments": _cmd_attachments, "download": _cmd_download,
                   "passphrase": _cmd_passphrase}[command]
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
    if args.passphrase and not ctx.uses_passphrase:
        ctx.protect_with_passphrase(*_new_passphrase(PASSPHRASE_ENV))
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
    report = ctx.sync(progress=progress, verify=args.verify)
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
        if report.pushed or report.applied or report.commands_rejected or report.conflicts:
            print(_t(f"Terkirim: {report.pushed} perubahan; {report.applied} diterapkan, "
                     f"{report.conflicts} bentrok, {report.commands_rejected} ditolak.",
                     f"Sent: {report.pushed} change(s); {report.applied} applied, "
                     f"{report.conflicts} conflict(s), {report.commands_rejected} rejected."))
        if report.verified or report.verify_skipped:
            if report.verify_skipped:
                print(_t(f"Pemeriksaan replika belum selesai ({report.verify_skipped}); "
                         "dicoba lagi nanti.",
                         f"Replica check not completed ({report.verify_skipped}); "
                         "tried again later."))
            else:
                print(_t(f"Replika diperiksa: {report.buckets_differed} kelompok berbeda, "
                         f"{report.repaired} pengaduan diperbaiki, {report.repair_removed} "
                         "dihapus.",
                         f"Replica checked: {report.buckets_differed} bucket(s) differed, "
                         f"{report.repaired} complaint(s) repaired, {report.repair_removed} "
                         "removed."))
        if report.push_unsupported:
            print(_t("Server belum menerima perubahan dari aplikasi; perubahan Anda tetap "
                     "tersimpan dan dikirim nanti.",
                     "The server does not accept changes yet; your changes stay saved and are "
                     "sent later."))
        _, attention = ctx.outbox().counts(role=ctx.settings.role)
        if attention:
            print(_t(f"{attention} hal perlu perhatian: jalankan 'lapor-desk attention'.",
                     f"{attention} item(s) need attention: run 'lapor-desk attention'."))
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
        (_t("Sinkron terakhir", "Last sync"),
         _local(ctx, datetime.fromisoformat(doc["last_sync"])) if doc["last_sync"] else never),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    return 0


def _masked(confidential: bool, text: str, reveal: bool) -> str:
    if confidential and not reveal:
        return _t("[rahasia]", "[confidential]")
    return text


def _calendar(ctx: DeskContext) -> WorkCalendar:
    """The synced agency rules' calendar (works offline; the defaults before a first sync)."""
    return ctx.calendar()


def _local(ctx: DeskContext, value: datetime | None) -> str:
    """A moment in the agency's time zone (WIB/WITA/WIT), as people there read clocks."""
    return value.astimezone(ctx.calendar().tz).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def _cmd_list(ctx: DeskContext, args: argparse.Namespace) -> int:
    from lapor_desk.models.domain import STATUS_LABELS_EN, STATUS_LABELS_ID
    from lapor_desk.models.records import ComplaintQuery

    if args.limit < 0:
        raise InvalidInputError("--limit")
    statuses = tuple(s.strip() for v in args.status for s in v.split(",") if s.strip())
    store = ctx.open_store()
    ids = list(store.ids(ComplaintQuery(search=args.search, statuses=statuses,
                                        unread=args.unread)))[: args.limit]
    rows = list(store.rows(ids)) if ids else []
    unread = store.unread(ids) if ids else set()
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
            "unread": r.id in unread,
        } for r in rows])
        return 0
    labels = STATUS_LABELS_EN if _Out.lang == "en" else STATUS_LABELS_ID
    cal = _calendar(ctx)
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


def _cmd_similar(ctx: DeskContext, args: argparse.Namespace) -> int:
    from lapor_desk.models.similar import similar_complaints

    if not 1 <= args.limit <= 100:
        raise InvalidInputError("--limit 1..100")
    found = similar_complaints(ctx.open_store(), args.complaint.strip(), limit=args.limit)
    if args.reveal and any(f.row.is_confidential for f in found):
        log.warning("audit: titles of confidential complaints printed by 'similar --reveal'")
    if args.json:
        _emit([{"id": f.row.id, "tracking_id": f.row.tracking_id,
                "title": _masked(f.row.is_confidential, f.row.title, args.reveal),
                "status": f.row.status, "score": f.score, "same_place": f.same_place,
                "same_category": f.same_category} for f in found])
        return 0
    for f in found:
        marks = ("T" if f.same_place else "-") + ("K" if f.same_category else "-")
        title = _one_line(_masked(f.row.is_confidential, f.row.title, args.reveal), 70)
        print(f"{f.row.tracking_id:>9}  {marks}  {f.score:6.1f}  {title}")
    if not found:
        print(_t("(tidak ada pengaduan serupa)", "(no similar complaints)"))
    else:
        print(_t("T = tempat sama, K = kategori sama", "T = same place, K = same category"))
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
    cal = _calendar(ctx)
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


def _cmd_passphrase(ctx: DeskContext, args: argparse.Namespace) -> int:
    if not ctx.uses_passphrase:
        raise VaultError(
            "keyring profile",
            message_id="Profil ini memakai keyring sistem, bukan frasa sandi.",
            message_en="This profile uses the system keyring, not a passphrase.")
    old = _ask_secret(PASSPHRASE_ENV, _t("Frasa sandi lama: ", "Current passphrase: "))
    new, confirm = _new_passphrase(NEW_PASSPHRASE_ENV)
    ctx.change_passphrase(old, new, confirm)
    print(_t("Frasa sandi diganti. Kunci basis data tidak berubah.",
             "Passphrase changed. The database key is unchanged."))
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


# ---------------------------------------------------------------- responses and the outbox
# These work offline: they write the local store and the outbox; the next ``sync`` sends them.

MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024


def _read_text(path: str) -> str:
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_TEXT_FILE_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_TEXT_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(
            type(exc).__name__, message_id="Berkas teks tidak dapat dibaca.",
            message_en="The text file cannot be read.") from None
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise InvalidInputError(message_id="Berkas teks terlalu besar.",
                                message_en="The text file is too large.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(message_id="Berkas teks harus UTF-8.",
                                message_en="The text file must be UTF-8.") from None
    return text.replace("\r\n", "\n")


def _pending_note(ctx: DeskContext) -> str:
    pending, _ = ctx.outbox().counts()
    return _t(f"Tersimpan di komputer ini; {pending} perubahan menunggu sinkronisasi.",
              f"Saved on this computer; {pending} change(s) waiting for the next sync.")


def _cmd_respond(ctx: DeskContext, args: argparse.Namespace) -> int:
    if args.cluster:
        return _respond_cluster(ctx, args)
    if len(args.complaint) > 1 or args.preview:
        raise InvalidInputError(
            "several complaints", message_id="Untuk beberapa pengaduan gunakan --cluster.",
            message_en="For several complaints use --cluster.")
    text = _read_text(args.text_file)
    outbox = ctx.outbox()
    draft = outbox.save_draft(args.complaint[0], text, draft_id=args.draft)
    if args.submit:
        draft = outbox.submit_draft(draft.id)
    if args.json:
        _emit({"draft_id": draft.id, "complaint_id": draft.complaint_id,
               "tracking_id": draft.tracking_id, "state": draft.state,
               "submitted": draft.state == "submitted"})
        return 0
    print(_t(f"Draf {draft.id} disimpan" + (" dan diajukan." if args.submit else "."),
             f"Draft {draft.id} saved" + (" and submitted." if args.submit else ".")))
    print(_pending_note(ctx))
    return 0


def _respond_cluster(ctx: DeskContext, args: argparse.Namespace) -> int:
    from lapor_desk.models.cluster import preview

    if args.draft or args.submit:
        raise InvalidInputError(
            "cluster options", message_id="--cluster tidak bisa dipakai dengan --draft/--submit.",
            message_en="--cluster cannot be used with --draft/--submit.")
    text = _read_text(args.text_file)
    items = preview(ctx.open_store(), args.complaint, text, datetime.now(UTC).date(),
                    agency_id=ctx.settings.agency_id)
    if args.reveal and any(i.confidential and i.text for i in items):
        log.warning("audit: cluster texts of confidential complaints printed by --reveal")
    lang = _Out.lang

    def shown(i: Any) -> str | None:
        # The filled text quotes the complaint (its title): masked for rahasia complaints.
        if i.text is None or not i.confidential or args.reveal:
            return i.text
        return _masked(True, "", False)

    skipped = [i for i in items if i.text is None]
    drafts: list[Any] = []
    if not args.preview:
        ready = [i for i in items if i.text is not None and i.complaint_id is not None]
        drafts = ctx.outbox().save_drafts(
            [(str(i.complaint_id), str(i.text)) for i in ready])
    if args.json:
        by_cid = {d.complaint_id: d.id for d in drafts}
        _emit({"saved": not args.preview, "items": [{
            "complaint": i.complaint_ref, "complaint_id": i.complaint_id,
            "tracking_id": i.tracking_id, "text": shown(i), "unfilled": list(i.unfilled),
            "draft_id": by_cid.get(i.complaint_id or ""),
            "problem": (i.problem_en if lang == "en" else i.problem_id)} for i in items]})
        return 0
    for i in items:
        ref = f"#{i.tracking_id}" if i.tracking_id is not None else i.complaint_ref
        if i.text is None:
            problem = i.problem_en if lang == "en" else i.problem_id
            print(_t(f"{ref}: dilewati ({problem})", f"{ref}: skipped ({problem})"))
            continue
        if args.preview:
            print(f"===== {ref} =====")
            print(_printable(shown(i) or ""))
        if i.unfilled:
            print(_t(f"{ref}: belum diisi: {', '.join(i.unfilled)}",
                     f"{ref}: still to fill: {', '.join(i.unfilled)}"))
    if not args.preview:
        print(_t(f"{len(drafts)} draf disimpan, {len(skipped)} dilewati.",
                 f"{len(drafts)} draft(s) saved, {len(skipped)} skipped."))
        print(_pending_note(ctx))
    return 0


def _cmd_mark_read(ctx: DeskContext, args: argparse.Namespace) -> int:
    entries = ctx.outbox().mark_read(args.complaint, read=not args.unread)
    if args.json:
        _emit([e.to_json() for e in entries])
        return 0
    what = _t("belum dibaca", "unread") if args.unread else _t("dibaca", "read")
    print(_t(f"{len(entries)} pengaduan ditandai {what}.",
             f"{len(entries)} complaint(s) marked {what}."))
    print(_pending_note(ctx))
    return 0


def _print_items(items: list[Any]) -> None:
    for item in items:
        print(f"- {_one_line(item.message(_Out.lang), 500)}")
        if item.op_id:
            print(f"  (op {item.op_id})")


def _cmd_park(ctx: DeskContext, args: argparse.Namespace) -> int:
    outbox = ctx.outbox()
    if args.waiting:
        waiting = outbox.pending()
        if args.json:
            _emit([e.to_json() for e in waiting])
        elif not waiting:
            print(_t("Tidak ada perubahan yang menunggu dikirim.",
                     "Nothing is waiting to be sent."))
        else:
            for e in waiting:
                print(f"{e.op_id}  #{e.seq:<6} {e.kind:<28} {e.complaint_id or '-'}  "
                      f"{_local(ctx, e.created_at)}")
        return 0
    if args.list or not args.item:
        items = outbox.parked()
        if args.json:
            _emit([i.to_json(_Out.lang) for i in items])
        elif not items:
            print(_t("Tidak ada item yang disisihkan.", "Nothing is parked."))
        else:
            _print_items(items)
        return 0
    ops = [op for ref in args.item for op in outbox.resolve_items(ref, parked=False)]
    entries = [outbox.park(op) for op in dict.fromkeys(ops)]
    if args.json:
        _emit([e.to_json() for e in entries])
        return 0
    print(_t(f"{len(entries)} item disisihkan; lihat dengan 'park --list', lanjutkan dengan "
             "'unpark'.", f"{len(entries)} item(s) parked; see them with 'park --list', resume "
             "with 'unpark'."))
    return 0


def _cmd_unpark(ctx: DeskContext, args: argparse.Namespace) -> int:
    outbox = ctx.outbox()
    ops = [op for ref in args.item for op in outbox.resolve_items(ref, parked=True)]
    entries = [outbox.unpark(op) for op in dict.fromkeys(ops)]
    if args.json:
        _emit([e.to_json() for e in entries])
        return 0
    print(_t(f"{len(entries)} item kembali ke daftar perlu perhatian.",
             f"{len(entries)} item(s) back in needs attention."))
    return 0


def _cmd_submit(ctx: DeskContext, args: argparse.Namespace) -> int:
    draft = ctx.outbox().submit_draft(args.draft)
    if args.json:
        _emit({"draft_id": draft.id, "state": draft.state})
        return 0
    print(_t(f"Draf {draft.id} diajukan untuk persetujuan.",
             f"Draft {draft.id} submitted for approval."))
    print(_pending_note(ctx))
    return 0


def _cmd_review(ctx: DeskContext, args: argparse.Namespace) -> int:
    outbox = ctx.outbox()
    if args.review_command == "approve":
        entry = outbox.approve(args.draft)
        done = _t("disetujui (akan diterbitkan saat sinkronisasi)",
                  "approved (published on the next sync)")
    else:
        entry = outbox.return_draft(args.draft, args.note)
        done = _t("dikembalikan ke penulis", "returned to the author")
    if args.json:
        _emit({"draft_id": entry.response_id, "op_id": entry.op_id, "seq": entry.seq,
               "kind": entry.kind, "state": entry.state})
        return 0
    print(_t(f"Jawaban {entry.response_id} {done}.", f"Response {entry.response_id} {done}."))
    print(_pending_note(ctx))
    return 0


def _cmd_check(ctx: DeskContext, args: argparse.Namespace) -> int:
    from lapor_desk.models.checker import check_response

    text = _read_text(args.text_file)
    title = body = None
    classification = "pengaduan"
    if args.complaint:
        detail = ctx.open_store().detail(args.complaint.strip())
        title, body, classification = detail.row.title, detail.body, detail.row.classification
    result = check_response(text, classification=classification, complaint_title=title,
                            complaint_body=body)
    en = _Out.lang == "en"
    if args.json:
        _emit({"substantive": result.substantive, "score": result.score, "findings": [
            {"code": f.code, "severity": f.severity,
             "message": f.message_en if en else f.message_id,
             "start": f.start, "end": f.end} for f in result.findings]})
        return 0
    verdict = (_t("substantif", "substantive") if result.substantive
               else _t("normatif / belum substantif", "normative / not yet substantive"))
    print(_t(f"Skor {result.score}/100: {verdict}.", f"Score {result.score}/100: {verdict}."))
    marks = {"problem": "!", "warning": "-", "info": "+"}
    for f in result.findings:
        message = f.message_en if en else f.message_id
        print(f" {marks.get(f.severity, '-')} {_one_line(message, 300)}")
    return 0


def _cmd_attention(ctx: DeskContext, args: argparse.Namespace) -> int:
    items = ctx.outbox().attention(role=ctx.settings.role)
    if args.json:
        _emit([item.to_json(_Out.lang) for item in items])
        return 0
    if not items:
        print(_t("Tidak ada yang perlu perhatian.", "Nothing needs attention."))
        return 0
    for item in items:
        print(f"- {_one_line(item.message(_Out.lang), 500)}")
        refs = [f"{_t('draf', 'draft')} {item.draft_id}" if item.draft_id else "",
                f"op {item.op_id}" if item.op_id else ""]
        if any(refs):
            print(f"  ({', '.join(r for r in refs if r)})")
    return 0


def _drafts_action(ctx: DeskContext, args: argparse.Namespace) -> int:
    outbox, action = ctx.outbox(), args.drafts_command
    if action == "send-note":
        entry = outbox.send_handover_note(args.draft)
        if args.json:
            _emit(entry.to_json())
            return 0
        print(_t("Teks draf diantrekan sebagai catatan untuk pemilik pengaduan.",
                 "The draft's text is queued as a note for the complaint's owner."))
        print(_pending_note(ctx))
        return 0
    if action == "export":
        path = outbox.export_draft_to(args.draft, Path(args.out))
        if args.json:
            _emit({"path": str(path)})
        else:
            print(_t(f"Draf diekspor ke {path}.", f"Draft exported to {path}."))
        return 0
    # discard: for good, so it is confirmed (a terminal asks; a script passes --yes)
    draft = outbox.draft(args.draft)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInputError(
                "not confirmed", message_id="Membuang draf perlu konfirmasi: tambahkan --yes.",
                message_en="Discarding a draft needs confirmation: add --yes.")
        answer = input(_t(f"Buang draf {draft.id} untuk selamanya? Ketik 'ya': ",
                          f"Discard draft {draft.id} for good? Type 'yes': "))
        if answer.strip().lower() not in ("ya", "yes", "y"):
            print(_t("Tidak dibuang.", "Not discarded."))
            return 1
    outbox.discard_draft(draft.id)
    if args.json:
        _emit({"discarded": draft.id})
    else:
        print(_t(f"Draf {draft.id} dibuang.", f"Draft {draft.id} discarded."))
    return 0


def _cmd_drafts(ctx: DeskContext, args: argparse.Namespace) -> int:
    if getattr(args, "drafts_command", None):
        return _drafts_action(ctx, args)
    drafts = ctx.outbox().drafts()
    if args.json:
        _emit([d.to_json() for d in drafts])
        return 0
    if not drafts:
        print(_t("(tidak ada draf)", "(no drafts)"))
        return 0
    labels = {"draft": _t("draf", "draft"), "submitted": _t("diajukan", "submitted"),
              "approved": _t("disetujui", "approved"), "returned": _t("dikembalikan", "returned"),
              "orphaned": _t("yatim", "orphaned")}
    sync_labels = {"saved_locally": _t("tersimpan lokal", "saved locally"),
                   "sending": _t("mengirim", "sending"), "synced": _t("tersinkron", "synced"),
                   "merged": _t("digabung", "merged"), "conflict": _t("bentrok", "conflict"),
                   "rejected": _t("ditolak", "rejected"), "parked": _t("disisihkan", "parked")}
    for d in drafts:
        ref = f"#{d.tracking_id}" if d.tracking_id is not None else "-"
        print(f"{d.id}  {ref:>10}  {labels.get(d.state, d.state):<12}  "
              f"{sync_labels.get(d.sync_state, d.sync_state):<16}  "
              f"{_local(ctx, d.updated_at)}")
    return 0


# ---------------------------------------------------------------- operator commands

def _pick(kind_id: str, kind_en: str, wanted: str, choices: list[tuple[str, str]]) -> str:
    """The id whose id or label equals ``wanted`` (case-insensitive); one match or an error."""
    key = wanted.strip().casefold()
    hits = {cid for cid, label in choices if key in (cid.casefold(), label.casefold())}
    if len(hits) == 1:
        return hits.pop()
    if not hits:
        raise NotFoundError(kind_en, message_id=f"{kind_id} tidak dikenal: {wanted}",
                            message_en=f"Unknown {kind_en}: {wanted}")
    raise InvalidInputError(kind_en, message_id=f"{kind_id} ambigu: {wanted}; pakai id-nya.",
                            message_en=f"Ambiguous {kind_en}: {wanted}; use its id.")


def _entries_doc(entries: list[Any]) -> list[dict[str, Any]]:
    return [e.to_json() for e in entries]


def _cmd_triage(ctx: DeskContext, args: argparse.Namespace) -> int:
    if ctx.settings.role not in ("operator", "admin"):  # the server would reject it anyway
        raise PermissionDeniedError("triage", message_id="Hanya operator yang dapat memilah "
                                    "pengaduan.", message_en="Only operators can triage "
                                    "complaints.")
    store = ctx.open_store()
    fixed: dict[str, object] = {}
    if args.assign is not None:
        if args.assign.strip().casefold() in ("none", "-", ""):
            fixed["assignee_id"] = None
        else:
            users = [(uid, name) for uid, name, _role in store.users(ctx.settings.agency_id)]
            fixed["assignee_id"] = _pick("Pengguna", "user", args.assign, users)
    if args.category is not None:
        fixed["category_id"] = _pick("Kategori", "category", args.category, store.categories())
    if args.priority is not None:
        fixed["priority"] = args.priority
    add = [t.strip() for t in args.tag if t.strip()]
    drop = {t.strip().casefold() for t in args.untag if t.strip()}
    if not fixed and not add and not drop:
        raise InvalidInputError("triage", message_id="Tidak ada perubahan: pakai --assign, "
                                "--category, --priority, --tag atau --untag.",
                                message_en="Nothing to change: use --assign, --category, "
                                "--priority, --tag or --untag.")
    outbox = ctx.outbox()
    ids = list(dict.fromkeys(outbox.resolve(ref) for ref in args.complaints))
    current = store.triage_values(ids)
    entries = []
    for cid in ids:  # validated first, so one bad reference queues nothing
        changes = dict(fixed)
        if add or drop:
            tags = [t for t in current[cid]["tags"]  # type: ignore[attr-defined]
                    if str(t).casefold() not in drop]
            tags += [t for t in add if t.casefold() not in {str(x).casefold() for x in tags}]
            changes["tags"] = tags
        entries.append(outbox.triage(cid, changes))
    return _queued(args, entries)


def _queued(args: argparse.Namespace, entries: list[Any]) -> int:
    if args.json:
        _emit(_entries_doc(entries))
    else:
        print(_t(f"{len(entries)} perubahan disimpan; dikirim pada sinkron berikutnya.",
                 f"{len(entries)} change(s) saved; sent on the next sync."))
    return 0


def _cmd_note(ctx: DeskContext, args: argparse.Namespace) -> int:
    ctx.open_store()
    return _queued(args, [ctx.outbox().add_note(args.complaint, args.text)])


def _cmd_reroute(ctx: DeskContext, args: argparse.Namespace) -> int:
    outbox = ctx.outbox()
    ids = list(dict.fromkeys(outbox.resolve(ref) for ref in args.complaints))
    return _queued(args, [outbox.request_reroute(cid, args.reason) for cid in ids])


def _cmd_log(ctx: DeskContext, args: argparse.Namespace) -> int:
    from collections import deque

    from lapor_desk.logging_setup import redact

    path = _Out.log_path
    if path is None or not path.exists():
        print(_t("(log kosong)", "(the log is empty)"))
        return 0
    keep: deque[str] = deque(maxlen=max(1, args.lines))
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not args.sync or "lapor_desk.sync" in line:
                keep.append(line.rstrip("\n"))
    for line in keep:
        print(redact(line))  # written redacted; filtered again in case of an older file
    return 0


# ---------------------------------------------------------------- attachments

_STATE_TEXT = {"remote": ("di server", "on server"), "partial": ("sebagian", "partial"),
               "local": ("tersimpan", "downloaded"),
               "pending_upload": ("menunggu unggah", "pending upload")}


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} B"


def _confidential(ctx: DeskContext, ref: str) -> bool:
    detail = ctx.open_store().detail(ref.strip())
    return bool(detail is not None and detail.row.is_confidential)


def _cmd_attach(ctx: DeskContext, args: argparse.Namespace) -> int:
    item = ctx.attach_file(args.complaint, Path(args.file), note=args.note)
    if args.json:
        _emit(asdict(item))
        return 0
    print(_t(f"Lampiran {item.index} ({_one_line(item.name, 80)}, {_size(item.size)}) "
             "ditambahkan.",
             f"Attachment {item.index} ({_one_line(item.name, 80)}, {_size(item.size)}) added."))
    print(_pending_note(ctx))
    return 0


def _cmd_attachments(ctx: DeskContext, args: argparse.Namespace) -> int:
    items = ctx.attachments(args.complaint)
    confidential = _confidential(ctx, args.complaint)
    hidden = confidential and not args.reveal
    if confidential and args.reveal:
        log.warning("audit: attachment names of %s listed with --reveal", args.complaint[:64])
    if args.json:
        docs = [asdict(i) for i in items]
        if hidden:
            for d in docs:
                d["name"] = None
        _emit(docs)
        return 0
    if not items:
        print(_t("Tidak ada lampiran.", "No attachments."))
    for i in items:
        name = _masked(hidden, _one_line(i.name, 80), False)
        state = _t(*_STATE_TEXT[i.state])
        if i.state == "partial":
            state += f" {i.have * 100 // max(1, i.size)}%"
        print(f"{i.index:>3}  {name}  {_size(i.size)}  [{state}]")
    return 0


def _cmd_download(ctx: DeskContext, args: argparse.Namespace) -> int:
    which: int | str = int(args.which) if args.which.strip().isdecimal() else args.which
    out_dir = Path(args.out)
    if not out_dir.is_dir():
        raise InvalidInputError(args.out[:200], message_id="Folder tujuan tidak ada.",
                                message_en="The destination folder does not exist.")

    def progress(tp: TransferProgress) -> None:
        if not args.json:
            print(f"\r{_size(tp.done)} / {_size(tp.total)}", end="", file=sys.stderr,
                  flush=True)

    try:
        item = ctx.download_attachment(args.complaint, which, progress=progress)
    finally:
        if not args.json:
            print(file=sys.stderr)
    path = ctx.save_attachment(args.complaint, item.id, out_dir)
    if args.json:
        _emit({**asdict(item), "path": str(path)})
        return 0
    print(_t(f"Disimpan: {_one_line(str(path), 200)}", f"Saved: {_one_line(str(path), 200)}"))
    return 0
