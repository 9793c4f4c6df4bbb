"""`pipeline.evaluate` must give the reference scorer's numbers (tests/reference/score.py)."""
from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest

from pipeline import evaluate
from pipeline.errors import GoldError

REFERENCE = Path(__file__).parent / "reference" / "score.py"
FIELDS = ("gold", "pred", "matched", "value_ok", "precision", "recall", "f1", "value_acc", "strict_f1")


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def perturbed(gold: list[dict]) -> list[dict]:
    """Predictions with every kind of error: misses, shifted spans, wrong values, false hits, splits."""
    pred = []
    for i, record in enumerate(gold):
        r = copy.deepcopy(record)
        if i % 7 == 0:
            continue
        if i % 5 == 0:
            r["start"] += 1
        if i % 11 == 0 and r.get("value") is not None:
            r["value"] = r["value"] * 10
        if i % 13 == 0:
            r["label"] = (r.get("label") or "") + "x"
            r.setdefault("extra", {})["iso"] = "1999"
        if i % 17 == 0:
            r["approx"] = "about"
        pred.append(r)
        if i % 19 == 0:
            pred.append(r | {"start": r["end"] + 200, "end": r["end"] + 203})
        if i % 23 == 0 and r["end"] - r["start"] > 2:
            middle = (r["start"] + r["end"]) // 2
            pred.append(r | {"start": middle, "end": r["end"]})
    return pred


def assert_same_scores(ours: dict, theirs: dict) -> None:
    assert set(ours["kinds"]) == set(theirs["kinds"])
    for kind, metrics in theirs["kinds"].items():
        for field in FIELDS:
            assert ours["kinds"][kind][field] == pytest.approx(metrics[field]), (kind, field)
    for field in FIELDS:
        assert ours["micro"][field] == pytest.approx(theirs["micro"][field]), field


def test_agrees_with_the_reference_scorer_on_perturbed_gold(reference, gold_dir):
    gold = evaluate.load_records(gold_dir)
    pred = perturbed(gold)
    assert_same_scores(evaluate.score(gold, pred), reference.score(reference.load_records(str(gold_dir)), pred))


def test_agrees_with_the_reference_scorer_for_a_subset_of_kinds(reference, gold_dir):
    gold = evaluate.load_records(gold_dir)
    pred = perturbed(gold)
    kinds = ["money", "initiative"]
    ours = evaluate.score(gold, pred, kinds=kinds)
    theirs = reference.score(reference.load_records(str(gold_dir)), pred, kinds=kinds)
    assert_same_scores(ours, theirs)


def test_gold_scored_against_itself_is_perfect(gold_dir):
    gold = evaluate.load_records(gold_dir)
    result = evaluate.score(gold, gold)
    assert result["micro"]["strict_f1"] == 1.0
    assert result["errors"] == []
    assert set(result["subtypes"]) == {"initiative:formula", "initiative:campaign"}


def test_errors_name_misses_false_hits_and_wrong_values_with_context():
    text = "全区退伍军人2.6万人，慰问金8万元。"
    gold = [
        {"source": "a.txt", "kind": "count", "start": 6, "end": 11, "text": "2.6万人", "value": 26000, "unit": "人"},
        {"source": "a.txt", "kind": "money", "start": 15, "end": 18, "text": "8万元", "value": 80000, "unit": "CNY"},
    ]
    pred = [
        {"source": "a.txt", "kind": "count", "start": 6, "end": 11, "text": "2.6万人", "value": 2.6, "unit": "人"},
        {"source": "a.txt", "kind": "money", "start": 0, "end": 2, "text": "全区", "value": 1, "unit": "CNY"},
    ]
    result = evaluate.score(gold, pred, texts={"a.txt": text})
    by_type = {e["error"]: e for e in result["errors"]}
    assert set(by_type) == {"value", "miss", "false"}
    assert by_type["miss"]["context"] == "全区退伍军人2.6万人，慰问金【8万元】。"
    assert by_type["value"]["pred"]["value"] == 2.6
    assert result["kinds"]["count"]["strict_f1"] == 0.0


def test_bad_gold_lines_are_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a", "kind": "money", "start": 1, "end": 2}\n{not json\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad.jsonl:2: not JSON"):
        evaluate.load_records(bad)
    with pytest.raises(GoldError, match="no such file"):
        evaluate.load_records(tmp_path / "missing.jsonl")
