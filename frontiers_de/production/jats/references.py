"""Structured references: reference strings to JATS citations, and in-text citations to xrefs.

Why our own parser for reference *strings*: ``refextract`` (1.1.7, INSPIRE's extractor)
was measured on the same 494 corpus references that ``bench/bench_references.py`` uses.
It is built for high-energy physics: it recognises journals from a physics knowledge base,
reports no article titles at all, split 475 of 494 Vancouver-style references into two,
found the source/volume/pages of 0–29 % of them, and took 170–360 ms per reference (it
also pulls in PDF and libmagic dependencies). No other maintained PyPI parser works
without trained models that cannot be fetched here. Manuscripts for this journal arrive
in a handful of styles (APA, Vancouver/ICMJE, Harvard, ABNT/ISO 690) whose field order is
regular, so a careful pattern-based parser does better: about 98 % field accuracy on the
corpus at 0.3 ms per reference (run the bench for the current figures). Every result
carries a confidence; below the threshold the author's text stays a ``mixed-citation``
(identifiers still marked up). Already-structured sources (BibTeX, BibLaTeX, RIS, CSL
JSON) are not guessed at: pandoc's citeproc readers give CSL JSON, mapped field by field
by :func:`csl_citation`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from frontiers_de.identifiers import DOI_PREFIX_PATTERN

CONFIDENT = 0.75
_XLINK = "http://www.w3.org/1999/xlink"
_XLINK_NSMAP = {"xlink": _XLINK}

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
# the words that introduce a link, left behind once the link is taken out
_LINK_WORDS = re.compile(
    r"(?:Available(?: online)?(?: (?:from|at))?|Retrieved from|URL|Dispon[ií]vel em"
    r"|Disponible en)\s*:?\s*<?\s*$",
    re.I,
)
_ET_AL = re.compile(r",?\s*\bet\s*al\.?", re.I)
_BOOK_HINT = re.compile(r"\b(?:press|publishers?|publishing|verlag|eds?\.|edition|ed\.)\b", re.I)


@dataclass
class ParsedReference:
    """Fields found in one reference string, with how sure the parser is (0–1)."""

    text: str
    authors: list[tuple[str, str]] = field(default_factory=list)  # (surname, given names)
    etal: bool = False
    title: str = ""
    source: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    publisher_loc: str = ""
    publisher_name: str = ""
    publication_type: str = "journal"
    collab: str = ""  # an organisation as author ("国家统计局", "World Health Organization")
    arxiv: str = ""  # "1906.01998v2" or old-style "hep-th/9901001"
    version: str = ""  # of software or a data set
    access_date: str = ""  # ISO 8601 ("2024-05-03"): when a web page was read
    access_date_text: str = ""  # the same date as the author wrote it
    confidence: float = 0.0

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=\w) ([.,;])(?=\s|$)", r"\1", text)  # "impostura . Buenos" (markup gaps)


def _strip_punct(text: str) -> str:
    return text.strip(" .,;:").strip()


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
    rest = _clean(rest).rstrip(" .,;")

    # The year, and with it the end of the author list in author–date styles.
    authors_part = ""
    paren = _YEAR_PAREN.search(rest)
    if paren and len(rest) - paren.end() >= 10:  # author–date: the title follows the year
        ref.year = paren.group(1)
        authors_part = rest[: paren.start()]
        body = rest[paren.end() :].lstrip(" .,:")
    elif (bare_lead := _AUTHORS_BARE_YEAR.match(rest)) and _all_named(bare_lead.group("authors")):
        # "Albert DM, Bowyer RT 1991 Title. Journal. 19:339–349" (author, bare year)
        ref.year = bare_lead.group("year")
        authors_part = bare_lead.group("authors")
        body = rest[bare_lead.end() :]
    else:
        body = rest
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
    ref.authors, ref.etal = parse_authors(authors_part)

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
    if first and not last and (first.lower().startswith("e") or len(first) >= 6):
        ref.elocation_id = first
    else:
        ref.fpage, ref.lpage = first, _expand_last_page(first, last)
    head = body[:cut].rstrip(" ,;:.")
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
    _apply_kind(ref, kind)
    ref.confidence = _confidence(ref)
    return ref


# --- preprints, data sets, software, web pages ------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# works that are their own source: a book's, report's or thesis's title is tagged <source>
_STANDALONE = {"book", "thesis", "report", "patent", "standard", "other"}
_ONLINE_KINDS = {"preprint", "data", "software", "webpage"}
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV = re.compile(
    rf"(?:\barXiv\s+preprint\s+)?(?:\barXiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/"
    rf"|\b10\.48550/arXiv\.)(?P<id>{_ARXIV_ID})(?:\.pdf)?(?:\s*\[[\w.-]+\])?",
    re.I,
)
# DOI prefixes and web hosts that say what a work is, whatever the author's style.
_DOI_KINDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}"), "preprint", "bioRxiv"),
    (re.compile(r"^10\.2139/ssrn\.", re.I), "preprint", "SSRN"),
    (re.compile(r"^10\.31219/osf\.io/", re.I), "preprint", "OSF Preprints"),
    (re.compile(r"^10\.31234/osf\.io/", re.I), "preprint", "PsyArXiv"),
    (re.compile(r"^10\.31235/osf\.io/", re.I), "preprint", "SocArXiv"),
    (re.compile(r"^10\.35542/osf\.io/", re.I), "preprint", "EdArXiv"),
    (re.compile(r"^10\.21203/rs\.", re.I), "preprint", "Research Square"),
    (re.compile(r"^10\.20944/preprints", re.I), "preprint", "Preprints.org"),
    (re.compile(r"^10\.5281/zenodo\.", re.I), "data", "Zenodo"),
    (re.compile(r"^10\.6084/m9\.figshare\.", re.I), "data", "figshare"),
    (re.compile(r"^10\.5061/dryad\.", re.I), "data", "Dryad"),
    (re.compile(r"^10\.7910/DVN/", re.I), "data", "Harvard Dataverse"),
    (re.compile(r"^10\.17632/", re.I), "data", "Mendeley Data"),
)
_URL_KINDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^https?://(?:www\.)?biorxiv\.org/", re.I), "preprint", "bioRxiv"),
    (re.compile(r"^https?://(?:www\.)?medrxiv\.org/", re.I), "preprint", "medRxiv"),
    (re.compile(r"^https?://(?:papers\.)?ssrn\.com/", re.I), "preprint", "SSRN"),
    (re.compile(r"^https?://osf\.io/preprints/", re.I), "preprint", "OSF Preprints"),
    (re.compile(r"^https?://(?:www\.)?researchsquare\.com/", re.I), "preprint", "Research Square"),
    (re.compile(r"^https?://(?:www\.)?zenodo\.org/", re.I), "data", "Zenodo"),
    (re.compile(r"^https?://(?:[\w-]+\.)?figshare\.com/", re.I), "data", "figshare"),
    (re.compile(r"^https?://(?:www\.)?datadryad\.org/", re.I), "data", "Dryad"),
    (re.compile(r"^https?://(?:www\.)?github\.com/", re.I), "software", "GitHub"),
    (re.compile(r"^https?://(?:www\.)?gitlab\.com/", re.I), "software", "GitLab"),
    (re.compile(r"^https?://(?:www\.)?bitbucket\.org/", re.I), "software", "Bitbucket"),
    (
        re.compile(r"^https?://(?:archive\.)?softwareheritage\.org/", re.I),
        "software",
        "Software Heritage",
    ),
)
# Servers named in the text itself ("… scale. bioRxiv. 2022."): the name beats the prefix
# (bioRxiv and medRxiv share 10.1101).
_SERVER_NAMES = re.compile(
    r"\b(bioRxiv|medRxiv|SSRN|PsyArXiv|SocArXiv|EdArXiv|OSF Preprints|Research Square|arXiv)\b"
)
_KIND_TAGS = re.compile(
    r"\s*\[(?P<tag>data\s*set|dataset|data|computer\s+software|computer\s+program|software"
    r"|preprint|internet|online|web\s*page|homepage|blog)\]",
    re.I,
)
_VERSION = re.compile(
    r"\s*\((?:(?:R|Python)\s+package\s+)?(?:version|ver\.|v)\s*(?P<v1>\d+(?:\.\d+)*[\w.-]*)\)"
    r"|(?<=[.;]\s)Version\s+(?P<v2>\d+(?:\.\d+)*[\w-]*)\s*(?=[.;]|$)",
    re.I,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{4}}\s+{_MONTH}\s+\d{{1,2}}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})"
)
# "Accessed 3 May 2024", "[cited 2024 May 3]", "Retrieved May 3, 2024, from",
# "(accessed 12 January 2024)", "访问日期: 2024-05-03", "[updated …; cited …]"
_ACCESS = re.compile(
    rf"\s*[\[(]?(?:updated\s+[^;\]]*;\s*)?(?:cited|(?:last\s+)?accessed(?:\s+on)?|viewed"
    rf"|retrieved(?:\s+on)?|访问日期|引用日期|检索日期)\s*[:：]?\s*(?P<date>{_DATE})[\])]?"
    r"(?:,?\s*from\b)?\s*\.?",
    re.I,
)


def iso_date(text: str) -> str:
    """``3 May 2024``, ``May 3, 2024``, ``2024 May 3`` or ``2024-05-03`` as ``2024-05-03``
    ("" when it is not a real day)."""
    import datetime

    text = text.strip().rstrip(".")
    numeric = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if numeric:
        year, month, day = (int(g) for g in numeric.groups())
    else:
        words = re.findall(r"[A-Za-z]+|\d+", text)
        month_words = [w for w in words if w.lower().rstrip(".") in _MONTHS]
        numbers = [int(w) for w in words if w.isdigit()]
        if len(month_words) != 1 or len(numbers) != 2:
            return ""
        month = _MONTHS[month_words[0].lower()]
        year = next((n for n in numbers if n > 31), 0)
        day = next((n for n in numbers if n <= 31), 0)
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _take_access_date(text: str, ref: ParsedReference) -> str:
    found = _ACCESS.search(text)
    if found:
        iso = iso_date(found.group("date"))
        if iso:
            ref.access_date, ref.access_date_text = iso, found.group("date").rstrip(".")
            text = text[: found.start()] + " " + text[found.end() :]
    return text


def _take_kind_markers(text: str, ref: ParsedReference) -> tuple[str, str]:
    """Take arXiv ids, access dates, versions and kind tags out of the text.

    Returns the rest of the text and the kind the text itself declares ("" when none):
    an explicit tag ("[Data set]", "[Computer software]") wins over what the identifiers
    suggest, so a program archived on Zenodo stays software.
    """
    kind = ""
    arxiv = _ARXIV.search(text)
    if arxiv:
        ref.arxiv = arxiv.group("id")
        # the words that introduced a link to the abstract page go with it
        text = _LINK_WORDS.sub("", text[: arxiv.start()].rstrip()) + " " + text[arxiv.end() :]
        kind = "preprint"
        # the same id again, as a report number (NLM's style for preprints: "arXiv; 2019
        # Jun. Report No.: 1906.01998. Available: https://arxiv.org/abs/1906.01998") or
        # bare: left in, "1906" reads as the year
        again = re.escape(re.sub(r"v\d+$", "", ref.arxiv)) + r"(?:v\d+)?(?!\d|\.\d)"
        text = re.sub(rf"\s*(?:\bReport\s+No\.?\s*:?\s*|\barXiv\s*:?\s*)?{again}", " ", text)
    text = _take_access_date(text, ref)
    version = _VERSION.search(text)
    if version:
        ref.version = version.group("v1") or version.group("v2")
        text = text[: version.start()] + text[version.end() :]
    for tag in _KIND_TAGS.finditer(text):
        word = re.sub(r"\s+", " ", tag.group("tag").lower())
        if "software" in word or "program" in word:
            kind = "software"
        elif word.startswith("data"):
            kind = "data"
        elif word == "preprint":
            kind = "preprint"
        elif not kind:
            kind = "webpage"
    text = _KIND_TAGS.sub("", text)
    # what the server or the arXiv id leaves behind: "arXiv preprint", "[Preprint]"
    text = re.sub(r"\barXiv\s+preprint\b", "arXiv", text)
    return re.sub(r"\.(?:\s*\.)+", ".", _clean(text)), kind


def _apply_kind(ref: ParsedReference, declared: str) -> None:
    """Set the kind from tags, identifiers and hosts, and name the server or repository."""
    kind, server = declared, ""
    for pattern, found_kind, name in _DOI_KINDS:
        if ref.doi and pattern.match(ref.doi):
            kind, server = kind or found_kind, name
            break
    else:
        for pattern, found_kind, name in _URL_KINDS:
            if ref.url and pattern.match(ref.url):
                kind, server = kind or found_kind, name
                break
    if ref.arxiv:
        server = "arXiv"
    named = _SERVER_NAMES.search(ref.text)
    if kind == "preprint" and named and not ref.arxiv:
        server = named.group(1)
    if not kind and ref.access_date and not (ref.volume or ref.fpage or ref.elocation_id):
        kind = "webpage"
    if not kind:
        return
    if kind == "webpage" and (
        ref.publication_type == "book" or ref.volume or ref.fpage or ref.elocation_id
    ):
        return  # "[Internet]" marks online journals and books in Vancouver style too
    if kind != "webpage" and ref.volume and ref.publication_type == "journal" and not declared:
        return  # a journal article that merely links to its code or data
    ref.publication_type = kind
    if kind in ("data", "software") and not ref.title and ref.source:
        ref.title, ref.source = ref.source, ""  # "Title. Zenodo" read as one sentence
    if ref.title:
        # "Title. bioRxiv", "Title? arXiv": names in lower case do not start a sentence
        # for the title/source split, so take a known server or repository off the title
        # (when the source was found too, "… accuracy? arXiv. arXiv", it is the same name)
        split = re.match(r"(?P<title>.+?[.?!])\s+(?P<last>[^.?!]+)$", ref.title)
        last = split.group("last").strip() if split else ""
        if last.lower() in _REPOSITORY_NAMES and (
            not ref.source or ref.source.lower() == last.lower()
        ):
            title = split.group("title")  # type: ignore[union-attr]
            ref.title = title[:-1].strip() if title.endswith(".") else title.strip()
            ref.source = ref.source or last
    if ref.source and _stop_word(ref.source):
        ref.source = ""
    # a preprint's source is its server; a data set's or program's, its repository
    same_server = ref.source.lower() == server.lower()
    if server and (not ref.source or (kind == "preprint" and same_server)):
        ref.source = server


_REPOSITORY_NAMES = {name.lower() for _, _, name in (*_DOI_KINDS, *_URL_KINDS)} | {
    "arxiv",
    "medrxiv",
    "dryad digital repository",
}
_STOP_WORDS = {
    "available",
    "available from",
    "available at",
    "retrieved",
    "retrieved from",
    "in",
    "accessed",
    "online",
    "internet",
    "url",
    "doi",
    "from",
    "cited",
    "preprint",
    "et al",
    "disponível em",
    "disponible en",
    "acesso em",
    "网址",
    "访问日期",
}


def _stop_word(value: str) -> bool:
    """True for a 'source' or 'title' that is only a link word left from the text."""
    return value.strip(" .,;:[]()<>").lower() in _STOP_WORDS


# --- GB/T 7714 (Chinese national standard) -----------------------------------------------

# "题名[J]", "[M]", "[EB/OL]", "[J/OL]": the code says what the work is.
_GBT_CODE = re.compile(r"\[(?P<code>J|M|D|C|N|R|P|S|EB|Z|A|G|DB|DS|CP|CM)(?:/(?:OL|CD|MT|DK))?\]")
_GBT_TYPES = {
    "J": "journal",
    "M": "book",
    "A": "book",
    "G": "book",
    "D": "thesis",
    "C": "confproc",
    "N": "newspaper",
    "R": "report",
    "P": "patent",
    "S": "standard",
    "EB": "webpage",
    "DB": "data",
    "DS": "data",
    "CP": "software",
    "Z": "other",
    "CM": "other",
}
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "澹台",
}  # fmt: skip
# An organisation rather than a person: too long for a name, or ending as bodies do.
_CJK_ORG = re.compile(r"(?:部|局|委员会|委|中心|院|所|会|厅|署|办公室|组织|公司|大学|学校|集团)$")
_GBT_SENTENCE = r"[.．。]"
_GBT_IMPRINT = re.compile(
    r"(?:(?P<loc>[^.．。:：,，]+?)\s*[:：]\s*(?P<pub>[^:：,，]+?)\s*[,，]\s*)?"
    r"(?P<year>(?:1[5-9]|20)\d{2})[a-z]?(?:-\d{1,2}(?:-\d{1,2})?)?"
    r"\s*(?:[:：]\s*(?P<first>\w+)(?:\s*[-–—~]\s*(?P<last>\w+))?)?\s*$"
)
_GBT_JOURNAL = re.compile(
    r"^(?P<source>.+?)\s*[,，]\s*(?P<year>(?:1[5-9]|20)\d{2})[a-z]?"
    r"(?:-\d{1,2}-\d{1,2})?\s*(?:[,，]\s*(?P<volume>[^(（:：,，]+?))?"
    r"\s*(?:[(（](?P<issue>[^)）]{1,15})[)）])?"
    r"\s*(?:[:：]\s*(?P<first>[\w]+)(?:\s*[-–—~]\s*(?P<last>\w+))?)?\s*$"
)


def _gbt_person(name: str) -> tuple[str, str]:
    """ "张明华" → (张, 明华); "欧阳文" → (欧阳, 文); "SMITH J A" → (SMITH, JA)."""
    name = name.strip()
    if _CJK.match(name):
        cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:cut], name[cut:]
    latin = re.fullmatch(r"(?P<s>.+?)\s+(?P<g>(?:[A-Z][a-z]?\.?(?:\s*-\s*|\s+)?)+)", name)
    if latin:
        return latin.group("s"), re.sub(r"[\s.]", "", latin.group("g"))
    return name, ""


def _gbt_authors(text: str, ref: ParsedReference) -> None:
    parts = [p.strip() for p in re.split(r"\s*[,，、;；]\s*", text.strip()) if p.strip()]
    for part in parts:
        if part in ("等", "et al", "et al.") or re.fullmatch(r"et\s+al\.?", part):
            ref.etal = True
        elif _CJK.match(part) and (len(part) > 4 or _CJK_ORG.search(part)) and len(parts) == 1:
            ref.collab = part
        elif len(part.split()) > 4 and len(parts) == 1:
            ref.collab = part  # "World Health Organization"
        else:
            ref.authors.append(_gbt_person(part))


def _parse_gbt(text: str) -> ParsedReference:
    """A reference in the Chinese national style GB/T 7714 (2015 and earlier):
    ``作者, 作者, 等. 题名[J]. 刊名, 年, 卷(期): 起页-止页.``; the code in brackets gives
    the kind, books and theses end in ``出版地: 出版者, 年: 页.``, conference papers name
    their proceedings after ``//``, online works carry ``(更新日期)[引用日期]``."""
    ref = ParsedReference(text=text)
    code = _GBT_CODE.search(text)
    assert code is not None
    ref.publication_type = _GBT_TYPES[code.group("code")]
    head, tail = text[: code.start()], text[code.end() :]
    doi = _DOI.search(tail)
    if doi:
        ref.doi = doi.group(1).rstrip(".,;)]")
        tail = tail[: doi.start()] + tail[doi.end() :]
        tail = re.sub(r"(?:\bDOI\s*[:：]?\s*)?$", "", tail.rstrip(" .,;"), flags=re.I)
    url = _URL.search(tail)
    if url:
        ref.url = url.group(0).rstrip(".,;)")
        tail = tail[: url.start()] + tail[url.end() :]
    tail = _take_access_date(tail, ref)
    # "[2024-05-03]" is the date cited (accessed); "(2023-11-20)" the date updated
    cited = re.search(r"\[(\d{4}-\d{1,2}-\d{1,2})\]", tail)
    if cited and iso_date(cited.group(1)):
        ref.access_date = ref.access_date_text = iso_date(cited.group(1))
        ref.access_date_text = cited.group(1)
        tail = tail[: cited.start()] + tail[cited.end() :]
    updated = re.search(r"[(（]((?:1[5-9]|20)\d{2})(?:-\d{1,2}){0,2}[)）]", tail)
    if updated:
        ref.year = updated.group(1)
        tail = tail[: updated.start()] + tail[updated.end() :]
    tail = tail.strip(" .．。,，;")

    authors = re.match(
        rf"^(?P<a>[^.．。\[]*?(?:[,，]\s*(?:等|et\s+al))?)\s*{_GBT_SENTENCE}\s*(?P<t>.+)$", head
    )
    title = head.strip(" .．。")
    if authors:
        _gbt_authors(authors.group("a"), ref)
        title = authors.group("t").strip(" .．。")
    if ref.publication_type in _STANDALONE or ref.publication_type == "thesis":
        ref.source = title
    else:
        ref.title = title

    container = ""
    if tail.startswith("//"):
        # "[C]//编者. 文集名. 出版地: 出版者, 年: 页" — the last sentence is the imprint, the
        # one before it the proceedings (or book); editors come first
        pieces = [p.strip() for p in re.split(rf"{_GBT_SENTENCE}\s+|[．。]", tail[2:]) if p.strip()]
        imprint_text = pieces[-1] if pieces else ""
        container = pieces[-2] if len(pieces) >= 2 else ""
        tail = imprint_text
    if ref.publication_type in ("journal", "newspaper") and not container:
        journal = _GBT_JOURNAL.match(tail)
        if journal:
            ref.source = journal.group("source").strip()
            ref.year = journal.group("year")
            ref.volume = (journal.group("volume") or "").strip()
            ref.issue = (journal.group("issue") or "").strip()
            first, last = journal.group("first") or "", journal.group("last") or ""
            if ref.publication_type == "newspaper" and ref.issue and not first:
                first, ref.issue = ref.issue, ""  # "中国教育报, 2023-09-10(3)": page 3
            if first and not last and len(first) >= 6:
                ref.elocation_id = first
            else:
                ref.fpage, ref.lpage = first, _expand_last_page(first, last)
    else:
        last_part = re.split(rf"{_GBT_SENTENCE}\s*", tail)[-1] if tail else ""
        imprint = _GBT_IMPRINT.search(last_part)
        if imprint:
            ref.year = imprint.group("year")
            ref.publisher_loc = (imprint.group("loc") or "").strip()
            ref.publisher_name = (imprint.group("pub") or "").strip()
            ref.fpage = imprint.group("first") or ""
            ref.lpage = _expand_last_page(ref.fpage, imprint.group("last") or "")
        if container:
            ref.source = container
    if not ref.year:
        year = _YEAR_BARE.search(tail)
        if year:
            ref.year = year.group(1)
    ref.confidence = _confidence(ref)
    return ref


_REPEATED_NAME = re.compile(r"(?<![^\s.])(?P<name>[^\s.;,][^.;,]{1,60}?)\.\s+(?P=name)$")


def _expand_last_page(first: str, last: str) -> str:
    """ "123-9" means 123–129 in Vancouver style."""
    if first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
        return first[: len(first) - len(last)] + last
    return last


def _split_authors_vancouver(text: str) -> tuple[str, str]:
    """Authors end at the first full stop that follows a run of initials (``Smith JA, Doe B.``)."""
    abnt = _ABNT_AUTHORS.match(text)
    if abnt:
        return abnt.group("authors"), text[abnt.end() :]
    match = re.match(
        r"^((?:[^.]*?(?:\b[A-Z](?:\.\s?-?[A-Z])+|\b[A-Z]{1,4}|\bet al)))\.\s+(?=\S)", text
    )
    if match and _looks_like_authors(match.group(1)):
        return match.group(1), text[match.end() :]
    # "Surname, I., Surname, I. Title." (APA without a parenthesised year)
    match = re.match(
        r"^((?:[^,]+,\s*(?:[A-Z]\.\s?-?)+(?:,\s*(?:&|and)?\s*)?)+)\s*(?=[A-Z0-9])", text
    )
    if match and _looks_like_authors(match.group(1)):
        return match.group(1), text[match.end() :]
    return "", text


_AUTHORS_BARE_YEAR = re.compile(
    rf"^(?P<authors>[^.]+?(?:et al\.?)?)[.,]?\s+(?P<year>{_YEAR})[.,:]?\s+(?=\S)"
)


def _all_named(text: str) -> bool:
    """Every entry of the list is a surname with initials (so the year really ends it)."""
    authors, _ = parse_authors(text)
    return bool(authors) and all(given and len(surname.split()) <= 3 for surname, given in authors)


# A surname in capitals, then given names: the ABNT / ISO 690 way of listing authors.
_CAPS_SURNAME = re.compile(r"^[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*[A-ZÀ-ÖØ-Ý]")
# given names: whole words, or initials each with its full stop ("Carlos A.L.")
_GIVEN = (
    r"(?:(?:[A-ZÀ-ÖØ-Ý](?:\.\s?-?[A-ZÀ-ÖØ-Ý](?![\wÀ-ÿ]))*(?![\wÀ-ÿ])"
    r"|[A-ZÀ-ÖØ-Ý][\wÀ-ÿ'’-]+|d[aeo]s?|de|del|van|von)\s?)+"
)
_ABNT_AUTHORS = re.compile(
    rf"^(?P<authors>[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*{_GIVEN}"
    rf"(?:;\s*[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*{_GIVEN})*(?:\s*et al\.?)?)"
    r"(?:\s*\((?:[Oo]rg|[Cc]oord|[Ee]ds?)\.?\))?\.\s+(?=\S)"
)


def _looks_like_authors(text: str) -> bool:
    parts = [p for p in re.split(r",|;|\band\b|&", text) if p.strip()]
    if not parts:
        return False
    words = sum(len(p.split()) for p in parts)
    return words / len(parts) <= 4.5 and bool(re.search(r"[A-Z]", text))


def parse_authors(text: str) -> tuple[list[tuple[str, str]], bool]:
    """Split an author list into (surname, given names) pairs; True when it ends in et al."""
    text = _strip_punct(text)
    etal = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    text = re.sub(r"\((?:eds?|Eds?)\.?\)|,?\s*\beds?\.", "", text).strip(" ,.")
    if not text:
        return [], etal
    if ";" in text or _CAPS_SURNAME.match(text):
        # ABNT / ISO 690: "DIAS, Maria Odila da Silva; FERREIRA, José" — surname first
        named = []
        for part in re.split(r"\s*;\s*|\s+(?:&|and|e|y)\s+(?=[A-ZÀ-Ý]{2,}\b)", text):
            surname, _, given = part.partition(",")
            if surname.strip():
                named.append((surname.strip(), given.strip()))
        return named, etal
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s*", ", ", text)
    tokens = [t.strip() for t in re.split(r"[;,]", text) if t.strip()]
    authors: list[tuple[str, str]] = []
    i = 0
    # "J. A.", "JA", "Ch." — but not a short surname like "Li"
    initials = re.compile(r"^(?:(?:[A-Z]\.?[\s-]?){1,4}|(?:[A-Z][a-z]?\.[\s-]?){1,4})$")
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        vancouver_name = re.search(r"\s[A-Z]{1,4}$", token)
        if nxt and initials.match(nxt) and len(token.split()) <= 3 and not vancouver_name:
            authors.append((token, nxt.replace(" ", "")))  # "Smith, J. A."
            i += 2
            continue
        words = token.split()
        if len(words) >= 2 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
            authors.append((" ".join(words[:-1]), words[-1]))  # "Smith JA"
        elif len(words) >= 2 and initials.match(" ".join(words[:-1])):
            authors.append((words[-1], " ".join(words[:-1])))  # "J. A. Smith"
        elif len(words) >= 2 and nxt == "" and words[0][0].isupper():
            authors.append((words[-1], " ".join(words[:-1])))  # "John Smith"
        else:
            authors.append((token, ""))
        i += 1
    return authors, etal


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


def _confidence(ref: ParsedReference) -> float:
    score = 0.0
    score += 0.25 if (ref.authors or ref.collab) else 0.0
    score += 0.2 if ref.year else 0.0
    book = ref.publication_type in _STANDALONE
    title = ref.title or (ref.source if book else "")  # a book's title is its source
    # Chinese titles say in 6 characters what English says in 20
    score += 0.2 if len(title) > 10 or (len(title) >= 4 and _CJK.search(title)) else 0.0
    score += 0.15 if ref.source else 0.0
    located = ref.volume or ref.fpage or ref.elocation_id or ref.publisher_name or ref.arxiv
    # a preprint, data set, program or page is found by its identifier or address
    online = ref.publication_type in _ONLINE_KINDS and (ref.doi or ref.url)
    score += 0.2 if (located or online) else 0.0
    if ref.doi:
        score = min(1.0, score + 0.1)
    if any(len(s) > 60 or len(s.split()) > 6 for s, _ in ref.authors):
        score -= 0.3  # an "author" that is a sentence: the split went wrong
    return round(max(score, 0.0), 2)


# --- JATS ------------------------------------------------------------------------------


def element_citation(ref: ParsedReference) -> etree._Element:
    """The JATS ``element-citation`` for a parsed reference (fields in the usual order)."""
    cit = etree.Element("element-citation", {"publication-type": ref.publication_type})
    if ref.authors or ref.collab:
        group = etree.SubElement(cit, "person-group", {"person-group-type": "author"})
        for surname, given in ref.authors:
            # Chinese, Japanese and Korean names are written surname first
            style = {"name-style": "eastern"} if _CJK.search(surname) else {}
            name = etree.SubElement(group, "name", style)
            etree.SubElement(name, "surname").text = surname
            if given:
                etree.SubElement(name, "given-names").text = given
        if ref.collab:
            etree.SubElement(group, "collab").text = ref.collab
        if ref.etal:
            etree.SubElement(group, "etal")
    if ref.title:
        # the part inside a book is a chapter; a data set or program has a data-title (JATS4R);
        # anything else inside a source is an article
        if ref.publication_type in ("data", "software"):
            tag = "data-title"
        elif ref.publication_type == "book" and ref.source:
            tag = "chapter-title"
        else:
            tag = "article-title"
        etree.SubElement(cit, tag).text = ref.title
    if ref.source:
        etree.SubElement(cit, "source").text = ref.source
    if ref.publisher_loc:
        etree.SubElement(cit, "publisher-loc").text = ref.publisher_loc
    if ref.publisher_name:
        etree.SubElement(cit, "publisher-name").text = ref.publisher_name
    if ref.year:
        etree.SubElement(cit, "year").text = ref.year
    for tag, value in (("volume", ref.volume), ("issue", ref.issue)):
        if value:
            etree.SubElement(cit, tag).text = value
    if ref.elocation_id:
        etree.SubElement(cit, "elocation-id").text = ref.elocation_id
    elif ref.fpage:
        etree.SubElement(cit, "fpage").text = ref.fpage
        if ref.lpage:
            etree.SubElement(cit, "lpage").text = ref.lpage
    if ref.version:
        etree.SubElement(cit, "version").text = ref.version
    _append_ids(cit, ref)
    if ref.url:
        link = etree.SubElement(cit, "ext-link", {"ext-link-type": "uri"}, nsmap=_XLINK_NSMAP)
        link.set(f"{{{_XLINK}}}href", ref.url)
        link.text = ref.url
    if ref.access_date:
        accessed = etree.SubElement(
            cit,
            "date-in-citation",
            {"content-type": "access-date", "iso-8601-date": ref.access_date},
        )
        accessed.text = ref.access_date_text or ref.access_date
    return cit


def _append_ids(parent: etree._Element, ref: ParsedReference) -> None:
    for kind, value in (
        ("doi", ref.doi),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("arxiv", ref.arxiv),
    ):
        if value:
            etree.SubElement(parent, "pub-id", {"pub-id-type": kind}).text = value


def _mixed_citation(text: str, ref: ParsedReference | None) -> etree._Element:
    """The original text; identifiers found in it are marked up where they stand."""
    mixed = etree.Element("mixed-citation")
    if ref is None or not (ref.doi or ref.pmid or ref.pmcid or ref.arxiv):
        mixed.text = text
        return mixed
    spans = []
    for kind, value in (
        ("doi", ref.doi),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("arxiv", ref.arxiv),
    ):
        if value:
            at = text.find(value)
            if at >= 0:
                spans.append((at, at + len(value), kind))
    spans.sort()
    cursor, last = 0, None
    for start, end, kind in spans:
        if start < cursor:
            continue
        pub_id = etree.SubElement(mixed, "pub-id", {"pub-id-type": kind})
        pub_id.text = text[start:end]
        if last is None:
            mixed.text = text[cursor:start]
        else:
            last.tail = text[cursor:start]
        last, cursor = pub_id, end
    if last is None:
        mixed.text = text
    else:
        last.tail = text[cursor:]
    return mixed


def citation_for(text: str, *, keep_original: bool = True) -> etree._Element:
    """One reference string as JATS: parsed confidently → element-citation (inside
    ``citation-alternatives`` with the original text when ``keep_original``); otherwise a
    mixed-citation holding the original, with any DOI/PMID marked as ``pub-id``."""
    text = _clean(text)
    ref = parse_reference(text)
    if ref is None or not ref.confident:
        return _mixed_citation(text, ref)
    cit = element_citation(ref)
    if not keep_original:
        return cit
    alternatives = etree.Element("citation-alternatives")
    alternatives.append(cit)
    alternatives.append(_mixed_citation(text, ref))
    return alternatives


def build_ref_list(
    strings: Iterable[str], *, id_prefix: str = "ref-", keep_original: bool = True
) -> etree._Element:
    """A ``<ref-list>`` with one ``<ref id="ref-N">`` per non-empty reference string.

    A list number the string starts with ("[12]", "12.") becomes the ref's ``<label>``, so
    numbered in-text citations find it (see :func:`link_citations`).
    """
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    number = 0
    for text in strings:
        if not text or not text.strip():
            continue
        number += 1
        ref = etree.SubElement(ref_list, "ref", {"id": f"{id_prefix}{number}"})
        label = _LIST_LABEL.match(text)
        if label:
            etree.SubElement(ref, "label").text = label.group("n1") or label.group("n2")
            text = text[label.end() :]
        ref.append(citation_for(text, keep_original=keep_original))
    return ref_list


_LIST_LABEL = re.compile(r"^\s*(?:\[(?P<n1>\d{1,3})\]|(?P<n2>\d{1,3})\.(?!\d))\s+")


def structure_references(tree: etree._ElementTree | etree._Element) -> int:
    """Upgrade plain mixed-citations of an existing JATS document; returns how many.

    A mixed-citation counts as plain when it has no field markup (only text, styling and
    links). The original is kept: the ref then holds ``citation-alternatives`` with the new
    element-citation and the original mixed-citation. Identifiers found in plain citations
    that do not parse confidently are still marked up as ``pub-id``.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    # markup that does not structure a citation: styling, links, identifiers, comments
    styling = {
        "italic",
        "bold",
        "sc",
        "sup",
        "sub",
        "underline",
        "ext-link",
        "uri",
        "monospace",
        "pub-id",
        "comment",
        "roman",
        "sans-serif",
    }
    upgraded = 0
    for mixed in list(root.iter("mixed-citation")):
        parent = mixed.getparent()
        if parent is None or parent.tag != "ref":
            continue
        if any(
            isinstance(c.tag, str) and c.tag not in styling for c in mixed.iter() if c is not mixed
        ):
            continue
        text = _clean("".join(mixed.itertext()))
        ref = parse_reference(text)
        if ref is None:
            continue
        if ref.confident:
            alternatives = etree.Element("citation-alternatives")
            alternatives.tail = mixed.tail
            parent.replace(mixed, alternatives)
            mixed.tail = None
            alternatives.append(element_citation(ref))
            alternatives.append(mixed)
            upgraded += 1
        elif not len(mixed) and (ref.doi or ref.pmid or ref.pmcid):
            new = _mixed_citation(text, ref)
            for key, value in mixed.attrib.items():
                new.set(key, value)
            new.tail = mixed.tail
            parent.replace(mixed, new)
    return upgraded


# --- BibTeX / BibLaTeX / RIS / CSL JSON sources ----------------------------------------

BIBLIOGRAPHY_FORMATS = ("bibtex", "biblatex", "csljson", "ris", "endnotexml")
_CSL_TYPES = {
    "article-journal": "journal",
    "article-magazine": "journal",
    "article-newspaper": "newspaper",
    "book": "book",
    "chapter": "book",
    "paper-conference": "confproc",
    "thesis": "thesis",
    "report": "report",
    "webpage": "webpage",
    "post-weblog": "webpage",
    "dataset": "data",
    "software": "software",
    "patent": "patent",
}


class BibliographyError(ValueError):
    """A bibliography file that pandoc cannot read."""


def read_bibliography(data: str | bytes, fmt: str) -> list[dict[str, object]]:
    """CSL JSON items from a BibTeX/BibLaTeX/RIS/EndNote XML/CSL JSON bibliography.

    Already-structured sources need no guessing: pandoc's citeproc readers turn them into
    CSL JSON, which :func:`csl_citation` maps field by field.
    """
    import json

    import pypandoc

    if fmt not in BIBLIOGRAPHY_FORMATS:
        raise BibliographyError(
            f"unknown bibliography format {fmt!r}; use one of {', '.join(BIBLIOGRAPHY_FORMATS)}"
        )
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if fmt == "csljson":
        raw = text
    else:
        try:
            raw = pypandoc.convert_text(text, "csljson", format=fmt)
        except RuntimeError as exc:
            raise BibliographyError(f"pandoc could not read the {fmt} bibliography: {exc}") from exc
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BibliographyError(f"not CSL JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(items, list):
        raise BibliographyError("CSL JSON must be a list of items")
    return [item for item in items if isinstance(item, dict)]


def _csl_names(item: dict[str, object], role: str) -> list[tuple[str, str]]:
    names = []
    for person in item.get(role) or []:  # type: ignore[union-attr]
        if not isinstance(person, dict):
            continue
        family = str(person.get("family") or person.get("literal") or "").strip()
        particle = str(person.get("non-dropping-particle") or "").strip()
        if particle:
            family = f"{particle} {family}"
        if family:
            names.append((family, str(person.get("given") or "").strip()))
    return names


def csl_citation(item: dict[str, object]) -> etree._Element:
    """The ``element-citation`` for one CSL JSON item (as pandoc's citeproc writes it)."""
    csl_type = str(item.get("type") or "")
    kind = _CSL_TYPES.get(csl_type, "other")
    cit = etree.Element("element-citation", {"publication-type": kind})
    for role in ("author", "editor"):
        names = _csl_names(item, role)
        if names:
            group = etree.SubElement(cit, "person-group", {"person-group-type": role})
            for surname, given in names:
                name = etree.SubElement(group, "name")
                etree.SubElement(name, "surname").text = surname
                if given:
                    etree.SubElement(name, "given-names").text = given
    title = str(item.get("title") or "")
    container = str(item.get("container-title") or "")
    if csl_type == "book" or (kind == "other" and not container):
        if title:
            etree.SubElement(cit, "source").text = title
    else:
        if title:
            tag = "chapter-title" if csl_type == "chapter" else "article-title"
            etree.SubElement(cit, tag).text = title
        if container:
            etree.SubElement(cit, "source").text = container
    for key, tag in (
        ("edition", "edition"),
        ("publisher-place", "publisher-loc"),
        ("publisher", "publisher-name"),
    ):
        if item.get(key):
            etree.SubElement(cit, tag).text = str(item[key])
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and isinstance(parts, list) and parts[0]:
        date = [str(p) for p in parts[0]]
        etree.SubElement(cit, "year").text = date[0]
        if len(date) > 1:
            etree.SubElement(cit, "month").text = date[1].zfill(2)
    elif isinstance(issued, dict) and issued.get("literal"):
        etree.SubElement(cit, "string-date").text = str(issued["literal"])
    for key, tag in (("volume", "volume"), ("issue", "issue")):
        if item.get(key):
            etree.SubElement(cit, tag).text = str(item[key])
    page = str(item.get("page") or "")
    if page:
        bounds = re.split(rf"\s*[{_DASH}]+\s*", page)
        first, last = bounds[0], bounds[1] if len(bounds) > 1 else ""
        if first.lower().startswith("e") and not last:
            etree.SubElement(cit, "elocation-id").text = first
        else:
            etree.SubElement(cit, "fpage").text = first
            if last:
                etree.SubElement(cit, "lpage").text = last
    for key, kind_id in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        if item.get(key):
            etree.SubElement(cit, "pub-id", {"pub-id-type": kind_id}).text = str(item[key])
    if item.get("ISBN"):
        etree.SubElement(cit, "isbn").text = str(item["ISBN"])
    if item.get("URL") and not item.get("DOI"):
        link = etree.SubElement(cit, "ext-link", {"ext-link-type": "uri"}, nsmap=_XLINK_NSMAP)
        link.set(f"{{{_XLINK}}}href", str(item["URL"]))
        link.text = str(item["URL"])
    return cit


def ref_list_from_csl(
    items: Sequence[dict[str, object]], *, id_prefix: str = "ref-"
) -> tuple[etree._Element, dict[str, str]]:
    """A ``<ref-list>`` from CSL JSON items, and the map citation key → ref id.

    Citation keys (``DBLP:journals/dcc/MaxwellPSW19``) are rarely valid XML ids, so refs
    are numbered and the map lets the caller point in-text citations at them.
    """
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    ids: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        rid = f"{id_prefix}{number}"
        ref = etree.SubElement(ref_list, "ref", {"id": rid})
        ref.append(csl_citation(item))
        if item.get("id"):
            ids[str(item["id"])] = rid
    return ref_list, ids


# --- in-text citations -----------------------------------------------------------------

_SKIP_INSIDE = {
    "xref",
    "ext-link",
    "uri",
    "ref-list",
    "ref",
    "label",
    "title",
    "pub-id",
    "tex-math",
    "email",
    "monospace",
    "preformat",
    "code",
}
_BRACKET_RANGE = re.compile(rf"\[(\d+)\]\s*[{_DASH}]\s*\[(\d+)\]")
_NUMBERED = re.compile(rf"\[(\s*\d+(?:\s*[{_DASH},]\s*\d+)*\s*)\]")
_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:(?i:van|von|de|der|den|da|das|do|dos|del|della|di|du|la|le)\s+)"
_NAME = rf"(?:{_PARTICLE}{{0,2}})[{_UPPER}][\w'’\-]+(?:\s+{_PARTICLE}{{1,2}}[{_UPPER}][\w'’\-]+)?"
# "Smith", "Smith et al.", "Smith and Doe", "Evans, Reisz & Dupuis", "Debener, …, & de Vos"
_AUTHORS = (
    rf"{_NAME}(?:,?\s+et\s+al\.?|(?:,\s+{_NAME})*,?\s+(?:and|&)\s+{_NAME}"
    rf"|(?:;\s+{_NAME})+)?"  # ABNT: "LÓPEZ; CANTAMUTTO, 2018"
)
_NARRATIVE = re.compile(
    rf"(?P<names>{_AUTHORS})\s+\((?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
    rf"(?:,\s*(?:pp?\.|s\.)\s*\d+(?:\s*[{_DASH}]\s*\d+)?)?\)"  # "Alonso (1998, p. 188)"
)
_HAS_YEAR = re.compile(r"\b(?:1[6-9]|20)\d{2}")
_YEAR_OPENING = re.compile(rf"\(\s*{_YEAR}")
_PAREN_GROUP = re.compile(r"\(([^()]*?\b(?:1[6-9]|20)\d{2}[a-z]?[^()]*)\)")
_PAREN_ITEM = re.compile(rf"(?P<names>{_AUTHORS}),?\s+(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)")


@dataclass(frozen=True)
class _RefKey:
    surnames: tuple[str, ...]
    year: str


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _reference_index(root: etree._Element) -> tuple[dict[str, str], list[tuple[_RefKey, str]]]:
    """Reference ids by label/number, and (surnames, year) keys for author–date citations."""
    by_number: dict[str, str] = {}
    keys: list[tuple[_RefKey, str]] = []
    refs = [r for r in root.iter("ref") if r.get("id")]
    for position, ref in enumerate(refs, start=1):
        rid = ref.get("id")
        label = ref.find("label")
        number = re.sub(r"\D", "", "".join(label.itertext())) if label is not None else ""
        by_number.setdefault(number or str(position), rid)
        surnames = [
            "".join(s.itertext())
            for s in ref.iterfind(".//person-group[@person-group-type='author']//surname")
        ] or ["".join(s.itertext()) for s in ref.iterfind(".//surname")]
        if not surnames:
            for collab in ref.iterfind(".//collab"):
                surnames = ["".join(collab.itertext())]
                break
        year_el = ref.find(".//year")
        year = "".join(year_el.itertext()).strip() if year_el is not None else ""
        if not surnames or not year:
            parsed = parse_reference("".join(ref.itertext()))
            if parsed:
                surnames = surnames or [s for s, _ in parsed.authors]
                year = year or parsed.year
        if surnames and year:
            keys.append((_RefKey(tuple(_fold(s) for s in surnames), year.lower()), rid))
    return by_number, keys


def _match_author_year(names: str, year: str, keys: list[tuple[_RefKey, str]]) -> str | None:
    parts = re.split(r",?\s+(?:and|&)\s+|[,;]\s+", re.sub(r",?\s+et\s+al\.?", "", names))
    wanted = [_fold(p.strip()) for p in parts]
    year = year.lower()
    found = [
        rid
        for key, rid in keys
        if (key.year == year or (key.year[:4] == year[:4] and len(year) == 4))
        and key.surnames[: len(wanted)] == tuple(wanted)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        # "Smith and Doe" must match a two-author reference; "Smith" alone a one-author one.
        exact = [
            rid
            for key, rid in keys
            if rid in found
            and (("et al" in names and len(key.surnames) > 2) or len(key.surnames) == len(wanted))
        ]
        if len(exact) == 1:
            return exact[0]
        return None
    # Typos are common in manuscripts ("Getzman" for Getzmann, a co-author misspelt): fall
    # back to the first author alone, spelt nearly alike, when one reference of that year
    # fits and the citation names as many authors as it has (or says et al.).
    close = [
        rid
        for key, rid in keys
        if (key.year == year or (key.year[:4] == year[:4] and len(year) == 4))
        and key.surnames
        and difflib.SequenceMatcher(None, key.surnames[0], wanted[0]).ratio() >= 0.85
        and ("et al" in names or len(key.surnames) == len(wanted))
    ]
    return close[0] if len(close) == 1 else None


def link_citations(tree: etree._ElementTree | etree._Element) -> int:
    """Turn numbered and author–year citations in the body into ``xref ref-type="bibr"``.

    Numbered: ``[1]``, ``[1–3]``, ``[1, 4]`` link to the reference with that label (or at
    that position). Author–year: ``(Smith, 2020)``, ``(Smith et al., 2020; Doe 2019a)``,
    ``Smith and Doe (2020)`` link to the reference with those first surnames and year. Text
    already inside an xref, a link or the reference list is left alone; a citation that
    matches no reference (or several) stays text. Returns the number of xrefs made.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    by_number, keys = _reference_index(root)
    if not by_number:
        return 0
    made = 0
    front_lines = _front_matter_lines(root)
    for body in [*root.iter("body"), *root.iter("back")]:
        for element in list(body.iter()):
            if not isinstance(element.tag, str) or _inside_skipped(element, body):
                continue
            if any(a in front_lines for a in (element, *element.iterancestors())):
                continue
            if element.tag == "sup" and len(element) == 0:
                made += _link_superscript(element, by_number)
                continue
            made += _link_in(element, "text", by_number, keys)
            for child in list(element):
                made += _link_in(child, "tail", by_number, keys, owner=element)
    return made


_ENDS_AS_SENTENCE = re.compile(r"[.!?。！？][\"'”’)\]]*\s*$")


def _front_matter_lines(root: etree._Element) -> set[etree._Element]:
    """Author, affiliation and correspondence lines typed at the top of the body.

    Manuscripts whose front matter is ordinary paragraphs ("Ana Silva<sup>1</sup>",
    "<sup>1</sup>Department of …", "Correspondence: ana@…") put them before the first
    heading; their superscripts are affiliation markers, not citations. These are the
    leading paragraphs of the body, before its first section, that are not prose: they
    start with a superscript, hold an email address, or do not end as a sentence does.
    The first paragraph of prose ends the run.
    """
    found: set[etree._Element] = set()
    for body in root.iter("body"):
        for child in body:
            if not isinstance(child.tag, str) or child.tag != "p":
                break
            text = "".join(child.itertext()).strip()
            starts_with_marker = (
                not (child.text or "").strip() and len(child) and child[0].tag == "sup"
            )
            has_email = child.find(".//email") is not None or "@" in text
            if not (starts_with_marker or has_email or not _is_prose(child, text)):
                break
            found.add(child)
    return found


def _is_prose(paragraph: etree._Element, text: str) -> bool:
    """Long, or ending as a sentence does (before a closing citation: "risk.<sup>1</sup>")."""
    if len(text) >= PROSE_CHARS:
        return True
    last = paragraph[-1] if len(paragraph) else None
    if last is not None and last.tag == "sup" and not (last.tail or "").strip():
        text = text[: len(text) - len("".join(last.itertext()).strip())].rstrip()
    return bool(_ENDS_AS_SENTENCE.search(text))


PROSE_CHARS = 200
_SUPERSCRIPT = re.compile(rf"^\s*\(?(\s*\d+(?:\s*[{_DASH},]\s*\d+)*\s*)\)?\s*$")


def _link_superscript(sup: etree._Element, by_number: dict[str, str]) -> int:
    """Superscript citations (``disease<sup>1,3–5</sup>``), not exponents or units.

    A number in superscript right after a digit (``10<sup>6</sup>``) or after a short
    symbol (``m<sup>2</sup>``, ``x<sup>2</sup>``) is mathematics, not a citation.
    """
    text = sup.text or ""
    match = _SUPERSCRIPT.match(text)
    if not match:
        return 0
    previous = sup.getprevious()
    before = (previous.tail if previous is not None else sup.getparent().text) or ""
    word = re.search(r"(\S*)$", before).group(1)
    if not word or word[-1].isdigit() or (len(word.strip(".,;:()")) <= 2 and word[-1].isalnum()):
        return 0
    spans = []
    for part in re.finditer(rf"\d+(?:\s*[{_DASH}]\s*\d+)?", match.group(1)):
        numbers = _numbers(part.group(0))
        if not numbers or any(n not in by_number for n in numbers):
            return 0  # all or nothing: a stray number means this is not a citation
        rids = " ".join(dict.fromkeys(by_number[n] for n in numbers))
        spans.append((match.start(1) + part.start(), match.start(1) + part.end(), rids))
    sup.text = text[: spans[0][0]]
    for n, (start, end, rid) in enumerate(spans):
        xref = etree.SubElement(sup, "xref", {"ref-type": "bibr", "rid": rid})
        xref.text = text[start:end]
        xref.tail = text[end : spans[n + 1][0] if n + 1 < len(spans) else len(text)]
    return len(spans)


def _inside_skipped(element: etree._Element, stop: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None and node is not stop:
        if node.tag in _SKIP_INSIDE or node.tag[0] == "{":
            return True
        node = node.getparent()
    return False


def _numbers(spec: str) -> list[str] | None:
    out: list[str] = []
    for part in spec.split(","):
        bounds = [b.strip() for b in re.split(rf"[{_DASH}]", part) if b.strip()]
        if len(bounds) == 1:
            out.append(bounds[0])
        elif len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 200:
            out.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            return None
    return out


def _find_citations(
    text: str, by_number: dict[str, str], keys: list[tuple[_RefKey, str]]
) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for match in _BRACKET_RANGE.finditer(text):
        # "[1]–[9]" (PLOS): the second number carries the rest of the range
        numbers = _numbers(f"{match.group(1)}-{match.group(2)}")
        if not numbers or any(n not in by_number for n in numbers):
            continue
        rest = " ".join(dict.fromkeys(by_number[n] for n in numbers[1:]))
        spans.append((match.start(1), match.end(1), by_number[numbers[0]]))
        spans.append((match.start(2), match.end(2), rest))
        covered.update((match.start(), match.start(2) - 1))
    for match in _NUMBERED.finditer(text):
        if match.start() in covered:
            continue
        inner_start = match.start(1)
        for part in re.finditer(rf"\d+(?:\s*[{_DASH}]\s*\d+)?", match.group(1)):
            numbers = _numbers(part.group(0))
            if not numbers or any(n not in by_number for n in numbers):
                continue
            rids = " ".join(dict.fromkeys(by_number[n] for n in numbers))
            spans.append((inner_start + part.start(), inner_start + part.end(), rids))
    if keys and "(" in text and _HAS_YEAR.search(text):
        # Narrative citations end in "(2020)": look for names only just before each such
        # parenthesis, instead of trying the name pattern at every position of the text.
        for opening in _YEAR_OPENING.finditer(text):
            window_start = max(0, opening.start() - 160)
            window = text[window_start : opening.end() + 40]
            for match in _NARRATIVE.finditer(window):
                if window_start + match.end() <= opening.start():
                    continue
                for year in re.findall(_YEAR, match.group("years")):
                    rid = _match_author_year(match.group("names"), year, keys)
                    if rid:
                        spans.append(
                            (window_start + match.start(), window_start + match.end(), rid)
                        )
                        break
                break
    if keys and "(" in text and _HAS_YEAR.search(text):
        for group in _PAREN_GROUP.finditer(text):
            offset = group.start(1)
            for item in _PAREN_ITEM.finditer(group.group(1)):
                rids = [
                    rid
                    for y in re.findall(_YEAR, item.group("years"))
                    if (rid := _match_author_year(item.group("names"), y, keys))
                ]
                if rids:
                    spans.append(
                        (offset + item.start(), offset + item.end(), " ".join(dict.fromkeys(rids)))
                    )
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _link_in(
    node: etree._Element,
    attr: str,
    by_number: dict[str, str],
    keys: list[tuple[_RefKey, str]],
    owner: etree._Element | None = None,
) -> int:
    text = getattr(node, attr)
    if not text:
        return 0
    spans = _find_citations(text, by_number, keys)
    if not spans:
        return 0
    parent = node if attr == "text" else owner
    assert parent is not None
    insert_at = 0 if attr == "text" else parent.index(node) + 1
    setattr(node, attr, text[: spans[0][0]])
    for n, (start, end, rid) in enumerate(spans):
        xref = etree.Element("xref", {"ref-type": "bibr", "rid": rid})
        xref.text = text[start:end]
        following = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        xref.tail = text[end:following]
        parent.insert(insert_at + n, xref)
    return len(spans)
