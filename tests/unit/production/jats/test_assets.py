"""The files a JATS names: safe names, local hrefs, and a LaTeX source's figures found by
convert() (folders from \\graphicspath, extensions LaTeX adds, nothing outside the source)."""

from __future__ import annotations

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats import archive
from frontiers_de.production.jats.assets import (
    XLINK_HREF,
    find_latex_file,
    graphics_folders,
    is_local,
    name_problem,
    referenced_assets,
)
from frontiers_de.production.jats.convert import ConversionError, convert
from tests.production_factories import LATEX_WITH_FIGURES, image_bytes, pdf_figure_bytes, zip_of

PROFILE = JournalProfile(issn_online="2345-6786")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("fig1.png", None),
        ("media/image1.png", None),
        ("Figure 1 (colour).tif", None),
        ("pone.0001.g001", None),
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 256, "too-long"),
        ("fig\x00.png", "control"),
        ("fig\n.png", "control"),
        ("figs\\a.png", "backslash"),
        ("/etc/passwd", "absolute"),
        ("C:/figs/a.png", "absolute"),
        ("https://example.org/a.png", "url"),
        ("data:image/png;base64,AAAA", "url"),
        ("javascript:alert(1)", "url"),
        ("../secret.png", "traversal"),
        ("figs/../../secret.png", "traversal"),
        ("figs//a.png", "empty-part"),
        ("./a.png", "empty-part"),
        ("figs/", "empty-part"),
        ("a.png?x=1", "query"),
        ("a.png#frag", "query"),
    ],
)
def test_name_problem(name, problem):
    assert name_problem(name) == problem


def test_only_local_hrefs_are_the_articles_files():
    assert is_local("fig1.png") and is_local("media/a.png")
    for href in (
        "",
        "#f1",
        "//cdn.example.org/a.png",
        "http://x/a.png",
        "mailto:a@b",
        "doi:10.1/x",
    ):
        assert not is_local(href), href


def test_referenced_assets_in_document_order_once_each():
    tree = etree.fromstring(
        b'<article xmlns:xlink="http://www.w3.org/1999/xlink"><body>'
        b'<fig><graphic xlink:href="b.png"/></fig><p><inline-graphic xlink:href="a.gif"/>'
        b'<inline-graphic xlink:href="b.png"/></p>'
        b'<media xlink:href="clip.mp4"/><graphic xlink:href="https://example.org/x.png"/>'
        b'<supplementary-material xlink:href="data.csv"/></body></article>'
    )
    found = referenced_assets(tree)
    assert [(r.href, r.element) for r in found] == [
        ("b.png", "graphic"),
        ("a.gif", "inline-graphic"),
        ("clip.mp4", "media"),
        ("data.csv", "supplementary-material"),
    ]


def test_graphics_folders():
    assert graphics_folders(r"\graphicspath{{figures/}{../img/}}") == ["figures/", "../img/"]
    assert graphics_folders(r"\graphicspath{ {a/} }") == ["a/"]
    assert graphics_folders("no path") == []


def test_find_latex_file_stays_inside_the_source(tmp_path):
    root = tmp_path / "src"
    (root / "paper").mkdir(parents=True)
    (root / "paper" / "plot.pdf").write_bytes(b"%PDF-1.4")
    (root / "paper" / "plot.png").write_bytes(b"png")
    (tmp_path / "outside.png").write_bytes(b"secret")
    base = root / "paper"
    # An extensionless name gets the web format first, as LaTeX would try extensions.
    assert find_latex_file("plot", base, root, []) == (base / "plot.png").resolve()
    assert find_latex_file("plot.pdf", base, root, []) == (base / "plot.pdf").resolve()
    assert find_latex_file("../../outside", base, root, []) is None
    assert find_latex_file("../../outside.png", base, root, ["../"]) is None
    assert find_latex_file(str(tmp_path / "outside.png"), base, root, []) is None


def test_latex_zip_figures_come_back_as_media_with_their_real_names():
    trend = image_bytes("PNG")
    data = zip_of(
        {
            "paper/main.tex": LATEX_WITH_FIGURES,
            "paper/figures/trend.png": trend,
            "paper/figures/unused.png": image_bytes("PNG", (10, 10)),
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE, extract_media=True)
    # Found through \graphicspath with LaTeX's extension; the JATS now says exactly which file.
    assert result.media == {"figures/trend.png": trend}
    hrefs = [g.get(XLINK_HREF) for g in result.tree.iter("graphic")]
    assert hrefs == ["figures/trend.png", "forgotten"]
    graphic = next(result.tree.iter("graphic"))
    assert (graphic.get("mimetype"), graphic.get("mime-subtype")) == ("image", "png")
    # The figure the zip lacks is a warning, not a failure.
    assert any("'forgotten'" in w and "no such file" in w for w in result.report.warnings)
    assert result.report.valid, result.report.schema_errors


def test_latex_zip_hrefs_do_not_depend_on_extract_media():
    data = zip_of({"main.tex": LATEX_WITH_FIGURES, "figures/trend.png": image_bytes("PNG")})
    with_media = convert(data, filename="paper.zip", profile=PROFILE, extract_media=True)
    without = convert(data, filename="paper.zip", profile=PROFILE)
    assert without.media == {}
    assert without.to_bytes() == with_media.to_bytes()


def test_latex_zip_never_reads_outside_its_folder_and_respects_limits():
    tex = LATEX_WITH_FIGURES.replace(rb"{trend}", rb"{/etc/passwd}")
    result = convert(
        zip_of({"main.tex": tex}), filename="paper.zip", profile=PROFILE, extract_media=True
    )
    assert result.media == {}
    assert any("absolute path" in w for w in result.report.warnings)
    # The archive limits apply: a figure beyond the entry limit makes the zip unusable.
    big = zip_of({"main.tex": LATEX_WITH_FIGURES, "figures/trend.png": b"\x89PNG" + b"0" * 5000})
    with pytest.raises(ConversionError, match="expands beyond"):
        convert(
            big,
            filename="paper.zip",
            profile=PROFILE,
            extract_media=True,
            limits=archive.ArchiveLimits(max_entry_bytes=4000),
        )


def test_a_pdf_figure_is_drawn_as_svg_with_its_vectors_and_text():
    data = zip_of({"main.tex": LATEX_WITH_FIGURES, "figures/trend.pdf": pdf_figure_bytes()})
    result = convert(data, filename="paper.zip", profile=PROFILE, extract_media=True)
    assert list(result.media) == ["figures/trend.svg"]
    svg = etree.fromstring(result.media["figures/trend.svg"])
    assert etree.QName(svg).localname == "svg"
    # Vectors, not a picture: the bars and the label's glyphs are paths.
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path")) >= 3
    assert svg.find(".//{http://www.w3.org/2000/svg}image") is None
    graphic = next(result.tree.iter("graphic"))
    assert graphic.get(XLINK_HREF) == "figures/trend.svg"
    assert (graphic.get("mimetype"), graphic.get("mime-subtype")) == ("image", "svg+xml")
    assert any("drawn as SVG" in c for c in result.report.changes)
    assert not any("PDF graphic" in w for w in result.report.warnings)
    assert result.report.valid, result.report.schema_errors


def test_a_pdf_figure_beside_its_own_svg_does_not_replace_it():
    own = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    tex = LATEX_WITH_FIGURES.replace(rb"{trend}", rb"{trend.pdf}")
    data = zip_of(
        {"main.tex": tex, "figures/trend.pdf": pdf_figure_bytes(), "figures/trend.svg": own}
    )
    result = convert(data, filename="paper.zip", profile=PROFILE, extract_media=True)
    assert list(result.media) == ["figures/trend.pdf.svg"]
    assert result.media["figures/trend.pdf.svg"] != own


def test_a_broken_pdf_figure_is_kept_with_a_warning_that_the_web_cannot_show_it():
    data = zip_of({"main.tex": LATEX_WITH_FIGURES, "figures/trend.pdf": b"%PDF-1.4 figure"})
    result = convert(data, filename="paper.zip", profile=PROFILE, extract_media=True)
    assert list(result.media) == ["figures/trend.pdf"]
    assert any("PDF graphic" in w for w in result.report.warnings)
