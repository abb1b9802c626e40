"""Attachments end to end over a real lapor_hub process: offline attach, resumable chunked
upload before the command, lazy resumable Range download verified by SHA-256, scope."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Hub, run_cli, stop_hub
from faultproxy import Fault, FaultProxy

from lapor_desk.core import DeskContext
from lapor_desk.errors import InvalidInputError, NotFoundError, OfflineError
from lapor_desk.models.blobs import (
    AttachmentCorruptError,
    AttachmentTooLargeError,
    CancelledTransferError,
    TransferProgress,
)
from lapor_desk.secrets import MemorySecrets
from lapor_desk.sync import protocol as p
from lapor_desk.sync.engine import SyncProgress
from lapor_desk.sync.push import Pusher

PASSWORD = "demo-lapor-2026"
AGENCY = "dpupr-kab-semarang"
FAST = {"attempts": 2, "backoff_base": 0.0, "connect_timeout": 2.0, "read_timeout": 10.0}
SQLITE_ONLY = pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
MIB = 1024 * 1024


def hub_rows(hub: Hub, statement: str, **params: Any) -> list[Any]:
    engine = sa.create_engine(hub.db)
    try:
        with engine.begin() as conn:
            return list(conn.execute(sa.text(statement), params).all()) \
                if statement.lstrip().upper().startswith("SELECT") else \
                [conn.execute(sa.text(statement), params).rowcount]
    finally:
        engine.dispose()


def tracking(hub: Hub, skip: int = 0) -> int:
    rows = hub_rows(hub, "SELECT tracking_id FROM complaints WHERE agency_id = :a"
                    " AND is_confidential = :f ORDER BY tracking_id", a=AGENCY, f=False)
    return int(rows[skip][0])


def new_ctx(home: Path) -> DeskContext:
    return DeskContext.for_home(home, secrets=MemorySecrets(), transport_options=FAST)


def signed_in(url: str, home: Path, username: str = "officer") -> DeskContext:
    ctx = new_ctx(home)
    ctx.login(url, username, PASSWORD)
    ctx.sync()
    return ctx


@pytest.fixture
def proxy(seeded_hub: Hub) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", int(seeded_hub.url.rsplit(":", 1)[1])) as px:
        yield px


def test_offline_attach_uploads_before_the_command_and_another_client_downloads(
        seeded_hub: Hub, proxy: FaultProxy, tmp_path: Path) -> None:
    tid = tracking(seeded_hub)
    officer = signed_in(proxy.url, tmp_path / "officer")
    operator = signed_in(seeded_hub.url, tmp_path / "operator", "operator")
    try:
        data = os.urandom(2 * MIB + 12345)  # three chunks
        evidence = tmp_path / "foto jalan.png"
        evidence.write_bytes(data)
        proxy.refuse()  # offline
        item = officer.attach_file(str(tid), evidence, note="sebelum perbaikan")
        assert (item.state, item.size, item.name) == ("pending_upload", len(data),
                                                      "foto jalan.png")
        assert officer.status().pending == 1
        proxy.heal()
        # The second chunk never reaches the server: the sync fails offline and the
        # command that references the file must not have been sent.
        proxy.arm(Fault("drop", "/attachments/uploads/", skip=1, times=None))
        with pytest.raises(OfflineError):
            officer.sync()
        assert hub_rows(seeded_hub, "SELECT count(*) FROM attachments WHERE sha256 = :s",
                        s=item.sha256)[0][0] == 0
        assert hub_rows(seeded_hub, "SELECT count(*) FROM command_log")[0][0] == 0
        held = hub_rows(seeded_hub, "SELECT received FROM uploads WHERE sha256 = :s",
                        s=item.sha256)
        assert held and 0 < held[0][0] < len(data)
        proxy.heal()
        # Pushing alone (no upload phase) holds the command while its file is incomplete.
        assert officer.settings.device_id is not None
        pushed = Pusher(officer.outbox(), officer.transport(), officer.auth_session(),
                        officer.settings.device_id).push()
        assert pushed.pushed == 0
        assert hub_rows(seeded_hub, "SELECT count(*) FROM command_log")[0][0] == 0
        seen: list[SyncProgress] = []
        report = officer.sync(progress=seen.append)
        assert report.applied == 1 and report.uploaded_bytes == len(data)
        uploads = [s for s in seen if s.phase == "upload"]
        assert uploads[-1].upload_bytes_done == uploads[-1].upload_bytes_total == len(data)
        # Only the missing part was sent again after the drop.
        puts = [r for r in proxy.requests if r[0] == "PUT"]
        assert len(puts) <= 5
        [mine] = officer.attachments(str(tid))
        assert mine.state == "local" and mine.id == item.id  # the pull stream brought it back

        operator.sync()
        [theirs] = operator.attachments(str(tid))
        assert (theirs.state, theirs.have, theirs.name) == ("remote", 0, "foto jalan.png")
        progress: list[TransferProgress] = []
        done = operator.download_attachment(str(tid), 1, progress=progress.append)
        assert done.state == "local" and progress[-1] == TransferProgress(len(data), len(data))
        opened = operator.export_attachment(str(tid), 1)
        assert opened.read_bytes() == data and opened.name == "foto jalan.png"
        assert stat.S_IMODE(opened.parent.stat().st_mode) == 0o700
        operator.close()
        assert not opened.exists() and not opened.parent.exists()
    finally:
        officer.close()
        operator.close()


@SQLITE_ONLY
def test_lost_chunk_answer_resumes_and_dedupe_skips_the_upload(
        seeded_hub: Hub, proxy: FaultProxy, tmp_path: Path) -> None:
    officer = signed_in(proxy.url, tmp_path / "officer")
    try:
        data = os.urandom(3 * MIB)
        f = tmp_path / "bukti.bin"
        f.write_bytes(data)
        officer.attach_file(str(tracking(seeded_hub)), f)
        # The server stores chunk 2 but its answer is cut: the retry gets 409 offset_mismatch,
        # asks the session's offset and goes on without sending chunk 2 twice to storage.
        proxy.arm(Fault("reset", "/attachments/uploads/", skip=1, after_bytes=0))
        report = officer.sync()
        assert report.applied == 1 and proxy.faults_fired >= 1
        sha = hashlib.sha256(data).hexdigest()
        assert hub_rows(seeded_hub, "SELECT size FROM blobs WHERE sha256 = :s",
                        s=sha)[0][0] == len(data)
        # The same content again (another complaint): dedupe, no chunk is sent.
        proxy.reset_counters()
        officer.attach_file(str(tracking(seeded_hub, 1)), f)
        assert officer.sync().applied == 1
        assert not [r for r in proxy.requests if r[0] == "PUT"]
    finally:
        officer.close()


@SQLITE_ONLY
def test_range_download_resumes_and_corrupt_bytes_are_discarded(
        seeded_hub: Hub, proxy: FaultProxy, tmp_path: Path) -> None:
    uploader = signed_in(seeded_hub.url, tmp_path / "up")
    reader = signed_in(proxy.url, tmp_path / "reader", "operator")
    try:
        data = os.urandom(3 * MIB - 7)
        f = tmp_path / "laporan.pdf"
        f.write_bytes(data)
        tid = str(tracking(seeded_hub))
        uploader.attach_file(tid, f)
        uploader.sync()
        reader.sync()
        proxy.arm(Fault("reset", "/content", skip=1, after_bytes=1000, times=None))
        with pytest.raises(OfflineError):
            reader.download_attachment(tid, 1)
        [partial] = reader.attachments(tid)
        assert partial.state == "partial" and partial.have == MIB
        proxy.heal()
        proxy.reset_counters()
        done = reader.download_attachment(tid, 1)
        assert done.state == "local"
        ranges = [r for r in proxy.requests if r[1].endswith("/content")]
        assert len(ranges) == 2  # only the two missing chunks
        out = tmp_path / "out"
        out.mkdir()
        assert reader.save_attachment(tid, 1, out).read_bytes() == data

        # The server's stored bytes rot (same length): the hash check catches it.
        sha = hashlib.sha256(data).hexdigest()
        hub_rows(seeded_hub, "UPDATE blob_chunks SET data = :d WHERE owner = :s AND pos = 0",
                 d=b"\0" * MIB, s=sha)
        fresh = signed_in(seeded_hub.url, tmp_path / "fresh", "supervisor")
        try:
            with pytest.raises(AttachmentCorruptError):
                fresh.download_attachment(tid, 1)
            [gone] = fresh.attachments(tid)
            assert (gone.state, gone.have) == ("remote", 0)
            with pytest.raises(NotFoundError):
                fresh.export_attachment(tid, 1)
        finally:
            fresh.close()
    finally:
        uploader.close()
        reader.close()


@SQLITE_ONLY
def test_limits_and_other_agency_scope(seeded_hub: Hub, tmp_path: Path) -> None:
    officer = signed_in(seeded_hub.url, tmp_path / "officer")
    other = signed_in(seeded_hub.url, tmp_path / "other", "officer2")
    try:
        tid = str(tracking(seeded_hub))
        huge = tmp_path / "huge.bin"
        with huge.open("wb") as fh:  # sparse: the check must come before reading it
            fh.truncate(p.MAX_ATTACHMENT_BYTES + 1)
        with pytest.raises(AttachmentTooLargeError):
            officer.attach_file(tid, huge)
        empty = tmp_path / "empty.txt"
        empty.write_bytes(b"")
        with pytest.raises(InvalidInputError):
            officer.attach_file(tid, empty)
        with pytest.raises(InvalidInputError):
            officer.attach_file(tid, tmp_path)
        assert officer.status().pending == 0
        # Another agency does not hold the complaint at all, and the hub answers 404.
        with pytest.raises(NotFoundError):
            other.attachments(tid)
        ok = tmp_path / "ok.txt"
        ok.write_bytes(b"isi")
        officer.attach_file(tid, ok)
        officer.sync()
        [a] = officer.attachments(tid)
        from lapor_desk.sync.attachments import download_blob

        with pytest.raises(NotFoundError):
            download_blob(other.open_store(), other.transport(), other.auth_session(), a.id,
                          a.sha256, a.size)
    finally:
        officer.close()
        other.close()


@SQLITE_ONLY
def test_seeded_demo_attachments_download_as_real_files(seeded_hub: Hub, tmp_path: Path) -> None:
    officer = signed_in(seeded_hub.url, tmp_path / "officer")
    try:
        rows = hub_rows(seeded_hub, "SELECT c.tracking_id FROM attachments a JOIN complaints c"
                        " ON c.id = a.complaint_id WHERE c.agency_id = :a"
                        " AND c.is_confidential = :f ORDER BY c.tracking_id LIMIT 1",
                        a=AGENCY, f=False)
        tid = str(rows[0][0])
        item = officer.download_attachment(tid, 1)
        head = officer.export_attachment(tid, 1).read_bytes()[:8]
        assert head in (b"\x89PNG\r\n\x1a\n", b"%PDF-1.4") and item.state == "local"
        stop_hub(seeded_hub)  # opening works offline once downloaded
        assert officer.export_attachment(tid, 1).exists()
    finally:
        officer.close()


@SQLITE_ONLY
def test_cancel_keeps_the_partial_download_and_a_damaged_local_copy_is_rejected_visibly(
        seeded_hub: Hub, tmp_path: Path) -> None:
    officer = signed_in(seeded_hub.url, tmp_path / "officer")
    operator = signed_in(seeded_hub.url, tmp_path / "operator", "operator")
    try:
        tid = str(tracking(seeded_hub))
        f = tmp_path / "video.bin"
        f.write_bytes(os.urandom(3 * MIB))
        officer.attach_file(tid, f)
        officer.sync()
        operator.sync()
        cancel = threading.Event()

        def stop_after_first(tp: TransferProgress) -> None:
            if tp.done > 0:
                cancel.set()

        with pytest.raises(CancelledTransferError):
            operator.download_attachment(tid, 1, progress=stop_after_first, cancel=cancel)
        [partial] = operator.attachments(tid)
        assert (partial.state, partial.have) == ("partial", MIB)

        # The officer's own stored copy of a second file is damaged before it is uploaded:
        # the server refuses the bytes, the command is let go and comes back rejected with a
        # plain reason instead of holding the outbox for ever.
        g = tmp_path / "surat.pdf"
        g.write_bytes(os.urandom(5000))
        item = officer.attach_file(tid, g)
        with officer.open_store().write() as conn:
            conn.exec_driver_sql("UPDATE blob_chunks SET data = ? WHERE sha256 = ?",
                                 (b"\0" * 5000, item.sha256))
        report = officer.sync()
        assert report.commands_rejected == 1
        [why] = officer.outbox().attention()
        assert "not on the server" in why.message("en")
        assert officer.status().pending == 0
    finally:
        officer.close()
        operator.close()


@SQLITE_ONLY
def test_an_upload_session_purged_by_the_hub_is_started_again(
        seeded_hub: Hub, proxy: FaultProxy, tmp_path: Path) -> None:
    officer = signed_in(proxy.url, tmp_path / "officer")
    try:
        data = os.urandom(2 * MIB + 1)
        f = tmp_path / "bukti.bin"
        f.write_bytes(data)
        officer.attach_file(str(tracking(seeded_hub)), f)
        proxy.arm(Fault("drop", "/attachments/uploads/", skip=1, times=None))
        with pytest.raises(OfflineError):
            officer.sync()
        proxy.heal()
        run_cli("lapor_hub", "jobs", "--db", seeded_hub.db, "--now", "2031-01-01T00:00:00Z")
        assert hub_rows(seeded_hub, "SELECT count(*) FROM uploads")[0][0] == 0
        report = officer.sync()
        assert report.applied == 1 and report.commands_rejected == 0
        [item] = officer.attachments(str(tracking(seeded_hub)))
        assert item.state == "local"
    finally:
        officer.close()


@SQLITE_ONLY
def test_a_lost_complete_answer_is_recovered_without_uploading_again(
        seeded_hub: Hub, proxy: FaultProxy, tmp_path: Path) -> None:
    officer = signed_in(proxy.url, tmp_path / "officer")
    try:
        data = os.urandom(MIB + 5)
        f = tmp_path / "bukti.bin"
        f.write_bytes(data)
        officer.attach_file(str(tracking(seeded_hub)), f)
        # The hub completes the upload but the answer is cut: the retried complete finds no
        # session (404); the client asks again and the hub knows it already holds the file.
        proxy.arm(Fault("reset", "/complete", after_bytes=0))
        report = officer.sync()
        assert report.applied == 1 and proxy.faults_fired == 1
        assert len([r for r in proxy.requests if r[0] == "PUT"]) == 2
    finally:
        officer.close()
