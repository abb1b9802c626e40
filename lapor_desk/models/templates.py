"""Response templates for tindak lanjut, with placeholders the operator fills.

Fixed template text is kept to salutation, reference and closing. Everything that would count as
substance (action, unit, date, evidence, outcome, contact) is a bracketed prompt the operator
replaces, so a template sent unchanged can never look like a substantive answer: the checker
flags the prompts left in the text and compares the rest with the template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ANONYMOUS_NAME",
    "DEFAULT_TEMPLATES",
    "KNOWN_PLACEHOLDERS",
    "PLACEHOLDER_RE",
    "Template",
    "find_placeholders",
    "render",
    "strip_placeholders",
]

ANONYMOUS_NAME = "Bapak/Ibu Pelapor"
KNOWN_PLACEHOLDERS = ("salam", "nama_pelapor", "nomor_laporan", "judul", "unit", "tanggal")

_FIELD_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,40})\}")
# Anything the operator still has to fill: {field}, [prompt] (not "[1]"-style references),
# blanks like "____" and "XX" parts of a letter number ("600/XX/2026").
PLACEHOLDER_RE = re.compile(
    r"\{[^{}\n]{1,60}\}"
    r"|\[(?!\s*\d+\s*\])[^\[\]\n]{2,200}\]"
    r"|_{3,}"
    r"|(?<=[/\-])X{2,}\b|\bX{2,}(?=[/\-])"
    r"|\.{4,}",
    re.IGNORECASE,  # the checker matches on lowercased text: "600/xx/2026" is still a blank
)


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    name: str
    classification: str
    body: str


def render(template: Template, context: Mapping[str, str]) -> str:
    """Fill ``{field}`` placeholders from ``context``.

    ``nama_pelapor`` falls back to "Bapak/Ibu Pelapor" (anonymous reports carry no name).
    Unknown or unfilled placeholders and bracketed prompts stay visible so the checker flags
    them. Values are inserted once, never expanded again.
    """

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        value = context.get(key)
        if key == "nama_pelapor" and not (value or "").strip():
            return ANONYMOUS_NAME
        if value is None or not value.strip():
            return match.group(0)
        return value

    return _FIELD_RE.sub(fill, template.body)


def find_placeholders(text: str) -> list[tuple[int, int, str]]:
    """Unfilled placeholders and prompts as (start, end, text) spans of ``text``."""
    return [(m.start(), m.end(), m.group(0)) for m in PLACEHOLDER_RE.finditer(text)]


def strip_placeholders(text: str) -> str:
    """``text`` without placeholders and prompts, whitespace tidied, so boilerplate is never
    mistaken for substance (a prompt like "[sebutkan tanggal dan foto]" is not a date or photo)."""
    stripped = PLACEHOLDER_RE.sub(" ", text)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in stripped.splitlines())
    return "\n".join(line for line in lines if line)


_CLOSING = "\n\nHormat kami,\n{unit}"

DEFAULT_TEMPLATES: tuple[Template, ...] = (
    Template(
        id="tindak_lanjut_lapangan",
        name="Tindak lanjut dengan pengecekan lapangan (jalan, drainase, PJU)",
        classification="pengaduan",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Terima kasih atas laporan Anda nomor {nomor_laporan} tentang \"{judul}\". "
            "Berikut tindak lanjut dari {unit}.\n\n"
            "Pada {tanggal}, [sebutkan tim/petugas dan jabatannya] [uraikan tindakan yang "
            "dilakukan di lokasi: peninjauan, pengukuran, perbaikan].\n\n"
            "[Uraikan hasilnya dan dasar keputusannya, misalnya SOP atau peraturan yang "
            "dipakai.]\n\n"
            "[Sebutkan bukti: foto sebelum/sesudah, berita acara, atau nomor surat.]\n\n"
            "[Langkah berikutnya dengan tanggal, serta nomor telepon/WA atau alamat kantor "
            "yang dapat dihubungi pelapor.]" + _CLOSING
        ),
    ),
    Template(
        id="tindak_lanjut_umum",
        name="Tindak lanjut pengaduan (umum)",
        classification="pengaduan",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Menanggapi laporan nomor {nomor_laporan} tentang \"{judul}\", kami sampaikan "
            "hal-hal berikut.\n\n"
            "1. [Apa yang diperiksa atau dilakukan, oleh unit/pejabat mana, dan tanggalnya.]\n"
            "2. [Hasil pemeriksaan atau keputusan beserta dasarnya.]\n"
            "3. [Bukti yang dilampirkan: foto, dokumen, nomor surat.]\n"
            "4. [Langkah berikutnya dan kontak yang dapat dihubungi.]" + _CLOSING
        ),
    ),
    Template(
        id="jadwal_penanganan",
        name="Penanganan dijadwalkan (belum selesai)",
        classification="pengaduan",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Terima kasih atas laporan Anda nomor {nomor_laporan} tentang \"{judul}\".\n\n"
            "[Uraikan hasil pengecekan awal: apa yang ditemukan, oleh siapa, tanggal berapa.]\n\n"
            "[Sebutkan pekerjaan yang direncanakan, unit pelaksana, dan tanggal pelaksanaan; "
            "bila menunggu anggaran, sebutkan tahun anggaran dan alasannya.]\n\n"
            "[Sebutkan cara pelapor memantau kelanjutannya: nomor telepon/WA atau email.]"
            + _CLOSING
        ),
    ),
    Template(
        id="permintaan_informasi",
        name="Jawaban permintaan informasi",
        classification="permintaan_informasi",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Terima kasih atas pertanyaan Anda nomor {nomor_laporan} tentang \"{judul}\".\n\n"
            "[Tuliskan informasi yang diminta secara langsung: syarat, biaya, jadwal, lokasi.]\n\n"
            "[Sebutkan sumbernya: tautan, dokumen, atau peraturan.]\n\n"
            "[Sebutkan kontak atau loket layanan untuk pertanyaan lanjutan.]" + _CLOSING
        ),
    ),
    Template(
        id="bukan_wewenang",
        name="Bukan wewenang: dialihkan ke instansi lain",
        classification="pengaduan",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Laporan nomor {nomor_laporan} tentang \"{judul}\" bukan kewenangan {unit}.\n\n"
            "[Sebutkan instansi yang berwenang, dasar kewenangannya, tanggal dan nomor surat "
            "pengalihan.]\n\n"
            "[Sebutkan kontak instansi tujuan agar pelapor dapat memantau.]" + _CLOSING
        ),
    ),
    Template(
        id="permintaan_data_pelapor",
        name="Meminta data tambahan dari pelapor",
        classification="pengaduan",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Terima kasih atas laporan Anda nomor {nomor_laporan} tentang \"{judul}\".\n\n"
            "[Sebutkan data yang masih diperlukan, misalnya lokasi persis, foto, atau waktu "
            "kejadian, dan mengapa diperlukan.]\n\n"
            "[Sebutkan batas waktu balasan dan apa yang akan dilakukan setelah data diterima.]"
            + _CLOSING
        ),
    ),
    Template(
        id="tanggapan_aspirasi",
        name="Tanggapan aspirasi",
        classification="aspirasi",
        body=(
            "{salam} {nama_pelapor},\n\n"
            "Terima kasih atas aspirasi Anda nomor {nomor_laporan} tentang \"{judul}\".\n\n"
            "[Sebutkan apakah usulan diterima, dan bila diterima: program, unit pelaksana, dan "
            "tahun anggaran; bila tidak, alasannya.]\n\n"
            "[Sebutkan kontak untuk informasi lebih lanjut.]" + _CLOSING
        ),
    ),
)
