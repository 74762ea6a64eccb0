"""repair_to_schema(): what the 1.3 schema refuses where it stands gives up its markup,
never its text, and the report says what was given up; the result is always valid."""

from __future__ import annotations

from lxml import etree

from frontiers_de.production.jats.normalise import normalise, repair_to_schema
from frontiers_de.xml.schemas import validate

ARTICLE = """<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.3"
 article-type="research-article">
<front><journal-meta><journal-id journal-id-type="publisher-id">fde</journal-id>
<issn pub-type="epub">2345-6786</issn></journal-meta>
<article-meta><title-group><article-title>A title</article-title></title-group>
{meta}</article-meta></front>
<body><sec id="s1"><title>Intro</title>
{body}
</sec></body>
<back><ref-list><ref id="ref-1"><mixed-citation>Smith J. A paper. 2020.</mixed-citation>
</ref></ref-list></back>
</article>"""


def article(body: str = "<p>Text.</p>", meta: str = "") -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(ARTICLE.format(body=body, meta=meta)))


def text_of(tree: etree._ElementTree) -> str:
    return " ".join("".join(tree.getroot().find("body").itertext()).split())


def test_a_valid_article_is_left_as_it_is():
    tree = article()
    before = etree.tostring(tree)
    repaired = repair_to_schema(tree)
    assert repaired.valid and repaired.changes == []
    assert etree.tostring(repaired.tree) == before


def test_a_link_inside_a_link_keeps_its_text_and_the_outer_link():
    body = (
        '<p>Known<xref ref-type="bibr" rid="ref-1"><xref ref-type="bibr" rid="ref-1">'
        '<sup>[1]</sup></xref></xref> and <xref ref-type="bibr" rid="ref-1">[1]</xref>.</p>'
    )
    tree = article(body)
    assert validate(tree, "jats-1.3")  # the starting point really is invalid
    repaired = repair_to_schema(tree)
    assert repaired.valid, repaired.errors
    root = repaired.tree.getroot()
    assert not root.xpath("//xref//xref")
    assert len(root.findall(".//p/xref")) == 2  # the outer link and the untouched one
    assert root.find(".//p/xref/sup").text == "[1]"
    assert text_of(repaired.tree) == "Intro Known[1] and [1]."
    assert len(repaired.changes) == 1
    assert repaired.changes[0].startswith("could not place <xref>")
    assert "'[1]' kept" in repaired.changes[0]


def test_an_email_where_only_text_may_stand_becomes_its_text():
    meta = "<kwd-group><kwd>hints <email>a@b.org</email></kwd><kwd>feedback</kwd></kwd-group>"
    repaired = repair_to_schema(article(meta=meta))
    assert repaired.valid, repaired.errors
    kwd = repaired.tree.getroot().find(".//kwd")
    assert kwd.text == "hints a@b.org" and len(kwd) == 0
    assert any("<email>" in c and "'a@b.org' kept" in c for c in repaired.changes)


def test_a_block_is_moved_where_the_schema_allows_it_before_its_markup_is_given_up():
    # An email straight in a section (element-only) gets a paragraph, not a flattening.
    repaired = repair_to_schema(article("<p>Text.</p><email>a@b.org</email>"))
    assert repaired.valid, repaired.errors
    email = repaired.tree.getroot().find(".//sec/p/email")
    assert email is not None and email.text == "a@b.org"
    assert repaired.changes


def test_an_empty_element_that_needs_content_goes_and_is_reported():
    repaired = repair_to_schema(article('<p>Text.</p><list list-type="order"/>'))
    assert repaired.valid, repaired.errors
    assert repaired.tree.getroot().find(".//list") is None
    assert any("empty <list" in c for c in repaired.changes)


def test_normalise_ends_with_the_same_repair():
    # A formula in an article title has no place normalise's repairs can find: its text
    # stays in the title, and the change says so.
    meta_title = (
        "<article-title>Energy <disp-formula><tex-math>E=mc^2</tex-math></disp-formula>"
        "</article-title>"
    )
    tree = article()
    old = tree.getroot().find(".//article-title")
    old.getparent().replace(old, etree.fromstring(meta_title))
    result = normalise(tree)
    assert result.valid, result.errors
    title = result.tree.getroot().find(".//article-title")
    assert "".join(title.itertext()) == "Energy E=mc^2"
    assert title.find(".//disp-formula") is None
    assert any(c.startswith("could not place <disp-formula>") for c in result.changes)


def test_a_missing_required_sibling_is_not_mended_by_removing_content():
    # journal-meta without an ISSN: "publisher is not expected", but the publisher is
    # allowed there; only the absent ISSN is wrong, which no repair can invent.
    tree = article()
    issn = tree.getroot().find(".//issn")
    publisher = etree.fromstring("<publisher><publisher-name>CSHL</publisher-name></publisher>")
    issn.getparent().replace(issn, publisher)
    repaired = repair_to_schema(tree)
    assert not repaired.valid
    assert repaired.tree.getroot().findtext(".//publisher-name") == "CSHL"
    assert repaired.changes == []
