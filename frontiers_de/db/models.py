"""Every model, imported once, so that mappers configure and Alembic sees all tables."""

from frontiers_de.accounts.models import LoginAttempt, RoleAssignment, User
from frontiers_de.articles.models import Article, Issue, Volume
from frontiers_de.crossref.models import DoiDeposit, DoiEvent, DoiRecord
from frontiers_de.deadlines.models import DeadlineNotice, DeadlineRule
from frontiers_de.discussions.models import (
    DiscussionAttachment,
    DiscussionMessage,
    DiscussionRead,
    DiscussionThread,
)
from frontiers_de.editorial.models import AuditEvent, Decision, EditorSection, ReviewRating
from frontiers_de.jobs.models import Job
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.models import (
    DigestItem,
    EmailTemplateOverride,
    NotificationDigest,
    NotificationPreference,
    OutboxEmail,
)
from frontiers_de.production.models import FigureChoice, Proof
from frontiers_de.publishing.models import ArticleSearchDocument, UsageClick, UsageCount
from frontiers_de.review.models import Review, ReviewAssignment, ReviewRound
from frontiers_de.site.models import Announcement, JournalPage
from frontiers_de.submissions.models import (
    Contributor,
    FigureDescription,
    Funding,
    ManuscriptFile,
    ReviewerSuggestion,
    Submission,
)
from frontiers_de.throttling.models import ThrottleEvent

__all__ = [
    "Announcement",
    "Article",
    "ArticleSearchDocument",
    "AuditEvent",
    "Contributor",
    "DeadlineNotice",
    "DeadlineRule",
    "Decision",
    "DigestItem",
    "DiscussionAttachment",
    "DiscussionMessage",
    "DiscussionRead",
    "DiscussionThread",
    "DoiDeposit",
    "DoiEvent",
    "DoiRecord",
    "EditorSection",
    "EmailTemplateOverride",
    "FigureChoice",
    "FigureDescription",
    "Funding",
    "Issue",
    "Job",
    "Journal",
    "JournalPage",
    "LoginAttempt",
    "ManuscriptFile",
    "NotificationDigest",
    "NotificationPreference",
    "OutboxEmail",
    "Proof",
    "Review",
    "ReviewAssignment",
    "ReviewRating",
    "ReviewRound",
    "ReviewerSuggestion",
    "RoleAssignment",
    "Section",
    "Submission",
    "ThrottleEvent",
    "UsageClick",
    "UsageCount",
    "User",
    "Volume",
]
