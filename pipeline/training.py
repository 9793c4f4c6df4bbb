"""Rebuild every model the pipeline ships from the annotations in `corpora/`.

Each trainer fits with a fixed seed and returns its held-out metrics; this module writes the
model's card beside it (what data, which hash of it, when, which versions, on what processor,
what it scored), so that a rebuild can be checked against the shipped model.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import platform
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from pipeline.resources import CORPORA, MODELS


@dataclass(frozen=True)
class Trainer:
    module: str
    function: str
    data: str  # path under corpora/
    description: str
    # Stochastic gradient descent over float32 ends elsewhere when the CPU's vector code rounds
    # differently: such a model reproduces its metrics only on a machine like the one on its card.
    cpu_dependent: bool = False


TRAINERS = {
    "lines": Trainer("pipeline.train.lines", "train_lines", "annotations/lines.jsonl",
                     "page-furniture line classifier: char n-gram TF-IDF + logistic regression"),
    "ner": Trainer("pipeline.train.ner", "train_ner", "annotations/entities.jsonl",
                   "spaCy NER (blank zh, jieba segmenter, CNN tok2vec) for org, person, place", cpu_dependent=True),
    "subject": Trainer("pipeline.train.subject", "train_subject", "annotations/subjects.jsonl",
                       "subject: token-boundary logistic regressions + pairwise head and start rankers"),
    "topic": Trainer("pipeline.train.topic", "train_topic", "annotations/topics.jsonl",
                     "topic classifier: TF-IDF over words and characters + linear SVM"),
}
LIBRARIES = ("scikit-learn", "spacy", "joblib", "jieba", "rjieba", "numpy")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("zongjie",) + LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def machine() -> dict:
    """The processor the numeric kernels were chosen for: numpy and the BLAS libraries pick their
    vector code (AVX2, AVX-512 …) by CPU at run time."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:
        return {"arch": platform.machine(), "cpu_features": None}
    return {"arch": platform.machine(), "cpu_features": sorted(k for k, on in __cpu_features__.items() if on)}


def train(names: list[str] | None = None, seed: int = 0, models_dir: Path = MODELS,
          corpora: Path = CORPORA) -> dict[str, dict]:
    """Train the named models (all by default) into `models_dir`; returns each one's metrics."""
    results = {}
    for name in names or list(TRAINERS):
        trainer = TRAINERS[name]
        data = Path(corpora) / trainer.data
        fit = getattr(importlib.import_module(trainer.module), trainer.function)
        out_dir = Path(models_dir) / name
        metrics = fit(data, out_dir, seed=seed)
        card = {
            "model": name, "description": trainer.description, "data": f"corpora/{trainer.data}",
            "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "trained": date.today().isoformat(), "seed": seed, "metrics": metrics, "versions": versions(),
            "machine": machine(),
        }
        (out_dir / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", "utf-8")
        results[name] = metrics
    return results


def read_card(name: str, models_dir: Path = MODELS) -> dict | None:
    path = Path(models_dir) / name / "card.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def numeric_leaves(metrics, prefix: str = "") -> dict[str, float]:
    """Every number in a nested metrics dict, keyed by its path (for comparing two trainings)."""
    if isinstance(metrics, dict):
        leaves = {}
        for key, value in metrics.items():
            leaves |= numeric_leaves(value, f"{prefix}{key}.")
        return leaves
    if isinstance(metrics, (int, float)) and not isinstance(metrics, bool):
        return {prefix.rstrip("."): float(metrics)}
    return {}


def rule_report() -> list[dict]:
    """Coverage and precision of each entity rule on the hand-labelled sentences."""
    from pipeline.train.ner import rule_report as entity_rule_report

    return entity_rule_report(CORPORA / TRAINERS["ner"].data)
