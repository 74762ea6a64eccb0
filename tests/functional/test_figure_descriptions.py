"""Figure descriptions through the web: the production editor writes a figure's alt text and
long description on the production page (CSRF; a figure the JATS does not have, or another
article's, is a 404; refused text is shown again with its error at the field), they land in
the JATS ``graphic`` and on the reader page (``alt``, a long description named by
``aria-describedby``), and the caption is never the alt text."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.journals.models import Journal
from frontiers_de.production import services
from frontiers_de.production.jats import descriptions
from frontiers_de.production.jats.html import article_fragment
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FigureDescription, ManuscriptFile
from frontiers_de.xml.safe import parse_xml
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_figure_choice import converted  # noqa: F401 (fixture)
from tests.functional.test_submissions import author, start, upload  # noqa: F401 (fixture)
from tests.production_factories import (
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
)
from tests.publishing_factories import jats_with, make_issue, publish_article
from tests.unit.production.test_figures import author_upload
from tests.web import csrf

XLINK = "http://www.w3.org/1999/xlink"


def _jats(wsgi_app, article_id: int) -> etree._ElementTree:
    with app_session(wsgi_app) as db:
        return parse_xml(db.get(Article, article_id).jats_xml.encode("utf-8"))


def _fig_id(wsgi_app, article_id: int) -> str:
    return _jats(wsgi_app, article_id).getroot().find(".//fig").get("id")


def _url(article_id: int, fig_id: str) -> str:
    return f"/production/articles/{article_id}/figures/{fig_id}/description"


def test_the_editor_describes_a_figure(testapp, wsgi_app, converted):  # noqa: F811
    article_id = converted[0]
    fig_id = _fig_id(wsgi_app, article_id)
    page = testapp.get(f"/production/articles/{article_id}")
    form = page.forms[f"describe-{fig_id}"]
    assert form["alt_text"].value == ""
    form["alt_text"] = "Bar chart: weekly logins rise from 10 to 80 over the term."
    form["long_desc"] = "Week 1: 10 logins.\r\nWeek 2: 40 logins.\r\n\r\nWeek 3: 80 logins."
    res = form.submit()
    assert res.status_int == 302 and res.location.endswith(f"#describe-{fig_id}")
    fig = descriptions.find_figure(_jats(wsgi_app, article_id), fig_id)
    graphic = descriptions.figure_image(fig)
    assert graphic.findtext("alt-text").startswith("Bar chart: weekly logins")
    assert graphic.findtext("long-desc") == (
        "Week 1: 10 logins.\nWeek 2: 40 logins.\n\nWeek 3: 80 logins."
    )
    with app_session(wsgi_app) as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "figure_described")).one()
        assert event.detail["fig_id"] == fig_id
        article = db.get(Article, article_id)
        # the reader HTML followed the JATS (store_jats announced the change)
        assert 'alt="Bar chart: weekly logins' in article.html
        assert "aria-describedby=" in article.html and "Week 2: 40 logins." in article.html
    # the form shows what is kept; saving it again changes nothing
    page = testapp.get(f"/production/articles/{article_id}")
    again = page.forms[f"describe-{fig_id}"]
    assert again["long_desc"].value.startswith("Week 1: 10 logins.")
    assert "unchanged" in again.submit().follow().text
    # emptied, both are removed from the JATS
    again["alt_text"], again["long_desc"] = "", ""
    again.submit()
    graphic = descriptions.figure_image(
        descriptions.find_figure(_jats(wsgi_app, article_id), fig_id)
    )
    assert graphic.find("alt-text") is None and graphic.find("long-desc") is None


@pytest.mark.parametrize(
    ("alt", "long_desc", "field", "words"),
    [
        ("x" * 251, "", "alt_text", "longer than 250 characters"),
        ("A chart.", "", "alt_text", "repeats the caption"),
        ("Figure 1. A chart", "", "alt_text", "repeats the caption"),
        ("A line chart", "y" * 10_001, "long_desc", "longer than 10000 characters"),
    ],
)
def test_refused_text_is_shown_again_with_its_error(
    testapp,
    wsgi_app,
    converted,  # noqa: F811
    alt,
    long_desc,
    field,
    words,
):
    article_id = converted[0]
    fig_id = _fig_id(wsgi_app, article_id)
    before = _jats(wsgi_app, article_id)
    page = testapp.get(f"/production/articles/{article_id}")
    form = page.forms[f"describe-{fig_id}"]
    form["alt_text"], form["long_desc"] = alt, long_desc
    res = form.submit(status=400)
    box = res.html.select_one(f"#describe-{fig_id}")
    assert "was not saved" in box.text
    control = box.select_one(f"textarea[name={field}]")
    assert control["aria-invalid"] == "true"
    error_id = control["aria-describedby"].split()[-1]
    assert words in box.select_one(f"#{error_id}").text.replace(",", "")
    # what was typed is still there, to correct
    assert box.select_one("textarea[name=alt_text]").text == alt
    assert etree.tostring(_jats(wsgi_app, article_id)) == etree.tostring(before)


def test_no_csrf_no_change_and_unknown_figures_are_404(testapp, wsgi_app, converted):  # noqa: F811
    article_id = converted[0]
    fig_id = _fig_id(wsgi_app, article_id)
    data = {"alt_text": "A bar chart", "long_desc": ""}
    assert "Invalid token" in testapp.post(_url(article_id, fig_id), data, status=400).text
    token = csrf(testapp.get(f"/production/articles/{article_id}"))
    testapp.post(_url(article_id, "no-such-fig"), {**data, "csrf_token": token}, status=404)
    # another article's figure id: the other article has a figure "f1", this one does not
    with app_session(wsgi_app) as db:
        journal = db.get(Journal, db.get(Article, article_id).journal_id)
        other = publish_article(db, journal, "10.5555/fde.2026.0777")
        assert other.jats_xml and 'id="f1"' in other.jats_xml
    assert fig_id != "f1"
    testapp.post(_url(article_id, "f1"), {**data, "csrf_token": token}, status=404)
    assert _jats(wsgi_app, article_id).getroot().find(".//alt-text") is None


def test_the_reader_page_shows_alt_text_and_the_long_description(testapp, wsgi_app):
    jats = jats_with("10.5555/fde.2026.0778").replace(
        "<alt-text>Line chart of weekly dashboard use</alt-text>",
        "<alt-text>Line chart: use climbs each week</alt-text>"
        "<long-desc>Week 1: 12 uses.\nWeek 2: 30 uses.</long-desc>",
    )
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        article = publish_article(
            db, journal, "10.5555/fde.2026.0778", issue=make_issue(db, journal, 1, "1"), jats=jats
        )
        article.html_version = "stale"  # made again from the JATS when shown
    page = testapp.get("/articles/10.5555/fde.2026.0778")
    img = page.html.select_one("figure.fig img")
    assert img["alt"] == "Line chart: use climbs each week"
    described = page.html.select_one(f"#{img['aria-describedby']}")
    assert described.get_text("\n") == "Week 1: 12 uses.\nWeek 2: 30 uses."
    assert described.find_parent("details") is not None
    assert "Dashboard use by week" not in img["alt"]


def test_a_figure_without_alt_text_is_named_by_its_caption_once():
    tree = parse_xml(jats_with("10.5555/fde.2026.0779").encode("utf-8"))
    for alt in tree.getroot().iter("alt-text"):
        alt.getparent().remove(alt)
    html = etree.HTML(article_fragment(tree))
    (img,) = html.xpath("//figure[@class='fig']/img")
    assert img.get("alt") == ""  # the figcaption names the figure, not the img again
    assert "Dashboard use by week" in "".join(img.getparent().find("figcaption").itertext())


# --- the author, at submission --------------------------------------------------------------


def test_the_author_describes_each_figure_file(
    author,  # noqa: F811
    wsgi_app,
):
    client = author
    submission_id, _page = start(client)
    upload(client, submission_id, "figure", "Figure 1.png", image_bytes("PNG", (200, 120)))
    upload(client, submission_id, "figure", "Figure 2.png", image_bytes("PNG", (200, 120)))
    page = client.get(f"/submissions/{submission_id}/files")
    forms = [f for key, f in page.forms.items() if str(key).startswith("describe-file-")]
    assert len(forms) == 2
    first = forms[0]
    first["alt_text"] = "Bar chart: logins rise each week."
    first["long_desc"] = "Week 1: 10.\nWeek 2: 40."
    res = first.submit()
    assert res.status_int == 302 and "#describe-file-" in res.location
    again = client.get(f"/submissions/{submission_id}/files")
    box = again.html.select_one(f"#{first.id}")
    assert box.select_one("textarea[name=alt_text]").text == "Bar chart: logins rise each week."
    # Too long: refused at its field, what was typed kept, nothing saved.
    second = again.forms[forms[1].id]
    second["alt_text"] = "z" * 300
    refused = second.submit(status=400)
    box = refused.html.select_one(f"#{forms[1].id}")
    control = box.select_one("textarea[name=alt_text]")
    assert control["aria-invalid"] == "true" and control.text == "z" * 300
    assert "longer than 250" in box.select_one(".field-error").text
    # Another user's submission, and a file that is not a figure: 404; no CSRF: refused.
    file_id = int(first.id.rsplit("-", 1)[-1])
    url = f"/submissions/{submission_id}/files/{file_id}/description"
    client.post(url, {"alt_text": "x"}, status=400)
    upload(client, submission_id, "manuscript", "paper.md", b"# Title\n\nText.\n")
    with app_session(wsgi_app) as db:
        manuscript = db.scalars(
            select(ManuscriptFile).where(
                ManuscriptFile.submission_id == submission_id, ManuscriptFile.kind == "manuscript"
            )
        ).one()
        described = db.scalars(select(FigureDescription)).all()
        assert [(d.file_id, d.alt_text) for d in described] == [
            (file_id, "Bar chart: logins rise each week.")
        ]
    token = csrf(client.get(f"/submissions/{submission_id}/files"))
    client.post(
        f"/submissions/{submission_id}/files/{manuscript.id}/description",
        {"csrf_token": token, "alt_text": "x"},
        status=404,
    )
    other_id, _ = start(client)
    client.post(
        f"/submissions/{other_id}/files/{file_id}/description",
        {"csrf_token": token, "alt_text": "x"},
        status=404,
    )


def test_the_conversion_gives_the_figure_the_author_s_description(wsgi_app, app_settings, tmp_path):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    docx = docx_with_image(tmp_path, image_bytes("PNG", (160, 90)), "Figure 1. A chart.")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, roles=[Role.PRODUCTION_EDITOR], journal=journal)
        writer = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, writer)
        add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
        upload_row = author_upload(
            db, storage, submission, "Figure 1.png", image_bytes("PNG", (500, 300))
        )
        db.add(
            FigureDescription(
                submission_id=submission.id,
                file_id=upload_row.id,
                alt_text="Bars for three schools",
                long_desc="School A: 3\nSchool B: 5",
            )
        )
        db.flush()
        article = services.start_production(db, submission, editor)
        services.convert_manuscript(db, storage, article, {"fde.base_url": "http://localhost"})
        tree = parse_xml(article.jats_xml.encode("utf-8"))
    (fig,) = tree.getroot().iter("fig")
    assert descriptions.description_of(fig) == descriptions.FigureDescription(
        "Bars for three schools", "School A: 3\nSchool B: 5"
    )


def test_the_forms_and_the_reader_page_speak_chinese(testapp, wsgi_app, converted):  # noqa: F811
    article_id = converted[0]
    page = testapp.get(f"/production/articles/{article_id}")
    testapp.post("/language", {"language": "zh", "csrf_token": csrf(page), "next": "/"})
    page = testapp.get(f"/production/articles/{article_id}")
    assert "替代文本" in page.text and "保存描述" in page.text
    form = page.forms[f"describe-{_fig_id(wsgi_app, article_id)}"]
    form["alt_text"] = "x" * 251
    assert "替代文本超过 250 个字符" in form.submit(status=400).text
    jats = jats_with("10.5555/fde.2026.0780").replace(
        "<alt-text>Line chart of weekly dashboard use</alt-text>",
        "<alt-text>Line chart</alt-text><long-desc>Week 1: 12 uses.</long-desc>",
    )
    with app_session(wsgi_app) as db:
        journal = db.get(Journal, db.get(Article, article_id).journal_id)
        published = publish_article(db, journal, "10.5555/fde.2026.0780", jats=jats)
        published.html_version = "stale"
    reader = testapp.get("/articles/10.5555/fde.2026.0780")
    assert reader.html.select_one("details.long-desc summary").text == "图像详细描述"
