"""What readers and machines get: the article page with its PDF, XML and citation
downloads and its figures and supplements, the archive of issues, an issue's table of
contents, the Atom feed and the OAI-PMH endpoint (published articles only).

The article page shows the reader HTML stored with the article (made from its JATS by
``production.jats.html``) and the citation meta tags that indexers such as Google Scholar
read (Highwire ``citation_*``); the tags, the BibTeX and RIS downloads, the feed and the
OAI records all come from one citation read from the same JATS (:mod:`.citations`).
"""

from __future__ import annotations

import json
from typing import Any

from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.articles.models import Article
from frontiers_de.articles.services import pdf_filename
from frontiers_de.articles.urls import article_url
from frontiers_de.config import SiteSettings
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.production import assets
from frontiers_de.production.services import refresh_reader_html
from frontiers_de.publishing import (
    article_parts,
    citations,
    csl,
    feeds,
    indexing,
    oai,
    search,
    services,
    usage,
)
from frontiers_de.responses import asset_response, file_response, stored_bytes
from frontiers_de.security.permissions import Permission


def _published(request: Request) -> Article:
    """The route's published article of the journal (resources.ReaderContext; else 404)."""
    article: Article = request.context.article
    return article


def _citation(request: Request, article: Article) -> citations.Citation:
    return services.article_citation(article, request.journal, request.application_url)


def count_use(request: Request, article: Article, kind: str) -> None:
    """Count a view or download for the usage figures (robots and double-clicks are left
    out by ``publishing.usage``; a HEAD request is no use)."""
    if request.method != "GET":
        return
    use = usage.Use(
        article_id=article.id,
        kind=kind,
        user_agent=request.user_agent or "",
        client=request.client_addr or "",
        at=utcnow(),
    )
    usage.record_use(request.db, use, SiteSettings.of(request.registry.settings).token_secret)


def indexing_head(
    request: Request, article: Article, citation: Any, references: Any
) -> dict[str, Any]:
    """Everything the article page's head gives indexers: the Highwire tags with a
    ``citation_reference`` per reference, schema.org JSON-LD, Dublin Core and Open Graph,
    from one reading of the JATS (``services.article_citation_and_references``)."""
    data = indexing.article_json_ld(
        citation,
        references,
        site_url=request.route_url("home"),
        modified=services.last_change(article).date().isoformat(),
    )
    return {
        "citation_meta": citations.highwire_tags(citation) + indexing.reference_tags(references),
        "json_ld": indexing.script_json(data),
        "dublin_core": indexing.dublin_core(citation),
        "open_graph": indexing.open_graph(citation, request.journal.title),
    }


@view_config(
    route_name="publishing.article",
    request_method="GET",
    renderer="publishing/article.html",
    permission=Permission.VIEW,
)
def article_page(request: Request) -> dict[str, Any]:
    article = _published(request)
    # HTML stored by an older release is made again from the JATS before it is shown
    refresh_reader_html(request.db, article, request.registry.settings)
    count_use(request, article, usage.VIEW)
    shown = services.reader_html(
        article, request.journal, request.locale_name, request.localizer.translate
    )
    citation, references = services.article_citation_and_references(
        article, request.journal, request.application_url
    )
    asked = request.GET.get("style", "")
    try:
        cited = csl.format_citation(citation, asked or csl.DEFAULT_STYLE)
        style_error = ""
    except csl.UnknownStyle:
        cited = csl.format_citation(citation, csl.DEFAULT_STYLE)
        style_error = _unknown_style_message(request, asked)
    return {
        "article": article,
        "reader_html": shown,
        "parts": article_parts.split_after_header(shown),
        "outline": article_parts.outline(shown),
        "article_url": article_url(request, article),
        "issue": article.issue,
        "usage": usage.article_totals(request.db, article.id),
        **indexing_head(request, article, citation, references),
        "cited": cited,
        "citation_lang": citation.language,
        "styles": list(csl.offered_styles()),
        "style_error": style_error,
    }


def _unknown_style_message(request: Request, asked: str) -> str:
    return _t(
        request,
        _(
            'There is no citation style "${style}". Use a CSL style id, such as apa, '
            "ieee or china-national-standard-gb-t-7714-2015-numeric.",
            mapping={"style": asked[: csl.MAX_STYLE_ID]},
        ),
    )


@view_config(route_name="publishing.article_cite", request_method="GET", permission=Permission.VIEW)
def article_cite(request: Request) -> Response:
    """The article's reference in a CSL style (``style``: a CSL id; ``format``: ``text``,
    the default, or ``html``, a fragment the page's script puts in its box)."""
    article = _published(request)
    kind = request.GET.get("format", "text")
    if kind not in csl.FORMATS:
        message = _t(request, _('The format must be "text" or "html".'))
        return Response(message + "\n", status=400, content_type="text/plain", charset="utf-8")
    asked = request.GET.get("style", csl.DEFAULT_STYLE)
    try:
        cited = csl.format_citation(_citation(request, article), asked)
    except csl.UnknownStyle:
        # a plain answer that says what to ask for (the site's 404 page would not)
        message = _unknown_style_message(request, asked)
        return Response(message + "\n", status=404, content_type="text/plain", charset="utf-8")
    if kind == "html":
        body = f'<div class="csl-entry" data-style="{cited.style}">{cited.html}</div>\n'
        response = Response(body=body, content_type="text/html", charset="utf-8")
    else:
        response = Response(body=cited.text + "\n", content_type="text/plain", charset="utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 600
    return response


@view_config(route_name="publishing.article_csl", request_method="GET", permission=Permission.VIEW)
def article_csl_json(request: Request) -> Response:
    """The article as CSL-JSON (a list of one item, as reference managers import it)."""
    article = _published(request)
    name = pdf_filename(article).removesuffix(".pdf") + ".json"
    body = json.dumps([csl.csl_json(_citation(request, article))], ensure_ascii=False, indent=2)
    return file_response(body, csl.CSL_JSON_MEDIA_TYPE, name)


@view_config(route_name="publishing.article_pdf", request_method="GET", permission=Permission.VIEW)
def article_pdf(request: Request) -> Response:
    article = _published(request)
    if not article.pdf_sha256:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, article.pdf_sha256)
    count_use(request, article, usage.PDF)
    response = file_response(body, "application/pdf", pdf_filename(article), inline=True)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@view_config(route_name="publishing.article_xml", request_method="GET", permission=Permission.VIEW)
def article_xml(request: Request) -> Response:
    article = _published(request)
    if not article.jats_xml:
        raise HTTPNotFound()
    name = pdf_filename(article).removesuffix(".pdf") + ".xml"
    count_use(request, article, usage.XML)
    # A download, never a page: authors wrote it (security/headers.py adds the sandbox).
    return file_response(article.jats_xml.encode("utf-8"), "application/xml", name)


def _public_asset(request: Request, article: Article) -> Response:
    served = assets.served_asset(request.db, request.storage, article, request.matchdict["name"])
    if served is None:
        raise HTTPNotFound()
    return asset_response(request, served, public=True)


@view_config(route_name="publishing.asset", request_method="GET", permission=Permission.VIEW)
def asset_by_id(request: Request) -> Response:
    """A figure or supplement of a published article, by article id (the reader HTML's
    links)."""
    return _public_asset(request, _published(request))


@view_config(
    route_name="publishing.article_asset", request_method="GET", permission=Permission.VIEW
)
def asset_by_doi(request: Request) -> Response:
    """A figure or supplement of a published article, by DOI."""
    return _public_asset(request, _published(request))


@view_config(route_name="publishing.article_bib", request_method="GET", permission=Permission.VIEW)
def article_bibtex(request: Request) -> Response:
    article = _published(request)
    name = pdf_filename(article).removesuffix(".pdf") + ".bib"
    return file_response(
        citations.bibtex(_citation(request, article)), citations.BIBTEX_MEDIA_TYPE, name
    )


@view_config(route_name="publishing.article_ris", request_method="GET", permission=Permission.VIEW)
def article_ris(request: Request) -> Response:
    article = _published(request)
    name = pdf_filename(article).removesuffix(".pdf") + ".ris"
    return file_response(citations.ris(_citation(request, article)), citations.RIS_MEDIA_TYPE, name)


@view_config(
    route_name="publishing.archive",
    request_method="GET",
    renderer="publishing/archive.html",
    permission=Permission.VIEW,
)
def archive_page(request: Request) -> dict[str, Any]:
    journal = request.journal
    return {"volumes": services.archive(request.db, journal.id) if journal else []}


@view_config(
    route_name="publishing.search",
    request_method="GET",
    renderer="publishing/search.html",
    permission=Permission.VIEW,
)
def search_page(request: Request) -> dict[str, Any]:
    """Published articles matching the reader's words (``q``), article type (``type``, a
    section's code) and year (``year``), one page (``page``) at a time. Values that mean
    nothing (an unknown type, a page that is not a number) are ignored, never an error."""
    journal = request.journal
    params = request.GET
    query = search.parse_query(params.get("q", ""))
    sections = search.sections_of(request.db, journal.id) if journal else []
    years = search.years_of(request.db, journal.id) if journal else []
    code = params.get("type", "").strip()
    year = search.parse_year(params.get("year"))
    filters = search.SearchFilters(
        section=code if any(s.code == code for s in sections) else "",
        year=year if year in years else None,
    )
    page = search.SearchPage(query, filters)
    if journal is not None:
        page = search.search(
            request.db,
            journal.id,
            query,
            filters,
            page=search.parse_page(params.get("page")),
            page_size=search.page_size_from(request.registry.settings),
            locale=request.locale_name,
        )
    return {
        "result": page,
        "sections": sections,
        "years": years,
        "max_query_chars": search.MAX_QUERY_CHARS,
        "max_terms": search.MAX_TERMS,
    }


@view_config(
    route_name="publishing.issue",
    request_method="GET",
    renderer="publishing/issue.html",
    permission=Permission.VIEW,
)
def issue_page(request: Request) -> dict[str, Any]:
    issue = request.context.issue  # resources.ReaderIssueContext: a shown issue, else 404
    sections = services.table_of_contents(request.db, issue)
    return {"issue": issue, "sections": sections, **issue_head(request, issue, sections)}


def issue_head(request: Request, issue: Any, sections: list[services.TocSection]) -> dict[str, Any]:
    """The issue page's canonical address and its schema.org JSON-LD (a PublicationIssue
    of the journal's Periodical, its articles as parts)."""
    journal = request.journal
    site = request.application_url
    url = request.route_url("publishing.issue", volume=issue.volume.number, issue=issue.number)
    facts = indexing.IssueFacts(
        volume=str(issue.volume.number),
        number=issue.number,
        year=str(issue.year or ""),
        title=issue.title,
        url=url,
        published=issue.published_at.date().isoformat() if issue.published_at else "",
    )
    profile = journal.profile(site)
    journal_facts = citations.Citation(
        title="",
        journal_title=profile.title,
        journal_abbrev=profile.abbreviation,
        issn_print=profile.issn_print,
        issn_online=profile.issn_online,
        publisher=profile.publisher,
    )
    articles = [
        services.article_citation(entry.article, journal, site)
        for section in sections
        for entry in section.entries
    ]
    data = indexing.issue_json_ld(facts, journal_facts, articles, request.route_url("home"))
    heading = request.localizer.translate(
        _(
            "Volume ${volume}, Issue ${issue}",
            mapping={"volume": facts.volume, "issue": facts.number},
        )
    )
    return {
        "canonical_url": url,
        "json_ld": indexing.script_json(data),
        "open_graph": indexing.issue_open_graph(facts, heading, journal.title),
    }


@view_config(route_name="publishing.feed", request_method="GET", permission=Permission.VIEW)
def atom_feed(request: Request) -> Response:
    journal = request.context.journal  # resources.JournalContext: 404 without one
    site = request.application_url
    entries = [
        feeds.FeedEntry(
            citation=services.article_citation(article, journal, site),
            published=article.published_at or article.updated_at,
            updated=services.last_change(article),
            category=section.name if section is not None else "",
        )
        for article, section in services.latest_articles(request.db, journal.id)
    ]
    info = feeds.FeedInfo(
        feed_id=request.route_url("publishing.feed"),
        title=journal.title,
        subtitle=journal.title_zh,
        self_url=request.route_url("publishing.feed"),
        site_url=request.route_url("home"),
        publisher=journal.publisher,
        rights=journal.licence_name,
        language=journal.language,
        created=journal.created_at,
    )
    response = Response(body=feeds.atom_feed(info, entries), content_type=feeds.MEDIA_TYPE)
    response.cache_control.public = True
    response.cache_control.max_age = 600
    return response


@view_config(
    route_name="publishing.oai",
    request_method=("GET", "POST"),
    permission=Permission.VIEW,
    require_csrf=False,  # harvesters POST their arguments; nothing is changed
)
def oai_pmh(request: Request) -> Response:
    journal = request.context.journal  # resources.JournalContext: 404 without one
    config = oai.OaiConfig.from_settings(
        request.registry.settings,
        base_url=request.route_url("publishing.oai"),
        site_url=request.application_url,
        journal=journal,
    )
    pairs = list((request.POST if request.method == "POST" else request.GET).items())
    body = oai.respond(pairs, oai.Repository(request.db, journal, config))
    return Response(body=body, content_type="text/xml", charset="utf-8")


@view_config(route_name="publishing.issue_cover", request_method="GET", permission=Permission.VIEW)
def issue_cover(request: Request) -> Response:
    """A shown issue's cover image (articles.covers wrote it again, as PNG or JPEG)."""
    issue = request.context.issue  # resources.ReaderIssueContext: a shown issue, else 404
    if not issue.cover_sha256 or issue.cover_type not in ("image/png", "image/jpeg"):
        raise HTTPNotFound()
    response = Response(
        body=stored_bytes(request.storage, issue.cover_sha256), content_type=issue.cover_type
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.etag = issue.cover_sha256
    response.conditional_response = True
    return response
