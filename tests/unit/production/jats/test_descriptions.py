"""A figure's alt text and long description in the JATS: read from the image (or the figure),
written into the image, cleaned, compared with the caption; the written JATS stays valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.production.jats import descriptions
from frontiers_de.production.jats.check import check_article
from frontiers_de.xml.safe import parse_xml

VALID = Path(__file__).resolve().parents[3] / "fixtures" / "jats" / "article-valid.xml"


def _tree() -> etree._ElementTree:
    return parse_xml(VALID)


def _fig(tree: etree._ElementTree, fig_id: str = "f1") -> etree._Element:
    fig = descriptions.find_figure(tree, fig_id)
    assert fig is not None
    return fig


def test_reading_the_image_s_description_then_the_figure_s() -> None:
    tree = _tree()
    fig = _fig(tree)
    assert descriptions.description_of(fig) == descriptions.FigureDescription(
        "Line chart of weekly dashboard use", ""
    )
    own = etree.SubElement(fig, "long-desc")
    own.text = "Week 1: 12\n  Week 2:   30 "
    assert descriptions.description_of(fig).long_desc == "Week 1: 12\nWeek 2: 30"
    assert descriptions.find_figure(tree, "nope") is None


def test_writing_puts_both_first_in_the_graphic_and_drops_the_figure_s_own() -> None:
    tree = _tree()
    fig = _fig(tree)
    etree.SubElement(fig, "alt-text").text = "An old alt text on the fig"
    assert descriptions.set_description(fig, "Rising line", "Week 1: 12\nWeek 2: 30")
    graphic = descriptions.figure_image(fig)
    assert [c.tag for c in graphic] == ["alt-text", "long-desc"]
    assert fig.find("alt-text") is None
    assert descriptions.description_of(fig) == descriptions.FigureDescription(
        "Rising line", "Week 1: 12\nWeek 2: 30"
    )
    assert descriptions.set_description(fig, "", "")
    assert len(graphic) == 0 and descriptions.description_of(fig) == (
        descriptions.FigureDescription()
    )


def test_a_figure_of_several_images_is_not_written() -> None:
    tree = _tree()
    fig = _fig(tree)
    etree.SubElement(fig, "graphic").set("{http://www.w3.org/1999/xlink}href", "b.png")
    assert descriptions.figure_image(fig) is None
    assert not descriptions.set_description(fig, "x", "")


def test_the_written_jats_is_valid_against_the_official_schema(schema_dir: Path) -> None:
    tree = _tree()
    descriptions.set_description(_fig(tree), "Rising line", "Week 1: 12\nWeek 2: 30")
    report = check_article(tree, {"fde.schema_dir": str(schema_dir)})
    assert report.official_validation_skipped is None
    assert report.errors == [] and report.findings == []


@pytest.mark.parametrize(
    ("alt", "repeats"),
    [
        ("Dashboard use by week.", True),
        ("dashboard use by week", True),
        ("Figure 1. Dashboard use by week", True),
        ("Dashboard use by week. Use rose over the term.", True),
        ("Figure 1 — Dashboard use by week. Use rose over the term", True),
        ("Line chart: use doubles from week 1 to week 8", False),
        ("Figure 1", False),
        ("", False),
    ],
)
def test_alt_text_that_repeats_the_caption(alt: str, repeats: bool) -> None:
    assert descriptions.repeats_caption(alt, _fig(_tree())) is repeats
