"""The crosswalks: an article's record metadata in each format a harvester may ask for,
simple Dublin Core (``oai_dc``, from :mod:`..citations`, so a record says what the
article page and the citation downloads say) and the article's own JATS."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from frontiers_de.articles.models import Article
from frontiers_de.production.jats.sanitise import sanitise
from frontiers_de.publishing.citations import Citation
from frontiers_de.publishing.oai.protocol import _NOT_XML_RE
from frontiers_de.xml.safe import XMLInputError, parse_xml
from frontiers_de.xml.schemas import JATS_OAI_NAMESPACE

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JATS_OAI_NS = JATS_OAI_NAMESPACE
JATS_SCHEMA = "https://jats.nlm.nih.gov/publishing/1.3/xsd/JATS-journalpublishing1-3-mathml3.xsd"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS),
    "jats": MetadataFormat("jats", JATS_SCHEMA, JATS_OAI_NS),
}


def _jats_tree(article: Article) -> etree._ElementTree | None:
    if not article.jats_xml:
        return None
    try:
        return parse_xml(article.jats_xml.encode("utf-8"))
    except XMLInputError:
        return None


# Attributes of JATS 1.3 (and its MathML and ALI modules) that hold IDs, and those that
# refer to them (types xsd:ID and xsd:IDREF/IDREFS in the schema).
_ID_ATTRIBUTE = "id"
_IDREF_ATTRIBUTES = (
    "rid",
    "headers",
    "continued-from",
    "glyph-data",
    "pointer-to-explained",
    "pointer-to-question",
)
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def id_prefix(article: Article) -> str:
    """What goes before each ID of the article's JATS in a record: IDs must be unique in
    the whole response, and one ListRecords page holds several articles, each with its
    ``aff1``. Made from the DOI, so it is the same in every response."""
    local = article.doi or f"article-{article.id}"
    return "_" + re.sub(r"[^A-Za-z0-9._-]", "_", local) + "-"


def jats_metadata(root: etree._Element, prefix: str = "") -> etree._Element:
    """A copy of the JATS ``<article>`` with its un-namespaced elements in
    :data:`JATS_OAI_NS` and a schemaLocation, as OAI-PMH record metadata must be; with
    ``prefix`` in front of every ID and every reference to one (``rid``, ``#`` links)."""
    # Published JATS has passed the house rules, but one stored before they refused foreign
    # markup must not reach harvesters with it either.
    root = sanitise(deepcopy(root)).root
    nsmap: dict[str | None, str] = {k: v for k, v in root.nsmap.items() if k}
    nsmap[None] = JATS_OAI_NS
    nsmap.setdefault("xsi", XSI_NS)
    article = etree.Element(f"{{{JATS_OAI_NS}}}article", nsmap=nsmap)
    for name, value in root.attrib.items():
        article.set(name, value)
    article.set(f"{{{XSI_NS}}}schemaLocation", f"{JATS_OAI_NS} {JATS_SCHEMA}")
    article.text = root.text
    for child in root:
        article.append(child)
    for el in article.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace is None:
            el.tag = f"{{{JATS_OAI_NS}}}{el.tag}"
        if not prefix:
            continue
        if _ID_ATTRIBUTE in el.attrib:
            el.set(_ID_ATTRIBUTE, prefix + el.get(_ID_ATTRIBUTE, "").strip())
        for name in _IDREF_ATTRIBUTES:
            if name in el.attrib:
                el.set(name, " ".join(prefix + ref for ref in el.get(name, "").split()))
        href = el.get(_XLINK_HREF)
        if href and href.startswith("#") and len(href) > 1:
            el.set(_XLINK_HREF, "#" + prefix + href[1:])
    return article


def dublin_core(c: Citation) -> etree._Element:
    """Simple Dublin Core (``oai_dc``) for one article."""
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def put(name: str, value: str, lang: str | None = None) -> None:
        value = " ".join(_NOT_XML_RE.sub("", value).split())
        if value:
            el = etree.SubElement(dc, f"{{{DC_NS}}}{name}")
            el.text = value
            if lang:
                el.set(XML_LANG, lang)

    put("title", c.title, c.language)
    for lang, title in c.trans_titles:
        put("title", title, lang)
    for person in c.authors:
        put("creator", person.inverted_name)
    for keyword in c.keywords:
        put("subject", keyword, c.language)
    put("description", c.abstract, c.language)
    for lang, text in c.trans_abstracts:
        put("description", text, lang)
    put("publisher", c.publisher)
    if c.published is not None:
        put("date", c.published.iso())
    put("type", "Text")
    put("type", "info:eu-repo/semantics/article")
    if c.heading:
        put("type", c.heading)
    if c.pdf_url:
        put("format", "application/pdf")
    if c.doi:
        put("identifier", f"https://doi.org/{c.doi}")
    put("identifier", c.url)
    put("source", dc_source(c))
    for issn in c.issns:
        put("source", f"ISSN {issn}")
    put("language", c.language)
    put("rights", c.licence_url)
    return dc


def dc_source(c: Citation) -> str:
    """Dublin Core ``source``: the journal with the article's volume, issue, year and pages
    (``Journal; Vol. 2 No. 1 (2026); e0001``), as oai_dc and the page's DC tags give it."""
    source = c.journal_title
    if c.volume:
        source += f"; Vol. {c.volume}"
        if c.issue:
            source += f" No. {c.issue}"
        if c.year:
            source += f" ({c.year})"
    if c.locator:
        source += f"; {c.locator}"
    return source
