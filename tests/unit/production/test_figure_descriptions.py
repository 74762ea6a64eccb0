"""The production editor's description of a figure: a new JATS version through store_jats
(reader HTML follows, audit line), nothing changed when refused or unchanged, and only while
the article is in production."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.articles.models import ArticleState
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.production import figure_descriptions, figures
from frontiers_de.production.jats import descriptions
from frontiers_de.production.services import ProductionError
from frontiers_de.submissions.models import FigureDescription, FileKind, ManuscriptFile
from frontiers_de.xml.safe import parse_xml
from tests.production_factories import image_bytes
from tests.unit.production.test_figures import SETTINGS, converted, setting, storage  # noqa: F401


@pytest.fixture
def article(dbsession, storage, setting, tmp_path):  # noqa: F811
    made, _rows, _summary = converted(
        dbsession,
        storage,
        setting,
        tmp_path,
        {"Figure 1.png": image_bytes("PNG", (300, 200))},
        "Figure 1. Logins per week.",
    )
    return made


def _fig(article):
    return next(parse_xml(article.jats_xml.encode()).getroot().iter("fig"))


def _versions(db, article) -> int:
    rows = db.scalars(
        select(ManuscriptFile).where(
            ManuscriptFile.submission_id == article.submission_id,
            ManuscriptFile.kind == FileKind.JATS,
        )
    )
    return len(list(rows))


def test_a_description_is_a_new_jats_version(dbsession, storage, article, setting):  # noqa: F811
    editor = setting[1]
    fig_id = _fig(article).get("id")
    before = _versions(dbsession, article)
    changed = figure_descriptions.describe_figure(
        dbsession, storage, article, fig_id, " Rising  bars ", "W1: 3\r\nW2: 5", editor, SETTINGS
    )
    assert changed and _versions(dbsession, article) == before + 1
    assert descriptions.description_of(_fig(article)) == descriptions.FigureDescription(
        "Rising bars", "W1: 3\nW2: 5"
    )
    assert 'alt="Rising bars"' in article.html and "aria-describedby" in article.html
    audit = dbsession.scalars(select(AuditEvent).where(AuditEvent.action == "figure_described"))
    assert audit.one().detail["fig_id"] == fig_id
    # the same again: no new version
    assert not figure_descriptions.describe_figure(
        dbsession, storage, article, fig_id, "Rising bars", "W1: 3\nW2: 5", editor, SETTINGS
    )
    assert _versions(dbsession, article) == before + 1


@pytest.mark.parametrize(
    ("alt", "long_desc", "field"),
    [
        ("a" * 251, "", "alt_text"),
        ("Logins per week", "", "alt_text"),
        ("Bars", "b" * 10_001, "long_desc"),
    ],
)
def test_refused_text_changes_nothing(
    dbsession,
    storage,  # noqa: F811
    article,
    setting,  # noqa: F811
    alt,
    long_desc,
    field,
):
    jats = article.jats_xml
    with pytest.raises(figure_descriptions.DescriptionError) as refused:
        figure_descriptions.describe_figure(
            dbsession, storage, article, _fig(article).get("id"), alt, long_desc, setting[1], {}
        )
    assert refused.value.field == field
    assert article.jats_xml == jats


def test_unknown_figures_and_finished_articles(dbsession, storage, article, setting):  # noqa: F811
    with pytest.raises(figure_descriptions.FigureNotFound):
        figure_descriptions.describe_figure(
            dbsession, storage, article, "nope", "Bars", "", setting[1], {}
        )
    article.state = ArticleState.PUBLISHED
    with pytest.raises(ProductionError):
        figure_descriptions.describe_figure(
            dbsession, storage, article, _fig(article).get("id"), "Bars", "", setting[1], {}
        )


def test_choosing_an_upload_brings_the_author_s_description(
    dbsession,
    storage,  # noqa: F811
    setting,  # noqa: F811
    tmp_path,
):
    made, (upload,), _summary = converted(
        dbsession,
        storage,
        setting,
        tmp_path,
        {"chart.png": image_bytes("PNG", (300, 200))},  # named after no figure: not used
        "Figure 1. Logins per week.",
    )
    dbsession.add(
        FigureDescription(
            submission_id=made.submission_id, file_id=upload.id, alt_text="Bars", long_desc=""
        )
    )
    fig_id = _fig(made).get("id")
    assert descriptions.description_of(_fig(made)).alt_text == ""
    figures.choose(dbsession, storage, made, fig_id, f"upload-{upload.id}", setting[1], SETTINGS)
    assert descriptions.description_of(_fig(made)).alt_text == "Bars"
