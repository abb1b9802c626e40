"""The complaint state machine and role rules of LAPOR! as pure functions (no I/O).

Statuses (``lapor_desk.models.domain.Status``)::

    baru --verify--> diverifikasi --dispose--> didisposisikan --publish--> ditindaklanjuti
                                                      ^                          |
                                                      +------ reporter reply ----+
    ditindaklanjuti --(reply window passed: job, or admin)--> selesai
    baru | diverifikasi | didisposisikan --hold--> ditunda --resume--> (any of those three)
    any non-terminal --close (reason from CLOSE_REASONS)--> ditutup
    diverifikasi | didisposisikan | ditindaklanjuti | ditunda --reroute--> didisposisikan
                                                            (another agency; "bukan wewenang")

``selesai`` and ``ditutup`` are terminal: nothing moves a complaint out of them.

Actors: the four desk roles of ``Role`` plus two pseudo-roles the server itself plays:
``reporter`` (the citizen's reply, ``lapor-hub act reply``) and ``system`` (publication on
approval, automatic completion by the jobs). A refusal carries a stable ``code`` (the push
outcome's reason) and a plain-language reason in Bahasa Indonesia and English.
"""

from __future__ import annotations

from dataclasses import dataclass

from lapor_desk.models.domain import STATUS_LABELS_ID, TERMINAL_STATUSES, Role, Status
from lapor_desk.sync.protocol import (
    REASON_CLOSED,
    REASON_FORBIDDEN,
    REASON_ILLEGAL_TRANSITION,
    REASON_INVALID,
    REASON_NOT_ASSIGNED,
)

REPORTER = "reporter"
SYSTEM = "system"
ADMIN, OPERATOR, OFFICER, SUPERVISOR = (Role.ADMIN.value, Role.OPERATOR.value,
                                        Role.OFFICER.value, Role.SUPERVISOR.value)
DESK_ROLES = frozenset({ADMIN, OPERATOR, OFFICER, SUPERVISOR})
ACTORS = DESK_ROLES | {REPORTER, SYSTEM}

BARU, DIVERIFIKASI, DIDISPOSISIKAN = (Status.BARU.value, Status.DIVERIFIKASI.value,
                                      Status.DIDISPOSISIKAN.value)
DITINDAKLANJUTI, DITUNDA, SELESAI, DITUTUP = (Status.DITINDAKLANJUTI.value, Status.DITUNDA.value,
                                              Status.SELESAI.value, Status.DITUTUP.value)
TERMINAL = frozenset(s.value for s in TERMINAL_STATUSES)
STATUSES = frozenset(s.value for s in Status)

# Reasons an admin may give to close (archive/reject) a complaint. DATA: extend freely.
CLOSE_REASONS: tuple[str, ...] = (
    "masukan terlalu umum",
    "tidak relevan",
    "duplikat",
    "bukan pengaduan pelayanan publik",
    "data pelapor tidak dapat dihubungi",
    "mengandung SARA atau ujaran kebencian",
)

# (from, to) -> who may do it. Anything not listed is refused.
_HOLDABLE = (BARU, DIVERIFIKASI, DIDISPOSISIKAN)
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (BARU, DIVERIFIKASI): frozenset({ADMIN}),  # verify
    (DIVERIFIKASI, DIDISPOSISIKAN): frozenset({ADMIN}),  # dispose
    (DIDISPOSISIKAN, DITINDAKLANJUTI): frozenset({SYSTEM}),  # publication of an approved answer
    (DITINDAKLANJUTI, DIDISPOSISIKAN): frozenset({REPORTER}),  # reporter reply re-opens
    (DITINDAKLANJUTI, SELESAI): frozenset({SYSTEM, ADMIN}),  # auto-complete / admin completes
    **{(s, DITUNDA): frozenset({ADMIN}) for s in _HOLDABLE},  # hold
    **{(DITUNDA, s): frozenset({ADMIN}) for s in _HOLDABLE},  # resume
    **{(s, DITUTUP): frozenset({ADMIN}) for s in (*_HOLDABLE, DITINDAKLANJUTI, DITUNDA)},
}
REROUTE_FROM = frozenset({DIVERIFIKASI, DIDISPOSISIKAN, DITINDAKLANJUTI, DITUNDA})

# Command actions (besides status transitions) and the roles that may do them.
ACT_TRIAGE = "triage"
ACT_DRAFT = "draft"
ACT_SUBMIT = "submit"
ACT_REVIEW = "review"  # approve or return
ACT_NOTE = "note"
ACT_REROUTE_REQUEST = "reroute_request"
ACT_REROUTE = "reroute"
ACTION_ROLES: dict[str, frozenset[str]] = {
    ACT_TRIAGE: frozenset({OPERATOR, ADMIN}),
    ACT_DRAFT: frozenset({OFFICER, OPERATOR}),
    ACT_SUBMIT: frozenset({OFFICER, OPERATOR}),
    ACT_REVIEW: frozenset({SUPERVISOR}),
    ACT_NOTE: frozenset(DESK_ROLES),
    ACT_REROUTE_REQUEST: frozenset({OPERATOR, OFFICER, SUPERVISOR}),
    ACT_REROUTE: frozenset({ADMIN}),
}
TRIAGE_FIELDS = ("category_id", "priority", "tags", "assignee_id")
PRIORITIES = ("rendah", "normal", "tinggi", "mendesak")

_ROLE_ID = {ADMIN: "admin instansi", OPERATOR: "operator", OFFICER: "pejabat penghubung",
            SUPERVISOR: "supervisor", REPORTER: "pelapor", SYSTEM: "sistem"}
_ROLE_EN = {ADMIN: "agency admin", OPERATOR: "operator", OFFICER: "liaison officer",
            SUPERVISOR: "supervisor", REPORTER: "reporter", SYSTEM: "the system"}
_ACTION_ID = {ACT_TRIAGE: "memilah laporan (kategori, prioritas, label, penanggung jawab)",
              ACT_DRAFT: "menulis draf tindak lanjut", ACT_SUBMIT: "mengajukan draf untuk "
              "persetujuan", ACT_REVIEW: "menyetujui atau mengembalikan draf",
              ACT_NOTE: "menulis catatan internal", ACT_REROUTE_REQUEST: "meminta pengalihan "
              "laporan", ACT_REROUTE: "mengalihkan laporan ke instansi lain"}
_ACTION_EN = {ACT_TRIAGE: "triage complaints (category, priority, tags, assignee)",
              ACT_DRAFT: "write draft responses", ACT_SUBMIT: "submit drafts for approval",
              ACT_REVIEW: "approve or return drafts", ACT_NOTE: "write internal notes",
              ACT_REROUTE_REQUEST: "request a re-route", ACT_REROUTE: "re-route complaints to "
              "another agency"}
_STATUS_EN = {BARU: "new", DIVERIFIKASI: "verified", DIDISPOSISIKAN: "disposed",
              DITINDAKLANJUTI: "followed up", DITUNDA: "on hold", SELESAI: "completed",
              DITUTUP: "closed"}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why something is not allowed: a stable code and a reason a person understands."""

    code: str  # REASON_* of the push protocol
    message_id: str
    message_en: str


def _sid(status: str) -> str:
    return STATUS_LABELS_ID.get(status, status)


def _sen(status: str) -> str:
    return _STATUS_EN.get(status, status)


def _forbidden(role: str, what_id: str, what_en: str) -> Refusal:
    return Refusal(REASON_FORBIDDEN,
                   f"Peran {_ROLE_ID.get(role, role)} tidak boleh {what_id}.",
                   f"The {_ROLE_EN.get(role, role)} role may not {what_en}.")


def _closed(status: str) -> Refusal:
    return Refusal(REASON_CLOSED,
                   f"Laporan sudah {_sid(status).lower()}; tidak dapat diubah lagi.",
                   f"The complaint is already {_sen(status)}; it cannot be changed any more.")


def check_action(role: str, action: str) -> Refusal | None:
    """May ``role`` perform ``action`` (one of ``ACTION_ROLES``) at all?"""
    allowed = ACTION_ROLES.get(action)
    if allowed is None:
        return Refusal(REASON_INVALID, "Tindakan tidak dikenal.", "Unknown action.")
    if role not in allowed:
        return _forbidden(role, _ACTION_ID[action], _ACTION_EN[action])
    return None


def check_transition(role: str, from_status: str, to_status: str) -> Refusal | None:
    """None when ``role`` may move a complaint from ``from_status`` to ``to_status``."""
    if from_status in TERMINAL:
        return _closed(from_status)
    if to_status not in STATUSES or from_status not in STATUSES:
        return Refusal(REASON_INVALID, "Status laporan tidak dikenal.", "Unknown complaint status.")
    if from_status == to_status:
        return Refusal(REASON_ILLEGAL_TRANSITION,
                       f"Laporan sudah berstatus {_sid(to_status)}.",
                       f"The complaint is already {_sen(to_status)}.")
    allowed = TRANSITIONS.get((from_status, to_status))
    if allowed is None:
        return Refusal(
            REASON_ILLEGAL_TRANSITION,
            f"Laporan berstatus {_sid(from_status)} tidak dapat diubah menjadi "
            f"{_sid(to_status)}.",
            f"A complaint that is {_sen(from_status)} cannot become {_sen(to_status)}.")
    if role not in allowed:
        if allowed == {SYSTEM} and to_status == DITINDAKLANJUTI:
            return Refusal(
                REASON_FORBIDDEN,
                "Status Ditindaklanjuti hanya terjadi saat tindak lanjut yang disetujui "
                "supervisor diterbitkan.",
                "A complaint becomes followed up only when a response approved by a supervisor "
                "is published.")
        return _forbidden(role, f"mengubah status {_sid(from_status)} menjadi {_sid(to_status)}",
                          f"change the status from {_sen(from_status)} to {_sen(to_status)}")
    return None


def check_reroute(role: str, status: str, from_agency: str, to_agency: str) -> Refusal | None:
    """Re-route ("bukan wewenang"): an admin re-disposes the complaint to another agency."""
    if status in TERMINAL:
        return _closed(status)
    refusal = check_action(role, ACT_REROUTE)
    if refusal is not None:
        return refusal
    if status not in REROUTE_FROM:
        return Refusal(REASON_ILLEGAL_TRANSITION,
                       f"Laporan berstatus {_sid(status)} belum dapat dialihkan; verifikasi "
                       "dahulu.",
                       f"A complaint that is {_sen(status)} cannot be re-routed yet; verify it "
                       "first.")
    if not to_agency or to_agency == from_agency:
        return Refusal(REASON_INVALID, "Pilih instansi tujuan yang lain.",
                       "Choose a different target agency.")
    return None


def normalise_close_reason(reason: str | None) -> str | None:
    """The canonical close reason matching ``reason`` (case and final dot ignored), or None."""
    if not reason:
        return None
    key = reason.strip().rstrip(".").strip().casefold()
    for known in CLOSE_REASONS:
        if known.casefold() == key:
            return known
    return None


def close_reason_refusal() -> Refusal:
    listed = "; ".join(CLOSE_REASONS)
    return Refusal(REASON_INVALID,
                   f"Penutupan laporan memerlukan alasan dari daftar: {listed}.",
                   f"Closing a complaint needs a reason from the list: {listed}.")


def check_scope(caller_agency: str, primary_agency: str, copy_agencies: frozenset[str] | set[str]
                ) -> Refusal | None:
    """Writes need the complaint in the caller's agency as primary; copies are read-only."""
    if caller_agency == primary_agency:
        return None
    if caller_agency in copy_agencies:
        return Refusal(REASON_FORBIDDEN,
                       "Instansi Anda hanya menerima tembusan laporan ini; tembusan hanya dapat "
                       "dibaca.",
                       "Your agency only received a copy of this complaint; copies are read-only.")
    return Refusal(REASON_NOT_ASSIGNED,
                   "Laporan ini tidak (lagi) ditangani instansi Anda.",
                   "This complaint is not (or no longer) assigned to your agency.")


def is_terminal(status: str) -> bool:
    return status in TERMINAL
