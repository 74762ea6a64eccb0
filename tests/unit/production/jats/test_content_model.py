"""The JATS 1.3 content models read from the official XSD drive normalisation."""

from __future__ import annotations

import pytest

from frontiers_de.production.jats.content_model import content_models
from frontiers_de.xml.schemas import SchemaUnavailable


@pytest.fixture(scope="module")
def models(schema_dir):
    return content_models()


def test_every_element_of_the_schema_is_read(models):
    assert len(models.models) > 250
    assert "article" in models and "contrib" in models and "sec" in models


def test_matches_follows_the_schema(models):
    assert models.matches("contrib", ["contrib-id", "name", "xref", "email"])
    assert not models.matches("contrib", ["name", "contrib-id"])
    assert models.matches("sec", ["title", "p", "fig", "sec"])
    assert not models.matches("sec", ["title", "sec", "p"])
    assert not models.matches("sec", ["p"])  # a section needs a title in 1.3
    assert models.matches("permissions", ["copyright-statement", "copyright-year", "license"])
    assert not models.matches("tbody", [])
    assert models.matches("break", [])  # an empty element
    assert not models.matches("p", ["no-such-element"])


def test_allowed_children_and_namespaces(models):
    assert models.allows("p", "table-wrap")
    assert not models.allows("p", "p")
    assert models.allows("inline-formula", "{http://www.w3.org/1998/Math/MathML}math")
    assert models.allows("license", "{http://www.niso.org/schemas/ali/1.0/}license_ref")


def test_sort_keys_order_within_a_choice(models):
    # name: (surname, given-names?) | given-names — surname goes first
    assert models.sort_key("name", "surname") < models.sort_key("name", "given-names")
    # pub-date: ((day?, month?) | season)?, year
    assert models.sort_key("pub-date", "day") < models.sort_key("pub-date", "month")
    assert models.sort_key("pub-date", "month") < models.sort_key("pub-date", "year")
    # paragraphs and figures of a section share one position: their order is kept
    assert models.sort_key("sec", "p") == models.sort_key("sec", "fig")


def test_id_references_and_required_attributes(models):
    assert models.get("xref").id_references["rid"] == "IDREFS"
    assert "pointer-to-question" in models.get("answer").required_attributes


def test_missing_schema_directory_is_a_clear_error(tmp_path):
    with pytest.raises(SchemaUnavailable, match="not found"):
        content_models({"fde.schema_dir": str(tmp_path)})
