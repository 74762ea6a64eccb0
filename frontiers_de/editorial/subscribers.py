"""What the editorial domain does when a submission moves: it emails the people the move
concerns, tells an editor assigned to handle a paper, reminds editors and authors of their
deadlines and tells the editor-in-chief of those long overdue
(:mod:`frontiers_de.editorial.notifications`)."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.deadlines.events import DeadlineEscalated, DeadlineReminder
from frontiers_de.editorial import notifications
from frontiers_de.editorial.events import HandlingEditorAssigned, SubmissionMoved


def includeme(config: Configurator) -> None:
    config.add_subscriber(notifications.submission_moved, SubmissionMoved)
    config.add_subscriber(notifications.handling_editor_assigned, HandlingEditorAssigned)
    config.add_subscriber(notifications.send_deadline_reminder, DeadlineReminder)
    config.add_subscriber(notifications.send_deadline_escalation, DeadlineEscalated)
