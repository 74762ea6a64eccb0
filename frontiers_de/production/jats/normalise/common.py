"""What the normalisation's parts share: namespaces, the result and its change log, how an
element is named in a change, and the tree edits that keep text (unwrap, remove)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from frontiers_de.xml.schemas import SchemaError

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


def _record_dropped(changes: list[str], text: str) -> None:
    if isinstance(changes, _ChangeLog):
        changes.dropped_text.append(text)


def _append_text(parent: etree._Element, child: etree._Element, text: str) -> None:
    previous = child.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _move_text_before(child: etree._Element) -> None:
    """Keep the child's tail text where it stood when the child moves away."""
    if child.tail and child.tail.strip():
        parent = child.getparent()
        assert parent is not None
        _append_text(parent, child, child.tail)
    child.tail = None


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
