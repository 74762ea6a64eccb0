"""Structured references: reference strings to JATS citations, and in-text citations to xrefs.

Why our own parser for reference *strings*: ``refextract`` (1.1.7, INSPIRE's extractor)
was measured on the same 494 corpus references that ``bench/bench_references.py`` uses.
It is built for high-energy physics: it recognises journals from a physics knowledge base,
reports no article titles at all, split 475 of 494 Vancouver-style references into two,
found the source/volume/pages of 0–29 % of them, and took 170–360 ms per reference (it
also pulls in PDF and libmagic dependencies). No other maintained PyPI parser works
without trained models that cannot be fetched here. Manuscripts for this journal arrive
in a handful of styles (APA, Vancouver/ICMJE, Harvard, ABNT/ISO 690) whose field order is
regular, so a careful pattern-based parser does better: about 98 % field accuracy on the
corpus at 0.3 ms per reference (run the bench for the current figures). Every result
carries a confidence; below the threshold the author's text stays a ``mixed-citation``
(identifiers still marked up). Already-structured sources (BibTeX, BibLaTeX, RIS, CSL
JSON) are not guessed at: pandoc's citeproc readers give CSL JSON, mapped field by field
by :func:`csl_citation`.

The package's modules, lowest first (each imports only those above it):

- ``patterns``: the tokens every parser looks for (DOIs, years, dashes, months, link
  words) and the clean-up of a string before it is read;
- ``model``: :class:`ParsedReference` and how confident a parse is;
- ``kinds``: preprints, data sets, software and web pages (arXiv ids, access dates,
  versions, ``[Data set]`` tags, the servers and repositories that are their source);
- ``gbt``: the Chinese national style GB/T 7714;
- ``authors``: author lists in the numbered, author–date and ABNT styles;
- ``parse``: :func:`parse_reference`, one string to fields;
- ``build``: JATS for a string (element- or mixed-citation) and ref-lists;
- ``bibliography``: BibTeX, RIS and CSL JSON sources through pandoc;
- ``in_text``: in-text citations linked to their references.

This ``__init__`` is the package's public face: the names other modules, the bench and the
tests use are imported from here (``from frontiers_de.production.jats.references import
parse_reference``); the underscored names are shared between the package's own modules only.
"""

from __future__ import annotations

from frontiers_de.production.jats.references.authors import parse_authors
from frontiers_de.production.jats.references.bibliography import (
    BIBLIOGRAPHY_FORMATS,
    BibliographyError,
    csl_citation,
    read_bibliography,
    ref_list_from_csl,
)
from frontiers_de.production.jats.references.build import (
    build_ref_list,
    citation_for,
    element_citation,
    structure_references,
)
from frontiers_de.production.jats.references.in_text import PROSE_CHARS, link_citations
from frontiers_de.production.jats.references.kinds import iso_date
from frontiers_de.production.jats.references.model import CONFIDENT, ParsedReference
from frontiers_de.production.jats.references.parse import parse_reference

__all__ = [
    "BIBLIOGRAPHY_FORMATS",
    "CONFIDENT",
    "PROSE_CHARS",
    "BibliographyError",
    "ParsedReference",
    "build_ref_list",
    "citation_for",
    "csl_citation",
    "element_citation",
    "iso_date",
    "link_citations",
    "parse_authors",
    "parse_reference",
    "read_bibliography",
    "ref_list_from_csl",
    "structure_references",
]
