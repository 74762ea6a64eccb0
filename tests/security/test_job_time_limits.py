"""Typesetting and XSLT have a wall-clock limit (issue 9, item 7f).

WeasyPrint and libxslt run C code that nothing interrupted: a long article typeset for as
long as it took, and a JATS file with a few thousand affiliations kept the reader-HTML
transform busy for minutes (numbering affiliations that have no label is quadratic),
inside the production editor's upload request. With the limits set tiny here
(``fde.production.typeset_timeout`` and ``fde.production.xslt_timeout``, one second each,
through the app's settings), the same documents stop at the limit: the job's visible state
is "failed" with "took too long", an upload is refused with that message, nothing is
half-saved, and ``fde typeset`` and ``fde jats html`` stop with their own exit code.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.cli import fde
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_production_flow import _post
from tests.production_factories import add_manuscript, make_accepted_submission
from tests.web import csrf, sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
MARKDOWN = b"# Results\n\nStudents worked through the adaptive exercises.\n"
# Well past the limit and far from any real bound: a second is not enough for either.
# Numbering affiliations is quadratic: 2,000 took 1.0-1.4 s here, too close to the 1 s
# limit; 5,000 take several seconds on any machine, and the test waits only the limit.
AFFILIATIONS = 5000
PARAGRAPHS = 600
EXIT_TOO_LONG = 3  # fde's exit code for a step stopped at its time limit


def long_article() -> bytes:
    """Twenty-odd pages of text: more than a second of WeasyPrint on any machine."""
    text = " ".join(["Students worked through the adaptive exercises and wrote notes."] * 12)
    body = "".join(f"<p>{n}. {text}</p>" for n in range(PARAGRAPHS))
    return FIXTURE.read_bytes().replace(
        b"</body>", f"<sec><title>More</title>{body}</sec></body>".encode(), 1
    )


def many_affiliations() -> bytes:
    affs = "".join(
        f'<aff id="x{n}"><institution>Institute {n}</institution></aff>'
        for n in range(AFFILIATIONS)
    )
    return FIXTURE.read_bytes().replace(b"</contrib-group>", f"</contrib-group>{affs}".encode(), 1)


@pytest.fixture
def app_settings(app_settings):
    return {
        **app_settings,
        "fde.production.typeset_timeout": "1",
        "fde.production.xslt_timeout": "1",
    }


@pytest.fixture
def production(testapp, wsgi_app, app_settings):
    """A production editor signed in; an article in production (id, page address)."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, None, data=MARKDOWN, filename="results.md")
        submission_id = submission.id
    sign_in(testapp, "prod@example.org")
    page = testapp.get("/production")
    _post(testapp, page, f"/production/submissions/{submission_id}/start")
    with app_session(wsgi_app) as db:
        article_id = db.scalar(select(Article.id).where(Article.submission_id == submission_id))
    return article_id, f"/production/articles/{article_id}"


def _job(wsgi_app, article_id: int, kind: str) -> Job:
    with app_session(wsgi_app) as db:
        return db.scalars(
            select(Job).where(Job.target_id == article_id, Job.kind == kind).order_by(Job.id.desc())
        ).first()


def test_a_long_typesetting_job_is_stopped_and_shown_as_failed(testapp, wsgi_app, production):
    article_id, base = production
    page = testapp.get(base)
    uploaded = testapp.post(
        base + "/jats",
        {"csrf_token": csrf(page)},
        upload_files=[("jats", "long.xml", long_article())],
    ).follow()
    assert "The new JATS is saved" in uploaded.text

    started = time.monotonic()
    _post(testapp, uploaded, base + "/typeset")
    assert time.monotonic() - started < 30  # stopped at the limit, not run to the end

    job = _job(wsgi_app, article_id, "typeset")
    assert job.state == JobState.FAILED
    assert "Typesetting took too long (more than 1 s) and was stopped" in job.error
    assert "fde.production.typeset_timeout" in job.error
    page = testapp.get(base)
    assert page.html.select_one("#pdf-state.state-failed") is not None
    assert "Typesetting took too long" in page.html.select_one("#pdf").text
    with app_session(wsgi_app) as db:
        assert db.get(Article, article_id).pdf_sha256 is None  # nothing half-saved


def test_a_slow_transform_in_an_upload_is_stopped_and_the_jats_kept(testapp, wsgi_app, production):
    article_id, base = production
    page = testapp.get(base)
    started = time.monotonic()
    res = testapp.post(
        base + "/jats",
        {"csrf_token": csrf(page)},
        upload_files=[("jats", "affs.xml", many_affiliations())],
    )
    assert time.monotonic() - started < 30
    page = res.follow()
    assert "Making the reader HTML took too long (more than 1 s) and was stopped" in page.text
    with app_session(wsgi_app) as db:
        assert db.get(Article, article_id).jats_xml is None  # the upload was not kept


def test_the_command_line_honours_the_same_limits(tmp_path: Path) -> None:
    config = tmp_path / "limits.ini"
    config.write_text(
        "[app:main]\nfde.production.typeset_timeout = 1\nfde.production.xslt_timeout = 1\n"
    )
    long_xml = tmp_path / "long.xml"
    long_xml.write_bytes(long_article())
    affs_xml = tmp_path / "affs.xml"
    affs_xml.write_bytes(many_affiliations())
    runner = CliRunner()

    result = runner.invoke(
        fde, ["typeset", str(long_xml), "-o", str(tmp_path / "a.pdf"), "--config", str(config)]
    )
    assert result.exit_code == EXIT_TOO_LONG, result.output
    assert "typesetting took too long (more than 1 s)" in result.output
    assert not (tmp_path / "a.pdf").exists()

    out = tmp_path / "a.html"
    result = runner.invoke(
        fde, ["jats", "html", str(affs_xml), "-o", str(out), "--config", str(config)]
    )
    assert result.exit_code == EXIT_TOO_LONG, result.output
    assert "making the reader HTML took too long (more than 1 s)" in result.output
    assert not out.exists()

    # Within the default limits the same commands work.
    result = runner.invoke(fde, ["jats", "html", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
