"""DOI registration with Crossref: the parts that work on files and over HTTP.

- ``doi``: DOI suffixes from the journal's pattern, and DOI checks.
- ``deposit``: deposit XML (schema 5.4.0) from JATS + the journal profile.
- ``validate``: the deposit against the official 5.4.0 XSD, errors with lines.
- ``client``: upload, result polling, per-DOI outcomes, retries with backoff.
- ``rest``: reading a DOI back through the REST API (crossref-commons), reference DOIs.
- ``services``: the app's rules — DOI assignment, queueing deposits, outcomes per DOI, the
  retry sweep, ``mark_metadata_changed``.
- ``subscribers``: what Crossref does when a submission is accepted (its DOI), an article
  or an issue is published (deposits) or an article's JATS changes (a stale DOI).
- ``tasks``: ``send_deposit`` (one deposit, as a visible job) and ``sweep_deposits`` (beat).
- ``views``: the production editor's DOI and deposit pages (``/production/dois``).

Settings read here (besides ``crossref.deposit_url``, ``crossref.api_url`` and the
credentials): ``crossref.landing_url``, ``crossref.pdf_url``, ``crossref.xml_url`` (patterns
with ``{base}`` and ``{doi}``), ``crossref.crossmark_policy``, ``crossref.crossmark_domains``,
``crossref.result_url``, ``crossref.auth_fields`` (``login`` or ``usr``),
``crossref.timeout``, ``crossref.poll_interval`` and ``crossref.reference_cache``; the app
adds ``crossref.max_polls`` (polls per task run), ``crossref.retry_attempts``,
``crossref.retry_base_delay``, ``crossref.retry_max_delay`` (retries inside one run),
``crossref.retry_base_seconds``, ``crossref.retry_max_seconds`` (the sweep's backoff between
runs), ``crossref.sweep_interval``, ``crossref.readback_days`` and ``crossref.rest_timeout``.
"""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.settings import load


def includeme(config: Configurator) -> None:
    """Load the domain's settings; views are found by the app's scan, the subscribers (DOI
    on acceptance, deposits on publication: ``subscribers.py``) are included by the app."""
    load(config, CrossrefSettings)  # a bad value stops the app here, naming the key
