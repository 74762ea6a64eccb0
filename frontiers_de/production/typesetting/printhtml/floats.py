"""Figures, images and tables: the part of the body converter that places floats."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats import descriptions
from frontiers_de.production.jats.meta import text_of
from frontiers_de.production.typesetting.images import ImageProblem, find_image
from frontiers_de.production.typesetting.printhtml.markup import HREF, _sub, local

# Tables with more columns than this are set small; with more than LANDSCAPE_COLUMNS they
# get a landscape page of their own, so that no table is wider than the text block.
WIDE_COLUMNS = 7
LANDSCAPE_COLUMNS = 12


class FiguresAndTables:
    """Figures, graphics and tables (a part of :class:`.converter.BodyConverter`)."""

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
        img = _sub(dst, "img", cls, src=prepared.uri, alt=alt or "Image")
        if prepared.pixel_size:
            # Never upscale small bitmaps beyond 150 dpi; the CSS caps the width at the text
            # block anyway.
            width_mm = prepared.pixel_size[0] / 150 * 25.4
            img.set("style", f"width:{min(width_mm, 174):.1f}mm")

    def _alt_text(self, src: etree._Element) -> str:
        """The PDF's /Alt of an image (WeasyPrint writes the img's alt): its alt text, with
        the long description after it (the PDF has nowhere else to carry it); never the
        caption, which is printed beside the image and tagged Caption. Without alt text,
        the label ("Figure 2") names the image: PDF/UA wants every Figure to have /Alt, and
        the house rule FDE-ALT-002 asks for real alt text."""
        if local(src) == "fig":
            described = descriptions.description_of(src)
            alt, long_desc = described.alt_text, described.long_desc
        else:
            alt = text_of(src.find("alt-text")) or text_of(src.find(".//alt-text"))
            long_desc = descriptions.long_text(src.find("long-desc"))
        if alt and long_desc:
            return f"{alt}\n\n{long_desc}"
        return alt or long_desc or text_of(src.find("label"))

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
        if tables:
            for number, table in enumerate(tables):
                self.table_only(table, el)
                if number == 0:
                    # Inside the <table>, so the PDF's structure tree has the caption as
                    # the table's /Caption (WeasyPrint tags <caption> in the table).
                    holder = etree.Element("div")
                    self._label_caption(src, holder, "caption", "table-caption")
                    if len(holder):
                        el[-1].insert(0, holder[0])
        else:
            # A table given only as an image: <figcaption> is tagged /Caption too.
            self._label_caption(src, el, "figcaption", "table-caption")
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
                    if name == "th":
                        cell.set("scope", _header_scope(child, node))
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


_SCOPES = ("col", "row", "colgroup", "rowgroup")


def _header_scope(th: etree._Element, row: etree._Element) -> str:
    """What a header cell heads, for ``<th scope>`` and the PDF's ``/Scope``: the author's
    ``scope`` when the JATS gives one; else its column when it sits in the table head or in
    a row of headers only, and its row when it starts a row of data."""
    given = (th.get("scope") or "").strip().lower()
    if given in _SCOPES:
        return given
    in_head = any(local(a) == "thead" for a in th.iterancestors())
    if in_head or all(local(cell) == "th" for cell in row if isinstance(cell.tag, str)):
        return "col"
    return "row"


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
