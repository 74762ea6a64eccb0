"""The author's description of each figure file: kept per file, cleaned, refused with the
field that is wrong, removed when emptied or when the file is deleted, and only while the
author may still change the submission."""

from __future__ import annotations

import pytest

from frontiers_de.submissions import services
from frontiers_de.submissions.models import SubmissionState
from tests.production_factories import image_bytes


def _figure(db, storage, submission, user, name="Figure 1.png"):
    return services.add_file(db, storage, submission, "figure", name, image_bytes(), user)


def test_kept_per_file_cleaned_and_removed_when_emptied(dbsession, draft, storage):
    submission, user = draft
    row = _figure(dbsession, storage, submission, user)
    assert services.figure_files(submission) == [row]
    kept = services.describe_figure_file(
        dbsession, submission, row, "  Bars\nfor three schools ", "A: 3\r\nB: 5", user
    )
    assert (kept.alt_text, kept.long_desc) == ("Bars for three schools", "A: 3\nB: 5")
    assert services.figure_descriptions(dbsession, submission) == {row.id: kept}
    assert services.describe_figure_file(dbsession, submission, row, "", " ", user) is None
    assert services.figure_descriptions(dbsession, submission) == {}


def test_refused_with_its_field_and_nothing_kept(dbsession, draft, storage):
    submission, user = draft
    row = _figure(dbsession, storage, submission, user)
    with pytest.raises(services.InvalidInput) as refused:
        services.describe_figure_file(dbsession, submission, row, "x" * 251, "", user)
    assert set(refused.value.form.errors) == {"alt_text"}
    assert refused.value.form.sent["alt_text"] == "x" * 251
    assert services.figure_descriptions(dbsession, submission) == {}


def test_deleting_the_file_drops_its_description(dbsession, draft, storage):
    submission, user = draft
    row = _figure(dbsession, storage, submission, user)
    services.describe_figure_file(dbsession, submission, row, "Bars", "", user)
    services.delete_file(dbsession, submission, row, user)
    assert services.figure_descriptions(dbsession, submission) == {}


def test_only_the_submitter_while_they_may_change_it(dbsession, draft, storage):
    submission, user = draft
    row = _figure(dbsession, storage, submission, user)
    submission.state = SubmissionState.SUBMITTED
    with pytest.raises(services.SubmissionError):
        services.describe_figure_file(dbsession, submission, row, "Bars", "", user)
    submission.state = SubmissionState.REVISION_REQUESTED
    assert services.describe_figure_file(dbsession, submission, row, "Bars", "", user)
