"""Jobs on the server's clock (``lapor-hub jobs``); idempotent: a second run changes nothing.

- Automatic completion: a followed-up complaint (``ditindaklanjuti``) whose reporter-reply
  window (``due_at``, set on publication from ``reply_window_days``) has passed without a reply
  becomes ``selesai`` ("Selesai otomatis").
- Overdue flag ``overdue``: a complaint waiting for the agency (baru, diverifikasi,
  didisposisikan) past its step deadline; cleared when it no longer is.
- Escalation flag ``escalation``: unresolved ``escalation_days`` working days after it was
  submitted (may go to the Ombudsman with the reporter's consent).

Flags travel in the complaint doc (``flags``). Changed complaints are written in batches
through the normal write path (new version, stream bump), each re-checked under its row lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from lapor_desk.models.rules import DeadlineRules
from lapor_hub import blobs, db, workflow
from lapor_hub.commands import Actor, Ctx, iso, parse_iso, set_status
from lapor_hub.rules import all_rules, calendar_for
from lapor_hub.store import ComplaintData, load_complaints, write_complaints

FLAG_OVERDUE = "overdue"
FLAG_ESCALATION = "escalation"
WAITING_FOR_AGENCY = frozenset({workflow.BARU, workflow.DIVERIFIKASI, workflow.DIDISPOSISIKAN})
SYSTEM_ACTOR = Actor("system", "Sistem LAPOR!", workflow.SYSTEM, "")


@dataclass(slots=True)
class JobReport:
    completed: int = 0
    overdue_set: int = 0
    overdue_cleared: int = 0
    escalated: int = 0
    uploads_purged: int = 0  # stale attachment upload sessions
    blobs_purged: int = 0  # attachment content no attachment has used for 30 days

    def as_dict(self) -> dict[str, int]:
        return {"completed": self.completed, "overdue_set": self.overdue_set,
                "overdue_cleared": self.overdue_cleared, "escalated": self.escalated,
                "uploads_purged": self.uploads_purged, "blobs_purged": self.blobs_purged}


def run_jobs(engine: Engine, now: datetime | None = None,
             rules: DeadlineRules | None = None) -> JobReport:
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    report = JobReport()
    cp, fl = db.complaints, db.complaint_flags
    with db.read_tx(engine) as conn:
        stored = {} if rules is not None else all_rules(conn)
        rows = conn.execute(select(cp.c.id, cp.c.status, cp.c.due_at, cp.c.created_at,
                                   cp.c.agency_id)
                            .where(cp.c.status.not_in(sorted(workflow.TERMINAL)))).all()
        flags: dict[str, set[str]] = {}
        for cid, flag in conn.execute(select(fl.c.complaint_id, fl.c.flag)):
            flags.setdefault(cid, set()).add(flag)
    default = rules or DeadlineRules()

    def rules_of(agency: str) -> DeadlineRules:
        """``rules`` when given (tests), else the agency's stored rules or the defaults."""
        return stored.get(agency, default)

    todo: list[tuple[str, bool, bool, bool]] = []
    for cid, status, due_at, created_at, agency in rows:
        ag_rules = rules_of(agency)
        due = parse_iso(due_at) if due_at else None
        has = flags.get(cid, set())
        complete = status == workflow.DITINDAKLANJUTI and due is not None and due < now
        overdue = status in WAITING_FOR_AGENCY and due is not None and due < now
        escalate = not complete and calendar_for(ag_rules).deadline(
            parse_iso(created_at), ag_rules.escalation_days) < now
        want_overdue = overdue and FLAG_OVERDUE not in has
        drop_overdue = not overdue and FLAG_OVERDUE in has
        want_escalation = escalate and FLAG_ESCALATION not in has
        if complete or want_overdue or drop_overdue or want_escalation:
            todo.append((cid, complete, overdue, escalate))
    for i in range(0, len(todo), _BATCH):
        _apply_batch(engine, todo[i:i + _BATCH], now, rules_of, report)
    with db.write_tx(engine) as conn:
        report.uploads_purged, report.blobs_purged = blobs.purge(conn, int(now.timestamp()))
    return report


_BATCH = 200


def _apply_batch(engine: Engine, todo: list[tuple[str, bool, bool, bool]], now: datetime,
                 rules_of: Callable[[str], DeadlineRules], report: JobReport) -> None:
    """One transaction per batch; each complaint re-checked under its row lock."""
    fl = db.complaint_flags
    with db.write_tx(engine) as conn:
        ids = [t[0] for t in todo]
        q = select(db.complaints.c.id).where(db.complaints.c.id.in_(ids))
        if conn.dialect.name == "postgresql":
            q = q.with_for_update()
        conn.execute(q).all()
        loaded = {c.id: c for c in load_complaints(conn, ids)}
        changed: list[ComplaintData] = []
        for cid, complete, overdue, escalate in todo:
            c = loaded.get(cid)
            if c is None:
                continue
            rules = rules_of(c.agency_id)
            ctx = Ctx(conn, SYSTEM_ACTOR, now, c, 0, rules, calendar_for(rules))
            due = parse_iso(c.due_at) if c.due_at else None
            has = set(c.flags)
            dirty = False
            if complete and c.status == workflow.DITINDAKLANJUTI and due is not None \
                    and due < now:
                if workflow.check_transition(workflow.SYSTEM, c.status, workflow.SELESAI) is None:
                    set_status(ctx, workflow.SELESAI,
                               f"Selesai otomatis: tidak ada tanggapan pelapor dalam "
                               f"{rules.reply_window_days} hari kerja.")
                    report.completed += 1
                    dirty = True
            else:
                still_overdue = (overdue and c.status in WAITING_FOR_AGENCY and due is not None
                                 and due < now)
                if still_overdue and FLAG_OVERDUE not in has:
                    db.insert_or_ignore(conn, fl, [{"complaint_id": cid, "flag": FLAG_OVERDUE,
                                                    "set_at": iso(now)}],
                                        ["complaint_id", "flag"])
                    report.overdue_set += 1
                    dirty = True
                elif not still_overdue and FLAG_OVERDUE in has:
                    conn.execute(fl.delete().where(fl.c.complaint_id == cid,
                                                   fl.c.flag == FLAG_OVERDUE))
                    report.overdue_cleared += 1
                    dirty = True
                if escalate and c.status not in workflow.TERMINAL \
                        and FLAG_ESCALATION not in has:
                    db.insert_or_ignore(conn, fl, [{"complaint_id": cid,
                                                    "flag": FLAG_ESCALATION,
                                                    "set_at": iso(now)}],
                                        ["complaint_id", "flag"])
                    ctx.event(f"Belum selesai setelah {rules.escalation_days} hari kerja; "
                              "dapat dieskalasi ke Ombudsman dengan persetujuan pelapor.")
                    report.escalated += 1
                    dirty = True
            if dirty:
                c.updated_at = iso(now)
                changed.append(c)
        write_complaints(conn, changed)
