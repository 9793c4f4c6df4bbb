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


# Formulas the gov-2026 notes list; each must be in the lexicon of the bundled run with as many
# mentions in the Beijing and Gansu reports as the gold annotates.
NOTES_FORMULAS = ("十三五 十四五 十五五 四个中心 两区 两新 两重 一老一小 百千工程 八项规定 双减 双一流 双碳 双控 双百 "
                  "双高计划 一区一策 一校一策 一村一策 开一备三 五育融合 两网融合 两个关键小事 3个100 14+1 3+2 四个1 三公 "
                  "两委 两院 五个一工程 每月一题 三城 兰白两区").split()


def gold_formula_counts(gold_dir) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for path in gold_dir.glob("gov-2026-*.jsonl"):
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            if record["kind"] == "initiative":
                key = (record["source"], record["label"])
                counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("label", NOTES_FORMULAS)
def test_the_lexicon_counts_every_formula_of_the_notes(bundled_run, gold_dir, label):
    out, _ = bundled_run
    tables = dataset.load(out)
    assert label in set(tables["initiatives"]["label"])
    facts = tables["facts"]
    expected = {source: n for (source, gold_label), n in gold_formula_counts(gold_dir).items() if gold_label == label}
    found = facts[(facts["kind"] == "initiative") & (facts["label"] == label) & facts["source"].isin(list(expected))]
    assert found["source"].value_counts().to_dict() == expected
