"""pandoc's JATS brought into line with the 1.3 Publishing schema, in place: figures and
tables made from Word's captioned images and caption paragraphs (:mod:`.floats` labels and
links them), ids made valid (:mod:`..ids`), dangling links unlinked, blocks after a section
moved into it, tables without body rows mended."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from frontiers_de.production.jats.content_model import content_models
from frontiers_de.production.jats.convert.citations import _crossref_link_texts
from frontiers_de.production.jats.convert.common import ConversionReport, _text, _unwrap
from frontiers_de.production.jats.convert.floats import (
    _label_and_anchor_floats,
    _link_float_mentions,
)
from frontiers_de.production.jats.ids import repair_ids
from frontiers_de.xml.schemas import SchemaUnavailable

_Repair = Callable[[Any, ConversionReport], None]


def repair(article: Any, report: ConversionReport) -> None:
    """Bring pandoc's JATS into line with the 1.3 Publishing schema, in place."""
    for fix in REPAIRS:
        fix(article, report)


def _fix_ids(article: Any, report: ConversionReport) -> None:
    """Make every id valid and unique, and keep references to it pointing right (the rule
    is :func:`..ids.repair_ids`'s; references to nothing are settled by the next repair)."""
    try:
        models = content_models()
    except SchemaUnavailable:  # converted all the same, unvalidated (the report says so)
        models = None
    repaired = repair_ids(article, models, drop_missing=False)
    if repaired.renamed:
        report.changes.append(f"{len(repaired.renamed)} ids made valid and unique")


def _drop_dangling_rids(article: Any, report: ConversionReport) -> None:
    """An xref to an id that does not exist is invalid (IDREF); keep its text, drop the link."""
    ids = {e.get("id") for e in article.iter() if isinstance(e.tag, str) and e.get("id")}
    dropped = 0
    for xref in list(article.iter("xref")):
        rids = (xref.get("rid") or "").split()
        if rids and all(r in ids for r in rids):
            continue
        _unwrap(xref)
        dropped += 1
    if dropped:
        report.warnings.append(f"{dropped} cross-references pointed nowhere and were unlinked")


def _blocks_after_sections(article: Any, report: ConversionReport) -> None:
    """The schema allows paragraphs only before the first sub-section; blocks that follow
    a section (pandoc leaves text after the last heading's content there) join it."""
    moved = 0
    for container in [article.find("body"), *article.iter("sec")]:
        if container is None:
            continue
        last_sec = None
        for child in list(container):
            if child.tag == "sec":
                last_sec = child
            elif last_sec is not None and child.tag not in {"sig-block", "fn-group", "ref-list"}:
                last_sec.append(child)
                moved += 1
    if moved:
        report.changes.append(f"{moved} blocks after a section moved into it")


def _tables_without_body_rows(article: Any, report: ConversionReport) -> None:
    """A table of header rows only has an empty tbody, which the schema rejects."""
    for table in article.iter("table"):
        for tbody in table.findall("tbody"):
            if tbody.find("tr") is not None:
                continue
            thead = table.find("thead")
            if thead is not None and thead.find("tr") is not None:
                tbody.extend(thead.findall("tr"))
                table.remove(thead)
                report.changes.append("a table with header rows only: rows moved to its body")
            else:
                table.remove(tbody)
        if table.find("tbody") is None and table.find("tr") is None:
            etree.SubElement(etree.SubElement(table, "tbody"), "tr")
            report.warnings.append("an empty table was kept as a single empty row")


# Chinese captions ("图1 结构", "表2 各组成绩") often part number and title by a space only.
_FIGURE_CAPTION = re.compile(
    r"^\s*(?:(Figure|Fig\.?)\s*\d+[A-Za-z]?\s*[.:|—–-]|图\s*\d+[A-Za-z]?(?:\s*[.:|—–：-]|\s+\S))",
    re.IGNORECASE,
)


def _figures_from_captioned_images(article: Any, report: ConversionReport) -> None:
    """A paragraph holding only an image, followed by a "Figure N: ..." paragraph, is a
    figure as Word authors make them: it becomes a ``fig`` with label and caption."""
    made = 0
    for p in list(article.iter("p")):
        children = [c for c in p if isinstance(c.tag, str)]
        graphics = [c for c in children if c.tag == "inline-graphic"]
        others = [c for c in children if c.tag not in {"inline-graphic", "named-content"}]
        if len(graphics) != 1 or others or _text(p).strip() != _text(graphics[0]).strip():
            continue
        caption_p = p.getnext()
        if caption_p is None or caption_p.tag != "p" or not _FIGURE_CAPTION.match(_text(caption_p)):
            continue
        image = graphics[0]
        fig = etree.Element("fig")
        anchor = next((c for c in children if c.tag == "named-content" and c.get("id")), None)
        if anchor is not None:
            fig.set("id", anchor.get("id"))
        caption = etree.SubElement(fig, "caption")
        caption_p.tail = None
        caption.append(caption_p)  # moves it out of the body
        graphic = etree.SubElement(fig, "graphic", dict(image.attrib))
        for alt in image.findall("alt-text"):
            graphic.append(alt)
        fig.tail = p.tail
        p.getparent().replace(p, fig)
        made += 1
    if made:
        report.changes.append(f"{made} captioned images made figures")


_TABLE_CAPTION = re.compile(
    r"^\s*(?:(Table|Tab\.?)\s*\d+[A-Za-z]?\s*[.:|—–-]|表\s*\d+[A-Za-z]?(?:\s*[.:|—–：-]|\s+\S))",
    re.IGNORECASE,
)


def _table_captions_from_paragraphs(article: Any, report: ConversionReport) -> None:
    """A "Table N: ..." paragraph right above (or below) a table without a caption is
    that table's caption, typed as a plain paragraph."""
    moved = 0
    for table_wrap in list(article.iter("table-wrap")):
        if table_wrap.find("caption") is not None:
            continue
        for candidate in (table_wrap.getprevious(), table_wrap.getnext()):
            if candidate is None or candidate.tag != "p":
                continue
            if not _TABLE_CAPTION.match(_text(candidate)):
                continue
            caption = etree.Element("caption")
            candidate.getparent().remove(candidate)
            candidate.tail = None
            caption.append(candidate)
            position = 1 if table_wrap.find("label") is not None else 0
            table_wrap.insert(position, caption)
            moved += 1
            break
    if moved:
        report.changes.append(f"{moved} table captions taken from the paragraph beside them")


REPAIRS: list[_Repair] = [
    _figures_from_captioned_images,
    _table_captions_from_paragraphs,
    _label_and_anchor_floats,
    _crossref_link_texts,
    _link_float_mentions,
    _fix_ids,
    _drop_dangling_rids,
    _blocks_after_sections,
    _tables_without_body_rows,
]
