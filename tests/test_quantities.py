"""extract_quantities on invented report sentences (tests/cases/quantities.json), incl. ones that must give nothing."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.extract.dates import DATE_PATTERN, extract_dates
from pipeline.extract.quantities import (
    _BLOCKERS, _QUANTITY, _SCAN, COUNT_CLASSIFIERS, CURRENCIES, MEASURE_UNITS, extract_quantities,
)
from pipeline.normalize import fold
from pipeline.records import QUANTITY_KINDS

CASES = json.loads((Path(__file__).parent / "cases" / "quantities.json").read_text("utf-8"))


def _as_records(text: str) -> list[dict]:
    records = []
    for m in extract_quantities(fold(text)).mentions:
        record = {"text": text[m.start:m.end], "kind": m.kind, "value": m.value, "unit": m.unit,
                  "approx": m.approx, "per": m.per}
        for key in ("range", "points"):
            if key in m.extra:
                record[key] = m.extra[key]
        records.append(record)
    return records


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:16] for c in CASES])
def test_quantity_cases(case):
    assert _as_records(case["text"]) == case["expected"]


def test_every_mention_names_its_rule_and_a_quantity_kind():
    text = "".join(case["text"] for case in CASES)
    for mention in extract_quantities(text).mentions:
        assert mention.kind in QUANTITY_KINDS
        assert re.fullmatch(r"[a-z]+(\.[a-z_]+)+", mention.rule)


def test_rejections_carry_reasons():
    found = extract_quantities("一是进一步统一思想；第三届运动会；三级公立医院。")
    reasons = {r.reason for r in found.rejections}
    assert {"list marker", "lexical word or idiom", "ordinal", "grade"} <= reasons
    assert found.mentions == []


def test_quantities_never_overlap_dates():
    text = "2025年新增就业3年内免税，2026年1月起每月发放300元，到2035年约2035万人受益。"
    quantities = extract_quantities(text).mentions
    dates = extract_dates(text).mentions
    assert dates and quantities
    for q in quantities:
        assert all(q.end <= d.start or d.end <= q.start for d in dates)


def test_start_guard_keeps_every_match():
    """The guard in front of the pattern only skips positions where no alternative can start."""
    unguarded = re.compile(rf"(?P<date>{DATE_PATTERN})|{_BLOCKERS}|{_QUANTITY}", re.VERBOSE)
    text = "".join(case["text"] for case in CASES)
    assert [m.span() for m in _SCAN.finditer(text)] == [m.span() for m in unguarded.finditer(text)]


@pytest.mark.parametrize("unit", sorted(set(COUNT_CLASSIFIERS + MEASURE_UNITS + tuple(CURRENCIES)) - {"年"}))
def test_a_four_digit_amount_is_never_a_bare_year(unit):
    text = f"全年建成2025{unit}。"
    assert extract_dates(text).mentions == []
    assert [text[m.start:m.end] for m in extract_quantities(text).mentions][:1] in ([], [f"2025{unit}"])
