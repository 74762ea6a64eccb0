"""The events of the submission workflow (see :mod:`frontiers_de.events`).

:class:`SubmissionMoved` is announced by :func:`frontiers_de.editorial.workflow.apply` after
every transition, once the state, the decision and the audit event are written. Other
domains react to it in their ``subscribers.py``: production opens an article on
acceptance, Crossref assigns a DOI on acceptance and queues a deposit on publication, mail
tells the people concerned.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.accounts.models import User
from frontiers_de.editorial.models import AuditEvent, DecisionKind
from frontiers_de.events import DomainEvent
from frontiers_de.submissions.models import Submission, SubmissionState


@dataclass(frozen=True, kw_only=True)
class SubmissionMoved(DomainEvent):
    """``submission`` went through ``transition`` (a name of the workflow's table) from
    ``before``; ``decision`` is the decision's kind for ``decide`` and ``desk_reject``."""

    submission: Submission
    transition: str
    before: SubmissionState
    actor: User | None
    audit: AuditEvent
    decision: DecisionKind | None = None
    letter: str = ""

    @property
    def hook_name(self) -> str:
        """``decide:<kind>`` for a decision, else the transition's name."""
        if self.transition == "decide" and self.decision is not None:
            return f"decide:{self.decision.value}"
        return self.transition


@dataclass(frozen=True, kw_only=True)
class HandlingEditorAssigned(DomainEvent):
    """``actor`` (the editor-in-chief) made ``editor`` the handling editor of
    ``submission`` (None: nobody handles it now), after ``previous``; ``audit`` records it.
    Announced by :func:`frontiers_de.editorial.handling.assign`."""

    submission: Submission
    editor: User | None
    previous: User | None
    actor: User | None
    audit: AuditEvent
