"""The panels editorial adds to the workspace of a submission beside its built-in ones
(:mod:`frontiers_de.editorial.workspace`), registered by :func:`register` from the domain's
``includeme``. Each gives its facts, or None to stay out for a paper:

- **Deadlines** (side column, first): the paper's open deadlines under the journal's rules,
  as the deadline engine computes them for every list (:func:`engine.open_deadlines`),
  each with what is due, from whom, its date and, in words, whether it is overdue. None
  when nothing is open.
- **Find reviewers** (main column, after the reviewers): while the paper is under review,
  the first few suggestions of the reviewer finder ranked for it (those that match it)
  (:func:`reviewer_finder.find`), with the link to the whole ranking
  (``/editorial/reviewers?submission=ID``). None in any other state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines import engine
from frontiers_de.deadlines.rules import KIND_LABELS
from frontiers_de.editorial import reviewer_finder
from frontiers_de.editorial.workspace import MAIN, SIDE, Panel
from frontiers_de.review import services as review_services
from frontiers_de.submissions.models import Submission, SubmissionState

TOP_SUGGESTIONS = 3  # the finder's suggestions the workspace shows (the review page: 5)


@dataclass(frozen=True)
class DeadlineLine:
    deadline: engine.Deadline
    what: TranslationString  # the kind of deadline ("Review due", "Revision due ...")
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class DeadlineFacts:
    lines: list[DeadlineLine]
    now: dt.datetime

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.lines)


def deadline_facts(
    db: Session, submission: Submission, editor: User | None, now: dt.datetime | None = None
) -> DeadlineFacts | None:
    """The paper's open deadlines, the earliest first (None when it has none)."""
    now = now or utcnow()
    found = [
        d
        for d in engine.open_deadlines(db, now, journal_id=submission.journal_id)
        if d.submission_id == submission.id
    ]
    if not found:
        return None
    lines = [
        DeadlineLine(d, KIND_LABELS[d.kind], d.is_overdue(now), d.days_overdue(now)) for d in found
    ]
    return DeadlineFacts(lines, now)


@dataclass(frozen=True)
class FinderFacts:
    rows: list[reviewer_finder.Row]  # the best matches, best first
    may_invite: bool  # the editor may invite now (the Invite links)


def finder_facts(db: Session, submission: Submission, editor: User | None) -> FinderFacts | None:
    """The finder's first suggestions for the paper while it is under review (else None):
    reviewers who match it at all (a score of 0 is no suggestion; the whole ranking is a
    link away)."""
    if submission.state != SubmissionState.UNDER_REVIEW:
        return None
    found = reviewer_finder.find(
        db, submission.journal_id, submission, with_conflicts=TOP_SUGGESTIONS
    )
    matching = [row for row in found.rows if row.match is not None and row.match.score > 0]
    return FinderFacts(
        matching[:TOP_SUGGESTIONS], review_services.may_invite(db, submission, editor)
    )


PANELS = (
    Panel("deadlines", "editorial/workspace/_deadlines.html", SIDE, 5, deadline_facts),
    Panel("finder", "editorial/workspace/_finder.html", MAIN, 25, finder_facts),
)


def register(config: Configurator) -> None:
    """Add editorial's own panels to the workspace."""
    for panel in PANELS:
        config.add_workspace_panel(panel)
