"""typeset(): the PDF itself, read back with pdftotext, pdftoppm and pikepdf."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image, ImageStat

from frontiers_de.cli import fde
from frontiers_de.config import JournalProfile
from frontiers_de.production.typesetting.service import TypesetError, TypesetResult, typeset
from frontiers_de.xml.safe import XMLInputError

from .conftest import FIGURES_ALL_FORMATS, make_article


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def figures_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import _drawing

    folder = tmp_path_factory.mktemp("assets")
    _drawing((600, 400)).save(folder / "fig-png.png")
    _drawing((800, 500)).save(folder / "fig-jpeg.jpg", quality=85)
    _drawing((500, 500)).save(folder / "fig-tiff.tif")
    _drawing((5000, 2500)).save(folder / "fig-huge.png", compress_level=1)
    (folder / "fig-svg.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect x="10" y="10" width="80" height="80" fill="green"/></svg>',
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def ua(figures_dir: Path) -> TypesetResult:
    # Figure 2 is described (alt text and a long description); the others are not.
    described = FIGURES_ALL_FORMATS.replace(
        '<graphic xlink:href="fig-png"/>',
        '<graphic xlink:href="fig-png"><alt-text>A drawing of two shapes</alt-text>'
        "<long-desc>A square on the left, a circle on the right.</long-desc></graphic>",
    )
    assert described != FIGURES_ALL_FORMATS
    return typeset(make_article(described), JournalProfile(), assets_dir=figures_dir)


@pytest.fixture(scope="module")
def pdfa() -> TypesetResult:
    return typeset(make_article(), JournalProfile(), variant="pdfa")


def test_text_of_the_pdf(ua: TypesetResult) -> None:
    text = pdf_text(ua.pdf_bytes)
    flat = " ".join(text.split())
    assert "Adaptive feedback in massive online courses" in flat
    assert "Okonkwo" in flat and "Zhang" in flat
    assert "https://doi.org/10.5555/fde.2026.0042" in flat
    assert "大规模在线课程中的自适应反馈" in text.replace("\n", "")
    assert "The power of feedback" in flat and "Focus on formative feedback" in flat
    assert "1. Introduction" in flat and "Table 1." in flat and "Figure 6." in flat
    assert "A footnote about feedback." in flat
    assert "Shute V. Focus on formative feedback" in flat
    footers = re.findall(r"(\d+) ?/ ?(\d+)", flat)
    assert ("1", str(ua.pages)) in footers and (str(ua.pages), str(ua.pages)) in footers


def test_page_count_and_report(ua: TypesetResult) -> None:
    assert 2 <= ua.pages <= 6
    assert ua.stats.images_found == 5 and ua.stats.images_missing == 1
    assert ["image not found" in w for w in ua.warnings].count(True) == 1
    assert set(ua.timings) >= {"parse", "html", "fonts", "layout", "write", "total"}
    assert ua.own_seconds > 0 and ua.weasyprint_seconds > 0


def test_figures_are_embedded(ua: TypesetResult) -> None:
    with pikepdf.open(io.BytesIO(ua.pdf_bytes)) as pdf:
        sizes = set()
        for page in pdf.pages:
            for image in page.get_images().values():
                sizes.add((int(image.Width), int(image.Height)))
    # PNG, JPEG, TIFF and the downsampled huge PNG; SVG is drawn as vectors.
    assert {(600, 400), (800, 500), (500, 500), (2055, 1028)} <= sizes


def test_fonts_for_chinese_and_arabic_are_embedded(ua: TypesetResult) -> None:
    with pikepdf.open(io.BytesIO(ua.pdf_bytes)) as pdf:
        fonts = set()
        for page in pdf.pages:
            for _key, font in (page.Resources.get("/Font") or {}).items():
                fonts.add(str(font.get("/BaseFont", "")))
    joined = " ".join(fonts)
    assert "+Noto-Serif-CJK-SC" in joined and "+Noto-Naskh-Arabic" in joined
    assert "+Noto-Serif " in joined + " "


def test_tagged_pdf_ua(ua: TypesetResult) -> None:
    with pikepdf.open(io.BytesIO(ua.pdf_bytes)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo.Title) == "Adaptive feedback in massive online courses"
        assert str(pdf.docinfo.Author) == "Adaeze Okonkwo, Wei Zhang"
        assert "10.5555/fde.2026.0042" in str(pdf.docinfo.Subject)
        assert str(pdf.docinfo.Keywords) == "feedback, MOOC"
        outline = [item.title for item in pdf.open_outline().root]
        assert outline[:3] == ["Abstract", "Abstract (中文)", "Abstract (العربية)"]
        assert "1. Introduction" in outline and "References" in outline
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert (
            meta["{http://prismstandard.org/namespaces/basic/3.0/}doi"] == "10.5555/fde.2026.0042"
        )


def test_internal_links_work(ua: TypesetResult) -> None:
    with pikepdf.open(io.BytesIO(ua.pdf_bytes)) as pdf:
        targets: list[str] = []
        for page in pdf.pages:
            for annot in page.get("/Annots") or []:
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/Dest" in annot:
                    targets.append(str(annot.Dest))
                elif annot.A.S == "/GoTo":
                    targets.append(str(annot.A.D))
                else:
                    assert annot.A.S == "/URI"
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        # The citation, the figure, the table and the formula reference; the cited note
        # became a footnote and the link to a missing id became plain text.
        assert sorted(targets) == ["e1", "f1", "r1", "t1"]
        assert all(target in names for target in targets)


def test_pdfa_carries_the_jats_and_xmp(pdfa: TypesetResult) -> None:
    with pikepdf.open(io.BytesIO(pdfa.pdf_bytes)) as pdf:
        attachments = pdf.attachments
        assert list(attachments) == ["article.xml"]
        spec = attachments["article.xml"]
        assert spec.get_file().read_bytes() == make_article()
        assert str(spec.obj.AFRelationship) == "/Source"
        # The catalog's associated files name the JATS (WeasyPrint 70 lists it twice).
        assert {str(spec.F) for spec in pdf.Root.AF} == {"article.xml"}
        assert "/OutputIntents" in pdf.Root
        assert "/StructTreeRoot" in pdf.Root
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Adaptive feedback in massive online courses"
        assert meta["dc:creator"] == ["Adaeze Okonkwo", "Wei Zhang"]
        assert meta["dc:identifier"] == "doi:10.5555/fde.2026.0042"
        assert (
            meta["{http://prismstandard.org/namespaces/basic/3.0/}doi"] == "10.5555/fde.2026.0042"
        )
        assert meta["xmpRights:WebStatement"] == "https://creativecommons.org/licenses/by/4.0/"
        assert "Creative Commons Attribution 4.0" in meta["dc:rights"]
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        assert b"pdfaExtension:schemas" in xmp and b"prismstandard.org" in xmp


def test_first_page_is_not_empty(ua: TypesetResult, tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(ua.pdf_bytes)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "p1"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "p1.png").convert("L")
    stat = ImageStat.Stat(image)
    assert stat.var[0] > 500  # text, rules and the abstract box, not a blank page
    assert stat.mean[0] > 180  # mostly white paper


def test_bad_input_gets_a_clear_error() -> None:
    with pytest.raises(XMLInputError):
        typeset(b"<article><front>")
    with pytest.raises(TypesetError, match="not a JATS article"):
        typeset(b"<html/>")
    with pytest.raises(TypesetError, match="unknown PDF variant 'pdf/x'"):
        typeset(make_article(), variant="pdf/x")
    with pytest.raises(XMLInputError, match="entities"):
        typeset(b'<!DOCTYPE article [<!ENTITY e "boom">]><article>&e;</article>')


def test_cli_writes_the_pdf_and_reports(tmp_path: Path, figures_dir: Path) -> None:
    source = tmp_path / "article.xml"
    source.write_bytes(make_article())
    out = tmp_path / "article.pdf"
    result = CliRunner().invoke(fde, ["typeset", str(source), "-o", str(out), "--variant", "pdfa"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "pages" in result.output and "warning: image not found: nothere.png" in result.output


def test_cli_refuses_unusable_input(tmp_path: Path) -> None:
    source = tmp_path / "bad.xml"
    source.write_text("this is not xml", encoding="utf-8")
    result = CliRunner().invoke(fde, ["typeset", str(source), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "cannot typeset" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_very_wide_long_table_gets_landscape_pages_and_repeats_its_header(tmp_path: Path) -> None:
    head = "".join(f"<th>Head{i}</th>" for i in range(16))
    rows = "".join(
        "<tr>" + "".join(f"<td>r{r}c{c}</td>" for c in range(16)) + "</tr>" for r in range(150)
    )
    table = (
        '<table-wrap id="big"><label>Table 2</label><caption><title>Long.</title></caption>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></table-wrap>"
    )
    result = typeset(make_article(table))
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(result.pdf_bytes)
    landscape_pages = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            box = [float(v) for v in page.MediaBox]
            if box[2] > box[3]:
                landscape_pages.append(number)
    assert len(landscape_pages) >= 2  # the table is long: it splits over landscape pages
    header_pages = 0
    for number in landscape_pages:
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        header_pages += "Head15" in text
    assert header_pages == len(landscape_pages)  # the header row repeats on every page
    # Nothing is printed beyond the right margin (18 mm) of any page.
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = 0.0
    for line in bbox.splitlines():
        if line.strip().startswith("<page "):
            page_width = float(re.search(r'width="([\d.]+)"', line)[1])
        elif line.strip().startswith("<word "):
            x_max = float(re.search(r'xMax="([\d.]+)"', line)[1])
            assert x_max <= page_width - 18 / 25.4 * 72 + 1, line


def test_result_travels_between_processes(pdfa: TypesetResult) -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(pdfa))
    assert copy.pdf_bytes == pdfa.pdf_bytes and copy.pages == pdfa.pages
    assert copy.warnings == pdfa.warnings and copy.meta is None


def test_every_figure_in_the_structure_tree_has_alt_text(ua: TypesetResult) -> None:
    figures: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") in ("/Figure", "/Formula"):
                figures.append(node)
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(io.BytesIO(ua.pdf_bytes)) as pdf:
        walk(pdf.Root.StructTreeRoot)
        alts = [str(f.get("/Alt", "")) for f in figures]
    # Five figure images (/Figure) and three formulas (/Formula: one in the abstract, two
    # in the body).
    assert len(figures) >= 8
    assert all(alts), alts
    assert {"n>1000", "y=1/(1+e^(-x))", "\\alpha_i"} <= set(alts)
    # the figure's alt text then its long description; never the caption ("Format jpeg.")
    assert "A drawing of two shapes\n\nA square on the left, a circle on the right." in alts
    assert "Figure 3" in alts
    assert not any("Format" in alt for alt in alts), alts
