"""Context for facts: the sentence each sits in, the section heading it sits under, what a
quantity counts (subject), which organisation acts (actor) and the policy area (topic)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property
from operator import itemgetter
from pathlib import Path

from pipeline.actor import actor_at, generic_bodies, names_body_head
from pipeline.records import ENTITY_KINDS, QUANTITY_KINDS, Mention
from pipeline.resources import MODELS
from pipeline.segment import Segmenter, Token
from pipeline.subject import SubjectRanker, nearest_noun_subject, subject_text
from pipeline.topic import TopicClassifier

_SENTENCE_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”」』）)]?|\n|$)")

# Outline headings of Chinese reports: 一、 / （一） / 1. / 第一章 / 第一部分, on a short line.
_HEADING = re.compile(
    r"^[ \t　]*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节部分篇])[^\n]{0,60}$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Outline:
    """Sentence and section lookups over one text, built once per text."""

    sentence_starts: list[int]
    sentence_ends: list[int]
    heading_starts: list[int]
    headings: list[str]

    @classmethod
    def of(cls, text: str) -> "Outline":
        starts, ends = [], []
        for match in _SENTENCE_END.finditer(text):
            if match.end() > match.start():
                starts.append(match.start())
                ends.append(match.end())
        heads = [(m.start(), m.group().strip()) for m in _HEADING.finditer(text)]
        return cls(starts, ends, [h[0] for h in heads], [h[1] for h in heads])

    def sentence(self, start: int) -> tuple[int, int]:
        """The (start, end) of the sentence that holds the character at `start`."""
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        if i < 0:
            return (0, 0)
        return self.sentence_starts[i], self.sentence_ends[i]

    def section(self, start: int, floor: int = 0) -> str | None:
        """The nearest heading at or before `start` that is not before `floor`."""
        i = bisect.bisect_right(self.heading_starts, start) - 1
        if i < 0 or self.heading_starts[i] < floor:
            return None
        return self.headings[i]


class Linker:
    """Links built once per process: the subject of each quantity, the actor of each fact's
    sentence, and the topic of sentences. Runs rules-only (nearest noun, no topic) when a
    model is missing from `models/`.
    """

    def __init__(self, segmenter: Segmenter, models_dir: Path = MODELS):
        self.subjects = SubjectRanker.load(models_dir)
        self._segmenter = segmenter
        self._models_dir = models_dir

    @cached_property
    def topics(self) -> TopicClassifier | None:
        """Loaded on first use: `zongjie extract` needs no topics, and the model brings in scikit-learn."""
        return TopicClassifier.load(self._models_dir, self._segmenter)

    def link(self, text: str, folded: str, tokens: list[Token], mentions: list[Mention],
             outline: Outline) -> list[Mention]:
        """`mentions` with `subject` filled for quantities and `extra.actor` where an org acts in the fact's clause."""
        quantities = [i for i, m in enumerate(mentions) if m.kind in QUANTITY_KINDS]
        spans = [(mentions[i].start, mentions[i].end) for i in quantities]
        if self.subjects is not None:
            subjects = [subject_text(text, s) for s in self.subjects.choose(folded, tokens, spans)]
        else:
            subjects = nearest_noun_subject(text, tokens, spans)
        linked = list(mentions)
        for i, subject in zip(quantities, subjects):
            linked[i] = replace(linked[i], subject=subject)
        actors = _SentenceActors(folded, tokens, [m for m in mentions if m.kind == "org"])
        for i, mention in enumerate(linked):
            if mention.kind in ENTITY_KINDS:
                continue
            actor = actors.at(outline.sentence(mention.start), mention.start)
            if actor:
                linked[i] = replace(mention, extra=mention.extra | {"actor": actor})
        return linked

    def topics_of(self, sentences: list[str]) -> list[str | None]:
        """The policy area of each sentence (None without a topic model)."""
        if self.topics is None or not sentences:
            return [None] * len(sentences)
        return self.topics.predict(sentences)


_START = itemgetter(0)


class _SentenceActors:
    """The acting org or body of facts, read from the fact's sentence, each sentence once.

    Most sentences hold no org and no body's head, so they need neither their tokens nor their
    tags; tokens are found by bisecting on their starts, which come in text order."""

    def __init__(self, folded: str, tokens: list[Token], orgs: list[Mention]):
        self._folded = folded
        self._tokens = tokens
        self._orgs = orgs
        self._org_starts = [m.start for m in orgs]
        self._read: dict[tuple[int, int], tuple[str, list, dict[int, str]] | None] = {}

    def at(self, sentence: tuple[int, int], position: int) -> str | None:
        """The actor for a fact at `position` in the text, inside `sentence` (start, end)."""
        if sentence not in self._read:
            self._read[sentence] = self._read_sentence(*sentence)
        read = self._read[sentence]
        if read is None:
            return None
        text, entities, tags = read
        return actor_at(text, entities, position - sentence[0], tags)

    def _read_sentence(self, start: int, end: int) -> tuple[str, list, dict[int, str]] | None:
        """The sentence's text, its orgs and generic bodies (offsets relative to it) and the tags
        of its tokens by start; None when it holds no org or body, so no fact in it has an actor."""
        text = self._folded[start:end]
        # Orgs starting after the sentence's end cannot lie in it.
        first, last = bisect.bisect_left(self._org_starts, start), bisect.bisect_right(self._org_starts, end)
        entities = [(m.start - start, m.end - start, m.kind, m.label) for m in self._orgs[first:last] if m.end <= end]
        has_body = names_body_head(text)
        if not entities and not has_body:
            return None
        first = bisect.bisect_left(self._tokens, start, key=_START)
        last = bisect.bisect_left(self._tokens, end, key=_START)
        relative = [(s - start, e - start, tag) for s, e, tag in self._tokens[first:last]]
        if has_body:
            entities += generic_bodies(text, relative)
        if not entities:
            return None
        return text, entities, {s: tag for s, _, tag in relative}
