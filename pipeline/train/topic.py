"""Train the topic classifier on hand-labelled sentences and cross-validate it.

Macro-F1 comes from 5-fold stratified cross-validation with a fixed shuffle seed; the saved
model is then fitted on every sentence.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.segment import Segmenter
from pipeline.topic import MODEL_FILE, TOPICS, words_joined, without_spaces
from pipeline.train.subject import read_jsonl

FOLDS = 5


def build_model(seed: int = 0):
    """Words and character 1-2-grams, TF-IDF weighted, into a linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.svm import LinearSVC

    words = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, lowercase=False)
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, preprocessor=without_spaces)
    return make_pipeline(FeatureUnion([("words", words), ("chars", chars)]),
                         LinearSVC(C=0.5, class_weight="balanced", random_state=seed))


def cross_validate(texts: list[str], labels: list[str], seed: int = 0, folds: int = FOLDS) -> dict:
    """Macro-F1 and per-label F1 of out-of-fold predictions."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(build_model(seed), texts, labels, cv=splitter)
    present = [t for t in TOPICS if t in set(labels)]
    per_label = f1_score(labels, predicted, labels=present, average=None)
    return {
        "folds": folds,
        "macro_f1": round(float(f1_score(labels, predicted, labels=present, average="macro")), 4),
        "accuracy": round(sum(p == g for p, g in zip(predicted, labels)) / len(labels), 4),
        "per_label_f1": {t: round(float(f), 4) for t, f in zip(present, per_label)},
        "support": {t: labels.count(t) for t in present},
    }


def train_topic(annotations: Path | list[dict], out_dir: Path, seed: int = 0, folds: int = FOLDS) -> dict:
    """Cross-validate, fit on all sentences, save the model and its card; returns the metrics."""
    import joblib

    records = read_jsonl(annotations) if isinstance(annotations, (str, Path)) else list(annotations)
    unknown = {r["topic"] for r in records} - set(TOPICS)
    if unknown:
        raise ValueError(f"topics not in TOPICS: {', '.join(sorted(unknown))}")
    texts = words_joined(Segmenter(), [r["text"] for r in records])
    labels = [r["topic"] for r in records]
    metrics = cross_validate(texts, labels, seed, folds)
    metrics["n"] = len(records)
    model = build_model(seed).fit(texts, labels)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / MODEL_FILE, compress=3)
    return metrics
