"""Corpus tests: every real file in ../shared/corpus, plus the JATS fixtures under
tests/fixtures/jats/publishers that reproduce patterns seen in other publishers' articles
(comments and processing instructions everywhere, nested assessment notes, JATS 1.1 with
HTML entities and a DTD that does not travel with the file)."""

from __future__ import annotations

from pathlib import Path

PUBLISHER_FIXTURES_DIR = Path(__file__).parents[1] / "fixtures" / "jats" / "publishers"
REAL_ARTICLES_DIR = Path(__file__).parents[1] / "fixtures" / "jats" / "real"


def publisher_fixtures() -> list[Path]:
    """The JATS articles written here after patterns of other publishers, by name."""
    return sorted(PUBLISHER_FIXTURES_DIR.glob("*.xml"))


def real_articles() -> list[Path]:
    """Real open-access articles of other publishers, as stored (see SOURCES.tsv there)."""
    return sorted(REAL_ARTICLES_DIR.glob("*.xml"))
