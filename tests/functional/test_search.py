"""The search page through HTTP: the header box, results, highlighting (escaped), filters,
pages, "no results" and every kind of bad input answered with the page, never an error."""

from __future__ import annotations

import datetime as dt

import pytest

from frontiers_de.articles.models import ArticleState
from tests.factories import app_session, make_journal
from tests.publishing_factories import make_issue, publish_article
from tests.unit.publishing.test_search import jats_for


@pytest.fixture
def articles(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal)
        for n, (title, section, year, abstract) in enumerate(
            [
                ("Schools after the pandemic", "research-article", 2026, "Remote teaching."),
                ("Assessment online", "research-article", 2026, "The pandemic moved exams."),
                ("A review of pandemic research", "review", 2025, "We review <b>studies</b>."),
                (
                    "Tags <script>alert(1)</script> in titles",
                    "research-article",
                    2026,
                    "Authors write <i>markup</i> & ampersands.",
                ),
            ]
        ):
            doi = f"10.5555/fde.search.{n}"
            publish_article(
                db,
                journal,
                doi,
                title=title,
                issue=issue,
                section_code=section,
                jats=jats_for(doi, title=title, abstract=abstract),
                published_at=dt.datetime(year, 4, 1 + n, tzinfo=dt.UTC),
            )
        publish_article(
            db,
            journal,
            "10.5555/fde.search.gone",
            title="Pandemic retracted",
            state=ArticleState.RETRACTED,
        )


def titles(page) -> list[str]:
    return [" ".join(h.get_text().split()) for h in page.html.select(".result-title")]


def test_header_box_on_every_page_leads_to_results(testapp, articles):
    home = testapp.get("/")
    box = home.html.find("input", id="site-search-q")
    assert box is not None and box["name"] == "q"
    assert box.find_parent("form")["action"] == "/search"
    page = testapp.get("/search", {"q": "pandemic"})
    assert titles(page) == [
        "Schools after the pandemic",
        "A review of pandemic research",
        "Assessment online",  # only its abstract matches
    ]
    assert page.html.find(id="search-q")["value"] == "pandemic"
    assert "Results 1–3 of 3 for “pandemic”" in page.html.select_one(".search-count").text
    first = page.html.select_one(".search-result")
    assert first.select_one(".result-title a")["href"].endswith("/articles/10.5555/fde.search.0")
    assert first.select_one(".result-title mark").text == "pandemic"
    assert first.select_one(".result-authors").text == "Li Wang (王丽), Ada Okafor"
    assert first.select_one("time")["datetime"] == "2026-04-01"
    assert first.select_one(".result-doi").text == "10.5555/fde.search.0"


def test_snippet_highlights_and_escapes_author_text(testapp, articles):
    page = testapp.get("/search", {"q": "markup"})
    snippet = page.html.select_one(".result-snippet")
    assert snippet.select_one("mark").text == "markup"
    assert "<i>" in snippet.text  # shown as text, not as an element
    assert snippet.find("i") is None
    assert "&lt;i&gt;<mark>markup</mark>&lt;/i&gt; &amp; ampersands" in page.text
    title_page = testapp.get("/search", {"q": "<script>"})
    assert titles(title_page) == ["Tags <script>alert(1)</script> in titles"]
    assert "<script>alert(1)" not in title_page.text
    # The angle brackets around a word are punctuation: the word is what is searched.
    assert "Tags &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in title_page.text


def test_chinese_query(testapp, articles):
    page = testapp.get("/search", {"q": "学习分析"})
    assert len(page.html.select(".search-result")) == 4
    # Only the Chinese abstract matches, so it is the snippet, the words marked.
    assert {m.text for m in page.html.select(".result-snippet mark")} == {"学习分析"}
    assert page.html.select_one(".result-snippet")["lang"] == "zh-Hans"
    # Matches in the translated title and the native-script names are marked too.
    names = testapp.get("/search", {"q": "王丽 农村"})
    assert names.html.select_one(".result-authors mark").text == "王丽"
    assert names.html.select_one(".result-trans-title mark").text == "农村"
    zh = testapp.get("/search", {"q": "仪表板"}, headers={"Accept-Language": "zh"})
    assert {m.text for m in zh.html.select(".result-snippet mark")} == {"仪表板"}
    assert zh.html.find(id="site-search-q")["placeholder"] == "搜索文章"
    assert "“仪表板”的结果：第 1–4 条，共 4 条" in zh.html.select_one(".search-count").text
    empty = testapp.get("/search", {"q": "不存在的词"}, headers={"Accept-Language": "zh"})
    assert empty.html.select_one(".search-empty h2").text == "没有结果"


def test_filters_by_type_and_year(testapp, articles):
    page = testapp.get("/search", {"q": "pandemic", "type": "review"})
    assert titles(page) == ["A review of pandemic research"]
    assert page.html.find("option", value="review").has_attr("selected")
    page = testapp.get("/search", {"q": "pandemic", "year": "2026"})
    assert titles(page) == ["Schools after the pandemic", "Assessment online"]
    years = [o["value"] for o in page.html.select("#search-year option")]
    assert years == ["", "2026", "2025"]
    # Unknown filters are ignored rather than refused.
    page = testapp.get("/search", {"q": "pandemic", "type": "nonsense", "year": "1066"})
    assert len(titles(page)) == 3
    assert page.html.select_one("#search-type option[selected]") is None
    # Filters without words list the articles of that type.
    assert titles(testapp.get("/search", {"type": "review"})) == ["A review of pandemic research"]


def test_no_results_keeps_the_query(testapp, articles):
    page = testapp.get("/search", {"q": 'zebra "<em>x</em>"'})
    assert page.status_int == 200
    assert page.html.select_one(".search-empty h2").text == "No results"
    assert page.html.find(id="search-q")["value"] == 'zebra "<em>x</em>"'
    assert "<em>x</em>" not in page.text
    assert "No published article matches “zebra &#34;&lt;em&gt;x&lt;/em&gt;&#34;”." in page.text


def test_empty_query_shows_the_form_only(testapp, articles):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": '"'}, {"q": "\x00\x07"}):
        page = testapp.get("/search", params)
        assert page.status_int == 200
        assert page.html.select_one(".search-hint") is not None
        assert page.html.select(".search-result") == []
        assert page.html.select_one(".search-empty") is None


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "\\",
        "'",
        "' OR 1=1 --",
        "%' OR '1'='1",
        "50%_\\",
        "a\x00b",
        "\u202e\u200b",
        "<img src=x onerror=alert(1)>",
        "😀" * 10,
        "((()))",
        "*",
        "?",
        "[a-z]",
    ],
)
def test_metacharacters_are_searched_literally(testapp, articles, query):
    page = testapp.get("/search", {"q": query})
    assert page.status_int == 200
    assert len(page.html.select(".search-result")) == 0
    assert "<img src=x" not in page.text


def test_very_long_query_is_shortened(testapp, articles):
    page = testapp.get("/search", {"q": "pandemic " + "x" * 10_000})
    assert page.status_int == 200
    assert len(page.html.find(id="search-q")["value"]) == 200
    assert "shortened to its first 200 characters" in page.text


def test_invalid_utf8_and_repeated_parameters(testapp, articles):
    # The app's rule for addresses that are not UTF-8: a clear 400 page.
    page = testapp.get("/search?q=%FF%FE&page=%FF", status=400)
    assert "not UTF-8" in page.text
    page = testapp.get("/search?q=zebra&q=pandemic&page=1&page=2")
    assert page.status_int == 200


@pytest.mark.parametrize("page_value", ["0", "-1", "abc", "1.5", "", "9" * 40, "%00", "٢"])
def test_bad_page_numbers_are_page_one(testapp, articles, page_value):
    page = testapp.get("/search", {"q": "pandemic", "page": page_value})
    assert page.status_int == 200
    assert len(page.html.select(".search-result")) == 3


def test_pages(wsgi_app, app_settings, articles):
    import webtest

    from frontiers_de import main

    app = webtest.TestApp(
        main({}, **{**app_settings, "fde.search.page_size": "2"}),
        extra_environ={"HTTP_HOST": "localhost"},
    )
    first = app.get("/search", {"q": "pandemic"})
    assert len(first.html.select(".search-result")) == 2
    assert "Page 1 of 2" in first.html.select_one(".pagination").text
    second = first.click(linkid=None, href="page=2")
    assert titles(second) == ["Assessment online"]
    assert second.html.select_one(".search-results")["start"] == "3"
    assert second.html.find("a", rel="prev") is not None
    assert second.html.find("a", rel="next") is None
    assert "q=pandemic" in second.html.find("a", rel="prev")["href"]
    beyond = app.get("/search", {"q": "pandemic", "page": "500"})
    assert titles(beyond) == ["Assessment online"]
    assert "There is no page 500; this is page 2, the last." in beyond.text
