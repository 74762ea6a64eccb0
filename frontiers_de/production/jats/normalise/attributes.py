"""Step 4: attribute values outside the schema's enumerations mapped to 1.3's, and
attributes 1.3 does not allow removed, read from the validator's own findings."""

from __future__ import annotations

import re

from lxml import etree

from frontiers_de.production.jats.content_model import content_models
from frontiers_de.production.jats.normalise.common import NAMESPACES, XML_NS, _describe
from frontiers_de.xml.schemas import SchemaError

# Attribute values that 1.3 spells differently (case differences are handled generically).
RENAMED_VALUES = {
    ("article-id", "pub-id-type"): {
        "pmc": "pmcid",
        "pmc-uid": "pmcid",
        "publisher-manuscript": "manuscript",
    },
    ("pub-id", "pub-id-type"): {"pmc": "pmcid", "pmc-uid": "pmcid"},
    ("object-id", "pub-id-type"): {"pmc": "pmcid"},
}


_ENUM_ERROR = re.compile(
    r"Element '(?P<element>[^']+)', attribute '(?P<attribute>[^']+)': \[facet 'enumeration'\] "
    r"The value '(?P<value>[^']*)' is not an element of the set \{(?P<allowed>[^}]*)\}"
)
_ATTR_NOT_ALLOWED = re.compile(
    r"Element '(?P<element>[^']+)', attribute '(?P<attribute>[^']+)': "
    r"The attribute '[^']+' is not allowed"
)


# --- attributes (from the validator's own findings) --------------------------------------


def _repair_attributes(root: etree._Element, errors: list[SchemaError], changes: list[str]) -> bool:
    fixed = False
    for error in errors:
        match = _ENUM_ERROR.search(error.message)
        if match:
            fixed |= _fix_enumeration(root, match, changes)
            continue
        match = _ATTR_NOT_ALLOWED.search(error.message)
        if match:
            fixed |= _drop_attribute(
                root, match.group("element"), match.group("attribute"), error.line, changes
            )
    return fixed


def _fix_enumeration(root: etree._Element, match: re.Match[str], changes: list[str]) -> bool:
    element, attribute, value = match.group("element", "attribute", "value")
    allowed = [v.strip().strip("'") for v in match.group("allowed").split(",")]
    attr_key = _clark_attribute(attribute)
    replacement, keep_original = _closest_value(element, attribute, value, allowed)
    if replacement is None:
        return False
    model = content_models().get(element)
    keep_original = keep_original and model is not None and "custom-type" in model.attributes
    targets = [e for e in root.iter(element) if e.get(attr_key) == value]
    for target in targets:
        target.set(attr_key, replacement)
        if keep_original and target.get("custom-type") is None:
            target.set("custom-type", value)
    if targets:
        changes.append(
            f"{len(targets)} <{element} {attribute}={value!r}>: "
            f"value not in 1.3, now {replacement!r}"
            + (" (original kept in custom-type)" if keep_original else "")
        )
    return bool(targets)


def _closest_value(
    element: str, attribute: str, value: str, allowed: list[str]
) -> tuple[str | None, bool]:
    renamed = RENAMED_VALUES.get((element, attribute), {}).get(value.lower())
    if renamed in allowed:
        return renamed, False
    folded = {v.lower().replace("_", "-"): v for v in allowed}
    key = value.lower().replace("_", "-").replace(" ", "-")
    if key in folded:
        return folded[key], False
    if "custom" in allowed:
        return "custom", True
    if "other" in allowed:
        return "other", False
    return None, False


def _clark_attribute(name: str) -> str:
    if name.startswith("{"):
        return name
    if ":" in name:
        prefix, local = name.split(":", 1)
        ns = {"xml": XML_NS, **NAMESPACES}.get(prefix)
        return f"{{{ns}}}{local}" if ns else name
    return name


def _drop_attribute(
    root: etree._Element, element: str, attribute: str, line: int, changes: list[str]
) -> bool:
    key = _clark_attribute(attribute)
    dropped = 0
    for target in root.iter(element):
        if key in target.attrib and (target.sourceline in (None, line) or line == 0):
            changes.append(
                f"removed attribute {attribute}={target.get(key)!r} (not in 1.3) "
                f"from {_describe(target)}"
            )
            del target.attrib[key]
            dropped += 1
    return dropped > 0
