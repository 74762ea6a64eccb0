"""Read an article's metadata out of its JATS: one reader for every output.

The PDF masthead, the Crossref deposit, the article page, citation exports and OAI records
all need the same facts (title, contributors, dates, DOI, licence, references). They read
them here, so a rule such as "which date is the publication date" lives in one place.
Works on JATS 1.1-1.4 and NLM 2.3/3.0 (``pub-type`` as well as ``date-type``).
"""

from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree

from frontiers_de.identifiers import DOI_RE
from frontiers_de.paragraphs import paragraphs
from frontiers_de.production.jats.rules.reference_fields import fields_trusted

XLINK = "http://www.w3.org/1999/xlink"
MML = "http://www.w3.org/1998/Math/MathML"
ALI = "http://www.niso.org/schemas/ali/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)


def text_of(el: etree._Element | None) -> str:
    """All text inside ``el`` with white space folded (MathML and tex-math included).

    A comment or processing instruction holds no article text: it gives "" (lxml's
    ``itertext`` refuses to start from one)."""
    if el is None or not isinstance(el.tag, str):
        return ""
    return " ".join("".join(el.itertext()).split())


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _lang(el: etree._Element, default: str = "") -> str:
    return (el.get(XML_LANG) or default).lower()


@dataclass(frozen=True)
class PartialDate:
    """A JATS date: the year is required, month and day may be missing."""

    year: int
    month: int | None = None
    day: int | None = None

    def as_date(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass
class Affiliation:
    """One ``<aff>``: the text as readers see it, and its parts. ``institution`` is the
    organisation itself (the one a ROR id names); ``department`` the unit inside it."""

    id: str
    text: str
    institution: str = ""
    ror: str = ""
    country: str = ""
    country_code: str = ""
    department: str = ""
    city: str = ""

    @property
    def institution_first(self) -> str:
        """The institution, then its department: what citation tags name an author by."""
        if self.institution:
            return ", ".join(p for p in (self.institution, self.department) if p)
        return self.text


# <institution content-type="…"> values that name a unit inside an institution, not the
# institution itself (JATS "dept"; SciELO's orgdiv1-3; words publishers use).
DEPARTMENT_TYPES = frozenset(
    {"dept", "department", "division", "faculty", "school", "unit", "lab", "laboratory"}
    | {"orgdiv1", "orgdiv2", "orgdiv3"}
)


@dataclass
class Contributor:
    contrib_type: str
    surname: str = ""
    given_names: str = ""
    collab: str = ""
    prefix: str = ""
    suffix: str = ""
    native_names: list[tuple[str, str]] = field(default_factory=list)  # (lang, full name)
    orcid: str = ""
    orcid_authenticated: bool = False
    email: str = ""
    corresponding: bool = False
    affiliation_ids: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # CRediT role names where given
    role_uris: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        if self.collab:
            return self.collab
        return " ".join(p for p in (self.given_names, self.surname) if p)


@dataclass
class Abstract:
    """An abstract: ``paragraphs`` as :func:`frontiers_de.paragraphs.paragraphs` reads them,
    ``text`` those paragraphs joined by a space (for one-line uses)."""

    lang: str
    text: str
    abstract_type: str = ""
    element: etree._Element | None = None
    paragraphs: list[str] = field(default_factory=list)


def _read_abstract(el: etree._Element, lang: str) -> Abstract:
    parts = paragraphs(el)
    return Abstract(lang, " ".join(parts), el.get("abstract-type", ""), el, parts)


@dataclass
class Funding:
    source: str
    funder_id: str = ""  # Funder Registry DOI or ROR, as given
    award_ids: list[str] = field(default_factory=list)


@dataclass
class Reference:
    id: str
    label: str = ""
    publication_type: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (surname, given)
    collab: str = ""
    article_title: str = ""
    source: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    text: str = ""  # the whole reference as one string (mixed-citation or rendered)
    structured: bool = False
    # the tagged fields can stand for the reference (a confident parse that the house rule
    # FDE-REF-004 finds nothing wrong with): outputs use them, else the author's text
    fields_trusted: bool = False
    # the author's own text stands beside the tagged fields (citation-alternatives)
    text_beside_fields: bool = False
    citation_kind: str = ""  # element-citation, mixed-citation, nlm-citation or citation

    @property
    def use_fields(self) -> bool:
        """Whether outputs should build on the tagged fields: they are tagged, and either
        trusted or all there is (no text of the author's to fall back on)."""
        return self.structured and (self.fields_trusted or not self.text_beside_fields)


@dataclass
class ArticleMeta:
    article_type: str = ""
    language: str = "en"
    doi: str = ""
    publisher_id: str = ""
    title: str = ""
    subtitle: str = ""
    trans_titles: list[tuple[str, str]] = field(default_factory=list)  # (lang, title)
    short_title: str = ""
    title_element: etree._Element | None = None  # article-title, for outputs that keep markup
    subjects: list[str] = field(default_factory=list)
    heading: str = ""  # the display type: subj-group-type "heading" (e.g. "Research Article")
    contributors: list[Contributor] = field(default_factory=list)
    affiliations: dict[str, Affiliation] = field(default_factory=dict)
    abstracts: list[Abstract] = field(default_factory=list)
    keywords: dict[str, list[str]] = field(default_factory=dict)  # lang -> keywords
    pub_dates: dict[str, PartialDate] = field(default_factory=dict)
    history: dict[str, PartialDate] = field(default_factory=dict)
    volume: str = ""
    issue: str = ""
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    copyright_statement: str = ""
    copyright_year: str = ""
    copyright_holder: str = ""
    license_url: str = ""
    license_text: str = ""
    funding: list[Funding] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    journal_title: str = ""
    journal_abbrev: str = ""
    issns: dict[str, str] = field(default_factory=dict)  # publication format -> ISSN
    publisher_name: str = ""
    correspondence: list[str] = field(default_factory=list)  # author-notes/corresp texts
    author_notes: list[tuple[str, str]] = field(default_factory=list)  # (fn-type, text)

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.contrib_type in ("author", "")]

    @property
    def publication_date(self) -> PartialDate | None:
        """The first date the article was public: electronic over print over collection."""
        for key in ("epub", "pub", "electronic", "ppub", "print", "collection"):
            if key in self.pub_dates:
                return self.pub_dates[key]
        return next(iter(self.pub_dates.values()), None)

    def abstract(self, lang: str | None = None) -> Abstract | None:
        """The main abstract in ``lang`` (default: the article's language)."""
        lang = (lang or self.language).lower()
        plain = [a for a in self.abstracts if not a.abstract_type]
        for candidate in plain + self.abstracts:
            if candidate.lang == lang:
                return candidate
        return plain[0] if plain else (self.abstracts[0] if self.abstracts else None)


def _date(el: etree._Element) -> PartialDate | None:
    def num(name: str) -> int | None:
        child = el.find(name)
        value = text_of(child)
        return int(value) if value.isdigit() else None

    year = num("year")
    if year is None:
        iso = el.get("iso-8601-date", "")
        m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
        if not m:
            return None
        return PartialDate(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    month = num("month")
    day = num("day")
    if month is not None and not 1 <= month <= 12:
        month, day = None, None
    return PartialDate(year, month, day)


def _date_kind(el: etree._Element) -> str:
    kind = el.get("date-type") or el.get("pub-type") or ""
    if kind == "pub" and el.get("publication-format") == "print":
        return "ppub"
    if kind == "pub" and el.get("publication-format") == "electronic":
        return "epub"
    return kind or "pub"


def _contributor(el: etree._Element, corresp_rids: set[str]) -> Contributor:
    c = Contributor(contrib_type=el.get("contrib-type", ""))
    name = el.find("name")
    if name is None:
        name = el.find("name-alternatives/name")
    if name is not None:
        c.surname = text_of(name.find("surname"))
        c.given_names = text_of(name.find("given-names"))
        c.prefix = text_of(name.find("prefix"))
        c.suffix = text_of(name.find("suffix"))
    for alt in el.findall("name-alternatives/*"):
        lang = _lang(alt)
        if lang and not lang.startswith("en"):
            if _local(alt) == "string-name":
                full = text_of(alt)
            else:
                parts = [text_of(alt.find("surname")), text_of(alt.find("given-names"))]
                full = (
                    "".join(p for p in parts if p)
                    if lang[:2] in ("zh", "ja", "ko")
                    else (" ".join(reversed([p for p in parts if p])))
                )
            c.native_names.append((lang, full))
    c.collab = text_of(el.find("collab"))
    for cid in el.findall("contrib-id"):
        if cid.get("contrib-id-type") == "orcid":
            m = _ORCID_RE.search(text_of(cid))
            if m:
                c.orcid = m[1].upper()
                c.orcid_authenticated = cid.get("authenticated") == "true"
    uri = el.find("uri[@content-type='orcid']")
    if not c.orcid and uri is not None:
        m = _ORCID_RE.search(text_of(uri) or uri.get(f"{{{XLINK}}}href", ""))
        if m:
            c.orcid = m[1].upper()
    c.email = text_of(el.find(".//email"))
    c.corresponding = el.get("corresp") == "yes"
    for xref in el.findall("xref"):
        rid_list = (xref.get("rid") or "").split()
        if xref.get("ref-type") == "aff":
            c.affiliation_ids.extend(rid_list)
        elif xref.get("ref-type") == "corresp" or set(rid_list) & corresp_rids:
            c.corresponding = True
    for role in el.findall("role"):
        c.roles.append(text_of(role))
        if role.get("vocab-term-identifier"):
            c.role_uris.append(role.get("vocab-term-identifier", ""))
    for aff in el.findall("aff"):
        if aff.get("id"):
            c.affiliation_ids.append(aff.get("id", ""))
    return c


def _joined_text(el: etree._Element) -> str:
    """Text of ``el`` in which sibling elements separated by nothing but white space
    (``<institution>…</institution><country>…</country>``) get a comma between them, as a
    reader would write them; inline markup inside running text is left alone."""
    out = el.text or ""
    previous_was_element = False
    separator = ""
    for child in el:
        inner = _joined_text(child) if len(child) else text_of(child)
        if inner and previous_was_element and not separator.strip():
            out = out.rstrip() + ", "
        out += inner
        separator = child.tail or ""
        out += separator
        previous_was_element = bool(inner)
    return " ".join(out.split())


def _affiliation(el: etree._Element, fallback_id: str) -> Affiliation:
    a = Affiliation(id=el.get("id") or fallback_id, text="")
    # The affiliation as readers see it, in document order: without its label and without
    # identifiers (a ROR id is not part of the address).
    copy = deepcopy(el)
    for drop in copy.xpath(".//label | .//institution-id | ./sup"):
        parent = drop.getparent()
        tail = drop.tail or ""
        previous = drop.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + " " + tail
        else:
            parent.text = (parent.text or "") + " " + tail
        parent.remove(drop)
    original = copy.find(".//institution[@content-type='original']")
    if original is not None:
        # SciELO and others keep the affiliation as the author wrote it: that is the text.
        a.text = text_of(original)
    else:
        a.text = _joined_text(copy)
    a.text = re.sub(r"\s+([,;.])", r"\1", a.text).strip(" ,;")
    a.institution, a.department = _institution_and_department(el)
    city = el.find(".//city")
    if city is None:
        city = el.find(".//addr-line[@content-type='city']")
    a.city = text_of(city)
    for iid in el.findall(".//institution-id"):
        value = text_of(iid)
        if iid.get("institution-id-type", "").lower() == "ror" or "ror.org" in value:
            a.ror = value if value.startswith("http") else f"https://ror.org/{value}"
    country = el.find("country")
    if country is not None:
        a.country = text_of(country)
        a.country_code = country.get("country", "")
    return a


def _institution_and_department(aff: etree._Element) -> tuple[str, str]:
    """The institution an ``<aff>`` names and the department inside it, whatever order the
    ``<institution>`` elements come in: a department's ``content-type`` says it is one."""
    institution = ""
    departments: list[str] = []
    fallback = ""
    named = False
    for el in aff.iter("institution"):
        kind = (el.get("content-type") or "").strip().lower()
        value = text_of(el)
        if not value or kind == "original":  # SciELO's verbatim copy of the whole address
            continue
        fallback = fallback or value
        if kind in DEPARTMENT_TYPES:
            departments.append(value)
        elif kind == "orgname" and not named:  # SciELO's name of the institution wins
            institution, named = value, True
        elif not institution:
            institution = value
    if not institution:  # only units given: the first stands for the institution
        return fallback, ""
    return institution, ", ".join(departments)


def _reference(ref: etree._Element) -> Reference:
    r = Reference(id=ref.get("id", ""), label=text_of(ref.find("label")))
    citations = citations_of(ref)
    cit = next(iter(citations), None)
    if cit is None:
        r.text = " ".join(
            text_of(c) if isinstance(c.tag, str) else "" for c in ref if _local(c) != "label"
        ).strip() or text_of(ref)
        return r
    r.structured = _local(cit) in ("element-citation", "nlm-citation") or (
        cit.find("source") is not None
    )
    r.citation_kind = _local(cit)
    r.publication_type = cit.get("publication-type") or cit.get("citation-type") or ""
    for person in cit.findall(".//person-group[@person-group-type='author']/name") or cit.findall(
        "name"
    ):
        r.authors.append((text_of(person.find("surname")), text_of(person.find("given-names"))))
    if not r.authors:
        for person in cit.findall(".//person-group/name"):
            r.authors.append((text_of(person.find("surname")), text_of(person.find("given-names"))))
    r.collab = text_of(cit.find(".//collab"))
    r.article_title = text_of(cit.find("article-title")) or text_of(cit.find("chapter-title"))
    r.source = text_of(cit.find("source"))
    r.year = text_of(cit.find("year"))[:4]
    if not r.year:
        date = cit.find("date/year")
        r.year = text_of(date)[:4]
    r.volume = text_of(cit.find("volume"))
    r.issue = text_of(cit.find("issue"))
    r.fpage = text_of(cit.find("fpage"))
    r.lpage = text_of(cit.find("lpage"))
    r.elocation_id = text_of(cit.find("elocation-id"))
    for pid in cit.findall("pub-id"):
        kind = pid.get("pub-id-type", "")
        if kind == "doi":
            r.doi = text_of(pid)
        elif kind == "pmid":
            r.pmid = text_of(pid)
    ext = cit.find("ext-link")
    if ext is not None:
        r.url = ext.get(f"{{{XLINK}}}href", "") or text_of(ext)
    if not r.doi:
        m = DOI_RE.search(text_of(cit))
        if m:
            r.doi = m[0].rstrip(".,;)")
    # The author's own wording, when the ref carries it beside the tagged fields.
    written = next((c for c in citations if _local(c) in ("mixed-citation", "citation")), cit)
    r.text = text_of(written)
    r.text_beside_fields = written is not cit and r.citation_kind in (
        "element-citation",
        "nlm-citation",
    )
    r.fields_trusted = fields_trusted(ref)
    return r


CITATION_TAGS = ("element-citation", "nlm-citation", "mixed-citation", "citation")


def citations_of(ref: etree._Element) -> list[etree._Element]:
    """The citations of a ``<ref>``, tagged fields first: its own and those inside
    ``citation-alternatives`` (where the converter keeps a confident parse beside the
    author's text). The first is the one to read fields from."""
    found = [
        c
        for holder in (ref, *ref.findall("citation-alternatives"))
        for c in holder
        if _local(c) in CITATION_TAGS
    ]
    return sorted(found, key=lambda c: CITATION_TAGS.index(_local(c)))


def read_article_meta(tree: etree._ElementTree | etree._Element) -> ArticleMeta:
    """Everything the outputs need from ``<front>`` and ``<back>`` of a JATS article."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    m = ArticleMeta(article_type=root.get("article-type", ""), language=_lang(root, "en"))
    am = root.find("front/article-meta")
    jm = root.find("front/journal-meta")
    if jm is not None:
        _read_journal(jm, m)
    if am is None:
        return m
    _read_ids_and_notes(am, m)
    tg = am.find("title-group")
    if tg is not None:
        _read_titles(tg, m)
    _read_people(am, m)
    _read_abstracts_and_keywords(am, m)
    _read_dates_and_place(am, m)
    perms = am.find("permissions")
    if perms is not None:
        _read_permissions(perms, m)
    _read_funding(am, m)
    for ref in root.findall("back/ref-list//ref"):
        m.references.append(_reference(ref))
    return m


def _read_journal(jm: etree._Element, m: ArticleMeta) -> None:
    """Title, abbreviation, ISSNs by format and publisher from ``<journal-meta>``."""
    m.journal_title = text_of(jm.find(".//journal-title"))
    m.journal_abbrev = text_of(jm.find(".//abbrev-journal-title"))
    for issn in jm.findall("issn"):
        fmt = issn.get("publication-format") or issn.get("pub-type") or "electronic"
        fmt = {"epub": "electronic", "ppub": "print"}.get(fmt, fmt)
        m.issns[fmt] = text_of(issn)
    m.publisher_name = text_of(jm.find("publisher/publisher-name"))


def _read_ids_and_notes(am: etree._Element, m: ArticleMeta) -> None:
    """DOI and publisher id, subjects and heading, correspondence and author notes."""
    for aid in am.findall("article-id"):
        if aid.get("pub-id-type") == "doi":
            m.doi = text_of(aid)
        elif aid.get("pub-id-type") == "publisher-id":
            m.publisher_id = text_of(aid)
    m.subjects = [text_of(s) for s in am.findall("article-categories//subject")]
    m.heading = text_of(
        am.find("article-categories//subj-group[@subj-group-type='heading']/subject")
    )
    for corresp in am.findall("author-notes/corresp"):
        label = text_of(corresp.find("label"))
        text = text_of(corresp)
        m.correspondence.append(
            text[len(label) :].strip() if label and text.startswith(label) else text
        )
    for fn in am.findall("author-notes/fn"):
        m.author_notes.append((fn.get("fn-type", ""), text_of(fn)))


def _read_titles(tg: etree._Element, m: ArticleMeta) -> None:
    """Title (text and element), subtitle, translated titles and the running head."""
    m.title = text_of(tg.find("article-title"))
    m.title_element = tg.find("article-title")
    m.subtitle = text_of(tg.find("subtitle"))
    for ttg in tg.findall("trans-title-group"):
        m.trans_titles.append((_lang(ttg), text_of(ttg.find("trans-title"))))
    m.short_title = text_of(tg.find("alt-title[@alt-title-type='running-head']")) or (
        text_of(tg.find("alt-title"))
    )


def _read_people(am: etree._Element, m: ArticleMeta) -> None:
    """Contributors and affiliations, with what the markup leaves implicit: a lone
    affiliation is everyone's, and the only author with an email is the corresponding one
    when none is marked."""
    corresp_rids = {c.get("id", "") for c in am.findall("author-notes/corresp")}
    for el in am.findall("contrib-group/contrib"):
        m.contributors.append(_contributor(el, corresp_rids))
    affs = am.findall("aff") + am.findall("contrib-group/aff")
    for index, el in enumerate(affs, 1):
        aff = _affiliation(el, f"aff-{index}")
        m.affiliations.setdefault(aff.id, aff)
    for contributor in m.contributors:
        if not contributor.affiliation_ids and len(m.affiliations) == 1:
            contributor.affiliation_ids = list(m.affiliations)
    if m.contributors and not any(c.corresponding for c in m.contributors):
        with_email = [c for c in m.contributors if c.email]
        if len(with_email) == 1:
            with_email[0].corresponding = True


def _read_abstracts_and_keywords(am: etree._Element, m: ArticleMeta) -> None:
    """Abstracts (in the article's language unless marked) and keywords by language."""
    for el in am.findall("abstract"):
        m.abstracts.append(_read_abstract(el, _lang(el, m.language)))
    for el in am.findall("trans-abstract"):
        m.abstracts.append(_read_abstract(el, _lang(el)))
    for kg in am.findall("kwd-group"):
        lang = _lang(kg, m.language)
        m.keywords.setdefault(lang, []).extend(text_of(k) for k in kg.findall("kwd"))


def _read_dates_and_place(am: etree._Element, m: ArticleMeta) -> None:
    """Publication dates by kind, history dates by type, volume, issue and pages."""
    for el in am.findall("pub-date"):
        d = _date(el)
        if d:
            m.pub_dates.setdefault(_date_kind(el), d)
    for el in am.findall("history/date"):
        d = _date(el)
        if d:
            m.history.setdefault(el.get("date-type", ""), d)
    m.volume = text_of(am.find("volume"))
    m.issue = text_of(am.find("issue"))
    m.fpage = text_of(am.find("fpage"))
    m.lpage = text_of(am.find("lpage"))
    m.elocation_id = text_of(am.find("elocation-id"))


def _read_permissions(perms: etree._Element, m: ArticleMeta) -> None:
    """Copyright, and the licence's address (its ALI reference first) and text."""
    m.copyright_statement = text_of(perms.find("copyright-statement"))
    m.copyright_year = text_of(perms.find("copyright-year"))
    m.copyright_holder = text_of(perms.find("copyright-holder"))
    lic = perms.find("license")
    ref = perms.find(f"{{{ALI}}}license_ref")
    if ref is None and lic is not None:
        ref = lic.find(f"{{{ALI}}}license_ref")
    if ref is not None:
        m.license_url = text_of(ref)
    elif lic is not None:
        m.license_url = lic.get(f"{{{XLINK}}}href", "")
    if lic is not None:
        # the licence's paragraphs: its ali:license_ref is the address, not the text
        paragraphs = [text_of(p) for p in lic.findall("license-p")]
        m.license_text = " ".join(p for p in paragraphs if p) or " ".join(
            text_of(c) for c in lic if _local(c) != "license_ref"
        )


def _read_funding(am: etree._Element, m: ArticleMeta) -> None:
    """Each award group: the funder's name and id (Funder Registry DOI or link), award ids."""
    for ag in am.findall("funding-group/award-group"):
        source = ag.find("funding-source")
        funder_id = ""
        if source is not None:
            iid = source.find(".//institution-id")
            funder_id = text_of(iid) if iid is not None else source.get(f"{{{XLINK}}}href", "")
            name_el = source.find(".//institution")
            name = text_of(name_el) if name_el is not None else text_of(source)
            if iid is not None and name_el is None:
                name = name.replace(text_of(iid), "").strip()
        else:
            name = ""
        m.funding.append(Funding(name, funder_id, [text_of(a) for a in ag.findall("award-id")]))
