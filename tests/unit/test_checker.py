"""The substantive-answer checker and the response templates, against the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lapor_desk.models.checker import (
    MAX_CHECK_CHARS,
    SUBSTANTIVE_SCORE,
    CheckResult,
    check_response,
)
from lapor_desk.models.templates import (
    ANONYMOUS_NAME,
    DEFAULT_TEMPLATES,
    Template,
    find_placeholders,
    render,
    strip_placeholders,
)

CORPUS_PATH = Path(__file__).resolve().parent.parent / "data" / "checker" / "corpus.json"
CORPUS: list[dict[str, Any]] = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
TEMPLATES = {t.id: t for t in DEFAULT_TEMPLATES}


def check_item(item: dict[str, Any], text: str | None = None) -> CheckResult:
    template = TEMPLATES.get(item.get("template_id", ""))
    return check_response(
        item["text"] if text is None else text,
        classification=item["classification"],
        complaint_title=item["complaint"]["title"],
        complaint_body=item["complaint"]["body"],
        normative_class=item["normative_class"],
        template_text=template.body if template else None,
    )


# ------------------------------------------------------------------------------ the corpus


def test_corpus_is_big_and_balanced() -> None:
    assert len(CORPUS) >= 40
    ids = [item["id"] for item in CORPUS]
    assert len(ids) == len(set(ids))
    labels = {(item["classification"], item["substantive"]) for item in CORPUS}
    for cls in ("pengaduan", "permintaan_informasi"):
        assert (cls, True) in labels
        assert (cls, False) in labels
    for item in CORPUS:
        assert item["text"] and isinstance(item["substantive"], bool)
        assert item["complaint"]["title"]
        assert item.get("template_id") is None or item["template_id"] in TEMPLATES


@pytest.mark.parametrize("item", CORPUS, ids=[item["id"] for item in CORPUS])
def test_corpus_labels(item: dict[str, Any]) -> None:
    result = check_item(item)
    codes = result.codes()
    explain = f"score {result.score}, findings {sorted(codes)}"
    assert result.substantive is item["substantive"], explain
    for code in item["expect_present"]:
        assert code in codes, f"{code} expected; {explain}"
    for code in item["expect_absent"]:
        assert code not in codes, f"{code} not expected; {explain}"
    if item["substantive"]:
        assert result.score >= SUBSTANTIVE_SCORE
        assert not result.problems()


MONOTONE_EDITS = {
    "date": lambda t: "Pada Senin, 23 November 2026, " + t,
    "contact": lambda t: t + "\nInformasi lebih lanjut: WA 0812-2650-4471.",
    "evidence": lambda t: t + "\nFoto dan berita acara terlampir.",
}


@pytest.mark.parametrize("edit", sorted(MONOTONE_EDITS))
def test_score_monotone_in_obvious_edits(edit: str) -> None:
    for item in CORPUS:
        before = check_item(item)
        after = check_item(item, MONOTONE_EDITS[edit](item["text"]))
        assert after.score >= before.score, item["id"]


def test_adding_a_date_to_a_dateless_good_answer() -> None:
    item = next(i for i in CORPUS if i["id"] == "good-dateless")
    before = check_item(item)
    after = check_item(item, item["text"].replace("telah menambal", "pada 19 November 2026 "
                                                  "telah menambal"))
    assert "missing_when" in before.codes()
    assert "missing_when" not in after.codes()
    assert after.score > before.score


def test_deterministic() -> None:
    for item in CORPUS:
        first, second = check_item(item), check_item(item)
        assert first == second
        assert json.dumps(first.to_json(), ensure_ascii=False) == json.dumps(
            second.to_json(), ensure_ascii=False)


# ------------------------------------------------------------------------------ details


def test_to_json_shape() -> None:
    result = check_item(CORPUS[0])
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) >= {"substantive", "score", "findings"}
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "message", "message_id", "message_en",
                                "start", "end"}
        assert finding["message"] == finding["message_id"]
        assert finding["severity"] in ("info", "warning", "problem")


def test_findings_ordered_problems_first() -> None:
    item = next(i for i in CORPUS if i["id"] == "border-good-but-placeholder")
    severities = [f.severity for f in check_item(item).findings]
    order = {"problem": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)


def test_spans_point_into_the_original_text() -> None:
    text = ("Pada Kamis,\u202e 19 November 2026 tim UPT Jalan Wilayah II melakukan penambalan "
            "lubang di Jl. Soekarno–Hatta. Foto terlampir. Hubungi 0812-2650-4471.")
    result = check_response(text)
    spans = {f.code: (f.start, f.end) for f in result.findings if f.start is not None}
    start, end = spans["has_when"]
    assert text[start:end] == "19 November 2026"
    start, end = spans["has_contact"]
    assert text[start:end] == "0812-2650-4471"
    start, end = spans["has_action"]
    assert text[start:end] == "penambalan"


def test_diacritics_and_case_do_not_matter() -> None:
    item = next(i for i in CORPUS if i["id"] == "good-jalan-tambal")
    assert check_item(item, item["text"].upper()).substantive
    accented = item["text"].replace("penambalan", "pénambalan").replace("dilalui", "dilaluì")
    assert check_item(item, accented).codes() >= {"has_action", "has_outcome"}


@pytest.mark.parametrize(
    "text",
    [
        "Perbaikan oleh Dinas PUPR pada 12 Desember 2026.",
        "Perbaikan oleh Dinas PUPR pada 12/12/2026.",
        "Perbaikan oleh Dinas PUPR pada Senin, 7 Desember.",
        "Perbaikan oleh Dinas PUPR pada 2026-12-07.",
        "Perbaikan oleh Dinas PUPR pada 7 Des. 2026.",
        "Perbaikan oleh Dinas PUPR tanggal 07-12-26.",
        "Perbaikan oleh Dinas PUPR dianggarkan pada tahun anggaran 2027.",
    ],
)
def test_concrete_dates(text: str) -> None:
    assert "has_when" in check_response(text).codes()


@pytest.mark.parametrize(
    "text",
    [
        "Perbaikan oleh Dinas PUPR akan dilakukan besok.",
        "Perbaikan oleh Dinas PUPR akan dilakukan minggu depan.",
        "Perbaikan oleh Dinas PUPR dengan surat Nomor 600/123/2026.",
        "Perbaikan oleh Dinas PUPR dengan surat No. 045.2/12/2026 segera.",
        "Perbaikan oleh Dinas PUPR pada hari Senin.",
    ],
)
def test_not_concrete_dates(text: str) -> None:
    codes = check_response(text).codes()
    assert "has_when" not in codes
    assert "missing_when" in codes


def test_letter_numbers_are_evidence() -> None:
    for number in ("Nomor 600/123/2026", "No. 045.2/118/Kel.Gnk/XI/2026", "nomor 800/221/INSP"):
        text = f"Lurah Genuk telah ditegur oleh Inspektorat dengan surat {number}."
        assert "has_evidence" in check_response(text).codes(), number


def test_rule_as_basis_versus_rule_alone() -> None:
    alone = check_response("Sesuai Perda Nomor 2 Tahun 2020 tentang Ketertiban Umum, pedagang "
                           "dilarang berjualan di trotoar Jl. Diponegoro Ungaran.")
    assert "rule_only" in alone.codes()
    basis = check_response(
        "Pada 10 November 2026 Satpol PP menertibkan pedagang di trotoar Jl. Diponegoro "
        "Ungaran berdasarkan Perda Nomor 2 Tahun 2020; trotoar kini bersih dan dapat dilalui "
        "pejalan kaki. Foto terlampir. Hubungi Satpol PP di 024-6921-777.")
    assert "rule_only" not in basis.codes()
    assert {"has_basis", "has_outcome"} <= basis.codes()
    assert basis.substantive


def test_forwarded_needs_a_date() -> None:
    bare = check_response("Laporan telah diteruskan kepada Dinas PUPR untuk ditangani.")
    assert "normative_forwarded" in bare.codes()
    dated = check_response("Laporan telah diteruskan kepada Dinas PUPR pada 20 November 2026 "
                           "dengan surat nomor 620/455/DPUPR/XI/2026.")
    assert "normative_forwarded" not in dated.codes()


def test_information_request_lower_bar() -> None:
    text = ("Perpanjangan SIM C dilayani di Satpas Polres Semarang setiap hari kerja pukul "
            "08.00–12.00 WIB. Biaya PNBP Rp75.000 ditambah tes kesehatan. Syarat: KTP asli "
            "dan SIM lama. Informasi: https://polressemarang.id")
    assert check_response(text, classification="permintaan_informasi").substantive
    # The same text as an ordinary complaint answer lacks action, outcome and evidence.
    assert not check_response(text, classification="pengaduan").substantive


# ------------------------------------------------------------------------------ hostile input


HOSTILE = [
    "",
    "   \n\t  ",
    "\x00\x01\x02",
    "😀" * 500,
    "\u202eTerima kasih\u202c \u200b\u200d\ufeff",
    "<script>alert('x')</script><b>akan segera ditindaklanjuti</b>",
    "<<<<>>>>" * 1000,
    "a\u0301" * 5000,
    "\ud800 broken surrogate \udfff",
    "İstanbul ß ﬁ ＡＢＣ １２/１２/２０２６",
    "{" * 10_000 + "}" * 10_000,
    "[" * 5000 + "x" + "]" * 5000,
    "12/" * 20_000,
    "0812 " * 20_000,
    ("Pada 19 November 2026 tim UPT menambal lubang. " * 30_000)[:1_000_000],
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_text_never_raises(text: str) -> None:
    for cls in ("pengaduan", "permintaan_informasi"):
        result = check_response(text, classification=cls, complaint_title=text[:300],
                                complaint_body=text, template_text=text[:5000])
        assert 0 <= result.score <= 100
        json.dumps(result.to_json())
        for f in result.findings:
            if f.start is not None:
                assert f.end is not None
                assert 0 <= f.start < f.end <= len(text)


def test_empty_and_huge() -> None:
    empty = check_response("")
    assert (empty.substantive, empty.score, [f.code for f in empty.findings]) == (
        False, 0, ["empty"])
    huge = check_response("x " * MAX_CHECK_CHARS)
    assert "too_long" in huge.codes()


# ------------------------------------------------------------------------------ templates


def test_default_templates() -> None:
    assert 5 <= len(DEFAULT_TEMPLATES) <= 8
    assert len({t.id for t in DEFAULT_TEMPLATES}) == len(DEFAULT_TEMPLATES)
    for t in DEFAULT_TEMPLATES:
        assert "{nama_pelapor}" in t.body
        assert "[" in t.body  # structure prompts the operator must replace
        result = check_response(t.body, classification=t.classification, template_text=t.body)
        assert not result.substantive
        assert "placeholder_left" in result.codes()


def test_render_fills_known_fields_and_leaves_the_rest() -> None:
    t = Template("x", "x", "pengaduan",
                 "{salam} {nama_pelapor}, laporan {nomor_laporan} ({judul}) di {unit}: {lokasi}")
    out = render(t, {"salam": "Yth.", "nama_pelapor": "Budi", "nomor_laporan": "9197446",
                     "judul": "Jalan {unit} berlubang", "unit": "DPUPR"})
    assert out == "Yth. Budi, laporan 9197446 (Jalan {unit} berlubang) di DPUPR: {lokasi}"


def test_render_anonymous_reporter() -> None:
    t = DEFAULT_TEMPLATES[0]
    assert ANONYMOUS_NAME in render(t, {})
    assert ANONYMOUS_NAME in render(t, {"nama_pelapor": "  "})
    assert "{nomor_laporan}" in render(t, {"nomor_laporan": ""})


def test_strip_placeholders() -> None:
    text = "Yth. {nama_pelapor},\n[uraikan tindakan yang dilakukan]\nHormat kami, [UNIT]"
    assert strip_placeholders(text) == "Yth. ,\nHormat kami,"
    assert find_placeholders("No. 600/XX/2026 ____ [1]") == [(8, 10, "XX"), (16, 20, "____")]


def test_prompts_never_count_as_substance() -> None:
    text = ("Yth. Bapak/Ibu Pelapor, [sebutkan tanggal 12 Desember 2026, foto terlampir, dan "
            "nomor telepon 0812-2650-4471]. Tim UPT telah menambal lubang di Jl. Soekarno-Hatta.")
    codes = check_response(text).codes()
    assert "placeholder_left" in codes
    assert not codes & {"has_when", "has_evidence", "has_contact"}
