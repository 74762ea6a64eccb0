"""The author's submission through the web: start, fill the details, authors and funding,
upload a real DOCX, review, submit (confirmation email in the outbox, metadata valid against
the JSON Schema), the read-only view, and withdraw. Plus the refusals a browser can cause:
a stale save, a wrong file, another user's submission."""

from __future__ import annotations

import re

import pytest
import webtest
from sqlalchemy import select

from frontiers_de.editorial.models import AuditEvent
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.production.jats.frontmatter import validate_metadata
from frontiers_de.production.services import submission_metadata
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission, SubmissionState
from tests.conftest import CORPUS_DIR
from tests.factories import app_session, make_journal, make_user
from tests.web import csrf, sign_in

DOCX = CORPUS_DIR / "pandoc__equations.docx"
ABSTRACT = (
    "We followed 412 first-year students through two semesters of blended courses and "
    "related their use of the learning platform to their results."
)


@pytest.fixture
def author(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(
            db,
            "wei.zhang@example.edu.cn",
            journal=journal,
            given_name="Wei",
            family_name="Zhang",
            native_name="张伟",
            orcid="0000-0002-1825-0097",
            affiliation="East China Normal University",
            ror_id="02n96ep67",
            country="CN",
        )
    sign_in(testapp, "wei.zhang@example.edu.cn")
    return testapp


def start(client) -> tuple[int, webtest.TestResponse]:
    page = client.get("/submissions/new")
    radio = page.html.find("input", {"name": "section_id"})
    res = client.post("/submissions/new", {"csrf_token": csrf(page), "section_id": radio["value"]})
    assert res.status_int == 302
    submission_id = int(re.search(r"/submissions/(\d+)/details", res.location).group(1))
    return submission_id, res.follow()


def details_form(page, **changes: str) -> dict[str, str]:
    form = next(f for f in page.forms.values() if "version" in f.fields)
    values = {name: form[name].value for name in form.fields if name not in ("next",)}
    values.update(changes)
    return values


def fill_details(client, submission_id: int) -> None:
    page = client.get(f"/submissions/{submission_id}/details")
    values = details_form(
        page,
        title="Learning analytics in blended first-year courses",
        abstract=ABSTRACT,
        keywords="learning analytics, blended learning; higher education",
        title_zh="混合式大一课程中的学习分析",
        abstract_zh="我们跟踪了412名大一学生两个学期的学习。",
        keywords_zh="学习分析，混合式学习",
        data_availability="The anonymised data are in the supplementary file.",
        competing_interests="None.",
        acknowledgements="We thank the students.",
        cover_letter="Dear editors, please consider our manuscript.",
    )
    res = client.post(f"/submissions/{submission_id}/details", {**values, "next": "authors"})
    assert res.status_int == 302, res.text
    assert res.location.endswith(f"/submissions/{submission_id}/authors")


def upload(client, submission_id: int, kind: str, name: str, data: bytes, status: int = 302):
    page = client.get(f"/submissions/{submission_id}/files")
    return client.post(
        f"/submissions/{submission_id}/files",
        {"csrf_token": csrf(page), "kind": kind},
        upload_files=[("file", name, data)],
        status=status,
    )


def test_the_whole_flow_from_start_to_withdrawal(author, wsgi_app):
    client = author
    # My submissions is in the navigation, and empty.
    home = client.get("/")
    assert home.html.find("a", href="/submissions") is not None
    assert "You have no submissions yet." in client.get("/submissions").text

    submission_id, details = start(client)
    assert "Save draft" in details.text
    # The submitter is the first, corresponding author, from their profile.
    authors = client.get(f"/submissions/{submission_id}/authors")
    assert "Wei Zhang" in authors.text and "张伟" in authors.text
    assert "Corresponding author" in authors.text

    fill_details(client, submission_id)

    # A second author, with the bad ORCID first (refused, nothing lost), then a good one.
    page = client.get(f"/submissions/{submission_id}/authors")
    form = {
        "csrf_token": csrf(page),
        "given_name": "Anna",
        "family_name": "Schmidt",
        "email": "anna.schmidt@example.de",
        "orcid": "0000-0002-1825-0098",
        "aff1_name": "University of Hamburg",
        "aff1_ror": "00g30e956",
        "aff1_country": "DE",
    }
    refused = client.post(
        f"/submissions/{submission_id}/authors",
        [*form.items(), ("credit_roles", "Methodology"), ("credit_roles", "Software")],
        status=400,
    )
    assert "wrong check digit" in refused.text
    assert refused.html.find("input", {"name": "family_name"})["value"] == "Schmidt"
    assert refused.html.find("input", {"value": "Software"}).has_attr("checked")
    form["orcid"] = "https://orcid.org/0000-0001-5109-3700"
    client.post(
        f"/submissions/{submission_id}/authors",
        [*form.items(), ("credit_roles", "Methodology"), ("credit_roles", "Software")],
        status=302,
    )
    # Move Anna up to first place.
    with app_session(wsgi_app) as db:
        anna = db.scalar(select(Submission).where(Submission.id == submission_id)).contributors[1]
        anna_id = anna.id
    page = client.get(f"/submissions/{submission_id}/authors")
    client.post(
        f"/submissions/{submission_id}/authors/{anna_id}/move",
        {"csrf_token": csrf(page), "direction": "up"},
        status=302,
    )

    # Funding with a Funder Registry DOI.
    page = client.get(f"/submissions/{submission_id}/funding")
    bad = client.post(
        f"/submissions/{submission_id}/funding",
        {"csrf_token": csrf(page), "funder_name": "NSFC", "funder_doi": "10.5555/xyz"},
        status=400,
    )
    assert "not a Funder Registry id" in bad.text
    client.post(
        f"/submissions/{submission_id}/funding",
        {
            "csrf_token": csrf(page),
            "funder_name": "National Natural Science Foundation of China",
            "funder_doi": "https://doi.org/10.13039/501100001809",
            "award_ids": "62077017, 62177016",
        },
        status=302,
    )

    # Review before upload: the missing manuscript is listed, the Submit button disabled.
    review = client.get(f"/submissions/{submission_id}")
    assert "No manuscript file." in review.text
    assert review.html.find("button", string="Submit").has_attr("disabled")

    # A text file named .docx is refused; the real DOCX is taken.
    bad = upload(client, submission_id, "manuscript", "paper.docx", b"just text", status=400)
    assert "not a real DOCX file" in bad.text
    upload(client, submission_id, "manuscript", "paper.docx", DOCX.read_bytes())
    files = client.get(f"/submissions/{submission_id}/files")
    link = files.html.find("a", string="paper.docx")["href"]
    download = client.get(link)
    assert download.body == DOCX.read_bytes()
    assert download.headers["Content-Disposition"].startswith("attachment;")

    review = client.get(f"/submissions/{submission_id}")
    assert "Everything needed is here." in review.text
    assert "National Natural Science Foundation of China" in review.text
    submit_form = next(f for f in review.forms.values() if "submit" in f.action)
    res = submit_form.submit()
    assert res.status_int == 302
    done = res.follow()
    assert "your submission is received" in done.text
    assert "Withdraw the submission" in done.text
    assert "Save draft" not in done.text

    with app_session(wsgi_app) as db:
        submission = db.get(Submission, submission_id)
        assert submission.state == SubmissionState.SUBMITTED
        assert submission.submitted_at is not None
        assert [c.family_name for c in submission.contributors] == ["Schmidt", "Zhang"]
        meta = submission_metadata(db, submission)
        assert validate_metadata(meta) == []
        assert meta["funding"][0]["funder_doi"] == "10.13039/501100001809"
        assert meta["trans_titles"][0]["title"] == "混合式大一课程中的学习分析"
        assert meta["contributors"][0]["credit_roles"] == ["Methodology", "Software"]
        assert meta["contributors"][1]["corresponding"] is True
        mails = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "submissions_received")
        ).all()
        assert len(mails) == 1
        assert mails[0].recipients == ["wei.zhang@example.edu.cn"]
        assert f"/submissions/{submission_id}" in mails[0].body_text
        assert "Learning analytics in blended first-year courses" in mails[0].subject
        actions = [
            e.action
            for e in db.scalars(select(AuditEvent).where(AuditEvent.submission_id == submission_id))
        ]
        assert actions == ["start", "submit"]

    # Read-only now: the details form sends the author to the view, uploads are refused.
    res = client.get(f"/submissions/{submission_id}/details")
    assert res.status_int == 302 and res.location.endswith(f"/submissions/{submission_id}")
    page = client.get(f"/submissions/{submission_id}")
    res = client.post(
        f"/submissions/{submission_id}/files",
        {"csrf_token": csrf(page), "kind": "figure"},
        upload_files=[("file", "fig.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)],
    )
    assert res.status_int == 302
    with app_session(wsgi_app) as db:
        count = len(
            db.scalars(
                select(ManuscriptFile).where(
                    ManuscriptFile.submission_id == submission_id,
                    ManuscriptFile.source_id.is_(None),  # not the reviewer copies
                )
            ).all()
        )
        assert count == 1

    # The list shows it as submitted.
    mine = client.get("/submissions")
    assert "Submitted" in mine.text and "Learning analytics" in mine.text

    # Withdraw needs the confirmation box, then goes through the workflow.
    page = client.get(f"/submissions/{submission_id}")
    res = client.post(f"/submissions/{submission_id}/withdraw", {"csrf_token": csrf(page)})
    assert "Tick the box" in res.follow().text
    res = client.post(
        f"/submissions/{submission_id}/withdraw",
        {"csrf_token": csrf(page), "confirm": "yes", "reason": "Sent elsewhere by mistake."},
    )
    assert "The submission is withdrawn." in res.follow().text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).state == SubmissionState.WITHDRAWN
        event = db.scalar(
            select(AuditEvent).where(
                AuditEvent.submission_id == submission_id, AuditEvent.action == "withdraw"
            )
        )
        assert event.detail == {"reason": "Sent elsewhere by mistake."}


def test_a_stale_save_is_refused_and_the_text_is_kept(author, wsgi_app):
    submission_id, _page = start(author)
    first_tab = author.get(f"/submissions/{submission_id}/details")
    second_tab = author.get(f"/submissions/{submission_id}/details")
    author.post(
        f"/submissions/{submission_id}/details",
        details_form(second_tab, title="Title from the second tab"),
        status=302,
    )
    res = author.post(
        f"/submissions/{submission_id}/details",
        details_form(first_tab, title="Title from the first tab"),
        status=409,
    )
    assert "changed elsewhere" in res.text
    assert res.html.find("input", {"name": "title"})["value"] == "Title from the first tab"
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).title == "Title from the second tab"
    # Saving the shown form again keeps the author's text (it carries the current version).
    again = author.post(f"/submissions/{submission_id}/details", details_form(res), status=302)
    assert again.location.endswith("/details")
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).title == "Title from the first tab"


def test_other_users_get_404_and_editors_see_only_submitted(author, wsgi_app):
    submission_id, _page = start(author)
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "other@example.org", journal=journal)
        make_user(db, "eic@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(other, "other@example.org")
    for path in ("", "/details", "/authors", "/files", "/funding"):
        other.get(f"/submissions/{submission_id}{path}", status=404)
    page = other.get("/submissions")
    other.post(
        f"/submissions/{submission_id}/withdraw",
        {"csrf_token": csrf(page), "confirm": "yes"},
        status=404,
    )
    editor = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(editor, "eic@example.org")
    editor.get(f"/submissions/{submission_id}", status=404)  # a draft is the author's own
    with app_session(wsgi_app) as db:
        db.get(Submission, submission_id).state = SubmissionState.SUBMITTED
    # Once submitted, the editor handling it is sent to its workspace.
    page = editor.get(f"/submissions/{submission_id}", status=302).follow()
    assert page.request.path == f"/editorial/submissions/{submission_id}"
    assert "Save draft" not in page.text
    editor.get(f"/submissions/{submission_id}/details", status=404)


def test_upload_refusals_are_specific(author, wsgi_app, app_settings):
    submission_id, _page = start(author)
    res = upload(author, submission_id, "manuscript", "paper.pdf", b"%PDF-1.7", status=400)
    assert "must be one of these file types" in res.text
    res = upload(author, submission_id, "figure", "figure.png", b"GIF89a....", status=400)
    assert "not a PNG file" in res.text
    res = upload(author, submission_id, "manuscript", "../../etc/paper.md", b"# Title\n\nText.")
    with app_session(wsgi_app) as db:
        rows = db.scalars(
            select(ManuscriptFile).where(ManuscriptFile.submission_id == submission_id)
        ).all()
        assert [(r.filename, r.kind) for r in rows] == [("paper.md", FileKind.MANUSCRIPT)]


def test_background_saves_answer_json_and_refuse_a_stale_version(author, wsgi_app):
    submission_id, page = start(author)
    values = details_form(page, title="Typed so far")
    json_headers = {"Accept": "application/json"}
    res = author.post(f"/submissions/{submission_id}/details", values, headers=json_headers)
    assert res.json["message"].startswith("Draft saved at")
    assert res.json["version"] == int(values["version"]) + 1
    # The same (now old) version again: refused, with the reason; the saved title stays.
    stale = author.post(
        f"/submissions/{submission_id}/details",
        {**values, "title": "Other"},
        headers=json_headers,
        status=409,
    )
    assert "changed elsewhere" in stale.json["message"]
    bad = author.post(
        f"/submissions/{submission_id}/details",
        {**values, "version": str(res.json["version"]), "language": "xx"},
        headers=json_headers,
        status=400,
    )
    assert "Not saved" in bad.json["message"]
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).title == "Typed so far"


def test_the_pages_speak_chinese(author):
    page = author.get("/")
    author.post("/language", {"language": "zh", "csrf_token": csrf(page), "next": "/"})
    submission_id, details = start(author)
    assert "保存草稿" in details.text and "中文标题" in details.text
    review = author.get(f"/submissions/{submission_id}")
    assert "缺少稿件文件。" in review.text
    assert "我的投稿" in author.get("/submissions").text


@pytest.fixture
def small_uploads(app_settings):
    app_settings["fde.submissions.max_upload_bytes"] = "1000"
    app_settings["fde.production.max_jats_bytes"] = "1000"
    return app_settings


def test_an_upload_over_the_limit_is_refused_with_its_reason(small_uploads, author, wsgi_app):
    submission_id, _page = start(author)
    # Over the setting: refused by the upload rule, nothing stored.
    res = upload(author, submission_id, "manuscript", "paper.md", b"# T\n" + b"x" * 2000, 400)
    assert "too large" in res.text
    # Far over it: refused before the body is even read (HTTP 413).
    page = author.get(f"/submissions/{submission_id}/files")
    res = author.post(
        f"/submissions/{submission_id}/files",
        {"csrf_token": csrf(page), "kind": "manuscript"},
        upload_files=[("file", "paper.md", b"# T\n" + b"x" * (2 * 1024 * 1024))],
        status=413,
    )
    assert "The file is too large" in res.text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).files == []


def test_a_form_refused_before_routing_shows_the_error_page_to_a_signed_in_user(author):
    """The navigation of the error page asks for permissions, which needs a context even
    when the request never reached a route (the form-size tween refuses it first)."""
    page = author.get("/submissions")
    res = author.post(
        "/submissions/new",
        {"csrf_token": csrf(page), "section_id": "x" * (1024 * 1024 + 10)},
        status=413,
    )
    assert "The form is too large" in res.text
    assert "My submissions" in res.text


def test_a_write_race_on_the_version_is_marked_for_retry(wsgi_app):
    """Two saves that both passed the version check: the loser's UPDATE finds no row of its
    version (StaleDataError) and the request is retried, where the check refuses it."""
    from pyramid_retry import IRetryableError
    from sqlalchemy.orm.exc import StaleDataError

    assert IRetryableError.implementedBy(StaleDataError)
