"""The reader's side through HTTP: the archive and tables of contents, citation downloads,
the Atom feed and the OAI-PMH endpoint (GET and POST)."""

from __future__ import annotations

import datetime as dt

import pytest
import rispy
from lxml import etree
from pybtex.database import parse_string

from frontiers_de.articles.models import ArticleState, IssueState
from frontiers_de.publishing import oai
from tests.conftest import SCHEMA_DIR
from tests.factories import app_session, make_journal
from tests.publishing_factories import jats_with, make_issue, publish_article
from tests.unit.publishing.test_feeds import check_atom

DOI = "10.5555/fde.2026.0001"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
OAI = {"o": oai.OAI_NS, "dc": oai.DC_NS}


@pytest.fixture
def issue_with_articles(wsgi_app):
    """Volume 1 issue 1 (published) with two sections' articles, and an open issue 2."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        issue = make_issue(db, journal, 1, "1", title="Digital education after the pandemic")
        open_issue = make_issue(db, journal, 1, "2", state=IssueState.PLANNED)
        make_issue(db, journal, 1, "3", state=IssueState.PLANNED)  # nothing in it yet
        publish_article(
            db,
            journal,
            DOI,
            issue=issue,
            title="Learning analytics in rural schools",
            elocation_id="e0001",
            pdf_sha256="0" * 64,
        )
        publish_article(
            db,
            journal,
            "10.5555/fde.2026.0002",
            issue=issue,
            section_code="review",
            title="A review of MOOCs",
            jats=jats_with("10.5555/fde.2026.0002", title="A review of MOOCs").replace(
                "<surname>Okafor</surname><given-names>Ada</given-names>",
                "<surname>van der Berg</surname><given-names>Ludwig</given-names>",
            ),
        )
        publish_article(
            db, journal, "10.5555/fde.2026.0003", issue=open_issue, title="Published early"
        )
        publish_article(
            db,
            journal,
            "10.5555/fde.2026.0004",
            issue=issue,
            title="Withdrawn findings",
            state=ArticleState.RETRACTED,
        )
    return issue


# --- archive and table of contents ----------------------------------------------------------


def test_archive_lists_issues_and_links_them(testapp, issue_with_articles):
    page = testapp.get("/issues")
    assert page.html.find("h2", string="Volume 1 (2026)") is not None
    links = {a.text: a["href"] for a in page.html.select(".issue-list a")}
    assert links == {"Issue 2": "/issues/1/2", "Issue 1": "/issues/1/1"}
    items = [li.get_text(" ", strip=True) for li in page.html.select(".issue-list li")]
    assert "In progress" in items[0] and "1 article(s)" in items[0]
    assert "Digital education after the pandemic" in items[1] and "2 article(s)" in items[1]
    # The navigation leads here from every page.
    home = testapp.get("/")
    assert home.html.select_one("nav.site-nav a[href='/issues']").text == "Issues"


def test_table_of_contents(testapp, issue_with_articles):
    page = testapp.get("/issues/1/1")
    assert page.html.h1.get_text(" ", strip=True).startswith("Volume 1, Issue 1")
    sections = [h.text for h in page.html.select(".toc-section h2")]
    assert sections == ["Research Article", "Review"]
    entries = page.html.select(".toc-entry")
    assert len(entries) == 2  # the retracted article is not listed
    first = entries[0]
    assert first.select_one(".toc-title a")["href"] == f"http://localhost/articles/{DOI}"
    assert first.select_one(".toc-authors").text == "Li Wang, Ada Okafor"
    assert first.select_one(".toc-locator").text == "e0001"
    assert first.select_one(".toc-doi")["href"] == f"https://doi.org/{DOI}"
    assert first.select_one(".toc-pdf")["href"] == f"http://localhost/articles/{DOI}/pdf"
    second = entries[1]
    assert second.select_one(".toc-authors").text == "Li Wang, Ludwig van der Berg"
    assert second.select_one(".toc-pdf") is None  # no PDF yet


def test_table_of_contents_in_chinese(testapp, issue_with_articles):
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get("/issues/1/1")
    assert [h.text for h in page.html.select(".toc-section h2")] == ["研究论文", "综述"]
    assert "第1卷第1期" in page.html.h1.text
    archive = testapp.get("/issues")
    assert archive.html.h1.text == "期刊目录"
    assert "进行中" in archive.text


def test_unknown_or_empty_issues_are_not_found(testapp, issue_with_articles):
    for path in (
        "/issues/1/3",
        "/issues/1/9",
        "/issues/7/1",
        "/issues/1/x",
        "/issues/99999999999/1",
        "/issues/%D9%A1/1",  # an Arabic-Indic one is a digit, but not a volume number
    ):
        testapp.get(path, status=404)


def test_article_page_links_its_issue_and_citations(testapp, issue_with_articles):
    page = testapp.get(f"/articles/{DOI}")
    link = page.html.select_one(".article-issue a")
    assert link.text == "In Volume 1, Issue 1" and link["href"] == "/issues/1/1"
    cite = {a.text: a["href"] for a in page.html.select(".cite-exports a")}
    assert cite == {
        "BibTeX": f"http://localhost/articles/{DOI}/cite.bib",
        "RIS": f"http://localhost/articles/{DOI}/cite.ris",
        "CSL-JSON": f"http://localhost/articles/{DOI}/cite.json",
        "Plain text": f"http://localhost/articles/{DOI}/cite?style=apa",
    }
    feed = page.html.select_one("link[rel=alternate][type='application/atom+xml']")
    assert feed["href"] == "http://localhost/feed.atom"
    meta = {m["name"]: m["content"] for m in page.html.select("meta[name^=citation_]")}
    assert (meta["citation_volume"], meta["citation_issue"]) == ("1", "1")
    assert meta["citation_issn"] == "2999-0001"


# --- citation downloads ---------------------------------------------------------------------


def test_bibtex_download(testapp, issue_with_articles):
    res = testapp.get("/articles/10.5555/fde.2026.0002/cite.bib")
    assert res.content_type == "application/x-bibtex" and res.charset == "utf-8"
    assert res.headers["Content-Disposition"].startswith("attachment; filename=")
    assert res.headers["Content-Disposition"].endswith('.bib"')
    entry = next(iter(parse_string(res.text, "bibtex").entries.values()))
    berg = entry.persons["author"][1]
    assert (berg.prelast_names, berg.last_names, berg.first_names) == (
        ["van", "der"],
        ["Berg"],
        ["Ludwig"],
    )
    assert entry.fields["title"] == "A review of {MOOCs}"
    assert entry.fields["volume"] == "1" and entry.fields["doi"] == "10.5555/fde.2026.0002"


def test_ris_download(testapp, issue_with_articles):
    res = testapp.get(f"/articles/{DOI.upper()}/cite.ris")
    assert res.content_type == "application/x-research-info-systems"
    assert res.headers["Content-Disposition"].endswith('.ris"')
    (record,) = rispy.loads(res.text)
    assert record["doi"] == DOI and record["authors"] == ["Wang, Li", "Okafor, Ada"]
    assert record["file_attachments1"] == f"http://localhost/articles/{DOI}/pdf"


def test_citations_of_unpublished_articles_are_not_found(testapp, issue_with_articles):
    for suffix in ("cite.bib", "cite.ris"):
        testapp.get(f"/articles/10.5555/fde.2026.0004/{suffix}", status=404)  # retracted
        testapp.get(f"/articles/10.5555/none/{suffix}", status=404)


# --- feed -----------------------------------------------------------------------------------


def test_atom_feed(testapp, issue_with_articles):
    res = testapp.get("/feed.atom")
    assert res.content_type == "application/atom+xml"
    feed = etree.fromstring(res.body)
    check_atom(feed)
    ids = [e.findtext("a:id", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]
    assert set(ids) == {
        f"https://doi.org/{DOI}",
        "https://doi.org/10.5555/fde.2026.0002",
        "https://doi.org/10.5555/fde.2026.0003",
    }
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == "http://localhost/feed.atom"


# --- OAI-PMH over HTTP ----------------------------------------------------------------------


def _valid(body: bytes):
    assert oai.validate_response(body, {"fde.schema_dir": str(SCHEMA_DIR)}) == []
    return etree.fromstring(body)


def test_oai_get_and_post(testapp, issue_with_articles):
    got = testapp.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert got.content_type == "text/xml" and got.charset == "utf-8"
    root = _valid(got.body)
    assert len(root.findall(".//o:record", OAI)) == 4
    # Harvesters POST without a CSRF token: the endpoint changes nothing, so it needs none.
    posted = testapp.post(
        "/oai",
        {"verb": "GetRecord", "identifier": f"oai:localhost:{DOI}", "metadataPrefix": "jats"},
    )
    root = _valid(posted.body)
    assert root.find(".//{https://jats.nlm.nih.gov/ns/archiving/1.3/}article") is not None
    repeated = testapp.post(
        "/oai", "verb=Identify&verb=Identify", content_type="application/x-www-form-urlencoded"
    )
    assert _valid(repeated.body).find("o:error", OAI).get("code") == "badVerb"
    testapp.put("/oai", status=404)


def test_oai_deleted_record_over_http(testapp, issue_with_articles):
    root = _valid(
        testapp.get(
            "/oai",
            {
                "verb": "GetRecord",
                "identifier": "oai:localhost:10.5555/fde.2026.0004",
                "metadataPrefix": "oai_dc",
            },
        ).body
    )
    assert root.find(".//o:header", OAI).get("status") == "deleted"


def test_oai_repository_settings(wsgi_app, app_settings, issue_with_articles):
    import webtest

    from frontiers_de import main

    app = main(
        {},
        **{
            **app_settings,
            "oai.repository_identifier": "fde.example.org",
            "oai.page_size": "1",
            "oai.admin_email": "harvest@fde.example.org",
        },
    )
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    root = _valid(client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").body)
    assert [i.text for i in root.iterfind(".//o:identifier", OAI)] == [f"oai:fde.example.org:{DOI}"]
    token = root.find(".//o:resumptionToken", OAI)
    assert token.get("completeListSize") == "4" and token.text
    identify = _valid(client.get("/oai?verb=Identify").body)
    assert identify.findtext(".//o:adminEmail", namespaces=OAI) == "harvest@fde.example.org"


def test_feed_and_oai_without_a_journal_are_not_found(testapp):
    testapp.get("/feed.atom", status=404)
    testapp.get("/oai?verb=Identify", status=404)
    assert testapp.get("/issues").status_int == 200


def test_oai_datestamps_follow_a_retraction(testapp, wsgi_app, issue_with_articles):
    from sqlalchemy import select

    from frontiers_de.articles.models import Article

    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with app_session(wsgi_app) as db:
        article = db.scalar(select(Article).where(Article.doi == DOI))
        article.state = ArticleState.RETRACTED
    since = before.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = _valid(testapp.get(f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from={since}").body)
    headers = root.findall(".//o:header", OAI)
    assert [h.findtext("o:identifier", namespaces=OAI) for h in headers] == [f"oai:localhost:{DOI}"]
    assert headers[0].get("status") == "deleted"
    testapp.get(f"/articles/{DOI}", status=404)
