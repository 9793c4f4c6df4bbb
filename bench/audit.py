"""What the precision audits share: which reports have no gold, and the Wilson interval."""
from __future__ import annotations

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "corpora" / "gov-reports-2026"
GOLD = ROOT / "corpora" / "gold"
Z = 1.959963984540054  # two-sided 95 %


def gold_sources() -> set[str]:
    """Names of the sources any gold file annotates."""
    names = set()
    for path in sorted(GOLD.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            names.update(json.loads(line)["source"] for line in handle if line.strip())
    return names


def reports_without_gold() -> list[Path]:
    """The bundled reports that no gold file annotates."""
    excluded = gold_sources()
    return [path for path in sorted(REPORTS.glob("*.txt")) if path.name not in excluded]


def wilson(k: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval for k successes in n trials (0..1 when there are no trials)."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))
