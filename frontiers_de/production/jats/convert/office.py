"""Office formats (DOCX, ODT) around pandoc: the archive checked, Word's review marks
reported, citation-manager fields used when they are unambiguous, ODT formula objects kept
as MathML, and the document's own title read from its properties."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.production.jats import archive
from frontiers_de.production.jats.convert.common import (
    CITATIONS_FILTER,
    MML,
    XLINK,
    ConversionError,
    ConversionReport,
    PandocInput,
)
from frontiers_de.xml.safe import XMLInputError, parse_xml

REQUIRED_PART = {"docx": "word/document.xml", "odt": "content.xml"}


def _office_input(
    data: bytes,
    name: str,
    kind: str,
    workdir: Path,
    limits: archive.ArchiveLimits | None,
    report: ConversionReport,
) -> PandocInput:
    """A DOCX or ODT checked and written for pandoc, with what pandoc would not keep."""
    info = _checked_zip(data, name, limits)
    if REQUIRED_PART[kind] not in info.names:
        raise ConversionError(
            "input", f"not a {kind.upper()} file (no {REQUIRED_PART[kind]})", name
        )
    document_title = _office_title(data, kind)
    if kind == "docx":
        _note_revisions_and_comments(data, info, report)
    odt_formulas: dict[str, tuple[Any, bool]] = {}
    if kind == "odt":
        data, odt_formulas = _odt_formulas_to_markers(data, report)
    input_path = workdir / f"manuscript.{kind}"
    input_path.write_bytes(data)
    pandoc_format = kind
    extra: list[str] = []
    if kind == "docx" and _field_citations_usable(data, report):
        # Zotero/Mendeley fields carry the full CSL data of every cited work:
        # citations become xrefs and pandoc's citeproc writes element-citations.
        pandoc_format = "docx+citations"
        extra = [
            "--to",
            "jats_publishing+element_citations",
            "--lua-filter",
            str(CITATIONS_FILTER),
            "--citeproc",
        ]
    return PandocInput(
        input_path,
        pandoc_format,
        extra,
        document_title=document_title,
        odt_formulas=odt_formulas,
    )


def _checked_zip(
    data: bytes, name: str, limits: archive.ArchiveLimits | None
) -> archive.ArchiveInfo:
    try:
        return archive.inspect_zip(data, limits, reject_dtd=True)
    except archive.ArchiveError as exc:
        raise ConversionError("archive", str(exc), name) from exc


def _note_revisions_and_comments(
    data: bytes, info: archive.ArchiveInfo, report: ConversionReport
) -> None:
    """Say what pandoc does with Word's review marks: tracked changes are accepted, comments
    are left out of the article."""
    try:
        document = archive.read_member(data, "word/document.xml")
    except archive.ArchiveError:
        return
    insertions = len(re.findall(rb"<w:ins\b", document))
    deletions = len(re.findall(rb"<w:del\b", document))
    if insertions or deletions:
        report.warnings.append(
            f"tracked changes accepted ({insertions} insertions, {deletions} deletions)"
        )
    if "word/comments.xml" in info.names:
        comments = len(re.findall(rb"<w:comment\b", archive.read_member(data, "word/comments.xml")))
        if comments:
            report.warnings.append(f"{comments} Word comments left out of the article")


_CSL_MARKER = re.compile(r"CSL_CITATION\s*")


def _field_citations_usable(data: bytes, report: ConversionReport) -> bool:
    """True when the DOCX cites through Zotero/Mendeley fields whose item ids are unambiguous.

    Mendeley numbers its items ITEM-1, ITEM-2 afresh in every field, so one id can stand for
    several works; pandoc keeps one of them per id. Such documents keep the rendered text
    and the bibliography the author pasted in, which references.py structures instead.
    """
    import html
    import json

    try:
        document = archive.read_member(data, "word/document.xml").decode("utf-8", "replace")
    except archive.ArchiveError:
        return False
    if "CSL_CITATION" not in document:
        return False
    instructions = html.unescape(
        "".join(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", document))
    )
    decoder = json.JSONDecoder()
    works: dict[str, set[str]] = {}
    for match in _CSL_MARKER.finditer(instructions):
        try:
            field_data, _ = decoder.raw_decode(instructions, match.end())
        except ValueError:
            continue
        for item in field_data.get("citationItems", []) if isinstance(field_data, dict) else []:
            item_data = item.get("itemData") or {}
            key = str(item.get("id") or item_data.get("id"))
            works.setdefault(key, set()).add(json.dumps(item_data.get("title"), sort_keys=True))
    if not works:
        return False
    clashes = [key for key, titles in works.items() if len(titles) > 1]
    if clashes:
        report.warnings.append(
            f"citation fields reuse item ids for different works ({', '.join(clashes[:3])}); "
            "citations kept as text and linked from the document's own reference list"
        )
        return False
    report.changes.append(f"{len(works)} cited works taken from the citation manager's fields")
    return True


_ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_FORMULA_MARKER = re.compile(r"FDEMATHMARK(\d+)X")


def _odt_formulas_to_markers(
    data: bytes, report: ConversionReport
) -> tuple[bytes, dict[str, tuple[Any, bool]]]:
    """Replace each embedded formula object of an ODT with a marker word.

    pandoc's ODT reader drops formula objects (their MathML lives in a sub-document such as
    ``Object 1/content.xml``). We keep the MathML aside, let pandoc convert the text with a
    marker in the formula's place, and put the MathML back where the marker comes out.
    """
    try:
        content = parse_xml(archive.read_member(data, "content.xml"))
    except (archive.ArchiveError, XMLInputError):
        return data, {}
    formulas: dict[str, tuple[Any, bool]] = {}
    for frame in list(content.iter(f"{{{_ODF_DRAW}}}frame")):
        obj = frame.find(f"{{{_ODF_DRAW}}}object")
        if obj is None:
            continue
        href = (obj.get(f"{{{XLINK}}}href") or "").removeprefix("./").rstrip("/")
        if not href:
            continue
        try:
            math = parse_xml(archive.read_member(data, f"{href}/content.xml")).getroot()
        except (archive.ArchiveError, XMLInputError):
            continue
        if math.tag != f"{{{MML}}}math":
            continue
        marker = f"FDEMATHMARK{len(formulas)}X"
        anchored = frame.get(f"{{{_ODF_TEXT}}}anchor-type")
        display = math.get("display") == "block" or anchored not in (None, "as-char")
        formulas[marker] = (math, display)
        parent = frame.getparent()
        previous = frame.getprevious()
        text = marker + (frame.tail or "")
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(frame)
    if not formulas:
        return data, {}
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "content.xml":
                member = etree.tostring(content, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, member)
    report.changes.append(f"{len(formulas)} ODT formula objects kept as MathML")
    return rebuilt.getvalue(), formulas


def _copy_math(parent: Any, source: Any) -> None:
    """Copy a MathML subtree under ``parent`` so it takes the document's ``mml:`` prefix."""
    if not isinstance(source.tag, str):
        return
    element = etree.SubElement(parent, source.tag, dict(source.attrib))
    element.text = source.text
    element.tail = source.tail
    for child in source:
        _copy_math(element, child)


def _markers_to_formulas(
    root: Any, formulas: Mapping[str, tuple[Any, bool]], report: ConversionReport
) -> None:
    placed = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for slot, owner in [("text", element), *(("tail", c) for c in element)]:
            value = getattr(owner, slot)
            if not value or "FDEMATHMARK" not in value:
                continue
            parts = _FORMULA_MARKER.split(value)
            setattr(owner, slot, parts[0])
            anchor = None if slot == "text" else owner
            for i in range(1, len(parts), 2):
                math, display = formulas.get(f"FDEMATHMARK{parts[i]}X", (None, False))
                if math is None:
                    continue
                wrapper = etree.Element("disp-formula" if display else "inline-formula")
                holder = etree.SubElement(element, "_holder")
                _copy_math(holder, math)
                copied = holder[0]
                copied.tail = None
                wrapper.append(copied)
                element.remove(holder)
                wrapper.tail = parts[i + 1]
                if anchor is None:
                    element.insert(0, wrapper)
                else:
                    anchor.addnext(wrapper)
                anchor = wrapper
                placed += 1
    if placed != len(formulas):
        report.warnings.append(f"{len(formulas) - placed} ODT formulas could not be placed")


def _office_title(data: bytes, kind: str) -> str | None:
    """dc:title from the document properties, the author's own title when the body lacks one."""
    part = "docProps/core.xml" if kind == "docx" else "meta.xml"
    try:
        tree = parse_xml(archive.read_member(data, part))
    except (archive.ArchiveError, XMLInputError):
        return None
    for element in tree.iter("{http://purl.org/dc/elements/1.1/}title"):
        text = " ".join("".join(element.itertext()).split())
        if text:
            return text
    return None
