"""Starting threads, replying, attachments, unread counts and what each seat sees
(frontiers_de.discussions.services)."""

from __future__ import annotations

import pytest

from frontiers_de.discussions import services
from frontiers_de.discussions.events import DiscussionMessagePosted
from frontiers_de.discussions.models import DiscussionThread, Seat, ThreadKind
from frontiers_de.submissions.models import ReviewMode

LIMIT = 1000
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def start(db, world, place, kind="authors", subject="Data", body="A question.", uploads=(), **kw):
    return services.start_thread(
        db, world.storage, place, kind, subject, body, uploads, max_bytes=LIMIT, **kw
    )


def test_a_thread_starts_with_its_message_and_is_announced(dbsession, world, announced):
    seen = announced(DiscussionMessagePosted)
    thread = start(dbsession, world, world.place(Seat.AUTHOR), "editors", "  Data   sharing ")
    # An author's thread is with the editors, whatever kind the form claimed.
    assert thread.kind == ThreadKind.AUTHORS and thread.subject == "Data sharing"
    (message,) = thread.messages
    assert message.seat == Seat.AUTHOR and message.author_id == world.author.id
    assert [e.message for e in seen] == [message]


def test_a_reviewer_thread_is_always_on_their_own_assignment(dbsession, world):
    other = world.pending_assignment.id
    thread = start(dbsession, world, world.place(Seat.REVIEWER), "authors", assignment_id=other)
    assert thread.kind == ThreadKind.REVIEWER and thread.assignment_id == world.assignment.id


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body": "  \n "}, "Write a message."),
        ({"body": "x" * (services.MAX_BODY + 1)}, "The message is too long"),
        ({"subject": ""}, "Give the discussion a subject."),
        ({"subject": "s" * 201}, "The subject is too long"),
        ({"kind": "everyone"}, "Choose whom the discussion is with"),
        ({"kind": "reviewer", "assignment_id": "x"}, "who has accepted"),
        ({"uploads": [("a.html", b"<p>")]}, "cannot be attached"),
        ({"uploads": [("a.svg", b"<svg/>")]}, "cannot be attached"),
        ({"uploads": [("a.zip", b"PK")]}, "cannot be attached"),
        ({"uploads": [("a.png", b"x" * (LIMIT + 1))]}, "too large"),
        ({"uploads": [("a.png", b"GIF89a")]}, "is not a PNG file"),
        ({"uploads": [("../../a.txt", b"")]}, "The file is empty."),
        ({"uploads": [(f"{n}.txt", b"x") for n in range(6)]}, "At most 5 files"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(dbsession, world, fields, reason):
    with pytest.raises(services.DiscussionError) as caught:
        start(dbsession, world, world.place(Seat.EDITOR), **fields)
    assert reason in caught.value.message.interpolate()
    assert dbsession.query(DiscussionThread).count() == 0


def test_the_invited_reviewer_is_not_offered_nor_taken(dbsession, world):
    offered = [a.id for a, _label in services.reviewer_choices(dbsession, world.submission)]
    assert offered == [world.assignment.id]
    with pytest.raises(services.DiscussionError):
        start(
            dbsession,
            world,
            world.place(Seat.EDITOR),
            "reviewer",
            assignment_id=str(world.pending_assignment.id),
        )


def test_someone_outside_the_thread_cannot_write(dbsession, world):
    thread = start(dbsession, world, world.place(Seat.EDITOR), "editors")
    with pytest.raises(services.NotInDiscussion):
        services.reply(
            dbsession, world.storage, thread, world.place(Seat.AUTHOR), "Hi", max_bytes=LIMIT
        )
    with pytest.raises(services.NotInDiscussion):
        start(dbsession, world, world.place(Seat.REVIEWER, world.pending, world.pending_assignment))
    with pytest.raises(services.NotInDiscussion):
        start(dbsession, world, world.place(Seat.EDITOR, world.author))


def test_attachments_are_stored_with_their_checked_type(dbsession, world):
    thread = start(
        dbsession,
        world,
        world.place(Seat.AUTHOR),
        uploads=[("C:\\Users\\ada\\fig.png", PNG), ("notes.md", b"# Notes")],
    )
    files = thread.messages[0].attachments
    assert [(f.filename, f.media_type, f.size) for f in files] == [
        ("fig.png", "image/png", len(PNG)),
        ("notes.md", "text/markdown", 7),
    ]
    assert world.storage.get(files[0].sha256) == PNG
    assert services.attachment_of(dbsession, thread, files[0].id) is files[0]
    other = start(dbsession, world, world.place(Seat.EDITOR), "editors")
    assert services.attachment_of(dbsession, other, files[0].id) is None


def test_unread_counts_follow_each_reader(dbsession, world):
    thread = start(dbsession, world, world.place(Seat.AUTHOR))
    services.reply(
        dbsession, world.storage, thread, world.place(Seat.AUTHOR), "And more.", max_bytes=LIMIT
    )
    (editor_view,) = services.summaries(dbsession, world.place(Seat.EDITOR))
    (author_view,) = services.summaries(dbsession, world.place(Seat.AUTHOR))
    assert (editor_view.unread, author_view.unread) == (2, 0)
    assert editor_view.messages == 2 and editor_view.last_name == "Ada Lovelace"
    shown = services.open_thread(dbsession, thread, world.place(Seat.EDITOR))
    assert [m.unread for m in shown] == [True, True]
    (editor_view,) = services.summaries(dbsession, world.place(Seat.EDITOR))
    assert editor_view.unread == 0
    # Another editor has read nothing yet.
    (chief_view,) = services.summaries(dbsession, world.place(Seat.EDITOR, world.chief))
    assert chief_view.unread == 2


def test_each_seat_lists_only_its_threads(dbsession, world):
    for kind in ("authors", "reviewer", "editors"):
        start(
            dbsession,
            world,
            world.place(Seat.EDITOR),
            kind,
            subject=kind,
            assignment_id=world.assignment.id,
        )
    subjects = lambda place: sorted(s.thread.subject for s in services.summaries(dbsession, place))  # noqa: E731
    assert subjects(world.place(Seat.EDITOR)) == ["authors", "editors", "reviewer"]
    assert subjects(world.place(Seat.AUTHOR)) == ["authors"]
    assert subjects(world.place(Seat.REVIEWER)) == ["reviewer"]
    assert subjects(world.place(Seat.REVIEWER, world.pending, world.pending_assignment)) == []
    assert subjects(world.place(Seat.AUTHOR, world.reviewer)) == []
    assert subjects(world.place(Seat.EDITOR, world.author)) == []
    (reviewer_thread,) = [
        s for s in services.summaries(dbsession, world.place(Seat.EDITOR)) if s.reviewer
    ]
    assert reviewer_thread.thread.subject == "reviewer"


def test_names_hidden_from_the_viewer_are_not_given(dbsession, world):
    world.submission.review_mode = ReviewMode.DOUBLE_ANONYMOUS
    thread = start(dbsession, world, world.place(Seat.REVIEWER), subject="Q")
    services.reply(
        dbsession, world.storage, thread, world.place(Seat.EDITOR), "A.", max_bytes=LIMIT
    )
    by_editor = services.open_thread(dbsession, thread, world.place(Seat.EDITOR))
    assert [m.name for m in by_editor] == [world.reviewer.display_name, world.editor.display_name]
    by_reviewer = services.open_thread(dbsession, thread, world.place(Seat.REVIEWER))
    assert [(m.mine, m.name) for m in by_reviewer] == [
        (True, world.reviewer.display_name),
        (False, world.editor.display_name),
    ]
