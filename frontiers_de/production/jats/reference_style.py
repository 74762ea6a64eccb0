"""A reference in the journal's style: one formatter for the PDF and the reader page.

:func:`styled_citation` turns a ``<ref>`` whose tagged fields can stand for it into a JATS
``<mixed-citation>`` that carries the journal's punctuation as text between the fields:

    Nielsen AAK, Voigt CA (2018). Deep learning to predict the lab-of-origin of engineered
    DNA. *Nature Communications*, 9, 3135. https://doi.org/10.1038/s41467-018-05378-z

The PDF (``typesetting/printhtml.py``) and the reader page (``jats/html.py``, whose
stylesheet calls this through an extension function) render that element as they render
any author-written mixed citation, so both print the same words for the same reference;
the markup inside a title or a source (italic, sub- and superscripts, formulas) is copied
and goes through each output's own filter. A reference whose fields cannot be trusted
(:func:`.rules.reference_fields.fields_trusted`) beside the author's own text gives None:
each output shows that text as written.
"""

from __future__ import annotations

import copy

from lxml import etree

from frontiers_de.production.jats.meta import citations_of
from frontiers_de.production.jats.rules.reference_fields import fields_trusted

XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STRUCTURED = ("element-citation", "nlm-citation")
MAX_NAMES = 6  # more authors than this print as the first six and "et al."
_TITLES = ("article-title", "chapter-title", "data-title")


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def initials(given: str) -> str:
    """ "Benjamin D." → "BD"; given names already written as initials ("AAK") stay."""
    words = given.replace("-", " ").replace(".", " ").split()
    return "".join(w if w.isupper() and len(w) <= 3 else w[0] for w in words)


def carries_own_wording(citation: etree._Element) -> bool:
    """A mixed citation with text between its parts: the author's punctuation, printable as
    written (a mixed citation of bare tagged parts is not)."""
    if _local(citation) not in ("mixed-citation", "citation"):
        return False
    return bool((citation.text or "").strip() + "".join((c.tail or "") for c in citation).strip())


def _person(el: etree._Element) -> str:
    kind = _local(el)
    if kind == "name":
        surname = " ".join(filter(None, (_text(el.find("prefix")), _text(el.find("surname")))))
        return f"{surname} {initials(_text(el.find('given-names')))}".strip()
    if kind == "name-alternatives":
        first = next((c for c in el if isinstance(c.tag, str)), None)
        return _person(first) if first is not None else ""
    return _text(el)  # string-name, collab, anonymous


_PEOPLE = ("name", "string-name", "collab", "name-alternatives", "anonymous")


def _names(people: list[etree._Element], etal: bool) -> str:
    names = [n for n in (_person(p) for p in people) if n]
    if len(names) > MAX_NAMES or (names and etal):
        names = [*names[:MAX_NAMES], "et al."]
    return ", ".join(names)


def _group(cit: etree._Element, *kinds: str) -> etree._Element | None:
    for group in cit.findall("person-group"):
        if (group.get("person-group-type") or "author") in kinds:
            return group
    return None


class _Writer:
    """Appends text and copied markup to the styled citation."""

    def __init__(self, out: etree._Element) -> None:
        self.out = out

    def text(self, value: str) -> None:
        last = self.out[-1] if len(self.out) else None
        if last is None:
            self.out.text = (self.out.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    def content(self, src: etree._Element, wrapper: str | None = None) -> None:
        """The text and inline markup of ``src`` (in ``<wrapper>`` when given)."""
        target = self.out if wrapper is None else etree.SubElement(self.out, wrapper)
        if wrapper is None:
            self.text(src.text or "")
        else:
            target.text = src.text
        for child in src:
            if isinstance(child.tag, str):
                copied = copy.deepcopy(child)
                copied.tail = child.tail
                target.append(copied)
            elif child.tail:  # a comment's or processing instruction's tail is text
                if len(target):
                    target[-1].tail = (target[-1].tail or "") + child.tail
                else:
                    target.text = (target.text or "") + child.tail

    def link(self, href: str, text: str, kind: str = "uri") -> None:
        link = etree.SubElement(self.out, "ext-link", {"ext-link-type": kind})
        link.set(f"{{{XLINK}}}href", href)
        link.text = text

    def ends_sentence(self) -> bool:
        tail = self.out[-1].tail if len(self.out) else self.out.text
        if not (tail or "").strip() and len(self.out):
            return _text(self.out[-1]).endswith(("?", "!", "."))
        return (tail or "").rstrip().endswith(("?", "!", "."))


def house_style(cit: etree._Element) -> etree._Element:
    """The tagged fields of one citation as a ``<mixed-citation>`` in the journal's style:
    Authors (Year). Title. In: Editors (eds). *Source*, volume(issue), pages. Publisher.
    DOI link (or the link and its access date)."""
    out = etree.Element("mixed-citation", nsmap={"xlink": XLINK})
    for name in ("publication-type", XML_LANG):
        if cit.get(name):
            out.set(name, cit.get(name, ""))
    w = _Writer(out)
    authors = _group(cit, "author", "")
    if authors is not None:
        people = [c for c in authors if _local(c) in _PEOPLE]
        etal = authors.find("etal") is not None
    else:
        people = [c for c in cit if _local(c) in _PEOPLE]
        etal = cit.find("etal") is not None
    names = _names(people, etal)
    year = _text(cit.find("year")) or _text(cit.find("date/year"))
    if names:
        w.text(f"{names} ({year}). " if year else names.rstrip(".") + ". ")
    elif year:
        w.text(f"({year}). ")
    title = next((t for t in (cit.find(n) for n in _TITLES) if t is not None), None)
    if title is not None and _text(title):
        w.content(title)
        w.text(" " if w.ends_sentence() else ". ")
    editors = _group(cit, "editor", "compiler")
    if editors is not None and title is not None and (cit.find("source") is not None):
        editor_names = _names([c for c in editors if _local(c) in _PEOPLE], False)
        if editor_names:
            several = len([c for c in editors if _local(c) in _PEOPLE]) > 1
            w.text(f"In: {editor_names} ({'eds' if several else 'ed.'}). ")
    source = cit.find("source")
    if source is not None and _text(source):
        w.content(source, "italic")
    details = ""
    volume, issue = _text(cit.find("volume")), _text(cit.find("issue"))
    if volume:
        details += f", {volume}" + (f"({issue})" if issue else "")
    fpage, lpage = _text(cit.find("fpage")), _text(cit.find("lpage"))
    elocation = _text(cit.find("elocation-id"))
    if fpage:
        details += f", {fpage}" + (f"–{lpage}" if lpage else "")
    elif elocation:
        details += f", {elocation}"
    place, publisher = _text(cit.find("publisher-loc")), _text(cit.find("publisher-name"))
    if publisher:
        details += ". " + (f"{place}: {publisher}" if place else publisher)
    if source is None or not _text(source):
        details = details.lstrip(", ").lstrip(". ")
    if details or (source is not None and _text(source)):
        w.text(details.rstrip(".") + ".")
    _links(cit, w)
    return out


def _links(cit: etree._Element, w: _Writer) -> None:
    """The DOI as its link; without one, the web link (with its access date) or the
    preprint's arXiv id; and a PubMed link."""
    ids = {p.get("pub-id-type", ""): _text(p) for p in reversed(cit.findall("pub-id"))}
    doi = ids.get("doi", "")
    if not doi:
        doi_link = cit.find("ext-link[@ext-link-type='doi']")
        doi = _text(doi_link).removeprefix("https://doi.org/") if doi_link is not None else ""
    if doi:
        w.text(" ")
        w.link(f"https://doi.org/{doi}", f"https://doi.org/{doi}", "doi")
    else:
        web = next(
            (
                e
                for e in cit
                if _local(e) in ("ext-link", "uri") and e.get("ext-link-type") != "doi"
            ),
            None,
        )
        url = (web.get(f"{{{XLINK}}}href") or _text(web)) if web is not None else ""
        if url:
            w.text(" ")
            w.link(url, _text(web) or url)
            accessed = cit.find("date-in-citation[@content-type='access-date']")
            if _text(accessed):
                w.text(f" (accessed {_text(accessed)})")
        elif ids.get("arxiv"):
            w.text(" ")
            w.link(f"https://arxiv.org/abs/{ids['arxiv']}", f"arXiv:{ids['arxiv']}")
    if ids.get("pmid"):
        w.text(" ")
        w.link(f"https://pubmed.ncbi.nlm.nih.gov/{ids['pmid']}/", f"PMID: {ids['pmid']}", "pmid")


def styled_citation(ref: etree._Element) -> etree._Element | None:
    """The one rendering of ``ref`` in the journal's style, or None when the author's own
    text is what to show (the PDF and the reader page then print it as written).

    The tagged fields are used when there is no text of the author's beside them or when
    they can be trusted; a mixed citation of bare tagged parts (no punctuation of its own)
    is styled too, since it cannot be printed as it stands."""
    citations = citations_of(ref)
    tagged = next((c for c in citations if _local(c) in STRUCTURED), None)
    written = next((c for c in citations if carries_own_wording(c)), None)
    if tagged is not None and (written is None or fields_trusted(ref)):
        return house_style(tagged)
    if written is None and citations:
        return house_style(citations[0])
    return None
