"""Batch runs: sources stream through ingest -> clean -> extract, one cached part per source.

Each source's result is written to `OUT/cache/` as soon as it is done (atomically), keyed by
the file's content hash and the pipeline's fingerprint. A run that is stopped part-way keeps
what it finished; the next run skips unchanged files and publishes the same dataset an
uninterrupted run would have.
"""
from __future__ import annotations

import bisect
import gc
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

import orjson
from tqdm import tqdm

from pipeline import clean
from pipeline.extract import Extractor
from pipeline.ingest import iter_input_files, read_sources
from pipeline.link import Outline
from pipeline.records import Extraction, Skipped, Source
from pipeline.resources import LEXICONS, MODELS

T = TypeVar("T")
R = TypeVar("R")


def version() -> str:
    try:
        return metadata.version("zongjie")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the code and data extraction depends on: a change invalidates cached parts."""
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py"))
    for root in (LEXICONS, MODELS):
        if root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(package.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def schema_records(source: Source, extraction: Extraction) -> Iterator[dict]:
    """The SCHEMA.md records of one source: the contract every evaluation reads."""
    for m in extraction.mentions:
        yield {
            "source": source.name, "kind": m.kind, "start": m.start, "end": m.end,
            "text": source.text[m.start:m.end], "value": m.value, "unit": m.unit,
            "approx": m.approx, "per": m.per, "subject": m.subject, "label": m.label,
            "extra": m.extra,
        }


def process_source(source: Source, extractor: Extractor) -> dict:
    """One source -> its documents, facts and rejections as plain rows (the cached part)."""
    from pipeline import dedup  # datasketch brings in scipy: only `run` needs it, `extract` starts faster

    removed = clean.furniture(source)
    documents = clean.split_documents(source, removed)
    outline = Outline.of(source.text)
    extraction = extractor.extract(source.text, outline)
    doc_rows = [
        {"doc_id": d.doc_id, "title": d.title, "start": d.start, "end": d.end, "text": d.text,
         "meta": d.meta, "minhash": dedup.signature(d.text).hashvalues.tolist()}
        for d in documents
    ]

    starts = [d.start for d in documents]

    def document_at(offset: int):
        i = bisect.bisect_right(starts, offset) - 1
        return documents[i] if i >= 0 and offset < documents[i].end else None

    facts = []
    for record, mention in zip(schema_records(source, extraction), extraction.mentions):
        doc = document_at(mention.start)
        s_start, s_end = outline.sentence(mention.start)
        record = dict(record)
        record.pop("source")
        record.update(
            fact_id=_fact_id(source.content_hash, mention.kind, mention.start, mention.end),
            doc_id=doc.doc_id if doc else None,
            rule=mention.rule,
            sentence=source.text[s_start:s_end],
            sentence_start=s_start,
            section=outline.section(mention.start, doc.start if doc else 0),
        )
        facts.append(record)
    _add_topics(facts, extractor.linker)
    rejections = [
        {"doc_id": getattr(document_at(r.start), "doc_id", None),
         "start": r.start, "end": r.end, "text": source.text[r.start:r.end],
         "reason": r.reason, "rule": r.rule,
         "context": source.text[max(0, r.start - 8):r.end + 8]}
        for r in extraction.rejections
    ]
    removed_rows = [{"start": r.start, "end": r.end, "text": source.text[r.start:r.end],
                     "reason": r.reason, "rule": r.rule} for r in removed]
    return {"encoding": source.encoding, "confidence": source.confidence,
            "documents": doc_rows, "facts": facts, "rejections": rejections, "removed": removed_rows}


def _add_topics(facts: list[dict], linker) -> None:
    """The policy area of each fact's sentence and of its section heading, one batch per source."""
    texts = sorted({f["sentence"] for f in facts} | {f["section"] for f in facts if f["section"]})
    topic_of = dict(zip(texts, linker.topics_of(texts)))
    for fact in facts:
        fact["topic"] = topic_of[fact["sentence"]]
        fact["section_topic"] = topic_of.get(fact["section"])


def _fact_id(content_hash: str, kind: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{content_hash}:{kind}:{start}:{end}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------- worker processes

_worker_extractor: Extractor | None = None


# Extraction allocates millions of short-lived tuples, nearly all freed by reference counting;
# at Python's default (a young-generation collection every 700 allocations) the cycle collector
# spends a noticeable share of extract time finding nothing. Workers collect less often, and leave
# what was loaded before extracting (dictionaries, models) out of every collection.
WORKER_GC_THRESHOLD = 100_000


def _init_worker() -> None:
    """Build the segmenter and models once per worker process."""
    global _worker_extractor
    _worker_extractor = Extractor()
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD)


def _work(job: tuple[str, str]) -> list[dict]:
    """Process one input file (an archive holds several sources), using the cache. Never raises."""
    path, cache_dir = job
    outcomes = []
    for item in read_sources(Path(path)):
        if isinstance(item, Skipped):
            outcomes.append({"path": item.path, "status": "skipped", "reason": item.reason,
                             "detail": item.detail})
            continue
        outcomes.append(_work_on_source(item, Path(cache_dir)))
    return outcomes


def _work_on_source(source: Source, cache_dir: Path) -> dict:
    part = cache_dir / f"{source.content_hash}.json"
    outcome = {"path": source.path, "name": source.name, "content_hash": source.content_hash,
               "part": str(part)}
    if part.exists():
        return outcome | {"status": "cached"}
    try:
        result = process_source(source, _worker_extractor)
    except Exception as err:  # one bad file must not stop the run; the report names it
        return outcome | {"status": "failed", "reason": "extraction-error",
                          "detail": f"{type(err).__name__}: {err}"}
    _write_atomically(part, orjson.dumps(result))
    return outcome | {"status": "processed"}


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class RunSummary:
    dataset_dir: Path
    report: dict


def run(paths: Iterable[Path], out_dir: Path, jobs: int = 1, progress: bool | None = None) -> RunSummary:
    """Ingest, extract and publish a dataset for `paths` under `out_dir`."""
    started = datetime.now(timezone.utc)
    out_dir = Path(out_dir)
    paths = [Path(p) for p in paths]
    files = [str(p) for p in iter_input_files(paths)]
    cache_dir = out_dir / "cache" / fingerprint()
    cache_dir.mkdir(parents=True, exist_ok=True)
    jobs_list = [(f, str(cache_dir)) for f in files]
    show = sys.stderr.isatty() if progress is None else progress
    outcomes = []
    with tqdm(total=len(files), unit="file", disable=not show, desc="zongjie run") as bar:
        for file_outcomes in _map(_work, jobs_list, jobs):
            outcomes.extend(file_outcomes)
            bar.update(1)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "version": version(),
        "fingerprint": fingerprint(),
        "inputs": [str(p) for p in paths],
        "files": len(files),
        "sources": sum(o["status"] != "skipped" for o in outcomes),
        "processed": sum(o["status"] == "processed" for o in outcomes),
        "cached": sum(o["status"] == "cached" for o in outcomes),
        "skipped": [{k: o.get(k) for k in ("path", "reason", "detail")}
                    for o in outcomes if o["status"] in ("skipped", "failed")],
    }
    from pipeline import dataset  # pandas and pyarrow: only publishing needs them, `extract` starts faster

    dataset_dir = dataset.publish(out_dir, outcomes, report)
    return RunSummary(dataset_dir, dataset.read_report(dataset_dir))


def _map(work: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """`work` over `items` in input order, in this process or in `jobs` worker processes."""
    global _worker_extractor
    if jobs <= 1 or len(items) <= 1:
        threshold = gc.get_threshold()
        _init_worker()
        try:
            yield from map(work, items)
        finally:
            _worker_extractor = None  # its dictionaries and models are not needed afterwards
            gc.unfreeze()
            gc.set_threshold(*threshold)
        return
    with get_context("spawn").Pool(jobs, initializer=_init_worker) as pool:
        yield from pool.imap(work, items, chunksize=1)


def _extract_file(path: str) -> tuple[list[dict], list[Skipped]]:
    """SCHEMA records of every source one input file holds, and what could not be read."""
    records, skipped = [], []
    for item in read_sources(Path(path)):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        try:
            records.extend(schema_records(item, _worker_extractor.extract(item.text)))
        except Exception as err:  # one bad file must not stop the others; the caller reports it
            skipped.append(Skipped(item.path, "extraction-error", f"{type(err).__name__}: {err}"))
    return records, skipped


def extract_records(paths: Iterable[Path], jobs: int = 1) -> Iterator[tuple[list[dict], list[Skipped]]]:
    """For each input file, in order: its SCHEMA records and its skipped sources."""
    yield from _map(_extract_file, [str(p) for p in iter_input_files(paths)], jobs)
