"""The reference section is found by what it holds, whatever the manuscript's styles say
(convert.reference_section._take_reference_section on pandoc-shaped JATS bodies)."""

from __future__ import annotations

import pytest
from lxml import etree

from frontiers_de.production.jats.convert import REFERENCE_HEADING, ConversionReport
from frontiers_de.production.jats.convert.reference_section import _take_reference_section

ENTRY_1 = "Smith J, Doe A. Feedback in online courses. Comput Educ. 2020;150:103832."
ENTRY_2 = "Lee K. Hints and learning. J Educ Psychol. 2019;111(3):401-415."
ENTRY_3 = "Wang L, Chen M. Mathematics online. Front Digit Educ. 2024;1:e1."


def take(body_xml: str) -> tuple[list[str], etree._Element, ConversionReport]:
    body = etree.fromstring(f"<body>{body_xml}</body>")
    report = ConversionReport(source="m.docx", source_format="docx")
    strings, _ = _take_reference_section(body, report)
    return strings, body, report


def texts(body: etree._Element) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in body.iter("p", "title")]


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "REFERENCES:",
        "7. References",
        "Bibliography",
        "Literature cited",
        "参考文献",
        "参考文献：",
        "七、参考文献",
        "Références",
        "Referencias",
        "Литература",
        "المراجع",
    ],
)
def test_reference_headings_in_the_languages_we_receive(heading):
    assert REFERENCE_HEADING.match(heading)


@pytest.mark.parametrize(
    "line",
    ["References were checked by two authors.", "Reference values", "Referee", "Literature"],
)
def test_sentences_about_references_are_not_headings(line):
    assert not REFERENCE_HEADING.match(line)


def test_a_titled_references_section_gives_all_its_entries():
    strings, body, report = take(
        f"<sec><title>Intro</title><p>Text.</p></sec>"
        f"<sec><title>References</title><p>{ENTRY_1}</p><p>{ENTRY_2}</p></sec>"
    )
    assert strings == [ENTRY_1, ENTRY_2]
    assert texts(body) == ["Intro", "Text."]
    assert report.changes == ["2 entries under 'References' moved to the reference list"]


def test_a_bold_paragraph_heading_and_typed_numbers_inside_another_section():
    strings, body, _ = take(
        "<sec><title>Discussion</title><p>We agree [1].</p>"
        "<p><bold>References</bold></p>"
        f"<p>1. {ENTRY_1}</p><p>[2] {ENTRY_2}</p><p>3) {ENTRY_3}</p>"
        "<p><bold>Figure 1.</bold> A legend.</p><p>Appendix A. More data.</p></sec>"
    )
    assert strings == [f"1. {ENTRY_1}", f"[2] {ENTRY_2}", f"3) {ENTRY_3}"]
    assert texts(body) == [
        "Discussion",
        "We agree [1].",
        "Figure 1. A legend.",
        "Appendix A. More data.",
    ]


def test_an_entry_styled_as_a_heading_is_an_entry_and_its_section_dissolves():
    # pandoc makes a section of the heading-styled entry 2; entry 3 and the legend after it
    # are that section's content.
    strings, body, report = take(
        "<sec><title>Discussion</title><p>Text [1].</p><p>References</p>"
        f"<p>1. {ENTRY_1}</p></sec>"
        f"<sec><title>2. {ENTRY_2}</title><p>3. {ENTRY_3}</p><p>Figure 1. Legend.</p></sec>"
    )
    assert strings == [f"1. {ENTRY_1}", f"2. {ENTRY_2}", f"3. {ENTRY_3}"]
    assert [c.tag for c in body] == ["sec", "p"]
    assert texts(body) == ["Discussion", "Text [1].", "Figure 1. Legend."]
    assert "(1 of them styled as headings)" in report.changes[0]


def test_author_year_entries_after_a_plain_heading():
    apa = [
        "Lee, K. (2019). Hints and learning. Journal of Educational Psychology, 111(3).",
        "van Dijk, J. (2020). The digital divide. Polity.",
    ]
    strings, body, _ = take(
        f"<p>Intro text.</p><p>Bibliography</p><p>{apa[0]}</p><p>{apa[1]}</p>"
        "<p>Supplementary material is online.</p>"
    )
    assert strings == apa
    assert texts(body) == ["Intro text.", "Supplementary material is online."]


def test_word_numbered_items_are_entries_and_get_their_number():
    strings, body, _ = take(
        "<sec><title>结论</title><p>有效<sup>[1]</sup>。</p><p><bold>参考文献：</bold></p>"
        '<list list-type="order"><list-item><p><named-content id="_Ref1" content-type="anchor"/>'
        "王明, 李华. 自适应反馈研究[J]. 中国电化教育, 2020, 41(3): 45-52.</p></list-item>"
        "<list-item><p>张伟. 教育数据挖掘导论[M]. 北京: 高等教育出版社, 2018.</p></list-item>"
        "</list></sec>"
    )
    assert strings[0].startswith("1. 王明") and strings[1].startswith("2. 张伟")
    assert body.find(".//list") is None


def test_numbering_that_starts_again_ends_the_references():
    strings, body, _ = take(
        f"<p>References</p><p>1. {ENTRY_1}</p><p>2. {ENTRY_2}</p>"
        "<p>1. Participants in 2019 were asked to rate each hint.</p>"
    )
    assert len(strings) == 2
    assert texts(body) == ["1. Participants in 2019 were asked to rate each hint."]


def test_a_heading_without_entries_is_left_alone():
    strings, body, report = take("<p>References</p><p>Are listed in the appendix.</p>")
    assert strings == []
    assert texts(body) == ["References", "Are listed in the appendix."]
    assert report.changes == []


def test_a_table_or_figure_ends_the_references():
    strings, body, _ = take(
        f"<p>References</p><p>1. {ENTRY_1}</p><table-wrap><table><tbody><tr><td>x</td></tr>"
        "</tbody></table></table-wrap>"
        f"<p>2. {ENTRY_2}</p>"
    )
    assert strings == [f"1. {ENTRY_1}"]
    assert body.find("table-wrap") is not None
