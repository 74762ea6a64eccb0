"""Step 5, the last: whatever the schema still refuses where it stands gives up its markup,
never its text (:func:`repair_to_schema`, also run by the conversion)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from frontiers_de.production.jats.content_model import ContentModels, content_models
from frontiers_de.production.jats.normalise.attributes import _repair_attributes
from frontiers_de.production.jats.normalise.common import (
    MAX_PASSES,
    _ChangeLog,
    _describe,
    _is_element,
    _name,
    _record_dropped,
    _remove_keep_tail,
    _unwrap,
)
from frontiers_de.production.jats.normalise.structure import _PROTECTED, _fix_disallowed, _fix_order
from frontiers_de.xml.schemas import SchemaError, validate

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
