"""Translations: English source strings, Indonesian (the default) from a Qt Linguist .ts file.

English is the source language, but "%n" strings need its singular and plural forms, so English
also loads a small .ts holding only those numerus forms (everything else falls back to source).

The .ts is compiled to .qm with ``pyside6-lrelease`` into a cache directory (never committed);
without lrelease a small QTranslator subclass reads the .ts XML directly. English = no translator.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from lapor_desk.ui.resources import TRANSLATIONS

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"lapor_desk_{lang}.ts"


def _lrelease() -> str | None:
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return str(beside)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


class TsTranslator(QTranslator):
    """Reads a .ts file directly (the fallback when lrelease is missing)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._table: dict[tuple[str, str, str], list[str]] = {}
        # Our own shipped file, not network input.
        root = ET.parse(path).getroot()  # noqa: S314
        self._plural_en = (root.get("language") or "").startswith("en")
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                source = msg.findtext("source") or ""
                comment = msg.findtext("comment") or ""
                tr = msg.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                forms = [f.text or "" for f in tr.findall("numerusform")]
                texts = forms if forms else [tr.text or ""]
                if all(texts):
                    self._table[(name, source, comment)] = texts

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        forms = self._table.get((context, source_text, disambiguation or ""))
        if not forms:
            return None  # type: ignore[return-value]  # a null QString: Qt uses the source
        # Indonesian has one form; English: singular for exactly 1 (Qt's rule for "en").
        index = 1 if self._plural_en and n != 1 and len(forms) > 1 else 0
        return forms[index]  # QCoreApplication.translate puts n in place of %n

    def isEmpty(self) -> bool:
        return not self._table


def _compiled(ts: Path, cache_dir: Path) -> Path | None:
    """The .qm for ``ts`` in ``cache_dir``, compiled when missing; None without lrelease."""
    tool = _lrelease()
    if tool is None:
        return None
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    qm = cache_dir / f"{ts.stem}-{digest}.qm"
    if qm.exists():
        return qm
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".qm")
    os.close(fd)
    try:
        subprocess.run(  # noqa: S603 (our own lrelease on our own file)
            [tool, "-silent", str(ts), "-qm", tmp],
            check=True,
            capture_output=True,
            timeout=60,
        )
        os.replace(tmp, qm)
    except (OSError, subprocess.SubprocessError) as exc:
        Path(tmp).unlink(missing_ok=True)
        log.warning("lrelease failed (%s); reading the .ts directly", type(exc).__name__)
        return None
    return qm


def load_translator(lang: str, cache_dir: Path) -> QTranslator | None:
    """A translator for ``lang``; for English only its plural forms (None if that file is gone)."""
    if lang not in LANGUAGES:
        return None
    ts = ts_path(lang)
    if not ts.exists():
        return None
    qm = _compiled(ts, cache_dir)
    if qm is not None:
        translator = QTranslator()
        if translator.load(str(qm)):
            return translator
    return TsTranslator(ts)


class Translations:
    """Owns the installed translator; switching language sends LanguageChange to all widgets."""

    def __init__(
        self, app: QCoreApplication, cache_dir: Path, lang: str = DEFAULT_LANGUAGE
    ) -> None:
        self._app = app
        self._cache_dir = cache_dir
        self._translator: QTranslator | None = None
        self.lang = "en"
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            lang = DEFAULT_LANGUAGE
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self._translator = load_translator(lang, self._cache_dir)
        if self._translator is not None:
            self._app.installTranslator(self._translator)
        self.lang = lang

    def close(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
