"""The events of review assignments (see :mod:`frontiers_de.events`).

:class:`AssignmentMoved` is announced by :func:`frontiers_de.review.assignments.apply` after
every move of the assignment table (accept, decline, submit, cancel, ...), once the state
and the audit event are written; mail tells the editor and the reviewer from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.accounts.models import User
from frontiers_de.events import DomainEvent
from frontiers_de.review.models import AssignmentState, ReviewAssignment


@dataclass(frozen=True, kw_only=True)
class AssignmentMoved(DomainEvent):
    """``assignment`` made ``move`` (a name of the assignment table) from ``before``."""

    assignment: ReviewAssignment
    move: str
    before: AssignmentState
    actor: User | None
