"""normalise(): any JATS/NLM article to valid JATS 1.3 Journal Publishing, nothing lost."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pypandoc
import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.normalise import count_content, normalise, serialise
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import validate

# An NLM 2.3 / Archiving-style article with the classes of problems met in the corpus and in
# pandoc's output: old names, metadata out of order, blocks where the schema forbids them.
OLD_ARTICLE = b"""<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD Journal Archiving and Interchange DTD v2.3 20070202//EN"
  "archivearticle.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:noNamespaceSchemaLocation="old.xsd" article-type="research-article" dtd-version="2.3">
<front>
<journal-meta><journal-id journal-id-type="nlm-ta">Old J</journal-id>
<issn pub-type="epub">1234-5678</issn></journal-meta>
<article-meta>
<article-id pub-id-type="pmc">PMC123</article-id>
<title-group><article-title>An old article</article-title></title-group>
<contrib-group>
<contrib contrib-type="author"><xref ref-type="aff" rid="a1">1</xref>
<name><surname>Smith</surname><given-names>Jane</given-names></name>
<contrib-id contrib-id-type="orcid">https://orcid.org/0000-0002-1825-0097</contrib-id>
</contrib><x>, </x>
<contrib contrib-type="author"><name><surname>Doe</surname><given-names>J</given-names></name>
</contrib>
</contrib-group>
<aff id="a1">University</aff>
<copyright-statement>(c) 2007 The authors</copyright-statement>
<contract-num rid="cs1">R01 123</contract-num><contract-sponsor id="cs1">NIH</contract-sponsor>
</article-meta>
</front>
<body>
<p>Intro cites [1].</p>
<sec id="s1"><title>Methods</title>
<p>Before <p>a nested paragraph</p> after.</p>
<table-wrap id="t1"><label>Table 1</label><caption><p>Header only</p></caption>
<table><thead><tr><th>a</th></tr></thead><tbody/></table></table-wrap>
<fn-group><fn fn-type="COI-statement"><p>None.</p></fn></fn-group>
</sec>
<p>A paragraph after the last section.</p>
<disp-formula id="e1"><tex-math>x^2</tex-math></disp-formula>
</body>
<back><ref-list><ref id="r1">
<citation citation-type="journal">Smith J. A title. J Test. 2001;1:1-2.</citation>
</ref></ref-list></back>
</article>
"""


@pytest.fixture(scope="module")
def old_result():
    tree = parse_xml(OLD_ARTICLE)
    before = count_content(tree)
    return before, normalise(tree)


def test_old_article_becomes_valid_1_3(schema_dir, old_result):
    _, result = old_result
    assert result.errors == []
    assert result.valid
    root = result.tree.getroot()
    assert root.get("dtd-version") == "1.3"
    assert root.nsmap["mml"] == "http://www.w3.org/1998/Math/MathML"
    assert root.nsmap["ali"] == "http://www.niso.org/schemas/ali/1.0/"
    assert not any(k.startswith("{http://www.w3.org/2001/XMLSchema-instance}") for k in root.attrib)


def test_nothing_is_lost(old_result):
    before, result = old_result
    after = count_content(result.tree)
    for name in ("fig", "table-wrap", "table", "disp-formula", "inline-formula", "ref"):
        assert after[name] == before[name], name
    assert after["sec"] >= before["sec"]
    text = "".join(result.tree.getroot().itertext())
    for words in (
        "a nested paragraph",
        "A paragraph after the last section",
        "Header only",
        "(c) 2007 The authors",
        "Smith J. A title",
    ):
        assert words in text


def test_repairs_are_the_expected_ones(old_result):
    _, result = old_result
    root = result.tree.getroot()
    # contrib children in schema order: contrib-id, name, xref
    contrib = root.find(".//contrib")
    assert [c.tag for c in contrib] == ["contrib-id", "name", "xref"]
    # copyright moved into a permissions element
    assert root.find(".//article-meta/permissions/copyright-statement") is not None
    # NLM 2.3 <citation> renamed, its citation-type now publication-type
    assert root.find(".//ref/mixed-citation").get("publication-type") == "journal"
    # NLM 2.3 contract sponsor and number became funding
    group = root.find(".//article-meta/funding-group/award-group")
    assert (group.findtext("funding-source"), group.findtext("award-id")) == ("NIH", "R01 123")
    # enumerations: pmc -> pmcid, COI-statement -> coi-statement
    assert root.find(".//article-id").get("pub-id-type") == "pmcid"
    assert root.find(".//fn").get("fn-type") == "coi-statement"
    # the nested paragraph was split out, in reading order
    sec = root.find(".//body/sec")
    paragraphs = ["".join(p.itertext()).strip() for p in sec.findall("p")]
    assert paragraphs == ["Before", "a nested paragraph", "after."]
    # flow after the last section got a section of its own, after it
    body_children = [c.tag for c in root.find("body")]
    assert body_children == ["p", "sec", "sec"]
    assert "A paragraph after" in "".join(root.find("body")[2].itertext())
    # header-only table: its header rows became the body
    assert root.find(".//table/tbody/tr/th") is not None
    # generated separator text dropped, and said so
    assert any("<x>" in change for change in result.changes)
    assert any("schema order" in change for change in result.changes)


def test_serialise_has_the_1_3_doctype(old_result):
    _, result = old_result
    data = serialise(result.tree)
    assert b"JATS (Z39.96) Journal Publishing DTD with MathML3 v1.3" in data
    assert parse_xml(data).getroot().get("dtd-version") == "1.3"


def test_profile_sets_the_journal_meta(schema_dir):
    profile = JournalProfile(issn_online="2999-0001")
    result = normalise(parse_xml(OLD_ARTICLE), profile)
    meta = result.tree.getroot().find(".//journal-meta")
    assert meta.findtext("journal-title-group/journal-title") == profile.title
    assert meta.findtext("issn") == "2999-0001"
    assert result.valid


PANDOC_INPUT = b"""<?xml version="1.0"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.1">
<front><article-meta><title-group><article-title>T</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Watt</surname>
<given-names>Ian</given-names></name><email>ian@example.org</email>
<xref ref-type="fn" rid="fn1">1</xref></contrib></contrib-group>
<author-notes><fn id="fn1"><p>Note.</p></fn></author-notes></article-meta></front>
<body><sec id="s1"><title>One</title><p>Text.</p>
<table-wrap id="t1"><label>Table 1</label><caption><title>Caption title</title>
<p>Caption text.</p></caption><table><tbody><tr><td>1</td></tr></tbody></table>
</table-wrap></sec>
<p>Closing paragraph.</p></body></article>
"""


def test_pandoc_output_is_made_valid(schema_dir):
    # pandoc's own JATS writer, fed JATS, produces the classes of errors measured on the
    # corpus (table-wrap content, e-mail inside string-name, flow after a section).
    xml = pypandoc.convert_text(
        PANDOC_INPUT.decode(), "jats_publishing", format="jats", extra_args=["-s"]
    )
    tree = parse_xml(xml.encode("utf-8"))
    before = count_content(tree)
    words_before = "".join(tree.getroot().itertext()).split()
    raw_errors = validate(tree, "jats-1.3")
    result = normalise(tree)
    assert raw_errors, "pandoc's own output is expected to need repairs"
    assert result.errors == []
    after = count_content(result.tree)
    for name in ("table-wrap", "table", "disp-formula", "inline-formula", "fig"):
        assert after[name] >= before[name]
    assert "".join(result.tree.getroot().itertext()).split() == words_before


def test_not_an_article_is_refused():
    with pytest.raises(ValueError, match="not a JATS article"):
        normalise(etree.fromstring(b"<html><body/></html>"))


def test_namespaced_jats_is_refused():
    with pytest.raises(ValueError, match="must not be in a namespace"):
        normalise(etree.fromstring(b'<article xmlns="http://example.org/jats"><front/></article>'))


def test_without_check_no_schema_is_needed():
    result = normalise(parse_xml(OLD_ARTICLE), check=False)
    assert not result.validated
    assert not result.valid
    assert result.tree.getroot().find(".//permissions") is not None


def test_ids_are_made_valid_and_references_follow(schema_dir):
    tree = parse_xml(
        b"""<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.1">
<front><journal-meta><journal-id>j</journal-id><issn>1234-5678</issn></journal-meta>
<article-meta><title-group><article-title>T</article-title></title-group></article-meta>
</front><body>
<p>See <xref ref-type="fig" rid="1">Fig 1</xref>, <xref ref-type="fig" rid="f:2">Fig 2</xref>,
<xref ref-type="bibr" rid="r1 gone r2">[1, 2]</xref>,
<xref ref-type="fig" rid="f3">F</xref> and <xref ref-type="bibr" rid="gone">x</xref>.</p>
<fig id="1"><label>Figure 1</label></fig>
<fig id="f:2"><label>Figure 2</label></fig>
<fig id="1"><label>Figure 3, same id</label></fig>
<fig id="f3"><label>Figure 4</label></fig><fig id="f3"><label>Figure 5, same id</label></fig>
</body><back><ref-list><ref id="r1"><mixed-citation>A</mixed-citation></ref>
<ref id="r2"><mixed-citation>B</mixed-citation></ref></ref-list></back></article>"""
    )
    result = normalise(tree)
    assert result.errors == []
    root = result.tree.getroot()
    assert [f.get("id") for f in root.iter("fig")] == ["id-1", "f-2", "id-1-2", "f3", "f3-2"]
    assert [x.get("rid") for x in root.iter("xref")] == ["id-1", "f-2", "r1 r2", "f3", None]
    assert any("missing id(s) gone" in c for c in result.changes)


# A JATS 1.4 article using what 1.4 added: collab-wrap/collab-name, legend,
# content-language and contributor notes. Valid 1.4 in, valid 1.3 out.
JATS_1_4 = b"""<article xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:mml="http://www.w3.org/1998/Math/MathML" dtd-version="1.4">
<front><journal-meta><journal-id>j</journal-id><issn>1234-5678</issn></journal-meta>
<article-meta><title-group><article-title>New in 1.4</article-title></title-group>
<contrib-group>
<contrib contrib-type="author"><name><surname>Li</surname><given-names>Wei</given-names></name>
<fn><p>Now at another university.</p></fn></contrib>
<contrib contrib-type="author"><collab-wrap><collab-name>The Study Group</collab-name>
</collab-wrap></contrib>
</contrib-group>
<content-language>en</content-language>
</article-meta></front>
<body><sec><title>One</title>
<fig id="f1"><label>Figure 1</label><caption><title>A figure</title></caption>
<legend><p>What the colours mean.</p></legend>
<graphic xlink:href="f1.png"/></fig>
</sec></body></article>"""


def test_jats_1_4_is_written_as_1_3(schema_dir):
    assert validate(parse_xml(JATS_1_4), "jats-1.4") == [], "the sample must be real 1.4"
    tree = parse_xml(JATS_1_4)
    words = "".join(tree.getroot().itertext()).split()
    result = normalise(tree)
    assert result.errors == []
    root = result.tree.getroot()
    assert root.find(".//contrib/collab").text.strip() == "The Study Group"
    assert root.findtext(".//fig/caption/p") == "What the colours mean."
    note = root.find(".//author-notes/fn")
    assert root.find(".//contrib/xref[@ref-type='fn']").get("rid") == note.get("id")
    meta = root.find(".//custom-meta-group/custom-meta")
    assert (meta.findtext("meta-name"), meta.findtext("meta-value")) == ("content-language", "en")
    # nothing lost (a note marker and the custom-meta name are added)
    after = Counter("".join("".join(root.itertext()).split()))
    assert Counter("".join(words)) - after == Counter()


# --- notes of reviewed preprints ----------------------------------------------------------

FIXTURES = Path(__file__).parents[3] / "fixtures" / "jats" / "publishers"


def test_nested_notes_in_article_meta_become_one_front_notes_with_sections(schema_dir):
    """Reviewed preprints put assessment notes inside a <notes> in article-meta."""
    source = parse_xml(FIXTURES / "reviewed-preprint-notes.xml")
    text_before = Counter("".join("".join(source.getroot().itertext()).split()))
    result = normalise(source)
    assert result.errors == []
    root = result.tree.getroot()
    assert root.find("front/article-meta/notes") is None
    (notes,) = root.findall("front/notes")
    assert notes.getprevious().tag == "article-meta"
    assessment, history = notes.findall("sec")
    assert assessment.get("sec-type") == "assessment"
    assert assessment.findtext("title") == "Editorial assessment"
    assert history.get("sec-type") == "reviewed-preprint-history"
    assert history.find("sec").get("sec-type") == "version"
    assert root.find(".//notes//notes") is None
    assert Counter("".join("".join(root.itertext()).split())) == text_before
    assert any("in <article-meta>: moved to the front matter" in c for c in result.changes)


def test_article_meta_notes_join_a_front_notes_that_exists(schema_dir):
    source = parse_xml(FIXTURES / "reviewed-preprint-notes.xml")
    root = source.getroot()
    front_notes = etree.SubElement(root.find("front"), "notes")
    etree.SubElement(front_notes, "p").text = "Data are available on request."
    result = normalise(source)
    assert result.errors == []
    (notes,) = result.tree.getroot().findall("front/notes")
    assert notes.findtext("p") == "Data are available on request."
    assert [s.get("sec-type") for s in notes.findall("sec/sec")][:2] == [
        "assessment",
        "reviewed-preprint-history",
    ]


def test_comments_survive_normalising_and_processing_instructions_go(schema_dir):
    """Comments are harmless and kept; processing instructions are dropped (an
    ``<?xml-stylesheet?>`` makes a browser run a stylesheet), and the report says so."""
    result = normalise(parse_xml(FIXTURES / "comments-and-pis.xml"))
    assert result.errors == []
    root = result.tree.getroot()
    assert any(isinstance(n, etree._Comment) for n in root.iter())
    assert not any(isinstance(n, etree._ProcessingInstruction) for n in root.iter())
    assert any("processing instruction" in line for line in result.changes)


# --- section numbers and statements said once ---------------------------------------------


def _article(body: str, back: str = "") -> etree._Element:
    return etree.fromstring(
        "<article><front><article-meta><title-group><article-title>T</article-title>"
        f"</title-group></article-meta></front><body>{body}</body><back>{back}</back></article>"
    )


def test_section_numbers_in_titles_become_labels(schema_dir):
    root = _article(
        "<sec><title>1. Introduction</title><p>a</p></sec>"
        "<sec><title>2 Findings</title><sec><title>2.1. A gendered socio-economic picture</title>"
        "<p>b</p></sec><sec><title>2.2 Schools</title><p>c</p></sec></sec>"
        "<sec><title>Acknowledgements</title><p>d</p></sec>"
    )
    result = normalise(root, JournalProfile(issn_online="2345-6786"))
    assert result.errors == []
    secs = result.tree.getroot().iter("sec")
    assert [(s.findtext("label"), s.findtext("title")) for s in secs] == [
        ("1", "Introduction"),
        ("2", "Findings"),
        ("2.1", "A gendered socio-economic picture"),
        ("2.2", "Schools"),
        (None, "Acknowledgements"),
    ]
    assert "section number '2.1' moved from the title into <label>" in result.changes


def test_a_lone_number_that_starts_a_title_stays_in_it():
    root = _article(
        "<sec><title>10 simple rules</title><p>a</p></sec><sec><title>Why</title><p>b</p></sec>"
        "<sec><label>3</label><title>3.1 Methods</title><p>c</p></sec>"
    )
    root = normalise(root, check=False).tree.getroot()
    assert [s.findtext("title") for s in root.iter("sec")] == [
        "10 simple rules",
        "Why",
        "3.1 Methods",
    ]


def test_the_manuscripts_statement_is_kept_once_in_the_back_matter():
    root = _article(
        "<sec><title>Results</title><p>r</p></sec>"
        '<sec id="s9"><title>Competing interests</title><p>AG filed a patent.</p></sec>'
        "<sec><title>Acknowledgements</title><p>We thank Manubot.</p></sec>",
        '<ack id="ack"><title>Acknowledgements</title><p>We thank the students.</p></ack>'
        '<fn-group content-type="competing-interests"><title>Competing interests</title>'
        '<fn fn-type="coi-statement" id="fn-coi"><p>None declared.</p></fn></fn-group>',
    )
    result = normalise(root, JournalProfile(issn_online="2345-6786"))
    assert result.errors == []
    article = result.tree.getroot()
    assert [s.findtext("title") for s in article.findall("body/sec")] == ["Results"]
    back = article.find("back")
    assert [(e.tag, e.findtext("title")) for e in back] == [
        ("ack", "Acknowledgements"),
        ("sec", "Competing interests"),
    ]
    assert back.find("sec").get("sec-type") == "COI-statement"
    assert "We thank Manubot." in "".join(back.itertext())
    text = "".join(article.itertext())
    assert "None declared." not in text and "We thank the students." not in text
    assert sorted(result.dropped_text) == ["None declared.", "We thank the students."]
    assert any("competing interests: the manuscript's section is kept" in c for c in result.changes)


def test_a_body_statement_without_a_back_matter_copy_stays_where_it_is():
    root = _article("<sec><title>Conflict of interest</title><p>None.</p></sec>")
    article = normalise(root, check=False).tree.getroot()
    assert article.findtext("body/sec/title") == "Conflict of interest"
