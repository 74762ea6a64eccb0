"""Step 2: every element's children made what its 1.3 content model accepts, driven by the
models of the official XSD (:mod:`..content_model`): a child moved up, wrapped, unwrapped or
flattened, children put in schema order, generated separators dropped, empty ones removed."""

from __future__ import annotations

import re

from lxml import etree

from frontiers_de.production.jats.content_model import ContentModels
from frontiers_de.production.jats.normalise.common import (
    MML,
    _append_text,
    _ChangeLog,
    _describe,
    _is_element,
    _move_text_before,
    _name,
    _record_dropped,
    _remove_keep_tail,
    _unwrap,
)

# Containers that may be created to give a stray element a legal home, most natural first.
# Anything else the schema would allow is tried after these, alphabetically, except the
# alternative-rendering wrappers, which say something else about their content.
PREFERRED_WRAPPERS = ("p", "permissions", "sec", "list-item", "caption", "boxed-text")
NEVER_WRAP_IN = {
    "alternatives",
    "block-alternatives",
    "inline-graphic",
    "named-content",
    "styled-content",
    "fig-group",
    "table-wrap-group",
    "disp-formula-group",
    "x",
    "private-char",
    "chem-struct",
    "chem-struct-wrap",
    "ruby",
}


_PUNCTUATION_ONLY = re.compile(r"^[\s,.;:()\[\]&/–—-]*$")


def _repair_structure(root: etree._Element, models: ContentModels, changes: list[str]) -> None:
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag[0] == "{":  # MathML, ALI: validated by their own modules
            continue
        model = models.get(_name(element))
        if model is None:
            continue
        for child in list(element):
            # (a child moved by an earlier repair in this loop is no longer ours to fix)
            if (
                _is_element(child)
                and _name(child) not in model.allowed
                and child.getparent() is element
            ):
                _fix_disallowed(element, child, models, changes)
        _fix_text(element, model.mixed, changes)
        _drop_empty_children(element, models, changes)
        names = [_name(c) for c in element if _is_element(c)]
        if not models.matches(_name(element), names):
            _fix_order(element, models, changes)
        stack.extend(reversed([c for c in element if _is_element(c)]))


def _fix_text(element: etree._Element, mixed: bool, changes: list[str]) -> None:
    """Element-only content may not hold text; generated separators can go, words cannot."""
    if mixed:
        return
    pieces = [("text", element)] + [("tail", c) for c in element]
    for kind, node in pieces:
        value = getattr(node, kind)
        if value and value.strip() and _PUNCTUATION_ONLY.match(value):
            setattr(node, kind, None)
            changes.append(f"removed separator text {value.strip()!r} in {_describe(element)}")
            _record_dropped(changes, value)


def _fix_disallowed(
    parent: etree._Element, child: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    name = _name(child)
    model = models.get(_name(parent))
    assert model is not None
    # <x> is generated punctuation by definition: text where text may stand, else dropped.
    if name == "x":
        text = "".join(child.itertext())
        if model.mixed:
            _unwrap(child)
            changes.append(f"<x>{text}</x> in {_describe(parent)} kept as plain text")
        else:
            _remove_keep_tail(child)
            changes.append(f"removed generated text <x>{text}</x> from {_describe(parent)}")
            _record_dropped(changes, text)
        return
    for strategy in (
        _hoist,
        _wrap,
        _unwrap_if_allowed,
        _hoist_far,
        _flatten_to_text,
        _as_custom_meta,
    ):
        message = strategy(parent, child, models)
        if message:
            changes.append(message)
            return
    # Left where it is (the validator will report it); said once, and not counted as a
    # change, so the repair passes still come to an end.
    if isinstance(changes, _ChangeLog):
        changes.unplaced.add(f"could not place {_describe(child)} inside {_describe(parent)}")


def _hoist(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Move the child out, beside its parent, if the grandparent may hold it."""
    grand = parent.getparent()
    if grand is None or not models.allows(_name(grand), _name(child)):
        return None
    parent_model = models.get(_name(parent))
    assert parent_model is not None
    following = [c for c in child.itersiblings()]
    has_after = bool((child.tail or "").strip()) or any(_is_element(c) for c in following)
    index = grand.index(parent)
    tail = child.tail
    child.tail = None
    if parent_model.mixed and has_after:
        # A paragraph holding a block: split it so reading order is kept.
        rest = etree.Element(parent.tag, {k: v for k, v in parent.attrib.items() if k != "id"})
        rest.text = tail
        for sibling in following:
            rest.append(sibling)
        rest.tail = parent.tail
        parent.tail = None
        grand.insert(index + 1, child)
        grand.insert(index + 2, rest)
        how = "split it"
    else:
        if tail and tail.strip():
            _append_text(parent, child, tail)
        before = child.getprevious() is None and not (parent.text or "").strip()
        child.tail = parent.tail if not before else None
        grand.insert(index if before else index + 1, child)
        if not before:
            parent.tail = None
        how = "moved before it" if before else "moved after it"
    return f"{_describe(child)} not allowed in {_describe(parent)}: {how}"


def _hoist_far(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Move a block out of deeper inline markup to the nearest ancestor that may hold it,
    just after the element that contained it (a figure inside an italic caption label)."""
    path = parent.getparent()
    ancestor = path.getparent() if path is not None else None
    while ancestor is not None and not models.allows(_name(ancestor), _name(child)):
        path, ancestor = ancestor, ancestor.getparent()
    if ancestor is None or path is None:
        return None
    _move_text_before(child)
    ancestor.insert(ancestor.index(path) + 1, child)
    child.tail = path.tail
    path.tail = None
    return (
        f"{_describe(child)} not allowed in {_describe(parent)}: moved up beside {_describe(path)}"
    )


# What a text flattening must never swallow: the content that is counted and cited.
_PROTECTED = {
    "fig",
    "table-wrap",
    "table",
    "disp-formula",
    "inline-formula",
    "graphic",
    "media",
    "sec",
    "ref",
    "supplementary-material",
    "boxed-text",
    "list",
    f"{{{MML}}}math",
}


def _wrap(parent: etree._Element, child: etree._Element, models: ContentModels) -> str | None:
    """Put the child in a new (or the preceding) container that the parent may hold."""
    name = _name(child)
    model = models.get(_name(parent))
    assert model is not None
    candidates = [
        w
        for w in model.allowed
        if w not in NEVER_WRAP_IN
        and w in models
        and models.allows(w, name)
        and not models.models[w].required_attributes  # nothing to fill them with
    ]
    candidates.sort(
        key=lambda w: (
            PREFERRED_WRAPPERS.index(w) if w in PREFERRED_WRAPPERS else len(PREFERRED_WRAPPERS),
            w,
        )
    )
    previous = child.getprevious()
    for wrapper in candidates:
        if (
            previous is not None
            and _is_element(previous)
            and _name(previous) == wrapper
            and models.matches(wrapper, [_name(c) for c in previous if _is_element(c)] + [name])
        ):
            _move_text_before(child)
            previous.append(child)
            return (
                f"{_describe(child)} not allowed in {_describe(parent)}: "
                f"moved into the <{wrapper}> before it"
            )
        for prefix in ([], ["title"]):
            if models.matches(wrapper, [*prefix, name]):
                box = etree.Element(wrapper)
                for tag in prefix:
                    etree.SubElement(box, tag)
                box.tail = child.tail
                child.tail = None
                parent.replace(child, box)
                box.append(child)
                return (
                    f"{_describe(child)} not allowed in {_describe(parent)}: wrapped in <{wrapper}>"
                )
    return None


def _unwrap_if_allowed(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    model = models.get(_name(parent))
    assert model is not None
    if _name(child) in _PROTECTED:  # a figure or formula must stay one
        return None
    inner = [c for c in child if _is_element(c)]
    has_text = bool((child.text or "").strip()) or any((c.tail or "").strip() for c in inner)
    if has_text and not model.mixed:
        return None
    if not all(_name(c) in model.allowed for c in inner):
        return None
    _unwrap(child)
    return (
        f"{_describe(child)} not allowed in {_describe(parent)}: its content kept, the tag dropped"
    )


def _flatten_to_text(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    model = models.get(_name(parent))
    assert model is not None
    if not model.mixed or any(isinstance(e.tag, str) and e.tag in _PROTECTED for e in child.iter()):
        return None
    text = "".join(child.itertext())
    for inner in list(child):
        child.remove(inner)
    child.text = text
    _unwrap(child)
    return f"{_describe(child)} not allowed in {_describe(parent)}: kept as plain text"


def _as_custom_meta(
    parent: etree._Element, child: etree._Element, models: ContentModels
) -> str | None:
    """Article metadata 1.3 has no element for (1.4 ``content-language``, vendor fields):
    kept as a named ``custom-meta`` value, the place the schema gives such facts."""
    if _name(parent) not in {"article-meta", "front-stub"} or len(child):
        return None
    group = parent.find("custom-meta-group")
    if group is None:
        group = etree.Element("custom-meta-group")
        parent.append(group)
    meta = etree.SubElement(group, "custom-meta")
    etree.SubElement(meta, "meta-name").text = etree.QName(child).localname
    etree.SubElement(meta, "meta-value").text = "".join(child.itertext()).strip()
    _move_text_before(child)
    parent.remove(child)
    return f"{_describe(child)} has no place in 1.3 {_describe(parent)}: kept as custom-meta"


def _fix_order(element: etree._Element, models: ContentModels, changes: list[str]) -> None:
    name = _name(element)
    _wrap_flow_after_sections(element, models, changes)
    children = [c for c in element if _is_element(c)]
    names = [_name(c) for c in children]
    if models.matches(name, names):
        return
    keys = [models.sort_key(name, n) for n in names]
    if None not in keys:
        order = sorted(range(len(children)), key=lambda i: keys[i])
        if order != list(range(len(children))) and models.matches(name, [names[i] for i in order]):
            _reorder(element, [children[i] for i in order])
            moved = sorted({names[i] for pos, i in enumerate(order) if pos != i})
            changes.append(
                f"put the children of {_describe(element)} in schema order ({', '.join(moved)})"
            )
            return
    for insert in ("title",):
        for position in range(len(names) + 1):
            trial = [*names[:position], insert, *names[position:]]
            if models.matches(name, trial):
                element.insert(_element_index(element, position), etree.Element(insert))
                changes.append(f"added the empty <{insert}> that {_describe(element)} requires")
                return


def _element_index(element: etree._Element, position: int) -> int:
    """Index in ``element`` (counting comments) of its ``position``-th child element."""
    seen = 0
    for index, child in enumerate(element):
        if _is_element(child):
            if seen == position:
                return index
            seen += 1
    return len(element)


def _reorder(element: etree._Element, ordered: list[etree._Element]) -> None:
    # Comments and processing instructions travel with the element that follows them.
    groups: list[list[etree._Element]] = []
    pending: list[etree._Element] = []
    for node in list(element):
        pending.append(node)
        if _is_element(node):
            groups.append(pending)
            pending = []
    by_element = {id(g[-1]): g for g in groups}
    trailing = pending
    for node in list(element):
        element.remove(node)
    for child in ordered:
        for node in by_element[id(child)]:
            element.append(node)
    for node in trailing:
        element.append(node)


def _wrap_flow_after_sections(
    element: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    """Paragraph-level content after a subsection gets a section of its own.

    Moving it before the subsections would change the reading order; a section with an
    empty title keeps order and content, and the schema allows it.
    """
    name = _name(element)
    sec_slot = models.slot_of(name, "sec")
    flow_slot = models.slot_of(name, "p")  # paragraph-level content: what a section holds
    if sec_slot is None or flow_slot is None or flow_slot >= sec_slot:
        return
    children = [c for c in element if _is_element(c)]
    first_sec = next((i for i, c in enumerate(children) if _name(c) == "sec"), None)
    if first_sec is None:
        return
    run: list[etree._Element] = []
    runs: list[list[etree._Element]] = []
    for child in children[first_sec + 1 :]:
        slot = models.slot_of(name, _name(child))
        if slot == flow_slot and models.allows("sec", _name(child)):
            run.append(child)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run in runs:
        section = etree.Element("sec")
        etree.SubElement(section, "title")
        element.insert(element.index(run[0]), section)
        section.tail = run[-1].tail
        for child in run:
            section.append(child)
        run[-1].tail = None
        changes.append(
            f"{len(run)} block(s) after a subsection of {_describe(element)} "
            "wrapped in a section without title"
        )


def _drop_empty_children(
    element: etree._Element, models: ContentModels, changes: list[str]
) -> None:
    """Remove children that are empty although their model needs content (e.g. <tbody/>)."""
    for child in list(element):
        if not _is_element(child) or len(child) or (child.text or "").strip() or child.attrib:
            continue
        if _name(child) in models and not models.matches(_name(child), []):
            if _name(element) == "table" and _name(child) == "tbody":
                _header_only_table(element, child, changes)
                continue
            _remove_keep_tail(child)
            changes.append(f"removed empty {_describe(child)} from {_describe(element)}")


def _header_only_table(
    table: etree._Element, empty_body: etree._Element, changes: list[str]
) -> None:
    """A table whose rows are all header rows: its header becomes its body (cells stay th)."""
    head = table.find("thead")
    if head is None:
        return
    table.remove(empty_body)
    head.tag = "tbody"
    changes.append(f"{_describe(table)} had header rows only: they became its body")
