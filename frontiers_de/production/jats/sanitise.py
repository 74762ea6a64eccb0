"""What an article's JATS may hold besides JATS itself: the one list, and the cleaner.

A JATS document is served as it is (``/articles/{doi}/xml``, OAI-PMH records) and read by
browsers, indexers and harvesters, so it must carry nothing that a browser would run. JATS
elements have no namespace; the only others an article needs are MathML (formulas), ALI
(licences), XLink (links) and ``xml:`` (languages). Everything else is dropped:

- elements in any other namespace (an XHTML ``<script>``, SVG, XSLT, XInclude), with their
  content, and MathML ``annotation-xml``, whose content may be any markup at all;
- attributes in any other namespace, and event-handler attributes (``on…``), which MathML
  elements honour in browsers;
- links whose scheme runs script (``javascript:``, ``vbscript:``, ``data:`` other than a
  raster image), in ``xlink:href`` and MathML's ``href``/``src``-like attributes;
- processing instructions (``<?xml-stylesheet?>`` would make a browser run an XSLT) and,
  at document level, anything but the root element.

:func:`sanitise` cleans a tree and says what it removed, one line per kind; normalisation
and conversion call it, and the house rules in ``rules/safety.py`` refuse a document that
still holds any of it (an upload the production editor made by hand).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

MML = "http://www.w3.org/1998/Math/MathML"
XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# The namespaces an article's elements and attributes may be in (None: JATS itself).
ELEMENT_NAMESPACES: frozenset[str | None] = frozenset({None, MML, ALI})
ATTRIBUTE_NAMESPACES: frozenset[str | None] = frozenset({None, XLINK, XML_NS, ALI})
# MathML elements whose content is arbitrary markup from another vocabulary.
DROPPED_MATHML = frozenset({"annotation-xml"})
# Attributes that hold a URL a browser might follow (Clark notation; MathML's are unprefixed).
URL_ATTRIBUTES = frozenset(
    {f"{{{XLINK}}}href", f"{{{XML_NS}}}base", "href", "src", "altimg", "definitionURL"}
)
_PREFIXES = {XLINK: "xlink", XML_NS: "xml", ALI: "ali", MML: "mml"}
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha"})
# data: URLs are kept only for raster images (never SVG or HTML, which can carry script).
_SAFE_DATA = re.compile(r"^data:image/(?:png|jpe?g|gif|webp|bmp|tiff?)[;,]")
# Browsers ignore ASCII whitespace and control characters in a scheme ("java\tscript:").
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def script_url(value: str) -> bool:
    """Whether a browser following ``value`` would run script (or render a document from
    the link itself): javascript:, vbscript: and data: other than raster images."""
    compact = _IGNORED_IN_URL.sub("", value).lower()
    match = _SCHEME.match(compact)
    if match is None:
        return False
    scheme = match.group(1)
    if scheme in SCRIPT_SCHEMES:
        return True
    return scheme == "data" and not _SAFE_DATA.match(compact)


def event_attribute(name: str) -> bool:
    """An event-handler attribute (``onload``, ``onclick``…): no JATS or MathML attribute
    starts with "on"."""
    return etree.QName(name).localname.lower().startswith("on")


@dataclass(frozen=True)
class Unsafe:
    """One thing an article may not hold: ``kind`` (element, attribute, link, instruction),
    a readable ``what``, and the node it is on."""

    kind: str
    what: str
    node: etree._Element


def _namespace(name: str) -> str | None:
    return etree.QName(name).namespace


def _element_name(element: etree._Element) -> str:
    qname = etree.QName(element)
    if qname.namespace == MML:
        return f"mml:{qname.localname}"
    if qname.namespace:
        return f'{qname.localname} xmlns="{qname.namespace}"'
    return qname.localname


def _attribute_name(name: str) -> str:
    qname = etree.QName(name)
    if qname.namespace in _PREFIXES:
        return f"{_PREFIXES[qname.namespace]}:{qname.localname}"
    if qname.namespace:
        return f"{qname.localname} (namespace {qname.namespace})"
    return qname.localname


def _unsafe_element(element: etree._Element) -> str | None:
    namespace = etree.QName(element).namespace
    if namespace not in ELEMENT_NAMESPACES:
        return _element_name(element)
    if namespace == MML and etree.QName(element).localname in DROPPED_MATHML:
        return _element_name(element)
    return None


def find_unsafe(root: etree._Element) -> Iterator[Unsafe]:
    """Everything in the document that :func:`sanitise` would remove, in document order.

    The content of an unsafe element is not searched (it goes with the element)."""
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction):
            yield Unsafe("instruction", f"<?{sibling.target}?>", sibling)
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, etree._ProcessingInstruction):
            yield Unsafe("instruction", f"<?{node.target}?>", node)
            continue
        if not isinstance(node.tag, str):  # comments and entities: inert
            continue
        name = _unsafe_element(node)
        if name is not None:
            yield Unsafe("element", f"<{name}>", node)
            continue
        for attribute, value in node.attrib.items():
            if _namespace(attribute) not in ATTRIBUTE_NAMESPACES or event_attribute(attribute):
                yield Unsafe("attribute", _attribute_name(attribute), node)
            elif attribute in URL_ATTRIBUTES and script_url(value):
                scheme = _IGNORED_IN_URL.sub("", value).split(":", 1)[0].lower()
                yield Unsafe("link", f'{_attribute_name(attribute)}="{scheme}:…"', node)
        stack.extend(reversed(list(node)))


def _remove(node: etree._Element) -> None:
    """Remove an element or instruction, keeping the text after it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    parent.remove(node)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _line(node: etree._Element) -> int | None:
    while node is not None:
        if node.sourceline:
            return int(node.sourceline)
        node = node.getparent()
    return None


@dataclass
class SanitiseResult:
    """The cleaned root (a new element when document-level nodes had to go) and one line
    per kind of thing removed, for the conversion report."""

    root: etree._Element
    removed: list[str]


def sanitise(root: etree._Element) -> SanitiseResult:
    """Remove from the article everything outside JATS, MathML, ALI, XLink and ``xml:``
    (see the module docstring), in place; say what went, grouped, with the first line.

    Use ``result.root`` afterwards: processing instructions beside the root element can
    only be dropped by taking the root out of its document.
    """
    found = list(find_unsafe(root))
    groups: Counter[tuple[str, str]] = Counter()
    first_line: dict[tuple[str, str], int | None] = {}
    detached = False
    for item in found:
        key = (item.kind, item.what)
        groups[key] += 1
        first_line.setdefault(key, _line(item.node))
        if item.kind == "instruction" and item.node.getparent() is None:
            detached = True  # beside the root element, outside it
        elif item.kind in ("element", "instruction"):
            _remove(item.node)
        elif item.kind in ("attribute", "link"):
            for attribute in list(item.node.attrib):
                unsafe = _namespace(attribute) not in ATTRIBUTE_NAMESPACES or event_attribute(
                    attribute
                )
                if unsafe or (
                    attribute in URL_ATTRIBUTES and script_url(item.node.get(attribute, ""))
                ):
                    del item.node.attrib[attribute]
    if detached:
        tail = root.tail
        root = copy.deepcopy(root)
        root.tail = tail
    if found:
        # declarations of the namespaces just emptied go too; the article's own stay
        etree.cleanup_namespaces(root, keep_ns_prefixes=["mml", "xlink", "ali"])
    removed = []
    for (kind, what), count in groups.items():
        line = first_line[(kind, what)]
        where = f" (first at line {line})" if line else ""
        times = f" {count}×" if count > 1 else ""
        removed.append(f"removed{times} {_DESCRIPTION[kind]} {what}{where}: {_REASON[kind]}")
    return SanitiseResult(root, removed)


_DESCRIPTION = {
    "element": "element",
    "attribute": "attribute",
    "link": "link",
    "instruction": "processing instruction",
}
_REASON = {
    "element": "only JATS, MathML (without annotation-xml) and ALI elements are kept",
    "attribute": "only JATS, MathML, XLink, ALI and xml: attributes are kept, and no event handler",
    "link": "a link that runs script is never kept",
    "instruction": "processing instructions are never kept",
}


__all__ = [
    "ALI",
    "ATTRIBUTE_NAMESPACES",
    "ELEMENT_NAMESPACES",
    "MML",
    "SanitiseResult",
    "Unsafe",
    "event_attribute",
    "find_unsafe",
    "sanitise",
    "script_url",
]
