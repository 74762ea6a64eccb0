from __future__ import annotations

import copy
import dataclasses
import re

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.crossref.deposit import (
    AI,
    CR,
    FR,
    JATS,
    MAX_BATCH_ID_LENGTH,
    DepositError,
    DepositSettings,
    build_deposit,
    new_batch_id,
    next_timestamp,
)
from frontiers_de.crossref.validate import validate_deposit

NS = {"c": CR, "jats": JATS, "fr": FR, "ai": AI}


def _valid(deposit_bytes: bytes, crossref_schema: etree.XMLSchema) -> etree._Element:
    """Re-parse (so errors carry lines) and require validity against the official XSD."""
    tree = etree.ElementTree(etree.fromstring(deposit_bytes))
    errors = validate_deposit(tree)
    assert errors == [], errors
    return tree.getroot()


def test_deposit_is_valid_and_complete(article, profile, crossref_schema) -> None:
    deposit = build_deposit([article], profile)
    root = _valid(deposit.to_bytes(), crossref_schema)
    assert deposit.dois == ["10.5555/fde.2025.0007"]

    head = root.find("c:head", NS)
    assert head.findtext("c:doi_batch_id", namespaces=NS) == deposit.batch_id
    assert head.findtext("c:timestamp", namespaces=NS) == str(deposit.timestamp)
    assert head.findtext("c:depositor/c:email_address", namespaces=NS) == profile.depositor_email
    assert head.findtext("c:registrant", namespaces=NS) == profile.registrant

    jm = root.find(".//c:journal_metadata", NS)
    assert jm.findtext("c:full_title", namespaces=NS) == profile.title
    assert jm.findtext("c:abbrev_title", namespaces=NS) == profile.abbreviation
    issns = {i.get("media_type"): i.text for i in jm.findall("c:issn", NS)}
    assert issns == {"electronic": "2999-0001", "print": "2999-000X"}
    assert jm.findtext("c:doi_data/c:doi", namespaces=NS) == "10.5555/fde"

    issue = root.find(".//c:journal_issue", NS)
    assert issue.findtext("c:journal_volume/c:volume", namespaces=NS) == "2"
    assert issue.findtext("c:issue", namespaces=NS) == "1"

    art = root.find(".//c:journal_article", NS)
    assert art.get("language") == "en"
    titles = art.find("c:titles", NS)
    title = titles.find("c:title", NS)
    assert "".join(title.itertext()) == "Learning analytics in rural classrooms"
    assert title.findtext("c:i", namespaces=NS) == "rural", "JATS italic kept as face markup"
    assert titles.findtext("c:subtitle", namespaces=NS) == "A mixed-methods study"
    original = titles.find("c:original_language_title", NS)
    assert (original.get("language"), original.text) == ("zh", "农村课堂中的学习分析")


def test_contributors_in_order_with_orcid_native_names_and_ror(article, profile) -> None:
    root = build_deposit([article], profile).tree.getroot()
    people = root.find(".//c:contributors", NS)
    kinds = [
        (etree.QName(p).localname, p.get("sequence"), p.get("contributor_role")) for p in people
    ]
    assert kinds == [
        ("person_name", "first", "author"),
        ("person_name", "additional", "author"),
        ("organization", "additional", "author"),
        ("person_name", "additional", "editor"),
    ]
    wang, garcia = people[0], people[1]
    assert wang.findtext("c:surname", namespaces=NS) == "Wang"
    assert wang.findtext("c:name", namespaces=NS) == "王丽"
    orcid = wang.find("c:ORCID", NS)
    assert (orcid.text, orcid.get("authenticated")) == (
        "https://orcid.org/0000-0002-1825-0097",
        "true",
    )
    assert garcia.find("c:ORCID", NS).get("authenticated") == "false"
    assert garcia.findtext("c:suffix", namespaces=NS) == "Jr."
    institutions = garcia.findall("c:affiliations/c:institution", NS)
    assert [i.findtext("c:institution_name", namespaces=NS) for i in institutions] == [
        "East China Normal University",
        "Universidad de Chile",
    ]
    ror = institutions[0].find("c:institution_id", NS)
    assert (ror.get("type"), ror.text) == ("ror", "https://ror.org/02n96ep67")
    assert institutions[1].find("c:institution_id", NS) is None
    assert people[2].text == "FDE Study Group"


def test_abstracts_in_every_language_in_jats_namespace(article, profile) -> None:
    root = build_deposit([article], profile).tree.getroot()
    abstracts = root.findall(".//jats:abstract", NS)
    langs = [a.get("{http://www.w3.org/XML/1998/namespace}lang") for a in abstracts]
    assert langs == ["en", "zh"]
    assert [t.text for t in abstracts[0].findall("jats:sec/jats:title", NS)] == [
        "Background",
        "Results",
    ]
    first_p = abstracts[0].find("jats:sec/jats:p", NS)
    assert first_p.find("jats:bold", NS).text == "learning analytics"
    assert "n=40 schools" in "".join(first_p.itertext())
    assert abstracts[1].findtext("jats:p", namespaces=NS) == "农村学校很少使用学习分析。"


def test_dates_pages_funding_licence(article, profile) -> None:
    art = build_deposit([article], profile).tree.getroot().find(".//c:journal_article", NS)
    dates = {
        d.get("media_type"): (
            d.findtext("c:year", namespaces=NS),
            d.findtext("c:month", namespaces=NS),
            d.findtext("c:day", namespaces=NS),
        )
        for d in art.findall("c:publication_date", NS)
    }
    assert dates == {"online": ("2025", "03", "14"), "print": ("2025", "06", None)}
    assert art.findtext("c:acceptance_date/c:day", namespaces=NS) == "20"
    item = art.find("c:publisher_item/c:item_number", NS)
    assert (item.text, item.get("item_number_type")) == ("e1007", "article_number")

    groups = art.findall("fr:program/fr:assertion[@name='fundgroup']", NS)
    assert len(groups) == 1, "two award-groups of one funder make one fundgroup"
    funder = groups[0].find("fr:assertion[@name='funder_name']", NS)
    assert funder.text.strip() == "National Natural Science Foundation of China"
    assert funder.findtext("fr:assertion[@name='funder_identifier']", namespaces=NS) == (
        "https://doi.org/10.13039/501100001809"
    )
    awards = [a.text for a in groups[0].findall("fr:assertion[@name='award_number']", NS)]
    assert awards == ["62077001", "62077002"]

    program = art.find("ai:program", NS)
    assert program.find("ai:free_to_read", NS).get("start_date") == "2025-03-14"
    refs = {r.get("applies_to"): r for r in program.findall("ai:license_ref", NS)}
    assert set(refs) == {"vor", "am", "tdm"}
    assert refs["vor"].text == "https://creativecommons.org/licenses/by/4.0/"
    assert refs["vor"].get("start_date") == "2025-03-14"


def test_doi_data_and_full_text_links(article, profile) -> None:
    data = (
        build_deposit([article], profile).tree.getroot().find(".//c:journal_article/c:doi_data", NS)
    )
    assert data.findtext("c:doi", namespaces=NS) == "10.5555/fde.2025.0007"
    landing = "https://fde.example.org/articles/10.5555/fde.2025.0007"
    assert data.findtext("c:resource", namespaces=NS) == landing
    crawl = data.find("c:collection[@property='crawler-based']/c:item", NS)
    assert crawl.get("crawler") == "iParadigms"
    assert crawl.findtext("c:resource", namespaces=NS) == landing + "/pdf"
    mining = data.findall("c:collection[@property='text-mining']/c:item/c:resource", NS)
    assert {(r.get("mime_type"), r.text) for r in mining} == {
        ("application/pdf", landing + "/pdf"),
        ("application/xml", landing + "/xml"),
    }


def test_url_patterns_from_settings(article, profile) -> None:
    cfg = DepositSettings.from_settings(
        {"crossref.landing_url": "{base}/a/{doi}", "crossref.pdf_url": "{base}/p/{doi}.pdf"}
    )
    art_data = (
        build_deposit([article], profile, cfg)
        .tree.getroot()
        .find(".//c:journal_article/c:doi_data", NS)
    )
    assert art_data.findtext("c:resource", namespaces=NS) == (
        "https://fde.example.org/a/10.5555/fde.2025.0007"
    )
    pdf = art_data.findtext("c:collection/c:item/c:resource", namespaces=NS)
    assert pdf == "https://fde.example.org/p/10.5555/fde.2025.0007.pdf"


def test_citations_carry_doi_structure_and_string(article, profile) -> None:
    cits = build_deposit([article], profile).tree.getroot().findall(".//c:citation", NS)
    assert [c.get("key") for c in cits] == ["r1", "r2", "r3"]
    r1, r2, r3 = cits
    assert r1.findtext("c:doi", namespaces=NS) == "10.1177/0002764213498851"
    assert r1.findtext("c:journal_title", namespaces=NS) == "American Behavioral Scientist"
    assert r1.findtext("c:first_page", namespaces=NS) == "1380"
    assert r1.findtext("c:cYear", namespaces=NS) == "2013"
    text = r1.findtext("c:unstructured_citation", namespaces=NS)
    assert text == (
        "Siemens G (2013). Learning analytics: The emergence of a discipline. American "
        "Behavioral Scientist, 57(10), 1380–1400. https://doi.org/10.1177/0002764213498851"
    )
    assert r2.find("c:doi", NS) is None
    assert r2.findtext("c:unstructured_citation", namespaces=NS) == (
        "Biesta, G. (2010). Good education in an age of measurement. Paradigm."
    )
    assert r2.findtext("c:volume_title", namespaces=NS) == "Good education in an age of measurement"
    assert r3.find("c:doi", NS) is None
    assert r3.findtext("c:author", namespaces=NS) == "Ferguson"


def test_crossmark_holds_funding_licence_and_history(article, profile, crossref_schema) -> None:
    cfg = DepositSettings(
        crossmark_policy="10.5555/crossmark-policy", crossmark_domains=("fde.example.org",)
    )
    root = _valid(build_deposit([article], profile, cfg).to_bytes(), crossref_schema)
    mark = root.find(".//c:crossmark", NS)
    assert mark.findtext("c:crossmark_policy", namespaces=NS) == "10.5555/crossmark-policy"
    assert mark.findtext("c:crossmark_domains/c:crossmark_domain/c:domain", namespaces=NS) == (
        "fde.example.org"
    )
    custom = mark.find("c:custom_metadata", NS)
    assert [a.get("name") for a in custom.findall("c:assertion", NS)] == ["received", "accepted"]
    assert custom.find("fr:program", NS) is not None
    assert custom.find("ai:program", NS) is not None
    assert root.find(".//c:journal_article/fr:program", NS) is None


def test_articles_of_two_issues_make_two_journals(article, profile, crossref_schema) -> None:
    other = copy.deepcopy(article)
    meta = other.getroot().find("front/article-meta")
    meta.find("article-id").text = "10.5555/fde.2025.0008"
    meta.find("issue").text = "2"
    third = copy.deepcopy(article)
    third.getroot().find("front/article-meta/article-id").text = "10.5555/fde.2025.0009"
    deposit = build_deposit([article, other, third], profile)
    root = _valid(deposit.to_bytes(), crossref_schema)
    journals = root.findall("c:body/c:journal", NS)
    assert [j.findtext("c:journal_issue/c:issue", namespaces=NS) for j in journals] == ["1", "2"]
    assert [len(j.findall("c:journal_article", NS)) for j in journals] == [2, 1]
    assert deposit.dois == [
        "10.5555/fde.2025.0007",
        "10.5555/fde.2025.0009",
        "10.5555/fde.2025.0008",
    ]


def test_article_outside_an_issue_has_no_journal_issue(article, profile, crossref_schema) -> None:
    meta = article.getroot().find("front/article-meta")
    for name in ("volume", "issue"):
        meta.remove(meta.find(name))
    root = _valid(build_deposit([article], profile).to_bytes(), crossref_schema)
    assert root.find(".//c:journal_issue", NS) is None


def test_timestamps_increase_and_batch_ids_differ(article, profile) -> None:
    first = build_deposit([article], profile)
    second = build_deposit([article], profile)
    assert second.timestamp > first.timestamp
    assert second.batch_id != first.batch_id
    stamps = [next_timestamp() for _ in range(50)]
    assert stamps == sorted(set(stamps))


# --- batch ids: at most 64 characters (our column; Crossref's schema allows 4-100) -------

# A 17-digit timestamp and 12 random hex digits leave the journal's code 33 characters.
CODE_ROOM = MAX_BATCH_ID_LENGTH - len("-20261129123456789-") - 12
BATCH_ID = re.compile(r"[A-Za-z0-9._-]+-(\d{17})-([0-9a-f]{12})")


@pytest.mark.parametrize(
    ("code", "journal_part"),
    [
        ("fde", "fde"),
        ("j" * (CODE_ROOM - 1), "j" * (CODE_ROOM - 1)),
        ("j" * CODE_ROOM, "j" * CODE_ROOM),  # exactly 64 characters
        ("j" * (CODE_ROOM + 1), "j" * CODE_ROOM),  # one over: the code is shortened
        ("frontiers-of-digital-education-section-a", "frontiers-of-digital-education-se"),
        ("k" * 10_000, "k" * CODE_ROOM),
        ("数字教育前沿", "batch"),
        ('FDE / Press "Special" issue', "FDE-Press-Special-issue"),
        ("../../etc/passwd", "etc-passwd"),
        ("a" * (CODE_ROOM - 1) + "-xyz", "a" * (CODE_ROOM - 1)),  # no trailing dash
        ("", "batch"),
        ("---", "batch"),
    ],
)
def test_batch_ids_fit_whatever_the_journal_code(
    article, profile, crossref_schema, code, journal_part
) -> None:
    profile = dataclasses.replace(profile, code=code)
    deposit = build_deposit([article], profile)
    assert 4 <= len(deposit.batch_id) <= MAX_BATCH_ID_LENGTH
    match = BATCH_ID.fullmatch(deposit.batch_id)
    assert match, deposit.batch_id
    assert deposit.batch_id.startswith(journal_part + "-")
    assert match[1] == str(deposit.timestamp)  # the unique part is kept whole
    root = _valid(deposit.to_bytes(), crossref_schema)
    assert root.findtext("c:head/c:doi_batch_id", namespaces=NS) == deposit.batch_id


def test_batch_ids_stay_unique_when_shortened(profile) -> None:
    profile = dataclasses.replace(profile, code="x" * 500)
    stamp = next_timestamp()
    ids = {new_batch_id(profile, stamp) for _ in range(2000)}  # the same millisecond
    assert len(ids) == 2000
    assert {len(i) for i in ids} == {MAX_BATCH_ID_LENGTH}


@pytest.mark.parametrize("timestamp", [0, 7, 10**40, 10**80])
def test_batch_ids_fit_even_with_odd_timestamps(profile, timestamp) -> None:
    batch_id = new_batch_id(dataclasses.replace(profile, code="y" * 80), timestamp)
    assert 4 <= len(batch_id) <= MAX_BATCH_ID_LENGTH
    assert re.fullmatch(r"[A-Za-z0-9._-]+", batch_id)
    assert re.search(r"-[0-9a-f]{12}$", batch_id)  # the random part is never cut


@pytest.mark.parametrize("length", [MAX_BATCH_ID_LENGTH + 1, 100, 101, 3, 1])
def test_a_given_batch_id_outside_the_limits_is_refused(article, profile, length) -> None:
    with pytest.raises(DepositError, match=r"doi_batch_id must be 4-64 characters, got"):
        build_deposit([article], profile, batch_id="b" * length)


@pytest.mark.parametrize("length", [4, MAX_BATCH_ID_LENGTH])
def test_a_given_batch_id_at_the_limits_is_valid(article, profile, crossref_schema, length):
    deposit = build_deposit([article], profile, batch_id="b" * length)
    _valid(deposit.to_bytes(), crossref_schema)

    meta = article.getroot().find("front/article-meta")
    meta.remove(meta.find("article-id"))
    with pytest.raises(DepositError, match=r"Learning analytics.*DOI is empty"):
        build_deposit([article], profile)


def test_bad_doi_is_refused(article, profile) -> None:
    article.getroot().find("front/article-meta/article-id").text = "10.55/x"
    with pytest.raises(DepositError, match="invalid prefix"):
        build_deposit([article], profile)


def test_same_doi_twice_is_refused(article, profile) -> None:
    with pytest.raises(DepositError, match="appears twice"):
        build_deposit([article, copy.deepcopy(article)], profile)


def test_no_publication_date_is_refused(article, profile) -> None:
    meta = article.getroot().find("front/article-meta")
    for date in meta.findall("pub-date"):
        meta.remove(date)
    with pytest.raises(DepositError, match="no publication date"):
        build_deposit([article], profile)


def test_no_title_is_refused(article, profile) -> None:
    title = article.getroot().find("front/article-meta/title-group/article-title")
    for child in list(title):
        title.remove(child)
    title.text = ""
    with pytest.raises(DepositError, match="no title"):
        build_deposit([article], profile)


def test_nothing_to_deposit(profile) -> None:
    with pytest.raises(DepositError, match="no articles"):
        build_deposit([], profile)


def test_profile_without_issn_or_journal_doi_still_valid(article, crossref_schema) -> None:
    _valid(build_deposit([article], JournalProfile()).to_bytes(), crossref_schema)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://ror.org/02n96ep67", "https://ror.org/02n96ep67"),
        ("http://www.ror.org/02N96EP67", "https://ror.org/02n96ep67"),
        ("02n96ep67", "https://ror.org/02n96ep67"),
        ("Grid: grid.22069.3f", None),
    ],
)
def test_ror_ids_in_crossref_form(value: str, expected: str | None) -> None:
    from frontiers_de.identifiers import ror_url

    assert ror_url(value) == expected


@pytest.mark.parametrize(
    ("lang", "code"), [("EN", "en"), ("zh-Hans-CN", "zh"), ("pt_BR", "pt"), ("", ""), ("x-k", "")]
)
def test_language_codes(lang: str, code: str) -> None:
    from frontiers_de.crossref.deposit import language_code

    assert language_code(lang) == code


def test_awkward_names_still_validate(article, profile, crossref_schema) -> None:
    group = article.getroot().find("front/article-meta/contrib-group")
    long_name = etree.SubElement(group, "contrib", {"contrib-type": "author"})
    name = etree.SubElement(long_name, "name")
    etree.SubElement(name, "surname").text = "Wolfeschlegelsteinhausenbergerdorff" * 2 + "?"
    etree.SubElement(name, "given-names").text = "Hubert?"
    mononym = etree.SubElement(group, "contrib", {"contrib-type": "author"})
    etree.SubElement(etree.SubElement(mononym, "name"), "given-names").text = "Sukarno"
    root = _valid(build_deposit([article], profile).to_bytes(), crossref_schema)
    people = root.findall(".//c:contributors/c:person_name", NS)
    surname = people[-2].findtext("c:surname", namespaces=NS)
    assert len(surname) <= 60 and "?" not in surname
    assert people[-2].findtext("c:given_name", namespaces=NS) == "Hubert"
    assert people[-1].findtext("c:name", namespaces=NS) == "Sukarno"
    assert people[-1].find("c:surname", NS) is None


def test_licence_falls_back_to_the_journal_licence(article, profile, crossref_schema) -> None:
    meta = article.getroot().find("front/article-meta")
    meta.remove(meta.find("permissions"))
    root = _valid(build_deposit([article], profile).to_bytes(), crossref_schema)
    urls = {r.text for r in root.iterfind(".//ai:license_ref", NS)}
    assert urls == {profile.licence_url}


def test_chinese_article_with_english_translation(article, profile, crossref_schema) -> None:
    root_el = article.getroot()
    root_el.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    ttg = root_el.find("front/article-meta/title-group/trans-title-group")
    ttg.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    root = _valid(build_deposit([article], profile).to_bytes(), crossref_schema)
    art = root.find(".//c:journal_article", NS)
    assert art.get("language") == "zh"
    assert art.find("c:titles/c:original_language_title", NS).get("language") == "en"


# --- affiliations: the institution is the institution, the department its unit -----------


def _department_article() -> etree._Element:
    """An article whose front matter is built from submission metadata, as production does,
    with a first author at a department of a university that has a ROR id."""
    import json
    from pathlib import Path

    from frontiers_de.production.jats.frontmatter import NSMAP, build_front

    metadata = json.loads(
        (Path(__file__).parents[2] / "data" / "submission-metadata.json").read_text("utf-8")
    )
    metadata["affiliations"][0] = {
        "id": "bnu",
        "department": "Faculty of Education",
        "institution": "Beijing Normal University",
        "ror": "https://ror.org/022k4wk35",
        "city": "Beijing",
        "country": "China",
        "country_code": "CN",
    }
    metadata["contributors"][0]["affiliations"] = ["bnu"]
    front, _report = build_front(metadata, JournalProfile(issn_online="2999-0001"))
    article = etree.Element("article", nsmap=NSMAP)
    article.set("dtd-version", "1.3")
    article.set("article-type", "research-article")
    article.append(front)
    etree.SubElement(etree.SubElement(article, "body"), "p").text = "Body."
    return article


def test_department_and_institution_from_metadata_to_jats() -> None:
    aff = _department_article().find("front/article-meta/aff[@id='aff-bnu']")
    wrap = aff.find("institution-wrap")
    assert wrap.findtext("institution-id[@institution-id-type='ror']") == (
        "https://ror.org/022k4wk35"
    )
    assert wrap.findtext("institution[@content-type='dept']") == "Faculty of Education"
    (institution,) = wrap.xpath("institution[not(@content-type)]")
    assert institution.text == "Beijing Normal University"
    assert aff.findtext("city") == "Beijing"


def test_department_and_institution_read_back_from_jats() -> None:
    from frontiers_de.production.jats.meta import read_article_meta

    aff = read_article_meta(_department_article()).affiliations["aff-bnu"]
    assert aff.institution == "Beijing Normal University"
    assert aff.department == "Faculty of Education"
    assert aff.ror == "https://ror.org/022k4wk35"
    assert aff.city == "Beijing"
    assert aff.institution_first == "Beijing Normal University, Faculty of Education"


def test_deposit_names_the_institution_and_its_department(profile, crossref_schema) -> None:
    deposit = build_deposit([_department_article()], profile, DepositSettings())
    root = _valid(deposit.to_bytes(), crossref_schema)
    first = root.find(".//c:contributors/c:person_name[@sequence='first']", NS)
    (institution,) = first.findall("c:affiliations/c:institution", NS)
    assert [etree.QName(c).localname for c in institution] == [
        "institution_name",
        "institution_id",
        "institution_place",
        "institution_department",
    ]
    assert institution.findtext("c:institution_name", namespaces=NS) == (
        "Beijing Normal University"
    )
    assert institution.find("c:institution_id", NS).get("type") == "ror"
    assert institution.findtext("c:institution_id", namespaces=NS) == "https://ror.org/022k4wk35"
    assert institution.findtext("c:institution_place", namespaces=NS) == "Beijing"
    assert institution.findtext("c:institution_department", namespaces=NS) == (
        "Faculty of Education"
    )


def test_meta_tags_name_the_institution_then_the_department() -> None:
    from frontiers_de.production.jats.meta import read_article_meta
    from frontiers_de.publishing.citations import citation_from_meta, highwire_tags

    tags = highwire_tags(citation_from_meta(read_article_meta(_department_article())))
    institutions = [v for k, v in tags if k == "citation_author_institution"]
    assert institutions[0] == "Beijing Normal University, Faculty of Education"


@pytest.mark.parametrize(
    ("aff_xml", "institution", "department"),
    [
        # SciELO: the verbatim address, the organisation and its division, any order
        (
            '<aff id="a"><institution content-type="original">Facultad de Educación, '
            "Universidad X, Lima</institution>"
            '<institution content-type="orgdiv1">Facultad de Educación</institution>'
            '<institution content-type="orgname">Universidad X</institution></aff>',
            "Universidad X",
            "Facultad de Educación",
        ),
        # department after the institution, in a wrap with its ROR
        (
            '<aff id="a"><institution-wrap><institution>Uni Y</institution>'
            '<institution content-type="dept">Dept of Physics</institution>'
            "</institution-wrap></aff>",
            "Uni Y",
            "Dept of Physics",
        ),
        # a department alone stands for the institution
        (
            '<aff id="a"><institution content-type="dept">Dept Z</institution></aff>',
            "Dept Z",
            "",
        ),
        # no content types: the first institution, no department
        ('<aff id="a"><institution>Uni W</institution></aff>', "Uni W", ""),
    ],
    ids=["scielo", "dept-after", "dept-only", "plain"],
)
def test_institution_and_department_whatever_the_markup(aff_xml, institution, department):
    from frontiers_de.production.jats.meta import _affiliation

    aff = _affiliation(etree.fromstring(aff_xml), "x")
    assert (aff.institution, aff.department) == (institution, department)


def _with_alternatives(article: etree._ElementTree, year: str, source: str) -> etree._ElementTree:
    """The article's references replaced by one the converter structured beside the
    author's text (a citation-alternatives), with the given year and source."""
    tree = copy.deepcopy(article)
    ref_list = tree.getroot().find(".//ref-list")
    for ref in ref_list.findall("ref"):
        ref_list.remove(ref)
    ref_list.append(
        etree.fromstring(
            '<ref id="b1"><label>1</label><citation-alternatives>'
            '<element-citation publication-type="preprint"><person-group person-group-type='
            '"author"><name><surname>Rudin</surname><given-names>C</given-names></name>'
            f"</person-group><article-title>The Secrets of Machine Learning</article-title>"
            f"<source>{source}</source><year>{year}</year>"
            '<pub-id pub-id-type="arxiv">1906.01998</pub-id></element-citation>'
            "<mixed-citation>Rudin C. The Secrets of Machine Learning. arXiv; 2019. "
            '<pub-id pub-id-type="arxiv">1906.01998</pub-id></mixed-citation>'
            "</citation-alternatives></ref>"
        )
    )
    return tree


def test_citation_alternatives_deposit_fields_only_when_the_house_rule_trusts_them(
    article, profile, crossref_schema
) -> None:
    trusted = _with_alternatives(article, "2019", "arXiv")
    (cit,) = _valid(build_deposit([trusted], profile).to_bytes(), crossref_schema).findall(
        ".//c:citation", NS
    )
    assert cit.findtext("c:cYear", namespaces=NS) == "2019"
    assert cit.findtext("c:author", namespaces=NS) == "Rudin"
    # year 1906 read from arXiv:1906.01998 and the link word "Available" as the source
    doubted = _with_alternatives(article, "1906", "Available")
    (cit,) = _valid(build_deposit([doubted], profile).to_bytes(), crossref_schema).findall(
        ".//c:citation", NS
    )
    assert [etree.QName(c).localname for c in cit] == ["unstructured_citation"]
    assert cit.findtext("c:unstructured_citation", namespaces=NS) == (
        "Rudin C. The Secrets of Machine Learning. arXiv; 2019. 1906.01998"
    )
