"""Every route x every role, with the status each must get: one table, extended by every
issue that adds routes. A route that the app has but the table lacks fails the suite.

A row is ``(route_name, method, path, {role: status})``; build the status map with the
helpers below (``everyone``, ``signed_in``, ``needs``) or spell it out. Unsafe requests are
sent with the session's CSRF token and the row's form data (``data`` in the optional fifth
element), so what is tested is the permission, not the CSRF check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import webtest

from frontiers_de.security.roles import Role
from frontiers_de.templating import route_names
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import ManuscriptFileFactory, SubmissionFactory
from tests.web import csrf, sign_in

ANONYMOUS = "anonymous"
USER = "user"  # signed in, address verified, no role
ROLES: tuple[str, ...] = (ANONYMOUS, USER, *(r.value for r in Role))
SIGNED_IN = ROLES[1:]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int) -> dict[str, int]:
    """``status`` for every signed-in role; anonymous GETs are sent to sign in (302),
    anonymous POSTs are refused (403)."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, status)}


def needs(roles: set[str], status: int, anonymous: int = 302, refused: int = 403) -> dict[str, int]:
    """``status`` for the given roles, ``refused`` for other signed-in users."""
    out = {ANONYMOUS: anonymous}
    out.update({r: status if r in roles else refused for r in SIGNED_IN})
    return out


ADMIN = {Role.ADMIN.value}
PRODUCERS = {Role.PRODUCTION_EDITOR.value, Role.EDITOR_IN_CHIEF.value, Role.ADMIN.value}
NO_ARTICLE = "/production/articles/999999"
NO_ISSUE = "/production/issues/999999"
NO_SUBMISSION = "/submissions/999999"
NO_EDITORIAL = "/editorial/submissions/999999"
NO_REVIEW = "/reviews/999999"
EDITORS = {Role.SECTION_EDITOR.value, Role.EDITOR_IN_CHIEF.value, Role.ADMIN.value}
DOI_STAFF = PRODUCERS
CHIEFS = {Role.EDITOR_IN_CHIEF.value, Role.ADMIN.value}

# (route name, method, path, expected status per role[, form data])
ROUTES: list[tuple[Any, ...]] = [
    # site
    ("home", "GET", "/", everyone(200)),
    ("site.language", "GET", "/language", everyone(404)),
    ("site.language", "POST", "/language", everyone(302), {"language": "en", "next": "/"}),
    ("site.health", "GET", "/health", everyone(200)),
    # accounts
    ("accounts.register", "GET", "/register", signed_in(302, anonymous=200)),
    ("accounts.verify", "GET", "/verify/not-a-token", everyone(400)),
    ("accounts.verify", "POST", "/verify/not-a-token", everyone(400)),
    ("accounts.verify_resend", "POST", "/verify-again", signed_in(302, anonymous=403)),
    ("accounts.login", "GET", "/login", signed_in(302, anonymous=200)),
    ("accounts.logout", "GET", "/logout", everyone(404)),
    ("accounts.logout", "POST", "/logout", everyone(302)),
    ("accounts.reset_request", "GET", "/password/reset", everyone(200)),
    ("accounts.reset", "GET", "/password/reset/not-a-token", everyone(400)),
    ("accounts.profile", "GET", "/account", signed_in(200, anonymous=302)),
    ("accounts.profile", "POST", "/account", signed_in(200, anonymous=403)),
    ("accounts.password", "GET", "/account/password", signed_in(200, anonymous=302)),
    ("accounts.password", "POST", "/account/password", signed_in(200, anonymous=403)),
    ("accounts.email", "GET", "/account/email", signed_in(200, anonymous=302)),
    # An empty form: refused with its errors shown (200); nothing changes.
    ("accounts.email", "POST", "/account/email", signed_in(200, anonymous=403)),
    ("accounts.email_confirm", "GET", "/account/email/confirm/not-a-token", everyone(400)),
    ("accounts.email_confirm", "POST", "/account/email/confirm/not-a-token", everyone(400)),
    ("accounts.notifications", "GET", "/account/notifications", signed_in(200, anonymous=302)),
    ("accounts.notifications", "POST", "/account/notifications", signed_in(302, anonymous=403)),
    # admin
    ("admin.roles", "GET", "/admin/roles", needs(ADMIN, 200)),
    ("admin.roles", "GET", "/admin/roles?q=example", needs(ADMIN, 200)),
    ("admin.roles", "POST", "/admin/roles", needs(ADMIN, 302, anonymous=403), {"action": "x"}),
    ("admin.journal", "GET", "/admin/journal", needs(ADMIN, 200)),
    ("admin.journal", "POST", "/admin/journal", needs(ADMIN, 400, anonymous=403), {"title": ""}),
    ("admin.sections", "GET", "/admin/journal/sections", everyone(404)),
    ("admin.sections", "POST", "/admin/journal/sections", needs(ADMIN, 302, anonymous=403)),
    ("admin.emails", "GET", "/admin/emails", needs(ADMIN, 200)),
    ("admin.emails", "POST", "/admin/emails", everyone(404)),
    ("admin.email", "GET", "/admin/emails/review_invitation/zh", needs(ADMIN, 200)),
    ("admin.email", "GET", "/admin/emails/no_such_email/en", needs(ADMIN, 404)),
    (
        "admin.email",
        "POST",
        "/admin/emails/review_invitation/en",
        needs(ADMIN, 302, anonymous=403),
        {"action": "restore"},
    ),
    (
        "admin.email",
        "POST",
        "/admin/emails/review_invitation/en",
        needs(ADMIN, 400, anonymous=403),
        {"action": "save", "subject": "", "body": "{{ nope }}"},
    ),
    ("admin.deadlines", "GET", "/admin/deadlines", needs(ADMIN, 200)),
    # An empty form: refused with its errors shown (400); nothing is saved.
    ("admin.deadlines", "POST", "/admin/deadlines", needs(ADMIN, 400, anonymous=403)),
    # submissions: the author's pages. A submission that the user may not see (here: one that
    # does not exist) is 404 for every signed-in user, so its existence is not revealed; the
    # functional tests show the same 404 for another user's existing submission.
    ("submissions.mine", "GET", "/submissions", signed_in(200, anonymous=302)),
    ("submissions.new", "GET", "/submissions/new", signed_in(200, anonymous=302)),
    # No article type chosen: refused with the form shown again (400).
    ("submissions.new", "POST", "/submissions/new", signed_in(400, anonymous=403)),
    ("submissions.view", "GET", NO_SUBMISSION, signed_in(404, anonymous=302)),
    ("submissions.details", "GET", NO_SUBMISSION + "/details", signed_in(404, anonymous=302)),
    ("submissions.details", "POST", NO_SUBMISSION + "/details", signed_in(404, anonymous=403)),
    ("submissions.authors", "GET", NO_SUBMISSION + "/authors", signed_in(404, anonymous=302)),
    ("submissions.authors", "POST", NO_SUBMISSION + "/authors", signed_in(404, anonymous=403)),
    ("submissions.author", "GET", NO_SUBMISSION + "/authors/1", signed_in(404, anonymous=302)),
    ("submissions.author", "POST", NO_SUBMISSION + "/authors/1", signed_in(404, anonymous=403)),
    ("submissions.author_remove", "GET", NO_SUBMISSION + "/authors/1/remove", everyone(404)),
    (
        "submissions.author_remove",
        "POST",
        NO_SUBMISSION + "/authors/1/remove",
        signed_in(404, anonymous=403),
    ),
    (
        "submissions.author_move",
        "POST",
        NO_SUBMISSION + "/authors/1/move",
        signed_in(404, anonymous=403),
        {"direction": "up"},
    ),
    ("submissions.funding", "GET", NO_SUBMISSION + "/funding", signed_in(404, anonymous=302)),
    ("submissions.funding", "POST", NO_SUBMISSION + "/funding", signed_in(404, anonymous=403)),
    (
        "submissions.funding_remove",
        "POST",
        NO_SUBMISSION + "/funding/1/remove",
        signed_in(404, anonymous=403),
    ),
    ("submissions.files", "GET", NO_SUBMISSION + "/files", signed_in(404, anonymous=302)),
    ("submissions.files", "POST", NO_SUBMISSION + "/files", signed_in(404, anonymous=403)),
    ("submissions.file", "GET", NO_SUBMISSION + "/files/1", signed_in(404, anonymous=302)),
    ("submissions.file_delete", "GET", NO_SUBMISSION + "/files/1/delete", everyone(404)),
    (
        "submissions.file_delete",
        "POST",
        NO_SUBMISSION + "/files/1/delete",
        signed_in(404, anonymous=403),
    ),
    (
        "submissions.figure_description",
        "GET",
        NO_SUBMISSION + "/files/1/description",
        everyone(404),
    ),
    (
        "submissions.figure_description",
        "POST",
        NO_SUBMISSION + "/files/1/description",
        signed_in(404, anonymous=403),
        {"alt_text": "A bar chart", "long_desc": ""},
    ),
    ("submissions.submit", "GET", NO_SUBMISSION + "/submit", everyone(404)),
    ("submissions.submit", "POST", NO_SUBMISSION + "/submit", signed_in(404, anonymous=403)),
    (
        "submissions.withdraw",
        "POST",
        NO_SUBMISSION + "/withdraw",
        signed_in(404, anonymous=403),
        {"confirm": "yes"},
    ),
    ("submissions.revise", "GET", NO_SUBMISSION + "/revise", everyone(404)),
    ("submissions.revise", "POST", NO_SUBMISSION + "/revise", signed_in(404, anonymous=403)),
    # editorial: the queue for section editors, the editor-in-chief (and admins)
    ("editorial.queue", "GET", "/editorial", needs(EDITORS, 200)),
    # every submission in one list, and its CSV (a filter it cannot read: 400, named)
    ("editorial.submissions", "GET", "/editorial/submissions", needs(EDITORS, 200)),
    (
        "editorial.submissions",
        "GET",
        "/editorial/submissions?page=x&per_page=9",
        needs(EDITORS, 200),
    ),
    ("editorial.submissions", "GET", "/editorial/submissions?from=soon", needs(EDITORS, 400)),
    ("editorial.submissions", "POST", "/editorial/submissions", everyone(404)),
    ("editorial.submissions_csv", "GET", "/editorial/submissions.csv", needs(EDITORS, 200)),
    ("editorial.act", "GET", NO_EDITORIAL + "/send_to_review", everyone(404)),
    (
        "editorial.act",
        "POST",
        NO_EDITORIAL + "/send_to_review",
        needs(EDITORS, 404, anonymous=403),
    ),
    (
        "editorial.act",
        "POST",
        NO_EDITORIAL + "/desk_reject",
        needs(EDITORS, 404, anonymous=403),
        {"reason": "Outside the scope of the journal, as explained."},
    ),
    # the handling editor: the editor-in-chief's (and admins') page
    ("editorial.handling", "GET", NO_EDITORIAL + "/handling-editor", needs(CHIEFS, 404)),
    (
        "editorial.handling",
        "POST",
        NO_EDITORIAL + "/handling-editor",
        needs(CHIEFS, 404, anonymous=403),
        {"editor_id": ""},
    ),
    # the editor's workspace of one paper (an unknown one: 404 for the journal's editors)
    ("editorial.workspace", "GET", NO_EDITORIAL, needs(EDITORS, 404)),
    ("editorial.workspace", "POST", NO_EDITORIAL, everyone(404)),
    # peer review, the editor's side (an unknown submission: 404 for the journal's editors)
    ("editorial.review", "GET", NO_EDITORIAL + "/review", needs(EDITORS, 404)),
    ("editorial.invite", "GET", NO_EDITORIAL + "/review/invite", everyone(404)),
    (
        "editorial.invite",
        "POST",
        NO_EDITORIAL + "/review/invite",
        needs(EDITORS, 404, anonymous=403),
        {"reviewer_id": "1", "due": "2099-01-01"},
    ),
    ("editorial.review_file", "GET", NO_EDITORIAL + "/review/files/1", needs(EDITORS, 404)),
    (
        "editorial.review_cancel",
        "GET",
        NO_EDITORIAL + "/review/assignments/1/cancel",
        everyone(404),
    ),
    (
        "editorial.review_cancel",
        "POST",
        NO_EDITORIAL + "/review/assignments/1/cancel",
        needs(EDITORS, 404, anonymous=403),
    ),
    ("editorial.review_due", "GET", NO_EDITORIAL + "/review/assignments/1/due", everyone(404)),
    (
        "editorial.review_due",
        "POST",
        NO_EDITORIAL + "/review/assignments/1/due",
        needs(EDITORS, 404, anonymous=403),
        {"due": "2099-01-01"},
    ),
    ("editorial.decide", "GET", NO_EDITORIAL + "/decide", everyone(404)),
    (
        "editorial.decide",
        "POST",
        NO_EDITORIAL + "/decide",
        needs(EDITORS, 404, anonymous=403),
        {"decision": "accept", "message": "A letter long enough to be accepted."},
    ),
    ("editorial.review_mode", "GET", NO_EDITORIAL + "/review-mode", everyone(404)),
    (
        "editorial.review_mode",
        "POST",
        NO_EDITORIAL + "/review-mode",
        needs(EDITORS, 404, anonymous=403),
        {"review_mode": "double_anonymous"},
    ),
    # the round's reviews side by side; POST decides from it
    ("editorial.review_compare", "GET", NO_EDITORIAL + "/review/compare", needs(EDITORS, 404)),
    (
        "editorial.review_compare",
        "GET",
        NO_EDITORIAL + "/review/compare?round=1",
        needs(EDITORS, 404),
    ),
    (
        "editorial.review_compare",
        "POST",
        NO_EDITORIAL + "/review/compare",
        needs(EDITORS, 404, anonymous=403),
        {"decision": "accept", "message": "A letter long enough to be accepted."},
    ),
    # peer review, the reviewer's side: the invitation's token is the key (a forged one finds
    # nothing); an assignment that is not the user's own is 404 for everyone signed in (the
    # functional tests show the same 404 for another reviewer's existing assignment)
    ("review.invitation", "GET", "/review/invitations/not-a-token", everyone(404)),
    (
        "review.invitation",
        "POST",
        "/review/invitations/not-a-token",
        everyone(404),
        {"action": "accept"},
    ),
    ("review.mine", "GET", "/reviews", signed_in(200, anonymous=302)),
    ("review.assignment", "GET", NO_REVIEW, signed_in(404, anonymous=302)),
    ("review.assignment", "POST", NO_REVIEW, signed_in(404, anonymous=403), {"action": "save"}),
    ("review.answer", "GET", NO_REVIEW + "/answer", everyone(404)),
    (
        "review.answer",
        "POST",
        NO_REVIEW + "/answer",
        signed_in(404, anonymous=403),
        {"action": "accept"},
    ),
    ("review.file", "GET", NO_REVIEW + "/files/1", signed_in(404, anonymous=302)),
    # production (unknown ids: 404 for those who may produce, refused for everyone else)
    ("production.dashboard", "GET", "/production", needs(PRODUCERS, 200)),
    ("production.start", "GET", "/production/submissions/999999/start", everyone(404)),
    (
        "production.start",
        "POST",
        "/production/submissions/999999/start",
        needs(PRODUCERS, 404, anonymous=403),
    ),
    ("production.article", "GET", NO_ARTICLE, needs(PRODUCERS, 404)),
    ("production.convert", "POST", NO_ARTICLE + "/convert", needs(PRODUCERS, 404, anonymous=403)),
    ("production.check", "POST", NO_ARTICLE + "/check", needs(PRODUCERS, 404, anonymous=403)),
    ("production.jats", "GET", NO_ARTICLE + "/jats", needs(PRODUCERS, 404)),
    ("production.jats", "POST", NO_ARTICLE + "/jats", needs(PRODUCERS, 404, anonymous=403)),
    ("production.jats_version", "GET", NO_ARTICLE + "/jats/1", needs(PRODUCERS, 404)),
    ("production.typeset", "POST", NO_ARTICLE + "/typeset", needs(PRODUCERS, 404, anonymous=403)),
    ("production.pdf", "GET", NO_ARTICLE + "/pdf", needs(PRODUCERS, 404)),
    (
        "production.send_proof",
        "POST",
        NO_ARTICLE + "/proofs",
        needs(PRODUCERS, 404, anonymous=403),
    ),
    ("production.publish", "POST", NO_ARTICLE + "/publish", needs(PRODUCERS, 404, anonymous=403)),
    ("production.assets", "GET", NO_ARTICLE + "/assets", everyone(404)),
    (
        "production.assets",
        "POST",
        NO_ARTICLE + "/assets",
        needs(PRODUCERS, 404, anonymous=403),
        {"name": "fig1.png"},
    ),
    ("production.asset", "GET", NO_ARTICLE + "/assets/fig1.png", needs(PRODUCERS, 404)),
    ("production.asset", "GET", NO_ARTICLE + "/assets/media/image1.png", needs(PRODUCERS, 404)),
    ("production.figures", "GET", NO_ARTICLE + "/figures", everyone(404)),
    (
        "production.figures",
        "POST",
        NO_ARTICLE + "/figures",
        needs(PRODUCERS, 404, anonymous=403),
        {"fig_id": "fig-1", "choice": "manuscript"},
    ),
    (
        "production.figure_thumbnail",
        "GET",
        NO_ARTICLE + "/figures/thumbnails/1",
        needs(PRODUCERS, 404),
    ),
    ("production.figure_description", "GET", NO_ARTICLE + "/figures/f1/description", everyone(404)),
    (
        "production.figure_description",
        "POST",
        NO_ARTICLE + "/figures/f1/description",
        needs(PRODUCERS, 404, anonymous=403),
        {"alt_text": "A bar chart", "long_desc": ""},
    ),
    # volumes and issues (the table's database has none, so single issues are 404)
    ("production.issues", "GET", "/production/issues", needs(PRODUCERS, 200)),
    # An empty form: refused with its errors shown (400); nothing is created.
    ("production.issues", "POST", "/production/issues", needs(PRODUCERS, 400, anonymous=403)),
    ("production.volumes", "GET", "/production/issues/volumes", everyone(404)),
    (
        "production.volumes",
        "POST",
        "/production/issues/volumes",
        needs(PRODUCERS, 400, anonymous=403),
    ),
    ("production.issue", "GET", NO_ISSUE, needs(PRODUCERS, 404)),
    ("production.issue", "POST", NO_ISSUE, needs(PRODUCERS, 404, anonymous=403)),
    ("production.issue_publish", "GET", NO_ISSUE + "/publish", everyone(404)),
    (
        "production.issue_publish",
        "POST",
        NO_ISSUE + "/publish",
        needs(PRODUCERS, 404, anonymous=403),
    ),
    ("production.issue_assign", "GET", NO_ISSUE + "/articles", everyone(404)),
    (
        "production.issue_assign",
        "POST",
        NO_ISSUE + "/articles",
        needs(PRODUCERS, 404, anonymous=403),
        {"article": "1"},
    ),
    (
        "production.issue_move",
        "POST",
        NO_ISSUE + "/articles/1/move",
        needs(PRODUCERS, 404, anonymous=403),
        {"direction": "up"},
    ),
    (
        "production.issue_remove",
        "POST",
        NO_ISSUE + "/articles/1/remove",
        needs(PRODUCERS, 404, anonymous=403),
    ),
    # the author's proof page: the token is the key (a forged one finds nothing)
    ("production.proof", "GET", "/proofs/not-a-token", everyone(404)),
    ("production.proof", "POST", "/proofs/not-a-token", everyone(404), {"action": "approve"}),
    ("production.proof_pdf", "GET", "/proofs/not-a-token/pdf", everyone(404)),
    # public article pages: only published articles exist
    ("publishing.article", "GET", "/articles/10.5555/not-published", everyone(404)),
    ("publishing.article_pdf", "GET", "/articles/10.5555/not-published/pdf", everyone(404)),
    ("publishing.article_xml", "GET", "/articles/10.5555/not-published/xml", everyone(404)),
    (
        "publishing.article_asset",
        "GET",
        "/articles/10.5555/not-published/assets/fig1.png",
        everyone(404),
    ),
    ("publishing.asset", "GET", "/articles/id/999999/assets/fig1.png", everyone(404)),
    ("publishing.asset", "GET", "/articles/id/1/assets/../../etc/passwd", everyone(404)),
    ("publishing.article_bib", "GET", "/articles/10.5555/not-published/cite.bib", everyone(404)),
    ("publishing.article_ris", "GET", "/articles/10.5555/not-published/cite.ris", everyone(404)),
    ("publishing.article_csl", "GET", "/articles/10.5555/not-published/cite.json", everyone(404)),
    (
        "publishing.article_cite",
        "GET",
        "/articles/10.5555/not-published/cite?style=apa",
        everyone(404),
    ),
    ("publishing.article_cite", "POST", "/articles/10.5555/not-published/cite", everyone(404)),
    # the archive, tables of contents (the table's database has no issues), the feed and
    # OAI-PMH; the anonymous client's database has no journal row, so nothing to serve
    ("publishing.archive", "GET", "/issues", everyone(200)),
    # search: bad input is answered with the form, never an error
    ("publishing.search", "GET", "/search", everyone(200)),
    ("publishing.search", "GET", "/search?q=%25_%5C%22%3Cb%3E&page=x&year=0", everyone(200)),
    ("publishing.search", "POST", "/search", everyone(404)),
    ("publishing.issue", "GET", "/issues/1/1", everyone(404)),
    ("publishing.feed", "GET", "/feed.atom", {**everyone(200), ANONYMOUS: 404}),
    ("publishing.oai", "GET", "/oai?verb=Identify", {**everyone(200), ANONYMOUS: 404}),
    # harvesters POST without a CSRF token (the row's token is one more argument: badArgument)
    ("publishing.oai", "POST", "/oai", {**everyone(200), ANONYMOUS: 404}, {"verb": "Identify"}),
    # indexers: the sitemap (one page: a second is not there) and robots.txt, for everyone
    ("publishing.sitemap", "GET", "/sitemap.xml", everyone(200)),
    ("publishing.sitemap_page", "GET", "/sitemaps/1.xml", everyone(200)),
    ("publishing.sitemap_page", "GET", "/sitemaps/2.xml", everyone(404)),
    ("publishing.sitemap", "POST", "/sitemap.xml", everyone(404)),
    ("publishing.robots", "GET", "/robots.txt", everyone(200)),
    # the DOAJ export and an article's archive package: production's (no article here)
    ("publishing.doaj_export", "GET", "/production/exports/doaj.xml", needs(PRODUCERS, 200)),
    ("publishing.doaj_export", "POST", "/production/exports/doaj.xml", everyone(404)),
    (
        "publishing.article_archive",
        "GET",
        NO_ARTICLE + "/archive.zip",
        needs(PRODUCERS, 404),
    ),
    # the COUNTER usage reports: the journal's editors (a bad month or report: 400)
    ("publishing.usage_report", "GET", "/editorial/usage", needs(EDITORS, 200)),
    ("publishing.usage_report", "GET", "/editorial/usage?report=tr", needs(EDITORS, 200)),
    (
        "publishing.usage_report",
        "GET",
        "/editorial/usage?report=ir&begin=2026-01&end=2026-03",
        needs(EDITORS, 200),
    ),
    ("publishing.usage_report", "GET", "/editorial/usage?begin=x", needs(EDITORS, 400)),
    ("publishing.usage_report", "GET", "/editorial/usage?report=zz", needs(EDITORS, 400)),
    ("publishing.usage_report", "POST", "/editorial/usage", everyone(404)),
    # crossref (the DOI pages; the table's database is empty, so single items are 404)
    ("crossref.dois", "GET", "/production/dois", needs(DOI_STAFF, 200)),
    ("crossref.dois", "GET", "/production/dois?status=failed", needs(DOI_STAFF, 200)),
    ("crossref.dois", "GET", "/production/dois?status=%00nonsense", needs(DOI_STAFF, 200)),
    ("crossref.doi", "GET", "/production/dois/1", needs(DOI_STAFF, 404)),
    ("crossref.redeposit", "GET", "/production/dois/1/redeposit", everyone(404)),
    (
        "crossref.redeposit",
        "POST",
        "/production/dois/1/redeposit",
        needs(DOI_STAFF, 404, anonymous=403),
    ),
    (
        "crossref.redeposit_issue",
        "POST",
        "/production/dois/issues/1/redeposit",
        needs(DOI_STAFF, 404, anonymous=403),
    ),
    ("crossref.deposits", "GET", "/production/dois/deposits", needs(DOI_STAFF, 200)),
    ("crossref.deposit", "GET", "/production/dois/deposits/1", needs(DOI_STAFF, 404)),
    ("crossref.deposit_xml", "GET", "/production/dois/deposits/1/xml", needs(DOI_STAFF, 404)),
    # the journal's statistics: its editors only (authors and reviewers hold no edit right)
    ("editorial.statistics", "GET", "/editorial/statistics", needs(EDITORS, 200)),
    ("editorial.statistics", "GET", "/editorial/statistics?format=csv", needs(EDITORS, 200)),
    ("editorial.statistics", "GET", "/editorial/statistics?year=x", needs(EDITORS, 400)),
    ("editorial.statistics", "POST", "/editorial/statistics", everyone(404)),
    # a paper's discussions (issue 12): the editors' side is the editorial side (404 for an
    # unknown paper), the author's is its submitter's, the reviewer's is their assignment's
    # while they review it; an id nobody may reach is 404 for everyone signed in
    ("editorial.discussions", "GET", NO_EDITORIAL + "/discussions", needs(EDITORS, 404)),
    (
        "editorial.discussions",
        "POST",
        NO_EDITORIAL + "/discussions",
        needs(EDITORS, 404, anonymous=403),
        {"kind": "authors", "subject": "Hello", "body": "A question."},
    ),
    ("editorial.discussion", "GET", NO_EDITORIAL + "/discussions/1", needs(EDITORS, 404)),
    (
        "editorial.discussion",
        "POST",
        NO_EDITORIAL + "/discussions/1",
        needs(EDITORS, 404, anonymous=403),
        {"body": "A reply."},
    ),
    (
        "editorial.discussion_file",
        "GET",
        NO_EDITORIAL + "/discussions/1/files/1",
        needs(EDITORS, 404),
    ),
    (
        "submissions.discussions",
        "GET",
        NO_SUBMISSION + "/discussions",
        signed_in(404, anonymous=302),
    ),
    (
        "submissions.discussions",
        "POST",
        NO_SUBMISSION + "/discussions",
        signed_in(404, anonymous=403),
        {"subject": "Hello", "body": "A question."},
    ),
    (
        "submissions.discussion",
        "GET",
        NO_SUBMISSION + "/discussions/1",
        signed_in(404, anonymous=302),
    ),
    (
        "submissions.discussion",
        "POST",
        NO_SUBMISSION + "/discussions/1",
        signed_in(404, anonymous=403),
        {"body": "A reply."},
    ),
    (
        "submissions.discussion_file",
        "GET",
        NO_SUBMISSION + "/discussions/1/files/1",
        signed_in(404, anonymous=302),
    ),
    ("review.discussions", "GET", NO_REVIEW + "/discussions", signed_in(404, anonymous=302)),
    (
        "review.discussions",
        "POST",
        NO_REVIEW + "/discussions",
        signed_in(404, anonymous=403),
        {"subject": "Hello", "body": "A question."},
    ),
    ("review.discussion", "GET", NO_REVIEW + "/discussions/1", signed_in(404, anonymous=302)),
    (
        "review.discussion",
        "POST",
        NO_REVIEW + "/discussions/1",
        signed_in(404, anonymous=403),
        {"body": "A reply."},
    ),
    (
        "review.discussion_file",
        "GET",
        NO_REVIEW + "/discussions/1/files/1",
        signed_in(404, anonymous=302),
    ),
    # the reviewer finder: the journal's editors; a paper they may not handle (here: one
    # that is not there) answers 404, as every editorial page of a paper does
    ("editorial.reviewers", "GET", "/editorial/reviewers", needs(EDITORS, 200)),
    (
        "editorial.reviewers",
        "GET",
        "/editorial/reviewers?q=%25_%3Cb%3E&sort=nonsense",
        needs(EDITORS, 200),
    ),
    ("editorial.reviewers", "GET", "/editorial/reviewers?submission=999999", needs(EDITORS, 404)),
    ("editorial.reviewers", "GET", "/editorial/reviewers?submission=x", needs(EDITORS, 404)),
    ("editorial.reviewers", "POST", "/editorial/reviewers", everyone(404)),
    # the editors' private rating of a review
    (
        "editorial.review_rating",
        "GET",
        NO_EDITORIAL + "/review/assignments/1/rating",
        everyone(404),
    ),
    (
        "editorial.review_rating",
        "POST",
        NO_EDITORIAL + "/review/assignments/1/rating",
        needs(EDITORS, 404, anonymous=403),
        {"rating": "4"},
    ),
    # the reviewers the authors suggest or oppose (the draft's submitter only)
    ("submissions.reviewers", "GET", NO_SUBMISSION + "/reviewers", signed_in(404, anonymous=302)),
    ("submissions.reviewers", "POST", NO_SUBMISSION + "/reviewers", signed_in(404, anonymous=403)),
    ("submissions.reviewer_remove", "GET", NO_SUBMISSION + "/reviewers/1/remove", everyone(404)),
    (
        "submissions.reviewer_remove",
        "POST",
        NO_SUBMISSION + "/reviewers/1/remove",
        signed_in(404, anonymous=403),
    ),
    # the journal's own pages (none without a journal, as the feed): readers see them, the
    # admin writes the pages, editors post the announcements, production uploads a cover
    ("site.about", "GET", "/about", {**everyone(200), ANONYMOUS: 404}),
    ("site.board", "GET", "/about/editorial-board", {**everyone(200), ANONYMOUS: 404}),
    ("site.page", "GET", "/about/fees", {**everyone(200), ANONYMOUS: 404}),
    ("site.page", "GET", "/about/no-such-page", everyone(404)),
    ("site.page", "POST", "/about/fees", everyone(404)),
    ("site.news", "GET", "/news", {**everyone(200), ANONYMOUS: 404}),
    ("site.news_feed", "GET", "/news/feed.atom", {**everyone(200), ANONYMOUS: 404}),
    ("site.news_item", "GET", "/news/999999", everyone(404)),
    ("admin.pages", "GET", "/admin/pages", needs(ADMIN, 200)),
    ("admin.page", "GET", "/admin/pages/fees/en", needs(ADMIN, 200)),
    ("admin.page", "GET", "/admin/pages/fees/xx", needs(ADMIN, 404)),
    ("admin.page", "GET", "/admin/pages/no-such-page/en", needs(ADMIN, 404)),
    (
        "admin.page",
        "POST",
        "/admin/pages/fees/en",
        needs(ADMIN, 400, anonymous=403),
        {"title": "", "body": ""},
    ),
    ("editorial.news", "GET", "/editorial/news", needs(EDITORS, 200)),
    (
        "editorial.news",
        "POST",
        "/editorial/news",
        needs(EDITORS, 400, anonymous=403),
        {"title": ""},
    ),
    ("editorial.news_item", "GET", "/editorial/news/999999", needs(EDITORS, 404)),
    (
        "editorial.news_item",
        "POST",
        "/editorial/news/999999",
        needs(EDITORS, 404, anonymous=403),
    ),
    ("production.issue_cover", "GET", NO_ISSUE + "/cover", everyone(404)),
    (
        "production.issue_cover",
        "POST",
        NO_ISSUE + "/cover",
        needs(PRODUCERS, 404, anonymous=403),
    ),
    ("publishing.issue_cover", "GET", "/issues/1/1/cover", everyone(404)),
]


def test_every_route_is_in_the_table(wsgi_app):
    from pyramid.scripting import prepare

    with prepare(registry=wsgi_app.registry) as env:
        names = {n for n in route_names(env["request"]) if not n.startswith("__")}
    missing = sorted(names - {row[0] for row in ROUTES})
    assert not missing, f"routes missing from the authorization table: {missing}"


def test_every_row_names_every_role():
    for row in ROUTES:
        assert set(row[3]) == set(ROLES), f"{row[0]} {row[1]} {row[2]}: roles {set(row[3])}"


def _client_for(wsgi_app: Any, role: str) -> webtest.TestApp:
    client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    if role == ANONYMOUS:
        return client
    email = f"{role}@example.org"
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, email, roles=[] if role == USER else [role], journal=journal)
    sign_in(client, email)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_route_statuses_for_role(wsgi_app, role):
    client = _client_for(wsgi_app, role)
    wrong = []
    for route_name, method, path, expected, *rest in ROUTES:
        data = dict(rest[0]) if rest else {}
        if method == "GET":
            res = client.get(path, expect_errors=True)
        else:
            token = csrf(client.get("/"))
            res = client.request(
                path, method=method, POST={"csrf_token": token, **data}, expect_errors=True
            )
        if res.status_int != expected[role]:
            wrong.append(
                f"{method} {path} ({route_name}): {res.status_int}, expected {expected[role]}"
            )
        assert "Traceback" not in res.text
        if route_name == "accounts.logout" and method == "POST" and role != ANONYMOUS:
            sign_in(client, f"{role}@example.org")  # the rows after it need the role again
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


# --- an author who holds an editor role, on their own submission (issue 9) -------------------
# The submitter, or a co-author listed by email address only, holds the section-editor or
# editor-in-chief role. Every editorial and review route for that submission answers 404 (the
# paper's editorial side does not exist for its authors) or 403 (the route is not theirs at
# all), and nothing changes.

OWN_DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()
OWN_LETTER = {"decision": "accept", "message": "A letter long enough to be accepted."}
# (route name, method, path with {placeholders}, status[, form data])
OWN_SUBMISSION_ROUTES: list[tuple[Any, ...]] = [
    ("editorial.act", "POST", "/editorial/submissions/{submitted}/send_to_review", 404),
    (
        "editorial.act",
        "POST",
        "/editorial/submissions/{submitted}/desk_reject",
        404,
        {"reason": "Outside the scope of the journal, as explained."},
    ),
    ("editorial.review", "GET", "/editorial/submissions/{reviewed}/review", 404),
    ("editorial.review", "GET", "/editorial/submissions/{submitted}/review", 404),
    ("editorial.workspace", "GET", "/editorial/submissions/{reviewed}", 404),
    ("editorial.workspace", "GET", "/editorial/submissions/{submitted}", 404),
    # A section editor does not assign handling editors at all, but on their own paper the
    # page does not exist for them either (404, as for every editorial page of it).
    ("editorial.handling", "GET", "/editorial/submissions/{submitted}/handling-editor", 404),
    (
        "editorial.handling",
        "POST",
        "/editorial/submissions/{reviewed}/handling-editor",
        404,
        {"editor_id": "{spare}"},
    ),
    (
        "editorial.invite",
        "POST",
        "/editorial/submissions/{reviewed}/review/invite",
        404,
        {"reviewer_id": "{spare}", "due": OWN_DUE},
    ),
    (
        "editorial.review_file",
        "GET",
        "/editorial/submissions/{reviewed}/review/files/{attachment}",
        404,
    ),
    (
        "editorial.review_cancel",
        "POST",
        "/editorial/submissions/{reviewed}/review/assignments/{assignment}/cancel",
        404,
    ),
    (
        "editorial.review_due",
        "POST",
        "/editorial/submissions/{reviewed}/review/assignments/{assignment}/due",
        404,
        {"due": OWN_DUE},
    ),
    ("editorial.decide", "POST", "/editorial/submissions/{reviewed}/decide", 404, OWN_LETTER),
    (
        "editorial.review_mode",
        "POST",
        "/editorial/submissions/{submitted}/review-mode",
        404,
        {"review_mode": "double_anonymous"},
    ),
    ("editorial.review_compare", "GET", "/editorial/submissions/{reviewed}/review/compare", 404),
    (
        "editorial.review_compare",
        "GET",
        "/editorial/submissions/{reviewed}/review/compare?round=1",
        404,
    ),
    (
        "editorial.review_compare",
        "POST",
        "/editorial/submissions/{reviewed}/review/compare",
        404,
        OWN_LETTER,
    ),
    ("editorial.reviewers", "GET", "/editorial/reviewers?submission={reviewed}", 404),
    ("editorial.reviewers", "GET", "/editorial/reviewers?submission={submitted}", 404),
    (
        "editorial.review_rating",
        "POST",
        "/editorial/submissions/{reviewed}/review/assignments/{assignment}/rating",
        404,
        {"rating": "5"},
    ),
    ("review.assignment", "GET", "/reviews/{assignment}", 404),
    ("review.assignment", "POST", "/reviews/{assignment}", 404, {"action": "save"}),
    ("review.answer", "POST", "/reviews/{assignment}/answer", 404, {"action": "accept"}),
    ("review.file", "GET", "/reviews/{assignment}/files/{manuscript}", 404),
    ("review.file", "GET", "/reviews/{assignment}/files/{attachment}", 404),
    # the paper's discussions: the editors' side, and the reviewer's of someone else's
    ("editorial.discussions", "GET", "/editorial/submissions/{reviewed}/discussions", 404),
    (
        "editorial.discussions",
        "POST",
        "/editorial/submissions/{reviewed}/discussions",
        404,
        {"kind": "editors", "subject": "A note", "body": "Between us."},
    ),
    ("editorial.discussion", "GET", "/editorial/submissions/{reviewed}/discussions/{thread}", 404),
    (
        "editorial.discussion",
        "POST",
        "/editorial/submissions/{reviewed}/discussions/{thread}",
        404,
        {"body": "A reply."},
    ),
    (
        "editorial.discussion_file",
        "GET",
        "/editorial/submissions/{reviewed}/discussions/{thread}/files/{note}",
        404,
    ),
    ("review.discussions", "GET", "/reviews/{assignment}/discussions", 404),
    ("review.discussion", "GET", "/reviews/{assignment}/discussions/{rthread}", 404),
    (
        "review.discussion",
        "POST",
        "/reviews/{assignment}/discussions/{rthread}",
        404,
        {"body": "A reply."},
    ),
    (
        "review.discussion_file",
        "GET",
        "/reviews/{assignment}/discussions/{rthread}/files/{rnote}",
        404,
    ),
]


def test_the_own_submission_table_covers_every_editorial_and_review_route(wsgi_app):
    from pyramid.scripting import prepare

    with prepare(registry=wsgi_app.registry) as env:
        names = set(route_names(env["request"]))
    # The queue lists papers (tested for hiding them), the invitation link is a token's.
    wanted = {n for n in names if n.split(".")[0] in ("editorial", "review")} - {
        "editorial.queue",
        "editorial.submissions",
        "editorial.submissions_csv",
        "review.invitation",
        "review.mine",
        "editorial.statistics",  # the journal's figures, no paper's page
        "editorial.news",  # the journal's announcements, no paper's page
        "editorial.news_item",
    }
    assert wanted <= {row[0] for row in OWN_SUBMISSION_ROUTES}


def _own_world(wsgi_app, role: str, how: str) -> dict[str, Any]:
    from frontiers_de.editorial import workflow
    from frontiers_de.review import services as review
    from frontiers_de.submissions.models import FileKind, Submission, SubmissionState

    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        me = make_user(db, "me@example.org", roles=[role], journal=journal)
        other = make_user(db, "other@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        reviewer = make_user(db, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
        spare = make_user(db, "spare@example.org", roles=[Role.REVIEWER], journal=journal)
        submitter = me if how == "submitter" else make_user(db, "sub@example.org")
        ids: dict[str, Any] = {"spare": spare.id}
        for key in ("submitted", "reviewed"):
            s = SubmissionFactory(
                db=db,
                journal=journal,
                submitter=submitter,
                title=key,
                state=SubmissionState.SUBMITTED,
                authors=[
                    {"family_name": "Sub", "email": submitter.email},
                    # The co-author is listed by address only, in other letters' case.
                    {"family_name": "Me", "email": "ME@Example.ORG"},
                ],
                uploads=[{"filename": "m.md"}],
            )
            ids[key] = s.id
        s = db.get(Submission, ids["reviewed"])
        workflow.apply(db, s, "send_to_review", other)
        assignment = review.invite(db, s, other, reviewer_id=reviewer.id, due=OWN_DUE).assignment
        review.accept(db, assignment)
        attachment = ManuscriptFileFactory(
            db=db,
            submission=s,
            round_number=1,
            kind=FileKind.REVIEW_ATTACHMENT,
            filename="notes.txt",
            media_type="text/plain",
            uploaded_by_id=None,
        )
        ids.update(assignment=assignment.id, attachment=attachment.id, manuscript=s.files[0].id)
        ids.update(_own_threads(db, wsgi_app.registry["file_storage"], s, other, assignment))
        return ids


def _own_threads(db, storage, submission, editor, assignment) -> dict[str, int]:
    """An editors' note and a reviewer thread on the paper, each with an attachment."""
    from frontiers_de.discussions import services as discussions
    from frontiers_de.discussions.models import Seat

    place = discussions.Place(submission, editor, Seat.EDITOR)
    out = {}
    for key, kind in (("thread", "editors"), ("rthread", "reviewer")):
        thread = discussions.start_thread(
            db,
            storage,
            place,
            kind,
            key,
            "A message.",
            [("note.txt", b"a note")],
            assignment_id=assignment.id,
            max_bytes=1000,
        )
        out[key] = thread.id
        out["note" if key == "thread" else "rnote"] = thread.messages[0].attachments[0].id
    return out


def _links_to_paper(page: str, sid: int) -> bool:
    """Whether ``page`` links to any editorial page of paper ``sid`` (its workspace too)."""
    return f"/editorial/submissions/{sid}/" in page or f'/editorial/submissions/{sid}"' in page


@pytest.mark.parametrize("how", ["submitter", "coauthor"])
@pytest.mark.parametrize("role", [Role.SECTION_EDITOR.value, Role.EDITOR_IN_CHIEF.value])
def test_an_author_with_an_editor_role_is_refused_on_their_own_submission(wsgi_app, role, how):
    from frontiers_de.editorial.models import AuditEvent
    from frontiers_de.review.models import ReviewAssignment
    from frontiers_de.submissions.models import Submission

    ids = _own_world(wsgi_app, role, how)
    with app_session(wsgi_app) as db:
        events_before = db.query(AuditEvent).count()
    client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(client, "me@example.org")
    wrong = []
    for route_name, method, template, expected, *rest in OWN_SUBMISSION_ROUTES:
        path = template.format(**ids)
        data = {k: str(v).format(**ids) for k, v in (rest[0] if rest else {}).items()}
        if method == "GET":
            res = client.get(path, expect_errors=True)
        else:
            token = csrf(client.get("/"))
            res = client.request(
                path, method=method, POST={"csrf_token": token, **data}, expect_errors=True
            )
        if isinstance(expected, dict):
            expected = expected[role]
        if res.status_int != expected:
            wrong.append(f"{method} {path} ({route_name}): {res.status_int}, expected {expected}")
    assert not wrong, f"as {role} ({how}):\n" + "\n".join(wrong)
    # The queue does not offer the papers either.
    queue = client.get("/editorial").text
    for key in ("submitted", "reviewed"):
        assert not _links_to_paper(queue, ids[key])
    # Nor does the list of every submission, or its export.
    listed = client.get("/editorial/submissions").text
    exported = client.get("/editorial/submissions.csv").text.splitlines()
    for key in ("submitted", "reviewed"):
        assert not _links_to_paper(listed, ids[key])
        assert not any(row.startswith(f"{ids[key]},") for row in exported)
    with app_session(wsgi_app) as db:
        assert db.get(Submission, ids["submitted"]).state.value == "submitted"
        assert db.get(Submission, ids["reviewed"]).state.value == "under_review"
        assert db.get(ReviewAssignment, ids["assignment"]).state.value == "accepted"
        assert db.query(AuditEvent).count() == events_before

    # The same routes are open to an editor who is not an author (the rows are not empty).
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(other, "other@example.org")
    other.get(f"/editorial/submissions/{ids['reviewed']}/review", status=200)
    assert f"/editorial/submissions/{ids['submitted']}/send_to_review" in other.get("/editorial")
    assert _links_to_paper(other.get("/editorial/submissions").text, ids["submitted"])


# --- someone else's objects answer as ids that do not exist (issue 11) -----------------------
# The route factories find the object; its ACL refuses everyone but whom the rules let in.
# Someone else's draft is reachable by no role (the editors see a submission only once it is
# submitted), so every submission and editorial row must answer for it exactly as for an id
# that is not there: the statuses never tell which ids exist.


@pytest.mark.parametrize("role", ROLES)
def test_someone_elses_draft_answers_as_a_missing_id(wsgi_app, role):
    from frontiers_de.submissions.models import Submission, SubmissionState

    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        owner = make_user(db, "owner@example.org")
        draft = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=owner,
            title="A draft",
            abstract="Not yet submitted.",
            state=SubmissionState.DRAFT,
        )
        sid = str(draft.id)
    client = _client_for(wsgi_app, role)
    rows = [r for r in ROUTES if r[2].startswith((NO_SUBMISSION, NO_EDITORIAL))]
    assert len(rows) > 20
    wrong = []
    for route_name, method, path, expected, *rest in rows:
        path = path.replace("999999", sid, 1)
        if method == "GET":
            res = client.get(path, expect_errors=True)
        else:
            token = client.get("/").html.find("input", {"name": "csrf_token"})["value"]
            res = client.request(
                path,
                method=method,
                POST={"csrf_token": token, **(rest[0] if rest else {})},
                expect_errors=True,
            )
        if res.status_int != expected[role]:
            wrong.append(f"{method} {path} ({route_name}): {res.status_int}, not {expected[role]}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
    with app_session(wsgi_app) as db:
        assert db.get(Submission, int(sid)).state == SubmissionState.DRAFT
