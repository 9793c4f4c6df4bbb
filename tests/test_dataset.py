"""Parquet tables, DuckDB views and the facts filter, on a dataset published from rows."""
from __future__ import annotations

import json

import pytest

from pipeline import dataset
from pipeline.dedup import signature
from pipeline.errors import DatasetError

FACTS = [
    # kind, text, start, value, unit, per, sentence
    ("money", "8万元", 10, 80000.0, "CNY", None, "区财政拨付慰问金8万元。"),
    ("money", "143元", 30, 143.0, "CNY", "month", "每月143元。"),
    ("count", "2.6万人", 50, 26000.0, "人", None, "退伍军人2.6万人。"),
    ("count", "2.6万人", 90, 26000.0, "人", None, "退伍军人2.6万人。"),
]


@pytest.fixture
def published(tmp_path):
    facts = [
        {"fact_id": f"f{i}", "doc_id": "d1", "kind": kind, "start": start, "end": start + len(text),
         "text": text, "value": value, "unit": unit, "approx": "exact", "per": per, "subject": None,
         "label": None, "extra": {}, "rule": "test", "sentence": sentence, "sentence_start": start - 4,
         "topic": None, "section_topic": None,
         "section": "一、总体情况"}
        for i, (kind, text, start, value, unit, per, sentence) in enumerate(FACTS)
    ]
    part = {"encoding": "utf-8", "confidence": 1.0, "facts": facts, "rejections": [], "removed": [],
            "documents": [{"doc_id": "d1", "title": "标题", "start": 0, "end": 120, "text": "x" * 120, "meta": {},
                           "minhash": signature("x" * 120).hashvalues.tolist()}]}
    part_path = tmp_path / "part.json"
    part_path.write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    outcome = {"status": "processed", "path": "in/a.txt", "name": "a.txt", "content_hash": "h", "part": str(part_path)}
    report = {"started": "2026-01-01T00:00:00+00:00", "version": "0", "fingerprint": "fp", "inputs": ["in"],
              "files": 1, "processed": 1, "cached": 0, "skipped": []}
    return dataset.publish(tmp_path / "out", [outcome], report)


def test_tables_load_as_dataframes(published):
    tables = dataset.load(published)
    assert set(tables) == set(dataset.TABLES)
    assert list(tables["facts"]["source"].unique()) == ["a.txt"]
    assert tables["runs"].iloc[0]["facts"] == 4


def test_a_fact_repeated_in_the_same_sentence_shares_one_canonical_id(published):
    facts = dataset.load(published)["facts"].set_index("fact_id")
    assert facts.loc["f3", "canonical_fact_id"] == "f2"
    assert facts.loc["f2", "canonical_fact_id"] == "f2"
    assert facts.loc["f0", "canonical_fact_id"] == "f0"


@pytest.mark.parametrize("filters, expected", [
    ({"kinds": ["money"]}, ["f0", "f1"]),
    ({"kinds": ["money"], "per": "month"}, ["f1"]),
    ({"min_value": 1000}, ["f0", "f2", "f3"]),
    ({"max_value": 1000}, ["f1"]),
    ({"contains": "退伍"}, ["f2", "f3"]),
    ({"unit": "人", "limit": 1}, ["f2"]),
])
def test_facts_filters(published, filters, expected):
    sql, params = dataset.facts_sql(**({"limit": 0} | filters))
    assert list(dataset.query(published, sql, params)["fact_id"]) == expected


def test_sql_errors_and_missing_datasets_are_explained(published, tmp_path):
    with pytest.raises(DatasetError, match="query failed"):
        dataset.query(published, "SELECT nope FROM facts")
    with pytest.raises(DatasetError, match="no zongjie dataset"):
        dataset.load(tmp_path / "elsewhere")
