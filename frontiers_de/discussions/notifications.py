"""The email of a new message in a paper's discussion, one subscriber of
:class:`~frontiers_de.discussions.events.DiscussionMessagePosted` (``subscribers.py``).

Each of the thread's other participants (:func:`~frontiers_de.discussions.access.recipients`)
gets the message with a link to the thread on their own side (the editorial page, the
author's submission, the reviewer's assignment), in their preferred language. The poster's
name is given as that recipient's pages would show it (:func:`~.access.shown_name`): an
author is never told a reviewer's name, nor a reviewer in double-anonymous review an
author's; and a reviewer's email names none of the paper's authors.
"""

from __future__ import annotations

from typing import Any

from frontiers_de.accounts.models import User
from frontiers_de.discussions import access
from frontiers_de.discussions.events import DiscussionMessagePosted
from frontiers_de.discussions.models import DiscussionThread, Seat
from frontiers_de.journals.models import Journal
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import send_email, settings_of


def thread_link(settings: Any, thread: DiscussionThread, seat: Seat) -> str:
    """The thread's address on ``seat``'s side of the site."""
    if seat == Seat.REVIEWER:
        return email_url(
            settings, "review.discussion", assignment_id=thread.assignment_id, thread_id=thread.id
        )
    route = "editorial.discussion" if seat == Seat.EDITOR else "submissions.discussion"
    return email_url(settings, route, submission_id=thread.submission_id, thread_id=thread.id)


def message_posted(event: DiscussionMessagePosted) -> list[Any]:
    """Email the thread's other participants (see the module's docstring)."""
    db, settings = event.db, settings_of(event)
    submission, thread, message, poster = event.submission, event.thread, event.message, event.actor
    journal = db.get(Journal, submission.journal_id)
    sent = []
    for user, seat in access.recipients(db, thread, submission, poster):
        named = poster is not None and access.shown_name(message.seat, seat, submission, False)
        sent.append(
            send_email(
                db,
                settings,
                "discussion_message",
                [user.email],
                _context(user, seat, event, journal, poster.display_name if named else ""),
                journal,
            )
        )
    return sent


def _context(
    user: User, seat: Seat, event: DiscussionMessagePosted, journal: Any, poster: str
) -> dict[str, Any]:
    thread, message = event.thread, event.message
    return {
        "lang": user.preferred_language,
        "name": user.display_name,
        "poster": poster,
        "poster_seat": message.seat.value,
        "subject": thread.subject,
        "number": event.submission.id,
        "title": event.submission.title,
        "body": message.body,
        "attachments": [a.filename for a in message.attachments],
        "link": thread_link(settings_of(event), thread, seat),
        "journal": journal,
    }
