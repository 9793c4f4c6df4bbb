"""Context for facts: the sentence each sits in and the section heading it sits under."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

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
