"""Formulas in pandoc's output that the rest of the pipeline cannot take, kept as TeX.

pandoc writes each formula it can read as ``<alternatives>`` holding the author's TeX and
the MathML it made. TeX nested very deeply (``{{{…}}}``, a tower of fractions) becomes
MathML nested just as deeply, and one such formula pushes the whole document past the XML
depth limit (:mod:`frontiers_de.xml.safe`), so the conversion used to fail. Such formulas
keep their TeX alone, with a line in the conversion report; readers see the TeX as code.
"""

from __future__ import annotations

from lxml import etree

from frontiers_de.xml.safe import XMLInputError, parse_xml

MML = "http://www.w3.org/1998/Math/MathML"

# Formulas in real articles nest MathML about a dozen levels deep (the corpus: at most 13
# element levels); a formula nested deeper than this is kept as TeX only.
MAX_FORMULA_DEPTH = 64


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _keep_tex_only(root: etree._Element, warnings: list[str]) -> int:
    """Remove, beside its TeX, the MathML of every formula nested deeper than the limit;
    the number removed (one line in ``warnings`` names the first)."""
    dropped = 0
    for math in list(root.iter(f"{{{MML}}}math")):
        depth = _depth(math)
        if depth <= MAX_FORMULA_DEPTH:
            continue
        parent = math.getparent()
        tex = parent.find("tex-math") if parent is not None else None
        if tex is None:
            continue  # MathML without TeX beside it: nothing to fall back to
        parent.remove(math)
        if etree.QName(parent).localname == "alternatives" and len(parent) == 1:
            # the TeX alone needs no <alternatives> around it
            tex.tail = parent.tail
            parent.getparent().replace(parent, tex)
        dropped += 1
        if dropped == 1:
            source = " ".join("".join(tex.itertext()).split())
            warnings.append(
                f"formula kept as TeX only: its MathML is nested {depth} levels deep "
                f"(at most {MAX_FORMULA_DEPTH}): {source[:80]}"
            )
    if dropped > 1:
        warnings.append(f"{dropped} formulas in all kept as TeX only for their nesting")
    return dropped


def _without_deep_formulas(output: bytes, warnings: list[str]) -> bytes | None:
    """``output`` with the deep formulas kept as TeX only, or None when there is none (the
    document is too deep for another reason)."""
    # Parsed once more without libxml2's depth limit, only to find those formulas: the
    # bytes are pandoc's own output (no DTD, entities off, network off), and the result is
    # parsed again with every limit of parse_xml before anything else reads it.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(output, parser)
    except etree.XMLSyntaxError:
        return None
    if not _keep_tex_only(root, warnings):
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse_pandoc_output(output: bytes, warnings: list[str]) -> etree._ElementTree:
    """pandoc's JATS output as a tree (:func:`parse_xml`, every limit on), with formulas
    nested deeper than :data:`MAX_FORMULA_DEPTH` kept as TeX only and a line about them in
    ``warnings`` (even when they made the document too deep to parse). Raises
    :class:`XMLInputError` as :func:`parse_xml` does otherwise."""
    try:
        tree = parse_xml(output)
    except XMLInputError:
        repaired = _without_deep_formulas(output, warnings)
        if repaired is None:
            raise
        return parse_xml(repaired)
    _keep_tex_only(tree.getroot(), warnings)
    return tree
