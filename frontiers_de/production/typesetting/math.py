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

from lxml import etree

MML_NS = "http://www.w3.org/1998/Math/MathML"

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
    # ziamath puts the baseline at y = 0: what lies below it is the depth.
    return width, height, max(0.0, y + height)


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
            try:
                with _plain_paths():
                    svg = _merge_glyph_paths(
                        zm.Math.fromlatex(formula, size=size, margin=0, inline=not display).svg()
                    )
            except Exception as exc:  # latex2mathml raises its own exception types
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
