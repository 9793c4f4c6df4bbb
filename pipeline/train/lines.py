"""Train the furniture line classifier on the hand-labelled lines of `corpora/annotations/lines.jsonl`.

Each line is seen through `clean.line_features` (its characters, folded as the rules read
them, its length and its neighbours' shape), so the training code rebuilds every labelled
line's neighbours from its source file. The model is a char n-gram TF-IDF + logistic regression pipeline saved with
joblib; `clean.furniture` loads it from `models/lines/model.joblib`.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.clean import CLASSIFIER_THRESHOLD, Line, folded_lines, line_features
from pipeline.errors import ZongjieError
from pipeline.ingest import iter_input_files, read_source
from pipeline.resources import SAMPLE_CORPUS

FURNITURE = "furniture"


class AnnotationError(ZongjieError):
    """A labelled line that does not match its source text."""


def load_examples(path: Path, corpus: tuple[Path, ...] = SAMPLE_CORPUS) -> list[tuple[str, int, str]]:
    """(features, is_furniture, split) for every labelled line, neighbours read from its source."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    sources = {p.name: p for p in iter_input_files(corpus)}
    lines_by_source: dict[str, list[Line]] = {}
    texts: dict[str, str] = {}
    examples = []
    for row in rows:
        if row["source"] not in lines_by_source:
            if row["source"] not in sources:
                raise AnnotationError(f"{row['source']}: no such source under {', '.join(map(str, corpus))}")
            source = read_source(sources[row["source"]])
            texts[row["source"]] = source.text
            lines_by_source[row["source"]] = folded_lines(source)
        lines = lines_by_source[row["source"]]
        line = next((l for l in lines if (l.start, l.end) == (row["start"], row["end"])), None)
        if line is None or texts[row["source"]][line.start:line.end] != row["text"]:
            raise AnnotationError(f"{row['source']}:{row['start']}-{row['end']}: the text is not a line of the source")
        examples.append((line_features(lines, line.index), int(row["label"] == FURNITURE), row["split"]))
    return examples


def build_model(seed: int = 0):
    """Char 1-3-grams (with the shape tokens of `line_features`) into a balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=20000),
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed),
    )


def train_lines(path: Path, out_dir: Path, seed: int = 0) -> dict:
    """Fit on the train split, report held-out precision/recall, save the model to `out_dir`."""
    import joblib
    from sklearn.metrics import precision_recall_fscore_support

    examples = load_examples(Path(path))
    train = [(x, y) for x, y, split in examples if split == "train"]
    test = [(x, y) for x, y, split in examples if split == "test"]
    model = build_model(seed)
    model.fit([x for x, _ in train], [y for _, y in train])
    scores = {"train_lines": len(train), "test_lines": len(test), "threshold": CLASSIFIER_THRESHOLD}
    if test:
        probabilities = model.predict_proba([x for x, _ in test])[:, 1]
        predicted = [int(p >= CLASSIFIER_THRESHOLD) for p in probabilities]
        precision, recall, f1, _ = precision_recall_fscore_support(
            [y for _, y in test], predicted, average="binary", zero_division=0)
        scores.update(precision=round(float(precision), 4), recall=round(float(recall), 4), f1=round(float(f1), 4))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out_dir / "model.joblib", compress=3)
    return scores
