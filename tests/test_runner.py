"""Batch runs: idempotent, parallel-safe, resumable after a kill, never half-written."""
from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import dataset, runner
from pipeline.ingest import read_source

from conftest import REPORTS, SEED

ROOT = Path(__file__).resolve().parent.parent


def facts_frame(out: Path):
    facts = dataset.load(out)["facts"]
    return facts.sort_values(["source", "start", "end", "kind"]).reset_index(drop=True)


def test_every_fact_points_at_its_source_text(small_corpus, tmp_path):
    summary = runner.run([small_corpus], tmp_path / "out", progress=False)
    tables = dataset.load(summary.dataset_dir)
    texts = {p.name: read_source(p).text for p in small_corpus.iterdir()}
    assert len(tables["documents"]) >= 3
    assert len(tables["facts"]) > 500
    for fact in tables["facts"].itertuples():
        assert texts[fact.source][fact.start:fact.end] == fact.text
    assert set(tables["facts"]["doc_id"].dropna()) <= set(tables["documents"]["doc_id"])


def test_extracting_in_process_restores_the_callers_garbage_collection(small_corpus):
    before = gc.get_threshold()
    records = [r for file_records, _ in runner.extract_records([small_corpus]) for r in file_records]
    assert records and gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_second_run_changes_nothing(small_corpus, tmp_path):
    out = tmp_path / "out"
    first = runner.run([small_corpus], out, progress=False)
    before = facts_frame(out)
    second = runner.run([small_corpus], out, progress=False)
    assert second.report["processed"] == 0
    assert second.report["cached"] == first.report["processed"] == 3
    assert facts_frame(out).equals(before)
    assert len(dataset.load(out)["runs"]) == 2
    assert not [p for p in out.iterdir() if p.name.startswith(".dataset-")]


def test_worker_processes_give_the_same_dataset(small_corpus, tmp_path):
    runner.run([small_corpus], tmp_path / "one", progress=False)
    runner.run([small_corpus], tmp_path / "two", jobs=2, progress=False)
    assert facts_frame(tmp_path / "one").equals(facts_frame(tmp_path / "two"))


def test_a_copy_of_a_document_is_not_counted_twice(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "again").mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(SEED, folder / "again" / "copy.txt")
    summary = runner.run([folder], tmp_path / "out", progress=False)
    tables = dataset.load(summary.dataset_dir)
    assert tables["documents"]["doc_id"].is_unique
    assert set(tables["facts"]["source"]) == {SEED.name}
    assert {d["path"] for d in summary.report["duplicates"]} == {str(folder / "again" / "copy.txt")}


def test_a_failed_publish_leaves_the_previous_dataset(small_corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    runner.run([small_corpus], out, progress=False)
    before = facts_frame(out)
    (small_corpus / "new.txt").write_text("全区新增就业岗位1200个。", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(dataset, "_write_runs", broken)
    with pytest.raises(OSError):
        runner.run([small_corpus], out, progress=False)
    assert facts_frame(out).equals(before)


def test_a_killed_run_resumes_to_the_same_dataset(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPORTS, corpus)
    command = [sys.executable, "-c", "import cli; cli.main()", "run", str(corpus), "--out"]
    subprocess.run(command + [str(tmp_path / "whole")], cwd=ROOT, check=True, capture_output=True)

    killed_out = tmp_path / "killed"
    process = subprocess.Popen(command + [str(killed_out)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = killed_out / "cache"
    while process.poll() is None and len(list(cache.rglob("*.json"))) < 5:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not (killed_out / "dataset").exists()

    resumed = subprocess.run(command + [str(killed_out)], cwd=ROOT, check=True, capture_output=True, text=True)
    assert "unchanged 0" not in resumed.stdout
    assert facts_frame(killed_out).equals(facts_frame(tmp_path / "whole"))


def test_a_lightly_edited_repost_is_marked_as_a_near_duplicate(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    original = REPORTS / "2026_北京市_政府工作报告.txt"
    text = original.read_text(encoding="utf-8")
    shutil.copy(original, folder / "a.txt")
    edited = text.replace("。", "！", 20)  # a few characters changed: a re-post, not a new report
    (folder / "b.txt").write_text(edited, encoding="utf-8")
    summary = runner.run([folder], tmp_path / "out", progress=False)
    documents = dataset.load(summary.dataset_dir)["documents"].set_index("source")
    assert documents.loc["b.txt", "near_duplicate_of"] == documents.loc["a.txt", "doc_id"]
    assert pd.isna(documents.loc["a.txt", "near_duplicate_of"])
    assert summary.report["near_duplicates"] == [[documents.loc["b.txt", "doc_id"], documents.loc["a.txt", "doc_id"]]]
