"""The kinds of notification a user may choose how to receive: every email template the
system sends belongs to one kind (``TEMPLATE_KINDS``), and the kind says whether its
recipient may have it in a daily digest or not at all (``optional``), or always at once.

A kind is fixed ("always, at once") when a process cannot go on without the email: the
links of the account (address confirmation, password reset and first password, change of
address and the notice to the old one), review invitations and reminders (their Accept and
Decline links are only ever emailed, and a reminder replaces the invitation's link), the
decision letters to authors, and the proof link (an author approves or corrects proofs
only through it). Everything else is optional: receipts, progress of a submission,
publication, changes to a review assignment, the decision on a paper one reviewed, and
the editors' and production editors' notices.

``/account/notifications`` lists these kinds (fixed ones as "always"); the gate in
:func:`frontiers_de.mail.services.send_email` reads them (``mail/preferences.py``). A new
email template needs a line here: ``tests/unit/mail/test_kinds.py`` fails on a template
directory that belongs to no kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.i18n import TranslationString

from frontiers_de.i18n import _

# Who a kind is usually for (the page groups the kinds under these headings).
AUTHOR, REVIEWER, EDITOR, EVERYONE = "author", "reviewer", "editor", "everyone"
AUDIENCE_LABELS: dict[str, TranslationString] = {
    EVERYONE: _("Your account"),
    AUTHOR: _("As an author"),
    REVIEWER: _("As a reviewer"),
    EDITOR: _("As an editor"),
}

# The digest email itself: sent by the digest, never gated, never listed.
DIGEST_TEMPLATE = "mail_digest"


@dataclass(frozen=True)
class NotificationKind:
    key: str
    audience: str
    label: TranslationString
    templates: tuple[str, ...]
    # False: a process needs it; always sent at once, whatever the user chose.
    optional: bool = True


KINDS: tuple[NotificationKind, ...] = (
    NotificationKind(
        "account",
        EVERYONE,
        _("Address confirmation, password links and changes of address"),
        (
            "accounts_verify",
            "accounts_reset",
            "accounts_set_password",
            "accounts_change_email",
            "accounts_email_changed",
        ),
        optional=False,
    ),
    NotificationKind(
        "submission_receipts",
        AUTHOR,
        _("Receipts for a new submission and for each revision you send"),
        ("submissions_received", "submissions_revision_received"),
    ),
    NotificationKind(
        "submission_progress",
        AUTHOR,
        _("Your paper's progress: sent to peer review, placed in an issue"),
        ("editorial_under_review", "production_placed"),
    ),
    NotificationKind(
        "decisions",
        AUTHOR,
        _("Decision letters on your papers"),
        ("editorial_desk_reject", "editorial_decision"),
        optional=False,
    ),
    NotificationKind(
        "proofs",
        AUTHOR,
        _("Proofs to approve or correct (the link to them)"),
        ("production_proof",),
        optional=False,
    ),
    NotificationKind(
        "publication",
        AUTHOR,
        _("Your article is published (its link and DOI)"),
        ("production_published",),
    ),
    NotificationKind(
        "review_invitations",
        REVIEWER,
        _("Invitations to review and reminders of review deadlines"),
        ("review_invitation", "review_reminder"),
        optional=False,
    ),
    NotificationKind(
        "review_changes",
        REVIEWER,
        _("An invitation withdrawn, or a new due date for your review"),
        ("review_cancelled", "review_due_changed"),
    ),
    NotificationKind(
        "review_outcomes",
        REVIEWER,
        _("The decision on a paper you reviewed"),
        ("editorial_decision_reviewers",),
    ),
    NotificationKind(
        "editor_papers",
        EDITOR,
        _("Papers assigned to you, and revisions received"),
        ("editorial_handling_editor", "editorial_revision_received"),
    ),
    NotificationKind(
        "editor_reviews",
        EDITOR,
        _("Reviewers' answers to invitations, and reviews submitted"),
        ("review_answered", "review_submitted"),
    ),
    NotificationKind(
        "production_answers",
        EDITOR,
        _("Authors' answers to proofs (approved, or corrections asked)"),
        ("production_proof_answered",),
    ),
    NotificationKind(
        "deadline_reminders",
        EVERYONE,
        _("Reminders of what waits on you: a decision, a revision, a proof"),
        ("deadline_reminder",),
    ),
    NotificationKind(
        "deadline_escalations",
        EDITOR,
        _("Deadlines overdue past the journal's rules (to the editors-in-chief)"),
        ("deadline_escalation",),
    ),
    NotificationKind(
        "discussions",
        EVERYONE,
        _("New messages in the discussions of a paper"),
        ("discussion_message",),
    ),
)

BY_KEY: dict[str, NotificationKind] = {kind.key: kind for kind in KINDS}
TEMPLATE_KINDS: dict[str, NotificationKind] = {
    template: kind for kind in KINDS for template in kind.templates
}


def kind_of(template: str) -> NotificationKind | None:
    """The kind of an email template; None for one no kind claims (sent at once)."""
    return TEMPLATE_KINDS.get(template)


def optional_kinds() -> list[NotificationKind]:
    return [kind for kind in KINDS if kind.optional]
