"""Precision of the initiative extractor on the 2026 government work reports that have no gold.

Extracts `initiative` records from every report in corpora/gov-reports-2026/ whose source has no
gold file, draws a fixed stratified random sample (seed 0, 200 records, every subtype present,
allocated in proportion to the subtype counts), and scores it against hand judgements
(corpora/annotations/initiative_judgements.jsonl, matched by source, start and end): precision
overall and per subtype, with 95 % Wilson intervals, and the records judged wrong. A record is
correct when it is an initiative under the gold NOTES with the right span and subtype; a judgement
whose "why" starts with "wrong subtype" is also counted in the subtype-blind line.

    python bench/initiative_precision.py                 # score the sample
    python bench/initiative_precision.py --sample        # print the sample (JSONL, with sentences)
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.extract import Extractor  # noqa: E402
from pipeline.ingest import read_source  # noqa: E402
from pipeline.link import Outline  # noqa: E402
from pipeline.runner import schema_records  # noqa: E402

from audit import reports_without_gold, wilson  # noqa: E402

JUDGEMENTS = REPO / "corpora" / "annotations" / "initiative_judgements.jsonl"
SAMPLE_SIZE = 200
SEED = 0


def initiative_records() -> tuple[list[dict], int]:
    """Every initiative record in the reports without gold (with its sentence), and the report count."""
    paths = reports_without_gold()
    extractor = Extractor()
    records = []
    for path in paths:
        source = read_source(path)
        outline = Outline.of(source.text)
        for record in schema_records(source, extractor.extract(source.text, outline)):
            if record["kind"] != "initiative":
                continue
            s_start, s_end = outline.sentence(record["start"])
            record["sentence"] = source.text[s_start:s_end]
            records.append(record)
    records.sort(key=lambda r: (r["source"], r["start"], r["end"]))
    return records, len(paths)


def subtype(record: dict) -> str:
    return (record.get("extra") or {}).get("subtype") or "none"


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of n over the strata (largest remainder), at least one per stratum."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    quotas = {k: n * v / total for k, v in sizes.items()}
    alloc = {k: min(sizes[k], max(1, math.floor(q))) for k, q in quotas.items()}
    order = sorted(sizes, key=lambda k: (-(quotas[k] - math.floor(quotas[k])), k))
    while sum(alloc.values()) < n:
        for k in order:
            if sum(alloc.values()) < n and alloc[k] < sizes[k]:
                alloc[k] += 1
    while sum(alloc.values()) > n:
        k = max((k for k in alloc if alloc[k] > 1), key=lambda k: alloc[k] - quotas[k])
        alloc[k] -= 1
    return alloc


def draw_sample(records: list[dict]) -> list[dict]:
    """The fixed stratified sample: SAMPLE_SIZE records, drawn per subtype with Random(SEED)."""
    strata = defaultdict(list)
    for record in records:
        strata[subtype(record)].append(record)
    alloc = allocate({k: len(v) for k, v in strata.items()}, SAMPLE_SIZE)
    rng = random.Random(SEED)
    sample = []
    for name in sorted(strata):
        sample += rng.sample(strata[name], alloc[name])
    sample.sort(key=lambda r: (r["source"], r["start"], r["end"]))
    return sample


def load_judgements(path: Path) -> dict[tuple, dict]:
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {(r["source"], r["start"], r["end"]): r for r in rows}


def line(name: str, k: int, n: int, population: int) -> str:
    if n == 0:
        return f"  {name:<10}{population:>7}{n:>7}{'-':>8}{'-':>8}  -"
    low, high = wilson(k, n)
    return f"  {name:<10}{population:>7}{n:>7}{k:>8}{k / n:>8.3f}  [{low:.3f}, {high:.3f}]"


def report(records: list[dict], sample: list[dict], n_reports: int, judgements: dict[tuple, dict]) -> None:
    population = Counter(subtype(r) for r in records)
    judged = [(r, judgements[(r["source"], r["start"], r["end"])]) for r in sample
              if (r["source"], r["start"], r["end"]) in judgements]
    missing = len(sample) - len(judged)
    print(f"reports without gold: {n_reports}; initiative records: {len(records)} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(population.items()))})")
    print(f"sample: {len(sample)} (seed {SEED}); judged: {len(judged)}; not judged: {missing}")
    print(f"\n  {'subtype':<10}{'pop':>7}{'judged':>7}{'correct':>8}{'prec':>8}  95% Wilson")
    by_subtype = defaultdict(list)
    for record, judgement in judged:
        by_subtype[subtype(record)].append(bool(judgement["correct"]))
    k_all = sum(ok for oks in by_subtype.values() for ok in oks)
    print(line("overall", k_all, len(judged), len(records)))
    for name in sorted(population):
        oks = by_subtype.get(name, [])
        print(line(name, sum(oks), len(oks), population[name]))
    k_blind = sum(1 for _, j in judged if j["correct"] or j.get("why", "").startswith("wrong subtype"))
    print(line("any type", k_blind, len(judged), len(records)) + "  (subtype ignored)")
    if judged and set(by_subtype) == set(population):
        weighted = sum(population[k] / len(records) * sum(v) / len(v) for k, v in by_subtype.items())
        print(f"  overall, weighted by subtype population: {weighted:.3f}")
    wrong = [(r, j) for r, j in judged if not j["correct"]]
    print(f"\njudged wrong: {len(wrong)}")
    reasons = Counter(j.get("why", "").split(" (")[0] for _, j in wrong)
    for reason, count in reasons.most_common():
        print(f"  {count:>3}  {reason}")
    print()
    for record, judgement in wrong:
        print(f"  {record['source']}:{record['start']}-{record['end']}  {record['text']}  "
              f"[{subtype(record)}]  {judgement.get('why', '')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS, help="judgement JSONL file")
    parser.add_argument("--sample", action="store_true", help="print the sample as JSONL and stop")
    args = parser.parse_args()
    records, n_reports = initiative_records()
    sample = draw_sample(records)
    if args.sample:
        for record in sample:
            print(json.dumps({k: record[k] for k in ("source", "start", "end", "text", "label", "extra", "sentence")},
                             ensure_ascii=False))
        return
    if not args.judgements.exists():
        sys.exit(f"no judgement file at {args.judgements}: run with --sample and judge each record")
    report(records, sample, n_reports, load_judgements(args.judgements))


if __name__ == "__main__":
    main()
