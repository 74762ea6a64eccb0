"""The articles domain: the one owner of volumes, issues and articles.

- ``models``: :class:`~.models.Article`, :class:`~.models.Issue`, :class:`~.models.Volume`
  and their states.
- ``placement``: where and when an article appears as its JATS says it, and the rule of
  which JATS changes are placement only (an author's approval outlives them).
- ``services``: reading articles (a published article by DOI, the name of its files) and
  :class:`~.services.ArticleError`, what its writes refuse with.
- ``jats``: :func:`~.jats.store_jats`, the one place an article's JATS changes.
- ``issues``: volumes and issues, and placing articles in them (the JATS follows).
- ``publication``: publishing an article or an issue (state, dates, the workflow's
  ``publish``, the final PDF).
- ``events``: what it announces where it writes (:class:`~.events.ArticleJatsChanged`,
  :class:`~.events.ArticlePublished`, :class:`~.events.IssuePublished`).
- ``urls``: an article's public address.

Production decides when these writes happen (it checks, converts, typesets, proofs) and
calls down into them; what follows a write is the reacting domains' subscribers' (the
reader HTML, the PDF and proofs and the author's email in production, deposits and stale
metadata in Crossref, the search index in publishing). This package imports none of
production, publishing or crossref (the layers contract in pyproject.toml,
``lint-imports``, keeps it so), nor mail.
"""
