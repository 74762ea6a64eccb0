"""An abstract typed with paragraphs keeps them on every page that shows it: the author's
submission summary, the reviewer's invitation and the reviewer's assignment page."""

from __future__ import annotations

import datetime as dt

from frontiers_de.editorial import workflow
from frontiers_de.review import services
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for

# As a browser sends a textarea: CRLF line ends, a blank line between paragraphs, a line
# break inside the first paragraph, stray spaces on the blank line.
ABSTRACT = (
    "We release the data and code so that the study is\r\nreproducible.\r\n \r\n"
    "We adapt the method to rural schools.\r\n\r\n\r\nThree cohorts took part."
)
PARAGRAPHS = [
    "We release the data and code so that the study is reproducible.",
    "We adapt the method to rural schools.",
    "Three cohorts took part.",
]


def shown_paragraphs(page, container) -> list[str]:
    return [" ".join(p.get_text().split()) for p in container.find_all("p")]


def test_abstract_paragraphs_on_summary_invitation_and_review_pages(wsgi_app) -> None:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "author@example.org")
        editor = make_user(db, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        reviewer = make_user(db, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
        submission = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            title="Tutoring at scale",
            abstract=ABSTRACT,
            authors=[{"given_name": "Ada", "family_name": "Author", "email": author.email}],
        )
        workflow.apply(db, submission, "send_to_review", editor)
        invitation = services.invite(
            db, submission, editor, reviewer_id=reviewer.id, due=dt.date.today() + dt.timedelta(20)
        )
        sid, aid, token = submission.id, invitation.assignment.id, invitation.token

    summary = client_for(wsgi_app, "author@example.org").get(f"/submissions/{sid}")
    dd = next(
        dt_.find_next_sibling("dd")
        for dt_ in summary.html.find_all("dt")
        if dt_.get_text().strip() == "Abstract"
    )
    assert shown_paragraphs(summary, dd)[:3] == PARAGRAPHS

    reviewer_client = client_for(wsgi_app, "rev@example.org")
    page = reviewer_client.get(f"/review/invitations/{token}")
    section = page.html.find("section", {"aria-labelledby": "abstract-heading"})
    assert shown_paragraphs(page, section) == PARAGRAPHS

    with app_session(wsgi_app) as db:
        assignment = db.get(ReviewAssignment, aid)
        services.accept(db, assignment)
    page = reviewer_client.get(f"/reviews/{aid}")
    prose = [d for d in page.html.find_all("div", class_="prose") if "reproducible" in d.get_text()]
    assert shown_paragraphs(page, prose[0]) == PARAGRAPHS
