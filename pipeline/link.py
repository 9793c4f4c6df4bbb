"""Context for facts: the sentence each sits in, the section heading it sits under, what a
quantity counts (subject), which organisation acts (actor) and the policy area (topic)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from pipeline.actor import actor_at, generic_bodies
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
        orgs = [m for m in mentions if m.kind == "org"]
        org_starts = [m.start for m in orgs]
        orgs_of: dict[tuple[int, int], list] = {}
        tags_of: dict[tuple[int, int], dict[int, str]] = {}
        token_starts = [start for start, _, _ in tokens]
        for i, mention in enumerate(linked):
            if mention.kind in ENTITY_KINDS:
                continue
            sentence = outline.sentence(mention.start)
            if sentence not in orgs_of:
                first = bisect.bisect_left(org_starts, sentence[0])
                orgs_of[sentence] = [(m.start - sentence[0], m.end - sentence[0], m.kind, m.label)
                                     for m in orgs[first:] if m.end <= sentence[1]]
            if sentence not in tags_of:
                first = bisect.bisect_left(token_starts, sentence[0])
                last = bisect.bisect_left(token_starts, sentence[1])
                relative = [(start - sentence[0], end - sentence[0], tag) for start, end, tag in tokens[first:last]]
                tags_of[sentence] = {start: tag for start, _, tag in relative}
                orgs_of[sentence] += generic_bodies(folded[sentence[0]:sentence[1]], relative)
            if not orgs_of[sentence]:
                continue
            actor = actor_at(folded[sentence[0]:sentence[1]], orgs_of[sentence], mention.start - sentence[0],
                             tags_of[sentence])
            if actor:
                linked[i] = replace(mention, extra=mention.extra | {"actor": actor})
        return linked

    def topics_of(self, sentences: list[str]) -> list[str | None]:
        """The policy area of each sentence (None without a topic model)."""
        if self.topics is None or not sentences:
            return [None] * len(sentences)
        return self.topics.predict(sentences)
