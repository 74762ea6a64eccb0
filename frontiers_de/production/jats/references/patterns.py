"""Tokens every reference parser looks for: identifiers, years, dashes, months, link words,
and the clean-up applied to a reference string before it is read.
"""

from __future__ import annotations

import re
import unicodedata

from frontiers_de.identifiers import DOI_PREFIX_PATTERN

_DOI = re.compile(
    rf"\b(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?({DOI_PREFIX_PATTERN}/[^\s\"<>]+)", re.I
)
_PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.I)
_PMCID = re.compile(r"\b(PMC\d{5,9})\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"]+", re.I)
_YEAR = r"(?:1[6-9]|20)\d{2}[a-z]?"
_YEAR_PAREN = re.compile(rf"\(\s*({_YEAR})(?:,\s*[A-Z][a-z]+\.?(?:\s+\d{{1,2}})?)?\s*\)")
_YEAR_BARE = re.compile(rf"(?<![\d/.-])({_YEAR})(?![\d/])")
_DASH = "-–—‐‑"
# the words that introduce a link, left behind once the link is taken out
_LINK_WORDS = re.compile(
    r"(?:Available(?: online)?(?: (?:from|at))?|Retrieved from|URL|Dispon[ií]vel em"
    r"|Disponible en)\s*:?\s*<?\s*$",
    re.I,
)
_ET_AL = re.compile(r",?\s*\bet\s*al\.?", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=\w) ([.,;])(?=\s|$)", r"\1", text)  # "impostura . Buenos" (markup gaps)


def _strip_punct(text: str) -> str:
    return text.strip(" .,;:").strip()


def _expand_last_page(first: str, last: str) -> str:
    """ "123-9" means 123–129 in Vancouver style."""
    if first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
        return first[: len(first) - len(last)] + last
    return last
