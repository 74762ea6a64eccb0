"""Nodes of an XML tree that are not elements: comments and processing instructions.

Articles from other publishers carry comments (``<!-- checked -->``) and processing
instructions (``<?page-break?>``) anywhere, in front matter, body, back matter and reference
lists. lxml yields them beside elements when a parent is iterated, and their ``tag`` is a
function, not a name, so code that walks a tree either skips them (:func:`is_element`,
:func:`elements`) or works on a copy without them (:func:`without_comments`).
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy

from lxml import etree


def is_element(node: object) -> bool:
    """True for an element; False for a comment, processing instruction or entity."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def elements(parent: etree._Element) -> Iterator[etree._Element]:
    """The element children of ``parent``, in order, without comments or PIs."""
    return parent.iterchildren(tag=etree.Element)


def without_comments(tree: etree._ElementTree | etree._Element) -> etree._Element:
    """A copy of the root element with every comment and processing instruction removed;
    the text after each (its tail) stays where it was. For outputs that only read the
    article (the print HTML): a comment is never part of what readers see."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    copy = deepcopy(root)  # the root alone: comments beside it are left behind too
    etree.strip_elements(copy, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return copy
