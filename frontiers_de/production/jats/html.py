"""JATS to the reader HTML of the article page (XSLT 1.0 through lxml).

:func:`render_article` gives the ``<article>`` element the app embeds in its page;
:func:`article_fragment` serialises it; :func:`article_document` wraps it into a complete
standalone page with a small stylesheet (what ``fde jats html`` writes). The stylesheet is
``xslt/jats-to-html.xsl``, compiled once per process. It copies no attribute from the input
except ids, languages and a short list of table and MathML attributes, and lets only http(s),
mailto, ftp and relative links through, so no script in the input survives. A formula
given only as TeX is converted to MathML (latex2mathml, called from the stylesheet) and then
filtered like any other MathML.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import latex2mathml.converter
from lxml import etree

from frontiers_de.jobs.time_limit import run_with_time_limit
from frontiers_de.production.jats.reference_style import styled_citation
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.xml.safe import parse_xml

STYLESHEET = Path(__file__).with_name("xslt") / "jats-to-html.xsl"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

# The namespace of the stylesheet's extension function (tex-math without MathML).
EXTENSION_NS = "urn:x-fde:jats-html"
MAX_TEX_CHARACTERS = 20_000
MAX_NOTES = 50
_TEX_WRAPPERS = re.compile(
    r"^\s*(?:\$\$(?P<a>.*)\$\$|\$(?P<b>.*)\$|\\\[(?P<c>.*)\\\]|\\\((?P<d>.*)\\\))\s*$", re.S
)
_TEX_DOCUMENT = re.compile(r"\\begin\{document\}(?P<body>.*)\\end\{document\}", re.S)

_lock = threading.Lock()
_transform: etree.XSLT | None = None

# libxslt cannot be interrupted and some documents make the stylesheet slow (numbering
# affiliations is quadratic in their number: 2,000 take seconds, 8,000 minutes), so the
# app and the command line run the transform in a child process stopped at this limit.
XSLT_TIMEOUT_SETTING = "fde.production.xslt_timeout"  # default: ProductionSettings

# The standalone page's stylesheet (the app page links its own copy of the same rules).
DOCUMENT_CSS_PATH = Path(__file__).with_name("xslt") / "reader.css"

# Defence in depth for the standalone page: no script, no plugins, no form posts.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src * data:; media-src *; style-src 'unsafe-inline'; "
    "font-src *; base-uri 'none'; form-action 'none'"
)


# Raise when the rendering changes in a way the files digested below do not show (a
# library upgrade that changes the output, say). See rendering_version().
RENDERING_CODE_VERSION = 1
# The code the stylesheet calls, whose changes change the stored HTML too.
_RENDERING_SOURCES = (
    Path(__file__),
    Path(__file__).with_name("reference_style.py"),
    Path(__file__).with_name("rules") / "reference_fields.py",
)


@functools.cache
def rendering_version() -> str:
    """The version of the reader HTML this code makes: a digest of the stylesheet, of the
    Python it calls and of :data:`RENDERING_CODE_VERSION`. Stored beside each article's HTML
    (``Article.html_version``), it tells HTML made by an older release, which the article
    page and ``fde initdb`` make again from the JATS."""
    digest = hashlib.sha256(f"code {RENDERING_CODE_VERSION}\n".encode())
    for path in (STYLESHEET, *_RENDERING_SOURCES):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def _document_css() -> str:
    return DOCUMENT_CSS_PATH.read_text(encoding="utf-8")


def tex_body(tex: str) -> str:
    """The formula inside a tex-math: without a LaTeX document around it or $ / \\[ delimiters."""
    document = _TEX_DOCUMENT.search(tex)
    if document:
        tex = document.group("body")
    wrapped = _TEX_WRAPPERS.match(tex)
    if wrapped:
        tex = next(group for group in wrapped.groups() if group is not None)
    return tex.strip()


@functools.lru_cache(maxsize=4096)
def _tex_as_mathml(tex: str) -> tuple[bytes | None, str]:
    """latex2mathml's MathML for ``tex``, or None and the reason it cannot be had."""
    if len(tex) > MAX_TEX_CHARACTERS:
        # a formula longer than this is not a formula; it is shown as written, not parsed
        return None, f"longer than {MAX_TEX_CHARACTERS} characters"
    try:
        return latex2mathml.converter.convert(tex).encode("utf-8"), ""
    except Exception as exc:
        # latex2mathml signals unknown commands and unbalanced input with many exception
        # types (RecursionError for deep nesting); any of them means "show the TeX as
        # written", which the stylesheet does.
        return None, f"latex2mathml: {type(exc).__name__}"


# The formulas one transform showed as TeX, collected by the extension function (which
# lxml calls in the thread that runs the transform) for render_article's caller.
_shown_as_tex = threading.local()


def _note_shown_as_tex(tex: str, reason: str) -> None:
    notes: list[str] | None = getattr(_shown_as_tex, "notes", None)
    if notes is None:
        return
    line = f"formula shown as TeX in the reader HTML ({reason}): {' '.join(tex.split())[:80]}"
    if line not in notes and len(notes) < MAX_NOTES:
        notes.append(line)


def _tex_to_mathml(_context: object, tex: object) -> list[etree._Element]:
    """XSLT extension: the MathML of a TeX formula (an empty node-set when it cannot be read).

    The result goes through the stylesheet's MathML whitelist like any MathML in the input.
    Nothing here may raise: an exception would abort the whole transform, and one odd
    formula must not cost the reader the article.
    """
    text = tex if isinstance(tex, str) else "".join(str(t) for t in tex)  # type: ignore[union-attr]
    body = tex_body(text)
    if not body:
        return []
    markup, reason = _tex_as_mathml(body)
    if markup is None:
        _note_shown_as_tex(body, reason)
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        # latex2mathml writes what it is given: "\unicode{x}" becomes the character
        # reference "&#x;", deep nesting MathML past the parser's depth limit.
        math = etree.fromstring(markup, parser)
    except etree.XMLSyntaxError as exc:
        _note_shown_as_tex(body, f"unusable MathML: {exc.msg}")
        return []
    math.set("alttext", body)  # what a screen reader or a copy-paste gets
    return [math]


def _styled_citation(_context: object, refs: object) -> list[etree._Element]:
    """XSLT extension: a reference in the journal's style, the PDF's formatter
    (:func:`.reference_style.styled_citation`), as a mixed citation the stylesheet renders
    like any other; an empty node-set when the author's text is to be shown. Never raises,
    like every extension here."""
    try:
        styled = [styled_citation(ref) for ref in refs]  # type: ignore[attr-defined]
    except Exception:
        # an unusual tree (a proxy lxml cannot walk) shows the author's text: safe
        return []
    found = []
    for element in styled:
        if element is not None:
            # not the root of its tree: the stylesheet's template for the document's root
            # element (the article) must not match it
            etree.Element("styled").append(element)
            found.append(element)
    return found


class NotAnArticle(ValueError):
    """The document is XML but not a JATS article."""


def _stylesheet() -> etree.XSLT:
    """The compiled stylesheet, once per process (compiling costs a few milliseconds)."""
    global _transform
    with _lock:
        if _transform is None:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            _transform = etree.XSLT(
                etree.parse(str(STYLESHEET), parser),
                extensions={
                    (EXTENSION_NS, "tex-to-mathml"): _tex_to_mathml,
                    (EXTENSION_NS, "styled-citation"): _styled_citation,
                },
                access_control=etree.XSLTAccessControl.DENY_ALL,
            )
        return _transform


def warm_up() -> None:
    """Compile the stylesheet now (for a process that forks workers: see preload.py)."""
    _stylesheet()


def _root(tree: etree._ElementTree | etree._Element) -> etree._Element:
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if not isinstance(root.tag, str) or etree.QName(root).localname != "article":
        raise NotAnArticle(f"the root element is <{root.tag}>, not a JATS <article>")
    if etree.QName(root).namespace:
        raise NotAnArticle(f"the root element is in namespace {etree.QName(root).namespace}")
    return root


def render_article(
    tree: etree._ElementTree | etree._Element,
    asset_base: str = "",
    id_prefix: str = "",
    warnings: list[str] | None = None,
) -> etree._Element:
    """The ``<article>`` element of the reader HTML for a JATS article.

    ``asset_base`` is put before relative figure and supplement URLs (the app's file route);
    ``id_prefix`` before every id and in-page link, so that the article's ids cannot collide
    with those of the page it is embedded in (the standalone page needs none). Formulas
    shown as TeX because they could not be converted are added to ``warnings``.
    """
    root = _root(tree)
    if id_prefix and not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"id prefix {id_prefix!r} must be a letter then letters, digits, - or _")
    _shown_as_tex.notes = []
    try:
        result = _stylesheet()(
            root.getroottree(),
            **{
                "asset-base": etree.XSLT.strparam(asset_base),
                "id-prefix": etree.XSLT.strparam(id_prefix),
            },
        )
    finally:
        notes, _shown_as_tex.notes = _shown_as_tex.notes, None
    if warnings is not None:
        warnings.extend(notes)
    article = result.getroot()
    if article is None:
        raise NotAnArticle("the stylesheet produced no output for this document")
    return article


def article_fragment(
    tree: etree._ElementTree | etree._Element,
    asset_base: str = "",
    id_prefix: str = "",
    warnings: list[str] | None = None,
) -> str:
    """The reader HTML as a fragment (one ``<article>``) to embed in the article page."""
    article = render_article(tree, asset_base, id_prefix, warnings)
    return etree.tostring(article, method="html", encoding="unicode")


def _title_text(article: etree._Element) -> str:
    heading = article.find(".//header/h1")
    text = " ".join("".join(heading.itertext()).split()) if heading is not None else ""
    return text or "Article"


def article_document(
    tree: etree._ElementTree | etree._Element,
    asset_base: str = "",
    warnings: list[str] | None = None,
) -> str:
    """A complete standalone HTML page for the article, with a small embedded stylesheet."""
    article = render_article(tree, asset_base, warnings=warnings)
    html = etree.Element("html")
    lang = article.get("lang")
    if lang:
        html.set("lang", lang)
        article.attrib.pop("lang")
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(
        head, "meta", {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY}
    )
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "title").text = _title_text(article)
    etree.SubElement(head, "style").text = _document_css()
    body = etree.SubElement(html, "body")
    main = etree.SubElement(body, "main")
    main.append(article)
    return "<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="unicode") + "\n"


def xslt_timeout(settings: Mapping[str, Any] | None) -> int:
    """The reader-HTML transform's time limit in seconds (``fde.production.xslt_timeout``)."""
    return ProductionSettings.of(settings).xslt_timeout


def _render_in_child(
    kind: str, data: bytes, asset_base: str, id_prefix: str
) -> tuple[str, list[str]]:
    # Runs in the child process: the tree does not pickle, so it comes as bytes.
    warnings: list[str] = []
    tree = parse_xml(data)
    if kind == "document":
        return article_document(tree, asset_base, warnings), warnings
    return article_fragment(tree, asset_base, id_prefix, warnings), warnings


def _render_limited(
    kind: str,
    tree: etree._ElementTree | etree._Element,
    asset_base: str,
    id_prefix: str,
    seconds: float,
    warnings: list[str] | None,
) -> str:
    root = _root(tree)  # a document that is no article is refused here, without a child
    data = etree.tostring(root, encoding="UTF-8")
    html, notes = run_with_time_limit(
        _render_in_child,
        kind,
        data,
        asset_base,
        id_prefix,
        seconds=seconds,
        what="making the reader HTML",
        preload=["frontiers_de.production.preload"],
    )
    if warnings is not None:
        warnings.extend(notes)
    return html


def article_fragment_within(
    tree: etree._ElementTree | etree._Element,
    asset_base: str = "",
    id_prefix: str = "",
    *,
    seconds: float,
    warnings: list[str] | None = None,
) -> str:
    """:func:`article_fragment` in a child process stopped after ``seconds``: raises
    :class:`frontiers_de.jobs.time_limit.TookTooLong` then."""
    return _render_limited("fragment", tree, asset_base, id_prefix, seconds, warnings)


def article_document_within(
    tree: etree._ElementTree | etree._Element,
    asset_base: str = "",
    *,
    seconds: float,
    warnings: list[str] | None = None,
) -> str:
    """:func:`article_document` in a child process stopped after ``seconds``."""
    return _render_limited("document", tree, asset_base, "", seconds, warnings)
