"""The initiative lexicon: one row per initiative named anywhere in a dataset.

Reports keep naming the same formulas (十四五, 两个维护) and campaigns; this table gathers their
mentions under a stable id so that a reader can see where a name first appears, how widely it
is used and what the reports say it stands for (its members and the sentences defining it).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import pandas as pd

from pipeline.normalize import fold

COLUMNS = ("initiative_id", "label", "subtype", "type", "parts", "mentions", "documents",
           "first_document", "last_document", "members", "definitions")


def normalise_label(label: str) -> str:
    """Fold width and script, drop quotes, spaces and separators, so spellings of one name meet."""
    return re.sub(r"[\s“”\"'‘’·・]", "", fold(label))


def initiative_id(label: str) -> str:
    """A stable id from the normalised label (the same across runs and datasets)."""
    return hashlib.blake2b(normalise_label(label).encode("utf-8"), digest_size=8).hexdigest()


def _extra(value) -> dict:
    """`extra` as a dict, whether the frame holds dicts or the dataset's JSON strings."""
    if isinstance(value, dict):
        return value
    return json.loads(value) if isinstance(value, str) and value else {}


def _most_common(values) -> object:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


def build_initiative_lexicon(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every initiative across a dataset, most mentioned first.

    `facts` needs fact_id, doc_id, source, kind, start, end, text, label, extra, sentence;
    `documents` needs doc_id, source, title. Documents are ordered by title, then source, then
    doc_id; `first_document` / `last_document` are the doc_ids of the first and last documents
    (in that order) that mention the initiative. `members` are the member texts found for it
    (deduplicated, in order of appearance) and `definitions` the sentences holding them.
    """
    rows = facts[facts["kind"] == "initiative"]
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    ordered = documents.sort_values(["title", "source", "doc_id"])["doc_id"].tolist()
    rank = {doc_id: index for index, doc_id in enumerate(ordered)}
    rows = rows.assign(
        _extra=rows["extra"].map(_extra),
        _key=rows["label"].fillna(rows["text"]).map(normalise_label),
        _rank=rows["doc_id"].map(lambda d: rank.get(d, len(rank))),
    ).sort_values(["_rank", "doc_id", "start"])
    table = []
    for key, group in rows.groupby("_key", sort=False):
        extras = group["_extra"].tolist()
        members = list(dict.fromkeys(text for e in extras for text in e.get("member_texts", [])))
        definitions = list(dict.fromkeys(
            sentence for sentence, e in zip(group["sentence"], extras) if e.get("members") and sentence))
        docs = list(dict.fromkeys(group["doc_id"]))
        table.append({
            "initiative_id": initiative_id(key),
            "label": _most_common(group["label"].fillna(group["text"])),
            "subtype": _most_common(e.get("subtype") for e in extras),
            "type": _most_common(e.get("type") for e in extras),
            "parts": next((e["parts"] for e in extras if e.get("parts")), None),
            "mentions": len(group),
            "documents": len(docs),
            "first_document": docs[0],
            "last_document": docs[-1],
            "members": members,
            "definitions": definitions,
        })
    frame = pd.DataFrame(table, columns=list(COLUMNS))
    return frame.sort_values(["mentions", "label"], ascending=[False, True], ignore_index=True)
