"""Cross-validated macro-F1 and per-label F1 of the topic classifier on
corpora/annotations/topics.jsonl (5 stratified folds, fixed seed).

    python bench/topic_cv.py [--seed N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.resources import CORPORA  # noqa: E402
from pipeline.segment import Segmenter  # noqa: E402
from pipeline.topic import words_joined  # noqa: E402
from pipeline.train.subject import read_jsonl  # noqa: E402
from pipeline.train.topic import cross_validate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records = read_jsonl(CORPORA / "annotations" / "topics.jsonl")
    texts = words_joined(Segmenter(), [r["text"] for r in records])
    result = cross_validate(texts, [r["topic"] for r in records], args.seed)
    print(f"{len(records)} sentences, {result['folds']}-fold CV, seed {args.seed}")
    print(f"macro-F1 {result['macro_f1']:.3f}   accuracy {result['accuracy']:.3f}\n")
    print(f"  {'topic':<10}{'n':>5}{'F1':>8}")
    for topic, f1 in result["per_label_f1"].items():
        print(f"  {topic:<10}{result['support'][topic]:>5}{f1:>8.3f}")


if __name__ == "__main__":
    main()
