"""Parse XML from outside safely: no entity expansion, no DTD or network fetches, limits.

Every parse of a document we did not write goes through :func:`parse_xml`, so the rules
(entity resolution off, network off, depth and size limits) live in one place.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.xml.entities import character_entities_dtd, is_standard_doctype

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
        raise XMLInputError(_entity_problem(exc.msg, None), exc.lineno) from exc
    _reject_entity_declarations(tree)
    tree = _with_standard_entities(data, tree)
    _check_depth(tree.getroot(), limits.max_depth)
    return tree


class _StandardEntities(etree.Resolver):
    """Answers every request for a DTD with the standard character entities, so neither the
    document's own DTD nor any other file or URL is ever read."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        return self.resolve_string(character_entities_dtd(), context)


def _with_standard_entities(data: bytes, tree: etree._ElementTree) -> etree._ElementTree:
    """The tree with the character entities of a standard DTD (JATS, NLM, XHTML) resolved.

    Called after :func:`_reject_entity_declarations`, so the only declarations the second
    parse sees are the standard character entities: one or two characters each.
    """
    docinfo = tree.docinfo
    if is_standard_doctype(docinfo.public_id, docinfo.system_url):
        parser = etree.XMLParser(
            resolve_entities=True,
            no_network=True,
            load_dtd=True,
            dtd_validation=False,
            attribute_defaults=False,
            huge_tree=False,
            remove_comments=False,
        )
        parser.resolvers.add(_StandardEntities())
        try:
            tree = etree.ElementTree(etree.fromstring(data, parser))
        except etree.XMLSyntaxError as exc:
            raise XMLInputError(_entity_problem(exc.msg, docinfo.public_id), exc.lineno) from exc
    unresolved = sorted({node.name for node in tree.getroot().iter(etree.Entity)})
    if unresolved:
        names = ", ".join(f"&{name};" for name in unresolved[:5])
        dtd = docinfo.public_id or docinfo.system_url or "none named"
        raise XMLInputError(
            f"the XML uses {names}, declared only by its DTD ({dtd}), which is not a JATS, "
            "NLM or XHTML DTD whose character entities are known here; write the characters "
            "themselves"
        )
    return tree


def _entity_problem(message: str, public_id: str | None) -> str:
    """The parser's message, or a sentence on the entity it could not resolve."""
    match = re.search(r"Entity '([^']+)' not defined", message)
    if match is None:
        return f"malformed XML: {message}"
    if public_id is None:
        return (
            f"the XML uses the entity &{match[1]}; but has no DOCTYPE of a JATS, NLM or XHTML "
            "DTD that declares it; write the character itself"
        )
    return (
        f"the XML uses the entity &{match[1]};, which is not a standard character entity of "
        f"its DTD ({public_id}); write the character itself"
    )
