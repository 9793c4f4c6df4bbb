"""Sources -> documents: the reports a source holds, as character ranges of its text."""
from __future__ import annotations

import hashlib

from pipeline.records import Document, Removed, Source


def document_id(text: str) -> str:
    """Stable id from the document's content, so a re-run or a copy of it gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def split_documents(source: Source) -> list[Document]:
    """The documents of a source: the whole text, trimmed, titled by its first line."""
    text = source.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    body = text[start:end]
    title = body.split("\n", 1)[0].strip()[:200]
    return [
        Document(
            doc_id=document_id(body),
            source=source.name,
            path=source.path,
            encoding=source.encoding,
            title=title,
            start=start,
            end=end,
            text=body,
        )
    ]


def furniture(source: Source) -> list[Removed]:
    """Stretches of page furniture in a source (none are recognised yet)."""
    return []
