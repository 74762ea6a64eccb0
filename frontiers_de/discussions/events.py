"""The events of a paper's discussions (see :mod:`frontiers_de.events`)."""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.accounts.models import User
from frontiers_de.discussions.models import DiscussionMessage, DiscussionThread
from frontiers_de.events import DomainEvent
from frontiers_de.submissions.models import Submission


@dataclass(frozen=True, kw_only=True)
class DiscussionMessagePosted(DomainEvent):
    """``actor`` wrote ``message`` in ``thread`` of ``submission`` (a new thread's first
    message too). Announced by :mod:`frontiers_de.discussions.services`."""

    submission: Submission
    thread: DiscussionThread
    message: DiscussionMessage
    actor: User | None
