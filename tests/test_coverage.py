"""The coverage ledger: every numeral run ends in a fact, a rejection with a reason, or 'unparsed'."""
from __future__ import annotations

from pipeline.coverage import coverage, find_numerals, group_uncovered, unparsed
from pipeline.extract.dates import extract_dates
from pipeline.extract.quantities import extract_quantities
from pipeline.records import Extraction, Mention, Rejection

TEXT = "一是2025年新增就业3.2万人，二是进一步落实“十四五”规划，全区20xx名、第十六届、5G基站。"


def _extract(text: str) -> Extraction:
    quantities, dates = extract_quantities(text), extract_dates(text)
    return Extraction(quantities.mentions + dates.mentions, quantities.rejections + dates.rejections)


def test_find_numerals_finds_digit_masked_and_chinese_runs():
    runs = [TEXT[s:e] for s, e in find_numerals(TEXT)]
    assert runs == ["一", "2025", "3", "2", "万", "二", "一", "十四五", "20xx", "十六", "5"]


def test_find_numerals_ignores_x_inside_latin_words():
    assert find_numerals("Xinjiang max 30") == [(13, 15)]


def test_every_numeral_of_a_report_line_is_accounted_for():
    rows = coverage(TEXT, _extract(TEXT))
    by_text = {row["text"]: row for row in rows}
    assert by_text["2025"]["status"] == "fact" and by_text["2025"]["kind"] == "date"
    assert by_text["3"]["kind"] == "count"
    assert by_text["20xx"]["kind"] == "count"
    assert by_text["二"]["reason"] == "list marker"
    assert by_text["十六"]["reason"] == "ordinal"
    assert by_text["5"]["reason"] == "part of a name or code"
    assert by_text["十四五"]["reason"] == "part of a quoted name"
    assert all(row["status"] in ("fact", "rejected") for row in rows)


def test_unparsed_numerals_are_grouped_by_pattern_most_frequent_first():
    text = "三山五园，三山五园，十佳。"
    extraction = Extraction(mentions=[Mention(kind="count", start=10, end=11, value=10, rule="count.test")],
                            rejections=[Rejection(0, 1, "no unit", "reject.no_unit")])
    rows = coverage(text, extraction)
    assert [row["status"] for row in rows] == ["rejected", "unparsed", "unparsed", "unparsed", "fact"]
    groups = group_uncovered(rows)
    assert groups[0] == {"pattern": "三山N园，", "count": 2, "outcomes": {"unparsed": 2}, "examples": ["五", "五"]}
    assert sum(group["count"] for group in groups) == 4


def test_unparsed_spans_are_the_unparsed_rows_of_the_ledger():
    found = _extract(TEXT)
    facts_only = Extraction(found.mentions, [])  # the rejected numerals now count as unparsed
    expected = [(row["start"], row["end"]) for row in coverage(TEXT, facts_only) if row["status"] == "unparsed"]
    assert unparsed(TEXT, facts_only) == expected
    assert [TEXT[s:e] for s, e in expected] == ["一", "二", "一", "十四五", "十六", "5"]
    assert unparsed(TEXT, found) == []
