"""JATS to reader HTML: structure, accessibility, links, MathML and safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.production.jats import html as jats_html
from frontiers_de.production.jats.html import (
    NotAnArticle,
    article_document,
    article_fragment,
    render_article,
)
from frontiers_de.xml.safe import parse_xml

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "jats"
MATHML = "http://www.w3.org/1998/Math/MathML"


@pytest.fixture(scope="module")
def page() -> lxml_html.HtmlElement:
    """The valid sample article rendered and parsed back as a browser would read it."""
    fragment = article_fragment(parse_xml(FIXTURES / "article-valid.xml"))
    return lxml_html.fragment_fromstring(fragment)


def texts(elements: list) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def jats(body: str, front: str = "", back: str = "", extra: str = "") -> etree._ElementTree:
    document = (
        '<article xmlns:mml="http://www.w3.org/1998/Math/MathML" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" xml:lang="en">'
        f"<front><article-meta><title-group><article-title>T</article-title></title-group>"
        f"{front}</article-meta></front><body>{body}</body><back>{back}</back>{extra}</article>"
    )
    return parse_xml(document.encode())


def test_fragment_is_one_article_in_the_article_language(page: lxml_html.HtmlElement) -> None:
    assert page.tag == "article"
    assert page.get("lang") == "en"
    assert page.get("class") == "jats-article"


def test_title_keeps_inline_markup_and_translated_titles(page: lxml_html.HtmlElement) -> None:
    (title,) = page.xpath("//header/h1")
    assert title.xpath("i/text()") == ["x"] and title.xpath("sup/text()") == ["2"]
    (trans,) = page.xpath("//p[@class='trans-title']")
    # with a visible tag naming its language, in that language
    assert trans.get("lang") == "zh" and trans.text_content() == "中文 农村学校的学习分析"
    (tag,) = trans.xpath("span[@class='lang-label']")
    assert tag.get("lang") == "zh" and tag.text == "中文"


def test_authors_with_orcid_links_native_names_and_affiliations(
    page: lxml_html.HtmlElement,
) -> None:
    authors = page.xpath("//ul[@class='authors']/li")
    assert len(authors) == 2
    first = authors[0]
    assert first.xpath(".//span[@class='contrib-name']")[0].text_content().startswith("Li Wang")
    (native,) = first.xpath(".//span[@class='name-alternative']")
    assert native.get("lang") == "zh" and native.text_content() == "(王丽)"
    (orcid,) = first.xpath(".//a[@class='orcid']")
    assert orcid.get("href") == "https://orcid.org/0000-0002-1825-0097"
    assert orcid.get("aria-label") == "ORCID iD of Li Wang"
    assert first.xpath(".//span[@class='corresp']")
    assert first.xpath(".//a[@class='email']/@href") == ["mailto:li.wang@example.edu"]
    assert [a.get("href") for a in page.xpath("//sup[@class='contrib-marks']/a")] == [
        "#aff1",
        "#aff2",
    ]
    affiliations = page.xpath("//ul[@class='affiliations']/li")
    assert [a.get("id") for a in affiliations] == ["aff1", "aff2"]
    assert "Harvard University" in affiliations[0].text_content()
    assert affiliations[0].xpath(".//a[@class='ror']/@href") == ["https://ror.org/03vek6s52"]


def test_article_information(page: lxml_html.HtmlElement) -> None:
    info = page.xpath("//dl[@class='article-info']")[0]
    assert info.xpath(".//a[@class='doi']/@href") == ["https://doi.org/10.5555/fde.2026.0001"]
    assert info.xpath(".//time/@datetime") == ["2025-11-02", "2026-02-20", "2026-03-15"]
    assert "Creative Commons Attribution 4.0" in info.text_content()
    assert "National Natural Science Foundation of China (62077001)" in info.text_content()


def test_abstracts_in_every_language_and_keywords(page: lxml_html.HtmlElement) -> None:
    abstracts = page.xpath("//section[contains(@class, 'abstract')]")
    assert [a.get("lang") for a in abstracts] == [None, "zh"]
    # each marked with its language, since there are two
    assert texts([a.xpath("h2")[0] for a in abstracts]) == ["Abstract English", "摘要 中文"]
    tags = [a.xpath("h2/span[@class='lang-label']")[0] for a in abstracts]
    assert [(t.get("lang"), t.text) for t in tags] == [("en", "English"), ("zh", "中文")]
    keywords = page.xpath("//section[@class='keywords']")
    assert [k.get("lang") for k in keywords] == ["en", "zh"]
    assert texts(keywords[0].xpath(".//li")) == ["learning analytics", "rural education"]
    assert texts(keywords[1].xpath("h2")) == ["关键词"]


def test_byline_shows_only_the_corresponding_authors_email() -> None:
    source = (FIXTURES / "article-valid.xml").read_bytes()
    source = source.replace(
        b"<name><surname>Okafor</surname><given-names>Ada</given-names></name>",
        b"<name><surname>Okafor</surname><given-names>Ada</given-names></name>"
        b"<email>ada@example.edu</email>",
    )
    page = lxml_html.fragment_fromstring(article_fragment(parse_xml(source)))
    assert page.xpath("//ul[@class='authors']//a[@class='email']/@href") == [
        "mailto:li.wang@example.edu"
    ]
    assert b"ada@example.edu" not in etree.tostring(page)


def test_orcid_link_is_the_id_icon_named_by_its_label(page: lxml_html.HtmlElement) -> None:
    (orcid,) = page.xpath("//a[@class='orcid']")
    # no visible text: the accessible name is the label alone, the icon is hidden from it
    assert orcid.text_content().strip() == ""
    assert orcid.get("title") == orcid.get("aria-label") == "ORCID iD of Li Wang"
    (icon,) = orcid.xpath("svg")
    assert icon.get("aria-hidden") == "true"


def test_figure_offers_its_image_at_full_size_and_as_a_download(
    page: lxml_html.HtmlElement,
) -> None:
    (actions,) = page.xpath("//figure[@id='f1']/p[@class='figure-actions']")
    full, download = actions.xpath("a")
    assert full.get("href") == download.get("href") == "fig1.png"
    assert full.text_content() == "View full size Figure 1"
    assert download.get("download") == "" and download.text_content() == "Download Figure 1"
    assert (full.get("data-l10n"), download.get("data-l10n")) == ("full-size", "download")


def test_every_part_has_an_id_for_the_contents(page: lxml_html.HtmlElement) -> None:
    parts = page.xpath(
        "//section[contains(@class, 'abstract') or @class='ack' or @class='ref-list']"
    )
    assert [p.get("id") for p in parts] == ["part-1", "part-2", "part-6", "part-7"]


def test_sections_nest_with_headings_by_depth(page: lxml_html.HtmlElement) -> None:
    body = page.xpath("//div[@class='article-body']")[0]
    top = body.xpath("section[@class='sec']")
    assert [s.get("id") for s in top] == ["s1", "s2"]
    assert texts([s.xpath("h2")[0] for s in top]) == ["Introduction", "Results"]
    (nested,) = top[0].xpath("section[@class='sec']")
    assert nested.get("id") == "s1-1" and texts(nested.xpath("h3")) == ["Background"]
    assert texts(page.xpath("//section[@class='ack']/h2")) == ["Acknowledgements"]
    assert texts(page.xpath("//section[@class='ref-list']/h2")) == ["References"]


def test_figure_with_alt_text_and_caption(page: lxml_html.HtmlElement) -> None:
    (figure,) = page.xpath("//figure[@class='fig']")
    assert figure.get("id") == "f1"
    (image,) = figure.xpath("img")
    assert image.get("src") == "fig1.png"
    assert image.get("alt") == "Line chart of weekly dashboard use"
    caption = figure.xpath("figcaption")[0].text_content()
    assert caption.startswith("Figure 1 Dashboard use by week.")


def test_table_with_caption_and_header_scope(page: lxml_html.HtmlElement) -> None:
    (wrap,) = page.xpath("//div[@class='table-wrap']")
    assert wrap.get("id") == "t1"
    (table,) = wrap.xpath(".//table")
    assert " ".join(table.xpath("caption")[0].text_content().split()) == (
        "Table 1 Schools in the study."
    )
    assert table.xpath(".//thead/tr/th/@scope") == ["col", "col"]
    assert table.xpath(".//td/@colspan") == ["2"]
    assert wrap.xpath(".//div[@class='fn']/@id") == ["tfn1"]


def test_mathml_is_in_the_mathml_namespace() -> None:
    article = render_article(parse_xml(FIXTURES / "article-valid.xml"))
    maths = article.findall(f".//{{{MATHML}}}math")
    # the abstract's MathML, the body's TeX made MathML, the display formula
    assert [m.get("display") for m in maths] == ["inline", "inline", "block"]
    assert maths[2].find(f"{{{MATHML}}}msup") is not None
    serialised = etree.tostring(maths[2], method="html", encoding="unicode")
    assert serialised.startswith(f'<math xmlns="{MATHML}" display="block">')


def test_tex_without_mathml_becomes_mathml_with_the_tex_as_alttext() -> None:
    article = render_article(parse_xml(FIXTURES / "article-valid.xml"))
    (from_tex,) = article.xpath(
        "//*[@class='inline-formula'][.//*[local-name()='math'][@class='from-tex']]"
    )
    math = from_tex[0]
    assert etree.QName(math).namespace == MATHML
    assert math.get("alttext") == r"\alpha + \beta"
    assert [etree.QName(e).localname for e in math.iter()] == ["math", "mrow", "mi", "mo", "mi"]
    (formula,) = article.xpath("//div[@class='disp-formula']")
    assert formula.get("id") == "e1" and formula.xpath("span[@class='label']/text()") == ["(1)"]


@pytest.mark.parametrize(
    ("tex", "alttext"),
    [
        (r"\documentclass{minimal}\begin{document}$$x^{2}$$\end{document}", "x^{2}"),
        (r"\[ x^{2} \]", "x^{2}"),
        (r"$x^{2}$", "x^{2}"),
    ],
)
def test_tex_wrappers_are_removed_before_conversion(tex: str, alttext: str) -> None:
    tree = jats(f"<disp-formula><tex-math>{tex}</tex-math></disp-formula>")
    (math,) = render_article(tree).iter(f"{{{MATHML}}}math")
    assert math.get("alttext") == alttext and math.get("display") == "block"
    assert math.find(f".//{{{MATHML}}}msup") is not None


def test_tex_that_cannot_be_read_is_shown_as_written() -> None:
    tree = jats(r"<p><inline-formula><tex-math>\frac{a}{</tex-math></inline-formula></p>")
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    assert page.xpath("//code[@class='tex-math']/text()") == [r"\frac{a}{"]
    assert not page.xpath("//math")


def test_references_with_doi_links_and_back_links(page: lxml_html.HtmlElement) -> None:
    refs = page.xpath("//ol[@class='references']/li[@class='ref']")
    assert [r.get("id") for r in refs] == ["r1", "r2"]
    assert refs[0].xpath(".//a[@class='doi']/@href") == [
        "https://doi.org/10.1016/j.compedu.2020.103838"
    ]
    assert "Smith J (2020). Dashboards in class." in " ".join(refs[0].text_content().split())
    back = refs[0].xpath(".//a[@class='back-link']")
    assert len(back) == 2  # r1 is cited twice
    ids = set(page.xpath("//@id"))
    for link in back:
        target = link.get("href")[1:]
        assert target in ids
        (citation,) = page.xpath(f"//a[@id='{target}']")
        assert citation.get("href") == "#r1"


def test_footnotes_link_both_ways(page: lxml_html.HtmlElement) -> None:
    (marker,) = page.xpath("//sup[@class='fn-ref']/a")
    assert marker.get("href") == "#fn1" and marker.text_content() == "1"
    (note,) = page.xpath("//section[@class='footnotes']//li[@id='fn1']")
    assert "Data were collected in 2024." in note.text_content()
    assert note.xpath("a[@class='back-link']/@href") == [f"#{marker.get('id')}"]


def test_every_internal_link_resolves_and_ids_are_unique(page: lxml_html.HtmlElement) -> None:
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for href in page.xpath("//a/@href[starts-with(., '#')]"):
        assert href[1:] in ids, href


def test_every_image_has_alt_text_and_never_the_caption() -> None:
    tree = jats(
        '<sec><title>S</title><fig id="f"><graphic xlink:href="a.png"/></fig>'
        '<p><inline-graphic xlink:href="b.png"/></p>'
        '<fig id="g"><caption><title>Caption title</title></caption>'
        '<graphic xlink:href="c.png"/></fig>'
        '<fig id="h"><label>Figure 3</label><caption><title>Scores</title></caption>'
        '<graphic xlink:href="d.png"><alt-text>Bars: 3, 5, 8</alt-text></graphic></fig>'
        '<table-wrap id="t"><label>Table 1</label><caption><p>Counts</p></caption>'
        '<graphic xlink:href="e.png"/></table-wrap></sec>'
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    # Without alt text an image beside a caption or label gets alt="" (its figcaption
    # names it, once); an image with nothing to name it says it is an image.
    assert page.xpath("//img/@alt") == ["Image", "Image", "", "Bars: 3, 5, 8", ""]


def test_a_long_description_is_shown_under_the_image_and_describes_it() -> None:
    tree = jats(
        '<sec><title>S</title><fig id="f"><label>Figure 1</label>'
        "<caption><title>All ten tips</title></caption>"
        '<graphic xlink:href="a.png"><alt-text>Infographic of ten tips</alt-text>'
        "<long-desc>1. Plan.\n2. <italic>Test</italic> &lt;early&gt;.</long-desc></graphic>"
        '</fig><fig id="g"><long-desc xml:lang="zh">图中有三个步骤</long-desc>'
        '<graphic xlink:href="b.png"/></fig></sec>'
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree, id_prefix="a-"))
    first, second = page.xpath("//img")
    described = page.get_element_by_id(first.get("aria-describedby"))
    assert described.text_content() == "1. Plan.2. Test <early>."
    assert described.xpath("br") and described.xpath("i | em")
    summary = described.getparent().find("summary")
    assert summary.get("data-l10n") == "image-description"
    assert first.get("aria-describedby").startswith("a-")
    # the figure's own long-desc (JATS from elsewhere) describes its image too, in its language
    other = page.get_element_by_id(second.get("aria-describedby"))
    assert other.text_content() == "图中有三个步骤" and other.get("lang") == "zh"
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_headings_follow_depth_and_stop_at_h6() -> None:
    nested = "".join(f"<sec><title>L{n}</title>" for n in range(2, 9)) + "</sec>" * 7
    page = lxml_html.fragment_fromstring(article_fragment(jats(nested)))
    levels = [h.tag for h in page.xpath("//section/*[1]")]
    assert levels == ["h2", "h3", "h4", "h5", "h6", "h6", "h6"]


def test_sub_articles_are_nested_articles_one_level_down() -> None:
    sub = (
        '<sub-article id="sa1" article-type="reply" xml:lang="pt"><front-stub>'
        "<title-group><article-title>Resposta</article-title></title-group></front-stub>"
        "<body><sec><title>Parte</title><p>x</p></sec></body></sub-article>"
    )
    page = lxml_html.fragment_fromstring(article_fragment(jats("<p>main</p>", extra=sub)))
    (inner,) = page.xpath("article[@class='sub-article']")
    assert inner.get("id") == "sa1" and inner.get("lang") == "pt"
    assert texts(inner.xpath(".//h2")) == ["Resposta"]
    assert texts(inner.xpath(".//section/h3")) == ["Parte"]


def test_lists_quotes_and_inline_styles() -> None:
    tree = jats(
        "<p><bold>b</bold><italic>i</italic><sc>s</sc><monospace>m</monospace>"
        '<sub>2</sub><break/>H</p><list list-type="order"><list-item><p>one</p></list-item>'
        '</list><list list-type="alpha-lower"><list-item><p>a</p></list-item></list>'
        "<disp-quote><p>q</p><attrib>who</attrib></disp-quote>"
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    assert page.xpath("//p/b/text()") == ["b"] and page.xpath("//p/i/text()") == ["i"]
    assert page.xpath("//span[@class='small-caps']/text()") == ["s"]
    assert page.xpath("//p/br") and page.xpath("//p/code/text()") == ["m"]
    assert page.xpath("//ol[not(@type)]/li/p/text()") == ["one"]
    assert page.xpath("//ol[@type='a']/li/p/text()") == ["a"]
    assert page.xpath("//blockquote/footer[@class='attrib']/text()") == ["who"]


def test_header_row_cells_become_header_cells() -> None:
    table = (
        '<table-wrap id="t"><label>Table 1</label><caption><p>c</p></caption><table>'
        "<thead><tr><td>Group</td><td>n</td></tr></thead>"
        '<tbody><tr><th scope="row">A</th><td>1</td></tr></tbody></table></table-wrap>'
    )
    page = lxml_html.fragment_fromstring(article_fragment(jats(table)))
    assert [(c.tag, c.get("scope")) for c in page.xpath("//tr/*")] == [
        ("th", "col"),
        ("th", "col"),
        ("th", "row"),
        ("td", None),
    ]


def test_article_without_metadata_has_no_empty_information_list() -> None:
    page = lxml_html.fragment_fromstring(article_fragment(jats("<p>x</p>")))
    assert page.xpath("//header/h1/text()") == ["T"]
    assert not page.xpath("//dl")


def test_names_in_mixed_citations_are_spaced() -> None:
    ref = (
        '<ref-list><ref id="r"><mixed-citation><name><surname>Lopez</surname>'
        "<given-names>A</given-names></name>, <string-name>C Murray</string-name> (<year>1998"
        "</year>) <source>Nat Med</source></mixed-citation></ref></ref-list>"
    )
    page = lxml_html.fragment_fromstring(article_fragment(jats("<p>x</p>", back=ref)))
    text = " ".join(page.xpath("//li[@id='r']")[0].text_content().split())
    assert text == "Lopez A, C Murray (1998) Nat Med"


def test_paragraph_holding_a_figure_becomes_a_div() -> None:
    tree = jats(
        '<p>see<fig id="f"><label>Fig 1</label><caption><p>c</p></caption>'
        '<graphic xlink:href="a.png"/></fig></p>'
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    assert page.xpath("//div[@class='p']/figure[@id='f']")


def test_asset_base_prefixes_relative_urls_only() -> None:
    tree = jats(
        '<fig id="a"><graphic xlink:href="fig1.png"/></fig>'
        '<fig id="b"><graphic xlink:href="https://cdn.example.org/x.png"/></fig>'
    )
    fragment = article_fragment(tree, asset_base="/files/42/")
    page = lxml_html.fragment_fromstring(fragment)
    assert page.xpath("//img/@src") == ["/files/42/fig1.png", "https://cdn.example.org/x.png"]


def test_standalone_document_is_complete() -> None:
    document = article_document(parse_xml(FIXTURES / "article-valid.xml"))
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">')
    root = lxml_html.document_fromstring(document)
    assert root.xpath("//head/meta/@charset") == ["utf-8"]
    title = root.xpath("//head/title")[0].text_content()
    assert title == "Learning analytics with x2 in rural schools"
    assert "font:" in root.xpath("//head/style")[0].text_content()
    assert root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0].startswith(
        "default-src 'none'"
    )
    assert root.xpath("//body/main/article[@class='jats-article']")


def test_not_an_article_is_refused() -> None:
    with pytest.raises(NotAnArticle, match="<book>"):
        article_fragment(parse_xml(b"<book><title>x</title></book>"))
    with pytest.raises(NotAnArticle, match="namespace"):
        article_fragment(parse_xml(b'<article xmlns="urn:x"/>'))


def test_id_prefix_applies_to_every_id_and_in_page_link() -> None:
    fragment = article_fragment(parse_xml(FIXTURES / "article-valid.xml"), id_prefix="a1-")
    page = lxml_html.fragment_fromstring(fragment)
    ids = page.xpath("//@id")
    assert ids and all(i.startswith("a1-") for i in ids)
    links = page.xpath("//a/@href[starts-with(., '#')]")
    assert links and all(h[1:] in ids for h in links)
    assert page.xpath("//section[@id='a1-s1']") and page.xpath("//li[@id='a1-r1']")


@pytest.mark.parametrize("prefix", ["1a", "a b", 'x"', "a:b"])
def test_unsafe_id_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="id prefix"):
        article_fragment(parse_xml(FIXTURES / "article-valid.xml"), id_prefix=prefix)


def test_output_is_the_same_every_time() -> None:
    # generated anchors (citations, unlabelled affiliations) must be stable for caching and
    # for links people share
    first = article_fragment(parse_xml(FIXTURES / "article-valid.xml"))
    assert article_fragment(parse_xml(FIXTURES / "article-valid.xml")) == first
    assert 'id="xref-' in first


def test_stylesheet_is_compiled_once() -> None:
    assert jats_html._stylesheet() is jats_html._stylesheet()


# --- hostile input: nothing executable survives


@pytest.fixture(scope="module")
def hostile() -> tuple[str, lxml_html.HtmlElement]:
    document = article_document(parse_xml(FIXTURES / "article-hostile.xml"))
    return document, lxml_html.document_fromstring(document)


def test_no_script_elements(hostile: tuple[str, lxml_html.HtmlElement]) -> None:
    document, root = hostile
    assert "<script" not in document.lower()
    assert not root.xpath("//script | //iframe | //object | //embed | //mglyph")
    assert "xhtml script" not in document and "script element" not in document


def test_no_event_handler_or_style_attributes(
    hostile: tuple[str, lxml_html.HtmlElement],
) -> None:
    _, root = hostile
    body = root.xpath("//body")[0]
    names = {a.split("}")[-1] for e in body.iter() for a in e.attrib}
    assert not {n for n in names if n.lower().startswith("on")}
    assert "style" not in names


def test_no_dangerous_urls(hostile: tuple[str, lxml_html.HtmlElement]) -> None:
    _, root = hostile
    urls = root.xpath("//@href | //@src | //@action | //@formaction")
    assert urls, "expected the safe links to remain"
    for url in urls:
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        assert scheme in {"", "http", "https", "mailto"}, url
    assert "https://example.org/ok" in urls
    # alttext is the formula's TeX as text for screen readers, never followed as a link
    for value in root.xpath("//body//@*[name() != 'alttext']"):
        assert "script:" not in value.lower().replace(" ", ""), value


def test_markup_in_text_stays_text(hostile: tuple[str, lxml_html.HtmlElement]) -> None:
    document, root = hostile
    assert "&lt;script&gt;alert('title')&lt;/script&gt;" in document
    assert root.xpath("//h1")[0].text_content() == "<script>alert('title')</script>"
    assert not root.xpath("//img[@onerror]")


def test_attribute_values_cannot_break_out(hostile: tuple[str, lxml_html.HtmlElement]) -> None:
    _, root = hostile
    (section,) = root.xpath("//section[@class='sec']")
    assert section.get("id") == 's1" onmouseover="alert(1)'
    assert section.get("onmouseover") is None
    assert root.xpath("//td/@colspan") == []  # a non-numeric span is dropped


def test_tex_links_and_styles_do_not_survive_conversion(
    hostile: tuple[str, lxml_html.HtmlElement],
) -> None:
    document, _ = hostile
    assert 'class="from-tex"' in document  # the TeX was converted, then filtered
    assert "alert('tex')" not in document.split("alttext=")[0]
    assert "<mrow href" not in document and "<mrow style" not in document


def test_mathml_keeps_only_presentation_markup(
    hostile: tuple[str, lxml_html.HtmlElement],
) -> None:
    document, _ = hostile
    assert "annotation" not in document
    assert "<mi>x</mi><semantics><mi>y</mi></semantics>" in document


# --- references: one number each, in label order, back-links told apart --------------------


def _ref(ref_id: str, label: str, title: str) -> str:
    return (
        f'<ref id="{ref_id}"><label>{label}</label><mixed-citation>Author A. {title}. '
        "Journal. 2020;1: 1.</mixed-citation></ref>"
    )


def test_a_labelled_reference_list_shows_each_label_once_in_label_order() -> None:
    tree = jats(
        '<p>See <xref ref-type="bibr" rid="b12">12</xref>, <xref ref-type="bibr" rid="b2">2'
        '</xref> and <xref ref-type="bibr" rid="b12">12</xref>.</p>',
        back="<ref-list>"
        + _ref("b12", "12", "Twelfth")
        + _ref("b2", "[2]", "Second")
        + _ref("b1", "1.", "First")
        + "</ref-list>",
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    (ol,) = page.xpath("//ol[contains(@class, 'references')]")
    assert ol.get("class") == "references labelled"
    refs = ol.xpath("li[@class='ref']")
    assert [r.get("id") for r in refs] == ["b1", "b2", "b12"]
    assert [r.xpath("span[@class='label']")[0].text_content() for r in refs] == ["1.", "2.", "12."]
    names = [a.get("aria-label") for a in page.xpath("//a[@class='back-link']")]
    assert names == [
        "Back to citation 1 of reference 2",
        "Back to citation 1 of reference 12",
        "Back to citation 2 of reference 12",
    ]


def test_citation_alternatives_show_the_authors_text_when_the_fields_are_implausible() -> None:
    fields = (
        '<element-citation publication-type="preprint"><person-group person-group-type="author">'
        "<name><surname>Rudin</surname><given-names>C</given-names></name></person-group>"
        "<article-title>Secrets</article-title><source>Available</source><year>1906</year>"
        '<pub-id pub-id-type="arxiv">1906.01998</pub-id></element-citation>'
    )
    written = "<mixed-citation>Rudin C. Secrets. arXiv; 2019. arXiv:1906.01998</mixed-citation>"
    good = fields.replace(
        "<source>Available</source><year>1906</year>", "<source>arXiv</source><year>2019</year>"
    )
    tree = jats(
        "<p>x</p>",
        back='<ref-list><ref id="a"><citation-alternatives>'
        + fields
        + written
        + '</citation-alternatives></ref><ref id="b"><citation-alternatives>'
        + good
        + written
        + "</citation-alternatives></ref></ref-list>",
    )
    page = lxml_html.fragment_fromstring(article_fragment(tree))
    first, second = texts(page.xpath("//li[@class='ref']"))
    assert first.startswith("Rudin C. Secrets. arXiv; 2019.") and "Available" not in first
    assert second.startswith("Rudin C (2019).")


def test_mathml_without_alttext_gets_the_formula_s_alt_text_or_tex() -> None:
    tree = jats(
        "<sec><title>S</title><p>"
        "<inline-formula><alternatives><mml:math><mml:mi>x</mml:mi></mml:math>"
        "<tex-math>x^2</tex-math></alternatives></inline-formula> "
        '<inline-formula><mml:math alttext="given"><mml:mi>y</mml:mi></mml:math></inline-formula> '
        "<inline-formula><mml:math><mml:semantics><mml:mi>z</mml:mi>"
        '<mml:annotation encoding="application/x-tex">z_1</mml:annotation></mml:semantics>'
        "</mml:math></inline-formula> "
        "<inline-formula><alt-text>w squared</alt-text><mml:math><mml:mi>w</mml:mi></mml:math>"
        "</inline-formula> <inline-formula><mml:math><mml:mi>v</mml:mi></mml:math></inline-formula>"
        "</p></sec>"
    )
    html = article_fragment(tree)
    tags = re.findall(r"<math\b[^>]*>", html)
    alttexts = [(re.findall(r'alttext="([^"]*)"', tag) or [""])[0] for tag in tags]
    assert alttexts == ["x^2", "given", "z_1", "w squared", ""]
