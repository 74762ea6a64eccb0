"""The articles domain: the one owner of volumes, issues and articles.

- ``models``: :class:`~.models.Article`, :class:`~.models.Issue`, :class:`~.models.Volume`
  and their states.
- ``placement``: where and when an article appears as its JATS says it, and the rule of
  which JATS changes are placement only (an author's approval outlives them).
- ``services``: reading articles (a published article by DOI, the name of its files).
- ``urls``: an article's public address.

Production writes these records (conversion, placement, publication); the reader site
(``publishing``) and Crossref only read them. This package imports neither: the layers
contract in pyproject.toml (``lint-imports``) keeps it so.
"""
