"""The production domain: from an accepted submission to a published article.

- ``jats/``: manuscripts to JATS 1.3, checks, reader HTML (pure functions, no database).
- ``typesetting/``: JATS to PDF (pure functions).
- ``services/``: the rules of the production pages (start, convert, upload, check,
  typeset, proofs, publish), one module per seam; ``issues``: what placing an article will
  do, and publishing an issue once every article may be; ``tasks``: conversion, checks and
  typesetting as visible jobs; ``views``, ``issue_views``: the production pages and the
  author's proof page.
- ``subscribers``: what production does when an article's JATS changes (the reader HTML,
  the PDF and the proofs follow); ``notifications``: the proof link and the placement note
  to the author, sent on ``events.ProofSent`` and ``ArticleJatsChanged``.

The records themselves (the JATS, placement, publication) are written by
:mod:`frontiers_de.articles`, which production calls down into.

Settings read here: ``fde.production.max_jats_bytes`` (largest JATS upload, default 20 MB),
``fde.production.proof_days`` (how long a proof link works, default 21 days), and
``fde.jats.abstract_word_limit`` through the checks.
"""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan), and let the JATS
    upload form carry the largest file ``fde.production.max_jats_bytes`` allows."""
    from frontiers_de.forms import allow_uploads
    from frontiers_de.production.settings import ProductionSettings
    from frontiers_de.settings import load

    allow_uploads(config.registry, load(config, ProductionSettings).max_jats_bytes)
