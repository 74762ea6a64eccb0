"""Front matter from submission metadata: schema validation, element content, XSD validity."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.frontmatter import (
    ALI,
    NSMAP,
    XLINK,
    XML_LANG,
    MetadataError,
    build_back_matter,
    build_front,
    country_name,
    load_metadata,
    orcid_checksum_ok,
    validate_metadata,
)
from frontiers_de.xml.schemas import load_schema

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "submission-metadata.json"
PROFILE = JournalProfile(issn_print="1234-5679", issn_online="2345-6786")


@pytest.fixture(scope="session")
def jats_schema(schema_dir):
    return load_schema("jats-1.3")


@pytest.fixture()
def metadata() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def article_with(front, back_matter=()):
    article = etree.Element("article", nsmap=NSMAP)
    article.set("dtd-version", "1.3")
    article.set("article-type", "research-article")
    article.append(front)
    etree.SubElement(etree.SubElement(article, "body"), "p").text = "Body."
    if back_matter:
        etree.SubElement(article, "back").extend(back_matter)
    return article


def test_the_sample_metadata_is_valid():
    assert validate_metadata(json.loads(SAMPLE.read_text(encoding="utf-8"))) == []


def test_front_and_back_from_the_sample_are_valid_jats(metadata, jats_schema):
    front, report = build_front(metadata, PROFILE)
    article = article_with(front, build_back_matter(metadata))
    assert jats_schema.validate(article), jats_schema.error_log
    assert report.missing == []


def test_journal_meta_comes_from_the_profile(metadata):
    front, _ = build_front(metadata, PROFILE)
    journal = front.find("journal-meta")
    assert journal.findtext("journal-id") == "fde"
    assert journal.findtext("journal-title-group/journal-title") == PROFILE.title
    assert journal.findtext("journal-title-group/abbrev-journal-title") == "Front. Digit. Educ."
    issns = {i.get("publication-format"): i.text for i in journal.findall("issn")}
    assert issns == {"print": "1234-5679", "electronic": "2345-6786"}
    assert journal.findtext("publisher/publisher-name") == "FDE Press"


def test_a_profile_without_issn_is_reported_not_invented(metadata, jats_schema):
    front, report = build_front(metadata, JournalProfile())
    assert [i.text or "" for i in front.iter("issn")] == [""]
    assert any("ISSN" in m for m in report.missing)
    assert jats_schema.validate(article_with(front))


def test_article_meta_content(metadata):
    front, _ = build_front(metadata, PROFILE)
    meta = front.find("article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.5555/fde.2026.0012"
    assert meta.findtext("article-categories/subj-group[@subj-group-type='heading']/subject") == (
        "Original Research"
    )
    trans = meta.find("title-group/trans-title-group")
    assert trans.get(XML_LANG) == "zh"
    assert trans.findtext("trans-title").startswith("在线数学课程")
    contribs = meta.findall("contrib-group/contrib")
    assert [c.findtext(".//surname") for c in contribs] == ["Zhang", "Haddad"]
    first = contribs[0]
    assert first.get("corresp") == "yes"
    assert first.findtext("contrib-id[@contrib-id-type='orcid']") == (
        "https://orcid.org/0000-0002-1825-0097"
    )
    names = first.findall("name-alternatives/name")
    assert [(n.get("name-style"), n.get(XML_LANG), n.findtext("surname")) for n in names] == [
        ("western", "en", "Zhang"),
        ("eastern", "zh", "张"),
    ]
    role = first.find("role")
    assert role.get("vocab") == "credit"
    assert role.get("vocab-identifier") == "https://credit.niso.org/"
    assert role.get("vocab-term-identifier") == (
        "https://credit.niso.org/contributor-roles/conceptualization/"
    )
    assert [x.get("rid") for x in contribs[1].findall("xref[@ref-type='aff']")] == [
        "aff-ecnu",
        "aff-pku",
    ]
    aff = meta.find("aff[@id='aff-pku']")
    assert aff.findtext("institution-wrap/institution-id[@institution-id-type='ror']") == (
        "https://ror.org/02v51f717"
    )
    assert aff.find("country").get("country") == "CN"
    assert meta.findtext("author-notes/corresp/email") == "wei.zhang@example.edu.cn"
    history = {d.get("date-type"): d.get("iso-8601-date") for d in meta.iter("date")}
    assert history == {"received": "2026-01-12", "rev-recd": "2026-03-02", "accepted": "2026-04-20"}
    assert meta.findtext("elocation-id") == "e2026012"
    licence = meta.find("permissions/license")
    assert licence.get(f"{{{XLINK}}}href") == "https://creativecommons.org/licenses/by/4.0/"
    assert licence.findtext(f"{{{ALI}}}license_ref") == licence.get(f"{{{XLINK}}}href")
    assert meta.findtext("permissions/copyright-year") == "2026"
    assert len(meta.findall("abstract/p")) == 2
    assert meta.find("trans-abstract").get(XML_LANG) == "zh"
    assert [g.get(XML_LANG) for g in meta.findall("kwd-group")] == ["en", "zh"]
    award = meta.find("funding-group/award-group")
    funder_id = award.find("funding-source/institution-wrap/institution-id")
    assert funder_id.text == "10.13039/501100001809"
    assert funder_id.get("vocab") == "open-funder-registry"
    assert award.findtext("award-id") == "62177001"
    assert award.findtext("principal-award-recipient/name/surname") == "Zhang"


def test_back_matter_sections(metadata):
    tags = [
        (e.tag, e.get("notes-type") or e.get("content-type")) for e in build_back_matter(metadata)
    ]
    assert tags == [
        ("ack", None),
        ("notes", "data-availability"),
        ("fn-group", "competing-interests"),
    ]


def test_without_metadata_the_gaps_are_reported(jats_schema):
    front, report = build_front(None, PROFILE, fallback_title="From the document")
    assert front.findtext("article-meta/title-group/article-title") == "From the document"
    for gap in ("DOI", "contributors", "abstract", "keywords"):
        assert any(gap in m for m in report.missing), gap
    assert front.find("article-meta/pub-date-not-available") is not None
    assert jats_schema.validate(article_with(front))


@pytest.mark.parametrize(
    ("orcid", "ok"),
    [
        ("0000-0002-1825-0097", True),
        ("https://orcid.org/0000-0002-1694-233X", True),
        ("0000-0002-1825-0098", False),
        ("0000-0002-1825-009", False),
    ],
)
def test_orcid_check_digit(orcid, ok):
    assert orcid_checksum_ok(orcid) is ok


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.pop("title"), "'title' is a required property"),
        (lambda m: m["contributors"][0].update(orcid="0000-0002-1825-0098"), "check digit"),
        (lambda m: m["contributors"][0].update(orcid="1234"), "$.contributors[0].orcid"),
        (lambda m: m["affiliations"][0].update(ror="https://ror.org/XYZ"), "$.affiliations[0].ror"),
        (lambda m: m["contributors"][1].update(affiliations=["mit"]), "'mit' is not an id"),
        (lambda m: m["history"].update(accepted="2025-01-01"), "accepted is earlier"),
        (lambda m: m["history"].update(received="2026-02-30"), "not a real date"),
        (lambda m: m["contributors"][0].update(credit_roles=["Cooking"]), "credit_roles[0]"),
        (lambda m: m["funding"][0].update(funder_doi="10.1234/x"), "$.funding[0].funder_doi"),
        (lambda m: m.update(colour="blue"), "Additional properties"),
        (lambda m: m["trans_titles"][0].update(lang="Chinese"), "$.trans_titles[0].lang"),
    ],
)
def test_bad_metadata_is_named_precisely(metadata, change, expected):
    broken = copy.deepcopy(metadata)
    change(broken)
    problems = validate_metadata(broken)
    assert problems, "expected a problem"
    assert any(expected in p for p in problems), problems


def test_load_metadata_reports_json_syntax_with_position(tmp_path):
    path = tmp_path / "meta.json"
    path.write_text('{"title": "x",\n  "doi": }', encoding="utf-8")
    with pytest.raises(MetadataError, match=r"meta.json:2:\d+: not valid JSON"):
        load_metadata(path)


def test_load_metadata_reports_a_missing_file(tmp_path):
    with pytest.raises(MetadataError, match="cannot be read"):
        load_metadata(tmp_path / "absent.json")


def test_load_metadata_rejects_a_list(tmp_path):
    path = tmp_path / "meta.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(MetadataError, match="is not of type 'object'"):
        load_metadata(path)


def test_a_country_code_is_written_as_its_name_in_the_articles_language(metadata):
    assert country_name("CN", "en") == "China"
    assert country_name("CN", "zh") == "中国"
    assert country_name("QQ", "en") == "QQ"  # unknown to CLDR: kept as given
    for aff in metadata["affiliations"]:
        aff.pop("country", None)
    metadata["language"] = "zh"
    front, _ = build_front(metadata, PROFILE)
    countries = front.findall(".//aff/country")
    assert [(c.text, c.get("country")) for c in countries] == [("中国", "CN"), ("中国", "CN")]
