"""Calendar dates and years -> `date` mentions with `extra.iso` (SCHEMA.md, gold NOTES).

A year that places an event in time is a date (2025年, 2022年以来, 较2020年, a title's 2026), as are
months and days with or without a year (20xx年6月 -> 20xx-06, 今年3月 -> ????-03), ranges
(20xx~20xx年度 -> 20xx/20xx, 7月26-27日), half years (20xx-H1) and years written in Chinese digits
(二〇二六年一月二十七日). Years inside a document number (〔2026〕3号) are rejected, and so is a
year glued without 年 to a quoted programme name (“2030启航计划”): it names the programme.

`DATE_PATTERN` is shared with the quantity extractor, which skips whatever it matches, so the
two extractors never claim the same characters.
"""
from __future__ import annotations

import re

from pipeline.records import Extraction, Mention, Rejection

_CHINESE_DIGIT_VALUES = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}

_YEAR = r"(?:1[89]\d\d|20\d\d|20[xX]{2}|[〇○零一二三四五六七八九]{4})"
_MONTH = r"(?:1[0-2]|0?[1-9]|[xX]{1,2}|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[xX]{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_SEP = r"[-~～—–至到]"
# A bare year (no 年) must not run into a unit or a magnitude: 2000万元 is money, not a year.
_NOT_AFTER_BARE_YEAR = (r"\d.,%‰A-Za-z年月日万亿千百十多余号期"
                        r"人名位个家户所台套辆件项条座处亩班车支款宗场次批只头张本篇栋幢间艘架列趟颗棵株组届起例份册种笔块县村乡镇代季级大方剂"
                        r"枚部对轮市元美欧港英卢平立公千厘毫米吨克斤微瓦兆吉标课学小分工天周岁升海摄℃度倍成P盏面片")
# Words that end a programme's name: “2030启航计划”, “2025行动”.
_PROGRAMME = r"(?:计划|行动|工程|战略|方案|倡议)"

DATE_PATTERN = rf"""
(?P<d_docnum>(?<=[〔\[(])(?:19|20)\d\d(?=[〕\])]\s*第?\d+号))
|(?P<d_quoted>(?<=“)(?P<qy>\d\d)·(?P<qm>1[0-2]|0?[1-9])(?=”))
|(?P<d_iso>(?<![\d.])(?P<iy>(?:19|20)\d\d)[-/.](?P<im>1[0-2]|0?[1-9])[-/.](?P<id>3[01]|[12]\d|0?[1-9])(?![\d.]))
|(?P<d_yrange>(?<![\d.])(?P<ry1>{_YEAR})年?\s?{_SEP}\s?(?P<ry2>{_YEAR})(?:年度|年))
|(?P<d_year>(?<![\d.A-Za-z])(?P<y>{_YEAR}|[xX]{{2}})(?:年度|年(?:
    (?P<m>{_MONTH})月(?:(?P<d>{_DAY})(?:[日号]?{_SEP}(?P<d2>{_DAY}))?[日号])?
    |(?P<half>[上下])半年|以来|来(?![自看说源])|)))
|(?P<d_mrange>(?<![\d.个第])(?P<mr1>1[0-2]|0?[1-9])月?{_SEP}(?P<mr2>1[0-2]|0?[1-9])月(?!份额))
|(?P<d_month>(?:(?P<rel>今年|去年|明年|当年)(?P<rm>{_MONTH})月|(?<![\d.个第])(?P<am>1[0-2]|0?[1-9])月(?!份额)
    |(?<![\d.一二三四五六七八九十个第])(?P<cm>十[一二]?|[一二三四五六七八九])月(?={_DAY}[日号]))
    (?:(?P<md>{_DAY})(?:[日号]?{_SEP}(?P<md2>{_DAY}))?[日号])?)
|(?P<d_name>(?<![\d.A-Za-z])(?:19|20)\d\d(?=(?:(?!年)[\u4e00-\u9fff]){{0,6}}?{_PROGRAMME}”))
|(?P<d_bare>(?<![\d.A-Za-z〔\[(第])(?P<by>(?:19|20)\d\d|20[xX]{{2}})(?![{_NOT_AFTER_BARE_YEAR}]))
"""

# Every character a date can begin with; the engine skips all other positions at once.
DATE_STARTS = r"[\dxX〇○零一二三四五六七八九十今去明当]"
_DATE = re.compile(rf"(?={DATE_STARTS})(?:{DATE_PATTERN})", re.VERBOSE)


def _year_iso(year: str) -> str:
    """2026 -> 2026, 20XX -> 20xx, xx -> xxxx (a masked two-digit year), 二〇二六 -> 2026."""
    if year in ("xx", "XX", "xX", "Xx"):
        return "xxxx"
    return "".join(_CHINESE_DIGIT_VALUES.get(c, c) for c in year).lower()


def _part_iso(part: str) -> str:
    """Month or day as two digits: 7 -> 07, 二十七 -> 27; masked digits stay masked (x -> xx)."""
    if part.isdigit():
        return "%02d" % int(part)
    if part.lower().strip("x") == "":
        return "xx"
    if "十" not in part:
        return "%02d" % int(_CHINESE_DIGIT_VALUES[part])
    tens, _, units = part.partition("十")
    value = int(_CHINESE_DIGIT_VALUES[tens] if tens else 1) * 10 + int(_CHINESE_DIGIT_VALUES[units] if units else 0)
    return "%02d" % value


# Matches of DATE_PATTERN that are no date: (reason, rule) of their rejection.
_NOT_DATES = {"d_docnum": ("year inside a document number", "date.document_number"),
              "d_name": ("year inside a programme name", "date.programme_name")}


def _month_day(year: str, month: str, day: str | None, last_day: str | None, rule_suffix: str) -> tuple[str, str]:
    """(iso, rule) of a month, a day or a day range in `year` ("????" when the text gives none)."""
    month_iso = "%s-%s" % (year, _part_iso(month))
    if not day:
        return month_iso, "date.month" + rule_suffix
    first = "%s-%s" % (month_iso, _part_iso(day))
    if last_day:
        return "%s/%s-%s" % (first, month_iso, _part_iso(last_day)), "date.day_range"
    return first, "date.day" + rule_suffix


def date_iso(match: re.Match) -> tuple[str, str] | None:
    """(iso, rule) for a match of DATE_PATTERN, or None when the match is not a date."""
    group = match.lastgroup
    g = match.group
    if group == "d_quoted":
        return "20%s-%s" % (g("qy"), _part_iso(g("qm"))), "date.quoted_event"
    if group == "d_iso":
        return "%s-%s-%s" % (g("iy"), _part_iso(g("im")), _part_iso(g("id"))), "date.numeric"
    if group == "d_yrange":
        return "%s/%s" % (_year_iso(g("ry1")), _year_iso(g("ry2"))), "date.year_range"
    if group == "d_year":
        year = _year_iso(g("y"))
        if g("half"):
            return "%s-%s" % (year, "H1" if g("half") == "上" else "H2"), "date.half_year"
        if not g("m"):
            return year, "date.year"
        return _month_day(year, g("m"), g("d"), g("d2"), "")
    if group == "d_mrange":
        return "????-%s/????-%s" % (_part_iso(g("mr1")), _part_iso(g("mr2"))), "date.month_range"
    if group == "d_month":
        return _month_day("????", g("rm") or g("am") or g("cm"), g("md"), g("md2"), "_no_year")
    if group == "d_bare":
        return _year_iso(g("by")), "date.bare_year"
    return None


def date_mention(match: re.Match) -> Mention | Rejection:
    """The date a DATE_PATTERN match names, or the rejection of a year inside a document number or a name."""
    found = date_iso(match)
    if found is None:
        reason, rule = _NOT_DATES[match.lastgroup]
        return Rejection(match.start(), match.end(), reason, rule)
    iso, rule = found
    return Mention(kind="date", start=match.start(), end=match.end(), value=None, unit=None,
                   approx="vague" if "x" in iso else "exact", extra={"iso": iso}, rule=rule)


def extract_dates(text: str) -> Extraction:
    """Every date and time-placing year in `text` (already `fold`ed), with source offsets."""
    mentions: list[Mention] = []
    rejections: list[Rejection] = []
    for match in _DATE.finditer(text):
        found = date_mention(match)
        (mentions if isinstance(found, Mention) else rejections).append(found)
    return Extraction(mentions=mentions, rejections=rejections)
