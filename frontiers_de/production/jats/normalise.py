"""Normalise any JATS 1.1–1.4 / NLM 2.3–3.0 document to valid JATS 1.3 Journal Publishing.

The repairs are driven by the content models of the official 1.3 Publishing XSD (see
:mod:`.content_model`), not by per-publisher rules, so the same code serves real articles
from other publishers, Archiving-tag-set documents, and pandoc's ``jats_publishing`` output:

1. version and namespaces: ``dtd-version="1.3"``, xlink/mml/ali declared on the root, old
   schema-location hints dropped, elements that 1.3 renamed get their 1.3 name; only JATS,
   MathML, ALI, XLink and ``xml:`` survive (:mod:`.sanitise`: elements and attributes in
   other namespaces, MathML ``annotation-xml``, event handlers, script links and processing
   instructions are dropped, each kind reported in :attr:`NormaliseResult.removed`);
2. structure, top-down, for every JATS element whose children the schema does not accept:
   a child the element may not hold is moved up beside it (splitting a paragraph if need be),
   wrapped in a container that may hold it (``copyright-statement`` → ``permissions``,
   ``table-wrap`` in a list item → ``p``), or unwrapped when only its markup is the problem;
   children in the wrong order are put in schema order, except that flow content after a
   subsection is wrapped in a section of its own rather than moved before it; a block
   inside deeper inline markup is lifted to the nearest ancestor that may hold it. Figures,
   tables, formulas, sections and references are never flattened or unwrapped;
3. ids: made XML names and unique; references (rid and the schema's other IDREF
   attributes) follow renamed ids and lose only ids that exist nowhere;
4. attribute values outside the schema's enumerations are mapped to the 1.3 value
   (``pmc`` → ``pmcid``, ``COI-statement`` → ``coi-statement``) or to ``custom``/``other``
   with the original kept where the schema has a place for it. These repairs read the
   validator's findings, so they only happen with ``check=True`` (the default);
5. last, whatever the schema still refuses where it stands (:func:`repair_to_schema`): its
   markup is given up and its text kept, each such element named in the changes.

Nothing is dropped silently: every change is described in :attr:`NormaliseResult.changes`,
and the only text ever removed (generated separators) is listed in ``dropped_text``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.content_model import ContentModels, content_models
from frontiers_de.production.jats.sanitise import sanitise
from frontiers_de.xml.schemas import SchemaError, validate

XLINK = "http://www.w3.org/1999/xlink"
MML = "http://www.w3.org/1998/Math/MathML"
ALI = "http://www.niso.org/schemas/ali/1.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG_ATTR = f"{{{XML_NS}}}lang"
NAMESPACES = {"xlink": XLINK, "mml": MML, "ali": ALI}

JATS_1_3_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD with MathML3 '
    'v1.3 20210610//EN" "JATS-journalpublishing1-3-mathml3.dtd">'
)

# Elements of older tag sets that JATS 1.3 Publishing knows under another name.
RENAMED_ELEMENTS = {
    "citation": "mixed-citation",  # NLM 2.3
    "nlm-citation": "element-citation",  # NLM 3.0 / JATS 1.0–1.2
    "floats-wrap": "floats-group",  # NLM 2.3
    "gloss-group": "glossary",  # NLM 2.3
}

# Attribute values that 1.3 spells differently (case differences are handled generically).
RENAMED_VALUES = {
    ("article-id", "pub-id-type"): {
        "pmc": "pmcid",
        "pmc-uid": "pmcid",
        "publisher-manuscript": "manuscript",
    },
    ("pub-id", "pub-id-type"): {"pmc": "pmcid", "pmc-uid": "pmcid"},
    ("object-id", "pub-id-type"): {"pmc": "pmcid"},
}

# Containers that may be created to give a stray element a legal home, most natural first.
# Anything else the schema would allow is tried after these, alphabetically, except the
# alternative-rendering wrappers, which say something else about their content.
PREFERRED_WRAPPERS = ("p", "permissions", "sec", "list-item", "caption", "boxed-text")
NEVER_WRAP_IN = {
    "alternatives",
    "block-alternatives",
    "inline-graphic",
    "named-content",
    "styled-content",
    "fig-group",
    "table-wrap-group",
    "disp-formula-group",
    "x",
    "private-char",
    "chem-struct",
    "chem-struct-wrap",
    "ruby",
}

_PUNCTUATION_ONLY = re.compile(r"^[\s,.;:()\[\]&/–—-]*$")
_ENUM_ERROR = re.compile(
    r"Element '(?P<element>[^']+)', attribute '(?P<attribute>[^']+)': \[facet 'enumeration'\] "
    r"The value '(?P<value>[^']*)' is not an element of the set \{(?P<allowed>[^}]*)\}"
)
_ATTR_NOT_ALLOWED = re.compile(
    r"Element '(?P<element>[^']+)', attribute '(?P<attribute>[^']+)': "
    r"The attribute '[^']+' is not allowed"
)
MAX_PASSES = 6


class _ChangeLog(list[str]):
    """Human-readable changes, plus every piece of text that was dropped (kept for audit)."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped_text: list[str] = []
        self.unplaced: set[str] = set()


@dataclass
class NormaliseResult:
    """The normalised tree, what was changed, and any schema errors that remain.

    ``dropped_text`` lists every piece of text removed from the document: generated
    separators (``<x>`` and punctuation between elements where the schema allows no text)
    and a body section that repeated a statement of the back matter.
    """

    tree: etree._ElementTree
    changes: list[str] = field(default_factory=list)
    errors: list[SchemaError] = field(default_factory=list)
    validated: bool = False
    dropped_text: list[str] = field(default_factory=list)
    # What was removed because an article may not hold it (also listed in ``changes``).
    removed: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.validated and not self.errors

    def to_bytes(self) -> bytes:
        """Serialise with the JATS 1.3 Publishing doctype and an XML declaration."""
        return serialise(self.tree)


def serialise(tree: etree._ElementTree | etree._Element) -> bytes:
    """UTF-8 bytes with an XML declaration and the JATS 1.3 Publishing (MathML 3) doctype."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=JATS_1_3_DOCTYPE)


def normalise(
    tree: etree._ElementTree | etree._Element,
    profile: JournalProfile | None = None,
    *,
    check: bool = True,
) -> NormaliseResult:
    """Turn a JATS/NLM article into JATS 1.3 Journal Publishing.

    The input is repaired in place and may get a new root element (to declare the
    namespaces), so always use ``result.tree`` afterwards.

    ``profile``: when given, the article is being produced for that journal, so its
    ``journal-meta`` is replaced by the journal's own. ``check``: validate the result
    against the official XSD and report what is still wrong in ``errors`` (the first call
    in a process compiles the schema, about 3 s).
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if not isinstance(root.tag, str) or etree.QName(root).localname != "article":
        raise ValueError(f"not a JATS article: the root element is <{root.tag}>")
    changes = _ChangeLog()
    models = content_models()
    removed: list[str] = []

    root = _set_version_and_namespaces(root, changes, removed)
    _rename_old_elements(root, changes)
    _gather_notes(root, changes)
    section_numbers_to_labels(root, changes)
    changes.dropped_text.extend(one_statement_per_kind(root, changes))
    if profile is not None:
        _apply_journal_meta(root, profile, changes)
    for _ in range(MAX_PASSES):
        before = len(changes)
        _repair_structure(root, models, changes)
        if len(changes) == before:
            break
    _repair_ids(root, models, changes)
    changes.extend(sorted(changes.unplaced))
    result = NormaliseResult(
        etree.ElementTree(root), changes, dropped_text=changes.dropped_text, removed=removed
    )
    if check:
        for _ in range(MAX_PASSES):
            errors = validate(result.tree, "jats-1.3")
            if not errors or not _repair_attributes(root, errors, changes):
                break
        if errors:
            # What the repairs above could not place loses its markup, never its text.
            repaired = repair_to_schema(result.tree)
            result.tree = repaired.tree
            changes.extend(repaired.changes)
            errors = repaired.errors
        result.errors = errors
        result.validated = True
    return result


# --- version, namespaces, names -------------------------------------------------------


def _set_version_and_namespaces(
    root: etree._Element, changes: list[str], removed: list[str]
) -> etree._Element:
    if root.get("dtd-version") != "1.3":
        changes.append(f"dtd-version {root.get('dtd-version') or '(none)'} → 1.3")
        root.set("dtd-version", "1.3")
    for name in list(root.attrib):
        if name.startswith(f"{{{XSI}}}"):
            changes.append(f"removed schema-location hint {etree.QName(name).localname}")
            del root.attrib[name]
    # An element with a namespaced tag only for MathML, ALI, XLink: a document that put the
    # JATS elements themselves in a namespace is not one we can read.
    if etree.QName(root).namespace:
        raise ValueError(f"JATS elements must not be in a namespace (root is {root.tag})")
    # Before the root may be rebuilt below, which would lose the instructions beside it
    # without a word.
    cleaned = sanitise(root)
    root = cleaned.root
    removed.extend(cleaned.removed)
    changes.extend(cleaned.removed)
    missing = {p: ns for p, ns in NAMESPACES.items() if root.nsmap.get(p) != ns}
    if missing:
        # lxml cannot add declarations to an existing element: rebuild the root element
        # with the full map and move the children across.
        nsmap = {
            k: v for k, v in root.nsmap.items() if k not in missing and v not in missing.values()
        }
        nsmap.update(NAMESPACES)
        new_root = etree.Element(root.tag, nsmap=nsmap)
        for key, value in root.attrib.items():
            new_root.set(key, value)
        new_root.text = root.text
        for child in list(root):
            new_root.append(child)
        changes.append("declared namespaces " + ", ".join(sorted(missing)))
        root = new_root
    etree.cleanup_namespaces(root, top_nsmap=NAMESPACES, keep_ns_prefixes=list(NAMESPACES))
    return root


def _rename_old_elements(root: etree._Element, changes: list[str]) -> None:
    for old, new in RENAMED_ELEMENTS.items():
        found = root.findall(f".//{old}")
        for element in found:
            element.tag = new
            # NLM 2.3 typed its citations with citation-type; 1.3 says publication-type
            kind = element.attrib.pop("citation-type", None)
            if kind and element.get("publication-type") is None:
                element.set("publication-type", kind)
        if found:
            changes.append(f"renamed {len(found)} <{old}> to <{new}>")
    for meta in root.iter("article-meta"):
        _contracts_to_funding(meta, changes)
    _downgrade_1_4(root, changes)


# --- notes: one <notes> in front, nested notes as its sections --------------------------


def _gather_notes(root: etree._Element, changes: list[str]) -> None:
    """Reviewed preprints carry assessment and version notes as ``<notes>`` nested in a
    ``<notes>`` inside ``<article-meta>``. JATS 1.3 allows neither: a ``<notes>`` holds
    sections, not notes, and ``<front>`` holds one ``<notes>``, after the article-meta.
    Nested notes become sections (their ``notes-type`` their ``sec-type``), and the notes
    of the article-meta move into that one ``<notes>`` of the front; no text is lost."""
    # Innermost first, so a note three levels down is a section of a section.
    for inner in reversed(list(root.iter("notes"))):
        parent = inner.getparent()
        if parent is not None and parent.tag == "notes":
            changes.append(f"{_describe(inner)} inside <notes>: written as a <sec>")
            _notes_as_sec(inner)
    for front in root.iter("front"):
        meta = front.find("article-meta")
        misplaced = meta.findall("notes") if meta is not None else []
        if meta is None or not misplaced:
            continue
        target = front.find("notes")
        for notes in misplaced:
            changes.append(f"{_describe(notes)} in <article-meta>: moved to the front matter")
            # article-meta holds elements only: the tail is white space and goes with it
            meta.remove(notes)
            notes.tail = None
            if target is None:
                meta.addnext(notes)
                target = notes
            else:
                _notes_as_sec(notes)
                target.append(notes)


# "2.1. A gendered socio-economic picture", "3 Methods": a number written at the start of
# a section title (at most two digits a part, so "2020 in review" is not one).
_SECTION_NUMBER = re.compile(r"^\s*((?:\d{1,2}\.)*\d{1,2})(?:\.\s*|\s+)(?=\S)")


def _written_number(sec: etree._Element) -> re.Match[str] | None:
    title = sec.find("title")
    if sec.find("label") is not None or title is None:
        return None
    return _SECTION_NUMBER.match(title.text or "")


def numbered_titles(parent: etree._Element) -> list[tuple[etree._Element, re.Match[str]]]:
    """The child sections of ``parent`` whose titles start with their section number.

    A number counts as one when at least two sibling sections are numbered so, or when it
    continues the number of the section it sits in ("2.1" in section 2); a lone
    "10 simple rules" stays a title."""
    found = [(sec, m) for sec in parent.findall("sec") if (m := _written_number(sec))]
    if not found:
        return []
    outer = _label_number(parent)
    if len(found) < 2 and not (outer and found[0][1].group(1).startswith(outer + ".")):
        return []
    return found


def section_numbers_to_labels(root: etree._Element, changes: list[str]) -> None:
    """Section numbers typed into titles become the sections' ``<label>``s.

    The outputs number sections themselves unless the article labels them, so a number
    left in the title is printed twice ("2.1. 2.1. A gendered …")."""
    for parent in root.iter():
        if not isinstance(parent.tag, str):
            continue
        # (a match means the section has a title)
        for sec, match in numbered_titles(parent):
            title = sec.find("title")
            label = etree.Element("label")
            label.text = match.group(1)
            title.addprevious(label)
            title.text = match.string[match.end() :]
            changes.append(f"section number {label.text!r} moved from the title into <label>")


# Body sections that say what the back matter has a place for, by title or type.
_STATEMENT_TITLES = {
    "competing interests": re.compile(
        r"^(?:competing|conflicts?|declarations?|disclosures?)\b.*\binterests?\b|"
        r"^(?:利益冲突|竞争利益)",
        re.I,
    ),
    "acknowledgements": re.compile(r"^(?:acknowledge?ments?|致谢)\W*$", re.I),
}
_STATEMENT_TYPES = {
    "competing interests": {"coi-statement", "conflict", "competing-interests"},
    "acknowledgements": {"acknowledgements", "acknowledgments", "ack"},
}


def _words(element: etree._Element, skip_title: bool = False) -> str:
    parts = [
        "".join(child.itertext()) if isinstance(child.tag, str) else ""
        for child in element
        if not (skip_title and child.tag in ("title", "label"))
    ]
    return " ".join(" ".join(parts).split())


def _back_statements(back: etree._Element, kind: str) -> list[etree._Element]:
    if kind == "acknowledgements":
        return back.findall("ack")
    types = _STATEMENT_TYPES[kind]
    found = []
    for el in back.iter("fn", "sec", "notes"):
        el_type = el.get("fn-type") or el.get("sec-type") or el.get("notes-type") or ""
        if el_type.lower() in types:
            found.append(el)
    return found


def one_statement_per_kind(
    root: etree._Element, changes: list[str], warnings: list[str] | None = None
) -> list[str]:
    """Competing interests and acknowledgements said once, from one source.

    When the body has a section of that kind ("Competing interests", "Acknowledgements")
    and the back matter carries the statement too (in articles made here, from the
    submission form), the manuscript's section is the one kept: it is the text of the
    accepted version that reviewers and editors read and the author approves in proofs,
    it may hold what a form field cannot (the walk's was a table of each author's
    patents), and the form's copy dates from submission, before any revision. It moves to
    the back matter, where JATS gives these statements their meaning (``ack``,
    ``sec-type="COI-statement"``) and both outputs print them, and the back matter's own
    copy goes. What went is listed in the changes, and returned (for ``dropped_text``),
    and two statements that said different things are a warning (when ``warnings`` is
    given), so production settles them before publication."""
    removed: list[str] = []
    for article in [root, *root.iter("sub-article")]:
        body, back = article.find("body"), article.find("back")
        if body is None or back is None:
            continue
        for kind, title_pattern in _STATEMENT_TITLES.items():
            copies = _back_statements(back, kind)
            if not copies:
                continue
            sections = []
            for sec in body.findall("sec"):
                title_el = sec.find("title")
                title = (
                    " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
                )
                sec_type = (sec.get("sec-type") or "").lower()
                if title_pattern.search(title) or sec_type in _STATEMENT_TYPES[kind]:
                    sections.append(sec)
            if not sections:
                continue
            kept_words = " ".join(_words(sec, skip_title=True) for sec in sections)
            place = copies[0]
            anchor = place if place.getparent() is back else place.getparent()
            for sec in sections:
                body.remove(sec)
                sec.tail = None
                if kind == "acknowledgements":
                    sec.tag = "ack"
                    for name in list(sec.attrib):
                        if name not in ("id", XML_LANG_ATTR, "specific-use", "content-type"):
                            del sec.attrib[name]
                else:
                    sec.set("sec-type", "COI-statement")
                anchor.addprevious(sec)
            for copy_ in copies:
                words = _words(copy_, skip_title=True)
                same = words in kept_words
                note = (
                    f"{kind}: the manuscript's section is kept and moved to the back matter; "
                    f"the back matter's copy ({'the same words' if same else 'other words'}) "
                    f"left out: {words[:200]}"
                )
                # statements that disagree are for production to settle, as a warning
                (changes if same or warnings is None else warnings).append(note)
                removed.append(words)
                holder = copy_.getparent()
                holder.remove(copy_)
                # a group left with nothing but its title goes too
                if holder is not back and not [
                    c for c in holder if c.tag not in ("title", "label")
                ]:
                    back.remove(holder)
    return removed


def _label_number(sec: etree._Element) -> str:
    """The number of a section: its label, or the number its title starts with."""
    label = sec.find("label")
    if label is not None:
        return "".join(label.itertext()).strip().rstrip(".")
    match = _written_number(sec) if sec.tag == "sec" else None
    return match.group(1) if match else ""


def _notes_as_sec(notes: etree._Element) -> None:
    notes.tag = "sec"
    kind = notes.attrib.pop("notes-type", None)
    if kind and notes.get("sec-type") is None:
        notes.set("sec-type", kind)


def _downgrade_1_4(root: etree._Element, changes: list[str]) -> None:
    """Elements JATS 1.4 added, rewritten as 1.3 says the same thing."""
    # <collab-wrap><collab-name>X</collab-name><contrib-group/></collab-wrap> is 1.3's
    # <collab>X<contrib-group/></collab>; a lone collab-name is a collab.
    for wrap in root.findall(".//collab-wrap"):
        wrap.tag = "collab"
        for name in wrap.findall("collab-name"):
            _unwrap(name)
        changes.append(f"{_describe(wrap)}: JATS 1.4 <collab-wrap> written as <collab>")
    for alternatives in root.findall(".//collab-name-alternatives"):
        alternatives.tag = "collab-alternatives"
    for name in root.findall(".//collab-name"):
        name.tag = "collab"
        changes.append(f"{_describe(name)}: JATS 1.4 <collab-name> written as <collab>")
    # <legend> (1.4) is what 1.3 puts in the caption
    for legend in root.findall(".//legend"):
        parent = legend.getparent()
        caption = parent.find("caption")
        if caption is None:
            caption = etree.Element("caption")
            legend.addprevious(caption)
        title = legend.find("title")
        if title is not None:
            if caption.find("title") is None:
                caption.insert(0, title)
            else:
                title.tag = "bold"
                wrapper = etree.SubElement(caption, "p")
                wrapper.append(title)
        for label in legend.findall("label"):
            label.tag = "bold"
            wrapper = etree.SubElement(caption, "p")
            wrapper.append(label)
        for child in list(legend):
            caption.append(child)
        _remove_keep_tail(legend)
        changes.append(f"{_describe(parent)}: JATS 1.4 <legend> moved into its <caption>")
    # contributor notes (1.4 allows <fn> in contrib and contrib-group) go to author-notes
    for fn in [f for f in root.iter("fn") if f.getparent().tag in {"contrib", "contrib-group"}]:
        holder = fn.getparent()
        meta = next((a for a in holder.iterancestors("article-meta", "front-stub")), None)
        if meta is None:
            continue
        notes = meta.find("author-notes")
        if notes is None:
            notes = etree.Element("author-notes")
            group = holder if holder.tag == "contrib-group" else holder.getparent()
            group.addnext(notes)
        if holder.tag == "contrib":
            if not fn.get("id"):
                fn.set("id", f"fn-contrib-{len(notes) + 1}")
            xref = etree.SubElement(holder, "xref", {"ref-type": "fn", "rid": fn.get("id")})
            label = fn.find("label")
            xref.text = "".join(label.itertext()) if label is not None else "*"
        fn.tail = None
        notes.append(fn)
        changes.append(f"{_describe(fn)}: contributor note (JATS 1.4) moved to <author-notes>")


def _contracts_to_funding(meta: etree._Element, changes: list[str]) -> None:
    """NLM 2.3 ``contract-sponsor``/``contract-num`` become 1.3 ``funding-group``."""
    sponsors = meta.findall("contract-sponsor")
    numbers = meta.findall("contract-num")
    if not sponsors and not numbers:
        return
    funding = meta.find("funding-group")
    if funding is None:
        funding = etree.Element("funding-group")
        (sponsors or numbers)[0].addprevious(funding)
    groups: dict[str, etree._Element] = {}
    for sponsor in sponsors:
        group = etree.SubElement(funding, "award-group")
        source = etree.SubElement(group, "funding-source")
        source.text, source[:] = sponsor.text, list(sponsor)
        if sponsor.get("id"):
            groups[sponsor.get("id")] = group
        meta.remove(sponsor)
    for number in numbers:
        group = groups.get(number.get("rid") or "")
        if group is None:
            group = etree.SubElement(funding, "award-group")
        award = etree.SubElement(group, "award-id")
        award.text, award[:] = number.text, list(number)
        meta.remove(number)
    changes.append(
        f"{len(sponsors)} <contract-sponsor> and {len(numbers)} <contract-num> (NLM 2.3) "
        "became a <funding-group>"
    )


def _apply_journal_meta(root: etree._Element, profile: JournalProfile, changes: list[str]) -> None:
    front = root.find("front")
    if front is None:
        front = etree.Element("front")
        root.insert(0, front)
    old = front.find("journal-meta")
    meta = etree.Element("journal-meta")
    etree.SubElement(meta, "journal-id", {"journal-id-type": "publisher-id"}).text = profile.code
    group = etree.SubElement(meta, "journal-title-group")
    etree.SubElement(group, "journal-title").text = profile.title
    if profile.abbreviation:
        etree.SubElement(
            group, "abbrev-journal-title", {"abbrev-type": "publisher"}
        ).text = profile.abbreviation
    issns = [("ppub", profile.issn_print), ("epub", profile.issn_online)]
    if not any(value for _, value in issns) and old is not None:
        # No ISSN in the profile yet (a new journal): keep the document's own, if any.
        for issn in old.findall("issn"):
            meta.append(copy.deepcopy(issn))
    for fmt, value in issns:
        if value:
            etree.SubElement(meta, "issn", {"publication-format": fmt}).text = value
    publisher = etree.SubElement(meta, "publisher")
    etree.SubElement(publisher, "publisher-name").text = profile.publisher
    if profile.publisher_location:
        etree.SubElement(publisher, "publisher-loc").text = profile.publisher_location
    if old is not None:
        meta.tail = old.tail
        front.replace(old, meta)
    else:
        front.insert(0, meta)
    changes.append(f"journal-meta set to the journal's own ({profile.title})")


# --- structure ---------------------------------------------------------------------------


def _name(element: etree._Element) -> str:
    """The element's name as the content models spell it (Clark notation off the default)."""
    return element.tag


def _is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def _describe(element: etree._Element) -> str:
    line = element.sourceline
    where = f" (line {line})" if line else ""
    ident = element.get("id")
    return f"<{etree.QName(element).localname}{' id=' + ident if ident else ''}>{where}"


def _repair_structure(root: etree._Element, models: ContentModels, changes: list[str]) -> None:
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag[0] == "{":  # MathML, ALI: validated by their own modules
            continue
        model = models.get(_name(element))
        if model is None:
            continue
        for child in list(element):
            # (a child moved by an earlier repair in this loop is no longer ours to fix)
            if (
                _is_element(child)
                and _name(child) not in model.allowed
                and child.getparent() is element
            ):
                _fix_disallowed(element, child, models, changes)
        _fix_text(element, model.mixed, changes)
        _drop_empty_children(element, models, changes)
        names = [_name(c) for c in element if _is_element(c)]
        if not models.matches(_name(element), names):
            _fix_order(element, models, changes)
        stack.extend(reversed([c for c in element if _is_element(c)]))


def _fix_text(element: etree._Element, mixed: bool, changes: list[str]) -> None:
    """Element-only content may not hold text; generated separators can go, words cannot."""
    if mixed:
        return
    pieces = [("text", element)] + [("tail", c) for c in element]
    for kind, node in pieces:
        value = getattr(node, kind)
        if value and value.strip() and _PUNCTUATION_ONLY.match(value):
            setattr(node, kind, None)
            changes.append(f"removed separator text {value.strip()!r} in {_describe(element)}")
            _record_dropped(changes, value)


def _record_dropped(changes: list[str], text: str) -> None:
    if isinstance(changes, _ChangeLog):
        changes.dropped_text.append(text)


def _fix_disallowed(
    parent: etree._Element, child: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    name = _name(child)
    model = models.get(_name(parent))
    assert model is not None
    # <x> is generated punctuation by definition: text where text may stand, else dropped.
    if name == "x":
        text = "".join(child.itertext())
        if model.mixed:
            _unwrap(child)
            changes.append(f"<x>{text}</x> in {_describe(parent)} kept as plain text")
        else:
            _remove_keep_tail(child)
            changes.append(f"removed generated text <x>{text}</x> from {_describe(parent)}")
            _record_dropped(changes, text)
        return
    for strategy in (
        _hoist,
        _wrap,
        _unwrap_if_allowed,
        _hoist_far,
        _flatten_to_text,
        _as_custom_meta,
    ):
        message = strategy(parent, child, models)
        if message:
            changes.append(message)
            return
    # Left where it is (the validator will report it); said once, and not counted as a
    # change, so the repair passes still come to an end.
    if isinstance(changes, _ChangeLog):
        changes.unplaced.add(f"could not place {_describe(child)} inside {_describe(parent)}")


def _hoist(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Move the child out, beside its parent, if the grandparent may hold it."""
    grand = parent.getparent()
    if grand is None or not models.allows(_name(grand), _name(child)):
        return None
    parent_model = models.get(_name(parent))
    assert parent_model is not None
    following = [c for c in child.itersiblings()]
    has_after = bool((child.tail or "").strip()) or any(_is_element(c) for c in following)
    index = grand.index(parent)
    tail = child.tail
    child.tail = None
    if parent_model.mixed and has_after:
        # A paragraph holding a block: split it so reading order is kept.
        rest = etree.Element(parent.tag, {k: v for k, v in parent.attrib.items() if k != "id"})
        rest.text = tail
        for sibling in following:
            rest.append(sibling)
        rest.tail = parent.tail
        parent.tail = None
        grand.insert(index + 1, child)
        grand.insert(index + 2, rest)
        how = "split it"
    else:
        if tail and tail.strip():
            _append_text(parent, child, tail)
        before = child.getprevious() is None and not (parent.text or "").strip()
        child.tail = parent.tail if not before else None
        grand.insert(index if before else index + 1, child)
        if not before:
            parent.tail = None
        how = "moved before it" if before else "moved after it"
    return f"{_describe(child)} not allowed in {_describe(parent)}: {how}"


def _hoist_far(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Move a block out of deeper inline markup to the nearest ancestor that may hold it,
    just after the element that contained it (a figure inside an italic caption label)."""
    path = parent.getparent()
    ancestor = path.getparent() if path is not None else None
    while ancestor is not None and not models.allows(_name(ancestor), _name(child)):
        path, ancestor = ancestor, ancestor.getparent()
    if ancestor is None or path is None:
        return None
    _move_text_before(child)
    ancestor.insert(ancestor.index(path) + 1, child)
    child.tail = path.tail
    path.tail = None
    return (
        f"{_describe(child)} not allowed in {_describe(parent)}: moved up beside {_describe(path)}"
    )


# What a text flattening must never swallow: the content that is counted and cited.
_PROTECTED = {
    "fig",
    "table-wrap",
    "table",
    "disp-formula",
    "inline-formula",
    "graphic",
    "media",
    "sec",
    "ref",
    "supplementary-material",
    "boxed-text",
    "list",
    f"{{{MML}}}math",
}


def _append_text(parent: etree._Element, child: etree._Element, text: str) -> None:
    previous = child.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _wrap(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Put the child in a new (or the preceding) container that the parent may hold."""
    name = _name(child)
    model = models.get(_name(parent))
    assert model is not None
    candidates = [
        w
        for w in model.allowed
        if w not in NEVER_WRAP_IN
        and w in models
        and models.allows(w, name)
        and not models.models[w].required_attributes  # nothing to fill them with
    ]
    candidates.sort(
        key=lambda w: (
            PREFERRED_WRAPPERS.index(w) if w in PREFERRED_WRAPPERS else len(PREFERRED_WRAPPERS),
            w,
        )
    )
    previous = child.getprevious()
    for wrapper in candidates:
        if (
            previous is not None
            and _is_element(previous)
            and _name(previous) == wrapper
            and models.matches(wrapper, [_name(c) for c in previous if _is_element(c)] + [name])
        ):
            _move_text_before(child)
            previous.append(child)
            return (
                f"{_describe(child)} not allowed in {_describe(parent)}: "
                f"moved into the <{wrapper}> before it"
            )
        for prefix in ([], ["title"]):
            if models.matches(wrapper, [*prefix, name]):
                box = etree.Element(wrapper)
                for tag in prefix:
                    etree.SubElement(box, tag)
                box.tail = child.tail
                child.tail = None
                parent.replace(child, box)
                box.append(child)
                return (
                    f"{_describe(child)} not allowed in {_describe(parent)}: wrapped in <{wrapper}>"
                )
    return None


def _move_text_before(child: etree._Element) -> None:
    """Keep the child's tail text where it stood when the child moves away."""
    if child.tail and child.tail.strip():
        parent = child.getparent()
        assert parent is not None
        _append_text(parent, child, child.tail)
    child.tail = None


def _unwrap_if_allowed(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    model = models.get(_name(parent))
    assert model is not None
    if _name(child) in _PROTECTED:  # a figure or formula must stay one
        return None
    inner = [c for c in child if _is_element(c)]
    has_text = bool((child.text or "").strip()) or any((c.tail or "").strip() for c in inner)
    if has_text and not model.mixed:
        return None
    if not all(_name(c) in model.allowed for c in inner):
        return None
    _unwrap(child)
    return (
        f"{_describe(child)} not allowed in {_describe(parent)}: its content kept, the tag dropped"
    )


def _flatten_to_text(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    model = models.get(_name(parent))
    assert model is not None
    if not model.mixed or any(isinstance(e.tag, str) and e.tag in _PROTECTED for e in child.iter()):
        return None
    text = "".join(child.itertext())
    for inner in list(child):
        child.remove(inner)
    child.text = text
    _unwrap(child)
    return f"{_describe(child)} not allowed in {_describe(parent)}: kept as plain text"


def _as_custom_meta(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    """Article metadata 1.3 has no element for (1.4 ``content-language``, vendor fields):
    kept as a named ``custom-meta`` value, the place the schema gives such facts."""
    if _name(parent) not in {"article-meta", "front-stub"} or len(child):
        return None
    group = parent.find("custom-meta-group")
    if group is None:
        group = etree.Element("custom-meta-group")
        parent.append(group)
    meta = etree.SubElement(group, "custom-meta")
    etree.SubElement(meta, "meta-name").text = etree.QName(child).localname
    etree.SubElement(meta, "meta-value").text = "".join(child.itertext()).strip()
    _move_text_before(child)
    parent.remove(child)
    return f"{_describe(child)} has no place in 1.3 {_describe(parent)}: kept as custom-meta"


def _unwrap(element: etree._Element) -> None:
    """Replace an element by its content (text and children), keeping the tail."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    text = element.text or ""
    previous = element.getprevious()
    if text:
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else element.getprevious()
    tail = element.tail or ""
    parent.remove(element)
    if tail:
        if last is not None and last.getparent() is parent:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _remove_keep_tail(element: etree._Element) -> None:
    element.text = None
    for child in list(element):
        element.remove(child)
    _unwrap(element)


def _fix_order(element: etree._Element, models: ContentModels, changes: list[str]) -> None:
    name = _name(element)
    _wrap_flow_after_sections(element, models, changes)
    children = [c for c in element if _is_element(c)]
    names = [_name(c) for c in children]
    if models.matches(name, names):
        return
    keys = [models.sort_key(name, n) for n in names]
    if None not in keys:
        order = sorted(range(len(children)), key=lambda i: keys[i])
        if order != list(range(len(children))) and models.matches(name, [names[i] for i in order]):
            _reorder(element, [children[i] for i in order])
            moved = sorted({names[i] for pos, i in enumerate(order) if pos != i})
            changes.append(
                f"put the children of {_describe(element)} in schema order ({', '.join(moved)})"
            )
            return
    for insert in ("title",):
        for position in range(len(names) + 1):
            trial = [*names[:position], insert, *names[position:]]
            if models.matches(name, trial):
                element.insert(_element_index(element, position), etree.Element(insert))
                changes.append(f"added the empty <{insert}> that {_describe(element)} requires")
                return


def _element_index(element: etree._Element, position: int) -> int:
    """Index in ``element`` (counting comments) of its ``position``-th child element."""
    seen = 0
    for index, child in enumerate(element):
        if _is_element(child):
            if seen == position:
                return index
            seen += 1
    return len(element)


def _reorder(element: etree._Element, ordered: list[etree._Element]) -> None:
    # Comments and processing instructions travel with the element that follows them.
    groups: list[list[etree._Element]] = []
    pending: list[etree._Element] = []
    for node in list(element):
        pending.append(node)
        if _is_element(node):
            groups.append(pending)
            pending = []
    by_element = {id(g[-1]): g for g in groups}
    trailing = pending
    for node in list(element):
        element.remove(node)
    for child in ordered:
        for node in by_element[id(child)]:
            element.append(node)
    for node in trailing:
        element.append(node)


def _wrap_flow_after_sections(
    element: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    """Paragraph-level content after a subsection gets a section of its own.

    Moving it before the subsections would change the reading order; a section with an
    empty title keeps order and content, and the schema allows it.
    """
    name = _name(element)
    sec_slot = models.slot_of(name, "sec")
    flow_slot = models.slot_of(name, "p")  # paragraph-level content: what a section holds
    if sec_slot is None or flow_slot is None or flow_slot >= sec_slot:
        return
    children = [c for c in element if _is_element(c)]
    first_sec = next((i for i, c in enumerate(children) if _name(c) == "sec"), None)
    if first_sec is None:
        return
    run: list[etree._Element] = []
    runs: list[list[etree._Element]] = []
    for child in children[first_sec + 1 :]:
        slot = models.slot_of(name, _name(child))
        if slot == flow_slot and models.allows("sec", _name(child)):
            run.append(child)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run in runs:
        section = etree.Element("sec")
        etree.SubElement(section, "title")
        element.insert(element.index(run[0]), section)
        section.tail = run[-1].tail
        for child in run:
            section.append(child)
        run[-1].tail = None
        changes.append(
            f"{len(run)} block(s) after a subsection of {_describe(element)} "
            "wrapped in a section without title"
        )


def _drop_empty_children(
    element: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    """Remove children that are empty although their model needs content (e.g. <tbody/>)."""
    for child in list(element):
        if not _is_element(child) or len(child) or (child.text or "").strip() or child.attrib:
            continue
        if _name(child) in models and not models.matches(_name(child), []):
            if _name(element) == "table" and _name(child) == "tbody":
                _header_only_table(element, child, changes)
                continue
            _remove_keep_tail(child)
            changes.append(f"removed empty {_describe(child)} from {_describe(element)}")


def _header_only_table(
    table: etree._Element, empty_body: etree._Element, changes: list[str]
) -> None:
    """A table whose rows are all header rows: its header becomes its body (cells stay th)."""
    head = table.find("thead")
    if head is None:
        return
    table.remove(empty_body)
    head.tag = "tbody"
    changes.append(f"{_describe(table)} had header rows only: they became its body")


# --- ids and references to them ----------------------------------------------------------

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


def _repair_ids(root: etree._Element, models: ContentModels, changes: list[str]) -> None:
    """Make every id a unique XML name and every rid point at an existing id.

    Ids that are not XML names ("1", "fig:2") are rewritten and the references to them
    follow; a second element with an id already taken gets a new one (references keep
    pointing at the first, as they did for any reader); references to ids that exist
    nowhere are dropped from the list, since the schema rejects them.
    """
    renamed: dict[str, str] = {}
    seen: set[str] = set()
    originals: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        old = element.get("id")
        if old is None:
            continue
        new = old if _NCNAME.match(old) else _as_ncname(old)
        base, n = new, 1
        while new in seen:
            n += 1
            new = f"{base}-{n}"
        seen.add(new)
        if new != old:
            element.set("id", new)
            if old not in originals:  # references mean the first element with that id
                renamed[old] = new
            changes.append(f"id {old!r} → {new!r} (not a unique XML name)")
        originals.add(old)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag[0] == "{":
            continue
        model = models.get(element.tag)
        if model is None:
            continue
        for attribute, kind in model.id_references.items():
            value = element.get(attribute)
            if value is None:
                continue
            tokens = [renamed.get(t, t) for t in value.split()]
            kept = [t for t in tokens if t in seen]
            if kind == "IDREF":
                kept = kept[:1]
            if kept == value.split():
                continue
            dropped = [t for t in value.split() if renamed.get(t, t) not in kept]
            if kept:
                element.set(attribute, " ".join(kept))
            else:
                del element.attrib[attribute]
            if dropped:
                changes.append(
                    f"{_describe(element)} {attribute}: dropped reference(s) to missing id(s) "
                    + ", ".join(dropped)
                )
            else:
                changes.append(f"{_describe(element)} {attribute}: follows renamed id(s)")


def _as_ncname(value: str) -> str:
    cleaned = re.sub(r"[^\w.\-]", "-", value.strip()) or "id"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"id-{cleaned}"


# --- attributes (from the validator's own findings) --------------------------------------


def _repair_attributes(root: etree._Element, errors: list[SchemaError], changes: list[str]) -> bool:
    fixed = False
    for error in errors:
        match = _ENUM_ERROR.search(error.message)
        if match:
            fixed |= _fix_enumeration(root, match, changes)
            continue
        match = _ATTR_NOT_ALLOWED.search(error.message)
        if match:
            fixed |= _drop_attribute(
                root, match.group("element"), match.group("attribute"), error.line, changes
            )
    return fixed


def _fix_enumeration(root: etree._Element, match: re.Match[str], changes: list[str]) -> bool:
    element, attribute, value = match.group("element", "attribute", "value")
    allowed = [v.strip().strip("'") for v in match.group("allowed").split(",")]
    attr_key = _clark_attribute(attribute)
    replacement, keep_original = _closest_value(element, attribute, value, allowed)
    if replacement is None:
        return False
    model = content_models().get(element)
    keep_original = keep_original and model is not None and "custom-type" in model.attributes
    targets = [e for e in root.iter(element) if e.get(attr_key) == value]
    for target in targets:
        target.set(attr_key, replacement)
        if keep_original and target.get("custom-type") is None:
            target.set("custom-type", value)
    if targets:
        changes.append(
            f"{len(targets)} <{element} {attribute}={value!r}>: "
            f"value not in 1.3, now {replacement!r}"
            + (" (original kept in custom-type)" if keep_original else "")
        )
    return bool(targets)


def _closest_value(
    element: str, attribute: str, value: str, allowed: list[str]
) -> tuple[str | None, bool]:
    renamed = RENAMED_VALUES.get((element, attribute), {}).get(value.lower())
    if renamed in allowed:
        return renamed, False
    folded = {v.lower().replace("_", "-"): v for v in allowed}
    key = value.lower().replace("_", "-").replace(" ", "-")
    if key in folded:
        return folded[key], False
    if "custom" in allowed:
        return "custom", True
    if "other" in allowed:
        return "other", False
    return None, False


def _clark_attribute(name: str) -> str:
    if name.startswith("{"):
        return name
    if ":" in name:
        prefix, local = name.split(":", 1)
        ns = {"xml": XML_NS, **NAMESPACES}.get(prefix)
        return f"{{{ns}}}{local}" if ns else name
    return name


def _drop_attribute(
    root: etree._Element, element: str, attribute: str, line: int, changes: list[str]
) -> bool:
    key = _clark_attribute(attribute)
    dropped = 0
    for target in root.iter(element):
        if key in target.attrib and (target.sourceline in (None, line) or line == 0):
            changes.append(
                f"removed attribute {attribute}={target.get(key)!r} (not in 1.3) "
                f"from {_describe(target)}"
            )
            del target.attrib[key]
            dropped += 1
    return dropped > 0


def count_content(tree: etree._ElementTree | etree._Element) -> dict[str, int]:
    """How many sections, figures, tables, formulas and references a document holds."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    names = ("sec", "fig", "table-wrap", "table", "disp-formula", "inline-formula", "ref")
    counts = {n: 0 for n in names}
    counts["math"] = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in counts:
            counts[element.tag] += 1
        elif element.tag == f"{{{MML}}}math":
            counts["math"] += 1
    return counts


__all__: list[str] = [
    "JATS_1_3_DOCTYPE",
    "NormaliseResult",
    "count_content",
    "normalise",
    "serialise",
]


# --- the last step: whatever the schema still refuses -------------------------------------

_NOT_EXPECTED = re.compile(r"^Element '(?P<element>[^']+)': This element is not expected")
_MISSING_CHILD = re.compile(r"^Element '(?P<element>[^']+)': Missing child element")
_SHOWN_TEXT = 60


@dataclass
class SchemaRepair:
    """What :func:`repair_to_schema` did: the tree, a line per change, what is still wrong."""

    tree: etree._ElementTree
    changes: list[str] = field(default_factory=list)
    errors: list[SchemaError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def repair_to_schema(
    tree: etree._ElementTree | etree._Element, *, passes: int = MAX_PASSES
) -> SchemaRepair:
    """Make the tree valid JATS 1.3 Publishing by giving up markup, never text.

    Run after every other repair: it reads the validator's findings and, for each element
    the schema refuses where it stands (an ``xref`` inside an ``xref``, an ``email`` where
    only text may be), first tries what :func:`normalise` does (put the children in schema
    order, move the element beside its parent, wrap it, fix the attribute), and where that
    cannot place it, replaces the element by its text. Every change is a line in
    ``changes``, naming the element and the text kept, for the conversion report. Empty
    elements that the schema requires content for are removed. Returns the repaired tree
    (a new one: it is re-read between passes so that the validator's line numbers point at
    the elements) and any error no repair could reach (MathML inside a formula, say).
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    models = content_models()
    changes: list[str] = []
    errors: list[SchemaError] = []
    current = _reread(root)
    for number in range(passes):
        errors = validate(current, "jats-1.3")
        if not errors:
            break
        progressed = _repair_attributes(current.getroot(), errors, changes)
        last = number == passes - 1
        for error in errors:
            progressed |= _repair_finding(current.getroot(), error, models, changes, last)
        if not progressed:
            break
        current = _reread(current.getroot())
    else:
        errors = validate(current, "jats-1.3")
    return SchemaRepair(current, changes, errors)


def _reread(root: etree._Element) -> etree._ElementTree:
    """The tree serialised and parsed again, so each element's sourceline is its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.ElementTree(etree.fromstring(etree.tostring(root), parser))


def _at_line(root: etree._Element, line: int, name: str) -> list[etree._Element]:
    return [
        e
        for e in root.iter()
        if _is_element(e) and e.sourceline == line and _clark(e) == name and e is not root
    ]


def _clark(element: etree._Element) -> str:
    """The element's name as libxml2 writes it in messages: ``{ns}local`` or ``local``."""
    return element.tag if isinstance(element.tag, str) else ""


def _repair_finding(
    root: etree._Element,
    error: SchemaError,
    models: ContentModels,
    changes: list[str],
    text_only: bool = False,
) -> bool:
    match = _NOT_EXPECTED.match(error.message)
    if match:
        name = match.group("element")
        if name.startswith("{"):  # MathML and the like: their own modules' business
            return False
        fixed = False
        for element in _at_line(root, error.line, name):
            parent = element.getparent()
            if parent is None or not _is_element(parent) or parent.tag[0] == "{":
                continue
            if models.allows(_name(parent), _name(element)):
                # Out of order, or another element of that name on the same line. When
                # the order cannot be mended, a sibling the schema requires is missing
                # (an ISSN): giving up this element's markup would not help.
                names = [_name(c) for c in parent if _is_element(c)]
                if not text_only and not models.matches(_name(parent), names):
                    before = len(changes)
                    _fix_order(parent, models, changes)
                    fixed |= len(changes) > before
                continue
            if text_only:
                fixed |= _keep_text_only(parent, element, models, changes)
            else:
                fixed |= _place(parent, element, models, changes)
        return fixed
    match = _MISSING_CHILD.match(error.message)
    if match and not match.group("element").startswith("{"):
        fixed = False
        for element in _at_line(root, error.line, match.group("element")):
            if element.getparent() is not None and not "".join(element.itertext()).strip():
                changes.append(f"removed the empty {_describe(element)}, which needs content")
                _remove_keep_tail(element)
                fixed = True
        return fixed
    return False


def _place(
    parent: etree._Element, element: etree._Element, models: ContentModels, changes: list[str]
) -> bool:
    """An element the parent may not hold: moved or wrapped where it can, else its text kept."""
    model = models.get(_name(parent))
    # Inline markup inside inline markup (a link inside a link) loses only its tag; other
    # elements get normalise's repairs first (a block is moved, not flattened).
    if model is not None and not (model.mixed and _is_inline(element, models)):
        attempt = _ChangeLog()
        _fix_disallowed(parent, element, models, attempt)
        if attempt:
            changes.extend(attempt)
            return True
    return _keep_text_only(parent, element, models, changes)


def _is_inline(element: etree._Element, models: ContentModels) -> bool:
    """Phrase-level: allowed inside a paragraph and not a block the article counts."""
    return models.allows("p", _name(element)) and _name(element) not in _PROTECTED


def _keep_text_only(
    parent: etree._Element, element: etree._Element, models: ContentModels, changes: list[str]
) -> bool:
    """Replace the element by its text where text may stand, or by a paragraph of it."""
    text = " ".join("".join(element.itertext()).split())
    shown = text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"
    where = f"{_describe(element)} inside {_describe(parent)}"
    model = models.get(_name(parent))
    if any(_is_element(e) and e.tag in _PROTECTED for e in element.iter() if e is not element):
        return False  # a figure or formula inside: never flattened
    if model is not None and model.mixed:
        _flatten(element, model.allowed)
        changes.append(f"could not place {where}: its markup removed, its text {shown!r} kept")
        return True
    if model is not None and "p" in model.allowed and text:
        paragraph = etree.Element("p")
        paragraph.text = text
        paragraph.tail = element.tail
        parent.replace(element, paragraph)
        changes.append(f"could not place {where}: its text {shown!r} kept as a paragraph")
        return True
    _remove_keep_tail(element)
    changes.append(
        f"could not place {where}: removed"
        + (f"; its text {shown!r} is not in the article" if text else " (it was empty)")
    )
    if text:
        _record_dropped(changes, text)
    return True


def _flatten(element: etree._Element, allowed: frozenset[str]) -> None:
    """Drop the element's tag; its children too, unless the parent may hold them."""
    if not all(_name(c) in allowed for c in element if _is_element(c)):
        text = "".join(element.itertext())
        for inner in list(element):
            element.remove(inner)
        element.text = text
    _unwrap(element)
