"""Step 1: any JATS 1.1–1.4 or NLM 2.3–3.0 article as 1.3 writes it: ``dtd-version``,
namespaces (and what no article may hold, :mod:`..sanitise`), elements renamed in 1.3,
what 1.4 added, NLM contracts as funding, and nested notes."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.normalise.common import (
    NAMESPACES,
    XSI,
    _describe,
    _remove_keep_tail,
    _unwrap,
)
from frontiers_de.production.jats.sanitise import sanitise

# Elements of older tag sets that JATS 1.3 Publishing knows under another name.
RENAMED_ELEMENTS = {
    "citation": "mixed-citation",  # NLM 2.3
    "nlm-citation": "element-citation",  # NLM 3.0 / JATS 1.0–1.2
    "floats-wrap": "floats-group",  # NLM 2.3
    "gloss-group": "glossary",  # NLM 2.3
}


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
