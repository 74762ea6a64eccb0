"""Search: folding, the query, the documents, ranking, Chinese, filters, wildcards and
snippets."""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

import pytest

from frontiers_de.articles.models import ArticleState
from frontiers_de.publishing import search
from frontiers_de.publishing.models import ArticleSearchDocument
from frontiers_de.publishing.search import SearchFilters, Segment, parse_query
from tests.factories import make_journal
from tests.publishing_factories import jats_with, publish_article


def jats_for(
    doi: str,
    *,
    title: str,
    abstract: str = "A study of teaching.",
    keywords: tuple[str, ...] = ("teaching",),
    surname: str = "Okafor",
) -> str:
    """The fixture's JATS with its own title, English abstract, English keywords and second
    author's surname (the first author stays Li Wang, 王丽)."""
    text = jats_with(doi, title=title)
    text = re.sub(
        r"<abstract>.*?</abstract>",
        lambda _m: f"<abstract><p>{escape(abstract)}</p></abstract>",
        text,
        count=1,
        flags=re.S,
    )
    kwds = "".join(f"<kwd>{escape(k)}</kwd>" for k in keywords)
    text = re.sub(
        r'(<kwd-group kwd-group-type="author" xml:lang="en">).*?(</kwd-group>)',
        lambda m: m[1] + kwds + m[2],
        text,
        count=1,
        flags=re.S,
    )
    return text.replace("<surname>Okafor</surname>", f"<surname>{escape(surname)}</surname>")


def add(db, journal, doi: str, *, day: int = 1, year: int = 2026, **kwargs):
    section = kwargs.pop("section_code", "research-article")
    state = kwargs.pop("state", ArticleState.PUBLISHED)
    title = kwargs["title"]
    return publish_article(
        db,
        journal,
        doi,
        title=title,
        jats=jats_for(doi, **kwargs),
        section_code=section,
        state=state,
        published_at=dt.datetime(year, 3, day, 9, tzinfo=dt.UTC),
    )


def dois(page: search.SearchPage) -> list[str]:
    return [h.article.doi for h in page.hits]


def run(db, journal, q: str, **kwargs) -> search.SearchPage:
    filters = SearchFilters(kwargs.pop("section", ""), kwargs.pop("year", None))
    return search.search(db, journal.id, parse_query(q), filters, **kwargs)


# --- folding and the query ----------------------------------------------------------------


def test_fold_folds_case_accents_widths_dashes_and_spaces():
    assert search.fold("Müller  ÉCOLE\tｌｅａｒｎｉｎｇ") == "muller ecole learning"
    assert search.fold("COVID\u201119 O\u2019Brien") == "covid-19 o'brien"
    assert search.fold("Straße") == "strasse"
    assert search.fold("a\x00b\u200bc") == "abc"
    assert search.fold("农村学校") == "农村学校"


def test_fold_with_origins_maps_back_to_the_original():
    text = "Über  Straße"
    folded, origins = search.fold_with_origins(text)
    assert folded == "uber strasse"
    start = folded.index("strasse")
    assert text[origins[start] : origins[start + len("strasse") - 1] + 1] == "Straße"


def test_parse_query_terms_phrases_and_punctuation():
    q = parse_query('  Learning, "rural  Schools" (dashboards)  learning ')
    assert q.terms == ("learning", "rural schools", "dashboards")
    assert q.text == 'Learning, "rural Schools" (dashboards) learning'
    assert parse_query('"unclosed phrase').terms == ("unclosed", "phrase")
    assert parse_query('""  "').terms == ()
    assert parse_query("").terms == ()


def test_parse_query_splits_chinese_into_pairs_and_keeps_short_words():
    assert parse_query("疫情").terms == ("疫情",)
    assert parse_query("学习分析").terms == ("学习", "习分", "分析")
    assert parse_query("COVID-19疫情").terms == ("covid-19", "疫情")
    assert parse_query('"学习分析"').terms == ("学习分析",)  # quoted: together
    assert parse_query("学").terms == ("学",)


def test_parse_query_caps_length_and_terms_and_drops_control_characters():
    long = parse_query("x" * 5000)
    assert long.shortened and len(long.text) == search.MAX_QUERY_CHARS
    many = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert many.dropped_terms and len(many.terms) == search.MAX_TERMS
    assert parse_query("ab\x00c\x1b[31m d\r\ne").terms == ("abc[31m", "d", "e")
    assert parse_query("%  _  \\").terms == ("%", "_", "\\")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2),
        ("", 1),
        (None, 1),
        ("0", 1),
        ("-3", 1),
        ("abc", 1),
        ("1e3", 1),
        ("٣", 1),
        ("9" * 7, 1),
        (" 4 ", 4),
    ],
)
def test_parse_page(value, expected):
    assert search.parse_page(value) == expected


def test_page_size_setting():
    assert search.page_size_from({}) == search.DEFAULT_PAGE_SIZE
    assert search.page_size_from({"fde.search.page_size": "5"}) == 5
    assert search.page_size_from({"fde.search.page_size": "0"}) == 1
    assert search.page_size_from({"fde.search.page_size": "100000"}) == search.MAX_PAGE_SIZE
    assert search.page_size_from({"fde.search.page_size": "many"}) == search.DEFAULT_PAGE_SIZE


# --- the document -------------------------------------------------------------------------


def test_document_holds_titles_keywords_names_doi_and_abstracts(dbsession):
    journal = make_journal(dbsession)
    article = add(dbsession, journal, "10.5555/DOC.1", title="Rural Schools")
    document = dbsession.get(ArticleSearchDocument, article.id)
    assert document.title_text == "rural schools\n农村学校的学习分析"
    assert document.keywords_text == "teaching\n学习分析"
    assert document.authors_text == "li wang\nada okafor\n王丽"
    assert document.doi_text == "10.5555/doc.1"
    assert "a study of teaching." in document.abstract_text
    assert "我们研究了学习分析仪表板" in document.abstract_text
    assert document.display["title"] == "Rural Schools"
    assert document.display["authors"] == ["Li Wang", "Ada Okafor"]


def test_document_without_jats_has_the_database_title(dbsession):
    journal = make_journal(dbsession)
    article = publish_article(dbsession, journal, "10.5555/nojats", title="Only a title", jats=None)
    document = dbsession.get(ArticleSearchDocument, article.id)
    assert document.title_text == "only a title"
    assert document.abstract_text == ""


def test_reindex_all_rewrites_every_document(dbsession):
    journal = make_journal(dbsession)
    article = add(dbsession, journal, "10.5555/re.1", title="Old words")
    dbsession.get(ArticleSearchDocument, article.id).title_text = "stale"
    assert search.reindex_all(dbsession) >= 1
    assert dbsession.get(ArticleSearchDocument, article.id).title_text.startswith("old words")


# --- searching ----------------------------------------------------------------------------


@pytest.fixture
def corpus(dbsession):
    journal = make_journal(dbsession)
    add(
        dbsession,
        journal,
        "10.5555/s.abs-new",
        title="Teaching online",
        day=20,
        abstract="Remote classes during the pandemic changed assessment.",
    )
    add(dbsession, journal, "10.5555/s.title-old", title="The pandemic and schools", day=2)
    add(
        dbsession,
        journal,
        "10.5555/s.kwd",
        title="Assessment reform",
        day=5,
        keywords=("pandemic", "assessment"),
    )
    add(
        dbsession, journal, "10.5555/s.author", title="Teacher networks", day=6, surname="Pandemica"
    )
    add(
        dbsession,
        journal,
        "10.5555/s.review",
        title="A review of pandemic studies",
        section_code="review",
        year=2025,
    )
    add(
        dbsession,
        journal,
        "10.5555/s.retracted",
        title="Retracted pandemic paper",
        state=ArticleState.RETRACTED,
    )
    add(
        dbsession,
        journal,
        "10.5555/s.draft",
        title="Pandemic draft",
        state=ArticleState.IN_PRODUCTION,
    )
    add(dbsession, journal, "10.5555/s.other", title="Unrelated", abstract="Nothing here.")
    return journal


def test_title_keyword_and_author_matches_rank_above_abstract_ones_then_newer(dbsession, corpus):
    page = run(dbsession, corpus, "pandemic")
    assert dois(page) == [
        "10.5555/s.author",  # strong matches, newest first (6, 5, 2 March 2026, then 2025)
        "10.5555/s.kwd",
        "10.5555/s.title-old",
        "10.5555/s.review",
        "10.5555/s.abs-new",  # only in the abstract: last although newest
    ]
    assert [h.score for h in page.hits] == [2, 2, 2, 2, 1]
    assert page.total == 5


def test_every_term_must_match(dbsession, corpus):
    assert dois(run(dbsession, corpus, "pandemic assessment")) == [
        "10.5555/s.kwd",  # both in the keywords
        "10.5555/s.abs-new",  # both in the abstract
    ]
    assert run(dbsession, corpus, "pandemic nonexistentword").total == 0


def test_unpublished_and_retracted_articles_are_not_found(dbsession, corpus):
    found = dois(run(dbsession, corpus, "pandemic"))
    assert "10.5555/s.retracted" not in found and "10.5555/s.draft" not in found


def test_doi_and_native_names_are_found(dbsession, corpus):
    assert dois(run(dbsession, corpus, "10.5555/S.KWD")) == ["10.5555/s.kwd"]
    assert run(dbsession, corpus, "王丽").total == 6  # every fixture article has Li Wang
    assert run(dbsession, corpus, "Li Wang").total == 6


def test_chinese_query_finds_chinese_text_without_spaces(dbsession, corpus):
    # Titles and abstracts hold 农村学校的学习分析 / 我们研究了学习分析仪表板如何改变农村学校的教学
    assert run(dbsession, corpus, "学习分析").total == 6
    assert run(dbsession, corpus, "农村教学").total == 0  # 村教 is not in any text
    assert run(dbsession, corpus, "仪表板如何").total == 6
    assert run(dbsession, corpus, "农村 教学").total == 6  # two words apart
    assert run(dbsession, corpus, '"学校的教学"').total == 6  # a phrase: together
    assert run(dbsession, corpus, '"学校教学"').total == 0
    assert run(dbsession, corpus, '"农村学校的教学" 疫情').total == 0


def test_filters_by_type_and_year(dbsession, corpus):
    assert dois(run(dbsession, corpus, "pandemic", section="review")) == ["10.5555/s.review"]
    assert dois(run(dbsession, corpus, "pandemic", year=2025)) == ["10.5555/s.review"]
    assert run(dbsession, corpus, "pandemic", year=2026).total == 4
    assert run(dbsession, corpus, "pandemic", year=1999).total == 0
    assert run(dbsession, corpus, "pandemic", year=9999).total == 0
    assert run(dbsession, corpus, "pandemic", year=-5).total == 0
    # Filters alone list articles, newest first.
    assert dois(run(dbsession, corpus, "", section="review")) == ["10.5555/s.review"]
    assert search.years_of(dbsession, corpus.id) == [2026, 2025]


def test_nothing_asked_is_no_search(dbsession, corpus):
    page = run(dbsession, corpus, "  \x00 ")
    assert not page.searched and page.total == 0 and page.hits == []


def test_like_wildcards_and_backslashes_are_literal(dbsession):
    journal = make_journal(dbsession)
    add(dbsession, journal, "10.5555/w.pct", title="Fees", abstract="Costs rose by 50% in a year.")
    add(
        dbsession,
        journal,
        "10.5555/w.plain",
        title="Fees again",
        abstract="Costs rose by 500 at a learning rate.",
    )
    add(
        dbsession,
        journal,
        "10.5555/w.under",
        title="Field names",
        abstract="The column learning_rate and C:\\data\\set were used.",
    )
    assert dois(run(dbsession, journal, "50%")) == ["10.5555/w.pct"]
    assert run(dbsession, journal, "%").total == 1  # a literal percent sign, not "anything"
    assert dois(run(dbsession, journal, "learning_rate")) == ["10.5555/w.under"]
    assert dois(run(dbsession, journal, '"learning rate"')) == ["10.5555/w.plain"]
    assert run(dbsession, journal, "_").total == 1
    assert dois(run(dbsession, journal, "c:\\data")) == ["10.5555/w.under"]
    assert run(dbsession, journal, "\\").total == 1
    assert run(dbsession, journal, "'; DROP TABLE articles; --").total == 0
    assert run(dbsession, journal, "/ // %/ _/").total == 0  # SQLAlchemy's escape character


def test_pages_and_a_page_past_the_last(dbsession):
    journal = make_journal(dbsession)
    for n in range(7):
        add(dbsession, journal, f"10.5555/p.{n}", title=f"Paging study {n}", day=n + 1)
    first = run(dbsession, journal, "paging", page=1, page_size=3)
    assert (first.total, first.pages, first.first, first.last) == (7, 3, 1, 3)
    assert dois(first) == ["10.5555/p.6", "10.5555/p.5", "10.5555/p.4"]
    last = run(dbsession, journal, "paging", page=3, page_size=3)
    assert dois(last) == ["10.5555/p.0"] and (last.first, last.last) == (7, 7)
    beyond = run(dbsession, journal, "paging", page=99, page_size=3)
    assert beyond.page == 3 and beyond.page_requested == 99 and dois(beyond) == ["10.5555/p.0"]


# --- snippets and highlighting ------------------------------------------------------------


def test_highlight_marks_matches_in_the_original_text():
    assert search.highlight("Müller and MULLER", ("muller",)) == [
        Segment("Müller", True),
        Segment(" and "),
        Segment("MULLER", True),
    ]
    # Overlapping Chinese pairs are one mark.
    assert search.highlight("农村学校的学习分析", parse_query("学习分析").terms) == [
        Segment("农村学校的"),
        Segment("学习分析", True),
    ]
    assert search.highlight("<b>x</b>", ("<b>",)) == [Segment("<b>", True), Segment("x</b>")]


def test_snippet_is_cut_around_the_first_match():
    text = " ".join(f"word{n}" for n in range(200)) + " pandemic " + "tail " * 100
    snippet = search.make_snippet(text, ("pandemic",), size=120)
    joined = "".join(s.text for s in snippet)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert [s.text for s in snippet if s.marked] == ["pandemic"]
    assert len(joined) <= 125
    assert "word19" not in joined.split()  # starts near the match, cut at a space
    short = search.make_snippet("Short text.", ("nothing",))
    assert short == [Segment("Short text.")]
    start = search.make_snippet("x " * 300, ("nothing",), size=50)
    assert "".join(s.text for s in start).endswith(" …")


def test_hits_carry_highlighted_title_and_snippet(dbsession, corpus):
    hit = run(dbsession, corpus, "pandemic assessment").hits[1]
    assert [s.text for s in hit.snippet if s.marked] == ["pandemic", "assessment"]
    assert hit.snippet_lang == "en"
    title = run(dbsession, corpus, "pandemic").hits[2]
    assert [s.text for s in title.title if s.marked] == ["pandemic"]
    chinese = run(dbsession, corpus, "仪表板", locale="zh").hits[0]
    assert chinese.snippet_lang == "zh"
    assert [s.text for s in chinese.snippet if s.marked] == ["仪表板"]


def test_fold_and_its_mapped_form_agree_on_any_text():
    import random

    rng = random.Random(7)
    alphabet = [
        chr(c) for c in [*range(0x0, 0x600), *range(0x2000, 0x2100), *range(0x4E00, 0x4E80)]
    ]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        folded, origins = search.fold_with_origins(text)
        assert folded == search.fold(text)
        assert len(origins) == len(folded) and origins == sorted(origins)


def test_a_document_without_bylines_still_shows_the_authors(dbsession, corpus):
    for document in dbsession.query(ArticleSearchDocument):
        document.display = {k: v for k, v in document.display.items() if k != "byline"}
    dbsession.flush()
    hit = run(dbsession, corpus, "pandemic").hits[0]
    assert [("".join(s.text for s in name), native) for name, native in hit.authors] == [
        ("Li Wang", []),
        ("Ada Pandemica", []),
    ]
