"""What the review domain does when an invitation is made or moves: it emails the reviewer
or the editor (:mod:`frontiers_de.review.notifications`); and it reminds reviewers of their
deadlines when the deadline engine says so."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.deadlines.events import DeadlineReminder
from frontiers_de.review import notifications
from frontiers_de.review.events import AssignmentMoved, ReviewerInvited


def includeme(config: Configurator) -> None:
    config.add_subscriber(notifications.send_invitation, ReviewerInvited)
    config.add_subscriber(notifications.assignment_moved, AssignmentMoved)
    config.add_subscriber(notifications.send_deadline_reminder, DeadlineReminder)
