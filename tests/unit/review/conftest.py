"""The peer-review unit tests' world: a journal with a paper under review and its people."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Contributor, Submission, SubmissionState
from tests.factories import make_journal, make_user


@pytest.fixture
def world(dbsession):
    journal = make_journal(dbsession)
    author = make_user(dbsession, "author@example.org")
    coauthor = make_user(dbsession, "coauthor@example.org", roles=[Role.REVIEWER], journal=journal)
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)
    submission = Submission(
        journal_id=journal.id,
        submitter_id=author.id,
        title="Tutoring at scale",
        abstract="An abstract.",
        state=SubmissionState.SUBMITTED,
    )
    submission.contributors.append(
        Contributor(given_name="Ada", family_name="Author", email="author@example.org")
    )
    submission.contributors.append(
        Contributor(
            given_name="Cy", family_name="Coauthor", email="COAUTHOR@example.org", position=1
        )
    )
    dbsession.add(submission)
    dbsession.flush()
    workflow.apply(dbsession, submission, "send_to_review", editor)
    return {
        "journal": journal,
        "author": author,
        "coauthor": coauthor,
        "editor": editor,
        "reviewer": reviewer,
        "submission": submission,
    }
