"""Ingest throughput: MB of input read per second for .txt, .html and .docx files.

The HTML and Word inputs are made from the bundled corpus texts (one <p> or paragraph per
line, the HTML in GBK without a charset tag, so detection is timed too). Run:
    python bench/ingest_speed.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.ingest import iter_input_files, read_source, read_sources  # noqa: E402
from pipeline.records import Skipped  # noqa: E402
from pipeline.resources import SAMPLE_CORPUS  # noqa: E402


def corpus_texts() -> dict[str, str]:
    return {p.stem: read_source(p).text for p in iter_input_files(SAMPLE_CORPUS) if p.suffix == ".txt"}


def write_inputs(texts: dict[str, str], folder: Path) -> dict[str, list[Path]]:
    import docx

    inputs: dict[str, list[Path]] = {"txt": [], "html": [], "docx": []}
    for stem, text in texts.items():
        lines = [line for line in text.split("\n") if line.strip()]
        txt = folder / f"{stem}.txt"
        txt.write_text(text, encoding="utf-8")
        inputs["txt"].append(txt)
        page = folder / f"{stem}.html"
        body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
        page.write_bytes(f"<html><head><title>{html.escape(lines[0])}</title></head><body>{body}</body></html>"
                         .encode("gb18030"))
        inputs["html"].append(page)
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        word = folder / f"{stem}.docx"
        document.save(word)
        inputs["docx"].append(word)
    return inputs


def throughput(paths: list[Path], repeat: int) -> tuple[float, int]:
    """Best MB/s over `repeat` passes, and how many sources a pass produced."""
    size = sum(p.stat().st_size for p in paths)
    best, sources = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        sources = sum(not isinstance(s, Skipped) for p in paths for s in read_sources(p))
        best = min(best, time.perf_counter() - started)
    return size / 1e6 / best, sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(texts, Path(tmp))
        list(read_sources(inputs["html"][0]))  # warm the character-frequency table used by detection
        print(f"{'format':<6} {'files':>5} {'MB':>7} {'MB/s':>8}")
        for fmt, paths in inputs.items():
            rate, sources = throughput(paths, args.repeat)
            size = sum(p.stat().st_size for p in paths) / 1e6
            print(f"{fmt:<6} {sources:>5} {size:>7.2f} {rate:>8.2f}")


if __name__ == "__main__":
    main()
