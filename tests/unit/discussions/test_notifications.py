"""The email of each new message: to the thread's other participants, with the link to the
thread on their side, and never a name the recipient may not see."""

from __future__ import annotations

from sqlalchemy import select

from frontiers_de.discussions import services
from frontiers_de.discussions.models import Seat
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.submissions.models import ReviewMode

LIMIT = 1000


def emails(db) -> dict[str, OutboxEmail]:
    rows = db.scalars(select(OutboxEmail).where(OutboxEmail.template == "discussion_message"))
    return {row.recipients[0]: row for row in rows}


def test_the_reviewer_is_told_without_the_authors_names(dbsession, world):
    world.submission.review_mode = ReviewMode.DOUBLE_ANONYMOUS
    thread = services.start_thread(
        dbsession,
        world.storage,
        world.place(Seat.EDITOR),
        "reviewer",
        "Figure 3",
        "Is figure 3 readable in your copy?",
        [("note.txt", b"see page 4")],
        assignment_id=world.assignment.id,
        max_bytes=LIMIT,
    )
    sent = emails(dbsession)
    assert set(sent) == {"rita@example.org"}
    mail = sent["rita@example.org"]
    assert mail.subject == f"Submission {world.submission.id}: Figure 3"
    assert f"/reviews/{world.assignment.id}/discussions/{thread.id}" in mail.body_text
    assert "Sam" in mail.body_text and "note.txt" in mail.body_text
    assert "Lovelace" not in mail.body_text and "Ada" not in mail.body_text


def test_the_author_is_never_told_a_reviewers_name(dbsession, world):
    # A reviewer's message never reaches an author; the author's thread has no reviewer.
    thread = services.start_thread(
        dbsession,
        world.storage,
        world.place(Seat.REVIEWER),
        "reviewer",
        "Late",
        "I need a week more.",
        assignment_id=world.assignment.id,
        max_bytes=LIMIT,
    )
    sent = emails(dbsession)
    assert set(sent) == {"se@example.org"}
    assert world.reviewer.display_name in sent["se@example.org"].body_text
    assert f"/editorial/submissions/{world.submission.id}/discussions/{thread.id}" in (
        sent["se@example.org"].body_text
    )


def test_each_recipient_reads_their_own_language(dbsession, world):
    world.author.preferred_language = "zh"
    services.start_thread(
        dbsession,
        world.storage,
        world.place(Seat.EDITOR),
        "authors",
        "Proofs",
        "Please check the proofs.",
        max_bytes=LIMIT,
    )
    mail = emails(dbsession)["author@example.org"]
    assert mail.subject.startswith("投稿") and "在投稿" in mail.body_text
    assert f"/submissions/{world.submission.id}/discussions/" in mail.body_text
