"""One rule for an abstract's paragraphs, from JATS or from what an author typed."""

from __future__ import annotations

from lxml import etree

from frontiers_de.paragraphs import joined, paragraphs


def test_typed_paragraphs_split_on_blank_lines_whatever_the_line_ends() -> None:
    typed = "First line\r\nstill first.\r\n \r\nSecond.\r\n\r\n\r\nThird.\rThird too.\n\nFourth"
    assert paragraphs(typed) == [
        "First line still first.",
        "Second.",
        "Third. Third too.",
        "Fourth",
    ]
    assert paragraphs("") == [] and paragraphs("  \r\n\r\n ") == [] and paragraphs(None) == []


def test_jats_paragraphs_leave_out_the_abstract_title_and_comments() -> None:
    abstract = etree.fromstring(
        "<abstract><title>Abstract</title><p>We release the data.<!-- checked --></p>"
        "<?page-break?><p>We adapt <italic>the</italic> method.</p></abstract>"
    )
    assert paragraphs(abstract) == ["We release the data.", "We adapt the method."]
    assert joined(abstract) == "We release the data. We adapt the method."
    assert joined(abstract, "\n\n") == "We release the data.\n\nWe adapt the method."


def test_a_structured_abstract_keeps_its_section_titles_in_front() -> None:
    abstract = etree.fromstring(
        "<abstract><sec><title>Background</title><p>Why.</p><p>More why.</p></sec>"
        "<sec><title>Methods:</title><p>How.</p></sec></abstract>"
    )
    assert paragraphs(abstract) == ["Background: Why.", "More why.", "Methods: How."]


def test_an_abstract_without_paragraphs_is_one() -> None:
    abstract = etree.fromstring("<abstract><title>Resumen</title>Solo <b>texto</b>.</abstract>")
    assert paragraphs(abstract) == ["Solo texto."]
