"""The author's side of issue 12: deleting a draft's upload made by mistake, and correcting
the metadata while a revision is requested (who may, in which states, what is recorded)."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.security.roles import Role
from frontiers_de.storage import sha256_hex
from frontiers_de.submissions import services
from frontiers_de.submissions.models import FileKind, ManuscriptFile, SubmissionState
from tests.factories import make_user
from tests.unit.submissions.test_services import complete, details, docx_bytes, text

LETTER = "Please describe the sampling and correct the title."


@pytest.fixture
def editor(dbsession, draft):
    submission, _user = draft
    journal = dbsession.get(Journal, submission.journal_id)
    return make_user(dbsession, "editor@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)


@pytest.fixture
def revision(dbsession, draft, storage, editor):
    """The draft submitted, sent to review and sent back for a major revision."""
    submission, user = draft
    complete(dbsession, submission, user, storage)
    services.submit(dbsession, submission, user, submission.version, storage=storage)
    workflow.apply(dbsession, submission, "send_to_review", editor)
    workflow.apply(
        dbsession, submission, "decide", editor, decision=DecisionKind.MAJOR_REVISION, letter=LETTER
    )
    assert submission.state == SubmissionState.REVISION_REQUESTED
    return submission, user


def _actions(db, submission) -> list[AuditEvent]:
    return list(db.query(AuditEvent).filter_by(submission_id=submission.id).order_by(AuditEvent.id))


# --- deleting an upload ------------------------------------------------------------------------


def test_the_submitter_deletes_a_drafts_upload_and_the_shared_blob_stays(dbsession, draft, storage):
    submission, user = draft
    data = docx_bytes()
    wrong = services.add_file(dbsession, storage, submission, "supplementary", "a.docx", data, user)
    kept = services.add_file(dbsession, storage, submission, "manuscript", "b.docx", data, user)
    version = submission.version
    services.delete_file(dbsession, submission, wrong, user)
    assert [f.id for f in submission.files] == [kept.id]
    assert dbsession.get(ManuscriptFile, wrong.id) is None
    assert submission.version > version
    # Content-addressed: the other row holds the same bytes, which stay stored.
    assert storage.exists(sha256_hex(data))
    assert storage.get(kept.sha256) == data
    # No history line: a draft's uploads record none.
    assert [e.action for e in _actions(dbsession, submission)] == ["start"]


def test_only_the_submitter_may_delete_a_drafts_upload(dbsession, draft, storage):
    submission, user = draft
    row = services.add_file(
        dbsession, storage, submission, "manuscript", "p.docx", docx_bytes(), user
    )
    other = make_user(dbsession, "other@example.org")
    for who in (other, None):
        with pytest.raises(services.FileNotDeletable):
            services.delete_file(dbsession, submission, row, who)
    assert row in submission.files


def test_a_submitted_papers_files_are_never_deleted(dbsession, revision, storage):
    submission, user = revision
    row = submission.files[0]
    with pytest.raises(services.FileNotDeletable) as caught:
        services.delete_file(dbsession, submission, row, user)
    assert "cannot be deleted" in text(caught.value.message)
    assert row in submission.files


def test_a_file_of_another_submission_or_a_reviewer_copy_is_refused(dbsession, draft, storage):
    submission, user = draft
    copy = ManuscriptFile(
        round_number=0,
        kind=FileKind.ANONYMISED_MANUSCRIPT,
        filename="copy.docx",
        media_type="application/zip",
        size=1,
        sha256="0" * 64,
    )
    submission.files.append(copy)
    dbsession.flush()
    with pytest.raises(services.SubmissionError):
        services.delete_file(dbsession, submission, copy, user)


# --- correcting the metadata in a revision -------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (SubmissionState.DRAFT, True),
        (SubmissionState.REVISION_REQUESTED, True),
        (SubmissionState.SUBMITTED, False),
        (SubmissionState.UNDER_REVIEW, False),
        (SubmissionState.ACCEPTED, False),
    ],
)
def test_metadata_is_editable_by_the_submitter_in_a_draft_and_a_revision(draft, state, allowed):
    submission, user = draft
    submission.state = state
    assert services.metadata_editable(submission, user) is allowed
    assert services.metadata_editable(submission, None) is False
    assert services.editable(submission, user) is (state == SubmissionState.DRAFT)


def test_corrections_in_a_revision_are_recorded_and_named_on_resubmission(
    dbsession, revision, storage, editor
):
    submission, user = revision
    section_id, cover = submission.section_id, submission.cover_letter
    services.save_details(
        dbsession,
        submission,
        details(
            submission,
            title="Learning analytics in blended courses: a corrected title",
            keywords="learning analytics, sampling",
            section_id="999",  # pinned in a revision, like the language and the cover letter
            cover_letter="A new letter",
        ),
        user,
    )
    assert submission.section_id == section_id and submission.cover_letter == cover
    services.save_contributor(
        dbsession, submission, {"family_name": "Li", "given_name": "Na"}, [], user
    )
    services.add_funding(dbsession, submission, {"funder_name": "NSFC"}, user)
    assert services.corrections(dbsession, submission) == [
        "title",
        "keywords",
        "authors",
        "funding",
    ]
    lines = [e for e in _actions(dbsession, submission) if e.action == services.CORRECTION]
    assert [e.detail["fields"] for e in lines] == [["title", "keywords"], ["authors"], ["funding"]]

    event = services.resubmit(
        dbsession,
        storage,
        submission,
        user,
        ("revised.md", b"# Revised\n\nThe sampling is described."),
        ("response.txt", b"1. Described."),
    )
    assert event.detail == {"changed": ["title", "keywords", "authors", "funding"]}
    assert submission.state == SubmissionState.UNDER_REVIEW


def test_an_unchanged_save_in_a_revision_records_nothing(dbsession, revision):
    submission, user = revision
    services.save_details(dbsession, submission, details(submission), user)
    assert services.corrections(dbsession, submission) == []


def test_metadata_is_refused_after_resubmission_and_to_anyone_but_the_submitter(
    dbsession, revision, storage, editor
):
    submission, user = revision
    with pytest.raises(services.SubmissionError):
        services.save_details(dbsession, submission, details(submission, title="X"), editor)
    services.resubmit(
        dbsession, storage, submission, user, ("r.md", b"# R\n\nText."), ("resp.txt", b"Thanks.")
    )
    refused = (
        lambda: services.save_details(dbsession, submission, details(submission, title="X"), user),
        lambda: services.save_contributor(dbsession, submission, {"family_name": "Li"}, [], user),
        lambda: services.add_funding(dbsession, submission, {"funder_name": "NSFC"}, user),
        lambda: (
            services.remove_funding(dbsession, submission, submission.funding[0], user)
            if submission.funding
            else services.remove_contributor(
                dbsession, submission, submission.contributors[0], user
            )
        ),
    )
    for attempt in refused:
        with pytest.raises(services.SubmissionError):
            attempt()
    assert submission.title == "Learning analytics in blended courses"


def test_a_later_revision_counts_only_its_own_corrections(dbsession, revision, storage, editor):
    submission, user = revision
    services.save_details(dbsession, submission, details(submission, title="Second title"), user)
    services.resubmit(
        dbsession, storage, submission, user, ("r.md", b"# R\n\nText."), ("resp.txt", b"Thanks.")
    )
    workflow.apply(
        dbsession,
        submission,
        "decide",
        editor,
        decision=DecisionKind.MINOR_REVISION,
        letter="Minor.",
    )
    assert services.corrections(dbsession, submission) == []
    request = services.revision_request(dbsession, submission)
    assert request is not None and request.kind == DecisionKind.MINOR_REVISION


def test_the_revision_request_is_the_decision_asking_for_it(dbsession, revision, draft):
    submission, _user = revision
    request = services.revision_request(dbsession, submission)
    assert request is not None
    assert request.kind == DecisionKind.MAJOR_REVISION and request.letter == LETTER
