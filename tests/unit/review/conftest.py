"""The peer-review unit tests' world: a journal with a paper under review and its people."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.security.roles import Role
from tests.factories import make_journal, make_user
from tests.review_factories import ReviewWorld
from tests.submission_factories import SubmissionFactory


@pytest.fixture
def world(dbsession) -> ReviewWorld:
    journal = make_journal(dbsession)
    author = make_user(dbsession, "author@example.org")
    coauthor = make_user(dbsession, "coauthor@example.org", roles=[Role.REVIEWER], journal=journal)
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)
    submission = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="Tutoring at scale",
        authors=[
            {"given_name": "Ada", "family_name": "Author", "email": "author@example.org"},
            {"given_name": "Cy", "family_name": "Coauthor", "email": "COAUTHOR@example.org"},
        ],
    )
    workflow.apply(dbsession, submission, "send_to_review", editor)
    return ReviewWorld(journal, author, coauthor, editor, reviewer, submission)
