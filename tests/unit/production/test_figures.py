"""The author's uploaded figures as services: the conversion uses the file named after a
figure, the editor's choice per figure changes the JATS (and so the reader page and the
PDF), and files that cannot be shown are refused with the reason."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from frontiers_de.editorial.models import AuditEvent
from frontiers_de.production import figures, services
from frontiers_de.production.jats.assets import XLINK_HREF
from frontiers_de.production.models import FigureChoice, FigureSource
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile
from frontiers_de.submissions.services import FIGURE_SUFFIXES
from frontiers_de.xml.safe import parse_xml
from tests.factories import make_journal, make_user
from tests.production_factories import (
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
    pdf_figure_bytes,
    sample_metadata,
)
from tests.submission_factories import ManuscriptFileFactory

SETTINGS = {"fde.base_url": "http://localhost"}


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (a decompression
    bomb: tiny on disk, gigabytes once decoded)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def setting(dbsession):
    journal = make_journal(dbsession)
    editor = make_user(dbsession, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    author = make_user(dbsession, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
    submission = make_accepted_submission(dbsession, journal, author)
    return journal, editor, submission


def author_upload(db, storage, submission, filename: str, data: bytes) -> ManuscriptFile:
    """A figure file as the author's upload form keeps it."""
    return ManuscriptFileFactory(
        db=db,
        submission=submission,
        kind=FileKind.FIGURE,
        filename=filename,
        media_type=FIGURE_SUFFIXES.get(Path(filename).suffix.lower(), "image/png"),
        data=data,
        storage=storage,
    )


def converted(db, storage, setting, tmp_path, uploads: dict[str, bytes], caption: str):
    """An article converted from a DOCX with one captioned image, after the author
    uploaded ``uploads`` (name -> bytes)."""
    _journal, editor, submission = setting
    docx = docx_with_image(tmp_path, image_bytes("PNG", (160, 90)), caption)
    add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
    rows = [author_upload(db, storage, submission, n, d) for n, d in uploads.items()]
    article = services.start_production(db, submission, editor)
    summary = services.convert_manuscript(db, storage, article, SETTINGS)
    return article, rows, summary


def graphic_href(article) -> str:
    (href,) = [g.get(XLINK_HREF) for g in parse_xml(article.jats_xml.encode()).iter("graphic")]
    return href


def test_the_conversion_uses_the_upload_named_after_the_figure(
    dbsession, storage, setting, tmp_path
):
    upload_png = image_bytes("PNG", (640, 360), color=(200, 40, 40))
    article, (other, upload), summary = converted(
        dbsession,
        storage,
        setting,
        tmp_path,
        {"graphical abstract.png": image_bytes("PNG"), "Figure 1.png": upload_png},
        "Figure 1. A chart.",
    )
    href = graphic_href(article)
    assert href == f"uploads/{upload.id}-Figure_1.png"
    assert summary["figures_from_uploads"] == [
        f"Figure 1: the uploaded Figure 1.png is used ({href}) instead of the manuscript's image"
    ]
    assert summary["assets_missing"] == []
    # The reader page shows the upload; the manuscript's image is kept, to choose again.
    assert f'src="/articles/id/{article.id}/assets/{href}"' in article.html
    (panel,) = figures.figure_panels(dbsession, storage, article)
    assert panel.chosen == f"upload-{upload.id}" and not panel.choice_by_editor
    assert panel.matching == [upload] and panel.others == [other]
    assert panel.manuscript_href.startswith("media/") and panel.manuscript_file is not None
    assert storage.get(panel.manuscript_file.sha256) != upload_png


def test_without_a_matching_upload_the_manuscript_image_stays(
    dbsession, storage, setting, tmp_path
):
    article, _rows, summary = converted(
        dbsession, storage, setting, tmp_path, {"Figure 2.png": image_bytes()}, "Figure 1. A."
    )
    assert graphic_href(article).startswith("media/")
    assert summary["figures_from_uploads"] == []
    assert (
        "the uploaded Figure 2.png names Figure 2, which the manuscript has neither an image "
        "nor a legend for; it is not used"
    ) in summary["conversion_warnings"]
    (panel,) = figures.figure_panels(dbsession, storage, article)
    assert panel.chosen == "manuscript" and panel.matching == []


def test_the_editors_choice_changes_the_jats_and_survives_conversion(
    dbsession, storage, setting, tmp_path
):
    editor = setting[1]
    article, (upload,), _summary = converted(
        dbsession, storage, setting, tmp_path, {"fig1.jpg": image_bytes("JPEG")}, "Figure 1. A."
    )
    fig_id = figures.figure_panels(dbsession, storage, article)[0].fig_id
    upload_href = graphic_href(article)
    assert upload_href == f"uploads/{upload.id}-fig1.jpg"
    article.pdf_sha256 = "0" * 64  # a PDF typeset from the JATS before the choice

    row = figures.choose(dbsession, storage, article, fig_id, "manuscript", editor, SETTINGS)

    assert (row.source, row.upload_id, row.chosen_by_id) == (
        FigureSource.MANUSCRIPT,
        None,
        editor.id,
    )
    assert graphic_href(article) == row.manuscript_href
    assert article.pdf_sha256 is None  # the PDF must be typeset again
    event = dbsession.scalars(select(AuditEvent).where(AuditEvent.action == "figure_chosen")).one()
    assert event.actor_id == editor.id
    assert event.detail["fig_id"] == fig_id and event.detail["source"] == "manuscript"
    # Converting again keeps the editor's choice.
    services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert graphic_href(article) == row.manuscript_href

    figures.choose(dbsession, storage, article, fig_id, f"upload-{upload.id}", editor, SETTINGS)
    assert graphic_href(article) == upload_href
    assert 'mime-subtype="jpeg"' in article.jats_xml
    services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert graphic_href(article) == upload_href
    assert dbsession.scalars(select(FigureChoice)).one().source == FigureSource.UPLOAD


def test_a_choice_must_name_a_figure_and_a_file_of_this_article(
    dbsession, storage, setting, tmp_path
):
    journal, editor, _submission = setting
    article, (upload,), _summary = converted(
        dbsession, storage, setting, tmp_path, {"Figure 1.png": image_bytes()}, "Figure 1. A."
    )
    fig_id = figures.figure_panels(dbsession, storage, article)[0].fig_id
    # Another submission's figure file, in the same journal.
    other_author = make_user(dbsession, "other@example.org", roles=[Role.AUTHOR], journal=journal)
    meta = {**sample_metadata(), "doi": "10.5555/fde.2026.0099"}
    other = make_accepted_submission(dbsession, journal, other_author, metadata=meta)
    stranger = author_upload(dbsession, storage, other, "Figure 1.png", image_bytes())
    before = article.jats_xml
    for fig, choice, message in (
        ("fig-99", "manuscript", "The article has no such figure."),
        (fig_id, f"upload-{stranger.id}", "Choose the manuscript's image or one of the author"),
        (fig_id, "upload-x", "Choose the manuscript's image or one of the author"),
        (fig_id, f"upload-{upload.id + 10**17}", "Choose the manuscript's image"),
        (fig_id, "", "Choose the manuscript's image"),
    ):
        with pytest.raises(services.ProductionError) as caught:
            figures.choose(dbsession, storage, article, fig, choice, editor, SETTINGS)
        assert message in caught.value.message.interpolate()
    assert article.jats_xml == before
    (row,) = dbsession.scalars(select(FigureChoice)).all()
    assert (row.source, row.chosen_by_id) == (None, None)
    # Thumbnails: only this article's figure images.
    assert figures.thumbnail(dbsession, storage, article, stranger.id) is None
    assert figures.thumbnail(dbsession, storage, article, upload.id).media_type == "image/png"


def test_files_that_cannot_be_shown_are_refused_with_the_reason(
    dbsession, storage, setting, tmp_path
):
    editor = setting[1]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    article, (bomb, fake, svg_row, eps), summary = converted(
        dbsession,
        storage,
        setting,
        tmp_path,
        {
            "Figure 1.png": png_bomb(),
            "Figure 1 v2.png": b"\x89PNG\r\n\x1a\nnot really",
            "Figure 1 v3.png": svg,
            "Figure 1 v4.png": b"%!PS-Adobe-3.0 EPSF-3.0\n",
        },
        "Figure 1. A.",
    )
    # None usable: the manuscript's image stays, and the report says why for each.
    assert graphic_href(article).startswith("media/")
    warnings = "\n".join(summary["conversion_warnings"])
    assert "Figure 1 v4.png is a PostScript file, which the web and the PDF cannot show" in warnings
    assert "Figure 1 v3.png is an SVG file, which is not accepted from authors." in warnings
    assert "Figure 1.png cannot be used:" in warnings and "pixels" in warnings
    assert "Figure 1 v2.png cannot be used: The image cannot be read" in warnings
    fig_id = figures.figure_panels(dbsession, storage, article)[0].fig_id
    for row in (bomb, fake, svg_row, eps):
        with pytest.raises(figures.FigureRefused):
            figures.choose(
                dbsession, storage, article, fig_id, f"upload-{row.id}", editor, SETTINGS
            )
        # No thumbnail is drawn from them either.
        assert figures.thumbnail(dbsession, storage, article, row.id) is None


def test_a_pdf_figure_is_drawn_as_svg_and_a_tiff_kept(dbsession, storage, setting, tmp_path):
    editor = setting[1]
    tiff = image_bytes("TIFF", (300, 200))
    article, (pdf, tif), _summary = converted(
        dbsession,
        storage,
        setting,
        tmp_path,
        {"Figure 1.pdf": pdf_figure_bytes(), "Fig_1.tif": tiff},
        "Figure 1. A.",
    )
    # The newest matching upload is used: the TIFF, kept as it is.
    assert graphic_href(article) == f"uploads/{tif.id}-Fig_1.tif"
    fig_id = figures.figure_panels(dbsession, storage, article)[0].fig_id
    figures.choose(dbsession, storage, article, fig_id, f"upload-{pdf.id}", editor, SETTINGS)
    assert graphic_href(article) == f"uploads/{pdf.id}-Figure_1.svg"
    assert 'mime-subtype="svg+xml"' in article.jats_xml
    thumb = figures.thumbnail(dbsession, storage, article, pdf.id)
    assert thumb.body.startswith(b"\x89PNG")


def test_the_pdf_is_typeset_with_the_chosen_image(dbsession, storage, setting, tmp_path):
    upload = image_bytes("PNG", (413, 207), color=(10, 160, 60))
    article, _rows, _summary = converted(
        dbsession, storage, setting, tmp_path, {"Figure 1.png": upload}, "Figure 1. A chart."
    )
    services.typeset_current(dbsession, storage, article, SETTINGS)
    with pikepdf.open(io.BytesIO(storage.get(article.pdf_sha256))) as pdf:
        sizes = {
            (int(obj.get("/Width")), int(obj.get("/Height")))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        }
    assert (413, 207) in sizes and (160, 90) not in sizes


def test_a_large_image_gets_its_size_but_no_thumbnail(dbsession, storage, setting, tmp_path):
    # 9 000 x 9 000 pixels claimed by a few hundred bytes: below the limits of kept images,
    # above what a thumbnail decodes.
    big = png_bomb(9_000, 9_000)
    article, (row,), _summary = converted(
        dbsession, storage, setting, tmp_path, {"Figure 1.png": big}, "Figure 1. A."
    )
    (panel,) = figures.figure_panels(dbsession, storage, article)
    assert panel.pixels[row.id] == (9_000, 9_000)
    assert panel.pixels[panel.manuscript_file.id] == (160, 90)
    assert figures.thumbnail(dbsession, storage, article, row.id) is None


def docx_with_legends(tmp_dir: Path) -> bytes:
    """A DOCX whose figures were sent as separate files: the text mentions Figure 1 and
    Figure 2, and only their legends stand in the manuscript (the second in bold)."""
    import subprocess

    import pypandoc

    (tmp_dir / "legends.md").write_text(
        "# Results\n\nScores rose (Figure 1), most in the second term (Figure 2).\n\n"
        "Figure 1. Scores by group.\n\n**Figure 2:** Scores by *term*.\n\n"
        "Figure 3. A figure nobody uploaded.\n",
        encoding="utf-8",
    )
    subprocess.run(
        [pypandoc.get_pandoc_path(), "legends.md", "-o", "legends.docx"],
        cwd=tmp_dir,
        check=True,
        timeout=60,
    )
    return (tmp_dir / "legends.docx").read_bytes()


def test_a_figure_with_only_a_legend_is_made_from_its_upload(dbsession, storage, setting, tmp_path):
    _journal, editor, submission = setting
    add_manuscript(
        dbsession, storage, submission, Path("paper.docx"), data=docx_with_legends(tmp_path)
    )
    one = author_upload(dbsession, storage, submission, "Figure_1.png", image_bytes())
    two = author_upload(dbsession, storage, submission, "fig2.jpg", image_bytes("JPEG"))
    article = services.start_production(dbsession, submission, editor)
    summary = services.convert_manuscript(dbsession, storage, article, SETTINGS)

    root = parse_xml(article.jats_xml.encode()).getroot()
    figs = {f.get("id"): f for f in root.iter("fig")}
    assert set(figs) == {"fig-1", "fig-2"}
    assert figs["fig-1"].findtext("label") == "Figure 1"
    assert "".join(figs["fig-1"].find("caption").itertext()) == "Scores by group."
    assert figs["fig-2"].findtext("label") == "Figure 2"
    assert "".join(figs["fig-2"].find("caption").itertext()) == "Scores by term."
    assert figs["fig-2"].find("caption/p/italic").text == "term"
    hrefs = [g.get(XLINK_HREF) for g in root.iter("graphic")]
    assert hrefs == [f"uploads/{one.id}-Figure_1.png", f"uploads/{two.id}-fig2.jpg"]
    # The text's mentions now lead to them; the legend nobody sent a file for stays text.
    assert [x.get("rid") for x in root.iter("xref") if x.get("ref-type") == "fig"] == [
        "fig-1",
        "fig-2",
    ]
    assert any(
        "Figure 3. A figure nobody uploaded." in "".join(p.itertext()) for p in root.iter("p")
    )
    assert any("made at its legend" in c for c in summary["figures_from_uploads"])
    assert summary["errors"] == 0, summary["findings"]
    # On the page: no manuscript image to choose, the upload chosen.
    panels = {p.fig_id: p for p in figures.figure_panels(dbsession, storage, article)}
    assert panels["fig-2"].manuscript_href is None
    assert panels["fig-2"].chosen == f"upload-{two.id}"
    with pytest.raises(services.ProductionError):
        figures.choose(dbsession, storage, article, "fig-2", "manuscript", editor, SETTINGS)
    # Converting again gives the same figures.
    services.convert_manuscript(dbsession, storage, article, SETTINGS)
    again = parse_xml(article.jats_xml.encode()).getroot()
    assert [g.get(XLINK_HREF) for g in again.iter("graphic")] == hrefs


@pytest.mark.parametrize(
    "filename",
    [
        'Figure 1 "><img src=x onerror=alert(1)>.png',
        "../../Figure 1.png",
        "Figure 1?.png#x",
        "图 1.png",
        ".png",
    ],
)
def test_the_name_an_upload_is_kept_under_is_safe(filename):
    from frontiers_de.production.jats.assets import name_problem

    row = ManuscriptFile(id=42, filename=filename)
    href = figures.upload_href(row, "png")
    assert href.startswith("uploads/42-") and href.endswith(".png")
    assert name_problem(href) is None
    assert all(c.isalnum() or c in "/._-" for c in href)
