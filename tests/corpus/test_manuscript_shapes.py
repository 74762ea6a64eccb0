"""Manuscripts shaped like the real ones that failed (issue 10, part 6), built in code
(tests/docx_builder.py): each converts to valid JATS 1.3 with its reference list found,
its citations linked, and nothing of its text lost.

- a case report whose "References" heading is a bold plain paragraph, 14 typed-number
  entries (one styled as a heading) and figure legends after them;
- a Chinese paper as WPS Office writes it (unstyled title and abstract, OMML equations, a
  table with merged cells, Word-numbered GB/T 7714 references cited through REF fields,
  one of them inside a hyperlink to the same bookmark);
- an English paper with its authors, affiliation markers and email as plain paragraphs
  before the first heading.
"""

from __future__ import annotations

import pytest

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.convert import convert
from tests.docx_builder import (
    CASE_REPORT_REFERENCES,
    GBT_REFERENCES,
    case_report,
    pandoc_english_paper,
    wps_chinese_paper,
)

PROFILE = JournalProfile(issn_online="2345-6786")


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _bibr(root) -> list[tuple[str, str]]:
    return [(x.get("rid"), _text(x)) for x in root.iter("xref") if x.get("ref-type") == "bibr"]


@pytest.fixture(scope="module")
def case():
    return convert(case_report(), filename="case-report.docx", profile=PROFILE)


@pytest.fixture(scope="module")
def wps():
    return convert(wps_chinese_paper(), filename="wps-paper.docx", profile=PROFILE)


@pytest.fixture(scope="module")
def english():
    return convert(pandoc_english_paper(), filename="english.docx", profile=PROFILE)


def test_case_report_references_found_though_word_did_not_mark_them(case):
    assert case.report.valid, case.report.schema_errors
    root = case.tree.getroot()
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == 14
    assert [r.findtext("label") for r in refs] == [str(n) for n in range(1, 15)]
    # The entry styled as a heading is a reference, not a section.
    assert "Exertional heat illness" in _text(refs[4])
    assert not [s for s in root.iter("sec") if "Tanaka" in (s.findtext("title") or "")]
    body = _text(root.find("body"))
    assert "References" not in body
    for entry in CASE_REPORT_REFERENCES:
        assert entry.split(".")[0] not in body
    assert any("14 entries under 'References'" in c for c in case.report.changes)


def test_case_report_legends_after_the_references_stay_in_the_body(case):
    body = [_text(p) for p in case.tree.getroot().find("body").iter("p")]
    assert "Figure 1. Urine sample on admission." in body
    assert "Figure 2. Creatine kinase over the first week." in body


def test_case_report_citations_are_linked(case):
    root = case.tree.getroot()
    links = _bibr(root)
    assert ("ref-1", "1") in links
    assert ("ref-2 ref-3 ref-4", "2-4") in links
    assert ("ref-5", "5") in links and ("ref-6", "6") in links  # superscript 5,6
    assert ("ref-13", "13") in links and ("ref-14", "14") in links
    cited = {rid for value, _ in links for rid in value.split()}
    assert cited == {f"ref-{n}" for n in range(1, 15)}
    # 10<sup>5</sup> U/L is a power of ten, not reference 5.
    powers = [s for s in root.iter("sup") if s.text == "5" and s.find("xref") is None]
    assert powers


def test_wps_paper_is_valid_and_its_word_numbered_references_are_linked(wps):
    report = wps.report
    assert report.valid, report.schema_errors
    root = wps.tree.getroot()
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == len(GBT_REFERENCES)
    assert [r.findtext("label") for r in refs] == [str(n) for n in range(1, 7)]
    assert refs[0].find(".//element-citation").get("publication-type") == "journal"
    assert refs[1].find(".//element-citation").get("publication-type") == "book"
    links = _bibr(root)
    # Every REF field points at the reference made from the entry its bookmark was in,
    # and shows the author's own number.
    assert sorted(links) == [(f"ref-{n}", f"[{n}]") for n in range(1, 7)]
    assert report.counts["citations"] == 6  # counted after the repair
    assert "参考文献" not in _text(root.find("body"))


def test_wps_paper_keeps_equations_and_merged_cells(wps):
    root = wps.tree.getroot()
    counts = wps.report.counts
    assert counts["inline_formulas"] == 2 and counts["display_formulas"] == 1
    assert counts["mathml"] == 3
    cells = root.findall(".//table//td")
    assert any(c.get("rowspan") == "2" for c in cells)
    assert any(c.get("colspan") == "2" for c in cells)
    # "表1 各组成绩": a Chinese caption, its number parted from its title by a space.
    table = root.find(".//table-wrap")
    assert table.findtext("label") == "表1"
    assert _text(table.find("caption")) == "各组成绩"


def test_a_link_inside_a_link_loses_its_tag_not_its_text_and_the_report_says_so(wps):
    root = wps.tree.getroot()
    assert not root.xpath("//xref//xref")
    assert "国外研究也有类似结论[4]" in _text(root.find("body"))
    lines = [w for w in wps.report.warnings if w.startswith("could not place <xref>")]
    assert lines and "'[4]' kept" in lines[0]


def test_english_paper_affiliation_markers_are_not_citations(english):
    report = english.report
    assert report.valid, report.schema_errors
    root = english.tree.getroot()
    first = root.find("body/p")
    assert _text(first) == "Ana Silva1, Wei Chen2, Maria Rossi1,2"
    front_lines = root.findall("body/p")[:4]
    assert not [x for p in front_lines for x in p.iter("xref")]
    assert front_lines[3].findtext("email") == "ana.silva@example.org"
    links = _bibr(root)
    assert ("ref-2", "Smith & Doe, 2020") in links
    assert ("ref-1", "Lee, 2019") in links
    assert len(root.findall("back/ref-list/ref")) == 2


def test_a_wps_paper_of_real_size_converts_whole():
    result = convert(wps_chinese_paper(tables=17), filename="wps-17.docx", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    counts = result.report.counts
    assert counts["tables"] == 17
    assert counts["inline_formulas"] + counts["display_formulas"] == 51
    assert counts["references"] == 6 and counts["citations"] == 6
    labels = [t.findtext("label") for t in result.tree.getroot().iter("table-wrap")]
    assert labels == [f"表{n}" for n in range(1, 18)]
