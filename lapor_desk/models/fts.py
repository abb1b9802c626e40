"""Full-text search over complaints (SQLite FTS5) and the escaping of user search text.

The index is a *contentless* FTS5 table with ``contentless_delete=1``, keyed by
``complaints.rid``. Why contentless rather than external-content: the indexed text includes the
whole thread, which is not a column of ``complaints``; an external-content table would need a
view or a duplicated text column plus triggers, and a mismatch between content and index
corrupts results silently. Contentless stores only the index (no second copy of the text in the
file), and ``apply_page`` keeps it in step explicitly (delete the old row, insert the new one)
in the same transaction. ``contentless_delete=1`` (SQLite >= 3.43) allows plain DELETE.

Indexed: title, body, thread text. **Never** reporter identity, authors or other identity
fields: a search must not reveal who reported what.

User text never reaches FTS5 as syntax: ``escape_query`` quotes every token.
"""

from __future__ import annotations

import unicodedata

FTS_TABLE = "complaints_fts"

CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, body, thread, "
    "content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 2')"
)

# Bounds on what a search box may ask for (a 10k-character paste stays cheap).
MAX_QUERY_TOKENS = 16
MAX_TOKEN_CHARS = 100

# Unicode categories dropped from user text: controls (NUL...), format characters (RTL
# overrides, zero-width joiners) and lone surrogates (cannot even be encoded for SQLite).
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _clean(text: str) -> str:
    return "".join(
        " " if unicodedata.category(ch) in _DROP_CATEGORIES else ch for ch in text
    )


def _searchable(token: str) -> bool:
    # unicode61 indexes letters and digits only; a token without any would be an empty phrase.
    return any(ch.isalnum() for ch in token)


def escape_query(user_text: str) -> str | None:
    """A safe FTS5 MATCH expression for arbitrary user text, or None when nothing is searchable.

    Each whitespace-separated token becomes a quoted phrase (inner quotes doubled), tokens are
    joined with AND, and the last token is a prefix match (``"tok"*``). Operators (OR, NOT,
    NEAR), column filters (``title:``), ``^``, ``-``, ``*`` and parentheses are plain text.
    """
    tokens = [t for t in _clean(user_text).split() if _searchable(t)]
    if not tokens:
        return None
    tokens = [t[:MAX_TOKEN_CHARS] for t in tokens[:MAX_QUERY_TOKENS]]
    phrases = ['"' + t.replace('"', '""') + '"' for t in tokens]
    phrases[-1] += "*"
    return " AND ".join(phrases)


def document(title: str, body: str, thread_bodies: list[str]) -> tuple[str, str, str]:
    """The (title, body, thread) texts indexed for one complaint."""
    return title, body, "\n".join(thread_bodies)
