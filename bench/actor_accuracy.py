"""`extra.actor` against hand-annotated actors: facts from the reports without gold, each with
the organisation that performs it in its sentence, or none (corpora/annotations/actors.jsonl).

Group A holds facts whose sentence names an organisation the entity rules find; group B facts
whose sentence has none the rules find but a word that often ends one (局, 委, 集团 …), to show
what missed organisations cost; group "seed" every quantity and initiative of the seed page, a
district work summary where bodies act in most sentences (its gold gives no actors, so these are
annotated apart from it). Beside the pipeline: the first organisation of the sentence.

    python bench/actor_accuracy.py
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.extract import Extractor  # noqa: E402
from pipeline.resources import CORPORA  # noqa: E402
from pipeline.train.subject import source_path  # noqa: E402

from audit import wilson  # noqa: E402

ANNOTATIONS = CORPORA / "annotations" / "actors.jsonl"


def same(predicted: str | None, expected: str | None) -> bool:
    """Equal, or one name inside the other (区妇联 / 我区妇联): labels drop a pronoun or prefix."""
    if predicted is None or expected is None:
        return predicted == expected
    return predicted in expected or expected in predicted


def predictions(records: list[dict]) -> list[tuple[dict, str | None, str | None]]:
    """(record, the pipeline's actor, the first org of the sentence) for every annotated fact."""
    extractor = Extractor()
    by_source: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_source[record["source"]].append(record)
    out = []
    for name, group in sorted(by_source.items()):
        text = source_path(name).read_text(encoding="utf-8")
        mentions = extractor.extract(text).mentions
        facts = {(m.start, m.end, m.kind): m for m in mentions}
        orgs = sorted((m.start, m.label or m.text) for m in mentions if m.kind == "org")
        for record in group:
            fact = facts.get((record["start"], record["end"], record["kind"]))
            actor = fact.extra.get("actor") if fact else None
            first = next((label for start, label in orgs
                          if record["sentence_start"] <= start < record["sentence_end"]), None)
            out.append((record, actor, first))
    return out


def scores(rows: list[tuple[str | None, str | None]]) -> str:
    """Accuracy over all facts; precision over the actors given; recall over the actors annotated."""
    right = sum(same(p, e) for p, e in rows)
    given = [(p, e) for p, e in rows if p is not None]
    wanted = [(p, e) for p, e in rows if e is not None]
    precision = sum(same(p, e) for p, e in given)
    recall = sum(same(p, e) for p, e in wanted)
    low, high = wilson(precision, len(given))
    return (f"accuracy {right}/{len(rows)} = {right / max(len(rows), 1):.3f}   "
            f"precision {precision}/{len(given)} = {precision / max(len(given), 1):.3f} [{low:.3f}, {high:.3f}]   "
            f"recall {recall}/{len(wanted)} = {recall / max(len(wanted), 1):.3f}")


def main() -> None:
    records = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = predictions(records)
    for group in ("A", "B", "seed", None):
        rows = [row for row in found if group is None or row[0]["group"] == group]
        title = f"group {group}" if group else "all"
        print(f"{title} ({len(rows)} facts, {sum(r[0]['actor'] is not None for r in rows)} with an actor)")
        print(f"  pipeline        {scores([(actor, r['actor']) for r, actor, _ in rows])}")
        print(f"  first org       {scores([(first, r['actor']) for r, _, first in rows])}")


if __name__ == "__main__":
    main()
