"""Throughput and peak memory of segmentation, `zongjie extract` and `zongjie run`.

The 31 bundled government reports are repeated (each copy made unique by a header line, so
no cache or duplicate check can skip it) to at least 5 M characters, and to half that to show
that memory stays flat as the corpus grows. Prints characters per second and peak RSS, and
the start-up time of `zongjie extract` on one sentence. The extract ratio to jieba is the median
of three rounds, each timing `jieba.lcut` over the reports and then one `zongjie extract` process
over the full corpus, so that both meet the same load of a shared machine; the extract rates shown
are the median rounds'.

    python bench/throughput.py [--mb 5]
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import Extractor  # noqa: E402
from pipeline.extract.dates import extract_dates  # noqa: E402
from pipeline.extract.entities import extract_entities  # noqa: E402
from pipeline.extract.initiatives import extract_initiatives  # noqa: E402
from pipeline.extract.quantities import extract_quantities  # noqa: E402
from pipeline.normalize import fold  # noqa: E402
from pipeline.resources import CORPORA  # noqa: E402
from pipeline.runner import WORKER_GC_THRESHOLD  # noqa: E402

REPORTS = sorted((CORPORA / "gov-reports-2026").glob("*.txt"))


def build_corpus(folder: Path, target_chars: int) -> int:
    """Copies of the reports until `target_chars`; returns the characters written."""
    texts = [p.read_text(encoding="utf-8") for p in REPORTS]
    folder.mkdir(parents=True)
    written, copy = 0, 0
    while written < target_chars:
        for path, text in zip(REPORTS, texts):
            body = f"副本{copy}\n{text}"
            (folder / f"{copy:03d}_{path.name}").write_text(body, encoding="utf-8")
            written += len(body)
        copy += 1
    return written


# Runs one zongjie process and prints its wall seconds and peak RSS. A forked child starts with
# its parent's resident pages counted in its peak, so the child is started from this small
# launcher rather than from the benchmark process, which holds jieba and the models by then.
LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen([sys.executable, "-m", "cli", *sys.argv[1:]],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def whole_process(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `zongjie` process."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    seconds, peak_mb, status = done.stdout.split()
    if int(status) != 0:
        raise SystemExit(f"zongjie {' '.join(args)} failed")
    return float(seconds), float(peak_mb)


def paired_rounds(args: list[str], texts: list[str], rounds: int) -> list[tuple[float, float, float]]:
    """`rounds` times: `jieba.lcut` over the reports (fastest of two passes), then at once one
    `zongjie` process. Returns (jieba characters/s, process seconds, peak MB) per round: a ratio
    taken within one round compares the two under the same load of a shared machine."""
    import jieba

    found = []
    for _ in range(rounds):
        rate = in_process_rate(jieba.lcut, texts, passes=2)
        seconds, peak_mb = whole_process(args)
        found.append((rate, seconds, peak_mb))
    return found


def in_process_rate(fn, texts: list[str], passes: int = 1) -> float:
    """Characters per second of `fn` over `texts`, the best of `passes` passes."""
    fastest = float("inf")
    for _ in range(passes):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        fastest = min(fastest, time.perf_counter() - started)
    return sum(map(len, texts)) / fastest


def print_stage_shares(texts: list[str]) -> None:
    """Where `Extractor.extract` spends its time, stage by stage, on the reports (in process, each
    report once: unlike the repeated corpus, little of the vocabulary has been scored before)."""
    extractor = Extractor()
    extractor.extract(texts[0])  # models and lexicons load outside the timing
    gc.freeze()  # collect garbage as a worker process does
    gc.set_threshold(WORKER_GC_THRESHOLD)
    folded = [fold(t) for t in texts]
    tokens = [extractor.segmenter.tokens(f) for f in folded]
    quantities = [extract_quantities(f) for f in folded]
    stages = {
        "segmentation": lambda: [extractor.segmenter.tokens(f) for f in folded],
        "quantities and dates": lambda: [(extract_quantities(f), extract_dates(f)) for f in folded],
        "initiatives": lambda: [extract_initiatives(f, [(a, b) for a, b, _ in t]) for f, t in zip(folded, tokens)],
        "entities": lambda: [extract_entities(f, t) for f, t in zip(folded, tokens)],
        "subjects": lambda: [extractor.linker.subjects.choose(f, t, [(m.start, m.end) for m in q.mentions])
                             for f, t, q in zip(folded, tokens, quantities)] if extractor.linker.subjects else None,
    }
    started = time.perf_counter()
    for text in texts:
        extractor.extract(text + " ")  # a new string: nothing is served from the fold cache
    total = time.perf_counter() - started
    shares = []
    for name, stage in stages.items():
        started = time.perf_counter()
        stage()
        shares.append(f"{name} {(time.perf_counter() - started) / total:.0%}")
    print(f"Extractor.extract {sum(map(len, texts)) / total / 1e6:.2f} M chars/s in process over the 31 reports once; "
          f"share of its time: {', '.join(shares)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="millions of characters in the large corpus")
    options = parser.parse_args()

    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [p.read_text(encoding="utf-8") for p in REPORTS]
    folded = [fold(t) for t in texts]
    jieba_rate = in_process_rate(jieba.lcut, texts, passes=3)  # the baseline at its best: a ratio errs low
    rjieba_rate = in_process_rate(lambda t: rjieba.cut(t, False), texts)
    rules_rate = in_process_rate(lambda t: (extract_quantities(t), extract_dates(t)), folded)
    same = sum(jieba.lcut(t, HMM=False) == rjieba.cut(t, False) for t in texts)
    print_stage_shares(texts)
    print(f"segmentation  jieba.lcut {jieba_rate / 1e6:6.2f} M chars/s   rjieba.cut {rjieba_rate / 1e6:6.2f} M chars/s"
          f"   identical without HMM: {same}/{len(texts)} reports")
    print(f"quantity and date rules {rules_rate / 1e6:6.2f} M chars/s (in process)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        for label, target in (("half", options.mb * 5e5), ("full", options.mb * 1e6)):
            corpus = tmp / label
            chars = build_corpus(corpus, int(target))
            rounds = paired_rounds(["extract", str(corpus), "--jsonl", str(tmp / f"{label}.jsonl")], texts,
                                   rounds=3 if label == "full" else 1)
            extract_s = statistics.median(seconds for _, seconds, _ in rounds)
            extract_mb = max(peak_mb for _, _, peak_mb in rounds)
            run_s, run_mb = whole_process(["run", str(corpus), "--out", str(tmp / f"out-{label}")])
            rows.append((label, chars, extract_s, extract_mb, run_s, run_mb))
        print(f"{'corpus':<6}{'chars':>11}{'extract c/s':>14}{'peak MB':>9}{'run c/s':>12}{'peak MB':>9}")
        for label, chars, extract_s, extract_mb, run_s, run_mb in rows:
            print(f"{label:<6}{chars:>11,}{chars / extract_s:>14,.0f}{extract_mb:>9.0f}{chars / run_s:>12,.0f}{run_mb:>9.0f}")
        label, chars, extract_s, _, run_s, _ = rows[-1]
        ratios = [chars / seconds / rate for rate, seconds, _ in rounds]
        print(f"ratio to jieba.lcut: extract {statistics.median(ratios):.2f} (median of {len(ratios)} rounds, each "
              f"jieba then extract: {', '.join(f'{r:.2f}' for r in ratios)}), run {chars / run_s / jieba_rate:.2f}")
        jobs = os.cpu_count() or 1
        parallel_s, parallel_mb = whole_process(
            ["extract", str(tmp / "full"), "--jsonl", str(tmp / "parallel.jsonl"), "--jobs", str(jobs)])
        print(f"extract --jobs {jobs}: {chars / parallel_s:,.0f} chars/s (ratio {chars / parallel_s / jieba_rate:.2f}), "
              f"largest process {parallel_mb:.0f} MB")
        print(f"quantity and date rules' share of extract time: {chars / rules_rate / extract_s:.0%}")
        short = tmp / "short.txt"
        short.write_text("全年接待游客3.2亿人次，增长8%。", encoding="utf-8")
        startup_s, startup_mb = whole_process(["extract", str(short), "--jsonl", str(tmp / "short.jsonl")])
        print(f"extract start-up (one sentence): {startup_s:.2f} s, {startup_mb:.0f} MB")


if __name__ == "__main__":
    main()
