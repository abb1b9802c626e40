"""Attachment transfers over the one ``Transport``: resumable chunked uploads and lazy,
resumable Range downloads verified by SHA-256 (sync-design.md).

* Upload: ``POST /attachments/uploads`` tells where the server stands (0, a resumed offset, or
  complete when it already holds the content); chunks go with their offset; a lost answer is
  recovered by asking the session's offset again (409 offset_mismatch). ``complete`` makes the
  server check size and hash; only then is the blob marked done and its command released.
* Download: ``Range: bytes=have-…`` requests of one chunk each, every chunk stored (encrypted)
  at once, so a re-run goes on where the last one stopped; the whole is hashed before it counts.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lapor_desk.errors import InvalidInputError, NotFoundError, ProtocolError
from lapor_desk.models import blobs
from lapor_desk.sync import protocol as p

if TYPE_CHECKING:
    from lapor_desk.models.store import Store
    from lapor_desk.sync.auth import AuthSession
    from lapor_desk.sync.transport import Transport

log = logging.getLogger(__name__)

Progress = Callable[[blobs.TransferProgress], None]
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_MAX_OFFSET_RESYNCS = 5


def _session(data: object, size: int) -> p.UploadSession:
    if not isinstance(data, dict):
        raise ProtocolError("upload session is not an object")
    upload_id, offset, complete = data.get("upload_id"), data.get("offset"), data.get("complete")
    if (upload_id is not None and (not isinstance(upload_id, str) or len(upload_id) > 100)) \
            or type(offset) is not int or not 0 <= offset <= size \
            or type(complete) is not bool or (upload_id is None and not complete):
        raise ProtocolError("invalid upload session")
    return {"upload_id": upload_id, "offset": offset, "size": size, "complete": complete}


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise blobs.CancelledTransferError()


def upload_blob(store: Store, transport: Transport, auth: AuthSession, info: blobs.BlobInfo,
                progress: Progress | None = None, cancel: threading.Event | None = None,
                *, chunk_bytes: int = p.UPLOAD_CHUNK_BYTES) -> None:
    """Bring one local blob to the server (resuming where the server stands)."""
    sha, size = info.sha256, info.size

    def call(method: str, path: str, body: Any = None) -> object:
        def go(token: str) -> object:
            return transport.request(method, path, body=body, token=token).data
        return auth.call(go)

    session = _session(call("POST", "/attachments/uploads", {"sha256": sha, "size": size}),
                       size)
    resyncs = 0
    restarted = False
    while not session["complete"]:
        upload_id = session["upload_id"]
        assert upload_id is not None
        offset = session["offset"]
        if progress is not None:
            progress(blobs.TransferProgress(offset, size))
        _check(cancel)
        if offset >= size:
            try:
                session = _session(call("POST", f"/attachments/uploads/{upload_id}/complete"),
                                   size)
            except NotFoundError:
                # The answer to an earlier complete was lost (the session is gone once done),
                # or the session was purged: ask again; a finished upload dedupes at once.
                if restarted:
                    raise
                restarted = True
                session = _session(call("POST", "/attachments/uploads",
                                        {"sha256": sha, "size": size}), size)
            except InvalidInputError as exc:
                if "hash_mismatch" in (exc.detail or ""):
                    # Our own stored bytes do not match their hash: nothing to retry.
                    blobs.set_upload(store, sha, "failed")
                    raise blobs.AttachmentCorruptError("local copy") from None
                raise
            continue
        with store.read() as conn:
            data = blobs.read_range(conn, sha, offset, chunk_bytes)
        if not data:
            raise ProtocolError("local attachment bytes missing")

        def put(token: str, upload_id: str = upload_id, offset: int = offset,
                data: bytes = data) -> object:
            return transport.request_bytes(
                "PUT", f"/attachments/uploads/{upload_id}", params={"offset": offset},
                data=data, token=token, max_bytes=64 * 1024).json().data

        try:
            answer = auth.call(put)
            session = {**_session(answer, size), "upload_id": upload_id}
        except NotFoundError:
            # The server dropped the session (stale, purged): start a new one, once.
            if restarted:
                raise
            restarted = True
            session = _session(call("POST", "/attachments/uploads",
                                    {"sha256": sha, "size": size}), size)
        except InvalidInputError as exc:
            # A chunk stored whose answer was lost (a retry then hits 409): ask where we are.
            if "offset_mismatch" not in (exc.detail or "") or resyncs >= _MAX_OFFSET_RESYNCS:
                raise
            resyncs += 1
            session = _session(call("GET", f"/attachments/uploads/{upload_id}"), size)
    blobs.set_upload(store, sha, "done")
    if progress is not None:
        progress(blobs.TransferProgress(size, size))


def upload_pending(store: Store, transport: Transport, auth: AuthSession,
                   progress: Callable[[int, int], None] | None = None,
                   cancel: threading.Event | None = None) -> int:
    """Upload every blob an open add_attachment command waits for; returns bytes uploaded.
    ``progress(done, total)`` counts bytes over all of them."""
    pending = blobs.pending_uploads(store)
    total = sum(b.size for b in pending)
    done = 0
    for info in pending:
        _check(cancel)
        base = done

        def each(tp: blobs.TransferProgress, base: int = base) -> None:
            if progress is not None:
                progress(base + tp.done, total)

        try:
            upload_blob(store, transport, auth, info, each, cancel)
        except (blobs.AttachmentCorruptError, InvalidInputError) as exc:
            # Permanent for this file (refused by the server, or our copy is damaged): let
            # its command go, so the server's rejection shows up as an attention item
            # instead of the outbox waiting for ever.
            log.warning("attachment upload refused (%s); its command goes unheld", exc.code)
            blobs.set_upload(store, info.sha256, "failed")
            continue
        done += info.size
    return done


def download_blob(store: Store, transport: Transport, auth: AuthSession, attachment_id: str,
                  sha256: str, size: int, progress: Progress | None = None,
                  cancel: threading.Event | None = None, *,
                  chunk_bytes: int = p.UPLOAD_CHUNK_BYTES) -> None:
    """Fetch an attachment into the replica, resuming a partial one; verified at the end."""
    if not 0 <= size <= p.MAX_ATTACHMENT_BYTES:
        raise ProtocolError("attachment larger than allowed")  # before anything is written
    info = blobs.begin_download(store, sha256, size)
    if info.complete:
        return
    have = info.have
    while have < size:
        if progress is not None:
            progress(blobs.TransferProgress(have, size))
        _check(cancel)
        end = min(size, have + chunk_bytes) - 1

        def get(token: str, have: int = have, end: int = end) -> Any:
            return transport.request_bytes(
                "GET", f"/attachments/{attachment_id}/content", token=token,
                headers={"Range": f"bytes={have}-{end}"}, max_bytes=end - have + 1,
                accept=(206,))

        result = auth.call(get)
        m = _CONTENT_RANGE.match(result.headers.get("content-range", "").strip())
        if m is None or int(m.group(1)) != have or int(m.group(3)) != size \
                or int(m.group(2)) != have + len(result.body) - 1 or not result.body:
            raise ProtocolError("bad Content-Range for an attachment")
        have = blobs.append_chunk(store, sha256, have, result.body)
    blobs.finish_download(store, sha256)
    if progress is not None:
        progress(blobs.TransferProgress(size, size))
