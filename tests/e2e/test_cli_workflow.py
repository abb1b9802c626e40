"""Operators' and officers' workflow gaps end to end through the CLIs and a real hub: an
orphaned draft handed over to the new owner (plus park/unpark, export, discard), mark read on
one device reaching the user's other device, and one answer for a cluster of complaints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub, run_cli, running_hub

PASSWORD = "demo-lapor-2026\n"
DPUPR = "dpupr-kab-semarang"
DUKCAPIL = "disdukcapil-kota-semarang"
DRAFT = "Tim Bina Marga menambal jalan pada 3 Desember 2026.\nFoto terlampir."


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub"), complaints=200, seed=7) as h:
        yield h


_taken: set[int] = set()


def take(hub: Hub, *, anonymous: bool | None = None, confidential: bool = False
         ) -> tuple[str, int]:
    """An open DPUPR complaint (non-confidential unless asked) no other test uses."""
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, tracking_id, is_anonymous FROM complaints WHERE agency_id = :a AND"
                " status = 'didisposisikan' AND is_confidential = :c ORDER BY tracking_id"),
                {"a": DPUPR, "c": confidential}).all()
    finally:
        engine.dispose()
    for cid, tid, anon in rows:
        if int(tid) not in _taken and (anonymous is None or bool(anon) == anonymous):
            _taken.add(int(tid))
            return str(cid), int(tid)
    raise AssertionError("no unused complaint in the seed")


def desk(home: Path, *args: str, check: bool = True, lang: str = "id") -> Any:
    return run_cli("lapor_desk", "--home", str(home), *args, env={"LAPOR_DESK_LANG": lang},
                   check=check)


def desk_json(home: Path, *args: str) -> Any:
    return json.loads(desk(home, *args, "--json").stdout)


def login(hub: Hub, home: Path, username: str) -> None:
    run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url, "--username",
            username, input=PASSWORD)
    desk(home, "sync")


def test_orphaned_draft_handed_over_to_the_new_agency(hub: Hub, tmp_path: Path) -> None:
    officer, officer2 = tmp_path / "officer", tmp_path / "officer2"
    login(hub, officer, "officer")
    login(hub, officer2, "officer2")
    _, tracking = take(hub)
    text_file = tmp_path / "draft.txt"
    text_file.write_text(DRAFT, encoding="utf-8")
    draft_id = desk_json(officer, "respond", str(tracking), "--text-file",
                         str(text_file))["draft_id"]  # offline: not synced yet
    run_cli("lapor_hub", "act", "reroute", str(tracking), "--db", hub.db, "--to", DUKCAPIL)
    desk(officer, "sync")
    [draft] = [d for d in desk_json(officer, "drafts") if d["id"] == draft_id]
    assert (draft["state"], draft["tracking_id"]) == ("orphaned", tracking)
    items = desk_json(officer, "attention")
    assert [(i["kind"], i["reason"], i["draft_id"]) for i in items] == [
        ("rejected", "not_assigned", draft_id)]

    # Park the rejection: it leaves the list (the orphaned draft itself stays to be decided),
    # is listed under parked, and is resumed.
    desk(officer, "park", str(tracking))
    assert [(i["kind"], i["draft_id"]) for i in desk_json(officer, "attention")] == [
        ("orphaned", draft_id)]
    [parked] = desk_json(officer, "park", "--list")
    assert parked["tracking_id"] == tracking and parked["kind"] == "parked"
    desk(officer, "unpark", str(tracking))
    assert desk_json(officer, "attention") == items

    exported = desk_json(officer, "drafts", "export", draft_id, "--out", str(tmp_path))
    content = Path(exported["path"]).read_text(encoding="utf-8")
    assert Path(exported["path"]).name == f"draf-{tracking}.txt"
    assert f"#{tracking}" in content and content.endswith(DRAFT + "\n")

    desk(officer, "drafts", "send-note", draft_id)
    desk(officer, "sync")
    assert desk_json(officer, "attention") == []
    desk(officer2, "sync")
    thread = desk_json(officer2, "show", str(tracking))["thread"]
    [handover] = [t for t in thread if t["body"] and DRAFT in t["body"]]
    assert handover["kind"] == "note" and "instansi sebelumnya" in handover["body"]

    refused = desk(officer, "drafts", "discard", draft_id, check=False)  # no terminal, no --yes
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "--yes" in refused.stderr
    desk(officer, "drafts", "discard", draft_id, "--yes")
    assert draft_id not in [d["id"] for d in desk_json(officer, "drafts")]


def unread_ids(home: Path) -> set[int]:
    return {r["tracking_id"] for r in desk_json(home, "list", "--unread", "--limit", "1000")}


def test_mark_read_reaches_the_users_other_device(hub: Hub, tmp_path: Path) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    login(hub, laptop, "operator")
    login(hub, desktop, "operator")
    _, tracking = take(hub)
    assert tracking in unread_ids(laptop) and tracking in unread_ids(desktop)
    desk(laptop, "mark-read", str(tracking))
    assert tracking not in unread_ids(laptop)  # at once, offline
    [waiting] = desk_json(laptop, "park", "--waiting")
    assert waiting["kind"] == "complaint.mark_read" and waiting["state"] == "pending"
    desk(laptop, "sync")
    desk(desktop, "sync")
    assert tracking not in unread_ids(desktop)
    run_cli("lapor_hub", "act", "reply", str(tracking), "--db", hub.db, "--text",
            "Jalannya belum diperbaiki.")
    desk(desktop, "sync")
    assert tracking in unread_ids(desktop)  # a new reporter reply
    desk(desktop, "mark-read", str(tracking))
    desk(desktop, "sync")
    desk(laptop, "sync")
    assert tracking not in unread_ids(laptop)


def test_cluster_answer_one_draft_each_without_leaking_anonymity(
        hub: Hub, tmp_path: Path) -> None:
    officer = tmp_path / "officer"
    login(hub, officer, "officer")
    _, named = take(hub, anonymous=False)
    _, anon = take(hub, anonymous=True)
    text_file = tmp_path / "cluster.txt"
    text_file.write_text("{salam} {nama_pelapor},\n\nLaporan {nomor_tiket} tentang {judul} "
                         "sudah kami tangani.", encoding="utf-8")
    args = ("respond", "--cluster", str(named), str(anon), "--text-file", str(text_file))
    shown = desk_json(officer, *args, "--preview")
    assert shown["saved"] is False and desk_json(officer, "drafts") == []
    by_tracking = {i["tracking_id"]: i for i in shown["items"]}
    assert by_tracking[anon]["text"].startswith("Yth. Bapak/Ibu Pelapor,")
    assert f"Laporan {named} tentang" in by_tracking[named]["text"]
    # A confidential complaint's text quotes it: masked in the CLI unless --reveal.
    _, secret = take(hub, confidential=True)
    masked = desk_json(officer, "respond", "--cluster", str(named), str(secret), "--text-file",
                       str(text_file), "--preview")
    [hidden] = [i for i in masked["items"] if i["tracking_id"] == secret]
    assert hidden["text"] == "[rahasia]"
    made = desk_json(officer, *args)
    assert made["saved"] is True and all(i["draft_id"] for i in made["items"])
    desk(officer, "sync")
    drafts = desk_json(officer, "drafts")
    assert sorted(d["tracking_id"] for d in drafts) == sorted([named, anon])
    assert {d["sync_state"] for d in drafts} == {"synced"}
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            bodies = dict(conn.execute(sa.text(
                "SELECT c.tracking_id, r.body FROM responses r JOIN complaints c"
                " ON c.id = r.complaint_id WHERE r.id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)), {"ids": [d["id"] for d in drafts]}).all())
    finally:
        engine.dispose()
    assert bodies[anon] == by_tracking[anon]["text"]
    assert bodies[named] == by_tracking[named]["text"]
