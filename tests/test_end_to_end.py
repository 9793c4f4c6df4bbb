"""The whole pipeline on the bundled corpus, scored against the bundled gold."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cli
from pipeline import dataset

from conftest import GOLD_SOURCES

# Floors under which extraction quality must never fall (strict F1 for quantities and dates,
# F1 for names), on seed + Beijing + Gansu gold together. bench/quality.py prints the figures.
FLOORS = {
    "money": ("strict_f1", 0.95), "count": ("strict_f1", 0.95), "percent": ("strict_f1", 0.95),
    "measure": ("strict_f1", 0.90), "ratio": ("strict_f1", 0.90), "date": ("strict_f1", 0.90),
    "initiative": ("f1", 0.90),
    "person": ("f1", 0.90), "org": ("f1", 0.80), "place": ("f1", 0.80),
}


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e") / "out"
    result = CliRunner().invoke(cli.app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def scores(tmp_path_factory, gold_dir):
    pred = tmp_path_factory.mktemp("pred") / "pred.jsonl"
    runner = CliRunner()
    result = runner.invoke(cli.app, ["extract", *map(str, GOLD_SOURCES), "--jsonl", str(pred)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli.app, ["evaluate", "--gold", str(gold_dir), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output), pred


def test_the_bundled_corpus_runs_end_to_end(bundled_run):
    out, output = bundled_run
    assert "dataset: " in output
    tables = dataset.load(out)
    assert tables["documents"]["source"].nunique() == 32
    assert set(tables["facts"]["kind"]) >= {"money", "count", "percent", "measure", "date", "initiative"}
    assert tables["facts"]["fact_id"].is_unique


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_extraction_meets_its_floor_on_the_gold(scores, kind):
    metric, floor = FLOORS[kind]
    result, _ = scores
    assert result["kinds"][kind][metric] >= floor, (kind, result["kinds"][kind])


def test_the_dataset_holds_what_extract_writes(bundled_run, scores):
    out, _ = bundled_run
    _, pred = scores
    extracted = {(r["source"], r["kind"], r["start"], r["end"])
                 for r in map(json.loads, pred.read_text(encoding="utf-8").splitlines())}
    facts = dataset.load(out)["facts"]
    names = {p.name for p in GOLD_SOURCES}
    stored = {(f.source, f.kind, f.start, f.end) for f in facts.itertuples() if f.source in names}
    assert stored == extracted
