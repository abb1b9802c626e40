"""Strict validation of what the server sends, before anything reaches the store.

A structural problem (not a page, wrong page-level types, oversized lists) refuses the whole
page with ``ProtocolError``. A single bad complaint record is dropped and reported as
``(id or "?", reason)`` so one poison record never blocks the sync. Complaints outside the
user's scope are dropped; an anonymous complaint that still carries reporter identity has it
removed before anything is stored.

Citizens' text is kept as is (HTML, RTL overrides are data and the views show plain text);
only NUL and lone surrogates, which SQLite and Qt cannot carry safely, are replaced.
Reasons and error details never contain complaint text or identity.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any, cast

from lapor_desk.errors import LaporError, ProtocolError
from lapor_desk.sync import protocol as p

log = logging.getLogger(__name__)

# List bounds beyond protocol.py's (a page is bounded by bytes; these stop absurd shapes).
MAX_PAGE_COMPLAINTS = 100_000
MAX_PAGE_REMOVED = 200_000
MAX_REFERENCE_ITEMS = 100_000
MAX_TAGS = 100
MAX_COPY_AGENCIES = 200
MAX_SHORT_CHARS = 1_000  # names, paths, short vocabulary fields
MAX_TOKEN_CHARS = 8_192
MAX_CURSOR_CHARS = 64 * 1024

_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Slug or UUID ids (agencies, categories, users, thread entries, attachments). Category ids are
# hierarchical ("parent/child"); ids are never used as paths, but ".." is refused anyway.
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_PRIORITIES = frozenset({"rendah", "normal", "tinggi", "mendesak"})


class _Bad(Exception):
    """One record is invalid; ``reason`` is safe to log (no text, no identity)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(value: str) -> str:
    """Replace NUL and lone surrogates with U+FFFD; everything else is kept verbatim."""
    if _BAD_CHARS.search(value) is None:
        return value
    return _BAD_CHARS.sub("\ufffd", value)


# ---------------------------------------------------------------- field checkers (raise _Bad)

def _obj(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{where}: not an object")
    return cast(dict[str, Any], value)


def _field(d: dict[str, Any], key: str, where: str) -> Any:
    try:
        return d[key]
    except KeyError:
        raise _Bad(f"{where}.{key}: missing") from None


def _str(value: object, where: str, max_chars: int = MAX_SHORT_CHARS, *,
         empty: bool = True) -> str:
    # Hot path (hundreds of thousands of calls per first sync): cleaning is done beforehand by
    # ``_deep_clean`` when the body can contain NUL or surrogates at all.
    if not isinstance(value, str):
        raise _Bad(f"{where}: not a string")
    if len(value) > max_chars:
        raise _Bad(f"{where}: longer than {max_chars} characters")
    if not empty and not value:
        raise _Bad(f"{where}: empty")
    return value


def _deep_clean(value: Any) -> Any:
    """``clean_text`` applied to every string value (in place for containers)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str | dict | list):
                value[k] = _deep_clean(v)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, str | dict | list):
                value[i] = _deep_clean(v)
    return value


def _opt_str(value: object, where: str, max_chars: int = MAX_SHORT_CHARS) -> str | None:
    return None if value is None else _str(value, where, max_chars)


def _int(value: object, where: str, lo: int = 0, hi: int = 2**53) -> int:
    # bool is an int subclass in Python; JSON true is not a number.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad(f"{where}: not an integer")
    if not lo <= value <= hi:
        raise _Bad(f"{where}: out of range")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"{where}: not a boolean")
    return value


def _uuid(value: object, where: str) -> str:
    if not isinstance(value, str) or _UUID_RE.fullmatch(value) is None:
        raise _Bad(f"{where}: not a UUID")
    return value.lower()


def _id(value: object, where: str) -> str:
    if not isinstance(value, str) or _ID_RE.fullmatch(value) is None or ".." in value:
        raise _Bad(f"{where}: not an id")
    return value


def _opt_id(value: object, where: str) -> str | None:
    return None if value is None else _id(value, where)


def _datetime(value: object, where: str) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad(f"{where}: not a datetime")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where}: not a datetime") from None
    if parsed.tzinfo is None:
        raise _Bad(f"{where}: datetime without offset")
    return value


def _opt_datetime(value: object, where: str) -> str | None:
    return None if value is None else _datetime(value, where)


def _opt_date(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        raise _Bad(f"{where}: not a date")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where}: not a date") from None
    return value


def _list(value: object, where: str, max_items: int) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{where}: not a list")
    if len(value) > max_items:
        raise _Bad(f"{where}: more than {max_items} items")
    return value


def _sha256(value: object, where: str) -> str:
    if not isinstance(value, str) or len(value) != 64:
        raise _Bad(f"{where}: not a sha256")
    try:
        int(value, 16)
    except ValueError:
        raise _Bad(f"{where}: not a sha256") from None
    return value.lower()


# ---------------------------------------------------------------- records

def _location(value: object) -> p.Location:
    d = _obj(value, "location")
    return {
        "province": _opt_str(d.get("province"), "location.province"),
        "regency": _opt_str(d.get("regency"), "location.regency"),
        "district": _opt_str(d.get("district"), "location.district"),
    }


def _reporter(value: object) -> p.Reporter | None:
    if value is None:
        return None
    d = _obj(value, "reporter")
    return {
        "name": _opt_str(d.get("name"), "reporter.name"),
        "phone": _opt_str(d.get("phone"), "reporter.phone", 64),
        "email": _opt_str(d.get("email"), "reporter.email", 320),
    }


def _thread_entry(value: object, i: int) -> p.ThreadEntry:
    where = f"thread[{i}]"
    d = _obj(value, where)
    return {
        "id": _id(_field(d, "id", where), f"{where}.id"),
        "kind": _str(_field(d, "kind", where), f"{where}.kind", 64, empty=False),
        "author": _str(_field(d, "author", where), f"{where}.author"),
        "body": _str(_field(d, "body", where), f"{where}.body", p.MAX_BODY_CHARS),
        "created_at": _datetime(_field(d, "created_at", where), f"{where}.created_at"),
    }


def _attachment(value: object, i: int) -> p.AttachmentMeta:
    where = f"attachments[{i}]"
    d = _obj(value, where)
    return {
        "id": _id(_field(d, "id", where), f"{where}.id"),
        "name": _str(_field(d, "name", where), f"{where}.name"),
        "size": _int(_field(d, "size", where), f"{where}.size"),
        "sha256": _sha256(_field(d, "sha256", where), f"{where}.sha256"),
        "mime": _opt_str(d.get("mime"), f"{where}.mime", 255),
    }


MAX_RESPONSES = 200  # responses under review per complaint
MAX_PAGE_OUTCOMES = 100_000
MAX_NOTE_CHARS = 20_000
_OUTCOME_STATUSES = frozenset({*p.TERMINAL_OUTCOMES, p.OUTCOME_RETRY})


def _response(value: object, i: int) -> p.ResponseDoc:
    where = f"responses[{i}]"
    d = _obj(value, where)
    return {
        "id": _uuid(_field(d, "id", where), f"{where}.id"),
        "author_id": _id(_field(d, "author_id", where), f"{where}.author_id"),
        "author_name": _str(_field(d, "author_name", where), f"{where}.author_name"),
        "body": _str(_field(d, "body", where), f"{where}.body", p.MAX_BODY_CHARS),
        "version": _int(_field(d, "version", where), f"{where}.version", 0, 2**53),
        "text_sha256": _sha256(_field(d, "text_sha256", where), f"{where}.text_sha256"),
        "state": _str(_field(d, "state", where), f"{where}.state", 32, empty=False),
        "note": _opt_str(d.get("note"), f"{where}.note", MAX_NOTE_CHARS),
        "reviewer_id": _opt_id(d.get("reviewer_id"), f"{where}.reviewer_id"),
        "updated_at": _datetime(_field(d, "updated_at", where), f"{where}.updated_at"),
        "published_at": _opt_datetime(d.get("published_at"), f"{where}.published_at"),
    }


def _opt_int(value: object, where: str) -> int | None:
    return None if value is None else _int(value, where, 0, 2**53)


def parse_outcome(value: object) -> p.Outcome:
    """One push outcome; raises ``_Bad`` (module-private) when it must be dropped."""
    d = _obj(value, "outcome")
    status = _str(_field(d, "status", "outcome"), "outcome.status", 32, empty=False)
    if status not in _OUTCOME_STATUSES:
        raise _Bad("outcome.status: unknown")
    message = _field(d, "message", "outcome")
    out: p.Outcome = {
        "op_id": _uuid(_field(d, "op_id", "outcome"), "outcome.op_id"),
        "seq": _int(_field(d, "seq", "outcome"), "outcome.seq", 1, 2**53),
        "status": status,
        "reason": _opt_str(d.get("reason"), "outcome.reason", 64),
        # A log detail only: cut, never a reason to drop an outcome.
        "message": message[:500] if isinstance(message, str) else "",
        "complaint_version": _opt_int(d.get("complaint_version"), "outcome.complaint_version"),
    }
    if "response_version" in d:
        out["response_version"] = _opt_int(d["response_version"], "outcome.response_version")
    if d.get("complaint_id") is not None:
        out["complaint_id"] = _uuid(d["complaint_id"], "outcome.complaint_id")
    return out


def _outcomes(value: object, where: str) -> list[p.Outcome]:
    """Outcomes of a push response or a page; a bad one is dropped (the command stays open and
    its outcome comes again on the next push)."""
    out: list[p.Outcome] = []
    for raw in _list(value, where, MAX_PAGE_OUTCOMES):
        try:
            out.append(parse_outcome(raw))
        except _Bad as exc:
            log.warning("dropped an outcome from the server: %s", exc.reason)
    return out


MAX_PAGE_READ_MARKS = 10_000


def _read_marks(value: object) -> list[p.ReadMark]:
    """The user's read marks; a bad one is dropped (it only affects a badge)."""
    out: list[p.ReadMark] = []
    for raw in _list(value, "page.read_marks", MAX_PAGE_READ_MARKS):
        try:
            d = _obj(raw, "read_mark")
            seen = d.get("last_comment_id")
            out.append({
                "complaint_id": _uuid(_field(d, "complaint_id", "read_mark"),
                                      "read_mark.complaint_id"),
                "read": _bool(_field(d, "read", "read_mark"), "read_mark.read"),
                "last_comment_id": None if seen is None else _id(
                    seen, "read_mark.last_comment_id"),
                "at": _datetime(_field(d, "at", "read_mark"), "read_mark.at"),
            })
        except _Bad as exc:
            log.warning("dropped a read mark from the server: %s", exc.reason)
    return out


def parse_push_response(obj: object) -> p.PushResponse:
    """Validate a decoded ``/sync/push`` body."""
    try:
        d = _obj(_deep_clean(obj), "push")
        return {
            "outcomes": _outcomes(_field(d, "outcomes", "push"), "push.outcomes"),
            "next_seq": _int(_field(d, "next_seq", "push"), "push.next_seq", 0, 2**53),
        }
    except _Bad as exc:
        raise ProtocolError(exc.reason) from None
    except RecursionError:
        raise ProtocolError("push: nested too deeply") from None


def parse_complaint(value: object) -> p.ComplaintDoc:
    """One complaint record; raises ``_Bad`` (module-private) when it must be dropped.

    A well-formed record takes ``_fast_complaint`` (the same checks, inlined, accepting a
    subset of what the checked path accepts); anything it does not vouch for goes through
    ``_checked_complaint``, which decides and names the reason.
    """
    if type(value) is dict:
        try:
            doc = _fast_complaint(value)
        except KeyError:  # a missing key: the checked path names it
            doc = None
        if doc is not None:
            return doc
    return _checked_complaint(value)


_HEX64_RE = re.compile(r"[0-9a-fA-F]{64}")


def _fast_datetime(v: object) -> bool:
    """True only when ``_datetime`` accepts ``v``."""
    if type(v) is not str or len(v) > 40:
        return False
    try:
        return datetime.fromisoformat(v).tzinfo is not None
    except ValueError:
        return False


def _fast_id(v: object) -> bool:
    """True only when ``_id`` accepts ``v``."""
    return type(v) is str and _ID_RE.fullmatch(v) is not None and ".." not in v


def _fast_opt_str(v: object, max_chars: int) -> bool:
    return v is None or (type(v) is str and len(v) <= max_chars)


def _fast_complaint(d: dict[str, Any]) -> p.ComplaintDoc | None:
    """``_checked_complaint``'s result for a record it accepts, or None when not vouched for
    (then the checked path decides). Every check is the checked path's, or stricter: exact
    types (JSON gives exactly ``str``, ``int``, ``dict``, ``list``), canonical hex for a
    sha256, known priorities only; an anonymous record with identity goes to the checked path
    (which removes the identity and logs it). Missing keys raise ``KeyError``."""
    is_anonymous = d["is_anonymous"]
    reporter_raw = d["reporter"]
    cid = d["id"]
    if (is_anonymous is not True and is_anonymous is not False) \
            or type(cid) is not str or _UUID_RE.fullmatch(cid) is None:
        return None
    reporter: p.Reporter | None = None
    if reporter_raw is not None:
        if is_anonymous or type(reporter_raw) is not dict:
            return None
        name = reporter_raw.get("name")
        phone = reporter_raw.get("phone")
        email = reporter_raw.get("email")
        if not (_fast_opt_str(name, MAX_SHORT_CHARS) and _fast_opt_str(phone, 64)
                and _fast_opt_str(email, 320)):
            return None
        reporter = {"name": name, "phone": phone, "email": email}
    thread = d["thread"]
    attachments = d["attachments"]
    copies = d["copy_agency_ids"]
    tags = d["tags"]
    if type(thread) is not list or len(thread) > p.MAX_THREAD_ENTRIES \
            or type(attachments) is not list or len(attachments) > p.MAX_ATTACHMENTS \
            or type(copies) is not list or len(copies) > MAX_COPY_AGENCIES \
            or type(tags) is not list or len(tags) > MAX_TAGS:
        return None
    priority = d["priority"]
    if type(priority) is not str or priority not in _PRIORITIES:
        return None
    tracking_id = d["tracking_id"]
    version = d["version"]
    if type(tracking_id) is not int or not 0 <= tracking_id <= 10**15 \
            or type(version) is not int or not 0 <= version <= 2**53:
        return None
    title = d["title"]
    body = d["body"]
    if type(title) is not str or len(title) > p.MAX_TITLE_CHARS \
            or type(body) is not str or len(body) > p.MAX_BODY_CHARS:
        return None
    incident_date = d["incident_date"]
    if incident_date is not None:
        if type(incident_date) is not str or _DATE_RE.fullmatch(incident_date) is None:
            return None
        try:
            date.fromisoformat(incident_date)
        except ValueError:
            return None
    loc = d["location"]
    if type(loc) is not dict:
        return None
    province = loc.get("province")
    regency = loc.get("regency")
    district = loc.get("district")
    if not (_fast_opt_str(province, MAX_SHORT_CHARS) and _fast_opt_str(regency, MAX_SHORT_CHARS)
            and _fast_opt_str(district, MAX_SHORT_CHARS)):
        return None
    category_id = d["category_id"]
    assignee_id = d["assignee_id"]
    agency_id = d["agency_id"]
    if (category_id is not None and not _fast_id(category_id)) \
            or (assignee_id is not None and not _fast_id(assignee_id)) \
            or not _fast_id(agency_id):
        return None
    classification = d["classification"]
    channel = d["channel"]
    status = d["status"]
    if type(classification) is not str or not 0 < len(classification) <= 64 \
            or type(channel) is not str or not 0 < len(channel) <= 64 \
            or type(status) is not str or not 0 < len(status) <= 64:
        return None
    is_confidential = d["is_confidential"]
    if is_confidential is not True and is_confidential is not False:
        return None
    for a in copies:
        if not _fast_id(a):
            return None
    for t in tags:
        if type(t) is not str or len(t) > 200:
            return None
    created_at = d["created_at"]
    updated_at = d["updated_at"]
    due_at = d["due_at"]
    resolution_due_at = d["resolution_due_at"]
    if not _fast_datetime(created_at) or not _fast_datetime(updated_at) \
            or (due_at is not None and not _fast_datetime(due_at)) \
            or (resolution_due_at is not None and not _fast_datetime(resolution_due_at)):
        return None
    entries: list[p.ThreadEntry] = []
    for t in thread:
        if type(t) is not dict:
            return None
        tid = t["id"]
        kind = t["kind"]
        author = t["author"]
        tbody = t["body"]
        tcreated = t["created_at"]
        if not _fast_id(tid) or type(kind) is not str or not 0 < len(kind) <= 64 \
                or type(author) is not str or len(author) > MAX_SHORT_CHARS \
                or type(tbody) is not str or len(tbody) > p.MAX_BODY_CHARS \
                or not _fast_datetime(tcreated):
            return None
        entries.append({"id": tid, "kind": kind, "author": author, "body": tbody,
                        "created_at": tcreated})
    files: list[p.AttachmentMeta] = []
    for a in attachments:
        if type(a) is not dict:
            return None
        aid = a["id"]
        aname = a["name"]
        size = a["size"]
        sha = a["sha256"]
        mime = a.get("mime")
        if not _fast_id(aid) or type(aname) is not str or len(aname) > MAX_SHORT_CHARS \
                or type(size) is not int or not 0 <= size <= 2**53 \
                or type(sha) is not str or _HEX64_RE.fullmatch(sha) is None \
                or not _fast_opt_str(mime, 255):
            return None
        files.append({"id": aid, "name": aname, "size": size, "sha256": sha.lower(),
                      "mime": mime})
    doc: p.ComplaintDoc = {
        "id": cid.lower(),
        "tracking_id": tracking_id,
        "version": version,
        "title": title,
        "body": body,
        "incident_date": incident_date,
        "location": {"province": province, "regency": regency, "district": district},
        "category_id": category_id,
        "classification": classification,
        "channel": channel,
        "is_anonymous": is_anonymous,
        "is_confidential": is_confidential,
        "reporter": reporter,
        "agency_id": agency_id,
        "copy_agency_ids": list(copies),
        "status": status,
        "priority": priority,
        "tags": list(tags),
        "assignee_id": assignee_id,
        "created_at": created_at,
        "updated_at": updated_at,
        "due_at": due_at,
        "resolution_due_at": resolution_due_at,
        "thread": entries,
        "attachments": files,
    }
    responses = d.get("responses")
    if responses is not None:  # rare: the checked helpers, which raise _Bad
        doc["responses"] = [_response(r, i) for i, r in
                            enumerate(_list(responses, "responses", MAX_RESPONSES))]
    return doc


def _checked_complaint(value: object) -> p.ComplaintDoc:
    d = _obj(value, "complaint")
    # Fast path: plain indexing when every key is present (the common case).
    f: Callable[[str], Any] = (
        d.__getitem__ if all(k in d for k in _COMPLAINT_KEYS) else _missing(d))
    is_anonymous = _bool(f("is_anonymous"), "is_anonymous")
    reporter = _reporter(f("reporter"))
    cid = _uuid(f("id"), "id")
    if is_anonymous and reporter is not None:
        # The server must redact; if it did not, the identity never reaches the replica.
        log.warning("protocol violation: anonymous complaint %s carried reporter identity; "
                    "dropped the identity", cid)
        reporter = None
    thread = _list(f("thread"), "thread", p.MAX_THREAD_ENTRIES)
    attachments = _list(f("attachments"), "attachments", p.MAX_ATTACHMENTS)
    copies = _list(f("copy_agency_ids"), "copy_agency_ids", MAX_COPY_AGENCIES)
    tags = _list(f("tags"), "tags", MAX_TAGS)
    priority = _str(f("priority"), "priority", 32, empty=False)
    if priority not in _PRIORITIES:
        priority = "normal"  # unknown vocabulary is not worth dropping a complaint for
    doc: p.ComplaintDoc = {
        "id": cid,
        "tracking_id": _int(f("tracking_id"), "tracking_id", 0, 10**15),
        "version": _int(f("version"), "version", 0, 2**53),
        "title": _str(f("title"), "title", p.MAX_TITLE_CHARS),
        "body": _str(f("body"), "body", p.MAX_BODY_CHARS),
        "incident_date": _opt_date(f("incident_date"), "incident_date"),
        "location": _location(f("location")),
        "category_id": _opt_id(f("category_id"), "category_id"),
        "classification": _str(f("classification"), "classification", 64, empty=False),
        "channel": _str(f("channel"), "channel", 64, empty=False),
        "is_anonymous": is_anonymous,
        "is_confidential": _bool(f("is_confidential"), "is_confidential"),
        "reporter": reporter,
        "agency_id": _id(f("agency_id"), "agency_id"),
        "copy_agency_ids": [_id(a, "copy_agency_ids[]") for a in copies],
        "status": _str(f("status"), "status", 64, empty=False),
        "priority": priority,
        "tags": [_str(t, "tags[]", 200) for t in tags],
        "assignee_id": _opt_id(f("assignee_id"), "assignee_id"),
        "created_at": _datetime(f("created_at"), "created_at"),
        "updated_at": _datetime(f("updated_at"), "updated_at"),
        "due_at": _opt_datetime(f("due_at"), "due_at"),
        "resolution_due_at": _opt_datetime(f("resolution_due_at"), "resolution_due_at"),
        "thread": [_thread_entry(t, i) for i, t in enumerate(thread)],
        "attachments": [_attachment(a, i) for i, a in enumerate(attachments)],
    }
    responses = d.get("responses")
    if responses is not None:  # optional: servers before the push protocol do not send it
        doc["responses"] = [_response(r, i) for i, r in
                            enumerate(_list(responses, "responses", MAX_RESPONSES))]
    return doc


_COMPLAINT_KEYS = tuple(p.ComplaintDoc.__required_keys__)


def _missing(d: dict[str, Any]) -> Callable[[str], Any]:
    def get(key: str) -> Any:
        return _field(d, key, "complaint")
    return get


def _reference(value: object) -> p.Reference:
    d = _obj(value, "reference")
    agencies = _list(_field(d, "agencies", "reference"), "reference.agencies", MAX_REFERENCE_ITEMS)
    categories = _list(_field(d, "categories", "reference"), "reference.categories",
                       MAX_REFERENCE_ITEMS)
    users = _list(_field(d, "users", "reference"), "reference.users", MAX_REFERENCE_ITEMS)
    out_agencies: list[p.AgencyRef] = []
    for a in agencies:
        a = _obj(a, "agency")
        out_agencies.append({
            "id": _id(_field(a, "id", "agency"), "agency.id"),
            "name": _str(_field(a, "name", "agency"), "agency.name"),
            "kind": _str(_field(a, "kind", "agency"), "agency.kind", 64),
            "parent_id": _opt_id(a.get("parent_id"), "agency.parent_id"),
        })
    out_categories: list[p.CategoryRef] = []
    for c in categories:
        c = _obj(c, "category")
        out_categories.append({
            "id": _id(_field(c, "id", "category"), "category.id"),
            "name": _str(_field(c, "name", "category"), "category.name"),
            "parent_id": _opt_id(c.get("parent_id"), "category.parent_id"),
            "path": _str(_field(c, "path", "category"), "category.path", 4_000),
        })
    out_users: list[p.UserRef] = []
    for u in users:
        u = _obj(u, "user")
        out_users.append({
            "id": _id(_field(u, "id", "user"), "user.id"),
            "display_name": _str(_field(u, "display_name", "user"), "user.display_name"),
            "role": _str(_field(u, "role", "user"), "user.role", 64),
            "agency_id": _id(_field(u, "agency_id", "user"), "user.agency_id"),
        })
    out: p.Reference = {"agencies": out_agencies, "categories": out_categories,
                        "users": out_users}
    rules = _rules(d.get("rules"))
    if rules is not None:
        out["rules"] = rules
    return out


def _rules(value: object) -> dict[str, Any] | None:
    """``reference.rules`` normalised through ``DeadlineRules`` (unknown keys dropped), or
    ``None`` when absent or invalid: bad rules are dropped with a warning and the replica keeps
    the rules it has (the defaults at first); they never cost the page."""
    if value is None:
        return None
    from lapor_desk.models.rules import DeadlineRules

    try:
        if not isinstance(value, dict):
            raise TypeError("not a JSON object")
        return DeadlineRules.from_dict(value).to_dict()
    except (LaporError, TypeError, ValueError, RecursionError) as exc:
        # The message names the setting only (no values beyond a short date echo).
        log.warning("ignored invalid deadline rules from the server: %s",
                    getattr(exc, "message_en", None) or type(exc).__name__)
        return None


# ---------------------------------------------------------------- public entry points

def parse_page(obj: object, *, scope: Collection[str] | None = None, clean: bool = True,
               ) -> tuple[p.ChangesPage, list[tuple[str, str]]]:
    """Validate a decoded ``/sync/changes`` body.

    ``scope`` is the set of agency ids whose complaints the user may hold (their own agency);
    ``None`` skips the scope check. ``clean=False`` skips replacing NUL and lone surrogates:
    only for a body whose JSON text has no ``\\u`` escape at all (``JsonResult.escapes``),
    since neither can appear unescaped in valid JSON. Returns the clean page (only known
    keys) and the dropped records as ``(id or "?", reason)``. ``obj`` may be modified.
    """
    try:
        if clean:
            obj = _deep_clean(obj)
        d = _obj(obj, "page")
        protocol = _int(_field(d, "protocol", "page"), "page.protocol", 0, 10**6)
        if protocol != p.PROTOCOL_VERSION:
            raise _Bad(f"page.protocol: unsupported version {protocol}")
        epoch = _str(_field(d, "epoch", "page"), "page.epoch", 200, empty=False)
        cursor = _str(_field(d, "cursor", "page"), "page.cursor", MAX_CURSOR_CHARS, empty=False)
        has_more = _bool(_field(d, "has_more", "page"), "page.has_more")
        ref_raw = _field(d, "reference", "page")
        reference = None if ref_raw is None else _reference(ref_raw)
        complaints_raw = _list(_field(d, "complaints", "page"), "page.complaints",
                               MAX_PAGE_COMPLAINTS)
        removed = [_uuid(r, "page.removed[]")
                   for r in _list(_field(d, "removed", "page"), "page.removed", MAX_PAGE_REMOVED)]
        remaining = _int(_field(d, "remaining", "page"), "page.remaining", 0, 2**53)
        outcomes_raw = d.get("outcomes")
        outcomes = None if outcomes_raw is None else _outcomes(outcomes_raw, "page.outcomes")
        marks_raw = d.get("read_marks")
        read_marks = None if marks_raw is None else _read_marks(marks_raw)
    except _Bad as exc:
        raise ProtocolError(exc.reason) from None
    except RecursionError:
        raise ProtocolError("page: nested too deeply") from None

    scope_set = None if scope is None else frozenset(scope)
    complaints: list[p.ComplaintDoc] = []
    rejected: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in complaints_raw:
        try:
            doc = parse_complaint(raw)
        except _Bad as exc:
            rid = _safe_id(raw)
            rejected.append((rid, exc.reason))
            log.warning("dropped complaint %s from the server: %s", rid, exc.reason)
            continue
        except RecursionError:
            rejected.append((_safe_id(raw), "nested too deeply"))
            continue
        if scope_set is not None and doc["agency_id"] not in scope_set and \
                scope_set.isdisjoint(doc["copy_agency_ids"]):
            rejected.append((doc["id"], "out of scope"))
            log.warning("protocol violation: complaint %s is outside the user's scope; dropped",
                        doc["id"])
            continue
        if doc["id"] in seen:
            # Two versions of one complaint in a page would make the apply order matter.
            rejected.append((doc["id"], "duplicate in page"))
            continue
        seen.add(doc["id"])
        complaints.append(doc)
    page: p.ChangesPage = {
        "protocol": protocol,
        "epoch": epoch,
        "cursor": cursor,
        "has_more": has_more,
        "reference": reference,
        "complaints": complaints,
        "removed": removed,
        "remaining": remaining,
    }
    if outcomes is not None:
        page["outcomes"] = outcomes
    if read_marks is not None:
        page["read_marks"] = read_marks
    return page, rejected


def _safe_id(raw: object) -> str:
    if isinstance(raw, dict):
        rid = raw.get("id")
        if isinstance(rid, str) and _UUID_RE.fullmatch(rid):
            return rid.lower()
    return "?"


def parse_user_info(obj: object) -> p.UserInfo:
    try:
        return _user_info(_deep_clean(obj))
    except _Bad as exc:
        raise ProtocolError(exc.reason) from None
    except RecursionError:
        raise ProtocolError("user: nested too deeply") from None


def _user_info(obj: object) -> p.UserInfo:
    d = _obj(obj, "user")
    return {
        "id": _id(_field(d, "id", "user"), "user.id"),
        "username": _str(_field(d, "username", "user"), "user.username", 200, empty=False),
        "display_name": _str(_field(d, "display_name", "user"), "user.display_name"),
        "role": _str(_field(d, "role", "user"), "user.role", 64, empty=False),
        "agency_id": _id(_field(d, "agency_id", "user"), "user.agency_id"),
        "agency_name": _str(_field(d, "agency_name", "user"), "user.agency_name"),
    }


def parse_token_response(obj: object) -> p.TokenResponse:
    try:
        d = _obj(_deep_clean(obj), "token")
        token_type = _str(_field(d, "token_type", "token"), "token.token_type", 32)
        if token_type.lower() != "bearer":
            raise _Bad("token.token_type: not bearer")
        return {
            "access_token": _token(_field(d, "access_token", "token"), "token.access_token"),
            "refresh_token": _token(_field(d, "refresh_token", "token"), "token.refresh_token"),
            "token_type": "bearer",
            "expires_in": _int(_field(d, "expires_in", "token"), "token.expires_in", 1, 10**8),
            "user": _user_info(_field(d, "user", "token")),
        }
    except _Bad as exc:
        raise ProtocolError(exc.reason) from None
    except RecursionError:
        raise ProtocolError("token: nested too deeply") from None


def _token(value: object, where: str) -> str:
    s = _str(value, where, MAX_TOKEN_CHARS, empty=False)
    # Tokens go into HTTP headers: printable ASCII only.
    if not all(33 <= ord(ch) < 127 for ch in s):
        raise _Bad(f"{where}: not a printable ASCII token")
    return s


def parse_health(obj: object) -> p.Health:
    try:
        d = _obj(_deep_clean(obj), "health")
        if _field(d, "status", "health") != "ok":
            raise _Bad("health.status: not ok")
        return {
            "status": "ok",
            "epoch": _str(_field(d, "epoch", "health"), "health.epoch", 200),
            "protocol": _int(_field(d, "protocol", "health"), "health.protocol", 0, 10**6),
            "version": _str(_field(d, "version", "health"), "health.version", 100),
        }
    except _Bad as exc:
        raise ProtocolError(exc.reason) from None
    except RecursionError:
        raise ProtocolError("health: nested too deeply") from None


def parse_error(obj: object) -> p.ErrorBody | None:
    """The ``{"error": {...}}`` body of a failed request, or None when it has another shape."""
    if not isinstance(obj, dict):
        return None
    err = obj.get("error")
    if not isinstance(err, dict):
        return None
    code, message = err.get("code"), err.get("message")
    if not isinstance(code, str) or len(code) > 100:
        return None
    if not isinstance(message, str):
        message = ""
    return {"code": clean_text(code), "message": clean_text(message[:500])}
