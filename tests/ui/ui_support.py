"""UI test support (not a conftest: one conftest module name is shared by all test dirs).

A real lapor_hub process (seeded, plus one hostile complaint), a real profile
signed in and synced through DeskContext, and the real main window over it (offscreen)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Hub, start_hub, stop_hub
from pytestqt.qtbot import QtBot

from lapor_desk.core import DeskContext
from lapor_desk.secrets import MemorySecrets
from lapor_desk.ui.app import create_main_window
from lapor_desk.ui.main_window import MainWindow

AGENCY = "dpupr-kab-semarang"  # the demo officer's agency
PASSWORD = "demo-lapor-2026"  # synthetic demo data only
HOSTILE_TITLE = "<img src=x onerror=alert(1)><b>bold</b> \u202eevil\u202c zebracanary \x00 end"
HOSTILE_BODY = "zebracanary <a href='http://evil.example'>klik</a> " + "A" * 1_000_000
HOSTILE_AUTHOR = "<i>Pelapor</i>\u202e"


def hostile_display(text: str) -> str:
    """What a client may show: the validator replaces NUL with U+FFFD, nothing else."""
    return text.replace("\x00", "\ufffd")


def _iso(dt: datetime) -> str:
    return dt.isoformat()


def add_complaint(db_url: str, *, title: str, body: str, anonymous: bool = False,
                  confidential: bool = False, thread_author: str = "Pelapor",
                  due_in_days: float = 3.0) -> str:
    """Write one complaint straight into the hub's database (as an import would)."""
    from lapor_hub import db
    from lapor_hub.store import AttachmentData, ComplaintData, ThreadData, write_complaints

    now = datetime.now(UTC)
    cid = str(uuid.uuid4())
    engine = db.make_engine(db_url)
    try:
        with db.write_tx(engine) as conn:
            tracking = 9_900_000 + int(uuid.UUID(cid).int % 90_000)
            write_complaints(conn, [ComplaintData(
                id=cid, tracking_id=tracking, title=title, body=body, agency_id=AGENCY,
                classification="pengaduan", channel="web", status="didisposisikan",
                created_at=_iso(now - timedelta(days=1)), updated_at=_iso(now),
                is_anonymous=anonymous, is_confidential=confidential,
                reporter_name=None if anonymous else "Budi Contoh",
                province="Jawa Tengah", regency="Kabupaten Semarang", district="Ungaran",
                due_at=_iso(now + timedelta(days=due_in_days)),
                thread=[ThreadData(id=str(uuid.uuid4()), kind="comment", author=thread_author,
                                   body="<script>alert(2)</script>\nbaris kedua",
                                   created_at=_iso(now - timedelta(hours=5)))],
                attachments=[AttachmentData(id=str(uuid.uuid4()), name="../../etc/passwd<b>",
                                            size=2_345_678, sha256="0" * 64, mime="image/png")],
            )])
    finally:
        engine.dispose()
    return cid


@pytest.fixture(scope="session")
def ui_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, str]]:
    """A seeded hub (SQLite) with a hostile, anonymous, confidential complaint; (hub, its id)."""
    from lapor_hub.seed import seed

    tmp = tmp_path_factory.mktemp("ui-hub")
    db_url = f"sqlite:///{tmp / 'hub.db'}"
    seed(db_url, complaints=60, seed=7)
    hostile_id = add_complaint(db_url, title=HOSTILE_TITLE, body=HOSTILE_BODY, anonymous=True,
                               confidential=True, thread_author=HOSTILE_AUTHOR)
    hub = start_hub(db_url, tmp / "hub.log")
    try:
        yield hub, hostile_id
    finally:
        stop_hub(hub)


def make_ctx(home: Path, hub: Hub, *, sync: bool = True) -> DeskContext:
    ctx = DeskContext.for_home(home, secrets=MemorySecrets(),
                               transport_options={"attempts": 1, "deadline": 20.0})
    ctx.login(hub.url, "officer", PASSWORD)
    if sync:
        ctx.sync()
    return ctx


@pytest.fixture
def ctx(ui_hub: tuple[Hub, str], tmp_path: Path) -> Iterator[DeskContext]:
    context = make_ctx(tmp_path / "profile", ui_hub[0])
    try:
        yield context
    finally:
        context.close()


@contextmanager
def shown_window(ctx: DeskContext, qtbot: QtBot, *, language: str = "id") -> Iterator[MainWindow]:
    """The real main window, shown and with its inbox loaded; closed cleanly after."""
    ctx.settings.language = language
    win = create_main_window(ctx)
    with qtbot.waitSignal(win.inboxReloaded, timeout=10_000):
        win.show()
    try:
        yield win
    finally:
        win.close()
        if win.translations is not None:
            win.translations.close()
        win.deleteLater()


@pytest.fixture
def window(ctx: DeskContext, qtbot: QtBot) -> Iterator[MainWindow]:
    with shown_window(ctx, qtbot) as win:
        yield win
