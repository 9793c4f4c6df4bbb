"""Shared fixtures: expensive objects are built once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.resources import CORPORA, GOLD

SEED = CORPORA / "seed" / "000_96ec6004153f9f3a.txt"
REPORTS = CORPORA / "gov-reports-2026"
GOLD_SOURCES = [SEED, REPORTS / "2026_北京市_政府工作报告.txt", REPORTS / "2026_甘肃省_政府工作报告.txt"]


@pytest.fixture(scope="session")
def segmenter():
    from pipeline.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="session")
def extractor(segmenter):
    from pipeline.extract import Extractor

    return Extractor(segmenter)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two real reports and the seed page in a folder of their own."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in GOLD_SOURCES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD
