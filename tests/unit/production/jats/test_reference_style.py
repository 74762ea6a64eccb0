"""The PDF and the reader page print the same words for the same reference: one formatter
(:mod:`frontiers_de.production.jats.reference_style`) for both."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.html import render_article
from frontiers_de.production.jats.reference_style import styled_citation
from frontiers_de.production.typesetting.printhtml import build_print_html

ARTICLE = """<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article"
  dtd-version="1.3" xml:lang="en">
<front><article-meta><title-group><article-title>Refs</article-title></title-group>
</article-meta></front>
<body><p>See <xref ref-type="bibr" rid="r1">1</xref>, <xref ref-type="bibr" rid="r2">2</xref>
and <xref ref-type="bibr" rid="r1">1</xref>.</p></body>
<back><ref-list><title>References</title>
<ref id="r1"><label>1</label><citation-alternatives>
  <element-citation publication-type="journal">
    <person-group person-group-type="author"><name><surname>Nielsen</surname>
    <given-names>Alec A. K.</given-names></name><name><surname>Voigt</surname>
    <given-names>CA</given-names></name></person-group>
    <article-title>Deep learning to predict the lab-of-origin of engineered
    <italic>DNA</italic></article-title>
    <source>Nature Communications</source><year>2018</year><volume>9</volume>
    <elocation-id>3135</elocation-id>
    <pub-id pub-id-type="doi">10.1038/s41467-018-05378-z</pub-id>
    <pub-id pub-id-type="pmid">30087331</pub-id></element-citation>
  <mixed-citation>Nielsen AAK, Voigt CA. Deep learning to predict the lab-of-origin of
    engineered DNA. Nature Communications. 2018;9: 3135.</mixed-citation>
</citation-alternatives></ref>
<ref id="r2"><label>2</label><element-citation publication-type="book">
  <person-group person-group-type="author"><name><surname>Biesta</surname>
  <given-names>Gert</given-names></name></person-group>
  <chapter-title>What is education for?</chapter-title>
  <person-group person-group-type="editor"><name><surname>Smith</surname>
  <given-names>J</given-names></name><name><surname>Ng</surname><given-names>K</given-names></name>
  </person-group>
  <source>Good education in an age of measurement</source><year>2010</year>
  <publisher-loc>Boulder</publisher-loc><publisher-name>Paradigm</publisher-name>
  <fpage>11</fpage><lpage>26</lpage></element-citation></ref>
<ref id="r3"><label>3</label><citation-alternatives>
  <element-citation publication-type="preprint">
    <person-group person-group-type="author"><name><surname>Rudin</surname>
    <given-names>C</given-names></name></person-group>
    <article-title>Secrets of machine learning. Report No.: .01998</article-title>
    <source>arXiv</source><year>1906</year></element-citation>
  <mixed-citation>Rudin C. The Secrets of Machine Learning. arXiv; 2019.
    arXiv:1906.01998</mixed-citation>
</citation-alternatives></ref>
<ref id="r4"><label>4</label><element-citation publication-type="webpage">
  <collab>UNESCO</collab><article-title>Guidance for generative AI in education</article-title>
  <year>2023</year>
  <ext-link ext-link-type="uri"
    xlink:href="https://www.unesco.org/en/ai">https://www.unesco.org/en/ai</ext-link>
  <date-in-citation content-type="access-date"
    iso-8601-date="2024-05-03">3 May 2024</date-in-citation>
</element-citation></ref>
</ref-list></back></article>"""


def _words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def tree() -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(ARTICLE))


@pytest.fixture(scope="module")
def reader(tree: etree._ElementTree) -> dict[str, lxml_html.HtmlElement]:
    page = lxml_html.fromstring(etree.tostring(render_article(tree), method="html"))
    refs = {}
    for li in page.xpath("//li[@class='ref']"):
        for drop in li.xpath(".//span[@class='label' or @class='cited-from']"):
            drop.drop_tree()
        refs[li.get("id")] = li
    return refs


@pytest.fixture(scope="module")
def pdf(tree: etree._ElementTree) -> dict[str, lxml_html.HtmlElement]:
    printed = lxml_html.fromstring(build_print_html(tree, JournalProfile()).html)
    return {li.get("id"): li.find(".//span[@class='ref-text']") for li in printed.find_class("ref")}


@pytest.mark.parametrize(
    ("ref_id", "expected"),
    [
        (
            "r1",
            "Nielsen AAK, Voigt CA (2018). Deep learning to predict the lab-of-origin of "
            "engineered DNA. Nature Communications, 9, 3135. "
            "https://doi.org/10.1038/s41467-018-05378-z PMID: 30087331",
        ),
        (
            "r2",
            "Biesta G (2010). What is education for? In: Smith J, Ng K (eds). Good education "
            "in an age of measurement, 11–26. Boulder: Paradigm.",
        ),
        # the fields are implausible (year 1906 of an arXiv id): the author's text, as written
        ("r3", "Rudin C. The Secrets of Machine Learning. arXiv; 2019. arXiv:1906.01998"),
        (
            "r4",
            "UNESCO (2023). Guidance for generative AI in education. "
            "https://www.unesco.org/en/ai (accessed 3 May 2024)",
        ),
    ],
)
def test_pdf_and_reader_page_print_the_same_text(ref_id, expected, reader, pdf) -> None:
    assert _words(pdf[ref_id]) == expected
    assert _words(reader[ref_id]) == expected


def test_both_keep_the_links_and_the_markup(tree, reader, pdf) -> None:
    for rendering in (reader["r1"], pdf["r1"]):
        assert rendering.xpath(".//a[@class='doi']/@href") == [
            "https://doi.org/10.1038/s41467-018-05378-z"
        ]
        assert rendering.xpath(".//a[@class='pmid']/@href") == [
            "https://pubmed.ncbi.nlm.nih.gov/30087331/"
        ]
        assert [_words(i) for i in rendering.iter("i")] == ["DNA", "Nature Communications"]
    # rendered as a citation of the reference list (not as a document of its own)
    assert not reader["r1"].xpath(".//article")
    assert reader["r1"].xpath("./span[@class='citation mixed-citation']")
    # the reader page keeps a back-link per citation, named for it
    page = lxml_html.fromstring(etree.tostring(render_article(tree), method="html"))
    back = page.xpath("//li[@id='r1']//a[@class='back-link']/@aria-label")
    assert back == ["Back to citation 1 of reference 1", "Back to citation 2 of reference 1"]


def test_untrusted_fields_give_no_styled_rendering(tree) -> None:
    refs = {ref.get("id"): ref for ref in tree.iter("ref")}
    assert styled_citation(refs["r3"]) is None
    assert styled_citation(refs["r1"]) is not None
