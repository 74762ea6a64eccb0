"""Peer review through the web: the editor invites reviewers (an existing one, a new one by
name and address), the invitations are emailed with their links, one reviewer accepts and
writes a draft then submits, the other declines with a suggestion; the editor reads
everything. Reviewers see only their own assignments; in double-anonymous review no page,
file name or email a reviewer gets names the authors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from frontiers_de.editorial import workflow
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ReviewMode, Submission, SubmissionState
from frontiers_de.submissions.services import make_reviewer_copies
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

AUTHOR_NAMES = ("Meiling", "Zhou", "周美玲", "Rafael", "Okonkwo")
DOCX_NAME = "Zhou_Okonkwo_blended_learning.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TO_AUTHOR = "The sampling of the second cohort needs a clearer account."
CONFIDENTIAL = "I suspect part of the data was published before; please check."
DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()


def docx_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document>Blended learning</document>")
    return buf.getvalue()


def arrange(wsgi_app, app_settings, mode: ReviewMode = ReviewMode.SINGLE_ANONYMOUS) -> int:
    """A paper under review with two named authors and a manuscript whose file name names
    them; a section editor, two reviewers of the journal."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(
            db, "meiling.zhou@example.edu.cn", given_name="Meiling", family_name="Zhou"
        )
        editor = make_user(
            db,
            "editor@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=journal,
            given_name="Erin",
            family_name="Editor",
        )
        for email, given, family in (
            ("rev1@example.org", "Riya", "Reviewer"),
            ("rev2@example.org", "Sam", "Second"),
        ):
            make_user(
                db,
                email,
                roles=[Role.REVIEWER],
                journal=journal,
                given_name=given,
                family_name=family,
            )
        data = docx_bytes()
        s = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            title="Blended learning in first-year mathematics",
            abstract="We followed 400 students through two semesters.",
            keywords=["blended learning"],
            state=SubmissionState.SUBMITTED,
            review_mode=mode,
            authors=[
                {
                    "given_name": "Meiling",
                    "family_name": "Zhou",
                    "native_name": "周美玲",
                    "native_name_lang": "zh",
                    "email": "meiling.zhou@example.edu.cn",
                    "is_corresponding": True,
                },
                {
                    "given_name": "Rafael",
                    "family_name": "Okonkwo",
                    "email": "r.okonkwo@example.org",
                },
            ],
            uploads=[
                {
                    "filename": DOCX_NAME,
                    "media_type": DOCX_TYPE,
                    "data": data,
                    "storage": storage,
                },
                {
                    "kind": FileKind.COVER_LETTER,
                    "filename": "letter-from-zhou.txt",
                    "media_type": "text/plain",
                    "data": b"Dear!",
                    "storage": storage,
                },
            ],
        )
        # What submitting through the app does: the reviewer copies of the files.
        make_reviewer_copies(db, storage, s)
        workflow.apply(db, s, "send_to_review", editor)
        return s.id


def invite(editor, sid: int, status: int = 302, **fields: str):
    page = editor.get(f"/editorial/submissions/{sid}/review")
    return editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "due": DUE, **fields},
        status=status,
    )


def reviewer_id(wsgi_app, email: str) -> int:
    from frontiers_de.accounts.models import User

    with app_session(wsgi_app) as db:
        return db.scalar(select(User.id).where(User.email == email))


def outbox(wsgi_app, template: str | None = None) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        rows = db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
        db.expunge_all()
    return [r for r in rows if template is None or r.template == template]


def links(mail: OutboxEmail) -> tuple[str, str]:
    accept = re.search(r"http://localhost(/review/invitations/\S+\?answer=accept)", mail.body_text)
    decline = re.search(
        r"http://localhost(/review/invitations/\S+\?answer=decline)", mail.body_text
    )
    assert accept and decline, mail.body_text
    return accept.group(1), decline.group(1)


def run_first_round(wsgi_app, app_settings, mode=ReviewMode.SINGLE_ANONYMOUS):
    """Invite two, one accepts and reviews, one (new) declines. Returns what later steps
    need and every page and email the reviewers got."""
    sid = arrange(wsgi_app, app_settings, mode)
    seen: list[str] = []
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert "Round 1" in page.text and "No reviewer is invited" in page.text
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev1@example.org")))
    res = invite(editor, sid, name="Nora Newcomer", email="nora@example.net").follow()
    assert "Nora Newcomer is invited" in res.text
    assert "address not confirmed" in res.text

    mails = outbox(wsgi_app, "review_invitation")
    assert [m.recipients for m in mails] == [["rev1@example.org"], ["nora@example.net"]]
    seen += [m.subject + m.body_text + m.body_html for m in mails]
    assert f"by {DUE}" in mails[0].body_text

    # Riya opens the Accept link (the GET changes nothing), then accepts.
    anonymous = client_for(wsgi_app)
    accept_link, _decline = links(mails[0])
    page = anonymous.get(accept_link)
    seen.append(page.text)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    with app_session(wsgi_app) as db:
        assert db.scalars(select(ReviewAssignment.state)).all() == [AssignmentState.INVITED] * 2
    res = anonymous.post(accept_link.split("?")[0], {"csrf_token": csrf(page), "action": "accept"})
    seen.append(res.text)
    assert "You have agreed to review" in res.text
    # The link is used now.
    again = anonymous.get(accept_link, status=410)
    assert "already been answered" in again.text

    # Nora declines with a reason and a suggestion; the editor is told.
    _accept, decline_link = links(mails[1])
    page = anonymous.get(decline_link)
    seen.append(page.text)
    res = anonymous.post(
        decline_link.split("?")[0],
        {
            "csrf_token": csrf(page),
            "action": "decline",
            "reason": "On leave until March.",
            "suggestion": "Dr Ng, ng@example.org, works on blended learning",
        },
    )
    seen.append(res.text)
    assert "You have declined" in res.text
    answered = outbox(wsgi_app, "review_answered")
    assert [m.recipients for m in answered] == [["editor@example.org"]] * 2
    assert "Dr Ng, ng@example.org" in answered[1].body_text

    # Riya signs in: My reviews, the assignment, the manuscript.
    riya = client_for(wsgi_app, "rev1@example.org")
    mine = riya.get("/reviews")
    seen.append(mine.text)
    link = mine.html.find("a", href=re.compile(r"^/reviews/\d+$"))["href"]
    page = riya.get(link)
    seen.append(page.text)
    file_link = page.html.find("a", href=re.compile(r"/files/\d+$"))
    download = riya.get(file_link["href"])
    seen.append(download.headers["Content-Disposition"])
    assert download.body.startswith(b"PK") and b"word/document.xml" in download.body
    assert "letter-from-zhou" not in page.text  # the cover letter is for the editors

    # A draft first (not yet complete), then the submission.
    form = page.forms[len(page.forms) - 1]
    form["comments_to_author"] = "Half done"
    res = form.submit("action", value="save").follow()
    seen.append(res.text)
    assert "Your draft is saved" in res.text
    form = res.forms[len(res.forms) - 1]
    assert form["comments_to_author"].value == "Half done"
    form["recommendation"] = "major_revision"
    for key, value in (("originality", "4"), ("rigour", "2"), ("clarity", "3"), ("relevance", "5")):
        form[f"score_{key}"] = value
    form["comments_to_author"] = TO_AUTHOR
    form["comments_to_editor"] = CONFIDENTIAL
    form["attachment"] = ("annotated.txt", b"p. 4: which cohort?")
    res = form.submit("action", value="submit", status=400)  # not confirmed
    assert "Tick the box to confirm" in res.text
    assert TO_AUTHOR in res.text  # what was typed is kept
    form = res.forms[len(res.forms) - 1]
    form["confirm"] = True
    form["attachment"] = ("annotated.txt", b"p. 4: which cohort?")
    res = form.submit("action", value="submit").follow()
    seen.append(res.text)
    assert "your review is submitted" in res.text
    assert res.html.find("textarea") is None  # read-only now
    # A second submission (an old form posted again) is refused and changes nothing.
    res = riya.post(
        link,
        {"csrf_token": csrf(res), "action": "submit", "confirm": "yes", "recommendation": "accept"},
        status=400,
    )
    assert "can no longer be changed" in res.text
    submitted = outbox(wsgi_app, "review_submitted")
    assert [m.recipients for m in submitted] == [["editor@example.org"]]
    assert "major revision" in submitted[0].body_text
    assert CONFIDENTIAL not in submitted[0].body_text
    return sid, editor, riya, seen, link


def test_invite_accept_decline_and_review(wsgi_app, app_settings):
    sid, editor, riya, _seen, link = run_first_round(wsgi_app, app_settings)

    # The editor reads everything: states, the reason and suggestion, the review with the
    # confidential comments, the attachment.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert "Review submitted" in page.text and "Declined" in page.text
    assert "On leave until March." in page.text and "Dr Ng" in page.text
    assert TO_AUTHOR in page.text and CONFIDENTIAL in page.text
    attachment = page.html.find("a", string="annotated.txt")
    assert editor.get(attachment["href"]).body == b"p. 4: which cohort?"

    # Another reviewer, an editor and the author get 404 on Riya's assignment and files.
    for email in ("rev2@example.org", "editor@example.org", "meiling.zhou@example.edu.cn"):
        other = client_for(wsgi_app, email)
        other.get(link, status=404)
        other.get(link + "/files/1", status=404)
        assert "Blended learning" not in other.get("/reviews").text
    # For the paper's reviewers and authors the editor's page does not exist (404, as for
    # an id that is not there), though they hold no editor's role.
    riya.get(f"/editorial/submissions/{sid}/review", status=404)
    client_for(wsgi_app, "meiling.zhou@example.edu.cn").get(
        f"/editorial/submissions/{sid}/review", status=404
    )


def test_refusals_on_the_invitation_form_keep_the_page(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    rid = str(reviewer_id(wsgi_app, "rev1@example.org"))
    invite(editor, sid, reviewer_id=rid)
    res = invite(editor, sid, status=400, reviewer_id=rid)
    assert "is already invited to this round" in res.text
    res = invite(editor, sid, status=400, name="Meiling Zhou", email="meiling.zhou@example.edu.cn")
    assert "An author of the paper cannot review it" in res.text
    res = invite(
        editor, sid, status=400, name="Someone", email="someone@example.org", due="2001-01-01"
    )
    assert "The due date must be after today" in res.text
    assert res.html.find("input", {"name": "email"})["value"] == "someone@example.org"
    assert len(outbox(wsgi_app, "review_invitation")) == 1


def test_double_anonymous_review_never_names_the_authors_to_reviewers(wsgi_app, app_settings):
    sid, _editor, _riya, seen, _link = run_first_round(
        wsgi_app, app_settings, ReviewMode.DOUBLE_ANONYMOUS
    )
    leaks = [(name, text[:200]) for text in seen for name in AUTHOR_NAMES if name in text]
    assert not leaks, leaks
    assert any(f"submission-{sid}-manuscript-1.docx" in text for text in seen)
    # Every email to a reviewer, too.
    for mail in outbox(wsgi_app):
        if mail.recipients[0] in ("rev1@example.org", "nora@example.net"):
            for name in AUTHOR_NAMES:
                assert name not in mail.subject + mail.body_text + mail.body_html


def test_single_anonymous_reviewers_see_the_authors_but_not_each_other(wsgi_app, app_settings):
    sid, editor, riya, _seen, link = run_first_round(wsgi_app, app_settings)
    page = riya.get(link)
    assert "Meiling Zhou" in page.text and DOCX_NAME in page.text
    # Sam is invited too: neither sees the other.
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev2@example.org")))
    sam = client_for(wsgi_app, "rev2@example.org")
    sam_page = sam.get(
        sam.get("/reviews").html.find("a", href=re.compile(r"^/reviews/\d+$"))["href"]
    )
    assert "Riya" not in sam_page.text and "Nora" not in sam_page.text
    assert "Sam" not in riya.get(link).text and "Nora" not in riya.get(link).text
    assert TO_AUTHOR not in sam_page.text


def test_a_signed_in_reviewer_answers_from_my_reviews_and_an_expired_link_is_refused(
    wsgi_app, app_settings
):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev2@example.org")))
    sam = client_for(wsgi_app, "rev2@example.org")
    page = sam.get(sam.get("/reviews").html.find("a", href=re.compile(r"^/reviews/\d+$"))["href"])
    assert "The files open once you accept" in page.text
    assert page.html.find("a", href=re.compile(r"/files/\d+$")) is None
    answer = next(f for f in page.forms.values() if f.action.endswith("/answer"))
    res = answer.submit("action", value="accept").follow()
    assert "Thank you for agreeing to review" in res.text
    assert res.html.find("a", href=re.compile(r"/files/\d+$")) is not None
    # The emailed link is used now.
    accept_link, _ = links(outbox(wsgi_app, "review_invitation")[0])
    client_for(wsgi_app).get(accept_link, status=410)
    # A link past its days: 410 with the reason.
    with app_session(wsgi_app) as db:
        a = db.scalars(select(ReviewAssignment)).one()
        a.state = AssignmentState.INVITED
        a.invited_at = a.invited_at - dt.timedelta(days=30)
    res = client_for(wsgi_app).get(accept_link, status=410)
    assert "This invitation has expired" in res.text
    assert "<h1>Invitation link not usable</h1>" in res.text
    assert res.headers["Referrer-Policy"] == "no-referrer"
    client_for(wsgi_app).get("/review/invitations/forged-token", status=404)


@pytest.mark.parametrize("lang", ["zh"])
def test_the_invitation_speaks_the_reviewers_language(wsgi_app, app_settings, lang):
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        from frontiers_de.accounts.models import User

        db.scalar(select(User).where(User.email == "rev1@example.org")).preferred_language = lang
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev1@example.org")))
    mail = outbox(wsgi_app, "review_invitation")[0]
    assert "审稿邀请" in mail.subject and "接受邀请" in mail.body_text
    riya = client_for(wsgi_app, "rev1@example.org")
    assert "我的审稿" in riya.get("/reviews").text


def test_decide_revise_and_a_second_round(wsgi_app, app_settings):
    sid, editor, riya, _seen, _link = run_first_round(wsgi_app, app_settings)
    # The letter of the decision opens pre-filled from the journal's template.
    page = editor.get(f"/editorial/submissions/{sid}/review?decision=major_revision")
    decide = next(f for f in page.forms.values() if f.action.endswith("/decide"))
    prefilled = decide["message"].value
    assert "major revision" in prefilled and TO_AUTHOR in prefilled
    # A letter that is too short: refused, what was typed kept, nothing changes.
    decide["message"] = "Revise."
    res = decide.submit(status=400)
    assert "Write the text of the email" in res.text
    assert res.html.find("textarea", {"name": "message"}).text == "Revise."
    decide = next(f for f in res.forms.values() if f.action.endswith("/decide"))
    decide["decision"] = "major_revision"
    decide["message"] = prefilled.replace(
        "The editor's letter:", "The reviewers ask for a clearer account of the sampling."
    )
    res = decide.submit().follow()
    assert "The decision is recorded" in res.text
    # The round is closed: no more invitations, no second decision.
    assert not any(f.action.endswith("/decide") for f in res.forms.values())
    assert not any(f.action.endswith("/invite") for f in res.forms.values())

    letter = outbox(wsgi_app, "editorial_decision")[0]
    assert letter.recipients == ["meiling.zhou@example.edu.cn"]
    assert "major revision" in letter.body_text
    assert TO_AUTHOR in letter.body_text
    assert CONFIDENTIAL not in letter.body_text
    for name in ("Riya", "Reviewer@", "rev1@", "Nora", "Newcomer"):
        assert name not in letter.body_text
    # Riya, who reviewed, hears the decision with a link to her review (the journal shares
    # no other reviews by default, and there are none); the confidential comments stay out.
    (told,) = outbox(wsgi_app, "editorial_decision_reviewers")
    assert "major revision" in told.body_text and "/reviews/" in told.body_text
    assert CONFIDENTIAL not in told.body_text and "Meiling" not in told.body_text
    assert len(told.recipients) == 1 and told.recipients != letter.recipients

    # The author reads the decision (never the confidential comments, never who reviewed)
    # and uploads the revision.
    author = client_for(wsgi_app, "meiling.zhou@example.edu.cn")
    page = author.get(f"/submissions/{sid}")
    assert TO_AUTHOR in page.text and CONFIDENTIAL not in page.text
    assert "Riya" not in page.text and "Nora" not in page.text
    revise = next(f for f in page.forms.values() if f.action.endswith("/revise"))
    revise["manuscript"] = ("revised.md", b"# Revised\n\nThe sampling is described.")
    res = revise.submit().follow()  # the response is missing
    assert "Upload your response to the reviewers" in res.text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.REVISION_REQUESTED
    revise = next(f for f in res.forms.values() if f.action.endswith("/revise"))
    revise["manuscript"] = ("revised.md", b"# Revised\n\nThe sampling is described.")
    revise["response"] = ("response-zhou.txt", b"1. We describe the sampling in 2.1.")
    res = revise.submit().follow()
    assert "your revision is submitted" in res.text
    assert "response-zhou.txt" in res.text
    assert not any(f.action.endswith("/revise") for f in res.forms.values())
    assert outbox(wsgi_app, "editorial_revision_received")[0].recipients == ["editor@example.org"]
    (receipt,) = outbox(wsgi_app, "submissions_revision_received")
    assert receipt.recipients == ["meiling.zhou@example.edu.cn"]
    assert "revised.md" in receipt.body_text and "response-zhou.txt" in receipt.body_text

    # Round 2: Riya is offered for re-invitation with one click; Nora (declined) is not.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert "Round 2" in page.text
    again = [f for f in page.forms.values() if f.action.endswith("/invite") and "due" in f.fields]
    one_click = next(f for f in again if f.fields.get("reviewer_id") and f["reviewer_id"].value)
    assert (
        "Riya Reviewer"
        in page.html.find("h3", string="Reviewers of the earlier rounds").find_next("ul").text
    )
    assert (
        "Nora"
        not in page.html.find("h3", string="Reviewers of the earlier rounds").find_next("ul").text
    )
    one_click.submit().follow()
    invitation = outbox(wsgi_app, "review_invitation")[-1]
    assert invitation.recipients == ["rev1@example.org"]

    # Riya's new assignment shows the revised manuscript and the response.
    mine = riya.get("/reviews")
    rows = mine.html.find_all("a", href=re.compile(r"^/reviews/\d+$"))
    assert len(rows) == 2
    page = riya.get(rows[0]["href"])
    answer = next(f for f in page.forms.values() if f.action.endswith("/answer"))
    page = answer.submit("action", value="accept").follow()
    names = [a.text for a in page.html.find_all("a", href=re.compile(r"/files/\d+$"))]
    assert names == ["revised.md", "response-zhou.txt"]
    form = next(f for f in page.forms.values() if "comments_to_author" in f.fields)
    form["recommendation"] = "accept"
    for key in ("originality", "rigour", "clarity", "relevance"):
        form[f"score_{key}"] = "5"
    form["comments_to_author"] = "The revision answers my points."
    form["confirm"] = True
    form.submit("action", value="submit").follow()

    # Without the page's script, an untouched letter of another kind is swapped for the
    # letter of the decision chosen.
    page = editor.get(f"/editorial/submissions/{sid}/review?decision=reject")
    decide = next(f for f in page.forms.values() if f.action.endswith("/decide"))
    decide["decision"] = "accept"
    decide.submit().follow()
    with app_session(wsgi_app) as db:
        s = db.get(Submission, sid)
        assert s.state == SubmissionState.ACCEPTED and s.accepted_at is not None
    letters = outbox(wsgi_app, "editorial_decision")
    assert len(letters) == 2 and "The revision answers my points." in letters[1].body_text
    assert "decision is: accept" in letters[1].body_text
    assert TO_AUTHOR not in letters[1].body_text  # only the current round's reviews


def test_a_stale_decision_is_refused_with_a_word_why(wsgi_app, app_settings):
    sid, editor, _riya, _seen, _link = run_first_round(wsgi_app, app_settings)
    page = editor.get(f"/editorial/submissions/{sid}/review")
    token = csrf(page)
    url = f"/editorial/submissions/{sid}/decide"
    message = "A letter long enough for the author to read."
    editor.post(url, {"csrf_token": token, "decision": "reject", "message": message}, status=302)
    res = editor.post(url, {"csrf_token": token, "decision": "accept", "message": message})
    assert "no longer possible" in res.follow().text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.REJECTED
    assert len(outbox(wsgi_app, "editorial_decision")) == 1
