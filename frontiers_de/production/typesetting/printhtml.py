"""JATS to print HTML: the page WeasyPrint lays out.

The front matter (masthead, title, authors, dates, licence, abstracts) comes from the shared
metadata reader and a Jinja2 template (``templates/print/article.html.j2``); the body, back
matter and references are converted here, walking the lxml tree once. Python over lxml
rather than XSLT because the conversion also draws formulas, loads figures, numbers
sections and collects warnings, which would all be callbacks from XSLT anyway; the walk costs
a few milliseconds per article (MEASUREMENTS.md: XML work is about 1 % of typesetting).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from lxml import etree
from markupsafe import Markup

from frontiers_de.config import JournalProfile
from frontiers_de.package_files import template_path
from frontiers_de.production.jats.meta import (
    XLINK,
    XML_LANG,
    ArticleMeta,
    Reference,
    citations_of,
    read_article_meta,
    text_of,
)
from frontiers_de.production.jats.normalise import numbered_titles
from frontiers_de.production.jats.reference_style import (
    carries_own_wording,
    initials,
    styled_citation,
)
from frontiers_de.production.typesetting.images import (
    ImageProblem,
    ImageStore,
    default_store,
    find_image,
)
from frontiers_de.production.typesetting.math import (
    MathRenderer,
    MathRenderError,
    alt_text_for_mathml,
    default_renderer,
)
from frontiers_de.xml.nodes import without_comments

TEMPLATE_DIR = template_path("print")
HREF = f"{{{XLINK}}}href"
MML = "http://www.w3.org/1998/Math/MathML"

# Tables with more columns than this are set small; with more than LANDSCAPE_COLUMNS they
# get a landscape page of their own, so that no table is wider than the text block.
WIDE_COLUMNS = 7
LANDSCAPE_COLUMNS = 12

BLOCK_TAGS = {
    "disp-formula",
    "disp-formula-group",
    "list",
    "def-list",
    "table-wrap",
    "table-wrap-group",
    "fig",
    "fig-group",
    "boxed-text",
    "disp-quote",
    "preformat",
    "code",
    "statement",
    "supplementary-material",
    "media",
    "graphic",
    "chem-struct-wrap",
    "array",
    "speech",
    "verse-group",
    "table",
}

# Back-matter sections and notes that have a fixed place in the back matter block.
BACK_KINDS = {
    "data-availability": "Data availability",
    "data-availability-statement": "Data availability",
    "conflict": "Competing interests",
    "coi-statement": "Competing interests",
    "competing-interests": "Competing interests",
    "financial-disclosure": "Funding",
    "funding-statement": "Funding",
}

INLINE_TAGS = {
    "italic": "i",
    "bold": "b",
    "sup": "sup",
    "sub": "sub",
    "underline": "u",
    "strike": "s",
    "monospace": "code",
    "overline": "span",
    "sc": "span",
    "roman": "span",
    "sans-serif": "span",
}

ARTICLE_TYPES = {
    "research-article": "Research Article",
    "review-article": "Review Article",
    "article-commentary": "Commentary",
    "brief-report": "Brief Report",
    "case-report": "Case Report",
    "editorial": "Editorial",
    "letter": "Letter",
    "correction": "Correction",
    "book-review": "Book Review",
    "discussion": "Discussion",
    "methods-article": "Methods",
    "systematic-review": "Systematic Review",
    "article": "Article",
}

LANG_NAMES = {
    "en": "English",
    "zh": "中文",
    "ar": "العربية",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "pt": "Português",
    "de": "Deutsch",
}

RTL_LANGS = {"ar", "he", "fa", "ur"}


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _append_text(dst: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(dst):
        last = dst[-1]
        last.tail = (last.tail or "") + text
    else:
        dst.text = (dst.text or "") + text


_SPACES = re.compile(r"\s+")


def _collapse_space(el: etree._Element) -> None:
    """Fold white space inside ``el`` to single spaces.

    WeasyPrint 70 keeps the line breaks of the source inside footnotes (each newline starts
    a new line in the footnote area), so footnote content is folded here.
    """
    for node in el.iter():
        if node.text:
            node.text = _SPACES.sub(" ", node.text)
        if node is not el and node.tail:
            node.tail = _SPACES.sub(" ", node.tail)
    if el.text:
        el.text = el.text.lstrip()


def _sub(parent: etree._Element, tag: str, cls: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if cls:
        el.set("class", cls)
    for key, value in attrs.items():
        if value:
            el.set(key.rstrip("_").replace("_", "-"), value)
    return el


def _lang_of(el: etree._Element) -> str:
    return (el.get(XML_LANG) or "").lower()


def _web_url(url: str) -> str:
    """``url`` when it is an http(s) address, else "": a link in the PDF opens what it
    names, so a licence link from the JATS must not be ``javascript:`` or a local file."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def _doi_url(doi: str) -> str:
    doi = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return f"https://doi.org/{doi}"


@dataclass
class Stats:
    # Labels in order (for an unlabelled one, its caption title or first words).
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    formulas: int = 0
    formula_failures: int = 0
    images_found: int = 0
    images_missing: int = 0
    images_downsampled: int = 0
    references: int = 0
    words: int = 0


@dataclass
class PrintHTML:
    """The print HTML of one article, with what the layout step and the report need."""

    html: str
    meta: ArticleMeta
    warnings: list[str]
    stats: Stats
    text_sample: str  # all the text, for the font check


class BodyConverter:
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

    # -- figures and images ---------------------------------------------------------------

    def _image(self, graphic: etree._Element, dst: etree._Element, alt: str, cls: str) -> None:
        href = graphic.get(HREF, "")
        path = find_image(href, self.assets_dir)
        if path is None:
            self.stats.images_missing += 1
            where = f" in {self.assets_dir}" if self.assets_dir else " (no assets directory given)"
            self.warnings.append(
                f"image not found: {href or '(no xlink:href)'}{where}; a placeholder was printed"
            )
            box = _sub(dst, "div", "missing-image")
            box.text = f"Image not available: {href or 'no file named'}"
            return
        try:
            prepared = self.images.get(path)
        except ImageProblem as exc:
            self.stats.images_missing += 1
            self.warnings.append(f"image unusable: {exc}; a placeholder was printed")
            box = _sub(dst, "div", "missing-image")
            box.text = f"Image not usable: {path.name}"
            return
        self.stats.images_found += 1
        if prepared.downsampled:
            self.stats.images_downsampled += 1
        img = _sub(dst, "img", cls, src=prepared.uri, alt=alt or path.name)
        if prepared.pixel_size:
            # Never upscale small bitmaps beyond 150 dpi; the CSS caps the width at the text
            # block anyway.
            width_mm = prepared.pixel_size[0] / 150 * 25.4
            img.set("style", f"width:{min(width_mm, 174):.1f}mm")

    def _alt_text(self, src: etree._Element) -> str:
        alt = src.find(".//alt-text")
        if alt is not None:
            return text_of(alt)
        caption = src.find("caption")
        title = caption.find("title") if caption is not None else None
        return " ".join(t for t in (text_of(src.find("label")), text_of(title)) if t)

    @staticmethod
    def _identifying_text(src: etree._Element) -> str:
        """What names an unlabelled figure or table in print: its caption title, or else
        its first words."""
        title = src.find("caption/title")
        text = text_of(title) if title is not None else ""
        if not text:
            caption = src.find("caption")
            text = text_of(caption) if caption is not None else ""
        if not text:
            cells = (text_of(cell) for cell in src.iter("th", "td"))
            text = next((cell for cell in cells if cell), "") or text_of(src)
        return " ".join(text.split()[:6])

    def figure(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "figure", "fig")
        self.claim_id(el, src)
        label = text_of(src.find("label"))
        self.stats.figures.append(label or self._identifying_text(src))
        graphics = src.findall("graphic") + src.findall("alternatives/graphic")[:1]
        alt = self._alt_text(src)
        if not graphics:
            for child in src:
                if isinstance(child.tag, str) and local(child) not in (
                    "label",
                    "caption",
                    "object-id",
                    "permissions",
                    "attrib",
                    "alt-text",
                ):
                    self.convert(child, el)
        for graphic in graphics:
            self._image(graphic, el, alt, "figure-image")
        self._label_caption(src, el, "figcaption", "caption")
        for extra in src.findall("attrib") + src.findall("permissions"):
            self.small_note(extra, el)

    def block_graphic(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "figure", "graphic")
        self.claim_id(el, src)
        self._image(src, el, self._alt_text(src), "figure-image")

    def inline_graphic(self, src: etree._Element, dst: etree._Element) -> None:
        path = find_image(src.get(HREF, ""), self.assets_dir)
        if path is None:
            _sub(dst, "span", "missing-inline").text = "[image]"
            self.stats.images_missing += 1
            self.warnings.append(f"inline image not found: {src.get(HREF, '')}")
            return
        try:
            prepared = self.images.get(path)
        except ImageProblem as exc:
            self.warnings.append(f"inline image unusable: {exc}")
            _sub(dst, "span", "missing-inline").text = "[image]"
            return
        _sub(dst, "img", "inline-graphic", src=prepared.uri, alt=self._alt_text(src) or "image")

    # -- tables ---------------------------------------------------------------------------

    def table_wrap(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", "table-wrap")
        self.claim_id(el, src)
        label = text_of(src.find("label"))
        self.stats.tables.append(label or self._identifying_text(src))
        tables = src.findall("table") or src.findall("alternatives/table")
        columns = max((self._columns(t) for t in tables), default=0)
        classes = ["table-wrap"]
        if src.get("orientation") == "landscape" or columns > LANDSCAPE_COLUMNS:
            classes.append("landscape")
        elif columns > WIDE_COLUMNS:
            classes.append("wide")
        el.set("class", " ".join(classes))
        self._label_caption(src, el, "div", "table-caption")
        if tables:
            for table in tables:
                self.table_only(table, el)
        else:
            graphics = src.findall("graphic") + src.findall("alternatives/graphic")[:1]
            for graphic in graphics:
                self._image(graphic, el, self._alt_text(src), "figure-image")
        foot = src.find("table-wrap-foot")
        if foot is not None:
            f = _sub(el, "div", "table-foot")
            for child in foot:
                if not isinstance(child.tag, str):
                    continue
                if local(child) == "fn-group":
                    for fn in child.findall("fn"):
                        self.note_paragraph(fn, f)
                elif local(child) == "fn":
                    self.note_paragraph(child, f)
                else:
                    self.convert(child, f)

    @staticmethod
    def _columns(table: etree._Element) -> int:
        widest = 0
        for row in table.iter("tr"):
            count = 0
            for cell in row:
                span = cell.get("colspan", "1")
                count += int(span) if span.isdigit() and int(span) > 0 else 1
            widest = max(widest, count)
        return widest

    def table_only(self, src: etree._Element, dst: etree._Element) -> None:
        table = _sub(dst, "table")
        self.claim_id(table, src)

        def copy(node: etree._Element, out: etree._Element) -> None:
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                name = local(child)
                if name in ("thead", "tbody", "tfoot", "tr", "colgroup"):
                    copy(child, _sub(out, name))
                elif name == "col":
                    _sub(out, "col", span=child.get("span", ""))
                elif name in ("td", "th"):
                    cell = _sub(out, name)
                    for attr in ("colspan", "rowspan"):
                        value = child.get(attr, "")
                        if value.isdigit() and int(value) > 1:
                            cell.set(attr, value)
                    align = child.get("align")
                    if align in ("left", "right", "center", "justify"):
                        cell.set("style", f"text-align:{align}")
                    self.claim_id(cell, child)
                    self.children(child, cell)

        copy(src, table)
        # A table without <thead> whose first row is all <th> repeats it on every page too.
        if table.find("thead") is None:
            first_row = next(table.iter("tr"), None)
            if first_row is not None and len(first_row) and all(c.tag == "th" for c in first_row):
                thead = etree.Element("thead")
                first_row.getparent().remove(first_row)
                thead.append(first_row)
                table.insert(0, thead)

    # -- math -----------------------------------------------------------------------------

    def _formula_source(self, src: etree._Element) -> tuple[str, etree._Element] | None:
        math = src.find(f".//{{{MML}}}math")
        if math is None:
            math = src.find(".//math")
        if math is not None:
            return "mml", math
        tex = src.find(".//tex-math")
        if tex is not None:
            return "tex", tex
        return None

    def _math_image(
        self, kind: str, node: etree._Element, dst: etree._Element, display: bool
    ) -> bool:
        self.stats.formulas += 1
        try:
            if kind == "mml":
                rendered = self.math.mathml(node, display=display)
                alt = alt_text_for_mathml(node)
            else:
                source = "".join(node.itertext())
                rendered = self.math.tex(source, display=display)
                alt = source.strip()
        except MathRenderError as exc:
            self.stats.formula_failures += 1
            # The author's TeX, when the formula has it beside the MathML, says more than
            # the MathML's bare characters: print that, as code.
            tex = node if kind == "tex" else self._tex_beside(node)
            if tex is not None:
                fallback = _sub(dst, "code", "math-fallback")
                fallback.text = " ".join("".join(tex.itertext()).split())
            else:
                fallback = _sub(dst, "span", "math-fallback")
                fallback.text = " ".join("".join(node.itertext()).split())
            shown = (
                f" (TeX shown: {fallback.text[:80]})" if kind == "mml" and tex is not None else ""
            )
            self.warnings.append(f"formula printed as text: {exc}{shown}")
            return False
        img = _sub(dst, "img", "math display" if display else "math inline")
        img.set("src", rendered.data_uri)
        img.set("alt", alt[:500] or "formula")
        img.set("style", rendered.style(inline=not display))
        return True

    @staticmethod
    def _tex_beside(math: etree._Element) -> etree._Element | None:
        """The ``<tex-math>`` given as an alternative to this MathML, if any."""
        parent = math.getparent()
        if parent is None or local(parent) != "alternatives":
            return None
        return next((c for c in parent if local(c) == "tex-math"), None)

    def inline_formula(self, src: etree._Element, dst: etree._Element) -> None:
        found = self._formula_source(src)
        if found is None:
            self.children(src, dst)
            return
        self._math_image(found[0], found[1], dst, display=False)

    def inline_mathml(self, src: etree._Element, dst: etree._Element) -> None:
        self._math_image("mml", src, dst, display=src.get("display") == "block")

    def inline_tex(self, src: etree._Element, dst: etree._Element) -> None:
        self._math_image("tex", src, dst, display=False)

    def disp_formula(self, src: etree._Element, dst: etree._Element) -> None:
        el = _sub(dst, "div", "disp-formula")
        self.claim_id(el, src)
        body = _sub(el, "span", "formula")
        found = self._formula_source(src)
        if found is not None:
            self._math_image(found[0], found[1], body, display=True)
        else:
            graphic = src.find(".//graphic")
            if graphic is not None:
                self._image(graphic, body, text_of(src) or "formula", "formula-image")
            else:
                self.children(src, body, skip=("label",))
        label = text_of(src.find("label"))
        if label:
            _sub(el, "span", "eq-label").text = label if label.startswith("(") else f"({label})"

    def alternatives(self, src: etree._Element, dst: etree._Element) -> None:
        # Take the one alternative that prints best: table, MathML, TeX, then a graphic.
        for name in ("table", "math", "tex-math", "graphic", "inline-graphic"):
            for child in src:
                if local(child) == name:
                    self.convert(child, dst)
                    return
        for child in src:
            if isinstance(child.tag, str):
                self.convert(child, dst)
                return

    # -- links and notes ------------------------------------------------------------------

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

    # -- references -----------------------------------------------------------------------

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


# -- article assembly ---------------------------------------------------------------------


def _numbers_wanted(body: etree._Element) -> bool:
    """Number the top-level titled sections, unless the article numbers them itself: in
    labels, or in the titles (JATS that was not normalised, where the number is still
    typed into the title: printed as written, once)."""
    secs = [s for s in body.findall("sec") if s.find("title") is not None]
    if not secs or any(s.find("label") is not None for s in secs):
        return False
    return not numbered_titles(body)


def _move_floats_near_citation(container: etree._Element, floats: list[etree._Element]) -> None:
    """Put each figure/table (from JATS ``floats-group``) after the block that first cites it."""
    links: dict[str, etree._Element] = {}
    for a in container.iter("a"):
        href = a.get("href", "")
        if href.startswith("#") and href[1:] not in links:
            links[href[1:]] = a
    tail_anchor = container
    for float_el in floats:
        link = links.get(float_el.get("id", ""))
        if link is None:
            tail_anchor.append(float_el)
            continue
        block = link
        while block.getparent() is not None and block.getparent().tag not in (
            "section",
            "div",
            "body",
        ):
            block = block.getparent()
        if block.getparent() is None:
            tail_anchor.append(float_el)
        else:
            block.addnext(float_el)


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def print_css() -> str:
    """The journal's print stylesheet (``templates/print/print.css``)."""
    return (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")


RUNNING_AUTHORS_LIMIT = 34


# Characters written as CSS hex escapes inside a string: those that end the string (quotes,
# backslash, line breaks), those that could end the <style> element or open a comment in the
# HTML around it (<, >, &), and control characters. Everything else is itself.
_CSS_STRING_ESCAPED = re.compile(r"[\"'\\<>&\x00-\x1f\x7f]")


def css_string(value: str) -> str:
    """A Python string as a CSS string literal (for running headers set in @page rules).

    Safe inside the print HTML's ``<style>`` element whatever ``value`` holds: every
    character that could end the string, the rule or the element is a CSS escape
    (``\\3c`` and a space for ``<``), which CSS reads back as the character itself."""
    cleaned = " ".join(value.split())
    escaped = _CSS_STRING_ESCAPED.sub(lambda m: f"\\{ord(m[0]):x} ", cleaned)
    return '"' + escaped + '"'


def _fmt_date(date) -> str:
    if date is None:
        return ""
    if date.month and date.day:
        return dt.date(date.year, date.month, date.day).strftime("%-d %B %Y")
    if date.month:
        return dt.date(date.year, date.month, 1).strftime("%B %Y")
    return str(date.year)


def _licence_badge(url: str, text: str) -> str:
    """Short licence name for the badge (CC BY 4.0, CC0 …) from its URL or text."""
    m = re.search(
        r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", url or "", re.I
    )
    if m:
        kind = m[2].lower()
        if m[1] == "publicdomain":
            return "CC0" if kind == "zero" else "Public domain"
        return f"CC {kind.upper()} {m[3]}"
    if "public domain" in (text or "").lower():
        return "Public domain"
    return "Licence" if (url or text) else ""


_initials = initials


def _sentence(text: str) -> str:
    """``text`` ending in one full stop (an abbreviation's own stop counts; so do ? and !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def cite_as(meta: ArticleMeta, journal: str) -> str:
    """The "Cite as" line, in the style of the reference list:
    Surname AB, Surname CD, et al. (Year). Title. Journal, vol(issue), e-location. DOI.

    The year is the publication's; before publication (proofs) the copyright year, which
    the converter sets to the year the article will carry."""
    names = [
        f"{a.surname} {_initials(a.given_names)}".strip() if a.surname else a.display_name
        for a in meta.authors
    ]
    if len(names) > 3:
        names = [*names[:3], "et al."]
    date = meta.publication_date
    year = str(date.year) if date else meta.copyright_year
    parts = []
    if names:
        parts.append(f"{', '.join(names)} ({year})." if year else _sentence(", ".join(names)))
        if meta.title:
            parts.append(_sentence(meta.title))
    else:
        # A work without authors (a notice, an erratum) is cited by its title, then its year.
        if meta.title:
            parts.append(_sentence(meta.title))
        if year:
            parts.append(f"({year}).")
    where = journal.strip()
    if meta.volume:
        where += f", {meta.volume}"
        if meta.issue:
            where += f"({meta.issue})"
    if meta.elocation_id:
        where += f", {meta.elocation_id}"
    elif meta.fpage:
        where += f", {meta.fpage}" + (f"–{meta.lpage}" if meta.lpage else "")
    if where:
        parts.append(_sentence(where))
    if meta.doi:
        parts.append(_doi_url(meta.doi))
    return " ".join(parts)


# "Correspondence:", "Corresponding author:" … that a note starts with: the page prints its
# own label before the notes.
_CORRESPONDENCE_WORD = re.compile(
    r"^[\s*†]*(?:correspondence(?:\s+to)?|corresponding\s+authors?|通讯作者)\s*[:：]\s*", re.I
)


def _correspondence_text(note: str) -> str:
    return _CORRESPONDENCE_WORD.sub("", note.lstrip("*† ")).strip()


def _html(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode", method="html")


def _inner_html(container: etree._Element) -> Markup:
    """The content of ``container`` as HTML: its leading text escaped like every other text
    node (lxml escapes the rest when it serialises the children).

    The result is :class:`markupsafe.Markup`, so the template's autoescaping lets these
    fragments (and only these) through as they are; everything else it escapes."""
    return Markup(html.escape(container.text or "", quote=False)) + Markup(
        "".join(_html(c) for c in container)
    )


def build_print_html(
    tree: etree._ElementTree | etree._Element,
    profile: JournalProfile,
    *,
    assets_dir: Path | None = None,
    math: MathRenderer | None = None,
    images: ImageStore | None = None,
    footnotes: bool = True,
) -> PrintHTML:
    """The print HTML of a JATS article: front matter, body, back matter, references."""
    # Comments and processing instructions print nothing; without them every walk below
    # meets elements only.
    root = without_comments(tree)
    if local(root) != "article":
        raise ValueError(f"not a JATS article: the root element is <{local(root) or root.tag}>")
    meta = read_article_meta(root)
    warnings: list[str] = []
    stats = Stats()
    conv = BodyConverter(
        assets_dir, math or default_renderer(), images or default_store, warnings, stats
    )
    back = root.find("back")

    # Notes referenced from the body float to the foot of the page where they are cited.
    if footnotes and back is not None:
        for fn in back.findall("fn-group/fn"):
            if fn.get("id") and fn.get("fn-type", "").lower() not in BACK_KINDS:
                conv.footnotes_inline[fn.get("id", "")] = fn

    abstracts = []
    for abstract in meta.abstracts:
        el = abstract.element
        if el is None or abstract.abstract_type in ("toc", "teaser", "web-summary"):
            continue
        box = etree.Element("div")
        for child in el:
            if not isinstance(child.tag, str) or local(child) in ("title", "label"):
                continue
            if local(child) == "sec":
                sec = _sub(box, "div", "abstract-sec")
                title = child.find("title")
                if title is not None:
                    head = _sub(sec, "p", "abstract-sec-title")
                    conv.children(title, head)
                for part in child:
                    if isinstance(part.tag, str) and local(part) not in ("title", "label"):
                        conv.convert(part, sec)
            else:
                conv.convert(child, box)
        heading = text_of(el.find("title"))
        if abstract.abstract_type and not heading:
            heading = abstract.abstract_type.replace("-", " ").capitalize()
        lang = abstract.lang or meta.language
        abstracts.append(
            {
                "lang": lang,
                "dir": "rtl" if lang[:2] in RTL_LANGS else "",
                "heading": heading
                or (
                    "Abstract"
                    if lang.startswith("en")
                    else f"Abstract ({LANG_NAMES.get(lang[:2], lang)})"
                ),
                "box": box,
            }
        )

    body_el = etree.Element("div")
    body_el.set("class", "body")
    body = root.find("body")
    if body is not None:
        numbered = _numbers_wanted(body)
        counter = 0
        for child in body:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "sec":
                if numbered and child.find("title") is not None:
                    counter += 1
                conv.section(
                    child,
                    body_el,
                    str(counter) if numbered and child.find("title") is not None else "",
                )
            else:
                conv.convert(child, body_el)
    floats = root.find("floats-group")
    if floats is not None:
        holder_floats = etree.Element("div")
        conv.children(floats, holder_floats)
        _move_floats_near_citation(body_el, list(holder_floats))

    back_el = etree.Element("div")
    back_el.set("class", "back")
    statements: list[tuple[str, etree._Element]] = []
    if back is not None:
        for child in back:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            kind = (child.get("sec-type") or child.get("notes-type") or "").lower()
            if name == "ref-list":
                continue
            if name in ("sec", "notes") and kind in BACK_KINDS:
                statements.append((BACK_KINDS[kind], child))
                continue
            if name == "fn-group":
                rest = etree.Element("fn-group")
                title = child.find("title")
                for fn in child.findall("fn"):
                    fn_kind = fn.get("fn-type", "").lower()
                    if fn_kind in BACK_KINDS:
                        statements.append((BACK_KINDS[fn_kind], fn))
                    elif fn_kind == "con":
                        statements.append(("Author contributions", fn))
                    else:
                        rest.append(_copy(fn))
                if title is not None:
                    rest.insert(0, _copy(title))
                if len(rest):
                    conv.fn_group(rest, back_el)
                continue
            conv.convert(child, back_el)

    refs_el = etree.Element("div")
    if back is not None:
        for ref_list in back.findall("ref-list"):
            conv.ref_list(ref_list, refs_el, meta.references)

    subs_el = etree.Element("div")
    for sub in root.findall("sub-article") + root.findall("response"):
        _sub_article(conv, sub, subs_el, meta)

    # Statements last among the conversions, so that every id they may link to is known.
    back_statements = _statements(conv, meta, root, statements)

    # Every internal link must land somewhere: links to things not printed (supplementary
    # files of another article, ids we dropped) become plain text.
    for container in (body_el, back_el, refs_el, subs_el, *[]):
        _unlink_dangling(container, conv.ids)
    # Abstracts were converted first, before every id they may link to was known.
    broken = 0
    abstract_html = []
    for a in abstracts:
        box = a.pop("box")
        broken += _unlink_dangling(box, conv.ids)
        abstract_html.append({**a, "html": _inner_html(box)})

    journal = meta.journal_title or profile.title
    date = meta.publication_date
    authors = meta.authors
    aff_index = {aff_id: i for i, aff_id in enumerate(meta.affiliations, 1)}
    author_rows = []
    for a in authors:
        marks = [str(aff_index[x]) for x in a.affiliation_ids if x in aff_index]
        author_rows.append(
            {
                "name": a.display_name,
                "native": " ".join(n for _, n in a.native_names),
                "marks": ",".join(marks),
                "orcid": a.orcid,
                "corresponding": a.corresponding,
                "email": a.email,
            }
        )
    surnames = [a.surname or a.collab for a in authors if a.surname or a.collab]
    running_authors = f"{surnames[0]} et al." if len(surnames) > 2 else " and ".join(surnames)
    # The running-header box for the authors is 54 mm wide (print.css): 34 characters of
    # 7.5 pt Noto Sans fit with room to spare. Longer names (a consortium, two long surnames)
    # are cut at a word.
    if len(running_authors) > RUNNING_AUTHORS_LIMIT:
        cut = running_authors[: RUNNING_AUTHORS_LIMIT - 2].rsplit(" ", 1)[0]
        running_authors = cut + "…"
    short_title = meta.short_title or meta.title
    if len(short_title) > 70:
        short_title = short_title[:67].rsplit(" ", 1)[0] + "…"
    article_type = meta.heading or ARTICLE_TYPES.get(
        meta.article_type, meta.article_type.replace("-", " ").title()
    )
    # PLOS and others start the note with its own "*" mark; the template prints one.
    corresponding = [_correspondence_text(c) for c in meta.correspondence] or [
        f"{a.display_name}, {a.email}" for a in authors if a.corresponding and a.email
    ]
    competing = [t for k, t in meta.author_notes if k in ("conflict", "coi-statement")]
    other_notes = [t for k, t in meta.author_notes if k not in ("conflict", "coi-statement", "con")]
    context = {
        "lang": meta.language or profile.language,
        "meta": meta,
        "journal": journal,
        "abbrev": meta.journal_abbrev or (profile.abbreviation if journal == profile.title else ""),
        "issn": meta.issns.get("electronic") or profile.issn_online,
        "publisher": meta.publisher_name or profile.publisher,
        "article_type": article_type,
        "year": date.year if date else "",
        "title_html": _title_html(conv, root),
        "subtitle": meta.subtitle,
        "trans_titles": [
            {"lang": lang, "text": text, "dir": "rtl" if lang[:2] in RTL_LANGS else ""}
            for lang, text in meta.trans_titles
        ],
        "authors": author_rows,
        "affiliations": [(aff_index[k], aff.text) for k, aff in meta.affiliations.items()],
        "corresponding": corresponding,
        "author_notes": other_notes,
        "dates": [
            (label, _fmt_date(meta.history[key]))
            for label, key in (
                ("Received", "received"),
                ("Revised", "rev-recd"),
                ("Accepted", "accepted"),
            )
            if key in meta.history
        ]
        + ([("Published", _fmt_date(date))] if date else []),
        "doi": meta.doi,
        "doi_url": _doi_url(meta.doi) if meta.doi else "",
        "licence_badge": _licence_badge(meta.license_url or profile.licence_url, meta.license_text),
        "licence_url": _web_url(meta.license_url),
        "licence_text": meta.license_text
        or (meta.copyright_statement if not meta.license_url else ""),
        "copyright": meta.copyright_statement,
        "cite_as": cite_as(meta, meta.journal_abbrev or journal),
        "abstracts": abstract_html,
        "keywords": [
            {
                "lang": lang,
                "heading": "Keywords"
                if lang.startswith("en")
                else f"Keywords ({LANG_NAMES.get(lang[:2], lang)})",
                "words": words,
            }
            for lang, words in meta.keywords.items()
            if words
        ],
        "body_html": _inner_html(body_el),
        "back_html": _inner_html(back_el),
        "statements": back_statements
        + (
            [("Competing interests", c) for c in competing]
            if competing and not any(h == "Competing interests" for h, _ in back_statements)
            else []
        ),
        "refs_html": _inner_html(refs_el),
        "subs_html": _inner_html(subs_el),
        "css": Markup(print_css()),
        "running_title": Markup(css_string(short_title)),
        "running_authors": Markup(css_string(running_authors)),
        "footer_journal": Markup(css_string(journal)),
        "footer_doi": Markup(css_string(f"doi: {meta.doi}" if meta.doi else "")),
        "doc_title": meta.title,
        "doc_authors": [a.display_name for a in authors],
        "doc_subject": cite_as(meta, journal),
        "doc_keywords": ", ".join(
            meta.keywords.get(meta.language, []) or next(iter(meta.keywords.values()), [])
        ),
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    page = _environment().get_template("article.html.j2").render(**context)
    if broken:
        warnings.append(
            f"{broken} cross-reference(s) in abstracts point at nothing printed; shown as text"
        )
    stats.words = len(" ".join(root.itertext()).split())
    text_sample = (
        meta.title
        + " "
        + " ".join(t for _, t in meta.trans_titles)
        + " "
        + " ".join(a.text for a in meta.abstracts)
        + " "
        + " ".join(n for a in authors for _, n in a.native_names)
    )
    body_text = text_of(body) if body is not None else ""
    return PrintHTML(page, meta, warnings, stats, text_sample + " " + body_text[:20000])


def _copy(el: etree._Element) -> etree._Element:
    """A copy of ``el``, to regroup notes without moving them out of the source tree."""
    return copy.deepcopy(el)


def _title_html(conv: BodyConverter, root: etree._Element) -> Markup:
    title = root.find("front/article-meta/title-group/article-title")
    if title is None:
        return Markup("")
    holder = etree.Element("span")
    conv.children(title, holder)
    return _inner_html(holder)


def _unlink_dangling(container: etree._Element, ids: set[str]) -> int:
    count = 0
    for a in list(container.iter("a")):
        href = a.get("href")
        if href is None:
            continue
        if (href.startswith("#") and href[1:] not in ids) or href == "":
            a.tag = "span"
            a.attrib.pop("href", None)
            a.set("class", "xref-unlinked")
            count += 1
    return count


def _statements(
    conv: BodyConverter,
    meta: ArticleMeta,
    root: etree._Element,
    found: list[tuple[str, etree._Element]],
) -> list[tuple[str, Markup]]:
    """Back-matter statements in the journal's order, as (heading, HTML)."""
    out: dict[str, list[Markup]] = {}
    for heading, el in found:
        holder = etree.Element("div")
        if local(el) in ("sec", "notes"):
            for child in el:
                if isinstance(child.tag, str) and local(child) not in ("title", "label"):
                    conv.convert(child, holder)
        else:
            for child in el:
                if local(child) == "p":
                    conv.paragraph(child, holder)
        _unlink_dangling(holder, conv.ids)
        out.setdefault(heading, []).append(_inner_html(holder))
    funding_statement = root.find("front/article-meta/funding-group/funding-statement")
    if "Funding" not in out and (meta.funding or funding_statement is not None):
        holder = etree.Element("div")
        if funding_statement is not None:
            p = _sub(holder, "p")
            conv.children(funding_statement, p)
        else:
            p = _sub(holder, "p")
            p.text = (
                "; ".join(
                    f.source + (f" ({', '.join(f.award_ids)})" if f.award_ids else "")
                    for f in meta.funding
                    if f.source
                )
                + "."
            )
        out["Funding"] = [_inner_html(holder)]
    if "Author contributions" not in out:
        credit = [
            f"{c.display_name}: {', '.join(c.roles)}"
            for c in meta.contributors
            if c.roles and c.display_name
        ]
        if credit:
            holder = etree.Element("div")
            p = _sub(holder, "p", "credit")
            p.text = "; ".join(credit) + "."
            out["Author contributions"] = [_inner_html(holder)]
    order = ["Funding", "Data availability", "Competing interests", "Author contributions"]
    return [(h, Markup("").join(out[h])) for h in order if h in out]


def _sub_article(
    conv: BodyConverter, sub: etree._Element, dst: etree._Element, parent: ArticleMeta
) -> None:
    """A sub-article (decision letter, author response, translation) after the main one."""
    el = _sub(dst, "article", "sub-article")
    conv.claim_id(el, sub)
    front = sub.find("front-stub")
    if front is None:
        front = sub.find("front/article-meta")
    title = front.find("title-group/article-title") if front is not None else None
    h = _sub(el, "h2", "sub-article-title")
    if title is not None:
        conv.children(title, h)
    else:
        h.text = ARTICLE_TYPES.get(
            sub.get("article-type", ""),
            sub.get("article-type", "Sub-article").replace("-", " ").title(),
        )
    if front is not None:
        names = [
            " ".join(
                p for p in (text_of(c.find(".//given-names")), text_of(c.find(".//surname"))) if p
            )
            or text_of(c.find("collab"))
            for c in front.findall("contrib-group/contrib")
        ]
        names = [n for n in names if n]
        if names:
            _sub(el, "p", "sub-article-authors").text = ", ".join(names)
        for abstract in front.findall("abstract"):
            box = _sub(el, "div", "sub-abstract")
            conv.children(abstract, box, skip=("title",))
    body = sub.find("body")
    if body is not None:
        for child in body:
            if isinstance(child.tag, str):
                conv.convert(child, el)
    back = sub.find("back")
    if back is not None:
        refs = read_article_meta(sub).references if back.find("ref-list") is not None else []
        for child in back:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "ref-list":
                conv.ref_list(child, el, refs or parent.references)
            else:
                conv.convert(child, el)
    for nested in sub.findall("sub-article"):
        _sub_article(conv, nested, el, parent)
