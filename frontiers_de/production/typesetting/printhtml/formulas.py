"""Formulas: MathML and TeX drawn as images, with the source as text when drawing fails."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.meta import text_of
from frontiers_de.production.typesetting.math import (
    MathRenderError,
    alt_text_for_mathml,
    clean_tex,
)
from frontiers_de.production.typesetting.printhtml.markup import MML, _sub, local


class Formulas:
    """Inline and display formulas (a part of :class:`.converter.BodyConverter`)."""

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
        self, kind: str, node: etree._Element, dst: etree._Element, display: bool, alt: str = ""
    ) -> bool:
        """Draw the formula as an ``img.math`` (tagged /Formula in the PDF, tagging.py) whose
        alt text is ``alt`` (the JATS ``<alt-text>``), else the MathML's ``alttext`` or the
        formula on one line, else the TeX (without its delimiters)."""
        self.stats.formulas += 1
        try:
            if kind == "mml":
                rendered = self.math.mathml(node, display=display)
                alt = alt or alt_text_for_mathml(node)
            else:
                source = "".join(node.itertext())
                rendered = self.math.tex(source, display=display)
                # The formula itself, not "$…$" or the LaTeX document some publishers wrap
                # round it: a screen reader reads every character of the alt text.
                alt = alt or clean_tex(source)
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
        self._math_image(found[0], found[1], dst, display=False, alt=_given_alt(src))

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
            self._math_image(found[0], found[1], body, display=True, alt=_given_alt(src))
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


def _given_alt(formula: etree._Element) -> str:
    """The alt text a production editor wrote for a formula (JATS ``<alt-text>``)."""
    return " ".join(text_of(formula.find("alt-text")).split())
