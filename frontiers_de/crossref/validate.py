"""Check a deposit against the official Crossref 5.4.0 XSD (read from ``fde.schema_dir``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from frontiers_de.xml.schemas import SchemaError, validate

SCHEMA_NAME = "crossref-5.4.0"
EXPECTED_ROOT = "{http://www.crossref.org/schema/5.4.0}doi_batch"


def validate_deposit(
    tree: etree._ElementTree | etree._Element, settings: Mapping[str, Any] | None = None
) -> list[SchemaError]:
    """Every schema error with its line; an empty list means the deposit is valid.

    A document whose root is not a 5.4.0 ``doi_batch`` gets one clear error instead of the
    schema's "no matching global declaration" message.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if root.tag != EXPECTED_ROOT:
        return [
            SchemaError(
                root.sourceline or 1,
                f"root element is {root.tag!r}, not a Crossref 5.4.0 doi_batch ({EXPECTED_ROOT})",
            )
        ]
    return validate(tree, SCHEMA_NAME, settings)


def format_errors(errors: list[SchemaError], source: str = "") -> list[str]:
    """``file:line: message`` lines, as compilers print them."""
    prefix = f"{source}:" if source else "line "
    return [f"{prefix}{e.line}: {e.message}" for e in errors]
