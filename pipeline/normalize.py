"""Same-length text normalisation, so that every offset still points into the source.

Extractors see full-width ASCII folded to ASCII and traditional characters mapped to
simplified ones, one character for one character; phrase-level conversion is not used
because it would change lengths.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# The full-width comma stays: "1，200" is a list, "1,200" is a number.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


@lru_cache(maxsize=1)
def _table() -> dict[int, int]:
    table = dict(_FULLWIDTH)
    lines = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    for line in lines.splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = ord(first)
    return table


@lru_cache(maxsize=1)
def _foldable() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern matching every character `fold` may change, and each such character's replacement.

    The pattern lists the BMP characters of the table one by one (the engine tests those with one
    table look-up) and covers the few characters beyond the BMP with one range, which the
    replacement leaves unchanged where the table has no entry: listing them singly would make the
    engine test every character of the text against each of them in turn.
    """
    table = _table()
    replacements = {chr(code): chr(folded) for code, folded in table.items()}
    bmp = "".join(re.escape(chr(code)) for code in sorted(table) if code <= 0xFFFF)
    return re.compile(f"[{bmp}\U00010000-\U0010FFFF]"), replacements


def _replace(match: re.Match) -> str:
    """The folded form of one matched character (itself when only the non-BMP range matched it)."""
    character = match.group()
    return _foldable()[1].get(character, character)


@lru_cache(maxsize=4)
def fold(text: str) -> str:
    """Full-width to ASCII and traditional to simplified, keeping the length.

    A report has few characters to change (under 1% in the bundled ones): finding them with one
    regex scan and replacing each is ten times faster than `str.translate`, which looks up (and
    mostly fails to find) every character. Cached: every stage of one source folds the same text.
    """
    folded = _foldable()[0].sub(_replace, text)
    assert len(folded) == len(text)
    return folded
