"""The DOAJ article XML of the fixture article: well-formed, its elements in the order
DOAJ's schema fixes, every field there."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from frontiers_de.publishing import doaj
from tests.unit.publishing.test_citations import fixture_citation

ORDER = (
    (Path(__file__).resolve().parents[2] / "fixtures" / "schemas" / "doaj-article-order.txt")
    .read_text()
    .split()
)
URL = "https://fde.example.org/articles/10.5555/fde.2026.0001"


def _record() -> etree._Element:
    citation = fixture_citation(volume="2", issue="1", url=URL)
    root = etree.fromstring(doaj.doaj_xml([(citation, "42")]))
    assert root.tag == "records"
    (record,) = root
    return record


def test_fields_of_a_record():
    record = _record()
    text = {el.tag: el.text for el in record if el.text and el.text.strip()}
    assert text["language"] == "eng"
    assert text["publisher"] == "FDE Press"
    assert text["issn"] == "2999-0002" and text["eissn"] == "2999-0001"
    assert text["publicationDate"] == "2026-03-15"
    assert (text["volume"], text["issue"], text["startPage"]) == ("2", "1", "e0001")
    assert text["doi"] == "10.5555/fde.2026.0001"
    assert text["publisherRecordId"] == "42"
    assert text["documentType"] == "article"
    assert record.find("fullTextUrl").get("format") == "html"
    assert record.find("fullTextUrl").text == URL
    titles = record.findall("title")
    assert [(t.get("language"), t.text) for t in titles][1] == ("chi", "农村学校的学习分析")
    authors = record.findall("authors/author")
    assert [a.findtext("name") for a in authors] == ["Li Wang", "Ada Okafor"]
    assert authors[0].findtext("orcid_id") == "https://orcid.org/0000-0002-1825-0097"
    affs = {
        a.get("affiliationId"): a.text for a in record.findall("affiliationsList/affiliationName")
    }
    assert affs[authors[0].findtext("affiliationId")] == "Harvard University"
    assert affs[authors[1].findtext("affiliationId")] == "University of Lagos"
    assert [k.text for k in record.findall("keywords/keyword")] == [
        "learning analytics",
        "rural education",
    ]
    assert {a.get("language") for a in record.findall("abstract")} == {"eng", "chi"}


def test_elements_come_in_the_schema_order():
    tags = [el.tag for el in _record()]
    positions = [ORDER.index(tag) for tag in tags]
    assert positions == sorted(positions)
    assert set(tags) <= set(ORDER)
