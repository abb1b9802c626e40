"""Responses end to end through the CLI: check, respond --submit offline, sync, a supervisor's
review from a second profile, and the published follow-up in ``show``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub, run_cli, running_hub

PASSWORD = "demo-lapor-2026\n"
AGENCY = "dpupr-kab-semarang"
ANSWER = (
    "Terima kasih atas laporan Bapak/Ibu. Pada 3 Desember 2026 tim Bidang Bina Marga DPUPR "
    "Kab. Semarang telah memeriksa lokasi dan menambal jalan berlubang sepanjang 40 meter. "
    "Foto sebelum dan sesudah perbaikan terlampir (surat tugas No. 600/123/2026). Bila masih "
    "ada kerusakan, hubungi kami di 024-123456."
)
NORMATIVE = "Laporan Anda akan segera ditindaklanjuti sesuai ketentuan yang berlaku."


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub"), complaints=200, seed=7) as h:
        yield h


def open_complaints(hub: Hub) -> list[int]:
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT tracking_id FROM complaints WHERE agency_id = :a AND status ="
                " 'didisposisikan' AND id NOT IN (SELECT complaint_id FROM thread_entries"
                " WHERE kind = 'comment') ORDER BY tracking_id"), {"a": AGENCY}).all()
    finally:
        engine.dispose()
    return [int(r[0]) for r in rows]


def desk(home: Path, *args: str, lang: str = "id", check: bool = True) -> Any:
    proc = run_cli("lapor_desk", "--home", str(home), *args, env={"LAPOR_DESK_LANG": lang},
                   check=check)
    return proc


def desk_json(home: Path, *args: str, lang: str = "id") -> Any:
    return json.loads(desk(home, *args, "--json", lang=lang).stdout)


def login(hub: Hub, home: Path, username: str) -> None:
    run_cli("lapor_desk", "--home", str(home), "login", "--server", hub.url, "--username",
            username, input=PASSWORD)
    desk(home, "sync")


def test_check_prints_score_and_findings_in_the_users_language(
        hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "officer"
    login(hub, home, "officer")
    tracking = open_complaints(hub)[0]
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(ANSWER, encoding="utf-8")
    bad.write_text(NORMATIVE, encoding="utf-8")
    ok = desk_json(home, "check", "--text-file", str(good), "--complaint", str(tracking))
    assert set(ok) == {"substantive", "score", "findings"}
    assert ok["substantive"] is True and 60 <= ok["score"] <= 100
    assert all({"code", "message"} <= set(f) for f in ok["findings"])
    weak = desk_json(home, "check", "--text-file", str(bad))
    assert weak["substantive"] is False and weak["score"] < 60
    codes = {f["code"] for f in weak["findings"]}
    assert codes and all(isinstance(f["message"], str) and f["message"] for f in
                         weak["findings"])
    english = desk_json(home, "check", "--text-file", str(bad), lang="en")
    assert {f["code"] for f in english["findings"]} == codes
    assert [f["message"] for f in english["findings"]] != [f["message"] for f in
                                                          weak["findings"]]
    text = desk(home, "check", "--text-file", str(bad)).stdout
    assert text.startswith(f"Skor {weak['score']}/100")


def test_respond_submit_sync_approve_publishes_the_follow_up(
        hub: Hub, tmp_path: Path) -> None:
    officer, boss = tmp_path / "officer", tmp_path / "supervisor"
    login(hub, officer, "officer")
    login(hub, boss, "supervisor")
    first, second = open_complaints(hub)[1:3]
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")

    # Offline work: the commands wait in the outbox.
    made = desk_json(officer, "respond", str(first), "--text-file", str(answer), "--submit")
    draft = made["draft_id"]
    assert made["state"] == "submitted"
    second_draft = desk_json(officer, "respond", str(second), "--text-file", str(answer))
    desk(officer, "submit", second_draft["draft_id"])
    [d1, d2] = sorted(desk_json(officer, "drafts"), key=lambda d: d["tracking_id"] != first)
    assert (d1["id"], d1["state"], d1["sync_state"]) == (draft, "submitted", "saved_locally")
    assert d2["state"] == "submitted"
    assert desk_json(officer, "status")["pending"] == 4

    report = desk_json(officer, "sync")
    assert (report["pushed"], report["applied"], report["commands_rejected"]) == (4, 4, 0)
    assert desk_json(officer, "status")["pending"] == 0

    # The supervisor's profile sees both submissions after a sync; approves one, returns one.
    desk(boss, "sync")
    waiting = desk_json(boss, "attention")
    assert {(w["kind"], w["draft_id"]) for w in waiting} == {
        ("awaiting_review", draft), ("awaiting_review", second_draft["draft_id"])}
    desk(boss, "review", "approve", draft)
    desk(boss, "review", "return", second_draft["draft_id"], "--note",
         "Lampirkan foto hasil perbaikan.")
    assert desk_json(boss, "status")["pending"] == 2
    sup = desk_json(boss, "sync")
    assert (sup["pushed"], sup["applied"]) == (2, 2)
    assert desk_json(boss, "attention") == []

    synced = desk(officer, "sync").stdout
    assert "1 hal perlu perhatian" in synced  # the returned draft
    shown = desk(officer, "show", str(first)).stdout
    assert "followup" in shown and "menambal jalan berlubang sepanjang 40 meter" in shown
    detail = desk_json(officer, "show", str(first))
    assert [t["id"] for t in detail["thread"] if t["kind"] == "followup"].count(draft) == 1
    assert detail["row"]["status"] == "ditindaklanjuti"
    states = {d["id"]: d["state"] for d in desk_json(officer, "drafts")}
    assert states == {draft: "approved", second_draft["draft_id"]: "returned"}
    [returned] = desk_json(officer, "attention")
    assert returned["kind"] == "returned" and "Lampirkan foto" in returned["message"]
    assert desk_json(officer, "status")["attention"] == 1
    listing = desk(officer, "attention").stdout
    assert "dikembalikan" in listing and f"#{second}" in listing


def test_unknown_draft_and_complaint_are_one_line_errors(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "officer"
    login(hub, home, "officer")
    proc = desk(home, "submit", "00000000-0000-4000-8000-000000000000", check=False)
    assert proc.returncode == 5 and "Draf tidak ditemukan" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    text = tmp_path / "t.txt"
    text.write_text("Jawaban", encoding="utf-8")
    proc = desk(home, "respond", "1", "--text-file", str(text), check=False)
    assert proc.returncode == 5 and "Traceback" not in proc.stderr
    proc = desk(home, "respond", "1", "--text-file", str(tmp_path / "missing.txt"), check=False)
    assert proc.returncode == 2 and "tidak dapat dibaca" in proc.stderr


def test_status_counts_the_outbox_offline(hub: Hub, tmp_path: Path) -> None:
    home = tmp_path / "officer"
    login(hub, home, "officer")
    tracking = open_complaints(hub)[3]
    text = tmp_path / "t.txt"
    text.write_text(ANSWER, encoding="utf-8")
    # A profile pointed at a dead address: respond and status never touch the network.
    settings = json.loads((home / "settings.json").read_text())
    settings["server_url"] = "http://127.0.0.1:9"
    (home / "settings.json").write_text(json.dumps(settings))
    made = desk_json(home, "respond", str(tracking), "--text-file", str(text), "--submit")
    assert made["submitted"] is True
    status = desk_json(home, "status")
    assert (status["pending"], status["attention"]) == (2, 0)
