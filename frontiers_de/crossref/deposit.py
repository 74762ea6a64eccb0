"""Crossref deposit XML (schema 5.4.0) from JATS articles and the journal profile.

A pure function of its inputs: JATS trees (read with the shared
:func:`~frontiers_de.production.jats.meta.read_article_meta`) and a
:class:`~frontiers_de.config.JournalProfile`, plus a few deposit settings (URL patterns,
Crossmark). No database, no network. The element order follows the 5.4.0 XSD, which is
strict about sequence; ``validate.py`` checks the result against the official schema.

Choices the schema forces:
- 5.4.0 has ``alt-name`` commented out, so names in other scripts go into ``person_name/name``
  (the full name as written), the only name slot beside given name and surname.
- ``titles`` holds one ``original_language_title``: the first translated title goes there,
  further ones get their own ``titles`` block (the article may have up to 20).
- Funding and licence sit inside ``crossmark/custom_metadata`` when Crossmark is configured,
  and directly in ``journal_article`` otherwise (the schema allows one or the other).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from frontiers_de import identifiers
from frontiers_de.config import JournalProfile
from frontiers_de.crossref.doi import InvalidDOI, is_valid_doi, validate_doi
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.identifiers import strip_doi_resolver
from frontiers_de.production.jats.meta import (
    Abstract,
    ArticleMeta,
    Contributor,
    Funding,
    PartialDate,
    Reference,
    read_article_meta,
)

CROSSREF_VERSION = "5.4.0"
CR = "http://www.crossref.org/schema/5.4.0"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
FR = "http://www.crossref.org/fundref.xsd"
AI = "http://www.crossref.org/AccessIndicators.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: CR, "jats": JATS, "fr": FR, "ai": AI, "xsi": XSI}
SCHEMA_LOCATION = f"{CR} https://www.crossref.org/schemas/crossref{CROSSREF_VERSION}.xsd"

# JATS contrib-type -> Crossref contributor_role; other kinds are not deposited.
_ROLES = {"": "author", "author": "author", "editor": "editor", "translator": "translator"}
# Inline JATS kept inside deposited abstracts; anything else becomes its text.
_INLINE = {"italic", "bold", "sup", "sub", "sc", "underline", "monospace"}
# JATS inline -> Crossref face markup in titles.
_FACES = {
    "italic": "i",
    "bold": "b",
    "sup": "sup",
    "sub": "sub",
    "sc": "scp",
    "underline": "u",
    "monospace": "tt",
}
# A Funder Registry DOI anywhere in the funder id (bare, doi: or a URL).
_FUNDER_DOI_RE = re.compile(identifiers.FUNDER_DOI_PATTERN)
_NAME_BAD_RE = re.compile(r"[?]")


class DepositError(ValueError):
    """An article cannot be deposited as it stands (no DOI, no title, no date …)."""


@dataclass(frozen=True)
class DepositSettings:
    """How URLs are formed and whether Crossmark is used; from ``crossref.*`` settings.

    The URL patterns take ``{base}`` (the profile's base URL, no trailing slash) and ``{doi}``.
    """

    landing_url: str = "{base}/articles/{doi}"
    pdf_url: str = "{base}/articles/{doi}/pdf"
    xml_url: str = "{base}/articles/{doi}/xml"
    crossmark_policy: str = ""  # the journal's Crossmark policy page DOI; empty = no Crossmark
    crossmark_domains: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None = None) -> DepositSettings:
        crossref = CrossrefSettings.of(settings)
        return cls(
            landing_url=crossref.landing_url,
            pdf_url=crossref.pdf_url,
            xml_url=crossref.xml_url,
            crossmark_policy=crossref.crossmark_policy,
            crossmark_domains=crossref.crossmark_domains,
        )

    def url(self, pattern: str, profile: JournalProfile, doi: str) -> str:
        return pattern.format(base=profile.base_url.rstrip("/"), doi=doi)


@dataclass
class Deposit:
    """A built deposit: the XML tree, its batch id and timestamp, and the DOIs it carries."""

    tree: etree._ElementTree
    batch_id: str
    timestamp: int
    dois: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        return etree.tostring(self.tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- head -------------------------------------------------------------------------------

_timestamp_lock = threading.Lock()
_last_timestamp = 0


def next_timestamp(now: dt.datetime | None = None) -> int:
    """A deposit timestamp (yyyymmddHHMMSS + milliseconds) that never repeats in a process.

    Crossref keeps a record only when its timestamp is higher than the last one it has, so
    a re-deposit after a metadata change must carry a larger number than any before it.
    """
    global _last_timestamp
    now = now or dt.datetime.now(dt.UTC)
    candidate = int(now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}")
    with _timestamp_lock:
        _last_timestamp = max(candidate, _last_timestamp + 1)
        return _last_timestamp


# Crossref's schema allows a doi_batch_id of 4-100 characters; our doi_deposits.batch_id
# column holds 64, so that is the limit every batch id we make or accept keeps.
MIN_BATCH_ID_LENGTH = 4
MAX_BATCH_ID_LENGTH = 64
# Batch ids also name the uploaded file (``<batch id>.xml``) and are sent back to Crossref
# in a query string: only these characters, whatever the journal's code holds.
_BATCH_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def new_batch_id(profile: JournalProfile, timestamp: int) -> str:
    """A unique doi_batch_id of at most :data:`MAX_BATCH_ID_LENGTH` characters.

    ``<journal>-<timestamp>-<12 random hex digits>``: the random part makes it unique (the
    timestamp orders it), so only the journal part, which is there for people reading the
    id, is shortened to fit: a 17-digit timestamp leaves it 33 characters. A journal code
    with characters unsafe in a file name has them replaced; one with none left (a code in
    Chinese characters, say) reads ``batch``.
    """
    unique = f"{timestamp}-{uuid.uuid4().hex[:12]}"
    # A timestamp far longer than yyyymmddHHMMSSmmm keeps its low digits and the random part.
    unique = unique[-(MAX_BATCH_ID_LENGTH - 2) :]
    room = MAX_BATCH_ID_LENGTH - len(unique) - 1
    journal = _BATCH_ID_UNSAFE.sub("-", profile.code).strip("-._")
    journal = (journal or "batch")[:room].rstrip("-._") or "b"
    return f"{journal}-{unique}"


# --- small helpers -----------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, tag if tag.startswith("{") else f"{{{CR}}}{tag}")
    if text is not None:
        el.text = text
    for key, value in attrs.items():
        el.set(key, value)
    return el


def language_code(lang: str) -> str:
    """``EN`` -> ``en``, ``zh-Hans-CN`` -> ``zh``; empty when not an ISO 639 code."""
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _name_part(text: str, limit: int = 60) -> str:
    """A name as Crossref's name pattern accepts it (no '?', at most 60 characters)."""
    return _clip(_NAME_BAD_RE.sub("", text), limit).strip()


def _date(parent: etree._Element, tag: str, date: PartialDate, media: str) -> None:
    el = _sub(parent, tag, media_type=media)
    if date.month:
        _sub(el, "month", f"{date.month:02d}")
        if date.day:
            _sub(el, "day", f"{date.day:02d}")
    _sub(el, "year", f"{date.year:04d}")


def _iso_date(date: PartialDate) -> str:
    return date.as_date().isoformat()


def _online_date(meta: ArticleMeta) -> PartialDate | None:
    for key in ("epub", "electronic", "pub"):
        if key in meta.pub_dates:
            return meta.pub_dates[key]
    return None


def _print_date(meta: ArticleMeta) -> PartialDate | None:
    for key in ("ppub", "print"):
        if key in meta.pub_dates:
            return meta.pub_dates[key]
    return None


# --- journal_article parts -----------------------------------------------------------------


def _titles(article: etree._Element, meta: ArticleMeta) -> None:
    if not meta.title:
        raise DepositError(f"article {meta.doi} has no title")
    titles = _sub(article, "titles")
    title = _sub(titles, "title")
    if meta.title_element is not None:
        _face_markup(title, meta.title_element)
    if not "".join(title.itertext()).strip():
        for child in list(title):
            title.remove(child)
        title.text = meta.title
    if meta.subtitle:
        _sub(titles, "subtitle", meta.subtitle)
    translated = [(lang, text) for lang, text in meta.trans_titles if text]
    if translated:
        lang, text = translated[0]
        attrs = {"language": language_code(lang)} if language_code(lang) else {}
        _sub(titles, "original_language_title", text, **attrs)
    for _lang, text in translated[1:20]:
        _sub(_sub(article, "titles"), "title", text)


def _face_markup(target: etree._Element, source: etree._Element) -> None:
    """JATS inline emphasis as Crossref face markup (i, b, sup …); anything else as text.

    White space is folded as in the plain title, so marked-up and plain titles compare equal.
    """
    target.text = source.text or ""
    last: etree._Element | None = None
    for child in source:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in _FACES:
            el = _sub(target, _FACES[name])
            _face_markup(el, child)
            el.tail = child.tail
            last = el
        else:
            text = " ".join("".join(child.itertext()).split()) if name else ""
            text += child.tail or ""
            if last is None:
                target.text = (target.text or "") + text
            else:
                last.tail = (last.tail or "") + text
    _fold_space(target)


def _fold_space(el: etree._Element) -> None:
    """Collapse runs of white space across text and tails, trimming the ends of the title."""
    for node in el.iter():
        if node.text:
            node.text = re.sub(r"\s+", " ", node.text)
        if node.tail and node is not el:
            node.tail = re.sub(r"\s+", " ", node.tail)
    if el.text:
        el.text = el.text.lstrip()
    last = el[-1] if len(el) else None
    if last is None:
        el.text = (el.text or "").rstrip()
    elif last.tail:
        last.tail = last.tail.rstrip()


def _contributor_role(c: Contributor) -> str:
    return _ROLES.get(c.contrib_type.lower(), "")


def _contributors(article: etree._Element, meta: ArticleMeta) -> None:
    people = [c for c in meta.contributors if _contributor_role(c)]
    people = [c for c in people if c.collab or c.surname or c.given_names]
    if not people:
        return
    first_author = next((c for c in people if _contributor_role(c) == "author"), people[0])
    box = _sub(article, "contributors")
    for c in people:
        attrs = {
            "sequence": "first" if c is first_author else "additional",
            "contributor_role": _contributor_role(c),
        }
        if c.collab and not c.surname:
            _sub(box, "organization", _clip(c.collab, 511), **attrs)
            continue
        person = _sub(box, "person_name", **attrs)
        given, surname = _name_part(c.given_names), _name_part(c.surname)
        if surname:
            if given:
                _sub(person, "given_name", given)
            _sub(person, "surname", surname)
        else:
            # Only a given name (mononym): Crossref then takes the full name alone.
            _sub(person, "name", given)
        for _lang, native in c.native_names:
            native = _name_part(native)
            if native:
                _sub(person, "name", native)
        if c.suffix:
            _sub(person, "suffix", _clip(c.suffix, 10))
        _affiliations(person, meta, c)
        if c.orcid:
            _sub(
                person,
                "ORCID",
                f"https://orcid.org/{c.orcid}",
                authenticated="true" if c.orcid_authenticated else "false",
            )


def _affiliations(person: etree._Element, meta: ArticleMeta, c: Contributor) -> None:
    affs = [meta.affiliations[a] for a in c.affiliation_ids if a in meta.affiliations]
    usable = []
    for aff in affs:
        name = _clip(aff.institution or aff.text, 1024)
        # Crossref takes ROR ids in their https URL form only.
        ror = (identifiers.ror_url(aff.ror) if aff.ror else None) or ""
        if name or ror:
            usable.append((aff, name, ror))
    if not usable:
        return
    box = _sub(person, "affiliations")
    for aff, name, ror in usable:
        # The schema's order: the institution (name and/or id), then place and department.
        inst = _sub(box, "institution")
        if name:
            _sub(inst, "institution_name", name)
        if ror:
            _sub(inst, "institution_id", ror, type="ror")
        # institution_place and _department take 2 to 255 characters
        if aff.institution and len(aff.city) >= 2:
            _sub(inst, "institution_place", _clip(aff.city, 255))
        if aff.institution and len(aff.department) >= 2:
            _sub(inst, "institution_department", _clip(aff.department, 255))


def _jats_inline(target: etree._Element, source: etree._Element) -> None:
    """Copy text and the simple inline markup of ``source`` into ``target`` (JATS1 ns)."""
    target.text = source.text or ""
    last: etree._Element | None = None
    for child in source:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in _INLINE:
            el = etree.SubElement(target, f"{{{JATS}}}{name}")
            _jats_inline(el, child)
            el.tail = child.tail
            last = el
        else:
            # Formulas, links, citations: their text, so nothing the schema rejects gets in.
            text = "" if not name else " ".join("".join(child.itertext()).split())
            text += child.tail or ""
            if last is None:
                target.text = (target.text or "") + text
            else:
                last.tail = (last.tail or "") + text


def _jats_block(target: etree._Element, source: etree._Element) -> None:
    """title?, paragraphs, then sections: the part of JATS abstract-model we deposit."""
    title = source.find("title")
    if title is not None and "".join(title.itertext()).strip():
        _jats_inline(etree.SubElement(target, f"{{{JATS}}}title"), title)
    paragraphs: list[etree._Element] = []
    sections: list[etree._Element] = []
    for child in source:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name == "sec":
            sections.append(child)
        elif name == "p":
            paragraphs.append(child)
        elif name in ("list", "disp-quote", "statement", "boxed-text"):
            paragraphs.extend(child.iter("p"))
    if not paragraphs and not sections:
        text = " ".join("".join(source.itertext()).split())
        if title is not None:
            text = text.removeprefix(" ".join("".join(title.itertext()).split())).strip()
        if text:
            etree.SubElement(target, f"{{{JATS}}}p").text = text
    for p in paragraphs:
        _jats_inline(etree.SubElement(target, f"{{{JATS}}}p"), p)
    for sec in sections:
        _jats_block(etree.SubElement(target, f"{{{JATS}}}sec"), sec)


def _abstracts(article: etree._Element, meta: ArticleMeta) -> None:
    for abstract in meta.abstracts:
        if not abstract.text or abstract.abstract_type in ("graphical", "teaser", "toc"):
            continue
        el = etree.SubElement(article, f"{{{JATS}}}abstract")
        if abstract.lang:
            el.set(XML_LANG, abstract.lang)
        if abstract.abstract_type:
            el.set("abstract-type", abstract.abstract_type)
        _abstract_content(el, abstract)


def _abstract_content(el: etree._Element, abstract: Abstract) -> None:
    if abstract.element is not None:
        _jats_block(el, abstract.element)
    if len(el) == 0:
        etree.SubElement(el, f"{{{JATS}}}p").text = abstract.text


def _funding(parent: etree._Element, meta: ArticleMeta) -> None:
    # One fundgroup per funder, with all its awards (JATS often repeats the funder per award).
    groups: dict[tuple[str, str], Funding] = {}
    for f in meta.funding:
        if f.source:
            merged = groups.setdefault((f.source, f.funder_id), Funding(f.source, f.funder_id))
            merged.award_ids.extend(a for a in f.award_ids if a not in merged.award_ids)
    if not groups:
        return
    program = etree.SubElement(parent, f"{{{FR}}}program", name="fundref")
    for funding in groups.values():
        group = etree.SubElement(program, f"{{{FR}}}assertion", name="fundgroup")
        funder = etree.SubElement(group, f"{{{FR}}}assertion", name="funder_name")
        funder.text = _clip(funding.source, 1024)
        m = _FUNDER_DOI_RE.search(funding.funder_id)
        if m:
            # Crossref's fundref module takes Funder Registry ids; a ROR id has no slot here.
            ident = etree.SubElement(funder, f"{{{FR}}}assertion", name="funder_identifier")
            ident.text = f"https://doi.org/{m[0]}"
        for award in funding.award_ids:
            if award.strip():
                number = etree.SubElement(group, f"{{{FR}}}assertion", name="award_number")
                number.text = award.strip()


def _licence(parent: etree._Element, meta: ArticleMeta, profile: JournalProfile) -> None:
    url = meta.license_url if re.match(r"(?i)(https?|ftp)://.{3,}", meta.license_url) else ""
    url = url or profile.licence_url
    if not url:
        return
    start = _online_date(meta) or meta.publication_date
    program = etree.SubElement(parent, f"{{{AI}}}program", name="AccessIndicators")
    free = etree.SubElement(program, f"{{{AI}}}free_to_read")
    if start:
        free.set("start_date", _iso_date(start))
    for applies_to in ("vor", "am", "tdm"):
        ref = etree.SubElement(program, f"{{{AI}}}license_ref", applies_to=applies_to)
        if start:
            ref.set("start_date", _iso_date(start))
        ref.text = url


def _crossmark(
    article: etree._Element, meta: ArticleMeta, profile: JournalProfile, cfg: DepositSettings
) -> None:
    mark = _sub(article, "crossmark")
    _sub(mark, "crossmark_version", "1")
    _sub(mark, "crossmark_policy", cfg.crossmark_policy)
    if cfg.crossmark_domains:
        domains = _sub(mark, "crossmark_domains")
        for domain in cfg.crossmark_domains:
            _sub(_sub(domains, "crossmark_domain"), "domain", domain)
        _sub(mark, "crossmark_domain_exclusive", "false")
    custom = _sub(mark, "custom_metadata")
    order = itertools.count()
    for key, label in (("received", "Received"), ("accepted", "Accepted")):
        if key in meta.history:
            _sub(
                custom,
                "assertion",
                _iso_date(meta.history[key]),
                name=key,
                label=label,
                group_name="publication_history",
                group_label="Publication History",
                order=str(next(order)),
            )
    _funding(custom, meta)
    _licence(custom, meta, profile)
    if len(custom) == 0:
        mark.remove(custom)


def _doi_data(
    article: etree._Element, doi: str, profile: JournalProfile, cfg: DepositSettings
) -> None:
    data = _sub(article, "doi_data")
    _sub(data, "doi", doi)
    _sub(data, "resource", cfg.url(cfg.landing_url, profile, doi))
    pdf, xml = cfg.url(cfg.pdf_url, profile, doi), cfg.url(cfg.xml_url, profile, doi)
    # Similarity Check crawls the PDF ("iParadigms" is the crawler name Crossref expects).
    crawl = _sub(data, "collection", property="crawler-based")
    _sub(_sub(crawl, "item", crawler="iParadigms"), "resource", pdf)
    mining = _sub(data, "collection", property="text-mining")
    _sub(_sub(mining, "item"), "resource", pdf, mime_type="application/pdf")
    _sub(_sub(mining, "item"), "resource", xml, mime_type="application/xml")


def _unstructured(ref: Reference) -> str:
    """The reference as one string: the mixed citation as written, or composed from fields."""
    if ref.citation_kind not in ("element-citation", "nlm-citation") or not ref.use_fields:
        return ref.text
    names = [" ".join(p for p in (s, g) if p) for s, g in ref.authors] or (
        [ref.collab] if ref.collab else []
    )
    parts = []
    if names:
        parts.append(", ".join(names[:6]) + (" et al." if len(names) > 6 else ""))
    if ref.year:
        parts.append(f"({ref.year})")
    head = " ".join(parts)
    pieces = [head] if head else []
    if ref.article_title:
        pieces.append(ref.article_title)
    where = ref.source
    if ref.volume:
        where += f", {ref.volume}" + (f"({ref.issue})" if ref.issue else "")
    pages = "–".join(p for p in (ref.fpage, ref.lpage) if p) or ref.elocation_id
    if pages:
        where += f", {pages}"
    if where.strip(", "):
        pieces.append(where.strip(", "))
    if ref.doi:
        pieces.append(f"https://doi.org/{ref.doi}")
    composed = ". ".join(p.rstrip(".") for p in pieces if p)
    if not composed:
        return ref.text
    return composed if ref.doi else composed + "."


def _citations(article: etree._Element, meta: ArticleMeta) -> None:
    if not meta.references:
        return
    box = _sub(article, "citation_list")
    seen: set[str] = set()
    for index, ref in enumerate(meta.references, 1):
        key = _clip(ref.id or f"ref{index}", 128)
        if key in seen:
            key = f"{key}-{index}"
        seen.add(key)
        cit = _sub(box, "citation", key=key)
        doi = strip_doi_resolver(ref.doi) if ref.doi else ""
        if doi and is_valid_doi(doi):
            _sub(cit, "doi", doi)
        # fields the house rule doubts are not deposited: the author's text says it all
        if ref.use_fields:
            kind = ref.publication_type
            if ref.source and kind in ("journal", "", "article"):
                _sub(cit, "journal_title", ref.source)
            elif ref.source:
                _sub(cit, "volume_title", ref.source)
            first = ref.authors[0][0] if ref.authors else ref.collab
            if first:
                _sub(cit, "author", first)
            if ref.volume:
                _sub(cit, "volume", _clip(ref.volume, 32))
            if ref.issue:
                _sub(cit, "issue", _clip(ref.issue, 32))
            if ref.fpage:
                _sub(cit, "first_page", _clip(ref.fpage, 32))
            if ref.elocation_id:
                _sub(cit, "elocation_id", ref.elocation_id)
            if ref.year:
                _sub(cit, "cYear", ref.year)
            if ref.article_title and kind in ("journal", "", "article"):
                _sub(cit, "article_title", ref.article_title)
        text = _unstructured(ref)
        if text:
            _sub(cit, "unstructured_citation", text)
        if len(cit) == 0:
            box.remove(cit)
    if len(box) == 0:
        article.remove(box)


def _journal_article(
    journal: etree._Element, meta: ArticleMeta, profile: JournalProfile, cfg: DepositSettings
) -> str:
    try:
        doi = validate_doi(meta.doi)
    except InvalidDOI as exc:
        raise DepositError(f"article {meta.title[:60]!r}: {exc}") from exc
    online, printed = _online_date(meta), _print_date(meta)
    if online is None and printed is None:
        online = meta.publication_date
    if online is None and printed is None:
        raise DepositError(f"article {doi} has no publication date (pub-date)")
    attrs = {"publication_type": "full_text"}
    if language_code(meta.language):
        attrs["language"] = language_code(meta.language)
    article = _sub(journal, "journal_article", **attrs)
    _titles(article, meta)
    _contributors(article, meta)
    _abstracts(article, meta)
    if online:
        _date(article, "publication_date", online, "online")
    if printed:
        _date(article, "publication_date", printed, "print")
    if "accepted" in meta.history:
        _date(article, "acceptance_date", meta.history["accepted"], "online")
    if meta.fpage:
        pages = _sub(article, "pages")
        _sub(pages, "first_page", _clip(meta.fpage, 32))
        if meta.lpage:
            _sub(pages, "last_page", _clip(meta.lpage, 32))
    if meta.elocation_id:
        item = _sub(article, "publisher_item")
        _sub(item, "item_number", _clip(meta.elocation_id, 32), item_number_type="article_number")
    if cfg.crossmark_policy:
        _crossmark(article, meta, profile, cfg)
    else:
        _funding(article, meta)
        _licence(article, meta, profile)
    _doi_data(article, doi, profile, cfg)
    _citations(article, meta)
    return doi


# --- journal and batch -------------------------------------------------------------------


def _journal_metadata(journal: etree._Element, profile: JournalProfile) -> None:
    attrs = {"language": language_code(profile.language)} if profile.language else {}
    jm = _sub(journal, "journal_metadata", **attrs)
    _sub(jm, "full_title", _clip(profile.title, 255))
    if profile.abbreviation:
        _sub(jm, "abbrev_title", _clip(profile.abbreviation, 150))
    if profile.issn_online:
        _sub(jm, "issn", profile.issn_online, media_type="electronic")
    if profile.issn_print:
        _sub(jm, "issn", profile.issn_print, media_type="print")
    if profile.journal_doi:
        data = _sub(jm, "doi_data")
        _sub(data, "doi", validate_doi(profile.journal_doi))
        _sub(data, "resource", profile.base_url.rstrip("/") + "/")


def _journal_issue(journal: etree._Element, metas: Sequence[ArticleMeta]) -> None:
    first = metas[0]
    online = [d for m in metas if (d := _online_date(m) or m.publication_date)]
    printed = [d for m in metas if (d := _print_date(m) or m.pub_dates.get("collection"))]
    issue = _sub(journal, "journal_issue")
    if online:
        _date(issue, "publication_date", min(online, key=PartialDate.as_date), "online")
    if printed:
        _date(issue, "publication_date", min(printed, key=PartialDate.as_date), "print")
    if first.volume:
        _sub(_sub(issue, "journal_volume"), "volume", _clip(first.volume, 32))
    if first.issue:
        _sub(issue, "issue", _clip(first.issue, 32))


def build_deposit(
    articles: Iterable[etree._ElementTree | etree._Element | ArticleMeta],
    profile: JournalProfile,
    settings: DepositSettings | None = None,
    *,
    batch_id: str | None = None,
    timestamp: int | None = None,
) -> Deposit:
    """The deposit for one or more articles (JATS trees or already-read metadata).

    Articles of the same volume and issue share one ``journal`` element with its
    ``journal_issue`` (the schema allows one issue per ``journal``); articles outside an
    issue go into a ``journal`` without one. Raises :class:`DepositError` when an article
    lacks what Crossref requires, naming the article.
    """
    cfg = settings or DepositSettings()
    metas = [a if isinstance(a, ArticleMeta) else read_article_meta(a) for a in articles]
    if not metas:
        raise DepositError("no articles to deposit")
    timestamp = timestamp if timestamp is not None else next_timestamp()
    batch_id = batch_id or new_batch_id(profile, timestamp)
    if not MIN_BATCH_ID_LENGTH <= len(batch_id) <= MAX_BATCH_ID_LENGTH:
        raise DepositError(
            f"doi_batch_id must be {MIN_BATCH_ID_LENGTH}-{MAX_BATCH_ID_LENGTH} characters, "
            f"got {len(batch_id)}"
        )

    root = etree.Element(f"{{{CR}}}doi_batch", nsmap=NSMAP, version=CROSSREF_VERSION)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    head = _sub(root, "head")
    _sub(head, "doi_batch_id", batch_id)
    _sub(head, "timestamp", str(timestamp))
    depositor = _sub(head, "depositor")
    _sub(depositor, "depositor_name", _clip(profile.depositor_name or profile.publisher, 130))
    _sub(depositor, "email_address", profile.depositor_email)
    _sub(head, "registrant", _clip(profile.registrant or profile.publisher, 255))
    body = _sub(root, "body")

    groups: dict[tuple[str, str], list[ArticleMeta]] = {}
    for meta in metas:
        groups.setdefault((meta.volume, meta.issue), []).append(meta)
    dois: list[str] = []
    for (volume, issue), members in groups.items():
        journal = _sub(body, "journal")
        _journal_metadata(journal, profile)
        if volume or issue:
            _journal_issue(journal, members)
        for meta in members:
            doi = _journal_article(journal, meta, profile, cfg)
            if doi.lower() in (d.lower() for d in dois):
                raise DepositError(f"DOI {doi} appears twice in one deposit")
            dois.append(doi)
    return Deposit(etree.ElementTree(root), batch_id, timestamp, dois)


def deposit_xml(
    articles: Iterable[etree._ElementTree | etree._Element | ArticleMeta],
    profile: JournalProfile,
    settings: DepositSettings | None = None,
) -> bytes:
    """The deposit as UTF-8 bytes (see :func:`build_deposit`)."""
    return build_deposit(articles, profile, settings).to_bytes()


__all__ = [
    "CR",
    "JATS",
    "Deposit",
    "DepositError",
    "DepositSettings",
    "build_deposit",
    "deposit_xml",
    "language_code",
    "next_timestamp",
]
