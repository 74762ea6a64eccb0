"""Submissions as the editorial and review tests need them: ``SubmissionFactory(db=db,
journal=journal, submitter=author)`` is a submitted paper with an abstract; ``authors``
gives its contributors (dicts of Contributor fields, numbered in order)."""

from __future__ import annotations

import factory

from frontiers_de.db.meta import utcnow
from frontiers_de.submissions.models import Contributor, Submission, SubmissionState
from tests.factories import ModelFactory


class SubmissionFactory(ModelFactory):
    class Meta:
        model = Submission

    class Params:
        journal = None
        submitter = None
        authors: tuple[dict, ...] = ()

    journal_id = factory.LazyAttribute(lambda o: o.journal.id)
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
