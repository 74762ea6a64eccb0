"""Every route, grouped by domain; names are ``domain.resource[.action]``."""

from __future__ import annotations

from pyramid.config import Configurator

SUBMISSION = "frontiers_de.resources.submission_factory"  # 404 unless it may be reached
ASSIGNMENT = "frontiers_de.resources.assignment_factory"
JOURNAL = "frontiers_de.resources.journal_factory"  # pages of the journal: 404 without one
ARTICLE = "frontiers_de.resources.article_factory"
ISSUE = "frontiers_de.resources.issue_factory"
DOI_RECORD = "frontiers_de.resources.doi_record_factory"
DEPOSIT = "frontiers_de.resources.deposit_factory"
READER = "frontiers_de.resources.reader_article_factory"  # a published article by DOI
READER_BY_ID = "frontiers_de.resources.reader_article_by_id_factory"
AUTHOR_DISCUSSION = "frontiers_de.resources.author_discussion_factory"  # the paper's author
REVIEWER_DISCUSSION = "frontiers_de.resources.reviewer_discussion_factory"


def includeme(config: Configurator) -> None:
    """Add every route, area by area: the order is the matching order, so it must not
    change (a pattern that matches more, such as ``/articles/{doi:.+}``, comes after the
    narrower ones)."""
    config.add_static_view("static", "frontiers_de:static/", cache_max_age=3600)
    _site(config)
    _accounts(config)
    _admin(config)
    _submissions(config)
    _editorial(config)
    _review_editors(config)
    _review_reviewers(config)
    _production(config)
    _publishing(config)
    _crossref(config)
    _editorial_statistics(config)
    _discussions(config)
    _editorial_reviewers(config)
    _journal_pages(config)


def _site(config: Configurator) -> None:
    """The home page, the language switch and the health check."""
    config.add_route("home", "/")
    config.add_route("site.language", "/language")
    config.add_route("site.health", "/health")


def _accounts(config: Configurator) -> None:
    """Accounts: registration, sign-in, password reset, the profile and its e-mail address,
    and the choice of notifications (the page is mail's: ``mail/views.py``)."""
    config.add_route("accounts.register", "/register")
    config.add_route("accounts.verify", "/verify/{token}")
    config.add_route("accounts.verify_resend", "/verify-again")
    config.add_route("accounts.login", "/login")
    config.add_route("accounts.logout", "/logout")
    config.add_route("accounts.reset_request", "/password/reset")
    config.add_route("accounts.reset", "/password/reset/{token}")
    config.add_route("accounts.profile", "/account")
    config.add_route("accounts.password", "/account/password")
    config.add_route("accounts.email", "/account/email")
    config.add_route("accounts.email_confirm", "/account/email/confirm/{token}")
    config.add_route("accounts.notifications", "/account/notifications")


def _admin(config: Configurator) -> None:
    """The journal's administration: roles, settings, sections, email templates."""
    config.add_route("admin.roles", "/admin/roles", factory=JOURNAL)
    config.add_route("admin.journal", "/admin/journal", factory=JOURNAL)
    config.add_route("admin.sections", "/admin/journal/sections", factory=JOURNAL)
    config.add_route("admin.emails", "/admin/emails", factory=JOURNAL)
    config.add_route(
        "admin.email", "/admin/emails/{template:[a-z_]{1,80}}/{lang:[a-z]{2}}", factory=JOURNAL
    )
    config.add_route("admin.deadlines", "/admin/deadlines", factory=JOURNAL)


def _submissions(config: Configurator) -> None:
    """Submissions (the author's side; a submission is found only by its submitter, and by
    the journal's editors once it is submitted: others get 404)."""
    sub = "/submissions/{submission_id:\\d{1,18}}"
    config.add_route("submissions.mine", "/submissions", factory=JOURNAL)
    config.add_route("submissions.new", "/submissions/new", factory=JOURNAL)
    config.add_route("submissions.view", sub, factory=SUBMISSION)
    config.add_route("submissions.details", sub + "/details", factory=SUBMISSION)
    config.add_route("submissions.authors", sub + "/authors", factory=SUBMISSION)
    config.add_route(
        "submissions.author", sub + "/authors/{contributor_id:\\d{1,18}}", factory=SUBMISSION
    )
    config.add_route(
        "submissions.author_remove",
        sub + "/authors/{contributor_id:\\d{1,18}}/remove",
        factory=SUBMISSION,
    )
    config.add_route(
        "submissions.author_move",
        sub + "/authors/{contributor_id:\\d{1,18}}/move",
        factory=SUBMISSION,
    )
    config.add_route("submissions.funding", sub + "/funding", factory=SUBMISSION)
    config.add_route(
        "submissions.funding_remove",
        sub + "/funding/{funding_id:\\d{1,18}}/remove",
        factory=SUBMISSION,
    )
    config.add_route("submissions.files", sub + "/files", factory=SUBMISSION)
    config.add_route("submissions.file", sub + "/files/{file_id:\\d{1,18}}", factory=SUBMISSION)
    config.add_route(
        "submissions.file_delete", sub + "/files/{file_id:\\d{1,18}}/delete", factory=SUBMISSION
    )
    config.add_route(
        "submissions.figure_description",
        sub + "/files/{file_id:\\d{1,18}}/description",
        factory=SUBMISSION,
    )
    config.add_route("submissions.submit", sub + "/submit", factory=SUBMISSION)
    config.add_route("submissions.withdraw", sub + "/withdraw", factory=SUBMISSION)
    config.add_route("submissions.revise", sub + "/revise", factory=SUBMISSION)


def _editorial(config: Configurator) -> None:
    """Editorial: the editors' queue of new submissions and its actions, the list of every
    submission, the handling editor and the workspace of one submission."""
    config.add_route("editorial.queue", "/editorial", factory=JOURNAL)
    config.add_route("editorial.submissions", "/editorial/submissions", factory=JOURNAL)
    config.add_route("editorial.submissions_csv", "/editorial/submissions.csv", factory=JOURNAL)
    config.add_route(
        "editorial.act",
        "/editorial/submissions/{submission_id:\\d{1,18}}/{action:desk_reject|send_to_review}",
        factory=SUBMISSION,
    )
    config.add_route(
        "editorial.handling",
        "/editorial/submissions/{submission_id:\\d{1,18}}/handling-editor",
        factory=SUBMISSION,
    )
    # the editor's workspace of one paper: state, actions, stages, people, files, history
    config.add_route(
        "editorial.workspace",
        "/editorial/submissions/{submission_id:\\d{1,18}}",
        factory=SUBMISSION,
    )


def _review_editors(config: Configurator) -> None:
    """Peer review, the editor's side: the rounds of a submission, invitations, reviews
    (with their attachments), the decision; the author's revision opens the next round."""
    esub = "/editorial/submissions/{submission_id:\\d{1,18}}"
    config.add_route("editorial.review", esub + "/review", factory=SUBMISSION)
    config.add_route("editorial.invite", esub + "/review/invite", factory=SUBMISSION)
    config.add_route(
        "editorial.review_file", esub + "/review/files/{file_id:\\d{1,18}}", factory=SUBMISSION
    )
    # the editor withdraws an invitation, or gives the reviewer a later due date
    eassign = esub + "/review/assignments/{assignment_id:\\d{1,18}}"
    config.add_route("editorial.review_cancel", eassign + "/cancel", factory=ASSIGNMENT)
    config.add_route("editorial.review_due", eassign + "/due", factory=ASSIGNMENT)
    config.add_route("editorial.decide", esub + "/decide", factory=SUBMISSION)
    config.add_route("editorial.review_mode", esub + "/review-mode", factory=SUBMISSION)
    # the round's reviews side by side, the decision beside them (POST decides)
    config.add_route("editorial.review_compare", esub + "/review/compare", factory=SUBMISSION)


def _review_reviewers(config: Configurator) -> None:
    """Peer review, the reviewer's side: the emailed invitation link (the token is the key),
    then the reviewer's own assignments (404 for anyone else's)."""
    config.add_route("review.invitation", "/review/invitations/{token}")
    config.add_route("review.mine", "/reviews", factory=JOURNAL)
    rev = "/reviews/{assignment_id:\\d{1,18}}"
    config.add_route("review.assignment", rev, factory=ASSIGNMENT)
    config.add_route("review.answer", rev + "/answer", factory=ASSIGNMENT)
    config.add_route("review.file", rev + "/files/{file_id:\\d{1,18}}", factory=ASSIGNMENT)


def _production(config: Configurator) -> None:
    """Production (production editors); proofs for authors through a tokenised link."""
    config.add_route("production.dashboard", "/production", factory=JOURNAL)
    config.add_route(
        "production.start", "/production/submissions/{submission_id:\\d+}/start", factory=SUBMISSION
    )
    art = "/production/articles/{article_id:\\d+}"
    for name, tail in (
        ("article", ""),
        ("convert", "/convert"),
        ("check", "/check"),
        ("jats", "/jats"),
        ("jats_version", "/jats/{file_id:\\d+}"),
        ("typeset", "/typeset"),
        ("pdf", "/pdf"),
        ("send_proof", "/proofs"),
        ("publish", "/publish"),
        ("assets", "/assets"),
        ("asset", "/assets/{name:.+}"),
        ("figures", "/figures"),
        ("figure_thumbnail", "/figures/thumbnails/{file_id:\\d{1,18}}"),
        ("figure_description", "/figures/{fig_id:[A-Za-z_][A-Za-z0-9_.-]{0,199}}/description"),
    ):
        config.add_route(f"production.{name}", art + tail, factory=ARTICLE)
    config.add_route("production.issues", "/production/issues", factory=JOURNAL)
    config.add_route("production.volumes", "/production/issues/volumes", factory=JOURNAL)
    config.add_route("production.issue", r"/production/issues/{issue_id:\d{1,18}}", factory=ISSUE)
    config.add_route(
        "production.issue_publish", r"/production/issues/{issue_id:\d{1,18}}/publish", factory=ISSUE
    )
    config.add_route(
        "production.issue_assign", r"/production/issues/{issue_id:\d{1,18}}/articles", factory=ISSUE
    )
    config.add_route(
        "production.issue_move",
        r"/production/issues/{issue_id:\d{1,18}}/articles/{article_id:\d{1,18}}/move",
        factory=ISSUE,
    )
    config.add_route(
        "production.issue_remove",
        r"/production/issues/{issue_id:\d{1,18}}/articles/{article_id:\d{1,18}}/remove",
        factory=ISSUE,
    )
    config.add_route("production.proof_pdf", "/proofs/{token}/pdf")
    config.add_route("production.proof", "/proofs/{token}")


def _publishing(config: Configurator) -> None:
    """Publishing: the public article page and its downloads (DOIs contain slashes), the
    archive and tables of contents, the feed, and OAI-PMH for harvesters. An article's files
    by id (what the stored reader HTML links to: the id is known before the DOI) and by DOI;
    the DOI stops at the first "/assets/" so that a file name may have folders."""
    config.add_route(
        "publishing.asset",
        "/articles/id/{article_id:\\d{1,9}}/assets/{name:.+}",
        factory=READER_BY_ID,
    )
    config.add_route(
        "publishing.article_asset", "/articles/{doi:.+?}/assets/{name:.+}", factory=READER
    )
    config.add_route("publishing.archive", "/issues")
    config.add_route("publishing.search", "/search")
    config.add_route(
        "publishing.issue",
        r"/issues/{volume:[0-9]{1,9}}/{issue}",
        factory="frontiers_de.resources.reader_issue_factory",
    )
    config.add_route("publishing.feed", "/feed.atom", factory=JOURNAL)
    config.add_route("publishing.oai", "/oai", factory=JOURNAL)
    # indexers and archives: the sitemap (an index past 50,000 addresses), robots.txt, the
    # DOAJ export and an article's archive package; the editors' COUNTER usage reports
    config.add_route("publishing.sitemap", "/sitemap.xml")
    config.add_route("publishing.sitemap_page", r"/sitemaps/{page:\d{1,6}}.xml")
    config.add_route("publishing.robots", "/robots.txt")
    config.add_route("publishing.doaj_export", "/production/exports/doaj.xml", factory=JOURNAL)
    config.add_route(
        "publishing.article_archive",
        r"/production/articles/{article_id:\d{1,18}}/archive.zip",
        factory=ARTICLE,
    )
    config.add_route("publishing.usage_report", "/editorial/usage", factory=JOURNAL)
    config.add_route("publishing.article_bib", "/articles/{doi:.+}/cite.bib", factory=READER)
    config.add_route("publishing.article_ris", "/articles/{doi:.+}/cite.ris", factory=READER)
    config.add_route("publishing.article_csl", "/articles/{doi:.+}/cite.json", factory=READER)
    config.add_route("publishing.article_cite", "/articles/{doi:.+}/cite", factory=READER)
    config.add_route("publishing.article_pdf", "/articles/{doi:.+}/pdf", factory=READER)
    config.add_route("publishing.article_xml", "/articles/{doi:.+}/xml", factory=READER)
    config.add_route("publishing.article", "/articles/{doi:.+}", factory=READER)


def _crossref(config: Configurator) -> None:
    """Crossref (DOI registration, for the production editor)."""
    config.add_route("crossref.dois", "/production/dois", factory=JOURNAL)
    config.add_route("crossref.deposits", "/production/dois/deposits", factory=JOURNAL)
    config.add_route(
        "crossref.deposit", r"/production/dois/deposits/{deposit_id:\d{1,18}}", factory=DEPOSIT
    )
    config.add_route(
        "crossref.deposit_xml",
        r"/production/dois/deposits/{deposit_id:\d{1,18}}/xml",
        factory=DEPOSIT,
    )
    config.add_route(
        "crossref.redeposit_issue",
        r"/production/dois/issues/{issue_id:\d{1,18}}/redeposit",
        factory=ISSUE,
    )
    config.add_route("crossref.doi", r"/production/dois/{record_id:\d{1,18}}", factory=DOI_RECORD)
    config.add_route(
        "crossref.redeposit", r"/production/dois/{record_id:\d{1,18}}/redeposit", factory=DOI_RECORD
    )


def _editorial_statistics(config: Configurator) -> None:
    """The journal's statistics for its editors (``?format=csv``: the same figures as CSV)."""
    config.add_route("editorial.statistics", "/editorial/statistics", factory=JOURNAL)


def _discussions(config: Configurator) -> None:
    """A paper's discussions from each side: the editors' (every thread), the author's
    (the threads with the editors) and a reviewer's (their assignment's threads). A thread
    or attachment id of another paper, assignment or side is 404."""
    thread = "/discussions/{thread_id:\\d{1,18}}"
    file = thread + "/files/{attachment_id:\\d{1,18}}"
    for prefix, base, factory in (
        ("editorial", "/editorial/submissions/{submission_id:\\d{1,18}}", SUBMISSION),
        ("submissions", "/submissions/{submission_id:\\d{1,18}}", AUTHOR_DISCUSSION),
        ("review", "/reviews/{assignment_id:\\d{1,18}}", REVIEWER_DISCUSSION),
    ):
        config.add_route(f"{prefix}.discussions", base + "/discussions", factory=factory)
        config.add_route(f"{prefix}.discussion", base + thread, factory=factory)
        config.add_route(f"{prefix}.discussion_file", base + file, factory=factory)


def _editorial_reviewers(config: Configurator) -> None:
    """The reviewer finder (``?submission=ID`` ranks for a paper), the authors' suggested
    and opposed reviewers on the draft, and the editors' private rating of a review."""
    config.add_route("editorial.reviewers", "/editorial/reviewers", factory=JOURNAL)
    config.add_route(
        "editorial.review_rating",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/assignments/"
        "{assignment_id:\\d{1,18}}/rating",
        factory=ASSIGNMENT,
    )
    sub = "/submissions/{submission_id:\\d{1,18}}"
    config.add_route("submissions.reviewers", sub + "/reviewers", factory=SUBMISSION)
    config.add_route(
        "submissions.reviewer_remove",
        sub + "/reviewers/{suggestion_id:\\d{1,18}}/remove",
        factory=SUBMISSION,
    )


def _journal_pages(config: Configurator) -> None:
    """The journal's own pages (site): /about and its pages written by the admin, the
    editorial board from the roles, the editors' announcements and their feed; the issue's
    cover image (production uploads it, readers see it)."""
    config.add_route("site.about", "/about", factory=JOURNAL)
    config.add_route("site.board", "/about/editorial-board", factory=JOURNAL)
    config.add_route("site.page", "/about/{slug:[a-z][a-z-]{0,59}}", factory=JOURNAL)
    config.add_route("site.news", "/news", factory=JOURNAL)
    config.add_route("site.news_feed", "/news/feed.atom", factory=JOURNAL)
    config.add_route("site.news_item", r"/news/{post_id:\d{1,18}}", factory=JOURNAL)
    config.add_route("admin.pages", "/admin/pages", factory=JOURNAL)
    config.add_route(
        "admin.page", "/admin/pages/{slug:[a-z][a-z-]{0,59}}/{language:[a-z]{2,3}}", factory=JOURNAL
    )
    config.add_route("editorial.news", "/editorial/news", factory=JOURNAL)
    config.add_route("editorial.news_item", r"/editorial/news/{post_id:\d{1,18}}", factory=JOURNAL)
    config.add_route(
        "production.issue_cover", r"/production/issues/{issue_id:\d{1,18}}/cover", factory=ISSUE
    )
    config.add_route(
        "publishing.issue_cover",
        r"/issues/{volume:[0-9]{1,9}}/{issue}/cover",
        factory="frontiers_de.resources.reader_issue_factory",
    )
