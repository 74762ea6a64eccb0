"""Markup in the typeset PDF (issue 9, part 6).

An author gave the title ``</title></style><img src=x> Über``. The title reached the JATS as
text, but the print HTML put the leading text of a container (the title's text before any
child element) into the page unescaped, so WeasyPrint read an ``<img>`` and the PDF showed
" Über" instead of the title; and the running head's CSS string did not escape ``</style>``,
so the title could end the print stylesheet. Here an author's submission with a hostile
title, author name and affiliation goes through the real app: production starts, the
manuscript is converted, the article typeset, and the PDF that the editor downloads must
show each of them literally.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import tinycss2
from lxml import html as lxml_html
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.config import JournalProfile
from frontiers_de.production.typesetting.printhtml import build_print_html, css_string
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.xml.safe import parse_xml
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_production_flow import _post
from tests.production_factories import add_manuscript, make_accepted_submission, sample_metadata
from tests.web import sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
HOSTILE_TITLE = '</title></style><img src=x> Über "quoted" \\ back'
HOSTILE_SURNAME = "<b>Bold</b>&amp;Zhang"
HOSTILE_AFFILIATION = "</li><img src=y>East China </style> Normal University"

# Enough text for a second page, where the running head prints the title.
MANUSCRIPT = "\n\n".join(
    f"# Section {n}\n\n" + " ".join(["Students worked through the adaptive exercises."] * 60)
    for n in range(1, 5)
).encode()


def pdf_text(pdf: bytes, tmp_path, first: int = 1, last: int = 0) -> str:
    source = tmp_path / "article.pdf"
    source.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", "-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run(
        [*args, str(source), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return " ".join(out.split())


@pytest.fixture
def hostile_article(testapp, wsgi_app, app_settings):
    """An accepted submission whose title, first author and affiliation are hostile."""
    meta = sample_metadata()
    meta["title"] = HOSTILE_TITLE
    meta["contributors"][0]["family_names"] = HOSTILE_SURNAME
    meta["affiliations"][0]["institution"] = HOSTILE_AFFILIATION
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author, metadata=meta)
        add_manuscript(db, storage, submission, None, data=MANUSCRIPT, filename="paper.md")
        submission_id = submission.id
    sign_in(testapp, "prod@example.org")
    return submission_id


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_hostile_metadata_prints_literally_in_the_pdf(testapp, wsgi_app, hostile_article, tmp_path):
    page = testapp.get("/production")
    page = _post(testapp, page, f"/production/submissions/{hostile_article}/start").follow()
    with app_session(wsgi_app) as db:
        article_id = db.scalar(select(Article.id).where(Article.submission_id == hostile_article))
    base = f"/production/articles/{article_id}"
    page = _post(testapp, page, base + "/convert").follow()
    page = testapp.get(base)
    assert page.html.select_one("#conversion-state.state-current") is not None, page.text
    jats = testapp.get(base + "/jats").body
    assert "Über".encode() in jats
    # The reader HTML made from the same JATS shows the title as text as well.
    with app_session(wsgi_app) as db:
        reader = lxml_html.fragment_fromstring(db.get(Article, article_id).html)
    assert reader.find(".//h1").text_content() == HOSTILE_TITLE
    assert not [img for img in reader.iter("img") if img.get("src") in ("x", "y")]

    page = _post(testapp, page, base + "/typeset").follow()
    page = testapp.get(base)
    assert page.html.select_one("#pdf-state.state-current") is not None, page.text
    pdf = testapp.get(base + "/pdf").body

    first_page = pdf_text(pdf, tmp_path, 1, 1)
    # The heading, above the authors (the "Cite as" line below them has it too).
    assert HOSTILE_TITLE in first_page.split(HOSTILE_SURNAME, 1)[0]
    assert HOSTILE_SURNAME in first_page
    assert HOSTILE_AFFILIATION in first_page
    # The running head of a later page carries the title as written too.
    assert HOSTILE_TITLE in pdf_text(pdf, tmp_path, 2, 2)

    # The print HTML behind that PDF: one stylesheet, no element made from the metadata.
    printed = build_print_html(parse_xml(jats), JournalProfile()).html
    assert printed.count("</style") == 1
    document = lxml_html.document_fromstring(printed)
    assert [img.get("src") for img in document.iter("img") if img.get("src") in ("x", "y")] == []
    assert document.find(".//b") is None or "Bold" not in "".join(
        b.text_content() for b in document.iter("b")
    )
    assert document.find(".//h1").text_content() == HOSTILE_TITLE
    (style,) = document.iter("style")
    assert css_string(HOSTILE_TITLE) in style.text


def test_css_strings_escape_everything_that_could_end_them() -> None:
    hostile = "a</style>\"b'\\c\nd <!-- e"
    value = css_string(hostile)
    for raw in ("<", ">", "'", "\n"):
        assert raw not in value
    # A CSS parser reads back exactly the text (white space folded), as one string token.
    (token,) = tinycss2.parse_component_value_list(value)
    assert token.type == "string" and token.value == " ".join(hostile.split())


def test_links_from_the_jats_in_the_pdf_are_web_addresses_only() -> None:
    jats = FIXTURE.read_bytes().replace(
        b"<ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>",
        b"<ali:license_ref>javascript:alert(document.domain)</ali:license_ref>",
    )
    assert b"javascript:" in jats
    printed = build_print_html(parse_xml(jats), JournalProfile()).html
    document = lxml_html.document_fromstring(printed)
    hrefs = [a.get("href") for a in document.iter("a") if a.get("href")]
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:", "#")) for h in hrefs)
