"""The journal's house rules for JATS, as declared rule modules with one registry.

Each rule has a stable id (``FDE-FIG-001``), a severity (``error`` blocks publication,
``warning`` is for the production editor to judge), a one-line message and a check function
that takes a :class:`RuleContext` and yields the places that break it. Each module below
declares the rules of one topic and registers them on import; :func:`all_rules` lists them in
id order. The catalogue people read is ``schemas/house-rules.md``; a test keeps both in step.
"""

from __future__ import annotations

from frontiers_de.production.jats.rules import (
    abstract,
    dates,
    floats,
    graphics,
    identifiers,
    links,
    permissions,
    reference_fields,
    references,
    safety,
)
from frontiers_de.production.jats.rules.base import (
    DEFAULT_ABSTRACT_WORD_LIMIT,
    REGISTRY,
    CheckOptions,
    Rule,
    RuleContext,
    Severity,
    Violation,
    all_rules,
)

RULE_MODULES = (
    abstract,
    dates,
    floats,
    graphics,
    identifiers,
    links,
    permissions,
    references,
    safety,
    reference_fields,
)

__all__ = [
    "DEFAULT_ABSTRACT_WORD_LIMIT",
    "REGISTRY",
    "RULE_MODULES",
    "CheckOptions",
    "Rule",
    "RuleContext",
    "Severity",
    "Violation",
    "all_rules",
]
