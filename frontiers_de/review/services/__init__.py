"""Peer review rules: inviting reviewers to a round, the tokenised answer to an invitation,
the reviewer's own list and review (a draft, then submitted once), and what each party may
see of the others.

This package's ``__init__`` is its public face: it re-exports the rules the editorial pages,
the reviewer's pages and the review mail call (``from frontiers_de.review import services``),
with :class:`~frontiers_de.review.assignments.ReviewError` and ``submission_of`` from the
assignment table (names only the package uses are imported from their module). The
modules, one seam each:

* :mod:`.rounds`: the editor's view of the rounds and the reviewers who may be invited;
* :mod:`.invitations`: inviting (authors refused, conflicts of interest explained),
  withdrawing an invitation, a later due date;
* :mod:`.letters`: the invitation as a letter the editor edits before it goes;
* :mod:`.answers`: the emailed link and answering an invitation;
* :mod:`.reviews`: the reviewer's assignments, the review form and its attachment;
* :mod:`.comparison`: one round's reviews side by side (states, scores, the tally of
  recommendations) for the editor who decides;
* :mod:`.visibility`: anonymity, and which files a reviewer may open under which names;
* :mod:`.text`: free text from the forms and its limits.

State changes of the submission itself go through the workflow table
(:mod:`frontiers_de.editorial.workflow`); this package works inside the round the table
opened. An invitation's own states (invited, accepted, declined, submitted, cancelled) go
through the second table, :mod:`frontiers_de.review.assignments`, which also says why a
move is refused; the functions here validate what the person sent and ask it. Who may see
what:

* a reviewer sees only their own assignments (anything else is "not found"), and of the
  manuscript only the files of their assignment's round;
* in double-anonymous review a reviewer never sees the authors' names: the pages show no
  contributors, files are offered under neutral names, emails carry none;
* reviewers never see other reviewers (single- and double-anonymous modes);
* editors of the journal see everything, confidential comments included, except on a
  paper they are an author of (:func:`frontiers_de.editorial.conflicts.is_author`): for
  them its editorial side does not exist.

Modules of the package import each other directly, never through this ``__init__``.
"""

from frontiers_de.review.assignments import ReviewError, submission_of
from frontiers_de.review.services.answers import (
    CONFIRM_TO_REVIEW,
    DEFAULT_INVITATION_DAYS,
    INVITATION_DAYS_SETTING,
    InvitationLinkError,
    accept,
    accept_by_link,
    answer_signed_in,
    assignment_for_token,
    check_link_visitor,
    decline,
    decline_by_link,
    may_use_reviewer_pages,
    needs_password_to_accept,
)
from frontiers_de.review.services.comparison import (
    ComparedReview,
    RoundComparison,
    compare_round,
    round_numbers,
)
from frontiers_de.review.services.invitations import (
    MIN_CONFLICT_REASON,
    STATE_LABELS,
    ConflictWarnings,
    Invitation,
    cancel,
    change_due,
    invite,
    may_invite,
)
from frontiers_de.review.services.letters import invitation_letter
from frontiers_de.review.services.reviews import (
    CRITERIA,
    RECOMMENDATION_LABELS,
    MyAssignment,
    attachment_of,
    attachments_by_review,
    my_assignments,
    review_values,
    save_review,
)
from frontiers_de.review.services.rounds import (
    journal_reviewers,
    previous_reviewers,
    reviewer_candidates,
    reviewer_names,
    rounds,
)
from frontiers_de.review.services.text import MAX_TEXT
from frontiers_de.review.services.visibility import (
    assignment_files,
    files_of_round,
    is_anonymous_to_reviewers,
    may_read_manuscript,
    reviewer_filename,
    reviewer_files,
    reviewers_named,
)

__all__ = [
    "CONFIRM_TO_REVIEW",
    "CRITERIA",
    "DEFAULT_INVITATION_DAYS",
    "INVITATION_DAYS_SETTING",
    "MAX_TEXT",
    "MIN_CONFLICT_REASON",
    "RECOMMENDATION_LABELS",
    "STATE_LABELS",
    "ComparedReview",
    "ConflictWarnings",
    "Invitation",
    "InvitationLinkError",
    "MyAssignment",
    "ReviewError",
    "RoundComparison",
    "accept",
    "accept_by_link",
    "answer_signed_in",
    "assignment_files",
    "assignment_for_token",
    "attachment_of",
    "attachments_by_review",
    "cancel",
    "change_due",
    "check_link_visitor",
    "compare_round",
    "decline",
    "decline_by_link",
    "files_of_round",
    "invitation_letter",
    "invite",
    "is_anonymous_to_reviewers",
    "journal_reviewers",
    "may_invite",
    "may_read_manuscript",
    "may_use_reviewer_pages",
    "my_assignments",
    "needs_password_to_accept",
    "previous_reviewers",
    "review_values",
    "reviewer_candidates",
    "reviewer_filename",
    "reviewer_files",
    "reviewer_names",
    "reviewers_named",
    "round_numbers",
    "rounds",
    "save_review",
    "submission_of",
]
