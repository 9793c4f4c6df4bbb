"""Train the subject ranker on hand-annotated quantities and measure it.

The right candidate of an annotated quantity is the one whose span is the annotated subject
(the inherit candidate when the subject lies before the previous quantity of the sentence, the
none candidate when there is no subject). A logistic regression learns from the differences
between the right candidate and each wrong one; at run time the best-scored candidate wins. Accuracy is the share
of quantities whose predicted subject string equals the annotated one; the lenient score also
accepts a prediction that contains the annotation, is contained in it, or ends in the same two
characters (the head noun: 优抚对象 / 重点优抚对象).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.quantities import extract_quantities
from pipeline.normalize import fold
from pipeline.resources import GOLD, SAMPLE_CORPUS
from pipeline.segment import Segmenter
from pipeline.subject import MODEL_FILE, SubjectRanker, Token, candidates_of, nearest_noun_subject

QUANTITY_KINDS = frozenset({"money", "count", "percent", "ratio", "measure"})
GOLD_FILES = ("seed.jsonl", "gov-2026-beijing.jsonl", "gov-2026-gansu.jsonl")


@dataclass(frozen=True)
class SourceText:
    """A source document folded for extraction, with its tokens and its quantity spans."""

    text: str
    tokens: list[Token]
    spans: list[tuple[int, int]]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def source_path(name: str) -> Path:
    for folder in SAMPLE_CORPUS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"source {name} is not in {', '.join(map(str, SAMPLE_CORPUS))}")


def load_source(name: str, segmenter: Segmenter, extra_spans: list[tuple[int, int]] = ()) -> SourceText:
    """Fold, segment and find quantities in one source, adding `extra_spans` the extractor missed."""
    raw = source_path(name).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    text = fold(raw)
    found = {(m.start, m.end) for m in extract_quantities(text).mentions if m.kind in QUANTITY_KINDS}
    for span in extra_spans:
        found = {s for s in found if s[1] <= span[0] or s[0] >= span[1]} | {span}
    return SourceText(text, segmenter.tokens(text), sorted(found))


def _labelled_rows(source: SourceText, records: list[dict]) -> list[tuple[list[dict], int | None]]:
    """For each annotated quantity: its candidates' features and the index of the right one."""
    candidates, previous = candidates_of(source.text, source.tokens, source.spans)
    index_of = {span: i for i, span in enumerate(source.spans)}
    wanted = {index_of[(r["start"], r["end"])]: r for r in records}
    grouped: dict[int, list] = defaultdict(list)
    for candidate in candidates:
        if candidate.quantity in wanted:
            grouped[candidate.quantity].append(candidate)
    out = []
    for quantity, group in sorted(grouped.items()):
        record = wanted[quantity]
        gold = [i for i, c in enumerate(group) if _is_gold(c, record, source.spans, previous)]
        out.append(([c.features for c in group], gold[0] if gold else None))
    return out


def _is_gold(candidate, record: dict, spans, previous) -> bool:
    if record["subject_start"] is None:
        return candidate.side == "N"
    if candidate.side == "I":
        before = previous[candidate.quantity]
        return before is not None and record["subject_end"] <= spans[before][0]
    return (candidate.start, candidate.end) == (record["subject_start"], record["subject_end"])


def _by_source(records: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[record["source"]].append(record)
    return dict(sorted(grouped.items()))


def lenient_match(predicted: str | None, expected: str | None) -> bool:
    if predicted is None or expected is None:
        return predicted == expected
    return predicted in expected or expected in predicted or predicted[-2:] == expected[-2:]


def score(pairs: list[tuple[str | None, str | None]]) -> dict:
    """Exact and lenient accuracy over (predicted, expected) pairs."""
    total = len(pairs)
    return {
        "n": total,
        "exact": round(sum(p == e for p, e in pairs) / total, 4) if total else None,
        "lenient": round(sum(lenient_match(p, e) for p, e in pairs) / total, 4) if total else None,
    }


def predict_records(ranker: SubjectRanker | None, records: list[dict], segmenter: Segmenter,
                    sources: dict[str, SourceText] | None = None) -> list[tuple[str | None, str | None, str | None]]:
    """(ranker subject, nearest-noun subject, annotated subject) for each record."""
    out = []
    for name, group in _by_source(records).items():
        source = (sources or {}).get(name) or load_source(name, segmenter, [(r["start"], r["end"]) for r in group])
        index_of = {span: i for i, span in enumerate(source.spans)}
        ranked = ranker.subjects(source.text, source.tokens, source.spans) if ranker else None
        nearest = nearest_noun_subject(source.text, source.tokens, source.spans)
        for record in group:
            i = index_of[(record["start"], record["end"])]
            out.append((ranked[i] if ranked else None, nearest[i], record.get("subject")))
    return out


def gold_records() -> list[dict]:
    """Quantity records of the gold files whose subject is given."""
    records = []
    for name in GOLD_FILES:
        records += [r for r in read_jsonl(GOLD / name) if r["kind"] in QUANTITY_KINDS and r.get("subject")]
    return records


def gold_sources(segmenter: Segmenter) -> dict[str, SourceText]:
    """Gold sources with the gold's own quantity spans as input."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for name in GOLD_FILES:
        for r in read_jsonl(GOLD / name):
            if r["kind"] in QUANTITY_KINDS:
                spans[r["source"]].append((r["start"], r["end"]))
    sources = {}
    for name, found in spans.items():
        raw = source_path(name).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        text = fold(raw)
        sources[name] = SourceText(text, segmenter.tokens(text), sorted(found))
    return sources


def evaluate(ranker: SubjectRanker | None, records: list[dict], segmenter: Segmenter,
             sources: dict[str, SourceText] | None = None) -> dict:
    predictions = predict_records(ranker, records, segmenter, sources)
    with_subject = [p for p in predictions if p[2] is not None]
    return {
        "ranker": score([(p[0], p[2]) for p in with_subject]),
        "nearest_noun": score([(p[1], p[2]) for p in with_subject]),
        "ranker_all": score([(p[0], p[2]) for p in predictions]),
        "nearest_noun_all": score([(p[1], p[2]) for p in predictions]),
    }


HASHED_FEATURES = 2 ** 18


def fit(records: list[dict], segmenter: Segmenter, seed: int = 0):
    """A pairwise ranker: logistic regression on (right candidate - wrong candidate) differences.

    Comparing candidates of the same quantity, rather than scoring each alone, keeps a
    quantity with many plausible nouns from drowning its one right answer in negatives.
    """
    from scipy.sparse import vstack
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    groups = []
    for name, group in _by_source(records).items():
        source = load_source(name, segmenter, [(r["start"], r["end"]) for r in group])
        groups += [g for g in _labelled_rows(source, group) if g[1] is not None]
    # Hashed features: as good as a vocabulary here and several times faster to apply.
    vectorizer = FeatureHasher(n_features=HASHED_FEATURES, alternate_sign=False)
    differences = []
    for rows, right in groups:
        matrix = vectorizer.transform(rows)
        wrong = [i for i in range(len(rows)) if i != right]
        if wrong:
            differences.append(matrix[[right] * len(wrong)] - matrix[wrong])
    positive = vstack(differences).tocsr()
    pairs = vstack([positive, -positive]).tocsr()
    labels = [1] * positive.shape[0] + [0] * positive.shape[0]
    ranker = LogisticRegression(C=1.0, fit_intercept=False, max_iter=3000, random_state=seed).fit(pairs, labels)
    return Pipeline([("features", vectorizer), ("ranker", ranker)])


def train_subject(annotations: Path | list[dict], out_dir: Path, seed: int = 0, evaluate_gold: bool = True) -> dict:
    """Fit on the train split, measure on the test split (and the gold files), refit on all, save."""
    import joblib

    records = read_jsonl(annotations) if isinstance(annotations, (str, Path)) else list(annotations)
    segmenter = Segmenter()
    train = [r for r in records if r["split"] == "train"]
    test = [r for r in records if r["split"] == "test"]
    held_out = SubjectRanker(fit(train, segmenter, seed))
    metrics = {"held_out": evaluate(held_out, test, segmenter), "n_train": len(train), "n_test": len(test)}
    final = SubjectRanker(fit(records, segmenter, seed))
    if evaluate_gold:
        metrics["gold"] = evaluate(final, gold_records(), segmenter, gold_sources(segmenter))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(final.model, out / MODEL_FILE, compress=3)
    return metrics
