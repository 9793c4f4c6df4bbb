"""The word segmenter, built once per process and passed to the stages that need words.

Quantities are found on characters; words serve the initiative and entity extractors. The
default backend is rjieba (jieba's algorithm and dictionary in compiled code, several times
faster than jieba); `jieba` is kept as a backend for exact jieba behaviour. Both accept a user
dictionary in jieba's format ("word [freq] [tag]" per line).
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path

Token = tuple[int, int, str]  # start, end, part-of-speech tag


class Backend(str, Enum):
    rjieba = "rjieba"
    jieba = "jieba"


class Segmenter:
    """Word spans with jieba POS tags over a text; offsets are character offsets into it."""

    def __init__(self, backend: Backend = Backend.rjieba, user_dict: Path | None = None):
        self.backend = Backend(backend)
        if self.backend is Backend.rjieba:
            import rjieba

            self._engine = rjieba.Jieba()
            self._tag = self._engine.tag
        else:
            import jieba
            import jieba.posseg

            self._engine = jieba.Tokenizer()
            self._posseg = jieba.posseg.POSTokenizer(self._engine)
            self._tag = lambda text: [(p.word, p.flag) for p in self._posseg.cut(text)]
        if user_dict is not None:
            self.load_user_dict(Path(user_dict))

    def load_user_dict(self, path: Path) -> None:
        """Add the words of a jieba-format user dictionary."""
        if self.backend is Backend.jieba:
            self._engine.load_userdict(str(path))
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            self._engine.add_word(parts[0], freq, tag)

    def tokens(self, text: str) -> list[Token]:
        """Tagged word spans covering `text` end to end."""
        # One pass that carries the running offset: accumulating lengths through a generator
        # and zipping them back costs a generator step and a second len() per word.
        tokens = []
        end = 0
        for word, tag in self._tag(text):
            start, end = end, end + len(word)
            tokens.append((start, end, tag))
        return tokens
