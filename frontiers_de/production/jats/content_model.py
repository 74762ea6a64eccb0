"""The content models of JATS 1.3 Journal Publishing, read from the official XSD.

Normalisation has to know, for any element, which children the Publishing schema allows and
in which order. Rather than keep a hand-written table that drifts from the standard, the
models are compiled from the XSD itself (``fde.schema_dir``): every ``xsd:element`` declaration
becomes a particle tree, and every particle tree a regular expression over one private-use
character per element name, so checking a child list is one ``re.fullmatch``.

lxml exposes no content-model API on a compiled ``XMLSchema``, which is why the XSD is read
here as plain XML; the JATS XSD uses only ``element``/``group``/``sequence``/``choice`` with
occurrence bounds, so this reading is complete for it (other namespaces such as MathML and
ALI are treated as opaque leaves).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.config import schema_dir
from frontiers_de.xml.schemas import ENTRY_POINTS, SchemaUnavailable

XSD = "http://www.w3.org/2001/XMLSchema"
UNBOUNDED = -1

# Prefixes used by the JATS XSD for elements of other namespaces.
_PREFIXES = {
    "mml": "http://www.w3.org/1998/Math/MathML",
    "ali": "http://www.niso.org/schemas/ali/1.0/",
    "xlink": "http://www.w3.org/1999/xlink",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


@dataclass(frozen=True)
class Particle:
    """One node of a content model: an element reference, a sequence or a choice."""

    kind: str  # "element", "sequence" or "choice"
    min: int
    max: int  # UNBOUNDED for "unbounded"
    name: str = ""
    children: tuple[Particle, ...] = ()


@dataclass(frozen=True)
class ElementModel:
    name: str
    mixed: bool
    particle: Particle | None  # None: no element children at all
    allowed: frozenset[str]
    # For models that are a top-level sequence: the names each position of it admits, in
    # order. Used to put children into schema order without changing the order within one
    # position (for example the paragraphs of a section).
    slots: tuple[frozenset[str], ...]
    attributes: frozenset[str]
    # attributes that point at ids: name -> "IDREF" (one id) or "IDREFS" (a list)
    id_references: Mapping[str, str] = field(default_factory=dict)
    required_attributes: frozenset[str] = frozenset()
    # Within a position that holds at most one group (``(surname, given-names?) |
    # given-names``, ``(day?, month?) | season``), the order the names appear in it.
    slot_orders: tuple[Mapping[str, int], ...] = ()


class ContentModels:
    """All element models of one JATS XSD, with a fast validity check per child list."""

    def __init__(self, models: Mapping[str, ElementModel]) -> None:
        self.models = dict(models)
        names = sorted({n for m in self.models.values() for n in m.allowed} | set(self.models))
        self._token = {name: chr(0xE000 + i) for i, name in enumerate(names)}
        self._regex: dict[str, re.Pattern[str]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.models

    def get(self, name: str) -> ElementModel | None:
        return self.models.get(name)

    def allows(self, parent: str, child: str) -> bool:
        model = self.models.get(parent)
        return model is not None and child in model.allowed

    def matches(self, parent: str, children: Iterable[str]) -> bool:
        """Whether this sequence of child element names is valid content for ``parent``."""
        model = self.models.get(parent)
        if model is None:
            return True  # not a JATS element: not ours to judge
        tokens = []
        for child in children:
            token = self._token.get(child)
            if token is None:
                return False
            tokens.append(token)
        pattern = self._regex.get(parent)
        if pattern is None:
            source = self._to_regex(model.particle) if model.particle else ""
            pattern = self._regex[parent] = re.compile(source)
        return pattern.fullmatch("".join(tokens)) is not None

    def sort_key(self, parent: str, child: str) -> tuple[int, int] | None:
        """Where ``child`` goes among ``parent``'s children: (position, order within it)."""
        model = self.models.get(parent)
        if model is None:
            return None
        for index, names in enumerate(model.slots):
            if child in names:
                orders = model.slot_orders[index] if index < len(model.slot_orders) else {}
                return index, orders.get(child, 0)
        return None

    def slot_of(self, parent: str, child: str) -> int | None:
        """The first position of ``parent``'s top-level sequence that admits ``child``."""
        model = self.models.get(parent)
        if model is None:
            return None
        for index, names in enumerate(model.slots):
            if child in names:
                return index
        return None

    def _to_regex(self, particle: Particle) -> str:
        if particle.kind == "element":
            body = re.escape(self._token[particle.name])
        elif not particle.children:
            return ""  # an empty group (used for EMPTY elements) admits nothing
        elif particle.kind == "choice" and all(
            p.kind == "element" and p.min == p.max == 1 for p in particle.children
        ):
            # A choice of single elements is a character class: linear-time matching.
            body = "[" + "".join(re.escape(self._token[p.name]) for p in particle.children) + "]"
        else:
            joiner = "|" if particle.kind == "choice" else ""
            inner = joiner.join(self._to_regex(p) for p in particle.children)
            body = f"(?:{inner})"
        return body + _quantifier(particle.min, particle.max)


def _quantifier(low: int, high: int) -> str:
    if (low, high) == (1, 1):
        return ""
    if (low, high) == (0, 1):
        return "?"
    if (low, high) == (0, UNBOUNDED):
        return "*"
    if (low, high) == (1, UNBOUNDED):
        return "+"
    return f"{{{low},{'' if high == UNBOUNDED else high}}}"


def _occurs(node: etree._Element) -> tuple[int, int]:
    low = int(node.get("minOccurs", "1"))
    raw = node.get("maxOccurs", "1")
    return low, UNBOUNDED if raw == "unbounded" else int(raw)


def _qualified(ref: str) -> str:
    if ":" in ref:
        prefix, local = ref.split(":", 1)
        return f"{{{_PREFIXES[prefix]}}}{local}"
    return ref


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        q = f"{{{XSD}}}"
        self.q = q
        self.groups = {g.get("name"): g for g in root.iterchildren(q + "group")}
        self.elements = {e.get("name"): e for e in root.iterchildren(q + "element")}
        self._group_cache: dict[str, Particle | None] = {}

    def particle(self, node: etree._Element) -> Particle | None:
        tag = etree.QName(node).localname
        low, high = _occurs(node)
        if tag == "element":
            return Particle("element", low, high, name=_qualified(node.get("ref")))
        if tag == "group":
            inner = self.group(node.get("ref"))
            if inner is None:
                return None
            if (low, high) == (1, 1):
                return inner
            return Particle("sequence", low, high, children=(inner,))
        if tag in {"sequence", "choice"}:
            children = [self.particle(c) for c in node if isinstance(c.tag, str)]
            kept = tuple(c for c in children if c is not None)
            if tag == "choice":
                kept = _flatten_choice(kept)
            return Particle(tag, low, high, children=kept)
        return None  # annotation, attribute, ...

    def group(self, name: str) -> Particle | None:
        if name not in self._group_cache:
            self._group_cache[name] = None  # guards against recursion
            node = self.groups[name]
            parts = [self.particle(c) for c in node if isinstance(c.tag, str)]
            kept = [p for p in parts if p is not None]
            self._group_cache[name] = kept[0] if kept else None
        return self._group_cache[name]

    def model(self, name: str) -> ElementModel:
        decl = self.elements[name]
        ctype = decl.find(self.q + "complexType")
        attributes = frozenset(
            _qualified(a.get("name") or a.get("ref"))
            for a in (ctype.iter(self.q + "attribute") if ctype is not None else ())
        )
        required = frozenset(
            a.get("name") or a.get("ref")
            for a in (ctype.iter(self.q + "attribute") if ctype is not None else ())
            if a.get("use") == "required"
        )
        references = {
            a.get("name"): a.get("type").split(":")[-1]
            for a in (ctype.iter(self.q + "attribute") if ctype is not None else ())
            if a.get("type") in {"xsd:IDREF", "xsd:IDREFS"}
        }
        if ctype is None:  # simple type: text only
            return ElementModel(name, True, None, frozenset(), (), attributes, references, required)
        mixed = ctype.get("mixed") == "true"
        particle = None
        for child in ctype:
            if isinstance(child.tag, str) and etree.QName(child).localname in {
                "group",
                "sequence",
                "choice",
            }:
                particle = self.particle(child)
                break
        allowed = frozenset(_names(particle)) if particle else frozenset()
        return ElementModel(
            name,
            mixed,
            particle,
            allowed,
            _slots(particle),
            attributes,
            references,
            required,
            _slot_orders(particle),
        )


def _flatten_choice(children: tuple[Particle, ...]) -> tuple[Particle, ...]:
    out: list[Particle] = []
    for child in children:
        if child.kind == "choice" and child.min == child.max == 1:
            out.extend(child.children)
        else:
            out.append(child)
    return tuple(out)


def _names(particle: Particle) -> Iterable[str]:
    if particle.kind == "element":
        yield particle.name
    for child in particle.children:
        yield from _names(child)


def _slots(particle: Particle | None) -> tuple[frozenset[str], ...]:
    if particle is None:
        return ()
    if particle.kind != "sequence" or particle.max != 1:
        return (frozenset(_names(particle)),)
    slots: list[frozenset[str]] = []
    for child in particle.children:
        if child.kind == "sequence" and child.max == 1:
            slots.extend(_slots(child))
        else:
            slots.append(frozenset(_names(child)))
    return tuple(slots)


def _slot_particles(particle: Particle | None) -> list[Particle]:
    if particle is None:
        return []
    if particle.kind != "sequence" or particle.max != 1:
        return [particle]
    out: list[Particle] = []
    for child in particle.children:
        if child.kind == "sequence" and child.max == 1:
            out.extend(_slot_particles(child))
        else:
            out.append(child)
    return out


def _slot_orders(particle: Particle | None) -> tuple[Mapping[str, int], ...]:
    orders: list[Mapping[str, int]] = []
    for slot in _slot_particles(particle):
        order: dict[str, int] = {}
        if slot.max == 1:  # a repeated choice lets its names mix in any order
            for name in _names(slot):
                order.setdefault(name, len(order))
        orders.append(order)
    return tuple(orders)


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str) -> ContentModels:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.parse(path, parser).getroot()
    reader = _Reader(root)
    return ContentModels({name: reader.model(name) for name in reader.elements})


def content_models(settings: Mapping[str, Any] | None = None) -> ContentModels:
    """The JATS 1.3 Publishing content models, read once per process from the schema dir."""
    root = schema_dir(settings)
    if root is None:
        raise SchemaUnavailable(
            "official schemas not found: set fde.schema_dir or FDE_SCHEMA_DIR "
            "(../shared/schemas in development)"
        )
    driver = root / ENTRY_POINTS["jats-1.3"]
    elements = driver.with_name(driver.stem + "-elements.xsd")
    if not elements.exists():
        raise SchemaUnavailable(f"JATS 1.3 element declarations not found at {elements}")
    with _lock:
        return _load(str(Path(elements).resolve()))
