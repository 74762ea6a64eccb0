"""MathML and TeX formulas to SVG images with ziamath, for WeasyPrint.

WeasyPrint does not lay out MathML (it prints it as flat text), so every formula becomes an
SVG drawn by ziamath. Each is placed as ``<img alt="…" src="data:image/svg+xml…">`` rather
than as inline ``<svg>``: that way every formula carries alt text in the tagged PDF (PDF/UA)
and the glyph ids of different formulas cannot clash. Inline formulas sit on the text
baseline: the image is shifted down by the formula's depth below its baseline.

Rendering costs about 5 ms per formula; the same formula (same source, same size) is drawn
once per process and then served from a cache keyed by its content.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import isfinite
from xml.etree import ElementTree

from lxml import etree

MML_NS = "http://www.w3.org/1998/Math/MathML"

# ziamath lays out every row twice (once to find the height that stretchy brackets must
# reach), so its time doubles with each row nested in another: 8 nested groups take about
# half a second, 12 about eight, 20 minutes. Formulas in real articles nest rows at most
# 6 deep (the corpus); deeper ones are printed as their source with a warning instead of
# being drawn. These are the elements ziamath lays out as rows.
MAX_ROW_NESTING = 10
_ROW_ELEMENTS = frozenset(
    {"math", "mrow", "merror", "mpadded", "mphantom", "msqrt", "mtd", "mstyle", "menclose"}
)
# A drawing larger than this (points; an A4 page is 842 pt high) is not a formula that can
# be printed: ziamath got lost in odd input.
MAX_DRAWING_PT = 5000.0

# Body text is 9.5pt; display formulas are drawn a touch larger, as in print journals.
INLINE_SIZE_PT = 9.5
DISPLAY_SIZE_PT = 10.5
_CACHE_LIMIT = 4096


class MathRenderError(ValueError):
    """A formula that ziamath cannot draw (bad MathML, unsupported TeX)."""


@dataclass(frozen=True)
class RenderedMath:
    """One formula drawn as SVG, with the numbers needed to place it on the line."""

    svg: str
    width_pt: float
    height_pt: float
    depth_pt: float  # how far the drawing reaches below the baseline

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"

    def style(self, *, inline: bool) -> str:
        """CSS that sizes the image and, inline, puts its baseline on the text baseline."""
        size = f"width:{self.width_pt:.2f}pt;height:{self.height_pt:.2f}pt"
        if inline:
            return f"{size};vertical-align:{-self.depth_pt:.2f}pt"
        return size


def _ziamath():
    # ziamath 0.13 calls importlib.resources.path() at import time, which warns on 3.11;
    # the warning is about ziamath's packaging, not our use, and the test suite fails on
    # any warning, so it is silenced for this one import only.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath

    return ziamath


def warm_up() -> None:
    """Import ziamath and load its math font now (for a process that forks workers)."""
    zm = _ziamath()
    with _plain_paths():
        zm.Math.fromlatex("x", size=INLINE_SIZE_PT, margin=0).svg()


@contextmanager
def _plain_paths() -> Iterator[None]:
    """Draw glyphs as plain paths rather than SVG 2 <symbol>/<use> pairs: WeasyPrint draws
    plain paths about a third faster (measured on the PLOS math corpus file), and a formula
    then needs no ids at all. ziafont keeps the switch in a module-wide config, so it is
    restored afterwards."""
    import ziafont

    previous = ziafont.config.svg2
    ziafont.config.svg2 = False
    try:
        yield
    finally:
        ziafont.config.svg2 = previous


_GLYPH_PATH = re.compile(r'<path d="([^"]*)" fill="([^"]*)" />')


def _merge_glyph_paths(svg: str) -> str:
    """One ``<path>`` per colour instead of one per glyph: the glyphs never need to be told
    apart, and WeasyPrint spends less per formula on fewer SVG nodes (about 15 % on the
    PLOS math corpus file)."""
    by_fill: dict[str, list[str]] = {}

    def collect(match: re.Match[str]) -> str:
        by_fill.setdefault(match[2], []).append(match[1])
        return ""

    rest = _GLYPH_PATH.sub(collect, svg)
    merged = "".join(f'<path d="{" ".join(d)}" fill="{fill}" />' for fill, d in by_fill.items())
    return rest.replace("</svg>", merged + "</svg>")


_SVG_DIMENSIONS = re.compile(r'viewBox="([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)"')


def _measure(svg: str) -> tuple[float, float, float]:
    match = _SVG_DIMENSIONS.search(svg)
    if not match:
        raise MathRenderError("ziamath returned an SVG without a viewBox")
    _x, y, width, height = (float(v) for v in match.groups())
    if not (0 < width <= MAX_DRAWING_PT and 0 < height <= MAX_DRAWING_PT and isfinite(y)):
        raise MathRenderError(f"ziamath drew it {width:g} × {height:g} pt, which cannot be printed")
    # ziamath puts the baseline at y = 0: what lies below it is the depth.
    return width, height, max(0.0, y + height)


def row_nesting(root: etree._Element | ElementTree.Element) -> int:
    """How deeply rows nest in a MathML tree (lxml or ElementTree, any namespace prefix).

    Walked with a stack, not by recursion, so that no input can exhaust Python's stack."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag.rsplit("}", 1)[-1] in _ROW_ELEMENTS:
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in element)
    return deepest


def _check_nesting(root: etree._Element | ElementTree.Element) -> None:
    depth = row_nesting(root)
    if depth > MAX_ROW_NESTING:
        raise MathRenderError(
            f"nested too deeply to draw ({depth} levels, at most {MAX_ROW_NESTING})"
        )


# TeX from journals often comes as a whole LaTeX document (PLOS wraps each formula in
# \documentclass … \begin{document} $…$ \end{document}); only the formula is wanted.
_DOCUMENT_BODY = re.compile(r"\\begin\{document\}(.*?)\\end\{document\}", re.S)
_MATH_DELIMITERS = [
    re.compile(r"^\$\$(.*)\$\$$", re.S),
    re.compile(r"^\$(.*)\$$", re.S),
    re.compile(r"^\\\[(.*)\\\]$", re.S),
    re.compile(r"^\\\((.*)\\\)$", re.S),
    re.compile(
        r"^\\begin\{(?:equation|displaymath|math)\*?\}(.*)\\end\{(?:equation|displaymath|math)\*?\}$",
        re.S,
    ),
]


def clean_tex(tex: str) -> str:
    """The formula inside a TeX snippet or a whole LaTeX document, without delimiters."""
    body = tex.strip()
    doc = _DOCUMENT_BODY.search(body)
    if doc:
        body = doc.group(1).strip()
    for pattern in _MATH_DELIMITERS:
        match = pattern.match(body)
        if match:
            return match.group(1).strip()
    return body


class MathRenderer:
    """Draws formulas and remembers them; one instance per process is enough."""

    def __init__(self, limit: int = _CACHE_LIMIT) -> None:
        self._cache: OrderedDict[str, RenderedMath] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _cached(self, key: str, draw) -> RenderedMath:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                self.hits += 1
                return found
        rendered = draw()
        with self._lock:
            self.misses += 1
            self._cache[key] = rendered
            if len(self._cache) > self._limit:
                self._cache.popitem(last=False)
        return rendered

    def mathml(self, math: etree._Element | str, *, display: bool) -> RenderedMath:
        """Draw a MathML ``<math>`` element (any prefix) as SVG."""
        source = math if isinstance(math, str) else etree.tostring(math, encoding="unicode")
        if isinstance(math, str):
            try:
                parsed = etree.fromstring(
                    math.encode(), etree.XMLParser(resolve_entities=False, no_network=True)
                )
            except etree.XMLSyntaxError as exc:
                raise MathRenderError(f"MathML could not be read: {exc}") from exc
            _check_nesting(parsed)
        else:
            _check_nesting(math)
        size = DISPLAY_SIZE_PT if display else INLINE_SIZE_PT
        key = hashlib.sha256(f"mml|{size}|{source}".encode()).hexdigest()

        def draw() -> RenderedMath:
            zm = _ziamath()
            try:
                with _plain_paths():
                    svg = _merge_glyph_paths(zm.Math(source, size=size, margin=0).svg())
            except Exception as exc:  # ziamath raises many kinds on odd MathML
                raise MathRenderError(
                    f"MathML could not be drawn: {exc or type(exc).__name__}"
                ) from exc
            return RenderedMath(svg, *_measure(svg))

        return self._cached(key, draw)

    def tex(self, tex: str, *, display: bool) -> RenderedMath:
        """Draw a TeX formula (delimiters and LaTeX document wrappers removed) as SVG."""
        formula = clean_tex(tex)
        if not formula:
            raise MathRenderError("empty TeX formula")
        size = DISPLAY_SIZE_PT if display else INLINE_SIZE_PT
        key = hashlib.sha256(f"tex|{size}|{display}|{formula}".encode()).hexdigest()

        def draw() -> RenderedMath:
            zm = _ziamath()
            from ziamath.tex import tex2mml

            try:
                # What Math.fromlatex does, with the nesting checked before drawing.
                mathml = ElementTree.fromstring(tex2mml(formula, inline=not display))
            except Exception as exc:  # latex2mathml raises its own exception types
                raise MathRenderError(
                    f"TeX could not be read ({type(exc).__name__}): {formula[:80]}"
                ) from exc
            try:
                _check_nesting(mathml)
            except MathRenderError as exc:
                raise MathRenderError(f"TeX {exc}: {formula[:80]}") from exc
            try:
                with _plain_paths():
                    svg = _merge_glyph_paths(zm.Math(mathml, size=size, margin=0).svg())
            except Exception as exc:  # ziamath raises many kinds on odd MathML
                raise MathRenderError(
                    f"TeX could not be drawn ({type(exc).__name__}): {formula[:80]}"
                ) from exc
            return RenderedMath(svg, *_measure(svg))

        return self._cached(key, draw)


def _linear(el: etree._Element) -> str:
    """MathML as one line of text: fractions, powers, indices and roots spelled out."""
    name = etree.QName(el).localname if isinstance(el.tag, str) else ""
    parts = [_linear(child) for child in el if isinstance(child.tag, str)]

    def group(text: str) -> str:
        return text if len(text) <= 1 or text.isalnum() else f"({text})"

    if name in ("mi", "mn", "mo", "mtext", "ms"):
        return " ".join("".join(el.itertext()).split())
    if name == "mfrac" and len(parts) == 2:
        return f"{group(parts[0])}/{group(parts[1])}"
    if name == "msup" and len(parts) == 2:
        return f"{group(parts[0])}^{group(parts[1])}"
    if name == "msub" and len(parts) == 2:
        return f"{group(parts[0])}_{group(parts[1])}"
    if name == "msubsup" and len(parts) == 3:
        return f"{group(parts[0])}_{group(parts[1])}^{group(parts[2])}"
    if name in ("munder", "munderover", "mover") and parts:
        return " ".join(parts)
    if name == "msqrt":
        return f"sqrt({''.join(parts)})"
    if name == "mroot" and len(parts) == 2:
        return f"root {parts[1]} of ({parts[0]})"
    if name in ("annotation", "annotation-xml"):
        return ""
    if name == "semantics":
        return parts[0] if parts else ""
    return "".join(parts)


def alt_text_for_mathml(math: etree._Element) -> str:
    """A readable alternative for a formula: its ``alttext``, or the formula written on one
    line (``(a)/(b^2)``) for readers that get the text instead of the drawing."""
    alt = (math.get("alttext") or "").strip()
    if alt:
        return alt
    return " ".join(_linear(math).split())


_default_renderer: MathRenderer | None = None


def default_renderer() -> MathRenderer:
    """The process-wide renderer, so the cache survives from one article to the next."""
    global _default_renderer
    if _default_renderer is None:
        _default_renderer = MathRenderer()
    return _default_renderer
