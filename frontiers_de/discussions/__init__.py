"""Discussions on a submission: threads between its editors and its authors, its editors
and each reviewer, and the editors' own notes, with attachments, unread counts and an
email for each message (models, access, services, events, notifications, views).

It sits above editorial and review (it asks ``workflow.may_handle`` and the review
assignments), so those domains never import it: their pages reach a paper's threads
through the ``discussion_threads`` template global registered here, which the
``templates/discussions/_panel.html`` macro uses, and the editor's workspace shows them in
the panel this package adds to it (``config.add_workspace_panel``)."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.events import BeforeRender

from frontiers_de.db import database_usable


def add_discussion_threads(event: BeforeRender) -> None:
    """Every page template can list the threads of a paper its viewer may see:
    ``discussion_threads(submission)`` (the editors' side), ``discussion_threads(submission,
    seat='author')``, ``discussion_threads(assignment=a)`` (the reviewer's)."""
    request = event.get("request")
    if request is None:
        return

    def discussion_threads(
        submission: Any = None, seat: str = "editor", assignment: Any = None
    ) -> list[Any]:
        from frontiers_de.discussions import access, services
        from frontiers_de.discussions.models import Seat

        if not database_usable(request):
            return []
        if assignment is not None:
            submission = access.assignment_submission(assignment)
            seat = Seat.REVIEWER
        if submission is None:
            return []
        place = services.Place(submission, request.user, Seat(seat), assignment)
        return services.summaries(request.db, place)

    event.setdefault("discussion_threads", discussion_threads)


def includeme(config: Configurator) -> None:
    """Register the template global (views are found by the app's scan) and the
    Discussions panel of the editor's workspace (editorial, below, offers the directive)."""
    from frontiers_de.discussions import access
    from frontiers_de.editorial import workspace

    config.add_subscriber(add_discussion_threads, BeforeRender)
    config.add_workspace_panel(
        workspace.Panel(
            "discussions",
            "discussions/_workspace_panel.html",
            workspace.MAIN,
            30,
            access.workspace_panel,
            "frontiers_de:static/css/discussions.css",
        )
    )
