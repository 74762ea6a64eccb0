"""The reference list: each reference in the journal's style, or as its author wrote it."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.meta import Reference, citations_of, text_of
from frontiers_de.production.jats.reference_style import carries_own_wording, styled_citation
from frontiers_de.production.typesetting.printhtml.markup import _append_text, _doi_url, _sub


class References:
    """Reference lists (a part of :class:`.converter.BodyConverter`)."""

    def ref_list(
        self, src: etree._Element, dst: etree._Element, refs: list[Reference] | None = None
    ) -> None:
        refs_by_id = {r.id: r for r in (refs or [])}
        el = _sub(dst, "section", "references")
        self.claim_id(el, src)
        title = text_of(src.find("title"))
        _sub(el, "h2").text = title or "References"
        items = in_label_order(src.findall("ref"))
        labelled = any(ref.find("label") is not None for ref in items)
        ol = _sub(el, "ol", "refs labelled" if labelled else "refs")
        for index, ref in enumerate(items, 1):
            self.stats.references += 1
            li = _sub(ol, "li", "ref")
            self.claim_id(li, ref)
            if labelled:
                label = text_of(ref.find("label")) or str(index)
                _sub(li, "span", "ref-label").text = label.strip("[]. ") + "."
            self.reference(ref, refs_by_id.get(ref.get("id", "")), li)
        for nested in src.findall("ref-list"):
            self.ref_list(nested, el, refs)

    def reference(self, ref: etree._Element, meta: Reference | None, li: etree._Element) -> None:
        """The one rendering of a reference, without its label (the list prints that).

        The tagged fields in the journal's style when they can be trusted (the formatter the
        reader page uses too: :func:`.jats.reference_style.styled_citation`); otherwise the
        author's text as written. Its DOI is printed once, as a link."""
        body = _sub(li, "span", "ref-text")
        styled = styled_citation(ref)
        written = next((c for c in citations_of(ref) if carries_own_wording(c)), None)
        if styled is not None:
            self.children(styled, body)
        elif written is not None:
            self.children(written, body, skip=("label",))
        else:
            self.children(ref, body, skip=("label",))
        doi = meta.doi if meta else ""
        if doi and doi.lower() not in "".join(body.itertext()).lower():
            _append_text(body, " ")
            a = _sub(body, "a", "doi", href=_doi_url(doi))
            a.text = _doi_url(doi)

    def pub_id(self, src: etree._Element, dst: etree._Element) -> None:
        """An identifier inside a citation: a DOI becomes its link, others stay text."""
        value = text_of(src)
        if src.get("pub-id-type") == "doi" and value.startswith("10."):
            a = _sub(dst, "a", "doi", href=_doi_url(value))
            a.text = value
        else:
            _append_text(dst, value)


def _label_number(ref: etree._Element) -> int | None:
    digits = text_of(ref.find("label")).strip("[](). ")
    return int(digits) if digits.isdigit() else None


def in_label_order(refs: list[etree._Element]) -> list[etree._Element]:
    """References in the order of their numeric labels (some lists hold a few out of
    place); document order when any label is not a number."""
    numbers = [_label_number(ref) for ref in refs]
    if not refs or any(n is None for n in numbers):
        return refs
    return [ref for _, ref in sorted(zip(numbers, refs, strict=True), key=lambda p: p[0])]
