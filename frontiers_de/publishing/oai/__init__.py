"""OAI-PMH 2.0: the journal's articles for harvesters (BASE, OpenAIRE, CORE, DOAJ …).

The six verbs, two metadata formats (``oai_dc`` and the article's own JATS), sets per
section (article type) and per volume and issue, selective harvesting by date with second
granularity, signed resumption tokens, and deleted records for retracted articles.

The protocol lives here and nowhere else: :func:`respond` takes the request's arguments and
returns the response document. The view only hands it the arguments. Records are made from
the article's JATS (:mod:`.citations` for Dublin Core), so they say what the article page
and the citation downloads say.

Decisions a harvester may want to know:

- Identifiers are ``oai:<repository id>:<DOI>`` (``oai.repository_identifier``, by default
  the host name of ``fde.base_url``); an article without a DOI is ``…:article-<id>``.
- A record's datestamp is the last change of the article row (the JATS, its state, its
  issue), so a re-issued JATS or a retraction is harvested again.
- Retracted articles stay as deleted records for good (``deletedRecord`` = persistent).
- JATS has no namespace of its own, but OAI-PMH requires record metadata to be in one
  (``##other`` with strict processing), so the ``jats`` format puts the article's elements
  in the namespace NLM uses for JATS 1.3 in PubMed Central's OAI service. Attributes and
  the MathML, XLink and ALI namespaces are unchanged.
- IDs in a JATS record get a prefix made from the DOI (``_10.5555_fde.2026.0001-aff1``)
  and references to them follow: an ID must be unique in the whole response, and a page
  of ListRecords holds several articles.
- Resumption tokens are signed (``fde.token_secret``) and carry the whole query and the
  last record returned (not an offset), so records changed during a harvest are neither
  skipped nor, unless they changed, repeated. They expire after ``oai.token_ttl_hours``.

The package: :mod:`.protocol` (verbs' arguments, errors, datestamps, set and resumption
tokens), :mod:`.repository` (the harvestable records and their sets), :mod:`.crosswalks`
(``oai_dc`` and JATS record metadata) and :mod:`.verbs` (the response to each verb).
This module is its public face: the names the reader site's view and the tests use.
"""

from frontiers_de.publishing.oai.crosswalks import DC_NS, JATS_OAI_NS, OAI_DC_NS
from frontiers_de.publishing.oai.protocol import (
    OAI_NS,
    ListQuery,
    OaiError,
    TokenCodec,
    format_datestamp,
    spec_token,
    spec_value,
)
from frontiers_de.publishing.oai.repository import DEFAULT_PAGE_SIZE, OaiConfig, Repository
from frontiers_de.publishing.oai.verbs import respond, validate_response

__all__ = [
    "DC_NS",
    "DEFAULT_PAGE_SIZE",
    "JATS_OAI_NS",
    "OAI_DC_NS",
    "OAI_NS",
    "ListQuery",
    "OaiConfig",
    "OaiError",
    "Repository",
    "TokenCodec",
    "format_datestamp",
    "respond",
    "spec_token",
    "spec_value",
    "validate_response",
]
