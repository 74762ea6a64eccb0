"""DOIs: assigning a suffix from the journal's pattern, and checking DOIs we are given.

The pattern comes from settings (``fde.journal.doi_suffix_pattern``, default
``fde.{year}.{number:04d}``); it is a Python format string with the fields ``year`` and
``number``. Everything here is pure, so the app (which picks the next free number inside a
transaction) and the command line share one rule.
"""

from __future__ import annotations

import re
import string

from frontiers_de import identifiers

DEFAULT_SUFFIX_PATTERN = "fde.{year}.{number:04d}"

# Crossref's own schema pattern is 10.NNNN(-NNNNN)/.{1,200}; we are stricter on the suffix
# we mint ourselves (Crossref's recommended character set), and accept any printable,
# space-free suffix in DOIs we only read (references, imported articles).
_OWN_SUFFIX_RE = re.compile(r"[A-Za-z0-9\-._;()/:]{1,200}")
_PATTERN_FIELDS = {"year", "number"}


class InvalidDOI(ValueError):
    """A DOI, prefix or suffix pattern that cannot be used, with the reason."""


def is_valid_doi(value: str) -> bool:
    """True when ``value`` is a DOI (:mod:`frontiers_de.identifiers`) that Crossref's schema
    takes (a suffix of at most 200 characters)."""
    doi = identifiers.normalise_doi(value)
    return bool(doi and identifiers.DOI_RE.fullmatch(doi) and len(doi.split("/", 1)[1]) <= 200)


def validate_doi(value: str) -> str:
    """The normalised DOI, or :class:`InvalidDOI` saying what is wrong with it."""
    doi = identifiers.strip_doi_resolver(value)
    if not doi:
        raise InvalidDOI("the DOI is empty")
    if "/" not in doi:
        raise InvalidDOI(f"{doi!r} is not a DOI: it has no '/' between prefix and suffix")
    prefix, suffix = doi.split("/", 1)
    if not identifiers.DOI_PREFIX_RE.fullmatch(prefix):
        raise InvalidDOI(f"{doi!r} has an invalid prefix {prefix!r} (expected 10. and 4-9 digits)")
    if not suffix:
        raise InvalidDOI(f"{doi!r} has an empty suffix")
    if len(suffix) > 200:
        raise InvalidDOI(f"{doi!r} has a suffix longer than 200 characters")
    if re.search(r"\s", suffix):
        raise InvalidDOI(f"{doi!r} contains white space")
    return doi


def validate_prefix(prefix: str) -> str:
    try:
        return identifiers.normalise_doi_prefix(prefix)
    except ValueError:
        raise InvalidDOI(
            f"invalid DOI prefix {prefix.strip()!r} (expected 10. and 4-9 digits)"
        ) from None


def validate_suffix_pattern(pattern: str) -> str:
    """Check that ``pattern`` uses only ``{year}`` and ``{number}`` and yields valid suffixes."""
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
    except ValueError as exc:
        raise InvalidDOI(f"DOI suffix pattern {pattern!r} is malformed: {exc}") from exc
    unknown = {f.split(".")[0].split("[")[0] for f in used} - _PATTERN_FIELDS
    if unknown or "" in used:
        names = ", ".join(sorted(repr(u) for u in unknown or {""}))
        raise InvalidDOI(
            f"DOI suffix pattern {pattern!r} uses {names}; only {{year}} and {{number}} exist"
        )
    if "number" not in used:
        # Without the number every article of a year would get the same DOI.
        raise InvalidDOI(f"DOI suffix pattern {pattern!r} lacks {{number}}, so DOIs would repeat")
    _format_suffix(pattern, 2024, 1)
    return pattern


def _format_suffix(pattern: str, year: int, number: int) -> str:
    try:
        suffix = pattern.format(year=year, number=number)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidDOI(f"DOI suffix pattern {pattern!r} cannot be applied: {exc}") from exc
    if not _OWN_SUFFIX_RE.fullmatch(suffix):
        raise InvalidDOI(
            f"DOI suffix pattern {pattern!r} gives {suffix!r}; use only letters, digits "
            "and - . _ ; ( ) / :"
        )
    return suffix


def format_doi(
    prefix: str, pattern: str = DEFAULT_SUFFIX_PATTERN, year: int = 0, number: int = 0
) -> str:
    """The DOI for article ``number`` of ``year``: ``format_doi("10.5555", p, 2025, 7)``.

    >>> format_doi("10.5555", "fde.{year}.{number:04d}", 2025, 7)
    '10.5555/fde.2025.0007'
    """
    if year < 1000 or year > 9999:
        raise InvalidDOI(f"year {year} is not a four-digit year")
    if number < 1:
        raise InvalidDOI(f"article number {number} must be 1 or more")
    validate_suffix_pattern(pattern)
    return f"{validate_prefix(prefix)}/{_format_suffix(pattern, year, number)}"
