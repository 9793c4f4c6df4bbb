"""The coverage ledger: where every numeral of a text ended up.

Every digit run, masked-digit run (20xx, xx名) and Chinese-numeral run either lies inside a fact,
was rejected with a reason (ordinal, list marker, idiom, part of a name ...), or was seen by no rule
at all ("unparsed"). Grouping the rejected and unparsed numerals by their surroundings shows which
phenomenon to write a rule for next.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from pipeline.records import Extraction

_CHINESE_NUMERALS = "零〇○一二两三四五六七八九十百千万亿几"
# Digits (with masked digits after them: 20xx, 120xx), masked digits alone (xx), Chinese numerals.
# The lookahead lets the engine reject a character that starts no run with one test, instead of
# trying each alternative in turn at every position of the text.
_NUMERAL_RUN = re.compile(rf"(?=[\dxX{_CHINESE_NUMERALS}])"
                          rf"(?:\d+(?:[xX]{{1,4}}\d*)?|[xX]{{1,4}}\d*|[{_CHINESE_NUMERALS}]+)")
_LATIN = re.compile(r"[A-Za-z]")


def find_numerals(text: str) -> list[tuple[int, int]]:
    """Spans of every numeral run: digits, masked digits (20xx, 120xx, xx) and Chinese numerals."""
    spans = []
    for match in _NUMERAL_RUN.finditer(text):
        start, end = match.span()
        run = match.group()
        # Few runs hold an x, so look at the neighbouring letters only for those.
        if ("x" in run or "X" in run) and _latin_around(text, start, end):
            # x inside a Latin word (Xinjiang, max) stands for no digit; keep only real digits.
            digits = re.search(r"\d+", run)
            if digits is None:
                continue
            start, end = start + digits.start(), start + digits.end()
        spans.append((start, end))
    return spans


def _latin_around(text: str, start: int, end: int) -> bool:
    """True when a Latin letter touches the run [start, end) on either side."""
    return bool(_LATIN.match(text[start - 1:start] or " ") or _LATIN.match(text[end:end + 1] or " "))


def _pattern(text: str, start: int, end: int) -> str:
    """The numeral replaced by N, with two characters of context on each side."""
    return (text[max(0, start - 2):start] + "N" + text[end:end + 2]).replace("\n", "⏎")


def _covering(intervals: list[tuple[int, int, object]], starts: list[int], start: int, end: int) -> object | None:
    """The first interval overlapping [start, end); intervals sorted by start, none longer than 200."""
    for j in range(bisect.bisect_left(starts, end) - 1, -1, -1):
        s, e, item = intervals[j]
        if e > start:
            return item
        if s < start - 200:
            break
    return None


def coverage(text: str, extraction: Extraction) -> list[dict]:
    """One row per numeral run: status `fact` (kind, rule), `rejected` (reason, rule) or `unparsed`."""
    facts = sorted((m.start, m.end, m) for m in extraction.mentions)
    rejections = sorted((r.start, r.end, r) for r in extraction.rejections)
    fact_starts = [s for s, _, _ in facts]
    rejection_starts = [s for s, _, _ in rejections]
    rows = []
    for start, end in find_numerals(text):
        row = {"start": start, "end": end, "text": text[start:end], "pattern": _pattern(text, start, end)}
        fact = _covering(facts, fact_starts, start, end)
        if fact is not None:
            row.update(status="fact", kind=fact.kind, rule=fact.rule)
        else:
            rejection = _covering(rejections, rejection_starts, start, end)
            if rejection is not None:
                row.update(status="rejected", reason=rejection.reason, rule=rejection.rule)
            else:
                row.update(status="unparsed")
        rows.append(row)
    return rows


def unparsed(text: str, extraction: Extraction) -> list[tuple[int, int]]:
    """Spans of the numeral runs that lie in no fact and no rejection: the `unparsed` rows of
    `coverage`, found without building the rows (the extractor asks this of every text)."""
    intervals = sorted((item.start, item.end, True) for item in (*extraction.mentions, *extraction.rejections))
    starts = [start for start, _, _ in intervals]
    return [(start, end) for start, end in find_numerals(text) if _covering(intervals, starts, start, end) is None]


def group_uncovered(rows: list[dict]) -> list[dict]:
    """Rejected and unparsed numerals grouped by pattern, most frequent first.

    Each group gives its count, how its members ended (status or reason, with counts) and up to
    three example texts.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["status"] != "fact":
            groups[row["pattern"]].append(row)
    out = []
    for pattern, members in groups.items():
        outcomes = Counter(row.get("reason") or row["status"] for row in members)
        out.append({"pattern": pattern, "count": len(members), "outcomes": dict(outcomes.most_common()),
                    "examples": [row["text"] for row in members[:3]]})
    out.sort(key=lambda group: (-group["count"], group["pattern"]))
    return out


def summarise(rows: list[dict]) -> dict:
    """How many numerals ended as facts, as rejections (by reason) and unparsed."""
    outcomes = Counter(row.get("reason") or row["status"] for row in rows if row["status"] != "fact")
    return {"numerals": len(rows), "facts": sum(row["status"] == "fact" for row in rows),
            "rejected": sum(row["status"] == "rejected" for row in rows),
            "unparsed": sum(row["status"] == "unparsed" for row in rows),
            "reasons": dict(outcomes.most_common())}
