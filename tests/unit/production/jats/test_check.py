"""House rules (each: one passing and one failing case) and the official-schema step."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.production.jats.check import (
    XSD_RULE_ID,
    Finding,
    check_article,
    check_house_rules,
)
from frontiers_de.production.jats.rules import REGISTRY, CheckOptions, all_rules
from frontiers_de.production.jats.rules.abstract import count_words
from frontiers_de.xml.safe import parse_xml

ROOT = Path(__file__).resolve().parents[4]
VALID = ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml"
CATALOGUE = ROOT / "schemas" / "house-rules.md"
XLINK = "http://www.w3.org/1999/xlink"
MML = "http://www.w3.org/1998/Math/MathML"


def valid_tree() -> etree._ElementTree:
    return parse_xml(VALID)


def rule_ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def one(tree: etree._ElementTree, path: str) -> etree._Element:
    found = tree.getroot().xpath(path, namespaces={"xlink": XLINK})
    assert len(found) == 1, path
    return found[0]


def remove(tree: etree._ElementTree, path: str) -> None:
    for element in tree.getroot().xpath(path):
        element.getparent().remove(element)


def set_text(tree: etree._ElementTree, path: str, text: str) -> None:
    one(tree, path).text = text


def _long_abstract(tree: etree._ElementTree) -> None:
    one(tree, "//article-meta/abstract/p").text = "word " * 301


def _graphic_without_description(tree: etree._ElementTree) -> None:
    paragraph = one(tree, "//sec[@id='s1']/p[1]")
    graphic = etree.SubElement(paragraph, "inline-graphic")
    graphic.set(f"{{{XLINK}}}href", "logo.png")


def _unstructured_reference(tree: etree._ElementTree) -> None:
    citation = one(tree, "//ref[@id='r2']/mixed-citation")
    for child in list(citation):
        citation.remove(child)
    citation.text = "Lee K. Rural schools online. Educ Res 2019;12:5."


def _mathml_annotation(tree: etree._ElementTree) -> None:
    identifier = tree.getroot().xpath("//mml:mi", namespaces={"mml": MML})[0]
    semantics = etree.Element(f"{{{MML}}}semantics")
    identifier.addprevious(semantics)
    semantics.append(identifier)
    annotation = etree.SubElement(semantics, f"{{{MML}}}annotation-xml", encoding="text/html")
    etree.SubElement(annotation, "{http://www.w3.org/1999/xhtml}script").text = "alert(1)"


# rule id -> how to break the valid article so that (only) this rule fires
BREAKERS: dict[str, Callable[[etree._ElementTree], None]] = {
    "FDE-FIG-001": lambda t: remove(t, "//fig/label"),
    "FDE-FIG-002": lambda t: remove(t, "//fig/caption"),
    "FDE-FIG-003": lambda t: remove(t, "//xref[@rid='f1']"),
    "FDE-TAB-001": lambda t: remove(t, "//table-wrap/label"),
    "FDE-TAB-002": lambda t: remove(t, "//table-wrap/caption"),
    "FDE-TAB-003": lambda t: remove(t, "//xref[@rid='t1']"),
    "FDE-XREF-001": lambda t: one(t, "//xref[@rid='r2']").set("rid", "r2 r99"),
    "FDE-XREF-002": lambda t: one(t, "//xref[@rid='r2']").attrib.pop("rid"),
    "FDE-ID-001": lambda t: one(t, "//sec[@id='s2']").set("id", "s1"),
    "FDE-ORCID-001": lambda t: set_text(t, "//contrib-id", "0000-0002-1825-0098"),
    "FDE-ROR-001": lambda t: set_text(t, "//aff//institution-id", "https://ror.org/03vek6s53"),
    "FDE-DOI-001": lambda t: set_text(t, "//article-id[@pub-id-type='doi']", "10.55/fde.1"),
    "FDE-LIC-001": lambda t: remove(t, "//permissions/license"),
    "FDE-COPY-001": lambda t: remove(t, "//permissions/*[starts-with(local-name(), 'copyright')]"),
    "FDE-CORR-001": lambda t: (
        one(t, "//contrib[@corresp]").attrib.pop("corresp"),
        remove(t, "//contrib//email"),  # the one author with an e-mail corresponds
    ),
    "FDE-DATE-001": lambda t: set_text(t, "//date[@date-type='received']/day", "31"),
    "FDE-DATE-002": lambda t: (
        set_text(t, "//date[@date-type='accepted']/year", "2027"),
        one(t, "//date[@date-type='accepted']").set("iso-8601-date", "2027-02-20"),
    ),
    "FDE-ABS-001": lambda t: remove(t, "//article-meta/abstract"),
    "FDE-ABS-002": _long_abstract,
    "FDE-REF-001": lambda t: remove(t, "//ref[@id='r1']//year"),
    "FDE-REF-002": lambda t: remove(t, "//ref[@id='r1']//source | //ref[@id='r1']//article-title"),
    "FDE-REF-003": _unstructured_reference,
    "FDE-REF-004": lambda t: set_text(t, "//ref[@id='r1']//source", "Available"),
    "FDE-ALT-001": _graphic_without_description,
    "FDE-ALT-002": lambda t: remove(t, "//fig/graphic/alt-text"),
    "FDE-ALT-003": lambda t: set_text(
        t, "//fig/graphic/alt-text", "Figure 1: dashboard use by week"
    ),
    "FDE-ALT-004": lambda t: set_text(t, "//fig/graphic/alt-text", "A line chart. " * 20),
    "FDE-SAFE-001": _mathml_annotation,
    "FDE-SAFE-002": lambda t: one(t, "//fig").set("onmouseover", "alert(1)"),
    "FDE-SAFE-003": lambda t: one(t, "//sec[@id='s1']").insert(
        0, etree.ProcessingInstruction("xml-stylesheet", 'href="data:text/xsl,x"')
    ),
    "FDE-SAFE-004": lambda t: one(t, "//fig/graphic").set(f"{{{XLINK}}}href", "javascript:x()"),
}


def test_the_valid_article_breaks_no_house_rule() -> None:
    assert check_house_rules(valid_tree()) == []


def test_every_rule_has_a_failing_case() -> None:
    assert set(BREAKERS) == set(REGISTRY)


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_rule_fires_on_its_failing_case_only(rule_id: str) -> None:
    tree = valid_tree()
    BREAKERS[rule_id](tree)
    findings = check_house_rules(tree)
    assert rule_ids(findings) == {rule_id}
    finding = findings[0]
    assert finding.severity == REGISTRY[rule_id].severity
    assert finding.message.startswith(REGISTRY[rule_id].message)
    assert finding.line > 0


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_rule_passes_on_the_valid_article(rule_id: str) -> None:
    assert check_house_rules(valid_tree(), rule_ids=[rule_id]) == []


def test_findings_carry_the_source_line() -> None:
    tree = valid_tree()
    remove(tree, "//fig/label")
    (finding,) = check_house_rules(tree)
    assert finding.line == one(tree, "//fig").sourceline
    assert "id f1" in finding.message


# --- passing edge cases of individual rules


def test_figure_in_a_cited_fig_group_counts_as_cited() -> None:
    tree = valid_tree()
    figure = one(tree, "//fig")
    group = etree.Element("fig-group", id="fg1")
    figure.addprevious(group)
    group.append(figure)
    one(tree, "//xref[@rid='f1']").set("rid", "fg1")
    assert check_house_rules(tree, rule_ids=["FDE-FIG-003"]) == []


def test_xref_naming_several_existing_ids_resolves() -> None:
    tree = valid_tree()
    one(tree, "//xref[@rid='r2']").set("rid", "r1 r2")
    assert check_house_rules(tree, rule_ids=["FDE-XREF-001"]) == []


def test_empty_rid_does_not_resolve() -> None:
    tree = valid_tree()
    one(tree, "//xref[@rid='r2']").set("rid", " ")
    assert rule_ids(check_house_rules(tree)) == {"FDE-XREF-001"}


def test_orcid_given_bare_is_accepted_and_non_orcid_ids_are_ignored() -> None:
    tree = valid_tree()
    set_text(tree, "//contrib-id", "0000-0002-1694-233X")
    other = etree.SubElement(one(tree, "//contrib[2]"), "contrib-id", {"contrib-id-type": "isni"})
    other.text = "0000 0001 2103 2683"
    assert check_house_rules(tree, rule_ids=["FDE-ORCID-001"]) == []


def test_funder_registry_doi_is_checked_as_a_doi() -> None:
    tree = valid_tree()
    set_text(tree, "//funding-source//institution-id", "501100001809")
    assert rule_ids(check_house_rules(tree)) == {"FDE-DOI-001"}


def test_february_29_only_in_leap_years() -> None:
    tree = valid_tree()
    received = one(tree, "//date[@date-type='received']")
    received.attrib.pop("iso-8601-date")
    received.find("day").text, received.find("month").text = "29", "02"
    received.find("year").text = "2024"
    assert check_house_rules(tree, rule_ids=["FDE-DATE-001"]) == []
    received.find("year").text = "2025"
    (finding,) = check_house_rules(tree, rule_ids=["FDE-DATE-001"])
    assert "2025-02-29 is not a real day" in finding.message


def test_iso_attribute_must_be_a_real_date_too() -> None:
    tree = valid_tree()
    one(tree, "//pub-date").set("iso-8601-date", "2026-13-01")
    assert rule_ids(check_house_rules(tree)) == {"FDE-DATE-001"}


def test_month_names_and_partial_dates_are_read() -> None:
    tree = valid_tree()
    accepted = one(tree, "//date[@date-type='accepted']")
    accepted.attrib.pop("iso-8601-date")
    accepted.remove(accepted.find("day"))
    accepted.find("month").text = "Mar"  # same month as publication: not out of order
    set_text(tree, "//date[@date-type='accepted']/year", "2026")
    assert check_house_rules(tree, rule_ids=["FDE-DATE-001", "FDE-DATE-002"]) == []


def test_received_after_published_is_out_of_order_without_accepted() -> None:
    tree = valid_tree()
    remove(tree, "//date[@date-type='accepted']")
    received = one(tree, "//date[@date-type='received']")
    received.attrib.pop("iso-8601-date")
    received.find("year").text = "2027"
    (finding,) = check_house_rules(tree)
    assert finding.rule_id == "FDE-DATE-002"
    assert "received 2027-11-02 is after published 2026-03-15" in finding.message


def test_collection_date_is_not_the_publication_date() -> None:
    tree = valid_tree()
    collection = etree.Element("pub-date", {"date-type": "collection"})
    etree.SubElement(collection, "year").text = "2025"
    one(tree, "//pub-date").addnext(collection)
    assert check_house_rules(tree, rule_ids=["FDE-DATE-002"]) == []


def test_abstract_word_limit_is_a_setting() -> None:
    tree = valid_tree()
    options = CheckOptions.from_settings({"fde.jats.abstract_word_limit": "15"})
    (finding,) = check_house_rules(tree, options)
    assert finding.rule_id == "FDE-ABS-002"
    assert "the limit is 15" in finding.message
    assert check_house_rules(tree, CheckOptions.from_settings({})) == []


@pytest.mark.parametrize("raw", ["many", "0", "-3", "2.5"])
def test_bad_word_limit_setting_is_a_clear_error(raw: str) -> None:
    with pytest.raises(ValueError, match="abstract_word_limit"):
        CheckOptions.from_settings({"fde.jats.abstract_word_limit": raw})


def test_word_count_treats_two_cjk_characters_as_one_word() -> None:
    assert count_words("Learning analytics, in 2024 (n = 12).") == 6
    assert count_words("学习分析仪表板") == 4
    assert count_words("well-known teacher’s dashboard") == 3


def test_chinese_trans_abstract_over_the_limit_fires() -> None:
    tree = valid_tree()
    set_text(tree, "//trans-abstract/p", "学" * 700)
    (finding,) = check_house_rules(tree)
    assert finding.rule_id == "FDE-ABS-002"
    assert "(zh)" in finding.message


def test_graphical_abstract_is_not_held_to_the_word_limit() -> None:
    tree = valid_tree()
    extra = etree.SubElement(one(tree, "//article-meta"), "abstract")
    extra.set("abstract-type", "teaser")
    etree.SubElement(extra, "p").text = "word " * 400
    assert check_house_rules(tree, rule_ids=["FDE-ABS-002"]) == []


def test_untagged_reference_with_a_year_in_its_text_has_a_year() -> None:
    tree = valid_tree()
    _unstructured_reference(tree)
    assert check_house_rules(tree, rule_ids=["FDE-REF-001", "FDE-REF-002"]) == []
    one(tree, "//ref[@id='r2']/mixed-citation").text = "Lee K. Rural schools online. Educ Res."
    assert rule_ids(check_house_rules(tree)) == {"FDE-REF-001", "FDE-REF-003"}


def test_reference_without_any_citation_fails_source_rule() -> None:
    tree = valid_tree()
    remove(tree, "//ref[@id='r2']/mixed-citation")
    etree.SubElement(one(tree, "//ref[@id='r2']"), "note").text = "see above"
    assert rule_ids(check_house_rules(tree)) == {"FDE-REF-002"}


def test_the_one_author_with_an_email_corresponds() -> None:
    # As the page and the PDF read it (Ubiquity Press marks nothing else).
    tree = valid_tree()
    one(tree, "//contrib[@corresp]").attrib.pop("corresp")
    assert tree.getroot().xpath("count(//contrib//email)") == 1
    assert check_house_rules(tree, rule_ids=["FDE-CORR-001"]) == []


@pytest.mark.parametrize("article_type", ["correction", "retraction", "addendum"])
def test_a_notice_needs_no_abstract_and_names_no_correspondent(article_type: str) -> None:
    tree = valid_tree()
    tree.getroot().set("article-type", article_type)
    remove(tree, "//article-meta/abstract | //contrib-group | //author-notes/corresp")
    assert check_house_rules(tree, rule_ids=["FDE-ABS-001", "FDE-CORR-001"]) == []
    # a research article without them is still told so
    tree.getroot().set("article-type", "research-article")
    assert rule_ids(check_house_rules(tree)) >= {"FDE-ABS-001", "FDE-CORR-001"}


def test_conference_reference_is_sourced_by_its_conference() -> None:
    # A talk cited by its conference alone (Ubiquity Press tags it so) has a source.
    tree = valid_tree()
    remove(tree, "//ref[@id='r1']//source | //ref[@id='r1']//article-title")
    citation = one(tree, "//ref[@id='r1']/*[1]")
    etree.SubElement(citation, "conf-name").text = "Annual Meeting of the Comparative Society"
    assert check_house_rules(tree, rule_ids=["FDE-REF-002"]) == []


def test_formula_graphic_is_described_by_its_tex() -> None:
    tree = valid_tree()
    alternatives = one(tree, "//inline-formula/alternatives")
    graphic = etree.SubElement(alternatives, "inline-graphic")
    graphic.set(f"{{{XLINK}}}href", "eq.png")
    assert check_house_rules(tree, rule_ids=["FDE-ALT-001"]) == []


def test_alt_text_on_the_figure_counts_and_a_different_text_is_not_the_caption() -> None:
    tree = valid_tree()
    alt = one(tree, "//fig/graphic/alt-text")
    alt.getparent().remove(alt)
    one(tree, "//fig").insert(2, alt)  # JATS from elsewhere: on the fig
    assert check_house_rules(tree, rule_ids=["FDE-ALT-002", "FDE-ALT-003"]) == []
    alt.text = "Use rose over the term"  # the caption's paragraph is not its whole text
    assert check_house_rules(tree, rule_ids=["FDE-ALT-003"]) == []
    alt.text = "Dashboard use by week. Use rose over the term."
    assert rule_ids(check_house_rules(tree)) == {"FDE-ALT-003"}


def test_figure_graphic_is_described_by_the_caption() -> None:
    tree = valid_tree()
    remove(tree, "//fig/graphic/alt-text")
    assert check_house_rules(tree, rule_ids=["FDE-ALT-001"]) == []


# --- official schema


@pytest.fixture(scope="module")
def compiled_schema(schema_dir: Path) -> Path:
    """Compile the JATS 1.3 XSD once for this module (about 3 s)."""
    check_article(valid_tree(), {"fde.schema_dir": str(schema_dir)})
    return schema_dir


def test_valid_article_passes_the_official_schema(compiled_schema: Path) -> None:
    report = check_article(valid_tree(), {"fde.schema_dir": str(compiled_schema)})
    assert report.valid
    assert report.findings == []
    assert report.official_validation_skipped is None


def test_schema_errors_are_findings_with_rule_id_xsd(compiled_schema: Path) -> None:
    tree = valid_tree()
    etree.SubElement(one(tree, "//sec[@id='s2']"), "not-jats").text = "x"
    report = check_article(tree, {"fde.schema_dir": str(compiled_schema)})
    assert not report.valid
    (finding,) = report.findings
    assert finding.rule_id == XSD_RULE_ID
    assert finding.severity == "error"
    assert "not-jats" in finding.message


def test_without_the_schema_directory_house_rules_still_run(tmp_path: Path) -> None:
    tree = valid_tree()
    remove(tree, "//fig/label")
    report = check_article(tree, {"fde.schema_dir": str(tmp_path / "missing")})
    assert rule_ids(report.findings) == {"FDE-FIG-001"}
    assert report.official_validation_skipped is not None
    assert "official JATS 1.3 validation skipped" in report.official_validation_skipped


def test_warnings_alone_leave_the_article_valid(tmp_path: Path) -> None:
    tree = valid_tree()
    _unstructured_reference(tree)
    report = check_article(tree, {"fde.schema_dir": str(tmp_path / "missing")})
    assert [f.severity for f in report.findings] == ["warning"]
    assert report.valid


# --- the catalogue people read


def test_catalogue_lists_every_rule_with_its_severity_and_message() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    rows = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| `(FDE-[A-Z]+-\d{3})` \| (error|warning) \| (.+?) \|", text, re.M)
    }
    assert set(rows) == {r.id for r in all_rules()}
    for house_rule in all_rules():
        assert rows[house_rule.id] == (house_rule.severity, house_rule.message)
