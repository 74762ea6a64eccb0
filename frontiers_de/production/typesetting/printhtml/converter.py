"""The body converter: one walk of the JATS tree that writes the HTML of the body, back
matter and references. This module holds its plumbing (the handler table, ids) and the
text blocks; figures and tables, formulas, links and notes, and references are its parts
(:mod:`.floats`, :mod:`.formulas`, :mod:`.notes`, :mod:`.references`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from frontiers_de.production.jats.meta import text_of
from frontiers_de.production.typesetting.images import ImageStore
from frontiers_de.production.typesetting.math import MathRenderer
from frontiers_de.production.typesetting.printhtml.floats import FiguresAndTables
from frontiers_de.production.typesetting.printhtml.formulas import Formulas
from frontiers_de.production.typesetting.printhtml.markup import (
    BLOCK_TAGS,
    HREF,
    INLINE_TAGS,
    RTL_LANGS,
    Stats,
    _append_text,
    _lang_of,
    _sub,
    local,
)
from frontiers_de.production.typesetting.printhtml.notes import LinksAndNotes
from frontiers_de.production.typesetting.printhtml.references import References


class BodyConverter(FiguresAndTables, Formulas, LinksAndNotes, References):
    """Turns JATS body/back elements into HTML elements (one instance per article)."""

    def __init__(
        self,
        assets_dir: Path | None,
        math: MathRenderer,
        images: ImageStore,
        warnings: list[str],
        stats: Stats,
    ) -> None:
        self.assets_dir = assets_dir
        self.math = math
        self.images = images
        self.warnings = warnings
        self.stats = stats
        self.ids: set[str] = set()
        self.footnotes_inline: dict[str, etree._Element] = {}  # fn id -> JATS fn to float
        self.footnotes_used: set[str] = set()
        self.handlers: dict[str, Callable[[etree._Element, etree._Element], None]] = {
            "p": self.paragraph,
            "sec": self.section,
            "list": self.list_,
            "def-list": self.def_list,
            "fig": self.figure,
            "fig-group": self.group,
            "table-wrap": self.table_wrap,
            "table-wrap-group": self.group,
            "disp-formula": self.disp_formula,
            "disp-formula-group": self.group,
            "inline-formula": self.inline_formula,
            "boxed-text": self.boxed_text,
            "disp-quote": self.disp_quote,
            "preformat": self.preformat,
            "code": self.preformat,
            "statement": self.statement,
            "supplementary-material": self.supplementary,
            "media": self.supplementary,
            "graphic": self.block_graphic,
            "inline-graphic": self.inline_graphic,
            "xref": self.xref,
            "ext-link": self.ext_link,
            "uri": self.ext_link,
            "self-uri": self.ext_link,
            "email": self.email,
            "fn": self.inline_fn,
            "break": lambda src, dst: _sub(dst, "br"),
            "target": self.target,
            "title": self.stray_title,
            "label": self.stray_label,
            "caption": self.caption_block,
            "alternatives": self.alternatives,
            "table": self.table_only,
            "array": self.table_only,
            "tex-math": self.inline_tex,
            "math": self.inline_mathml,
            "ref-list": self.ref_list,
            "app-group": self.group,
            "app": self.section,
            "ack": self.section,
            "glossary": self.section,
            "notes": self.section,
            "fn-group": self.fn_group,
            "speech": self.group_div,
            "verse-group": self.group_div,
            "verse-line": self.group_div,
            "chem-struct-wrap": self.group_div,
            "sig-block": self.group_div,
            "object-id": self.drop,
            "permissions": self.small_note,
            "attrib": self.small_note,
            "alt-text": self.drop,
            "long-desc": self.drop,
            "processing-meta": self.drop,
            "x": self.inline_children,
            "name": self.person_name,
            "pub-id": self.pub_id,
        }

    # -- plumbing -------------------------------------------------------------------------

    def claim_id(self, el: etree._Element, src: etree._Element) -> None:
        """Copy the JATS id onto the HTML element, once (a repeated id breaks links)."""
        ident = src.get("id")
        if ident and ident not in self.ids:
            self.ids.add(ident)
            el.set("id", ident)
        lang = _lang_of(src)
        if lang:
            el.set("lang", lang)
            if lang[:2] in RTL_LANGS:
                el.set("dir", "rtl")

    def children(
        self, src: etree._Element, dst: etree._Element, skip: tuple[str, ...] = ()
    ) -> None:
        """Convert the content of ``src`` (text and children) into ``dst``."""
        _append_text(dst, src.text)
        for child in src:
            if isinstance(child.tag, str) and local(child) not in skip:
                self.convert(child, dst)
            _append_text(dst, child.tail)

    def convert(self, src: etree._Element, dst: etree._Element) -> None:
        name = local(src)
        handler = self.handlers.get(name)
        if handler is not None:
            handler(src, dst)
        elif name in INLINE_TAGS:
            el = _sub(dst, INLINE_TAGS[name], name if INLINE_TAGS[name] == "span" else None)
            self.children(src, el)
        else:
            # Unknown or purely semantic inline markup (named-content, styled-content,
            # abbrev, …): keep its text, drop the wrapper.
            self.inline_children(src, dst)

    def inline_children(self, src: etree._Element, dst: etree._Element) -> None:
        self.children(src, dst)

    def person_name(self, src: etree._Element, dst: etree._Element) -> None:
        """A structured name in running text (mixed citations): "Surname Given", spaced."""
        parts = [text_of(src.find(part)) for part in ("prefix", "surname", "given-names", "suffix")]
        _append_text(dst, " ".join(p for p in parts if p))

    def drop(self, src: etree._Element, dst: etree._Element) -> None:
        return None

    def small_note(self, src: etree._Element, dst: etree._Element) -> None:
        note = _sub(dst, "p", "small-note")
        self.children(src, note)

    def group(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", local(src))
        self.claim_id(el, src)
        self.children(src, el)

    def group_div(self, src: etree._Element, dst: etree._Element) -> None:
        self.group(src, dst)

    def target(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "span", "target")
        self.claim_id(el, src)
        self.children(src, el)

    def stray_title(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "p", "stray-title")
        self.children(src, el)

    def stray_label(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "span", "label")
        self.children(src, el)
        _append_text(dst, " ")

    def caption_block(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", "caption")
        self.caption_content(src, el)

    # -- blocks ---------------------------------------------------------------------------

    def paragraph(self, src: etree._Element, dst: etree._Element) -> None:
        """A JATS paragraph; block content inside it (lists, formulas, figures) splits it,
        because HTML does not allow blocks inside ``<p>``."""
        current = _sub(dst, "p")
        self.claim_id(current, src)
        _append_text(current, src.text)
        for child in src:
            if not isinstance(child.tag, str):
                _append_text(current, child.tail)
                continue
            if local(child) in BLOCK_TAGS:
                self.convert(child, dst)
                tail = child.tail or ""
                current = _sub(dst, "p", "continued")
                if _lang_of(src):
                    current.set("lang", _lang_of(src))
                _append_text(current, tail.lstrip() if not tail.strip() else tail)
            else:
                self.convert(child, current)
                _append_text(current, child.tail)
        if (
            current.get("class") == "continued"
            and not len(current)
            and not (current.text or "").strip()
        ):
            dst.remove(current)

    def section(self, src: etree._Element, dst: etree._Element, number: str = "") -> None:
        el = _sub(dst, "section", local(src))
        self.claim_id(el, src)
        depth = 1
        parent = dst
        while parent is not None:
            if parent.tag == "section":
                depth += 1
            parent = parent.getparent()
        sec_type = (src.get("sec-type") or src.get("notes-type") or "").lower()
        if sec_type:
            el.set("data-type", sec_type)
        title = src.find("title")
        label = src.find("label")
        heading_text = text_of(title)
        if title is None and local(src) == "ack":
            heading_text = "Acknowledgements"
        if heading_text or label is not None:
            h = _sub(el, f"h{min(depth + 1, 6)}")
            lab = text_of(label) or number
            if lab:
                _sub(h, "span", "sec-number").text = lab + (" " if lab.endswith(".") else ". ")
            if title is not None:
                self.children(title, h)
            else:
                _append_text(h, heading_text)
        subsection = 0
        _append_text(el, None)
        for child in src:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            if name in ("title", "label", "sec-meta"):
                continue
            if name == "sec" and number:
                title_child = child.find("title")
                if title_child is not None and child.find("label") is None:
                    subsection += 1
                    self.section(child, el, f"{number}.{subsection}")
                    continue
            self.convert(child, el)

    def list_(self, src: etree._Element, dst: etree._Element) -> None:
        kind = src.get("list-type", "")
        ordered = kind in ("order", "alpha-lower", "alpha-upper", "roman-lower", "roman-upper")
        el = _sub(dst, "ol" if ordered else "ul", f"list {kind}".strip())
        self.claim_id(el, src)
        if kind == "simple":
            el.set("class", "list simple")
        title = src.find("title")
        if title is not None:
            cap = etree.Element("p")
            cap.set("class", "list-title")
            self.children(title, cap)
            el.addprevious(cap)
        for item in src.findall("list-item"):
            li = _sub(el, "li")
            self.claim_id(li, item)
            label = item.find("label")
            if label is not None:
                li.set("class", "labelled")
                _sub(li, "span", "item-label").text = text_of(label) + " "
            for child in item:
                if not isinstance(child.tag, str) or local(child) == "label":
                    continue
                if local(child) == "p" and len(item.findall("p")) == 1 and label is None:
                    # One paragraph per item: keep it inline so the marker sits beside it.
                    self.children(child, li)
                else:
                    self.convert(child, li)

    def def_list(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "dl")
        self.claim_id(el, src)
        for item in src.findall("def-item"):
            dt_ = _sub(el, "dt")
            term = item.find("term")
            if term is not None:
                self.claim_id(dt_, term)
                self.children(term, dt_)
            dd = _sub(el, "dd")
            for definition in item.findall("def"):
                self.children(definition, dd)

    def boxed_text(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "aside", "boxed-text")
        self.claim_id(el, src)
        label, caption = src.find("label"), src.find("caption")
        if label is not None or caption is not None:
            head = _sub(el, "p", "box-title")
            if label is not None:
                _sub(head, "span", "label").text = text_of(label) + " "
            if caption is not None and caption.find("title") is not None:
                self.children(caption.find("title"), head)
        for child in src:
            if isinstance(child.tag, str) and local(child) not in ("label", "caption"):
                self.convert(child, el)

    def disp_quote(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "blockquote")
        self.claim_id(el, src)
        self.children(src, el)

    def preformat(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "pre")
        self.claim_id(el, src)
        el.text = "".join(src.itertext())

    def statement(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", "statement")
        self.claim_id(el, src)
        label, title = src.find("label"), src.find("title")
        if label is not None or title is not None:
            head = _sub(el, "p", "statement-title")
            head.text = " ".join(t for t in (text_of(label), text_of(title)) if t)
        self.children(src, el, skip=("label", "title"))

    def supplementary(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", "supplementary")
        self.claim_id(el, src)
        head = _sub(el, "p", "supp-title")
        label = text_of(src.find("label"))
        if label:
            _sub(head, "b").text = label + ". "
        caption = src.find("caption")
        if caption is not None and caption.find("title") is not None:
            self.children(caption.find("title"), head)
        href = src.get(HREF, "")
        note = _sub(head, "span", "supp-file")
        note.text = f" (Supplementary file{': ' + href if href else ''}, available online.)"
        if caption is not None:
            for p in caption.findall("p"):
                self.paragraph(p, el)

    def caption_content(self, caption: etree._Element, dst: etree._Element) -> None:
        title = caption.find("title")
        if title is not None:
            t = _sub(dst, "span", "caption-title")
            self.children(title, t)
            _append_text(dst, " ")
        for p in caption.findall("p"):
            para = _sub(dst, "span", "caption-p")
            self.children(p, para)
            _append_text(dst, " ")

    def _label_caption(self, src: etree._Element, dst: etree._Element, tag: str, cls: str) -> None:
        label = src.find("label")
        caption = src.find("caption")
        if label is None and caption is None:
            return
        cap = _sub(dst, tag, cls)
        if label is not None:
            lab = _sub(cap, "span", "float-label")
            lab.text = text_of(label).rstrip(".:") + ". "
        if caption is not None:
            self.caption_content(caption, cap)
