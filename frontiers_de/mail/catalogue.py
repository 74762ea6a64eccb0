"""Every email the system sends, declared once: what it is for and the variables its
templates may use, each with a description and an example value.

The admin's page of email templates (``/admin/emails``) lists these, shows the variables
beside the editor and previews with the examples (overlaid with a real submission's facts);
an override (:mod:`frontiers_de.mail.overrides`) may use only the variables declared here,
and ``tests/unit/mail/test_catalogue.py`` checks that each default template under
``templates/email/<name>/`` does the same. A new email: its templates, and an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyramid.i18n import TranslationString

from frontiers_de.i18n import _

# The languages an email template comes in: the default file (English) and its ``.zh`` variant.
EMAIL_LANGUAGES = ("en", "zh")
# Given to every template by the mail service (``queue_email``), whatever the sender passes.
ALWAYS = ("journal", "base_url")


@dataclass(frozen=True)
class Variable:
    name: str
    description: TranslationString
    example: Any


@dataclass(frozen=True)
class EmailTemplate:
    name: str
    purpose: TranslationString
    variables: tuple[Variable, ...]
    # An edited letter (the editor's text before it goes: invitations, decisions) may keep
    # these as ``{{ name }}`` placeholders, filled when the email is sent ...
    fill_ins: tuple[str, ...] = ()
    # ... and must keep these (the links the system needs, such as the answer links).
    required: tuple[str, ...] = ()
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", frozenset(v.name for v in self.variables))


def _v(name: str, description: TranslationString, example: Any) -> Variable:
    return Variable(name, description, example)


BASE_URL = "https://fde.example.org"
NAME = _v("name", _("The recipient's name"), "Ada Lovelace")
JOURNAL = _v(
    "journal",
    _("The journal: journal.title, and journal.title_zh (its Chinese title, may be empty)"),
    None,  # the journal of the page (see overrides.journal_view)
)
BASE = _v("base_url", _("The address of the site"), BASE_URL)
TITLE = _v("title", _("The paper's title"), "Teaching with large language models")
NUMBER = _v("number", _("The submission's number"), 42)
LINK = _v("link", _("A link to the page the email is about"), f"{BASE_URL}/submissions/42")
DUE = _v("due", _("The date the review is due (YYYY-MM-DD)"), "2027-01-15")
EDITOR = _v("editor", _("The editor's name"), "Grace Hopper")
REVIEWER = _v("reviewer", _("The reviewer's name"), "Alan Turing")
HOURS = _v("valid_hours", _("How many hours the link works"), 48)
LETTER = _v(
    "letter",
    _("The editor's letter (for a decision after review: with the reviews' comments quoted)"),
    "Thank you for your patience. The reviewers ask for a clearer account of the sampling.",
)


def _t(
    name: str, purpose: TranslationString, *variables: Variable, **letter: tuple[str, ...]
) -> EmailTemplate:
    return EmailTemplate(name, purpose, (NAME, JOURNAL, BASE, *variables), **letter)


TEMPLATES: dict[str, EmailTemplate] = {
    t.name: t
    for t in (
        _t(
            "accounts_verify",
            _("To a new account: confirm the email address"),
            _v("verify_url", _("The link that confirms the address"), f"{BASE_URL}/verify/…"),
            HOURS,
            _v(
                "before_confirming",
                _("What an unconfirmed account may do (a list)"),
                ["Read the journal", "Draft a submission"],
            ),
            _v(
                "needs_confirming",
                _("What needs the confirmed address (a list)"),
                ["Submit a paper", "Review"],
            ),
        ),
        _t(
            "accounts_reset",
            _("A link to choose a new password"),
            _v("reset_url", _("The link to choose a new password"), f"{BASE_URL}/password/…"),
            HOURS,
        ),
        _t(
            "accounts_set_password",
            _("To an account an administrator made: choose a password"),
            _v(
                "set_password_url",
                _("The link to choose the password"),
                f"{BASE_URL}/password/reset/…",
            ),
        ),
        _t(
            "accounts_change_email",
            _("To a new address: confirm the change of address"),
            _v("new_email", _("The new address"), "ada@new.example.org"),
            _v("old_email", _("The current address"), "ada@example.org"),
            _v("confirm_url", _("The link that confirms the change"), f"{BASE_URL}/account/…"),
            HOURS,
        ),
        _t(
            "accounts_email_changed",
            _("To the old address: the address was changed"),
            _v("new_email", _("The new address"), "ada@new.example.org"),
            _v("old_email", _("The old address"), "ada@example.org"),
            _v("site_url", _("The address of the site"), BASE_URL),
        ),
        _t(
            "submissions_received",
            _("To the submitter: the submission is received"),
            TITLE,
            NUMBER,
            _v("section", _("The article type (section)"), "Research article"),
            _v("section_zh", _("The article type in Chinese"), "研究论文"),
            _v("authors", _("The authors, in order"), "Ada Lovelace, Charles Babbage"),
            _v("submitted", _("When it was submitted"), "2026-12-03 09:30 UTC"),
            _v("files", _("The file names (a list)"), ["manuscript.docx"]),
            LINK,
        ),
        _t(
            "editorial_under_review",
            _("To the author: the paper is sent to peer review"),
            TITLE,
            NUMBER,
            LINK,
        ),
        _t(
            "editorial_desk_reject",
            _("To the author: rejected without review, with the editor's reason"),
            TITLE,
            NUMBER,
            LETTER,
            LINK,
        ),
        _t(
            "editorial_decision",
            _("To the author: the decision after peer review (edited by the editor)"),
            TITLE,
            NUMBER,
            _v(
                "decision",
                _("The decision: accept, minor_revision, major_revision or reject"),
                "minor_revision",
            ),
            _v("reviewed", _("Whether reviews were submitted (true or false)"), True),
            LETTER,
            LINK,
        ),
        _t(
            "editorial_revision_received",
            _("To the editor: the authors sent their revision"),
            TITLE,
            NUMBER,
            LINK,
            _v("changed", _("The metadata fields the authors corrected (a list)"), ["abstract"]),
        ),
        _t(
            "editorial_handling_editor",
            _("To an editor: you handle this submission"),
            TITLE,
            NUMBER,
            _v("by", _("Who assigned the editor (may be empty)"), "Grace Hopper"),
            LINK,
        ),
        _t(
            "review_invitation",
            _("To a reviewer: the invitation (edited by the editor)"),
            EDITOR,
            TITLE,
            _v("abstract", _("The paper's abstract"), "We asked 300 teachers how they …"),
            DUE,
            _v("days", _("Within how many days to answer"), 7),
            _v(
                "accept_link",
                _("The link to accept (needed)"),
                f"{BASE_URL}/review/…?answer=accept",
            ),
            _v(
                "decline_link",
                _("The link to decline (needed)"),
                f"{BASE_URL}/review/…?answer=decline",
            ),
            _v(
                "double_anonymous",
                _("Whether the review is double-anonymous (true or false)"),
                False,
            ),
            fill_ins=("name", "due", "accept_link", "decline_link"),
            required=("accept_link", "decline_link"),
        ),
        _t(
            "review_reminder",
            _("To a reviewer: a reminder to answer, or of the due date"),
            _v("stage", _("Which reminder: invitation, due_soon or overdue"), "due_soon"),
            TITLE,
            DUE,
            LINK,
            _v("accept_link", _("The link to accept (the invitation reminder)"), ""),
            _v("decline_link", _("The link to decline (the invitation reminder)"), ""),
        ),
        _t(
            "review_answered",
            _("To the editor: a reviewer accepted or declined"),
            REVIEWER,
            _v("accepted", _("Whether the reviewer accepted (true or false)"), True),
            NUMBER,
            TITLE,
            DUE,
            _v("reason", _("The reason given for declining"), ""),
            _v("suggestion", _("Whom the reviewer suggested instead"), ""),
            LINK,
        ),
        _t(
            "review_submitted",
            _("To the editor: a review is submitted"),
            REVIEWER,
            NUMBER,
            TITLE,
            _v(
                "recommendation",
                _("The recommendation: accept, minor_revision, major_revision or reject"),
                "minor_revision",
            ),
            LINK,
        ),
        _t(
            "review_cancelled",
            _("To a reviewer: the review is no longer needed"),
            EDITOR,
            TITLE,
            DUE,
            LINK,
            _v("decided", _("Whether the editor decided meanwhile (true or false)"), False),
        ),
        _t(
            "review_due_changed",
            _("To a reviewer: the review has a new due date"),
            EDITOR,
            TITLE,
            DUE,
            LINK,
        ),
        _t(
            "production_proof",
            _("To the author: a proof to check"),
            TITLE,
            _v("number", _("The proof's number"), 1),
            _v("link", _("The proof's link (needed)"), f"{BASE_URL}/proofs/…"),
            _v("days", _("How many days the link works"), 14),
            _v("expires", _("The last day the link works"), "2026-12-17"),
        ),
        _t(
            "production_placed",
            _("To the author: the article is placed in an issue"),
            TITLE,
            _v("number", _("The proof's number"), 1),
            _v("approved", _("Whether the author approved the proof (true or false)"), True),
            _v("volume", _("The volume (empty when taken out of an issue)"), 3),
            _v("issue", _("The issue"), 2),
            _v("elocation", _("The article number"), "e1042"),
            LINK,
        ),
        _t(
            "production_published",
            _("To the author: the article is published (its link and DOI)"),
            TITLE,
            _v("volume", _("The volume (empty when published outside an issue)"), 3),
            _v("issue", _("The issue"), 2),
            _v("published", _("The publication date (YYYY-MM-DD)"), "2026-12-03"),
            _v("doi", _("The article's DOI"), "10.5555/fde.2026.0042"),
            _v("doi_link", _("The DOI as a link"), "https://doi.org/10.5555/fde.2026.0042"),
            LINK,
        ),
        _t(
            "production_proof_answered",
            _("To the production editors: the author approved a proof or asked for corrections"),
            TITLE,
            _v("number", _("The proof's number"), 1),
            _v("approved", _("Whether the proof is approved (true or false)"), False),
            _v("author", _("Who answered"), "Ada Lovelace"),
            _v("submission", _("The submission's number"), 42),
            _v("answered", _("When the answer came"), "2026-12-03 09:30 UTC"),
            _v("corrections", _("The corrections asked"), "Figure 2's caption has a typo."),
            LINK,
        ),
        _t(
            "submissions_revision_received",
            _("To the author: the revision is received"),
            TITLE,
            NUMBER,
            _v("submitted", _("When it was sent"), "2026-12-03 09:30 UTC"),
            _v("round", _("The review round it opens"), 2),
            _v("files", _("The file names of the round (a list)"), ["manuscript-v2.docx"]),
            _v("changed", _("The metadata fields the authors corrected (a list)"), ["abstract"]),
            LINK,
        ),
        _t(
            "editorial_decision_reviewers",
            _("To the reviewers: the decision on a paper they reviewed"),
            TITLE,
            _v(
                "decision",
                _("The decision: accept, minor_revision, major_revision or reject"),
                "minor_revision",
            ),
            _v(
                "reviews",
                _("The other reviewers' comments to the authors, if the journal shares them"),
                [("Reviewer 2", "The sampling needs a clearer account.")],
            ),
            LINK,
        ),
        _t(
            "discussion_message",
            _("To a discussion's participants: a new message"),
            TITLE,
            NUMBER,
            _v("subject", _("The discussion's subject"), "A question on Figure 2"),
            _v("poster", _("Who wrote (empty when the name is hidden)"), "Grace Hopper"),
            _v("poster_seat", _("Their part: editor, author or reviewer"), "editor"),
            _v("body", _("The message"), "Could you send the figure's data?"),
            _v("attachments", _("The names of attached files (a list)"), []),
            LINK,
        ),
        _t(
            "deadline_reminder",
            _("To the person a deadline waits on: a decision, a revision or a proof answer"),
            _v(
                "kind",
                _("The deadline: decision, minor_revision, major_revision or proof"),
                "decision",
            ),
            _v("before", _("Whether the due date is still ahead (true or false)"), True),
            TITLE,
            NUMBER,
            _v("due", _("The due date (YYYY-MM-DD)"), "2027-01-15"),
            _v("days_overdue", _("Days past the due date (0 before it)"), 0),
            LINK,
        ),
        _t(
            "deadline_escalation",
            _("To the editors-in-chief: a deadline is overdue past the journal's rule"),
            _v(
                "kind",
                _(
                    "The deadline: invitation, review, decision, minor_revision, "
                    "major_revision or proof"
                ),
                "review",
            ),
            TITLE,
            NUMBER,
            _v("due", _("The due date (YYYY-MM-DD)"), "2027-01-15"),
            _v("days_overdue", _("Days past the due date"), 15),
            _v("responsible", _("Whom the deadline waits on (may be empty)"), "Alan Turing"),
            _v("escalate_after", _("After how many overdue days the chief is told"), 14),
            _v("reminded", _("Whether a reminder was sent (true or false)"), True),
            LINK,
        ),
        _t(
            "mail_digest",
            _("The daily digest of a user's notifications"),
            _v("day", _("The day of the digest (YYYY-MM-DD)"), "2026-12-03"),
            _v(
                "items",
                _("The notifications: each with subject, time and link"),
                [{"subject": "Review submitted", "time": "09:30", "link": f"{BASE_URL}/x"}],
            ),
            _v("preferences_link", _("The link to change one's choices"), f"{BASE_URL}/account"),
        ),
    )
}


def template(name: str) -> EmailTemplate:
    """The declared template ``name``; KeyError for one the system does not send."""
    return TEMPLATES[name]
