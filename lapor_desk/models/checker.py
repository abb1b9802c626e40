"""The substantive-answer checker: is a tindak lanjut substantive or merely "normatif"?

Rule-based and explainable on purpose: every point of the score comes from a finding with a
message in Bahasa Indonesia and English and, where it applies, the span of the answer it is about
(so the editor can highlight it). The rubric (domain notes) asks what was checked or done, who did
it, when (or a concrete date when it will be), the evidence, the outcome and its basis, and the
next step with a contact. Information requests and normative-class complaints have a lower bar:
the information itself, its source, and a contact.

Matching runs on a normalised copy of the answer (lowercase, no diacritics, no invisible or
direction-control characters, HTML tags blanked, whitespace collapsed) with a map back to the
original offsets. Pure Python, no I/O, deterministic; hostile input never raises.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from lapor_desk.models.templates import DEFAULT_TEMPLATES, PLACEHOLDER_RE, strip_placeholders

__all__ = ["MAX_CHECK_CHARS", "SUBSTANTIVE_SCORE", "CheckResult", "Finding", "check_response"]

Severity = Literal["info", "warning", "problem"]

SUBSTANTIVE_SCORE = 60
MAX_CHECK_CHARS = 20_000  # a real tindak lanjut is a few thousand characters; bound the work


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message_id: str
    message_en: str
    start: int | None = None  # character span in the checked text (None: the whole answer)
    end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message_id,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    substantive: bool
    score: int  # 0-100
    findings: list[Finding] = field(default_factory=list)

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "problem"]

    def to_json(self) -> dict[str, Any]:
        return {
            "substantive": self.substantive,
            "score": self.score,
            "findings": [f.to_json() for f in self.findings],
        }


# --------------------------------------------------------------------------------------------
# Normalisation with an offset map back to the original text

_TAG_RE = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
_DROP_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                         "‐": "-", "‑": "-"})


@dataclass(frozen=True, slots=True)
class _Norm:
    text: str  # normalised, lowercase
    index: list[int]  # index[i] = offset in the original text of text[i]
    length: int  # length of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised range [start, end)."""
        if not self.index:
            return 0, 0
        start = min(max(start, 0), len(self.index) - 1)
        end = min(max(end, start + 1), len(self.index))
        return self.index[start], self.index[end - 1] + 1


def _normalise(text: str) -> _Norm:
    blank = bytearray(len(text))  # 1 = inside an HTML tag, read as a space
    for m in _TAG_RE.finditer(text):
        blank[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out: list[str] = []
    index: list[int] = []
    pending_at = 0
    pending_space = ""  # collapse whitespace runs; a run with a newline becomes "\n"
    for i, ch in enumerate(text):
        if blank[i] or ch.isspace():
            if out:
                newline = ch in "\n\r\u2028\u2029"
                if not pending_space:
                    pending_space, pending_at = ("\n" if newline else " "), i
                elif newline:
                    pending_space = "\n"
            continue
        pieces = [c for c in unicodedata.normalize("NFKD", ch.translate(_QUOTES))
                  if unicodedata.category(c) not in _DROP_CATEGORIES]
        if not pieces:
            continue
        if pending_space:
            out.append(pending_space)
            index.append(pending_at)
            pending_space = ""
        for c in pieces:
            for low in c.lower():
                out.append(low)
                index.append(i)
    return _Norm("".join(out), index, len(text))


# --------------------------------------------------------------------------------------------
# Vocabulary. Patterns run on normalised lowercase text.


def _words(*groups: str) -> re.Pattern[str]:
    words = sorted({w for g in groups for w in g.split()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace("_", r"\s+") for w in words)
                      + r")\b")


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_MONTHS_FULL = ("januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober"
                "|november|nopember|desember")
_MONTHS = _MONTHS_FULL + "|jan|feb|mar|apr|jun|jul|agu|agt|ags|agus|sep|sept|okt|nov|nop|des"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"

DATE_RE = _any(
    # 12 Desember 2026, Senin, 7 Desember, 7 Des. 2026
    rf"\b{_DAY}\s*(?:{_MONTHS})\b\.?(?:\s*,?\s*(?:19|20)\d{{2}}\b)?",
    # 12/12/2026, 7-12-26, 07.12.2026 (not the tail of a letter number like 045.2/12/2026)
    rf"(?<![\w./-]){_DAY}([/.-])(?:0?[1-9]|1[0-2])\1(?:(?:19|20)\d{{2}}|\d{{2}})(?![\w/])",
    # 2026-12-07
    r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b",
    # bulan Desember 2026 (a target month is concrete enough for a plan)
    rf"\b(?:{_MONTHS_FULL})\s+(?:19|20)\d{{2}}\b",
    # tahun anggaran 2027, APBD Perubahan 2026
    r"\b(?:tahun\s+anggaran|t\.?a\.?|apbd(?:\s*-?\s*p|\s+perubahan)?)\s+(?:19|20)\d{2}\b",
)
VAGUE_TIME_RE = _words(
    "segera secepatnya sesegera_mungkin dalam_waktu_dekat besok lusa minggu_depan pekan_depan "
    "bulan_depan tahun_depan ke_depan kedepannya secara_bertahap sesuai_jadwal "
    "menunggu_anggaran apabila_anggaran_tersedia jika_anggaran_tersedia"
)

ACTION_RE = _any(
    r"(?<!tutup\s)\brapat\b",  # a meeting, not "tertutup rapat" (tightly closed)
    _words(
        "meninjau ditinjau peninjauan tinjauan memeriksa diperiksa pemeriksaan survei survey "
        "disurvei menyurvei klarifikasi mengklarifikasi diklarifikasi memperbaiki diperbaiki "
        "perbaikan menambal ditambal penambalan mengganti diganti penggantian menerbitkan "
        "diterbitkan penerbitan memanggil dipanggil pemanggilan koordinasi berkoordinasi "
        "mengecek dicek pengecekan cek_lapangan cek_lokasi verifikasi_lapangan memverifikasi "
        "membersihkan dibersihkan pembersihan mengangkut diangkut pengangkutan memasang dipasang "
        "pemasangan menertibkan ditertibkan penertiban menegur ditegur teguran sanksi mediasi "
        "dimediasi mengaudit diaudit audit inspeksi sidak mengukur diukur pengukuran mendatangi "
        "didatangi mengunjungi kunjungan turun_ke_lapangan turun_ke_lokasi mengeruk dikeruk "
        "pengerukan normalisasi mengaspal diaspal pengaspalan menimbun ditimbun penimbunan "
        "menguruk diuruk pengurukan memangkas dipangkas pemangkasan perantingan menebang ditebang "
        "penebangan memantau dipantau pemantauan monitoring sosialisasi menyosialisasikan "
        "mengevaluasi dievaluasi menyalurkan disalurkan penyaluran mencetak dicetak pencetakan "
        "merekam direkam perekaman memperbarui diperbarui pemutakhiran menyegel disegel "
        "penyegelan membongkar dibongkar pembongkaran memfasilitasi difasilitasi wawancara "
        "mewawancarai menyurati disurati menindak ditindak penindakan mengembalikan dikembalikan "
        "pengembalian membangun dibangun pembangunan mengecor dicor pengecoran menguras dikuras "
        "pengurasan menyemprot disemprot penyemprotan fogging menangkap ditangkap mengamankan "
        "diamankan pendataan mendata didata menelusuri ditelusuri penelusuran memotong "
        "dipotong pemotongan menyingkirkan disingkirkan evakuasi mengevakuasi dievakuasi "
        "membahas dibahas pembahasan"
    ).pattern,
)
WHO_RE = re.compile(
    _words(
        "dinas bidang seksi subbagian subbag subbidang upt uptd kepala kabid kasi kasubag "
        "kadis sekretaris sekda petugas tim satgas lurah kelurahan camat kecamatan kades "
        "pemerintah_desa satpol_pp puskesmas rsud disdukcapil dukcapil dpupr pupr dpu dlh "
        "dishub dinkes disdik dindik bpbd pdam perumda inspektorat bappeda diskominfo kominfo "
        "bapenda bpkad dinsos disnaker dpmptsp dinperkim disperkim polsek polres babinsa "
        "bhabinkamtibmas ppid direktur manajer koordinator pengawas mandor staf pejabat teknisi "
        "penyuluh pelaksana pln bpjs kua samsat loket_pelayanan balai_besar bbpjn kementerian "
        "direktorat sekretariat humas kabag"
    ).pattern
    + r"(?!\s+terkait)"  # "dinas terkait" names nobody
)
VAGUE_PARTY_RE = re.compile(
    r"\b(?:instansi|pihak|dinas|unit|opd|perangkat\s+daerah|bagian|satuan\s+kerja)\s+terkait\b"
)
LETTER_NUMBER_RE = re.compile(
    r"\b(?:nomor|nomer|no)\s*[.:]?\s*\d[\w.\-]*(?:/[\w.\-]+)+"
    r"|(?<![\w./])\d{3}(?:\.\d+)*/[\w.\-]+(?:/[\w.\-]+)+"
)
EVIDENCE_RE = _any(
    _words(
        "foto fotonya dokumentasi terlampir dilampirkan lampiran melampirkan berita_acara "
        "notulen notula daftar_hadir nomor_tiket no_tiket dokumen video rekaman tangkapan_layar "
        "screenshot kuitansi kwitansi surat_keputusan surat_tugas surat_teguran surat_perintah "
        "laporan_hasil lhp sebelum_dan_sesudah sebelum_dan_setelah bukti"
    ).pattern,
    r"\bba\s+(?:nomor|no\b|pemeriksaan|hasil|serah|penyelesaian|pekerjaan|klarifikasi)",
    LETTER_NUMBER_RE.pattern,
)
_NOT_RESULT = (r"teruskan|terima|sampaikan|disposisi|catat|tindak|proses|kirim|koordinasi"
               r"|laporkan|lakukan|laksanakan|jadwalkan|agendakan|rencanakan|usulkan|anggarkan"
               r"|tangani|pelajari|kaji|tampung|perhatikan|lanjutkan")
OUTCOME_RE = _any(
    r"\b(?:telah|sudah)\s+(?:selesai|tuntas|rampung|normal|berfungsi|teratasi|terpasang"
    r"|tertutup|terbit)",
    r"\bselesai\s+(?:dikerjakan|diperbaiki|dilaksanakan|ditangani|dibersihkan|dipasang|dicetak)",
    rf"\b(?:telah|sudah)\s+(?:kami\s+)?di(?!{_NOT_RESULT})[a-z]{{3,}}",
    r"\b(?:telah|sudah|kini|saat\s+ini|sekarang)\s+(?:dapat|bisa)\s+[a-z]+",
    # decisions are outcomes too: "belum dapat diakomodasi", "tidak memenuhi syarat"
    r"\b(?:belum|tidak)\s+(?:dapat|bisa)\s+di[a-z]{3,}",
    r"\b(?:tidak\s+|belum\s+)?memenuhi\s+(?:syarat|ketentuan|standar|kriteria)",
    r"\bberdasarkan\s+hasil\s+[a-z]+",
    # a decision on authority ("bukan kewenangan kami") is an outcome of the check
    r"\b(?:bukan|merupakan|menjadi|termasuk)\s+(?:kewenangan|wewenang)\b",
    r"\bkembali\s+(?:normal|lancar|berfungsi|menyala|mengalir|bersih|aman|dibuka)",
    r"\b(?:berfungsi|menyala|mengalir)\s+(?:normal|kembali|dengan\s+baik)",
    # "hasil peninjauan: ..." states a result; "foto hasil peninjauan terlampir" does not.
    r"\bhasil\s+(?:pemeriksaan|peninjauan|klarifikasi|survei|survey|pengecekan|verifikasi"
    r"|pengukuran|rapat|mediasi|audit|evaluasi|penelusuran|uji|kajian|pemantauan|koordinasi)"
    r"(?:\s+(?:tim|petugas|kami|lapangan|tersebut))?\s*(?:[:,]|menunjukkan|diketahui|ditemukan"
    r"|adalah|yaitu|bahwa|menyimpulkan)",
    _words(
        "ditemukan diketahui_bahwa dinyatakan disimpulkan kesimpulannya kesimpulan terbukti "
        "disetujui ditolak dikabulkan menunjukkan_bahwa teratasi tuntas dijatuhi "
        "dikenai_sanksi dikenakan_sanksi diberhentikan sudah_dapat_diambil dapat_dilalui"
    ).pattern,
)
BASIS_RE = _words("berdasarkan sesuai_dengan sesuai mengacu merujuk dasar_hukum ketentuan")
RULE_RE = _any(
    _words("perda perbup perwal pergub permendagri permenpanrb permenkes permendikbud "
           "undang-undang juknis sop standar_operasional_prosedur").pattern,
    r"\bperaturan\s+(?:daerah|bupati|wali\s?kota|gubernur|menteri|pemerintah|presiden|kepala)",
    r"\bpermen\w*",
    r"\b(?:uu|pp)\s+(?:nomor|no\.?|nomer)?\s*\d+",
    r"\bkeputusan\s+(?:bupati|wali\s?kota|gubernur|menteri|kepala)",
)
PHONE_RE = re.compile(
    r"(?<![\d/])(?:\+?62|0)\s?8\d{1,3}(?:[\s.\-]?\d{2,5}){2,3}(?![\d/])"
    r"|(?<![\d/])\(?0\d{2,3}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\d/])"
    r"|\b(?:call\s+center|hotline|layanan)\s+\d{3,6}\b"
)
EMAIL_RE = re.compile(r"\b[a-z0-9._%+\-]{1,64}@[a-z0-9.\-]{1,120}\.[a-z]{2,10}\b")
URL_RE = re.compile(r"\bhttps?://[^\s<>\"]{3,300}|\bwww\.[^\s<>\"]{3,300}"
                    r"|\b[a-z0-9\-]{2,60}(?:\.[a-z0-9\-]{2,60})*\.(?:go|co|or|ac|web)\.id\b")
ADDRESS_RE = re.compile(r"\balamat\b|\bkantor\b[^.\n]{0,50}\b(?:jl|jalan)\b")
CONTACT_PHRASE_RE = _words(
    "dapat_menghubungi silakan_menghubungi menghubungi hubungi whatsapp wa telepon telp "
    "call_center email surel datang_langsung datang_ke loket narahubung contact_person"
)
NEXT_STEP_RE = _words(
    "selanjutnya tahap_berikutnya langkah_berikutnya langkah_selanjutnya jadwal_lanjutan "
    "akan_dilanjutkan apabila_masih jika_masih bila_masih apabila_belum jika_belum "
    "bila_belum apabila_terdapat jika_terdapat keberatan ombudsman eskalasi "
    "dipantau_kembali pemantauan_lanjutan dapat_mengajukan melapor_kembali dapat_memantau "
    "dapat_menyampaikan_kembali akan_dikerjakan dijadwalkan direncanakan "
    "silakan_menghubungi dapat_menghubungi hubungi"
)
PLAN_RE = _words("akan dijadwalkan direncanakan rencana rencananya diagendakan")

INFO_MARKER_RE = _any(
    _words(
        "persyaratan syarat syaratnya biaya tarif gratis tidak_dipungut retribusi jadwal pukul "
        "jam_layanan jam_operasional jam_kerja lokasi alamat prosedur tata_cara mekanisme "
        "langkah tahapan ketentuan besaran jumlah kuota sebagai_berikut yaitu yakni meliputi "
        "antara_lain dapat_diakses dapat_diunduh dapat_dilihat tersedia berlaku masa_berlaku "
        "dibuka pendaftaran formulir membawa melampirkan fotokopi asli hari_kerja "
        "paling_lambat batas_waktu dilayani"
    ).pattern,
    r"\brp\.?\s?\d",
    r"\b\d+\s*(?:hari|jam|menit|persen|%|meter|km)\b",
)

NORMATIVE: tuple[tuple[str, re.Pattern[str], bool, int, str, str], ...] = (
    # (code, pattern, only when its sentence has no concrete date, penalty, id, en)
    (
        "normative_will_follow_up",
        _any(
            r"\b(?:akan\s+)?(?:segera\s+)?(?:kami\s+)?(?:di\s?)?tindak\s?lanjuti\b",
            r"\bakan\s+(?:segera\s+)?(?:kami\s+)?(?:di)?(?:proses|tangani|koordinasikan)\b",
            r"\b(?:telah|sudah)\s+(?:kami\s+)?(?:di\s?)?tindak\s?lanjuti\b",
        ),
        True, 10,
        "Ungkapan «ditindaklanjuti» tanpa tindakan dan tanggal yang jelas adalah jawaban "
        "normatif. Sebutkan apa yang dilakukan, oleh siapa, dan kapan.",
        "“Will be followed up” without a concrete action and date is a normative answer. Say "
        "what is done, by whom, and when.",
    ),
    (
        "normative_forwarded",
        _any(
            r"\b(?:telah|sudah)\s+(?:kami\s+)?(?:di)?(?:teruskan|sampaikan|limpahkan"
            r"|disposisikan|disposisi|koordinasikan)\b",
            r"\bakan\s+(?:kami\s+)?(?:di)?(?:teruskan|limpahkan)\b",
        ),
        True, 10,
        "Laporan disebut diteruskan, tetapi tanpa tanggal. Sebutkan kepada unit atau "
        "instansi mana, kapan, dan nomor suratnya agar pelapor dapat menelusuri.",
        "The report is said to be forwarded, but without a date. Say to which unit or agency, "
        "when, and the letter number so the reporter can follow it.",
    ),
    (
        "normative_in_process",
        _any(
            r"\b(?:sedang|masih)\s+(?:dalam\s+)?(?:proses|diproses|ditindaklanjuti|ditangani"
            r"|dikaji|dipelajari|penanganan)\b",
            r"\bdalam\s+(?:tahap\s+)?(?:proses|penanganan|kajian)\b",
            r"\bsedang\s+(?:kami\s+)?(?:dilakukan|dilaksanakan|lakukan|laksanakan)\b",
        ),
        True, 10,
        "«Sedang dalam proses» tanpa tanggal target tidak memberi kepastian. Sebutkan tahap "
        "prosesnya dan perkiraan tanggal selesai.",
        "“In process” without a target date gives no certainty. Say which stage it is at and "
        "the expected completion date.",
    ),
    (
        "normative_patience",
        re.compile(r"\b(?:mohon|harap|dimohon)\s+(?:untuk\s+)?(?:bersabar|kesabaran\w*)"),
        False, 5,
        "Permintaan agar pelapor bersabar tidak menggantikan informasi tentang tindakan dan "
        "jadwal penanganan.",
        "Asking the reporter to be patient does not replace information on the action and "
        "its schedule.",
    ),
    (
        "normative_attention",
        _any(
            r"\b(?:akan\s+)?menjadi\s+(?:perhatian|bahan\s+(?:evaluasi|masukan|pertimbangan))",
            r"\bakan\s+kami\s+(?:evaluasi|perhatikan|pelajari|tampung)\b",
        ),
        True, 5,
        "«Akan menjadi perhatian/bahan evaluasi» tidak menjelaskan tindakan nyata. Sebutkan "
        "apa yang akan dilakukan dan kapan.",
        "“Will be taken into consideration” does not describe a real action. Say what will be "
        "done and when.",
    ),
)
THANKS_RE = _any(
    r"\bterima\s*kasih\b(?:\s+(?:atas|untuk|kepada)\b)?(?:\s+[a-z/]+){0,6}",
    r"\b(?:yth|yang\s+terhormat|dengan\s+hormat|hormat\s+kami|salam(?:\s+\w+)?|wassalam\w*"
    r"|assalamu\w*(?:\s+\w+){0,3}|selamat\s+(?:pagi|siang|sore|malam)|bapak/ibu(?:\s+pelapor)?"
    r"|sdr\.?/?i?|saudara/?i?)\b",
)

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """yang dan di ke dari untuk dengan pada ini itu ada tidak sudah belum akan telah sangat
    sekali saya kami kita anda bapak ibu pak bu warga mohon tolong segera sejak lama bulan hari
    tahun minggu banyak karena agar supaya bisa dapat juga masih sering kali hingga sampai
    kepada oleh atas tentang para lagi kondisi masalah laporan lapor keluhan pengaduan tindak
    lanjut instansi pemerintah pihak terkait dalam atau namun tetapi tapi jika kalau bila
    apabila sehingga maka setiap semua sama lain hal terus selalu baru belum pernah kurang
    lebih harus perlu ingin minta meminta mengapa kenapa bagaimana kapan siapa dimana apakah
    yaitu adalah seperti serta bahwa sedang hanya cukup sangat tersebut dimohon terima kasih
    mengenai perihal berikut kembali nomor tanggal jawaban informasi"""
)
_WORD_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ABBREV = _wordset("no nomor jl kab kec kel dr ir h hj st dsb dll tgl yth sdr bpk rt rw km "
                   "ds drs prof telp hp ttd a.n u.p")


# --------------------------------------------------------------------------------------------
# Messages


def _quote(text: str, start: int, end: int) -> str:
    snippet = "".join(c for c in text[start:end] if unicodedata.category(c)[0] != "C")
    snippet = " ".join(snippet.split())
    return snippet if len(snippet) <= 60 else snippet[:57] + "…"


_MISSING: dict[str, tuple[str, str]] = {
    "missing_action": (
        "Jawaban tidak menjelaskan apa yang sudah diperiksa atau dilakukan (misalnya peninjauan "
        "lokasi, klarifikasi, atau perbaikan).",
        "The answer does not say what was checked or done (e.g. a site inspection, a "
        "clarification, a repair).",
    ),
    "missing_who": (
        "Jawaban tidak menyebut unit atau pejabat yang menangani (misalnya Bidang Bina Marga, "
        "UPT, atau petugas kelurahan).",
        "The answer does not name the unit or official who handled it (e.g. the roads division, "
        "a technical unit, village staff).",
    ),
    "missing_when": (
        "Jawaban tidak menyebut kapan tindakan dilakukan atau tanggal pasti kapan akan "
        "dilakukan.",
        "The answer does not say when the action was taken or the exact date when it will be.",
    ),
    "missing_evidence": (
        "Jawaban tidak menyertakan bukti (foto, dokumen, nomor surat, atau berita acara).",
        "The answer gives no evidence (photo, document, letter number or official report).",
    ),
    "missing_outcome": (
        "Jawaban tidak menjelaskan hasil penanganan dan dasarnya.",
        "The answer does not state the outcome and its basis.",
    ),
    "missing_next_step": (
        "Jawaban tidak menyebut langkah berikutnya atau kontak yang dapat dihubungi pelapor "
        "(nomor telepon/WA, email, atau alamat kantor).",
        "The answer gives no next step or contact for the reporter (phone/WhatsApp number, "
        "email or office address).",
    ),
    "no_result": (
        "Jawaban tidak memberi tahu pelapor hasilnya maupun rencana berikutnya; pelapor tidak "
        "tahu apakah masalahnya selesai.",
        "The answer tells the reporter neither the outcome nor the next step; they cannot tell "
        "whether the problem is solved.",
    ),
    "missing_information": (
        "Jawaban belum memberikan informasi yang diminta secara jelas (misalnya syarat, biaya, "
        "jadwal, atau lokasi layanan).",
        "The answer does not clearly give the information asked for (e.g. requirements, fees, "
        "schedule or service location).",
    ),
    "missing_source_or_contact": (
        "Sebaiknya sertakan sumber informasi (tautan, dokumen, atau peraturan) atau kontak "
        "untuk pertanyaan lanjutan.",
        "Consider adding the source (link, document or regulation) or a contact for further "
        "questions.",
    ),
}

_FOUND: dict[str, tuple[str, str]] = {
    "has_action": ("Menyebut tindakan: «{q}».", "Names an action: “{q}”."),
    "has_who": ("Menyebut pelaksana: «{q}».", "Names who acted: “{q}”."),
    "has_when": ("Menyebut tanggal: «{q}».", "Gives a date: “{q}”."),
    "has_evidence": ("Menyebut bukti: «{q}».", "Mentions evidence: “{q}”."),
    "has_outcome": ("Menyebut hasil: «{q}».", "States an outcome: “{q}”."),
    "has_basis": ("Menyebut dasar: «{q}».", "Gives a basis: “{q}”."),
    "has_next_step": ("Menyebut langkah berikutnya: «{q}».", "Names a next step: “{q}”."),
    "has_contact": ("Menyebut kontak: «{q}».", "Gives a contact: “{q}”."),
    "has_information": ("Memberikan informasi: «{q}».", "Gives information: “{q}”."),
    "has_source": ("Menyebut sumber: «{q}».", "Names a source: “{q}”."),
}


# --------------------------------------------------------------------------------------------
# The check


class _Ctx:
    """One answer being checked: normalised text, sentences, findings, penalties."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.norm = _normalise(text)
        self.findings: list[Finding] = []
        self.penalty = 0
        # Placeholders are blanked for the rubric so a prompt such as "[sebutkan tanggal]" or
        # "{tanggal}" never counts as a date.
        chars = list(self.norm.text)
        self.placeholders: list[tuple[int, int]] = []
        for m in PLACEHOLDER_RE.finditer(self.norm.text):
            self.placeholders.append((m.start(), m.end()))
            chars[m.start():m.end()] = " " * (m.end() - m.start())
        self.text = "".join(chars)
        self.sentences = _sentences(self.text)
        self.dates = [(m.start(), m.end()) for m in DATE_RE.finditer(self.text)]

    def add(self, code: str, severity: Severity, message_id: str, message_en: str,
            span: tuple[int, int] | None = None) -> None:
        start = end = None
        if span is not None:
            start, end = self.norm.span(*span)
        self.findings.append(Finding(code, severity, message_id, message_en, start, end))

    def found(self, code: str, m: tuple[int, int]) -> None:
        start, end = self.norm.span(*m)
        q = _quote(self.original, start, end)
        msg_id, msg_en = _FOUND[code]
        self.findings.append(Finding(code, "info", msg_id.format(q=q), msg_en.format(q=q),
                                     start, end))

    def missing(self, code: str, severity: Severity = "warning") -> None:
        msg_id, msg_en = _MISSING[code]
        self.add(code, severity, msg_id, msg_en)

    def first(self, pattern: re.Pattern[str]) -> tuple[int, int] | None:
        m = pattern.search(self.text)
        return (m.start(), m.end()) if m else None

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return 0, len(self.text)

    def sentence_has_date(self, pos: int) -> bool:
        s, e = self.sentence_of(pos)
        return any(s <= ds < e for ds, _ in self.dates)


def _sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+(?=\s|$)|\n", text):
        if m.group(0).startswith("."):
            word = re.search(r"([a-z.]+)$", text[max(0, m.start() - 8):m.start()])
            if word and (word.group(1) in _ABBREV or len(word.group(1)) == 1):
                continue  # "Jl.", "No.", "H." do not end a sentence
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _stem(word: str) -> str:
    # Crude Indonesian affix stripping, enough to match "berlubang" with "lubang".
    for prefix in ("meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "per", "ber",
                   "ter", "me", "pe", "di", "ke", "se"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            word = word[len(prefix):]
            break
    for suffix in ("nya", "kan", "lah", "an", "i"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(text)
            if len(w) >= 4 and w not in STOPWORDS and not w.isdigit()]


def _key_terms(title: str | None, body: str | None) -> list[str]:
    """What the report is about. The title names the object and place; the body is used only
    when the title is too thin (generic body words such as "jalan" would match any answer)."""
    terms = _key_terms_of(title, 20)
    return terms if len(terms) >= 2 else _key_terms_of(body, 40)


def _key_terms_of(part: str | None, limit: int) -> list[str]:
    terms: list[str] = []
    if part:
        for w in _content_words(_normalise(part[:MAX_CHECK_CHARS]).text):
            if w not in terms:
                terms.append(w)
                if len(terms) == limit:
                    break
    return terms


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text)


_FILL, _PROMPT = "qqfieldqq", "qqpromptqq"


def _template_novelty(answer: str, template: str) -> tuple[float, int]:
    """(share of the template's fixed words found in the answer, words the operator added
    outside ``{field}`` fills). Prompts the operator replaced count as added words."""
    # Markers survive normalisation (plain letters) and never occur in real text.
    marked = PLACEHOLDER_RE.sub(lambda m: f" {_FILL} " if m.group(0).startswith("{")
                                else f" {_PROMPT} ", template)
    t_tokens = _tokens(_normalise(marked).text)[:500]  # templates are short; bound the work
    fixed = sum(1 for t in t_tokens if t not in (_FILL, _PROMPT))
    if fixed < 5:
        return 0.0, 0
    a_tokens = _tokens(answer)[:1500]
    sm = difflib.SequenceMatcher(None, t_tokens, a_tokens, autojunk=False)
    matched = 0
    novel = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            matched += i2 - i1
        elif j2 > j1:
            template_side = t_tokens[i1:i2]
            if template_side and all(t == _FILL for t in template_side):
                continue  # a {field} filled in: name, number, title, unit, date
            novel += j2 - j1
    return matched / fixed, novel


def check_response(
    text: str,
    *,
    classification: str = "pengaduan",
    complaint_title: str | None = None,
    complaint_body: str | None = None,
    normative_class: bool = False,
    template_text: str | None = None,
) -> CheckResult:
    """Check a draft tindak lanjut. Never raises on any text."""
    text = text if isinstance(text, str) else ""
    ctx = _Ctx(text[:MAX_CHECK_CHARS])
    if len(text) > MAX_CHECK_CHARS:
        ctx.add("too_long", "info",
                f"Jawaban sangat panjang; hanya {MAX_CHECK_CHARS:,} karakter pertama yang "
                "diperiksa.".replace(",", "."),
                f"The answer is very long; only the first {MAX_CHECK_CHARS:,} characters were "
                "checked.")
    words = _tokens(ctx.text)
    if not words:
        ctx.add("empty", "problem", "Jawaban masih kosong.", "The answer is empty.")
        return CheckResult(False, 0, ctx.findings)

    _check_placeholders(ctx)
    _check_template(ctx, template_text)
    lower_bar = normative_class or classification == "permintaan_informasi"
    score = _score_information(ctx) if lower_bar else _score_complaint(ctx)
    _check_normative(ctx)
    _check_topic(ctx, complaint_title, complaint_body)
    _check_length(ctx, words, lower_bar)

    score = max(0, min(100, score - ctx.penalty))
    substantive = score >= SUBSTANTIVE_SCORE and not any(
        f.severity == "problem" for f in ctx.findings)
    return CheckResult(substantive, score, _ordered(ctx.findings))


_SEVERITY_ORDER = {"problem": 0, "warning": 1, "info": 2}


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    # Problems first, then warnings, then what was found; stable within a level.
    return sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])


def _check_placeholders(ctx: _Ctx) -> None:
    for s, e in ctx.placeholders[:20]:
        start, end = ctx.norm.span(s, e)
        q = _quote(ctx.original, start, end)
        ctx.findings.append(Finding(
            "placeholder_left", "problem",
            f"Masih ada isian templat yang belum diganti: «{q}». Ganti dengan isi sebenarnya "
            "sebelum dikirim.",
            f"A template placeholder is still in the text: “{q}”. Replace it with the real "
            "content before sending.",
            start, end))


def _check_template(ctx: _Ctx, template_text: str | None) -> None:
    candidates: Sequence[str] = (
        [template_text[:MAX_CHECK_CHARS]] if template_text
        else [t.body for t in DEFAULT_TEMPLATES]
    )
    for candidate in candidates:
        if not strip_placeholders(candidate).strip():
            continue
        coverage, novel = _template_novelty(ctx.text, candidate)
        if coverage >= 0.7 and novel < 12:
            ctx.penalty += 30
            ctx.add("template_unchanged", "problem",
                    "Jawaban hampir sama dengan templat; hanya isian nama/nomor yang diganti. "
                    "Uraikan tindakan, hasil, dan bukti yang nyata untuk laporan ini.",
                    "The answer is nearly the template with only the name/number fields "
                    "filled. Describe the real action, outcome and evidence for this report.")
            return


def _score_complaint(ctx: _Ctx) -> int:
    score = 0
    action = ctx.first(ACTION_RE)
    who = ctx.first(WHO_RE)
    when = ctx.dates[0] if ctx.dates else None
    evidence = ctx.first(EVIDENCE_RE)
    if evidence is None:
        evidence = _upper_ba(ctx)
    outcome = ctx.first(OUTCOME_RE)
    basis = ctx.first(BASIS_RE)
    contact = _first_contact(ctx)
    next_step = ctx.first(NEXT_STEP_RE) or _dated_plan(ctx)

    for code, span, weight in (("has_action", action, 20), ("has_who", who, 15),
                               ("has_when", when, 15), ("has_evidence", evidence, 15)):
        if span is not None:
            score += weight
            ctx.found(code, span)
        else:
            ctx.missing(code.replace("has_", "missing_"))
    if outcome is not None:
        score += 16
        ctx.found("has_outcome", outcome)
        if basis is not None:
            score += 4
            ctx.found("has_basis", basis)
    else:
        ctx.missing("missing_outcome")
    if contact is not None:
        score += 10
        ctx.found("has_contact", contact)
    if next_step is not None:
        score += 5
        ctx.found("has_next_step", next_step)
    if contact is None and next_step is None:
        ctx.missing("missing_next_step")
    if outcome is None and next_step is None:
        ctx.penalty += 10
        ctx.missing("no_result")
    _check_rule_only(ctx, action, outcome)
    _check_vague_time(ctx)
    return score


def _score_information(ctx: _Ctx) -> int:
    score = 0
    stripped = THANKS_RE.sub(" ", ctx.text)
    for _, pattern, *_rest in NORMATIVE:
        stripped = pattern.sub(" ", stripped)
    markers = {m.group(0) for m in INFO_MARKER_RE.finditer(ctx.text)}
    has_numbers = bool(DATE_RE.search(ctx.text) or re.search(r"\d", stripped))
    informative = len(_content_words(stripped)) >= 10 and (
        len(markers) >= 2 or (markers and has_numbers))
    if informative:
        score += 50
        m = INFO_MARKER_RE.search(ctx.text)
        if m:
            ctx.found("has_information", (m.start(), m.end()))
    else:
        ctx.missing("missing_information")
    source = ctx.first(URL_RE) or ctx.first(RULE_RE) or ctx.first(EVIDENCE_RE)
    contact = _first_contact(ctx) or ctx.first(CONTACT_PHRASE_RE)
    who = ctx.first(WHO_RE)
    if source is not None:
        score += 20
        ctx.found("has_source", source)
    if contact is not None:
        score += 20
        ctx.found("has_contact", contact)
    if who is not None:
        score += 10
        ctx.found("has_who", who)
    if source is None and contact is None:
        ctx.missing("missing_source_or_contact", "info")
    return score


def _first_contact(ctx: _Ctx) -> tuple[int, int] | None:
    spans = [s for s in (ctx.first(PHONE_RE), ctx.first(EMAIL_RE), ctx.first(URL_RE),
                         ctx.first(ADDRESS_RE)) if s is not None]
    return min(spans) if spans else None


def _upper_ba(ctx: _Ctx) -> tuple[int, int] | None:
    # "BA" (berita acara) only in capitals: lowercase "ba" is too ambiguous.
    for m in re.finditer(r"\bba\b", ctx.text):
        start, end = ctx.norm.span(m.start(), m.end())
        if ctx.original[start:end] == "BA":
            return m.start(), m.end()
    return None


def _dated_plan(ctx: _Ctx) -> tuple[int, int] | None:
    # "Perbaikan dijadwalkan pada 7 Desember 2026" is a next step even without a set phrase.
    for m in PLAN_RE.finditer(ctx.text):
        if ctx.sentence_has_date(m.start()):
            return m.start(), m.end()
    return None


def _check_rule_only(ctx: _Ctx, action: tuple[int, int] | None,
                     outcome: tuple[int, int] | None) -> None:
    rule = ctx.first(RULE_RE)
    if rule is not None and action is None and outcome is None:
        ctx.penalty += 10
        ctx.add("rule_only", "warning",
                "Jawaban hanya mengutip peraturan tanpa menjelaskan tindakan atau hasilnya untuk "
                "laporan ini. Peraturan boleh dikutip sebagai dasar, bukan pengganti jawaban.",
                "The answer only cites a regulation without the action or outcome for this "
                "report. A regulation may be cited as the basis, not instead of an answer.",
                rule)


def _check_vague_time(ctx: _Ctx) -> None:
    if ctx.dates:
        return
    m = VAGUE_TIME_RE.search(ctx.text)
    if m is None:
        return
    start, end = ctx.norm.span(m.start(), m.end())
    q = _quote(ctx.original, start, end)
    ctx.penalty += 5
    ctx.findings.append(Finding(
        "vague_time", "warning",
        f"Ungkapan waktu «{q}» tidak pasti. Sebutkan tanggal, misalnya «Senin, 7 Desember "
        "2026».",
        f"“{q}” is not a definite time. Give a date, e.g. “Monday, 7 December 2026”.",
        start, end))


def _matches(pattern: re.Pattern[str], text: str, limit: int = 5) -> Iterator[re.Match[str]]:
    for i, m in enumerate(pattern.finditer(text)):
        if i >= limit:
            return
        yield m


def _check_normative(ctx: _Ctx) -> None:
    for code, pattern, needs_no_date, penalty, msg_id, msg_en in NORMATIVE:
        hits = [m for m in _matches(pattern, ctx.text, 20)
                if not (needs_no_date and ctx.sentence_has_date(m.start()))][:5]
        if hits:
            ctx.penalty += penalty
        for m in hits:
            ctx.add(code, "warning", msg_id, msg_en, (m.start(), m.end()))
    vague = [m for m in _matches(VAGUE_PARTY_RE, ctx.text)]
    if vague:
        ctx.penalty += 5
    for m in vague:
        start, end = ctx.norm.span(m.start(), m.end())
        q = _quote(ctx.original, start, end)
        ctx.findings.append(Finding(
            "vague_party", "warning",
            f"«{q}» tidak jelas. Sebutkan nama instansi atau unitnya.",
            f"“{q}” is vague. Name the agency or unit.", start, end))
    # Thanks and greetings as the bulk of the answer.
    thanks = [(m.start(), m.end()) for m in THANKS_RE.finditer(ctx.text)]
    if any(ctx.text[s:e].startswith("terima") for s, e in thanks):
        rest = ctx.text
        for s, e in reversed(thanks):
            rest = rest[:s] + " " + rest[e:]
        for _, pattern, *_r in NORMATIVE:
            rest = pattern.sub(" ", rest)
        if len(_content_words(rest)) < 6:
            ctx.penalty += 15
            ctx.add("normative_thanks_only", "warning",
                    "Sebagian besar jawaban berisi ucapan terima kasih dan salam, bukan isi "
                    "tindak lanjut.",
                    "Most of the answer is thanks and greetings, not the follow-up itself.")


def _check_topic(ctx: _Ctx, title: str | None, body: str | None) -> None:
    terms = _key_terms(title, body)
    if len(terms) < 2:
        return
    answer_words = set(_WORD_RE.findall(ctx.text))
    answer_words.update(p for w in list(answer_words) for p in w.split("-"))
    answer_stems = {_stem(w) for w in answer_words}
    for term in terms:
        # "semarang-solo" also matches an answer that writes "Semarang" or "Solo".
        for candidate in (term, *[p for p in term.split("-") if len(p) >= 4]):
            if candidate in answer_words or _stem(candidate) in answer_stems:
                return
    shown = ", ".join(f"«{t}»" for t in terms[:3])
    shown_en = ", ".join(f"“{t}”" for t in terms[:3])
    ctx.penalty += 15
    ctx.add("off_topic", "problem",
            f"Jawaban tidak menyinggung pokok laporan (misalnya {shown}). Pastikan jawaban "
            "membahas masalah yang dilaporkan.",
            f"The answer does not mention what the report is about (e.g. {shown_en}). Make sure "
            "it addresses the reported problem.")


def _check_length(ctx: _Ctx, words: list[str], lower_bar: bool) -> None:
    if len(words) < 10:
        ctx.penalty += 20
        ctx.add("too_short", "problem",
                "Jawaban terlalu singkat untuk menjelaskan tindak lanjut.",
                "The answer is too short to explain a follow-up.")
    elif len(words) < 20 and not lower_bar:
        ctx.penalty += 5
        ctx.add("short", "info",
                "Jawaban cukup singkat; periksa apakah tindakan, hasil, dan kontak sudah "
                "tercantum.",
                "The answer is short; check that the action, outcome and contact are there.")
