"""The author's side of issue 12 through the web: a draft's upload made by mistake is deleted
before submitting (never once submitted); when a revision is requested the author's page
opens with an "action needed" banner holding the decision and the revision form, the author
corrects the title, keywords, authors and funding on the draft's forms, resubmits, and the
editor sees what changed. The new route answers 404 to everyone but the submitter."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, DecisionKind
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission, SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_submissions import DOCX, details_form, fill_details, start, upload
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
LETTER = "Dear authors, the reviewers ask for a clearer account of the sampling."
AUTHOR = "wei.zhang@example.edu.cn"


@pytest.fixture
def author(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(
            db,
            AUTHOR,
            journal=journal,
            given_name="Wei",
            family_name="Zhang",
            affiliation="East China Normal University",
            country="CN",
        )
    sign_in(testapp, AUTHOR)
    return testapp


def _delete_form(page, filename: str):
    return next(
        f
        for f in page.forms.values()
        if f.action.endswith("/delete") and filename in str(page.html.find("form", action=f.action))
    )


def test_upload_a_wrong_file_delete_it_then_submit(author, wsgi_app):
    sid, _page = start(author)
    fill_details(author, sid)
    upload(author, sid, "manuscript", "paper.docx", DOCX.read_bytes())
    upload(author, sid, "figure", "holiday-photo.png", PNG)
    page = author.get(f"/submissions/{sid}/files")
    assert "holiday-photo.png" in page.text
    assert "can be deleted until you submit" in page.text
    res = _delete_form(page, "holiday-photo.png").submit(status=302)
    assert res.location.endswith(f"/submissions/{sid}/files")
    page = res.follow()
    assert "holiday-photo.png is deleted." in page.text
    assert page.html.find("a", string="holiday-photo.png") is None
    assert page.html.find("a", string="paper.docx") is not None

    # Without the CSRF token nothing is deleted.
    with app_session(wsgi_app) as db:
        manuscript_id = db.query(ManuscriptFile).filter_by(submission_id=sid).one().id
    author.post(f"/submissions/{sid}/files/{manuscript_id}/delete", {}, status=400)

    review = author.get(f"/submissions/{sid}")
    assert "Everything needed is here." in review.text
    next(f for f in review.forms.values() if f.action.endswith("/submit")).submit(status=302)

    # Submitted: the file stays, with a clear answer; the files page offers no delete.
    res = author.post(
        f"/submissions/{sid}/files/{manuscript_id}/delete",
        {"csrf_token": csrf(author.get(f"/submissions/{sid}"))},
        status=409,
    )
    assert "cannot be deleted" in res.text and "record of what was submitted" in res.text
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, sid)
        assert submission.state == SubmissionState.SUBMITTED
        assert [f.filename for f in submission.files if f.kind == FileKind.MANUSCRIPT] == [
            "paper.docx"
        ]
    page = author.get(f"/submissions/{sid}")
    assert not any(f.action.endswith("/delete") for f in page.forms.values())


def _revision_world(wsgi_app, app_settings) -> dict[str, int]:
    """A paper sent back for a major revision; its editor, another author, a reviewer."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, AUTHOR, journal=journal, given_name="Wei", family_name="Zhang")
        editor = make_user(db, "eic@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        make_user(db, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
        make_user(db, "other.author@example.org", journal=journal)
        s = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            title="Learning analytics in blended courses",
            abstract="We followed 412 students.",
            keywords=["learning analytics"],
            state=SubmissionState.SUBMITTED,
            authors=[{"given_name": "Wei", "family_name": "Zhang", "email": AUTHOR}],
            uploads=[{"filename": "paper.md", "data": b"# Paper\n\nText.", "storage": storage}],
        )
        workflow.apply(db, s, "send_to_review", editor)
        workflow.apply(db, s, "decide", editor, decision=DecisionKind.MAJOR_REVISION, letter=LETTER)
        return {"sid": s.id, "file": s.files[0].id}


def test_revision_banner_metadata_corrections_resubmit_and_the_editor_sees_them(
    testapp, wsgi_app, app_settings
):
    ids = _revision_world(wsgi_app, app_settings)
    sid = ids["sid"]
    sign_in(testapp, AUTHOR)
    page = testapp.get(f"/submissions/{sid}")
    # The banner comes first, before the summary, with the decision, its letter and the form.
    banner = page.html.find("section", class_="action-needed")
    assert banner is not None
    main_sections = page.html.find_all("section")
    assert main_sections[0] is banner
    assert "Action needed" in banner.text and "Major revision" in banner.text
    assert LETTER in banner.text
    assert banner.find("form", action=f"/submissions/{sid}/revise") is not None
    assert len([f for f in page.forms.values() if f.action.endswith("/revise")]) == 1

    # The details form, in revision: no article type or cover letter, no autosave.
    page = testapp.get(f"/submissions/{sid}/details")
    assert page.html.find("select", {"name": "section_id"}) is None
    assert page.html.find("form", attrs={"data-autosave": True}) is None
    assert "A revision is requested" in page.text
    values = details_form(
        page, title="Learning analytics in blended courses, corrected", keywords="sampling"
    )
    res = testapp.post(f"/submissions/{sid}/details", {**values, "next": "authors"}, status=302)
    assert res.location.endswith(f"/submissions/{sid}/authors")
    # The same checks as in a draft.
    bad = details_form(testapp.get(f"/submissions/{sid}/details"), keywords="x" * 120)
    testapp.post(f"/submissions/{sid}/details", {**bad, "next": "details"}, status=400)

    page = testapp.get(f"/submissions/{sid}/authors")
    testapp.post(
        f"/submissions/{sid}/authors",
        {"csrf_token": csrf(page), "given_name": "Anna", "family_name": "Schmidt"},
        status=302,
    )
    page = testapp.get(f"/submissions/{sid}/funding")
    assert "Back to the revision" in page.text and "Next: files" not in page.text
    testapp.post(
        f"/submissions/{sid}/funding",
        {"csrf_token": csrf(page), "funder_name": "NSFC", "award_ids": "62077017"},
        status=302,
    )
    # The files of a revision come with the revision, not through the draft's files page.
    testapp.get(f"/submissions/{sid}/files", status=302)

    page = testapp.get(f"/submissions/{sid}")
    banner = page.html.find("section", class_="action-needed")
    assert "Corrected so far: Title, Keywords, Authors, Funding" in " ".join(banner.text.split())
    revise = next(f for f in page.forms.values() if f.action.endswith("/revise"))
    revise["manuscript"] = ("revised.md", b"# Revised\n\nThe sampling is described.")
    revise["response"] = ("response.txt", b"1. We describe the sampling in 2.1.")
    done = revise.submit().follow()
    assert "your revision is submitted" in done.text
    assert done.html.find("section", class_="action-needed") is None

    # After the resubmission the metadata is closed again.
    page = testapp.get(f"/submissions/{sid}/details", status=302)
    with app_session(wsgi_app) as db:
        event = (
            db.query(AuditEvent)
            .filter_by(submission_id=sid, action="resubmit")
            .order_by(AuditEvent.id.desc())
            .first()
        )
        assert event.detail == {"changed": ["title", "keywords", "authors", "funding"]}
        submission = db.get(Submission, sid)
        assert submission.title == "Learning analytics in blended courses, corrected"
        assert [c.family_name for c in submission.contributors] == ["Zhang", "Schmidt"]

    # The editor is told what changed, and sees it in the history of the paper.
    with app_session(wsgi_app) as db:
        mail = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "editorial_revision_received")
        ).one()
        assert mail.recipients == ["eic@example.org"]
        assert "corrected the metadata: title, keywords, authors, funding." in mail.body_text

    editor = client_for(wsgi_app, "eic@example.org")
    # The editor opening the author's page is sent to the paper's workspace.
    workspace = editor.get(f"/submissions/{sid}", status=302).follow()
    history = workspace.html.find("section", attrs={"aria-labelledby": "history-heading"})
    text = " ".join(history.text.split())
    assert "Metadata corrected: Title, Keywords" in text
    assert "Revision submitted: metadata changed: Title, Keywords, Authors, Funding" in text


@pytest.mark.parametrize(
    "email", ["other.author@example.org", "eic@example.org", "rev@example.org"]
)
def test_no_one_but_the_submitter_deletes_a_file_or_corrects_a_revision(
    wsgi_app, app_settings, email
):
    ids = _revision_world(wsgi_app, app_settings)
    sid = ids["sid"]
    client = client_for(wsgi_app, email)
    token = csrf(client.get("/account"))
    client.post(f"/submissions/{sid}/files/{ids['file']}/delete", {"csrf_token": token}, status=404)
    for path in ("/details", "/authors", "/funding"):
        client.get(f"/submissions/{sid}{path}", status=404)
        client.post(f"/submissions/{sid}{path}", {"csrf_token": token}, status=404)
    if email == "eic@example.org":  # the editor works from the workspace, with no banner
        page = client.get(f"/submissions/{sid}", status=302).follow()
        assert page.request.path == f"/editorial/submissions/{sid}"
        assert page.html.find("section", class_="action-needed") is None
    with app_session(wsgi_app) as db:
        assert db.get(ManuscriptFile, ids["file"]) is not None


def test_a_drafts_file_is_deleted_by_no_one_else(author, wsgi_app):
    sid, _page = start(author)
    upload(author, sid, "figure", "fig.png", PNG)
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        file_id = db.query(ManuscriptFile).filter_by(submission_id=sid).one().id
        make_user(db, "eic@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    for email in ("eic@example.org",):
        other = client_for(wsgi_app, email)
        token = csrf(other.get("/account"))
        other.post(f"/submissions/{sid}/files/{file_id}/delete", {"csrf_token": token}, status=404)
    # An id that is not of this submission, or not there: 404 for the submitter too.
    page = author.get(f"/submissions/{sid}/files")
    author.post(f"/submissions/{sid}/files/999999/delete", {"csrf_token": csrf(page)}, status=404)


def test_the_banner_speaks_chinese(testapp, wsgi_app, app_settings):
    ids = _revision_world(wsgi_app, app_settings)
    sign_in(testapp, AUTHOR)
    home = testapp.get("/")
    testapp.post("/language", {"language": "zh", "csrf_token": csrf(home), "next": "/"})
    page = testapp.get(f"/submissions/{ids['sid']}")
    banner = page.html.find("section", class_="action-needed")
    assert "需要您处理" in banner.text and "阅读决定信" in banner.text
    assert "标题、摘要和关键词" in banner.text
