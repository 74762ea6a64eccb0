"""One rule for ids (jats/ids.py), used by the conversion and by normalisation alike.

The two used to write it twice and disagreed; where they did, the stricter rule holds:
an id starts with an ASCII letter or ``_`` (normalise's; convert kept "图1"), characters
the schema validator does not take as name characters ("²", "½", "ʰ", "㐀") are replaced
(both kept them, giving invalid JATS), and every IDREF/IDREFS attribute follows a renamed id
(convert followed ``rid`` only, so a table cell's ``headers`` pointed at nothing).
"""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from frontiers_de.production.jats.content_model import content_models
from frontiers_de.production.jats.convert import ConversionReport
from frontiers_de.production.jats.convert.repairs import _fix_ids
from frontiers_de.production.jats.ids import (
    REFERENCE_ATTRIBUTES,
    as_valid_id,
    is_valid_id,
    repair_ids,
)
from frontiers_de.production.jats.normalise.pipeline import _repair_ids

# The validator's own judgement of an xs:ID (libxml2, as for the JATS XSD).
ID_SCHEMA = etree.XMLSchema(
    etree.fromstring(
        b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:element name="r"><xs:complexType><xs:sequence>
<xs:element name="e" maxOccurs="unbounded"><xs:complexType>
<xs:attribute name="id" type="xs:ID"/></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element></xs:schema>"""
    )
)

SAMPLES = [
    "fig-1",
    "_Ref123",
    "sec1.2",
    "ref-Smith_2020",
    "Übersicht",
    "a图1",
    "x́",  # a combining mark inside
    "1",
    "fig:2",
    " padded ",
    "",
    "-dash",
    "图1",
    "a²",
    "½",
    "aʰ",
    "a㐀",  # CJK extension A: not a letter in the XML 1.0 tables libxml2 uses
    "ǅx",
    "a b",
]


def _validator_accepts(value: str) -> bool:
    document = etree.Element("r")
    etree.SubElement(document, "e", id=value)
    return ID_SCHEMA.validate(document)


@pytest.mark.parametrize("value", SAMPLES)
def test_a_valid_id_is_one_the_validator_accepts_and_repair_always_gives_one(value):
    ascii_start = value[:1].isascii() and (value[:1].isalpha() or value[:1] == "_")
    assert is_valid_id(value) == (ascii_start and _validator_accepts(value))
    if is_valid_id(value):
        assert as_valid_id(value) == value
    assert is_valid_id(as_valid_id(value))
    assert _validator_accepts(as_valid_id(value))


def test_invalid_ids_are_renamed_as_before():
    assert as_valid_id("1") == "id-1"
    assert as_valid_id("fig:2") == "fig-2"
    assert as_valid_id(" padded ") == "padded"
    assert as_valid_id("") == "id"
    # stricter than convert was: a non-ASCII first letter gets the prefix, as in normalise
    assert as_valid_id("图1") == "id-图1"
    # stricter than both were: they kept these, and the schema refused the article
    assert as_valid_id("a²") == "a-"
    assert as_valid_id("a㐀") == "a-"


ARTICLE = b"""<article><body>
<p><xref ref-type="fig" rid="1">1</xref> <xref ref-type="fig" rid="x">x</xref>
<xref ref-type="table" rid="t:1">t</xref> <xref ref-type="fig" rid="nowhere">n</xref></p>
<fig id="1"/><fig id="x"/><fig id="x"/><fig id="1"/><fig id="\xe5\x9b\xbe"/>
<table-wrap id="t:1"><table><thead><tr><th id="h:1">H</th></tr></thead>
<tbody><tr><td headers="h:1">c</td></tr></tbody></table></table-wrap>
</body></article>"""


def _ids(root):
    return [e.get("id") for e in root.iter() if e.get("id") is not None]


def test_repeated_ids_get_a_number_and_references_keep_the_first_holder():
    root = etree.fromstring(ARTICLE)
    repaired = repair_ids(root, content_models())
    assert _ids(root) == ["id-1", "x", "x-2", "id-1-2", "id-图", "t-1", "h-1"]
    assert [x.get("rid") for x in root.iter("xref")] == ["id-1", "x", "t-1", None]
    assert root.find(".//td").get("headers") == "h-1"
    assert repaired.follows == {"1": "id-1", "图": "id-图", "t:1": "t-1", "h:1": "h-1"}
    assert ("x", "x-2") in repaired.renamed


def test_conversion_and_normalisation_apply_the_same_rule():
    converted, normalised = etree.fromstring(ARTICLE), etree.fromstring(ARTICLE)
    report = ConversionReport(source="m.docx", source_format="docx")
    _fix_ids(converted, report)
    changes: list[str] = []
    _repair_ids(normalised, content_models(), changes)
    assert _ids(converted) == _ids(normalised)
    # both follow every IDREF attribute, not only rid (convert used to leave headers behind)
    assert converted.find(".//td").get("headers") == "h-1"
    assert report.changes == ["6 ids made valid and unique"]
    # a reference to nothing: normalisation drops it, the conversion leaves it to the next
    # repair (which unlinks the xref and keeps its text)
    assert [x.get("rid") for x in converted.iter("xref")][-1] == "nowhere"
    assert [x.get("rid") for x in normalised.iter("xref")][-1] is None
    assert any("missing id(s) nowhere" in c for c in changes)
    assert "id '图' → 'id-图' (not a unique XML name)" in changes


def test_ids_already_valid_and_unique_are_left_alone():
    root = etree.fromstring(b'<article><body><fig id="f1"/><xref rid="f1"/></body></article>')
    before = copy.deepcopy(root)
    repaired = repair_ids(root, content_models())
    assert etree.tostring(root) == etree.tostring(before)
    assert repaired.renamed == [] and repaired.references == []


def test_without_the_schemas_the_same_attributes_follow():
    """The by-name list used without the official schemas names every reference attribute
    the content models know (the conversion runs without them, unvalidated)."""
    by_models = {
        (attribute, kind)
        for model in content_models().models.values()
        for attribute, kind in model.id_references.items()
    }
    assert {attribute for attribute, _ in by_models} == set(REFERENCE_ATTRIBUTES)
    root = etree.fromstring(ARTICLE)
    repair_ids(root, None, drop_missing=False)
    assert [x.get("rid") for x in root.iter("xref")] == ["id-1", "x", "t-1", "nowhere"]
    assert root.find(".//td").get("headers") == "h-1"
