"""The body: top-level sections numbered when the article does not number them itself,
and the floats of a ``floats-group`` placed after the block that first cites them."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.normalise import numbered_titles
from frontiers_de.production.typesetting.printhtml.converter import BodyConverter
from frontiers_de.production.typesetting.printhtml.floats import _move_floats_near_citation
from frontiers_de.production.typesetting.printhtml.markup import local


def _numbers_wanted(body: etree._Element) -> bool:
    """Number the top-level titled sections, unless the article numbers them itself: in
    labels, or in the titles (JATS that was not normalised, where the number is still
    typed into the title: printed as written, once)."""
    secs = [s for s in body.findall("sec") if s.find("title") is not None]
    if not secs or any(s.find("label") is not None for s in secs):
        return False
    return not numbered_titles(body)


def convert_body(conv: BodyConverter, root: etree._Element) -> etree._Element:
    """The article's ``<body>`` as ``<div class="body">``, its floats placed in it."""
    body_el = etree.Element("div")
    body_el.set("class", "body")
    body = root.find("body")
    if body is not None:
        numbered = _numbers_wanted(body)
        counter = 0
        for child in body:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "sec":
                if numbered and child.find("title") is not None:
                    counter += 1
                conv.section(
                    child,
                    body_el,
                    str(counter) if numbered and child.find("title") is not None else "",
                )
            else:
                conv.convert(child, body_el)
    floats = root.find("floats-group")
    if floats is not None:
        holder_floats = etree.Element("div")
        conv.children(floats, holder_floats)
        _move_floats_near_citation(body_el, list(holder_floats))
    return body_el
