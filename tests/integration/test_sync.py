"""Client sync against a real lapor-hub process (SQLite and PostgreSQL): login, pull, resume."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub, start_hub, stop_hub

from lapor_desk.core import DeskContext
from lapor_desk.errors import AuthError, OfflineError
from lapor_desk.models.records import ComplaintQuery
from lapor_desk.secrets import MemorySecrets, get_refresh_token
from lapor_desk.sync.engine import SyncProgress

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
FAST = {"attempts": 2, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}


def server_scope(hub: Hub, agency: str = AGENCY) -> dict[str, int]:
    """The oracle: {complaint id: version} the server holds for the agency (primary or copy)."""
    engine = sa.create_engine(hub.db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, version FROM complaints WHERE agency_id = :a OR id IN "
                "(SELECT complaint_id FROM complaint_copies WHERE agency_id = :a)"),
                {"a": agency}).all()
    finally:
        engine.dispose()
    return {str(r[0]): int(r[1]) for r in rows}


def hub_sql(hub: Hub, statement: str, **params: Any) -> None:
    engine = sa.create_engine(hub.db)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def replica_ids(ctx: DeskContext) -> list[str]:
    return list(ctx.open_store().ids(ComplaintQuery()))


@pytest.fixture
def secrets() -> MemorySecrets:
    return MemorySecrets()


@pytest.fixture
def ctx(tmp_path: Path, secrets: MemorySecrets) -> Iterator[DeskContext]:
    c = DeskContext.for_home(tmp_path / "profile", secrets=secrets, transport_options=FAST)
    yield c
    c.close()


def test_first_sync_gets_the_scope_exactly_once_then_nothing(
        seeded_hub: Hub, ctx: DeskContext, secrets: MemorySecrets, tmp_path: Path) -> None:
    user = ctx.login(seeded_hub.url, "officer", PASSWORD)
    assert user["agency_id"] == AGENCY
    assert get_refresh_token(secrets)
    expected = server_scope(seeded_hub)
    assert 50 < len(expected) < 200

    seen: list[SyncProgress] = []
    report = ctx.sync(progress=seen.append)
    ids = replica_ids(ctx)
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == set(expected)
    assert report.received == len(expected) and report.rejected == 0 and not report.reset
    assert report.bytes > 0 and report.pages >= 1
    assert seen[-1].phase == "done" and seen[-1].complaints_done == len(expected)
    store = ctx.open_store()
    for cid in list(expected)[:20]:
        detail = store.detail(cid)
        assert detail is not None and detail.version == expected[cid]

    with store.read() as conn:
        leaked = conn.exec_driver_sql(
            "SELECT count(*) FROM complaints WHERE is_anonymous AND (reporter_name IS NOT NULL"
            " OR reporter_phone IS NOT NULL OR reporter_email IS NOT NULL)").scalar_one()
        anonymous = conn.exec_driver_sql(
            "SELECT count(*) FROM complaints WHERE is_anonymous").scalar_one()
    assert anonymous > 0 and leaked == 0

    second = ctx.sync()
    assert second.received == 0 and second.removed == 0

    # The cursor survives closing and reopening the profile.
    cursor = store.sync_state().cursor
    assert cursor
    ctx.close()
    again = DeskContext.for_home(tmp_path / "profile", secrets=secrets, transport_options=FAST)
    try:
        assert again.open_store().sync_state().cursor == cursor
        assert again.sync().received == 0
        status = again.status()
        assert status.complaints == len(expected) and status.last_sync is not None
        assert status.username == "officer"
    finally:
        again.close()


def test_small_pages_make_many_pages_without_duplicates(seeded_hub: Hub,
                                                        ctx: DeskContext) -> None:
    ctx.settings.page_max_bytes = 4096
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    report = ctx.sync()
    expected = server_scope(seeded_hub)
    ids = replica_ids(ctx)
    assert report.pages >= 4  # the server clamps tiny pages to its minimum (16 KiB)
    assert len(ids) == len(set(ids)) and set(ids) == set(expected)
    assert report.received == len(expected)


def test_server_killed_between_pages_then_resume(seeded_hub: Hub, ctx: DeskContext,
                                                 tmp_path: Path) -> None:
    ctx.settings.page_max_bytes = 4096
    ctx.settings.page_grow_max_bytes = 0  # fixed pages: counted by the test
    ctx.login(seeded_hub.url, "officer", PASSWORD)

    def kill_after_two_pages(pr: SyncProgress) -> None:
        if pr.phase == "pull" and pr.pages == 2:
            stop_hub(seeded_hub)

    with pytest.raises(OfflineError):
        ctx.sync(progress=kill_after_two_pages)
    partial = replica_ids(ctx)
    assert 0 < len(partial) < len(server_scope(seeded_hub))
    assert ctx.open_store().sync_state().last_error

    hub2 = start_hub(seeded_hub.db, tmp_path / "hub2.log")
    try:
        ctx.relocate(hub2.url)
        report = ctx.sync()
        expected = server_scope(hub2)
        ids = replica_ids(ctx)
        assert len(ids) == len(set(ids)) and set(ids) == set(expected)
        assert len(partial) + report.received == len(expected)
    finally:
        stop_hub(hub2)


def test_expired_access_token_is_refreshed_once_and_rotated(
        seeded_hub: Hub, ctx: DeskContext, secrets: MemorySecrets) -> None:
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    before = get_refresh_token(secrets)
    hub_sql(seeded_hub, "UPDATE tokens SET expires_at = 1 WHERE kind = 'access'")
    report = ctx.sync()
    assert report.received > 0
    after = get_refresh_token(secrets)
    assert after and after != before


def test_refresh_survives_a_lost_response(seeded_hub: Hub, ctx: DeskContext,
                                          secrets: MemorySecrets) -> None:
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    old = get_refresh_token(secrets)
    assert old
    # The server rotates the token but the answer never reaches the client.
    ctx.transport().post_json("/auth/refresh", {"refresh_token": old})
    assert get_refresh_token(secrets) == old
    token = ctx.auth_session().refresh()
    assert token
    new = get_refresh_token(secrets)
    assert new and new != old
    assert ctx.sync().received > 0


def test_wrong_password_is_an_auth_error_and_stores_nothing(
        seeded_hub: Hub, ctx: DeskContext, secrets: MemorySecrets) -> None:
    with pytest.raises(AuthError):
        ctx.login(seeded_hub.url, "officer", "wrong-password")
    assert get_refresh_token(secrets) is None
    assert ctx.settings.username is None


def test_new_server_epoch_resets_and_pulls_from_scratch(seeded_hub: Hub, ctx: DeskContext,
                                                        tmp_path: Path) -> None:
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    ctx.sync()
    stop_hub(seeded_hub)
    hub_sql(seeded_hub, "UPDATE meta SET value = 'restored-from-backup' WHERE key = 'epoch'")
    hub2 = start_hub(seeded_hub.db, tmp_path / "hub2.log")
    try:
        ctx.relocate(hub2.url)
        report = ctx.sync()
        expected = server_scope(hub2)
        assert report.reset
        assert report.received == len(expected)
        ids = replica_ids(ctx)
        assert len(ids) == len(set(ids)) and set(ids) == set(expected)
    finally:
        stop_hub(hub2)


def test_other_account_on_a_profile_with_data_rebuilds_the_synced_layer(
        seeded_hub: Hub, ctx: DeskContext) -> None:
    ctx.login(seeded_hub.url, "officer", PASSWORD)
    ctx.sync()
    ctx.login(seeded_hub.url, "officer2", PASSWORD)
    assert ctx.last_login_reset
    ctx.sync()
    expected = server_scope(seeded_hub, "disdukcapil-kota-semarang")
    assert set(replica_ids(ctx)) == set(expected)


def _add_unsent_command(ctx: DeskContext) -> None:
    """Unsent work as the outbox will hold it (the outbox API lands with push)."""
    with ctx.open_store().write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outbox (seq, op_id, kind, complaint_id, payload, base_version,"
            " created_at, state, updated_at) VALUES (1, 'op-1', 'note', NULL, '{}', NULL, 0,"
            " 'pending', 0)")


def test_other_account_with_unsent_work_is_refused_and_nothing_changes(
        seeded_hub: Hub, ctx: DeskContext, secrets: MemorySecrets) -> None:
    from lapor_desk.core import OtherAccountError

    ctx.login(seeded_hub.url, "officer", PASSWORD)
    ctx.sync()
    before = set(replica_ids(ctx))
    token = get_refresh_token(secrets)
    _add_unsent_command(ctx)
    with pytest.raises(OtherAccountError) as info:
        ctx.login(seeded_hub.url, "officer2", PASSWORD)
    assert "1" in info.value.message("en")
    assert set(replica_ids(ctx)) == before
    assert ctx.settings.username == "officer" and get_refresh_token(secrets) == token
    assert ctx.sync().received == 0  # the original login still works

    out = ctx.logout()
    assert out.pending == 1 and out.server_confirmed
    assert get_refresh_token(secrets) is None
    assert set(replica_ids(ctx)) == before  # logout never deletes data
