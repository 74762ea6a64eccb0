"""DOI registration with Crossref: the parts that work on files and over HTTP.

- ``doi``: DOI suffixes from the journal's pattern, and DOI checks.
- ``deposit``: deposit XML (schema 5.4.0) from JATS + the journal profile.
- ``validate``: the deposit against the official 5.4.0 XSD, errors with lines.
- ``client``: upload, result polling, per-DOI outcomes, retries with backoff.
- ``rest``: reading a DOI back through the REST API (crossref-commons), reference DOIs.

Settings read here (besides ``crossref.deposit_url``, ``crossref.api_url`` and the
credentials): ``crossref.landing_url``, ``crossref.pdf_url``, ``crossref.xml_url`` (patterns
with ``{base}`` and ``{doi}``), ``crossref.crossmark_policy``, ``crossref.crossmark_domains``,
``crossref.result_url``, ``crossref.auth_fields`` (``login`` or ``usr``),
``crossref.timeout``, ``crossref.poll_interval`` and ``crossref.reference_cache``.
"""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
