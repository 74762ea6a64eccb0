"""The events of review assignments (see :mod:`frontiers_de.events`).

:class:`ReviewerInvited` is announced by :func:`frontiers_de.review.services.invite` once
the assignment and its audit event are written; :class:`AssignmentMoved` by
:func:`frontiers_de.review.assignments.apply` after every move of the assignment table
(accept, decline, submit, cancel, ...), once the state and the audit event are written.
Review's own subscribers (:mod:`frontiers_de.review.notifications`) email the reviewer
and the editor from them.
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


@dataclass(frozen=True, kw_only=True)
class ReviewerInvited(DomainEvent):
    """``editor`` invited a reviewer: ``assignment`` is new (invited), ``token`` the secret
    of its Accept / Decline link (only here, for the email: the table keeps its hash)."""

    assignment: ReviewAssignment
    token: str
    editor: User | None
