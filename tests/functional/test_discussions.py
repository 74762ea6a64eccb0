"""Discussions on a submission through the web, from each side: the author and the handling
editor, the editor and a reviewer, the editors' own notes; names hidden as the review mode
says (on the pages and in the emails); attachments as downloads; every id of another paper,
assignment or side answers 404; bad input is refused with its reason and nothing saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.discussions.models import DiscussionMessage, DiscussionThread
from frontiers_de.editorial import workflow
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ReviewMode
from tests.factories import app_session, make_journal, make_user
from tests.review_factories import DUE
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        chief = make_user(
            db,
            "chief@example.org",
            roles=[Role.EDITOR_IN_CHIEF],
            journal=journal,
            given_name="Chloe",
            family_name="Chief",
        )
        editor = make_user(
            db,
            "se@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=journal,
            given_name="Sam",
            family_name="Editor",
        )
        author = make_user(db, "author@example.org", given_name="Ada", family_name="Lovelace")
        rita = make_user(
            db,
            "rita@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Rita",
            family_name="Reviewer",
        )
        rex = make_user(
            db,
            "rex@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Rex",
            family_name="Pending",
        )
        make_user(db, "outsider@example.org")
        authors = [{"given_name": "Ada", "family_name": "Lovelace", "email": "author@example.org"}]
        paper = SubmissionFactory(
            db=db, journal=journal, submitter=author, title="Tutoring at scale", authors=authors
        )
        paper.review_mode = ReviewMode.DOUBLE_ANONYMOUS
        paper.handling_editor_id = editor.id
        other = SubmissionFactory(db=db, journal=journal, submitter=author, title="Other paper")
        workflow.apply(db, paper, "send_to_review", chief)
        workflow.apply(db, other, "send_to_review", chief)
        accepted = review.invite(db, paper, editor, reviewer_id=rita.id, due=DUE).assignment
        review.accept(db, accepted)
        pending = review.invite(db, paper, editor, reviewer_id=rex.id, due=DUE).assignment
        on_other = review.invite(db, other, editor, reviewer_id=rita.id, due=DUE).assignment
        review.accept(db, on_other)
        db.flush()
        return {
            "paper": paper.id,
            "other": other.id,
            "rita": accepted.id,
            "rex": pending.id,
            "rita_other": on_other.id,
            "chief": chief.id,
        }


def mails(wsgi_app, to: str) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        rows = db.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.template == "discussion_message")
            .order_by(OutboxEmail.id)
        )
        return [row for row in rows if to in row.recipients]


def thread_ids(wsgi_app) -> dict[str, int]:
    with app_session(wsgi_app) as db:
        return {t.subject: t.id for t in db.scalars(select(DiscussionThread))}


def message_count(wsgi_app) -> int:
    with app_session(wsgi_app) as db:
        return len(db.scalars(select(DiscussionMessage)).all())


def start(client, base: str, fields: dict, files=None, status: int = 302):
    page = client.get(base)
    return client.post(
        base, {"csrf_token": csrf(page), **fields}, upload_files=files or [], status=status
    )


def test_author_and_handling_editor_discuss_with_an_attachment(wsgi_app, world):
    sid = world["paper"]
    author = client_for(wsgi_app, "author@example.org")
    view = author.get(f"/submissions/{sid}")
    assert view.html.find("a", href=f"/submissions/{sid}/discussions") is not None
    res = start(
        author,
        f"/submissions/{sid}/discussions",
        {"subject": "Data availability", "body": "May we share the data <b>later</b>?"},
    ).follow()
    assert "May we share the data &lt;b&gt;later&lt;/b&gt;?" in res.text  # escaped
    tid = thread_ids(wsgi_app)["Data availability"]
    # The handling editor is told, with the editorial link; the author is not told of
    # their own message.
    (mail,) = mails(wsgi_app, "se@example.org")
    assert f"http://localhost/editorial/submissions/{sid}/discussions/{tid}" in mail.body_text
    assert "Ada Lovelace wrote" in mail.body_text and "share the data" in mail.body_text
    assert mails(wsgi_app, "author@example.org") == []

    editor = client_for(wsgi_app, "se@example.org")
    listing = editor.get(f"/editorial/submissions/{sid}/discussions")
    assert "1 unread" in listing.text and "Editors and authors" in listing.text
    review_page = editor.get(f"/editorial/submissions/{sid}/review")
    assert review_page.html.find("a", href=f"/editorial/submissions/{sid}/discussions")
    page = editor.get(f"/editorial/submissions/{sid}/discussions/{tid}")
    assert "Ada Lovelace" in page.text
    assert "1 unread" not in editor.get(f"/editorial/submissions/{sid}/discussions").text
    editor.post(
        f"/editorial/submissions/{sid}/discussions/{tid}",
        {"csrf_token": csrf(page), "body": "Yes: the form is attached."},
        upload_files=[("attachment", "form.pdf", PDF)],
    ).follow()
    (mail,) = mails(wsgi_app, "author@example.org")
    assert f"http://localhost/submissions/{sid}/discussions/{tid}" in mail.body_text
    assert "Sam Editor wrote" in mail.body_text and "form.pdf" in mail.body_text

    thread = author.get(f"/submissions/{sid}/discussions/{tid}")
    assert "Sam Editor" in thread.text  # the editor's name is shown to the author
    link = thread.html.find("a", string="form.pdf")["href"]
    download = author.get(link)
    assert download.body == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.content_type == "application/pdf"
    # The attachment under another paper's address, or another thread's: not there.
    aid = link.rsplit("/", 1)[1]
    author.get(f"/submissions/{world['other']}/discussions/{tid}/files/{aid}", status=404)


def test_editor_and_reviewer_discuss_without_the_authors_names(wsgi_app, world):
    sid, aid = world["paper"], world["rita"]
    editor = client_for(wsgi_app, "se@example.org")
    listing = editor.get(f"/editorial/submissions/{sid}/discussions")
    offered = [o["value"] for o in listing.html.find(id="assignment_id").find_all("option")]
    assert offered == [str(aid)]  # not the reviewer who has not answered
    start(
        editor,
        f"/editorial/submissions/{sid}/discussions",
        {"kind": "reviewer", "assignment_id": str(aid), "subject": "Scope", "body": "Is it ok?"},
    )
    tid = thread_ids(wsgi_app)["Scope"]
    (mail,) = mails(wsgi_app, "rita@example.org")
    assert f"http://localhost/reviews/{aid}/discussions/{tid}" in mail.body_text
    assert "Sam Editor wrote" in mail.body_text
    assert "Lovelace" not in mail.body_text + mail.subject  # double-anonymous

    rita = client_for(wsgi_app, "rita@example.org")
    assignment = rita.get(f"/reviews/{aid}")
    assert assignment.html.find("a", href=f"/reviews/{aid}/discussions") is not None
    page = rita.get(f"/reviews/{aid}/discussions/{tid}")
    assert "Sam Editor" in page.text and "Lovelace" not in page.text
    assert "Lovelace" not in rita.get(f"/reviews/{aid}/discussions").text
    rita.post(
        f"/reviews/{aid}/discussions/{tid}", {"csrf_token": csrf(page), "body": "It is."}
    ).follow()
    (mail,) = mails(wsgi_app, "se@example.org")
    assert "Rita Reviewer wrote" in mail.body_text
    assert "Rita Reviewer" in editor.get(f"/editorial/submissions/{sid}/discussions/{tid}")

    # The author never reaches the reviewer's thread, nor sees it listed.
    author = client_for(wsgi_app, "author@example.org")
    author.get(f"/submissions/{sid}/discussions/{tid}", status=404)
    listing = author.get(f"/submissions/{sid}/discussions")
    assert "Scope" not in listing.text and "Rita" not in listing.text
    # Nor the same reviewer from her assignment on another paper, nor another reviewer.
    rita.get(f"/reviews/{world['rita_other']}/discussions/{tid}", status=404)
    rex = client_for(wsgi_app, "rex@example.org")
    rex.get(f"/reviews/{world['rex']}/discussions", status=404)  # not accepted: no discussion
    rex.get(f"/reviews/{aid}/discussions/{tid}", status=404)


def test_a_reviewer_who_is_no_longer_reviewing_is_closed_out(wsgi_app, world):
    sid, aid = world["paper"], world["rita"]
    editor = client_for(wsgi_app, "se@example.org")
    start(
        editor,
        f"/editorial/submissions/{sid}/discussions",
        {"kind": "reviewer", "assignment_id": str(aid), "subject": "Due", "body": "When?"},
    )
    tid = thread_ids(wsgi_app)["Due"]
    with app_session(wsgi_app) as db:
        from frontiers_de.accounts.models import User
        from frontiers_de.review.models import ReviewAssignment
        from frontiers_de.submissions.models import Submission

        chief = db.get(User, world["chief"])
        review.cancel(db, db.get(Submission, sid), db.get(ReviewAssignment, aid), chief)
    rita = client_for(wsgi_app, "rita@example.org")
    rita.get(f"/reviews/{aid}/discussions/{tid}", status=404)
    page = editor.get(f"/editorial/submissions/{sid}/discussions/{tid}")
    assert "the discussion is closed" in page.text and page.html.find(id="reply") is None
    before = message_count(wsgi_app)
    editor.post(
        f"/editorial/submissions/{sid}/discussions/{tid}",
        {"csrf_token": csrf(page), "body": "Still there?"},
        status=404,
    )
    assert message_count(wsgi_app) == before


def test_editors_notes_reach_neither_author_nor_reviewer(wsgi_app, world):
    sid = world["paper"]
    editor = client_for(wsgi_app, "se@example.org")
    start(
        editor,
        f"/editorial/submissions/{sid}/discussions",
        {"kind": "editors", "subject": "Conflict?", "body": "Chloe, a look please."},
    )
    tid = thread_ids(wsgi_app)["Conflict?"]
    # Nobody else follows the thread: the editor-in-chief is told.
    assert len(mails(wsgi_app, "chief@example.org")) == 1
    client_for(wsgi_app, "author@example.org").get(
        f"/submissions/{sid}/discussions/{tid}", status=404
    )
    client_for(wsgi_app, "rita@example.org").get(
        f"/reviews/{world['rita']}/discussions/{tid}", status=404
    )
    chief = client_for(wsgi_app, "chief@example.org")
    assert "Chloe, a look please." in chief.get(f"/editorial/submissions/{sid}/discussions/{tid}")


def test_who_may_open_each_side(wsgi_app, world):
    sid = world["paper"]
    outsider = client_for(wsgi_app, "outsider@example.org")
    outsider.get(f"/submissions/{sid}/discussions", status=404)
    outsider.get(f"/reviews/{world['rita']}/discussions", status=404)
    outsider.get(f"/editorial/submissions/{sid}/discussions", status=403)
    # The paper's reviewer holds no editing right; an editor's own author page is not theirs.
    client_for(wsgi_app, "rita@example.org").get(f"/submissions/{sid}/discussions", status=404)
    client_for(wsgi_app, "se@example.org").get(f"/submissions/{sid}/discussions", status=404)
    client_for(wsgi_app, "author@example.org").get(
        f"/editorial/submissions/{sid}/discussions",
        status=404,  # the paper's own people: 404
    )
    client_for(wsgi_app, "rita@example.org").get(f"/reviews/{world['rita']}/discussions")


def test_bad_input_is_refused_and_nothing_is_saved(wsgi_app, world, app_settings):
    sid = world["paper"]
    base = f"/editorial/submissions/{sid}/discussions"
    editor = client_for(wsgi_app, "se@example.org")
    cases = [
        ({"kind": "authors", "subject": "Hello", "body": "   "}, None, "Write a message."),
        ({"kind": "authors", "subject": "", "body": "Hi"}, None, "Give the discussion a subject."),
        ({"kind": "authors", "subject": "Hi", "body": "x" * 20001}, None, "too long"),
        ({"kind": "nobody", "subject": "Hi", "body": "Hi"}, None, "Choose whom"),
        (
            {"kind": "reviewer", "assignment_id": str(world["rex"]), "subject": "Hi", "body": "Hi"},
            None,
            "who has accepted",
        ),
        (
            {"kind": "reviewer", "assignment_id": str(world["rita_other"]), "subject": "Hi"},
            None,
            "who has accepted",
        ),
        (
            {"kind": "authors", "subject": "Hi", "body": "Hi"},
            [("attachment", "page.html", b"<script>alert(1)</script>")],
            "cannot be attached",
        ),
        (
            {"kind": "authors", "subject": "Hi", "body": "Hi"},
            [("attachment", "logo.svg", b"<svg onload='alert(1)'/>")],
            "cannot be attached",
        ),
        (
            {"kind": "authors", "subject": "Hi", "body": "Hi"},
            [("attachment", "fake.pdf", b"<html>not a pdf</html>")],
            "is not a PDF file",
        ),
    ]
    for fields, files, reason in cases:
        res = start(editor, base, {"body": "Hi", **fields}, files, status=400)
        assert reason in res.text, (fields, res.text[:200])
        if fields.get("subject"):
            assert res.html.find(id="subject")["value"] == fields["subject"]  # kept
    # CSRF missing: refused.
    editor.post(base, {"kind": "authors", "subject": "Hi", "body": "Hi"}, status=400)
    assert message_count(wsgi_app) == 0 and thread_ids(wsgi_app) == {}
    assert mails(wsgi_app, "author@example.org") == []


@pytest.fixture
def small_uploads(app_settings):
    app_settings["fde.submissions.max_upload_bytes"] = "1000"
    return app_settings


def test_an_attachment_over_the_limit_is_refused(small_uploads, wsgi_app, world):
    sid = world["paper"]
    author = client_for(wsgi_app, "author@example.org")
    res = start(
        author,
        f"/submissions/{sid}/discussions",
        {"subject": "Big", "body": "See the file."},
        [("attachment", "big.txt", b"x" * 2000)],
        status=400,
    )
    assert "big.txt is too large" in res.text
    assert message_count(wsgi_app) == 0


def test_posting_into_another_papers_thread_is_404(wsgi_app, world):
    sid, other = world["paper"], world["other"]
    author = client_for(wsgi_app, "author@example.org")
    start(author, f"/submissions/{sid}/discussions", {"subject": "Mine", "body": "Hello"})
    tid = thread_ids(wsgi_app)["Mine"]
    page = author.get(f"/submissions/{sid}/discussions/{tid}")
    # The same thread id under the author's other paper, and under the editorial side of it.
    author.post(
        f"/submissions/{other}/discussions/{tid}",
        {"csrf_token": csrf(page), "body": "Sneaky"},
        status=404,
    )
    editor = client_for(wsgi_app, "se@example.org")
    editor.get(f"/editorial/submissions/{other}/discussions/{tid}", status=404)
    rita = client_for(wsgi_app, "rita@example.org")
    rita.get(f"/reviews/{world['rita']}/discussions/{tid}", status=404)  # not a reviewer thread
    assert message_count(wsgi_app) == 1


def test_chinese_pages_and_email(wsgi_app, world):
    sid = world["paper"]
    with app_session(wsgi_app) as db:
        from frontiers_de.accounts.models import User

        db.scalar(select(User).where(User.email == "author@example.org")).preferred_language = "zh"
    editor = client_for(wsgi_app, "se@example.org")
    start(
        editor,
        f"/editorial/submissions/{sid}/discussions",
        {"kind": "authors", "subject": "Figures", "body": "Please send figure 2 again."},
    )
    (mail,) = mails(wsgi_app, "author@example.org")
    assert "的讨论“Figures”中写道" in mail.body_text and mail.subject.startswith("投稿")
    author = client_for(wsgi_app, "author@example.org")
    page = author.get(f"/submissions/{sid}/discussions")
    assert "讨论" in page.text and "开始讨论" in page.text


def test_the_panel_lists_what_the_viewer_may_see(wsgi_app, world):
    """The macro another page (the editor's workspace) includes: the editor's threads, with
    the unread count and the links to each."""
    from pyramid.renderers import render
    from pyramid.request import Request
    from pyramid.scripting import prepare

    from frontiers_de.accounts.models import User
    from frontiers_de.submissions.models import Submission

    sid = world["paper"]
    author = client_for(wsgi_app, "author@example.org")
    start(author, f"/submissions/{sid}/discussions", {"subject": "Ethics", "body": "A question."})
    tid = thread_ids(wsgi_app)["Ethics"]
    request = Request.blank("/", base_url="http://localhost")
    request.registry = wsgi_app.registry
    env = prepare(request=request, registry=wsgi_app.registry)
    try:
        with request.tm:
            html = {}
            for who in ("se", "rita"):
                request.user = request.db.scalar(
                    select(User).where(User.email == f"{who}@example.org")
                )
                html[who] = render(
                    "tests:fixtures/templates/discussions_panel.html",
                    {"submission": request.db.get(Submission, sid)},
                    request=request,
                )
    finally:
        env["closer"]()
    assert f'href="/editorial/submissions/{sid}/discussions/{tid}"' in html["se"]
    assert "Ethics" in html["se"] and "1 unread" in html["se"]
    assert "Start a discussion" in html["se"]
    assert "Ethics" not in html["rita"] and "No discussions yet." in html["rita"]
