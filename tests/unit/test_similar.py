"""Similar complaints over a real encrypted replica."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_store import KEY, REFERENCE, make_doc, make_page

from lapor_desk.models.similar import distinctive_terms, match_expression, similar_complaints
from lapor_desk.models.store import Store


def loc(district: str) -> dict[str, Any]:
    return {"province": "Jawa Tengah", "regency": "Kab. Semarang", "district": district}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "replica.db", KEY)
    docs = [
        make_doc(1, title="Lampu PJU mati di Jl. Diponegoro", location=loc("Ungaran Barat"),
                 body="Lampu penerangan jalan umum mati sejak seminggu, gelap dan rawan."),
        make_doc(2, title="Lampu PJU mati total di Jl. Diponegoro", location=loc("Ungaran Barat"),
                 body="Sudah tiga malam lampu penerangan padam di depan masjid."),
        make_doc(3, title="Lampu PJU padam di Jl. Kartini", location=loc("Ambarawa"),
                 body="Penerangan jalan mati, mohon diperbaiki."),
        make_doc(4, title="KTP-el belum jadi", location=loc("Ungaran Barat"),
                 category_id="cat-ktp", body="Sudah tiga bulan KTP elektronik belum dicetak."),
        # The reporter's name is identity, never an index term: it must not link complaints.
        make_doc(5, title="Sampah menumpuk di pasar", location=loc("Bawen"),
                 body="Sampah tidak diangkut.", reporter={"name": "Diponegoro Santoso",
                                                          "phone": None, "email": None}),
    ]
    # A realistic corpus is mostly other problems; bm25 needs them to know what is rare.
    docs += [make_doc(100 + i, title=f"Saluran drainase tersumbat di gang {i}",
                      location=loc("Bergas"), category_id="cat-pu",
                      body="Air meluap ke rumah warga setiap hujan deras.") for i in range(30)]
    s.apply_page(make_page(docs, reference=REFERENCE))
    try:
        yield s
    finally:
        s.close()


def test_same_problem_same_place_ranks_first(store: Store) -> None:
    found = similar_complaints(store, "9000001")
    titles = [f.row.title for f in found]
    assert titles[0] == "Lampu PJU mati total di Jl. Diponegoro"
    assert found[0].same_place and found[0].same_category
    assert "Lampu PJU padam di Jl. Kartini" in titles  # same problem elsewhere still listed
    assert "Lampu PJU mati di Jl. Diponegoro" not in titles  # never itself
    assert "Sampah menumpuk di pasar" not in titles  # the reporter's name is not a term


def test_unrelated_problem_is_not_similar(store: Store) -> None:
    titles = [f.row.title for f in similar_complaints(store, "9000004")]
    assert all("Lampu" not in t for t in titles)


def test_terms_ignore_stopwords_and_are_safe_fts() -> None:
    terms = distinctive_terms('Jalan "rusak" OR title:parah NEAR(x', "di dan yang ^^^ *")
    assert "jalan" not in terms and "yang" not in terms
    expr = match_expression(terms)
    assert expr is not None and "title:" not in expr.replace('"title"', "")
    assert match_expression([]) is None


def test_hostile_complaint_text_never_raises(store: Store) -> None:
    store.apply_page(make_page([make_doc(9, title='"\u202e NEAR( OR * ^ -', body="\x00" * 10)],
                               cursor="c2"))
    assert similar_complaints(store, "9000009") == []
