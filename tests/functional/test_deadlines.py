"""Deadlines through the web: the admin edits the journal's rules at /admin/deadlines (a bad
value refused with its reason, the typed values kept, nothing saved; the CSRF token
required), and every list marks what is overdue in words: the reviewer's "My reviews" (a
review due months ago flagged, one in time shown in progress without a flag), the editorial
queue and the list of every submission (with its overdue filter), the author's "My
submissions" and banner (the revision due), and production's proofs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines import rules
from frontiers_de.deadlines.models import DeadlineRule
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.production import services as production
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import make_accepted_submission
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

DAY = dt.timedelta(days=1)


@dataclass
class Ids:
    late: int  # under review, its review due months ago
    fine: int  # under review, its review due in three weeks
    revising: int  # a major revision asked for 90 days ago
    revising_soon: int  # a minor revision asked for yesterday
    late_assignment: int
    fine_assignment: int


@pytest.fixture
def world(wsgi_app) -> Ids:
    now = utcnow()
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        prod = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        editor = make_user(db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        slow = make_user(db, "slow@example.org", roles=[Role.REVIEWER], journal=journal)
        quick = make_user(db, "quick@example.org", roles=[Role.REVIEWER], journal=journal)
        author = make_user(db, "author@example.org")

        def paper(title, state=SubmissionState.SUBMITTED):
            return SubmissionFactory(
                db=db, journal=journal, submitter=author, title=title, state=state
            )

        late, fine = paper("Tutoring that came late"), paper("Tutoring in good time")
        for s in (late, fine):
            workflow.apply(db, s, "send_to_review", editor)
        invited = now - 120 * DAY
        a_late = review.invite(
            db, late, editor, reviewer_id=slow.id, due=(invited + 30 * DAY).date(), now=invited
        ).assignment
        review.accept(db, a_late, now=invited + DAY)
        a_fine = review.invite(
            db, fine, editor, reviewer_id=quick.id, due=(now + 21 * DAY).date(), now=now
        ).assignment
        review.accept(db, a_fine, now=now)
        revising = paper("Revision long awaited", SubmissionState.REVISION_REQUESTED)
        soon = paper("Revision asked yesterday", SubmissionState.REVISION_REQUESTED)
        for s, kind, when in (
            (revising, DecisionKind.MAJOR_REVISION, now - 90 * DAY),
            (soon, DecisionKind.MINOR_REVISION, now - DAY),
        ):
            db.add(Decision(submission_id=s.id, editor_id=editor.id, kind=kind, decided_at=when))
        # A proof sent ten days ago, not answered.
        accepted = make_accepted_submission(db, journal, author)
        article = production.start_production(db, accepted, prod)
        db.add(
            Proof(
                article_id=article.id,
                pdf_sha256="0" * 64,
                token_hash="1" * 64,
                state=ProofState.SENT,
                sent_at=now - 10 * DAY,
            )
        )
        db.flush()
        return Ids(late.id, fine.id, revising.id, soon.id, a_late.id, a_fine.id)


def _row(page, text: str) -> str:
    """The text of the list item or table row that contains ``text``."""
    for node in page.html.find_all(["li", "tr"]):
        if text in node.get_text():
            return " ".join(node.get_text().split())
    raise AssertionError(f"{text!r} is not listed")


def test_a_review_due_months_ago_is_flagged_and_one_in_time_is_not(wsgi_app, world):
    slow = client_for(wsgi_app, "slow@example.org").get("/reviews")
    row = _row(slow, "Tutoring that came late")
    assert "Accepted, review in progress" in row and "Overdue: Review overdue" in row
    assert slow.html.find("strong", class_="overdue").get_text() == "Overdue"
    quick = client_for(wsgi_app, "quick@example.org").get("/reviews")
    row = _row(quick, "Tutoring in good time")
    assert "Accepted, review in progress" in row and "Overdue" not in row


def test_the_editors_lists_flag_what_is_overdue_and_filter_by_it(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    queue = chief.get("/editorial")
    assert "Overdue: Review overdue" in _row(queue, "Tutoring that came late")
    assert "Overdue" not in _row(queue, "Tutoring in good time")
    assert "Overdue: Revision overdue" in _row(queue, "Revision long awaited")
    assert "Overdue" not in _row(queue, "Revision asked yesterday")
    listing = chief.get("/editorial/submissions")
    assert "Overdue: Review overdue" in _row(listing, "Tutoring that came late")
    overdue = chief.get("/editorial/submissions", {"overdue": "1"})
    titles = [a.get_text() for a in overdue.html.select("ul.submission-list p.title a")]
    # The review and the revision late, and the paper whose proof is not answered.
    assert len(titles) == 3 and {"Revision long awaited", "Tutoring that came late"} < set(titles)
    assert "Overdue: Proof answer overdue" in _row(
        overdue, titles[0] if "Adaptive" in titles[0] else "Adaptive"
    )
    # The CSV says the same.
    csv_text = chief.get("/editorial/submissions.csv", {"overdue": "1"}).text
    assert csv_text.count(",yes") == 3


def test_the_author_sees_the_revision_due_and_when_it_is_overdue(wsgi_app, world):
    author = client_for(wsgi_app, "author@example.org")
    mine = author.get("/submissions")
    assert "Overdue" in _row(mine, "Revision long awaited")
    soon = _row(mine, "Revision asked yesterday")
    due = (utcnow() - DAY + 30 * DAY).date().isoformat()
    assert f"due {due}" in soon and "Overdue" not in soon
    banner = author.get(f"/submissions/{world.revising}").html.find(class_="revision-due")
    assert "Overdue" in banner.get_text() and "your revision was due on" in banner.get_text()
    banner = author.get(f"/submissions/{world.revising_soon}").html.find(class_="revision-due")
    assert f"Your revision is due on {due}." in banner.get_text()


def test_production_flags_a_proof_the_author_has_not_answered(wsgi_app, world):
    page = client_for(wsgi_app, "prod@example.org").get("/production")
    cell = " ".join(
        page.html.find(string=lambda t: "Proof with the author" in t)
        .parent.parent.get_text()
        .split()
    )
    assert "Overdue" in cell


def rules_form(page):
    return next(f for f in page.forms.values() if "review-period" in f.fields)


def test_the_admin_edits_the_rules_and_bad_input_is_refused_with_its_reason(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/deadlines")
    assert page.html.find("a", attrs={"aria-current": "page"}).get_text() == "Deadlines"
    form = rules_form(page)
    assert form["review-period"].value == "21" and form["review-after"].value == "0, 7"
    form["review-period"] = "28"
    form["proof-escalate"] = "soon"
    res = form.submit(status=400)
    error = res.html.find(id="proof-escalate-error").get_text()
    assert "leave it empty to never tell the editor-in-chief" in error
    assert res.html.find(id="proof-escalate")["aria-invalid"] == "true"
    assert res.html.find(id="review-period")["value"] == "28"  # what was typed is kept
    with app_session(wsgi_app) as db:
        assert db.scalars(select(DeadlineRule)).all() == []  # nothing saved
    form = rules_form(res)
    form["proof-escalate"] = ""
    done = form.submit().follow()
    assert "The deadline rules are saved." in done.text
    with app_session(wsgi_app) as db:
        journal_id = db.scalar(select(Article.journal_id))
        rule = rules.journal_rule(db, journal_id, DeadlineKind.REVIEW)
        assert rule.period_days == 28
        assert rules.journal_rule(db, journal_id, DeadlineKind.PROOF).escalate_after is None
    # The invitation form offers the journal's review period.
    editor = client_for(wsgi_app, "se@example.org").get(
        f"/editorial/submissions/{world.fine}/review"
    )
    offered = (utcnow().date() + 28 * DAY).isoformat()
    assert editor.html.find("input", id="due")["value"] == offered
    # Without the CSRF token nothing is saved.
    admin.post("/admin/deadlines", {"review-period": "5"}, status=400)
    with app_session(wsgi_app) as db:
        assert rules.journal_rule(db, journal_id, DeadlineKind.REVIEW).period_days == 28


def test_the_page_and_a_refusal_speak_chinese(wsgi_app, world):
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "admin@example.org"))
        user.preferred_language = "zh"
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/deadlines")
    assert "期限规则" in page.text and "未答复的审稿邀请" in page.text
    res = admin.post("/admin/deadlines", {"csrf_token": csrf(page)}, status=400)
    assert "请将期限填写为 1 到 365 之间的整数天数。" in res.text
    slow = client_for(wsgi_app, "slow@example.org")
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "slow@example.org"))
        user.preferred_language = "zh"
    assert "已逾期" in _row(slow.get("/reviews"), "Tutoring that came late")
