"""escape_query: arbitrary user text becomes a safe FTS5 expression, never FTS syntax."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlcipher3.dbapi2 as sqlite3
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor_desk.models.fts import CREATE_FTS, MAX_QUERY_TOKENS, escape_query


def test_basic_shapes() -> None:
    assert escape_query("") is None
    assert escape_query("   \t\n") is None
    assert escape_query("jalan") == '"jalan"*'
    assert escape_query("jalan rusak") == '"jalan" AND "rusak"*'
    assert escape_query('say "hi"') == '"say" AND """hi"""*'
    assert escape_query("title:x") == '"title:x"*'
    assert escape_query("a OR b") == '"a" AND "OR" AND "b"*'
    assert escape_query("- * ^ ( )") is None  # nothing searchable
    assert escape_query("a\x00b") == '"a" AND "b"*'
    assert escape_query("\u202eabc") == '"abc"*'
    assert escape_query("\ud800x") == '"x"*'
    assert escape_query("w " * 1000) == " AND ".join(['"w"'] * MAX_QUERY_TOKENS) + "*"


@pytest.fixture
def fts_db() -> Iterator[sqlite3.Connection]:
    # The SQLite built into sqlcipher3 (the one the store uses); in memory, no key needed.
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE_FTS)
    conn.execute("INSERT INTO complaints_fts (rowid, title, body, thread) VALUES "
                 "(1, 'Jalan berlubang', 'Kerusakan parah', 'Sudah ditinjau'),"
                 "(2, 'Lampu mati', 'title body', 'NEAR OR')")
    yield conn
    conn.close()


HOSTILE = ['"', '"a', "a\"", "*", "a*b", "NEAR(", "NEAR(a b, 2)", "title:jalan", "{title}:x",
           "-jalan", "^jalan", "OR", "AND NOT", "(", "a)", "🙂 jalan", "\u202ejalan", "\x00",
           "x" * 10_000, "jalan " * 5_000, "'", "\\", "col*:x", "+jalan"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_always_a_valid_expression(fts_db: sqlite3.Connection,
                                                    text: str) -> None:
    expr = escape_query(text)
    if expr is not None:
        fts_db.execute("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?",
                       (expr,)).fetchall()


def test_column_filter_is_text(fts_db: sqlite3.Connection) -> None:
    def match(text: str) -> list[int]:
        expr = escape_query(text)
        assert expr is not None
        return [r[0] for r in fts_db.execute(
            "SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ? ORDER BY rowid",
            (expr,))]

    raw = fts_db.execute("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH "
                         "'body:kerusakan'").fetchall()
    assert raw == [(1,)]  # what a column filter would find...
    assert match("body:kerusakan") == []  # ...but user text is only words
    assert match("NEAR OR") == [2]  # plain words in row 2's thread
    assert match("jalan berlu") == [1]
    assert match("dítinjáu") == [1]  # diacritics folded
    assert match("ber") == [1]  # prefix on the last token only
    assert match("ber jalan") == []


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_any_text_is_a_valid_expression(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(CREATE_FTS)
        conn.execute("INSERT INTO complaints_fts (rowid, title, body, thread) "
                     "VALUES (1, 'Jalan berlubang', 'title body', 'NEAR OR')")
        expr = escape_query(text)
        if expr is None:
            assert not any(ch.isalnum() for ch in text)
            return
        assert expr.count('"') % 2 == 0
        conn.execute("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?",
                     (expr,)).fetchall()
    finally:
        conn.close()
