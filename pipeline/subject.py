"""The subject of a quantity: the noun phrase, as written, that says what is counted or paid.

Trained logistic regressions over string features find it, kept as feature → weight tables:

- two *phrase-boundary* classifiers say whether two neighbouring tokens belong to one subject
  phrase (人均|可支配收入: yes; 新建|高标准农田: no), one as a phrase grows leftwards and one as
  it grows rightwards. A subject grows leftwards from its last token while the first says yes,
  so long modifiers are kept and clause verbs left out; word statistics from unlabelled reports
  (`clause_opening_rates`) and classes of words that share neighbours there (全市, 全省, 全区) help
  them judge words the annotations never showed, and tell the ranker which words classifiers count
  (`counted_rates`: 36个市县|债务 counts 市县).
- a pairwise *head ranker* chooses the token that ends the subject among the tokens of the
  clause before the quantity (地区生产总值|增长|5.4%) and just after it (82个|企业), or one of
  two candidates without a span: "inherit", the subject of the previous quantity of the sentence
  when a list continues it (总值5.2万亿元、增长5.4%), and "none", for quantities that count
  nothing named (过去一年).
- a pairwise *start ranker* then chooses where a subject before its quantity starts, among the
  starts its last token allows: the boundaries alone keep a clause verb or an acting body in
  front (区民政局投入|资金15.6万元) or drop a verb that names the measure (新设|外资企业数量增长),
  and it may take in the 、-list the subject ends when the list's items hold no quantity of their
  own (办结率、满意率均为100%).

A rule then pairs the quantities of a 分别-list with the items of the list they follow
(黄金、白银产量分别增长5%、3% → 黄金产量, 白银产量; 起数和死亡人数分别下降…), or with the urban and
the rural reading of a 城乡 phrase (城乡低保标准分别提高… → 城市低保标准, 农村低保标准), so a subject
is one or more pieces of the text and a word the rule puts in place of one.
`nearest_noun_subject` is the rule baseline and the fallback without a model.
"""
from __future__ import annotations

import bisect
import gzip
import logging
import math
import pickle
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import gt, itemgetter, or_
from pathlib import Path
from typing import NamedTuple

Token = tuple[int, int, str]
Span = tuple[int, int]
# The pieces that, joined, name the subject: spans of the text, and words a rule puts in place
# of one (城乡 → 城镇, 农村 in a 分别-list).
Subject = tuple[Span | str, ...]

log = logging.getLogger(__name__)

# Characters that close a clause; a subject never crosses them. 、 separates list items.
CLAUSE_BREAKS = frozenset("，,。；;：:！!？?\n、（）()《》")
NOUN_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "nl", "ng", "vn", "an", "j", "l", "eng", "nrt", "nrfg"})
VERB_TAGS = frozenset({"v", "vd", "vi", "vq"})
# Aspect particles (了, 着, 过) close a verb: a subject after a quantity stops before one and
# never ends on the verb it closes.
ASPECT_TAGS = frozenset({"ul", "uz", "ug"})
# Words that never end a subject: linking verbs, comparison and change words, particles.
EDGE_STOPWORDS = frozenset(
    "的 地 得 和 与 及 以及 或 并 且 了 着 过 在 为 对 从 由 把 将 向 给 于 以 被 让 使 比 较 共 等 其中 其 "
    "达 达到 为 是 有 共有 增长 下降 上涨 上升 降低 提高 提升 增加 减少 增至 降至 超过 超 突破 累计 分别 约 近 占 "
    "同比 年均 实现 完成 新增 全年 保持 稳定 稳定在 控制在 高于 低于 居 位居 们".split()
)
# Words a subject never starts with, whatever the boundary classifier says.
LEADING_FILLERS = frozenset("的 地 得 和 及 以及 或 并 且 等 了 着 过 其中".split())
# Tags of words a subject does not end on: particles, prepositions, conjunctions, adverbs, pronouns,
# numerals and classifiers.
NON_HEAD_TAGS = frozenset({"u", "p", "c", "d", "uj", "ul", "r", "m", "q"})
# One-character verbs and qualifiers that link a measure to its value (比例达56, 占比近八成).
LINKING_CHARS = frozenset("达近超约逾为至")
MAX_LEFT_TOKENS = 16
MAX_RIGHT_TOKENS = 10
MAX_SUBJECT_CHARS = 24
MAX_REMEMBERED = 200_000  # entries of each score cache; emptied when full
# A boundary joins two tokens into one phrase at this probability or above.
JOIN_THRESHOLD = 0.5
# Plain weight tables, pickled and gzipped: loading them needs neither joblib nor numpy, which
# added a tenth of a second to the start-up of `zongjie extract`.
MODEL_FILE = "ranker.pkl.gz"


def _split_tokens(text: str, tokens: list[Token], spans: list[Span]) -> list[Token]:
    """Cut tokens at every quantity boundary so no token straddles a quantity edge, cut a
    linking verb fused onto the word before a quantity (占比达36% is tagged 占|比达) and
    rejoin 占|比 into the noun 占比. Only the few tokens concerned are rebuilt."""
    starts = [t[0] for t in tokens]
    cuts: dict[int, list[int]] = {}
    for position in sorted({p for span in spans for p in span}):
        k = bisect.bisect_right(starts, position) - 1
        if k >= 0 and tokens[k][0] < position < tokens[k][1]:
            cuts.setdefault(k, []).append(position)
    replaced: dict[int, list[Token]] = {}
    for k, positions in cuts.items():
        start, end, tag = tokens[k]
        edges = [start, *positions, end]
        replaced[k] = [(a, b, tag) for a, b in zip(edges, edges[1:])]
    for start, _ in spans:
        k = bisect.bisect_right(starts, start - 1) - 1
        if k < 0:
            continue
        pieces = replaced.get(k, [tokens[k]])
        before = [piece for piece in pieces if piece[1] == start]
        if before and before[0][1] - before[0][0] == 2 and text[start - 1] in LINKING_CHARS:
            a, b, _ = before[0]
            i = pieces.index(before[0])
            replaced[k] = pieces[:i] + [(a, b - 1, "n"), (b - 1, b, "v")] + pieces[i + 1:]
    position = text.find("占比")
    while position >= 0:
        k = bisect.bisect_left(starts, position)
        if k + 1 < len(tokens) and k not in replaced and tokens[k][:2] == (position, position + 1):
            after = replaced.get(k + 1, [tokens[k + 1]])
            if after[0][:2] == (position + 1, position + 2):
                replaced[k] = [(position, position + 2, "n")]
                replaced[k + 1] = after[1:]
        position = text.find("占比", position + 2)
    out: list[Token] = []
    done = 0
    for k in sorted(replaced):
        out.extend(tokens[done:k])
        out.extend(replaced[k])
        done = k + 1
    out.extend(tokens[done:])
    return out


# A word the tagger calls a numeral without a digit or numeral in it (年|吞吐量, 月|访问量, 服务|点),
# unless a number comes right before it (2025|年).
NUMERAL_FREE = re.compile(r"[^\d〇零一二两三四五六七八九十百千万亿几半]+")
NUMBER_END = re.compile(r"[\dxX〇零一二两三四五六七八九十百千万亿几半]$")
# A quoted name (“十四五”, “一带一路”) and a short parenthesis inside a noun phrase (高速(一级)公路,
# 镇(街道)) are parts of the phrase: their numerals name rather than count, their 、 lists no items.
QUOTED_NAME = re.compile(r"“[^“”\n]{1,20}”")
SHORT_PARENTHESIS = re.compile(r"[(（][^()（），,。；;：:\n]{1,8}[)）]")


def _tokens_inside(pattern: re.Pattern, text: str, starts: list[int]) -> set[int]:
    """Indexes of the tokens that start inside a match of `pattern`."""
    inside = set()
    for match in pattern.finditer(text):
        inside.update(range(bisect.bisect_left(starts, match.start()), bisect.bisect_left(starts, match.end())))
    return inside


# Characters that end a sentence and are always a token of their own and a clause break.
SENTENCE_ENDS = re.compile(r"[。；;\n]")


def _sentences_with_quantities(text: str, tokens: list[Token], spans: list[Span]) -> list[Token]:
    """The tokens of the sentences that hold a quantity, each with the end of the sentence
    before it, in text order. A subject never crosses a sentence end, and most of a report's
    words lie in sentences without a quantity."""
    ends = [match.start() for match in SENTENCE_ENDS.finditer(text)]
    starts = list(map(itemgetter(0), tokens))
    ranges = []
    for start, end in spans:
        before = bisect.bisect_left(ends, start) - 1
        after = bisect.bisect_left(ends, end)
        first = bisect.bisect_right(starts, ends[before]) - 1 if before >= 0 else 0
        last = bisect.bisect_right(starts, ends[after]) if after < len(ends) else len(tokens)
        if ranges and first < ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return [token for first, last in ranges for token in tokens[first:last]]


class _Context:
    """Tokens of the sentences of one text that hold a quantity, with quantity spans marked,
    for candidate generation. Token indexes count these tokens only."""

    def __init__(self, text: str, tokens: list[Token], spans: list[Span]):
        self.text = text
        self.tokens = _split_tokens(text, _sentences_with_quantities(text, tokens, sorted(spans)), spans)
        # Per-token lists are built with map() over C-level callables: a context holds every token
        # of the sentences with a quantity, a third of a report's words.
        self.starts = list(map(itemgetter(0), self.tokens))
        self.ends = list(map(itemgetter(1), self.tokens))
        self.spans = spans
        self.span_end_at = dict(spans)
        self.quantity_token = [False] * len(self.tokens)
        for start, end in spans:  # tokens are cut at every span edge, so a token starts each span
            k = bisect.bisect_left(self.starts, start)
            while k < len(self.tokens) and self.tokens[k][0] < end:
                self.quantity_token[k] = True
                k += 1
        # Asked many times per token while candidates are built: computed once.
        self.words = list(map(text.__getitem__, map(slice, self.starts, self.ends)))
        self.tags = list(map(itemgetter(2), self.tokens))
        is_break = {word: not word.strip() or not CLAUSE_BREAKS.isdisjoint(word) for word in set(self.words)}
        quoted = _tokens_inside(QUOTED_NAME, text, self.starts)
        bracketed = _tokens_inside(SHORT_PARENTHESIS, text, self.starts)
        self.breaks = list(map(is_break.__getitem__, self.words))
        for k in bracketed:  # a short parenthesis's brackets and 、 break no clause
            self.breaks[k] = False
        quoted |= bracketed
        self.barriers = list(map(or_, self.breaks, self.quantity_token))
        for k in compress(range(len(self.tags)), map("m".__eq__, self.tags)):  # numerals, but not 年|吞吐量
            if not self.barriers[k] and k not in quoted and not self._numeral_free_word(k):
                self.barriers[k] = True
        self.nouns = list(map(NOUN_TAGS.__contains__, self.tags))
        self.verbs = list(map(VERB_TAGS.__contains__, self.tags))
        self.short_adverbs = [tag == "d" and len(word) == 1 for word, tag in zip(self.words, self.tags)]
        self.nounish = list(map(gt, self.nouns, self.barriers))  # a noun and not a barrier (True > False)

    def _numeral_free_word(self, k: int) -> bool:
        """A word tagged as a numeral with no number in or right before it (年|吞吐量, but not 2025|年)."""
        return bool(NUMERAL_FREE.fullmatch(self.words[k])) and (k == 0 or not NUMBER_END.search(self.words[k - 1]))

    def closes_left_window(self, k: int) -> bool:
        """Whether token k ends the window before a quantity: a clause break or another quantity.
        Numerals inside it are left to the boundary classifiers (二三产业, 千人口床位数, 2025年|…)."""
        return self.breaks[k] or self.quantity_token[k]

    def first_token(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def tag(self, k: int) -> str:
        if k < 0 or k >= len(self.tokens):
            return "EDGE"
        if self.breaks[k]:
            return "PUNCT"
        if self.quantity_token[k]:
            return "QTY"
        return self.tags[k]

    def is_nounish(self, k: int) -> bool:
        return 0 <= k < len(self.tokens) and self.nounish[k]

    def can_end_subject(self, k: int) -> bool:
        word = self.words[k]
        if word.endswith("”"):
            return True
        # A word tagged as a classifier with no numeral before it ends a noun (脱贫|户, 充电|桩, 燃气|管道).
        head_tag = (self.tags[k] not in NON_HEAD_TAGS or (self.tags[k] == "m" and not self.barriers[k])
                    or (self.tags[k] == "q" and k > 0 and not self.barriers[k - 1] and self.tags[k - 1] != "m"))
        verb_with_aspect = k + 1 < len(self.tags) and self.tags[k + 1] in ASPECT_TAGS
        return head_tag and not verb_with_aspect and word not in EDGE_STOPWORDS and word.strip("“”\"'") != ""


@dataclass(frozen=True)
class Window:
    """Where the subject of one quantity can be: its clause before it and the phrase after it."""

    left_start: int   # first token of the clause part before the quantity
    quantity_first: int
    quantity_last: int
    right_start: int  # first token a subject after the quantity may start at
    right_end: int    # one past the last token it may reach
    list_start: int   # first token a subject may start at when it takes in the 、-list it ends


def _window(ctx: _Context, span: Span) -> Window:
    q_first = ctx.first_token(span[0])
    q_last = ctx.first_token(span[1]) - 1
    k = q_first - 1
    while k >= 0 and not ctx.closes_left_window(k) and q_first - k <= MAX_LEFT_TOKENS:
        k -= 1
    right = q_last + 1
    # A quantity right after a count qualifies what it counts: 6个|千亿级|产业集群, 87万名|80岁以上|老年人.
    adjacent_end = ctx.span_end_at.get(span[1])
    if adjacent_end is not None:
        right = ctx.first_token(adjacent_end)
    bracket = SHORT_PARENTHESIS.match(ctx.text, ctx.starts[right]) if right < len(ctx.tokens) else None
    if bracket:  # a parenthesis right after a quantity qualifies its unit: 7.4万套(间)
        right = ctx.first_token(bracket.end())
    if right < len(ctx.tokens) and ctx.words[right] == "的":
        right += 1
    end = right
    while (end < len(ctx.tokens) and not ctx.barriers[end] and ctx.tags[end] not in ASPECT_TAGS
           and end - right < MAX_RIGHT_TOKENS):
        end += 1
    return Window(k + 1, q_first, q_last, right, end, _list_start(ctx, k, q_first))


def _list_start(ctx: _Context, k: int, q_first: int) -> int:
    """Where the 、-list starts whose last item holds the window that token k closes, when its
    items hold no quantity and no 分别 distributes them (办结率、满意率均为100%); else k + 1."""
    if k < 0 or ctx.words[k] != "、":
        return k + 1
    j = k - 1
    while j >= 0 and not ctx.quantity_token[j] and (not ctx.breaks[j] or ctx.words[j] == "、"):
        j -= 1
    if j >= 0 and ctx.quantity_token[j] or "分别" in ctx.text[ctx.starts[j + 1]:ctx.starts[q_first]]:
        return k + 1
    return j + 1


def clause_opening_rates(token_lists: list[list[str]]) -> dict[str, int]:
    """How often each word opens a clause, in fifths, for words seen three times or more.

    Clause verbs (新增, 完成, 拆除) open clauses and nouns inside a name rarely do; counted over
    unlabelled reports, this lets the boundary classifier judge verbs its annotations never showed.
    """
    seen: Counter = Counter()
    opening: Counter = Counter()
    for words in token_lists:
        after_break = True
        for word in words:
            is_break = not word.strip() or not CLAUSE_BREAKS.isdisjoint(word)
            if not is_break:
                seen[word] += 1
                opening[word] += after_break
            after_break = is_break
    return {word: min(int(5 * opening[word] / n), 4) for word, n in seen.items() if n >= 3}


# Shares of a word's occurrences right after a number and its classifier that start the next
# bucket of `counted_rates`: even a word classifiers often count (普通高中, 企业) mostly appears
# elsewhere, so the steps are small at the bottom.
COUNTED_STEPS = (0.02, 0.05, 0.1, 0.2, 0.4)


def counted_rates(token_lists: list[list[Token]], texts: list[str]) -> dict[str, int]:
    """How often each word comes right after a number and its classifier, for words seen three
    times or more: what classifiers count (企业, 市县, 普通高中) rather than what follows the
    counted thing (债务, 质量, 能力). 0 for never, else 1 + the `COUNTED_STEPS` the share reaches."""
    seen: Counter = Counter()
    counted: Counter = Counter()
    for tokens, text in zip(token_lists, texts):
        words = [text[a:b] for a, b, _ in tokens]
        for i, word in enumerate(words):
            seen[word] += 1
            if i == 0:
                continue
            before, tag_before = words[i - 1], tokens[i - 1][2]
            counted[word] += ((len(before) == 1 and i > 1 and tokens[i - 2][2] == "m")
                              or (tag_before == "m" and not before[-1].isdigit() and before[-1] not in "万亿千百十"))
    return {word: counted[word] and 1 + bisect.bisect_right(COUNTED_STEPS, counted[word] / n)
            for word, n in seen.items() if n >= 3}


@dataclass(frozen=True)
class LinearModel:
    """A fitted linear model as a feature → weight table: scoring a candidate is a few dict
    lookups, with no sparse matrix to build, and features never seen in training weigh nothing."""

    weights: dict[str, float]
    bias: float = 0.0

    @classmethod
    def of(cls, vectorizer, estimator) -> "LinearModel":
        """From a fitted DictVectorizer and a scikit-learn linear estimator."""
        coefficients = estimator.coef_[0]
        weights = {name: float(w) for name, w in zip(vectorizer.feature_names_, coefficients) if w}
        bias = float(estimator.intercept_[0]) if getattr(estimator, "fit_intercept", False) else 0.0
        return cls(weights, bias)

    def score(self, features: list[str]) -> float:
        return self.bias + self.weight_of(features)

    def weight_of(self, features: list[str]) -> float:
        """The summed weights of `features`, without the bias."""
        return sum(map(self.weights.get, features, repeat(0.0)))

    def probability(self, features: list[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(features)))


@dataclass(frozen=True)
class BoundaryModel:
    """The trained phrase-boundary classifiers and the word statistics their features read.

    Growing a phrase leftwards stops at a different kind of boundary (新建|高标准农田) than
    growing it rightwards (企业|共安置), so each direction has its own classifier; both learn
    that the boundaries inside annotated subjects join.
    """

    left: LinearModel
    right: LinearModel
    opening_rates: dict[str, int]
    counted_rates: dict[str, int]
    word_classes: dict[str, int]

    # Join probabilities (leftwards, rightwards) by the words and tags a boundary's features read:
    # the same boundaries (地区|生产总值) recur across reports. Emptied when it grows large.
    known: dict[tuple[str, ...], tuple[float, float]] = field(default_factory=dict, compare=False, repr=False)

    def joins(self, ctx: _Context, j: int) -> tuple[float, float]:
        """How likely token j and token j+1 belong to one phrase, growing it leftwards and rightwards."""
        key = (ctx.words[j], ctx.words[j + 1], ctx.tag(j - 1), ctx.tags[j], ctx.tags[j + 1])
        found = self.known.get(key)
        if found is None:
            if len(self.known) >= MAX_REMEMBERED:
                self.known.clear()
            features = self.features(ctx, j)
            found = self.known[key] = (self.left.probability(features), self.right.probability(features))
        return found

    def features(self, ctx: _Context, j: int) -> list[str]:
        """Evidence that token j and token j+1 belong to one phrase."""
        w1, w2 = ctx.words[j], ctx.words[j + 1]
        t0, t1, t2 = ctx.tag(j - 1), ctx.tags[j], ctx.tags[j + 1]
        open1, open2 = self.opening_rates.get(w1, "rare"), self.opening_rates.get(w2, "rare")
        return [
            "w1=" + w1, "w2=" + w2, "t1=" + t1, "t2=" + t2, f"t12={t1}|{t2}", f"t012={t0}|{t1}|{t2}",
            "c1=" + w1[-1], "c2=" + w2[0], f"w1t2={w1}|{t2}", f"t1w2={t1}|{w2}", f"len1={min(len(w1), 4)}",
            f"stop1={w1 in EDGE_STOPWORDS}", f"quote1={w1.endswith('“')}",
            f"open1={open1}", f"open2={open2}", f"open1_t12={open1}|{t1}|{t2}", f"open12={open1}|{open2}",
            f"c12={w1[-1]}{w2[0]}",
            f"class1={self.word_classes.get(w1, 'rare')}", f"class2={self.word_classes.get(w2, 'rare')}",
        ]


class _Boundaries:
    """Probability that each token boundary is inside a phrase, growing it leftwards or
    rightwards, worked out when first asked; both directions share the boundary's features."""

    def __init__(self, ctx: _Context, model: BoundaryModel | None):
        self.ctx = ctx
        self.model = model
        self.probability: dict[int, tuple[float, float]] = {}
        # The word statistics the rankers read beside the boundaries; none without a model.
        self.word_classes = model.word_classes if model else {}
        self.counted_rates = model.counted_rates if model else {}

    def joins(self, j: int, direction: str = "left") -> float:
        """Whether token j+1 (growing left) or token j (growing right) joins the phrase."""
        if j not in self.probability:
            if self.model is None or not 0 <= j < len(self.ctx.tokens) - 1:
                return 0.0
            self.probability[j] = self.model.joins(self.ctx, j)
        return self.probability[j][direction == "right"]


def extend_left(ctx: _Context, boundaries: _Boundaries, head: int, floor: int) -> int:
    """First token of the phrase that ends at `head`, growing left while the boundary joins."""
    first = head
    while (first - 1 >= floor and boundaries.joins(first - 1) >= JOIN_THRESHOLD
           and ctx.ends[head] - ctx.starts[first - 1] <= MAX_SUBJECT_CHARS):
        first -= 1
    surface = ctx.text[ctx.starts[first]:ctx.ends[head]]
    while "”" in surface and surface.count("”") > surface.count("“") and first - 1 >= floor:  # keep a quote whole
        first -= 1
        surface = ctx.text[ctx.starts[first]:ctx.ends[head]]
    while first < head and ctx.words[first] in LEADING_FILLERS:
        first += 1
    adverbs = ctx.short_adverbs[first:head]
    if any(adverbs):  # an adverb opens a predicate (就|送去|慰问金): the phrase starts after it and its verb
        first += len(adverbs) - adverbs[::-1].index(True)
        while first < head and ctx.verbs[first]:
            first += 1
    return first


# A group of features as the builder that writes them and its arguments: (builder, *arguments).
# The ranker adds up a group's weights once per distinct group (the same head word with the same
# tag recurs across quantities and reports) instead of writing its feature strings each time.
Part = tuple


def flatten(parts: list[Part]) -> list[str]:
    """The feature strings of feature groups, as the rankers are trained on them."""
    return [feature for builder, *arguments in parts for feature in builder(*arguments)]


PERCENT_ENDINGS = ("%", "百分点", "成")  # how a share's span ends
TRAILING_MARKER = re.compile(r"(?:以上|以下|以内|左右|上下|多|余|内)$")  # how exact a figure is


def _measured_surface(text: str, span: Span) -> str:
    """A quantity's text up to its unit: a trailing marker (800台以上, 5%左右) says how exact the
    figure is, not what it measures."""
    return TRAILING_MARKER.sub("", text[span[0]:span[1]]) or text[span[0]:span[1]]


def quantity_class(text: str, span: Span) -> str:
    """What kind of figure a quantity is, for the start ranker: a share, money, a multiple, or its unit."""
    surface = _measured_surface(text, span)
    if surface.endswith(PERCENT_ENDINGS):
        return "share"
    if surface.endswith("元"):
        return "money"
    if surface.endswith(("倍", "番")):
        return "multiple"
    return "unit=" + surface[-1:]


MARKS = frozenset("“”()（）")  # quotes and brackets a subject keeps whole
OPENING_BRACKETS = frozenset({"(", "（"})
CLOSING_BRACKETS = frozenset({")", "）"})


def start_choices(ctx: _Context, boundaries: _Boundaries, head: int, greedy: int, window: Window,
                  quantity: str) -> list[tuple[int, list[Part]]]:
    """The tokens a left-side subject ending at `head` may start at, each with the evidence for it
    as feature groups. A start keeps quotes and brackets whole and does not open on a filler; the
    greedy start, where the boundaries alone would start it, is always among them.

    The evidence: the start's edges, what the phrase holds (a clause verb, a 的), how far it is
    from the greedy start, and what kind of figure it names (a rate keeps its verb:
    新设外资企业数量增长; a count of things done drops it: 拆除|门店84个). Built in one pass leftwards."""
    floor = window.list_start
    gap = window.quantity_first - head - 1
    gap_bucket = gap if gap < 2 else 2
    gap_part = (_word_feature, "gap_word", f"{ctx.words[head + 1]}|{quantity}") if gap else None
    words, tags = ctx.words, ctx.tags
    classes = boundaries.word_classes

    def opened_after(closing: int) -> int:
        """Where the parenthesis closed at token `closing` opens: after a word of the window, it
        qualifies that word (县（市、区）级医院), and no subject starts at it or after it."""
        k = closing
        while k > floor and words[k] not in OPENING_BRACKETS:
            k -= 1
        return k

    gap_word = words[head + 1] if gap else "adjacent"
    etc_inside = False  # a 等 closes the list inside the phrase (讲座、展览等活动)
    choices = []
    inner, verbs, de, quotes, brackets, enclosed = 1.0, 0, 0, 0, 0, 0
    for k in range(head, floor - 1, -1):
        if k < greedy and ctx.ends[head] - ctx.starts[k] > MAX_SUBJECT_CHARS:
            break
        word, tag = words[k], tags[k]
        if k < head:
            join = boundaries.joins(k)
            if join < inner:
                inner = join
        verbs += ctx.verbs[k]
        de += word == "的"
        etc_inside |= word == "等"
        if not MARKS.isdisjoint(word):
            quotes += word.count("”") - word.count("“")
            brackets += word.count(")") + word.count("）") - word.count("(") - word.count("（")
            enclosed += 1  # a mark, or a parenthesis's bracket: no word of the phrase
        elif brackets:
            enclosed += 1  # inside a parenthesis, which qualifies the word before it
        if k != greedy and (ctx.breaks[k] or word in LEADING_FILLERS or quotes or brackets
                            or (k > floor and (word in OPENING_BRACKETS
                                               or words[k - 1] in CLOSING_BRACKETS and opened_after(k - 1) > floor))):
            continue
        before, before_tag = (words[k - 1], ctx.tag(k - 1)) if k > floor else ("EDGE", "EDGE")
        edge = _bucket(boundaries.joins(k - 1)) if k > floor else "edge"
        offset, tokens = k - greedy, head - k + 1 - enclosed
        verbs_bucket = verbs if verbs < 2 else 2
        parts = [(_start_word_features, "first", word, tag, classes.get(word, "rare")),
                 (_start_word_features, "before", before, before_tag, classes.get(before, "rare")),
                 (_start_tags_features, tag, before_tag, quantity),
                 (_start_position_features, k == greedy, 3 if offset > 3 else -3 if offset < -3 else offset,
                  k == window.left_start),
                 (_start_join_features, edge, _bucket(inner), tag),
                 (_start_content_features, tokens if tokens < 8 else 8, verbs_bucket, de if de < 2 else 2),
                 (_start_quantity_features, verbs_bucket, gap_bucket, quantity),
                 (_start_list_features, k < window.left_start, gap_word, quantity, etc_inside)]
        if gap_part:
            parts.append(gap_part)
        choices.append((k, parts))
    return choices


# The start ranker's feature groups: small, so that each recurs across quantities and reports
# and its summed weight is looked up rather than rebuilt.
def _start_word_features(name: str, word: str, tag: str, word_class: int | str) -> list[str]:
    return [f"{name}={word}", f"{name}_tag={tag}", f"{name}_char={word[0] if name == 'first' else word[-1]}",
            f"{name}_class={word_class}"]


def _start_tags_features(tag: str, before_tag: str, quantity: str) -> list[str]:
    return [f"first_tag_quantity={tag}|{quantity}", f"before_tag_quantity={before_tag}|{quantity}",
            f"before_first_tags={before_tag}|{tag}"]


def _start_list_features(crosses: bool, gap_word: str, quantity: str, etc_inside: bool) -> list[str]:
    """Whether the start takes in the 、-list before the window, with what tells a list that shares
    the figure (办结率、满意率|均为100%; 讲座、展览等活动; 基本生活费、照料护理费|共计) from one whose
    last item alone is counted."""
    return [f"list={crosses}", f"list_gap={crosses}|{gap_word}", f"list_quantity={crosses}|{quantity}",
            f"list_etc={crosses}|{etc_inside}"]


def _start_position_features(is_greedy: bool, offset: int, at_window: bool) -> list[str]:
    return [f"greedy={is_greedy}", f"offset={offset}", f"window={at_window}"]


def _start_join_features(edge: int | str, inner: int, tag: str) -> list[str]:
    return [f"edge={edge}", f"inner={inner}", f"edge_first_tag={edge}|{tag}"]


def _start_content_features(tokens: int, verbs: int, de: int) -> list[str]:
    return [f"tokens={tokens}", f"verbs={verbs}", f"de={de}"]


def _start_quantity_features(verbs: int, gap: int, quantity: str) -> list[str]:
    return [f"verbs_quantity={verbs}|{quantity}", f"gap_quantity={gap}|{quantity}", f"verbs_gap={verbs}|{min(gap, 1)}"]


class Candidate(NamedTuple):
    """A possible subject of one quantity; side "I" (inherit) and "N" (no subject) have no span.
    A named tuple: tens of thousands are built per report."""

    quantity: int
    start: int
    end: int
    side: str
    parts: list[Part]

    @property
    def features(self) -> list[str]:
        """The candidate's feature strings, as the ranker is trained on them."""
        return flatten(self.parts)


def _bucket(probability: float) -> int:
    """A probability in fifths, 0 to 4."""
    return 4 if probability >= 0.8 else int(probability * 5)


def _listed(*features: str) -> list[str]:
    return list(features)


def _word_feature(name: str, word: str) -> list[str]:
    return [f"{name}={word}"]


def _quantity_part(surface: str, side: str) -> Part:
    """The quantity's unit, conjoined with the candidate's side: counts take the noun after them."""
    return _quantity_features, side, surface[-1], surface.endswith(PERCENT_ENDINGS), surface.endswith("元")


def _quantity_features(side: str, unit: str, percent: bool, money: bool) -> list[str]:
    return [f"{side}_unit={unit}", f"{side}_pct={percent}", f"{side}_money={money}"]


def _head_word_features(side: str, word: str, tag: str, unit: str, word_class: int | str) -> list[str]:
    """The phrase's head, and whether the quantity's unit fits it: 张 counts 床位, not 家庭; 所 counts
    高中, not 能力."""
    return [f"side={side}", f"{side}_head={word}", f"{side}_head_tag={tag}", f"head_char={word[-1]}",
            f"{side}_unit_head={unit}|{word[-1]}", f"{side}_head_class={word_class}"]


def _first_word_features(side: str, word: str, tag: str) -> list[str]:
    return [f"{side}_first={word}", f"{side}_first_tag={tag}"]


def _phrase_shape_features(side: str, tokens: int, chars: int, before_tag: str, verbs: int, nouns: int) -> list[str]:
    return [f"{side}_ntok={tokens}", f"{side}_chars={chars}", f"{side}_before_tag={before_tag}",
            f"{side}_verbs={verbs}", f"{side}_nouns={nouns}"]


def _phrase_parts(ctx: _Context, first: int, head: int, side: str, unit: str, classes: dict[str, int]) -> list[Part]:
    stop = head + 1
    words = ctx.words
    is_verb = ctx.verbs[first:stop]
    verbs = [words[k] for k in compress(range(first, stop), is_verb)] if True in is_verb else []
    nouns = sum(ctx.nouns[first:stop])
    tokens = stop - first
    chars = (ctx.ends[head] - ctx.starts[first]) // 3
    parts = [(_head_word_features, side, words[head], ctx.tags[head], unit, classes.get(words[head], "rare")),
             (_first_word_features, side, words[first], ctx.tags[first]),
             (_phrase_shape_features, side, tokens if tokens < 8 else 8, chars if chars < 6 else 6, ctx.tag(first - 1),
              len(verbs) if len(verbs) < 3 else 3, nouns if nouns < 4 else 4)]
    parts += [(_word_feature, "verb_inside", verb) for verb in verbs]
    return parts


def _phrase_end(ctx: _Context, head: int) -> int:
    """Where a phrase ending with token `head` ends: a plural 们 the segmenter fused to its noun
    names no part of what is counted (400多名官兵们 → 官兵; 人们 is a word of its own). A 们 on its
    own token never ends a phrase (EDGE_STOPWORDS)."""
    word = ctx.words[head]
    return ctx.ends[head] - 1 if len(word) > 2 and word.endswith("们") else ctx.ends[head]


def _left_gap_features(gap: int, rank: int, head_tag: str, nouns_after: int) -> list[str]:
    return [f"L_gap={min(gap, 5)}", f"L_rank={rank}", f"L_headtag_gap={head_tag}|{min(gap, 3)}",
            f"L_nouns_after={nouns_after}"]


def _left_next_features(join: int, word: str, tag: str) -> list[str]:
    return [f"L_join_next={join}", f"L_next={word}", f"L_next_tag={tag}"]


def _left_edge_features(starts_window: bool, before_word: str) -> list[str]:
    return [f"L_starts_window={starts_window}", f"L_before_word={before_word}"]


def _left_candidates(ctx: _Context, boundaries: _Boundaries, index: int, window: Window,
                     surface: str) -> list[Candidate]:
    """Each token of the clause before the quantity that can end a subject, with the phrase
    the boundaries grow from it."""
    found = []
    rank = nouns_after = 0
    quantity = _quantity_part(surface, "L")
    unit = surface[-1]
    classes = boundaries.word_classes
    for head in range(window.quantity_first - 1, window.left_start - 1, -1):
        gap = window.quantity_first - head - 1
        if gap:
            nouns_after += ctx.nounish[head + 1]
        if not ctx.can_end_subject(head):
            continue
        parts = [(_left_gap_features, gap, rank, ctx.tags[head], nouns_after if nouns_after < 3 else 3)]
        if gap:
            parts.append((_left_next_features, _bucket(boundaries.joins(head, "right")), ctx.words[head + 1],
                          ctx.tags[head + 1]))
        else:
            parts.append((_listed, "L_adjacent"))
        first = extend_left(ctx, boundaries, head, window.left_start)
        parts += _phrase_parts(ctx, first, head, "L", unit, classes)
        parts += [quantity, (_left_edge_features, first == window.left_start,
                             ctx.words[first - 1] if first > window.left_start else "EDGE")]
        found.append(Candidate(index, ctx.starts[first], _phrase_end(ctx, head), "L", parts))
        rank += rank < 5
    return found


def _right_features(skips_de: bool, head_counted: int | str, weakest_join: int) -> list[str]:
    return [f"R_skips_de={skips_de}", f"R_head_counted={head_counted}", f"R_weakest_join={weakest_join}"]


def _right_next_features(word: str, join: int, counted: int | str) -> list[str]:
    return [f"R_after={word}", f"R_join_next={join}", f"R_after_counted={counted}"]


def _right_candidates(ctx: _Context, boundaries: _Boundaries, index: int, window: Window,
                      surface: str) -> list[Candidate]:
    first = window.right_start
    if (first >= window.right_end or ctx.words[first] in EDGE_STOPWORDS
            or (ctx.tags[first] in NON_HEAD_TAGS and ctx.tags[first] != "d")):
        return []
    found = []
    quantity = _quantity_part(surface, "R")
    unit = surface[-1]
    counted_of = boundaries.counted_rates
    classes = boundaries.word_classes
    weakest = 1.0  # the least likely join inside the phrase so far: a phrase is as strong as it
    for head in range(first, window.right_end):
        if head > first:
            weakest = min(weakest, boundaries.joins(head - 1, "right"))
        if ctx.ends[head] - ctx.starts[first] > MAX_SUBJECT_CHARS:
            break
        phrase = ctx.text[ctx.starts[first]:ctx.ends[head]]
        if not ctx.can_end_subject(head) or phrase.count("“") != phrase.count("”"):
            continue
        parts = _phrase_parts(ctx, first, head, "R", unit, classes)
        parts.append((_right_features, first > window.quantity_last + 1, counted_of.get(ctx.words[head], "rare"),
                       _bucket(weakest)))
        if head + 1 < window.right_end:
            parts.append((_right_next_features, ctx.words[head + 1], _bucket(boundaries.joins(head, "right")),
                          counted_of.get(ctx.words[head + 1], "rare")))
        parts.append(quantity)
        found.append(Candidate(index, ctx.starts[first], _phrase_end(ctx, head), "R", parts))
    return found


def _none_features(nouns_before: int, noun_after: bool, after_tag: str, unit: str) -> list[str]:
    return ["side=N", f"N_nouns_before={nouns_before}", f"N_noun_after={noun_after}", f"N_after_tag={after_tag}",
            f"N_unit_after={unit}|{after_tag}"]


def _none_candidate(ctx: _Context, index: int, window: Window, surface: str) -> Candidate:
    """Evidence that the quantity has no subject: a duration (过去一年), a bare head count (50人担任…)."""
    parts = [(_none_features, min(sum(ctx.nounish[window.left_start:window.quantity_first]), 4),
              ctx.is_nounish(window.quantity_last + 1), ctx.tag(window.quantity_last + 1), surface[-1])]
    if window.left_start < window.quantity_first:
        parts.append((_word_feature, "N_word_before", ctx.words[window.quantity_first - 1]))
    parts.append(_quantity_part(surface, "N"))
    return Candidate(index, -1, -1, "N", parts)


def _inherit_features(between_chars: int, nouns_before: int, window_empty: bool, joiner: str) -> list[str]:
    return ["side=I", f"I_between_chars={between_chars}", f"I_nouns_before={nouns_before}",
            f"I_window_empty={window_empty}", f"I_joiner={joiner}"]


def _inherit_candidate(ctx: _Context, index: int, previous: int, window: Window, surface: str) -> Candidate:
    between = ctx.text[ctx.spans[previous][1]:ctx.spans[index][0]]
    before = range(window.left_start, window.quantity_first)
    parts = [(_inherit_features, min(len(between), 10), min(sum(ctx.nounish[window.left_start:window.quantity_first]), 4),
              not before, between.strip()[:1] or "none")]
    parts += [(_word_feature, "I_word", ctx.words[k]) for k in before]
    parts.append(_quantity_part(surface, "I"))
    return Candidate(index, -1, -1, "I", parts)


def _previous_in_sentence(text: str, spans: list[Span]) -> list[int | None]:
    """For each span, the nearest earlier span of the same sentence (no 。；? between)."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    previous: list[int | None] = [None] * len(spans)
    for a, b in zip(order, order[1:]):
        between = text[spans[a][1]:spans[b][0]]
        if len(between) <= 30 and not any(ch in "。；;！？!?\n" for ch in between):
            previous[b] = a
    return previous


@dataclass
class Analysis:
    """Everything the ranker and the list rule need about the quantities of one text."""

    ctx: _Context
    windows: list[Window]
    boundaries: _Boundaries
    previous: list[int | None]
    candidates: list[Candidate]


def analyse(text: str, tokens: list[Token], spans: list[Span], boundary_model: BoundaryModel | None) -> Analysis:
    """Windows, boundary probabilities and every subject candidate of every quantity span."""
    ctx = _Context(text, tokens, spans)
    windows = [_window(ctx, span) for span in spans]
    boundaries = _Boundaries(ctx, boundary_model)
    previous = _previous_in_sentence(text, spans)
    found: list[Candidate] = []
    for index, window in enumerate(windows):
        surface = _measured_surface(text, spans[index])
        found += _left_candidates(ctx, boundaries, index, window, surface)
        found += _right_candidates(ctx, boundaries, index, window, surface)
        if previous[index] is not None:
            found.append(_inherit_candidate(ctx, index, previous[index], window, surface))
        found.append(_none_candidate(ctx, index, window, surface))
    return Analysis(ctx, windows, boundaries, previous, found)


def resolve(spans: list[Span], chosen: dict[int, Candidate], previous: list[int | None]) -> list[Subject | None]:
    """The chosen subject of each quantity, following inherit choices back through the sentence."""
    resolved: dict[int, Subject | None] = {}
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        pick = chosen.get(index)
        if pick is None or pick.side == "N":
            resolved[index] = None
        elif pick.side == "I":
            resolved[index] = resolved.get(previous[index])
        else:
            resolved[index] = ((pick.start, pick.end),)
    return [resolved[i] for i in range(len(spans))]


def _respectively_runs(text: str, spans: list[Span]) -> list[list[int]]:
    """Runs of two or more quantities joined by 、 (or 和) that follow a 分别 in their clause."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    runs, run = [], []
    for i in order:
        if run and text[spans[run[-1]][1]:spans[i][0]] in ("、", "和"):
            run.append(i)
            continue
        if len(run) > 1:
            runs.append(run)
        run = [i]
    if len(run) > 1:
        runs.append(run)
    return [r for r in runs if "分别" in text[max(0, spans[r[0]][0] - 12):spans[r[0]][0]]]


LIST_SEPARATORS = frozenset("、")
# Words that join the last two items of a list (甲、乙和丙); tried when 、 alone gives too few items.
CONJUNCTIONS = frozenset({"、", "和", "与", "及", "以及"})


def _list_items(ctx: _Context, head: int, separators: frozenset[str] = LIST_SEPARATORS) -> list[tuple[int, int]]:
    """Token ranges of the items, separated by `separators`, whose last one ends at `head`, in
    text order. The first item starts where its clause does, less leading verbs and fillers
    (全省新增|甲、乙)."""
    items = []
    last = head
    while True:
        first = last
        while first - 1 >= 0 and not ctx.barriers[first - 1] and ctx.words[first - 1] not in separators:
            first -= 1
        items.append((first, last))
        separator = first - 1
        if separator < 1 or ctx.words[separator] not in separators or ctx.barriers[separator - 1]:
            break
        last = separator - 1
    first, last = items[-1]
    while first < last and (ctx.tags[first] in VERB_TAGS or ctx.tags[first] in NON_HEAD_TAGS
                            or ctx.words[first] in LEADING_FILLERS):
        first += 1
    items[-1] = (first, last)
    return items[::-1]


def _shared_head_cut(ctx: _Context, last_item: tuple[int, int], others: list[tuple[int, int]]) -> int:
    """Token where the shared head of a 、-list begins inside its last item (装备制造|产业增加值),
    or one past the item when the items share no head (刑事案件、治安案件).

    Items of a list are parallel: the item part of the last one should end in a noun when the
    others do, and be about as long as they are, in characters and then in tokens. Remaining
    ties go to the longer item part."""
    first, last = last_item
    typical_chars = sorted(ctx.ends[b] - ctx.starts[a] for a, b in others)[len(others) // 2]
    typical_tokens = sorted(b - a + 1 for a, b in others)[len(others) // 2]
    nouns = sum(ctx.tags[b] in NOUN_TAGS for _, b in others) * 2 >= len(others)

    def cost(end: int) -> tuple[int, int]:
        chars = abs(ctx.ends[end] - ctx.starts[first] - typical_chars)
        return chars + 2 * ((ctx.tags[end] in NOUN_TAGS) != nouns), abs(end - first + 1 - typical_tokens)

    best, best_cost = last + 1, cost(last)
    for cut in range(last, first, -1):
        if ctx.words[cut] not in CONJUNCTIONS and cost(cut - 1) < best_cost:
            best, best_cost = cut, cost(cut - 1)
    return best


def distribute_respectively(analysis: Analysis, subjects: list[Subject | None]) -> list[Subject | None]:
    """Pair the quantities of 甲、乙、丙X分别增长a、b、c with 甲X, 乙X, 丙X, and those of
    甲a、乙b，分别增长c、d with the subjects of a and b."""
    ctx, spans = analysis.ctx, analysis.ctx.spans
    out = list(subjects)
    for run in _respectively_runs(ctx.text, spans):
        chosen = out[run[0]]
        before = analysis.previous[run[0]]
        floor = spans[before][1] if before is not None else 0
        if (chosen is not None and len(chosen) == 1 and floor <= chosen[0][0]
                and chosen[0][1] <= spans[run[0]][0] and "分别" in ctx.text[chosen[0][1]:spans[run[0]][0]]):
            if not _pair_with_items(ctx, run, _list_end(ctx, chosen[0][1], spans[run[0]][0]), out):
                _split_urban_rural(ctx.text, run, chosen[0], out)
            continue
        earlier = _earlier_run(ctx, analysis, run)
        if earlier is not None:
            for index, source in zip(run, earlier):
                out[index] = out[source]
    return out


def _list_end(ctx: _Context, subject_end: int, quantity_start: int) -> int:
    """Last token of the list a 分别 distributes: the word just before 分别 when it can end a
    subject (甲和乙|分别), else the chosen subject's last token."""
    respectively = ctx.text.rfind("分别", subject_end, quantity_start)
    k = bisect.bisect_left(ctx.ends, respectively)
    if k < len(ctx.ends) and ctx.ends[k] == respectively and ctx.nounish[k] and ctx.can_end_subject(k):
        return k
    return bisect.bisect_left(ctx.ends, subject_end)


def _pair_with_items(ctx: _Context, run: list[int], head: int, out: list[Subject | None]) -> bool:
    """Give each quantity of the run its item of the list that ends at `head`, when there are as
    many items as quantities."""
    items = _list_items(ctx, head)
    if len(items) < len(run):
        items = _list_items(ctx, head, CONJUNCTIONS)
    if len(items) != len(run):
        return False
    cut = _shared_head_cut(ctx, items[-1], items[:-1])
    last_token = items[-1][1]
    for index, (first, last) in zip(run, items):
        piece = (ctx.starts[first], ctx.ends[last])
        if cut <= last_token and last != last_token:
            out[index] = (piece, (ctx.starts[cut], ctx.ends[last_token]))
        else:
            out[index] = (piece,)
    return True


def _split_urban_rural(text: str, run: list[int], subject: Span, out: list[Subject | None]) -> None:
    """城乡X分别a、b names two things, the urban X and the rural X (城乡居民人均可支配收入分别增长
    5%、6.5%; 城乡低保标准分别提高48%、45.5%), in that order. Statistics call urban residents
    城镇居民 and urban schemes 城市… (城市低保, 城市特困人员)."""
    start, end = subject
    at = text.find("城乡", start, end)
    if len(run) != 2 or at < 0:
        return
    urban = "城镇" if text.startswith("居民", at + 2) else "城市"
    before = ((start, at),) if start < at else ()
    after = ((at + 2, end),) if at + 2 < end else ()
    for index, word in zip(run, (urban, "农村")):
        out[index] = (*before, word, *after)


def _earlier_run(ctx: _Context, analysis: Analysis, run: list[int]) -> list[int] | None:
    """The quantities of the list just before a bare 分别 (甲a、乙b，分别增长c、d), when as many."""
    spans = ctx.spans
    before = analysis.previous[run[0]]
    chain = []
    while before is not None and len(chain) < len(run):
        chain.insert(0, before)
        before = analysis.previous[before]
    if len(chain) != len(run):
        return None
    joined = all("、" in ctx.text[spans[a][1]:spans[b][0]] for a, b in zip(chain, chain[1:]))
    return chain if joined else None


def nearest_noun_subject(text: str, tokens: list[Token], spans: list[Span]) -> list[str | None]:
    """Baseline: the noun token right after the quantity, else the nearest noun before it in the clause."""
    ctx = _Context(text, tokens, spans)
    out: list[str | None] = []
    for start, end in spans:
        q_first, after = ctx.first_token(start), ctx.first_token(end)
        if ctx.is_nounish(after) and ctx.tags[after] != "vn":
            out.append(ctx.words[after])
            continue
        k = q_first - 1
        while k >= 0 and not ctx.barriers[k] and not ctx.is_nounish(k):
            k -= 1
        out.append(ctx.words[k] if ctx.is_nounish(k) else None)
    return out


class PartScorer:
    """A ranker's score of feature groups: their summed weights, each group's sum kept the first
    time it is met."""

    def __init__(self, model: LinearModel):
        self.model = model
        self.known: dict[Part, float] = {}

    def __call__(self, parts: list[Part]) -> float:
        known = self.known
        total = self.model.bias
        for part in parts:
            score = known.get(part)
            if score is None:
                if len(known) >= MAX_REMEMBERED:
                    known.clear()
                score = known[part] = self.model.weight_of(part[0](*part[1:]))
            total += score
        return total


class SubjectRanker:
    """The trained boundary classifiers, head ranker and start ranker; load once per process with `load`."""

    def __init__(self, boundary_model: BoundaryModel, head_model: LinearModel, start_model: LinearModel):
        self.boundary_model = boundary_model
        self.head_model = head_model
        self.start_model = start_model
        self.head_score = PartScorer(head_model)
        self.start_score = PartScorer(start_model)

    @classmethod
    def load(cls, models_dir: Path) -> "SubjectRanker | None":
        path = Path(models_dir) / "subject" / MODEL_FILE
        if not path.exists():
            log.warning("no subject model at %s; subjects fall back to the nearest noun", path)
            return None
        with gzip.open(path, "rb") as handle:
            models = pickle.load(handle)
        return cls(BoundaryModel(models["grow_left"], models["grow_right"], models["opening_rates"],
                                 models["counted_rates"], models["word_classes"]), models["head"], models["start"])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        boundary = self.boundary_model
        models = {"grow_left": boundary.left, "grow_right": boundary.right,
                  "opening_rates": boundary.opening_rates, "counted_rates": boundary.counted_rates,
                  "word_classes": boundary.word_classes,
                  "head": self.head_model, "start": self.start_model}
        with gzip.GzipFile(directory / MODEL_FILE, "wb", compresslevel=6, mtime=0) as handle:  # same bytes every build
            pickle.dump(models, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def choose(self, text: str, tokens: list[Token], spans: list[Span]) -> list[Subject | None]:
        """The pieces of each quantity's subject in `text` (None where it names none)."""
        analysis = analyse(text, tokens, spans, self.boundary_model)
        chosen: dict[int, Candidate] = {}
        best: dict[int, float] = {}
        for candidate in analysis.candidates:
            score = self.head_score(candidate.parts)
            if candidate.quantity not in best or score > best[candidate.quantity]:
                best[candidate.quantity] = score
                chosen[candidate.quantity] = candidate
        for index, candidate in chosen.items():
            if candidate.side == "L":
                chosen[index] = self._restart(analysis, candidate)
        return distribute_respectively(analysis, resolve(spans, chosen, analysis.previous))

    def _restart(self, analysis: Analysis, candidate: Candidate) -> Candidate:
        """The chosen left-side subject with the start the start ranker prefers."""
        ctx, window = analysis.ctx, analysis.windows[candidate.quantity]
        head = bisect.bisect_left(ctx.ends, candidate.end)
        greedy = bisect.bisect_left(ctx.starts, candidate.start)
        quantity = quantity_class(ctx.text, ctx.spans[candidate.quantity])
        choices = start_choices(ctx, analysis.boundaries, head, greedy, window, quantity)
        first, _ = max(choices, key=lambda choice: self.start_score(choice[1]))
        return candidate._replace(start=ctx.starts[first])

    def subjects(self, text: str, tokens: list[Token], spans: list[Span]) -> list[str | None]:
        """What each quantity span counts or pays, as written in `text`."""
        return [subject_text(text, s) for s in self.choose(text, tokens, spans)]


def subject_text(text: str, subject: Subject | None) -> str | None:
    return "".join(piece if isinstance(piece, str) else text[piece[0]:piece[1]] for piece in subject) if subject else None
