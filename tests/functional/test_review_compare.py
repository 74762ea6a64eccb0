"""The reviews of a round side by side through the web: two reviews are in, the editor opens
the comparison, sees both recommendations, the scores and each confidential comment marked
as such, and decides from the same page (a refusal keeps the page with its reason); the
decided round is then read-only, and earlier rounds are chosen by number. The paper's
author and its reviewers get 404 on it; what the author sees is unchanged."""

from __future__ import annotations

from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.review import services
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_peer_review import DUE, arrange, outbox
from tests.review_factories import GOOD
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

CONFIDENTIAL = "I suspect part of the data was published before; please check."
TO_AUTHOR_2 = "The second cohort is too small to support the claims."
LETTER = "Thank you for your paper. Please revise it as the reviewers ask below."


def two_reviews_in(wsgi_app, app_settings) -> int:
    """The paper under review; Riya recommends a minor revision (with a confidential
    comment), Sam a rejection (with none)."""
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, sid)
        editor = db.scalar(select(User).where(User.email == "editor@example.org"))
        for email, form in (
            ("rev1@example.org", {"comments_to_editor": CONFIDENTIAL}),
            (
                "rev2@example.org",
                {
                    "recommendation": "reject",
                    "score_rigour": "1",
                    "comments_to_author": TO_AUTHOR_2,
                    "comments_to_editor": "",
                },
            ),
        ):
            reviewer = db.scalar(select(User).where(User.email == email))
            invitation = services.invite(db, submission, editor, reviewer_id=reviewer.id, due=DUE)
            services.accept(db, invitation.assignment)
            services.save_review(db, invitation.assignment, {**GOOD, **form}, submit=True)
    return sid


def test_the_editor_compares_the_reviews_and_decides_beside_them(wsgi_app, app_settings):
    sid = two_reviews_in(wsgi_app, app_settings)
    url = f"/editorial/submissions/{sid}/review/compare"
    editor = client_for(wsgi_app, "editor@example.org")

    # The review page leads to the comparison.
    review_page = editor.get(f"/editorial/submissions/{sid}/review")
    assert review_page.html.find("a", href=url + "?round=1") is not None

    page = editor.get(url)
    summary = page.html.select_one(".compare-summary").text
    assert "Riya Reviewer: Minor revision" in " ".join(summary.split())
    assert "Sam Second: Reject" in " ".join(summary.split())
    assert "The reviewers do not agree." in summary
    # The scores of both reviews, criterion by criterion, with their mean.
    rows = {
        tr.th.text: [td.text for td in tr.select("td")]
        for tr in page.html.select("table.scores tr")
    }
    assert rows["Rigour of the methods"] == ["3", "1", "2.0"]
    assert rows["Recommendation"] == ["Minor revision", "Reject", ""]
    # Each review; the confidential comment inside its marked box, said to be the editors'.
    cards = page.html.select("article.review-card")
    assert [c.h3.text for c in cards] == ["Reviewer 1 · Riya Reviewer", "Reviewer 2 · Sam Second"]
    box = cards[0].select_one(".confidential")
    assert CONFIDENTIAL in box.text and "Confidential" in box.text
    assert "never shown or sent to the author" in box.text
    assert CONFIDENTIAL not in cards[0].select_one(".to-author").text
    assert "None." in cards[1].select_one(".confidential").text
    # The decision form is on the page, beside the reviews, and posts to it.
    form = page.html.select_one(".compare-decision form")
    assert form["action"] == url
    assert page.html.select_one(".compare-layout > .compare-decision") is not None

    # A letter too short: the same page, with the reason and what was chosen kept.
    res = editor.post(
        url,
        {"csrf_token": csrf(page), "decision": "minor_revision", "message": "Revise."},
        status=400,
    )
    assert "Write the letter to the author" in res.html.select_one("#decide-form-error").text
    assert res.html.select_one("#decision-minor_revision").has_attr("checked")
    assert res.html.select("article.review-card")  # the reviews are still beside it
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.UNDER_REVIEW

    # The decision, from the comparison: recorded, the author emailed without the
    # confidential comment; the round is shown closed, read-only, with the decision.
    res = editor.post(
        url, {"csrf_token": csrf(page), "decision": "minor_revision", "message": LETTER}
    )
    assert res.location.endswith(url)
    res = res.follow()
    assert "The decision is recorded and emailed to the author." in res.text
    assert "Round 1 is closed" in res.text
    assert res.html.select_one(".compare-decision form") is None
    assert "Minor revision" in res.html.select_one(".compare-decision .decision-kind").text
    [mail] = outbox(wsgi_app, "editorial_decision")
    assert mail.recipients == ["meiling.zhou@example.edu.cn"]
    assert LETTER in mail.body_text and TO_AUTHOR_2 in mail.body_text
    assert CONFIDENTIAL not in mail.body_text + mail.body_html
    assert "Riya" not in mail.body_text and "Sam" not in mail.body_text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.REVISION_REQUESTED

    # The author's page: the letter, never the confidential comment nor the names.
    author = client_for(wsgi_app, "meiling.zhou@example.edu.cn")
    mine = author.get(f"/submissions/{sid}")
    assert CONFIDENTIAL not in mine.text and "Riya" not in mine.text


def test_rounds_by_number_earlier_ones_read_only(wsgi_app, app_settings):
    sid = two_reviews_in(wsgi_app, app_settings)
    url = f"/editorial/submissions/{sid}/review/compare"
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(url)
    assert page.html.select_one("select#round") is None  # one round: nothing to choose
    editor.post(url, {"csrf_token": csrf(page), "decision": "major_revision", "message": LETTER})
    with app_session(wsgi_app) as db:
        s = db.get(Submission, sid)
        workflow.apply(db, s, "resubmit", db.get(User, s.submitter_id))

    # The latest round: nothing in yet; the decision form is there, the round picker too.
    page = editor.get(url)
    assert "Round 2: what the reviewers recommend" in page.text
    assert "No reviewer is invited to this round yet." in page.text
    assert page.html.select_one(".compare-reviews") is None  # nothing to compare yet
    invite = page.html.select_one(".compare-summary a[href$='#invite-heading']")
    assert invite["href"] == f"/editorial/submissions/{sid}/review#invite-heading"
    assert page.html.select_one(".compare-decision form") is not None
    options = page.html.select("select#round option")
    assert [o["value"] for o in options] == ["1", "2"]
    assert options[1].has_attr("selected")

    # Round 1: its reviews and its decision, read-only.
    earlier = editor.get(url, {"round": "1"})
    assert "Round 1 is closed" in earlier.text
    assert earlier.html.select_one(".compare-decision form") is None
    assert "Major revision" in earlier.html.select_one(".decision-kind").text
    assert len(earlier.html.select("article.review-card")) == 2
    assert CONFIDENTIAL in earlier.html.select_one(".confidential").text

    # In Chinese.
    editor.post("/language", {"csrf_token": csrf(page), "language": "zh", "next": url})
    zh = editor.get(url, {"round": "1"})
    assert "第 1 轮：审稿人的建议" in zh.text and "保密" in zh.text

    # A round that does not exist, or is not a number: not found.
    editor.get(url, {"round": "3"}, status=404)
    editor.get(url, {"round": "one"}, status=404)
    editor.get(url, {"round": "²"}, status=404)
    editor.get(url, {"round": "1" * 30}, status=404)


def test_the_author_and_the_reviewers_are_kept_out(wsgi_app, app_settings):
    """As on the review page: the paper's editorial side does not exist for its authors and
    reviewers (404), whether they are editors of the journal (the co-author here) or hold
    no editorial right at all (the author, the reviewers); nobody decides."""
    sid = two_reviews_in(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        make_user(
            db,
            "r.okonkwo@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=make_journal(db),
            given_name="Rafael",
            family_name="Okonkwo",
        )
    url = f"/editorial/submissions/{sid}/review/compare"
    for email, status in (
        ("r.okonkwo@example.org", 404),
        ("meiling.zhou@example.edu.cn", 404),
        ("rev1@example.org", 404),
        ("rev2@example.org", 404),
    ):
        client = client_for(wsgi_app, email)
        client.get(url, status=status)
        client.get(url + "?round=1", status=status)
        token = csrf(client.get("/account"))
        client.post(
            url, {"csrf_token": token, "decision": "accept", "message": LETTER}, status=status
        )
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.UNDER_REVIEW
    client_for(wsgi_app).get(url, status=302)  # not signed in: to the sign-in page
    # An editor who is not an author: the page.
    client_for(wsgi_app, "editor@example.org").get(url, status=200)


def test_a_paper_not_in_review_has_nothing_to_compare(wsgi_app, app_settings):
    arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        author = db.scalar(select(User).where(User.email == "meiling.zhou@example.edu.cn"))
        fresh = SubmissionFactory(
            db=db,
            journal=make_journal(db),
            submitter=author,
            title="New",
            state=SubmissionState.SUBMITTED,
        )
        sid = fresh.id
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review/compare")
    assert "has not been sent to peer review" in page.text
    assert page.html.select_one(".compare-layout") is None
