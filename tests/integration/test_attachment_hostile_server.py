"""Downloads from a hostile or broken server (scripted on loopback): nothing wrong is kept."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest

from lapor_desk.errors import ProtocolError
from lapor_desk.models import blobs
from lapor_desk.models.store import Store
from lapor_desk.sync.attachments import download_blob
from lapor_desk.sync.transport import Transport

T = TypeVar("T")
KEY = bytes(range(32))
DATA = os.urandom(300_000)
SHA = hashlib.sha256(DATA).hexdigest()
Answer = Callable[[int, int], tuple[int, dict[str, str], bytes]]


class _Token:
    """The bearer token source; the server under test does not check it."""

    def call(self, fn: Callable[[str], T]) -> T:
        return fn("token")


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Answer) -> str:
        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                m = re.match(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
                assert m is not None
                status, headers, body = answer(int(m.group(1)), int(m.group(2)))
                self.send_response(status)
                for k, v in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _ranged(data: bytes) -> Answer:
    def answer(a: int, b: int) -> tuple[int, dict[str, str], bytes]:
        return 206, {"Content-Range": f"bytes {a}-{b}/{len(data)}"}, data[a:b + 1]
    return answer


def _fetch(url: str, tmp_path: Path, size: int = len(DATA)) -> Store:
    store = Store.open(tmp_path / "desk.db", KEY)
    with Transport(url, attempts=1) as tr:
        try:
            download_blob(store, tr, _Token(), "a1", SHA, size,  # type: ignore[arg-type]
                          chunk_bytes=100_000)
        except BaseException:
            store.close()
            raise
    return store


def _held(tmp_path: Path) -> tuple[int, bool]:
    store = Store.open(tmp_path / "desk.db", KEY)
    try:
        with store.read() as conn:
            info = blobs.blob_info(conn, SHA)
        return (0, False) if info is None else (info.have, info.complete)
    finally:
        store.close()


def test_an_honest_server_gives_a_verified_blob(serve: Callable[[Answer], str],
                                                tmp_path: Path) -> None:
    _fetch(serve(_ranged(DATA)), tmp_path).close()
    assert _held(tmp_path) == (len(DATA), True)


@pytest.mark.parametrize("kind", ["whole_200", "wrong_start", "wrong_total", "too_long",
                                  "no_header", "empty"])
def test_lying_ranges_are_refused(serve: Callable[[Answer], str], tmp_path: Path,
                                  kind: str) -> None:
    def answer(a: int, b: int) -> tuple[int, dict[str, str], bytes]:
        if kind == "whole_200":
            return 200, {}, DATA
        if kind == "wrong_start":
            return 206, {"Content-Range": f"bytes {a + 1}-{b}/{len(DATA)}"}, DATA[a + 1:b + 1]
        if kind == "wrong_total":
            return 206, {"Content-Range": f"bytes {a}-{b}/{len(DATA) * 2}"}, DATA[a:b + 1]
        if kind == "too_long":
            return 206, {"Content-Range": f"bytes {a}-{b + 10}/{len(DATA)}"}, DATA[a:b + 11]
        if kind == "no_header":
            return 206, {}, DATA[a:b + 1]
        return 206, {"Content-Range": f"bytes {a}-{b}/{len(DATA)}"}, b""

    with pytest.raises(ProtocolError):
        _fetch(serve(answer), tmp_path)
    assert _held(tmp_path) == (0, False)


def test_wrong_bytes_are_discarded_after_the_hash_check(serve: Callable[[Answer], str],
                                                        tmp_path: Path) -> None:
    evil = bytearray(DATA)
    evil[123_456] ^= 0xFF
    with pytest.raises(blobs.AttachmentCorruptError):
        _fetch(serve(_ranged(bytes(evil))), tmp_path)
    assert _held(tmp_path) == (0, False)


def test_an_oversized_claim_is_refused_before_anything_is_written(
        serve: Callable[[Answer], str], tmp_path: Path) -> None:
    with pytest.raises(ProtocolError):
        _fetch(serve(_ranged(DATA)), tmp_path, size=blobs.p.MAX_ATTACHMENT_BYTES + 1)
    assert _held(tmp_path) == (0, False)
