"""Parse XML from outside safely: no entity expansion, no DTD or network fetches, limits.

Every parse of a document we did not write goes through :func:`parse_xml`, so the rules
(entity resolution off, network off, depth and size limits) live in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# Explicit limits (DESIGN.md, "Bad input"); the app may pass stricter ones from settings.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 256


class XMLInputError(ValueError):
    """The input is not usable XML: malformed, too large, too deep, or uses entities."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class XMLLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


def make_parser(*, remove_blank_text: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_blank_text=remove_blank_text,
    )


def _check_depth(root: etree._Element, max_depth: int) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            line = getattr(element, "sourceline", None)
            raise XMLInputError(f"XML nested deeper than {max_depth} levels", line)
        stack.extend((child, depth + 1) for child in element)


def _reject_entity_declarations(tree: etree._ElementTree) -> None:
    docinfo = tree.docinfo
    internal = docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        raise XMLInputError("XML declares its own entities, which are not accepted")


def parse_xml(
    source: bytes | str | os.PathLike[str], limits: XMLLimits | None = None
) -> etree._ElementTree:
    """Parse bytes or a file path into a tree, or raise :class:`XMLInputError`.

    A ``str`` is taken as a path; pass document text as bytes.
    """
    limits = limits or XMLLimits()
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise XMLInputError(f"cannot read {path}: {exc.strerror}") from exc
        if size > limits.max_bytes:
            raise XMLInputError(f"XML file is {size} bytes; the limit is {limits.max_bytes}")
        data = path.read_bytes()
    if len(data) > limits.max_bytes:
        raise XMLInputError(f"XML is {len(data)} bytes; the limit is {limits.max_bytes}")
    if not data.strip():
        raise XMLInputError("the XML document is empty")
    try:
        tree = etree.ElementTree(etree.fromstring(data, make_parser()))
    except etree.XMLSyntaxError as exc:
        raise XMLInputError(f"malformed XML: {exc.msg}", exc.lineno) from exc
    _reject_entity_declarations(tree)
    _check_depth(tree.getroot(), limits.max_depth)
    return tree
