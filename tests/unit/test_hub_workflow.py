"""The complaint state machine, role rules and the paragraph merge (pure functions)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor_hub import workflow as wf
from lapor_hub.merge import merge3, paragraphs

ROLES = ("admin", "operator", "officer", "supervisor", "reporter", "system")
STATUSES = ("baru", "diverifikasi", "didisposisikan", "ditindaklanjuti", "ditunda", "selesai",
            "ditutup")

# The spec, written out by hand (independent of the table in workflow.py).
ALLOWED: set[tuple[str, str, str]] = {
    ("admin", "baru", "diverifikasi"),
    ("admin", "diverifikasi", "didisposisikan"),
    ("system", "didisposisikan", "ditindaklanjuti"),
    ("reporter", "ditindaklanjuti", "didisposisikan"),
    ("system", "ditindaklanjuti", "selesai"),
    ("admin", "ditindaklanjuti", "selesai"),
    ("admin", "baru", "ditunda"),
    ("admin", "diverifikasi", "ditunda"),
    ("admin", "didisposisikan", "ditunda"),
    ("admin", "ditunda", "baru"),
    ("admin", "ditunda", "diverifikasi"),
    ("admin", "ditunda", "didisposisikan"),
    ("admin", "baru", "ditutup"),
    ("admin", "diverifikasi", "ditutup"),
    ("admin", "didisposisikan", "ditutup"),
    ("admin", "ditindaklanjuti", "ditutup"),
    ("admin", "ditunda", "ditutup"),
}


@pytest.mark.parametrize(("role", "frm", "to"),
                         list(itertools.product(ROLES, STATUSES, STATUSES)))
def test_every_role_and_transition(role: str, frm: str, to: str) -> None:
    refusal = wf.check_transition(role, frm, to)
    if (role, frm, to) in ALLOWED:
        assert refusal is None
        return
    assert refusal is not None
    assert refusal.message_id and refusal.message_en
    assert "{" not in refusal.message_id + refusal.message_en
    if frm in ("selesai", "ditutup"):
        assert refusal.code == "closed"  # terminal states win, whoever asks
    elif frm == to:
        assert refusal.code == "illegal_transition"
    elif any((r, frm, to) in ALLOWED for r in ROLES):
        assert refusal.code == "forbidden"  # the move exists, but not for this role
    else:
        assert refusal.code == "illegal_transition"


def test_refusals_read_well() -> None:
    r = wf.check_transition("officer", "baru", "diverifikasi")
    assert r is not None
    assert r.message_id == ("Peran pejabat penghubung tidak boleh mengubah status Baru menjadi "
                            "Diverifikasi.")
    assert r.message_en == ("The liaison officer role may not change the status from new to "
                            "verified.")
    r = wf.check_transition("admin", "didisposisikan", "ditindaklanjuti")
    assert r is not None and "disetujui supervisor" in r.message_id
    r = wf.check_transition("admin", "selesai", "ditutup")
    assert r is not None and r.message_id.startswith("Laporan sudah selesai")
    r = wf.check_transition("admin", "baru", "selesai")
    assert r is not None and r.message_en == "A complaint that is new cannot become completed."


ACTIONS = {
    "triage": {"operator", "admin"},
    "draft": {"officer", "operator"},
    "submit": {"officer", "operator"},
    "review": {"supervisor"},
    "note": {"admin", "operator", "officer", "supervisor"},
    "reroute_request": {"operator", "officer", "supervisor"},
    "reroute": {"admin"},
}


@pytest.mark.parametrize(("role", "action"), list(itertools.product(ROLES, ACTIONS)))
def test_every_role_and_action(role: str, action: str) -> None:
    refusal = wf.check_action(role, action)
    if role in ACTIONS[action]:
        assert refusal is None
    else:
        assert refusal is not None and refusal.code == "forbidden"
        assert refusal.message_id.startswith("Peran ")


def test_officer_cannot_approve() -> None:
    r = wf.check_action("officer", "review")
    assert r is not None
    assert r.message_en == "The liaison officer role may not approve or return drafts."


@pytest.mark.parametrize("status", STATUSES)
def test_reroute(status: str) -> None:
    r = wf.check_reroute("admin", status, "a", "b")
    if status in ("diverifikasi", "didisposisikan", "ditindaklanjuti", "ditunda"):
        assert r is None
    elif status in ("selesai", "ditutup"):
        assert r is not None and r.code == "closed"
    else:
        assert r is not None and r.code == "illegal_transition"
    r = wf.check_reroute("operator", "didisposisikan", "a", "b")
    assert r is not None and r.code == "forbidden"
    r = wf.check_reroute("admin", "didisposisikan", "a", "a")
    assert r is not None and r.code == "invalid"


def test_scope_copies_are_read_only() -> None:
    assert wf.check_scope("a", "a", {"b"}) is None
    copy = wf.check_scope("b", "a", {"b"})
    assert copy is not None and copy.code == "forbidden" and "tembusan" in copy.message_id
    other = wf.check_scope("c", "a", {"b"})
    assert other is not None and other.code == "not_assigned"


def test_close_reasons() -> None:
    assert wf.normalise_close_reason("Masukan terlalu umum.") == "masukan terlalu umum"
    assert wf.normalise_close_reason(" duplikat ") == "duplikat"
    assert wf.normalise_close_reason("karena saya mau") is None
    assert wf.normalise_close_reason(None) is None
    assert "tidak relevan" in wf.close_reason_refusal().message_id


# --- the paragraph merge -----------------------------------------------------------------

BASE = "Salam.\n\nJalan sudah diperiksa.\n\nPerbaikan dijadwalkan.\n\nTerima kasih."


def test_one_side_changed_takes_it_verbatim() -> None:
    mine = BASE.replace("Salam.", "Salam hormat.")
    assert merge3(BASE, BASE, mine).text == mine
    assert merge3(BASE, mine, BASE).text == mine
    assert merge3(BASE, mine, mine).text == mine


def test_non_overlapping_edits_merge() -> None:
    theirs = BASE.replace("Salam.", "Yth. Pelapor,")
    mine = BASE.replace("Perbaikan dijadwalkan.", "Perbaikan dijadwalkan 12-01-2026.")
    r = merge3(BASE, theirs, mine)
    assert not r.conflict
    assert r.text == ("Yth. Pelapor,\n\nJalan sudah diperiksa.\n\n"
                      "Perbaikan dijadwalkan 12-01-2026.\n\nTerima kasih.")


def test_insertions_in_different_places_merge() -> None:
    theirs = BASE + "\n\nKontak: 024-123."
    mine = "Nomor laporan 9100001.\n\n" + BASE
    r = merge3(BASE, theirs, mine)
    assert r.text is not None and not r.conflict
    assert paragraphs(r.text) == ["Nomor laporan 9100001.", *paragraphs(BASE), "Kontak: 024-123."]


def test_overlapping_edits_conflict() -> None:
    theirs = BASE.replace("Jalan sudah diperiksa.", "Jalan diperiksa tim UPT.")
    mine = BASE.replace("Jalan sudah diperiksa.", "Jalan diperiksa 10-01-2026.")
    r = merge3(BASE, theirs, mine)
    assert r.conflict and r.text is None and r.conflicting_paragraphs == 1


def test_delete_against_edit_conflicts() -> None:
    theirs = BASE.replace("Perbaikan dijadwalkan.\n\n", "")
    mine = BASE.replace("Perbaikan dijadwalkan.", "Perbaikan selesai.")
    assert merge3(BASE, theirs, mine).conflict


def test_same_insertion_point_different_text_conflicts() -> None:
    theirs = BASE + "\n\nA."
    mine = BASE + "\n\nB."
    assert merge3(BASE, theirs, mine).conflict


def test_same_change_on_both_sides_counts_once() -> None:
    theirs = BASE.replace("Salam.", "Yth.") + "\n\nX."
    mine = BASE.replace("Salam.", "Yth.")
    r = merge3(BASE, theirs, mine)
    assert not r.conflict and r.text is not None
    assert paragraphs(r.text) == paragraphs(theirs)


def test_paragraph_split_tolerates_spaces_and_crlf() -> None:
    assert paragraphs("a\r\n \r\nb\n\n\n\nc\n") == ["a", "b", "c"]


_para = st.text(alphabet="abcdefghij .,", min_size=1, max_size=12).map(
    lambda s: s.strip() or "x")


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(_para, min_size=2, max_size=8, unique=True), st.data())
def test_merge_properties(base_paras: list[str], data: st.DataObject) -> None:
    base = "\n\n".join(base_paras)
    n = len(base_paras)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1))
    theirs_p = list(base_paras)
    mine_p = list(base_paras)
    theirs_p[i] = theirs_p[i] + " T"
    mine_p[j] = mine_p[j] + " M"
    theirs, mine = "\n\n".join(theirs_p), "\n\n".join(mine_p)
    # Unchanged on one side: the other side wins verbatim.
    assert merge3(base, theirs, base).text == theirs
    assert merge3(base, base, mine).text == mine
    r = merge3(base, theirs, mine)
    if i == j:
        assert r.conflict and r.text is None
        assert merge3(base, mine, theirs).conflict  # symmetric
    else:
        expected = list(base_paras)
        expected[i] += " T"
        expected[j] += " M"
        assert not r.conflict and r.text == "\n\n".join(expected)
        assert merge3(base, mine, theirs).text == r.text  # order of sides does not matter
