"""Dates in the article metadata are real calendar dates and come in order."""

from __future__ import annotations

import calendar
import itertools
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

PartialDate = tuple[int, ...]  # (year,), (year, month) or (year, month, day)

_MONTH_NAMES = {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateProblem(ValueError):
    pass


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    number = _MONTH_NAMES.get(text[:3].lower())
    if number is None:
        raise DateProblem(f"month {text!r} is not a month")
    return number


def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    if not 1000 <= year <= 9999:
        raise DateProblem(f"year {year} is out of range")
    if month is None:
        if day is not None:
            raise DateProblem("a day is given without a month")
        return (year,)
    if not 1 <= month <= 12:
        raise DateProblem(f"month {month} does not exist")
    if day is None:
        return (year, month)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateProblem(f"{year:04d}-{month:02d}-{day:02d} is not a real day")
    return (year, month, day)


def read_date(element: etree._Element) -> PartialDate | None:
    """The (partial) date of a JATS date element, ``None`` if it has no year.

    Raises :class:`DateProblem` when a part is not a number or the date does not exist.
    """
    iso = element.get("iso-8601-date")
    if iso:
        match = _ISO_DATE.match(iso.strip())
        if match is None:
            raise DateProblem(f"iso-8601-date {iso!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) if p else None for p in match.groups()]
        _checked(parts[0] or 0, parts[1], parts[2])
    year_text = text_of(element.find("year"))
    if not year_text:
        return None
    if not year_text.isdigit():
        raise DateProblem(f"year {year_text!r} is not a number")
    month_text = text_of(element.find("month"))
    day_text = text_of(element.find("day"))
    if day_text and not day_text.isdigit():
        raise DateProblem(f"day {day_text!r} is not a number")
    month = _month_number(month_text) if month_text else None
    return _checked(int(year_text), month, int(day_text) if day_text else None)


def _metadata_dates(context: RuleContext) -> Iterator[etree._Element]:
    meta = context.article_meta
    if meta is None:
        return
    yield from meta.findall("pub-date")
    yield from meta.findall("history/date")


@rule("FDE-DATE-001", Severity.ERROR, "date is not a real calendar date")
def dates_real(context: RuleContext) -> Iterator[Violation]:
    for element in _metadata_dates(context):
        try:
            read_date(element)
        except DateProblem as problem:
            yield Violation(line_of(element), str(problem))


def _safe_date(element: etree._Element) -> PartialDate | None:
    try:
        return read_date(element)
    except DateProblem:
        return None  # FDE-DATE-001 reports it; ordering skips what cannot be read


def _date_kind(pub_date: etree._Element) -> str:
    kind = (pub_date.get("date-type") or pub_date.get("pub-type") or "pub").lower()
    if kind == "pub" and pub_date.get("publication-format") in ("print", "electronic"):
        return "ppub" if pub_date.get("publication-format") == "print" else "epub"
    return kind


# The same choice as the shared metadata reader (production/jats/meta.py): the first date
# the article was public, electronic over print, the issue (collection) date as a last resort.
_PUBLICATION_KINDS = ("epub", "pub", "electronic", "ppub", "print", "epub-ppub", "collection")


def _publication_date(meta: etree._Element) -> tuple[etree._Element, PartialDate] | None:
    dated: dict[str, tuple[etree._Element, PartialDate]] = {}
    for pub_date in meta.findall("pub-date"):
        kind = _date_kind(pub_date)
        value = _safe_date(pub_date)
        if value is not None and kind not in dated:
            dated[kind] = (pub_date, value)
    for kind in _PUBLICATION_KINDS:
        if kind in dated:
            return dated[kind]
    return None


def _later(first: PartialDate, second: PartialDate) -> bool:
    """True when ``first`` is certainly after ``second`` (compared at the shared precision)."""
    shared = min(len(first), len(second))
    return first[:shared] > second[:shared]


@rule(
    "FDE-DATE-002",
    Severity.ERROR,
    "dates are out of order (received <= accepted <= published)",
)
def dates_in_order(context: RuleContext) -> Iterator[Violation]:
    meta = context.article_meta
    if meta is None:
        return
    steps: list[tuple[str, etree._Element, PartialDate]] = []
    for kind in ("received", "accepted"):
        element = meta.find(f"history/date[@date-type='{kind}']")
        value = _safe_date(element) if element is not None else None
        if element is not None and value is not None:
            steps.append((kind, element, value))
    published = _publication_date(meta)
    if published is not None:
        steps.append(("published", published[0], published[1]))
    for (earlier_name, _, earlier), (later_name, element, later) in itertools.pairwise(steps):
        if _later(earlier, later):
            shown_earlier = "-".join(f"{p:02d}" for p in earlier)
            shown_later = "-".join(f"{p:02d}" for p in later)
            yield Violation(
                line_of(element),
                f"{earlier_name} {shown_earlier} is after {later_name} {shown_later}",
            )
