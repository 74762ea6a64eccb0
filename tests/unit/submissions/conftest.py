"""The submission unit tests' drafts and file storage."""

from __future__ import annotations

import pytest

from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions import services
from tests.factories import make_journal, make_user

GOOD_ORCID = "0000-0002-1825-0097"
GOOD_ROR = "02n96ep67"


@pytest.fixture
def draft(dbsession):
    journal = make_journal(dbsession)
    user = make_user(
        dbsession,
        given_name="Wei",
        family_name="Zhang",
        native_name="张伟",
        orcid=GOOD_ORCID,
        affiliation="East China Normal University",
        ror_id=GOOD_ROR,
        country="CN",
    )
    submission = services.start_submission(dbsession, journal, user, journal.sections[0].id)
    return submission, user


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")
