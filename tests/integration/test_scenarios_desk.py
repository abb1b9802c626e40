"""Three scenarios of the sync design that live on the desk side, against a real lapor-hub
process: logout with pending work, two users on one PC, an app upgrade with pending commands.

Each queues real commands through the ``Outbox`` API, does the scenario's step, and then shows
that the work reaches the server exactly once (one ``command_log`` row and one effect each).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Hub, db_rows, start_hub, stop_hub

from lapor_desk.core import DeskContext
from lapor_desk.errors import LaporError, NotLoggedInError
from lapor_desk.models.store import MIGRATIONS_DIR, Store, open_engine
from lapor_desk.secrets import DB_KEY, get_refresh_token
from lapor_hub.seed import seed

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
AGENCY2 = "disdukcapil-kota-semarang"
OLD_REVISION = "0003"  # an app of that time had drafts and the outbox, no read marks/blobs


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("scenarios-hub")
    url = f"sqlite:///{tmp / 'hub.db'}"
    seed(url, complaints=120, seed=7)
    h = start_hub(url, tmp / "hub.log")
    yield h
    stop_hub(h)



def open_ids(hub: Hub, agency: str, skip: int) -> tuple[str, str]:
    """Two open (didisposisikan) complaints of the agency, different per test (``skip``)."""
    found = [str(r[0]) for r in db_rows(
        hub.db, "SELECT id FROM complaints WHERE agency_id = :a AND status = 'didisposisikan'"
             " ORDER BY tracking_id", a=agency)]
    assert len(found) >= skip + 2
    return found[skip], found[skip + 1]


def queue_work(ctx: DeskContext, note_on: str, draft_on: str, tag: str) -> tuple[str, str]:
    """An internal note and a draft response, offline; returns (note body, draft id)."""
    body = f"Catatan {tag}: koordinasi dengan kecamatan."
    ctx.outbox().add_note(note_on, body)
    draft = ctx.outbox().save_draft(draft_on, f"Yth. Pelapor, tindak lanjut {tag}.")
    return body, draft.id


def assert_applied_once(hub: Hub, ctx: DeskContext, note: str, draft_id: str) -> None:
    entries = ctx.outbox().entries()
    assert entries and all(e.state == "applied" for e in entries)
    assert ctx.status().pending == 0
    ops = [e.op_id for e in entries]
    logged = db_rows(hub.db, "SELECT op_id FROM command_log WHERE device_id = :d",
                  d=ctx.settings.device_id)
    assert sorted(str(r[0]) for r in logged) == sorted(ops)
    assert db_rows(hub.db, "SELECT count(*) FROM thread_entries WHERE body = :b", b=note) == [(1,)]
    assert db_rows(hub.db, "SELECT version FROM responses WHERE id = :r", r=draft_id) == [(1,)]


def test_logout_with_pending_work_keeps_it_and_a_new_login_sends_it_once(
        hub: Hub, tmp_path: Path) -> None:
    note_on, draft_on = open_ids(hub, AGENCY, 0)
    ctx = DeskContext.for_home(tmp_path / "officer")
    try:
        ctx.login(hub.url, "officer", PASSWORD)
        ctx.sync()
        before = ctx.status().complaints
        note, draft_id = queue_work(ctx, note_on, draft_on, "sebelum keluar")
        out = ctx.logout()
        assert (out.pending, out.server_confirmed) == (2, True)
        assert get_refresh_token(ctx.secrets) is None
        with pytest.raises(NotLoggedInError):
            ctx.sync()
        # Nothing was deleted: the replica, the draft and both commands are still there.
        assert ctx.status().complaints == before and ctx.status().pending == 2
        assert ctx.outbox().draft(draft_id).body == "Yth. Pelapor, tindak lanjut sebelum keluar."
        assert db_rows(hub.db, "SELECT count(*) FROM command_log WHERE device_id = :d",
                    d=ctx.settings.device_id) == [(0,)]
    finally:
        ctx.close()
    # The next day, the same person signs in again on the same profile.
    again = DeskContext.for_home(tmp_path / "officer")
    try:
        again.login(hub.url, "officer", PASSWORD)
        assert not again.last_login_reset
        report = again.sync()
        assert (report.pushed, report.applied) == (2, 2)
        assert_applied_once(hub, again, note, draft_id)
    finally:
        again.close()


def test_two_users_on_one_pc_keep_separate_encrypted_replicas_and_their_work(
        hub: Hub, tmp_path: Path) -> None:
    """Two profiles side by side (the OS keyring holds one key per profile): each replica opens
    only with its own key, one user's sync never touches the other's unsent work, and the
    same profile refuses another account while work is unsent."""
    a_note_on, a_draft_on = open_ids(hub, AGENCY, 2)
    b_note_on, b_draft_on = open_ids(hub, AGENCY2, 0)
    a = DeskContext.for_home(tmp_path / "pc" / "officer")
    b = DeskContext.for_home(tmp_path / "pc" / "officer2")
    try:
        a.login(hub.url, "officer", PASSWORD)
        b.login(hub.url, "officer2", PASSWORD)
        a.sync()
        b.sync()
        a_note, a_draft = queue_work(a, a_note_on, a_draft_on, "pengguna A")
        b_note, b_draft = queue_work(b, b_note_on, b_draft_on, "pengguna B")
        key_a, key_b = (bytes.fromhex(str(c.secrets.get(DB_KEY))) for c in (a, b))
        assert key_a != key_b and a.profile.db_path != b.profile.db_path
        a.close()
        b.close()
        with pytest.raises(LaporError):  # A's replica does not open with B's key
            Store.open(a.profile.db_path, key_b).close()
        # Switching the profile to the other account is refused while A's work is unsent.
        a = DeskContext.for_home(tmp_path / "pc" / "officer")
        with pytest.raises(LaporError) as info:
            a.login(hub.url, "officer2", PASSWORD)
        assert type(info.value).__name__ == "OtherAccountError"
        assert a.status().pending == 2 and a.settings.username == "officer"
        b = DeskContext.for_home(tmp_path / "pc" / "officer2")
        assert b.sync().applied == 2  # B syncs first; A's work waits untouched
        assert a.status().pending == 2
        assert a.sync().applied == 2
        assert_applied_once(hub, a, a_note, a_draft)
        assert_applied_once(hub, b, b_note, b_draft)
        logged = db_rows(hub.db, "SELECT user_id FROM command_log WHERE device_id = :d",
                         d=a.settings.device_id)
        assert {r[0] for r in logged} == {a.settings.user_id}
    finally:
        a.close()
        b.close()


def _downgrade(db_path: Path, key: bytes, revision: str) -> None:
    """Put the replica back at an older schema, as an older app left it."""
    from alembic import command
    from alembic.config import Config

    engine = open_engine(db_path, key)
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
        with engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT version_num FROM alembic_version").scalar_one() == revision
    finally:
        engine.dispose()


def test_app_upgrade_with_pending_commands_sends_them_once(hub: Hub, tmp_path: Path) -> None:
    note_on, draft_on = open_ids(hub, AGENCY, 4)
    home = tmp_path / "officer"
    ctx = DeskContext.for_home(home)
    try:
        ctx.login(hub.url, "officer", PASSWORD)
        ctx.sync()
        note, draft_id = queue_work(ctx, note_on, draft_on, "sebelum pembaruan")
        ctx.outbox().submit_draft(draft_id)
        key = bytes.fromhex(str(ctx.secrets.get(DB_KEY)))
    finally:
        ctx.close()
    _downgrade(home / "replica.db", key, OLD_REVISION)
    # The new version of the app starts: the replica is upgraded on open, the work is sent.
    upgraded = DeskContext.for_home(home)
    try:
        assert upgraded.status().pending == 3
        report = upgraded.sync()
        assert (report.pushed, report.applied, report.commands_rejected) == (3, 3, 0)
        assert_applied_once(hub, upgraded, note, draft_id)
        assert db_rows(hub.db, "SELECT state FROM responses WHERE id = :r", r=draft_id) == [
            ("submitted",)]
        assert upgraded.outbox().draft(draft_id).state == "submitted"
    finally:
        upgraded.close()
