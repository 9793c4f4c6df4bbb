"""Same-length text normalisation, so that every offset still points into the source.

Extractors see full-width ASCII folded to ASCII and traditional characters mapped to
simplified ones, one character for one character; phrase-level conversion is not used
because it would change lengths.
"""
from __future__ import annotations

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


@lru_cache(maxsize=4)
def fold(text: str) -> str:
    """Full-width to ASCII and traditional to simplified, keeping the length.

    Cached: every stage of one source folds the same text.
    """
    folded = text.translate(_table())
    assert len(folded) == len(text)
    return folded
