"""Searching the published articles.

Each article has one search document (:class:`ArticleSearchDocument`): its title and
translated titles, keywords, author names (native-script names too), DOI and abstracts,
folded to one comparable form (:func:`fold`: compatibility forms, case and accents folded,
dashes and apostrophes unified, white space collapsed). The document is written when the
JATS changes and on publication (``publishing/subscribers.py``, hearing the articles
domain's events), and again by ``fde search reindex``; the query filters on the article's
own state, so an article that is retracted leaves the results at once.

Matching is plain substring matching (``LIKE`` with the wildcards escaped), which behaves
the same on SQLite and PostgreSQL and suits Chinese, which has no spaces between words:
a run of Chinese characters longer than two is matched by its overlapping character pairs
(bigrams), so "农村学校教学" finds a text that has the words in another order or apart.
Every term must match (AND). An article scores 2 for a term found in its title, keywords,
author names or DOI and 1 for a term found only in an abstract; higher scores come first,
then newer articles.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy import ColumnElement, and_, case, extract, false, func, literal, or_, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.db.meta import utcnow
from frontiers_de.folding import fold, fold_with_origins, split_scripts
from frontiers_de.journals.models import Section
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
from frontiers_de.publishing.models import ArticleSearchDocument
from frontiers_de.publishing.settings import (
    MAX_SEARCH_PAGE_SIZE,
    SEARCH_PAGE_SIZE,
    PublishingSettings,
)
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import XMLInputError, parse_xml

VISIBLE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
DEFAULT_PAGE_SIZE = SEARCH_PAGE_SIZE
MAX_PAGE_SIZE = MAX_SEARCH_PAGE_SIZE
SNIPPET_CHARS = 260

# --- the query ------------------------------------------------------------------------------

# Sentence punctuation around a word is not part of it; %, _ and \ are kept (and matched
# literally: the wildcards are escaped).
_EDGE_PUNCTUATION = ",.;:!?()[]{}<>\"'“”‘’«»、，。；：！？（）【】《》「」『』"
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query: what was typed (cleaned and capped, for the search box) and the
    folded terms that every result must contain."""

    text: str
    terms: tuple[str, ...]
    shortened: bool = False  # the query was longer than MAX_QUERY_CHARS
    dropped_terms: bool = False  # more than MAX_TERMS terms: the rest were ignored


def clean_query(raw: str) -> tuple[str, bool]:
    """The query without control characters, white space collapsed, at most
    ``MAX_QUERY_CHARS`` characters; and whether it had to be shortened."""
    text = "".join(
        " " if ch.isspace() else ch
        for ch in raw
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        return text[:MAX_QUERY_CHARS].rstrip(), True
    return text, False


def parse_query(raw: str) -> ParsedQuery:
    """Split a query into terms. ``"a phrase"`` in quotes is one term (its words together,
    in order); an unmatched quote is ignored; sentence punctuation around a word is dropped.
    Repeated terms count once; at most ``MAX_TERMS`` are used."""
    text, shortened = clean_query(raw)
    terms: list[str] = []
    for m in _TOKEN_RE.finditer(text):
        quoted = m.group(1) is not None
        token = fold(m.group(1) if quoted else m.group(2).strip(_EDGE_PUNCTUATION))
        if quoted:
            candidates = [token.strip()]
        else:
            token = token.replace('"', "")
            candidates = split_scripts(token, quoted=False) if token else []
        for term in candidates:
            if term and term not in terms:
                terms.append(term)
    dropped = len(terms) > MAX_TERMS
    return ParsedQuery(text, tuple(terms[:MAX_TERMS]), shortened, dropped)


# --- the document -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFields:
    """What an article's document holds: folded text to match, and the original text to
    show in the results."""

    title: str
    keywords: str
    authors: str
    doi: str
    abstract: str
    display: dict[str, Any]

    def columns(self) -> dict[str, Any]:
        return {
            "title_text": self.title,
            "keywords_text": self.keywords,
            "authors_text": self.authors,
            "doi_text": self.doi,
            "abstract_text": self.abstract,
            "display": self.display,
        }


def _joined(values: Iterable[str]) -> str:
    return "\n".join(fold(v) for v in values if v and v.strip())


def fields_from_meta(meta: ArticleMeta, title: str = "", doi: str = "") -> SearchFields:
    """The search fields of an article from its JATS metadata (``title`` and ``doi``: the
    database's, used where the JATS has none)."""
    main_title = meta.title or title
    titles = [main_title, meta.subtitle, *(t for _lang, t in meta.trans_titles)]
    keywords = [k for values in meta.keywords.values() for k in values]
    names: list[str] = []
    native: list[str] = []
    byline: list[list[str]] = []  # [name, native-script name or ""] per author
    for c in meta.authors:
        own = [n for _lang, n in c.native_names if n]
        if c.display_name:
            names.append(c.display_name)
            byline.append([c.display_name, own[0] if own else ""])
        native.extend(n for n in own if n not in native)
    abstracts = [{"lang": a.lang, "text": a.text} for a in meta.abstracts if a.text]
    the_doi = (meta.doi or doi).strip()
    return SearchFields(
        title=_joined(titles),
        keywords=_joined(keywords),
        authors=_joined([*names, *native]),
        doi=fold(the_doi),
        abstract=_joined(a["text"] for a in abstracts),
        display={
            "title": main_title,
            "trans_titles": [[lang, t] for lang, t in meta.trans_titles if t],
            "authors": names,
            "native_authors": native,
            "byline": byline,
            "abstracts": abstracts,
        },
    )


def fields_from_jats(jats: str | None, title: str = "", doi: str = "") -> SearchFields:
    """The search fields from a stored JATS text (no JATS, or one that does not parse:
    the database's title and DOI only)."""
    meta = ArticleMeta()
    if jats:
        try:
            meta = read_article_meta(parse_xml(jats.encode("utf-8")))
        except XMLInputError:
            meta = ArticleMeta()
    return fields_from_meta(meta, title, doi)


def index_article(
    db: Session, article: Article, tree: etree._ElementTree | None = None
) -> ArticleSearchDocument:
    """Write the article's search document from its current JATS (``tree``: the JATS
    already parsed). Called where the JATS changes and on publication."""
    if tree is not None:
        fields = fields_from_meta(read_article_meta(tree), article.title, article.doi or "")
    else:
        fields = fields_from_jats(article.jats_xml, article.title, article.doi or "")
    if article.id is None:
        db.flush()
    document = db.get(ArticleSearchDocument, article.id)
    if document is None:
        document = ArticleSearchDocument(article_id=article.id)
        db.add(document)
    for name, value in fields.columns().items():
        setattr(document, name, value)
    document.indexed_at = utcnow()
    return document


def reindex_all(db: Session) -> int:
    """Write every article's search document again (after an upgrade of the folding, or for
    articles stored before search existed); the number written."""
    count = 0
    for article in db.scalars(select(Article).order_by(Article.id)):
        index_article(db, article)
        count += 1
    db.flush()
    return count


# --- searching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of text to show, marked when it matched the query."""

    text: str
    marked: bool = False


@dataclass
class SearchHit:
    article: Article
    section: Section | None
    score: int
    title: list[Segment]
    authors: list[tuple[list[Segment], list[Segment]]]  # (name, native-script name)
    trans_titles: list[tuple[str, list[Segment]]]  # (language, title)
    snippet: list[Segment]
    snippet_lang: str


@dataclass
class SearchFilters:
    section: str = ""  # a section's code
    year: int | None = None


@dataclass
class SearchPage:
    query: ParsedQuery
    filters: SearchFilters
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    page_requested: int = 1  # the page asked for (before it was brought into range)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def searched(self) -> bool:
        """Whether anything was asked (terms or a filter): otherwise only the form shows."""
        return bool(self.query.terms) or bool(self.filters.section) or self.filters.year is not None

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.page_size)


def parse_page(value: str | None) -> int:
    """A page number from the query string: anything that is not a positive whole number
    of at most six digits is page 1."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return 1
    return max(1, int(value))


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if len(value) == 4 and value.isascii() and value.isdigit():
        return int(value)
    return None


def page_size_from(settings: Mapping[str, Any]) -> int:
    """``fde.search.page_size`` (default 20), kept between 1 and 100."""
    return PublishingSettings.of(settings).search_page_size


def _term_matches(column: Any, term: str) -> ColumnElement[bool]:
    return column.contains(term, autoescape=True)


def _strong(term: str) -> ColumnElement[bool]:
    d = ArticleSearchDocument
    return or_(
        _term_matches(d.title_text, term),
        _term_matches(d.keywords_text, term),
        _term_matches(d.authors_text, term),
        _term_matches(d.doi_text, term),
    )


def sections_of(db: Session, journal_id: int) -> list[Section]:
    return list(
        db.scalars(
            select(Section).where(Section.journal_id == journal_id).order_by(Section.position)
        )
    )


def years_of(db: Session, journal_id: int) -> list[int]:
    """The years in which the journal published articles, newest first."""
    year = extract("year", Article.published_at)
    rows = db.execute(
        select(year)
        .where(
            Article.journal_id == journal_id,
            Article.state.in_(VISIBLE_STATES),
            Article.published_at.is_not(None),
        )
        .distinct()
    ).scalars()
    return sorted({int(y) for y in rows if y is not None}, reverse=True)


def search(
    db: Session,
    journal_id: int,
    query: ParsedQuery,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    locale: str = "en",
) -> SearchPage:
    """One page of the journal's published articles that contain every term of ``query``
    (and pass ``filters``), best first. A page past the last is the last page."""
    filters = filters or SearchFilters()
    result = SearchPage(query, filters, page_size=page_size, page_requested=page)
    if not result.searched:
        return result
    d = ArticleSearchDocument
    conditions: list[ColumnElement[bool]] = [
        Article.journal_id == journal_id,
        Article.state.in_(VISIBLE_STATES),
        Article.doi.is_not(None),
    ]
    for term in query.terms:
        conditions.append(or_(_strong(term), _term_matches(d.abstract_text, term)))
    if filters.section:
        conditions.append(Section.code == filters.section)
    if filters.year is not None:
        if not dt.MINYEAR <= filters.year < dt.MAXYEAR:
            conditions.append(false())  # no article was published then
        else:
            start = dt.datetime(filters.year, 1, 1, tzinfo=dt.UTC)
            end = dt.datetime(filters.year + 1, 1, 1, tzinfo=dt.UTC)
            conditions.append(and_(Article.published_at >= start, Article.published_at < end))
    base = (
        select(Article.id)
        .join(d, d.article_id == Article.id)
        .outerjoin(Submission, Submission.id == Article.submission_id)
        .outerjoin(Section, Section.id == Submission.section_id)
        .where(*conditions)
    )
    result.total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    result.page = min(max(1, page), result.pages)
    if not result.total:
        return result
    # 2 points for a term in the title, keywords, authors or DOI, 1 for one in an abstract
    score: Any = literal(0)
    for term in query.terms:
        score = score + case((_strong(term), 2), else_=1)
    score_col = score.label("score")
    rows = db.execute(
        select(Article, Section, d, score_col)
        .join(d, d.article_id == Article.id)
        .outerjoin(Submission, Submission.id == Article.submission_id)
        .outerjoin(Section, Section.id == Submission.section_id)
        .where(*conditions)
        .order_by(score_col.desc(), Article.published_at.desc(), Article.id.desc())
        .offset((result.page - 1) * page_size)
        .limit(page_size)
    ).all()
    for article, section, document, points in rows:
        result.hits.append(_hit(article, section, document, int(points or 0), query, locale))
    return result


def _hit(
    article: Article,
    section: Section | None,
    document: ArticleSearchDocument,
    score: int,
    query: ParsedQuery,
    locale: str,
) -> SearchHit:
    display = document.display or {}
    title = display.get("title") or article.title
    abstracts = [a for a in display.get("abstracts", []) if a.get("text")]
    snippet: list[Segment] = []
    snippet_lang = ""
    if abstracts:
        # The abstract that matches most terms; among equals, the reader's language.
        def rank(a: dict[str, str]) -> tuple[int, int]:
            folded = fold(a["text"])
            found = sum(1 for t in query.terms if t in folded)
            return (found, 1 if a.get("lang", "").startswith(locale) else 0)

        best = max(abstracts, key=rank)
        snippet = make_snippet(best["text"], query.terms)
        snippet_lang = best.get("lang", "")
    return SearchHit(
        article=article,
        section=section,
        score=score,
        title=highlight(title, query.terms),
        authors=[
            (highlight(name, query.terms), highlight(native, query.terms))
            # (a document written before bylines were kept has the names only)
            for name, native in display.get("byline")
            or [[n, ""] for n in display.get("authors", [])]
        ],
        trans_titles=[
            (lang, highlight(t, query.terms)) for lang, t in display.get("trans_titles", [])
        ],
        snippet=snippet,
        snippet_lang=snippet_lang,
    )


# --- highlighting ---------------------------------------------------------------------------


def _match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text``, as merged spans of original character indices."""
    folded, origins = fold_with_origins(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term) - 1
            spans.append((origins[start], origins[end] + 1))
            start = folded.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _segments(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> list[Segment]:
    out: list[Segment] = []
    pos = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        if s > pos:
            out.append(Segment(text[pos:s]))
        out.append(Segment(text[s:e], marked=True))
        pos = e
    if pos < hi:
        out.append(Segment(text[pos:hi]))
    return out


def highlight(text: str, terms: Iterable[str]) -> list[Segment]:
    """``text`` in segments, the matched ones marked (the template escapes each)."""
    return _segments(text, _match_spans(text, terms), 0, len(text))


def make_snippet(text: str, terms: Iterable[str], size: int = SNIPPET_CHARS) -> list[Segment]:
    """About ``size`` characters of ``text`` around its first match (its start when nothing
    matches), cut at spaces where there are any, with "…" where text was left out."""
    spans = _match_spans(text, terms)
    if len(text) <= size:
        return _segments(text, spans, 0, len(text))
    first = spans[0][0] if spans else 0
    lo = max(0, first - size // 4)
    hi = min(len(text), lo + size)
    lo = max(0, hi - size)
    if lo > 0:
        space = text.find(" ", lo, first if spans else lo + 30)
        if space != -1:
            lo = space + 1
    if hi < len(text):
        space = text.rfind(" ", max(lo, hi - 30), hi)
        end_of_match = max((e for s, e in spans if s < hi), default=0)
        if space != -1 and space >= end_of_match:
            hi = space
    segments = _segments(text, spans, lo, hi)
    if lo > 0:
        segments.insert(0, Segment("… "))
    if hi < len(text):
        segments.append(Segment(" …"))
    return segments
