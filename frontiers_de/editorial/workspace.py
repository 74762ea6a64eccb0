"""The editor's workspace of one submission (``/editorial/submissions/{id}``): everything an
editor handling the paper needs on one page, assembled here so that the view stays thin.

- **At the top**: the state, the handling editor, the due dates of the open round and the
  actions the editor may take *now*. The moves come from the workflow table
  (:func:`workflow.available`), never from a list of rules of their own: this module only
  says how each move is offered (:data:`MOVE_OFFERS`: its label, the route that makes it,
  whether it is a form); the review steps beside them ask their own rules
  (:func:`review_services.may_invite`, :func:`handling.may_assign`). One of them is the
  *primary* action, the one the paper waits for (:func:`primary_action`).
- **The stages**: the submission, each review round, each decision, the revision the
  authors owe, production, with their dates.
- **The participants**: the authors, the handling editor, the reviewers of every round with
  the state of their invitation, its due date and whether it is overdue: the deadline
  engine's answer under the journal's rules (:func:`late_assignments`), as in every list.
  Editors see every name, whatever the review mode; the mode's note says who is hidden
  from whom.
- **The files** by round and version, linked to the downloads that exist for editors.
- **The history**: every audit line of the paper, named.

The page is made of panels (:class:`Panel`): the built-in ones here, and those other parts
add with :func:`add_panel` (a configuration directive, ``config.add_workspace_panel``), each
with a function that gives its facts or None to leave it out: editorial's deadlines and
finder panels (:mod:`frontiers_de.editorial.workspace_panels`), the discussions' panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyramid.config import Configurator
from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines.engine import Deadline
from frontiers_de.editorial import handling, services, workflow
from frontiers_de.editorial.models import AuditEvent, Decision
from frontiers_de.i18n import _
from frontiers_de.review import assignments
from frontiers_de.review import services as review_services
from frontiers_de.review.deadlines import overdue_assignments
from frontiers_de.review.models import AssignmentState, ReviewAssignment, ReviewRound
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import FileKind, ManuscriptFile, ReviewMode, Submission
from frontiers_de.submissions.models import SubmissionState as S

# --- actions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """How the workspace offers a move: its label, the route that makes it (with the
    route's parameters besides the submission's id), and the form it needs ("" a link)."""

    label: TranslationString
    route: str
    form: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    with_submission: bool = True  # the route takes the submission's id
    anchor: str = ""


# Each move of the workflow table an editor makes, as the workspace offers it.
MOVE_OFFERS: dict[str, Offer] = {
    "send_to_review": Offer(
        _("Send to peer review"),
        "editorial.act",
        form="send_to_review",
        params={"action": "send_to_review"},
    ),
    "desk_reject": Offer(
        _("Reject without review"),
        "editorial.act",
        form="desk_reject",
        params={"action": "desk_reject"},
    ),
    "decide": Offer(_("Decide, beside the reviews"), "editorial.review_compare"),
    "withdraw": Offer(_("Withdraw the submission"), "submissions.withdraw", form="withdraw"),
    "start_production": Offer(_("Start production"), "production.start", form="post"),
    "publish": Offer(_("Publish, from production"), "production.dashboard", with_submission=False),
}
# The moves of the table the workspace does not offer, and why (a test keeps the two lists
# covering the table).
NOT_OFFERED: dict[str, str] = {
    "submit": "the submitter's own move, on the author's pages",
    "resubmit": "the submitter's own move, on the author's pages",
    "correct": "made on the published article, not from the editorial side",
    "retract": "made on the published article, not from the editorial side",
}
# The review steps offered beside the moves (each asks its own rule).
STEP_OFFERS: dict[str, Offer] = {
    "invite": Offer(_("Invite reviewers"), "editorial.review", anchor="invite-heading"),
    "assign": Offer(_("Assign a handling editor"), "editorial.handling"),
}


@dataclass(frozen=True)
class Action:
    name: str  # the move's name, or a review step's ("invite", "assign")
    offer: Offer
    primary: bool = False

    def route_args(self, submission_id: int) -> dict[str, Any]:
        """The arguments of ``request.route_path`` for this action's route."""
        args: dict[str, Any] = dict(self.offer.params)
        if self.offer.with_submission:
            args["submission_id"] = submission_id
        if self.offer.anchor:
            args["_anchor"] = self.offer.anchor
        return args


def offered_moves(submission: Submission, editor: User | None) -> list[str]:
    """The moves of the workflow table ``editor`` may make now that the workspace offers."""
    return [name for name in workflow.available(submission, editor) if name in MOVE_OFFERS]


def primary_action(names: Iterable[str], reviews_in: int, active_reviewers: int) -> str | None:
    """The action the paper waits for, among those offered (``names``): the decision once a
    review is in, reviewers while none is at work, else the state's own next move."""
    offered = list(names)
    order = [
        "decide" if reviews_in else "",
        "invite" if not active_reviewers else "",
        "send_to_review",
        "start_production",
        "publish",
        "invite",
        "decide",
    ]
    return next((name for name in order if name and name in offered), None)


# --- stages, people, files, history ------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str  # "submission", "round-2", "decision-7", "revision", "production", ...
    title: TranslationString
    status: str  # "done", "current" or "upcoming"
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    notes: tuple[TranslationString, ...] = ()
    detail: TranslationString | None = None  # said after the title ("Decision: Accept")


@dataclass(frozen=True)
class ReviewerLine:
    """One invitation of one round, as the editors see it (names always)."""

    round_number: int
    assignment: ReviewAssignment
    reviewer: User | None
    late: Deadline | None = None  # its deadline, when the engine says it is overdue

    @property
    def overdue(self) -> bool:
        return self.late is not None

    @property
    def state_label(self) -> TranslationString:
        return review_services.STATE_LABELS[self.assignment.state]


@dataclass(frozen=True)
class FileLine:
    row: ManuscriptFile
    label: TranslationString
    route: str | None  # the download for editors (None: production's, not linked here)
    version: int | None = None  # the manuscript's, the response's, the cover letter's
    current: bool = False  # the newest of its kind
    copy: ManuscriptFile | None = None  # the reviewers' copy made of it


@dataclass(frozen=True)
class FileRound:
    number: int  # 0: as submitted; N: came with round N (a revision, reviewers' files)
    files: tuple[FileLine, ...]
    production: bool = False  # production's files (JATS, proofs, the final PDF), apart


@dataclass(frozen=True)
class HistoryLine:
    event: AuditEvent
    label: TranslationString | str
    actor: User | None
    note: TranslationString | str = ""
    fields: tuple[TranslationString, ...] = ()  # the metadata the authors corrected


FILE_LABELS: dict[FileKind, TranslationString] = {
    **submission_rules.KIND_LABELS,
    FileKind.REVIEW_ATTACHMENT: _("Reviewer's attachment"),
    FileKind.JATS: _("JATS XML"),
    FileKind.PROOF_PDF: _("Proof PDF"),
    FileKind.FINAL_PDF: _("Final PDF"),
}
VERSIONED = (FileKind.MANUSCRIPT, FileKind.RESPONSE_TO_REVIEWERS, FileKind.COVER_LETTER)
PRODUCTION_FILE_KINDS = frozenset({FileKind.JATS, FileKind.PROOF_PDF, FileKind.FINAL_PDF})
EDITOR_FILE_KINDS = frozenset({FileKind.REVIEW_ATTACHMENT, *submission_rules.COPY_SOURCE_KINDS})

HISTORY_LABELS: dict[str, TranslationString] = {
    "start": _("Draft started"),
    "submit": _("Submitted"),
    "withdraw": _("Withdrawn"),
    "desk_reject": _("Rejected without review"),
    "send_to_review": _("Sent to peer review"),
    "decide": _("Decision"),
    "resubmit": _("Revision submitted"),
    "correct_metadata": _("Metadata corrected"),
    handling.ASSIGN: _("Handling editor assigned"),
    "review_mode_change": _("Review mode changed"),
    "review_invite": _("Reviewer invited"),
    "review_accept": _("Invitation accepted"),
    "review_decline": _("Invitation declined"),
    "review_submit": _("Review submitted"),
    "review_due_change": _("Review due date changed"),
    "review_cancel": _("Invitation cancelled"),
    "start_production": _("Production started"),
    "publish": _("Published"),
    "correct": _("Correction published"),
    "retract": _("Retracted"),
    "proof_sent": _("Proof sent to the author"),
    "proof_approved": _("Proof approved"),
    "proof_corrections": _("Proof corrections asked for"),
    "jats_uploaded": _("JATS XML replaced"),
    "asset_uploaded": _("Production file uploaded"),
    "figure_chosen": _("Figure chosen"),
    "figure_described": _("Figure description changed"),
    "issue_assigned": _("Placed in an issue"),
    "issue_removed": _("Taken out of an issue"),
    "placement_told": _("Author told of the placement"),
}

ANONYMITY_NOTES: dict[ReviewMode, TranslationString] = {
    ReviewMode.SINGLE_ANONYMOUS: _(
        "Single-anonymous: the reviewers see the authors' names; the authors never learn "
        "who reviewed. You see every name."
    ),
    ReviewMode.DOUBLE_ANONYMOUS: _(
        "Double-anonymous: the reviewers do not see the authors' names, nor the authors "
        "the reviewers'. You see every name."
    ),
    ReviewMode.OPEN: _(
        "Open review: the authors and the reviewers may know each other's names; reviews "
        "may be published with the article."
    ),
}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def late_assignments(db: Session, submission: Submission, now: dt.datetime) -> dict[int, Deadline]:
    """The paper's invitations and reviews that are overdue, by assignment id: the deadline
    engine's answer under the journal's rules (an invitation unanswered past its period, a
    review past the date the editor set), the same one every list of the journal gives."""
    late = overdue_assignments(db, submission.journal_id, now)
    return {item: d for item, d in late.items() if d.submission_id == submission.id}


def reviewer_lines(
    db: Session, rounds: list[ReviewRound], late: Mapping[int, Deadline]
) -> list[ReviewerLine]:
    """Every invitation of every round, latest round first, in order of invitation, each
    with its overdue deadline from ``late`` (:func:`late_assignments`)."""
    ids = {a.reviewer_id for rnd in rounds for a in rnd.assignments}
    people = {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [
        ReviewerLine(rnd.number, a, people.get(a.reviewer_id), late.get(a.id))
        for rnd in sorted(rounds, key=lambda r: r.number, reverse=True)
        for a in sorted(rnd.assignments, key=lambda a: (a.invited_at, a.id))
    ]


def file_rounds(submission: Submission) -> list[FileRound]:
    """The paper's files grouped by the round they came with (0: as submitted), each
    manuscript, response and cover letter numbered as a version, the newest marked; the
    reviewers' copies beside their originals rather than apart; production's files (JATS,
    proofs, the final PDF) last, in a group of their own."""
    rows = sorted(submission.files, key=lambda f: f.id)
    copies = {f.source_id: f for f in rows if f.source_id is not None}
    versions: dict[int, int] = {}
    newest: dict[FileKind, int] = {}
    for kind in VERSIONED:
        of_kind = [f for f in rows if f.kind is kind]
        versions.update({f.id: n for n, f in enumerate(of_kind, start=1)})
        if of_kind:
            newest[kind] = of_kind[-1].id
    by_round: dict[int, list[FileLine]] = {}
    for row in rows:
        if row.source_id is not None:
            continue
        if row.kind in submission_rules.AUTHOR_FILE_KINDS:
            route: str | None = "submissions.file"
        elif row.kind in EDITOR_FILE_KINDS:
            route = "editorial.review_file"
        else:
            route = None
        line = FileLine(
            row,
            FILE_LABELS.get(row.kind, _("File")),
            route,
            versions.get(row.id),
            newest.get(row.kind) == row.id,
            copies.get(row.id),
        )
        by_round.setdefault(row.round_number, []).append(line)
    rounds = [
        FileRound(
            n, tuple(line for line in by_round[n] if line.row.kind not in PRODUCTION_FILE_KINDS)
        )
        for n in sorted(by_round)
    ]
    made = tuple(
        line
        for n in sorted(by_round)
        for line in by_round[n]
        if line.row.kind in PRODUCTION_FILE_KINDS
    )
    return [r for r in rounds if r.files] + ([FileRound(0, made, production=True)] if made else [])


def _history_note(
    event: AuditEvent, people: Mapping[int, User], reviewers: Mapping[int, int]
) -> Any:
    detail = event.detail or {}
    if event.action in ("decide", "desk_reject") and detail.get("decision"):
        kind = detail["decision"]
        return next((v for k, v in services.DECISION_LABELS.items() if k.value == kind), kind)
    if event.action == handling.ASSIGN:
        editor = people.get(detail.get("editor_id") or 0)
        return editor.display_name if editor else _("nobody (unassigned)")
    if event.action.startswith("review_") and isinstance(detail.get("assignment"), int):
        reviewer = people.get(reviewers.get(detail["assignment"], 0))
        return reviewer.display_name if reviewer else ""
    if event.action == "withdraw" and detail.get("reason"):
        return str(detail["reason"])
    return ""


def history(db: Session, submission: Submission, rounds: list[ReviewRound]) -> list[HistoryLine]:
    """Every audit line of the paper, newest first, named, with its actor and what it was
    about (the decision, the reviewer, the handling editor, the withdrawal's reason)."""
    events = list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == submission.id)
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )
    reviewers = {a.id: a.reviewer_id for rnd in rounds for a in rnd.assignments}
    ids = {e.actor_id for e in events if e.actor_id} | set(reviewers.values())
    ids |= {e.detail.get("editor_id") for e in events if isinstance(e.detail.get("editor_id"), int)}
    people = {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [
        HistoryLine(
            e,
            HISTORY_LABELS.get(e.action, e.action.replace("_", " ")),
            people.get(e.actor_id) if e.actor_id else None,
            _history_note(e, people, reviewers),
            _corrected_fields(e),
        )
        for e in events
    ]


def _corrected_fields(event: AuditEvent) -> tuple[TranslationString, ...]:
    """The metadata a correction or a resubmission changed, named as the author's forms do."""
    detail = event.detail or {}
    names = detail.get("fields") or detail.get("changed") or []
    labels = submission_rules.CORRECTABLE_FIELDS
    return tuple(labels[n] for n in names if isinstance(n, str) and n in labels)


def _first_event(events: Iterable[AuditEvent], *actions: str) -> AuditEvent | None:
    return next((e for e in events if e.action in actions), None)


def _round_notes(rnd: ReviewRound, late: Mapping[int, Deadline]) -> tuple[TranslationString, ...]:
    states = [a.state for a in rnd.assignments]
    notes = [
        _(
            "Invited: ${invited} · at work: ${accepted} · reviews in: ${done}",
            mapping={
                "invited": len(states),
                "accepted": states.count(AssignmentState.ACCEPTED),
                "done": states.count(AssignmentState.SUBMITTED),
            },
        )
    ]
    overdue = sum(a.id in late for a in rnd.assignments)
    if overdue:
        notes.append(_("${n} overdue", mapping={"n": overdue}))
    return tuple(notes)


def stages(
    db: Session,
    submission: Submission,
    rounds: list[ReviewRound],
    decisions: list[Decision],
    late: Mapping[int, Deadline],
) -> list[Stage]:
    """The paper's life so far, stage by stage with its dates, and the stages still ahead
    of it while it is open: the submission, each review round followed by its decision
    (a decision without a round is a rejection without review), the revision the authors
    owe, production."""
    events = list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == submission.id)
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )
    state = submission.state
    left = _first_event(events, "send_to_review", "desk_reject", "withdraw")
    out = [
        Stage(
            "submission",
            _("Submission"),
            "current" if state is S.SUBMITTED else "done",
            submission.submitted_at,
            left.created_at if left else None,
        )
    ]
    for d in decisions:
        if d.round_id is None:
            out.append(_decision_stage(d))
    for rnd in sorted(rounds, key=lambda r: r.number):
        is_open = rnd.closed_at is None and state is S.UNDER_REVIEW
        out.append(
            Stage(
                f"round-{rnd.number}",
                _("Review round ${n}", mapping={"n": rnd.number}),
                "current" if is_open else "done",
                rnd.opened_at,
                rnd.closed_at,
                _round_notes(rnd, late),
            )
        )
        out.extend(_decision_stage(d) for d in decisions if d.round_id == rnd.id)
    if state is S.REVISION_REQUESTED:
        asked = decisions[-1].decided_at if decisions else None
        out.append(Stage("revision", _("Revision by the authors"), "current", asked))
    elif state in (S.SUBMITTED, S.UNDER_REVIEW):
        if state is S.SUBMITTED:
            out.append(Stage("review", _("Peer review"), "upcoming"))
        out.append(Stage("decision", _("Decision"), "upcoming"))
    out.extend(_production_stages(submission, events))
    if state is S.WITHDRAWN:
        gone = _first_event(reversed(events), "withdraw")
        out.append(Stage("withdrawn", _("Withdrawn"), "done", gone.created_at if gone else None))
    return out


def _decision_stage(decision: Decision) -> Stage:
    label = services.DECISION_LABELS.get(decision.kind, decision.kind.value)
    return Stage(
        f"decision-{decision.id}",
        _("Decision"),
        "done",
        decision.decided_at,
        decision.decided_at,
        detail=label,
    )


def _production_stages(submission: Submission, events: list[AuditEvent]) -> list[Stage]:
    state = submission.state
    if state in (S.SUBMITTED, S.UNDER_REVIEW, S.REVISION_REQUESTED):
        return [Stage("production", _("Production"), "upcoming")]
    if state not in (S.ACCEPTED, S.IN_PRODUCTION, S.PUBLISHED, S.CORRECTED, S.RETRACTED):
        return []
    started = _first_event(events, "start_production")
    published = _first_event(events, "publish")
    notes = []
    if started is not None:
        notes.append(
            _("Production started ${date}", mapping={"date": started.created_at.date().isoformat()})
        )
    return [
        Stage(
            "production",
            _("Production"),
            "current" if state in (S.ACCEPTED, S.IN_PRODUCTION) else "done",
            submission.accepted_at,
            published.created_at if published else None,
            tuple(notes),
        )
    ]


# --- the whole page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """The head of the paper's editorial pages (the workspace, the review page): who
    handles it, what is due, and what the editor can do now."""

    handling_editor: User | None
    actions: list[Action]
    waiting: TranslationString | None  # what the paper waits for
    next_due: dt.datetime | None  # the earliest due date of an open invitation
    overdue: int  # open invitations the deadline engine says are overdue
    reviews_in: int  # reviews submitted in the current round
    rounds: int  # review rounds so far

    @property
    def primary(self) -> Action | None:
        return next((a for a in self.actions if a.primary), None)

    @property
    def secondary(self) -> list[Action]:
        return [a for a in self.actions if not a.primary]


@dataclass(frozen=True)
class Workspace:
    submission: Submission
    band: Band
    submitter: User | None
    stages: list[Stage]
    reviewers: list[ReviewerLine]
    files: list[FileRound]
    history: list[HistoryLine]
    anonymity: TranslationString
    rounds: list[ReviewRound]
    decisions: list[Decision]
    may_assign: bool  # the handling editor's page is this editor's (handling.may_assign)


def _waiting(submission: Submission, open_lines: list[ReviewerLine]) -> TranslationString | None:
    """What the paper waits for (said beside the actions, or instead of them)."""
    state = submission.state
    if state is S.UNDER_REVIEW and open_lines:
        return _("Waiting for ${n} reviewer(s).", mapping={"n": len(open_lines)})
    if state is S.REVISION_REQUESTED:
        return _("Waiting for the authors' revision.")
    if state is S.ACCEPTED:
        return _("Accepted: waiting for production to start.")
    if state is S.IN_PRODUCTION:
        return _("In production.")
    if state in (S.REJECTED, S.WITHDRAWN, S.PUBLISHED, S.CORRECTED, S.RETRACTED):
        return _("Closed: nothing more is owed on this paper.")
    return None


def _actions(
    db: Session, submission: Submission, editor: User | None, reviews_in: int, active: int
) -> list[Action]:
    names = offered_moves(submission, editor)
    if review_services.may_invite(db, submission, editor):
        names.append("invite")
    if handling.may_assign(submission, editor) and submission.handling_editor_id is None:
        names.append("assign")
    primary = primary_action(names, reviews_in, active)
    offers = {**MOVE_OFFERS, **STEP_OFFERS}
    ordered = sorted(names, key=lambda n: n != primary)  # the primary first, else in order
    return [Action(name, offers[name], name == primary) for name in ordered]


def band(
    db: Session,
    submission: Submission,
    editor: User | None,
    *,
    now: dt.datetime | None = None,
    lines: list[ReviewerLine] | None = None,
) -> Band:
    """The head of the paper's editorial pages for ``editor`` (``lines``: the invitations
    of every round, when the caller has them)."""
    if lines is None:
        late = late_assignments(db, submission, now or utcnow())
        lines = reviewer_lines(db, review_services.rounds(db, submission), late)
    current = workflow.current_round(db, submission)
    number = current.number if current is not None else None
    in_round = [line for line in lines if line.round_number == number]
    is_open = current is not None and current.closed_at is None
    open_lines = [
        line for line in in_round if is_open and line.assignment.state in assignments.OPEN
    ]
    reviews_in = sum(line.assignment.state is AssignmentState.SUBMITTED for line in in_round)
    dues = [d for d in (_aware(line.assignment.due_at) for line in open_lines) if d is not None]
    actions = _actions(db, submission, editor, reviews_in, len(open_lines) + reviews_in)
    waiting = _waiting(submission, open_lines)
    if any(a.primary for a in actions) and submission.state is not S.UNDER_REVIEW:
        waiting = None  # the editor's own next step is what it waits for
    return Band(
        handling_editor=db.get(User, submission.handling_editor_id)
        if submission.handling_editor_id
        else None,
        actions=actions,
        waiting=waiting,
        next_due=min(dues, default=None),
        overdue=sum(line.overdue for line in open_lines),
        reviews_in=reviews_in,
        rounds=number or 0,
    )


def build(
    db: Session, submission: Submission, editor: User | None, *, now: dt.datetime | None = None
) -> Workspace:
    """The workspace of ``submission`` for ``editor`` (one who may handle it: the route's
    context has checked)."""
    now = now or utcnow()
    rounds = review_services.rounds(db, submission)
    decisions = services.decisions(db, submission)
    late = late_assignments(db, submission, now)
    lines = reviewer_lines(db, rounds, late)
    return Workspace(
        submission=submission,
        band=band(db, submission, editor, lines=lines),
        submitter=db.get(User, submission.submitter_id),
        stages=stages(db, submission, rounds, decisions, late),
        reviewers=lines,
        files=file_rounds(submission),
        history=history(db, submission, rounds),
        anonymity=ANONYMITY_NOTES[submission.review_mode],
        rounds=rounds,
        decisions=decisions,
        may_assign=handling.may_assign(submission, editor),
    )


# --- panels ------------------------------------------------------------------------------------

MAIN, SIDE = "main", "side"
PANELS_KEY = "frontiers_de.editorial.workspace_panels"
Facts = Callable[[Session, Submission, "User | None"], Any]


@dataclass(frozen=True)
class Panel:
    """A section of the workspace page: its template (given ``ws``, the :class:`Workspace`,
    and ``facts``), its column (:data:`MAIN` or :data:`SIDE`) and its place in it (lower
    first). ``facts`` gives the panel's own facts, or None to leave the panel out for this
    paper (a panel is never shown empty); without it the panel needs only ``ws``.
    ``stylesheet``: the asset spec of a stylesheet of its own the page then links."""

    name: str
    template: str
    column: str
    order: int
    facts: Facts | None = None
    stylesheet: str = ""


BUILT_IN_PANELS: tuple[Panel, ...] = (
    Panel("stages", "editorial/workspace/_stages.html", MAIN, 10),
    Panel("reviewers", "editorial/workspace/_reviewers.html", MAIN, 20),
    Panel("files", "editorial/workspace/_files.html", MAIN, 40),
    Panel("history", "editorial/workspace/_history.html", MAIN, 90),
    Panel("people", "editorial/workspace/_people.html", SIDE, 10),
    Panel("pages", "editorial/workspace/_pages.html", SIDE, 90),
)


def add_panel(config: Configurator, panel: Panel) -> None:
    """Add ``panel`` to the workspace (``config.add_workspace_panel(panel)`` once the
    editorial domain is included). A name already taken is an error, not a silent swap."""
    if panel.column not in (MAIN, SIDE):
        raise ValueError(f"workspace panel {panel.name!r}: column must be {MAIN!r} or {SIDE!r}")
    added = config.registry.setdefault(PANELS_KEY, {})
    if panel.name in added or any(p.name == panel.name for p in BUILT_IN_PANELS):
        raise ValueError(f"a workspace panel is already called {panel.name!r}")
    added[panel.name] = panel


def panels(registry: Mapping[str, Any]) -> list[Panel]:
    """The built-in panels and those added, in their order."""
    return sorted(
        (*BUILT_IN_PANELS, *registry.get(PANELS_KEY, {}).values()), key=lambda p: (p.order, p.name)
    )


@dataclass(frozen=True)
class ShownPanel:
    panel: Panel
    facts: Any = None


def shown_panels(
    registry: Mapping[str, Any], db: Session, submission: Submission, editor: User | None
) -> dict[str, list[ShownPanel]]:
    """The panels to show for ``submission``, by column, each with its facts."""
    out: dict[str, list[ShownPanel]] = {MAIN: [], SIDE: []}
    for panel in panels(registry):
        facts = panel.facts(db, submission, editor) if panel.facts is not None else None
        if panel.facts is not None and facts is None:
            continue
        out[panel.column].append(ShownPanel(panel, facts))
    return out


def stylesheets(shown: Mapping[str, list[ShownPanel]]) -> list[str]:
    """The stylesheets the panels shown need, each once, in their order."""
    specs = (p.panel.stylesheet for column in (MAIN, SIDE) for p in shown.get(column, []))
    return list(dict.fromkeys(spec for spec in specs if spec))
