"""Server-supplied attachment names are display text: files written out get safe names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lapor_desk.models.blobs import MAX_NAME_BYTES, safe_filename, unique_path

HOSTILE = [
    "../x", "../../etc/passwd", "C:\\x", "C:\\Windows\\system32\\cmd.exe", "/abs/path.txt",
    "CON", "con.txt", "LPT1.pdf", "aux", "nul.tar.gz", "a" * 300 + ".jpg", "é" * 300,
    "foto\u202egpj.exe", "line\nbreak\r.txt", "nul\x00byte.png", "tab\there", "", "   ",
    ".", "..", "...", ".bashrc", "trailing. . .", "a:b*c?d\"e<f>g|h", "\u200b\u2066x\u2069",
    "\ud800lone.txt", "name.", "ｆｕｌｌ／ｗｉｄｔｈ",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_become_one_safe_component(name: str, tmp_path: Path) -> None:
    safe = safe_filename(name)
    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe and ":" not in safe
    assert not safe.startswith(".") and not safe.endswith((".", " "))
    assert all(ch.isprintable() and ch not in "\u202e\u2066\u2069\u200b" for ch in safe)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    stem = safe.split(".")[0].upper()
    assert stem not in {"CON", "PRN", "AUX", "NUL", "LPT1", "COM1"}
    # It really is a file inside the directory.
    path = Path(unique_path(tmp_path, safe))
    path.write_bytes(b"x")
    assert path.parent == tmp_path and os.listdir(tmp_path) == [path.name]


def test_ordinary_names_are_kept_and_extensions_survive_truncation() -> None:
    assert safe_filename("foto_lokasi_1.png") == "foto_lokasi_1.png"
    assert safe_filename("Surat Pengantar (final).pdf") == "Surat Pengantar (final).pdf"
    assert safe_filename("a" * 300 + ".jpg").endswith(".jpg")
    assert safe_filename("foto\u202egpj.exe") == "foto gpj.exe"
    assert safe_filename("") == "lampiran"


def test_unique_path_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"1")
    (tmp_path / "a (2).pdf").write_bytes(b"2")
    assert Path(unique_path(tmp_path, "a.pdf")).name == "a (3).pdf"
