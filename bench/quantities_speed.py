"""Characters per second of `extract_quantities` + `extract_dates` over the 31 bundled reports.

The texts are read and folded first, so only the two extractors are timed; the best of
`--repeat` rounds is printed (the machine is shared, the best round is the least disturbed).

    python bench/quantities_speed.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.dates import extract_dates  # noqa: E402
from pipeline.extract.quantities import extract_quantities  # noqa: E402
from pipeline.normalize import fold  # noqa: E402
from pipeline.resources import CORPORA  # noqa: E402

REPORTS = sorted((CORPORA / "gov-reports-2026").glob("*.txt"))


def read_reports() -> list[str]:
    """The reports as the extractors see them: newlines folded to \\n, then `fold`ed."""
    texts = []
    for path in REPORTS:
        with open(path, encoding="utf-8", newline="") as handle:
            texts.append(fold(handle.read().replace("\r\n", "\n").replace("\r", "\n")))
    return texts


def one_round(texts: list[str]) -> tuple[float, int]:
    """Seconds for one pass of both extractors over every text, and the mentions found."""
    started = time.perf_counter()
    found = 0
    for text in texts:
        found += len(extract_quantities(text).mentions) + len(extract_dates(text).mentions)
    return time.perf_counter() - started, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds to run; the fastest is reported")
    args = parser.parse_args(argv)
    texts = read_reports()
    characters = sum(map(len, texts))
    rounds = [one_round(texts) for _ in range(args.repeat)]
    seconds, found = min(rounds)
    print(f"reports: {len(texts)}  characters: {characters:,}  mentions: {found:,}")
    print(f"best of {args.repeat}: {seconds:.3f} s  ->  {characters / seconds / 1e6:.2f} M characters/s")


if __name__ == "__main__":
    main()
