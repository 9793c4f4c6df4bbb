"""Organisations, people and places (kinds org, person, place) found by rules and gazetteers.

Names are found on characters, because jieba splits names it does not know (杭/集镇, 李/长发);
its tokens are evidence: a gazetteer name must start and end where a word does (美丽江苏 holds
江苏, not 丽江), and a person rule wants jieba to have tagged the name nr. Conventions follow
SCHEMA.md: the longest name is the span, a place inside an organisation's name is not a
separate place, masked names (××中学, 李某) are skipped.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Collection, Iterable, NamedTuple, Sequence

from pipeline.records import Extraction, Mention

Token = tuple[int, int, str]

LEXICON_DIR = Path(__file__).resolve().parents[2] / "corpora" / "lexicons"

LEVELS = ("自治区", "自治州", "街道", "省", "市", "区", "县", "镇", "乡", "州", "旗")
LEVEL_ENDINGS = frozenset(level[-1] for level in LEVELS)
# Heads of government bodies: an organisation only when a place or level names it (区民政局, not 民政局).
GOVERNMENT_HEADS = frozenset(
    "委 局 厅 办 部 科 处 中心 委员会 党委 党工委 政府 人民政府 人大 人大常委会 政协 纪委 监委 "
    "人武部 武装部 双拥办 妇联 总工会 工会 团委 工商联 科协 残联 侨联 文联 社科联 红十字会 办事处 "
    "军区 军分区 警备区 法院 检察院 人民法院 人民检察院 公安局 派出所 总队 支队 大队 中队 分队 "
    "人民代表大会 人民代表大会常务委员会 指挥部 司令部 政治部 干休所 边防站 总站 机关 联社".split()
)
# Heads that close the name of a company or institution (苏豪集团, 兰州大学).
INSTITUTION_HEADS = ("集团", "公司", "银行", "大学", "学院", "医院", "博物馆", "纪念馆", "研究院",
                     "研究所", "实验室", "日报", "交易所", "中学", "小学", "幼儿园", "校区", "院区")
# Words that end in a head character but name no body (格局, 干部, 举办, 学科, 副中心).
NOT_BODIES = frozenset(
    "格局 布局 结局 大局 全局 开局 当局 时局 政局 新局 全部 内部 外部 局部 干部 东部 西部 南部 北部 "
    "中部 头部 本部 俱乐部 基部 举办 创办 承办 主办 兴办 督办 领办 代办 包办 合办 协办 试办 开办 停办 "
    "经办 通办 学科 专科 本科 全科 工科 理科 文科 外科 内科 儿科 好处 到处 各处 相处 深处 之处 用处 "
    "出处 住处 判处 惩处 共处 难处 益处 原委 大厅 客厅 餐厅 展厅 副中心 数据中心 算力中心 智算中心 "
    "城市中心 中心 物流中心 商业中心 金融中心 科创中心 创新中心 中心城区 市中心 政府 人大 政协 党委 "
    "工会 机关 大队 中队 支队 总队".split()
)
# Body words that describe instead of naming (中国特色世界一流大学, 城市副中心).
DESCRIPTIVE_BODY_WORDS = frozenset(
    "特色 一流 世界 高水平 示范 空间 格局 城市 所属 直属 下属 各级 有关 相关 基层 上级 全体 广大 "
    "我们 全国 全省 全市 全区 全县 国家 重点 新型 现代 专门 工作 领导 主要".split()
)
GENERIC_COMPANY_NAMES = frozenset(
    "建设 企业 龙头 产业 国有 民营 投资 控股 发展 科技 平台 物流 能源 数据 交通 旅游 文旅 实业 商贸 "
    "贸易 工程 服务 管理 运营 上市 头部 骨干 链主 大型 中小 外资 合资 跨国 本地 省属 市属 央属 地方 "
    "国际 集团 公司 子 分 母 总 该 本 各 深化 人均 推动 支持 加快 建设 组建 新 大 小 城市 试点 合作 开发 "
    "房地产 金融 商业 农村 乡村 社区 专业 综合 医疗 教育 文化 体育".split()
)
DETERMINERS = ("全", "各", "每", "该", "本", "此", "这", "那", "其", "某")
NAME_MASKS = re.compile(r"[某*×xX]")
# Characters that end a Chinese given name: function words, list punctuation, verbs of office.
NAME_BREAKERS = frozenset("的了和与及或等是在为任被把对向从到将就也都还又所并且、，。；：！？“”（）()《》 \n\t家说")
PLACE_SUFFIXES = (
    "烈士陵园 陵园 故居 森林公园 湿地公园 国家公园 地质公园 公园 风景名胜区 风景区 景区 国际机场 机场 "
    "火车站 高铁站 铁路 城际铁路 城际 高铁 高速公路 大桥 水库 灌区 林场 煤矿 矿区 广场 古镇 街道 社区 "
    "新区 片区 园区 工业园区 产业园 科技园 高教园 大学城 经开区 高新区 开发区 自贸区 综保区 科学城 "
    "汽车城 皮革城 示范区 试验区 实验区 经济带 经济圈 城市群 流域 遗址 石窟 寺 口岸 古道 城楼 镇 乡 村"
).split()
# Suffixes that may follow a place directly to make a longer place (黄河流域, 兰州新区).
PLACE_EXTENSIONS = frozenset(
    "流域 地区 新区 经济带 经济圈 城市群 高新区 国家高新区 经开区 开发区 工业园区 产业园 科技园 高教园 "
    "示范区 试验区 片区 自贸区 综保区 国际机场 机场 站 西站 东站 南站 北站 中轴线 铁路枢纽 铁路 大学城 "
    "科学城 汽车城 皮革城 市场 公园 森林公园 湿地公园 地质公园 国家公园 老城 古城 新城".split()
)
# Names that a place suffix needs before it; descriptions are not names (平原新城, 行政村, 小微公园).
PLACE_NAME_STOPS = frozenset(
    "城区 老旧 城乡 农村 城市 乡村 和谐 平安 文明 绿色 智慧 美丽 特色 现代 重点 示范 国家级 省级 "
    "新型 完整 居民 军民 辖区 周边 所在 基层 社区 街道 试点 先进 模范 特殊 全国 全省 全市 全区 全县 "
    "中心 主城 产业 工业 物流 科技 创新 经济 高新 开发 自贸 综保 保税 边境 城中 行政 通航 国家 文化 "
    "地质 森林 湿地 小微 口袋 新一轮 平原 生态 农业 数字 现代化 一流 大型 高速 城际 市郊 国际 世界".split()
)
MOVE_VERBS = "驻在进赴入出兴援来离返抵留回"
STATIONED_NOUNS = ("部队", "武警", "官兵", "军队", "单位", "机构", "企业", "办事处", "联络处", "联络")
# One-character abbreviations that are ordinary morphemes too; a place only as a word of their own.
WEAK_ABBREVIATIONS = frozenset("新云黑苏甘吉贵青宁蒙秦港澳台")
# Characters after 驻 that are not places (驻军部队, 驻地单位).
NOT_STATIONED = frozenset("军地外村区市省县镇点队港华")
# Short forms that are also everyday words; a place only where jieba tags that very word ns.
AMBIGUOUS_SHORT_FORMS = frozenset(
    "长治 安康 大同 白银 合作 东方 来宾 中山 普洱 四平 三明 通化 黄山 吉安 金华 永康 安宁 长乐 "
    "和平 新华 长安 复兴 城关 江南 江北 阿里 海东 海西 白山 白城 三沙 龙井 瑞金 福安 集安 和龙 "
    "北海 文山 红河 大理 江城 永定 安定 太平 平安 永和 新市 城中 中原 新兴 开发 高新 新城 红旗 "
    "向阳 解放 铁西 铁东 沙河 金川 平山 无极 大方 民乐 新建 三山 东湖 南湖 玉门".split()
)
PERSON_FLAGS = ("nr", "nrfg", "nrt")
# Words for the members of a body that jieba fuses with its name (武警官兵).
MEMBER_WORDS = ("官兵", "指战员", "战士", "部队", "代表", "委员")
# Roles jieba fuses with the party committee before them (县委书记, 市委常委).
ROLE_WORDS = frozenset("书记 副书记 常委 委员 秘书长".split())
# A level before a people's congress or a party committee, where a role word may follow (市人大代表, 县委书记).
BODY_BEFORE_ROLE = re.compile("[省市区县](人大|政协|委)")
# Numbered bodies (第十四届 人大, 第三 中学): the number belongs to the name.
NUMBERED_SESSION = re.compile("第?[一二三四五六七八九十]+届")
ORDINAL = re.compile("第[一二三四五六七八九十]+")
# Abstract-noun endings that jieba sometimes tags nr (安全感, 幸福感).
NOT_NAME_ENDINGS = frozenset("感性化率度")
# Openings that make a place suffix a description (新型农村, 小城镇, 深化开发区).
DESCRIPTIVE_PREFIXES = ("新型", "新开工", "新建", "小", "居家", "深化", "沿边", "县", "镇", "乡", "村", "城市", "农村",
                        "城乡", "推动", "推进", "加快", "建设", "打造", "大力", "开源", "专业", "典型", "露天", "智能",
                        "互嵌", "科创", "幸福", "枢纽", "城带", "共同", "一", "二", "两", "三", "四", "五", "六", "七", "八",
                        "九", "十", "百", "千", "万")
# Function words that jieba sometimes glues to the name after them (和兰海).
FUNCTION_CHARS = frozenset("和与及或在对为把被向从到将")
# First characters that make a short word a direction or a quantity, not a name (陆海, 深海, 两山).
NOT_NAME_INITIALS = frozenset("陆深涉沿近远大小内外上下东西南北中前后两三四五六七八九十一百千万") | FUNCTION_CHARS
# Gazetteer words that in these reports are ordinary words far more often than places.
NEVER_PLACES = frozenset("新建 新城 大城 安宁 城中 平房 丝绸之路".split())
# Route names built from the first characters of the places they join (平庆铁路, 京雄城际).
ROUTE_SUFFIXES = ("铁路", "高铁", "城际铁路", "城际", "高速", "快线")
ROUTE_SUFFIX = re.compile("|".join(ROUTE_SUFFIXES))
# Three-character words ending like a river or lake that name none (山水林田湖草沙, 母亲河).
NOT_GEOGRAPHIC_WORDS = frozenset("林田湖 母亲河 护城河 入海口".split())
# A jieba place word ending in one of these is a river, lake, mountain or pass (永定河, 南口).
GEOGRAPHIC_ENDINGS = "河江湖海山岭湾岛峡沟口泉川滩"
GEOGRAPHIC_ENDING = re.compile(f"[{GEOGRAPHIC_ENDINGS}]")


@dataclass(frozen=True, eq=False)
class Lexicons:
    """Every word list the rules use, loaded once from corpora/lexicons."""

    places: frozenset[str]
    ns_only_places: frozenset[str]
    county_short_forms: frozenset[str]
    route_initials: frozenset[str]
    place_levels: dict[str, int]
    province_abbreviations: frozenset[str]
    orgs: frozenset[str]
    org_heads: tuple[str, ...]
    surnames: frozenset[str]
    persons: frozenset[str]
    titles_before: frozenset[str]
    titles_after: frozenset[str]
    name_stoplist: frozenset[str]

    @property
    def place_words(self) -> frozenset[str]:
        return self.places | self.ns_only_places | self.county_short_forms

    @cached_property
    def standalone_places(self) -> frozenset[str]:
        """Places a gazetteer hit names when word-aligned; county short forms need more evidence."""
        return self.places | self.ns_only_places

    @cached_property
    def listed_places(self) -> frozenset[str]:
        """Places whose neighbour in a 、-list makes a county short form a place."""
        return self.places | self.county_short_forms


def _lines(name: str, directory: Path) -> list[str]:
    text = (directory / name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3}


@lru_cache(maxsize=4)
def load_lexicons(directory: Path = LEXICON_DIR) -> Lexicons:
    """Read the entity_* lexicon files (cached: they do not change while a process runs)."""
    places = {line.strip() for line in _lines("entity_places.txt", directory)}
    levels: dict[str, int] = {}
    county_short: set[str] = set()
    for line in _lines("entity_admin_divisions.tsv", directory):
        name, level, short, common = (line.split("\t") + ["", ""])[:4]
        places.add(name)
        levels.setdefault(name, LEVEL_RANK[level])
        if len(short) < 2 or (level == "county" and common):
            continue
        levels.setdefault(short, LEVEL_RANK[level])
        (county_short if level == "county" else places).add(short)
    abbreviations = set(_lines("entity_province_abbreviations.txt", directory))
    titles = [line.split("\t") for line in _lines("entity_person_titles.txt", directory)]
    return Lexicons(
        places=frozenset(places - AMBIGUOUS_SHORT_FORMS - NEVER_PLACES),
        ns_only_places=AMBIGUOUS_SHORT_FORMS - NEVER_PLACES,
        county_short_forms=frozenset(county_short - places - AMBIGUOUS_SHORT_FORMS - NEVER_PLACES),
        route_initials=frozenset(abbreviations | {name[0] for name, rank in levels.items() if rank <= 2}),
        place_levels=levels,
        province_abbreviations=frozenset(abbreviations),
        orgs=frozenset(_lines("entity_orgs.txt", directory)),
        org_heads=tuple(sorted(_lines("entity_org_suffixes.txt", directory), key=len, reverse=True)),
        surnames=frozenset(_lines("entity_surnames.txt", directory)),
        persons=frozenset(_lines("entity_persons.txt", directory)),
        titles_before=frozenset(w for w, side in titles if side in ("before", "both")),
        titles_after=frozenset(w for w, side in titles if side in ("after", "both")),
        name_stoplist=frozenset(_lines("entity_name_stoplist.txt", directory)),
    )


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation built as a character trie, so matching cost does not grow with the list."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return render(trie)


def guarded_trie_pattern(words: Collection[str]) -> str:
    """trie_pattern for words of two or more characters, led by two cheap tests: a class of their first
    characters, then a lookahead for a class of their second. Title words start with common characters
    (主, 副, 市) that are seldom followed by a possible second one, and the engine then stops after the
    two tests instead of entering the trie; each branch asserts its first character by lookbehind."""
    by_first: dict[str, set[str]] = {}
    for word in words:
        if len(word) < 2:
            return trie_pattern(words)
        by_first.setdefault(word[0], set()).add(word[1:])
    firsts = "".join(sorted(by_first))
    seconds = "".join(sorted({rest[0] for rests in by_first.values() for rest in rests}))
    branches = "|".join(f"(?<={re.escape(first)}){trie_pattern(rests)}" for first, rests in sorted(by_first.items()))
    return f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])(?:{branches})"


@dataclass(frozen=True, eq=False)
class Patterns:
    """Compiled regexes over the lexicons."""

    place_words: frozenset[str]
    place_start: re.Pattern  # where a place name may start; place_lengths decides
    place_lengths: dict[str, tuple[int, ...]]  # lengths of the place names by their first two characters, longest first
    # (length, is a county short form) of the place names each place name starts with, itself included,
    # longest first: the only prefixes the gazetteer rule has to try
    place_prefixes: dict[str, tuple[tuple[int, bool], ...]]
    heads_by_ending: dict[str, tuple[str, ...]]  # organisation heads by their last character
    head_end: re.Pattern  # the last character of a head, where the text could end one
    org_name: re.Pattern
    person_name: re.Pattern
    title_before: re.Pattern
    title_after: re.Pattern
    place_suffix: re.Pattern
    place_extension: re.Pattern


def _place_start_pattern(words: Iterable[str]) -> re.Pattern:
    """A character that may start a place name before one that may come second: a coarse filter run in
    C (one alternative per first character would make the regex engine try them all in turn)."""
    names = [word for word in words if len(word) >= 2]
    firsts, seconds = ("".join(sorted({name[i] for name in names})) for i in (0, 1))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


def _lengths_by_prefix(words: Iterable[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for word in words:
        if len(word) >= 2:
            lengths.setdefault(word[:2], set()).add(len(word))
    return {prefix: tuple(sorted(group, reverse=True)) for prefix, group in lengths.items()}


def _place_prefixes(lexicons: Lexicons) -> dict[str, tuple[tuple[int, bool], ...]]:
    """Built once per lexicon set, so a gazetteer hit is not sliced into every prefix and looked up twice."""
    county, standalone = lexicons.county_short_forms, lexicons.standalone_places
    return {
        word: tuple((length, word[:length] in county) for length in range(len(word), 0, -1)
                    if word[:length] in county or word[:length] in standalone)
        for word in lexicons.place_words
    }


def _head_end_pattern(heads: tuple[str, ...]) -> re.Pattern:
    """The last character of a head where the text could end one: a one-character head, or a longer head's
    last two characters. Most words ending in a head's last character end in no head (社会, 核心); the
    lookbehinds rule them out inside the regex engine, before any token is looked up."""
    lasts = "".join(sorted({head[-1] for head in heads}))
    endings = sorted({head[-2:] for head in heads})  # a one-character head whole
    one_char = [re.escape(ending) for ending in endings if len(ending) == 1]
    two_char = [re.escape(ending) for ending in endings if len(ending) == 2]
    lookbehinds = [f"(?<={'|'.join(group)})" for group in (one_char, two_char) if group]
    return re.compile(f"[{re.escape(lasts)}](?:{'|'.join(lookbehinds)})")


def _heads_by_ending(heads: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Longest first within each ending, so a word is checked only against heads it could end with."""
    grouped: dict[str, list[str]] = {}
    for head in heads:
        grouped.setdefault(head[-1], []).append(head)
    return {ending: tuple(group) for ending, group in grouped.items()}


@lru_cache(maxsize=4)
def compile_patterns(lexicons: Lexicons) -> Patterns:
    """Build the regexes once per lexicon set."""
    words = lexicons.place_words
    return Patterns(
        place_words=words,
        place_start=_place_start_pattern(words),
        place_lengths=_lengths_by_prefix(words),
        place_prefixes=_place_prefixes(lexicons),
        heads_by_ending=_heads_by_ending(lexicons.org_heads),
        head_end=_head_end_pattern(lexicons.org_heads),
        org_name=re.compile(trie_pattern(lexicons.orgs)),
        person_name=re.compile(trie_pattern(lexicons.persons)),
        title_before=re.compile(f"(?:{guarded_trie_pattern(lexicons.titles_before)})[ \u3000]?"),
        # 主任 or （主任: an opening bracket spelled into the words, so one class of first characters
        # covers both
        title_after=re.compile(guarded_trie_pattern({bracket + title for title in lexicons.titles_after
                                                     for bracket in ("", "(", "（")})),
        place_suffix=re.compile(trie_pattern(PLACE_SUFFIXES)),
        place_extension=re.compile(trie_pattern(PLACE_EXTENSIONS)),
    )


@dataclass(frozen=True)
class TokenIndex:
    """Jieba tokens (sorted, non-empty and not overlapping, as a segmenter writes them) looked up by
    character offset. Only the starts are indexed: a set of the ends cost more to build than the
    bisects that answer `is_end` where it is asked."""

    tokens: Sequence[Token]
    starts: list[int]

    @classmethod
    def build(cls, tokens: Sequence[Token]) -> "TokenIndex":
        return cls(tokens, list(map(itemgetter(0), tokens)))

    def at(self, offset: int) -> Token | None:
        """The token covering `offset`, if any."""
        position = bisect_right(self.starts, offset) - 1  # the last token starting at or before offset
        if position >= 0 and offset < self.tokens[position][1]:
            return self.tokens[position]
        return None

    def starting(self, offset: int) -> Token | None:
        position = bisect_right(self.starts, offset) - 1
        if position >= 0 and self.starts[position] == offset:
            return self.tokens[position]
        return None

    def ending(self, offset: int) -> Token | None:
        position = bisect_left(self.starts, offset) - 1  # the last token starting before offset
        if position >= 0 and self.tokens[position][1] == offset:
            return self.tokens[position]
        return None

    def is_end(self, offset: int) -> bool:
        """Whether a word ends at `offset`."""
        return self.ending(offset) is not None


class Candidate(NamedTuple):
    """A span a rule proposes; `priority` breaks ties between equally long spans of one kind.
    A named tuple: thousands are made per text, and a frozen dataclass takes several times longer."""

    start: int
    end: int
    kind: str
    rule: str
    priority: int = 0


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


_CJK_RUN = re.compile("[\u4e00-\u9fff]+")


def _all_cjk(text: str) -> bool:
    """Non-empty and all CJK; a regex, as a generator over the characters costs more on every call."""
    return _CJK_RUN.fullmatch(text) is not None


# ---------------------------------------------------------------- places

def _word_aligned(text: str, start: int, end: int, index: TokenIndex, lexicons: Lexicons) -> bool:
    """A gazetteer hit counts when it is not read out of the middle of a longer word."""
    first = index.at(start)
    if first is None:
        return False
    name = text[start:end]
    if name in lexicons.ns_only_places:
        return first[0] == start and first[1] == end and first[2].startswith("ns")
    if first[0] != start and not (start - first[0] == 1 and text[first[0]] in MOVE_VERBS + "我全"):
        return False
    if index.is_end(end):
        return True
    last = index.at(end - 1)
    return last is not None and (last[2].startswith("ns") or text[end] in "市省县区州盟旗镇乡村港湾段式籍")


def _place_hits(text: str, patterns: Patterns) -> list[tuple[int, str]]:
    """(start, longest gazetteer name starting there) at every position; set lookups where a name may
    start are much faster than one regex over thousands of names."""
    words, lengths = patterns.place_words, patterns.place_lengths
    hits = []
    for match in patterns.place_start.finditer(text):
        start = match.start()
        for length in lengths.get(text[start:start + 2], ()):
            name = text[start:start + length]
            if name in words:
                hits.append((start, name))
                break
    return hits


def _gazetteer_places(text: str, index: TokenIndex, lexicons: Lexicons, patterns: Patterns,
                      hits: list[tuple[int, str]]) -> list[Candidate]:
    found = []
    for start, name in hits:
        for length, county in patterns.place_prefixes[name]:
            if county:
                if _county_short_form_ok(text, start, start + length, index, lexicons):
                    found.append(Candidate(start, start + length, "place", "place.county", 2))
                    break
            elif _word_aligned(text, start, start + length, index, lexicons):
                found.append(Candidate(start, start + length, "place", "place.gazetteer", 2))
                break
    return found


def _county_short_form_ok(text: str, start: int, end: int, index: TokenIndex, lexicons: Lexicons) -> bool:
    """格尔木, 兰州榆中, 永靖、临洮: a county's short form is a place when it is a three-character word jieba
    tags ns, follows its city, or is listed with other places; two-character ones are often ordinary words."""
    token = index.starting(start)
    if token is None or token[1] != end:
        return False
    if token[2].startswith("ns") and end - start >= 3:
        return True
    parent = index.ending(start)
    if parent and lexicons.place_levels.get(text[parent[0]:parent[1]], 3) <= 2:
        return True  # 兰州榆中: a county after its city
    neighbours = []
    if text[end:end + 1] == "、":
        neighbours.append(index.starting(end + 1))
    if start > 0 and text[start - 1] == "、":
        neighbours.append(index.ending(start - 1))
    return any(n is not None and text[n[0]:n[1]] in lexicons.listed_places for n in neighbours)


def _jieba_geographic_places(text: str, index: TokenIndex) -> list[Candidate]:
    """永定河, 石羊河, 大巴山: a three-character word jieba tags as a name that ends like a river or mountain."""
    found = []
    for match in GEOGRAPHIC_ENDING.finditer(text):
        end = match.end()
        token = index.ending(end)
        if token is None or token[0] != end - 3:
            continue
        start, _, flag = token
        word = text[start:end]
        if word[0] not in GEOGRAPHIC_ENDINGS and _all_cjk(word) and word not in NOT_GEOGRAPHIC_WORDS \
                and word[0] not in FUNCTION_CHARS and flag.startswith(("ns", "nr", "nz")):
            found.append(Candidate(start, end, "place", "place.jieba", 1))
    return found


def _route_places(text: str, index: TokenIndex, lexicons: Lexicons) -> list[Candidate]:
    """平庆铁路, 京雄城际: a railway or road named by the first characters of the places it joins."""
    found = []
    for match in ROUTE_SUFFIX.finditer(text):
        end = match.end()
        if not index.is_end(end):
            continue
        route_start = _line_number_start(text, match.start())
        for length in (2, 3, 4):
            start = route_start - length
            initials = text[start:route_start] if start >= 0 else ""
            if index.starting(start) is None or not all(c in lexicons.route_initials for c in initials) \
                    or initials[0] in NOT_NAME_INITIALS:
                continue
            first, last = bisect_right(index.starts, start) - 1, bisect_right(index.starts, route_start - 1)
            not_names = any(t[2].startswith(("v", "d", "a", "m", "p", "c", "u")) for t in index.tokens[first:last])
            if initials not in PLACE_NAME_STOPS and not not_names:
                found.append(Candidate(start, end, "place", "place.route", 2))
            break
    return found


def _line_number_start(text: str, suffix_start: int) -> int:
    """Start of a line number (十二线) written before a route suffix, else the suffix's own start. Looked
    for backwards from the suffix, so the regex can start with the suffix and skip to its characters."""
    if text[suffix_start - 1:suffix_start] != "线":
        return suffix_start
    start = suffix_start - 1
    while start > 0 and text[start - 1] in "一二三四五六七八九十":
        start -= 1
    return start if start < suffix_start - 1 else suffix_start


def _raw_gazetteer_ends(text: str, index: TokenIndex, lexicons: Lexicons,
                        hits: list[tuple[int, str]]) -> dict[int, int]:
    """End → start of the longest gazetteer place ending there, word boundaries ignored (for org anchors)."""
    ends: dict[int, int] = {}
    for start, name in hits:
        end = start + len(name)
        if name in lexicons.ns_only_places and not _word_aligned(text, start, end, index, lexicons):
            continue
        if end not in ends or ends[end] > start:
            ends[end] = start
    return ends


def _abbreviation_places(text: str, index: TokenIndex, lexicons: Lexicons) -> list[Candidate]:
    """驻邗部队 → 邗, 在京 → 京, 入川 → 川: a one-character place after a verb of movement."""
    found = []
    for match in re.finditer(f"[{MOVE_VERBS}]([\u4e00-\u9fff])", text):
        start = match.start(1)
        char = match.group(1)
        if text[match.start()] == "驻" and char not in NOT_STATIONED and text.startswith(STATIONED_NOUNS, start + 1):
            found.append(Candidate(start, start + 1, "place", "place.abbreviation", 1))
            continue
        if char not in lexicons.province_abbreviations:  # most matches: looked at before any token lookup
            continue
        verb_token = index.at(start - 1)
        if verb_token is None:
            continue
        token = index.at(start)
        alone = token is not None and token[0] == start and token[1] == start + 1 and verb_token[0] == start - 1
        fused = token is not None and token[0] == start - 1 and token[1] == start + 1
        if (alone and char not in "台新") or (fused and char not in WEAK_ABBREVIATIONS):
            found.append(Candidate(start, start + 1, "place", "place.abbreviation", 1))
    return found


def _region_compounds(text: str, index: TokenIndex, lexicons: Lexicons) -> list[Candidate]:
    """京津冀, 川渝, 苏皖鲁豫: runs of province abbreviations that jieba keeps as one word."""
    abbreviations = "".join(sorted(lexicons.province_abbreviations))
    found = []
    # [A][A]{1,4}, not [A]{2,5}: a pattern opening with a repeat gives the engine no first character to
    # skip to, so it would be tried at every position
    for match in re.finditer(f"[{abbreviations}][{abbreviations}]{{1,4}}", text):
        start, end = match.span()
        token = index.starting(start)
        weak = any(char in WEAK_ABBREVIATIONS for char in match.group())
        if len(set(match.group())) == end - start and token and token[1] == end and (
                token[2] == "ns" or token[2] == "j" and not weak):
            found.append(Candidate(start, end, "place", "place.region", 2))
    return found


def _proper_name_start(text: str, end: int, index: TokenIndex, lexicons: Lexicons, loose: bool = False) -> int | None:
    """Start of the proper name written just before `end` (汊河 before 街道), or None."""
    token = index.ending(end)
    if token is None:
        return None
    start, flag = token[0], token[2]
    name = text[start:end]
    proper = flag.startswith(("ns", "nr", "nz", "nt")) or flag in ("j", "x") or name in lexicons.places
    previous = index.ending(start)
    if not proper and flag == "n" and (loose or len(name) == 2 and previous and previous[2].startswith("nr")):
        proper = True
    if not proper or not _all_cjk(name) or len(name) > 6 or name in PLACE_NAME_STOPS:
        return None
    if name.startswith(DETERMINERS) or name in lexicons.name_stoplist:
        return None
    return start


def _suffix_places(text: str, index: TokenIndex, lexicons: Lexicons, patterns: Patterns) -> list[Candidate]:
    """汊河街道, 湖塘镇, 润扬森林公园: a proper name followed by a place suffix."""
    found = []
    for match in patterns.place_suffix.finditer(text):
        start, end = match.span()
        if not index.is_end(end):
            continue
        token = index.at(start)
        if token is not None and token[0] < start:
            # jieba wrote the name and the suffix as one word (湖塘镇)
            name = text[token[0]:start]
            proper = token[2].startswith(("ns", "nr", "nz")) or token[2] in ("j", "x")
            if not proper or len(name) < 2 or name in PLACE_NAME_STOPS or not _all_cjk(name):
                continue
            name_start = token[0]
        else:
            name_start = _proper_name_start(text, start, index, lexicons, loose=match.group() in ("街道", "镇", "乡", "社区"))
            if name_start is None:
                continue
        if text.startswith(DESCRIPTIVE_PREFIXES, name_start) or _truncated(text, name_start, index):
            continue
        found.append(Candidate(name_start, end, "place", "place.suffix", 3))
    return found


def _truncated(text: str, start: int, index: TokenIndex) -> bool:
    """True when jieba cut a name in two, so the name found starts mid-name (港珠|澳大桥)."""
    previous = index.ending(start)
    return bool(previous and previous[1] - previous[0] == 1 and _is_cjk(text[previous[0]])
                and not previous[2].startswith(("p", "v", "c", "u", "f", "d", "m", "q", "r", "x")))


def _extend_places(text: str, places: list[Candidate], index: TokenIndex, patterns: Patterns) -> list[Candidate]:
    """A place followed by a zone or site word is one longer place (黄河流域, 嘉峪关国家高新区)."""
    extended = []
    for place in places:
        match = patterns.place_extension.match(text, place.end)
        if match and index.is_end(match.end()):
            extended.append(Candidate(place.start, match.end(), "place", "place.extension", 3))
    return extended


def _merge_hierarchies(places: list[Candidate], lexicons: Lexicons, text: str) -> list[Candidate]:
    """常德汉寿县新兴乡, 盐城射阳: a division followed by one of its parts is one place."""
    by_start = {}
    for place in places:
        if place.end - place.start > by_start.get(place.start, (0, None))[0]:
            by_start[place.start] = (place.end - place.start, place)
    merged = []
    for place in places:
        outer_rank = lexicons.place_levels.get(text[place.start:place.end])
        if outer_rank is None:
            continue
        following = by_start.get(place.end)
        if following is None:
            continue
        inner = following[1]
        inner_rank = lexicons.place_levels.get(text[inner.start:inner.end], 4)
        if inner_rank > outer_rank:
            merged.append(Candidate(place.start, inner.end, "place", "place.hierarchy", 3))
    return merged


# ---------------------------------------------------------------- organisations

def _level_anchor(text: str, body_start: int, end: int, index: TokenIndex) -> int | None:
    """Start of a level word (省, 区, 街道…) that names the body after it (区 + 民政局, 省委 as one word)."""
    if text[body_start - 1:body_start] not in LEVEL_ENDINGS:
        return None
    for level in LEVELS:
        start = body_start - len(level)
        if start < 0 or not text.startswith(level, start):
            continue
        token = index.at(start)
        if token is None or token[1] > end:
            continue
        if token[0] < start and not (token[0] == start - 1 and text[token[0]] == "我"):
            continue
        if token[1] > body_start and token[0] != start and text[token[0]] != "我":
            continue
        if start > 0 and text[start - 1] in "各全每该本":
            return None
        return start
    return None


def _org_head(token_text: str, flag: str, heads_by_ending: dict[str, tuple[str, ...]]) -> str | None:
    """The organisation head a word ends with (司法局 → 局, 省委 → 委), unless the word is an everyday one."""
    if token_text in NOT_BODIES and token_text not in GOVERNMENT_HEADS:
        return None
    for head in heads_by_ending.get(token_text[-1], ()):
        if token_text.endswith(head):
            break
    else:
        return None
    if len(head) == 1 and len(token_text) == 2 and token_text[0] not in "省市区县镇乡委团党纪监":
        return None
    if flag in ("v", "vn", "d", "a", "ad") and len(token_text) > len(head):
        return None
    return head


def _organisations(text: str, index: TokenIndex, lexicons: Lexicons, patterns: Patterns,
                   place_ends: dict[int, int]) -> list[Candidate]:
    found: list[Candidate] = []
    for match in patterns.org_name.finditer(text):
        start, end = match.span()
        token = index.at(start)
        if token and token[0] == start and (index.is_end(end) or text.startswith(MEMBER_WORDS, end)):
            found.append(Candidate(start, end, "org", "org.gazetteer", 4))
    known_ends = {c.end: c.start for c in found}
    # only words ending where the text could end a head; finding those places first skips most words
    for match in patterns.head_end.finditer(text):
        token_end = match.end()
        token = index.ending(token_end)
        if token is None:
            continue
        token_start, _, flag = token
        head = _org_head(text[token_start:token_end], flag, patterns.heads_by_ending)
        if head is None:
            continue
        candidate = _org_span(text, token_end - len(head), token_end, head, index, lexicons, place_ends, known_ends)
        if candidate:
            found.append(candidate)
    found += _bodies_before_roles(text, index)
    found = _chain_orgs(text, found)
    found = [_with_party_prefix(text, c) for c in found if not _is_report_title(text, c)]
    return found + _list_members(text, found, index, patterns)


def _org_span(text: str, head_start: int, end: int, head: str, index: TokenIndex, lexicons: Lexicons,
              place_ends: dict[int, int], known_ends: dict[int, int]) -> Candidate | None:
    """Walk left from a head over body words to the place, level or named body that names it."""
    body_start = head_start
    while head_start - body_start <= 14:
        if body_start in place_ends:
            start = place_ends[body_start]
            while start in place_ends:  # 中国长城博物馆, 常州钟楼区妇联: places written one after another
                start = place_ends[start]
            return Candidate(start, end, "org", "org.suffix", 5)
        if body_start in known_ends:
            return Candidate(known_ends[body_start], end, "org", "org.suffix", 5)
        level = _level_anchor(text, body_start, end, index)
        if level is not None:
            shared = re.search(r"(?:省|市|区|县|镇|街道)、$", text[max(0, level - 3):level])
            start = level - len(shared.group()) if shared else level
            while start in place_ends:  # 金坛 + 市妇联, 新成路街道 + 党工委
                start = place_ends[start]
            return Candidate(start, end, "org", "org.suffix", 5)
        token = index.at(body_start - 1)  # a whole word, or the part of 司法局 before its head
        if token is None:
            break
        word = text[token[0]:body_start]
        numbered = NUMBERED_SESSION.fullmatch(word) or ORDINAL.fullmatch(word)
        describes = word in DESCRIPTIVE_BODY_WORDS or word.startswith(DETERMINERS)
        if not numbered and (not _all_cjk(word) or not token[2].startswith(("n", "j", "vn", "a", "b")) or describes):
            break
        if word in NOT_BODIES or word.endswith(INSTITUTION_HEADS) or len(word) == 1 and not numbered:
            break
        body_start = token[0]
    if head in GOVERNMENT_HEADS:
        return None
    name = index.at(head_start - 1)
    if name is None or not _all_cjk(text[name[0]:head_start]):
        return None
    word = text[name[0]:head_start]
    company = head in ("集团", "公司", "银行")
    proper = name[2].startswith(("nr", "nz", "nt", "ns")) or (company and name[2] in ("n", "j"))
    if proper and len(word) >= 2 and word not in GENERIC_COMPANY_NAMES and word not in lexicons.name_stoplist:
        return Candidate(name[0], end, "org", "org.named", 3)
    return None


def _bodies_before_roles(text: str, index: TokenIndex) -> list[Candidate]:
    """市人大代表, 省政协委员: jieba fuses the body with the role; the level and body are the organisation."""
    found = []
    for match in BODY_BEFORE_ROLE.finditer(text):
        start = match.start()
        if match.group(1) == "委":
            token = index.starting(start)
            if token and text[start + 2:token[1]] in ROLE_WORDS:
                found.append(Candidate(start, start + 2, "org", "org.role", 4))
            continue
        token = index.starting(start + 1)
        previous = index.ending(start + 1)
        if token and token[1] > start + 3 and previous and previous[0] == start:
            found.append(Candidate(start, start + 3, "org", "org.role", 4))
    return found


def _chain_orgs(text: str, orgs: list[Candidate]) -> list[Candidate]:
    """上海中医药大学附属龙华医院甘肃医院: a branch written right after its parent is one name."""
    by_start = {c.start: c for c in orgs}
    chained = []
    for org in orgs:
        gap = 2 if text.startswith("附属", org.end) else 0
        branch = by_start.get(org.end + gap)
        if branch and text[branch.end - 2:branch.end] in ("医院", "校区", "院区", "分院", "分校"):
            chained.append(Candidate(org.start, branch.end, "org", "org.branch", 6))
    return orgs + chained


def _with_party_prefix(text: str, org: Candidate) -> Candidate:
    """中共 + 甘肃省委 is one name."""
    if org.start >= 2 and text[org.start - 2:org.start] == "中共":
        return Candidate(org.start - 2, org.end, org.kind, org.rule, org.priority)
    return org


def _report_title_places(text: str, place_ends: dict[int, int]) -> list[Candidate]:
    """湖北省政府工作报告: the province or city before the genre name is a place."""
    found = []
    for match in re.finditer("人民政府工作报告|政府工作报告", text):  # a literal first: the engine skips to 人/政
        start = place_ends.get(match.start())
        if start is not None:
            found.append(Candidate(start, match.start(), "place", "place.title", 4))
    return found


def _is_report_title(text: str, org: Candidate) -> bool:
    """甘肃省政府工作报告: 政府工作报告 is the genre, the place before it is a place."""
    return text.endswith("政府", org.start, org.end) and text.startswith("工作报告", org.end)


def _list_members(text: str, orgs: list[Candidate], index: TokenIndex, patterns: Patterns) -> list[Candidate]:
    """张家港市妇联、民政局、人武部: bodies listed after one with a place share its place."""
    found = []
    for org in orgs:
        if org.rule != "org.suffix":
            continue
        position = org.end
        while position < len(text) and text[position] in "、和及与":
            token = index.starting(position + 1)
            if token is None:
                break
            word = text[token[0]:token[1]]
            head = _org_head(word, token[2], patterns.heads_by_ending)
            if head is None or head not in GOVERNMENT_HEADS or word in NOT_BODIES and word != "政府":
                break
            found.append(Candidate(token[0], token[1], "org", "org.list", 4))
            position = token[1]
    return found


# ---------------------------------------------------------------- persons

def _name_end(text: str, start: int, index: TokenIndex, lexicons: Lexicons) -> int | None:
    """End of a person's name starting at `start`, when jieba's tags support one."""
    token = index.starting(start)
    if token is None:
        return None
    if token[2] in PERSON_FLAGS and 2 <= token[1] - start <= 4:
        return token[1]
    if token[1] - start != 1 or token[2] not in PERSON_FLAGS or text[start] not in lexicons.surnames:
        return None
    given = index.starting(start + 1)
    if given is None or not 1 <= given[1] - given[0] <= 2 or not _all_cjk(text[given[0]:given[1]]):
        return None
    if any(char in NAME_BREAKERS for char in text[given[0]:given[1]]):
        return None
    return given[1]


def _valid_name(name: str, lexicons: Lexicons) -> bool:
    surname_ok = name[:1] in lexicons.surnames or name[:2] in lexicons.surnames
    return (surname_ok and 2 <= len(name) <= 4 and not NAME_MASKS.search(name) and _all_cjk(name)
            and name[-1] not in NOT_NAME_ENDINGS
            and name not in lexicons.name_stoplist and name not in lexicons.places)


def _persons(text: str, index: TokenIndex, lexicons: Lexicons, patterns: Patterns) -> list[Candidate]:
    found = [Candidate(m.start(), m.end(), "person", "person.gazetteer", 6)
             for m in patterns.person_name.finditer(text)]
    for match in patterns.title_before.finditer(text):
        start = match.end()
        end = _name_end(text, start, index, lexicons)
        if end and _valid_name(text[start:end], lexicons):
            found.append(Candidate(start, end, "person", "person.title", 5))
    for match in patterns.title_after.finditer(text):
        token = index.ending(match.start())
        if token and token[2] in PERSON_FLAGS and _valid_name(text[token[0]:token[1]], lexicons):
            found.append(Candidate(token[0], token[1], "person", "person.title", 5))
    found += _person_list_members(text, found, index, lexicons)
    return found + _repeated_names(text, found)


def _person_list_members(text: str, persons: list[Candidate], index: TokenIndex, lexicons: Lexicons) -> list[Candidate]:
    """李长发、宋云华、林建云: names listed beside a recognised name, in either direction."""
    found = []
    for person in persons:
        if person.rule != "person.title":
            continue
        position = person.end
        while position < len(text) and text[position] == "、":
            end = _name_end(text, position + 1, index, lexicons)
            if end is None or not _valid_name(text[position + 1:end], lexicons):
                break
            found.append(Candidate(position + 1, end, "person", "person.list", 4))
            position = end
        position = person.start
        while position > 1 and text[position - 1] in "、和":
            token = index.ending(position - 1)
            if token is None or token[2] not in PERSON_FLAGS or not _valid_name(text[token[0]:token[1]], lexicons):
                break
            found.append(Candidate(token[0], token[1], "person", "person.list", 4))
            position = token[0]
    return found


def _repeated_names(text: str, persons: list[Candidate]) -> list[Candidate]:
    """A name recognised once in a text is a name wherever else it is written there."""
    names = {text[c.start:c.end] for c in persons if c.rule != "person.gazetteer" and c.end - c.start >= 3}
    if not names:
        return []
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    return [Candidate(m.start(), m.end(), "person", "person.repeat", 3) for m in pattern.finditer(text)]


# ---------------------------------------------------------------- assembly

class _DisjointSpans:
    """Non-overlapping, non-empty candidates kept sorted by start (and so by end), so overlap and
    containment are one bisect each."""

    def __init__(self, spans: Iterable[Candidate] = ()):
        self.spans = sorted(spans, key=lambda c: c.start)
        self.starts = [c.start for c in self.spans]

    def overlaps(self, candidate: Candidate) -> bool:
        position = bisect_left(self.starts, candidate.end) - 1  # the last span starting before its end
        return position >= 0 and self.spans[position].end > candidate.start

    def add(self, candidate: Candidate) -> None:
        position = bisect_left(self.starts, candidate.start)
        self.starts.insert(position, candidate.start)
        self.spans.insert(position, candidate)

    def container(self, candidate: Candidate) -> Candidate | None:
        """The span holding `candidate` whole, if any."""
        position = bisect_right(self.starts, candidate.start) - 1
        if position >= 0 and self.spans[position].end >= candidate.end:
            return self.spans[position]
        return None


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidate of each kind; drop places inside an organisation or a person's name."""
    chosen: dict[str, list[Candidate]] = {"org": [], "person": [], "place": []}
    kept = {kind: _DisjointSpans() for kind in chosen}
    for candidate in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if not kept[candidate.kind].overlaps(candidate):
            kept[candidate.kind].add(candidate)
            chosen[candidate.kind].append(candidate)

    places = [c for c in chosen["place"] if not kept["org"].container(c) and not kept["person"].container(c)]
    gazetteer_places = _DisjointSpans(p for p in chosen["place"] if p.rule == "place.gazetteer")

    def in_longer_place(person: Candidate) -> bool:
        place = gazetteer_places.container(person)
        return place is not None and place.end - place.start > person.end - person.start

    persons = [c for c in chosen["person"] if not in_longer_place(c)]
    return sorted(places + persons + chosen["org"], key=lambda c: (c.start, c.kind))


def extract_entities(text: str, tokens: Sequence[Token]) -> Extraction:
    """Organisations, people and places in `text`; `tokens` are jieba POS spans (start, end, flag) over it."""
    lexicons = load_lexicons()
    patterns = compile_patterns(lexicons)
    index = TokenIndex.build(tokens)
    hits = _place_hits(text, patterns)
    places = _gazetteer_places(text, index, lexicons, patterns, hits)
    places += _abbreviation_places(text, index, lexicons)
    places += _region_compounds(text, index, lexicons)
    places += _suffix_places(text, index, lexicons, patterns)
    places += _extend_places(text, places, index, patterns)
    places += _jieba_geographic_places(text, index)
    places += _route_places(text, index, lexicons)
    places += _merge_hierarchies(places, lexicons, text)
    places += _merge_hierarchies(places, lexicons, text)
    place_ends = _raw_gazetteer_ends(text, index, lexicons, hits)
    for place in places:
        if place.rule == "place.suffix":
            place_ends.setdefault(place.end, place.start)
    orgs = _organisations(text, index, lexicons, patterns, place_ends)
    places += _report_title_places(text, place_ends)
    persons = _persons(text, index, lexicons, patterns)
    mentions = [
        Mention(kind=c.kind, start=c.start, end=c.end, label=text[c.start:c.end], rule=c.rule)
        for c in _resolve(places + orgs + persons)
    ]
    return Extraction(mentions=mentions)


def jieba_pos_baseline(text: str, tokens: Sequence[Token]) -> Extraction:
    """The comparison point: every jieba nr* token (nr, nrfg, nrt) is a person, ns a place, nt an organisation."""
    kinds = {"nr": "person", "ns": "place", "nt": "org"}
    mentions = [
        Mention(kind=kinds[flag[:2]], start=start, end=end, label=text[start:end], rule="jieba." + flag)
        for start, end, flag in tokens if flag[:2] in kinds
    ]
    return Extraction(mentions=mentions)
