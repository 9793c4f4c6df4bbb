"""Where the bundled data lives: `corpora/` and `models/` sit beside the `pipeline` package,
both in a source checkout and in an installed environment (they are installed as package data).
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
MODELS = ROOT / "models"
LEXICONS = CORPORA / "lexicons"
GOLD = CORPORA / "gold"
SAMPLE_CORPUS = (CORPORA / "seed", CORPORA / "gov-reports-2026")
# Work summaries composed for annotation (corpora/SOURCES.md): training text, not part of the sample run.
COMPOSED = CORPORA / "composed-work-summaries"
