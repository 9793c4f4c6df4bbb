"""Records that flow between the pipeline's stages.

Extractors return `Mention`s with offsets into the text they were given; the extraction
stage turns them into `Fact`s whose offsets point into the source file's text (SCHEMA.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUANTITY_KINDS = ("money", "count", "percent", "ratio", "measure")
ENTITY_KINDS = ("org", "person", "place")
KINDS = QUANTITY_KINDS + ("date", "initiative") + ENTITY_KINDS
APPROX = ("exact", "over", "under", "about", "vague")


@dataclass(frozen=True)
class Source:
    """A decoded input file: `text` is the SCHEMA source text (newlines folded to \\n)."""

    name: str
    path: str
    text: str
    encoding: str
    confidence: float
    content_hash: str


@dataclass(frozen=True)
class Document:
    """One report inside a source: a character range of the source text.

    `meta` holds what the text says about the report (issuing body, level, year).
    """

    doc_id: str
    source: str
    path: str
    encoding: str
    title: str
    start: int
    end: int
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Removed:
    """A stretch of a source left out of every document (page furniture), with its reason."""

    start: int
    end: int
    reason: str
    rule: str = ""


@dataclass(frozen=True)
class Skipped:
    """An input (a file or an archive member) that could not be read, with a stable reason code."""

    path: str
    reason: str
    detail: str


@dataclass(slots=True)
class Mention:
    """What an extractor found, with offsets into the text it was given.

    Not frozen, though no stage changes one (stages build new ones with `dataclasses.replace`):
    tens of thousands are made per report, and a frozen dataclass sets each field through
    `object.__setattr__`, several times slower."""

    kind: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    approx: str = "exact"
    per: str | None = None
    subject: str | None = None
    label: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    rule: str = ""


@dataclass(slots=True)
class Rejection:
    """A numeral an extractor saw and decided is not a fact, with its reason."""

    start: int
    end: int
    reason: str
    rule: str = ""


@dataclass(frozen=True)
class Extraction:
    """An extractor's answer for one text."""

    mentions: list[Mention] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
