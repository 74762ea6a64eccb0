"""Submissions as the editorial and review tests need them: ``SubmissionFactory(db=db,
journal=journal, submitter=author)`` is a submitted paper with an abstract; ``authors``
gives its contributors and ``uploads`` its files (dicts of Contributor and of
:class:`ManuscriptFileFactory` fields, numbered in order); ``section`` its section.
``ManuscriptFileFactory(db=db, submission=s, ...)`` adds a file to a submission that exists
(a review attachment, a later round); given ``storage`` it stores the bytes there
(content-addressed, like an upload)."""

from __future__ import annotations

import hashlib

import factory

from frontiers_de.db.meta import utcnow
from frontiers_de.submissions.models import (
    Contributor,
    FileKind,
    ManuscriptFile,
    Submission,
    SubmissionState,
)
from tests.factories import ModelFactory


class ManuscriptFileFactory(ModelFactory):
    class Meta:
        model = ManuscriptFile

    class Params:
        submission = None
        data = b"0"
        storage = None

    submission_id = factory.LazyAttribute(
        lambda o: o.submission.id if o.submission is not None else None
    )
    round_number = 0
    kind = FileKind.MANUSCRIPT
    filename = "manuscript.md"
    media_type = "text/markdown"
    size = factory.LazyAttribute(lambda o: len(o.data))
    sha256 = factory.LazyAttribute(
        lambda o: (
            o.storage.put(o.data) if o.storage is not None else hashlib.sha256(o.data).hexdigest()
        )
    )
    uploaded_by_id = factory.LazyAttribute(
        lambda o: o.submission.submitter_id if o.submission is not None else None
    )


class SubmissionFactory(ModelFactory):
    class Meta:
        model = Submission

    class Params:
        journal = None
        submitter = None
        section = None
        authors: tuple[dict, ...] = ()
        uploads: tuple[dict, ...] = ()

    journal_id = factory.LazyAttribute(lambda o: o.journal.id)
    section_id = factory.LazyAttribute(lambda o: o.section.id if o.section is not None else None)
    submitter_id = factory.LazyAttribute(lambda o: o.submitter.id)
    title = factory.Sequence(lambda n: f"Submission {n + 1}")
    abstract = "An abstract."
    state = SubmissionState.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.state is SubmissionState.DRAFT else utcnow()
    )
    contributors = factory.LazyAttribute(
        lambda o: [Contributor(position=n, **fields) for n, fields in enumerate(o.authors)]
    )
    files = factory.LazyAttribute(
        lambda o: [ManuscriptFileFactory.build(**fields) for fields in o.uploads]
    )
