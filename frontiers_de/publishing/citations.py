"""How an article is cited: one record read from its JATS, written out as BibTeX, RIS and
the Highwire ``citation_*`` meta tags that indexers read.

Everything here is a pure function of the article's JATS (through
:func:`~frontiers_de.production.jats.meta.read_article_meta`) and the journal's settings
(:class:`~frontiers_de.config.JournalProfile`), plus where the article sits: its issue and
its public addresses, which only the database knows. So the exports can be rebuilt and
tested on files alone, and the article page, the downloads and the OAI-PMH records agree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.meta import ArticleMeta, PartialDate

BIBTEX_MEDIA_TYPE = "application/x-bibtex"
RIS_MEDIA_TYPE = "application/x-research-info-systems"

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Person:
    """An author as citations name them: family name first, or a group's name."""

    surname: str = ""
    given_names: str = ""
    suffix: str = ""
    collab: str = ""
    orcid: str = ""
    affiliations: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        if self.collab:
            return self.collab
        name = " ".join(p for p in (self.given_names, self.surname) if p)
        return f"{name} {self.suffix}".strip() if self.suffix else name

    @property
    def inverted_name(self) -> str:
        """``Surname, Given, Suffix`` (RIS and Dublin Core ``creator``)."""
        if self.collab:
            return self.collab
        parts = [p for p in (self.surname, self.given_names) if p]
        if self.suffix:
            parts.append(self.suffix)
        return ", ".join(parts)


@dataclass(frozen=True)
class Placement:
    """What the database adds to the JATS: the article's issue, its e-location and DOI as
    registered, its publication day and its public addresses. Empty values fall back to
    what the JATS says."""

    volume: str = ""
    issue: str = ""
    elocation_id: str = ""
    doi: str = ""
    published: dt.date | None = None
    url: str = ""
    pdf_url: str = ""
    xml_url: str = ""
    title: str = ""


@dataclass(frozen=True)
class Citation:
    title: str
    authors: tuple[Person, ...] = ()
    journal_title: str = ""
    journal_abbrev: str = ""
    issn_print: str = ""
    issn_online: str = ""
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    published: PartialDate | None = None
    doi: str = ""
    url: str = ""
    pdf_url: str = ""
    xml_url: str = ""
    abstract: str = ""
    # the abstract's paragraphs; ``abstract`` is them joined by a space
    abstract_paragraphs: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: str = "en"
    licence_url: str = ""
    article_type: str = ""
    heading: str = ""
    trans_titles: tuple[tuple[str, str], ...] = field(default=())
    trans_abstracts: tuple[tuple[str, str], ...] = field(default=())

    @property
    def issns(self) -> tuple[str, ...]:
        return tuple(i for i in (self.issn_online, self.issn_print) if i)

    @property
    def year(self) -> str:
        return f"{self.published.year:04d}" if self.published else ""

    @property
    def locator(self) -> str:
        """Pages (``12-18``) or the e-location id (``e0001``), as a reader looks them up."""
        if self.fpage:
            return (
                f"{self.fpage}–{self.lpage}"
                if self.lpage and self.lpage != self.fpage
                else self.fpage
            )
        return self.elocation_id


def citation_from_meta(
    meta: ArticleMeta, profile: JournalProfile | None = None, placement: Placement | None = None
) -> Citation:
    """The citation of an article from its JATS metadata, the journal's settings and its
    placement. The journal's settings win over the JATS journal-meta (an ISSN added later
    shows at once); the placement wins over the JATS volume, issue and DOI."""
    profile = profile or JournalProfile()
    placement = placement or Placement()
    authors = []
    for c in meta.authors:
        affiliations = []
        for aff_id in c.affiliation_ids:
            aff = meta.affiliations.get(aff_id)
            if aff is not None and aff.institution_first:
                affiliations.append(aff.institution_first)
        authors.append(
            Person(
                surname=c.surname,
                given_names=c.given_names,
                suffix=c.suffix,
                collab=c.collab,
                orcid=c.orcid,
                affiliations=tuple(affiliations),
            )
        )
    title = meta.title or placement.title
    if meta.subtitle:
        title = f"{title}: {meta.subtitle}"
    published = meta.publication_date
    if published is None and placement.published is not None:
        d = placement.published
        published = PartialDate(d.year, d.month, d.day)
    abstract = meta.abstract()
    return Citation(
        title=title,
        authors=tuple(a for a in authors if a.surname or a.given_names or a.collab),
        journal_title=profile.title or meta.journal_title,
        journal_abbrev=profile.abbreviation or meta.journal_abbrev,
        issn_print=profile.issn_print or meta.issns.get("print", ""),
        issn_online=profile.issn_online or meta.issns.get("electronic", ""),
        publisher=profile.publisher or meta.publisher_name,
        volume=placement.volume or meta.volume,
        issue=placement.issue or meta.issue,
        fpage=meta.fpage,
        lpage=meta.lpage,
        elocation_id=placement.elocation_id or meta.elocation_id,
        published=published,
        doi=placement.doi or meta.doi,
        url=placement.url,
        pdf_url=placement.pdf_url,
        xml_url=placement.xml_url,
        abstract=abstract.text if abstract is not None else "",
        abstract_paragraphs=tuple(abstract.paragraphs) if abstract is not None else (),
        keywords=tuple(meta.keywords.get(meta.language, [])),
        language=meta.language,
        licence_url=meta.license_url or profile.licence_url,
        article_type=meta.article_type,
        heading=meta.heading,
        trans_titles=tuple((lang, t) for lang, t in meta.trans_titles if lang and t),
        trans_abstracts=tuple(
            (a.lang, a.text)
            for a in meta.abstracts
            if a.lang and a.lang != meta.language and not a.abstract_type and a.text
        ),
    )


# --- BibTeX -------------------------------------------------------------------------------

# Characters that mean something to (La)TeX in a BibTeX value, and what stands for them.
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _TEX_SPECIAL))
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)
_KEY_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "at", "by"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def tex_escape(text: str) -> str:
    """``text`` as a BibTeX value: TeX's special characters escaped, white space folded,
    everything else (accents, Chinese) kept as UTF-8."""
    return _TEX_SPECIAL_RE.sub(lambda m: _TEX_SPECIAL[m[0]], _one_line(text))


def _bib_title(text: str) -> str:
    """The title escaped, with each word that has a capital after its first letter (AI,
    MOOCs, iPad, COVID-19) in braces: styles that lower-case titles must leave it alone."""
    words = []
    for word in text.split():
        escaped = tex_escape(word)
        words.append("{" + escaped + "}" if any(ch.isupper() for ch in word[1:]) else escaped)
    return " ".join(words)


def _bib_verbatim(text: str) -> str:
    """DOIs and URLs are read verbatim by biblatex; only braces and backslashes, which
    would end the value, are percent-encoded."""
    return (
        _one_line(text)
        .replace("\\", "%5C")
        .replace("{", "%7B")
        .replace("}", "%7D")
        .replace(" ", "%20")
    )


def _bib_name_part(text: str) -> str:
    """A name part; braced when BibTeX would split it (a comma, or the word "and")."""
    escaped = tex_escape(text)
    return "{" + escaped + "}" if ("," in text or _AND_RE.search(text)) else escaped


def bibtex_name(person: Person) -> str:
    """One author as BibTeX parses names: ``von Last, Jr, First``. A surname's particles
    (``van der``) stay in front, where BibTeX finds them; a group's name is one braced
    unit, so that "Ministry of Science and Technology" is not read as two people."""
    if person.collab:
        return "{" + tex_escape(person.collab) + "}"
    surname = _bib_name_part(person.surname)
    if not person.given_names:
        # A single name ("Sukarno", "Le Corbusier"): keep it whole as the last name.
        return "{" + tex_escape(person.surname) + "}" if " " in person.surname else surname
    given = _bib_name_part(person.given_names)
    if person.suffix:
        return f"{surname}, {_bib_name_part(person.suffix)}, {given}"
    return f"{surname}, {given}"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]", "", folded)


def bibtex_key(citation: Citation) -> str:
    """``Wang2026learning``: first author, year, first significant title word, in ASCII (as
    BibTeX keys must be). Without a Latin-script author or title, the DOI stands in."""
    first = citation.authors[0] if citation.authors else None
    family = (first.surname or first.collab) if first else ""
    name = _ascii_word(family.split()[-1]) if family.strip() else ""
    words = [
        w.lower()
        for w in (_ascii_word(w) for w in citation.title.split())
        if w and w.lower() not in _KEY_STOPWORDS
    ]
    if name:
        return f"{name}{citation.year}{words[0] if words else ''}"
    if citation.doi:
        return re.sub(r"[^A-Za-z0-9.:_-]", "_", citation.doi)
    return f"article{citation.year}{words[0] if words else ''}"


def bibtex(citation: Citation) -> str:
    """One ``@article`` entry."""
    fields: list[tuple[str, str]] = []

    def put(name: str, value: str, *, raw: bool = False) -> None:
        if value:
            fields.append((name, value if raw else "{" + value + "}"))

    put("author", " and ".join(bibtex_name(p) for p in citation.authors))
    put("title", _bib_title(citation.title))
    put("journal", tex_escape(citation.journal_title))
    put("year", citation.year)
    if citation.published is not None and citation.published.month:
        put("month", _MONTHS[citation.published.month - 1], raw=True)
    put("volume", tex_escape(citation.volume))
    put("number", tex_escape(citation.issue))
    if citation.fpage:
        pages = citation.fpage
        if citation.lpage and citation.lpage != citation.fpage:
            pages = f"{citation.fpage}--{citation.lpage}"
        put("pages", tex_escape(pages))
    else:
        put("pages", tex_escape(citation.elocation_id))
    put("doi", _bib_verbatim(citation.doi))
    put("url", _bib_verbatim(citation.url))
    put("issn", ", ".join(citation.issns))
    put("publisher", tex_escape(citation.publisher))
    # a blank line between paragraphs: reference managers keep them, BibTeX folds it
    put("abstract", "\n\n".join(tex_escape(p) for p in abstract_paragraphs(citation)))
    put("keywords", tex_escape(", ".join(citation.keywords)))
    put("langid", _LANGIDS.get(citation.language[:2], ""))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@article{{{bibtex_key(citation)},\n{body}\n}}\n"


def abstract_paragraphs(citation: Citation) -> tuple[str, ...]:
    """The abstract's paragraphs (one, when only the joined text is known)."""
    if citation.abstract_paragraphs:
        return citation.abstract_paragraphs
    return (citation.abstract,) if citation.abstract else ()


# biblatex language ids for the languages the journal publishes in.
_LANGIDS = {"en": "english", "zh": "chinese", "fr": "french", "es": "spanish", "ru": "russian"}


# --- RIS ----------------------------------------------------------------------------------


def ris(citation: Citation) -> str:
    """One ``JOUR`` record: ``TAG  - value`` lines ending in CR LF, as the RIS format
    specifies; one ``AU`` line per author and one ``KW`` line per keyword; the journal's
    title in ``T2`` and its abbreviation in ``J2``; pages in ``SP``/``EP``, or the
    e-location id in ``SP`` (what reference managers show as the page)."""
    lines: list[tuple[str, str]] = [("TY", "JOUR")]

    def put(tag: str, value: str) -> None:
        value = _one_line(value)
        if value:
            lines.append((tag, value))

    put("TI", citation.title)
    for person in citation.authors:
        put("AU", person.inverted_name)
    put("PY", citation.year)
    if citation.published is not None:
        p = citation.published
        put(
            "DA",
            "/".join(
                [
                    f"{p.year:04d}",
                    f"{p.month:02d}" if p.month else "",
                    f"{p.day:02d}" if p.day else "",
                ]
            ),
        )
    put("T2", citation.journal_title)
    put("J2", citation.journal_abbrev)
    put("VL", citation.volume)
    put("IS", citation.issue)
    if citation.fpage:
        put("SP", citation.fpage)
        put("EP", citation.lpage)
    else:
        put("SP", citation.elocation_id)
    put("DO", citation.doi)
    put("UR", citation.url)
    put("L1", citation.pdf_url)
    # One SN line: readers keep only one of several.
    put("SN", ", ".join(citation.issns))
    put("PB", citation.publisher)
    put("AB", citation.abstract)
    for keyword in citation.keywords:
        put("KW", keyword)
    put("LA", citation.language)
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


# --- Highwire meta tags -------------------------------------------------------------------


def highwire_tags(citation: Citation) -> list[tuple[str, str]]:
    """Highwire ``citation_*`` meta tags (name, content) in the order Google Scholar's
    inclusion guidelines list them; empty values are left out."""
    tags: list[tuple[str, str]] = [("citation_title", citation.title)]
    for person in citation.authors:
        tags.append(("citation_author", person.display_name))
        tags += [("citation_author_institution", a) for a in person.affiliations]
        if person.orcid:
            tags.append(("citation_author_orcid", person.orcid))
    if citation.published is not None:
        p = citation.published
        date = "/".join(
            [f"{p.year:04d}"]
            + ([f"{p.month:02d}"] if p.month else [])
            + ([f"{p.day:02d}"] if p.month and p.day else [])
        )
        tags.append(("citation_publication_date", date))
    tags.append(("citation_journal_title", citation.journal_title))
    tags.append(("citation_journal_abbrev", citation.journal_abbrev))
    tags += [("citation_issn", issn) for issn in citation.issns]
    tags.append(("citation_publisher", citation.publisher))
    tags.append(("citation_volume", citation.volume))
    tags.append(("citation_issue", citation.issue))
    tags.append(("citation_firstpage", citation.fpage or citation.elocation_id))
    tags.append(("citation_lastpage", citation.lpage if citation.fpage else ""))
    tags.append(("citation_doi", citation.doi))
    tags += [("citation_keywords", k) for k in citation.keywords]
    tags.append(("citation_language", citation.language))
    tags.append(("citation_abstract_html_url", citation.url))
    tags.append(("citation_pdf_url", citation.pdf_url))
    tags.append(("citation_xml_url", citation.xml_url))
    return [(name, value) for name, value in tags if value]
