"""Reference strings in the author–date (APA, Harvard, ABNT) and numbered (Vancouver, ICMJE,
NLM) styles, read into fields; a GB/T 7714 string goes to :mod:`.gbt`.

:func:`parse_reference` reads in steps, each taking what it found out of the text: the
kind markers (:mod:`.kinds`), the identifiers, the year (which in author–date styles ends
the author list), volume, issue and pages, then title, source and imprint from what is
left before them.
"""

from __future__ import annotations

import re

from frontiers_de.production.jats.references.authors import (
    _AUTHORS_BARE_YEAR,
    _all_named,
    _split_authors_vancouver,
    parse_authors,
)
from frontiers_de.production.jats.references.gbt import _GBT_CODE, _parse_gbt
from frontiers_de.production.jats.references.kinds import _apply_kind, _take_kind_markers
from frontiers_de.production.jats.references.model import ParsedReference, _confidence
from frontiers_de.production.jats.references.patterns import (
    _CJK,
    _DASH,
    _DOI,
    _LINK_WORDS,
    _MONTH,
    _PMCID,
    _PMID,
    _URL,
    _YEAR_BARE,
    _YEAR_PAREN,
    _clean,
    _expand_last_page,
)

# volume(issue): pages — the core of Vancouver, APA and Harvard journal references
_VIP = re.compile(
    rf"(?P<volume>\d+[A-Z]?)\s*(?:\((?P<issue>[^)]{{1,15}})\))?\s*[:,]\s*"
    rf"(?:pp?\.\s*)?(?P<first>[A-Za-z]?\d+[A-Za-z]?)(?:\s*[{_DASH}]\s*(?P<last>[A-Za-z]?\d+))?"
    r"(?=\s*[.;,]?\s*$|\s*[.;,]\s)"
)
_VOL_WORDS = re.compile(
    r"(?:\b(?:vol\.?|volume)|\bv\.)\s*(?P<volume>\d+)(?:,?\s*(?:no\.?|issue|n[º°o]?\.)\s*(?P<issue>[\w-]+))?"
    rf"(?:,?\s*(?:pp?\.)\s*(?P<first>\d+)(?:\s*[{_DASH}]\s*(?P<last>\d+))?)?",
    re.I,
)
# "Journal. 2002;8." / "Journal, 8(2)." — a volume without pages, at the very end
_VOLUME_ONLY = re.compile(r"[;,]\s*(?P<volume>\d{1,4})\s*(?:\((?P<issue>[^)]{1,15})\))?\s*\.?\s*$")
# "… Buenos Aires: Siglo XXI" / "New York, NY: Springer" at the end of the head
_IMPRINT = re.compile(
    r"(?:^|(?<=[.,]\s))(?P<loc>[A-Z][\w'’ .-]{1,40}?(?:,\s*[A-Z]{2})?)\s?:"
    r"\s*(?P<name>[^.:;]{2,80}?)\s*$"
)
_ELOCATION = re.compile(r"(?<![\w/.])(e\d{3,}|\d{6,})\b")
# "pp. 45-48" anywhere, or ":45-48" closing the reference ("Proc ACL. 2007:45-48"), not
# the colon of a title ("Open access: 10 years on")
_PAGES_ONLY = re.compile(
    rf"\bpp?\.\s*(?P<first>\d+)(?:\s*[{_DASH}]\s*(?P<last>\d+))?"
    rf"|:\s*(?P<first2>\d+)(?:\s*[{_DASH}]\s*(?P<last2>\d+))?(?=\s*[.;,]?\s*$)"
)
_BOOK_HINT = re.compile(r"\b(?:press|publishers?|publishing|verlag|eds?\.|edition|ed\.)\b", re.I)
_REPEATED_NAME = re.compile(r"(?<![^\s.])(?P<name>[^\s.;,][^.;,]{1,60}?)\.\s+(?P=name)$")


def parse_reference(text: str) -> ParsedReference | None:
    """Parse one reference string into fields, or None when it holds nothing to parse.

    Identifiers (DOI, PMID, PMCID, URL) are found wherever they stand; authors, year,
    title, source, volume, issue and pages are read from the usual orders of the
    author–date (APA, Harvard) and numbered (Vancouver, ICMJE) styles.
    """
    text = _clean(text)
    if len(text) < 8 or not (re.search(r"[A-Za-z]{2}", text) or _CJK.search(text)):
        return None
    text = re.sub(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.(?!\d)|\(\d{1,3}\))\s*", "", text)  # list label
    text = text.lstrip(" .,;:")  # punctuation left over from a label outside the text
    if _GBT_CODE.search(text):
        return _parse_gbt(text)
    ref = ParsedReference(text=text)
    # Preprint ids, access dates, versions and "[Data set]" tags come out first: left in,
    # they read as years ("arXiv:1906.01998" is not from 1906), pages or sources.
    rest, kind = _take_kind_markers(text, ref)
    rest = _take_identifiers(rest, ref)
    authors_part, body = _take_year(rest, ref)
    ref.authors, ref.etal = parse_authors(authors_part)
    head = _take_volume_and_pages(body, ref)
    _read_head(head, ref)
    _apply_kind(ref, kind)
    ref.confidence = _confidence(ref)
    return ref


def _take_identifiers(rest: str, ref: ParsedReference) -> str:
    """Take the DOI, PMID, PMCID and URL (with the words that introduce a link) out of the
    text, wherever they stand; returns the rest."""
    doi = _DOI.search(rest)
    if doi:
        ref.doi = doi.group(1).rstrip(".,;)]")
        rest = rest[: doi.start()] + rest[doi.end() :]
        rest = re.sub(r"\b(?:doi|DOI)\s*:?\s*$", "", rest.rstrip(" .,;"))
        rest = _LINK_WORDS.sub("", rest.strip())
    for pattern, attr in ((_PMID, "pmid"), (_PMCID, "pmcid")):
        found = pattern.search(rest)
        if found:
            setattr(ref, attr, found.group(1))
            rest = rest[: found.start()] + rest[found.end() :]
    url = _URL.search(rest)
    if url:
        ref.url = url.group(0).rstrip(".,;)")
        rest = rest[: url.start()] + rest[url.end() :]
        rest = _LINK_WORDS.sub("", rest.strip())
        rest = re.sub(r"\[?(?:cited|accessed)[^\]]*\]?", "", rest, flags=re.I)
        rest = re.sub(r">?\s*\.?\s*Acesso em:?[^.]*\.?", "", rest)
    return _clean(rest).rstrip(" .,;")


def _take_year(rest: str, ref: ParsedReference) -> tuple[str, str]:
    """The year, and with it the end of the author list in author–date styles.

    Returns the author list and the body after it (title, source, volume, pages).
    """
    paren = _YEAR_PAREN.search(rest)
    if paren and len(rest) - paren.end() >= 10:  # author–date: the title follows the year
        ref.year = paren.group(1)
        return rest[: paren.start()], rest[paren.end() :].lstrip(" .,:")
    if (bare_lead := _AUTHORS_BARE_YEAR.match(rest)) and _all_named(bare_lead.group("authors")):
        # "Albert DM, Bowyer RT 1991 Title. Journal. 19:339–349" (author, bare year)
        ref.year = bare_lead.group("year")
        return bare_lead.group("authors"), rest[bare_lead.end() :]
    return _take_numbered_year(rest, ref)


def _take_numbered_year(rest: str, ref: ParsedReference) -> tuple[str, str]:
    """Vancouver and NLM: the authors end at a run of initials, the year stands late."""
    authors_part, body = _split_authors_vancouver(rest)
    # Vancouver puts the year just before ";volume" or ":pages"; a year inside the
    # title ("1989–2015") is not it. Otherwise take the last year found.
    candidates = list(_YEAR_BARE.finditer(body))
    bare = next(
        (
            c
            for c in candidates
            if re.match(
                r"\s*(?:[A-Z][a-z]{2}\.?(?:\s+\d{1,2})?)?\s*(?:;|:\s*[A-Za-z]?\d)",
                body[c.end() :],
            )
        ),
        candidates[-1] if candidates else None,
    )
    if bare:
        ref.year = bare.group(1)
        # Vancouver: "Journal. 2020;12(3):1-5" — drop the year from the body, with the
        # day and month around it ("2019 Jun", "1 Nov 2018", "2021 Mar 3")
        start, end = bare.start(), bare.end()
        before = re.search(rf"\b\d{{1,2}}\s+{_MONTH}\s*$", body[:start])
        after = re.match(rf"\s+{_MONTH}(?:\s+\d{{1,2}}\b)?(?![\w-])", body[end:])
        if before:
            start = before.start()
        if after:
            end += after.end()
        body = body[:start] + body[end:]
        # NLM's "Source. Publisher; 2019" where the two are one ("arXiv. arXiv; 2019")
        body = _REPEATED_NAME.sub(r"\g<name>", body.rstrip(" ;,"))
    return authors_part, body


def _take_volume_and_pages(body: str, ref: ParsedReference) -> str:
    """Volume, issue and pages (or an elocation id); returns the head before them."""
    # Volume/issue/pages: the last match wins (titles rarely end in "12(3):4-5").
    vip_matches = list(_VIP.finditer(body))
    vip = vip_matches[-1] if vip_matches else None
    words = _VOL_WORDS.search(body)
    if vip and (not words or vip.start() >= words.end()):
        cut = vip.start()
        ref.volume, ref.issue = vip.group("volume"), (vip.group("issue") or "").strip()
        first, last = vip.group("first"), vip.group("last") or ""
    elif words:
        cut = words.start()
        ref.volume, ref.issue = words.group("volume"), words.group("issue") or ""
        first, last = words.group("first") or "", words.group("last") or ""
    else:
        first, last, cut = _take_pages_alone(body, ref)
    if first and not last and (first.lower().startswith("e") or len(first) >= 6):
        ref.elocation_id = first
    else:
        ref.fpage, ref.lpage = first, _expand_last_page(first, last)
    return body[:cut].rstrip(" ,;:.")


def _take_pages_alone(body: str, ref: ParsedReference) -> tuple[str, str, int]:
    """Pages without a volume, a volume without pages, or an elocation id late in the
    body: the first and last page and where they start (the body's end when none)."""
    cut = len(body)
    first = last = ""
    pages = _PAGES_ONLY.search(body)
    volume_only = _VOLUME_ONLY.search(body)
    if pages:
        first = pages.group("first") or pages.group("first2")
        last = pages.group("last") or pages.group("last2") or ""
        cut = pages.start()
    elif volume_only:
        ref.volume, ref.issue = volume_only.group("volume"), volume_only.group("issue") or ""
        cut = volume_only.start()
    else:
        eloc = _ELOCATION.search(body)
        if eloc and eloc.start() > len(body) / 2:
            first, cut = eloc.group(1), eloc.start()
    return first, last, cut


def _read_head(head: str, ref: ParsedReference) -> None:
    """Title, source and imprint from what precedes volume and pages, and the kind of work
    they show (a book, a web page, other)."""
    imprint = _IMPRINT.search(head) if not ref.volume else None
    if imprint and re.search(r"(?i)dispon|available|acess|access|retrieved", imprint.group(0)):
        imprint = None
    if imprint and imprint.group("loc").strip().lower() in ("in", "em", "en", "dans"):
        imprint = None  # "In: GitHub" names the container, not a place
    if imprint:
        # "Title. Place: Publisher" — a book (or a chapter when "In:" names the book)
        ref.publisher_loc = imprint.group("loc").strip()
        ref.publisher_name = imprint.group("name").strip()
        head = head[: imprint.start()].rstrip(" ,;:")
    ref.title, ref.source = _title_and_source(head)
    if imprint:
        ref.publication_type = "book"
        if not re.search(r"\bIn:?\s", head):
            # the whole head is the book's title, not "title. source"
            ref.title, ref.source = "", head.strip(" .")
    elif _BOOK_HINT.search(head) and not ref.volume:
        ref.publication_type = "book"
    elif not ref.volume and not ref.fpage and not ref.elocation_id and (ref.url and not ref.doi):
        ref.publication_type = "webpage"
    elif not ref.volume and not ref.fpage and not ref.elocation_id:
        ref.publication_type = "other"


# A full stop after a word of two or more characters ends a sentence; after a single
# letter it is an initial ("J. A. Smith", "U.S.").
_SENTENCE_END = re.compile(
    r"(?<=[\w\]\)\"”'’]{2})\.\s+(?=[A-Z0-9(\[‘“\"'])|(?<=[?!])\.?\s+(?=[A-Z0-9(\[‘“\"'])"
)
_ABBREVIATED = re.compile(r"^(?:[A-Z][A-Za-z]{0,5}\.?\s?){1,2}$")


def _title_and_source(head: str) -> tuple[str, str]:
    """The source (journal or book) is the last sentence before volume and pages; the title
    is everything before it, however many sentences it has ("Information access. Building
    a GenBank…"). Abbreviated journal names with full stops ("J. Biol. Chem.") stay whole.
    """
    head = head.strip(" .,;:")
    if not head:
        return "", ""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(head)]
    if len(starts) == 1:
        parts = [p.strip() for p in re.split(r",\s+(?=[A-Z])", head)]
        if len(parts) >= 2:
            return ", ".join(parts[:-1]), parts[-1]
        return head, ""
    k = len(starts) - 1
    while k > 1 and _ABBREVIATED.match(head[starts[k - 1] : starts[k]].strip()):
        k -= 1
    title = head[: starts[k]].strip(" .")
    source = re.sub(r"^In:?\s+", "", head[starts[k] :].strip(" ."))
    return title, source
