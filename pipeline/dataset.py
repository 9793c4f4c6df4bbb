"""Records -> Parquet tables (the dataset of record), queried in place with DuckDB.

A published dataset is the directory `OUT/dataset/` holding `documents`, `facts`,
`rejections` and `runs` as Parquet plus `report.json`. It is written whole into a staging
directory and swapped into place, so a reader never sees a half-written dataset.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup import NearDuplicateIndex, signature_from_values
from pipeline.errors import DatasetError
from pipeline.lexicon import build_initiative_lexicon, initiative_id

TABLES = ("documents", "facts", "initiatives", "rejections", "removed", "runs")
BATCH_ROWS = 5_000  # rows buffered per table before a row group is written

SCHEMAS = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("source", pa.string()), ("path", pa.string()),
        ("content_hash", pa.string()), ("encoding", pa.string()),
        ("encoding_confidence", pa.float64()), ("title", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("chars", pa.int64()), ("meta", pa.string()),
        ("near_duplicate_of", pa.string()), ("text", pa.string()),
    ]),
    "facts": pa.schema([
        ("fact_id", pa.string()), ("canonical_fact_id", pa.string()), ("doc_id", pa.string()),
        ("source", pa.string()),
        ("kind", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
        ("value", pa.float64()), ("unit", pa.string()), ("approx", pa.string()),
        ("per", pa.string()), ("subject", pa.string()), ("label", pa.string()),
        ("extra", pa.string()), ("rule", pa.string()), ("sentence", pa.string()),
        ("sentence_start", pa.int64()), ("section", pa.string()), ("topic", pa.string()),
        ("section_topic", pa.string()), ("initiative_id", pa.string()),
    ]),
    "initiatives": pa.schema([
        ("initiative_id", pa.string()), ("label", pa.string()), ("subtype", pa.string()),
        ("type", pa.string()), ("parts", pa.string()), ("mentions", pa.int64()),
        ("documents", pa.int64()), ("first_document", pa.string()), ("last_document", pa.string()),
        ("members", pa.string()), ("definitions", pa.string()),
    ]),
    "rejections": pa.schema([
        ("doc_id", pa.string()), ("source", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("text", pa.string()), ("reason", pa.string()),
        ("rule", pa.string()), ("context", pa.string()),
    ]),
    "removed": pa.schema([
        ("source", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("text", pa.string()), ("reason", pa.string()), ("rule", pa.string()),
    ]),
    "runs": pa.schema([
        ("run_id", pa.string()), ("started", pa.string()), ("finished", pa.string()),
        ("version", pa.string()), ("fingerprint", pa.string()), ("inputs", pa.string()),
        ("files", pa.int64()), ("processed", pa.int64()), ("cached", pa.int64()),
        ("skipped", pa.int64()), ("duplicates", pa.int64()), ("documents", pa.int64()),
        ("facts", pa.int64()), ("report", pa.string()),
    ]),
}


class _TableWriter:
    """Buffers rows and writes them to one Parquet file in row groups (memory stays flat)."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.rows: list[dict] = []
        self.count = 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def dataset_dir(out_dir: Path) -> Path:
    """Accept either the run's output directory or the dataset directory inside it."""
    out_dir = Path(out_dir)
    if (out_dir / "facts.parquet").exists():
        return out_dir
    if (out_dir / "dataset" / "facts.parquet").exists():
        return out_dir / "dataset"
    raise DatasetError(f"no zongjie dataset in {out_dir} (run `zongjie run --out {out_dir}` first)")


def publish(out_dir: Path, outcomes: Iterable[dict], report: dict) -> Path:
    """Write the dataset from the cached parts named by `outcomes` and swap it into place."""
    out_dir = Path(out_dir)
    final = out_dir / "dataset"
    staging = out_dir / f".dataset-staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    writers = {t: _TableWriter(staging / f"{t}.parquet", SCHEMAS[t])
               for t in TABLES if t not in ("runs", "initiatives")}
    seen_docs: dict[str, str] = {}
    canonical_facts: dict[bytes, str] = {}
    near_duplicates = NearDuplicateIndex()
    kinds: Counter[str] = Counter()
    duplicates = []
    initiatives: list[dict] = []  # the canonical initiative mentions, for the lexicon
    titles: list[dict] = []
    for outcome in outcomes:
        if outcome["status"] not in ("processed", "cached"):
            continue
        part = orjson.loads(Path(outcome["part"]).read_bytes())
        fresh = set()
        for doc in part["documents"]:
            if doc["doc_id"] in seen_docs:
                duplicates.append({"path": outcome["path"], "doc_id": doc["doc_id"],
                                   "duplicate_of": seen_docs[doc["doc_id"]]})
                continue
            seen_docs[doc["doc_id"]] = outcome["path"]
            fresh.add(doc["doc_id"])
            near = near_duplicates.add_signature(doc["doc_id"], signature_from_values(doc.pop("minhash")))
            titles.append({"doc_id": doc["doc_id"], "source": outcome["name"], "title": doc.get("title")})
            writers["documents"].add(doc | {
                "source": outcome["name"], "path": outcome["path"],
                "content_hash": outcome["content_hash"], "encoding": part["encoding"],
                "encoding_confidence": part["confidence"], "chars": len(doc["text"]),
                "meta": _json(doc.get("meta") or {}), "near_duplicate_of": near,
            })
        keep_loose = bool(fresh) or not part["documents"]
        for fact in part["facts"]:
            if fact["doc_id"] in fresh or (fact["doc_id"] is None and keep_loose):
                repeat_key = _repeat_key(fact)
                canonical = canonical_facts.setdefault(repeat_key, fact["fact_id"])
                kinds[fact["kind"]] += 1
                writers["facts"].add(fact | {
                    "source": outcome["name"], "canonical_fact_id": canonical, "extra": _json(fact["extra"]),
                    "initiative_id": initiative_id(fact["label"]) if fact["kind"] == "initiative" else None,
                })
                if fact["kind"] == "initiative" and canonical == fact["fact_id"]:
                    initiatives.append(fact | {"source": outcome["name"]})
        for rejection in part["rejections"]:
            if rejection["doc_id"] in fresh or (rejection["doc_id"] is None and keep_loose):
                writers["rejections"].add(rejection | {"source": outcome["name"]})
        if fresh:
            for removed in part["removed"]:
                writers["removed"].add(removed | {"source": outcome["name"]})
    for writer in writers.values():
        writer.close()
    _write_initiatives(staging, initiatives, titles)
    report = report | {
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "documents": writers["documents"].count, "facts": writers["facts"].count,
        "rejections": writers["rejections"].count, "duplicates": duplicates,
        "kinds": dict(kinds.most_common()),
        "near_duplicates": near_duplicates.pairs,
    }
    _write_runs(final, staging, report)
    (staging / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    _swap(staging, final)
    return final


def _repeat_key(fact: dict) -> bytes:
    """Facts with the same kind and text at the same place of the same sentence are one fact
    repeated (a paragraph copied from report to report)."""
    where = fact["start"] - fact["sentence_start"]
    key = f"{fact['kind']}\x1f{fact['text']}\x1f{where}\x1f{fact['sentence']}"
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def _write_initiatives(staging: Path, facts: list[dict], documents: list[dict]) -> None:
    """The initiative lexicon over the canonical initiative mentions gathered while the facts were
    written (a repeated paragraph counts once), so the facts table is not read back."""
    columns = ["fact_id", "doc_id", "source", "kind", "start", "end", "text", "label", "extra", "sentence"]
    lexicon = build_initiative_lexicon(pd.DataFrame(facts, columns=columns),
                                       pd.DataFrame(documents, columns=["doc_id", "source", "title"]))
    for column in ("parts", "members", "definitions"):
        lexicon[column] = lexicon[column].map(_json)
    pq.write_table(pa.Table.from_pandas(lexicon, schema=SCHEMAS["initiatives"], preserve_index=False),
                   staging / "initiatives.parquet", compression="zstd")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _write_runs(final: Path, staging: Path, report: dict) -> None:
    """Append this run to the history kept from earlier runs."""
    previous = pq.read_table(final / "runs.parquet").to_pylist() if (final / "runs.parquet").exists() else []
    row = {
        "run_id": f"{report['started']}-{report['fingerprint']}",
        "started": report["started"], "finished": report["finished"],
        "version": report["version"], "fingerprint": report["fingerprint"],
        "inputs": _json(report["inputs"]), "files": report["files"],
        "processed": report["processed"], "cached": report["cached"],
        "skipped": len(report["skipped"]), "duplicates": len(report["duplicates"]),
        "documents": report["documents"], "facts": report["facts"], "report": _json(report),
    }
    pq.write_table(pa.Table.from_pylist(previous + [row], schema=SCHEMAS["runs"]),
                   staging / "runs.parquet", compression="zstd")


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` by `staging`; the old dataset is removed only once the new one is in place."""
    retired = final.with_name(f".dataset-retired-{os.getpid()}")
    if final.exists():
        os.replace(final, retired)
    os.replace(staging, final)
    shutil.rmtree(retired, ignore_errors=True)


def read_report(out_dir: Path) -> dict:
    return json.loads((dataset_dir(out_dir) / "report.json").read_text(encoding="utf-8"))


def load(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The dataset's tables as pandas DataFrames, keyed by table name."""
    root = dataset_dir(out_dir)
    return {t: pd.read_parquet(root / f"{t}.parquet") for t in TABLES}


def connect(out_dir: Path):
    """An in-memory DuckDB connection with a view per table over the Parquet files in place."""
    import duckdb  # only the readers need it

    root = dataset_dir(out_dir)
    con = duckdb.connect()
    for table in TABLES:
        path = str(root / f"{table}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    return con


def query(out_dir: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run DuckDB SQL over the dataset's tables and return a DataFrame."""
    import duckdb

    con = connect(out_dir)
    try:
        return con.execute(sql, params or []).df()
    except duckdb.Error as err:
        raise DatasetError(f"query failed: {err}") from err
    finally:
        con.close()


FACT_COLUMNS = ("kind, value, unit, approx, per, subject, label, text, source, start, \"end\", topic, "
                "section, sentence, fact_id")


def facts_sql(kinds=None, source=None, min_value=None, max_value=None, contains=None, unit=None,
              per=None, subject=None, limit=50) -> tuple[str, list]:
    """A parameterised query over `facts` for the common filters of `zongjie facts`."""
    where, params = [], []
    if kinds:
        where.append(f"kind IN ({', '.join('?' for _ in kinds)})")
        params += list(kinds)
    for column, value, op in (("source", source, "contains"), ("sentence", contains, "contains"),
                              ("subject", subject, "contains"), ("unit", unit, "="), ("per", per, "="),
                              ("value", min_value, ">="), ("value", max_value, "<=")):
        if value is None:
            continue
        where.append(f"contains({column}, ?)" if op == "contains" else f"{column} {op} ?")
        params.append(value)
    sql = f"SELECT {FACT_COLUMNS} FROM facts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY source, start"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as CSV, JSON Lines or Parquet, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix in (".json", ".jsonl"):
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False, compression="zstd")
    else:
        raise DatasetError(f"cannot write {path.name}: use a .csv, .json, .jsonl or .parquet file")
