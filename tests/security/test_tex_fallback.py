"""TeX the MathML converters cannot read (issue 9, item 7e).

An author's Markdown manuscript with ``\\unicode{x}`` (latex2mathml writes the character
reference ``&#x;``, which no XML parser takes), an unknown environment, unbalanced braces,
a dangling superscript, braces nested thousands deep, towers of 100 and 300 fractions
(pandoc's MathML went past the XML depth limit, so the conversion failed) and a dozen
nested square roots (ziamath's time doubles with each level: minutes for one formula).
Each formula must come out as its TeX, shown as code with a warning, in the JATS
conversion, the reader HTML, the PDF and the production page; an edited JATS upload with
such a formula must not end in a 500.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_production_flow import _post
from tests.production_factories import add_manuscript, make_accepted_submission
from tests.web import csrf, sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
DEEP_BRACES = "{" * 3000 + "x" + "}" * 3000
FRACTION_TOWERS = ["\\frac{1}{" * n + "x" + "}" * n for n in (100, 300)]
ROOT_TOWER = "\\sqrt{" * 14 + "x" + "}" * 14
MANUSCRIPT = f"""# Results

A code point $\\unicode{{x}}$, an environment $\\begin{{foo}} y \\end{{foo}}$,
an open fraction $\\frac{{a}}{{b$ and a lost superscript $x^^$.

A deep group $${DEEP_BRACES}$$ and a deep fraction:

$${FRACTION_TOWERS[0]}$$ $${FRACTION_TOWERS[1]}$$

A tower of roots $${ROOT_TOWER}$$ and a good formula $a^2 + b^2 = c^2$.
""".encode()


@pytest.fixture
def article_base(testapp, wsgi_app, app_settings) -> str:
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, None, data=MANUSCRIPT, filename="results.md")
        submission_id = submission.id
    sign_in(testapp, "prod@example.org")
    page = testapp.get("/production")
    _post(testapp, page, f"/production/submissions/{submission_id}/start")
    with app_session(wsgi_app) as db:
        article_id = db.scalar(select(Article.id).where(Article.submission_id == submission_id))
    return f"/production/articles/{article_id}"


def _article(wsgi_app, base: str) -> Article:
    with app_session(wsgi_app) as db:
        return db.get(Article, int(base.rsplit("/", 1)[-1]))


def test_bad_tex_converts_renders_and_typesets_as_tex(testapp, wsgi_app, article_base, tmp_path):
    base = article_base
    page = testapp.get(base)
    _post(testapp, page, base + "/convert")
    page = testapp.get(base)
    assert page.html.select_one("#conversion-state.state-current") is not None, page.text
    warnings = " ".join(d.text for d in page.html.select("#jats details"))
    assert "formulas kept as TeX only" in warnings  # pandoc's own fallback
    assert "kept as TeX only: its MathML is nested" in warnings  # the fraction towers
    assert "2 formulas in all kept as TeX only" in warnings
    assert "formula shown as TeX in the reader HTML" in warnings and "\\unicode{x}" in warnings

    jats = testapp.get(base + "/jats").body.decode()
    assert "\\unicode{x}" in jats and "{{{{{{{{x}}}}}}}}" in jats and "\\frac{1}{\\frac" in jats

    reader = lxml_html.fragment_fromstring(_article(wsgi_app, base).html)
    shown = [" ".join(code.text_content().split()) for code in reader.find_class("tex-math")]
    assert "\\unicode{x}" in shown and "x^^" in shown
    assert any(text.startswith("\\frac{1}{\\frac{1}") for text in shown)
    assert reader.find(".//math") is not None  # a^2 + b^2 = c^2, and the others pandoc read

    started = time.monotonic()
    _post(testapp, page, base + "/typeset")
    page = testapp.get(base)
    assert page.html.select_one("#pdf-state.state-current") is not None, page.text
    assert time.monotonic() - started < 60  # the tower of roots is not drawn for minutes
    typeset_warnings = " ".join(d.text for d in page.html.select("#pdf details"))
    assert "formula printed as text" in typeset_warnings
    assert "nested too deeply to draw" in typeset_warnings
    assert "\\unicode{x}" in typeset_warnings
    if shutil.which("pdftotext"):
        pdf = tmp_path / "a.pdf"
        pdf.write_bytes(testapp.get(base + "/pdf").body)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "\\unicode{x}" in text and "\\sqrt{\\sqrt{" in re.sub(r"\s+", "", text)


def test_an_uploaded_jats_with_unreadable_tex_is_saved_with_a_warning(
    testapp, wsgi_app, article_base
):
    base = article_base
    jats = FIXTURE.read_bytes().replace(
        b"</body>",
        b"<p>Odd <inline-formula><tex-math>\\unicode{x} + \\sqrt{" * 1
        + b"\\sqrt{" * 300
        + b"x"
        + b"}" * 301
        + b"</tex-math></inline-formula>.</p></body>",
        1,
    )
    page = testapp.get(base)
    res = testapp.post(
        base + "/jats", {"csrf_token": csrf(page)}, upload_files=[("jats", "edited.xml", jats)]
    )
    assert res.status_int == 302
    page = res.follow()
    assert "The new JATS is saved" in page.text
    assert "The reader page shows 1 formula(s) as TeX" in page.text
    article = _article(wsgi_app, base)
    assert "\\unicode{x}" in article.jats_xml
    assert 'class="tex-math"' in article.html
