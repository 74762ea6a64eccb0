"""Preprints, data sets, software and web pages: the markers that say what a work is.

ArXiv ids, access dates, versions and tags such as ``[Data set]`` are taken out of the
string before the fields are read (left in, they read as years, pages or sources); the
kind, and the server or repository that is the work's source, are set at the end.
"""

from __future__ import annotations

import re

from frontiers_de.production.jats.references.model import ParsedReference
from frontiers_de.production.jats.references.patterns import _LINK_WORDS, _MONTH, _clean

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
