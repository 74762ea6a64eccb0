"""What WeasyPrint 70's PDF structure tree leaves out, added while it is built.

WeasyPrint tags the print HTML (``weasyprint.pdf.tags``): headings, paragraphs, lists,
tables with ``/Headers`` on their cells, images as ``/Figure`` with ``/Alt``, ``<caption>``
and ``<figcaption>`` as ``/Caption``. It does not write three things a screen reader needs
(checked on its source and on our PDFs):

- ``/Lang`` on structure elements: only the catalogue gets the ``<html lang>``, so the
  Chinese title and abstract of an English article were read with English rules. Every
  element whose HTML ``lang`` differs from the language it sits in now carries it.
- ``/Scope`` on table header cells: ``<th scope>`` is used only to pair headers with data
  cells. A ``/TH`` now says ``/Column``, ``/Row`` or ``/Both`` in its ``/Table`` attributes.
- ``/Formula``: every ``<img>`` is a ``/Figure``. The drawn formulas (``img.math``, made
  by :mod:`.formulas` with the formula's alt text) are tagged ``/Formula``, keeping their
  ``/Alt`` and layout box.

The additions wrap WeasyPrint's ``_build_box_tree`` (one structure element per box, built
recursively through the module's global name, so the wrapper sees every box). The version
is pinned (constraints.txt); ``tests/unit/production/typesetting/test_tagged_pdf.py`` reads
the structure tree back and fails if an upgrade changes what is written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pydyf
import weasyprint.pdf.tags as weasy_tags
from weasyprint.formatting_structure import boxes

_build_box_tree = weasy_tags._build_box_tree

_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


class _Languages(threading.local):
    """The language each box being tagged sits in, innermost last (per thread): WeasyPrint
    consumes the generator of a child box completely while it builds its parent, so the
    boxes being built form a stack."""

    def __init__(self) -> None:
        self.stack: list[str] = []


_languages = _Languages()


def _attribute(box: Any, name: str) -> str:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get"):
        return ""
    return (element.get(name) or "").strip()


def _decorate(element: pydyf.Dictionary, box: Any, lang: str, inherited: str) -> None:
    kind = element.get("S")
    if lang and lang != inherited:
        element["Lang"] = pydyf.String(lang)
    if kind == "/TH":
        scope = _SCOPES.get(_attribute(box, "scope").lower(), "/Column")
        attributes = element.get("A")
        if isinstance(attributes, pydyf.Dictionary):
            attributes["Scope"] = scope
    elif kind == "/Figure" and "math" in _attribute(box, "class").split():
        element["S"] = "/Formula"


def _tagged_box_tree(box: Any, parent: Any, *args: Any) -> Iterator[pydyf.Dictionary]:
    """WeasyPrint's structure elements for ``box``, with /Lang, /Scope and /Formula."""
    stack = _languages.stack
    if isinstance(box, boxes.PageBox):
        # Each page's tree is built from its page box down: nothing is open above it (a
        # document that failed half-way must not leave its languages to the next one).
        stack.clear()
    inherited = stack[-1] if stack else ""
    own = _attribute(box, "lang").lower() or inherited
    # The page, html and body boxes yield their children's elements, which their own calls
    # decorate; the html element's language is the catalogue's /Lang.
    passthrough = isinstance(box, boxes.PageBox) or _tag(box) in ("html", "body")
    stack.append(own)
    try:
        for element in _build_box_tree(box, parent, *args):
            if not passthrough:
                _decorate(element, box, own, inherited)
            yield element
    finally:
        if stack:
            stack.pop()


def _tag(box: Any) -> str:
    return getattr(box, "element_tag", "") if getattr(box, "element", None) is not None else ""


def install() -> None:
    """Make WeasyPrint build its structure trees through :func:`_tagged_box_tree`."""
    weasy_tags._build_box_tree = _tagged_box_tree
