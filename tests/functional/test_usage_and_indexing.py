"""Usage figures and indexing through HTTP: views and downloads counted (robots and
double-clicks not), the totals on the article page and the most-read on the home page, the
COUNTER reports for editors; JSON-LD, meta tags, sitemap, robots.txt, the DOAJ export and an
article's archive package."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import webtest
from lxml import etree
from sqlalchemy import select

from frontiers_de.db.meta import utcnow
from frontiers_de.publishing.models import UsageClick, UsageCount
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, Submission
from tests.factories import app_session, make_journal, make_user
from tests.publishing_factories import make_issue, publish_article
from tests.submission_factories import ManuscriptFileFactory
from tests.unit.publishing.test_sitemap import validate
from tests.web import sign_in

DOI = "10.5555/fde.2026.0001"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def published(wsgi_app, app_settings):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    pdf = storage.put(b"%PDF-1.7\n% a tiny stand-in PDF\n%%EOF\n")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        issue = make_issue(db, journal, 1, "1", title="Digital education after the pandemic")
        article = publish_article(
            db, journal, DOI, issue=issue, elocation_id="e0001", pdf_sha256=pdf
        )
        publish_article(db, journal, "10.5555/fde.2026.0002", issue=issue, title="A second one")
        ManuscriptFileFactory(
            db=db,
            submission=db.get(Submission, article.submission_id),
            round_number=0,
            kind=FileKind.FIGURE,
            filename="fig1.png",
            media_type="image/png",
            data=PNG,
            storage=storage,
        )
        make_user(db, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        return article.id


def _reader(wsgi_app, agent=BROWSER, addr="192.0.2.10"):
    return webtest.TestApp(
        wsgi_app,
        extra_environ={"HTTP_HOST": "localhost", "HTTP_USER_AGENT": agent, "REMOTE_ADDR": addr},
    )


def _counts(wsgi_app):
    with app_session(wsgi_app) as db:
        return {(c.kind): c.count for c in db.scalars(select(UsageCount))}


def test_views_and_downloads_are_counted_robots_and_double_clicks_not(wsgi_app, published):
    reader = _reader(wsgi_app)
    reader.get(f"/articles/{DOI}")
    reader.get(f"/articles/{DOI}")  # a double-click
    reader.get(f"/articles/{DOI}/pdf")
    reader.get(f"/articles/{DOI}/xml")
    _reader(wsgi_app, addr="198.51.100.20").get(f"/articles/{DOI}")
    bot = _reader(wsgi_app, agent="Mozilla/5.0 (compatible; bingbot/2.0)")
    bot.get(f"/articles/{DOI}")
    bot.get(f"/articles/{DOI}/pdf")
    _reader(wsgi_app, agent="").get(f"/articles/{DOI}")
    reader.head(f"/articles/{DOI}/pdf")
    reader.get("/articles/10.5555/not-there", status=404)
    assert _counts(wsgi_app) == {"view": 2, "pdf": 1, "xml": 1}
    with app_session(wsgi_app) as db:
        keys = [m.key for m in db.scalars(select(UsageClick))]
    assert all(len(k) == 64 for k in keys) and not any("192.0.2" in k for k in keys)

    page = _reader(wsgi_app, addr="203.0.113.5").get(f"/articles/{DOI}")
    figures = {
        dt.text: dd.text
        for dt, dd in zip(
            page.html.select(".usage-figures dt"),
            page.html.select(".usage-figures dd"),
            strict=True,
        )
    }
    assert figures == {"Views": "3", "Downloads": "2"}

    home = _reader(wsgi_app).get("/")
    most_read = [a.text for a in home.html.select(".most-read a")]
    assert most_read == ["Learning analytics in rural schools"]


def test_the_beat_deletes_the_marks_past_their_window(wsgi_app, published):
    import datetime as dt

    from frontiers_de.publishing.tasks import forget_usage_clicks

    _reader(wsgi_app).get(f"/articles/{DOI}")
    _reader(wsgi_app, addr="198.51.100.3").get(f"/articles/{DOI}")
    assert forget_usage_clicks() == 0  # both still inside their window
    with app_session(wsgi_app) as db:
        mark = db.scalars(select(UsageClick)).first()
        mark.seen_at = utcnow() - dt.timedelta(seconds=31)
    assert forget_usage_clicks() == 1
    with app_session(wsgi_app) as db:
        assert len(db.scalars(select(UsageClick)).all()) == 1


def test_the_usage_reports_for_editors(testapp, wsgi_app, published):
    _reader(wsgi_app).get(f"/articles/{DOI}")
    _reader(wsgi_app).get(f"/articles/{DOI}/pdf")
    sign_in(testapp, "editor@example.org")
    page = testapp.get("/editorial/usage")
    assert page.html.select_one("#usage-filters")
    month = utcnow().strftime("%Y-%m")
    tr = testapp.get(f"/editorial/usage?report=tr&begin={month}&end={month}")
    assert tr.content_type == "text/tab-separated-values"
    rows = [line.split("\t") for line in tr.text.split("\r\n")]
    assert rows[0] == ["Report_Name", "Title Master Report"] and rows[1] == ["Report_ID", "TR"]
    assert rows[14][-3:] == ["Total_Item_Investigations", "2", "2"]
    assert rows[15][-3:] == ["Total_Item_Requests", "1", "1"]
    ir = testapp.get(f"/editorial/usage?report=ir&begin={month}&end={month}")
    rows = [line.split("\t") for line in ir.text.split("\r\n") if line]
    heading = rows[12]
    assert heading[0] == "Item"
    assert rows[13][heading.index("DOI")] == DOI
    bad = testapp.get("/editorial/usage?begin=2026-13", status=400)
    assert "The first month must be given as YYYY-MM" in bad.text


def test_article_head_for_indexers(testapp, published):
    page = testapp.get(f"/articles/{DOI}")
    html = page.html
    (script,) = html.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "ScholarlyArticle"
    assert data["url"] == f"http://localhost/articles/{DOI}"
    assert data["isPartOf"]["issueNumber"] == "1"
    assert data["isPartOf"]["isPartOf"]["isPartOf"]["issn"] == ["2999-0001"]
    meta = {}
    for m in html.select("meta[name]"):
        meta.setdefault(m["name"], []).append(m["content"])
    for name in (
        "citation_title", "citation_author", "citation_author_institution",
        "citation_author_orcid", "citation_publication_date", "citation_journal_title",
        "citation_issn", "citation_volume", "citation_issue", "citation_firstpage",
        "citation_doi", "citation_pdf_url", "citation_language", "citation_abstract_html_url",
        "citation_keywords", "citation_reference", "DC.title", "DC.creator", "DC.identifier",
    ):  # fmt: skip
        assert meta.get(name), name
    assert len(meta["citation_reference"]) == 2
    assert meta["citation_firstpage"] == ["e0001"]
    og = {m["property"]: m["content"] for m in html.select("meta[property]")}
    assert og["og:type"] == "article" and og["og:url"] == f"http://localhost/articles/{DOI}"
    assert html.select_one("link[rel=canonical]")["href"] == f"http://localhost/articles/{DOI}"
    assert "script-src" not in page.headers["Content-Security-Policy"]  # no inline exception


def _schema_org_loader(url, options=None):
    """No network in the tests: the schema.org context as what it amounts to for expansion,
    every term in the schema.org vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def test_article_json_ld_read_by_a_json_ld_processor(testapp, published):
    from pyld import jsonld

    page = testapp.get(f"/articles/{DOI}")
    doc = json.loads(page.html.select_one('script[type="application/ld+json"]').string)
    (article,) = jsonld.expand(doc, {"documentLoader": _schema_org_loader})
    s = "https://schema.org/"

    def value(node, name):
        return [v.get("@value", v.get("@id")) for v in node.get(s + name, []) if "@type" not in v]

    assert article["@type"] == [s + "ScholarlyArticle"]
    assert value(article, "name") == ["Learning analytics in rural schools"]
    assert value(article, "datePublished") == ["2026-03-15"]
    assert value(article, "sameAs") == [f"https://doi.org/{DOI}"]
    assert value(article, "inLanguage") == ["en"]
    assert value(article, "pagination") == ["e0001"]
    authors = article[s + "author"]
    assert [value(a, "familyName") for a in authors] == [["Wang"], ["Okafor"]]
    affiliation = authors[0][s + "affiliation"][0]
    assert affiliation["@type"] == [s + "Organization"]
    assert value(affiliation, "name") == ["Harvard University"]
    issue = article[s + "isPartOf"][0]
    assert issue["@type"] == [s + "PublicationIssue"]
    volume = issue[s + "isPartOf"][0]
    journal = volume[s + "isPartOf"][0]
    assert journal["@type"] == [s + "Periodical"]
    assert value(journal, "issn") == ["2999-0001"]
    identifier = article[s + "identifier"][0]
    assert value(identifier, "propertyID") == ["DOI"] and value(identifier, "value") == [DOI]


def test_citation_meta_tags_agree_with_the_jats(testapp, wsgi_app, published):
    from frontiers_de.articles.models import Article

    with app_session(wsgi_app) as db:
        jats = etree.fromstring(db.get(Article, published).jats_xml.encode())
    front = jats.find("front/article-meta")
    meta: dict[str, list[str]] = {}
    for m in testapp.get(f"/articles/{DOI}").html.select("meta[name^=citation_]"):
        meta.setdefault(m["name"], []).append(m["content"])
    assert meta["citation_title"] == [" ".join(front.findtext("title-group/article-title").split())]
    names = [
        f"{c.findtext('.//name/given-names')} {c.findtext('.//name/surname')}"
        for c in front.findall("contrib-group/contrib")
    ]
    assert meta["citation_author"] == names
    assert meta["citation_doi"] == [front.findtext("article-id[@pub-id-type='doi']")]
    assert meta["citation_firstpage"] == [front.findtext("elocation-id")]
    date = front.find("pub-date")
    assert meta["citation_publication_date"] == [
        f"{date.findtext('year')}/{date.findtext('month')}/{date.findtext('day')}"
    ]
    lang = jats.get("{http://www.w3.org/XML/1998/namespace}lang")
    assert meta["citation_language"] == [lang]
    # the keywords in the article's own language (the Chinese ones go with the Chinese title)
    own = front.xpath("kwd-group[@xml:lang=$lang]/kwd/text()", lang=lang)
    assert own and meta["citation_keywords"] == own
    assert len(meta["citation_reference"]) == len(jats.findall("back/ref-list/ref"))
    assert meta["citation_pdf_url"] == [f"http://localhost/articles/{DOI}/pdf"]


def test_issue_head_for_indexers(testapp, published):
    page = testapp.get("/issues/1/1")
    data = json.loads(page.html.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "PublicationIssue"
    assert data["isPartOf"]["isPartOf"]["@type"] == "Periodical"
    assert len(data["hasPart"]) == 2
    assert page.html.select_one("link[rel=canonical]")["href"] == "http://localhost/issues/1/1"
    og = {m["property"]: m["content"] for m in page.html.select("meta[property]")}
    assert og["og:title"] == "Volume 1, Issue 1: Digital education after the pandemic"
    assert og["og:url"] == "http://localhost/issues/1/1" and og["og:type"] == "website"


def test_sitemap_and_robots(testapp, published):
    res = testapp.get("/sitemap.xml")
    root = validate(res.body)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    assert "http://localhost/" in locs and "http://localhost/issues/1/1" in locs
    assert f"http://localhost/articles/{DOI}" in locs
    assert len(root.xpath("//s:url[s:lastmod]", namespaces=ns)) == len(locs)
    robots = testapp.get("/robots.txt")
    assert robots.content_type == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in robots.text


def test_a_large_sitemap_becomes_an_index_of_numbered_sitemaps(testapp, published, monkeypatch):
    from frontiers_de.publishing import sitemap

    whole = validate(testapp.get("/sitemap.xml").body)
    everything = whole.xpath("//s:loc/text()", namespaces={"s": sitemap.SITEMAP_NS})
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    count = -(-len(everything) // 2)
    ns = {"s": sitemap.SITEMAP_NS}
    index = validate(testapp.get("/sitemap.xml").body)
    assert index.tag == f"{{{sitemap.SITEMAP_NS}}}sitemapindex"
    pages = index.xpath("//s:loc/text()", namespaces=ns)
    assert pages == [f"http://localhost/sitemaps/{n}.xml" for n in range(1, count + 1)]
    locs = []
    for n in range(1, count + 1):
        locs += validate(testapp.get(f"/sitemaps/{n}.xml").body).xpath(
            "//s:loc/text()", namespaces=ns
        )
    assert locs == everything and f"http://localhost/articles/{DOI}" in locs
    testapp.get(f"/sitemaps/{count + 1}.xml", status=404)
    testapp.get("/sitemaps/0.xml", status=404)


def test_doaj_export_and_archive_package(testapp, published):
    sign_in(testapp, "prod@example.org")
    dashboard = testapp.get("/production")
    assert dashboard.html.select_one('a[href="/production/exports/doaj.xml"]')
    page = testapp.get(f"/production/articles/{published}")
    link = page.html.select_one("#archive-package")
    assert link["href"] == f"/production/articles/{published}/archive.zip"
    res = testapp.get("/production/exports/doaj.xml")
    root = etree.fromstring(res.body)
    assert [r.findtext("doi") for r in root.findall("record")] == [DOI, "10.5555/fde.2026.0002"]
    assert root.find("record/eissn").text == "2999-0001"

    res = testapp.get(f"/production/articles/{published}/archive.zip")
    assert res.content_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(res.body))
    names = sorted(archive.namelist())
    assert names == [
        "fde.2026.0001/fde.2026.0001.pdf",
        "fde.2026.0001/fde.2026.0001.xml",
        "fde.2026.0001/fig1.png",
        "fde.2026.0001/manifest.json",
    ]
    manifest = json.loads(archive.read("fde.2026.0001/manifest.json"))
    assert manifest["doi"] == DOI
    assert {f["name"]: f["role"] for f in manifest["files"]} == {
        "fde.2026.0001.xml": "jats",
        "fde.2026.0001.pdf": "pdf",
        "fig1.png": "figure",
    }
    assert manifest["missing"] == []
    assert archive.read("fde.2026.0001/fig1.png") == PNG


def test_editors_without_production_rights_get_no_exports(testapp, published):
    sign_in(testapp, "editor@example.org")
    testapp.get("/production/exports/doaj.xml", status=403)
    testapp.get(f"/production/articles/{published}/archive.zip", status=403)
