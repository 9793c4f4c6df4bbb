"""Organisations, people and places: the rules, the trained NER and a jieba-POS baseline,
scored on the bundled gold and on the held-out split of the hand-annotated sentences.

    python bench/entities.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import evaluate  # noqa: E402
from pipeline.extract.entities import extract_entities, jieba_pos_baseline  # noqa: E402
from pipeline.ingest import read_source  # noqa: E402
from pipeline.normalize import fold  # noqa: E402
from pipeline.resources import CORPORA, GOLD, MODELS  # noqa: E402
from pipeline.segment import Segmenter  # noqa: E402

KINDS = ("org", "person", "place")


def ner_mentions(nlp, text: str) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_.lower()) for e in nlp(text).ents if e.label_.lower() in KINDS]


def records(name: str, text: str, spans) -> list[dict]:
    return [{"source": name, "kind": kind, "start": s, "end": e, "text": text[s:e], "label": text[s:e]}
            for s, e, kind in spans]


def systems(segmenter: Segmenter, nlp):
    def rules(text):
        return [(m.start, m.end, m.kind) for m in extract_entities(text, segmenter.tokens(text)).mentions]

    def baseline(text):
        return [(m.start, m.end, m.kind) for m in jieba_pos_baseline(text, segmenter.tokens(text)).mentions]

    found = {"rules": rules, "jieba POS baseline": baseline}
    if nlp is not None:
        found["NER model"] = lambda text: ner_mentions(nlp, text)
    return found


def report(title: str, gold: list[dict], texts: dict[str, str], run) -> None:
    print(f"\n{title}")
    print(f"{'system':<20}" + "".join(f"{k + ' P/R/F1':>22}" for k in KINDS))
    for name, system in run.items():
        pred = [r for source, text in texts.items() for r in records(source, text, system(text))]
        result = evaluate.score(gold, pred, kinds=KINDS)
        cells = [result["kinds"].get(k) for k in KINDS]
        print(f"{name:<20}" + "".join(
            f"{c['precision']:>8.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}" if c else f"{'-':>22}" for c in cells))


def main() -> None:
    segmenter = Segmenter()
    try:
        import spacy

        nlp = spacy.load(MODELS / "ner")
    except OSError:
        nlp = None
    run = systems(segmenter, nlp)

    gold = [r for r in evaluate.load_records(GOLD) if r["kind"] in KINDS]
    texts = {name: fold(read_source(next(CORPORA.rglob(name))).text) for name in sorted({r["source"] for r in gold})}
    report("gold files (seed, Beijing, Gansu), whole texts", gold, texts, run)

    annotated = [json.loads(line) for line in (CORPORA / "annotations" / "entities.jsonl").read_text("utf-8").splitlines()]
    held_out = [row for row in annotated if row["split"] == "test"]
    texts = {row["id"]: fold(row["text"]) for row in held_out}
    gold = [{"source": row["id"], "kind": span["label"], "start": span["start"], "end": span["end"],
             "label": row["text"][span["start"]:span["end"]]} for row in held_out for span in row["spans"]]
    report(f"held-out annotated sentences ({len(held_out)})", gold, texts, run)


if __name__ == "__main__":
    main()
