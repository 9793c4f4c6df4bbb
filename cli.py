"""The `zongjie` command: each command parses its options and calls one library function."""
from __future__ import annotations

import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import orjson
import typer

# The commands import the heavy stages themselves (pandas and pyarrow for the dataset, datasketch
# for duplicates), so that each starts without loading what it does not use.
from pipeline import coverage, evaluate as scoring, training
from pipeline.errors import ZongjieError
from pipeline.extract import Extractor
from pipeline.ingest import iter_input_files, read_sources
from pipeline.normalize import fold
from pipeline.records import Skipped
from pipeline.resources import MODELS, SAMPLE_CORPUS

app = typer.Typer(
    help="zongjie: turn Chinese work reports into a queryable dataset of facts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_OUT = Path("zongjie-out")
DataOption = typer.Option(DEFAULT_OUT, "--data", "-d", help="Output directory of `zongjie run`.")


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"zongjie: error: {message}", err=True)
    raise typer.Exit(code)


def _print_frame(frame, fmt: Format) -> None:
    if fmt is Format.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt is Format.json:
        if not frame.empty:
            typer.echo(frame.to_json(orient="records", force_ascii=False, lines=True).rstrip("\n"))
    elif frame.empty:
        typer.echo("(no rows)")
    else:
        with_width = frame.copy()
        for column in with_width.columns:
            if with_width[column].dtype == object:
                with_width[column] = with_width[column].map(_cell)
        typer.echo(with_width.to_string(index=False, na_rep=""))


def _cell(value):
    """A table cell: long text cut to 60 characters, a missing value (no subject, no actor) blank."""
    if value is None:
        return ""
    return value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "..."


@app.command()
def run(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders (default: the bundled sample corpus)."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Output directory; the dataset goes to OUT/dataset."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
) -> None:
    """Ingest, segment and extract, then write the dataset (Parquet) and a run report."""
    from pipeline import runner

    summary = runner.run(paths or list(SAMPLE_CORPUS), out, jobs=jobs)
    report = summary.report
    typer.echo(f"files {report['files']}, sources {report['sources']}: processed {report['processed']}, "
               f"unchanged {report['cached']}, "
               f"skipped {len(report['skipped'])}, duplicates {len(report['duplicates'])}, "
               f"near-duplicates {len(report['near_duplicates'])}")
    for skip in report["skipped"]:
        typer.echo(f"  skipped {skip['path']}: {skip['reason']} ({skip['detail']})")
    facts_line = ", ".join(f"{kind} {n}" for kind, n in report["kinds"].items())
    typer.echo(f"documents {report['documents']}, facts {report['facts']} ({facts_line})")
    typer.echo(f"dataset: {summary.dataset_dir.resolve()}")
    if report["processed"] + report["cached"] == 0:
        _fail("nothing could be processed" + ("" if report["files"] else ": no input files found"))


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files or folders to extract from."),
    jsonl: Path = typer.Option(..., "--jsonl", help="Where to write the SCHEMA.md fact records."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
) -> None:
    """Write fact records exactly as SCHEMA.md says (offsets into each source file's text)."""
    from pipeline import runner

    tmp = jsonl.with_name(f".{jsonl.name}.{os.getpid()}.tmp")
    written = skipped = 0
    with open(tmp, "wb") as handle:
        for records, skips in runner.extract_records(paths, jobs=jobs):
            for skip in skips:
                typer.echo(f"skipped {skip.path}: {skip.reason} ({skip.detail})", err=True)
            skipped += len(skips)
            for record in records:
                handle.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            written += len(records)
    os.replace(tmp, jsonl)
    typer.echo(f"{written} records written to {jsonl} ({skipped} files skipped)", err=True)


@app.command("evaluate")
def evaluate_cmd(
    gold: str = typer.Option(..., "--gold", help="Gold JSONL file(s) or folder(s), comma-joined."),
    pred: str = typer.Option(..., "--pred", help="Predicted JSONL file(s) or folder(s), comma-joined."),
    kinds: Optional[str] = typer.Option(None, "--kinds", help="Comma-joined kinds to score (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores and errors as JSON."),
    show: int = typer.Option(30, "--show", help="How many misses and false hits to list (-1: all)."),
    corpus: Optional[list[Path]] = typer.Option(None, "--corpus", help="Folders of source texts, for context."),
) -> None:
    """Score predictions against gold as SCHEMA.md defines it."""
    result = scoring.score(scoring.load_records(gold), scoring.load_records(pred),
                           kinds=kinds.split(",") if kinds else None,
                           texts=_source_texts(corpus or list(SAMPLE_CORPUS)))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(f"sources scored: {len(result['sources'])}")
    typer.echo(scoring.format_table(result))
    errors = result["errors"] if show < 0 else result["errors"][:show]
    if errors:
        typer.echo(f"\nerrors ({len(errors)} of {len(result['errors'])}):")
        typer.echo(scoring.format_errors({"errors": errors}))


def _sources(paths: list[Path]):
    for path in iter_input_files(paths):
        yield from read_sources(path)


def _source_texts(folders: list[Path]) -> dict[str, str]:
    return {s.name: s.text for s in _sources(folders) if not isinstance(s, Skipped)}


@app.command()
def query(
    sql: str = typer.Argument(..., help="DuckDB SQL over the tables documents, facts, rejections, runs."),
    data: Path = DataOption,
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Run SQL over the dataset in place."""
    from pipeline import dataset

    _print_frame(dataset.query(data, sql), fmt)


@app.command()
def facts(
    kind: Optional[list[str]] = typer.Option(None, "--kind", "-k", help="Fact kind (repeatable)."),
    source: Optional[str] = typer.Option(None, "--source", help="Source file name contains this."),
    min_value: Optional[float] = typer.Option(None, "--min", help="Smallest value."),
    max_value: Optional[float] = typer.Option(None, "--max", help="Largest value."),
    contains: Optional[str] = typer.Option(None, "--contains", help="The sentence contains this."),
    unit: Optional[str] = typer.Option(None, "--unit"),
    per: Optional[str] = typer.Option(None, "--per"),
    subject: Optional[str] = typer.Option(None, "--subject", help="The subject contains this."),
    limit: int = typer.Option(50, "--limit", help="Most rows to print (0: all)."),
    data: Path = DataOption,
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """List facts matching filters, with their source span."""
    from pipeline import dataset

    sql, params = dataset.facts_sql(kinds=kind, source=source, min_value=min_value, max_value=max_value,
                                    contains=contains, unit=unit, per=per, subject=subject, limit=limit)
    _print_frame(dataset.query(data, sql, params), fmt)


@app.command("coverage")
def coverage_cmd(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders (default: the bundled sample corpus)."),
    limit: int = typer.Option(30, "--limit", help="Most patterns to list (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary and groups as JSON."),
) -> None:
    """The coverage ledger: numerals that became no fact, grouped by pattern, most frequent first."""
    extractor = Extractor()
    rows = []
    for source in _sources(paths or list(SAMPLE_CORPUS)):
        if not isinstance(source, Skipped):
            rows += coverage.coverage(fold(source.text), extractor.extract(source.text))
    summary, groups = coverage.summarise(rows), coverage.group_uncovered(rows)
    groups = groups[:limit] if limit else groups
    if as_json:
        typer.echo(json.dumps({"summary": summary, "groups": groups}, ensure_ascii=False, indent=1))
        return
    typer.echo(f"numerals {summary['numerals']}: facts {summary['facts']}, rejected {summary['rejected']}, "
               f"unparsed {summary['unparsed']}")
    for reason, count in summary["reasons"].items():
        typer.echo(f"  {count:>6}  {reason}")
    typer.echo(f"\n{'count':>6}  {'pattern':<24} outcomes / examples")
    for group in groups:
        outcomes = ", ".join(f"{reason} {n}" for reason, n in group["outcomes"].items())
        typer.echo(f"{group['count']:>6}  {group['pattern']:<24} {outcomes}  e.g. {' / '.join(group['examples'])}")


@app.command()
def initiatives(
    data: Path = DataOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the lexicon here (.csv, .json or .parquet)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
    limit: int = typer.Option(40, "--limit", help="Most rows to print (0: all)."),
) -> None:
    """The initiative lexicon: every formula and campaign with its mentions, documents and members."""
    from pipeline import dataset

    lexicon = dataset.load(data)["initiatives"]
    if out is not None:
        dataset.write_frame(lexicon, out)
        typer.echo(f"{len(lexicon)} initiatives written to {out}")
        return
    _print_frame(lexicon.head(limit) if limit else lexicon, fmt)


@app.command()
def train(
    only: Optional[list[str]] = typer.Option(None, "--only", help="Model to train (repeatable): "
                                              + ", ".join(training.TRAINERS)),
    seed: int = typer.Option(0, "--seed"),
    report: bool = typer.Option(False, "--report", help="Also print each entity rule's coverage and precision."),
    models: Path = typer.Option(MODELS, "--models", help="Where to write the models."),
) -> None:
    """Rebuild the shipped models from the annotations in corpora/, each with a model card."""
    unknown = set(only or []) - set(training.TRAINERS)
    if unknown:
        _fail(f"no model named {', '.join(sorted(unknown))}; choose from {', '.join(training.TRAINERS)}")
    for name, metrics in training.train(only, seed=seed, models_dir=models).items():
        leaves = training.numeric_leaves(metrics)
        typer.echo(f"{name}: " + ", ".join(f"{k} {v:.3f}" for k, v in leaves.items() if _headline(k)))
        typer.echo(f"  card: {models / name / 'card.json'}")
    if report:
        rows = training.rule_report()
        typer.echo(f"\n{'rule':<24}{'found':>7}{'correct':>9}{'precision':>11}{'coverage':>10}")
        for row in rows:
            typer.echo(f"{row['rule']:<24}{row['predicted']:>7}{row['correct']:>9}"
                       f"{row['precision']:>11.3f}{row['coverage']:>10.3f}")


def _headline(metric: str) -> bool:
    """The metrics worth a line on the terminal (the card keeps them all)."""
    return metric.endswith(("f1", "macro_f1", "precision", "recall", "exact", "accuracy"))


def main() -> None:
    level = os.environ.get("ZONGJIE_LOG", "WARNING")
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    logging.getLogger("jieba").setLevel(level)  # jieba logs its dictionary loading at DEBUG
    try:
        app()
    except ZongjieError as err:
        typer.echo(f"zongjie: error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
