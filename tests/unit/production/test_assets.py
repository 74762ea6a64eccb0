"""An article's figures and files as services, without HTTP: kept at conversion (DOCX, a
LaTeX zip), looked up by href, uploaded with checks, served (TIFF as PNG), typeset."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import select

from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import ArticleState
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.production import assets, services
from frontiers_de.production.jats.assets import XLINK_HREF
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile
from frontiers_de.xml.safe import parse_xml
from tests.factories import make_journal, make_user
from tests.production_factories import (
    LATEX_WITH_FIGURES,
    SVG_WITH_SCRIPT,
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
    zip_of,
)

ROOT = Path(__file__).resolve().parents[3]
VALID_JATS = (ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml").read_bytes()
SETTINGS = {"fde.base_url": "http://localhost"}
SUPPLEMENT = b'<supplementary-material xlink:href="data/scores.csv"/></sec>'


def jats_naming(*hrefs: str) -> bytes:
    """The valid fixture with its figure renamed to ``hrefs[0]`` and a supplementary
    material for each further href."""
    data = VALID_JATS.replace(b'xlink:href="fig1.png"', f'xlink:href="{hrefs[0]}"'.encode())
    for href in hrefs[1:]:
        data = data.replace(
            b"</sec>", f'<supplementary-material xlink:href="{href}"/></sec>'.encode(), 1
        )
    return data


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


def _article(db, storage, setting, jats: bytes | None = VALID_JATS):
    _journal, editor, submission = setting
    article = services.start_production(db, submission, editor)
    if jats is not None:
        store_jats(db, storage, article, jats, filename="article.xml")
    return article


def _asset_rows(db, submission_id):
    return list(
        db.scalars(
            select(ManuscriptFile)
            .where(
                ManuscriptFile.submission_id == submission_id,
                ManuscriptFile.kind.in_(assets.ASSET_KINDS),
            )
            .order_by(ManuscriptFile.id)
        )
    )


# --- kept at conversion ---------------------------------------------------------------------


def test_docx_figures_are_kept_at_conversion(dbsession, storage, setting, tmp_path):
    chart = image_bytes("PNG", (160, 90))
    docx = docx_with_image(tmp_path, chart)
    submission = setting[2]
    add_manuscript(dbsession, storage, submission, Path("paper.docx"), data=docx)
    article = _article(dbsession, storage, setting, jats=None)

    summary = services.convert_manuscript(dbsession, storage, article, SETTINGS)

    (href,) = [g.get(XLINK_HREF) for g in parse_xml(article.jats_xml.encode()).iter("graphic")]
    assert href.startswith("media/") and href.endswith(".png")
    assert summary["assets_kept"] == [href] and summary["assets_missing"] == []
    (row,) = _asset_rows(dbsession, submission.id)
    assert (row.kind, row.round_number, row.filename) == (FileKind.FIGURE, 0, href)
    assert row.media_type == "image/png" and storage.get(row.sha256) == chart
    assert assets.find_asset(dbsession, article, href) == row
    # The reader HTML points at the public route by article id.
    assert f'src="/articles/id/{article.id}/assets/{href}"' in article.html
    # Converting again keeps no second copy of the same bytes.
    services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert len(_asset_rows(dbsession, submission.id)) == 1
    # A better version uploaded in production survives converting the same DOCX again.
    better = image_bytes("PNG", (320, 180))
    upload = assets.upload_asset(dbsession, storage, article, href, better, setting[1], SETTINGS)
    services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert assets.find_asset(dbsession, article, href) == upload
    assert len(_asset_rows(dbsession, submission.id)) == 2


def test_latex_zip_figures_are_kept_and_the_missing_one_is_listed(dbsession, storage, setting):
    trend = image_bytes("PNG")
    data = zip_of({"paper/main.tex": LATEX_WITH_FIGURES, "paper/figures/trend.png": trend})
    submission = setting[2]
    add_manuscript(dbsession, storage, submission, Path("paper.zip"), data=data)
    article = _article(dbsession, storage, setting, jats=None)

    summary = services.convert_manuscript(dbsession, storage, article, SETTINGS)

    assert summary["assets_kept"] == ["figures/trend.png"]
    assert summary["assets_missing"] == ["forgotten"]
    assert any("forgotten" in w for w in summary["conversion_warnings"])
    status = {a.href: a.present for a in assets.article_assets(dbsession, article)}
    assert status == {"figures/trend.png": True, "forgotten": False}
    row = assets.find_asset(dbsession, article, "figures/trend.png")
    assert storage.get(row.sha256) == trend


def test_a_pdf_figure_from_latex_is_not_kept_but_listed_missing(dbsession, storage, setting):
    data = zip_of({"main.tex": LATEX_WITH_FIGURES, "figures/trend.pdf": b"%PDF-1.4 figure"})
    add_manuscript(dbsession, storage, setting[2], Path("paper.zip"), data=data)
    article = _article(dbsession, storage, setting, jats=None)
    summary = services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert summary["assets_kept"] == []
    assert "figures/trend.pdf" in summary["assets_missing"]
    assert any(w.startswith("figures/trend.pdf: not kept") for w in summary["conversion_warnings"])
    # A web version replaces it under the same name.
    png = image_bytes("PNG")
    assets.upload_asset(dbsession, storage, article, "figures/trend.pdf", png, setting[1], SETTINGS)
    served = assets.served_asset(dbsession, storage, article, "figures/trend.pdf")
    assert served.media_type == "image/png" and served.body == png


# --- which file is an href ------------------------------------------------------------------


def test_the_latest_file_of_an_href_wins(dbsession, storage, setting):
    article = _article(dbsession, storage, setting)
    first, second = image_bytes("PNG", color=(255, 0, 0)), image_bytes("PNG", color=(0, 255, 0))
    assets.upload_asset(dbsession, storage, article, "fig1.png", first, setting[1], SETTINGS)
    newer = assets.upload_asset(
        dbsession, storage, article, "fig1.png", second, setting[1], SETTINGS
    )
    assert assets.find_asset(dbsession, article, "fig1.png") == newer
    assert len(_asset_rows(dbsession, article.submission_id)) == 2  # the first is kept


@pytest.mark.parametrize(
    ("href", "kept_as"),
    [
        ("plot", "plot.png"),  # LaTeX-style name without extension
        ("fig1.tif", "fig1.png"),  # extension swapped
        ("pone.0001.g001", "pone.0001.g001.png"),  # PLOS-style name
        ("plot.png", "plot"),  # the file kept without its extension
    ],
)
def test_lookup_tolerates_a_missing_or_other_extension(dbsession, storage, setting, href, kept_as):
    article = _article(dbsession, storage, setting, jats_naming(href))
    checked = assets.CheckedAsset("image/png", FileKind.FIGURE, "png")
    row = assets.keep_asset(
        dbsession, storage, article.submission_id, kept_as, image_bytes("PNG"), checked
    )
    assert assets.find_asset(dbsession, article, href) == row


def test_a_supplement_name_is_never_matched_to_an_image(dbsession, storage, setting):
    article = _article(dbsession, storage, setting, jats_naming("data.png", "data.csv"))
    assets.upload_asset(
        dbsession, storage, article, "data.png", image_bytes("PNG"), setting[1], SETTINGS
    )
    assert assets.find_asset(dbsession, article, "data.csv") is None
    assert assets.missing_assets(dbsession, article) == ["data.csv"]


def test_only_hrefs_of_the_current_jats_are_found(dbsession, storage, setting):
    article = _article(dbsession, storage, setting)
    assets.upload_asset(
        dbsession, storage, article, "fig1.png", image_bytes("PNG"), setting[1], SETTINGS
    )
    store_jats(dbsession, storage, article, jats_naming("fig2.png"), filename="v2.xml")
    assert assets.find_asset(dbsession, article, "fig1.png") is None
    assert assets.find_asset(dbsession, article, "fig2.png") is None
    assert assets.missing_assets(dbsession, article) == ["fig2.png"]
    assert assets.find_asset(dbsession, article, "../fig1.png") is None


# --- uploads and their checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("jats_hrefs", "href", "data", "expected"),
    [
        (("fig1.png",), "fig9.png", image_bytes("PNG"), "The JATS names no file fig9.png"),
        (("fig1.png",), "../fig1.png", image_bytes("PNG"), "leaves the article's folder"),
        (("fig1.png",), "/etc/fig1.png", image_bytes("PNG"), "absolute path"),
        (("fig1.png",), "fig1.png", image_bytes("JPEG"), "names a PNG image, but the file is JPEG"),
        (("fig1.png",), "fig1.png", b"", "The file is empty"),
        (("fig1.png",), "fig1.png", b"\x89PNG\r\n\x1a\nbroken", "The image cannot be read"),
        (("fig1.png",), "fig1.png", b"x" * 2001, "at most 2000 bytes"),
        (("fig1.svg",), "fig1.svg", b"<html><svg/></html>", "not an SVG image"),
        (
            ("fig1.svg",),
            "fig1.svg",
            b'<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>',
            "The SVG file is not usable",
        ),
        (("plot",), "plot", b"%PDF-1.4 x", "not a PNG, JPEG, TIFF, GIF or SVG image (it is PDF)"),
        (("fig1.png", "data/run.exe"), "data/run.exe", b"MZ\x90\x00", "Files of type .exe"),
        (("fig1.png", "data/scores.csv"), "data/scores.csv", b"\x00\x01\x02", "names a text file"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_kept(
    dbsession, storage, setting, jats_hrefs, href, data, expected
):
    article = _article(dbsession, storage, setting, jats_naming(*jats_hrefs))
    limits = {**SETTINGS, "fde.production.max_asset_bytes": "2000"}
    with pytest.raises(assets.AssetRefused) as refused:
        assets.upload_asset(dbsession, storage, article, href, data, setting[1], limits)
    assert expected in refused.value.message.interpolate()
    assert _asset_rows(dbsession, article.submission_id) == []


def test_supplements_and_figures_get_their_kinds(dbsession, storage, setting):
    article = _article(dbsession, storage, setting, jats_naming("fig1.svg", "data/scores.csv"))
    figure = assets.upload_asset(
        dbsession, storage, article, "fig1.svg", SVG_WITH_SCRIPT, setting[1], SETTINGS
    )
    table = assets.upload_asset(
        dbsession, storage, article, "data/scores.csv", b"a,b\n1,2\n", setting[1], SETTINGS
    )
    assert (figure.kind, figure.media_type) == (FileKind.FIGURE, "image/svg+xml")
    assert (table.kind, table.media_type) == (FileKind.SUPPLEMENTARY, "text/csv")
    served = assets.served_asset(dbsession, storage, article, "data/scores.csv")
    assert not served.inline and served.filename == "scores.csv"


def test_an_upload_makes_the_pdf_not_current_and_is_audited(dbsession, storage, setting):
    article = _article(dbsession, storage, setting)
    article.pdf_sha256, article.pdf_pages = storage.put(b"%PDF-1.7 without figure"), 1
    record = assets.upload_asset(
        dbsession, storage, article, "fig1.png", image_bytes("PNG"), setting[1], SETTINGS
    )
    assert article.pdf_sha256 is None
    event = dbsession.scalar(select(AuditEvent).where(AuditEvent.action == "asset_uploaded"))
    assert event.detail["name"] == "fig1.png" and event.detail["file_id"] == record.id


def test_no_upload_after_publication(dbsession, storage, setting):
    article = _article(dbsession, storage, setting)
    article.state = ArticleState.PUBLISHED
    with pytest.raises(services.ProductionError, match="no longer in production"):
        assets.upload_asset(
            dbsession, storage, article, "fig1.png", image_bytes("PNG"), setting[1], SETTINGS
        )


# --- serving and typesetting ----------------------------------------------------------------


def test_tiff_is_served_as_a_png_for_display(dbsession, storage, setting):
    article = _article(dbsession, storage, setting, jats_naming("fig1.tif"))
    tiff = image_bytes("TIFF", (300, 200))
    row = assets.upload_asset(dbsession, storage, article, "fig1.tif", tiff, setting[1], SETTINGS)
    assert row.media_type == "image/tiff" and storage.get(row.sha256) == tiff  # original kept
    served = assets.served_asset(dbsession, storage, article, "fig1.tif")
    assert served.media_type == "image/png" and served.filename == "fig1.png"
    assert served.etag == f"{row.sha256}-png" and served.inline
    with Image.open(io.BytesIO(served.body)) as shown:
        assert (shown.format, shown.size) == ("PNG", (300, 200))


def _image_widths(pdf_bytes: bytes) -> list[int]:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return [
            int(obj.get("/Width"))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]


def test_the_pdf_has_the_figure_once_it_is_kept(dbsession, storage, setting):
    article = _article(dbsession, storage, setting)
    before = services.typeset_current(dbsession, storage, article, SETTINGS)
    assert 317 not in _image_widths(storage.get(before["pdf_sha256"]))
    assert any("fig1.png" in w and "among the article's files" in w for w in before["warnings"])

    assets.upload_asset(
        dbsession,
        storage,
        article,
        "fig1.png",
        image_bytes("PNG", (317, 140)),
        setting[1],
        SETTINGS,
    )
    after = services.typeset_current(dbsession, storage, article, SETTINGS)
    assert 317 in _image_widths(storage.get(after["pdf_sha256"]))
    assert not any("fig1.png" in w for w in after["warnings"])


def test_typesetting_finds_a_file_whose_href_has_no_image_extension(dbsession, storage, setting):
    article = _article(dbsession, storage, setting, jats_naming("pone.0001.g001"))
    assets.upload_asset(
        dbsession,
        storage,
        article,
        "pone.0001.g001",
        image_bytes("JPEG", (233, 100)),
        setting[1],
        SETTINGS,
    )
    with assets.materialised_assets(dbsession, storage, article) as folder:
        assert [p.name for p in folder.rglob("*") if p.is_file()] == ["pone.0001.g001.jpg"]
    result = services.typeset_current(dbsession, storage, article, SETTINGS)
    assert 233 in _image_widths(storage.get(result["pdf_sha256"]))
