"""extract_dates on invented report lines (tests/cases/dates.json), incl. ones that must give nothing."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.extract.dates import _DATE, DATE_PATTERN, extract_dates
from pipeline.normalize import fold

CASES = json.loads((Path(__file__).parent / "cases" / "dates.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:16] for c in CASES])
def test_date_cases(case):
    found = extract_dates(fold(case["text"])).mentions
    assert [{"text": case["text"][m.start:m.end], "iso": m.extra["iso"]} for m in found] == case["expected"]


def test_masked_years_are_vague_and_dates_carry_no_value():
    found = extract_dates("20xx年3月成立，2026年1月25日通过。").mentions
    assert [(m.approx, m.value, m.unit, m.kind) for m in found] == [("vague", None, None, "date"),
                                                                      ("exact", None, None, "date")]


def test_year_inside_document_number_is_rejected():
    found = extract_dates("依据甘政办发〔2026〕12号和[2025]3号文件。")
    assert found.mentions == []
    assert [r.reason for r in found.rejections] == ["year inside a document number"] * 2


def test_year_inside_programme_name_is_rejected():
    found = extract_dates("实施“2030启航计划”，面向2030年布局。")
    assert [m.extra["iso"] for m in found.mentions] == ["2030"]
    assert [r.reason for r in found.rejections] == ["year inside a programme name"]


def test_start_guard_keeps_every_match():
    """The guard in front of the date pattern only skips positions where no date can start."""
    unguarded = re.compile(DATE_PATTERN, re.VERBOSE)
    text = "".join(case["text"] for case in CASES)
    assert [m.span() for m in _DATE.finditer(text)] == [m.span() for m in unguarded.finditer(text)]
