"""The article page through HTTP: its contents, the Download / Cite box beside the title,
the byline (ORCID links named for their author, only the corresponding author's email),
figures with a full-size view and a download, the translated title and abstract marked
with their language; and the citation in any CSL style, and as CSL-JSON."""

from __future__ import annotations

import json

import pytest

from frontiers_de.articles.models import Article
from frontiers_de.production.jats.html import rendering_version
from tests.factories import app_session, make_journal
from tests.publishing_factories import jats_with, make_issue, publish_article

DOI = "10.5555/fde.2026.0301"
ZH_DOI = "10.5555/fde.2026.0302"
PAGE = f"/articles/{DOI}"


def _chinese_jats() -> str:
    """The fixture as a Chinese article by two authors with Chinese names."""
    text = jats_with(ZH_DOI, title="农村学校的学习分析仪表板研究")
    text = text.replace('dtd-version="1.3" xml:lang="en"', 'dtd-version="1.3" xml:lang="zh"')
    start, end = text.index("<name-alternatives>"), text.index("</name-alternatives>")
    text = (
        text[:start]
        + '<name name-style="eastern" xml:lang="zh"><surname>王</surname>'
        + "<given-names>丽</given-names></name>"
        + text[end + len("</name-alternatives>") :]
    )
    return text.replace(
        "<name><surname>Okafor</surname><given-names>Ada</given-names></name>",
        '<name name-style="eastern" xml:lang="zh"><surname>欧阳</surname>'
        "<given-names>明</given-names></name>",
    )


@pytest.fixture
def articles(wsgi_app):
    """Two published articles whose reader HTML is made from their JATS on the first view;
    the English one's co-author gave an email address too."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal, 1, "1")
        jats = jats_with(DOI).replace(
            "<name><surname>Okafor</surname><given-names>Ada</given-names></name>",
            "<name><surname>Okafor</surname><given-names>Ada</given-names></name>"
            "<email>ada.okafor@example.edu</email>",
        )
        for doi, text in ((DOI, jats), (ZH_DOI, _chinese_jats())):
            article = publish_article(db, journal, doi, issue=issue, jats=text, pdf_sha256="0" * 64)
            article.html_version = None  # made from the JATS when first shown
        db.flush()


def test_the_byline_shows_only_the_corresponding_authors_email(testapp, articles):
    page = testapp.get(PAGE)
    emails = [a["href"] for a in page.html.select(".reader .authors a.email")]
    assert emails == ["mailto:li.wang@example.edu"]
    assert "ada.okafor@example.edu" not in page.text


def test_orcid_link_is_an_icon_named_for_its_author(testapp, articles):
    link = testapp.get(PAGE).html.select_one(".reader .authors a.orcid")
    assert link["href"] == "https://orcid.org/0000-0002-1825-0097"
    assert link["aria-label"] == "ORCID iD of Li Wang"
    # no visible text that the accessible name would have to contain: the iD icon only
    assert link.get_text(strip=True) == ""
    assert link.select_one("svg")["aria-hidden"] == "true"


def test_orcid_link_name_in_chinese(testapp, articles):
    testapp.set_cookie("fde_lang", "zh")
    link = testapp.get(PAGE).html.select_one(".reader .authors a.orcid")
    assert "Li Wang" in link["aria-label"] and "ORCID" in link["aria-label"]
    assert link["aria-label"] != "ORCID iD of Li Wang"


def test_contents_sidebar_links_every_section(testapp, articles):
    page = testapp.get(PAGE)
    nav = page.html.select_one("nav.article-outline")
    entries = [(a.get_text(strip=True), a["href"]) for a in nav.select("a")]
    assert ("Introduction", "#s1") in entries and ("Background", "#s1-1") in entries
    assert ("Results", "#s2") in entries
    titles = [title for title, _ in entries]
    assert "Abstract (English)" in titles and "摘要 (中文)" in titles and "References" in titles
    # every link leads to a part of the page
    for _, href in entries:
        assert page.html.find(id=href[1:]) is not None, href


def test_download_and_cite_box_stands_beside_the_title(testapp, articles):
    page = testapp.get(PAGE)
    article = page.html.select_one(".reader article.jats-article")
    children = [c for c in article.children if getattr(c, "name", None)]
    # inside the article, right after its header: the page's grid puts it beside the title
    assert children[0].name == "header" and "article-tools" in children[1]["class"]
    box = children[1]
    links = {a.get_text(strip=True): a["href"] for a in box.select(".downloads a")}
    assert links == {
        "Download PDF": f"http://localhost{PAGE}/pdf",
        "JATS XML": f"http://localhost{PAGE}/xml",
    }
    assert box.select_one("select#cite-style option[selected]")["value"] == "apa"
    cited = box.select_one(".formatted-citation").get_text(" ", strip=True)
    assert cited.startswith("Wang, L., & Okafor, A. (2026).")
    assert f"https://doi.org/{DOI}" in cited
    # nothing is left above the title
    assert page.html.select_one("main > nav.article-tools") is None


def test_the_style_picker_works_without_script(testapp, articles):
    page = testapp.get(PAGE)
    form = page.forms["style-picker"]
    assert form.method.lower() == "get"
    form["style"] = "ieee"
    shown = form.submit()
    assert shown.request.path == PAGE and shown.request.GET["style"] == "ieee"
    cited = shown.html.select_one(".formatted-citation").get_text(" ", strip=True)
    assert cited.startswith("L. Wang and A. Okafor,")
    assert shown.html.select_one("#cite-style option[selected]")["value"] == "ieee"


def test_an_unknown_style_on_the_page_says_so_and_shows_the_default(testapp, articles):
    page = testapp.get(PAGE, params={"style": "no-such-style"})
    assert 'There is no citation style "no-such-style"' in page.html.select_one(
        ".cite-box .error"
    ).get_text(" ", strip=True)
    assert page.html.select_one(".formatted-citation .csl-entry")["data-style"] == "apa"


def test_figure_has_a_full_size_view_and_a_download(testapp, articles):
    figure = testapp.get(PAGE).html.select_one(".reader figure#f1")
    image = figure.select_one("img")["src"]
    full = figure.select_one("a.figure-full")
    download = figure.select_one("a.figure-download")
    assert full["href"] == image == download["href"]
    assert download.has_attr("download")
    assert full.get_text(strip=True) == "View full size Figure 1"
    assert download.get_text(strip=True) == "Download Figure 1"


def test_translated_title_and_abstract_are_marked_with_their_language(testapp, articles):
    page = testapp.get(PAGE)
    title = page.html.select_one(".reader .trans-title")
    assert title["lang"] == "zh" and "农村学校的学习分析" in title.get_text()
    assert title.select_one(".lang-label").get_text(strip=True) == "中文"
    labels = [
        (section.get("lang"), section.select_one("h2 .lang-label").get_text(strip=True))
        for section in page.html.select(".reader section.abstract")
    ]
    assert labels == [(None, "English"), ("zh", "中文")]
    assert page.html.select_one(".reader article")["lang"] == "en"


def test_the_stored_html_is_the_new_rendering(testapp, articles, wsgi_app):
    testapp.get(PAGE)
    with app_session(wsgi_app) as db:
        article = db.query(Article).filter_by(doi=DOI).one()
        assert article.html_version == rendering_version()
        assert 'class="figure-actions"' in article.html


# --- the citation in a style, and as CSL-JSON -------------------------------------------


@pytest.mark.parametrize(
    ("style", "start"),
    [
        ("apa", "Wang, L., & Okafor, A. (2026). Learning analytics"),
        ("chicago-author-date", "Wang, L., and A. Okafor. 2026."),
        ("harvard-cite-them-right", "Wang, L. and Okafor, A. (2026)"),
        ("vancouver", "Wang L, Okafor A. Learning analytics"),
        ("ieee", "L. Wang and A. Okafor, “Learning analytics"),
        ("china-national-standard-gb-t-7714-2015-numeric", "WANG L, OKAFOR A. Learning"),
    ],
)
def test_cite_in_a_style(testapp, articles, style, start):
    res = testapp.get(f"{PAGE}/cite", params={"style": style})
    assert res.content_type == "text/plain" and res.charset == "utf-8"
    assert res.text.startswith(start), res.text
    assert DOI in res.text


def test_cite_as_html(testapp, articles):
    res = testapp.get(f"{PAGE}/cite", params={"style": "apa", "format": "html"})
    assert res.content_type == "text/html"
    entry = res.html.select_one("div.csl-entry")
    assert entry["data-style"] == "apa"
    assert entry.select_one("i").get_text() == "Frontiers of Digital Education"


def test_chinese_article_in_gb_t_7714(testapp, articles):
    res = testapp.get(
        f"/articles/{ZH_DOI}/cite",
        params={"style": "china-national-standard-gb-t-7714-2015-numeric"},
    )
    assert res.text.startswith("王丽, 欧阳明. 农村学校的学习分析仪表板研究[J")
    assert "2026, 1(1): e0001" in res.text and f"DOI:{ZH_DOI}" in res.text


def test_unknown_style_and_format_are_refused_with_a_reason(testapp, articles):
    res = testapp.get(f"{PAGE}/cite", params={"style": "no-such-style"}, status=404)
    assert 'There is no citation style "no-such-style"' in res.text
    res = testapp.get(f"{PAGE}/cite", params={"style": "../../etc/passwd"}, status=404)
    assert "There is no citation style" in res.text
    res = testapp.get(f"{PAGE}/cite", params={"style": "apa", "format": "pdf"}, status=400)
    assert 'The format must be "text" or "html"' in res.text


def test_csl_json_download(testapp, articles):
    res = testapp.get(f"{PAGE}/cite.json")
    assert res.content_type == "application/vnd.citationstyles.csl+json"
    assert "attachment" in res.headers["Content-Disposition"]
    (item,) = json.loads(res.text)
    assert item["DOI"] == DOI and item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Wang", "given": "Li"},
        {"family": "Okafor", "given": "Ada"},
    ]
    assert item["issued"] == {"date-parts": [[2026, 3, 15]]}
    assert (item["volume"], item["issue"], item["page"]) == ("1", "1", "e0001")


def test_cite_routes_of_unpublished_articles_are_not_found(testapp, articles):
    for path in ("/cite?style=apa", "/cite.json"):
        testapp.get(f"/articles/10.5555/not-published{path}", status=404)
