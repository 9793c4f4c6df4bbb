"""Strict precision of the quantity and date extractor on the bundled reports that have no gold.

Runs the extractor over every report in `corpora/gov-reports-2026/` whose source has no gold
file, keeps the six numeric kinds (money, count, percent, ratio, measure, date) and draws a fixed
sample (seed 0) of 300 records, stratified by kind: at least 25 of each kind that has that many,
the rest shared in proportion to each kind's size. A record is strictly correct when it is a real
quantity of that kind, its span is right and value, unit, approx and per (iso for dates) are right.
Given a judgement file (matched by source, start, end, kind) it prints strict precision overall
and per kind with 95 % Wilson intervals, and lists the records judged wrong with the reason.

    python bench/quantity_precision.py                       # score the judgements
    python bench/quantity_precision.py --sample OUT.jsonl    # write the sample to judge
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import Extractor  # noqa: E402
from pipeline.ingest import read_source  # noqa: E402
from pipeline.runner import schema_records  # noqa: E402

from audit import reports_without_gold, wilson  # noqa: E402

KINDS = ("money", "count", "percent", "ratio", "measure", "date")
JUDGEMENTS = ROOT / "corpora" / "annotations" / "quantity_judgements.jsonl"
SAMPLE_SIZE = 300
MIN_PER_KIND = 25
SEED = 0


def extracted() -> tuple[list[dict], dict[str, str]]:
    """Records of the six kinds from every report without gold, and the source texts."""
    extractor = Extractor()
    records, texts = [], {}
    for path in reports_without_gold():
        source = read_source(path)
        texts[source.name] = source.text
        extraction = extractor.extract(source.text)
        records += [r for r in schema_records(source, extraction) if r["kind"] in KINDS]
    records.sort(key=lambda r: (r["source"], r["start"], r["end"], r["kind"]))
    return records, texts


def allocation(sizes: dict[str, int], total: int = SAMPLE_SIZE) -> dict[str, int]:
    """Per-kind sample sizes: a floor of MIN_PER_KIND, the rest by largest remainder."""
    take = {k: min(MIN_PER_KIND, n) for k, n in sizes.items()}
    left = min(total, sum(sizes.values())) - sum(take.values())
    while left > 0:
        spare = {k: sizes[k] - take[k] for k in sizes if sizes[k] > take[k]}
        pool = sum(spare.values())
        shares = {k: left * s / pool for k, s in spare.items()}
        extra = {k: min(spare[k], int(shares[k])) for k in spare}
        if not any(extra.values()):
            order = sorted(spare, key=lambda k: (-(shares[k] - int(shares[k])), k))
            extra = {k: 1 for k in order[:left]}
        for k, n in extra.items():
            take[k] += n
            left -= n
    return take


def draw(records: list[dict]) -> list[dict]:
    by_kind = defaultdict(list)
    for r in records:
        by_kind[r["kind"]].append(r)
    take = allocation({k: len(by_kind[k]) for k in KINDS if by_kind[k]})
    rng = random.Random(SEED)
    sample = []
    for kind in KINDS:
        if kind in take:
            sample += rng.sample(by_kind[kind], take[kind])
    sample.sort(key=lambda r: (r["source"], r["start"], r["end"], r["kind"]))
    return sample


def key(r: dict) -> tuple:
    return (r["source"], r["start"], r["end"], r["kind"])


def weighted(cells: dict[str, tuple[int, int]], sizes: dict[str, int]) -> tuple[float, float, float]:
    """Population estimate from the stratified sample, Wilson interval at the effective size."""
    total = sum(sizes[k] for k in cells)
    p = sum(sizes[k] / total * ok / n for k, (ok, n) in cells.items())
    var = sum((sizes[k] / total) ** 2 * ((ok + 2) / (n + 4)) * (1 - (ok + 2) / (n + 4)) / n
              for k, (ok, n) in cells.items())
    n_eff = max(1, round(p * (1 - p) / var)) if var > 0 and 0 < p < 1 else sum(n for _, n in cells.values())
    low, high = wilson(round(p * n_eff), n_eff)
    return p, low, high


def context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"{left}[{text[start:end]}]{right}"


def write_sample(sample: list[dict], texts: dict[str, str], out: Path) -> None:
    with open(out, "w", encoding="utf-8") as handle:
        for r in sample:
            row = {f: r[f] for f in ("source", "start", "end", "kind", "text", "value", "unit", "approx", "per")}
            row["extra"] = r["extra"]
            row["context"] = context(texts[r["source"]], r["start"], r["end"])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def score(sample: list[dict], records: list[dict], texts: dict[str, str], path: Path) -> None:
    with open(path, encoding="utf-8") as handle:
        judged = {key(j): j for j in map(json.loads, filter(str.strip, handle))}
    sizes = Counter(r["kind"] for r in records)
    cells, wrong, missing = {}, [], 0
    for kind in KINDS:
        rows = [r for r in sample if r["kind"] == kind]
        verdicts = [judged.get(key(r)) for r in rows]
        missing += sum(v is None for v in verdicts)
        done = [(r, v) for r, v in zip(rows, verdicts) if v is not None]
        if done:
            cells[kind] = (sum(bool(v["correct"]) for _, v in done), len(done))
        wrong += [(r, v) for r, v in done if not v["correct"]]
    print(f"reports without gold: {len(texts)}   records of the six kinds: {len(records)}   "
          f"sampled: {len(sample)}   judged: {sum(n for _, n in cells.values())}   unjudged: {missing}")
    print(f"\n{'kind':<9}{'extracted':>10}{'judged':>8}{'correct':>8}{'precision':>11}   95% Wilson")
    for kind, (ok, n) in cells.items():
        low, high = wilson(ok, n)
        print(f"{kind:<9}{sizes[kind]:>10}{n:>8}{ok:>8}{ok / n:>11.3f}   [{low:.3f}, {high:.3f}]")
    ok = sum(c for c, _ in cells.values())
    n = sum(m for _, m in cells.values())
    low, high = wilson(ok, n)
    print(f"{'sample':<9}{sum(sizes[k] for k in cells):>10}{n:>8}{ok:>8}{ok / n:>11.3f}   [{low:.3f}, {high:.3f}]"
          "   (unweighted)")
    p, low, high = weighted(cells, sizes)
    print(f"{'overall':<9}{'':>10}{'':>8}{'':>8}{p:>11.3f}   [{low:.3f}, {high:.3f}]"
          "   (weighted by kind size)")
    reasons = Counter(v.get("why", "") for _, v in wrong)
    print(f"\njudged wrong: {len(wrong)}")
    for why, count in reasons.most_common():
        print(f"  {count:>3}  {why}")
    print()
    for r, v in wrong:
        place = r["source"].split("_")[1] if r["source"].count("_") >= 2 else r["source"]
        print(f"{r['kind']:<8} {place}  {r['start']:>6}  "
              f"{context(texts[r['source']], r['start'], r['end'], 12)}  -- {v.get('why', '')}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS, help="JSONL of judged records")
    parser.add_argument("--sample", type=Path, help="write the sample (with context) here and stop")
    args = parser.parse_args(argv)
    records, texts = extracted()
    sample = draw(records)
    if args.sample:
        write_sample(sample, texts, args.sample)
        print(f"wrote {len(sample)} sampled records to {args.sample}")
        return
    if not args.judgements.is_file():
        parser.error(f"no judgement file at {args.judgements}; write one from --sample first")
    score(sample, records, texts, args.judgements)


if __name__ == "__main__":
    main()
