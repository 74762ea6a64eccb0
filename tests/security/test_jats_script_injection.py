"""Script in the published JATS (issue 9, finding 1).

The attack: an author's Markdown manuscript carries a raw JATS block (pandoc's ``{=jats}``
raw attribute) with ``<mml:annotation-xml>`` holding an XHTML ``<script>``. It passed
conversion, ``fde jats check`` (0 errors), typesetting, proofs and publication, and
Chromium rendered ``/articles/{doi}/xml`` and the OAI ``GetRecord`` as XML documents,
running the script in the site's origin.

Closed at every level, each shown here: the raw block never reaches the JATS (and the
conversion report says so), normalisation drops foreign namespaces, processing
instructions and annotation-xml, ``fde jats check`` refuses them with house rules
``FDE-SAFE-*``, and every XML response is a sandboxed, non-sniffed attachment.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import webtest
from click.testing import CliRunner
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.cli import fde
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import add_manuscript, make_accepted_submission
from tests.web import csrf, sign_in

DOI = "10.5555/fde.2026.0012"
VALID_JATS = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
SANDBOX = "default-src 'none'; sandbox"

# The attacker's manuscript, as the review sent it: a harmless paper with a raw JATS block.
HOSTILE_MARKDOWN = """\
# Introduction

Learning analytics dashboards change teaching in rural schools.

```{=jats}
<p><inline-formula><mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:semantics>\
<mml:mi>x</mml:mi><mml:annotation-xml encoding="application/xhtml+xml">\
<script xmlns="http://www.w3.org/1999/xhtml">fetch('/admin/roles')</script>\
</mml:annotation-xml></mml:semantics></mml:math></inline-formula></p>
```

An inline one too: `<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>`{=jats}.

# Results

The effect was small but consistent.
"""

MARKERS = (b"<script", b"http://www.w3.org/1999/xhtml", b"annotation-xml", b"alert(", b"fetch(")


def _post(client, page, action: str):
    return client.post(action, {"csrf_token": csrf(page)})


def _article(wsgi_app, submission_id: int) -> Article:
    with app_session(wsgi_app) as db:
        return db.scalar(select(Article).where(Article.submission_id == submission_id))


def assert_sandboxed_attachment(response) -> None:
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SANDBOX


@pytest.fixture
def hostile_submission(testapp, wsgi_app, app_settings):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(
            db,
            storage,
            submission,
            Path("manuscript.md"),
            data=HOSTILE_MARKDOWN.encode("utf-8"),
        )
        submission_id = submission.id
    sign_in(testapp, "prod@example.org")
    return submission_id


# Commits for real: publication queues a Crossref deposit whose failure is recorded in a
# transaction of its own (see tests/conftest.py wsgi_app).
@pytest.mark.commits
def test_the_raw_jats_block_never_reaches_the_published_article(
    testapp, wsgi_app, hostile_submission, smtp_server
):
    submission_id = hostile_submission
    page = testapp.get("/production")
    page = _post(testapp, page, f"/production/submissions/{submission_id}/start").follow()
    article = _article(wsgi_app, submission_id)
    base = f"/production/articles/{article.id}"

    # Conversion: the raw blocks are gone, and the report says so.
    page = _post(testapp, page, base + "/convert").follow()
    page = testapp.get(base)
    assert page.html.select_one("#conversion-state.state-current") is not None
    warnings = " ".join(li.text for li in page.html.select("#jats details li"))
    assert "raw" in warnings and "jats" in warnings, warnings
    assert "0 error(s)" in page.html.select_one("#check-state").text
    jats = testapp.get(base + "/jats")
    for marker in MARKERS:
        assert marker not in jats.body
    assert b"Learning analytics dashboards change teaching" in jats.body
    assert_sandboxed_attachment(jats)

    # Typeset, proof, approval, publication: the attacker's path, now with clean JATS.
    page = _post(testapp, page, base + "/typeset").follow()
    page = _post(testapp, testapp.get(base), base + "/proofs").follow()
    (mail,) = smtp_server.wait_for(1)
    link = re.search(r"http://localhost(/proofs/\S+)", mail.text()).group(1)
    author = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    proof_page = author.get(link)
    author.post(link, {"csrf_token": csrf(proof_page), "action": "approve"})
    page = _post(testapp, testapp.get(base), base + "/publish").follow()
    assert "The article is published." in page.text
    assert _article(wsgi_app, submission_id).state == ArticleState.PUBLISHED

    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    xml = public.get(f"/articles/{DOI}/xml")
    for marker in MARKERS:
        assert marker not in xml.body
    assert_sandboxed_attachment(xml)

    record = public.get(
        "/oai",
        {"verb": "GetRecord", "metadataPrefix": "jats", "identifier": f"oai:localhost:{DOI}"},
    )
    assert b"<GetRecord>" in record.body
    for marker in MARKERS:
        assert marker not in record.body
    assert_sandboxed_attachment(record)
    # every OAI response, errors included
    assert_sandboxed_attachment(public.get("/oai", {"verb": "Nonsense"}))

    # The HTML pages carry the site-wide policy.
    policy = public.get(f"/articles/{DOI}").headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy


@pytest.fixture
def stored_hostile(wsgi_app, app_settings) -> None:
    """A published article whose stored JATS still holds the payload: stored before the
    fix, or edited by hand (the house rules now refuse to publish such a file)."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    hostile = VALID_JATS.read_text(encoding="utf-8").replace(
        "<mml:mi>d</mml:mi>",
        '<mml:semantics><mml:mi>d</mml:mi><mml:annotation-xml encoding="application/xhtml+xml">'
        '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(document.domain)</h:script>'
        "</mml:annotation-xml></mml:semantics>",
    )
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        article = services.start_production(db, submission, editor)
        store_jats(db, storage, article, hostile.encode(), filename="a.xml")
        article.state = ArticleState.PUBLISHED
        article.published_at = dt.datetime(2026, 3, 15, tzinfo=dt.UTC)


def test_a_published_article_that_still_holds_a_script_is_served_inert(wsgi_app, stored_hostile):
    """The /xml download keeps the stored bytes but is a sandboxed attachment; the OAI
    record is cleaned on the way out."""
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    xml = public.get(f"/articles/{DOI}/xml")
    assert b"<h:script" in xml.body  # the stored bytes, unchanged
    assert_sandboxed_attachment(xml)
    record = public.get(
        "/oai",
        {
            "verb": "GetRecord",
            "metadataPrefix": "jats",
            "identifier": f"oai:localhost:{DOI}",
        },
    )
    assert b"script" not in record.body and b"annotation-xml" not in record.body
    assert_sandboxed_attachment(record)


@pytest.mark.browser
def test_chromium_downloads_the_xml_and_runs_nothing(live_server, browser, stored_hostile):
    """What the attacker did: open the article's XML and its OAI record in Chromium. Both
    are downloads now, so no document of the site's origin runs the script."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    oai = f"/oai?verb=GetRecord&metadataPrefix=jats&identifier=oai:localhost:{DOI}"
    for path in (f"/articles/{DOI}/xml", oai):
        with page.expect_download(timeout=10000):
            try:
                page.goto(live_server + path)
            except PlaywrightError as exc:  # navigating to a download ends the navigation
                assert "Download is starting" in str(exc)
        page.wait_for_timeout(300)
    assert dialogs == []
    context.close()


# --- the command line refuses what normalisation drops -----------------------------------

HAND_MADE = {
    "annotation-xml": (
        "<mml:mi>d</mml:mi>",
        '<mml:semantics><mml:mi>d</mml:mi><mml:annotation-xml encoding="MathML-Content">'
        "<mml:ci>d</mml:ci></mml:annotation-xml></mml:semantics>",
        "FDE-SAFE-001",
    ),
    "xhtml script": (
        "<mml:mi>d</mml:mi>",
        '<mml:mi>d</mml:mi><mml:mtext><script xmlns="http://www.w3.org/1999/xhtml">'
        "alert(1)</script></mml:mtext>",
        "FDE-SAFE-001",
    ),
    "svg": (
        "<p>Data were collected in 2024.</p>",
        '<p>Data were collected in 2024.<svg:svg xmlns:svg="http://www.w3.org/2000/svg" '
        'onload="alert(1)"/></p>',
        "FDE-SAFE-001",
    ),
    "foreign attribute": (
        '<article xmlns:mml="http://www.w3.org/1998/Math/MathML"',
        '<article xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load" '
        'xmlns:mml="http://www.w3.org/1998/Math/MathML"',
        "FDE-SAFE-002",
    ),
    "event attribute on MathML": (
        "<mml:mi>d</mml:mi>",
        '<mml:mi onclick="alert(1)">d</mml:mi>',
        "FDE-SAFE-002",
    ),
    "processing instruction": (
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?xml-stylesheet type="text/xsl" href="data:text/xsl,evil"?>',
        "FDE-SAFE-003",
    ),
    "processing instruction inside": (
        "<body>",
        "<body><?php echo 1; ?>",
        "FDE-SAFE-003",
    ),
    "javascript link": (
        "<p>Data were collected in 2024.</p>",
        '<p>Data were collected in <ext-link ext-link-type="uri" '
        'xlink:href=" JaVa&#9;Script:alert(1)">2024</ext-link>.</p>',
        "FDE-SAFE-004",
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_MADE), ids=sorted(HAND_MADE))
def test_jats_check_refuses_what_normalisation_drops(case, tmp_path, schema_dir):
    old, new, rule_id = HAND_MADE[case]
    text = VALID_JATS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "hand-made.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(fde, ["jats", "check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert f" error {rule_id} " in result.stdout


def test_jats_check_still_passes_the_clean_article(schema_dir):
    result = CliRunner().invoke(fde, ["jats", "check", str(VALID_JATS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
