"""BibTeX, RIS and meta-tag writers: read back with real parsers (pybtex, rispy), with
the names and characters that break naive exporters."""

from __future__ import annotations

import datetime as dt

import pytest
import rispy
from pybtex.database import parse_string

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.meta import PartialDate, read_article_meta
from frontiers_de.publishing.citations import (
    Citation,
    Person,
    Placement,
    bibtex,
    bibtex_key,
    bibtex_name,
    citation_from_meta,
    highwire_tags,
    ris,
    tex_escape,
)
from frontiers_de.xml.safe import parse_xml
from tests.publishing_factories import JATS_FIXTURE, jats_with

PROFILE = JournalProfile(issn_online="2999-0001", issn_print="2999-0002", publisher="FDE Press")


def fixture_citation(**placement: object) -> Citation:
    meta = read_article_meta(parse_xml(JATS_FIXTURE))
    return citation_from_meta(meta, PROFILE, Placement(**placement))  # type: ignore[arg-type]


def parse_bib(text: str):
    entries = parse_string(text, "bibtex").entries
    assert len(entries) == 1
    return next(iter(entries.values()))


# --- the record read from JATS -------------------------------------------------------------


def test_citation_from_jats_reads_authors_dates_and_placement():
    c = fixture_citation(url="https://fde.example.org/articles/10.5555/fde.2026.0001")
    assert [p.inverted_name for p in c.authors] == ["Wang, Li", "Okafor, Ada"]
    assert c.authors[0].orcid == "0000-0002-1825-0097"
    assert c.authors[0].affiliations == ("Harvard University",)
    assert c.published == PartialDate(2026, 3, 15)
    assert (c.volume, c.issue, c.elocation_id) == ("2", "1", "e0001")
    assert c.doi == "10.5555/fde.2026.0001"
    assert c.keywords == ("learning analytics", "rural education")
    assert c.trans_titles == (("zh", "农村学校的学习分析"),)
    assert c.abstract.startswith("We measured how learning analytics dashboards")


def test_journal_settings_win_over_the_jats_journal_meta():
    c = fixture_citation()
    # The fixture's JATS says 2999-9994; the journal's settings say otherwise.
    assert c.issns == ("2999-0001", "2999-0002")
    without_settings = citation_from_meta(read_article_meta(parse_xml(JATS_FIXTURE)))
    assert without_settings.issns == ("2999-9994",)


def test_placement_wins_over_the_jats_and_fills_what_it_lacks():
    c = fixture_citation(volume="3", issue="2", doi="10.5555/FDE.2026.0001")
    assert (c.volume, c.issue, c.doi) == ("3", "2", "10.5555/FDE.2026.0001")
    no_date = (
        jats_with("10.5555/x")
        .replace("<pub-date", "<pub-date-x")
        .replace("</pub-date>", "</pub-date-x>")
    )
    meta = read_article_meta(parse_xml(no_date.encode()))
    c = citation_from_meta(meta, PROFILE, Placement(published=dt.date(2026, 5, 4)))
    assert c.published == PartialDate(2026, 5, 4)


# --- BibTeX ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50% & $5 #1", r"50\% \& \$5 \#1"),
        ("a_b {c}", r"a\_b \{c\}"),
        ("~ ^", r"\textasciitilde{} \textasciicircum{}"),
        ("back\\slash", r"back\textbackslash{}slash"),
        ("café 数字教育 Øresund", "café 数字教育 Øresund"),
        ("two\n  lines", "two lines"),
    ],
)
def test_tex_escape(text, expected):
    assert tex_escape(text) == expected


def test_bibtex_names_split_as_bibtex_splits_them():
    people = (
        Person("van der Berg", "Ludwig"),
        Person("王", "丽"),
        Person(collab="Ministry of Science and Technology"),
        Person("King", "Martin", suffix="Jr."),
        Person("De Rosa", "Mario"),
        Person("Le Corbusier"),
        Person("O'Brien {Jr}", "Seán"),
    )
    entry = parse_bib(bibtex(Citation(title="T", authors=people)))
    split = [
        (p.first_names, p.prelast_names, p.last_names, p.lineage_names)
        for p in entry.persons["author"]
    ]
    assert split == [
        (["Ludwig"], ["van", "der"], ["Berg"], []),
        (["丽"], [], ["王"], []),  # non-ASCII kept as UTF-8
        ([], [], ["{Ministry of Science and Technology}"], []),  # one author, not two
        (["Martin"], [], ["King"], ["Jr."]),
        (["Mario"], [], ["De", "Rosa"], []),
        ([], [], ["{Le Corbusier}"], []),
        (["Seán"], [], ["O'Brien", r"\{Jr\}"], []),
    ]


def test_bibtex_name_braces_a_comma_or_and_inside_a_name_part():
    assert bibtex_name(Person("Smith, Jones", "Anne")) == "{Smith, Jones}, Anne"
    assert bibtex_name(Person("Anderson", "Mary and")) == "Anderson, {Mary and}"
    assert bibtex_name(Person("Anderson", "Mary")) == "Anderson, Mary"


def test_bibtex_title_protects_acronyms_and_escapes_specials():
    c = Citation(title="AI in MOOCs: 50% of iPad use & COVID-19 {sic}")
    assert parse_bib(bibtex(c)).fields["title"] == (
        r"{AI} in {MOOCs:} 50\% of {iPad} use \& {COVID-19} \{sic\}"
    )


def test_bibtex_entry_has_every_field_of_the_article():
    c = fixture_citation(
        volume="1", issue="1", url="https://fde.example.org/articles/10.5555/fde.2026.0001"
    )
    text = bibtex(c)
    entry = parse_bib(text)
    assert entry.type == "article"
    assert entry.key == "Wang2026learning"
    f = entry.fields
    assert f["journal"] == "Frontiers of Digital Education"
    assert (f["year"], f["month"], f["volume"], f["number"]) == ("2026", "March", "1", "1")
    assert f["pages"] == "e0001"
    assert f["doi"] == "10.5555/fde.2026.0001"
    assert f["url"] == "https://fde.example.org/articles/10.5555/fde.2026.0001"
    assert f["issn"] == "2999-0001, 2999-0002"
    assert f["publisher"] == "FDE Press"
    assert f["abstract"].startswith("We measured")
    assert f["keywords"] == "learning analytics, rural education"
    assert "month = mar," in text  # the month macro, not a string


def test_bibtex_pages_from_first_and_last_page():
    c = Citation(title="T", fpage="12", lpage="18", elocation_id="e0001")
    assert parse_bib(bibtex(c)).fields["pages"] == "12--18"
    assert parse_bib(bibtex(Citation(title="T", fpage="7"))).fields["pages"] == "7"


def test_bibtex_keeps_a_doi_verbatim_but_cannot_be_broken_by_braces():
    c = Citation(title="T", doi="10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0")
    assert parse_bib(bibtex(c)).fields["doi"] == c.doi
    odd = Citation(title="T", doi="10.5555/a}b{c")
    assert parse_bib(bibtex(odd)).fields["doi"] == "10.5555/a%7Db%7Bc"


def test_bibtex_key_is_ascii():
    assert bibtex_key(Citation(title="Über Lernen", authors=(Person("Müller", "Jörg"),))) == (
        "Muller"  # no year: no publication date
        "uber"
    )
    chinese = Citation(
        title="数字教育",
        authors=(Person("王", "丽"),),
        doi="10.5555/fde.2026.0009",
        published=PartialDate(2026),
    )
    assert bibtex_key(chinese) == "10.5555_fde.2026.0009"
    assert bibtex_key(Citation(title="On the edge", published=PartialDate(2025))) == (
        "article2025edge"
    )
    assert bibtex_key(Citation(title="T", authors=(Person("van der Berg", "L"),))) == "Bergt"


def test_bibtex_leaves_out_what_is_unknown():
    entry = parse_bib(bibtex(Citation(title="Only a title")))
    assert set(entry.fields) == {"title", "langid"}


# --- RIS ------------------------------------------------------------------------------------


def test_ris_lines_end_in_crlf_and_read_back():
    c = fixture_citation(
        volume="1",
        issue="1",
        url="https://fde.example.org/a",
        pdf_url="https://fde.example.org/a/pdf",
    )
    text = ris(c)
    assert text.startswith("TY  - JOUR\r\n") and text.endswith("ER  - \r\n")
    assert all(line[2:6] == "  - " for line in text.split("\r\n") if line)
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "JOUR"
    assert record["authors"] == ["Wang, Li", "Okafor, Ada"]
    assert record["year"] == "2026" and record["date"] == "2026/03/15"
    assert record["secondary_title"] == "Frontiers of Digital Education"
    assert record["alternate_title1"] == "Front. Digit. Educ."  # J2
    assert (record["volume"], record["number"], record["start_page"]) == ("1", "1", "e0001")
    assert record["doi"] == "10.5555/fde.2026.0001"
    assert record["urls"] == ["https://fde.example.org/a"]
    assert record["file_attachments1"] == "https://fde.example.org/a/pdf"
    assert record["issn"] == "2999-0001, 2999-0002"
    assert record["keywords"] == ["learning analytics", "rural education"]
    assert record["language"] == "en"
    assert record["abstract"].startswith("We measured")


def test_ris_keeps_names_as_written_and_folds_line_breaks():
    c = Citation(
        title="Line one\nline two",
        authors=(
            Person("van der Berg", "Ludwig"),
            Person("王", "丽"),
            Person("King", "Martin", suffix="Jr."),
            Person(collab="Ministry of Science and Technology"),
        ),
        abstract="First paragraph.\n\nSecond paragraph.",
        fpage="12",
        lpage="18",
        published=PartialDate(2026, 5),
    )
    (record,) = rispy.loads(ris(c))
    assert record["title"] == "Line one line two"
    assert record["authors"] == [
        "van der Berg, Ludwig",
        "王, 丽",
        "King, Martin, Jr.",
        "Ministry of Science and Technology",
    ]
    assert record["abstract"] == "First paragraph. Second paragraph."
    assert (record["start_page"], record["end_page"]) == ("12", "18")
    assert record["date"] == "2026/05/"


# --- Highwire meta tags ---------------------------------------------------------------------


def test_highwire_tags_name_each_author_with_institution_and_orcid():
    tags = highwire_tags(fixture_citation(url="https://x/a", pdf_url="https://x/a/pdf"))
    names = [n for n, _ in tags]
    assert names.index("citation_author") < names.index("citation_author_institution")
    assert ("citation_author_orcid", "0000-0002-1825-0097") in tags
    assert ("citation_publication_date", "2026/03/15") in tags
    assert ("citation_firstpage", "e0001") in tags
    assert ("citation_pdf_url", "https://x/a/pdf") in tags
    assert [v for n, v in tags if n == "citation_issn"] == ["2999-0001", "2999-0002"]
    assert all(value for _, value in tags)


# --- abstracts keep their paragraphs ------------------------------------------------------


def two_paragraph_citation() -> Citation:
    text = JATS_FIXTURE.read_text(encoding="utf-8")
    start = text.index("<abstract>")
    end = text.index("</abstract>") + len("</abstract>")
    text = (
        text[:start] + "<abstract><title>Abstract</title><p>We release the code, so the study is "
        "reproducible.</p>\n<p>We adapt the method to rural schools.</p></abstract>" + text[end:]
    )
    meta = read_article_meta(parse_xml(text.encode("utf-8")))
    return citation_from_meta(meta, PROFILE)


def test_abstract_paragraphs_are_not_run_together():
    c = two_paragraph_citation()
    assert c.abstract == (
        "We release the code, so the study is reproducible. We adapt the method to rural schools."
    )
    assert c.abstract_paragraphs == (
        "We release the code, so the study is reproducible.",
        "We adapt the method to rural schools.",
    )


def test_bibtex_keeps_abstract_paragraphs_apart_with_a_blank_line():
    entry = bibtex(two_paragraph_citation())
    assert "reproducible.\n\nWe adapt" in entry
    assert parse_bib(entry).fields["abstract"].startswith("We release the code")


def test_ris_abstract_is_one_line_with_a_space_between_paragraphs():
    record = rispy.loads(ris(two_paragraph_citation()))[0]
    assert record["abstract"] == (
        "We release the code, so the study is reproducible. We adapt the method to rural schools."
    )


def test_atom_summary_and_search_text_keep_the_paragraphs_apart():
    from lxml import etree

    from frontiers_de.publishing.feeds import ATOM_NS, FeedEntry, atom_feed
    from frontiers_de.publishing.search import fields_from_meta
    from tests.unit.publishing.test_feeds import INFO

    c = two_paragraph_citation()
    day = dt.datetime(2026, 3, 15, tzinfo=dt.UTC)
    feed = etree.fromstring(atom_feed(INFO, [FeedEntry(c, published=day, updated=day)]))
    summary = feed.find(f".//{{{ATOM_NS}}}summary")
    assert summary.text == (
        "We release the code, so the study is reproducible.\n\n"
        "We adapt the method to rural schools."
    )
    text = JATS_FIXTURE.read_text(encoding="utf-8").replace(
        "</p>\n      </abstract>", "</p><p>Second paragraph.</p>\n      </abstract>"
    )
    assert "<p>Second paragraph.</p>" in text
    fields = fields_from_meta(read_article_meta(parse_xml(text.encode("utf-8"))))
    assert "d=0.4. second paragraph." in fields.abstract  # folded to lower case for search
