"""What indexers read: JSON-LD, citation_reference, Dublin Core and Open Graph, built from
the fixture article's JATS and checked field by field."""

from __future__ import annotations

import json

from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.publishing import indexing
from frontiers_de.publishing.citations import Citation, Person
from frontiers_de.xml.safe import parse_xml
from tests.publishing_factories import JATS_FIXTURE
from tests.unit.publishing.test_citations import fixture_citation

URL = "https://fde.example.org/articles/10.5555/fde.2026.0001"


def _references():
    return read_article_meta(parse_xml(JATS_FIXTURE)).references


def _citation() -> Citation:
    return fixture_citation(
        volume="2", issue="1", url=URL, pdf_url=URL + "/pdf", xml_url=URL + "/xml"
    )


def test_article_json_ld_is_a_scholarly_article_in_its_issue_and_journal():
    data = json.loads(
        indexing.script_json(
            indexing.article_json_ld(
                _citation(),
                _references(),
                site_url="https://fde.example.org/",
                modified="2026-04-01",
            )
        )
    )
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ScholarlyArticle"
    assert data["@id"] == data["url"] == URL
    assert data["headline"] == "Learning analytics with x2 in rural schools"
    assert data["datePublished"] == "2026-03-15"
    assert data["dateModified"] == "2026-04-01"
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.5555/fde.2026.0001",
    }
    assert data["sameAs"] == "https://doi.org/10.5555/fde.2026.0001"
    assert data["inLanguage"] == "en"
    assert data["isAccessibleForFree"] is True
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["keywords"] == ["learning analytics", "rural education"]
    assert data["pagination"] == "e0001"
    first, second = data["author"]
    assert first == {
        "@type": "Person",
        "name": "Li Wang",
        "givenName": "Li",
        "familyName": "Wang",
        "sameAs": "https://orcid.org/0000-0002-1825-0097",
        "identifier": "https://orcid.org/0000-0002-1825-0097",
        "affiliation": [{"@type": "Organization", "name": "Harvard University"}],
    }
    assert second["name"] == "Ada Okafor"
    issue = data["isPartOf"]
    assert (issue["@type"], issue["issueNumber"]) == ("PublicationIssue", "1")
    volume = issue["isPartOf"]
    assert (volume["@type"], volume["volumeNumber"]) == ("PublicationVolume", "2")
    journal = volume["isPartOf"]
    assert journal["@type"] == "Periodical"
    assert journal["issn"] == ["2999-0001", "2999-0002"]
    assert journal["publisher"]["name"] == "FDE Press"
    assert [e["encodingFormat"] for e in data["encoding"]] == ["application/pdf", "application/xml"]
    assert data["citation"][0]["sameAs"] == "https://doi.org/10.1016/j.compedu.2020.103838"
    assert data["alternativeHeadline"] == ["农村学校的学习分析"]


def test_script_json_cannot_close_its_script_element():
    text = indexing.script_json({"name": "</script><script>alert(1)</script> & more"})
    assert "</script" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


def test_issue_json_ld_is_a_publication_issue_of_a_periodical():
    facts = indexing.IssueFacts(
        "1", "2", "2026", "Special issue", "https://x.org/issues/1/2", "2026-05-01"
    )
    journal = Citation(
        title="", journal_title="Frontiers of Digital Education", issn_online="2999-0001"
    )
    data = indexing.issue_json_ld(facts, journal, [_citation()], "https://x.org/")
    assert data["@type"] == "PublicationIssue"
    assert (data["issueNumber"], data["name"], data["datePublished"]) == (
        "2",
        "Special issue",
        "2026-05-01",
    )
    periodical = data["isPartOf"]["isPartOf"]
    assert periodical == {
        "@type": "Periodical",
        "name": "Frontiers of Digital Education",
        "issn": ["2999-0001"],
        "url": "https://x.org/",
    }
    assert data["hasPart"][0]["@type"] == "ScholarlyArticle"
    assert data["hasPart"][0]["url"] == URL


def test_citation_reference_tags_use_trusted_fields_or_the_text():
    refs = _references()
    tags = indexing.reference_tags(refs)
    assert [name for name, _ in tags] == ["citation_reference"] * len(refs)
    smith = tags[0][1]
    assert "citation_title=Dashboards in class" in smith
    assert "citation_author=Smith, J" in smith
    assert "citation_journal_title=Computers & Education" in smith
    assert "citation_doi=10.1016/j.compedu.2020.103838" in smith
    assert "citation_publication_date=2020" in smith
    assert "Rural schools online" in tags[1][1]


def test_dublin_core_and_open_graph():
    dc = indexing.dublin_core(_citation())
    names = [n for n, _ in dc]
    for name in (
        "DC.title",
        "DC.creator",
        "DC.date",
        "DC.identifier",
        "DC.publisher",
        "DC.language",
        "DC.rights",
        "DC.source",
    ):
        assert name in names
    assert ("DC.creator", "Wang, Li") in dc
    assert ("DC.identifier", "doi:10.5555/fde.2026.0001") in dc
    assert ("DC.date", "2026-03-15") in dc
    assert ("DC.subject", "rural education") in dc
    og = dict(indexing.open_graph(_citation(), "Frontiers of Digital Education"))
    assert og["og:type"] == "article"
    assert og["og:url"] == URL
    assert og["og:locale"] == "en_US"
    assert og["article:published_time"] == "2026-03-15"


def test_a_group_author_is_an_organization():
    citation = Citation(title="T", authors=(Person(collab="The FDE Group"),))
    data = indexing.article_json_ld(citation)
    assert data["author"] == [{"@type": "Organization", "name": "The FDE Group"}]
