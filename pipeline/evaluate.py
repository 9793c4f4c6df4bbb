"""SCHEMA.md scoring: per-kind precision, recall and F1, value accuracy and strict F1.

A prediction matches a gold record of the same source and kind when their spans overlap;
pairs are taken greedily by largest overlap (ties: closer length, earlier gold, earlier
prediction), each record used once. Only sources present in the gold are scored.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import GoldError
from pipeline.records import KINDS

LABEL_KINDS = ("initiative", "org", "person", "place")
SUBTYPED_KINDS = ("initiative",)


def load_records(spec: str | Path | Iterable[str | Path]) -> list[dict]:
    """Records from JSONL files or directories of them (a comma-joined string is several)."""
    if isinstance(spec, (str, Path)):
        spec = [p for p in str(spec).split(",") if p]
    records = []
    for item in spec:
        item = Path(item)
        if not item.exists():
            raise GoldError(f"no such file or directory: {item}")
        files = sorted(item.glob("*.jsonl")) if item.is_dir() else [item]
        for path in files:
            records.extend(_read_jsonl(path))
    return records


def _read_jsonl(path: Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith(("#", "//")):
                continue
            try:
                record = json.loads(line)
            except ValueError as err:
                raise GoldError(f"{path}:{number}: not JSON ({err})") from err
            if not isinstance(record, dict) or "kind" not in record or "start" not in record:
                continue
            for name in ("source", "end"):
                if name not in record:
                    raise GoldError(f"{path}:{number}: record has no '{name}'")
            record["start"], record["end"] = int(record["start"]), int(record["end"])
            yield record


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return a == b or abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def _quantity_agrees(gold: dict, pred: dict) -> bool:
    return (_same_number(gold.get("value"), pred.get("value"))
            and (gold.get("unit") or None) == (pred.get("unit") or None)
            and (gold.get("approx") or "exact") == (pred.get("approx") or "exact")
            and (gold.get("per") or None) == (pred.get("per") or None))


def values_agree(kind: str, gold: dict, pred: dict) -> bool:
    """SCHEMA value agreement: iso for dates, label for names, the quantity fields otherwise."""
    if kind == "date" and (gold.get("extra") or {}).get("iso") is not None:
        return gold["extra"]["iso"] == (pred.get("extra") or {}).get("iso")
    if kind in LABEL_KINDS and gold.get("label") is not None:
        return gold["label"] == pred.get("label")
    return _quantity_agrees(gold, pred)


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by largest overlap."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                length_gap = abs((g["end"] - g["start"]) - (p["end"] - p["start"]))
                candidates.append((-overlap, length_gap, g["start"], p["start"], gi, pi))
    candidates.sort()
    used_gold, used_pred, pairs = set(), set(), []
    for *_, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def _group_key(record: dict) -> str:
    return record["kind"]


def _subtype_key(record: dict) -> str:
    return f"{record['kind']}:{(record.get('extra') or {}).get('subtype', '?')}"


def _metrics(counts: dict) -> dict:
    def prf(hit: int) -> tuple[float, float, float]:
        p = hit / counts["pred"] if counts["pred"] else 0.0
        r = hit / counts["gold"] if counts["gold"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f = prf(counts["matched"])
    sp, sr, sf = prf(counts["value_ok"])
    return counts | {
        "precision": p, "recall": r, "f1": f,
        "value_acc": counts["value_ok"] / counts["matched"] if counts["matched"] else None,
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
    }


def _kind_order(key: str) -> tuple:
    kind = key.split(":")[0]
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), key)


def score(gold: list[dict], pred: list[dict], kinds: Iterable[str] | None = None,
          texts: dict[str, str] | None = None) -> dict:
    """Scores per kind, per initiative subtype and in total, with the misses and false hits.

    `texts` (source name -> source text) adds the surrounding text to each error.
    """
    kinds = set(kinds) if kinds else None
    sources = {r["source"] for r in gold}
    gold = [r for r in gold if kinds is None or r["kind"] in kinds]
    pred = [r for r in pred if r["source"] in sources and (kinds is None or r["kind"] in kinds)]
    result = {"sources": sorted(sources), "kinds": {}, "subtypes": {}, "errors": []}
    for key_of, table in ((_group_key, "kinds"), (_subtype_key, "subtypes")):
        groups: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
        for r in gold:
            if table == "kinds" or r["kind"] in SUBTYPED_KINDS:
                groups[(r["source"], key_of(r))][0].append(r)
        for r in pred:
            if table == "kinds" or r["kind"] in SUBTYPED_KINDS:
                groups[(r["source"], key_of(r))][1].append(r)
        counts: dict[str, dict] = defaultdict(lambda: {"gold": 0, "pred": 0, "matched": 0, "value_ok": 0})
        for (source, key), (gs, ps) in sorted(groups.items()):
            c = counts[key]
            c["gold"] += len(gs)
            c["pred"] += len(ps)
            pairs = match(gs, ps)
            c["matched"] += len(pairs)
            for gi, pi in pairs:
                if values_agree(key.split(":")[0], gs[gi], ps[pi]):
                    c["value_ok"] += 1
                elif table == "kinds":
                    result["errors"].append(_error("value", source, key, gs[gi], ps[pi], texts))
            if table == "kinds":
                matched_gold = {gi for gi, _ in pairs}
                matched_pred = {pi for _, pi in pairs}
                result["errors"] += [_error("miss", source, key, g, None, texts)
                                     for gi, g in enumerate(gs) if gi not in matched_gold]
                result["errors"] += [_error("false", source, key, None, p, texts)
                                     for pi, p in enumerate(ps) if pi not in matched_pred]
        result[table] = {k: _metrics(counts[k]) for k in sorted(counts, key=_kind_order)}
    total = {f: sum(m[f] for m in result["kinds"].values()) for f in ("gold", "pred", "matched", "value_ok")}
    result["micro"] = _metrics(total)
    result["errors"].sort(key=lambda e: (e["kind"], e["source"], e["start"]))
    return result


def _error(kind_of_error: str, source: str, kind: str, gold: dict | None, pred: dict | None,
           texts: dict[str, str] | None) -> dict:
    anchor = gold or pred
    error = {"error": kind_of_error, "source": source, "kind": kind,
             "start": anchor["start"], "end": anchor["end"], "text": anchor.get("text"),
             "gold": _visible(gold), "pred": _visible(pred)}
    if texts and source in texts:
        text = texts[source]
        error["context"] = (text[max(0, anchor["start"] - 15):anchor["start"]] + "【"
                            + text[anchor["start"]:anchor["end"]] + "】"
                            + text[anchor["end"]:anchor["end"] + 15]).replace("\n", "⏎")
    return error


def _visible(record: dict | None) -> dict | None:
    if record is None:
        return None
    keys = ("value", "unit", "approx", "per", "label", "extra")
    return {k: record.get(k) for k in keys if record.get(k) not in (None, {}, "exact")}


def format_table(result: dict) -> str:
    """The score table as text: one row per kind, per initiative subtype, and the micro total."""
    head = f"{'kind':<22}{'gold':>6}{'pred':>6}{'match':>6}{'P':>7}{'R':>7}{'F1':>7}{'valAcc':>8}{'strict':>8}"
    lines = [head]
    rows = list(result["kinds"].items()) + [(f"  {k}", m) for k, m in result["subtypes"].items()]
    rows.append(("MICRO", result["micro"]))
    for key, m in rows:
        value_acc = "-" if m["value_acc"] is None else f"{m['value_acc']:.3f}"
        lines.append(f"{key:<22}{m['gold']:>6}{m['pred']:>6}{m['matched']:>6}{m['precision']:>7.3f}"
                     f"{m['recall']:>7.3f}{m['f1']:>7.3f}{value_acc:>8}{m['strict_f1']:>8.3f}")
    return "\n".join(lines)


def format_errors(result: dict, limit: int | None = None) -> str:
    lines = []
    for e in result["errors"][:limit]:
        detail = {"miss": e["gold"], "false": e["pred"], "value": {"gold": e["gold"], "pred": e["pred"]}}[e["error"]]
        lines.append(f"{e['error']:<5} {e['kind']:<10} {e['source']}:{e['start']}-{e['end']} "
                     f"{e.get('context') or e['text']}  {json.dumps(detail, ensure_ascii=False)}")
    return "\n".join(lines)
