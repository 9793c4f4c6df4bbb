"""Train the subject models on hand-annotated quantities and measure them.

First the two phrase-boundary classifiers: the boundaries inside an annotated subject join,
the one at its left edge stops leftward growth and the one at its right edge stops rightward
growth. Then the head ranker, over candidates shaped by boundary classifiers fitted without the
quantity's own report: the right candidate of an annotated quantity is the one that ends
where the annotated subject ends (the inherit candidate when the subject lies before the previous
quantity of the sentence, the none candidate when there is no subject); a logistic regression
learns from the differences between the right candidate and each wrong one, and at run time the
best-scored candidate wins. Last the start ranker, the same way, over the starts a left-side
subject's last token allows, the annotated start being the right one.

Accuracy is the share of quantities whose predicted subject string equals the annotated one; the
lenient score also accepts a prediction that contains the annotation, is contained in it, or ends
in the same two characters (优抚对象 / 重点优抚对象).
"""
from __future__ import annotations

import bisect
import functools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.quantities import extract_quantities
from pipeline.normalize import fold
from pipeline.resources import COMPOSED, GOLD, SAMPLE_CORPUS
from pipeline.segment import Segmenter
from pipeline.subject import (Analysis, BoundaryModel, LinearModel, SubjectRanker, Token, analyse, clause_opening_rates,
                              counted_rates, extend_left, flatten, nearest_noun_subject, quantity_class, start_choices,
                              subject_text)

QUANTITY_KINDS = frozenset({"money", "count", "percent", "ratio", "measure"})
GOLD_FILES = ("seed.jsonl", "gov-2026-beijing.jsonl", "gov-2026-gansu.jsonl")
# Folds of the annotated reports: the ranker sees each report's candidates through boundary
# classifiers fitted on the other folds.
CROSS_FIT_FOLDS = 4


@dataclass(frozen=True)
class SourceText:
    """A source document folded for extraction, with its tokens and its quantity spans; `raw`
    is the text as written, which subjects are quoted from."""

    text: str
    tokens: list[Token]
    spans: list[tuple[int, int]]
    raw: str


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def source_path(name: str) -> Path:
    folders = (*SAMPLE_CORPUS, COMPOSED)
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"source {name} is not in {', '.join(map(str, folders))}")


def load_source(name: str, segmenter: Segmenter, extra_spans: list[tuple[int, int]] = ()) -> SourceText:
    """Fold, segment and find quantities in one source, adding `extra_spans` the extractor missed."""
    raw = source_path(name).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    text = fold(raw)
    found = {(m.start, m.end) for m in extract_quantities(text).mentions if m.kind in QUANTITY_KINDS}
    for span in extra_spans:
        found = {s for s in found if s[1] <= span[0] or s[0] >= span[1]} | {span}
    return SourceText(text, segmenter.tokens(text), sorted(found), raw)


def _token_range(source: SourceText, ctx, record: dict) -> tuple[int, int] | None:
    """First and last token of an annotated subject, when it lies on token edges."""
    first = bisect.bisect_left(ctx.starts, record["subject_start"])
    last = bisect.bisect_left(ctx.ends, record["subject_end"])
    if first >= len(ctx.starts) or last >= len(ctx.ends):
        return None
    if ctx.starts[first] != record["subject_start"] or ctx.ends[last] != record["subject_end"]:
        return None
    return first, last


def _boundary_rows(source: SourceText, records: list[dict], features) -> dict[str, list[tuple[list[str], int]]]:
    """Boundary examples from annotated subjects, for growing a phrase either way: the
    boundaries inside a subject join; the one at its left edge stops leftward growth and the
    one at its right edge, when the clause goes on, stops rightward growth."""
    ctx = analyse(source.text, source.tokens, source.spans, None).ctx
    rows: dict[str, list] = {"left": [], "right": []}
    for record in records:
        if record["subject_start"] is None:
            continue
        found = _token_range(source, ctx, record)
        if found is None:
            continue
        first, last = found
        inside = [(features(ctx, j), 1) for j in range(first, last)]
        rows["left"] += inside
        rows["right"] += inside
        if first > 0 and not ctx.closes_left_window(first - 1):
            rows["left"].append((features(ctx, first - 1), 0))
        if last + 1 < len(ctx.tokens) and not ctx.barriers[last + 1]:
            rows["right"].append((features(ctx, last), 0))
    return rows


def _labelled_rows(source: SourceText, records: list[dict], analysis: Analysis) -> list[tuple[list[list[str]], int | None]]:
    """For each annotated quantity: its candidates' features and the index of the right one."""
    index_of = {span: i for i, span in enumerate(source.spans)}
    wanted = {index_of[(r["start"], r["end"])]: r for r in records}
    grouped: dict[int, list] = defaultdict(list)
    for candidate in analysis.candidates:
        if candidate.quantity in wanted:
            grouped[candidate.quantity].append(candidate)
    out = []
    for quantity, group in sorted(grouped.items()):
        record = wanted[quantity]
        right = [i for i, c in enumerate(group) if _is_gold(c, record, source.spans, analysis.previous)]
        out.append(([c.features for c in group], right[0] if right else None))
    return out


def _start_rows(source: SourceText, records: list[dict], analysis: Analysis) -> list[tuple[list[list[str]], int]]:
    """For each annotated subject before its quantity: the features of each start its last token
    allows, and the index of the annotated start."""
    ctx = analysis.ctx
    index_of = {span: i for i, span in enumerate(source.spans)}
    out = []
    for record in records:
        if record["subject_start"] is None or record["subject_end"] > record["start"]:
            continue
        found = _token_range(source, ctx, record)
        if found is None:
            continue
        first, last = found
        index = index_of[(record["start"], record["end"])]
        window = analysis.windows[index]
        if not (window.list_start <= first <= last < window.quantity_first and last >= window.left_start):
            continue
        greedy = extend_left(ctx, analysis.boundaries, last, window.left_start)
        choices = start_choices(ctx, analysis.boundaries, last, greedy, window,
                                quantity_class(source.text, source.spans[index]))
        starts = [k for k, _ in choices]
        if first in starts:
            out.append(([flatten(parts) for _, parts in choices], starts.index(first)))
    return out


def _is_gold(candidate, record: dict, spans, previous) -> bool:
    """The right head: the candidate that ends where the annotated subject ends."""
    if record["subject_start"] is None:
        return candidate.side == "N"
    if candidate.side == "I":
        before = previous[candidate.quantity]
        return before is not None and record["subject_end"] <= spans[before][0]
    return candidate.side in "LR" and candidate.end == record["subject_end"]


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
    """Exact and lenient accuracy over (predicted, expected) pairs, compared folded: the
    annotations quote the folded text (半角 brackets), the gold the text as written (全角)."""
    pairs = [(p and fold(p), e and fold(e)) for p, e in pairs]
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
        ranked = ([subject_text(source.raw, s) for s in ranker.choose(source.text, source.tokens, source.spans)]
                  if ranker else None)
        nearest = nearest_noun_subject(source.raw, source.tokens, source.spans)
        for record in group:
            i = index_of[(record["start"], record["end"])]
            out.append((ranked[i] if ranked else None, nearest[i], record.get("subject")))
    return out


def unlabelled_texts() -> list[str]:
    """The bundled reports without gold, folded, for word statistics."""
    gold_sources = {r["source"] for name in GOLD_FILES for r in read_jsonl(GOLD / name)}
    return [fold(path.read_text(encoding="utf-8")) for folder in SAMPLE_CORPUS
            for path in sorted(folder.glob("*.txt")) if path.name not in gold_sources]


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
        sources[name] = SourceText(text, segmenter.tokens(text), sorted(found), raw)
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


# Word classes: words seen this often in the unlabelled reports get one, from their neighbours
# among the most frequent words, reduced to this many dimensions and grouped into this many classes.
CLASS_MIN_COUNT = 3
CLASS_CONTEXT_WORDS = 2000
CLASS_DIMENSIONS = 60
WORD_CLASS_COUNT = 200


def word_classes(token_lists: list[list[Token]], texts: list[str], seed: int = 0) -> dict[str, int]:
    """Classes of words that share neighbours in unlabelled reports (全市, 全省, 全区; 提质, 重组, 扩容).

    A word an annotation never showed still has a class whose weights the rankers learned, so
    they can tell a scope word or a clause verb before a noun from a modifier that names it. The
    words' left and right neighbours are weighted by positive pointwise mutual information, reduced
    by a truncated SVD (ARPACK, so the same texts give the same classes) and grouped by k-means.
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    sequences = [[text[a:b] for a, b, _ in tokens] for tokens, text in zip(token_lists, texts)]
    frequency = Counter(word for words in sequences for word in words)
    vocabulary = sorted(word for word, n in frequency.items() if n >= CLASS_MIN_COUNT)
    row_of = {word: i for i, word in enumerate(vocabulary)}
    # Column 2i counts the i-th frequent word as the left neighbour, column 2i + 1 as the right one.
    left_column = {word: 2 * i for i, word in enumerate(word for word, _ in frequency.most_common(CLASS_CONTEXT_WORDS))}
    pairs: Counter = Counter()
    for words in sequences:
        for i, word in enumerate(words):
            row = row_of.get(word)
            if row is None:
                continue
            if i and words[i - 1] in left_column:
                pairs[row, left_column[words[i - 1]]] += 1
            if i + 1 < len(words) and words[i + 1] in left_column:
                pairs[row, left_column[words[i + 1]] + 1] += 1
    (rows, columns), counts = zip(*pairs.keys()), np.fromiter(pairs.values(), dtype=float)
    rows, columns = np.array(rows), np.array(columns)
    total = counts.sum()
    row_share = np.bincount(rows, counts, len(vocabulary)) / total
    column_share = np.bincount(columns, counts, 2 * len(left_column)) / total
    pmi = np.log(counts / total / (row_share[rows] * column_share[columns]))
    positive = pmi > 0
    matrix = csr_matrix((pmi[positive], (rows[positive], columns[positive])), shape=(len(vocabulary), 2 * len(left_column)))
    vectors = normalize(TruncatedSVD(CLASS_DIMENSIONS, algorithm="arpack", random_state=seed).fit_transform(matrix))
    labels = KMeans(WORD_CLASS_COUNT, n_init=10, random_state=seed).fit_predict(vectors)
    return {word: int(label) for word, label in zip(vocabulary, labels)}


@functools.lru_cache(maxsize=1)
def unlabelled_statistics(segmenter: Segmenter, seed: int) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Clause-opening rates, counted rates and word classes of the reports without gold: the same
    for every fit in a process (held-out and final, each cross-validation fold), so worked out once."""
    texts = unlabelled_texts()
    token_lists = [segmenter.tokens(text) for text in texts]
    rates = clause_opening_rates([[text[a:b] for a, b, _ in tokens] for tokens, text in zip(token_lists, texts)])
    return rates, counted_rates(token_lists, texts), word_classes(token_lists, texts, seed)


def _vectorizer():
    from sklearn.feature_extraction import DictVectorizer

    return DictVectorizer()


def _counts(rows: list[list[str]]) -> list[Counter]:
    return [Counter(features) for features in rows]


def _fit_boundaries(sources: list[tuple[SourceText, list[dict]]], rates: dict[str, int], counted: dict[str, int],
                    classes: dict[str, int], seed: int) -> BoundaryModel:
    """The leftward and rightward boundary classifiers, from the annotated subjects of `sources`."""
    from sklearn.linear_model import LogisticRegression

    rows: dict[str, list] = {"left": [], "right": []}
    features = BoundaryModel(None, None, rates, counted, classes).features
    for source, group in sources:
        for direction, found in _boundary_rows(source, group, features).items():
            rows[direction] += found
    classifiers = {}
    for direction, found in rows.items():
        vectorizer = _vectorizer()
        matrix = vectorizer.fit_transform(_counts([f for f, _ in found]))
        classifier = LogisticRegression(C=2.0, class_weight="balanced", max_iter=3000, random_state=seed)
        classifier.fit(matrix, [label for _, label in found])
        classifiers[direction] = LinearModel.of(vectorizer, classifier)
    return BoundaryModel(classifiers["left"], classifiers["right"], rates, counted, classes)


def fit(records: list[dict], segmenter: Segmenter, seed: int = 0) -> SubjectRanker:
    """The boundary classifiers, then a pairwise head ranker over the candidates they shaped and a
    pairwise start ranker over the starts of left-side subjects.

    Both rankers learn each report's phrases as the boundary classifiers shape them when they
    have not seen that report (fitted on the other folds of reports): on the phrases they were
    fitted on they are nearly always right, and a ranker trained there trusts them more than
    they deserve on new text. They learn from differences between the right row and each wrong
    one of the same quantity, so that a quantity with many plausible nouns does not drown its
    one right answer in negatives. Each fitted model is kept as a feature → weight table.
    """
    sources = [(load_source(name, segmenter, [(r["start"], r["end"]) for r in group]), group)
               for name, group in _by_source(records).items()]
    rates, counted, classes = unlabelled_statistics(segmenter, seed)
    boundary = _fit_boundaries(sources, rates, counted, classes, seed)

    head_groups, start_groups = [], []
    for fold in range(CROSS_FIT_FOLDS):
        unseen = _fit_boundaries([s for i, s in enumerate(sources) if i % CROSS_FIT_FOLDS != fold], rates, counted,
                                 classes, seed)
        for i, (source, records_of) in enumerate(sources):
            if i % CROSS_FIT_FOLDS == fold:
                analysis = analyse(source.text, source.tokens, source.spans, unseen)
                head_groups += [g for g in _labelled_rows(source, records_of, analysis) if g[1] is not None]
                start_groups += _start_rows(source, records_of, analysis)
    head = _pairwise_ranker(head_groups, C=1.0, seed=seed)
    start = _pairwise_ranker(start_groups, C=0.3, seed=seed)
    return SubjectRanker(boundary, head, start)


def _pairwise_ranker(groups: list[tuple[list[list[str]], int]], C: float, seed: int) -> LinearModel:
    """A logistic regression on the differences between each group's right row and its wrong ones."""
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression

    vectorizer = _vectorizer().fit(_counts([features for rows_of, _ in groups for features in rows_of]))
    differences = []
    for rows_of, right in groups:
        matrix = vectorizer.transform(_counts(rows_of))
        wrong = [i for i in range(len(rows_of)) if i != right]
        if wrong:
            differences.append(matrix[[right] * len(wrong)] - matrix[wrong])
    positive = vstack(differences).tocsr()
    pairs = vstack([positive, -positive]).tocsr()
    labels = [1] * positive.shape[0] + [0] * positive.shape[0]
    ranker = LogisticRegression(C=C, fit_intercept=False, max_iter=3000, random_state=seed).fit(pairs, labels)
    return LinearModel.of(vectorizer, ranker)


def train_subject(annotations: Path | list[dict], out_dir: Path, seed: int = 0, evaluate_gold: bool = True) -> dict:
    """Fit on the train split, measure on the test split (and the gold files), refit on all, save."""
    records = read_jsonl(annotations) if isinstance(annotations, (str, Path)) else list(annotations)
    segmenter = Segmenter()
    train = [r for r in records if r["split"] == "train"]
    test = [r for r in records if r["split"] == "test"]
    held_out = fit(train, segmenter, seed)
    metrics = {"held_out": evaluate(held_out, test, segmenter), "n_train": len(train), "n_test": len(test)}
    final = fit(records, segmenter, seed)
    if evaluate_gold:
        metrics["gold"] = evaluate(final, gold_records(), segmenter, gold_sources(segmenter))
    final.save(Path(out_dir))
    return metrics
