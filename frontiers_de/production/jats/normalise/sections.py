"""Section numbers typed into titles made labels, and competing interests and
acknowledgements said once (the conversion uses both too)."""

from __future__ import annotations

import re

from lxml import etree

from frontiers_de.production.jats.normalise.common import XML_LANG_ATTR

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
