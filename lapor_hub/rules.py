"""Per-agency deadline rules (``rules`` table): the agency's ``DeadlineRules`` as JSON.

An agency without a row uses the defaults (``DeadlineRules()``). The server's deadline
computations (step deadlines when a command or ``lapor-hub act`` moves a complaint, the reply
window on publication, the jobs) use the rules of the complaint's agency, and each client
gets its own agency's rules in the page ``reference`` (``rules``) so its offline countdowns
use the same calendar. Changing rules bumps the reference seq so clients receive them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, select

from lapor_desk.models.rules import DeadlineRules, calendar_from_rules
from lapor_desk.models.workdays import WorkCalendar
from lapor_hub import db

_BY_AGENCY = select(db.rules.c.data).where(db.rules.c.agency_id == bindparam("agency"))


@lru_cache(maxsize=64)
def _parse(data: str) -> DeadlineRules:
    return DeadlineRules.from_dict(json.loads(data))


@lru_cache(maxsize=64)
def calendar_for(rules: DeadlineRules) -> WorkCalendar:
    """The working-day calendar of ``rules`` (cached: building one is not free)."""
    return calendar_from_rules(rules)


def agency_rules(conn: Connection, agency_id: str) -> DeadlineRules:
    """The agency's rules, or the defaults when it has none stored."""
    data = conn.execute(_BY_AGENCY, {"agency": agency_id}).scalar()
    return DeadlineRules() if data is None else _parse(str(data))


def all_rules(conn: Connection) -> dict[str, DeadlineRules]:
    """Stored rules by agency (agencies without a row are absent: defaults)."""
    return {str(a): _parse(str(d)) for a, d in conn.execute(
        select(db.rules.c.agency_id, db.rules.c.data))}


def stored(conn: Connection, agency_id: str) -> bool:
    return conn.execute(_BY_AGENCY, {"agency": agency_id}).first() is not None


def apply_settings(rules: DeadlineRules, settings: Mapping[str, str]) -> DeadlineRules:
    """``rules`` with ``key=value`` settings from the command line (values are JSON when they
    parse as JSON, else text: ``follow_up_days=7``, ``timezone=WITA``,
    ``extra_work_days=["2026-03-21"]``). Raises ``InvalidInputError`` or ``KeyError``."""
    data = rules.to_dict()
    for key, text in settings.items():
        if key not in data:
            raise KeyError(key)
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        data[key] = value
    return DeadlineRules.from_dict(data)


def set_rules(conn: Connection, agency_id: str, rules: DeadlineRules) -> None:
    """Store the agency's rules (inside the caller's write transaction), audit it and bump the
    reference seq so every client receives them with its next page."""
    data = json.dumps(rules.to_dict(), ensure_ascii=False, sort_keys=True)
    now = int(time.time())
    db.upsert(conn, db.rules, [{"agency_id": agency_id, "data": data, "updated_at": now}],
              ["agency_id"], ["data", "updated_at"])
    conn.execute(db.audit.insert().values(
        at=now, action="rules_set", detail=json.dumps({"agency_id": agency_id})))
    db.bump_ref_seq(conn)
