"""The journal's articles as DOAJ article XML (the ``records`` format that DOAJ's
``doajArticles.xsd`` describes and its bulk upload accepts).

One ``record`` per article, its elements in the order the schema's sequence fixes:
``language``, ``publisher``, ``journalTitle``, ``issn`` / ``eissn``, ``publicationDate``,
``volume``, ``issue``, ``startPage``, ``endPage``, ``doi``, ``publisherRecordId``,
``documentType``, ``title``, ``authors``, ``affiliationsList``, ``abstract``,
``fullTextUrl``, ``keywords``. Languages are ISO 639-2 (bibliographic) codes, as the schema
wants. :func:`doaj_xml` is pure (citations in, bytes out); :func:`journal_doaj_xml` reads
the journal's published articles for the route and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree
from sqlalchemy.orm import Session

from frontiers_de.identifiers import orcid_url
from frontiers_de.journals.models import Journal
from frontiers_de.publishing import services
from frontiers_de.publishing.citations import Citation

MEDIA_TYPE = "application/xml"
# ISO 639-1 -> ISO 639-2/B for the languages the journal publishes in.
LANGUAGES = {"en": "eng", "zh": "chi", "fr": "fre", "es": "spa", "ru": "rus", "ar": "ara"}
# DOAJ keeps at most this many characters of a title and abstract.
MAX_ABSTRACT = 20_000


def language_code(lang: str) -> str:
    return LANGUAGES.get(lang[:2].lower(), "eng")


def _put(parent: etree._Element, tag: str, text: str, **attrs: str) -> None:
    if text:
        el = etree.SubElement(parent, tag, **attrs)
        el.text = text


def record(citation: Citation, record_id: str = "") -> etree._Element:
    """One article's ``record``."""
    rec = etree.Element("record")
    lang = language_code(citation.language)
    _put(rec, "language", lang)
    _put(rec, "publisher", citation.publisher)
    _put(rec, "journalTitle", citation.journal_title)
    _put(rec, "issn", citation.issn_print)
    _put(rec, "eissn", citation.issn_online)
    if citation.published is not None:
        p = citation.published
        _put(rec, "publicationDate", f"{p.year:04d}-{p.month or 1:02d}-{p.day or 1:02d}")
    _put(rec, "volume", citation.volume)
    _put(rec, "issue", citation.issue)
    _put(rec, "startPage", citation.fpage or citation.elocation_id)
    _put(rec, "endPage", citation.lpage if citation.fpage else "")
    _put(rec, "doi", citation.doi)
    _put(rec, "publisherRecordId", record_id)
    _put(rec, "documentType", "article")
    _put(rec, "title", citation.title, language=lang)
    for other_lang, title in citation.trans_titles:
        _put(rec, "title", title, language=language_code(other_lang))
    affiliations: list[str] = []
    authors = etree.SubElement(rec, "authors")
    for person in citation.authors:
        author = etree.SubElement(authors, "author")
        _put(author, "name", person.display_name)
        for aff in person.affiliations[:1]:  # the schema allows one affiliationId
            if aff not in affiliations:
                affiliations.append(aff)
            _put(author, "affiliationId", str(affiliations.index(aff) + 1))
        _put(author, "orcid_id", orcid_url(person.orcid) or "" if person.orcid else "")
    if affiliations:
        listing = etree.SubElement(rec, "affiliationsList")
        for number, name in enumerate(affiliations, 1):
            _put(listing, "affiliationName", name, affiliationId=str(number))
    _put(rec, "abstract", citation.abstract[:MAX_ABSTRACT], language=lang)
    for other_lang, text in citation.trans_abstracts:
        _put(rec, "abstract", text[:MAX_ABSTRACT], language=language_code(other_lang))
    _put(rec, "fullTextUrl", citation.url, format="html")
    if citation.keywords:
        keywords = etree.SubElement(rec, "keywords", language=lang)
        for word in citation.keywords:
            _put(keywords, "keyword", word)
    return rec


def doaj_xml(citations: Sequence[tuple[Citation, str]]) -> bytes:
    """The DOAJ ``records`` document of (citation, the publisher's record id) pairs."""
    root = etree.Element("records")
    for citation, record_id in citations:
        root.append(record(citation, record_id))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def journal_doaj_xml(db: Session, journal: Journal, site_url: str) -> bytes:
    """The DOAJ document of every published article of ``journal``."""
    articles = services.shown_articles(db, journal.id)
    return doaj_xml(
        [(services.article_citation(a, journal, site_url), str(a.id)) for a in articles]
    )
