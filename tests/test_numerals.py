"""parse_numeral and parse_percent_words: the forms cn2an reads and the ones it refuses."""
from __future__ import annotations

import pytest

from pipeline.extract.numerals import clean_numeral, is_vague, parse_numeral, parse_percent_words

NUMERALS = [
    ("2.6万", 26000), ("1.64万", 16400), ("4095万", 40950000), ("5亿", 500000000), ("两万三千", 23000),
    ("二〇二六", 2026), ("1,200", 1200), ("1,200万", 12000000), ("3万4000", 34000), ("2335.66 万", 23356600),
    ("2335.66\n万", 23356600), ("1.27万亿", 1.27e12), ("千亿", 1e11), ("百万", 1e6), ("万", 1e4),
    ("十", 10), ("十五", 15), ("一百零五", 105), ("三十一", 31), ("两", 2), ("三分之二", 2 / 3),
    ("13697.5亿", 1.36975e12), ("0.4", 0.4), ("二百五十", 250),
]


@pytest.mark.parametrize("text,value", NUMERALS)
def test_parse_numeral(text, value):
    assert parse_numeral(text) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text", ["十几万", "数百", "几千", "20xx", "120xx", "xx", "若干"])
def test_vague_numerals_have_no_value(text):
    assert is_vague(text)
    assert parse_numeral(text) is None


@pytest.mark.parametrize("text", ["", "分之", "点", "百千万", "万千", "一二三", "二三五"])
def test_unreadable_numerals_give_none(text):
    assert parse_numeral(text) is None


@pytest.mark.parametrize("text,value", [("百分之三十", 30), ("三成", 30), ("一半", 50), ("三分之二", 200 / 3),
                                        ("1/4", 25), ("百分之五点五", 5.5), ("九成", 90)])
def test_parse_percent_words(text, value):
    assert parse_percent_words(text) == pytest.approx(value)


def test_clean_numeral_drops_breaks():
    assert clean_numeral("2335.66 万\n") == "2335.66万"
