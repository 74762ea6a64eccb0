"""What the deadline engine announces (:mod:`frontiers_de.deadlines.engine`): a reminder is
due to the person a deadline falls to, or the editor-in-chief is to be told that it is
overdue. The domain owning the item sends the reminder (it knows whom, and what link);
the escalation is sent by this package's notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontiers_de.events import DomainEvent

if TYPE_CHECKING:
    from frontiers_de.deadlines.engine import Deadline


@dataclass(frozen=True, kw_only=True)
class DeadlineReminder(DomainEvent):
    deadline: Deadline
    stage: str  # "before:N" or "after:N"
    now: dt.datetime

    @property
    def before(self) -> bool:
        """A reminder ahead of the due date (else the item is due or overdue)."""
        return self.stage.startswith("before:")


@dataclass(frozen=True, kw_only=True)
class DeadlineEscalated(DomainEvent):
    deadline: Deadline
    now: dt.datetime
