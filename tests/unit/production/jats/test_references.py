"""Reference parsing, ref-list building, upgrading mixed-citations, in-text citation links."""

from __future__ import annotations

import pytest
from lxml import etree

from frontiers_de.production.jats.normalise import normalise
from frontiers_de.production.jats.references import (
    BibliographyError,
    build_ref_list,
    element_citation,
    link_citations,
    parse_reference,
    read_bibliography,
    ref_list_from_csl,
    structure_references,
)
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import validate

VANCOUVER = (
    "Smith JA, Doe B, Roe C. Open access and citation rates. PLoS Biol. 2006;4(5):e157. "
    "doi:10.1371/journal.pbio.0040157"
)
APA = (
    "Smith, J. A., & Doe, B. (2019). Learning analytics in schools: A review. "
    "Computers & Education, 128(2), 345–367. https://doi.org/10.1016/j.compedu.2018.09.001"
)


def test_parse_vancouver():
    ref = parse_reference(VANCOUVER)
    assert ref is not None
    assert ref.authors == [("Smith", "JA"), ("Doe", "B"), ("Roe", "C")]
    assert ref.title == "Open access and citation rates"
    assert ref.source == "PLoS Biol"
    assert (ref.year, ref.volume, ref.issue) == ("2006", "4", "5")
    assert ref.elocation_id == "e157" and ref.fpage == ""
    assert ref.doi == "10.1371/journal.pbio.0040157"
    assert ref.confident


def test_parse_apa():
    ref = parse_reference(APA)
    assert ref is not None
    assert [s for s, _ in ref.authors] == ["Smith", "Doe"]
    assert ref.authors[0][1] == "J.A."
    assert ref.title == "Learning analytics in schools: A review"
    assert ref.source == "Computers & Education"
    assert (ref.year, ref.volume, ref.issue, ref.fpage, ref.lpage) == (
        "2019",
        "128",
        "2",
        "345",
        "367",
    )
    assert ref.doi == "10.1016/j.compedu.2018.09.001"


def test_parse_page_range_shorthand_and_pmid():
    ref = parse_reference(
        "Jones P, Li W. Gene expression in yeast. Nature. 1999;401:123-9. PMID: 10490000"
    )
    assert (ref.fpage, ref.lpage, ref.pmid) == ("123", "129", "10490000")


def test_parse_et_al():
    ref = parse_reference("Brown K, et al. Teaching online. Educ Res. 2021;12:1-10.")
    assert ref.authors == [("Brown", "K")]
    assert ref.etal


@pytest.mark.parametrize("text", ["", "   ", "12345", "—"])
def test_nothing_to_parse(text):
    assert parse_reference(text) is None


def test_free_text_is_not_confident():
    ref = parse_reference("Personal communication with the ministry, see annex doi:10.1000/xyz123")
    assert ref is not None
    assert not ref.confident
    assert ref.doi == "10.1000/xyz123"


def _article_with(ref_list: etree._Element, body: str = "<p>Text.</p>") -> etree._Element:
    article = parse_xml(
        f"""<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.3">
        <front><journal-meta><journal-id>j</journal-id><issn>1234-5678</issn></journal-meta>
        <article-meta><title-group><article-title>A</article-title></title-group>
        </article-meta></front><body>{body}</body><back/></article>""".encode()
    ).getroot()
    article.find("back").append(ref_list)
    return article


def test_build_ref_list(schema_dir):
    unparseable = "Unpublished notes of the working group, doi:10.5555/abc.1"
    ref_list = build_ref_list([VANCOUVER, "", APA, unparseable])
    refs = ref_list.findall("ref")
    assert [r.get("id") for r in refs] == ["ref-1", "ref-2", "ref-3"]
    first = refs[0].find("citation-alternatives")
    assert first.find("element-citation/person-group/name/surname").text == "Smith"
    assert first.find("element-citation/pub-id[@pub-id-type='doi']").text == (
        "10.1371/journal.pbio.0040157"
    )
    # the original text is kept beside the structured citation
    assert "".join(first.find("mixed-citation").itertext()) == VANCOUVER
    # not confident: the original as mixed-citation, its DOI still a pub-id
    mixed = refs[2].find("mixed-citation")
    assert mixed is not None and refs[2].find("element-citation") is None
    assert mixed.find("pub-id[@pub-id-type='doi']").text == "10.5555/abc.1"
    assert "".join(mixed.itertext()) == unparseable
    assert validate(_article_with(ref_list), "jats-1.3") == []


def test_build_ref_list_without_originals():
    ref_list = build_ref_list([APA], keep_original=False)
    assert ref_list.find("ref/element-citation") is not None
    assert ref_list.find("ref/citation-alternatives") is None


def test_structure_references_keeps_original(schema_dir):
    ref_list = etree.fromstring(
        f"<ref-list><ref id='r1'><mixed-citation>{APA.replace('&', '&amp;')}</mixed-citation>"
        "</ref><ref id='r2'><mixed-citation><person-group><name><surname>X</surname></name>"
        "</person-group> already marked up</mixed-citation></ref></ref-list>"
    )
    article = _article_with(ref_list)
    assert structure_references(article) == 1
    r1 = article.find(".//ref[@id='r1']/citation-alternatives")
    assert r1.find("element-citation/source").text == "Computers & Education"
    assert "".join(r1.find("mixed-citation").itertext()) == APA
    # already structured: left alone
    assert article.find(".//ref[@id='r2']/mixed-citation/person-group") is not None
    assert validate(article, "jats-1.3") == []


def test_link_numbered_citations(schema_dir):
    ref_list = build_ref_list([VANCOUVER, APA, VANCOUVER, APA])
    article = _article_with(
        ref_list,
        "<p>As shown [1], and [2–4], also [1, 4] and [1,3-4]; not [7] nor [a].</p>",
    )
    made = link_citations(article)
    xrefs = article.findall(".//body//xref")
    assert [(x.text, x.get("rid")) for x in xrefs] == [
        ("1", "ref-1"),
        ("2–4", "ref-2 ref-3 ref-4"),
        ("1", "ref-1"),
        ("4", "ref-4"),
        ("1", "ref-1"),
        ("3-4", "ref-3 ref-4"),
    ]
    assert made == 6
    paragraph = "".join(article.find(".//body/p").itertext())
    assert paragraph == "As shown [1], and [2–4], also [1, 4] and [1,3-4]; not [7] nor [a]."
    assert validate(article, "jats-1.3") == []


def test_link_author_year_citations(schema_dir):
    refs = [
        "Smith, J. (2020). One study. Journal of Tests, 1(1), 1–2.",
        "Smith, J., & Doe, B. (2019a). Two study. Journal of Tests, 2(1), 3–4.",
        "Garcia, M., Li, W., & Chen, X. (2018). Three study. Journal of Tests, 3(1), 5–6.",
    ]
    article = _article_with(
        build_ref_list(refs),
        "<p>Earlier work (Smith, 2020; Garcia et al., 2018) and Smith and Doe (2019a) agree; "
        "<italic>cf.</italic> Garcia et al. (2018) but not (Jones, 2017).</p>",
    )
    made = link_citations(article)
    pairs = [(x.text, x.get("rid")) for x in article.iter("xref")]
    assert pairs == [
        ("Smith, 2020", "ref-1"),
        ("Garcia et al., 2018", "ref-3"),
        ("Smith and Doe (2019a)", "ref-2"),
        ("Garcia et al. (2018)", "ref-3"),
    ]
    assert made == 4
    assert validate(article, "jats-1.3") == []


def test_affiliation_markers_typed_before_the_first_heading_are_not_citations():
    # Authors, affiliations and an email typed as paragraphs: their superscripts are
    # affiliation markers. The prose after them, and the sections, are linked as usual.
    article = _article_with(
        build_ref_list([VANCOUVER, APA]),
        "<p>Ana Silva<sup>1</sup>, Wei Chen<sup>2</sup>, Maria Rossi<sup>1,2</sup></p>"
        "<p><sup>1</sup>Department of Education, University of Porto</p>"
        "<p>Correspondence: <email>ana@example.org</email></p>"
        "<p>Open access raises citations.<sup>1</sup></p>"
        "<p>Intro text cites the second study<sup>2</sup>.</p>",
    )
    made = link_citations(article)
    paragraphs = article.findall(".//body/p")
    assert [len(p.findall(".//xref")) for p in paragraphs] == [0, 0, 0, 1, 1]
    assert made == 2


def test_existing_xrefs_are_not_linked_twice():
    article = _article_with(
        build_ref_list([VANCOUVER]),
        '<p>See <xref ref-type="bibr" rid="ref-1">[1]</xref>.</p>',
    )
    assert link_citations(article) == 0


def test_corpus_style_upgrade_stays_valid(schema_dir, corpus_dir):
    # SciELO files carry plain mixed-citations: upgrading them keeps the document valid.
    tree = parse_xml(corpus_dir / "scielo__S2176-66652019000100074.xml")
    result = normalise(tree)
    upgraded = structure_references(result.tree)
    assert upgraded > 10
    assert validate(result.tree, "jats-1.3") == []


def test_parse_abnt_book():
    # ABNT (Brazil) / ISO 690: surname in capitals, full given names, "Place: Publisher"
    ref = parse_reference(
        "MORAIS, Francisco; DIAS, José Lopes. Estudantes da Universidade de Coimbra naturais "
        "de Castelo Branco. Coimbra: Tipografia Minerva. 1955."
    )
    assert ref.authors == [("MORAIS", "Francisco"), ("DIAS", "José Lopes")]
    assert ref.publication_type == "book"
    assert ref.source == "Estudantes da Universidade de Coimbra naturais de Castelo Branco"
    assert (ref.publisher_loc, ref.publisher_name, ref.year) == (
        "Coimbra",
        "Tipografia Minerva",
        "1955",
    )
    assert ref.confident
    cit = element_citation(ref)
    assert [c.tag for c in cit] == [
        "person-group",
        "source",
        "publisher-loc",
        "publisher-name",
        "year",
    ]


def test_parse_abnt_journal():
    ref = parse_reference(
        "FILGUEIRAS, Carlos A.L. As vicissitudes da ciência periférica: a vida e a obra de "
        "Manoel Joaquim Henriques de Paiva. Química Nova, v.14, n.2, p.133-141. 1991."
    )
    assert ref.authors == [("FILGUEIRAS", "Carlos A.L")]
    assert ref.title.startswith("As vicissitudes da ciência periférica")
    assert ref.source == "Química Nova"
    assert (ref.volume, ref.issue, ref.fpage, ref.lpage, ref.year) == (
        "14",
        "2",
        "133",
        "141",
        "1991",
    )


def test_parse_author_bare_year():
    ref = parse_reference(
        "Albert DM, Bowyer RT 1991 Factors related to grizzly bear: human interactions in "
        "Denali National Park. Wildl Soc Bull. 19: 339– 349."
    )
    assert ref.authors == [("Albert", "DM"), ("Bowyer", "RT")]
    assert ref.year == "1991"
    assert ref.title.startswith("Factors related to grizzly bear")
    assert ref.source == "Wildl Soc Bull"
    assert (ref.volume, ref.fpage, ref.lpage) == ("19", "339", "349")


def test_parse_multi_sentence_title_and_year_in_title():
    ref = parse_reference(
        "Ginsparg P. Scholarly information architecture, 1989–2015. Data Science J. 2004;3:29-37."
    )
    assert ref.year == "2004"
    assert ref.title == "Scholarly information architecture, 1989–2015"
    assert ref.source == "Data Science J"
    ref = parse_reference(
        "Roberts R, Varmus H. Information access. Building a GenBank of the published "
        "literature. Science. 2001;291:2318-2319."
    )
    assert ref.title == "Information access. Building a GenBank of the published literature"
    assert ref.source == "Science"


BIBTEX = r"""
@article{DBLP:journals/dcc/MaxwellPSW19,
  author = {Gregory Maxwell and Andrew Poelstra and Yannick Seurin and Pieter Wuille},
  title = {Simple Schnorr multi-signatures with applications to Bitcoin},
  journal = {Des. Codes Cryptogr.}, volume = {87}, number = {9}, pages = {2139--2164},
  year = {2019}, doi = {10.1007/S10623-019-00608-X}
}
@book{knuth, author = {Donald E. Knuth}, title = {The {TeX}book},
  publisher = {Addison-Wesley}, address = {Reading, MA}, year = {1984}}
"""


def test_bibtex_through_pandoc(schema_dir):
    items = read_bibliography(BIBTEX, "bibtex")
    ref_list, ids = ref_list_from_csl(items)
    assert ids == {"DBLP:journals/dcc/MaxwellPSW19": "ref-1", "knuth": "ref-2"}
    article = ref_list.find("ref[@id='ref-1']/element-citation")
    assert article.get("publication-type") == "journal"
    assert [n.text for n in article.iterfind(".//surname")] == [
        "Maxwell",
        "Poelstra",
        "Seurin",
        "Wuille",
    ]
    assert (
        article.findtext("source"),
        article.findtext("year"),
        article.findtext("volume"),
        article.findtext("issue"),
        article.findtext("fpage"),
        article.findtext("lpage"),
    ) == (
        "Des. Codes Cryptogr.",
        "2019",
        "87",
        "9",
        "2139",
        "2164",
    )
    assert article.findtext("pub-id[@pub-id-type='doi']") == "10.1007/S10623-019-00608-X"
    book = ref_list.find("ref[@id='ref-2']/element-citation")
    assert book.get("publication-type") == "book"
    assert book.findtext("source") == "The TeXbook"
    assert book.findtext("publisher-name") == "Addison-Wesley"
    assert validate(_article_with(ref_list), "jats-1.3") == []


def test_corpus_bibtex_file(corpus_dir):
    data = (corpus_dir / "iacr-latex-submit__toothpicks__main.bib").read_bytes()
    ref_list, ids = ref_list_from_csl(read_bibliography(data, "bibtex"))
    assert len(ref_list.findall("ref")) == len(ids) == 4


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        ("[]", "mla", "unknown bibliography format"),
        ("{not json", "csljson", "not CSL JSON"),
        ('{"id": "x"}', "csljson", "must be a list"),
    ],
)
def test_bad_bibliographies(data, fmt, message):
    with pytest.raises(BibliographyError, match=message):
        read_bibliography(data, fmt)


def test_link_superscript_and_bracket_ranges(schema_dir):
    refs = [VANCOUVER, APA, VANCOUVER, APA, VANCOUVER]
    article = _article_with(
        build_ref_list(refs),
        "<p>Known disease<sup>1,3–5</sup> in 10<sup>6</sup> cells per m<sup>2</sup>; "
        "earlier [1]–[4].</p>",
    )
    link_citations(article)
    pairs = [(x.text, x.get("rid")) for x in article.iter("xref")]
    assert pairs == [
        ("1", "ref-1"),
        ("3–5", "ref-3 ref-4 ref-5"),
        ("1", "ref-1"),
        ("4", "ref-2 ref-3 ref-4"),
    ]
    # exponents and units stay as they were
    assert [s.text for s in article.iter("sup")][1:] == ["6", "2"]
    assert validate(article, "jats-1.3") == []


def test_link_many_authors_particles_and_typos():
    refs = [
        "Debener, S., Minow, F., Emkes, R., Gandras, K., & de Vos, M. (2012). How about taking"
        " a low-cost EEG for a walk? Psychophysiology, 49(11), 1617–1621.",
        "Getzmann, S., Golob, E. J., & Wascher, E. (2016). Focused and divided attention."
        " Biological Psychology, 115, 1–10.",
        "VAN DIJK, T. Principles of critical discourse analysis. Discourse & Society, v. 4,"
        " n. 2, p. 249-283, 1993.",
        "LÓPEZ, E.; CANTAMUTTO, F. El orden social kirchnerista. Buenos Aires: Siglo XXI, 2018.",
    ]
    article = _article_with(
        build_ref_list(refs),
        "<p>Portable EEG (Debener, Minow, Emkes, Gandras, &amp; de Vos, 2012; Getzman, Golob"
        " &amp; Wascher, 2016); as Van Dijk (1993, p. 250) argues (LÓPEZ; CANTAMUTTO, 2018).</p>",
    )
    link_citations(article)
    assert [x.get("rid") for x in article.iter("xref")] == ["ref-1", "ref-2", "ref-3", "ref-4"]


def test_list_numbers_become_labels():
    ref_list = build_ref_list([f"[7] {VANCOUVER}", f"8. {APA}", "2019. A year is not a label."])
    refs = ref_list.findall("ref")
    assert [r.findtext("label") for r in refs] == ["7", "8", None]
    assert "".join(refs[0].find(".//mixed-citation").itertext()) == VANCOUVER
    article = _article_with(ref_list, "<p>As in [8] and [7].</p>")
    link_citations(article)
    assert [x.get("rid") for x in article.iter("xref")] == ["ref-2", "ref-1"]


def test_title_colon_is_not_pages_but_closing_colon_is():
    book = parse_reference("Smith J. Open access: 10 years on. London: Open Press; 2012.")
    assert (book.fpage, book.source, book.publisher_loc, book.publisher_name, book.year) == (
        "",
        "Open access: 10 years on",
        "London",
        "Open Press",
        "2012",
    )
    proceedings = parse_reference(
        "Batchelor C, Corbett P. Semantic enrichment of journal articles. Proc ACL. 2007:45-48."
    )
    assert (proceedings.source, proceedings.fpage, proceedings.lpage) == ("Proc ACL", "45", "48")


# --- preprints, data sets, software, web pages, GB/T 7714 -------------------------------


@pytest.mark.parametrize(
    "text, arxiv, year",
    [
        (
            "Kim S, Ortega P. Token pruning for tutors. arXiv:2310.04417v3 [cs.CL]. 2023.",
            "2310.04417v3",
            "2023",
        ),
        ("Baer, M. (1998). Strings on orbifolds. arXiv:hep-th/9805112.", "hep-th/9805112", "1998"),
        ("Lo T. Sparse tutors. 2022. https://arxiv.org/pdf/2201.00042.pdf", "2201.00042", "2022"),
    ],
)
def test_arxiv_ids_are_identifiers_not_years(text, arxiv, year):
    ref = parse_reference(text)
    assert (ref.arxiv, ref.year, ref.source, ref.publication_type) == (
        arxiv,
        year,
        "arXiv",
        "preprint",
    )
    assert ref.confident
    pub_id = element_citation(ref).find("pub-id[@pub-id-type='arxiv']")
    assert pub_id.text == arxiv


def test_preprint_server_from_the_doi_and_the_name():
    ref = parse_reference(
        "Uda K, Roy P. Tutoring at home. medRxiv. 2021. doi:10.1101/2021.02.03.21251076"
    )
    assert (ref.publication_type, ref.source) == ("preprint", "medRxiv")
    ref = parse_reference("Uda K. Tutoring at home. 2021. doi:10.21203/rs.3.rs-112233/v2")
    assert (ref.publication_type, ref.source) == ("preprint", "Research Square")
    # a Cold Spring Harbor journal shares bioRxiv's prefix but is no preprint
    ref = parse_reference(
        "Ode J. Chromatin loops. Genome Res. 2015;25(4):582-97. doi:10.1101/gr.185272.114"
    )
    assert ref.publication_type == "journal" and ref.source == "Genome Res"


def test_data_set_becomes_data_citation_with_data_title(schema_dir):
    text = (
        "Moe A, Ilic D. Maths anxiety survey, grades 5–9 [Data set]. Zenodo. 2020. "
        "doi:10.5281/zenodo.3900012"
    )
    ref = parse_reference(text)
    assert (ref.publication_type, ref.title, ref.source) == (
        "data",
        "Maths anxiety survey, grades 5–9",
        "Zenodo",
    )
    cit = element_citation(ref)
    assert cit.get("publication-type") == "data"
    assert cit.find("data-title").text == "Maths anxiety survey, grades 5–9"
    assert cit.find("article-title") is None


def test_software_tag_beats_the_zenodo_doi():
    ref = parse_reference(
        "Ruiz, T. (2022). gradeflow (Version 2.3.1) [Computer software]. "
        "https://doi.org/10.5281/zenodo.7001122"
    )
    assert (ref.publication_type, ref.version, ref.title, ref.source) == (
        "software",
        "2.3.1",
        "gradeflow",
        "Zenodo",
    )
    cit = element_citation(ref)
    assert cit.find("version").text == "2.3.1" and cit.find("data-title").text == "gradeflow"


def test_repository_url_makes_software():
    ref = parse_reference(
        "Abe N. lessonkit: lesson planning tools. 2019. https://gitlab.com/abe/lessonkit"
    )
    assert (ref.publication_type, ref.source, ref.url) == (
        "software",
        "GitLab",
        "https://gitlab.com/abe/lessonkit",
    )


def test_journal_article_linking_its_code_stays_a_journal_article():
    ref = parse_reference(
        "Lin Q, Barros F. Tracing misconceptions. J Learn Anal. 2021;8(2):33-49. "
        "Code: https://github.com/lin/tracing"
    )
    assert ref.publication_type == "journal" and ref.volume == "8"


@pytest.mark.parametrize(
    "text, iso, written",
    [
        (
            "Poe J. Open data in schools. 2021. Accessed 3 May 2024. https://e.example.org/a",
            "2024-05-03",
            "3 May 2024",
        ),
        (
            "Poe J. Open data in schools [Internet]. 2021 [cited 2024 May 3]. Available from: https://e.example.org/a",
            "2024-05-03",
            "2024 May 3",
        ),
        (
            "Poe, J. (2021). Open data in schools. Retrieved March 9, 2023, from https://e.example.org/a",
            "2023-03-09",
            "March 9, 2023",
        ),
        (
            "Poe J. Open data in schools. 2021. https://e.example.org/a (accessed 1 Feb 2024).",
            "2024-02-01",
            "1 Feb 2024",
        ),
        (
            "Poe J. 学校开放数据. 2021. https://e.example.org/a, 访问日期: 2024-05-03.",
            "2024-05-03",
            "2024-05-03",
        ),
    ],
)
def test_web_page_access_dates(text, iso, written, schema_dir):
    ref = parse_reference(text)
    assert (ref.publication_type, ref.access_date, ref.access_date_text) == (
        "webpage",
        iso,
        written,
    )
    assert ref.year == "2021" and ref.url == "https://e.example.org/a"
    accessed = element_citation(ref).find("date-in-citation")
    assert accessed.get("content-type") == "access-date"
    assert accessed.get("iso-8601-date") == iso and accessed.text == written


def test_impossible_access_date_is_not_invented():
    ref = parse_reference(
        "Poe J. Open data. 2021. Accessed 31 February 2024. https://e.example.org/a"
    )
    assert ref.access_date == ""


def test_gbt_journal_with_et_al_and_eastern_names():
    ref = parse_reference(
        "王小明, 欧阳晓, 李华, 等. 课堂对话分析[J]. 教育研究, 2019, 40(11): 23-31."
    )
    assert ref.authors == [("王", "小明"), ("欧阳", "晓"), ("李", "华")] and ref.etal
    assert (ref.title, ref.source, ref.year, ref.volume, ref.issue, ref.fpage, ref.lpage) == (
        "课堂对话分析",
        "教育研究",
        "2019",
        "40",
        "11",
        "23",
        "31",
    )
    assert ref.confident
    name = element_citation(ref).find("person-group/name")
    assert name.get("name-style") == "eastern"


def test_gbt_issue_only_and_organisation_author():
    ref = parse_reference("张三. 乡村教育观察[J]. 人民教育, 2020(5): 10-12.")
    assert (ref.year, ref.volume, ref.issue, ref.fpage) == ("2020", "", "5", "10")
    ref = parse_reference("教育部发展规划司. 教育统计数据2021[R]. 北京: 人民教育出版社, 2022.")
    assert ref.collab == "教育部发展规划司" and ref.authors == []
    assert (ref.publication_type, ref.source, ref.publisher_name) == (
        "report",
        "教育统计数据2021",
        "人民教育出版社",
    )
    assert element_citation(ref).find("person-group/collab").text == "教育部发展规划司"


def test_gbt_thesis_and_online_page(schema_dir):
    texts = [
        "周杰. 初中数学探究教学研究[D]. 重庆: 西南大学, 2017.",
        "国家开放大学. 学习平台使用指南[EB/OL]. (2022-08-01)[2024-05-03]. https://www.example.cn/guide.",
        "SONG L, PARK H. Feedback timing online[J]. Distance Educ, 2021, 42(2): 201-219.",
    ]
    thesis, page, english = (parse_reference(t) for t in texts)
    assert (thesis.publication_type, thesis.source, thesis.publisher_loc, thesis.year) == (
        "thesis",
        "初中数学探究教学研究",
        "重庆",
        "2017",
    )
    assert (page.publication_type, page.year, page.access_date, page.url) == (
        "webpage",
        "2022",
        "2024-05-03",
        "https://www.example.cn/guide",
    )
    assert english.authors == [("SONG", "L"), ("PARK", "H")] and english.source == "Distance Educ"
    assert validate(_article_with(build_ref_list(texts)), "jats-1.3") == []


@pytest.mark.parametrize("text", ["[J]", "张. [J].", "题名[M]", "[EB/OL]. ."])
def test_gbt_fragments_do_not_break(text):
    ref = parse_reference(text)
    assert ref is None or not ref.confident


def test_internet_journal_stays_a_journal_article():
    ref = parse_reference(
        "Ito H, Ruiz M. Remote labs in physics. J Med Internet Res [Internet]. 2020 "
        "[cited 2024 May 3];22(3):e15012. Available from: https://www.example.org/e15012"
    )
    assert (ref.publication_type, ref.volume, ref.elocation_id) == ("journal", "22", "e15012")
    assert ref.access_date == "2024-05-03"
