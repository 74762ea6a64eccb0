"""Manuscripts (DOCX, ODT, Markdown, LaTeX, JATS) to JATS 1.3 Journal Publishing.

pandoc converts the body; this package rebuilds the front matter from the submission
metadata and the journal profile (:mod:`..frontmatter`), moves the reference section (found
by what it holds, whatever the styles say) to a ``ref-list`` (structured by
:mod:`..references`), repairs the few places where pandoc's JATS does not follow the 1.3
Publishing schema, and validates the result against the official XSD. What the schema still
refuses gives up its markup, never its text (:func:`..normalise.repair_to_schema`), and the
report says so: a manuscript a person can read always gives valid JATS.
JATS inputs go to :func:`..normalise.normalise` instead of pandoc.

Around pandoc, what it does not do by itself: Zotero/Mendeley field citations and BibTeX
become xrefs to element-citations (``citations.lua`` + citeproc); ODT formula objects come
back as MathML; LaTeX sources are made self-contained (includes, the author's packages,
``.bbl`` bibliographies, ``\\ifnum`` template switches) because pandoc runs sandboxed; Word
figures, captions and cross-reference bookmarks become labelled, linked ``fig`` and
``table-wrap`` elements.

Everything here is a pure function of its inputs: bytes and dictionaries in, an lxml tree and
a :class:`ConversionReport` out. The command line (``fde jats convert``) and the app wrap it.

The parts, in the order a manuscript meets them:

- :mod:`.pipeline`: :func:`convert`, the input checks, the pandoc route and the JATS route;
- :mod:`.office`: what DOCX and ODT need around pandoc (review marks, citation-manager
  fields, ODT formula objects, the document's own title);
- :mod:`.latex`: a LaTeX source made self-contained for pandoc's sandbox;
- :mod:`.assemble`: our article from pandoc's (front matter, body, back matter);
- :mod:`.reference_section`: the manuscript's reference section taken into a ``ref-list``;
- :mod:`.citations`: citation keys, their references, numbering and order;
- :mod:`.repairs` and :mod:`.floats`: pandoc's JATS brought into line with the schema,
  figures and tables labelled and linked;
- :mod:`.common`: the error, the report, the result, and what the parts share.

This module is the package's public face: it re-exports what the rest of the app (the
command line, production, submissions) uses, so they import from
``frontiers_de.production.jats.convert`` and not from the parts.
"""

from frontiers_de.production.jats.convert.common import (
    JATS_1_3_DOCTYPE,
    XLINK,
    ConversionError,
    ConversionReport,
    ConversionResult,
    count_features,
)
from frontiers_de.production.jats.convert.floats import link_float_mentions
from frontiers_de.production.jats.convert.latex import (
    bibliography_section,
    drop_wrapped_environment_redefinitions,
    resolve_tex_conditionals,
    unwrap_scaling_boxes,
)
from frontiers_de.production.jats.convert.office import REQUIRED_PART
from frontiers_de.production.jats.convert.pipeline import (
    FORMATS_BY_SUFFIX,
    MAX_INPUT_BYTES,
    convert,
    detect_format,
)
from frontiers_de.production.jats.convert.reference_section import REFERENCE_HEADING
from frontiers_de.production.jats.convert.repairs import repair

__all__ = [
    "FORMATS_BY_SUFFIX",
    "JATS_1_3_DOCTYPE",
    "MAX_INPUT_BYTES",
    "REFERENCE_HEADING",
    "REQUIRED_PART",
    "XLINK",
    "ConversionError",
    "ConversionReport",
    "ConversionResult",
    "bibliography_section",
    "convert",
    "count_features",
    "detect_format",
    "drop_wrapped_environment_redefinitions",
    "link_float_mentions",
    "repair",
    "resolve_tex_conditionals",
    "unwrap_scaling_boxes",
]
