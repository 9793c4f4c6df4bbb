"""Amounts of money, counts, percentages, ratios and measures -> SCHEMA mentions.

One compiled pattern scans the text once. Its alternatives, tried in order at each position:
dates (owned by `dates.py`, skipped here so the two never claim the same characters), words
that contain a numeral but state no quantity (ordinals, list markers, lexical 一, idioms), and
the quantity itself: qualifier + numeral (+ range) + magnitude + unit (+ parenthesised
alternative classifiers, 台（套）) + trailing qualifier.
Each match is then read by small functions that decide kind, value, approx and per, or
reject it with a reason that the coverage ledger reports.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from pipeline.extract.dates import DATE_PATTERN, DATE_STARTS
from pipeline.extract.numerals import is_vague, parse_numeral, parse_percent_words
from pipeline.records import Extraction, Mention, Rejection

CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD",
              "港币": "HKD", "英镑": "GBP", "卢布": "RUB"}
MEASURE_UNITS = (
    "平方公里", "平方千米", "平方米", "平米", "立方米", "公顷", "亩", "公里", "千米", "厘米", "毫米", "米",
    "吨", "千克", "公斤", "克", "微克/立方米", "微克", "毫克", "斤", "千瓦时", "千瓦", "兆瓦", "吉瓦",
    "千伏", "标准箱", "标箱", "课时", "学时", "小时", "分钟", "工作日", "天", "日", "周岁", "周年", "周",
    "个月", "个季度", "个小时", "个工作日", "季度", "年", "岁", "升", "海里", "摄氏度", "℃", "度", "方", "P",
)
_MEASURE_UNIT_SET = frozenset(MEASURE_UNITS)  # membership in the tuple is a linear search
# Duration units never take a rate base: 每千人拥有3岁以下婴幼儿托位 is not "3 years per 千人".
NO_RATE_UNITS = frozenset({"年", "岁", "周岁", "周年", "月", "季度", "级"})
COUNT_CLASSIFIERS = (
    "人次", "场次", "架次", "班次", "车次", "批次", "户次", "件次", "家次", "个次", "台次", "剂次", "册次", "方面", "人", "名", "位", "个", "家",
    "户", "所", "台", "套", "辆", "项", "件", "条", "座", "处", "支", "款", "宗", "场", "次", "批", "只", "头", "张", "本", "篇",
    "栋", "幢", "间", "艘", "架", "列", "趟", "颗", "棵", "株", "组", "届", "起", "例", "份", "册", "种", "笔", "块", "枚", "部",
    "对", "轮", "县", "市", "村", "乡", "镇", "代", "季", "级", "大", "盏", "期", "面", "片",
)
_OTHER_UNITS = ("个百分点", "百分点", "%", "‰", "倍", "成")
_UNITS = sorted(set(CURRENCIES) | set(MEASURE_UNITS) | set(COUNT_CLASSIFIERS) | set(_OTHER_UNITS),
                key=len, reverse=True)
_UNIT_ALTERNATION = "|".join(re.escape(unit) for unit in _UNITS)
_CLASSIFIER_ALTERNATION = "|".join(re.escape(unit) for unit in sorted(COUNT_CLASSIFIERS, key=len, reverse=True))

_CN = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = (rf"(?:\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[xX]{{1,4}})?"  # 1,200  2.6  120xx
           rf"|(?<![A-Za-z])[xX]{{1,4}}(?![A-Za-z])"  # xx名
           rf"|[{_CN}几]+(?:点[{_CN}]+)?)")  # 两万三千  十几  三点五
_MAGNITUDE = r"[ \n]?(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千(?![瓦伏克米卡]))"

# Words with a numeral inside that state no quantity. Generic vocabulary of the language, not of
# any one report: lexical 一/十/百/千/万/零, idioms and fixed political formulas.
LEXICAL_WORDS = (
    "一些", "一定", "一般", "一样", "一致", "一直", "一律", "一系列", "一方面", "一起", "一体化", "一体", "一流",
    "一线", "一切", "一揽子", "一次性", "一道", "一同", "一旦", "一度", "一向", "一再", "一举", "一贯", "一如既往",
    "一如继往", "一以贯之", "一站式", "一把手", "一班人", "一家人", "一家亲", "一大批", "一段时间", "一带一路",
    "一年一度", "一年四季", "一年接着一年干", "一年更比一年好", "一张蓝图", "一手", "一心", "一意", "一马当先",
    "一马平川", "一往无前", "一鼓作气", "一锤定音", "一针一线", "一草一木", "一点一滴", "一言一行", "一举一动",
    "一桩桩", "一件件", "一项项", "一个个", "一批批", "一步步", "一天天", "一代代", "一代又一代", "一叶叶", "一分不减",
    "进一步", "统一", "唯一", "之一", "这一", "同一", "万一", "逐一", "一一", "专一", "单一", "新一轮", "新一代",
    "老一辈", "下一代", "下一步", "独一无二", "万无一失", "融为一体", "无一", "没有一", "一方有难", "八方支援",
    "一方稳定", "一方平安", "千方百计", "万家灯火", "千家万户", "重若千钧", "万马奔腾", "万众一心", "亿万", "百姓",
    "百花", "千秋", "十分", "十足", "四处", "货比三家", "老两口", "五湖四海", "四面八方", "七上八下", "三令五申",
    "三番五次", "两岸", "两手", "零售", "零工", "清零", "零碳", "零基", "零距离", "零容忍", "零误差", "零就业",
    "十佳", "百强", "三次产业", "二人转", "一天接着一天", "九年义务教育", "三门峡", "两位数", "个位数", "三位一体", "五位一体", "一成不变", "半点", "一把",
)


def _alternation_by_first_character(words: tuple[str, ...]) -> str:
    """A regex alternation of `words`, longest first, with the words grouped by their first character.

    一(?:些|定|...)|进一步|... matches what 一些|一定|...|进一步|... matches: only words sharing a
    first character can both match at one position, and their order is kept. The grouped form
    lets the engine rule out a whole group with one character test, where the flat alternation
    of ~200 words is tried word by word at every candidate position.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


_LEXICAL = _alternation_by_first_character(LEXICAL_WORDS)
_FORMULA_HEADS = r"(?:意识|自信|维护|确立|全面|中心|率先|毫不动摇|代表|务必|大局|结合|确保|规定)"
_BLOCKERS = rf"""
(?P<ordinal>第\s?(?:\d+(?:\.\d+)?|[{_CN}]+))
|(?P<list_marker>(?:(?<=\n)|^)[ \t]*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})(?=[、)]|\.(?!\d)|是)
    |[(（](?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[)）]|(?<=[篇范]文)\d+|(?<=篇)\d+
    |(?<![{_CN}])[一二三四五六七八九十]{{1,2}}(?=是|要|抓)(?![是要]求))
|(?P<formula>[两二三四五六七八九十][个项]{_FORMULA_HEADS}|[两二三四五六七八九十]个一(?![批些级般]))
|(?P<lexical>{_LEXICAL})
"""
_QUALIFIER_BEFORE = (r"超过|超出|(?<![赶高])超|逾|不少于|不低于|不小于|至少|多于"
                     r"|将近|接近|(?<![最附接将])近|不足|不到|少于"
                     r"|(?<![节制契公违履预签条合特邀解续])约|大约|上(?=[百千万亿])|数(?=[十百千万亿])|过(?=半)|(?<![通经不])过(?=[百千万]亿)")
_QUANTITY = rf"""
(?P<fanfan>翻(?:了)?(?P<fan_times>一|两|二|三)?番)
|(?P<share_words>(?P<share_pre>{_QUALIFIER_BEFORE})?(?:百分之[{_CN}]+(?:点[{_CN}]+)?|[{_CN}]+分之[{_CN}]+|一半|半数|(?<=过)半
    |(?<![\d./])\d{{1,2}}/\d{{1,3}}(?![\d./])))
|(?P<quantity>
  (?P<pre>{_QUALIFIER_BEFORE})?
  (?P<num>{_NUMBER})
  (?P<mag1>{_MAGNITUDE})?
  (?:%?\s?[-—–~～至到]\s?(?P<num2>\d+(?:\.\d+)?|[{_CN}]+))?
  (?P<infix1>[多余])?
  (?P<mag>{_MAGNITUDE})?
  (?P<infix2>[多余])?
  (?P<unit>[ \n]?(?:{_UNIT_ALTERNATION}))?
  (?P<per_slash>/[十百千万亿]*(?:人次|人|户|年|月|日|天|吨|亩|平方米|千瓦时|度|次|台|件|辆|套|元))?
  (?P<per_one>(?<=元)一(?:台|个|件|套|人|次|户|只|张|亩|吨|辆))?
  (?(unit)(?P<alt>[（(](?:{_CLASSIFIER_ALTERNATION})(?:、(?:{_CLASSIFIER_ALTERNATION}))*[）)](?P<alt_times>次)?)?)
  (?P<post>级|以上|以下|以内|左右|上下(?![游级联一下])|多(?![元样种彩])|余(?![额量粮])|内(?![容涵设部外在蒙需生陆河贸控循地镜]))?
)
"""
# Characters that begin a match by themselves: digits, masked digits, Chinese numerals, and the
# first characters of an ordinal (第), a doubling (翻), a share (半) and a list marker ((, （, space, tab).
_NUMERAL_STARTS = "0123456789xX" + _CN + "○几半翻第(（ \t"
# Every other match begins with one of these words: a qualifier (超过, 约), the relative year of a
# date (今年3月) or a lexical word (新一轮).
# A new qualifier or date word with a new first character must be added to these firsts too.
_LEADING_WORDS = rf"{_QUALIFIER_BEFORE}|今年|去年|明年|当年|{_LEXICAL}"
_QUALIFIER_FIRSTS = "超逾不至多将接近少约大上数过"
_DATE_WORD_FIRSTS = "今去明当"
_LEXICAL_FIRSTS = "".join(word[0] for word in LEXICAL_WORDS)
_LEADING_WORD_FIRSTS = "".join(sorted(set(_QUALIFIER_FIRSTS + _DATE_WORD_FIRSTS + _LEXICAL_FIRSTS) - set(_NUMERAL_STARTS)))
# The guard lets the engine skip at once the positions where no match can begin, which is what
# makes one pass over a report cheap. Its first test, one character class, rules out most
# positions at the cost of a table look-up. Characters such as 新, 大 and 进 are common and begin
# a match only as part of a leading word (新一轮, 大约, 进一步), so the second test lets them through
# only when that word stands there; trying the whole pattern at each of them cost a quarter of the scan.
_GUARD = (rf"(?=[{re.escape(_NUMERAL_STARTS + _LEADING_WORD_FIRSTS)}])"
          rf"(?=[{re.escape(_NUMERAL_STARTS)}]|{_LEADING_WORDS})")
# Dates are tried first at every position the guard lets through; their own guard keeps them from
# being tried in full at the characters no date begins with (万, 第, 超, ...).
_SCAN = re.compile(rf"{_GUARD}(?:(?P<date>(?={DATE_STARTS})(?:{DATE_PATTERN}))|{_BLOCKERS}|{_QUANTITY})",
                   re.VERBOSE)

# Reasons of the rejections the blocker alternatives of `_SCAN` stand for.
_BLOCKER_REASONS = {"ordinal": "ordinal", "list_marker": "list marker", "formula": "part of a formula",
                    "lexical": "lexical word or idiom"}

_OVER = frozenset({"级", "超过", "超出", "超", "逾", "不少于", "不低于", "不小于", "至少", "多于", "以上", "多", "余", "过", "上"})
_UNDER = frozenset({"将近", "接近", "近", "不足", "不到", "少于", "以下", "以内"})
_ABOUT = frozenset({"约", "大约", "左右", "上下"})
_VERB_OVER = re.compile(r"突破$")

_CLAUSE_BREAKS = "，。；！？：\n,;!?:"
# Everything up to and including the last clause break (greedy .* backtracks from the end).
_UP_TO_LAST_CLAUSE_BREAK = re.compile(rf".*[{re.escape(_CLAUSE_BREAKS)}]", re.DOTALL)
_RATE_BASE = re.compile(r"每(?:[十百千万]*人口?|平方公里|平方米|个|月|年|天|日|周|户|台|次|家|亩|吨|件|辆|套|所|村|县|校)"
                        r"|人均|户均|生均(?=经费|标准|拨款|公用|财政|补助|定额|成本|投入|支出|资助|教育)"
                        r"|年均|月均|日均|平均一年|年产量?")
_RATE_BASE_NAMES = {"月": "month", "年": "year", "天": "day", "日": "day", "人": "person", "周": "week"}
_COMPARISON = re.compile(r"高于|快于|低于|慢于|超过全国|比全国")
_MEAN_NOT_RATE = re.compile(r"年均(?:浓度|气温|降水|水平|值)")
_LOST_PERCENT = re.compile(r"(?:率|比例|比重|占比|占[^，。；\d]{0,8}|优惠)[达到为是了由从至提高升降低下缩小扩大增加减少稳定在\d.、%]*$")
_SHARED_UNIT = re.compile(rf"[、和至到-](?:\d+(?:\.\d+)?[、和至到-])*\d+(?:\.\d+)?(?P<unit>{_UNIT_ALTERNATION})")
# 1409万、1305万人次: amounts in 万 or 亿 sharing the unit of the last one.
_SHARED_MAGNITUDE_UNIT = re.compile(rf"(?:[、和]\d+(?:\.\d+)?(?:万亿|亿|万))+(?P<unit>{_UNIT_ALTERNATION})")
_BARE_RATIO = re.compile(r"(?:比值|收入比|之比|倍差)[达到为是了由从至缩小扩大\d.、:∶]*$")
_QUOTED_NAME = re.compile(r"“[^“”\n]{0,10}$")
_QUOTE_CLOSE = re.compile(r"^[^“”\n]{0,10}”")
_LEVEL_BEFORE = "省市县区乡镇村道)）"
_RANK_BEFORE = re.compile(r"(?:(?:排名|位次|名次|→)[^，。；,]{0,10}|前)$")
_EARTHQUAKE = re.compile(r"地震|震级|级地")
_DURATION_ONE_BEFORE = "去这的要键凡近前后头整满"
_DURATION_ONE_AFTER = "来间中里内多半"
# 3年内, 50米内: a window or a threshold; the 内 is spanned and the amount stays exact.
_WINDOW_UNITS = frozenset({"年", "月", "季度", "周", "天", "日", "小时", "分钟", "工作日", "米", "公里", "千米"})
_LENGTH_UNITS = frozenset({"米", "公里", "千米"})
_MAGNITUDE_ONLY = re.compile(r"[百千万亿]+")
_BIG_MONEY_WORDS = frozenset({"千亿", "百亿", "万亿"})
# 1万台（套）以上: a marker after a parenthesised alternative classifier still qualifies the amount.
_SPANNED_AFTER_ALTERNATIVES = frozenset({"以上", "以下", "以内", "左右", "上下", "余"})
# 30万吨级泊位, 100兆瓦级储能: a tonnage or power class, at least that size (gov-2026 NOTES: 7亿吨级).
_CLASS_UNITS = frozenset({"吨", "千瓦", "兆瓦", "吉瓦"})


class _Reading(NamedTuple):
    """What a quantity match says before it becomes a Mention.

    A NamedTuple, as one is built for most quantities: a frozen dataclass costs twice as much to build.
    """

    kind: str
    value: float | None
    unit: str | None
    rule: str


def _approx(words: list[str | None], vague: bool) -> str:
    """The first qualifier decides; vague (几, 数, xx) wins over all."""
    if vague:
        return "vague"
    for word in words:
        if word is None:
            continue  # most slots are empty
        if word in _OVER:
            return "over"
        if word in _UNDER:
            return "under"
        if word in _ABOUT:
            return "about"
    return "exact"


def _clause_before(text: str, start: int) -> str:
    """The clause a number stands in, up to the number: rate bases and rate words are looked for here.

    The clause starts after the last clause break of the 40 characters before the number. One
    greedy match finds that break in C; looking for each break mark in turn (rfind per mark) was
    a hot spot, as this runs for nearly every quantity."""
    window_start = max(0, start - 40)
    up_to_last_break = _UP_TO_LAST_CLAUSE_BREAK.match(text, window_start, start)
    clause_start = up_to_last_break.end() if up_to_last_break else window_start
    return text[clause_start:start]


def _rate_base(clause: str, kind: str, unit: str | None) -> tuple[str | None, int]:
    """The rate base (`per`) a clause gives a quantity (每月 -> month, 人均 -> person, 每千人 -> 千人),
    and the length of a 每X written right before the number, which the span takes in."""
    if unit in NO_RATE_UNITS or kind == "ratio":
        return None, 0
    bases = [m for m in _RATE_BASE.finditer(clause) if clause[m.end():m.end() + 1] != "的"]
    if not bases:
        return None, 0
    if kind == "percent" and _COMPARISON.search(clause, bases[-1].end()):
        return None, 0  # 年均增长6%、高于全国0.3个百分点: the comparison is no yearly rate
    per = _rate_base_name(bases[-1].group(), clause, kind)
    adjacent = bases[-1].end() == len(clause) and bases[-1].group().startswith("每")
    return per, len(bases[-1].group()) if adjacent and per else 0


def _rate_base_name(base: str, clause: str, kind: str) -> str | None:
    """Growth rates take only 年均 (per year); amounts take 每X, 人均, 年均, 年产 ...; a yearly mean has none.

    Per-head averages name their head as 每X would: 人均 and 生均 (per pupil) -> person, 户均 -> 户."""
    if kind == "percent":
        return "year" if base == "年均" and not _MEAN_NOT_RATE.search(clause) else None
    if base == "年均" and _MEAN_NOT_RATE.search(clause):
        return None
    if base in ("人均", "生均"):
        return "person"  # a pupil (生均经费) is a person, as in 人均
    if base == "户均":
        return "户"  # as 每户
    if base in ("年均", "平均一年") or base.startswith("年产"):
        return "year"
    if base == "月均":
        return "month"
    if base == "日均":
        return "day"
    rest = base[1:].replace("人口", "人")  # 每千人口 and 每千人 are one base
    return _RATE_BASE_NAMES.get(rest, rest)


def _inside_quoted_name(text: str, start: int, end: int) -> bool:
    """A numeral inside a short quoted name (“十四五”, “两个确立”, “2小时重庆”) names, it does not count."""
    before = text[max(0, start - 10):start]
    return "“" in before and bool(_QUOTED_NAME.search(before) and _QUOTE_CLOSE.match(text[end:end + 11]))


def _classify_unit(unit: str, num: str, value: float | None, text: str, start: int,
                   unit_end: int) -> tuple[str, str, str] | str:
    """(kind, canonical unit, rule) for a unit, or the reason the numeral is not a quantity."""
    before = text[max(0, start - 12):start]
    after = text[unit_end:unit_end + 3]
    chinese = num[0] in _CN or num[0] == "几"
    if unit in CURRENCIES:
        return "money", CURRENCIES[unit], "money.unit"
    if unit in ("%", "‰", "个百分点", "百分点"):
        return "percent", "%", "percent.points" if "百分点" in unit else "percent.sign"
    if unit == "成":
        if value is not None and value > 10:
            return "no unit"
        return "percent", "%", "percent.tenths"
    if unit == "倍":
        return "ratio", "x", "ratio.times"
    if unit == "年":
        if after[:1] in ("代", "级"):
            return "decade or school grade"
        if after.startswith("规划"):
            return "name of a plan"
        if value is not None and 1800 <= value <= 2100 and not chinese:
            return "a year"
        if num == "一" and not (before[-1:] in _DURATION_ONE_BEFORE or after[:1] in _DURATION_ONE_AFTER):
            return "article 一"
        return "measure", "年", "measure.duration"
    if unit in ("个月", "个季度", "个小时", "个工作日"):
        return "measure", unit[1:], "measure.duration"
    if unit == "季度" and chinese:
        return "ordinal quarter"
    if unit == "度" and chinese:
        return "no unit"
    if unit == "P" and after[:1].isascii() and after[:1].isalpha():
        return "part of a name or code"
    if unit == "日" and not chinese and not after.startswith(("内", "以内")):
        return "day of month"
    if unit == "周" and after[:1] in "边期末转围":
        return "no unit"
    if unit == "级":
        if _EARTHQUAKE.search(before[-4:] + after) or (not chinese and "." in num):
            return "measure", "级", "measure.earthquake"
        if chinese and (num == "两" or before[-1:] in _LEVEL_BEFORE) and after[:1] not in "以公医甲乙标":
            return "count", "级", "count.levels"
        return "grade"
    if unit in _MEASURE_UNIT_SET:
        if num == "一" and (unit not in _WINDOW_UNITS or unit in _LENGTH_UNITS
                           or not (before[-1:] in _DURATION_ONE_BEFORE or after[:1] in _DURATION_ONE_AFTER)):
            return "article 一"  # 最后一公里, 一天天; but 过去一天, 一周来 are durations
        return "measure", unit, "measure.unit"
    # count classifiers
    if num == "一":
        if unit == "次" and (not after or after[0] in _CLAUSE_BREAKS):
            return "count", "次", "count.once"  # 每年体检一次。: how often, not an article
        return "article 一"
    if unit == "大":
        if value is None or not 2 <= value <= 9 or after[:1] in "精以报会代":
            return "ordinal or list name"
        return "count", "大", "count.major"
    if unit == "届":
        if value is None or value > 10 or after[:1] in _CN + "全中人委政省市区县党国历" or before[-1:] in "委会":
            return "session ordinal"
        return "count", "届", "count.classifier"
    if unit == "次" and (before.endswith("届") or after.startswith(("会议", "全会", "全体"))):
        return "session ordinal"
    if unit in ("位", "名") and (_RANK_BEFORE.search(before) or after.startswith("→")):
        return "rank"
    if unit in ("县", "市") and chinese and before[-1:] in "东西南北":
        return "part of a place name"
    if unit in ("对", "轮") and chinese:
        return "no unit"
    if unit in ("期", "面", "片") and chinese:
        return "phase or idiom"  # 二期工程, 四面八方, 一片光明; a written number counts: 培训班26期, 锦旗27面
    if (unit == "期" and after[:1] == "间") or (unit == "面" and after[:1] in "向对临貌积"):
        return "no unit"
    if unit == "部" and after[:1] in "门委署分队位长件":
        return "no unit"
    if unit == "季" and not (num == "两" or not chinese):
        return "no unit"
    return "count", unit, "count.classifier"


def _read_quantity(match: re.Match, text: str) -> Mention | Rejection:
    """Kind, value and unit of a numeral with what surrounds it, or why it is no quantity."""
    start, end = match.span()
    # One group() call for all the groups read here: a call per group was a measurable share of the stage.
    pre, num, mag1, mag, infix1, infix2, written_unit, alt, alt_times, post = match.group(
        "pre", "num", "mag1", "mag", "infix1", "infix2", "unit", "alt", "alt_times", "post")
    unit = (written_unit or "").strip() or None
    if alt_times:
        unit += "次"  # 2813.8万辆（艘、架、列）次: the 次 closes every alternative, 辆次
    elif alt and post not in _SPANNED_AFTER_ALTERNATIVES:
        end, post = match.start("alt"), None  # 100台（套）设备: the parenthesis says nothing of the amount
    magnitude = (mag1 or mag or "").strip()
    previous, following = text[start - 1:start], text[end:end + 1]
    if num[0].isdigit() and previous.isascii() and previous.isalpha():
        return Rejection(start, end, "part of a name or code", "reject.code")
    if num[-1].isdigit() and not unit and not magnitude and following.isascii() and following.isalpha():
        return Rejection(start, end, "part of a name or code", "reject.code")
    if _inside_quoted_name(text, start, end):
        return Rejection(start, end, "part of a quoted name", "reject.quoted_name")
    if previous == "每" and not pre:
        return Rejection(start, end, "rate base", "reject.rate_base")  # 每十万人, 每千人口
    vague = is_vague(num + (pre or "")) or "几" in num
    value = None if vague else parse_numeral(num + magnitude)
    if value is None and not vague:
        return Rejection(start, end, "unparsable", "reject.unparsable")
    whole = num + magnitude
    bare_magnitude = (_MAGNITUDE_ONLY.fullmatch(num) and not (magnitude or pre or infix1 or infix2)
                      and not _VERB_OVER.search(text[max(0, start - 4):start]))
    if (whole in _BIG_MONEY_WORDS or magnitude == "万亿") and (unit is None or unit in COUNT_CLASSIFIERS):
        # 千亿级, 百亿县区, 两个千亿台阶: a scale of output or investment, in yuan.
        unit_start = match.start("unit") if unit else end
        over = unit == "级" or text[unit_start:unit_start + 1] in "县区市镇村企"
        end = end if unit == "级" else unit_start
        reading = _Reading("money", value, "CNY", "money.magnitude_word")
        return _mention(match, text, reading, vague, end=end, post=None, over=over)
    if unit is None:
        reading = _read_without_unit(match, text, num, magnitude, value, vague)
    else:
        if unit == "方" and not magnitude:
            return Rejection(start, end, "no unit", "reject.no_unit")
        if bare_magnitude and unit == "元" and re.match(r"[A-Z地生产增]", text[end:end + 1]):
            return Rejection(start, end, "rate base", "reject.rate_base")
        classified = _classify_unit(unit, num, value, text, start, match.end("unit"))
        if isinstance(classified, str):
            return Rejection(start, end, classified, "reject.context")
        kind, canonical, rule = classified
        if bare_magnitude and (kind == "count" or unit in ("年", "岁")):
            return Rejection(start, end, "idiom or name with a magnitude word", "reject.idiom")
        if kind == "percent" and unit == "成" and value is not None:
            value = value * 10
        if unit == "‰" and value is not None:
            value = value / 10
        reading = _Reading(kind, value, canonical, rule)
    if isinstance(reading, str):
        return Rejection(start, end, reading, "reject.no_unit")
    return _mention(match, text, reading, vague, end=end, post=post)


def _read_without_unit(match: re.Match, text: str, num: str, magnitude: str, value: float | None,
                       vague: bool) -> _Reading | str:
    """A numeral with no unit: a headcount in 万, a unit shared with the next list item, or a rate
    that lost its % sign (比例达到56)."""
    if vague and num[0] in _CN + "几":
        return "no unit"
    if magnitude or (num[-1] in "万亿" and len(num) > 1 and not _MAGNITUDE_ONLY.fullmatch(num)):
        shared = magnitude and _SHARED_MAGNITUDE_UNIT.match(text, match.end())
        if shared:
            return _shared_reading(shared, num, value, text, match.start())
        return _Reading("count", value, None, "count.no_classifier")
    if num[0] in _CN:
        return "no unit"
    shared = _SHARED_UNIT.match(text, match.end())
    if shared:
        return _shared_reading(shared, num, value, text, match.start())  # 分别提高15、22个百分点
    clause = _clause_before(text, match.start())
    if not clause or clause[-1] in ":∶":
        return "no unit"
    if _BARE_RATIO.search(clause):
        return _Reading("ratio", value, "x", "ratio.bare")
    if text[match.end():match.end() + 1] in ":∶/" :
        return "no unit"
    if _LOST_PERCENT.search(clause):
        return _Reading("percent", value, "%", "percent.lost_sign")
    return "no unit"


def _shared_reading(shared: re.Match, num: str, value: float | None, text: str, start: int) -> _Reading | str:
    """The reading of a list item whose unit is written once, after the last item."""
    classified = _classify_unit(shared.group("unit"), num, value, text, start, shared.end())
    if isinstance(classified, str):
        return classified
    kind, canonical, rule = classified
    return _Reading(kind, value, canonical, rule + ".shared")


def _mention(match: re.Match, text: str, reading: _Reading, vague: bool, *, end: int, post: str | None,
             over: bool = False) -> Mention:
    """The Mention for a reading: span (with an adjacent 每X, without a trailing 内 that is no window),
    approx from the qualifiers, per from the clause, range and points in `extra`."""
    start = match.start()
    pre, infix1, infix2, per_slash, per_one, num2, mag, written_unit = match.group(
        "pre", "infix1", "infix2", "per_slash", "per_one", "num2", "mag", "unit")
    if (post == "内" and reading.unit not in _WINDOW_UNITS) or (post == "多" and reading.unit not in _WINDOW_UNITS):
        end -= len(post)
        post = None
    if post == "级" and reading.kind != "money" and reading.unit not in _CLASS_UNITS:
        end -= 1
        post = None
    if pre == "近" and reading.unit == "年":
        pre = None  # 近五年 is "the last five years", not "nearly five years"
    approx = _approx([pre, infix1, infix2, post, "级" if over else None], vague)
    if approx == "exact" and _VERB_OVER.search(text[max(0, start - 4):start]):
        approx = "over"
    clause = _clause_before(text, start)
    per = None
    if per_slash:
        base = per_slash[1:]
        per = _RATE_BASE_NAMES.get(base, base)
    elif per_one:
        base = per_one[1:]
        per = _RATE_BASE_NAMES.get(base, base)
    else:
        per, adjacent = _rate_base(clause, reading.kind, reading.unit)
        start -= adjacent
    extra: dict = {}
    if reading.rule.startswith("percent.points"):
        extra["points"] = True
    if num2:
        high = parse_numeral(num2 + (mag or "").strip())
        written_unit = (written_unit or "").strip()
        if high is not None and written_unit in ("成", "‰"):
            high = high * 10 if written_unit == "成" else high / 10
        if high is not None and reading.value is not None:
            extra["range"] = [reading.value, high]
    return Mention(kind=reading.kind, start=start, end=end, value=reading.value, unit=reading.unit,
                   approx=approx, per=per, extra=extra, rule=reading.rule)


def _read_special(match: re.Match) -> Mention | Rejection:
    """翻番 / 翻两番 as ratios; shares in words or fractions (百分之三十, 一半, 1/4) as percentages."""
    g = match.group
    if match.lastgroup == "fanfan":
        times = {"一": 1, "两": 2, "二": 2, "三": 3}.get(g("fan_times") or "一", 1)
        return Mention(kind="ratio", start=match.start(), end=match.end(), value=float(2 ** times), unit="x",
                       rule="ratio.doubling")
    words = match.group()
    pre = g("share_pre") or ""
    value = parse_percent_words(words[len(pre):])
    if value is None:
        return Rejection(match.start(), match.end(), "unparsable", "reject.unparsable")
    return Mention(kind="percent", start=match.start(), end=match.end(), value=value, unit="%",
                   approx=_approx([pre], False), rule="percent.words")


# What may stand between two items of a list: exactly one of these characters.
_LIST_JOINERS = frozenset("、和及与 ")


def _propagate_list_qualifiers(text: str, mentions: list[Mention]) -> list[Mention]:
    """分别超过2%、5% / 分别增长5%、6.5%左右: a qualifier written once applies to every item of the list."""
    out = list(mentions)
    i = 0
    while i < len(out):
        j = i
        while (j + 1 < len(out) and out[j + 1].kind == out[i].kind
               and text[out[j].end:out[j + 1].start] in _LIST_JOINERS):
            j += 1
        if j > i and "分别" in _clause_before(text, out[i].start)[-8:]:
            first, last = out[i].approx, out[j].approx
            for k in range(i, j + 1):
                if out[k].approx == "exact":
                    shared = first if first != "exact" else last
                    out[k] = replace(out[k], approx=shared)
        i = j + 1
    return out


def extract_quantities(text: str) -> Extraction:
    """Money, counts, percentages, ratios and measures in `text` (already `fold`ed), with rejections."""
    mentions: list[Mention] = []
    rejections: list[Rejection] = []
    for match in _SCAN.finditer(text):
        group = match.lastgroup
        if group == "date" or group is None:
            continue
        if group in _BLOCKER_REASONS:
            rejections.append(Rejection(match.start(), match.end(), _BLOCKER_REASONS[group], "reject." + group))
            continue
        found = _read_special(match) if group in ("fanfan", "share_words") else _read_quantity(match, text)
        (mentions if isinstance(found, Mention) else rejections).append(found)
    return Extraction(mentions=_propagate_list_qualifiers(text, mentions), rejections=rejections)
