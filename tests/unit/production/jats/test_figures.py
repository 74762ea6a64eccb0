"""The rule that says which figure an uploaded file is (its name names the figure's label),
and the figures of a JATS article it is matched against."""

from __future__ import annotations

import pytest
from lxml import etree

from frontiers_de.production.jats.figures import (
    JatsFigure,
    callout_key,
    figure_from_legend,
    figures_of,
    legend_paragraphs,
    match_uploads,
    set_figure_image,
    unused_id,
)

XLINK = "http://www.w3.org/1999/xlink"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Figure 2.png", "2"),
        ("figure2.png", "2"),
        ("fig2.png", "2"),
        ("Fig2.jpg", "2"),
        ("FIG2.PNG", "2"),
        ("Fig_2.tif", "2"),
        ("fig-2.tiff", "2"),
        ("figure-02.png", "2"),
        ("Figure 002.png", "2"),
        ("Fig. 3.tiff", "3"),
        ("Fig.3.jpg", "3"),
        ("Figure 10.tif", "10"),
        ("Figure2_final_v3.png", "2"),
        ("figure 2 final.png", "2"),
        ("Figure 2 (2019).png", "2"),
        ("manuscript_fig2.png", "2"),
        ("Smith et al - Figure 4.pdf", "4"),
        ("paperFig2.png", "2"),
        ("uploads/figure 7.png", "7"),
        # Other languages
        ("图2.png", "2"),
        ("论文图 3.jpg", "3"),
        ("Abbildung 4.jpg", "4"),
        ("Abb. 5.png", "5"),
        ("figura_5.png", "5"),
        ("Рис. 3.png", "3"),
        ("Рисунок 6.tif", "6"),
        # Supplementary figures and panels are figures of their own
        ("Figure S1.png", "S1"),
        ("FigS2.png", "S2"),
        ("fig_s03.tif", "S3"),
        ("Supplementary Figure 2.png", "S2"),
        ("SuppFig2.png", "S2"),
        ("Extended Data Fig. 1.jpg", "S1"),
        ("Fig2a.png", "2a"),
        ("fig 2b.tif", "2b"),
        # Not a figure, or not one figure
        ("figure.png", None),
        ("chart.png", None),
        ("table2.png", None),
        ("config2.png", None),
        ("myfig2.png", None),
        ("fig2_fig3.png", None),
        ("figures 1 and 2.png", None),
        ("figure_2020.png", None),
        ("2.png", None),
        ("", None),
    ],
)
def test_a_file_name_names_a_figure(name, key):
    assert callout_key(name) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Figure 1", "1"),
        ("Fig. 2", "2"),
        ("FIGURE 3.", "3"),
        ("图 4", "4"),
        ("Figure S4", "S4"),
        ("Supplementary Figure 1", "S1"),
        ("5", "5"),
        ("S2", "S2"),
        ("Table 1", None),
        ("Scheme", None),
    ],
)
def test_a_label_names_its_figure(label, key):
    assert callout_key(label, label=True) == key


def test_a_bare_number_is_a_figure_only_in_a_label():
    assert callout_key("2") is None and callout_key("2", label=True) == "2"


ARTICLE = f"""<article xmlns:xlink="{XLINK}"><body><sec>
<fig id="f1"><label>Figure 1</label><graphic xlink:href="media/image1.png"/></fig>
<fig id="f2"><label>Fig. 2</label><caption><p>Two.</p></caption>
  <graphic xlink:href="media/image2.jpeg"/></fig>
<fig id="f3"><label>Figure 3</label><graphic xlink:href="a.png"/><graphic xlink:href="b.png"/></fig>
<fig id="f4"><label>Figure 4</label><graphic xlink:href="https://example.org/x.png"/></fig>
<fig><label>Figure 5</label><graphic xlink:href="media/image5.png"/></fig>
<fig id="f6"><graphic xlink:href="media/image6.png"/></fig>
<!-- a comment --><?pi x?>
</sec></body></article>"""


def test_figures_of_an_article_are_those_with_an_id_and_one_image():
    found = figures_of(etree.fromstring(ARTICLE))
    assert found == [
        JatsFigure("f1", "Figure 1", "media/image1.png", "1"),
        JatsFigure("f2", "Fig. 2", "media/image2.jpeg", "2"),
        JatsFigure("f6", "", "media/image6.png", None),
    ]


def test_uploads_are_matched_by_name_newest_first():
    figures = figures_of(etree.fromstring(ARTICLE))
    uploads = {
        11: "Figure 1.tif",
        12: "fig2.png",
        13: "Figure_2_revised.png",
        14: "graphical abstract.png",
        15: "Figure 6.png",  # figure f6 has no label: nothing matches it
    }
    assert match_uploads(figures, uploads) == {"f1": [11], "f2": [13, 12]}


def test_the_figure_image_is_repointed():
    root = etree.fromstring(ARTICLE)
    assert set_figure_image(root, "f2", "uploads/12-fig2.tif", "tiff")
    graphic = root.find(".//fig[@id='f2']/graphic")
    assert graphic.get(f"{{{XLINK}}}href") == "uploads/12-fig2.tif"
    assert (graphic.get("mimetype"), graphic.get("mime-subtype")) == ("image", "tiff")
    assert not set_figure_image(root, "f3", "x.png", "png")  # two images: not one figure's
    assert not set_figure_image(root, "nope", "x.png", "png")


LEGENDS = f"""<article xmlns:xlink="{XLINK}"><body><sec id="s1"><title>Results</title>
<p>See Figure 2.</p>
<p>Figure 2. Scores <italic>by</italic> group.</p>
<p><bold>Fig. 3:</bold> Time on task.</p>
<p><bold>Figure 4.</bold></p>
<p>Figure 2: a second legend of the same figure.</p>
<list><list-item><p>Figure 5. In a list: not a legend.</p></list-item></list>
<fig id="fig-6"><label>Figure 6</label><caption><p>Figure 6. inside a figure.</p></caption>
<graphic xlink:href="x.png"/></fig>
<p>Figures 7 and 8 are below.</p>
</sec></body></article>"""


def test_legend_paragraphs_are_found_by_the_figure_they_name():
    root = etree.fromstring(LEGENDS)
    legends = {key: "".join(p.itertext()) for key, p in legend_paragraphs(root).items()}
    assert legends == {
        "2": "Figure 2. Scores by group.",
        "3": "Fig. 3: Time on task.",
        "4": "Figure 4.",
    }


def test_a_figure_is_made_at_its_legend():
    root = etree.fromstring(LEGENDS)
    legends = legend_paragraphs(root)
    made = figure_from_legend(legends["2"], "fig-2", "uploads/7-fig2.png", "png")
    assert made == JatsFigure("fig-2", "Figure 2", "uploads/7-fig2.png", "2")
    fig = root.find(".//fig[@id='fig-2']")
    assert fig.getparent().get("id") == "s1"
    caption = etree.tostring(fig.find("caption/p"), encoding="unicode", with_tail=False)
    assert caption.endswith(">Scores <italic>by</italic> group.</p>")
    figure_from_legend(legends["3"], "fig-3", "uploads/8-fig3.png", "png")
    assert "".join(root.find(".//fig[@id='fig-3']/caption").itertext()) == "Time on task."
    assert root.find(".//fig[@id='fig-3']/caption/p/bold") is None
    figure_from_legend(legends["4"], "fig-4", "uploads/9-fig4.png", "png")
    four = root.find(".//fig[@id='fig-4']")
    assert four.findtext("label") == "Figure 4" and four.find("caption") is None
    assert [f.fig_id for f in figures_of(root)] == ["fig-2", "fig-3", "fig-4", "fig-6"]


def test_unused_ids_do_not_clash():
    root = etree.fromstring(LEGENDS)
    assert unused_id(root, "fig-1") == "fig-1"
    assert unused_id(root, "fig-6") == "fig-6-2"
    assert unused_id(root, "s1") == "s1-2"
