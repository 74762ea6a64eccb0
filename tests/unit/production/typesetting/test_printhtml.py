"""JATS to print HTML: front matter, numbering, notes, links, math, figures, tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from frontiers_de.config import JournalProfile
from frontiers_de.production.typesetting.printhtml import build_print_html, cite_as, css_string
from frontiers_de.xml.safe import parse_xml

from .conftest import FIGURES_ALL_FORMATS, make_article


@pytest.fixture
def printed(article_bytes: bytes):
    return build_print_html(parse_xml(article_bytes), JournalProfile())


def _doc(printed) -> html.HtmlElement:
    return html.fromstring(printed.html)


def test_front_matter(printed) -> None:
    doc = _doc(printed)
    text = doc.text_content()
    assert doc.get("lang") == "en"
    assert doc.findtext(".//title") == "Adaptive feedback in massive online courses"
    assert [m.get("content") for m in doc.findall(".//meta[@name='author']")] == [
        "Adaeze Okonkwo",
        "Wei Zhang",
    ]
    assert "Frontiers of Digital Education" in doc.find_class("masthead")[0].text_content()
    assert "Volume 3, Issue 1 · 2026" in doc.find_class("masthead-issue")[0].text_content()
    assert doc.find_class("masthead-type")[0].text_content() == "Research Article"
    assert doc.find(".//h1").text_content() == "Adaptive feedback in massive online courses"
    assert doc.find(".//h1/i").text == "massive"
    zh = doc.find(".//p[@lang='zh']")
    assert zh is not None and zh.text == "大规模在线课程中的自适应反馈"
    assert doc.find(".//p[@lang='ar']").get("dir") == "rtl"
    orcid = doc.find(".//a[@class='orcid']")
    assert orcid.get("href") == "https://orcid.org/0000-0002-1825-0097"
    assert doc.find_class("aff-mark")[0].text_content() == "1,*"
    assert "a.okonkwo@example.org" in doc.find_class("corresponding")[0].text_content()
    dates = doc.find_class("dates")[0].text_content()
    assert "Received: 1 October 2025" in dates and "Accepted: 20 January 2026" in dates
    assert "Published: 12 March 2026" in dates
    assert doc.find(".//p[@class='doi']/a").get("href") == "https://doi.org/10.5555/fde.2026.0042"
    assert doc.find_class("licence-badge")[0].text_content() == "CC BY 4.0"
    assert "Cite as:" in text and "Okonkwo A, Zhang W (2026)." in text
    abstracts = doc.find_class("abstract")
    assert [a.get("lang") for a in abstracts] == ["en", "zh", "ar"]
    assert abstracts[0].find(".//img[@class='math inline']") is not None
    assert "Keywords: feedback; MOOC" in doc.find_class("keywords")[0].text_content()


def test_running_heads_are_css_strings(printed) -> None:
    assert '@top-left { content: "Adaptive feedback"; }' in printed.html
    assert '@top-right { content: "Okonkwo and Zhang"; }' in printed.html
    assert css_string('say "hi" \\ there') == '"say \\22 hi\\22  \\5c  there"'


def test_long_running_authors_are_cut_to_fit_their_box(article_bytes: bytes) -> None:
    long_names = article_bytes.replace(
        b"<surname>Okonkwo</surname>", b"<surname>Okonkwo-Abernathy-Castellanos</surname>"
    ).replace(b"<surname>Zhang</surname>", b"<surname>Vanderbilt-Montgomery</surname>")
    printed = build_print_html(parse_xml(long_names), JournalProfile())
    assert '@top-right { content: "Okonkwo-Abernathy-Castellanos…"; }' in printed.html


def test_sections_are_numbered_and_nested(printed) -> None:
    doc = _doc(printed)
    headings = [h.text_content() for h in doc.find(".//main").iter("h2", "h3")]
    assert headings == ["1. Introduction", "1.1. Background", "2. Results"]


def test_every_internal_link_lands_and_dangling_ones_become_text(printed) -> None:
    doc = _doc(printed)
    ids = {el.get("id") for el in doc.iter() if el.get("id")}
    links = [a.get("href")[1:] for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    assert {"r1", "f1", "t1", "e1"} <= set(links)
    assert all(link in ids for link in links)
    unlinked = doc.find_class("xref-unlinked")
    assert [u.text_content() for u in unlinked] == ["[99]"]


def test_cited_note_floats_to_the_page_foot(printed) -> None:
    doc = _doc(printed)
    notes = doc.find_class("footnote")
    assert len(notes) == 1 and notes[0].text_content().strip() == "A footnote about feedback."
    assert notes[0].get("id") == "fn1"


def test_formulas_become_images_with_alt_text(printed) -> None:
    doc = _doc(printed)
    display = doc.find(".//div[@class='disp-formula']")
    assert display.get("id") == "e1"
    img = display.find(".//img")
    assert img.get("src").startswith("data:image/svg+xml;base64,")
    assert img.get("alt")
    assert display.find_class("eq-label")[0].text == "(1)"
    # The display formula split its paragraph: no <div> inside a <p>.
    assert all(p.find(".//div") is None for p in doc.iter("p"))
    tex = [i for i in doc.find_class("inline") if i.get("alt") == r"\alpha_i"]
    assert tex and "vertical-align" in tex[0].get("style")
    assert printed.stats.formulas == 3 and printed.stats.formula_failures == 0


def test_missing_figure_is_a_visible_placeholder_and_a_warning(printed) -> None:
    doc = _doc(printed)
    fig = doc.get_element_by_id("f1")
    assert fig.find_class("missing-image")[0].text == "Image not available: nothere.png"
    assert fig.find(".//figcaption").text_content().startswith("Figure 1. A missing figure.")
    assert any("image not found: nothere.png" in w for w in printed.warnings)
    assert printed.stats.figures == ["Figure 1"]


def test_table_with_caption_head_and_foot(printed) -> None:
    doc = _doc(printed)
    wrap = doc.get_element_by_id("t1")
    assert wrap.find_class("table-caption")[0].text_content().startswith("Table 1. Scores.")
    assert [th.text for th in wrap.findall(".//thead/tr/th")] == ["Group", "Mean"]
    assert "Standard deviations omitted." in wrap.find_class("table-foot")[0].text_content()
    assert printed.stats.tables == ["Table 1"]


def test_wide_and_very_wide_tables() -> None:
    def table(columns: int) -> str:
        cells = "".join(f"<td>c{i}</td>" for i in range(columns))
        return (
            f'<table-wrap id="w{columns}"><label>Table {columns}</label>'
            f"<table><tbody><tr>{cells}</tr></tbody></table></table-wrap>"
        )

    printed = build_print_html(parse_xml(make_article(table(9) + table(16))), JournalProfile())
    doc = _doc(printed)
    assert doc.get_element_by_id("w9").get("class") == "table-wrap wide"
    assert doc.get_element_by_id("w16").get("class") == "table-wrap landscape"


def test_back_matter_and_references(printed) -> None:
    doc = _doc(printed)
    headings = [h.text_content() for h in doc.find(".//footer").iter("h2")]
    assert headings == [
        "Acknowledgements",
        "Funding",
        "Data availability",
        "Competing interests",
        "Author contributions",
        "References",
    ]
    back = doc.find(".//footer").text_content()
    assert "National Science Fund (NSF-123)" in back
    assert "Adaeze Okonkwo: Conceptualization" in back
    refs = doc.find_class("ref")
    assert refs[0].get("id") == "r1"
    first = refs[0].text_content()
    assert (
        "Hattie J, Timperley H (2007). The power of feedback. "
        "Review of Educational Research, 77(1), 81–112." in first
    )
    assert (
        refs[0].find(".//a[@class='doi']").get("href") == "https://doi.org/10.3102/003465430298487"
    )
    assert "Focus on formative feedback" in refs[1].text_content()


def test_real_figures_of_every_format(assets: Path) -> None:
    printed = build_print_html(
        parse_xml(make_article(FIGURES_ALL_FORMATS)), JournalProfile(), assets_dir=assets
    )
    doc = _doc(printed)
    sources = {
        fig.get("id"): fig.find(".//img").get("src")[:22]
        for fig in doc.iter("figure")
        if fig.find(".//img") is not None
    }
    assert sources == {
        "img-png": "data:image/png;base64,",
        "img-jpeg": "data:image/jpeg;base64",
        "img-tiff": "data:image/png;base64,",
        "img-svg": "data:image/svg+xml;bas",
        "img-huge": "data:image/png;base64,",
    }
    assert printed.stats.images_found == 5 and printed.stats.images_downsampled == 1
    assert all(
        fig.find(".//img").get("alt")
        for fig in doc.iter("figure")
        if fig.find(".//img") is not None
    )


def test_floats_group_items_move_after_their_first_citation() -> None:
    article = (
        make_article()
        .replace(
            b"</body>",
            b'</body><floats-group><fig id="late"><label>Figure 9</label>'
            b"<caption><title>Late.</title></caption></fig></floats-group>",
        )
        .replace(
            b"A link to nowhere",
            b'See <xref ref-type="fig" rid="late">Figure 9</xref>. A link to nowhere',
        )
    )
    doc = _doc(build_print_html(parse_xml(article), JournalProfile()))
    fig = doc.get_element_by_id("late")
    previous = fig.getprevious()
    assert previous.tag == "p" and "Figure 9" in previous.text_content()


def test_not_an_article_is_refused() -> None:
    with pytest.raises(ValueError, match="not a JATS article: the root element is <book>"):
        build_print_html(etree.fromstring(b"<book/>"), JournalProfile())


def test_cite_as_with_many_authors() -> None:
    from frontiers_de.production.jats.meta import read_article_meta

    meta = read_article_meta(parse_xml(make_article()))
    assert cite_as(meta, "Front. Digit. Educ.") == (
        "Okonkwo A, Zhang W (2026). Adaptive feedback in massive online courses. "
        "Front. Digit. Educ., 3(1), e42. https://doi.org/10.5555/fde.2026.0042"
    )


def test_cite_as_without_authors_starts_with_the_title() -> None:
    # An addendum or erratum often names no author: it is cited by its title, then its year,
    # never from a bare "(2026)."
    from frontiers_de.production.jats.meta import read_article_meta

    tree = parse_xml(make_article())
    for group in tree.getroot().iter("contrib-group"):
        group.getparent().remove(group)
    meta = read_article_meta(tree)
    assert cite_as(meta, "Front. Digit. Educ.") == (
        "Adaptive feedback in massive online courses. (2026). "
        "Front. Digit. Educ., 3(1), e42. https://doi.org/10.5555/fde.2026.0042"
    )


def test_footnote_content_has_no_source_line_breaks() -> None:
    # WeasyPrint keeps newlines inside footnotes as line breaks: they are folded.
    article = make_article().replace(
        b'<fn id="fn1"><p>A footnote about feedback.</p></fn>',
        b'<fn id="fn1"><p>\nA footnote\n<italic>about</italic>\n feedback.\n</p></fn>',
    )
    doc = _doc(build_print_html(parse_xml(article), JournalProfile()))
    note = doc.find_class("footnote")[0]
    assert "\n" not in html.tostring(note, encoding="unicode", with_tail=False)
    assert note.text_content().strip() == "A footnote about feedback."


def test_author_notes_feed_correspondence_and_competing_interests() -> None:
    from frontiers_de.production.jats.meta import read_article_meta

    article = (
        make_article()
        .replace(
            b"<pub-date",
            b'<author-notes><corresp id="c1"><label>*</label>Correspondence: '
            b"<email>desk@example.org</email></corresp>"
            b'<fn fn-type="coi-statement"><p>None declared.</p></fn>'
            b'<fn fn-type="other"><p>Equal contribution.</p></fn></author-notes><pub-date',
            1,
        )
        .replace(b'<fn fn-type="conflict" id="coi">', b'<fn fn-type="other" id="coi">')
    )
    meta = read_article_meta(parse_xml(article))
    assert meta.heading == "Research Article"
    assert meta.correspondence == ["Correspondence: desk@example.org"]
    assert meta.author_notes == [
        ("coi-statement", "None declared."),
        ("other", "Equal contribution."),
    ]
    doc = _doc(build_print_html(parse_xml(article), JournalProfile()))
    assert "desk@example.org" in doc.find_class("corresponding")[0].text_content()
    assert doc.find_class("author-note")[0].text_content() == "Equal contribution."
    statements = {s.find("h2").text: s.text_content() for s in doc.find_class("statement")}
    assert "None declared." in statements["Competing interests"]


# --- references: one rendering each, numbered once -------------------------------------

_FIELDS = (
    '<element-citation publication-type="journal"><person-group person-group-type="author">'
    "<name><surname>Nielsen</surname><given-names>AAK</given-names></name>"
    "<name><surname>Voigt</surname><given-names>CA</given-names></name></person-group>"
    "<article-title>Deep learning to predict the lab-of-origin of engineered DNA"
    "</article-title><source>Nature Communications</source><year>2018</year>"
    '<volume>9</volume><fpage>3135</fpage><pub-id pub-id-type="doi">10.1038/s41467-018-05378-z'
    "</pub-id></element-citation>"
)
_WRITTEN = (
    "<mixed-citation>Nielsen AAK, Voigt CA. Deep learning to predict the lab-of-origin of "
    "engineered DNA. Nature Communications. 2018;9: 3135. "
    'doi:<pub-id pub-id-type="doi">10.1038/s41467-018-05378-z</pub-id></mixed-citation>'
)
_ARXIV_FIELDS = (
    '<element-citation publication-type="preprint"><person-group person-group-type="author">'
    "<name><surname>Rudin</surname><given-names>C</given-names></name></person-group>"
    "<article-title>The Secrets of Machine Learning. arXiv. Report No.: .01998</article-title>"
    '<source>Available</source><year>1906</year><pub-id pub-id-type="arxiv">1906.01998</pub-id>'
    "</element-citation>"
)
_ARXIV_WRITTEN = (
    "<mixed-citation>Rudin C. The Secrets of Machine Learning. arXiv; 2019. "
    '<pub-id pub-id-type="arxiv">1906.01998</pub-id></mixed-citation>'
)


def _with_refs(refs: str) -> bytes:
    article = make_article().decode("utf-8")
    start = article.index("<ref-list>")
    end = article.index("</ref-list>") + len("</ref-list>")
    return (
        article[:start] + f"<ref-list><title>References</title>{refs}</ref-list>" + article[end:]
    ).encode()


def _printed_refs(refs: str) -> list[str]:
    doc = _doc(build_print_html(parse_xml(_with_refs(refs)), JournalProfile()))
    # the label is a box of its own beside the text: "4." then the reference
    return [
        " ".join(" ".join(span.text_content() for span in li.findall("span")).split())
        for li in doc.find_class("ref")
    ]


def test_citation_alternatives_print_once_in_the_journal_style() -> None:
    (text,) = _printed_refs(
        f'<ref id="ref-4"><label>4</label><citation-alternatives>{_FIELDS}{_WRITTEN}'
        "</citation-alternatives></ref>"
    )
    assert text == (
        "4. Nielsen AAK, Voigt CA (2018). Deep learning to predict the lab-of-origin of "
        "engineered DNA. Nature Communications, 9, 3135. "
        "https://doi.org/10.1038/s41467-018-05378-z"
    )


def test_fields_that_fail_the_house_rule_give_way_to_the_authors_text() -> None:
    (text,) = _printed_refs(
        f'<ref id="ref-10"><label>10</label><citation-alternatives>{_ARXIV_FIELDS}'
        f"{_ARXIV_WRITTEN}</citation-alternatives></ref>"
    )
    assert text == "10. Rudin C. The Secrets of Machine Learning. arXiv; 2019. 1906.01998"
    assert "1906)" not in text and "Available" not in text


def test_a_written_doi_is_a_link_and_not_printed_again() -> None:
    (text,) = _printed_refs(f'<ref id="r1"><label>1</label>{_WRITTEN}</ref>')
    assert text.count("10.1038/s41467-018-05378-z") == 1
    doc = _doc(
        build_print_html(parse_xml(_with_refs(f'<ref id="r1">{_WRITTEN}</ref>')), JournalProfile())
    )
    (link,) = doc.find_class("ref")[0].findall(".//a")
    assert link.get("href") == "https://doi.org/10.1038/s41467-018-05378-z"


def test_references_follow_their_numeric_labels() -> None:
    texts = _printed_refs(
        f'<ref id="a"><label>2</label>{_WRITTEN}</ref>'
        f'<ref id="b"><label>[1]</label>{_ARXIV_WRITTEN}</ref>'
    )
    assert [t.split()[0] for t in texts] == ["1.", "2."]
    assert texts[0].startswith("1. Rudin")


def test_cite_as_before_publication_has_the_year_and_one_full_stop() -> None:
    from frontiers_de.production.jats.meta import read_article_meta

    article = make_article()
    article = article[: article.index(b"<pub-date")] + article[article.index(b"</pub-date>") + 11 :]
    meta = read_article_meta(parse_xml(article))
    assert meta.publication_date is None
    line = cite_as(meta, "Front. Digit. Educ.")
    assert line.startswith(f"Okonkwo A, Zhang W ({meta.copyright_year}). Adaptive feedback")
    assert "Educ.." not in line and "Front. Digit. Educ., 3(1), e42." in line
    meta.volume = meta.issue = meta.elocation_id = ""
    meta.contributors[:] = meta.contributors[:1]
    meta.copyright_year = ""
    assert cite_as(meta, "Front. Digit. Educ.") == (
        "Okonkwo A. Adaptive feedback in massive online courses. Front. Digit. Educ. "
        "https://doi.org/10.5555/fde.2026.0042"
    )


def test_correspondence_word_is_printed_once_and_the_licence_text_stands_alone() -> None:
    article = make_article().replace(
        b"<pub-date",
        b'<author-notes><corresp id="c1">Correspondence: <email>desk@example.org</email>'
        b"</corresp></author-notes><pub-date",
        1,
    )
    doc = _doc(build_print_html(parse_xml(article), JournalProfile()))
    info = " ".join(doc.find_class("article-info")[0].text_content().split())
    assert info.count("Correspondence:") == 1
    assert "*Correspondence: desk@example.org" in info
    licence = " ".join(doc.find_class("licence")[0].text_content().split())
    assert "creativecommons.org" not in licence


def test_section_numbers_written_in_titles_are_printed_once() -> None:
    from frontiers_de.production.jats.normalise import normalise

    article = (
        make_article()
        .replace(b"<title>Introduction</title>", b"<title>1. Introduction</title>")
        .replace(b"<title>Background</title>", b"<title>1.1. Background</title>")
        .replace(b"<title>Results</title>", b"<title>2. Results</title>")
    )
    wanted = ["1. Introduction", "1.1. Background", "2. Results"]
    # as written (JATS that was not normalised) and with the numbers moved into labels
    for tree in (parse_xml(article), normalise(parse_xml(article), check=False).tree):
        doc = _doc(build_print_html(tree, JournalProfile()))
        headings = [h.text_content() for h in doc.find(".//main").iter("h2", "h3")]
        assert headings == wanted


def test_languages_headers_and_captions_are_marked_for_the_tagged_pdf() -> None:
    from .test_tagging import chinese_english_article

    doc = html.fromstring(
        build_print_html(parse_xml(chinese_english_article()), JournalProfile()).html
    )
    # The Chinese name and affiliation keep their language; the headings and labels we
    # write are English.
    assert doc.find(".//span[@class='native-name']/span").get("lang") == "zh"
    affiliations = doc.find(".//ol[@class='affiliations']")
    assert [li.find("span") is not None for li in affiliations] == [False, True]
    assert affiliations[1].find("span").get("lang") == "zh"
    assert affiliations[1].text_content().strip() == "2 华东师范大学，上海，中国"
    headings = {
        h.getparent().get("lang"): (h.get("lang"), h.get("dir"))
        for h in doc.find_class("abstract-title")
    }
    assert headings == {"en": (None, None), "zh": ("en", None), "ar": ("en", "ltr")}
    zh_keywords = doc.find(".//p[@class='keywords'][@lang='zh']")
    assert zh_keywords.find("span").get("lang") == "en"
    assert doc.find_class("masthead")[0].get("lang") is None  # English in an English page
    # The caption inside its table; each header cell says what it heads.
    table = doc.get_element_by_id("t2").find("table")
    assert table[0].tag == "caption" and table[0].text_content().startswith("Table 2.")
    assert [th.get("scope") for th in table.iter("th")] == ["col", "col", "col", "row", "row"]
    # The production editor's alt text for a formula wins over the one made from MathML.
    formula = doc.get_element_by_id("e2").find(".//img")
    assert formula.get("alt") == "mean score equals the sum of scores over n"


def test_a_chinese_article_marks_the_english_labels() -> None:
    article = make_article().replace(b'xml:lang="en">\n<front>', b'xml:lang="zh">\n<front>')
    doc = html.fromstring(build_print_html(parse_xml(article), JournalProfile()).html)
    assert doc.get("lang") == "zh"
    assert doc.find_class("masthead")[0].get("lang") == "en"
    # Each label English by its own lang or its line's (the dates, the English keywords).
    for span in doc.find_class("info-label"):
        marked = next(e.get("lang") for e in (span, *span.iterancestors()) if e.get("lang"))
        assert marked == "en", span.text
    assert doc.find_class("dates")[0].get("lang") == "en"
