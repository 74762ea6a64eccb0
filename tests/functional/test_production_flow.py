"""Production through the web: start production, convert a real DOCX, check, typeset (in
process, as the embedded default runs Celery), send a proof, the author answers through the
mailed link, publish, and the public article page with its downloads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import webtest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.production import services
from frontiers_de.production.models import Proof
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.conftest import CORPUS_DIR
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import add_manuscript, make_accepted_submission
from tests.web import csrf, sign_in

DOCX = CORPUS_DIR / "pandoc__equations.docx"  # OMML equations and a footnote
VALID_JATS = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
DOI = "10.5555/fde.2026.0012"


@pytest.fixture
def production(testapp, wsgi_app, app_settings):
    """A production editor signed in, and an accepted submission with a real DOCX."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, DOCX)
        submission_id = submission.id
    sign_in(testapp, "prod@example.org")
    return submission_id, storage


def _post(client, page, form_action: str, **fields):
    return client.post(form_action, {"csrf_token": csrf(page), **fields})


def _article(wsgi_app, submission_id: int) -> Article:
    with app_session(wsgi_app) as db:
        return db.scalar(select(Article).where(Article.submission_id == submission_id))


# Commits for real: a failed Crossref deposit is recorded in a transaction of its own while
# the job's transaction rolls back, which one connection's savepoints cannot reproduce.
@pytest.mark.commits
def test_from_accepted_submission_to_published_article(testapp, wsgi_app, production, smtp_server):
    submission_id, storage = production
    # 1. The dashboard lists the accepted submission; start production.
    page = testapp.get("/production")
    assert "Adaptive Feedback in Online Mathematics Courses" in page.text
    page = _post(testapp, page, f"/production/submissions/{submission_id}/start").follow()
    assert "Production has started." in page.text
    article = _article(wsgi_app, submission_id)
    assert article.doi == DOI and article.state == ArticleState.IN_PRODUCTION
    base = f"/production/articles/{article.id}"

    # 2. Convert the DOCX (a job, run in-process after the commit) and see the checks.
    page = _post(testapp, page, base + "/convert").follow()
    assert "The conversion to JATS is queued." in page.text
    page = testapp.get(base)
    assert page.html.select_one("#conversion-state.state-current") is not None
    assert "0 error(s)" in page.html.select_one("#check-state.state-passed").text
    jats = testapp.get(base + "/jats")
    assert jats.content_type == "application/xml"
    assert b"<mml:math" in jats.body and b"Adaptive Feedback" in jats.body
    assert b"0000-0002-1825-0097" in jats.body and b"02n96ep67" in jats.body

    # An upload that is not XML is refused and the JATS stays.
    page = testapp.post(
        base + "/jats",
        {"csrf_token": csrf(page)},
        upload_files=[("jats", "article.xml", b"%PDF-1.7 not xml at all")],
    ).follow()
    assert "The file is not usable XML" in page.text
    assert testapp.get(base + "/jats").body == jats.body

    # The checks run again on request.
    page = _post(testapp, page, base + "/check").follow()
    page = testapp.get(base)
    assert page.html.select_one("#check-state.state-passed") is not None

    # 3. Publishing before the PDF is refused, with the reasons.
    page = _post(testapp, page, base + "/publish").follow()
    assert "There is no PDF of the current JATS" in page.text

    # Typeset (a job): the PDF is stored and downloadable.
    page = _post(testapp, page, base + "/typeset").follow()
    page = testapp.get(base)
    assert page.html.select_one("#pdf-state.state-current") is not None
    pdf = testapp.get(base + "/pdf")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    article = _article(wsgi_app, submission_id)
    assert article.pdf_pages >= 1 and storage.get(article.pdf_sha256) == pdf.body

    page = _post(testapp, page, base + "/publish").follow()
    assert "The author has not approved a proof of the current PDF" in page.text

    # 4. Send the proof; the corresponding author gets a link by email.
    page = _post(testapp, page, base + "/proofs").follow()
    assert "Proof 1 was sent." in page.text
    (mail,) = smtp_server.wait_for(1)  # delivered through a real SMTP server
    assert mail.rcpt_tos == ["wei.zhang@example.edu.cn"]
    assert mail.subject.startswith("Proof 1 of your article is ready")
    link = re.search(r"http://localhost(/proofs/\S+)", mail.text()).group(1)

    author = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    proof_page = author.get(link)
    assert "Proof of your article" in proof_page.text
    assert proof_page.headers["Referrer-Policy"] == "no-referrer"
    assert author.get(link + "/pdf").body == pdf.body
    done = author.post(link, {"csrf_token": csrf(proof_page), "action": "approve"})
    assert "You approved proof 1" in done.text
    used = author.get(link, status=410)
    assert "already been answered" in used.text
    # The production editor hears of the approval (through the real SMTP server too).
    answered = smtp_server.wait_for(2)[-1]
    assert answered.rcpt_tos == ["prod@example.org"]
    assert answered.subject.startswith("Proof 1 approved")
    assert f"http://localhost{base}" in answered.text()

    # 5. The editor sees the approval and publishes.
    page = testapp.get(base)
    assert "Proof 1 was approved." in page.text
    page = _post(testapp, page, base + "/publish").follow()
    assert "The article is published." in page.text
    page = testapp.get(base)  # the dated JATS was checked too
    assert "0 error(s)" in page.html.select_one("#check-state").text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).state == SubmissionState.PUBLISHED
    article = _article(wsgi_app, submission_id)
    assert article.state == ArticleState.PUBLISHED and article.published_at is not None
    assert storage.get(article.pdf_sha256) == pdf.body
    # The corresponding author hears of the publication: the article's page and its DOI.
    published = smtp_server.wait_for(3)[-1]
    assert published.rcpt_tos == ["wei.zhang@example.edu.cn"]
    assert f"http://localhost/articles/{DOI}" in published.text()
    assert f"https://doi.org/{DOI}" in published.text()

    # The public page, with citation meta tags, and the downloads.
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    page = public.get(f"/articles/{DOI}")
    meta = {m["name"]: m["content"] for m in page.html.select("meta[name^=citation_]")}
    assert meta["citation_title"].startswith("Adaptive Feedback in Online Mathematics")
    assert meta["citation_doi"] == DOI
    assert meta["citation_pdf_url"] == f"http://localhost/articles/{DOI}/pdf"
    authors = [m["content"] for m in page.html.select("meta[name=citation_author]")]
    assert authors == ["Wei Zhang", "Amina Haddad"]
    assert page.html.select_one(".reader article") is not None
    assert page.html.select_one(".reader math") is not None
    assert public.get(f"/articles/{DOI}/pdf").body == pdf.body
    xml = public.get(f"/articles/{DOI}/xml")
    assert xml.content_type == "application/xml"
    # Publishing gave the JATS its publication date (a new version; the PDF is the approved one).
    assert b"pub-date-not-available" in jats.body and b"pub-date-not-available" not in xml.body
    published_on = article.published_at.date().isoformat()
    stamp = f'date-type="pub" iso-8601-date="{published_on}"'
    assert stamp.encode() in xml.body
    with app_session(wsgi_app) as db:
        check = services.check_jats(db.get(Article, article.id), None, {})
        assert check["errors"] == 0, check["findings"]
    # DOIs are case-insensitive.
    assert public.get(f"/articles/{DOI.upper()}").status_int == 200


def test_corrections_then_a_new_proof_supersedes_the_old_link(testapp, wsgi_app, production):
    submission_id, storage = production
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, submission_id)
        editor = db.scalar(select(User).where(User.email == "prod@example.org"))
        article = services.start_production(db, submission, editor)
        store_jats(db, storage, article, VALID_JATS.read_bytes(), filename="a.xml")
        article.pdf_sha256, article.pdf_pages = storage.put(b"%PDF-1.7 first"), 1
        base = f"/production/articles/{article.id}"
    page = testapp.get(base)
    _post(testapp, page, base + "/proofs")
    _post(testapp, page, base + "/proofs")  # a second proof before the first was answered
    with app_session(wsgi_app) as db:
        first, second = (
            re.search(r"http://localhost(/proofs/\S+)", e.body_text).group(1)
            for e in db.scalars(select(OutboxEmail).order_by(OutboxEmail.id))
        )
    author = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert "A newer proof replaces this one" in author.get(first, status=410).text
    assert "not valid" in author.get(second[:-3] + "abc", status=404).text
    form = author.get(second)
    refused = author.post(second, {"csrf_token": csrf(form), "action": "corrections"})
    assert "Please list the corrections you need." in refused.text
    author.post(
        second,
        {"csrf_token": csrf(form), "action": "corrections", "corrections": "p. 1: Smith is Smyth"},
    )
    page = testapp.get(base)
    assert "Corrections requested" in page.text and "p. 1: Smith is Smyth" in page.text
    assert "Superseded" in page.text

    # A third proof, left unanswered past its time, gets the expired page.
    _post(testapp, page, base + "/proofs")
    with app_session(wsgi_app) as db:
        third = db.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
        link = re.search(r"http://localhost(/proofs/\S+)", third.body_text).group(1)
        proof = db.scalars(select(Proof).order_by(Proof.number.desc())).first()
        proof.sent_at -= dt.timedelta(days=services.DEFAULT_PROOF_DAYS + 1)
    expired = author.get(link, status=410)
    assert "This proof link has expired" in expired.text
    assert "<h1>Proof link not usable</h1>" in expired.text
    assert expired.headers["Referrer-Policy"] == "no-referrer"
    assert expired.headers["Cache-Control"] == "no-store"


def test_a_failed_conversion_is_shown_and_keeps_the_previous_jats(testapp, wsgi_app, production):
    submission_id, storage = production
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, submission_id)
        editor = db.scalar(select(User).where(User.email == "prod@example.org"))
        article = services.start_production(db, submission, editor)
        store_jats(db, storage, article, VALID_JATS.read_bytes(), filename="a.xml")
        add_manuscript(
            db, storage, submission, Path("revised.docx"), data=b"PK but not a zip", round_number=2
        )
        base, before = f"/production/articles/{article.id}", article.jats_xml
    page = testapp.get(base)
    page = _post(testapp, page, base + "/convert").follow()
    page = testapp.get(base)
    assert page.html.select_one("#conversion-state.state-failed") is not None
    assert "revised.docx" in page.html.select_one("#jats [role=alert]").text
    with app_session(wsgi_app) as db:
        job = db.scalars(select(Job).where(Job.kind == services.JOB_CONVERT)).one()
        assert job.state == JobState.FAILED
        assert db.get(Article, job.target_id).jats_xml == before
        assert len(services.jats_versions(db, submission_id)) == 1


def test_production_pages_speak_chinese(testapp, production):
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get("/production")
    assert "已录用和生产中" in page.text and "开始生产" in page.text
    anonymous = webtest.TestApp(testapp.app, extra_environ={"HTTP_HOST": "localhost"})
    anonymous.set_cookie("fde_lang", "zh")
    assert "此校样链接无效" in anonymous.get("/proofs/forged-token", status=404).text


def test_an_edited_jats_upload_becomes_a_new_version_and_is_checked(testapp, wsgi_app, production):
    submission_id, storage = production
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, submission_id)
        editor = db.scalar(select(User).where(User.email == "prod@example.org"))
        article = services.start_production(db, submission, editor)
        store_jats(db, storage, article, VALID_JATS.read_bytes(), filename="a.xml")
        make_user(db, "section@example.org", roles=[Role.SECTION_EDITOR], journal=make_journal(db))
        base = f"/production/articles/{article.id}"
    page = testapp.get(base)
    edited = VALID_JATS.read_bytes().replace(b'rid="r2"', b'rid="missing"')
    page = testapp.post(
        base + "/jats",
        {"csrf_token": csrf(page)},
        upload_files=[("jats", "edited.xml", edited)],
    ).follow()
    assert "The new JATS is saved; the checks are queued." in page.text
    page = testapp.get(base)
    rows = page.html.select("#findings tbody tr")
    assert any("missing" in row.text and "error" in row.text for row in rows)
    versions = [a.text for a in page.html.select("#jats details a")]
    assert versions == ["edited.xml", "a.xml"]
    assert testapp.get(base + "/jats").body == edited
    old = page.html.select("#jats details a")[1]["href"]
    assert testapp.get(old).body == VALID_JATS.read_bytes()
    # Someone without the production role sees none of it.
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(other, "section@example.org")
    other.get(base, status=403)
    other.get(base + "/jats", status=403)
