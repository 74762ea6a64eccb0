"""Element ids: what a valid one is, how invalid and repeated ones are renamed, and how the
references to them follow. One rule for conversion (:mod:`.convert`) and normalisation
(:mod:`.normalise`); each says what it did in its own report.

A valid id starts with an ASCII letter or ``_`` and goes on with ASCII letters, digits,
``.``, ``-``, ``_``, or any other character the schema validator takes as a name character
in an ``xs:ID``. libxml2 checks names against the XML 1.0 (4th edition) character tables,
which know neither superscript digits and fractions (``²``, ``½``), nor modifier letters,
nor the letters Unicode added since (CJK extension A): rather than copy those tables, a
character beyond ASCII is put to the validator itself, once per character.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from frontiers_de.production.jats.content_model import ContentModels

_START = re.compile(r"[A-Za-z_]")
_ID_SCHEMA = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:element name="e"><xs:complexType><xs:attribute name="id" type="xs:ID"/></xs:complexType>
</xs:element></xs:schema>"""
_validating = threading.Lock()
# The JATS 1.3 attributes that name ids, by name: what references are when the official
# schemas (and with them the content models) are not at hand. With them, each element's
# own model says which of its attributes are references.
REFERENCE_ATTRIBUTES = {
    "rid": "IDREFS",
    "headers": "IDREFS",
    "pointer-to-question": "IDREFS",
    "pointer-to-explained": "IDREFS",
    "continued-from": "IDREF",
    "glyph-data": "IDREF",
}


@functools.cache
def _id_validator() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(_ID_SCHEMA))


@functools.lru_cache(maxsize=4096)  # bounded: a hostile document may hold every character
def _name_character(char: str) -> bool:
    """True for a character an id may hold after its first."""
    if char.isascii():
        return char.isalnum() or char in "_.-"
    try:
        probe = etree.Element("e", id=f"a{char}")
    except ValueError:  # not a character XML allows at all
        return False
    with _validating:
        return _id_validator().validate(probe)


def is_valid_id(value: str) -> bool:
    """True for an id the schema accepts as it stands."""
    return bool(value) and bool(_START.match(value)) and all(map(_name_character, value))


def as_valid_id(value: str) -> str:
    """``value`` made a valid id: other characters become ``-``, and a name that does not
    start with an ASCII letter or ``_`` is prefixed with ``id-`` (``"1"`` → ``"id-1"``)."""
    cleaned = "".join(c if _name_character(c) else "-" for c in value.strip()) or "id"
    return cleaned if _START.match(cleaned) else f"id-{cleaned}"


@dataclass
class IdRepair:
    """What :func:`repair_ids` did.

    ``renamed``: ``(old, new)`` for each element whose id changed, in document order.
    ``follows``: old id → new id, for the references (they mean the first element that
    had the id). ``ids``: every id in the document afterwards. ``references``: for each
    reference attribute changed, ``(element, attribute, dropped)``, where ``dropped`` lists
    the ids it named that exist nowhere (empty when it only followed a rename).
    """

    renamed: list[tuple[str, str]] = field(default_factory=list)
    follows: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    references: list[tuple[Any, str, list[str]]] = field(default_factory=list)


def repair_ids(root: Any, models: ContentModels | None, *, drop_missing: bool = True) -> IdRepair:
    """Make every id valid and unique, and the references (``rid`` and the schema's other
    IDREF/IDREFS attributes, as the content models name them, or
    :data:`REFERENCE_ATTRIBUTES` when ``models`` is None) follow.

    An id that is not valid is rewritten (:func:`as_valid_id`); a second element with an id
    already taken gets ``-2``, ``-3`` ... added, and references keep pointing at the first
    element, as they did for any reader. An IDREF attribute keeps one id. With
    ``drop_missing``, references to ids that exist nowhere are taken out of the list (the
    attribute goes when none is left); without, they are left for the caller to settle.
    """
    result = IdRepair()
    originals: set[str] = set()
    for element in _elements(root):
        old = element.get("id")
        if old is None:
            continue
        new = old if is_valid_id(old) else as_valid_id(old)
        base, n = new, 1
        while new in result.ids:
            n += 1
            new = f"{base}-{n}"
        result.ids.add(new)
        if new != old:
            element.set("id", new)
            result.renamed.append((old, new))
            if old not in originals:  # references mean the first element with that id
                result.follows[old] = new
        originals.add(old)
    for element in _elements(root):
        if element.tag[0] == "{":  # MathML, ALI: not JATS references
            continue
        if models is None:
            references = REFERENCE_ATTRIBUTES
        else:
            model = models.get(element.tag)
            if model is None:
                continue
            references = model.id_references
        for attribute, kind in references.items():
            _follow(element, attribute, kind, result, drop_missing)
    return result


def _elements(root: Any) -> Iterator[Any]:
    return (e for e in root.iter() if isinstance(e.tag, str))


def _follow(element: Any, attribute: str, kind: str, result: IdRepair, drop_missing: bool) -> None:
    value = element.get(attribute)
    if value is None:
        return
    tokens = [result.follows.get(t, t) for t in value.split()]
    kept = [t for t in tokens if t in result.ids] if drop_missing else tokens
    if kind == "IDREF":
        kept = kept[:1]
    if kept == value.split():
        return
    dropped = [t for t in value.split() if result.follows.get(t, t) not in kept]
    if kept:
        element.set(attribute, " ".join(kept))
    else:
        del element.attrib[attribute]
    result.references.append((element, attribute, dropped))
