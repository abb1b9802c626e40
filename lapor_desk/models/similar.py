"""Similar complaints: the same problem at the same place, found offline in the replica.

An operator answers a cluster consistently; a supervisor sees a recurring problem. The query
is built from the complaint's own distinctive words (never user-typed FTS syntax), ranked by
FTS5's bm25 with the title weighted highest, then nudged up for the same district and category.
Identity fields are not in the index, so a reporter's name can never make two complaints "similar".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from lapor_desk.models.records import ComplaintRow
from lapor_desk.models.store import Store

MAX_TERMS = 12
CANDIDATES = 60
RELEVANCE_FLOOR = 0.1  # share of the best text match a candidate must reach

# Words too common in complaints to tell two problems apart (Indonesian function words plus
# complaint boilerplate). Kept short on purpose: bm25 already discounts frequent terms.
_STOPWORDS_TEXT = """
yang dan di ke dari nya pun kok lah tak ya untuk dengan pada ini itu ada tidak sudah belum
akan juga atau karena
oleh dalam sebagai agar supaya bisa dapat mohon kami saya kita mereka warga bapak ibu pak bu
sangat sekali lagi masih hanya sejak sampai hingga setiap banyak beberapa para tersebut
terhadap tentang kepada bagi bahwa namun tetapi serta jika kalau maka lebih kurang hari
minggu bulan tahun sekitar segera tolong harap terima kasih laporan lapor keluhan mengeluhkan
pengaduan aspirasi mengenai soal dimohon diharapkan pihak terkait instansi pemerintah
kabupaten kota kecamatan desa kelurahan jalan tindak lanjut ditindaklanjuti satu dua tiga
empat lima enam tujuh delapan sembilan sepuluh puluh ratus ribu"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SimilarComplaint:
    row: ComplaintRow
    score: float  # higher is more similar
    same_place: bool  # same district (or regency when no district is known)
    same_category: bool


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def distinctive_terms(title: str, body: str, limit: int = MAX_TERMS) -> list[str]:
    """The words that best name the problem: title words first, then frequent body words."""
    title_words = [w for w in _WORD.findall(_fold(title)) if _useful(w)]
    body_counts = Counter(w for w in _WORD.findall(_fold(body[:20_000])) if _useful(w))
    ranked: list[str] = []
    for w in title_words:
        if w not in ranked:
            ranked.append(w)
    for w, _n in sorted(body_counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
        if w not in ranked:
            ranked.append(w)
    return ranked[:limit]


def _useful(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in STOPWORDS


def match_expression(terms: list[str]) -> str | None:
    """An FTS5 OR-query of quoted terms (the terms are letters/digits only, quoted anyway)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms if t]
    return " OR ".join(quoted) if quoted else None


def similar_complaints(store: Store, ref: str, limit: int = 8) -> list[SimilarComplaint]:
    """Complaints in the replica most like ``ref`` (a UUID or tracking ID), best first."""
    target = store.detail(ref)
    match = match_expression(distinctive_terms(target.row.title, target.body))
    if match is None:
        return []
    with store.read() as conn:
        hits = conn.exec_driver_sql(
            "SELECT c.id, bm25(complaints_fts, 4.0, 1.0, 0.3) AS rank, c.district, c.regency,"
            " c.category_id FROM complaints_fts JOIN complaints c ON c.rid = complaints_fts.rowid"
            " WHERE complaints_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, CANDIDATES + 1)).all()
        own = conn.exec_driver_sql(
            "SELECT district, regency, category_id FROM complaints WHERE id = ?",
            (target.row.id,)).one()
    # The complaint matched against its own terms is the best possible hit; anything far below
    # it shares only a stray word or two and is not "the same problem".
    best = max((-float(h[1]) for h in hits), default=0.0)
    floor = RELEVANCE_FLOOR * best
    scored: list[tuple[float, str, bool, bool]] = []
    for cid, rank, district, regency, category_id in hits:
        if cid == target.row.id or -float(rank) < floor:
            continue
        same_place = bool(own[0] and district == own[0]) or bool(
            not own[0] and own[1] and regency == own[1])
        same_category = bool(own[2] and category_id == own[2])
        # bm25 is "lower is better" and negative; flip it and add the place/category nudges.
        score = -float(rank) + (4.0 if same_place else 0.0) + (1.0 if same_category else 0.0)
        scored.append((score, cid, same_place, same_category))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[:limit]
    rows = {r.id: r for r in store.rows([s[1] for s in top])}
    return [SimilarComplaint(row=rows[cid], score=round(score, 3), same_place=place,
                             same_category=cat)
            for score, cid, place, cat in top if cid in rows]
