"""Cross-references, links and notes: footnotes float to the foot of the page that cites
them; the rest are printed as notes."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.meta import text_of
from frontiers_de.production.typesetting.printhtml.markup import (
    HREF,
    _append_text,
    _collapse_space,
    _doi_url,
    _sub,
    local,
)


class LinksAndNotes:
    """Links and notes (a part of :class:`.converter.BodyConverter`)."""

    def xref(self, src: etree._Element, dst: etree._Element) -> None:
        rid = (src.get("rid") or "").split()
        first = rid[0] if rid else ""
        if (
            (
                src.get("ref-type") == "fn"
                and first in self.footnotes_inline
                and first not in self.footnotes_used
            )
            and dst.tag in ("p", "li", "span", "i", "b")
            and not self._in_table(dst)
        ):
            self.footnotes_used.add(first)
            fn = self.footnotes_inline[first]
            note = _sub(dst, "span", "footnote")
            self.claim_id(note, fn)
            for child in fn:
                if local(child) == "label":
                    continue
                if local(child) == "p":
                    self.children(child, note)
                    _append_text(note, " ")
                elif isinstance(child.tag, str):
                    self.convert(child, note)
            _collapse_space(note)
            return
        a = _sub(dst, "a", "xref", href=f"#{first}" if first else "")
        ref_type = src.get("ref-type", "")
        if ref_type:
            a.set("data-ref-type", ref_type)
        self.children(src, a)
        if not (a.text or len(a)):
            a.text = first

    @staticmethod
    def _in_table(el: etree._Element) -> bool:
        while el is not None:
            if el.tag in ("table", "figure"):
                return True
            el = el.getparent()
        return False

    def ext_link(self, src: etree._Element, dst: etree._Element) -> None:
        href = src.get(HREF) or text_of(src)
        if src.get("ext-link-type") == "doi" and not href.startswith("http"):
            href = _doi_url(href)
        kind = src.get("ext-link-type")
        a = _sub(dst, "a", kind if kind in ("doi", "pmid") else "ext-link")
        if href.startswith(("http://", "https://", "ftp://", "mailto:")):
            a.set("href", href)
        self.children(src, a)
        if not (a.text or len(a)):
            a.text = href

    def email(self, src: etree._Element, dst: etree._Element) -> None:
        address = text_of(src)
        a = _sub(dst, "a", "email", href=f"mailto:{address}")
        a.text = address

    def inline_fn(self, src: etree._Element, dst: etree._Element) -> None:
        """A footnote written in place in the text: it floats to the foot of the page."""
        if self._in_table(dst) or dst.tag not in ("p", "li", "span", "i", "b", "dd", "blockquote"):
            self.note_paragraph(src, dst)
            return
        note = _sub(dst, "span", "footnote")
        self.claim_id(note, src)
        for child in src:
            if local(child) == "p":
                self.children(child, note)
                _append_text(note, " ")
            elif isinstance(child.tag, str) and local(child) != "label":
                self.convert(child, note)
        _collapse_space(note)

    def note_paragraph(self, fn: etree._Element, dst: etree._Element) -> None:
        p = _sub(dst, "p", "note")
        self.claim_id(p, fn)
        label = text_of(fn.find("label"))
        if label:
            _sub(p, "sup", "note-label").text = label
            _append_text(p, " ")
        first = True
        for child in fn:
            if not isinstance(child.tag, str) or local(child) == "label":
                continue
            if local(child) == "p":
                if not first:
                    _append_text(p, " ")
                self.children(child, p)
                first = False
            else:
                self.convert(child, p)

    def fn_group(self, src: etree._Element, dst: etree._Element) -> None:
        notes = [fn for fn in src.findall("fn") if fn.get("id") not in self.footnotes_used]
        if not notes:
            return
        el = _sub(dst, "section", "notes")
        title = text_of(src.find("title")) or "Notes"
        _sub(el, "h2").text = title
        for fn in notes:
            self.note_paragraph(fn, el)
