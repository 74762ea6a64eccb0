"""The discussions unit tests' world: a paper under review with its author, handling editor,
editor-in-chief, an accepted reviewer, one who has not answered, and a reviewer of another
paper."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from frontiers_de.accounts.models import User
from frontiers_de.discussions import services
from frontiers_de.discussions.models import Seat
from frontiers_de.editorial import workflow
from frontiers_de.review import services as review
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import Submission
from tests.factories import make_journal, make_user
from tests.review_factories import DUE
from tests.submission_factories import SubmissionFactory


@dataclass
class DiscussionWorld:
    author: User
    editor: User  # the handling editor, a section editor
    chief: User
    reviewer: User  # accepted
    pending: User  # invited, no answer
    other_editor: User  # a section editor who does not handle it (and wrote nothing)
    submission: Submission
    other: Submission  # another paper of the same author, also under review
    assignment: ReviewAssignment
    pending_assignment: ReviewAssignment
    storage: LocalFileStorage

    def place(self, seat: Seat, user: User | None = None, assignment=None) -> services.Place:
        default = {Seat.EDITOR: self.editor, Seat.AUTHOR: self.author, Seat.REVIEWER: self.reviewer}
        if seat == Seat.REVIEWER and assignment is None:
            assignment = self.assignment
        return services.Place(self.submission, user or default[seat], seat, assignment)


@pytest.fixture
def world(dbsession, tmp_path) -> DiscussionWorld:
    db = dbsession
    journal = make_journal(db)
    author = make_user(db, "author@example.org", given_name="Ada", family_name="Lovelace")
    editor = make_user(
        db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal, given_name="Sam"
    )
    chief = make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    reviewer = make_user(db, "rita@example.org", roles=[Role.REVIEWER], journal=journal)
    pending = make_user(db, "rex@example.org", roles=[Role.REVIEWER], journal=journal)
    other_editor = make_user(db, roles=[Role.SECTION_EDITOR], journal=journal)
    submission = SubmissionFactory(
        db=db,
        journal=journal,
        submitter=author,
        title="Tutoring at scale",
        authors=[{"given_name": "Ada", "family_name": "Lovelace", "email": "author@example.org"}],
    )
    submission.handling_editor_id = editor.id
    other = SubmissionFactory(db=db, journal=journal, submitter=author, title="Other")
    workflow.apply(db, submission, "send_to_review", chief)
    workflow.apply(db, other, "send_to_review", chief)
    assignment = review.invite(db, submission, editor, reviewer_id=reviewer.id, due=DUE).assignment
    review.accept(db, assignment)
    invited = review.invite(db, submission, editor, reviewer_id=pending.id, due=DUE).assignment
    return DiscussionWorld(
        author,
        editor,
        chief,
        reviewer,
        pending,
        other_editor,
        submission,
        other,
        assignment,
        invited,
        LocalFileStorage(tmp_path / "files"),
    )
