"""Review modes and reviewer copies as services: the section's mode goes with the paper
when it is submitted, the editor may change it only before review, copies are made once
for every file a reviewer may be given, and in double-anonymous review a reviewer is given
nothing but cleaned copies."""

from __future__ import annotations

import io

import pikepdf
import pytest

from frontiers_de.editorial import services as editorial
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions import services
from frontiers_de.submissions.models import FileKind, ReviewMode, SubmissionState
from tests import anonymity_samples as samples
from tests.factories import make_user
from tests.unit.submissions.test_services import details


def complete(db, submission, user, storage) -> None:
    """What submitting needs, with a real DOCX whose hidden parts name the author."""
    services.save_details(
        db,
        submission,
        details(
            submission,
            title="Learning analytics in blended courses",
            abstract="Short abstract of the study.",
            keywords="learning analytics, blended learning",
            competing_interests="None.",
            data_availability="On request.",
        ),
        user,
    )
    data = samples.docx(references=())
    services.add_file(db, storage, submission, "manuscript", "paper.docx", data, user)


def submitted(db, submission, user, storage, mode=ReviewMode.DOUBLE_ANONYMOUS):
    from frontiers_de.journals.models import Section

    db.get(Section, submission.section_id).review_mode = mode
    complete(db, submission, user, storage)
    services.submit(db, submission, user, submission.version, storage=storage)
    return submission


def test_submitting_takes_the_sections_mode_and_makes_the_copies(dbsession, draft, storage):
    submission, user = draft
    assert services.review_mode_of(dbsession, submission) == ReviewMode.SINGLE_ANONYMOUS
    services.add_file(dbsession, storage, submission, "figure", "fig.png", samples.png(), user)
    services.add_file(
        dbsession, storage, submission, "cover_letter", "letter.txt", b"Dear editors", user
    )
    # A draft's files have no stored copy yet: the check makes one in memory.
    assert not services.reviewer_copies(submission)
    submitted(dbsession, submission, user, storage)
    assert submission.review_mode == ReviewMode.DOUBLE_ANONYMOUS
    copies = services.reviewer_copies(submission)
    kinds = sorted(c.kind.value for c in copies.values())
    assert kinds == ["anonymised_figure", "anonymised_manuscript"]  # no cover letter copy
    figure = next(c for c in copies.values() if c.kind == FileKind.ANONYMISED_FIGURE)
    assert figure.anonymisation["cleaned"] is True
    assert "text chunk 'Author'" in figure.anonymisation["removed"]
    assert storage.get(figure.sha256) != samples.png()
    # Idempotent: asking again makes nothing new.
    assert services.make_reviewer_copies(dbsession, storage, submission) == []


def test_double_anonymous_reviewers_get_only_cleaned_copies(dbsession, draft, storage):
    submission, user = draft
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(samples.pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    services.add_file(
        dbsession, storage, submission, "supplementary", "locked.pdf", out.getvalue(), user
    )
    submitted(dbsession, submission, user, storage)
    checks = services.anonymity_check(storage, submission)
    locked = next(c for c in checks if c.original.filename == "locked.pdf")
    assert not locked.cleaned and locked.needs_attention
    assert "encrypted" in locked.warnings[0]
    files = review.reviewer_files(submission)
    assert [f.kind for f in files] == [FileKind.ANONYMISED_MANUSCRIPT]
    # In single-anonymous review the same file is given (its copy is its own bytes).
    submission.review_mode = ReviewMode.SINGLE_ANONYMOUS
    assert [f.filename for f in review.reviewer_files(submission)] == ["paper.docx", "locked.pdf"]
    assert all(f.source_id is not None for f in review.reviewer_files(submission))


def test_an_original_without_a_copy_is_withheld_in_double_anonymous_review(
    dbsession, draft, storage
):
    submission, user = draft
    complete(dbsession, submission, user, storage)
    services.submit(dbsession, submission, user, submission.version)  # no storage: no copies
    submission.review_mode = ReviewMode.DOUBLE_ANONYMOUS
    assert review.reviewer_files(submission) == []
    submission.review_mode = ReviewMode.OPEN
    assert [f.kind for f in review.reviewer_files(submission)] == [FileKind.MANUSCRIPT]


def test_only_an_editor_changes_the_mode_and_only_before_review(dbsession, draft, storage):
    submission, user = draft
    submitted(dbsession, submission, user, storage, ReviewMode.SINGLE_ANONYMOUS)
    journal_id = submission.journal_id
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR])
    reviewer = make_user(dbsession, roles=[Role.REVIEWER])
    for who in (user, reviewer, None):
        with pytest.raises(services.SubmissionError, match="only by an editor"):
            services.change_review_mode(dbsession, submission, who, "open")
    for bad in ("", "anonymous", "OPEN", None, "double_anonymous\x00"):
        with pytest.raises(services.SubmissionError, match="Choose single-anonymous"):
            services.change_review_mode(dbsession, submission, editor, bad)
    assert submission.review_mode == ReviewMode.SINGLE_ANONYMOUS
    assert services.change_review_mode(dbsession, submission, editor, "single_anonymous") is None
    event = services.change_review_mode(dbsession, submission, editor, "double_anonymous")
    assert isinstance(event, AuditEvent) and event.detail == {
        "from": "single_anonymous",
        "to": "double_anonymous",
    }
    editorial.act(dbsession, submission, "send_to_review", editor, storage=storage)
    assert submission.state == SubmissionState.UNDER_REVIEW
    with pytest.raises(services.SubmissionError, match="before the paper is sent"):
        services.change_review_mode(dbsession, submission, editor, "open")
    assert submission.review_mode == ReviewMode.DOUBLE_ANONYMOUS
    assert journal_id == submission.journal_id
