"""The zongjie command end to end, through typer's runner (exit codes and messages)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from pipeline.ingest import read_source

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def corpus_with_bad_files(small_corpus: Path) -> Path:
    (small_corpus / "empty.txt").write_bytes(b"")
    (small_corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (small_corpus / "notes.xyz").write_text("not a report", encoding="utf-8")
    return small_corpus


def test_run_lists_every_skipped_file_and_prints_the_dataset(corpus_with_bad_files, tmp_path):
    result = invoke("run", corpus_with_bad_files, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert re.search(r"skipped .*empty\.txt: empty", result.output)
    assert re.search(r"skipped .*image\.txt: binary", result.output)
    assert re.search(r"skipped .*notes\.xyz: unsupported-format", result.output)
    assert f"dataset: {(tmp_path / 'out' / 'dataset').resolve()}" in result.output
    report = json.loads((tmp_path / "out" / "dataset" / "report.json").read_text(encoding="utf-8"))
    assert sorted(Path(s["path"]).name for s in report["skipped"]) == ["empty.txt", "image.txt", "notes.xyz"]


def test_run_fails_only_when_nothing_could_be_processed(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"  \n")
    result = invoke("run", tmp_path / "in", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "skipped" in result.output and "empty" in result.output


def test_extract_writes_schema_records_with_exact_offsets(small_corpus, tmp_path):
    out = tmp_path / "facts.jsonl"
    result = invoke("extract", small_corpus, "--jsonl", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = {p.name: read_source(p).text for p in small_corpus.iterdir()}
    assert {r["source"] for r in records} == set(texts)
    for r in records:
        assert set(r) == {"source", "kind", "start", "end", "text", "value", "unit", "approx", "per",
                          "subject", "label", "extra"}
        assert texts[r["source"]][r["start"]:r["end"]] == r["text"]


def test_extract_in_worker_processes_writes_the_same_records(small_corpus, tmp_path):
    assert invoke("extract", small_corpus, "--jsonl", tmp_path / "one.jsonl").exit_code == 0
    assert invoke("extract", small_corpus, "--jsonl", tmp_path / "two.jsonl", "--jobs", "2").exit_code == 0
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_evaluate_prints_the_table_and_the_errors(gold_dir, tmp_path):
    gold = gold_dir / "seed.jsonl"
    pred = tmp_path / "pred.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines()
    pred.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    result = invoke("evaluate", "--gold", gold, "--pred", pred)
    assert result.exit_code == 0, result.output
    assert re.search(r"^MICRO\s+457\s+456\s+456", result.output, re.MULTILINE)
    assert re.search(r"^miss\s+initiative\s+000_96ec6004153f9f3a\.txt:20-24 .*【两个率先】", result.output, re.MULTILINE)
    as_json = json.loads(invoke("evaluate", "--gold", gold, "--pred", pred, "--json").output)
    assert as_json["micro"]["recall"] == pytest.approx(456 / 457)


def test_query_and_facts_read_the_dataset(small_corpus, tmp_path):
    out = tmp_path / "out"
    assert invoke("run", small_corpus, "--out", out).exit_code == 0
    result = invoke("query", "SELECT count(*) AS n FROM documents", "--data", out, "--format", "csv")
    assert result.output.splitlines()[0] == "n"
    assert int(result.output.splitlines()[1]) >= 3
    result = invoke("facts", "--kind", "money", "--min", "1e4", "--data", out, "--format", "json", "--limit", "0")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(r["kind"] == "money" and r["value"] >= 1e4 for r in rows)
    result = invoke("facts", "--kind", "percent", "--contains", "增长", "--data", out, "--format", "json")
    assert all("增长" in json.loads(line)["sentence"] for line in result.output.splitlines())
    table = invoke("query", "SELECT text, NULL AS actor FROM facts LIMIT 3", "--data", out).output
    assert "NaN" not in table and "None" not in table  # a missing value shows blank


def test_coverage_accounts_for_every_numeral(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("一是全区新增就业1200人，第三季度增长5.5%。二是千方百计稳就业。", encoding="utf-8")
    result = invoke("coverage", report, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["numerals"] == summary["facts"] + summary["rejected"] + summary["unparsed"]
    assert summary["unparsed"] == 0
    assert summary["reasons"] == {"list marker": 2, "lexical word or idiom": 2, "ordinal": 1}
    table = invoke("coverage", report).output
    assert re.search(r"^numerals 8: facts 3, rejected 5, unparsed 0$", table, re.MULTILINE)
    assert re.search(r"^\s+1\s+，第N季度\s+ordinal 1", table, re.MULTILINE)


def test_a_missing_dataset_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli.app, ["query", "SELECT 1", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert "no zongjie dataset" in str(result.exception)


def test_every_command_has_help_and_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in cli.app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"### `zongjie {name}" in readme, name
        assert invoke(name, "--help").exit_code == 0


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_traditional_text_is_read_as_simplified_but_spanned_as_written(tmp_path):
    report = tmp_path / "big5.txt"
    report.write_bytes("全區累計發放撫恤金1.5萬元，投入資金3億元，雙擁工作取得新成效。".encode("big5"))
    out = tmp_path / "facts.jsonl"
    assert invoke("extract", report, "--jsonl", out).exit_code == 0
    money = [r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if r["kind"] == "money"]
    assert [(r["text"], r["value"], r["unit"]) for r in money] == [("1.5萬元", 15000, "CNY"), ("3億元", 3e8, "CNY")]


def test_extract_starts_without_the_dataset_and_training_libraries(tmp_path):
    """`zongjie extract` loads neither pandas, pyarrow, datasketch nor scikit-learn: start-up stays short."""
    import subprocess
    import sys

    source = tmp_path / "report.txt"
    source.write_text("全年接待游客3.2亿人次，增长8%。", encoding="utf-8")
    program = (
        "import sys, cli\n"
        f"cli.app(['extract', {str(source)!r}, '--jsonl', {str(tmp_path / 'out.jsonl')!r}], standalone_mode=False)\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'datasketch', 'sklearn') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=Path(cli.__file__).parent,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) >= 2
