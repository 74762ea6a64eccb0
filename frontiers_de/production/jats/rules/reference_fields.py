"""References whose tagged fields cannot be right: a parse that went wrong without a word.

A reference parser (ours or the one that tagged a publisher's XML) can turn
``arXiv:1906.01998`` into the year 1906 and a "report number" ``.01998``, or take the link
word "Available" for the journal. Each such field is plausible to the schema and wrong to
every reader, so the production editor is warned before the article is published.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from lxml import etree

from frontiers_de.production.jats.rules.base import (
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
    text_of,
)
from frontiers_de.production.jats.rules.references import is_structured

EARLIEST_YEAR = 1500
_CITATIONS = ("element-citation", "mixed-citation", "nlm-citation", "citation")
# Words that introduce a link or a container; a source or title that is only one of them
# is what was left when the parser took the real field elsewhere.
STOP_WORDS = frozenset(
    {
        "available",
        "available from",
        "available at",
        "available online",
        "retrieved",
        "retrieved from",
        "in",
        "accessed",
        "cited",
        "online",
        "internet",
        "url",
        "doi",
        "from",
        "preprint",
        "et al",
        "ibid",
        "disponível em",
        "disponible en",
        "acesso em",
        "网址",
        "访问日期",
        "引用日期",
    }
)
_NAMED_FIELDS = ("source", "article-title", "chapter-title", "data-title", "publisher-name")
# numbers that start with punctuation: ".01998", ":12", "-5"
_NUMBER_FIELDS = ("volume", "issue", "fpage", "lpage", "elocation-id", "edition", "issue-id")
_PUNCTUATION_START = re.compile(r"^[\s.,;:/\\)\]}\-–—]")
_LEADING_YEAR = re.compile(r"^\s*(\d{4})")


def _citation(ref: etree._Element) -> etree._Element | None:
    for element in ref.iter(*_CITATIONS):
        if element.tag == "element-citation":
            return element
    return next(iter(ref.iter(*_CITATIONS)), None)


def _text_but_years(element: etree._Element) -> str:
    """The text of a citation without its ``year`` elements (their tails stay)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag != "year":
            parts.append(_text_but_years(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _problems(ref: etree._Element, citation: etree._Element, latest: int) -> Iterator[str]:
    # the year must be found in the text outside the year element to count as a year
    whole = " ".join(_text_but_years(c) for c in ref.iter(*_CITATIONS))
    for year_el in citation.iter("year"):
        found = _LEADING_YEAR.match(text_of(year_el))
        if not found:
            continue
        year = found.group(1)
        if not EARLIEST_YEAR <= int(year) <= latest:
            yield f"year {year} is outside {EARLIEST_YEAR}–{latest}"
        elif re.search(rf"(?<![\d.]){year}\.\d{{4,5}}(?!\d)", whole) and not re.search(
            rf"(?<![\d.]){year}(?![\d.]|\.\d)", whole
        ):
            # "arXiv:1906.01998": 1906 is year 19, month 06 of an arXiv id, not a year
            yield f"year {year} is the start of an identifier (arXiv {year}.…), not a year"
    identifiers = [text_of(p) for p in citation.iter("pub-id") if len(text_of(p)) >= 6]
    for name in _NAMED_FIELDS:
        for element in citation.iter(name):
            value = text_of(element)
            if value and value.strip(" .,;:[]()<>").lower() in STOP_WORDS:
                yield f"{name} is the word {value.strip()!r}, not a {name.replace('-', ' ')}"
                continue
            # "GitHub. . Available", "… Report No.: 1511.06348": the parser ran past the
            # field's end into the link words or the identifier
            last = re.split(r"[.;:]\s", value.rstrip(" .;:"))[-1]
            if value and last.strip(" .,;:[]()").lower() in STOP_WORDS:
                yield f"{name} {value!r} ends in the word {last.strip()!r}"
            for identifier in identifiers:
                if identifier in value:
                    yield f"{name} {value!r} holds the identifier {identifier}"
    for name in _NUMBER_FIELDS:
        for element in citation.iter(name):
            value = text_of(element)
            if value and _PUNCTUATION_START.match(value):
                yield f"{name} {value!r} starts with punctuation"
    for pub_id in citation.iter("pub-id"):
        value = text_of(pub_id)
        if value and _PUNCTUATION_START.match(value):
            yield f"{pub_id.get('pub-id-type') or 'identifier'} {value!r} starts with punctuation"


def field_problems(ref: etree._Element) -> list[str]:
    """What is wrong with the tagged fields of ``ref`` (empty when they look right).

    The house rule reports these to production; the PDF prints the author's own text
    instead of fields that fail here."""
    citation = _citation(ref)
    if citation is None or not is_structured(citation):
        return []
    latest = datetime.date.today().year + 1
    return list(dict.fromkeys(_problems(ref, citation, latest)))


def _unsigned(ref: etree._Element, citation: etree._Element) -> bool:
    """A work without an author (an unsigned editorial): the author's own text opens with
    the tagged title, then the tagged source as the next sentence and the tagged year right
    after it ("Towards trustable machine learning. Nature Biomedical Engineering. 2018;2"),
    so no name was missed before them (a list of names taken for the title is followed by
    the real title, not by source and year)."""
    title = text_of(citation.find("article-title"))
    source = text_of(citation.find("source"))
    year = text_of(citation.find("year"))
    written = next((c for c in ref.iter("mixed-citation", "citation") if c is not citation), None)
    if not (title and source and year and written is not None):
        return False
    text = " ".join("".join(written.itertext()).split())
    opening = rf"^{re.escape(title)}[.?!]?\s+{re.escape(source)}[.,;:]?\s*{re.escape(year)}\b"
    return re.match(opening, text) is not None


def fields_trusted(ref: etree._Element) -> bool:
    """Whether the tagged fields of ``ref`` can stand for it in the journal's style (the
    PDF and the reader page print them then, the author's own text otherwise): who, when
    and what are tagged (no one, when the author's text names no one before the title),
    and none of the fields is implausible (:func:`field_problems`)."""
    citation = _citation(ref)
    if citation is None or citation.tag not in ("element-citation", "nlm-citation"):
        return False
    who = citation.find(".//name") is not None or citation.find(".//collab") is not None
    who = who or _unsigned(ref, citation)
    when = bool(text_of(citation.find(".//year")))
    what = any(
        text_of(citation.find(name))
        for name in ("article-title", "chapter-title", "data-title", "source")
    )
    return who and when and what and not field_problems(ref)


@rule("FDE-REF-004", Severity.WARNING, "reference fields look mis-parsed")
def reference_fields_plausible(context: RuleContext) -> Iterator[Violation]:
    for ref in context.iter("ref"):
        citation = _citation(ref)
        problems = field_problems(ref)
        if problems and citation is not None:
            label = ref.get("id") or text_of(ref.find("label")) or "ref without id"
            yield Violation(line_of(citation), f"{label}: {'; '.join(problems)}")
