"""The subject of a quantity: the noun phrase, as written, that says what is counted or paid.

Candidates are token spans of the clause around the quantity: noun-like runs just after it
(82个|企业) and runs before it, across the verbs that link a measure to its value
(地区生产总值|增长|5.4%). One more candidate, "inherit", stands for the subject of the previous
quantity of the sentence when a list continues it (总值5.2万亿元、增长5.4%; 每月143元、129元),
and one, "none", for quantities that count nothing named (过去一年, 50人担任企业高管).
A pairwise logistic-regression ranker trained on annotated quantities scores every candidate
of a text in one call; `nearest_noun_subject` is the rule baseline and the fallback without a model.
"""
from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from pathlib import Path

Token = tuple[int, int, str]
Span = tuple[int, int]

log = logging.getLogger(__name__)

# Characters that close a clause; a subject never crosses them. 、 separates list items.
CLAUSE_BREAKS = frozenset("，,。；;：:！!？?\n、（）()《》")
NOUN_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "nl", "ng", "vn", "an", "j", "l", "eng", "nrt", "nrfg"})
VERB_TAGS = frozenset({"v", "vd", "vi", "vq"})
# Words that never open or close a subject.
EDGE_STOPWORDS = frozenset(
    "的 地 得 和 与 及 以及 或 并 且 了 着 过 在 为 对 从 由 把 将 向 给 于 以 被 让 使 比 较 共 等 其中 其 "
    "达 达到 为 是 有 共有 增长 下降 上涨 上升 降低 提高 提升 增加 减少 增至 降至 超过 超 突破 累计 分别 约 近 占 "
    "同比 实现 完成 新增 全年 保持 稳定 稳定在 控制在 高于 低于 居 位居".split()
)
# Tags of words a subject does not end on: particles, prepositions, conjunctions, adverbs, pronouns.
FUNCTION_TAGS = frozenset({"u", "p", "c", "d", "x", "uj", "ul", "r"})
# One-character verbs and qualifiers that link a measure to its value (比例达56, 占比近八成).
LINKING_CHARS = frozenset("达近超约逾为至")
MAX_LEFT_TOKENS = 12
MAX_CANDIDATE_TOKENS = 6
MAX_CANDIDATE_CHARS = 16
MODEL_FILE = "ranker.joblib"


@dataclass(frozen=True)
class Candidate:
    """A possible subject of one quantity; side "I" (inherit) and "N" (no subject) have no span."""

    quantity: int
    start: int
    end: int
    side: str
    features: dict


def _split_tokens(text: str, tokens: list[Token], spans: list[Span]) -> list[Token]:
    """Cut tokens at every quantity boundary so no token straddles a quantity edge, cut a
    linking verb fused onto the word before a quantity (占比达36% is tagged 占|比达) and
    rejoin 占|比 into the noun 占比."""
    cuts = sorted({p for span in spans for p in span})
    starts = {span[0] for span in spans}
    out: list[Token] = []
    i = 0
    for start, end, tag in tokens:
        while i < len(cuts) and cuts[i] <= start:
            i += 1
        pos = start
        while i < len(cuts) and cuts[i] < end:
            out.append((pos, cuts[i], tag))
            pos = cuts[i]
            i += 1
        if end in starts and end - pos == 2 and text[end - 1] in LINKING_CHARS:
            out.append((pos, end - 1, "n"))
            out.append((end - 1, end, "v"))
        else:
            out.append((pos, end, tag))
        if text[end - 1] == "比" and len(out) > 1 and text[out[-2][0]:out[-1][1]] == "占比":
            out[-2:] = [(out[-2][0], out[-1][1], "n")]
    return out


class _Context:
    """Tokens of one text with quantity spans marked, for candidate generation."""

    def __init__(self, text: str, tokens: list[Token], spans: list[Span]):
        self.text = text
        self.tokens = _split_tokens(text, tokens, spans)
        self.starts = [t[0] for t in self.tokens]
        self.spans = spans
        self.quantity_token = [False] * len(self.tokens)
        for start, end in spans:  # tokens are cut at every span edge, so a token starts each span
            k = bisect.bisect_left(self.starts, start)
            while k < len(self.tokens) and self.tokens[k][0] < end:
                self.quantity_token[k] = True
                k += 1
        # Asked many times per token while candidates are built: computed once.
        self.words = [text[start:end] for start, end, _ in self.tokens]
        self.tags = [tag for _, _, tag in self.tokens]
        self.breaks = [not word.strip() or not CLAUSE_BREAKS.isdisjoint(word) for word in self.words]
        self.barriers = [brk or qty or token[2] == "m"
                         for brk, qty, token in zip(self.breaks, self.quantity_token, self.tokens)]

    def word(self, k: int) -> str:
        return self.words[k]

    def is_break(self, k: int) -> bool:
        return self.breaks[k]

    def is_barrier(self, k: int) -> bool:
        """A token a subject cannot contain: a clause break, a quantity or a digit run."""
        return self.barriers[k]

    def first_token(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)


def _tag(ctx: _Context, k: int) -> str:
    if k < 0 or k >= len(ctx.tokens):
        return "EDGE"
    if ctx.is_break(k):
        return "PUNCT"
    if ctx.quantity_token[k]:
        return "QTY"
    return ctx.tokens[k][2]


def _is_verb(ctx: _Context, k: int) -> bool:
    return ctx.tokens[k][2] in VERB_TAGS


def _is_nounish(ctx: _Context, k: int) -> bool:
    return 0 <= k < len(ctx.tokens) and not ctx.is_barrier(k) and ctx.tokens[k][2] in NOUN_TAGS


def _quantity_features(text: str, span: Span, side: str) -> dict:
    """The quantity's unit, conjoined with the candidate's side: counts take the noun after them."""
    surface = text[span[0]:span[1]]
    last = surface[-1:] or "?"
    return {f"{side}_unit_last={last}": 1, f"{side}_pct": int(surface.endswith(("%", "百分点", "成"))),
            f"{side}_money": int(surface.endswith("元"))}


def _span_features(ctx: _Context, first: int, last: int, side: str, gap_tokens: list[int]) -> dict:
    words = ctx.words[first:last + 1]
    tags = ctx.tags[first:last + 1]
    head = words[-1]
    features = {
        f"side={side}": 1,
        f"{side}_ntok={min(len(words), 6)}": 1,
        f"{side}_gap={min(len(gap_tokens), 5)}": 1,
        f"{side}_first_tag={tags[0]}": 1,
        f"{side}_last_tag={tags[-1]}": 1,
        f"{side}_before_tag={_tag(ctx, first - 1)}": 1,
        f"{side}_after_tag={_tag(ctx, last + 1)}": 1,
        f"{side}_before_noun": int(_is_nounish(ctx, first - 1)),
        f"{side}_after_noun": int(_is_nounish(ctx, last + 1)),
        f"{side}_verbs_inside": sum(t in VERB_TAGS for t in tags),
        # A verb followed by a noun inside the span reads as verb + object (投入资金), not a name.
        f"{side}_verb_object_inside": sum(a in VERB_TAGS and b in NOUN_TAGS for a, b in zip(tags, tags[1:])),
        f"{side}_nouns_inside": sum(t in NOUN_TAGS for t in tags),
        "chars": min(sum(map(len, words)), MAX_CANDIDATE_CHARS) / MAX_CANDIDATE_CHARS,
        "head=" + head: 1,
        "head_char=" + head[-1]: 1,
        "first=" + words[0]: 1,
        "has_de": int("的" in words),
    }
    if first > 0 and not ctx.is_barrier(first - 1):
        features["before_word=" + ctx.word(first - 1)] = 1
    for word, tag in zip(words, tags):
        if tag in VERB_TAGS:
            features["verb_inside=" + word] = 1
    for k in gap_tokens:
        features[f"{side}_gap_word={ctx.word(k)}"] = 1
        features[f"{side}_gap_tag={ctx.tokens[k][2]}"] = 1
    if not gap_tokens:
        features[f"{side}_adjacent"] = 1
    return features


def _valid_span(ctx: _Context, first: int, last: int) -> bool:
    if ctx.tokens[last][1] - ctx.tokens[first][0] > MAX_CANDIDATE_CHARS:
        return False
    if ctx.words[first] in EDGE_STOPWORDS or ctx.words[last] in EDGE_STOPWORDS or ctx.tags[first] == "q":
        return False
    tags = ctx.tags
    if any(tags[k] in VERB_TAGS and tags[k + 1] in NOUN_TAGS for k in range(first + 1, last)):
        return False  # a verb with its object inside (机关送去慰问金) is a clause, not a noun phrase
    surface = ctx.text[ctx.tokens[first][0]:ctx.tokens[last][1]]
    if surface.count("“") != surface.count("”") or surface.startswith("”"):
        return False
    return surface.endswith("”") or tags[last] not in FUNCTION_TAGS


def _left_window(ctx: _Context, q_first: int) -> int:
    """Index of the first token of the clause part before the quantity token `q_first`."""
    k = q_first - 1
    while k >= 0 and not ctx.is_break(k) and not ctx.quantity_token[k] and q_first - k <= MAX_LEFT_TOKENS:
        k -= 1
    return k + 1


def _candidates(ctx: _Context, index: int, previous: int | None) -> list[Candidate]:
    start, end = ctx.spans[index]
    q_first = ctx.first_token(start)
    q_last = ctx.first_token(end) - 1
    found: list[Candidate] = []
    window = _left_window(ctx, q_first)
    for last in range(window, q_first):
        for first in range(last, max(window, last - MAX_CANDIDATE_TOKENS + 1) - 1, -1):
            if ctx.is_barrier(first):
                break
            if _valid_span(ctx, first, last):
                features = _span_features(ctx, first, last, "L", list(range(last + 1, q_first)))
                features.update(_quantity_features(ctx.text, (start, end), "L"))
                features["window_start"] = int(first == window or ctx.is_barrier(first - 1))
                found.append(Candidate(index, ctx.tokens[first][0], ctx.tokens[last][1], "L", features))
    for first in range(q_last + 1, min(q_last + 3, len(ctx.tokens))):
        if ctx.is_barrier(first):
            break
        for last in range(first, min(first + MAX_CANDIDATE_TOKENS, len(ctx.tokens))):
            if ctx.is_barrier(last) or (last > first and _is_verb(ctx, last)):
                break
            if _valid_span(ctx, first, last):
                features = _span_features(ctx, first, last, "R", list(range(q_last + 1, first)))
                features.update(_quantity_features(ctx.text, (start, end), "R"))
                found.append(Candidate(index, ctx.tokens[first][0], ctx.tokens[last][1], "R", features))
    if previous is not None:
        features = _inherit_features(ctx, index, previous, window, q_first)
        features.update(_quantity_features(ctx.text, (start, end), "I"))
        found.append(Candidate(index, -1, -1, "I", features))
    features = _none_features(ctx, window, q_first, q_last)
    features.update(_quantity_features(ctx.text, (start, end), "N"))
    found.append(Candidate(index, -1, -1, "N", features))
    return found


def _none_features(ctx: _Context, window: int, q_first: int, q_last: int) -> dict:
    """Evidence that the quantity has no subject: a duration (过去一年), a bare head count (50人担任…)."""
    features = {"side=N": 1, "N_nouns_before": sum(_is_nounish(ctx, k) for k in range(window, q_first)),
                "N_noun_after": int(_is_nounish(ctx, q_last + 1)), "N_after_tag=" + _tag(ctx, q_last + 1): 1}
    if q_first > 0 and not ctx.is_barrier(q_first - 1):
        features["N_word_before=" + ctx.word(q_first - 1)] = 1
    return features


def _inherit_features(ctx: _Context, index: int, previous: int, window: int, q_first: int) -> dict:
    between = ctx.text[ctx.spans[previous][1]:ctx.spans[index][0]]
    features = {
        "side=I": 1,
        "I_between_chars": min(len(between), 10) / 10,
        "I_nouns_before": sum(_is_nounish(ctx, k) for k in range(window, q_first)),
        "I_window_empty": int(window == q_first),
    }
    joiner = between.strip()[:1] or "none"
    features["I_joiner=" + joiner] = 1
    for k in range(window, q_first):
        features["I_word=" + ctx.word(k)] = 1
    return features


def _previous_in_sentence(text: str, spans: list[Span]) -> list[int | None]:
    """For each span, the nearest earlier span of the same sentence (no 。；? between)."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    previous: list[int | None] = [None] * len(spans)
    for a, b in zip(order, order[1:]):
        between = text[spans[a][1]:spans[b][0]]
        if len(between) <= 30 and not any(ch in "。；;！？!?\n" for ch in between):
            previous[b] = a
    return previous


def candidates_of(text: str, tokens: list[Token], spans: list[Span]) -> tuple[list[Candidate], list[int | None]]:
    """Every subject candidate of every quantity span, and each span's predecessor in its sentence."""
    ctx = _Context(text, tokens, spans)
    previous = _previous_in_sentence(text, spans)
    found: list[Candidate] = []
    for index in range(len(spans)):
        found.extend(_candidates(ctx, index, previous[index]))
    return found, previous


def resolve(spans: list[Span], chosen: dict[int, Candidate], previous: list[int | None]) -> list[Span | None]:
    """Source spans of the chosen subjects, following inherit choices back through the sentence."""
    resolved: dict[int, Span | None] = {}
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        pick = chosen.get(index)
        if pick is None or pick.side == "N":
            resolved[index] = None
        elif pick.side == "I":
            resolved[index] = resolved.get(previous[index])
        else:
            resolved[index] = (pick.start, pick.end)
    return [resolved[i] for i in range(len(spans))]


def nearest_noun_subject(text: str, tokens: list[Token], spans: list[Span]) -> list[str | None]:
    """Baseline: the noun token right after the quantity, else the nearest noun before it in the clause."""
    ctx = _Context(text, tokens, spans)
    out: list[str | None] = []
    for start, end in spans:
        q_first, after = ctx.first_token(start), ctx.first_token(end)
        if _is_nounish(ctx, after) and ctx.tokens[after][2] != "vn":
            out.append(ctx.word(after))
            continue
        k = q_first - 1
        while k >= 0 and not ctx.is_barrier(k) and not _is_nounish(ctx, k):
            k -= 1
        out.append(ctx.word(k) if _is_nounish(ctx, k) else None)
    return out


class SubjectRanker:
    """A trained candidate ranker; load it once per process with `SubjectRanker.load`."""

    def __init__(self, model):
        self.model = model

    @classmethod
    def load(cls, models_dir: Path) -> "SubjectRanker | None":
        path = Path(models_dir) / "subject" / MODEL_FILE
        if not path.exists():
            log.warning("no subject model at %s; subjects fall back to the nearest noun", path)
            return None
        import joblib

        return cls(joblib.load(path))

    def choose(self, text: str, tokens: list[Token], spans: list[Span]) -> list[Span | None]:
        """The source span of each quantity's subject (None where no candidate exists)."""
        found, previous = candidates_of(text, tokens, spans)
        chosen: dict[int, Candidate] = {}
        if found:
            scores = self.model.decision_function([c.features for c in found])
            best: dict[int, float] = {}
            for candidate, score in zip(found, scores):
                if candidate.quantity not in best or score > best[candidate.quantity]:
                    best[candidate.quantity] = score
                    chosen[candidate.quantity] = candidate
        return resolve(spans, chosen, previous)

    def subjects(self, text: str, tokens: list[Token], spans: list[Span]) -> list[str | None]:
        """What each quantity span counts or pays, as written in `text`."""
        return [text[s[0]:s[1]] if s else None for s in self.choose(text, tokens, spans)]
