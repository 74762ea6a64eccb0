"""Persistent identifiers (ORCID iD, ROR id, DOI): recognise, check and normalise them.

One small module so that every domain checks them the same way: the JATS house rules, the
account form that takes an author's ORCID iD, the submission metadata and the Crossref
deposit. Each ``normalise_*`` function accepts the usual written forms (bare, URL, ``doi:``)
and returns the canonical bare form, or ``None`` when the value is not well-formed.

Written here rather than taken from a library because each check is a few lines over a
published algorithm and the PyPI packages for them are unmaintained or pull in much more.
"""

from __future__ import annotations

import re

ORCID_URL_PREFIX = "https://orcid.org/"
ROR_URL_PREFIX = "https://ror.org/"
DOI_URL_PREFIX = "https://doi.org/"

_ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_ORCID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.|sandbox\.)?orcid\.org/", re.IGNORECASE)

# ROR ids: "0", six Crockford base-32 digits (no i, l, o, u), then two decimal check digits.
_ROR_SHAPE = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}\d{2}$")
_ROR_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.IGNORECASE)
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"

# The one spelling of a DOI's shape. A DOI is "10." + a registrant code of 4-9 digits (which
# may have dot-separated sub-codes) + "/" + a suffix without spaces. The scanners that find
# DOIs in running text (references, conversion) build their patterns from DOI_PREFIX_PATTERN.
DOI_PREFIX_PATTERN = r"10\.\d{4,9}"
# A bare DOI whose prefix has no sub-codes (what Crossref prefixes look like); use fullmatch
# to test a value, search to find one in text.
DOI_RE = re.compile(DOI_PREFIX_PATTERN + r"/\S+")
DOI_PREFIX_RE = re.compile(DOI_PREFIX_PATTERN)
# Crossref Funder Registry ids are DOIs under 10.13039 with an alphanumeric suffix.
FUNDER_DOI_PATTERN = r"10\.13039/[0-9A-Za-z]+"
_DOI_SHAPE = re.compile(rf"^{DOI_PREFIX_PATTERN}(?:\.\d+)*/\S+$")
_DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", re.IGNORECASE)


def orcid_check_digit(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str | None) -> str | None:
    """``0000-0002-1825-0097`` from a bare iD or an orcid.org URL; ``None`` if malformed.

    The last character must be the ISO 7064 MOD 11-2 check digit of the other fifteen, so a
    mistyped digit is caught rather than linked to someone else's record.
    """
    if not value:
        return None
    text = _ORCID_PREFIX.sub("", value.strip()).rstrip("/").upper()
    match = _ORCID_SHAPE.match(text)
    if match is None:
        return None
    digits = "".join(match.groups())
    if orcid_check_digit(digits[:15]) != digits[15]:
        return None
    return "-".join(match.groups())


def is_valid_orcid(value: str | None) -> bool:
    """True for a well-formed ORCID iD (bare or as an orcid.org URL) with a correct check digit."""
    return normalise_orcid(value) is not None


def orcid_url(value: str) -> str | None:
    """The canonical ``https://orcid.org/…`` URL of an iD, or ``None`` if malformed."""
    orcid = normalise_orcid(value)
    return ORCID_URL_PREFIX + orcid if orcid else None


def ror_check_digits(base: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits of the first seven characters of a ROR id."""
    number = 0
    for char in base:
        number = number * 32 + _CROCKFORD.index(char)
    return f"{98 - (number * 100) % 97:02d}"


def normalise_ror(value: str | None) -> str | None:
    """The bare nine-character ROR id (``03vek6s52``) from an id or a ror.org URL, or ``None``."""
    if not value:
        return None
    text = _ROR_PREFIX.sub("", value.strip()).rstrip("/").lower()
    if not _ROR_SHAPE.match(text):
        return None
    if ror_check_digits(text[:7]) != text[7:]:
        return None
    return text


def is_valid_ror(value: str | None) -> bool:
    """True for a well-formed ROR id (bare or URL) whose check digits are right."""
    return normalise_ror(value) is not None


def ror_url(value: str) -> str | None:
    """The canonical ``https://ror.org/…`` URL of a ROR id, or ``None`` if malformed."""
    ror = normalise_ror(value)
    return ROR_URL_PREFIX + ror if ror else None


def strip_doi_resolver(value: str) -> str:
    """The value without white space around it and without a resolver form in front.

    Unlike :func:`normalise_doi` this keeps a malformed value, for callers that say what is
    wrong with it (:func:`frontiers_de.crossref.doi.validate_doi`) or compare as written.
    """
    return _DOI_PREFIX.sub("", value.strip()).strip()


def normalise_doi(value: str | None) -> str | None:
    """The bare DOI (``10.1234/abc``) from a DOI, ``doi:`` form or doi.org URL, or ``None``.

    Case is kept as written (DOIs compare case-insensitively; Crossref stores them as given).
    """
    if not value:
        return None
    text = strip_doi_resolver(value)
    return text if _DOI_SHAPE.match(text) else None


def is_valid_doi(value: str | None) -> bool:
    """True when the value is a well-formed DOI (bare, ``doi:`` or doi.org URL)."""
    return normalise_doi(value) is not None


def is_funder_doi(value: str | None) -> bool:
    """True for a Funder Registry DOI (``10.13039/501100001809``), bare or as a DOI URL."""
    doi = normalise_doi(value)
    return doi is not None and re.fullmatch(FUNDER_DOI_PATTERN, doi) is not None


def doi_url(value: str) -> str | None:
    """The ``https://doi.org/…`` URL of a DOI, or ``None`` if malformed."""
    doi = normalise_doi(value)
    return DOI_URL_PREFIX + doi if doi else None


# Forms say *why* a value was refused, so these raise ``ValueError("format")`` or
# ``ValueError("checksum")`` instead of returning None.


def check_orcid(value: str) -> str:
    """The hyphenated bare ORCID iD, or ``ValueError`` saying whether form or checksum is off."""
    text = _ORCID_PREFIX.sub("", value.strip()).rstrip("/").upper()
    match = _ORCID_SHAPE.match(text)
    if not match:
        raise ValueError("format")
    if normalise_orcid(text) is None:
        raise ValueError("checksum")
    return "-".join(match.groups())


def check_ror(value: str) -> str:
    """The bare ROR id, or ``ValueError`` saying whether form or checksum is off."""
    text = _ROR_PREFIX.sub("", value.strip()).rstrip("/").lower()
    if not _ROR_SHAPE.match(text):
        raise ValueError("format")
    if normalise_ror(text) is None:
        raise ValueError("checksum")
    return text


_ISSN = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check character (weights 8..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    result = (11 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_issn(value: str) -> str:
    """``2049-3630`` from that or ``20493630``; ``ValueError`` if form or check digit is off."""
    match = _ISSN.match(value.strip().upper())
    if not match:
        raise ValueError("format")
    compact = "".join(match.groups())
    if issn_check_digit(compact[:7]) != compact[7]:
        raise ValueError("checksum")
    return f"{compact[:4]}-{compact[4:]}"


def normalise_doi_prefix(value: str) -> str:
    """A Crossref DOI prefix: ``10.`` and four to nine digits (``10.5555``)."""
    text = value.strip()
    if not DOI_PREFIX_RE.fullmatch(text):
        raise ValueError("format")
    return text
