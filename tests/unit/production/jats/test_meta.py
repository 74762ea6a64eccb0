"""frontiers_de.production.jats.meta: the one reader of an article's metadata that the PDF,
the Crossref deposit, the article page and the OAI records share."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from frontiers_de.production.jats.meta import (
    PartialDate,
    read_article_meta,
    text_of,
)

ARTICLE = """<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink"
         xmlns:ali="http://www.niso.org/schemas/ali/1.0/"
         article-type="research-article" xml:lang="EN">
<front>
 <journal-meta>
  <journal-title-group>
   <journal-title>Frontiers of Digital Education</journal-title>
   <abbrev-journal-title>Front. Digit. Educ.</abbrev-journal-title>
  </journal-title-group>
  <issn pub-type="epub">2944-0000</issn>
  <issn publication-format="print">2944-0001</issn>
  <publisher><publisher-name>FDE Press</publisher-name></publisher>
 </journal-meta>
 <article-meta>
  <article-id pub-id-type="doi">10.5555/fde.2026.001</article-id>
  <article-id pub-id-type="publisher-id">fde-001</article-id>
  <article-categories>
   <subj-group subj-group-type="heading"><subject>Research Article</subject></subj-group>
   <subj-group><subject>Learning analytics</subject></subj-group>
  </article-categories>
  <title-group>
   <article-title>Reading   <italic>slowly</italic> online</article-title>
   <subtitle>A field study</subtitle>
   <trans-title-group xml:lang="ZH"><trans-title>慢读</trans-title></trans-title-group>
   <alt-title>Other</alt-title>
   <alt-title alt-title-type="running-head">Reading slowly</alt-title>
  </title-group>
  <contrib-group>
   <contrib contrib-type="author">
    <contrib-id contrib-id-type="orcid" authenticated="true">https://orcid.org/0000-0002-1825-009x</contrib-id>
    <name-alternatives>
     <name><surname>Li</surname><given-names>Wei</given-names></name>
     <name xml:lang="zh"><surname>李</surname><given-names>伟</given-names></name>
    </name-alternatives>
    <xref ref-type="aff" rid="a1 a2"/>
    <role vocab-term-identifier="https://credit.niso.org/contributor-roles/writing-original-draft/">Writing</role>
   </contrib>
   <contrib contrib-type="author">
    <name><surname>Lovelace</surname><given-names>Ada</given-names><suffix>Jr</suffix></name>
    <uri content-type="orcid">https://orcid.org/0000-0001-5109-3700</uri>
    <xref ref-type="aff" rid="a2"/>
    <xref rid="c1"/>
   </contrib>
   <contrib contrib-type="editor"><collab>The Reading Group</collab></contrib>
  </contrib-group>
  <aff id="a1"><label>1</label><institution content-type="dept">School of Education</institution>,
   <institution content-type="orgname">Example University</institution>,
   <institution-id institution-id-type="ror">05abcde12</institution-id>
   <city>Hangzhou</city>, <country country="CN">China</country></aff>
  <aff id="a2"><institution>Open Lab</institution><country country="DE">Germany</country></aff>
  <author-notes>
   <corresp id="c1"><label>*</label>Correspondence: ada@example.org</corresp>
   <fn fn-type="conflict"><p>None declared.</p></fn>
  </author-notes>
  <pub-date pub-type="collection"><year>2027</year></pub-date>
  <pub-date date-type="pub" publication-format="electronic">
   <year>2026</year><month>13</month><day>4</day>
  </pub-date>
  <pub-date date-type="pub" publication-format="print" iso-8601-date="2026-12-20"/>
  <volume>3</volume><issue>2</issue><elocation-id>e101</elocation-id>
  <history>
   <date date-type="received"><day>02</day><month>03</month><year>2026</year></date>
   <date date-type="accepted"><year>unknown</year></date>
  </history>
  <permissions>
   <copyright-statement>© 2026 Li and Lovelace</copyright-statement>
   <copyright-year>2026</copyright-year>
   <copyright-holder>Li and Lovelace</copyright-holder>
   <license xlink:href="https://example.org/licence">
    <ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>
    <license-p>Open under CC BY.</license-p>
   </license>
  </permissions>
  <abstract abstract-type="graphical"><p>A picture.</p></abstract>
  <abstract><p>First paragraph.</p><p>Second   paragraph.</p></abstract>
  <trans-abstract xml:lang="zh"><p>摘要。</p></trans-abstract>
  <kwd-group><kwd>reading</kwd><kwd>attention</kwd></kwd-group>
  <kwd-group xml:lang="zh"><kwd>阅读</kwd></kwd-group>
  <funding-group>
   <award-group>
    <funding-source><institution-wrap>
     <institution-id institution-id-type="doi">10.13039/501100001659</institution-id>
     <institution>Deutsche Forschungsgemeinschaft</institution>
    </institution-wrap></funding-source>
    <award-id>DFG-1</award-id><award-id>DFG-2</award-id>
   </award-group>
   <award-group>
    <funding-source xlink:href="https://ror.org/00x0x0x00">Own Foundation</funding-source>
   </award-group>
  </funding-group>
 </article-meta>
</front>
<back><ref-list>
 <ref id="r1"><label>1</label>
  <element-citation publication-type="journal">
   <person-group person-group-type="author">
    <name><surname>Turing</surname><given-names>A</given-names></name>
    <name><surname>Hopper</surname><given-names>G</given-names></name>
   </person-group>
   <article-title>Machines</article-title><source>Mind</source><year>1950a</year>
   <volume>59</volume><issue>236</issue><fpage>433</fpage><lpage>460</lpage>
   <pub-id pub-id-type="doi">10.1093/mind/LIX.236.433</pub-id>
   <pub-id pub-id-type="pmid">12345</pub-id>
  </element-citation>
 </ref>
 <ref id="r2">
  <mixed-citation>Hopper G. Compilers. 1952. doi: 10.1145/609784.609818.</mixed-citation>
 </ref>
 <ref id="r3"><note><p>Personal communication.</p></note></ref>
</ref-list></back>
</article>
"""


@pytest.fixture(scope="module")
def meta():
    return read_article_meta(etree.ElementTree(etree.fromstring(ARTICLE.encode())))


def test_text_of_folds_white_space_and_ignores_comments_and_nothing():
    el = etree.fromstring(b"<p> a <b>b</b>\n\t c<!-- note --></p>")
    assert text_of(el) == "a b c"
    assert text_of(None) == ""
    assert text_of(etree.Comment("no text")) == ""


def test_partial_date_keeps_only_what_is_known():
    assert PartialDate(2026).iso() == "2026"
    assert PartialDate(2026, 3).iso() == "2026-03"
    assert PartialDate(2026, None, 9).iso() == "2026"  # a day without a month is not a date
    assert PartialDate(2026, 3, 9).as_date() == dt.date(2026, 3, 9)
    assert PartialDate(2026).as_date() == dt.date(2026, 1, 1)


def test_article_and_journal_facts(meta):
    assert (meta.article_type, meta.language) == ("research-article", "en")
    assert (meta.doi, meta.publisher_id) == ("10.5555/fde.2026.001", "fde-001")
    assert meta.heading == "Research Article"
    assert meta.subjects == ["Research Article", "Learning analytics"]
    assert meta.title == "Reading slowly online"
    assert meta.title_element is not None and meta.title_element.find("italic") is not None
    assert meta.subtitle == "A field study"
    assert meta.trans_titles == [("zh", "慢读")]
    assert meta.short_title == "Reading slowly"  # the running head over any other alt-title
    assert meta.journal_title == "Frontiers of Digital Education"
    assert meta.journal_abbrev == "Front. Digit. Educ."
    assert meta.issns == {"electronic": "2944-0000", "print": "2944-0001"}
    assert meta.publisher_name == "FDE Press"
    assert (meta.volume, meta.issue, meta.elocation_id) == ("3", "2", "e101")


def test_contributors(meta):
    li, ada, group = meta.contributors
    assert meta.authors == [li, ada]
    assert (li.surname, li.given_names, li.display_name) == ("Li", "Wei", "Wei Li")
    assert li.native_names == [("zh", "李伟")]  # Chinese names: family name first, no space
    assert (li.orcid, li.orcid_authenticated) == ("0000-0002-1825-009X", True)
    assert li.affiliation_ids == ["a1", "a2"]
    assert li.roles == ["Writing"]
    assert li.role_uris[0].endswith("/writing-original-draft/")
    assert not li.corresponding
    # An ORCID in a <uri> when there is no contrib-id; corresponding through the corresp id.
    assert (ada.orcid, ada.orcid_authenticated) == ("0000-0001-5109-3700", False)
    assert ada.suffix == "Jr" and ada.corresponding
    assert (group.contrib_type, group.display_name) == ("editor", "The Reading Group")


def test_the_only_author_with_an_email_is_the_corresponding_one():
    meta = read_article_meta(
        etree.fromstring(
            b"<article><front><article-meta><contrib-group>"
            b"<contrib><name><surname>A</surname></name></contrib>"
            b"<contrib><name><surname>B</surname></name><email>b@example.org</email></contrib>"
            b"</contrib-group><aff>Only University</aff></article-meta></front></article>"
        )
    )
    a, b = meta.contributors
    assert (a.corresponding, b.corresponding, b.email) == (False, True, "b@example.org")
    # One affiliation and nobody pointing at it: it is everyone's.
    assert a.affiliation_ids == b.affiliation_ids == ["aff-1"]
    assert meta.affiliations["aff-1"].text == "Only University"


def test_affiliations(meta):
    a1, a2 = meta.affiliations["a1"], meta.affiliations["a2"]
    # The address as readers see it: no label, no identifier.
    assert a1.text == "School of Education, Example University, Hangzhou, China"
    assert (a1.institution, a1.department) == ("Example University", "School of Education")
    assert a1.institution_first == "Example University, School of Education"
    assert a1.ror == "https://ror.org/05abcde12"
    assert (a1.city, a1.country, a1.country_code) == ("Hangzhou", "China", "CN")
    # Elements with nothing but each other between them are read with a comma.
    assert a2.text == "Open Lab, Germany"
    assert (a2.institution, a2.department, a2.ror) == ("Open Lab", "", "")


def test_notes_and_correspondence(meta):
    assert meta.correspondence == ["Correspondence: ada@example.org"]  # without the label
    assert meta.author_notes == [("conflict", "None declared.")]


def test_dates(meta):
    # A month of 13 is no month (and then no day either); print from its ISO attribute.
    assert meta.pub_dates == {
        "collection": PartialDate(2027),
        "epub": PartialDate(2026),
        "ppub": PartialDate(2026, 12, 20),
    }
    assert meta.publication_date == PartialDate(2026)  # electronic before print, collection
    assert meta.history == {"received": PartialDate(2026, 3, 2)}  # a year of "unknown": none


def test_publication_date_of_nlm_pub_types_and_of_a_lone_kind():
    def first(dates: bytes) -> PartialDate | None:
        xml = b"<article><front><article-meta>" + dates + b"</article-meta></front></article>"
        return read_article_meta(etree.fromstring(xml)).publication_date

    assert first(b'<pub-date pub-type="ppub"><year>2020</year></pub-date>') == PartialDate(2020)
    assert first(
        b'<pub-date pub-type="ppub"><year>2020</year></pub-date>'
        b'<pub-date pub-type="epub"><year>2019</year><month>5</month></pub-date>'
    ) == PartialDate(2019, 5)
    assert first(b'<pub-date pub-type="other"><year>2018</year></pub-date>') == PartialDate(2018)
    assert first(b"") is None


def test_abstracts_and_keywords(meta):
    main = meta.abstract()
    assert main is not None and main.abstract_type == ""
    assert main.paragraphs == ["First paragraph.", "Second paragraph."]
    assert main.text == "First paragraph. Second paragraph."
    zh = meta.abstract("ZH")
    assert zh is not None and zh.text == "摘要。"
    # No abstract in that language: the main one, not the graphical one that comes first.
    assert meta.abstract("de") is main
    assert meta.keywords == {"en": ["reading", "attention"], "zh": ["阅读"]}


def test_permissions_and_funding(meta):
    assert meta.copyright_statement == "© 2026 Li and Lovelace"
    assert (meta.copyright_year, meta.copyright_holder) == ("2026", "Li and Lovelace")
    # The ALI licence reference wins over the licence's own link.
    assert meta.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert "Open under CC BY." in meta.license_text
    dfg, own = meta.funding
    assert (dfg.source, dfg.funder_id) == (
        "Deutsche Forschungsgemeinschaft",
        "10.13039/501100001659",
    )
    assert dfg.award_ids == ["DFG-1", "DFG-2"]
    assert (own.source, own.funder_id, own.award_ids) == (
        "Own Foundation",
        "https://ror.org/00x0x0x00",
        [],
    )


def test_license_link_without_an_ali_reference():
    xml = (
        b'<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>'
        b'<permissions><license xlink:href="https://example.org/l"><p>L</p></license>'
        b"</permissions></article-meta></front></article>"
    )
    meta = read_article_meta(etree.fromstring(xml))
    assert (meta.license_url, meta.license_text) == ("https://example.org/l", "L")


def test_references(meta):
    r1, r2, r3 = meta.references
    assert (r1.id, r1.label, r1.citation_kind, r1.structured) == (
        "r1",
        "1",
        "element-citation",
        True,
    )
    assert r1.publication_type == "journal"
    assert r1.authors == [("Turing", "A"), ("Hopper", "G")]
    assert (r1.article_title, r1.source, r1.year) == ("Machines", "Mind", "1950")
    assert (r1.volume, r1.issue, r1.fpage, r1.lpage) == ("59", "236", "433", "460")
    assert (r1.doi, r1.pmid) == ("10.1093/mind/LIX.236.433", "12345")
    # A mixed citation: unstructured, its DOI found in the text without the full stop.
    assert (r2.citation_kind, r2.structured) == ("mixed-citation", False)
    assert r2.doi == "10.1145/609784.609818"
    assert r2.text == "Hopper G. Compilers. 1952. doi: 10.1145/609784.609818."
    # No citation element at all: the reference's text, nothing else.
    assert (r3.text, r3.citation_kind, r3.structured) == ("Personal communication.", "", False)


def test_an_article_without_article_meta_gives_only_its_journal():
    meta = read_article_meta(
        etree.fromstring(
            b"<article><front><journal-meta><journal-title>J</journal-title>"
            b"<issn>1234-5678</issn></journal-meta></front></article>"
        )
    )
    assert (meta.journal_title, meta.issns, meta.title) == ("J", {"electronic": "1234-5678"}, "")
    assert meta.contributors == [] and meta.publication_date is None and meta.abstract() is None


def test_funders_named_beside_their_id_or_not_at_all_and_a_licence_reference_of_its_own():
    xml = (
        b'<article xmlns:ali="http://www.niso.org/schemas/ali/1.0/"><front><article-meta>'
        b"<author-notes><corresp>Email: a@example.org</corresp></author-notes>"
        b"<permissions><ali:license_ref>https://creativecommons.org/licenses/by/4.0/"
        b"</ali:license_ref><license><license-p>CC BY</license-p></license></permissions>"
        b"<funding-group><award-group><funding-source>"
        b"<institution-id>10.13039/100000001</institution-id> National Science Foundation"
        b"</funding-source><award-id>NSF-1</award-id></award-group>"
        b"<award-group><award-id>X-1</award-id></award-group></funding-group>"
        b"</article-meta></front></article>"
    )
    meta = read_article_meta(etree.fromstring(xml))
    assert meta.correspondence == ["Email: a@example.org"]  # no label to take off
    # The reference beside the licence, not inside it, still gives the address.
    assert meta.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert meta.license_text == "CC BY"
    nsf, unnamed = meta.funding
    # The funder's name is the source's text without its id.
    assert (nsf.source, nsf.funder_id, nsf.award_ids) == (
        "National Science Foundation",
        "10.13039/100000001",
        ["NSF-1"],
    )
    assert (unnamed.source, unnamed.funder_id, unnamed.award_ids) == ("", "", ["X-1"])
