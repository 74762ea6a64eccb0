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
MAX_NAMES = 20  # more authors than this print as the first twenty and "et al." (APA)
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
        name = f"{surname} {initials(_text(el.find('given-names')))}".strip()
        return " ".join(filter(None, (name, _text(el.find("suffix")))))
    if kind == "name-alternatives":  # the first, the others in brackets
        forms = [_person(c) for c in el if isinstance(c.tag, str)]
        forms = [f for f in forms if f]
        return forms[0] + "".join(f" ({f})" for f in forms[1:]) if forms else ""
    return _text(el)  # string-name, collab, anonymous


_PEOPLE = ("name", "string-name", "collab", "name-alternatives", "anonymous")


def _names(people: list[etree._Element], etal: bool) -> str:
    persons = [_person(p) for p in people if _local(p) != "collab"]
    groups = [_person(p) for p in people if _local(p) == "collab"]
    if len(persons) > MAX_NAMES or (persons and etal):
        # a long list is cut after MAX_NAMES people; a group named with them still shows
        return ", ".join([*filter(None, persons[:MAX_NAMES]), "et al.", *filter(None, groups)])
    return ", ".join(n for n in (_person(p) for p in people) if n)


def _part(editors: etree._Element, count: int) -> str:
    """What editors are called: their own role word ("Coord", "Hrsg.") or eds / ed."""
    return _text(editors.find("role")) or ("eds" if count > 1 else "ed.")


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
    editors = _group(cit, "editor", "compiler")
    title = next((t for t in (cit.find(n) for n in _TITLES) if t is not None and _text(t)), None)
    # editors stand first for a work without authors, after "In:" before a chapter's book
    lead = authors if authors is not None or title is not None else editors
    _lead_and_year(cit, w, lead, editors)
    if title is not None:
        w.content(title)
        w.text(" " if w.ends_sentence() else ". ")
    _other_people(cit, w, lead, editors)
    _source_and_details(cit, w)
    _rest(cit, w)
    _links(cit, w)
    return out


def _lead_and_year(
    cit: etree._Element, w: _Writer, lead: etree._Element | None, editors: etree._Element | None
) -> None:
    """``Names (Year). ``: the authors (or the editors of a work without authors, or the
    people named outside any group) and the year with its day and month."""
    if lead is not None:
        people = [c for c in lead if _local(c) in _PEOPLE]
        etal = lead.find("etal") is not None
    else:
        people = [c for c in cit if _local(c) in _PEOPLE]
        etal = cit.find("etal") is not None
    names = _names(people, etal)
    if names and lead is editors and editors is not None:
        names += f" ({_part(editors, len(people))})"
    year = _text(cit.find("year")) or _text(cit.find("date/year"))
    day, month = _text(cit.find("day")), _text(cit.find("month"))
    numeric = day.isdigit() and month.isdigit()
    day_month = (".".join if numeric else " ".join)(filter(None, (day, month)))
    if year and day_month:
        year = f"{year}, {day_month}"
    if names:
        w.text(f"{names} ({year}). " if year else names.rstrip(".") + ". ")
    elif year:
        w.text(f"({year}). ")


def _other_people(
    cit: etree._Element, w: _Writer, lead: etree._Element | None, editors: etree._Element | None
) -> None:
    """``In: Editors (eds). `` before a chapter's book, then the other groups (translators,
    compilers beside editors ...), each named with its part."""
    if editors is not None and lead is not editors:
        editor_people = [c for c in editors if _local(c) in _PEOPLE]
        named = _names(editor_people, False) if editor_people else (editors.text or "").strip()
        if named:
            w.text(f"In: {named} ({_part(editors, max(len(editor_people), 2))}). ")
    for group in cit.findall("person-group"):
        if group is lead or group is editors:
            continue
        group_people = [c for c in group if _local(c) in _PEOPLE]
        # some groups hold their names as text ("Hendrix RW, Roberts JW")
        named = _names(group_people, False) if group_people else (group.text or "").strip()
        if named:
            part = _text(group.find("role")) or group.get("person-group-type") or ""
            w.text(named + (f" ({part}). " if part else ". "))


def _source_and_details(cit: etree._Element, w: _Writer) -> None:
    """``*Source*, volume(issue), pages. Place: Publisher.``"""
    source = cit.find("source")
    if source is not None and _text(source):
        w.content(source, "italic")
    details = ""
    volume, issue = _text(cit.find("volume")), _text(cit.find("issue"))
    if volume or issue:
        details += f", {volume}" + (f"({issue})" if issue else "")
    fpage, lpage = _text(cit.find("fpage")), _text(cit.find("lpage"))
    elocation = _text(cit.find("elocation-id"))
    if fpage:
        details += f", {fpage}" + (f"–{lpage}" if lpage else "")
    elif elocation:
        details += f", {elocation}"
    # "Place: Publisher", each pair (a book published in two places names both)
    places = [_text(e) for e in cit.findall("publisher-loc")]
    publishers = [_text(e) for e in cit.findall("publisher-name")]
    imprints = [
        ": ".join(filter(None, pair))
        for pair in zip(
            places + [""] * (len(publishers) - len(places)),
            publishers + [""] * (len(places) - len(publishers)),
            strict=True,
        )
    ]
    if any(imprints):
        details += ". " + "; ".join(filter(None, imprints))
    if source is None or not _text(source):
        details = details.lstrip(", ").lstrip(". ")
    if details or (source is not None and _text(source)):
        w.text(details.rstrip(".") + ".")


# What the style above places, or leaves out on purpose (editors are placed with a
# chapter; identifiers and links by _links).
_PLACED = frozenset(
    {
        "person-group",
        *_PEOPLE,
        "etal",
        "year",
        *_TITLES,
        "source",
        "volume",
        "issue",
        "fpage",
        "lpage",
        "elocation-id",
        "publisher-loc",
        "publisher-name",
        "ext-link",
        "uri",
        "label",
        "x",
        "annotation",
        "day",
        "month",
    }
)


def _rest(cit: etree._Element, w: _Writer) -> None:
    """The parts the style does not place, in their order (a comment with its link, an
    edition, a conference, a series, a date other than the year...): nothing tagged is
    lost."""
    for el in cit:
        name = _local(el)
        if not name or name in _PLACED or not _text(el):
            continue
        if name == "pub-id" and el.get("pub-id-type") in ("doi", "pmid", "arxiv"):
            continue
        if name == "date-in-citation" and el.get("content-type") == "access-date":
            continue
        if (
            name == "date"
            and _text(el.find("year"))
            and (cit.find("year") is None or _text(el) == _text(el.find("year")))
        ):
            continue  # the year printed is this date's
        w.text(" ")
        w.content(el)
        if not w.ends_sentence():
            w.text(".")


def _href(link: etree._Element | None) -> str:
    return "" if link is None else (link.get(f"{{{XLINK}}}href") or _text(link)).strip()


def _links(cit: etree._Element, w: _Writer) -> None:
    """The DOI as its link, the web links (with the access date), a preprint's arXiv id
    when there is no other link, and a PubMed link."""
    ids = {p.get("pub-id-type", ""): _text(p) for p in reversed(cit.findall("pub-id"))}
    doi = ids.get("doi", "")
    if not doi:
        doi_link = next(
            (
                e
                for e in cit
                if _local(e) in ("ext-link", "uri")
                and (e.get("ext-link-type") == "doi" or "doi.org/" in _href(e))
            ),
            None,
        )
        doi = _href(doi_link).split("doi.org/")[-1] if doi_link is not None else ""
    if doi and doi.lower() not in "".join(w.out.itertext()).lower():
        w.text(" ")
        w.link(f"https://doi.org/{doi}", f"https://doi.org/{doi}", "doi")
    web = [
        e
        for e in cit
        if _local(e) in ("ext-link", "uri")
        and e.get("ext-link-type") != "doi"
        and "doi.org/" not in (e.get(f"{{{XLINK}}}href") or _text(e))
    ]
    for link in web:
        url = link.get(f"{{{XLINK}}}href") or _text(link)
        w.text(" ")
        w.link(url, _text(link) or url)
    accessed = cit.find("date-in-citation[@content-type='access-date']")
    if _text(accessed):
        w.text(f" (accessed {_text(accessed)})")
    if not doi and not web and ids.get("arxiv"):
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
