"""Indonesian is complete; the .ts loads through lrelease or directly; no .qm is committed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from lapor_desk.ui import i18n
from lapor_desk.ui.resources import RESOURCES

TS = RESOURCES / "translations" / "lapor_desk_id.ts"
TS_EN = RESOURCES / "translations" / "lapor_desk_en.ts"
UI = Path(i18n.__file__).resolve().parent


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    out = {}
    for ctx in root.iter("context"):
        for msg in ctx.iter("message"):
            out[(ctx.findtext("name") or "", msg.findtext("source") or "")] = msg
    return out


def test_every_string_is_translated() -> None:
    msgs = messages(TS)
    assert len(msgs) > 100
    for (ctx, source), msg in msgs.items():
        tr = msg.find("translation")
        assert tr is not None and tr.get("type") is None, (ctx, source)
        forms = [f.text or "" for f in tr.findall("numerusform")]
        if msg.get("numerus") == "yes":
            assert "%n" in source and len(forms) == 1, source  # Indonesian: one form
            text = forms[0]
            assert "%n" in text, source
        else:
            assert not forms and "%n" not in source, source
            text = tr.text or ""
        assert text.strip(), (ctx, source)
        # Placeholders and mnemonics survive translation.
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", text)), source
        assert ("&" in source) == ("&" in text), source


def test_english_has_both_forms_of_every_plural() -> None:
    plural = {key for key, msg in messages(TS).items() if msg.get("numerus") == "yes"}
    english = messages(TS_EN)
    assert set(english) == plural and plural
    for key, msg in english.items():
        forms = [f.text or "" for f in msg.iter("numerusform")]
        assert len(forms) == 2 and all("%n" in f for f in forms), key
        assert "(s)" not in forms[0] + forms[1], key
        assert sorted(re.findall(r"%\d", key[1])) == sorted(re.findall(r"%\d", forms[1])), key


@pytest.mark.parametrize("compiled", [True, False])
def test_english_plurals_and_indonesian_singular(compiled: bool, tmp_path: Path,
                                                 qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled:
        monkeypatch.setattr(i18n, "_lrelease", lambda: None)
    app = QCoreApplication.instance()
    assert app is not None
    translations = i18n.Translations(app, tmp_path, "en")
    tr = QCoreApplication.translate
    try:
        assert [tr("MainWindow", "%n complaint(s)", None, n) for n in (0, 1, 2, 21)] == [
            "0 complaints", "1 complaint", "2 complaints", "21 complaints"]
        assert tr("ViewsModel", "%1: %n complaint(s)", None, 1) == "%1: 1 complaint"
        assert tr("MainWindow", "&Sync") == "&Sync"  # everything else is the source text
        translations.set_language("id")
        assert [tr("MainWindow", "%n complaint(s)", None, n) for n in (1, 2)] == [
            "1 laporan", "2 laporan"]
    finally:
        translations.close()


def test_ts_covers_every_ui_string(tmp_path: Path) -> None:
    lupdate = str(Path(sys.executable).parent / "pyside6-lupdate")
    if not Path(lupdate).exists():
        lupdate = shutil.which("pyside6-lupdate") or lupdate
    if not Path(lupdate).exists():
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([lupdate, *sorted(str(p) for p in UI.glob("*.py")), "-ts", str(fresh),
                    "-source-language", "en", "-target-language", "id"],
                   check=True, capture_output=True, timeout=60)
    assert set(messages(fresh)) == set(messages(TS))
    # lupdate marks the tr(…, n) calls as plurals: the .ts files agree.
    assert {k for k, m in messages(fresh).items() if m.get("numerus") == "yes"} == \
        {k for k, m in messages(TS).items() if m.get("numerus") == "yes"}


def test_no_generated_qm_is_committed() -> None:
    tracked = subprocess.run(["git", "ls-files", "resources"], cwd=RESOURCES.parent,
                             capture_output=True, text=True, check=True).stdout
    assert ".qm" not in tracked


@pytest.mark.parametrize("compiled", [True, False])
def test_translator_loads(compiled: bool, tmp_path: Path, qtbot: QtBot,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled:
        monkeypatch.setattr(i18n, "_lrelease", lambda: None)
    app = QCoreApplication.instance()
    assert app is not None
    translations = i18n.Translations(app, tmp_path, "id")
    try:
        assert QCoreApplication.translate("MainWindow", "&Sync") == "&Sinkronkan"
        assert QCoreApplication.translate("Format", "due today") == "hari ini"
        assert list(tmp_path.glob("*.qm")) if compiled else not list(tmp_path.glob("*.qm"))
        translations.set_language("en")
        assert QCoreApplication.translate("MainWindow", "&Sync") == "&Sync"
    finally:
        translations.close()
