"""Three-way merge of response texts by paragraph (paragraphs are separated by blank lines).

``merge3(base, theirs, mine)``: when only one side changed, that side wins as it is; when both
changed different paragraphs, both changes are applied; when both changed the same paragraph
(or inserted different text at the same place), the merge is a conflict and the caller keeps
both versions. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True, slots=True)
class MergeResult:
    text: str | None  # None on conflict
    conflict: bool
    conflicting_paragraphs: int = 0  # how many base positions both sides changed


def paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text`` (split on blank lines; surrounding whitespace trimmed)."""
    parts = [p.strip() for p in _BLANK.split(text.replace("\r\n", "\n"))]
    return [p for p in parts if p]


Hunk = tuple[int, int, tuple[str, ...]]  # base range [i1, i2) replaced by these paragraphs


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    sm = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, tuple(other[j1:j2])) for tag, i1, i2, j1, j2 in sm.get_opcodes()
            if tag != "equal"]


def _overlap(a: Hunk, b: Hunk) -> bool:
    a1, a2, _ = a
    b1, b2, _ = b
    if a1 == a2 and b1 == b2:  # two insertions at the same place
        return a1 == b1
    if a1 == a2:  # an insertion strictly inside a changed range
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def merge3(base: str, theirs: str, mine: str) -> MergeResult:
    if theirs == mine or mine == base:
        return MergeResult(theirs, False)
    if theirs == base:
        return MergeResult(mine, False)
    pb, pt, pm = paragraphs(base), paragraphs(theirs), paragraphs(mine)
    if pt == pm:
        return MergeResult(theirs, False)
    ht, hm = _hunks(pb, pt), _hunks(pb, pm)
    common = set(ht) & set(hm)  # the same change made on both sides counts once
    hunks: list[Hunk] = sorted(set(ht) | set(hm), key=lambda h: (h[0], h[1] != h[0], h[1]))
    clashes = 0
    for a in ht:
        for b in hm:
            if a not in common and b not in common and _overlap(a, b):
                clashes += 1
    if clashes:
        return MergeResult(None, True, clashes)
    out: list[str] = []
    pos = 0
    for i1, i2, repl in hunks:
        out.extend(pb[pos:i1])
        out.extend(repl)
        pos = max(pos, i2)
    out.extend(pb[pos:])
    return MergeResult("\n\n".join(out), False)
