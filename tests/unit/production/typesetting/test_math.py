"""Formulas drawn with ziamath: sizes, baseline, cache, TeX clean-up, bad input."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from frontiers_de.production.typesetting.math import (
    MAX_ROW_NESTING,
    MathRenderer,
    MathRenderError,
    alt_text_for_mathml,
    clean_tex,
    row_nesting,
)

FRACTION = (
    '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mfrac><mml:mi>a</mml:mi>'
    "<mml:msup><mml:mi>b</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:mfrac></mml:math>"
)


def test_mathml_becomes_svg_with_its_depth_below_the_baseline() -> None:
    rendered = MathRenderer().mathml(etree.fromstring(FRACTION), display=False)
    assert rendered.svg.startswith("<svg")
    assert rendered.width_pt > 0 and rendered.height_pt > 0
    # A fraction reaches below the baseline: the image must be shifted down to sit on it.
    assert 0 < rendered.depth_pt < rendered.height_pt
    assert f"vertical-align:{-rendered.depth_pt:.2f}pt" in rendered.style(inline=True)
    assert "vertical-align" not in rendered.style(inline=False)
    assert rendered.data_uri.startswith("data:image/svg+xml;base64,")
    # Plain paths: no <use>/<symbol> ids that could clash or slow WeasyPrint down.
    assert "<use" not in rendered.svg and " id=" not in rendered.svg


def test_each_formula_is_drawn_once() -> None:
    renderer = MathRenderer()
    first = renderer.mathml(FRACTION, display=True)
    second = renderer.mathml(FRACTION, display=True)
    assert first is second
    assert (renderer.misses, renderer.hits) == (1, 1)
    renderer.mathml(FRACTION, display=False)  # another size is another drawing
    assert renderer.misses == 2


@pytest.mark.parametrize(
    ("source", "formula"),
    [
        ("$x^2$", "x^2"),
        (r"\[ \frac{1}{2} \]", r"\frac{1}{2}"),
        (
            "\\documentclass[12pt]{minimal}\n\\usepackage{amsmath}\n\\begin{document}$$a+b$$\\end{document}",
            "a+b",
        ),
        (r"\begin{equation}E=mc^2\end{equation}", "E=mc^2"),
        ("y = x", "y = x"),
    ],
)
def test_tex_wrappers_are_removed(source: str, formula: str) -> None:
    assert clean_tex(source) == formula


def test_tex_is_drawn() -> None:
    rendered = MathRenderer().tex(r"$\alpha_i + \sqrt{x}$", display=False)
    assert rendered.width_pt > 5


@pytest.mark.parametrize("bad", [r"\frac{", "", "$$"])
def test_bad_tex_is_a_clear_error(bad: str) -> None:
    with pytest.raises(MathRenderError):
        MathRenderer().tex(bad, display=True)


def test_bad_mathml_is_a_clear_error() -> None:
    with pytest.raises(MathRenderError, match="MathML could not be read"):
        MathRenderer().mathml("<math><mfrac><mi>a</mi></math>", display=False)


@pytest.mark.parametrize("kind", ["tex", "mathml"])
def test_formulas_nested_past_the_limit_are_refused_before_drawing(kind: str) -> None:
    # ziamath would take minutes over 14 nested roots; the refusal is immediate.
    tex = "\\sqrt{" * 14 + "x" + "}" * 14
    mathml = "<math>" + "<msqrt>" * 14 + "<mi>x</mi>" + "</msqrt>" * 14 + "</math>"
    started = time.monotonic()
    with pytest.raises(MathRenderError, match="nested too deeply to draw"):
        if kind == "tex":
            MathRenderer().tex(tex, display=True)
        else:
            MathRenderer().mathml(mathml, display=True)
    assert time.monotonic() - started < 2


def test_a_formula_at_the_nesting_limit_is_drawn() -> None:
    depth_ok = "<math>" + "<msqrt>" * (MAX_ROW_NESTING - 1) + "<mi>x</mi>"
    depth_ok += "</msqrt>" * (MAX_ROW_NESTING - 1) + "</math>"
    assert row_nesting(etree.fromstring(depth_ok)) == MAX_ROW_NESTING
    assert MathRenderer().mathml(depth_ok, display=True).width_pt > 0


def test_alt_text_prefers_alttext_then_characters() -> None:
    el = etree.fromstring(FRACTION)
    assert alt_text_for_mathml(el) == "a/(b^2)"
    el.set("alttext", "a over b squared")
    assert alt_text_for_mathml(el) == "a over b squared"


def test_glyphs_of_a_formula_are_one_path() -> None:
    rendered = MathRenderer().tex(r"\frac{a+b}{c^2}", display=True)
    assert rendered.svg.count("<path ") == 1  # five glyphs, one path
    assert "<rect " in rendered.svg  # the fraction bar is kept
