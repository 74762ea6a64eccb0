"""Peer-review test helpers: fixed clock and due date, a good review form, a
:class:`ReviewWorld` (the ``world`` fixture of tests/unit/review/conftest.py), invite and
accept through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal
from frontiers_de.review import services
from frontiers_de.submissions.models import Submission

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
DUE = "2026-12-15"
SETTINGS: dict[str, str] = {}
GOOD = {
    "recommendation": "minor_revision",
    "score_originality": "4",
    "score_rigour": "3",
    "score_clarity": "5",
    "score_relevance": "4",
    "comments_to_author": "The sampling needs a clearer account.",
    "comments_to_editor": "No ethical concerns.",
}


@dataclass
class ReviewWorld:
    """A journal with a paper under review: its author, a co-author who is also a reviewer
    of the journal, a section editor and a reviewer."""

    journal: Journal
    author: User
    coauthor: User
    editor: User
    reviewer: User
    submission: Submission


def invite(db, w: ReviewWorld, **kw):
    kw.setdefault("reviewer_id", w.reviewer.id)
    return services.invite(db, w.submission, w.editor, due=DUE, now=NOW, **kw)


def accepted(db, w: ReviewWorld):
    invitation = invite(db, w)
    services.accept(db, invitation.assignment, now=NOW)
    return invitation.assignment
