"""Shared fixtures. The official schemas and the corpus are read from ../shared (or from
FDE_SCHEMA_DIR / FDE_CORPUS_DIR); they are never copied into the project."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCHEMA_DIR = Path(os.environ.get("FDE_SCHEMA_DIR") or SHARED / "schemas")
CORPUS_DIR = Path(os.environ.get("FDE_CORPUS_DIR") or SHARED / "corpus")
os.environ.setdefault("FDE_SCHEMA_DIR", str(SCHEMA_DIR))


def corpus_files(kind: str) -> list[Path]:
    """Files of one kind (jats, docx, crossref, …) listed in the corpus MANIFEST.tsv."""
    manifest = CORPUS_DIR / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [CORPUS_DIR / r["file"] for r in rows if r["kind"] == kind]


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    if not SCHEMA_DIR.is_dir():
        pytest.fail(f"official schemas not found at {SCHEMA_DIR} (set FDE_SCHEMA_DIR)")
    return SCHEMA_DIR


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"corpus not found at {CORPUS_DIR} (set FDE_CORPUS_DIR)")
    return CORPUS_DIR
