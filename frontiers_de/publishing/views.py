"""The public article page, its PDF and XML downloads and its figures and supplements
(published articles only).

The page shows the reader HTML stored with the article (made from its JATS by
``production.jats.html``) and the citation meta tags that indexers such as Google Scholar
read (Highwire ``citation_*``), taken from the same JATS.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.production import assets
from frontiers_de.production.services import pdf_filename, published_article
from frontiers_de.publishing.models import Article
from frontiers_de.security.permissions import Permission
from frontiers_de.storage import FileNotStored


def _published(request: Request) -> Article:
    article = published_article(request.db, request.matchdict["doi"])
    if article is None or request.journal is None or article.journal_id != request.journal.id:
        raise HTTPNotFound()
    return article


def article_url(request: Request, article: Article, suffix: str = "") -> str:
    """The public address of the article (``/articles/<doi>``, slashes of the DOI kept)."""
    return f"{request.application_url}/articles/{quote(article.doi or '', safe='/')}{suffix}"


def citation_meta(request: Request, article: Article) -> list[tuple[str, str]]:
    """Highwire citation meta tags (name, content), in the order indexers expect."""
    from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
    from frontiers_de.xml.safe import parse_xml

    journal = request.journal
    jats = article.jats_xml.encode("utf-8") if article.jats_xml else None
    meta = read_article_meta(parse_xml(jats)) if jats else ArticleMeta()
    tags: list[tuple[str, str]] = [("citation_title", meta.title or article.title)]
    for person in meta.authors:
        tags.append(("citation_author", person.display_name))
        for aff_id in person.affiliation_ids:
            aff = meta.affiliations.get(aff_id)
            if aff is not None:
                tags.append(("citation_author_institution", aff.institution or aff.text))
        if person.orcid:
            tags.append(("citation_author_orcid", person.orcid))
    if article.published_at:
        tags.append(("citation_publication_date", article.published_at.strftime("%Y/%m/%d")))
    if journal is not None:
        tags.append(("citation_journal_title", journal.title))
        tags.append(("citation_journal_abbrev", journal.abbreviation))
        tags += [("citation_issn", issn) for issn in (journal.issn_online, journal.issn_print)]
        tags.append(("citation_publisher", journal.publisher))
    if article.issue is not None:
        tags.append(("citation_volume", str(article.issue.volume.number)))
        tags.append(("citation_issue", article.issue.number))
    else:
        tags += [("citation_volume", meta.volume), ("citation_issue", meta.issue)]
    tags.append(("citation_firstpage", article.elocation_id or meta.elocation_id or meta.fpage))
    tags.append(("citation_lastpage", meta.lpage))
    tags.append(("citation_doi", article.doi or meta.doi))
    tags += [("citation_keywords", k) for k in meta.keywords.get(meta.language, [])]
    tags.append(("citation_language", meta.language))
    tags.append(("citation_abstract_html_url", article_url(request, article)))
    if article.pdf_sha256:
        tags.append(("citation_pdf_url", article_url(request, article, "/pdf")))
    tags.append(("citation_xml_url", article_url(request, article, "/xml")))
    return [(name, value) for name, value in tags if value]


@view_config(
    route_name="publishing.article",
    request_method="GET",
    renderer="publishing/article.html",
    permission=Permission.VIEW,
)
def article_page(request: Request) -> dict[str, Any]:
    article = _published(request)
    return {
        "article": article,
        "article_url": article_url(request, article),
        "citation_meta": citation_meta(request, article),
    }


@view_config(route_name="publishing.article_pdf", request_method="GET", permission=Permission.VIEW)
def article_pdf(request: Request) -> Response:
    article = _published(request)
    if not article.pdf_sha256:
        raise HTTPNotFound()
    try:
        body = request.storage.get(article.pdf_sha256)
    except FileNotStored:
        raise HTTPNotFound() from None
    response = Response(body=body, content_type="application/pdf")
    response.content_disposition = f'inline; filename="{pdf_filename(article)}"'
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@view_config(route_name="publishing.article_xml", request_method="GET", permission=Permission.VIEW)
def article_xml(request: Request) -> Response:
    article = _published(request)
    if not article.jats_xml:
        raise HTTPNotFound()
    response = Response(body=article.jats_xml.encode("utf-8"), content_type="application/xml")
    name = pdf_filename(article).removesuffix(".pdf") + ".xml"
    response.content_disposition = f'inline; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# Article files are sent as data, never as a page: no script may run from them (an SVG
# opened on its own is a document that could carry one), no plugin, no framing.
ASSET_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


def asset_response(
    request: Request, served: assets.ServedAsset, *, public: bool, max_age: int = 3600
) -> Response:
    """The response for an article's file: its type, ``nosniff``, a policy that runs no
    script, the SHA-256 as ETag (a matching ``If-None-Match`` gets 304), and caching
    (public for published articles; private and revalidated in production)."""
    response = Response(body=served.body, content_type=served.media_type, conditional_response=True)
    response.etag = served.etag
    response.last_modified = served.last_modified
    disposition = "inline" if served.inline else "attachment"
    safe_name = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in served.filename
    )
    response.content_disposition = f'{disposition}; filename="{safe_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = ASSET_SECURITY_POLICY
    if public:
        # Not immutable: the file under a name can be replaced (a correction); the ETag
        # makes the check after max-age cheap.
        response.cache_control.public = True
        response.cache_control.max_age = max_age
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response


def _public_asset(request: Request, article: Article | None) -> Response:
    if (
        article is None
        or request.journal is None
        or article.journal_id != request.journal.id
        or not assets.is_public(article)
    ):
        raise HTTPNotFound()
    served = assets.served_asset(request.db, request.storage, article, request.matchdict["name"])
    if served is None:
        raise HTTPNotFound()
    return asset_response(request, served, public=True)


@view_config(route_name="publishing.asset", request_method="GET", permission=Permission.VIEW)
def asset_by_id(request: Request) -> Response:
    """A figure or supplement of a published article, by article id (the reader HTML's
    links)."""
    return _public_asset(request, request.db.get(Article, int(request.matchdict["article_id"])))


@view_config(
    route_name="publishing.article_asset", request_method="GET", permission=Permission.VIEW
)
def asset_by_doi(request: Request) -> Response:
    """A figure or supplement of a published article, by DOI."""
    return _public_asset(request, published_article(request.db, request.matchdict["doi"]))
