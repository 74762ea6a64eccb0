"""Checks for the scholarly identifiers people type into forms: ORCID iD, ROR id, ISSN,
DOI prefix. Pure functions: each returns the canonical form or raises ``ValueError`` with a
short English reason (forms turn it into a translated message).

These are a few lines of arithmetic each (ISO 7064 check characters); no maintained library
covers all four, so they are written here and tested against published identifiers.
"""

from __future__ import annotations

import re

_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")


def orcid_check_digit(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """``0000-0002-1825-0097`` from that, from its URL form, or from the 16 characters bare."""
    text = _ORCID_URL.sub("", value.strip()).upper()
    match = _ORCID.match(text)
    if not match:
        raise ValueError("format")
    compact = "".join(match.groups())
    if orcid_check_digit(compact[:15]) != compact[15]:
        raise ValueError("checksum")
    return "-".join(match.groups())


# ROR ids: "0", six Crockford base32 characters, two check digits (ISO 7064 MOD 97-10).
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR_URL = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.IGNORECASE)
_ROR = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")


def normalise_ror(value: str) -> str:
    """The bare nine-character ROR id (``03vek6s52``) from it or its ``https://ror.org/`` URL."""
    text = _ROR_URL.sub("", value.strip()).lower()
    if not _ROR.match(text):
        raise ValueError("format")
    number = 0
    for char in text[:7]:
        number = number * 32 + _CROCKFORD.index(char)
    if 98 - (number * 100) % 97 != int(text[7:]):
        raise ValueError("checksum")
    return text


_ISSN = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check character (weights 8..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    result = (11 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_issn(value: str) -> str:
    """``2049-3630`` from that or ``20493630``; the check digit must match."""
    match = _ISSN.match(value.strip().upper())
    if not match:
        raise ValueError("format")
    compact = "".join(match.groups())
    if issn_check_digit(compact[:7]) != compact[7]:
        raise ValueError("checksum")
    return f"{compact[:4]}-{compact[4:]}"


_DOI_PREFIX = re.compile(r"^10\.\d{4,9}$")


def normalise_doi_prefix(value: str) -> str:
    """A Crossref DOI prefix: ``10.`` and four to nine digits (``10.5555``)."""
    text = value.strip()
    if not _DOI_PREFIX.match(text):
        raise ValueError("format")
    return text
