"""Subject accuracy of the ranker beside the nearest-noun baseline: on the held-out split of
corpora/annotations/subjects.jsonl (ranker fitted on the train split), in all and by corpus, and on
the gold files' subjects, in all and file by file (the saved model, given the gold's own quantity spans).
With --cv, also cross-validated over all annotations, folds grouped by source (a few minutes):
the held-out split holds under a thousand quantities, too few to tell small changes apart.

    python bench/subject_accuracy.py [--cv]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.resources import COMPOSED, CORPORA, MODELS  # noqa: E402
from pipeline.segment import Segmenter  # noqa: E402
from pipeline.subject import SubjectRanker  # noqa: E402
from pipeline.train.subject import evaluate, fit, gold_records, gold_sources, read_jsonl, source_path  # noqa: E402


CV_FOLDS = 4
ROWS = (("ranker", "ranker"), ("nearest_noun", "nearest noun"),
        ("ranker_all", "ranker, incl. no subject"), ("nearest_noun_all", "nearest, incl. no subject"))


def is_report(record: dict) -> bool:
    return source_path(record["source"]).parent.name != COMPOSED.name


CORPORA_OF_ANNOTATIONS = (("government reports", is_report), ("composed work summaries", lambda r: not is_report(r)))


def print_table(title: str, result: dict, rows=ROWS) -> None:
    print(f"\n{title}")
    print(f"  {'':<28}{'n':>5}{'exact':>8}{'lenient':>9}")
    for key, name in rows:
        row = result[key]
        print(f"  {row['n']:>5}{row['exact']:>8.3f}{row['lenient']:>9.3f}  {name}")


def cross_validate(records: list[dict], segmenter: Segmenter) -> None:
    """Exact accuracy over all annotated subjects, each source's quantities predicted by a ranker
    fitted on the sources of the other folds."""
    names = sorted({r["source"] for r in records})
    fold_of = {name: i % CV_FOLDS for i, name in enumerate(names)}
    right = {corpus: [0, 0] for corpus, _ in CORPORA_OF_ANNOTATIONS}
    for fold in range(CV_FOLDS):
        ranker = fit([r for r in records if fold_of[r["source"]] != fold], segmenter)
        tested = [r for r in records if fold_of[r["source"]] == fold]
        for corpus, pick in CORPORA_OF_ANNOTATIONS:
            row = evaluate(ranker, [r for r in tested if pick(r)], segmenter)["ranker"]
            right[corpus][0] += round(row["exact"] * row["n"])
            right[corpus][1] += row["n"]
    print(f"\n  {CV_FOLDS}-fold cross-validation by source, all annotations (n, exact)")
    for corpus, (hits, n) in right.items():
        print(f"  {n:>5}{hits / n:>8.3f}  {corpus}")
    hits, n = map(sum, zip(*right.values()))
    print(f"  {n:>5}{hits / n:>8.3f}  all")


def main() -> None:
    segmenter = Segmenter()
    records = read_jsonl(CORPORA / "annotations" / "subjects.jsonl")
    if "--cv" in sys.argv[1:]:
        cross_validate(records, segmenter)
    train = [r for r in records if r["split"] == "train"]
    test = [r for r in records if r["split"] == "test"]
    held_out = fit(train, segmenter)
    print_table(f"held-out split ({len(train)} train / {len(test)} test quantities)", evaluate(held_out, test, segmenter))
    print("\n  held-out split by corpus (n, exact, lenient)")
    for corpus, pick in CORPORA_OF_ANNOTATIONS:
        row = evaluate(held_out, [r for r in test if pick(r)], segmenter)["ranker"]
        print(f"  {row['n']:>5}{row['exact']:>8.3f}{row['lenient']:>9.3f}  {corpus}")
    saved = SubjectRanker.load(MODELS)
    if saved is None:
        sys.exit("no saved subject model: run pipeline.train.subject.train_subject first")
    sources = gold_sources(segmenter)
    records = gold_records()
    print_table("gold files, subjects where the gold gives one", evaluate(saved, records, segmenter, sources), ROWS[:2])
    print("\n  by gold source (n, exact, lenient; the seed page holds work summaries, like the composed ones)")
    for name in sorted({r["source"] for r in records}):
        row = evaluate(saved, [r for r in records if r["source"] == name], segmenter, sources)["ranker"]
        print(f"  {row['n']:>5}{row['exact']:>8.3f}{row['lenient']:>9.3f}  {name}")


if __name__ == "__main__":
    main()
