"""Train the org/person/place NER on the hand-labelled sentences of `corpora/annotations/entities.jsonl`.

The model is a small spaCy 3.8 pipeline (blank "zh" with the jieba segmenter, a hash-embedding
CNN tok2vec and a transition NER), trained from a fixed seed on the "train" split and scored on
the fixed "test" split with the SCHEMA rule: a prediction matches a gold span of the same label
when they overlap. `rule_report` scores each extraction rule on the same sentences.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.normalize import fold

LABELS = ("org", "person", "place")

# A small CNN: hash embeddings of the token, its first and last character and its shape.
TOK2VEC_CONFIG = {
    "@architectures": "spacy.HashEmbedCNN.v2",
    "width": 96,
    "depth": 4,
    "embed_size": 4000,
    "window_size": 1,
    "maxout_pieces": 3,
    "subword_features": True,
    "pretrained_vectors": None,
}


def load_annotations(path: Path) -> list[dict]:
    """The labelled sentences, one dict per JSON line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def blank_pipeline():
    """A blank Chinese pipeline segmented by jieba, as the extractors see words."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def _non_overlapping(spans: Iterable[dict]) -> list[dict]:
    """NER spans may not overlap: where a name sits inside another (a person in a cemetery's name) keep the longer."""
    kept: list[dict] = []
    for span in sorted(spans, key=lambda s: (-(s["end"] - s["start"]), s["start"])):
        if all(span["end"] <= k["start"] or k["end"] <= span["start"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s["start"])


def _example(nlp, row: dict):
    from spacy.training import Example

    doc = nlp.make_doc(fold(row["text"]))
    entities, taken = [], set()
    for span in _non_overlapping(row["spans"]):
        char_span = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
        if char_span is None or any(i in taken for i in range(char_span.start, char_span.end)):
            continue
        taken.update(range(char_span.start, char_span.end))
        entities.append((char_span.start_char, char_span.end_char, span["label"]))
    return Example.from_dict(doc, {"entities": entities})


def overlap_scores(gold: Sequence[tuple[str, int, int, str]], predicted: Sequence[tuple[str, int, int, str]]) -> dict:
    """Per-label P/R/F1 where a prediction matches an unused gold span of its label and sentence that it overlaps."""
    scores = {}
    for label in LABELS:
        gold_spans = [g for g in gold if g[3] == label]
        predicted_spans = [p for p in predicted if p[3] == label]
        pairs = sorted(
            ((min(g[2], p[2]) - max(g[1], p[1]), gi, pi)
             for gi, g in enumerate(gold_spans) for pi, p in enumerate(predicted_spans)
             if g[0] == p[0] and min(g[2], p[2]) > max(g[1], p[1])),
            reverse=True,
        )
        used_gold, used_predicted = set(), set()
        for _, gi, pi in pairs:
            if gi not in used_gold and pi not in used_predicted:
                used_gold.add(gi)
                used_predicted.add(pi)
        matched = len(used_gold)
        precision = matched / len(predicted_spans) if predicted_spans else 0.0
        recall = matched / len(gold_spans) if gold_spans else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"p": round(precision, 3), "r": round(recall, 3), "f1": round(f1, 3),
                         "gold": len(gold_spans), "predicted": len(predicted_spans)}
    return scores


def _gold_spans(rows: Iterable[dict]) -> list[tuple[str, int, int, str]]:
    return [(row["id"], s["start"], s["end"], s["label"]) for row in rows for s in row["spans"]]


def train_ner(annotations_path: Path, out_dir: Path, seed: int = 0, epochs: int = 30) -> dict:
    """Train on the "train" split, save the pipeline to `out_dir`, return per-label scores on "test"."""
    from spacy.util import fix_random_seed, minibatch

    rows = load_annotations(annotations_path)
    train_rows = [r for r in rows if r["split"] == "train"]
    test_rows = [r for r in rows if r["split"] == "test"]
    fix_random_seed(seed)
    nlp = blank_pipeline()
    nlp.add_pipe("tok2vec", config={"model": TOK2VEC_CONFIG})
    ner = nlp.add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
        "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}}})
    for label in LABELS:
        ner.add_label(label)
    examples = [_example(nlp, row) for row in train_rows]
    optimizer = nlp.initialize(lambda: examples)
    shuffler = random.Random(seed)
    for _ in range(epochs):
        shuffler.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    predicted = [
        (row["id"], ent.start_char, ent.end_char, ent.label_)
        for row, doc in zip(test_rows, nlp.pipe(fold(r["text"]) for r in test_rows))
        for ent in doc.ents
    ]
    scores = overlap_scores(_gold_spans(test_rows), predicted)
    return {"epochs": epochs, "train_sentences": len(train_rows), "test_sentences": len(test_rows),
            "test_scores": scores}


def pos_tokens(text: str, tagger) -> list[tuple[int, int, str]]:
    """Jieba POS spans (start, end, flag) over `text`, as the pipeline passes them to the extractors."""
    tokens, position = [], 0
    for pair in tagger.cut(text, HMM=True):
        tokens.append((position, position + len(pair.word), pair.flag))
        position += len(pair.word)
    return tokens


def rule_report(annotations_path: Path) -> list[dict]:
    """Each extraction rule's predictions on the labelled sentences: how many, how many right, share of gold found."""
    import jieba
    import jieba.posseg

    from pipeline.extract.entities import extract_entities

    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    rows = load_annotations(annotations_path)
    gold = _gold_spans(rows)
    by_rule: dict[str, list[tuple[str, int, int, str]]] = {}
    for row in rows:
        text = fold(row["text"])
        for mention in extract_entities(text, pos_tokens(text, tagger)).mentions:
            by_rule.setdefault(mention.rule, []).append((row["id"], mention.start, mention.end, mention.kind))
    gold_by_label = Counter(g[3] for g in gold)
    report = []
    for rule, predicted in sorted(by_rule.items()):
        label = predicted[0][3]
        scores = overlap_scores(gold, predicted)[label]
        matched = round(scores["p"] * len(predicted))
        report.append({"rule": rule, "kind": label, "predicted": len(predicted), "correct": matched,
                       "precision": scores["p"], "coverage": round(matched / gold_by_label[label], 3)})
    return report
