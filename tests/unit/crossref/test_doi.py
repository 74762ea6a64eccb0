from __future__ import annotations

import pytest

from frontiers_de.crossref.doi import (
    DEFAULT_SUFFIX_PATTERN,
    InvalidDOI,
    format_doi,
    is_valid_doi,
    validate_doi,
    validate_suffix_pattern,
)
from frontiers_de.identifiers import strip_doi_resolver


def test_default_pattern_gives_padded_number() -> None:
    assert format_doi("10.5555", DEFAULT_SUFFIX_PATTERN, 2025, 7) == "10.5555/fde.2025.0007"
    assert format_doi("10.5555", DEFAULT_SUFFIX_PATTERN, 2025, 12345) == "10.5555/fde.2025.12345"


def test_custom_pattern() -> None:
    assert format_doi("10.12345", "j-{number}-{year}", 2026, 3) == "10.12345/j-3-2026"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("fde.{year}", "lacks {number}"),
        ("fde.{year}.{issue}", "'issue'"),
        ("fde.{year}.{number:04d", "malformed"),
        ("fde {year} {number}", "letters, digits"),
        ("fde.{}", "only {year} and {number}"),
    ],
)
def test_bad_patterns_are_refused_with_reason(pattern: str, reason: str) -> None:
    with pytest.raises(InvalidDOI, match=reason.replace("{", r"\{").replace("}", r"\}")):
        validate_suffix_pattern(pattern)


@pytest.mark.parametrize(
    ("prefix", "year", "number"),
    [("11.5555", 2025, 1), ("10.55", 2025, 1), ("10.5555", 25, 1), ("10.5555", 2025, 0)],
)
def test_bad_prefix_year_or_number(prefix: str, year: int, number: int) -> None:
    with pytest.raises(InvalidDOI):
        format_doi(prefix, DEFAULT_SUFFIX_PATTERN, year, number)


def test_strip_doi_resolver_strips_resolvers() -> None:
    assert strip_doi_resolver(" https://doi.org/10.1000/ABC ") == "10.1000/ABC"
    assert strip_doi_resolver("doi:10.1000/x") == "10.1000/x"
    assert strip_doi_resolver("http://dx.doi.org/10.1000/x") == "10.1000/x"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ("10.5555", "no '/'"),
        ("10.55/abc", "invalid prefix"),
        ("10.5555/a b", "white space"),
        ("10.5555/", "empty suffix"),
        ("10.5555/" + "x" * 201, "longer than 200"),
    ],
)
def test_validate_doi_says_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(InvalidDOI, match=message):
        validate_doi(value)
    assert not is_valid_doi(value)


def test_valid_doi() -> None:
    assert validate_doi("https://doi.org/10.1371/journal.pone.0160653") == (
        "10.1371/journal.pone.0160653"
    )
