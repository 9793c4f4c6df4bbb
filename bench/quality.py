"""Extraction quality on the bundled gold: extracts the gold sources, scores them as
docs/SCHEMA.md defines it, and checks each kind against the bar the project holds it to.

    python bench/quality.py [--errors FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import evaluate  # noqa: E402
from pipeline.extract import Extractor  # noqa: E402
from pipeline.ingest import read_source  # noqa: E402
from pipeline.resources import CORPORA, GOLD  # noqa: E402
from pipeline.runner import schema_records  # noqa: E402

# (kind, metric, floor): strict F1 for quantities and dates, F1 for names.
BARS = [
    ("money", "strict_f1", 0.95), ("count", "strict_f1", 0.95), ("percent", "strict_f1", 0.95),
    ("measure", "strict_f1", 0.90), ("ratio", "strict_f1", 0.90), ("date", "strict_f1", 0.90),
    ("initiative", "f1", 0.90),
    ("person", "f1", 0.90), ("org", "f1", 0.80), ("place", "f1", 0.80),
]
QUANTITIES = ("money", "count", "percent", "ratio", "measure")


def gold_predictions() -> tuple[list[dict], list[dict], dict[str, str]]:
    gold = evaluate.load_records(GOLD)
    extractor = Extractor()
    pred, texts = [], {}
    for name in sorted({r["source"] for r in gold}):
        path = next(CORPORA.rglob(name))
        source = read_source(path)
        texts[name] = source.text
        pred.extend(schema_records(source, extractor.extract(source.text)))
    return gold, pred, texts


def value_accuracy(result: dict) -> float:
    matched = sum(result["kinds"][k]["matched"] for k in QUANTITIES if k in result["kinds"])
    agree = sum(result["kinds"][k]["value_ok"] for k in QUANTITIES if k in result["kinds"])
    return agree / matched if matched else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", type=Path, help="write every miss, false hit and wrong value here (JSONL)")
    options = parser.parse_args()
    gold, pred, texts = gold_predictions()
    result = evaluate.score(gold, pred, texts=texts)
    print(f"sources: {', '.join(result['sources'])}")
    print(evaluate.format_table(result))
    print()
    for kind, metric, floor in BARS:
        got = result["kinds"].get(kind, {}).get(metric, 0.0)
        print(f"{'PASS' if got >= floor else 'FAIL'}  {kind:<11}{metric:<10} {got:.3f}  (bar {floor:.2f})")
    accuracy = value_accuracy(result)
    print(f"{'PASS' if accuracy >= 0.98 else 'FAIL'}  quantities value accuracy {accuracy:.3f}  (bar 0.98)")
    if options.errors:
        with open(options.errors, "w", encoding="utf-8") as handle:
            for error in result["errors"]:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
