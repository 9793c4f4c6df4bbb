"""Extraction: run every extractor over a source text and settle where they disagree.

Each family lives in its own module as a pure function over the folded text (quantities,
dates, initiatives, entities). `Extractor` holds what is expensive to build (the segmenter,
trained models) once per process.
"""
from __future__ import annotations

import bisect
from operator import attrgetter

from pipeline.coverage import unparsed
from pipeline.extract.dates import extract_dates
from pipeline.extract.entities import extract_entities
from pipeline.extract.initiatives import extract_initiatives
from pipeline.extract.quantities import extract_quantities
from pipeline.link import Linker, Outline
from pipeline.normalize import fold
from pipeline.records import Extraction, Mention, Rejection
from pipeline.segment import Segmenter


class Extractor:
    """All extractors, built once; `extract(source_text)` returns mentions in source offsets."""

    def __init__(self, segmenter: Segmenter | None = None):
        self.segmenter = segmenter or Segmenter()
        self.linker = Linker(self.segmenter)

    def extract(self, text: str, outline: Outline | None = None) -> Extraction:
        """Facts of a source text (SCHEMA offsets), linked to subjects and actors."""
        folded = fold(text)
        tokens = self.segmenter.tokens(folded)
        numeric = [extract_quantities(folded), extract_dates(folded)]
        initiatives = extract_initiatives(folded, tokens)
        entities = extract_entities(folded, tokens)
        mentions, rejections = _drop_inside_formulas(
            [m for e in numeric for m in e.mentions], initiatives.mentions
        )
        for part in (*numeric, initiatives, entities):
            rejections.extend(part.rejections)
        mentions += initiatives.mentions + entities.mentions
        mentions.sort(key=attrgetter("start", "end", "kind"))  # key tuples built in C, not by a lambda
        mentions = self.linker.link(text, folded, tokens, mentions, outline or Outline.of(text))
        rejections += _unparsed(folded, Extraction(mentions, rejections))
        rejections.sort(key=attrgetter("start", "end"))
        return Extraction(mentions, rejections)


def _unparsed(folded: str, extraction: Extraction) -> list[Rejection]:
    """Numerals no rule looked at, so that the ledger accounts for every numeral."""
    return [Rejection(start, end, "unparsed", "coverage") for start, end in unparsed(folded, extraction)]


def _drop_inside_formulas(
    numeric: list[Mention], initiatives: list[Mention]
) -> tuple[list[Mention], list[Rejection]]:
    """A numeral inside a formula (the 三 of 三进) is part of the formula's name, not a quantity."""
    formulas = sorted((m.start, m.end) for m in initiatives if m.extra.get("subtype") == "formula")
    starts = [start for start, _ in formulas]
    kept, rejected = [], []
    for mention in numeric:
        i = bisect.bisect_right(starts, mention.start) - 1
        if i >= 0 and mention.end <= formulas[i][1]:
            rejected.append(Rejection(mention.start, mention.end, "inside a formula", mention.rule))
        else:
            kept.append(mention)
    return kept, rejected
