"""The route table: names, patterns and factories, in matching order.

Pyramid tries routes in the order they were added, so moving a route (or an area of them)
changes which page a URL reaches; this list is the order as it stands, checked whole.
"""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de import resources

ROUTES = [
    ("__static/", "static/*subpath", None),
    ("home", "/", None),
    ("site.language", "/language", None),
    ("site.health", "/health", None),
    ("accounts.register", "/register", None),
    ("accounts.verify", "/verify/{token}", None),
    ("accounts.verify_resend", "/verify-again", None),
    ("accounts.login", "/login", None),
    ("accounts.logout", "/logout", None),
    ("accounts.reset_request", "/password/reset", None),
    ("accounts.reset", "/password/reset/{token}", None),
    ("accounts.profile", "/account", None),
    ("accounts.password", "/account/password", None),
    ("accounts.email", "/account/email", None),
    ("accounts.email_confirm", "/account/email/confirm/{token}", None),
    ("accounts.notifications", "/account/notifications", None),
    ("admin.roles", "/admin/roles", "journal_factory"),
    ("admin.journal", "/admin/journal", "journal_factory"),
    ("admin.sections", "/admin/journal/sections", "journal_factory"),
    ("admin.emails", "/admin/emails", "journal_factory"),
    ("admin.email", "/admin/emails/{template:[a-z_]{1,80}}/{lang:[a-z]{2}}", "journal_factory"),
    ("admin.deadlines", "/admin/deadlines", "journal_factory"),
    ("submissions.mine", "/submissions", "journal_factory"),
    ("submissions.new", "/submissions/new", "journal_factory"),
    ("submissions.view", "/submissions/{submission_id:\\d{1,18}}", "submission_factory"),
    ("submissions.details", "/submissions/{submission_id:\\d{1,18}}/details", "submission_factory"),
    ("submissions.authors", "/submissions/{submission_id:\\d{1,18}}/authors", "submission_factory"),
    (
        "submissions.author",
        "/submissions/{submission_id:\\d{1,18}}/authors/{contributor_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "submissions.author_remove",
        "/submissions/{submission_id:\\d{1,18}}/authors/{contributor_id:\\d{1,18}}/remove",
        "submission_factory",
    ),
    (
        "submissions.author_move",
        "/submissions/{submission_id:\\d{1,18}}/authors/{contributor_id:\\d{1,18}}/move",
        "submission_factory",
    ),
    ("submissions.funding", "/submissions/{submission_id:\\d{1,18}}/funding", "submission_factory"),
    (
        "submissions.funding_remove",
        "/submissions/{submission_id:\\d{1,18}}/funding/{funding_id:\\d{1,18}}/remove",
        "submission_factory",
    ),
    ("submissions.files", "/submissions/{submission_id:\\d{1,18}}/files", "submission_factory"),
    (
        "submissions.file",
        "/submissions/{submission_id:\\d{1,18}}/files/{file_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "submissions.file_delete",
        "/submissions/{submission_id:\\d{1,18}}/files/{file_id:\\d{1,18}}/delete",
        "submission_factory",
    ),
    (
        "submissions.figure_description",
        "/submissions/{submission_id:\\d{1,18}}/files/{file_id:\\d{1,18}}/description",
        "submission_factory",
    ),
    ("submissions.submit", "/submissions/{submission_id:\\d{1,18}}/submit", "submission_factory"),
    (
        "submissions.withdraw",
        "/submissions/{submission_id:\\d{1,18}}/withdraw",
        "submission_factory",
    ),
    ("submissions.revise", "/submissions/{submission_id:\\d{1,18}}/revise", "submission_factory"),
    ("editorial.queue", "/editorial", "journal_factory"),
    ("editorial.submissions", "/editorial/submissions", "journal_factory"),
    ("editorial.submissions_csv", "/editorial/submissions.csv", "journal_factory"),
    (
        "editorial.act",
        "/editorial/submissions/{submission_id:\\d{1,18}}/{action:desk_reject|send_to_review}",
        "submission_factory",
    ),
    (
        "editorial.handling",
        "/editorial/submissions/{submission_id:\\d{1,18}}/handling-editor",
        "submission_factory",
    ),
    (
        "editorial.workspace",
        "/editorial/submissions/{submission_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "editorial.review",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review",
        "submission_factory",
    ),
    (
        "editorial.invite",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/invite",
        "submission_factory",
    ),
    (
        "editorial.review_file",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/files/{file_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "editorial.review_cancel",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/assignments/{assignment_id:\\d{1,18}}/cancel",
        "assignment_factory",
    ),
    (
        "editorial.review_due",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/assignments/{assignment_id:\\d{1,18}}/due",
        "assignment_factory",
    ),
    (
        "editorial.decide",
        "/editorial/submissions/{submission_id:\\d{1,18}}/decide",
        "submission_factory",
    ),
    (
        "editorial.review_mode",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review-mode",
        "submission_factory",
    ),
    (
        "editorial.review_compare",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/compare",
        "submission_factory",
    ),
    ("review.invitation", "/review/invitations/{token}", None),
    ("review.mine", "/reviews", "journal_factory"),
    ("review.assignment", "/reviews/{assignment_id:\\d{1,18}}", "assignment_factory"),
    ("review.answer", "/reviews/{assignment_id:\\d{1,18}}/answer", "assignment_factory"),
    (
        "review.file",
        "/reviews/{assignment_id:\\d{1,18}}/files/{file_id:\\d{1,18}}",
        "assignment_factory",
    ),
    ("production.dashboard", "/production", "journal_factory"),
    (
        "production.start",
        "/production/submissions/{submission_id:\\d+}/start",
        "submission_factory",
    ),
    ("production.article", "/production/articles/{article_id:\\d+}", "article_factory"),
    ("production.convert", "/production/articles/{article_id:\\d+}/convert", "article_factory"),
    ("production.check", "/production/articles/{article_id:\\d+}/check", "article_factory"),
    ("production.jats", "/production/articles/{article_id:\\d+}/jats", "article_factory"),
    (
        "production.jats_version",
        "/production/articles/{article_id:\\d+}/jats/{file_id:\\d+}",
        "article_factory",
    ),
    ("production.typeset", "/production/articles/{article_id:\\d+}/typeset", "article_factory"),
    ("production.pdf", "/production/articles/{article_id:\\d+}/pdf", "article_factory"),
    ("production.send_proof", "/production/articles/{article_id:\\d+}/proofs", "article_factory"),
    ("production.publish", "/production/articles/{article_id:\\d+}/publish", "article_factory"),
    ("production.assets", "/production/articles/{article_id:\\d+}/assets", "article_factory"),
    (
        "production.asset",
        "/production/articles/{article_id:\\d+}/assets/{name:.+}",
        "article_factory",
    ),
    ("production.figures", "/production/articles/{article_id:\\d+}/figures", "article_factory"),
    (
        "production.figure_thumbnail",
        "/production/articles/{article_id:\\d+}/figures/thumbnails/{file_id:\\d{1,18}}",
        "article_factory",
    ),
    (
        "production.figure_description",
        "/production/articles/{article_id:\\d+}/figures/{fig_id:[A-Za-z_][A-Za-z0-9_.-]{0,199}}"
        "/description",
        "article_factory",
    ),
    ("production.issues", "/production/issues", "journal_factory"),
    ("production.volumes", "/production/issues/volumes", "journal_factory"),
    ("production.issue", "/production/issues/{issue_id:\\d{1,18}}", "issue_factory"),
    (
        "production.issue_publish",
        "/production/issues/{issue_id:\\d{1,18}}/publish",
        "issue_factory",
    ),
    (
        "production.issue_assign",
        "/production/issues/{issue_id:\\d{1,18}}/articles",
        "issue_factory",
    ),
    (
        "production.issue_move",
        "/production/issues/{issue_id:\\d{1,18}}/articles/{article_id:\\d{1,18}}/move",
        "issue_factory",
    ),
    (
        "production.issue_remove",
        "/production/issues/{issue_id:\\d{1,18}}/articles/{article_id:\\d{1,18}}/remove",
        "issue_factory",
    ),
    ("production.proof_pdf", "/proofs/{token}/pdf", None),
    ("production.proof", "/proofs/{token}", None),
    (
        "publishing.asset",
        "/articles/id/{article_id:\\d{1,9}}/assets/{name:.+}",
        "reader_article_by_id_factory",
    ),
    ("publishing.article_asset", "/articles/{doi:.+?}/assets/{name:.+}", "reader_article_factory"),
    ("publishing.archive", "/issues", None),
    ("publishing.search", "/search", None),
    ("publishing.issue", "/issues/{volume:[0-9]{1,9}}/{issue}", "reader_issue_factory"),
    ("publishing.feed", "/feed.atom", "journal_factory"),
    ("publishing.oai", "/oai", "journal_factory"),
    ("publishing.sitemap", "/sitemap.xml", None),
    ("publishing.sitemap_page", r"/sitemaps/{page:\d{1,6}}.xml", None),
    ("publishing.robots", "/robots.txt", None),
    ("publishing.doaj_export", "/production/exports/doaj.xml", "journal_factory"),
    (
        "publishing.article_archive",
        r"/production/articles/{article_id:\d{1,18}}/archive.zip",
        "article_factory",
    ),
    ("publishing.usage_report", "/editorial/usage", "journal_factory"),
    ("publishing.article_bib", "/articles/{doi:.+}/cite.bib", "reader_article_factory"),
    ("publishing.article_ris", "/articles/{doi:.+}/cite.ris", "reader_article_factory"),
    ("publishing.article_csl", "/articles/{doi:.+}/cite.json", "reader_article_factory"),
    ("publishing.article_cite", "/articles/{doi:.+}/cite", "reader_article_factory"),
    ("publishing.article_pdf", "/articles/{doi:.+}/pdf", "reader_article_factory"),
    ("publishing.article_xml", "/articles/{doi:.+}/xml", "reader_article_factory"),
    ("publishing.article", "/articles/{doi:.+}", "reader_article_factory"),
    ("crossref.dois", "/production/dois", "journal_factory"),
    ("crossref.deposits", "/production/dois/deposits", "journal_factory"),
    ("crossref.deposit", "/production/dois/deposits/{deposit_id:\\d{1,18}}", "deposit_factory"),
    (
        "crossref.deposit_xml",
        "/production/dois/deposits/{deposit_id:\\d{1,18}}/xml",
        "deposit_factory",
    ),
    (
        "crossref.redeposit_issue",
        "/production/dois/issues/{issue_id:\\d{1,18}}/redeposit",
        "issue_factory",
    ),
    ("crossref.doi", "/production/dois/{record_id:\\d{1,18}}", "doi_record_factory"),
    (
        "crossref.redeposit",
        "/production/dois/{record_id:\\d{1,18}}/redeposit",
        "doi_record_factory",
    ),
    ("editorial.statistics", "/editorial/statistics", "journal_factory"),
    (
        "editorial.discussions",
        "/editorial/submissions/{submission_id:\\d{1,18}}/discussions",
        "submission_factory",
    ),
    (
        "editorial.discussion",
        "/editorial/submissions/{submission_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "editorial.discussion_file",
        "/editorial/submissions/{submission_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}/files/{attachment_id:\\d{1,18}}",
        "submission_factory",
    ),
    (
        "submissions.discussions",
        "/submissions/{submission_id:\\d{1,18}}/discussions",
        "author_discussion_factory",
    ),
    (
        "submissions.discussion",
        "/submissions/{submission_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}",
        "author_discussion_factory",
    ),
    (
        "submissions.discussion_file",
        "/submissions/{submission_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}/files/{attachment_id:\\d{1,18}}",
        "author_discussion_factory",
    ),
    (
        "review.discussions",
        "/reviews/{assignment_id:\\d{1,18}}/discussions",
        "reviewer_discussion_factory",
    ),
    (
        "review.discussion",
        "/reviews/{assignment_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}",
        "reviewer_discussion_factory",
    ),
    (
        "review.discussion_file",
        "/reviews/{assignment_id:\\d{1,18}}/discussions/{thread_id:\\d{1,18}}/files/{attachment_id:\\d{1,18}}",
        "reviewer_discussion_factory",
    ),
    ("editorial.reviewers", "/editorial/reviewers", "journal_factory"),
    (
        "editorial.review_rating",
        "/editorial/submissions/{submission_id:\\d{1,18}}/review/assignments/"
        "{assignment_id:\\d{1,18}}/rating",
        "assignment_factory",
    ),
    (
        "submissions.reviewers",
        "/submissions/{submission_id:\\d{1,18}}/reviewers",
        "submission_factory",
    ),
    (
        "submissions.reviewer_remove",
        "/submissions/{submission_id:\\d{1,18}}/reviewers/{suggestion_id:\\d{1,18}}/remove",
        "submission_factory",
    ),
    ("site.about", "/about", "journal_factory"),
    ("site.board", "/about/editorial-board", "journal_factory"),
    ("site.page", "/about/{slug:[a-z][a-z-]{0,59}}", "journal_factory"),
    ("site.news", "/news", "journal_factory"),
    ("site.news_feed", "/news/feed.atom", "journal_factory"),
    ("site.news_item", "/news/{post_id:\\d{1,18}}", "journal_factory"),
    ("admin.pages", "/admin/pages", "journal_factory"),
    (
        "admin.page",
        "/admin/pages/{slug:[a-z][a-z-]{0,59}}/{language:[a-z]{2,3}}",
        "journal_factory",
    ),
    ("editorial.news", "/editorial/news", "journal_factory"),
    ("editorial.news_item", "/editorial/news/{post_id:\\d{1,18}}", "journal_factory"),
    ("production.issue_cover", "/production/issues/{issue_id:\\d{1,18}}/cover", "issue_factory"),
    (
        "publishing.issue_cover",
        "/issues/{volume:[0-9]{1,9}}/{issue}/cover",
        "reader_issue_factory",
    ),
]


def _table() -> list[tuple[str, str, str | None]]:
    """(name, pattern, factory's name in ``frontiers_de.resources``) of each route, in order."""
    config = Configurator()
    config.include("frontiers_de.routes")
    config.commit()
    factories = {id(value): name for name, value in vars(resources).items() if callable(value)}
    return [
        (route.name, route.pattern, route.factory and factories[id(route.factory)])
        for route in config.get_routes_mapper().get_routes()
    ]


def test_every_route_in_its_place() -> None:
    assert _table() == ROUTES
