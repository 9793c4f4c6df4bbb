"""Initiatives: numeric policy formulas (一办五站, 六个结合, 十四五) and quoted campaign names.

Chinese reports name policies in two ways, and each gets its own rules:

* **formula** — a numeral-led abbreviation, quoted or bare. Quoted names are classified by
  shape (a leading counting numeral, or two numerals as in 一带一路, or a digit formula such as
  1+3 / 3个100). Bare names need stronger evidence, because counts (三个方面) and idioms
  (千方百计) share the shape: a plan period (十四五), a well-known formula
  (`initiative_known.txt`), N(个|项)? + an enumeration head (两个维护, 四落实), the 一X一Y and
  NXMY shapes (一区一策, 一办五站) outside a stop list, N+X+融合/联动 (五育融合), an echoed
  big numeral (千名干部进千村), N+X next to exactly N listed items starting with X (三童), a
  term defined in a glossary (［3］五互一共：), a neighbour in a 、-list of formulas, the
  same label found elsewhere in the text, or the first part of an NXMY formula of the text
  written bare as a word (三城 after 三城一区). A periodic formula 每[日周月季年]一X closing its
  phrase or before a programme head is a programme (每月一题专项治理), unless X is a classifier or
  time word (每年一次, 每周一晚). A place part of N one-character abbreviations before N +
  区/市/县/地/园/城 names a fixed group (兰白两区, 成渝两地, 京津冀三地) — the numeral must count the
  place characters, so 全省14市 and 西宁、海东两市 stay counts. Word boundaries from the
  segmenter keep the shapes from being cut out of longer words.
* **campaign** — a quoted, non-numeric (or literal-一) name whose context makes it a
  programme: a programme head right after it (“X”行动, “X”试点, “X”的…活动) or ending it
  (“府院联动”), an X+Y model (“旅游+康养”), a launching verb right before it (开展“X”), a
  sibling quoted name sharing the head, a well-known name, or the same name so marked
  elsewhere in the text.
  Honour titles (…模范城, …社区), brands (“X”品牌), slogans (with commas or after 标语) and
  festivals (八一) are refused and reported as rejections. A name so made a programme whose
  shape is a formula too weak to stand alone — a 双-abbreviation (“双盲”, “双一流196”), N个 +
  digits (“四个1”), numerals of rising magnitude (“十百千万”) or a topic before N大 + a programme
  head (“碳达峰十大行动”, as 五个一工程) — is a formula instead.

Quoted names are spanned with their quotes, `label` has none; 双拥 and its compounds are the
field's own name, never an initiative.

`extra` of a formula:

* `parts` — one `[number, head]` pair per numeral, the head being the text up to the next
  numeral with a classifier (个/项/大/条/名) dropped: 一办五站 → [[1, "办"], [5, "站"]],
  六个结合 → [[6, "结合"]], 一优二免八减半 → [[1, "优"], [2, "免"], [8, "减半"]]; a numeral
  right after 个/项 belongs to the head (四个一批 → [[4, "一批"]]); 双 is 2 (双一流 →
  [[2, "一流"]]); consecutive big numerals are separate parts (百千工程 → [[100, ""],
  [1000, "工程"]]), and so are numerals of rising magnitude (十百千万 → [[10, ""], [100, ""],
  [1000, ""], [10000, ""]]); a plan period gives its ordinal (十四五 → [[14, "五年规划"]],
  “四五”普法 → [[4, "五年普法规划"]]); digits count as numbers (1+3+N → [[1, ""], [3, "N"]]).
* `type` — "plan period" (N五), the type listed for a known formula ("institution
  abbreviation" for 两委, 三老 …, and place-prefixed groups as 兰白两区), "programme" (periodic
  formulas, several numerals, digits, or a programme head such as 工程/行动/计划), otherwise
  "enumeration" (六个结合, 三进).
* `members` — `[start, end]` source spans of the items the text lists for the formula
  (一是…六是 after it, a 即-list, a parenthesis, a glossary definition, items echoing its head
  as 进课表、进课本、进课堂, or a 、-list right before it as 内容、时间、人员、效果“四落实”),
  `member_texts` the same items as text, and `member_count_mismatch` when their number is not
  the formula's (the sum of its small numbers, an article 一 left out; always true when that
  number is unknown, as for 百千工程). Plan periods get no members.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from types import MappingProxyType
from typing import NamedTuple

from pipeline.records import Extraction, Mention, Rejection
from pipeline.resources import LEXICONS

KIND = "initiative"
SMALL = "一二三四五六七八九十两"
BIG = "百千万"
NUMERALS = SMALL + BIG
_VALUE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "两": 2, "双": 2, "十": 10, "百": 100, "千": 1000, "万": 10000}
_CJK = "\u4e00-\u9fff"
_CLASSIFIERS = "个项大条名"
# 一 used as an article or inside a word (一件事, 一张网, 一体化): not a formula numeral.
_ARTICLE_AFTER_ONE = set("件张间套次批键站网码窗门号把体流线些起般致揽卡条份场证表单库盘口账举杯箱刻")
_WORD_BEFORE_ONE = set("统唯之第进")
# A big numeral that starts a word or a magnitude (万家, 百姓, 千亿): not a formula numeral.
_WORD_AFTER_BIG = set("家姓年物秋花里强亿元吨人名户米瓦")
# A numeral followed by one of these counts time, rank or people, not a policy.
_NOT_FORMULA_AFTER_LEAD = set("年月日天周岁次倍成级期批轮届代号名位人刻小分秒连线台辆")
# Places, time and sector words that make an NXMY run a description (九市一区, 五年一遇).
_NXMY_STOP_PARTS = set("市省区县州江河湖山岸海级年月日天周期届次批轮产角体个项名位人元号代类线是措轴")
_SHAPE_HONOURS = ("模范城", "文明城", "卫生城", "城市", "示范市", "示范县", "示范区", "社区", "单位",
                  "家庭", "模范", "先进", "标兵", "之星", "连冠", "强", "奖", "称号", "）", ")")
# A numeral before these names a group of people (六老汉), not a policy.
_PEOPLE_HEADS = ("老汉", "兄弟", "姐妹", "姑娘", "勇士", "英雄", "君子", "金花", "老人")
# Particles and prepositions cannot be the verbs of an XNYM formula (开一备三), nor numerals.
_FUNCTION_CHARS = set("了的是在和与及对把被为向从等也都就还又将已每第") | set(NUMERALS)
_ONE_X_ONE_Y_STOP_PARTS = set("年月日天周次步个时")
# Integration words after N+X (五育融合, 五网合一, 五社联动).
_INTEGRATION_HEADS = ("融合", "合一", "联动", "协同", "并举", "共治", "互动")
_NAME_CLOSERS = ("的", "和", "与", "及", "等", "工作", "建设", "体系", "格局", "机制", "模式", "要求",
                 "目标", "战略", "布局", "架构", "工程", "行动", "服务", "制度", "改革")
# Words that may follow a repeated formula label although the segmenter fused them (两新组织).
_LABEL_FOLLOWERS = ("人员", "组织", "工作", "建设", "项目", "政策", "要求")
# A character after a well-known formula that shows another word (三公里, 三保障).
_KNOWN_BREAKS = set("里斤顷米分秒障速倍")
# A quoted name ending in one of these names a programme or mechanism itself (“府院联动”).
_NAME_FINAL_HEADS = ("工程", "计划", "行动", "活动", "活动月", "活动周", "宣传月", "宣传周", "服务月", "服务周",
                     "教育月", "教育周", "安全月", "安全周",
                     "经验", "联动", "挂钩", "共建", "试点")
_HONOUR_AFTER = ("评比", "评选", "称号", "荣誉", "创建")
_HONOUR_CUES = ("获评", "荣获", "被评为", "评为", "获批", "入选", "入围", "命名为", "授予", "荣膺", "创成")
_SLOGAN_CUES = ("标语", "口号", "心声", "说：", "说:", "道：", "道:", "喊出", "提出", "牢记")
_LAUNCH_VERBS = ("实施", "开展", "推行", "启动", "举办")
_EVENT_HEADS = ("活动", "展", "论坛", "讲座", "比赛", "竞赛", "宣讲", "晚会")
_EVENT_AFTER = re.compile(rf"的[{_CJK}]{{0,6}}?(?:{'|'.join(_EVENT_HEADS)})")
_ORDINALS = "一二三四五六七八九十"
# 每月一题, 每周一练: a periodic programme; classifiers and time words after 一 make a frequency
# or a weekday instead (每年一次, 每月一期, 每年一度, 每周一晚, 每周一至周五).
_PERIODIC = re.compile(rf"每[日周月季年]一([{_CJK}])")
_PERIODIC_NOT_HEADS = set("次期天日周月季年度届回趟遍轮批号个项场篇本份名人位家户遇时晚早夜上下午旬至起些般样")
_PERIODIC_FOLLOWERS = ("专项", "制度")
# A place-prefixed group (兰白两区, 成渝两地, 京津冀三地): the numeral counts the place characters.
_PLACE_GROUP = re.compile(r"([二三四五六七八九两])([区市县地园城])")
_DIRECTIONS = set("东西南北中上下内外前后左右")


@dataclass(frozen=True)
class InitiativeLexicon:
    """The word lists the rules read, loaded once from `corpora/lexicons/initiative_*.txt`, and
    the place lists that tell a place-prefixed abbreviation (兰白两区) from a count."""

    programme_heads: tuple[str, ...]
    formula_heads: tuple[str, ...]
    known: Mapping[str, str]
    stopwords: frozenset[str]
    province_abbreviations: frozenset[str]
    division_short_forms: frozenset[str]
    place_compounds: frozenset[str]

    # Regexes and indexes over the lists, built on first use.
    @cached_property
    def known_formula(self) -> re.Pattern:
        """A listed formula (not a campaign), longest first."""
        known = [word for word, kind in self.known.items() if kind != "campaign"]
        return re.compile(_alternation(sorted(known, key=len, reverse=True)))

    @cached_property
    def stopword_openings(self) -> frozenset[str]:
        """First two characters of the stop words a name may open with (two to six characters)."""
        return frozenset(word[:2] for word in self.stopwords if 2 <= len(word) <= 6)

    @cached_property
    def stopwords_by_char(self) -> Mapping[str, tuple[str, ...]]:
        """The stop words holding each character, so a label is checked only against those holding its first."""
        holding: dict[str, list[str]] = {}
        for word in self.stopwords:
            for char in set(word):
                holding.setdefault(char, []).append(word)
        return {char: tuple(words) for char, words in holding.items()}

    @cached_property
    def known_doubles(self) -> tuple[str, ...]:
        """The listed 双-formulas (双一流)."""
        return tuple(word for word, kind in self.known.items() if word.startswith("双") and kind != "campaign")

    @cached_property
    def enumeration(self) -> re.Pattern:
        """N(个|项)? + an enumeration head (两个维护, 四落实)."""
        return re.compile(rf"[{SMALL}](?:个|项)?(?:{_alternation(self.formula_heads)})")

    @cached_property
    def programme_head_after(self) -> re.Pattern:
        """A programme head after up to two modifier characters."""
        return re.compile(rf"[{_CJK}]{{0,2}}(?:{_alternation(self.programme_heads)})")

    @cached_property
    def counted_programme(self) -> re.Pattern:
        """A topic before N大/个/项 + a programme head, closing the name (碳达峰十大行动)."""
        return re.compile(rf"(?<![第{NUMERALS}])[{SMALL}]+[大个项](?:{_alternation(self.programme_heads)})$")

    @cached_property
    def short_forms_by_initial(self) -> Mapping[str, tuple[str, ...]]:
        """Province and city short forms by their first character (兰 → 兰州)."""
        grouped: dict[str, list[str]] = {}
        for short in self.division_short_forms:
            grouped.setdefault(short[0], []).append(short)
        return {initial: tuple(group) for initial, group in grouped.items()}


def _lines(name: str) -> list[str]:
    text = (LEXICONS / name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_lexicon() -> InitiativeLexicon:
    """Read the initiative word lists (longest entries first, so alternations prefer them)."""
    known = MappingProxyType(dict(line.split("\t", 1) for line in _lines("initiative_known.txt")))
    divisions = [line.split("\t") for line in _lines("entity_admin_divisions.tsv")]
    return InitiativeLexicon(
        programme_heads=tuple(sorted(_lines("initiative_heads.txt"), key=len, reverse=True)),
        formula_heads=tuple(sorted(_lines("initiative_formula_heads.txt"), key=len, reverse=True)),
        known=known,
        stopwords=frozenset(_lines("initiative_stopwords.txt")),
        province_abbreviations=frozenset(_lines("entity_province_abbreviations.txt")),
        division_short_forms=frozenset(row[2] for row in divisions if row[1] in ("province", "prefecture")),
        place_compounds=frozenset(_lines("entity_places.txt")),
    )


class _Found(NamedTuple):
    """A candidate span; a named tuple, since thousands are made per text and a frozen
    dataclass takes several times longer to build."""

    start: int
    end: int
    label: str
    subtype: str
    rule: str
    quoted: bool = False


# ---------------------------------------------------------------- numerals and parts
def numeral_value(run: str) -> int | None:
    """Value of a short Chinese or Arabic numeral run (十四 → 14, 二十 → 20, 1571 → 1571)."""
    if run.isdigit():
        return int(run)
    if len(run) == 1:
        return _VALUE.get(run)
    if "十" in run and len(run) <= 3:
        tens, _, units = run.partition("十")
        return _VALUE.get(tens, 1) * 10 + (_VALUE.get(units, 0) if units else 0)
    return None


_PLAN = re.compile(r"(十?[一二三四五六七八九])五(普法)?")
_NUMERAL_RUN = re.compile(f"[{NUMERALS}]+")
_PREFIX = re.compile(rf"[^\d{NUMERALS}双]*")
_PART = re.compile(rf"(\d+|[{NUMERALS}双]+)([^\d{NUMERALS}双]*)")
# Numerals of rising magnitude, each its own part (十百千万): quoted alone they name a programme.
_MAGNITUDE_RUN = re.compile(r"十?百?千?万?")


def formula_parts(label: str) -> list[list]:
    """Decompose a formula label into [number, head] pairs (module docstring)."""
    plan = _PLAN.fullmatch(label)
    if plan:
        head = "五年普法规划" if plan.group(2) else "五年规划"
        return [[numeral_value(plan.group(1)), head]]
    pieces = [(m.group(1), m.group(2)) for m in _PART.finditer(label, len(_PREFIX.match(label).group()))]
    parts: list[list] = []
    index = 0
    while index < len(pieces):
        run, head = pieces[index]
        if head in ("个", "项") and index + 1 < len(pieces):
            head = "".join(pieces[index + 1])  # 四个一批: the 一 after 个 is in the head
            index += 1
        index += 1
        head = head.lstrip("+×·、，")
        if head[:1] in _CLASSIFIERS and len(head) > 1:
            head = head[1:]
        if len(run) > 1 and run[0] == "双":  # 双一流: two 一流
            run, head = "双", run[1:] + head
        if len(run) > 1 and (set(run) <= set(BIG) or len(run) >= 3 and _MAGNITUDE_RUN.fullmatch(run)):
            parts.extend([_VALUE[ch], ""] for ch in run[:-1])
            run = run[-1]
        parts.append([numeral_value(run), head])
    return parts


def formula_type(label: str, parts: list[list], lexicon: InitiativeLexicon) -> str:
    """Plan period, a listed type, programme (several numerals, digits, programme head) or enumeration."""
    if _PLAN.fullmatch(label):
        return "plan period"
    if _PERIODIC.fullmatch(label):
        return "programme"
    if lexicon.known.get(label, "campaign") != "campaign":
        return lexicon.known[label]
    head = parts[-1][1] if parts else ""
    if len(parts) > 1 or _DIGIT.search(label) or head.endswith(("工程", "行动", "计划", "项目", "试点")):
        return "programme"
    return "enumeration"


# ---------------------------------------------------------------- quoted names
_DIGIT = re.compile(r"\d")
_MASKED = re.compile(r"××|\*\*")
_CLAUSE_PUNCTUATION = re.compile("[，,！!？?；;]")
_PLUS_MODEL = re.compile(r"[^\d\s][+×]|[+×][^\d\s]")  # 旅游+康养, not 1+3
_DIGIT_FORMULA = re.compile(rf"[\dA-Z]+(?:\s?[+×]\s?[\dA-Z]+)+[{_CJK}]*|\d{{3,}}|\d+个\d+|\d+条")
# Shapes that make a quoted programme a formula (see _formula_shaped).
_DOUBLE_FORMULA = re.compile(rf"双[{_CJK}]|双[{_CJK}]双[{_CJK}](?:[+×][\dA-Z]+)?|双(?:{_DIGIT_FORMULA.pattern})")
_COUNTED_DIGITS = re.compile(rf"[{SMALL}]个\d+")
# A character every shape rule of is_formula_name needs: a digit or capital (_DIGIT_FORMULA), 双, a numeral.
_SHAPE_CHARACTER = re.compile(rf"[\dA-Z双{NUMERALS}]")


def _counting_numerals(name: str) -> list[int]:
    """Start positions of the numeral runs in `name` that count (not 一 as an article, not
    万家/千亿 words, not 第一)."""
    found = []
    for m in _NUMERAL_RUN.finditer(name):
        i, run = m.start(), m.group()
        after = name[m.end():m.end() + 1]
        before = name[i - 1:i]
        if run == "一" and (after in _ARTICLE_AFTER_ONE or before in _WORD_BEFORE_ONE):
            continue
        if run[-1] in BIG and after in _WORD_AFTER_BIG:
            continue
        found.append(i)
    return found


def _starts_with_stopword(name: str, lexicon: InitiativeLexicon) -> bool:
    """The name opens with an idiom, festival or numeral-led place name (四川…, 八一…)."""
    return name[:2] in lexicon.stopword_openings and any(
        name[:size] in lexicon.stopwords for size in range(2, min(len(name), 6) + 1))


def is_formula_name(name: str, lexicon: InitiativeLexicon) -> bool:
    """Whether a quoted name is a numeric formula by its shape alone."""
    if _PLAN.fullmatch(name):
        return True
    if ("双拥" in name or "小时" in name or name.endswith(("节", "日", "冬", "运", "运会", "普"))
            or _starts_with_stopword(name, lexicon)):
        return False
    if lexicon.known.get(name, "campaign") != "campaign":
        return True
    if not _SHAPE_CHARACTER.search(name):  # most quoted names: no shape rule below can hold
        return False
    if _DIGIT_FORMULA.fullmatch(name):
        return True
    if _DIGIT.search(name) or _MASKED.search(name) or name.endswith(_SHAPE_HONOURS):
        return False
    if name.startswith("双"):
        return _known_double(name, lexicon)
    counting = _counting_numerals(name)
    if len(counting) >= 2:
        return True
    lead = 1 if name[0] in "新大小" else 0
    if counting and counting[0] == lead:
        run_end = lead
        while run_end < len(name) and name[run_end] in NUMERALS:
            run_end += 1
        return (run_end < len(name) and name[run_end] not in _NOT_FORMULA_AFTER_LEAD
                and not name.endswith(_PEOPLE_HEADS))
    return False


def _known_double(name: str, lexicon: InitiativeLexicon) -> bool:
    """The name starts with a listed 双-formula (双一流, 双一流196)."""
    return name.startswith(lexicon.known_doubles)


def _formula_shaped(name: str, lexicon: InitiativeLexicon) -> bool:
    """Whether a quoted name that its context makes a programme is a formula by its shape, too
    weak alone (“双环” may be a road): a 双-abbreviation under the 双 rule of the NOTES — 双 + one
    character (双盲), 双X双Y (双招双引), 双 + a digit formula (双20条), a listed one with more after it
    (双一流196) — N个 + digits (四个1), numerals of rising magnitude (十百千万), or a topic before
    N大/个/项 + a programme head (碳达峰十大行动, as 五个一工程)."""
    if name.startswith("双"):
        return bool(_DOUBLE_FORMULA.fullmatch(name)) or _known_double(name, lexicon)
    if _COUNTED_DIGITS.fullmatch(name) or len(name) >= 3 and _MAGNITUDE_RUN.fullmatch(name):
        return True
    return bool(lexicon.counted_programme.search(name))


def _programme_context(after: str, lexicon: InitiativeLexicon) -> bool:
    """A programme head right after the name (up to two modifier characters), or 的…活动."""
    return bool(lexicon.programme_head_after.match(after) or _EVENT_AFTER.match(after))


def _refusal(name: str, before: str, after: str, lexicon: InitiativeLexicon) -> str | None:
    """Why a quoted non-formula name is not a campaign, if it is plainly something else."""
    if len(name) < 2 or name == "双拥" or name in lexicon.stopwords:
        return "too short, a stop word or the field's own name"
    if name.endswith(("日", "节", "周年")):
        return "festival or day"
    if _MASKED.search(name) or "xx" in name:
        return "masked name"
    if name.endswith(_SHAPE_HONOURS) or (before.endswith(_HONOUR_CUES) and not _programme_context(after, lexicon)):
        return "honour title"
    if after.startswith(("品牌", "商标")):
        return "brand"
    if before.endswith(_SLOGAN_CUES) or _CLAUSE_PUNCTUATION.search(name) and not after.startswith("的"):
        return "slogan or quoted speech"
    return None


def _quoted_names(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^“”\n]{1,30}”", text)]


def _sibling_groups(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Quoted names written one after another (“A”“B”, “A”、“B”, “A”和“B”) form one group."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and text[groups[-1][-1][1]:span[0]] in ("", "、", "和", "与", "及", "、和"):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _campaign_rule(name: str, before: str, after: str, lexicon: InitiativeLexicon) -> str | None:
    """The rule that makes a quoted non-formula name a campaign, or None without such context."""
    if lexicon.known.get(name) == "campaign":
        return "quoted-known-campaign"
    if _programme_context(after, lexicon) or name.endswith(_NAME_FINAL_HEADS):
        return "quoted-programme-head"
    if _PLUS_MODEL.search(name):
        return "quoted-plus-model"
    if before.endswith(_LAUNCH_VERBS):
        return "quoted-launch-verb"
    return None


def _quoted_initiatives(text: str, lexicon: InitiativeLexicon,
                        rejections: list[Rejection]) -> list[_Found]:
    """Classify every quoted name; siblings and repetitions of a campaign share its subtype."""
    decided: list[tuple[int, int, str, str | None, str]] = []
    for group in _sibling_groups(text, _quoted_names(text)):
        group_start = len(decided)
        group_after = text[group[-1][1]:group[-1][1] + 12]
        group_before = text[max(0, group[0][0] - 8):group[0][0]]
        for start, end in group:
            name = text[start + 1:end - 1]
            after = text[end:end + 12]
            before = text[max(0, start - 8):start]
            if after.startswith("普法") and _PLAN.fullmatch(name):
                decided.append((start, end + 2, name + "普法", "formula", "quoted-plan-period"))
            elif is_formula_name(name, lexicon) and not after.startswith(("热线", "服务热线", "便民热线")):
                decided.append((start, end, name, "formula", "quoted-formula"))
            elif refusal := _refusal(name, before, after, lexicon):
                rejections.append(Rejection(start, end, refusal, "quoted-refused"))
            elif rule := _campaign_rule(name, before, after, lexicon):
                decided.append((start, end, name, "campaign", rule))
            else:
                decided.append((start, end, name, None, "quoted-no-context"))
        members = decided[group_start:]
        if (len(group) > 1 and not group_after.startswith(_HONOUR_AFTER)
                and (_programme_context(group_after, lexicon) or group_before.endswith(_LAUNCH_VERBS))):
            decided[group_start:] = [(s, e, n, sub or "campaign", r if sub else "quoted-sibling")
                                     for s, e, n, sub, r in members]
    campaigns = {name for _, _, name, sub, _ in decided if sub == "campaign"}
    found = []
    for start, end, name, subtype, rule in decided:
        if subtype is None and name in campaigns:
            subtype, rule = "campaign", "quoted-repeated-campaign"
        if subtype == "campaign" and _formula_shaped(name, lexicon):
            subtype = "formula"
        if subtype is None:
            rejections.append(Rejection(start, end, "quoted name without programme context", rule))
        else:
            found.append(_Found(start, end, name, subtype, rule, True))
    return found


# ---------------------------------------------------------------- bare formulas
@dataclass(frozen=True)
class _Bounds:
    """Word boundaries from the segmenter's tokens, which come in text order and do not overlap,
    so both their starts and their ends are sorted; with no tokens every position is a boundary.
    Few positions are looked up, so bisecting the tokens beats building sets of offsets."""

    tokens: Sequence[tuple[int, int]] | Sequence[tuple[int, int, str]]

    def aligned(self, start: int, end: int) -> bool:
        if not self.tokens:
            return True
        first = bisect.bisect_left(self.tokens, start, key=itemgetter(0))
        last = bisect.bisect_left(self.tokens, end, key=itemgetter(1))
        return (first < len(self.tokens) and self.tokens[first][0] == start
                and last < len(self.tokens) and self.tokens[last][1] == end)


def _free_left(text: str, start: int) -> bool:
    """The numeral is not the tail of a longer number or an ordinal (第十四五…, 二十四节)."""
    return start == 0 or text[start - 1] not in NUMERALS + "第0123456789双"


def _free_right(text: str, end: int) -> bool:
    return end >= len(text) or text[end] not in NUMERALS + "0123456789"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in words)


# The first numeral of an XNYM run (开一备三), the other characters looked at around it: a regex
# starting with a numeral lets the engine skip to numerals instead of trying every character.
_XNYM_FIRST_NUMERAL = re.compile(rf"[{SMALL}](?<=[{_CJK}][{SMALL}])(?=[{_CJK}][{SMALL}])")
# The first character of a 、-listed item: an echoed head (三进: 进课表、进课本) must be one, a cheap
# test before looking for the list around each N+X.
_LISTED_CHAR = re.compile(rf"、([{_CJK}])")
# 十四五, 八五普法; 八五普法 spelled out per numeral, so every alternative starts with a literal and
# the engine skips to numerals.
_PLAN_PERIOD = re.compile("|".join([r"十[一二三四五六七八九]五(?![年个])"] + [f"{n}五普法" for n in "一二三四五六七八九"]))


def _bare_candidates(masked: str, lexicon: InitiativeLexicon, bounds: _Bounds) -> list[_Found]:
    """Formulas written without quotes, on the text with quoted names blanked out."""
    found: list[_Found] = []

    def add(start: int, end: int, rule: str, needs_alignment: bool = True) -> None:
        label = masked[start:end]
        if label in lexicon.stopwords or any(stop in masked[max(0, start - 3):end + 3]
                                             for stop in _nearby_idioms(label, lexicon)):
            return
        if not (_free_left(masked, start) and _free_right(masked, end)):
            return
        if needs_alignment and not bounds.aligned(start, end):
            return
        found.append(_Found(start, end, label, "formula", rule))

    for m in _PLAN_PERIOD.finditer(masked):
        add(m.start(), m.end(), "plan-period", needs_alignment=False)
    for m in lexicon.known_formula.finditer(masked):
        if masked[m.end():m.end() + 1] not in _KNOWN_BREAKS:
            add(m.start(), m.end(), "known-formula", needs_alignment=False)
    for m in lexicon.enumeration.finditer(masked):
        if m.end() >= len(masked) or bounds.aligned(m.start(), m.end()) or not _is_cjk(masked[m.end()]):
            add(m.start(), m.end(), "enumeration-head", needs_alignment=False)
    for m in re.finditer(rf"一([{_CJK}])一([{_CJK}])(?:一[{_CJK}]{{1,2}})?", masked):
        x, y = m.group(1), m.group(2)
        if x != y and x not in NUMERALS and y not in NUMERALS and not {x, y} & _ONE_X_ONE_Y_STOP_PARTS:
            add(m.start(), m.end(), "one-x-one-y")
    for m in re.finditer(r"一[对助帮带结包]一", masked):
        add(m.start(), m.end(), "one-to-one", needs_alignment=False)
    for m in re.finditer(rf"[{SMALL}]([{_CJK}])[{SMALL}]([{_CJK}])(?:[{SMALL}][{_CJK}]{{1,2}})?", masked):
        x, y = m.group(1), m.group(2)[0]
        if x not in NUMERALS and y not in NUMERALS and not {x, y} & _NXMY_STOP_PARTS \
                and m.group().count("一") < len(m.group()) // 2 and _closes_name(masked, m.end()):
            add(m.start(), m.end(), "nxmy")
    xnym_end = 0
    for m in _XNYM_FIRST_NUMERAL.finditer(masked):
        start = m.start() - 1
        if start < xnym_end:  # runs do not overlap, as with one finditer over the whole shape
            continue
        xnym_end = start + 4
        x, first, y, second = masked[start:xnym_end]
        if first != second and not {x, y} & (_NXMY_STOP_PARTS | _FUNCTION_CHARS):
            add(start, xnym_end, "xnym")
    for m in re.finditer(rf"[{SMALL}]([{_CJK}])(?:{_alternation(_INTEGRATION_HEADS)})", masked):
        if m.group(1) not in _NXMY_STOP_PARTS | set(NUMERALS):
            add(m.start(), m.end(), "n-x-integration", needs_alignment=False)
    listed = set(_LISTED_CHAR.findall(masked))
    for m in re.finditer(rf"([{SMALL}])(?:个|项)?([{_CJK}])", masked):
        head = m.group(2)
        if head in listed and head not in NUMERALS and _members_echo_head(masked, m.start(), m.end(), head,
                                                                          numeral_value(m.group(1))):
            add(m.start(), m.end(), "members-echo-head")
    for m in re.finditer(rf"([{BIG}])[名家个户]?[{_CJK}]{{1,8}}?[进兴帮联结助带访扶]\1[{_CJK}]", masked):
        add(m.start(), m.end(), "echoed-big-numeral", needs_alignment=False)
    # [百千万]{2,3} spelled with one numeral first, so the engine can skip to numerals
    for m in re.finditer(rf"[{BIG}][{BIG}]{{1,2}}(?:工程|行动|计划)", masked):
        add(m.start(), m.end(), "big-numeral-programme", needs_alignment=False)
    for m in _PERIODIC.finditer(masked):
        if m.group(1) not in _PERIODIC_NOT_HEADS and (
                _closes_name(masked, m.end()) or masked.startswith(lexicon.programme_heads + _PERIODIC_FOLLOWERS, m.end())):
            add(m.start(), m.end(), "periodic-programme")
    for start, end in _place_groups(masked, lexicon, bounds):
        add(start, end, "place-group")
    return found


def _place_groups(masked: str, lexicon: InitiativeLexicon, bounds: _Bounds) -> list[tuple[int, int]]:
    """Spans of N one-character place abbreviations + N + 区/市/县/地/园/城 (兰白两区, 成渝两地).
    Each character must be a province abbreviation or the initial of a province or city whose
    short form the text names; a listed compound (成渝, 京津冀) needs only initials of any. A
    、-list before (西宁、海东两市), a direction word (东西两区) or a single place (海东两市) make
    the numeral a count."""
    spans = []
    by_initial = lexicon.short_forms_by_initial
    for m in _PLACE_GROUP.finditer(masked):
        start = m.start() - numeral_value(m.group(1))
        place = masked[max(0, start):m.start()]
        if (start < 0 or masked[start - 1:start] == "、" or not bounds.aligned(start, m.end())
                or place in lexicon.division_short_forms or place in lexicon.stopwords or set(place) & _DIRECTIONS):
            continue
        compound = place in lexicon.place_compounds
        if all(char in lexicon.province_abbreviations or char in by_initial and (
                compound or any(short in masked for short in by_initial[char])) for char in place):
            spans.append((start, m.end()))
    return spans


def _members_echo_head(text: str, start: int, end: int, head: str, count: int | None) -> bool:
    """N+X is a formula when exactly N listed items next to it all start with X
    (童声唱祖国、童手绘祖国、童心颂祖国…三童; 三进: 进课表、进课本、进课堂)."""
    if ("、" + head) not in text[max(0, start - 80):end + 120]:
        return False
    for items in (_preceding_list(text, start, end, head), _echo_list(text, end, head)):
        if len(items) == count and all(text.startswith(head, s) for s, _ in items):
            return True
    return False


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _closes_name(text: str, end: int) -> bool:
    """A bare NXMY run must end its phrase: punctuation, a particle or a framework noun follows."""
    return end >= len(text) or not _is_cjk(text[end]) or text.startswith(_NAME_CLOSERS, end)


def _nearby_idioms(label: str, lexicon: InitiativeLexicon) -> list[str]:
    """Stop phrases that contain the label (一年一度 around 一年一, 举一反三 around 一反三)."""
    return [stop for stop in lexicon.stopwords_by_char.get(label[0], ()) if len(stop) > len(label) and label in stop]


_GLOSSARY = re.compile(r"^[［\[]\d+[］\]]\s*([^：:\n]{2,16})[：:]\s*\n?([^\n]+)", re.M)


def _glossary(text: str, lexicon: InitiativeLexicon) -> dict[str, tuple[int, int]]:
    """Glossary entries (［3］五互一共：definition) naming a formula: label → definition span."""
    entries: dict[str, tuple[int, int]] = {}
    # most texts have no glossary, and the ^-anchored regex would be tried at every position of them
    if "［" not in text and "[" not in text:
        return entries
    for m in _GLOSSARY.finditer(text):
        name = m.group(1).strip()
        bare = re.sub(r"[“”]", "", name)
        counted = re.match(rf"[{SMALL}](个|大|张|条)([{_CJK}]+)$", bare)
        if counted and (counted.group(1) != "个" or len(counted.group(2)) > 2):
            continue
        if is_formula_name(bare, lexicon) or re.fullmatch(rf"[{SMALL}][{_CJK}]", bare):
            entries[bare] = m.span(2)
    return entries


def _glossary_candidates(text: str, masked: str, glossary: dict[str, tuple[int, int]]) -> list[_Found]:
    """Every bare use of a glossary formula, its heading included."""
    found = []
    for label in glossary:
        start = masked.find(label)
        while start != -1:
            end = start + len(label)
            if _free_left(masked, start) and _free_right(masked, end):
                found.append(_Found(start, end, label, "formula", "glossary-term"))
            start = masked.find(label, end)
    return found


# ---------------------------------------------------------------- propagation
# Labels that may repeat open with a numeral or 双.
_LABEL_INITIALS = NUMERALS + "双"


def _label_occurrences(text: str, labels: set[str]) -> list[tuple[int, str]]:
    """(start, label) of the non-overlapping occurrences of each label (two or more characters), as
    str.find from the end of the last one finds them label by label, but in one pass over the
    text per first character instead of one per label: a text holds dozens of labels, and a scan
    per label was most of the propagation time. Labels open with numerals, which are rare, so
    few positions are looked at; the order is by first character, then by position."""
    by_initial: dict[str, dict[str, list[str]]] = {}
    for label in sorted(labels):
        by_initial.setdefault(label[0], {}).setdefault(label[:2], []).append(label)
    next_start = dict.fromkeys(labels, 0)  # where the next occurrence of each label may start
    found = []
    for initial, by_opening in by_initial.items():
        start = text.find(initial)
        while start != -1:
            for label in by_opening.get(text[start:start + 2], ()):
                if start >= next_start[label] and text.startswith(label, start):
                    found.append((start, label))
                    next_start[label] = start + len(label)
            start = text.find(initial, start + 1)
    return found


def _select(candidates: list[_Found]) -> list[_Found]:
    """Quoted names first, then longer spans; no two kept spans overlap."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Found] = []
    for cand in sorted(candidates, key=lambda c: (not c.quoted, c.start - c.end, c.start)):
        index = bisect.bisect_right(starts, cand.start)
        if (index and ends[index - 1] > cand.start) or (index < len(starts) and starts[index] < cand.end):
            continue
        starts.insert(index, cand.start)
        ends.insert(index, cand.end)
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def _select_more(kept: list[_Found], more: list[_Found]) -> list[_Found]:
    """`_select` over the kept spans and more; with nothing more, the kept spans (already
    selected and in text order) are the answer, and sorting them again is skipped."""
    return _select(kept + more) if more else kept


def _list_neighbours(masked: str, kept: list[_Found], lexicon: InitiativeLexicon,
                     bounds: _Bounds) -> list[_Found]:
    """Numeral-led items in a 、-list with a formula are formulas too (三优、三落实、一照顾)."""
    item = rf"[{SMALL}][{_CJK}]{{1,3}}"
    found = []
    for cand in kept:
        if cand.subtype != "formula" or cand.quoted:
            continue
        for m in re.finditer(rf"(?<=、)({item})(?=[、，。；,;])", masked[cand.end:cand.end + 30]):
            if masked[cand.end] != "、":
                break
            found.append(_Found(cand.end + m.start(), cand.end + m.end(), m.group(), "formula", "list-neighbour"))
        left = re.search(rf"({item})、$", masked[max(0, cand.start - 6):cand.start])
        if left:
            start = cand.start - len(left.group())
            if bounds.aligned(start, start + len(left.group(1))):
                found.append(_Found(start, start + len(left.group(1)), left.group(1), "formula", "list-neighbour"))
    return [f for f in found if f.label not in lexicon.stopwords and f.label[1] not in _NOT_FORMULA_AFTER_LEAD]


def _repeated_labels(masked: str, kept: list[_Found], bounds: _Bounds) -> list[_Found]:
    """A formula label found once marks its bare repetitions elsewhere in the text; long
    single-numeral labels (十件民生实事) are left out, as bare they read as counts."""
    labels = {c.label for c in kept if c.subtype == "formula" and c.label[0] in _LABEL_INITIALS
              and not _DIGIT.search(c.label)
              and (2 <= len(c.label) <= 4 or len(_counting_numerals(c.label)) >= 2)}
    found = []
    for s, label in _label_occurrences(masked, labels):
        e = s + len(label)
        if _free_left(masked, s) and _free_right(masked, e) and (
                e >= len(masked) or not _is_cjk(masked[e]) or bounds.aligned(s, e)
                or masked.startswith(_LABEL_FOLLOWERS, e)):
            found.append(_Found(s, e, label, "formula", "repeated-label"))
    return found


def _first_parts(masked: str, kept: list[_Found], bounds: _Bounds, lexicon: InitiativeLexicon) -> list[_Found]:
    """The first part of an NXMY formula of the text, written bare as a word of its own, refers
    back to it (三城一区 … 承接三城研发成果); not a 一-led part (一区 of 一区一策 reads as an
    article), nor a classifier, level or place (五个 of 五个一, 四级 of 四级三类)."""
    shape = re.compile(rf"([{SMALL}]([{_CJK}]))[{SMALL}][{_CJK}](?:[{SMALL}][{_CJK}]{{1,2}})?")
    parts = set()
    for cand in kept:
        m = shape.fullmatch(cand.label)
        if (cand.subtype == "formula" and m and cand.label[0] != "一"
                and m.group(2) not in _NXMY_STOP_PARTS | set(_CLASSIFIERS) | set(NUMERALS)):
            parts.add(m.group(1))
    found = []
    for part in parts - lexicon.stopwords:
        s = masked.find(part)
        while s != -1:
            e = s + len(part)
            if _free_left(masked, s) and _free_right(masked, e) and bounds.aligned(s, e):
                found.append(_Found(s, e, part, "formula", "formula-first-part"))
            s = masked.find(part, e)
    return found


# ---------------------------------------------------------------- members
_PRECEDING_TAIL = re.compile(r"(?:为主要内容的|为主题的|等|的)?“?$")
_CLAUSE_BREAK = re.compile(r"[，。；：,;:！\n“”]")
_MEMBER_CLOSERS = ("要求", "系列", "目标", "原则", "的要求")
_LEAD_IN = re.compile(r".*(?:做到了?|实现了?|坚持了?|确保|达到|突出|抓好|围绕|按照|以)")
# A list item ending in an action is a clause the formula belongs to, not one of its members.
_ACTION_VERBS = ("建设", "打好", "做到", "实现", "坚持", "落实", "推进", "推动", "共建", "加快", "贯彻",
                 "践行", "打造", "增强", "坚定", "树立", "做好", "深化", "开展", "实施", "发挥", "服务")
_ORDINAL_ITEM = "{}是"
_ORDINAL_LEAD = re.compile(r"”?\s*(?:要求)?[，,：:。]?\s*(?:即|就是|主要是|具体是)?[：:，,]?\s*一是")
_CLAUSE_END = re.compile(r"[。；;\n]")
_SENTENCE_END = re.compile(r"[。\n]")
_PAREN_AFTER = re.compile(r"”?[（(]([^（）()\n]{2,80})[）)]")
_THAT_IS = re.compile(r"”?[，,：:]\s*即")
_ECHO_ITEMS = re.compile(r"([^\W\d_])[^、，,。；;的\n（）()“”]{1,6}(?:、\1[^、，,。；;的\n（）()“”]{1,6})+")


def _clause_end(text: str, start: int, limit: int = 200) -> int:
    m = _CLAUSE_END.search(text, start, start + limit)
    return m.start() if m else min(len(text), start + limit)


def _ordinal_members(text: str, end: int) -> list[tuple[int, int]]:
    """一是…二是… right after the formula (after ：, ，即 or the end of its sentence)."""
    m = _ORDINAL_LEAD.match(text, end)
    if not m:
        return []
    members = []
    position = m.end()
    for ordinal in _ORDINALS[1:]:
        stop = _clause_end(text, position)
        members.append((position, stop))
        marker = text.find(_ORDINAL_ITEM.format(ordinal), stop, stop + 2000)
        if marker == -1:
            break
        position = marker + 2
    return members


def _split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the 、/；/，-separated items of text[start:end], trimmed of spaces."""
    separator = "；;" if re.search("[；;]", text[start:end]) else "、，,"
    items, position = [], start
    for m in re.finditer(f"[{separator}]", text[start:end]):
        items.append((position, start + m.start()))
        position = start + m.end()
    items.append((position, end))
    stripped = []
    for s, e in items:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            stripped.append((s, e))
    return stripped


def _trim_first(text: str, items: list[tuple[int, int]], head: str) -> list[tuple[int, int]]:
    """Cut the lead-in off the first item: up to the head the others start with (…进课表), else
    up to a leading verb (真正做到了内容 → 内容)."""
    (s, e), rest = items[0], items[1:]
    if head and all(text.startswith(head, rs) for rs, _ in rest):
        index = text.rfind(head, s, e)
        return [(index, e)] + rest if index != -1 else items
    lead_in = _LEAD_IN.match(text, s, e)
    if lead_in and lead_in.end() < e:
        return [(lead_in.end(), e)] + rest
    longest = max(re_ - rs for rs, re_ in rest)
    return [(max(s, e - longest), e)] + rest


def _following_list(text: str, end: int) -> list[tuple[int, int]]:
    """（A、B、C） or ，即 A；B；C right after the formula."""
    paren = _PAREN_AFTER.match(text, end)
    if paren and re.search("[、，,；;]", paren.group(1)):
        return _split_items(text, *paren.span(1))
    that_is = _THAT_IS.match(text, end)
    if that_is:
        sentence_end = _SENTENCE_END.search(text, that_is.end())
        return _split_items(text, that_is.end(), sentence_end.start() if sentence_end else len(text))
    return []


def _echo_list(text: str, end: int, head: str) -> list[tuple[int, int]]:
    """Items in the rest of the sentence that each start with the formula's head (进课表、进课本)."""
    if not head:
        return []
    stop = _clause_end(text, end, 120)
    if text.find("、" + head, end, stop) == -1:  # every such list holds 、 + head; most clauses have none
        return []
    for m in _ECHO_ITEMS.finditer(text, end, stop):
        if m.group(1) == head:
            return _split_items(text, *m.span())
    return []


def _preceding_list(text: str, start: int, end: int, head: str) -> list[tuple[int, int]]:
    """A 、-list of short like items written right before a formula that closes its phrase
    (内容、时间、人员、效果“四落实”，), not a list of actions the formula belongs to
    (加快建设“一枢纽、四中心”, A、B和“X”)."""
    if end < len(text) and _is_cjk(text[end]) and not text.startswith(_MEMBER_CLOSERS, end):
        return []
    window_start = max(0, start - 80)
    # the tail is at most 7 characters and ends at most one before `start` ($ may match before a
    # final \n), so searching the last 8 characters finds the same leftmost match as the window
    list_end = _PRECEDING_TAIL.search(text, max(window_start, start - 8), start).start()
    breaks = [m for m in _CLAUSE_BREAK.finditer(text, window_start, list_end)]
    clause_start = breaks[-1].end() if breaks else window_start
    if (breaks and breaks[-1].group() == "”" or "、" not in text[clause_start:list_end]
            or text[list_end - 1] in "、，,和与及或"):
        return []
    items = _trim_first(text, _split_items(text, clause_start, list_end), head)
    texts = [text[s:e] for s, e in items]
    if (len(items) < 2 or any(not 2 <= len(t) <= 6 or re.search("[和与及的或]", t) for t in texts)
            or texts[-1].endswith(_ACTION_VERBS)):
        return []
    return items


def _members(text: str, found: _Found, parts: list[list], glossary: dict) -> list[tuple[int, int]]:
    if _PLAN.fullmatch(found.label):
        return []
    head = parts[0][1][:1] if len(parts) == 1 and parts[0][1] else ""
    if found.label in glossary:
        s, e = glossary[found.label]
        items = _split_items(text, s, e - 1 if text[e - 1] in "。；;" else e)
        return items if len(items) >= 2 else []
    for members in (_ordinal_members(text, found.end), _following_list(text, found.end),
                    _echo_list(text, found.end, head)):
        if len(members) >= 2:
            return members
    return _preceding_list(text, found.start, found.end, head)


def _member_count(parts: list[list]) -> int | None:
    """How many members a formula announces: the sum of its small numbers, leaving out an
    article 一 (三医一张网 → 3); None for big or unknown numbers (百千工程)."""
    counted = [p for p in parts if not (p[0] == 1 and p[1][:1] in _ARTICLE_AFTER_ONE)]
    if not counted or not all(p[0] and p[0] <= 20 for p in counted):
        return None
    return sum(p[0] for p in counted)


# ---------------------------------------------------------------- entry point
def _mask(text: str, spans: list[_Found]) -> str:
    """The text with the quoted initiatives blanked (same length), so bare rules do not re-read them."""
    pieces, position = [], 0
    for found in spans:
        pieces += [text[position:found.start], "□" * (found.end - found.start)]
        position = found.end
    return "".join(pieces) + text[position:]


def extract_initiatives(text: str, tokens: Sequence[tuple[int, int]] | Sequence[tuple[int, int, str]]) -> Extraction:
    """Numeric formulas and quoted campaign names in `text` (offsets into `text`); `tokens` are
    the segmenter's, tagged or not: only their starts and ends are read."""
    lexicon = load_lexicon()
    bounds = _Bounds(tokens)
    rejections: list[Rejection] = []
    candidates = _quoted_initiatives(text, lexicon, rejections)
    masked = _mask(text, candidates)
    glossary = _glossary(text, lexicon)
    candidates += _bare_candidates(masked, lexicon, bounds)
    candidates += _glossary_candidates(text, masked, glossary)
    kept = _select(candidates)
    kept = _select_more(kept, _list_neighbours(masked, kept, lexicon, bounds))
    kept = _select_more(kept, _repeated_labels(masked, kept, bounds))
    kept = _select_more(kept, _first_parts(masked, kept, bounds, lexicon))
    mentions = []
    for found in kept:
        extra: dict = {"subtype": found.subtype}
        if found.subtype == "formula":
            parts = formula_parts(found.label)
            extra["parts"] = parts
            extra["type"] = ("institution abbreviation" if found.rule == "place-group"
                             else formula_type(found.label, parts, lexicon))
            members = _members(text, found, parts, glossary)
            if members:
                expected = _member_count(parts)
                extra["members"] = [list(span) for span in members]
                extra["member_texts"] = [text[s:e] for s, e in members]
                extra["member_count_mismatch"] = expected is None or len(members) != expected
        mentions.append(Mention(kind=KIND, start=found.start, end=found.end, label=found.label,
                                extra=extra, rule=found.rule))
    return Extraction(mentions=mentions, rejections=rejections)
