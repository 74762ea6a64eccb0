"""Peer review rules without HTTP: inviting (and every refusal), the invitation link
(invalid, used, expired), accepting and declining, the review draft and its one submission,
what reviewers may open."""

from __future__ import annotations

import datetime as dt

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.review import services
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import (
    FileKind,
    ReviewMode,
    SubmissionState,
)
from tests.factories import account_service, make_user
from tests.review_factories import DUE, GOOD, NOW, SETTINGS, accepted, invite
from tests.submission_factories import ManuscriptFileFactory


def test_an_invitation_keeps_only_the_token_hash_and_the_link_finds_it(dbsession, world):
    invitation = invite(dbsession, world)
    a = invitation.assignment
    assert a.state == AssignmentState.INVITED
    assert invitation.token not in a.token_hash
    assert a.due_at.date() == dt.date(2026, 12, 15)
    found = services.assignment_for_token(dbsession, invitation.token, SETTINGS, now=NOW)
    assert found is a


@pytest.mark.parametrize("email", ["Author@Example.org", "coauthor@example.org"])
def test_an_author_cannot_be_invited(dbsession, world, email):
    # A co-author with the reviewer role, found by address (case ignored) among the
    # contributors; and any author given by name and address.
    with pytest.raises(services.ReviewError, match="author of the paper"):
        invite(dbsession, world, reviewer_id=world.coauthor.id)
    with pytest.raises(services.ReviewError, match="author of the paper"):
        invite(dbsession, world, reviewer_id="", name="Ada Author", email=email)
    assert workflow.current_round(dbsession, world.submission).assignments == []


def test_the_submitter_with_the_reviewer_role_cannot_be_invited(dbsession, world):
    author = world.author
    make_user(dbsession)  # unrelated
    from tests.factories import account_service

    account_service(dbsession).grant_role(author, world.journal.id, Role.REVIEWER)
    with pytest.raises(services.ReviewError, match="author of the paper"):
        invite(dbsession, world, reviewer_id=author.id)
    assert author not in services.reviewer_candidates(dbsession, world.submission)


def test_a_refused_invitation_leaves_no_account_and_grants_no_role(dbsession, world):
    from frontiers_de.accounts.models import User

    # The submitter, not listed among the contributors by this address, is still found.
    world.submission.contributors[0].email = "ada.private@example.org"
    with pytest.raises(services.ReviewError, match="author of the paper"):
        invite(dbsession, world, reviewer_id="", name="Ada Author", email="author@example.org")
    assert Role.REVIEWER not in world.author.roles_in(world.journal.id)
    with pytest.raises(services.ReviewError, match="after today"):
        services.invite(
            dbsession,
            world.submission,
            world.editor,
            name="New Person",
            email="new.person@example.org",
            due="2000-01-01",
            now=NOW,
        )
    assert dbsession.query(User).filter_by(email="new.person@example.org").count() == 0


def test_inviting_twice_in_one_round_is_refused(dbsession, world):
    invite(dbsession, world)
    with pytest.raises(services.ReviewError, match="already invited"):
        invite(dbsession, world)
    # By address too: the same person.
    with pytest.raises(services.ReviewError, match="already invited"):
        invite(dbsession, world, reviewer_id="", name="X Y", email=world.reviewer.email)
    assert len(workflow.current_round(dbsession, world.submission).assignments) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reviewer_id": "", "due": DUE}, "Choose a reviewer"),
        ({"reviewer_id": "999999", "due": DUE}, "from the list"),
        ({"reviewer_id": "abc", "due": DUE}, "from the list"),
        ({"due": "tomorrow"}, "YYYY-MM-DD"),
        ({"due": "2026-11-20"}, "after today"),
        ({"due": "2027-12-01"}, "too far away"),
        ({"reviewer_id": "", "name": "New Person", "email": "", "due": DUE}, "email address"),
        ({"reviewer_id": "", "name": "New Person", "email": "not-an-address", "due": DUE}, "valid"),
        ({"reviewer_id": "", "name": "", "email": "new@example.org", "due": DUE}, "name"),
    ],
)
def test_bad_invitations_are_refused_with_a_reason(dbsession, world, fields, message):
    fields = {"reviewer_id": world.reviewer.id, **fields}
    due = fields.pop("due")
    with pytest.raises(services.ReviewError, match=message):
        services.invite(dbsession, world.submission, world.editor, due=due, now=NOW, **fields)
    assert workflow.current_round(dbsession, world.submission).assignments == []


def test_a_user_without_the_reviewer_role_is_not_in_the_list(dbsession, world):
    plain = make_user(dbsession)
    with pytest.raises(services.ReviewError, match="from the list"):
        invite(dbsession, world, reviewer_id=plain.id)


def test_only_editors_invite_and_only_under_review(dbsession, world):
    with pytest.raises(services.ReviewError, match="editors"):
        services.invite(
            dbsession, world.submission, world.reviewer, reviewer_id=world.reviewer.id,
            due=DUE, now=NOW,
        )  # fmt: skip
    world.submission.state = SubmissionState.REVISION_REQUESTED
    with pytest.raises(services.ReviewError, match="under review"):
        invite(dbsession, world)


def test_a_new_reviewer_gets_an_unverified_account_with_the_role(dbsession, world):
    invitation = invite(dbsession, world, reviewer_id="", name="Li Wei", email="li@example.org")
    from frontiers_de.accounts.models import User

    user = dbsession.get(User, invitation.assignment.reviewer_id)
    assert (user.given_name, user.family_name, user.email) == ("Li", "Wei", "li@example.org")
    assert user.password_hash is None and not user.is_verified
    assert Role.REVIEWER in user.roles_in(world.journal.id)
    # Accepting through the emailed link proves the address; the password is chosen in
    # the same step.
    with pytest.raises(services.ReviewError, match="Choose a password"):
        services.accept_by_link(dbsession, invitation.assignment, None, now=NOW)
    assert invitation.assignment.state == AssignmentState.INVITED and not user.is_verified
    services.accept_by_link(
        dbsession,
        invitation.assignment,
        None,
        accounts=account_service(dbsession),
        new_password="a long and quiet evening",
        now=NOW,
    )
    assert user.is_verified and user.password_hash is not None


def test_accepting_while_signed_in_never_confirms_the_address(dbsession, world):
    reviewer = world.reviewer
    reviewer.email_verified_at = None
    invitation = invite(dbsession, world)
    reviewer.password_hash = "left by an older version"
    with pytest.raises(services.ReviewError, match="Confirm your email address first"):
        services.answer_signed_in(dbsession, invitation.assignment, reviewer, "accept")
    assert invitation.assignment.state == AssignmentState.INVITED and not reviewer.is_verified
    with pytest.raises(services.ReviewError, match="not yours"):
        services.answer_signed_in(dbsession, invitation.assignment, world.editor, "accept")
    with pytest.raises(services.ReviewError, match="sent to someone else"):
        services.accept_by_link(dbsession, invitation.assignment, world.editor)
    with pytest.raises(services.ReviewError, match="sent to someone else"):
        services.decline_by_link(dbsession, invitation.assignment, world.editor)
    assert invitation.assignment.state == AssignmentState.INVITED


def test_inviting_an_unconfirmed_account_takes_its_password_and_sessions(dbsession, world):
    reviewer = world.reviewer
    reviewer.email_verified_at = None
    reviewer.pending_email = "elsewhere@example.org"
    stamp, before = reviewer.security_stamp, reviewer.password_hash
    assert before is not None
    invite(dbsession, world)
    assert reviewer.password_hash is None and reviewer.pending_email is None
    assert reviewer.security_stamp == stamp + 1
    # A confirmed account keeps its password and sessions.
    other = world.editor
    assert other.is_verified
    stamp = other.security_stamp
    from frontiers_de.accounts.services import end_unproven_access

    assert end_unproven_access(other) is False and other.security_stamp == stamp


def test_the_link_is_refused_when_forged_used_or_expired(dbsession, world):
    invitation = invite(dbsession, world)
    for bad in ("", "x" * 500, "nonsense", "ünïcode"):
        with pytest.raises(services.InvitationLinkError) as info:
            services.assignment_for_token(dbsession, bad, SETTINGS, now=NOW)
        assert info.value.reason == "invalid"
    late = NOW + dt.timedelta(days=services.DEFAULT_INVITATION_DAYS, seconds=1)
    with pytest.raises(services.InvitationLinkError) as info:
        services.assignment_for_token(dbsession, invitation.token, SETTINGS, now=late)
    assert info.value.reason == "expired"
    # A shorter setting shortens it.
    with pytest.raises(services.InvitationLinkError):
        services.assignment_for_token(
            dbsession,
            invitation.token,
            {services.INVITATION_DAYS_SETTING: "1"},
            now=NOW + dt.timedelta(days=2),
        )
    services.decline(dbsession, invitation.assignment, "Travelling", "Dr Ng, ng@example.org")
    with pytest.raises(services.InvitationLinkError) as info:
        services.assignment_for_token(dbsession, invitation.token, SETTINGS, now=NOW)
    assert info.value.reason == "used"
    with pytest.raises(services.ReviewError, match="already been answered"):
        services.accept(dbsession, invitation.assignment)
    a = invitation.assignment
    assert (a.state, a.decline_reason, a.suggested_reviewer) == (
        AssignmentState.DECLINED,
        "Travelling",
        "Dr Ng, ng@example.org",
    )


def test_a_review_on_a_declined_or_unanswered_assignment_is_refused(dbsession, world):
    invitation = invite(dbsession, world)
    with pytest.raises(services.ReviewError, match="Accept the invitation"):
        services.save_review(dbsession, invitation.assignment, GOOD, submit=False)
    services.decline(dbsession, invitation.assignment)
    with pytest.raises(services.ReviewError, match="declined"):
        services.save_review(dbsession, invitation.assignment, GOOD, submit=True)
    assert invitation.assignment.review is None


def test_a_draft_then_one_submission_then_read_only(dbsession, world):
    a = accepted(dbsession, world)
    draft = services.save_review(dbsession, a, {"comments_to_author": "Half written"}, submit=False)
    assert draft.submitted_at is None and draft.recommendation is None
    assert a.state == AssignmentState.ACCEPTED
    # Submitting needs everything: the draft is kept as it was.
    with pytest.raises(services.ReviewError, match="recommendation"):
        services.save_review(dbsession, a, {"comments_to_author": "Changed"}, submit=True)
    assert draft.comments_to_author == "Half written"
    review = services.save_review(dbsession, a, GOOD, submit=True, now=NOW)
    assert review is draft and review.submitted_at == NOW
    assert review.scores == {"originality": 4, "rigour": 3, "clarity": 5, "relevance": 4}
    assert a.state == AssignmentState.SUBMITTED
    with pytest.raises(services.ReviewError, match="can no longer be changed"):
        services.save_review(dbsession, a, {**GOOD, "comments_to_author": "Again"}, submit=True)
    with pytest.raises(services.ReviewError, match="can no longer be changed"):
        services.save_review(dbsession, a, GOOD, submit=False)
    assert review.comments_to_author == GOOD["comments_to_author"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recommendation": "maybe"}, "recommendations"),
        ({"score_rigour": "6"}, "1 to 5"),
        ({"score_rigour": "0"}, "1 to 5"),
        ({"score_rigour": "3.5"}, "1 to 5"),
        ({"score_rigour": ""}, "every criterion"),
        ({"comments_to_author": "   "}, "comments to the author"),
        ({"comments_to_editor": "x" * (services.MAX_TEXT + 1)}, "too long"),
    ],
)
def test_bad_reviews_are_refused_and_nothing_is_saved(dbsession, world, change, message):
    a = accepted(dbsession, world)
    with pytest.raises(services.ReviewError, match=message):
        services.save_review(dbsession, a, {**GOOD, **change}, submit=True)
    assert a.review is None and a.state == AssignmentState.ACCEPTED


def test_an_attachment_is_checked_and_stored_with_the_review(dbsession, world, tmp_path):
    a = accepted(dbsession, world)
    storage = LocalFileStorage(tmp_path)
    with pytest.raises(services.ReviewError, match="file types"):
        services.save_review(
            dbsession, a, GOOD, submit=False, storage=storage, attachment=("x.exe", b"MZ")
        )
    with pytest.raises(services.ReviewError, match="although its name ends"):
        services.save_review(
            dbsession, a, GOOD, submit=False, storage=storage, attachment=("notes.pdf", b"hello")
        )
    assert a.review is None
    review = services.save_review(
        dbsession, a, GOOD, submit=False, storage=storage, attachment=("notes.txt", b"Line 12")
    )
    row = services.attachment_of(dbsession, review)
    assert (row.kind, row.filename, row.round_number) == (
        FileKind.REVIEW_ATTACHMENT,
        "notes.txt",
        1,
    )
    assert storage.get(row.sha256) == b"Line 12"


def test_my_assignments_lists_the_reviewers_own(dbsession, world):
    a = accepted(dbsession, world)
    jid = world.journal.id
    assert [m.assignment for m in services.my_assignments(dbsession, world.reviewer, jid)] == [a]
    other = make_user(dbsession, roles=[Role.REVIEWER], journal=world.journal)
    assert services.my_assignments(dbsession, other, jid) == []


def test_reviewer_files_leave_out_the_cover_letter_and_hide_names_when_double_anonymous(
    dbsession, world
):
    s = world.submission
    for kind, name in (
        (FileKind.MANUSCRIPT, "Author_Ada_v1.docx"),
        (FileKind.MANUSCRIPT, "Author_Ada_v2.docx"),
        (FileKind.COVER_LETTER, "letter.pdf"),
        (FileKind.FIGURE, "ada-fig1.png"),
    ):
        ManuscriptFileFactory(db=dbsession, submission=s, kind=kind, filename=name, media_type="x")
    dbsession.refresh(s)
    files = services.reviewer_files(s, 1)
    assert [f.filename for f in files] == ["Author_Ada_v2.docx", "ada-fig1.png"]
    assert services.reviewer_filename(s, files[0], 1) == "Author_Ada_v2.docx"
    s.review_mode = ReviewMode.DOUBLE_ANONYMOUS
    names = [services.reviewer_filename(s, f, n) for n, f in enumerate(files, start=1)]
    assert names == [f"submission-{s.id}-manuscript-1.docx", f"submission-{s.id}-figure-2.png"]


def test_the_previous_reviewers_are_offered_for_the_next_round(dbsession, world):
    a = accepted(dbsession, world)
    services.save_review(dbsession, a, GOOD, submit=True)
    s = world.submission
    from frontiers_de.editorial.models import DecisionKind

    workflow.apply(dbsession, s, "decide", world.editor, decision=DecisionKind.MAJOR_REVISION)
    workflow.apply(dbsession, s, "resubmit", world.author)
    assert services.previous_reviewers(dbsession, s) == [world.reviewer]
    again = invite(dbsession, world)
    assert again.assignment.round.number == 2
    assert services.previous_reviewers(dbsession, s) == []
    assert dbsession.query(ReviewAssignment).count() == 2


# --- the decision and the revision (slice 2) ---------------------------------------------------


def reviewed(db, w, *, open_review: bool = False):
    if open_review:
        w.submission.review_mode = ReviewMode.OPEN
    a = accepted(db, w)
    services.save_review(db, a, GOOD, submit=True)
    # A second reviewer who accepted but never submitted: cancelled by the decision.
    second = make_user(db, roles=[Role.REVIEWER], journal=w.journal)
    b = invite(db, w, reviewer_id=second.id).assignment
    services.accept(db, b, now=NOW)
    return a, b


def test_the_decision_letter_quotes_the_comments_to_the_author_only(dbsession, world):
    from frontiers_de.editorial import services as editorial
    from frontiers_de.editorial.models import Decision

    a, b = reviewed(dbsession, world)
    message = "Please revise the sampling section as the reviewers ask."
    editorial.decide(dbsession, world.submission, world.editor, "major_revision", message)
    decision = dbsession.query(Decision).one()
    assert decision.letter.startswith(message)
    assert "Reviewer 1:" in decision.letter
    assert "> The sampling needs a clearer account." in decision.letter
    assert GOOD["comments_to_editor"] not in decision.letter
    assert world.reviewer.family_name not in decision.letter
    assert world.submission.state == SubmissionState.REVISION_REQUESTED
    assert workflow.current_round(dbsession, world.submission).closed_at is not None
    assert (a.state, b.state) == (AssignmentState.SUBMITTED, AssignmentState.CANCELLED)


def test_open_review_names_the_reviewers_in_the_letter(dbsession, world):
    from frontiers_de.editorial import services as editorial
    from frontiers_de.editorial.models import Decision

    reviewed(dbsession, world, open_review=True)
    editorial.decide(
        dbsession, world.submission, world.editor, "accept", "Accepted, thank you all."
    )
    letter = dbsession.query(Decision).one().letter
    assert f"Reviewer 1 ({world.reviewer.display_name}):" in letter


@pytest.mark.parametrize(
    ("kind", "message", "error"),
    [
        ("", "A long enough letter to the author.", "Choose a decision"),
        ("desk_reject", "A long enough letter to the author.", "Choose a decision"),
        ("maybe", "A long enough letter to the author.", "Choose a decision"),
        ("accept", "Too short", "at least"),
        ("accept", "x" * 10001, "too long"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_changes(dbsession, world, kind, message, error):
    from frontiers_de.editorial import services as editorial

    reviewed(dbsession, world)
    with pytest.raises(editorial.EditorialError, match=error):
        editorial.decide(dbsession, world.submission, world.editor, kind, message)
    assert world.submission.state == SubmissionState.UNDER_REVIEW
    assert workflow.current_round(dbsession, world.submission).closed_at is None


def test_a_decision_from_the_wrong_state_or_by_a_reviewer_is_refused(dbsession, world):
    from frontiers_de.editorial import services as editorial

    reviewed(dbsession, world)
    letter = "A long enough letter to the author."
    with pytest.raises(workflow.TransitionNotAllowed):
        editorial.decide(dbsession, world.submission, world.reviewer, "accept", letter)
    editorial.decide(dbsession, world.submission, world.editor, "reject", letter)
    with pytest.raises(workflow.TransitionNotAllowed):
        editorial.decide(dbsession, world.submission, world.editor, "accept", letter)
    assert world.submission.state == SubmissionState.REJECTED


def test_the_revision_needs_both_files_and_opens_round_two(dbsession, world, tmp_path):
    from frontiers_de.editorial import services as editorial
    from frontiers_de.submissions import services as submissions

    reviewed(dbsession, world)
    s = world.submission
    storage = LocalFileStorage(tmp_path)
    md = ("revised.md", b"# Revised\n\nText.")
    answer = ("response.txt", b"We clarified the sampling.")
    # Not yet asked for: refused.
    with pytest.raises(submissions.SubmissionError, match="not waiting for a revision"):
        submissions.resubmit(dbsession, storage, s, world.author, md, answer)
    editorial.decide(dbsession, s, world.editor, "minor_revision", "Minor changes, please.")
    bad = [
        (None, answer, "revised manuscript"),
        (md, None, "response to the reviewers"),
        (("revised.exe", b"MZ"), answer, "must be one of these types"),
        (md, ("response.txt", b"\xff\xfe bad"), "not UTF-8"),
    ]
    for manuscript, response, error in bad:
        with pytest.raises(submissions.SubmissionError, match=error):
            submissions.resubmit(dbsession, storage, s, world.author, manuscript, response)
        assert s.state == SubmissionState.REVISION_REQUESTED and len(s.files) == 0
    # Someone else than the submitter (an editor even) cannot resubmit for the authors.
    with pytest.raises(submissions.SubmissionError, match="not waiting for a revision"):
        submissions.resubmit(dbsession, storage, s, world.editor, md, answer)
    submissions.resubmit(dbsession, storage, s, world.author, md, answer)
    assert s.state == SubmissionState.UNDER_REVIEW
    assert workflow.current_round(dbsession, s).number == 2
    # The two files and their reviewer copies, all in round 2.
    assert sorted((f.kind.value, f.round_number) for f in s.files) == [
        ("anonymised_manuscript", 2),
        ("anonymised_response", 2),
        ("manuscript", 2),
        ("response_to_reviewers", 2),
    ]
    assert [f.filename for f in services.reviewer_files(s, 2)] == ["revised.md", "response.txt"]
    assert all(f.source_id is not None for f in services.reviewer_files(s, 2))
