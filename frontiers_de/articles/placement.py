"""Placement: where and when an article appears (volume, issue, e-location, publication
date), as its JATS says it. The journal decides these, not the author: the rule of which
changes of the JATS are placement only (:func:`placement_only_change`) lives here.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article
from frontiers_de.storage import sha256_hex
from frontiers_de.xml.safe import parse_xml

# The article-meta children that say where and when the article appears. The journal sets
# them (an issue, its e-location, the publication date); they are printed on the PDF but are
# not the author's to approve, so a proof's approval outlives a change of these alone.
PLACEMENT_ELEMENTS = frozenset(
    {"volume", "issue", "elocation-id", "pub-date", "pub-date-not-available"}
)


def content_sha256(jats: str | bytes) -> str:
    """The sha256 of what the author approves in a proof: the JATS without its placement
    (:data:`PLACEMENT_ELEMENTS` of article-meta), in canonical XML, so that neither the
    placement nor the layout of the file (its declaration, the whitespace between
    article-meta's elements) counts."""
    data = jats.encode("utf-8") if isinstance(jats, str) else jats
    root = parse_xml(data).getroot()
    meta = root.find("front/article-meta")
    if meta is not None:
        for child in list(meta.iterchildren(tag=etree.Element)):
            if etree.QName(child).localname in PLACEMENT_ELEMENTS:
                meta.remove(child)
        # article-meta holds elements only: whitespace between them means nothing.
        if meta.text is not None and not meta.text.strip():
            meta.text = None
        for child in meta:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    return sha256_hex(etree.tostring(root, method="c14n"))


def placement_only_change(old_jats: str | bytes, new_jats: str | bytes) -> bool:
    """Whether the new JATS differs from the old one in its placement (volume, issue,
    e-location, publication date) and in nothing else: the one rule that decides whether a
    change of the JATS keeps the author's approval (True) or needs a new proof (False)."""
    old = old_jats.encode("utf-8") if isinstance(old_jats, str) else old_jats
    new = new_jats.encode("utf-8") if isinstance(new_jats, str) else new_jats
    return old != new and content_sha256(old) == content_sha256(new)


def placement_of(db: Session, article: Article) -> dict[str, str]:
    """The article's volume, issue and e-location as its JATS says them (empty when not
    placed)."""
    meta = None
    if article.jats_xml:
        meta = parse_xml(article.jats_xml.encode("utf-8")).getroot().find("front/article-meta")
    if meta is None:
        return {"volume": "", "issue": "", "elocation": ""}
    return {
        "volume": (meta.findtext("volume") or "").strip(),
        "issue": (meta.findtext("issue") or "").strip(),
        "elocation": (meta.findtext("elocation-id") or "").strip(),
    }


# What follows pub-date in article-meta (JATS 1.3): a new pub-date goes before the first.
AFTER_PUB_DATE = [
    "volume",
    "volume-id",
    "volume-series",
    "issue",
    "issue-id",
    "issue-title",
    "issue-title-group",
    "issue-sponsor",
    "issue-part",
    "volume-issue-group",
    "isbn",
    "supplement",
    "fpage",
    "lpage",
    "page-range",
    "elocation-id",
    "email",
    "ext-link",
    "uri",
    "product",
    "supplementary-material",
    "history",
    "pub-history",
    "permissions",
    "self-uri",
    "related-article",
    "related-object",
    "abstract",
    "trans-abstract",
    "kwd-group",
    "funding-group",
    "support-group",
    "conference",
    "counts",
    "custom-meta-group",
]


def stamp_publication_date(tree: etree._ElementTree, when: dt.date) -> bool:
    """Make ``when`` the JATS's electronic publication date: it replaces the
    ``pub-date-not-available`` the conversion writes, or a planned date that was not kept.
    Returns False when the JATS already says ``when``."""
    meta = tree.getroot().find("front/article-meta")
    if meta is None:
        return False
    pub = etree.Element(
        "pub-date",
        {
            "publication-format": "electronic",
            "date-type": "pub",
            "iso-8601-date": when.isoformat(),
        },
    )
    for name, value in (("day", f"{when.day:02d}"), ("month", f"{when.month:02d}")):
        etree.SubElement(pub, name).text = value
    etree.SubElement(pub, "year").text = str(when.year)
    for existing in meta.findall("pub-date"):
        if existing.get("date-type", existing.get("pub-type", "pub")) not in ("pub", "epub"):
            continue
        if existing.get("publication-format", "electronic") != "electronic":
            continue
        parts = [existing.findtext(n, "").strip() for n in ("year", "month", "day")]
        if parts == [str(when.year), f"{when.month:02d}", f"{when.day:02d}"]:
            return False
        pub.tail = existing.tail
        meta.replace(existing, pub)
        return True
    placeholder = meta.find("pub-date-not-available")
    if placeholder is not None:
        pub.tail = placeholder.tail
        meta.replace(placeholder, pub)
        return True
    following = next(
        (
            c
            for c in meta.iterchildren(tag=etree.Element)
            if etree.QName(c).localname in AFTER_PUB_DATE
        ),
        None,
    )
    if following is not None:
        pub.tail = following.tail
        following.addprevious(pub)
    else:
        meta.append(pub)
    return True
