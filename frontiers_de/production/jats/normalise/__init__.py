"""Normalise any JATS 1.1–1.4 / NLM 2.3–3.0 document to valid JATS 1.3 Journal Publishing.

The repairs are driven by the content models of the official 1.3 Publishing XSD (see
:mod:`..content_model`), not by per-publisher rules, so the same code serves real articles
from other publishers, Archiving-tag-set documents, and pandoc's ``jats_publishing`` output:

1. version and namespaces: ``dtd-version="1.3"``, xlink/mml/ali declared on the root, old
   schema-location hints dropped, elements that 1.3 renamed get their 1.3 name; only JATS,
   MathML, ALI, XLink and ``xml:`` survive (:mod:`..sanitise`: elements and attributes in
   other namespaces, MathML ``annotation-xml``, event handlers, script links and processing
   instructions are dropped, each kind reported in :attr:`NormaliseResult.removed`);
2. structure, top-down, for every JATS element whose children the schema does not accept:
   a child the element may not hold is moved up beside it (splitting a paragraph if need be),
   wrapped in a container that may hold it (``copyright-statement`` → ``permissions``,
   ``table-wrap`` in a list item → ``p``), or unwrapped when only its markup is the problem;
   children in the wrong order are put in schema order, except that flow content after a
   subsection is wrapped in a section of its own rather than moved before it; a block
   inside deeper inline markup is lifted to the nearest ancestor that may hold it. Figures,
   tables, formulas, sections and references are never flattened or unwrapped;
3. ids: made XML names and unique; references (rid and the schema's other IDREF
   attributes) follow renamed ids and lose only ids that exist nowhere;
4. attribute values outside the schema's enumerations are mapped to the 1.3 value
   (``pmc`` → ``pmcid``, ``COI-statement`` → ``coi-statement``) or to ``custom``/``other``
   with the original kept where the schema has a place for it. These repairs read the
   validator's findings, so they only happen with ``check=True`` (the default);
5. last, whatever the schema still refuses where it stands (:func:`repair_to_schema`): its
   markup is given up and its text kept, each such element named in the changes.

Nothing is dropped silently: every change is described in :attr:`NormaliseResult.changes`,
and the only text ever removed (generated separators) is listed in ``dropped_text``.

The parts: :mod:`.pipeline` (:func:`normalise`, the order of the steps), :mod:`.versions`
(step 1), :mod:`.sections` (section numbers and statements said once), :mod:`.structure`
(step 2), :func:`..ids.repair_ids` (step 3, the rule conversion shares), :mod:`.attributes`
(step 4), :mod:`.schema_repair` (step 5), :mod:`.common` (the result and tree helpers).
This module is the package's public face: the conversion, typesetting and the tests import
from ``frontiers_de.production.jats.normalise``, not from the parts.
"""

from frontiers_de.production.jats.normalise.common import (
    JATS_1_3_DOCTYPE,
    NormaliseResult,
    count_content,
    serialise,
)
from frontiers_de.production.jats.normalise.pipeline import normalise
from frontiers_de.production.jats.normalise.schema_repair import SchemaRepair, repair_to_schema
from frontiers_de.production.jats.normalise.sections import (
    numbered_titles,
    one_statement_per_kind,
    section_numbers_to_labels,
)

__all__: list[str] = [
    "JATS_1_3_DOCTYPE",
    "NormaliseResult",
    "SchemaRepair",
    "count_content",
    "normalise",
    "numbered_titles",
    "one_statement_per_kind",
    "repair_to_schema",
    "section_numbers_to_labels",
    "serialise",
]
