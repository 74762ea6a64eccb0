"""The print HTML of one article, assembled from its parts: the front matter
(:mod:`.front`), the body (:mod:`.body`), the back matter, references and sub-articles
(:mod:`.back`), all converted by one :class:`.converter.BodyConverter`, and the page around
them (:mod:`.page`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta, text_of
from frontiers_de.production.typesetting.images import ImageStore, default_store
from frontiers_de.production.typesetting.math import MathRenderer, default_renderer
from frontiers_de.production.typesetting.printhtml.back import (
    convert_back,
    convert_references,
    convert_sub_articles,
    float_cited_notes,
    statements_html,
    with_author_notes,
)
from frontiers_de.production.typesetting.printhtml.body import convert_body
from frontiers_de.production.typesetting.printhtml.converter import BodyConverter
from frontiers_de.production.typesetting.printhtml.front import (
    abstracts_html,
    cite_as,
    convert_abstracts,
    front_matter,
)
from frontiers_de.production.typesetting.printhtml.markup import (
    Stats,
    _inner_html,
    _unlink_dangling,
    local,
)
from frontiers_de.production.typesetting.printhtml.page import page_furniture, render_page
from frontiers_de.xml.nodes import without_comments


@dataclass
class PrintHTML:
    """The print HTML of one article, with what the layout step and the report need."""

    html: str
    meta: ArticleMeta
    warnings: list[str]
    stats: Stats
    text_sample: str  # all the text, for the font check


def build_print_html(
    tree: etree._ElementTree | etree._Element,
    profile: JournalProfile,
    *,
    assets_dir: Path | None = None,
    math: MathRenderer | None = None,
    images: ImageStore | None = None,
    footnotes: bool = True,
) -> PrintHTML:
    """The print HTML of a JATS article: front matter, body, back matter, references.

    The parts are converted in the order below, which is part of the output: an id is
    claimed by the first element printed with it, and a note floats where it is first cited."""
    # Comments and processing instructions print nothing; without them every walk below
    # meets elements only.
    root = without_comments(tree)
    if local(root) != "article":
        raise ValueError(f"not a JATS article: the root element is <{local(root) or root.tag}>")
    meta = read_article_meta(root)
    warnings: list[str] = []
    stats = Stats()
    conv = BodyConverter(
        assets_dir, math or default_renderer(), images or default_store, warnings, stats
    )
    back = root.find("back")
    if footnotes:
        float_cited_notes(conv, back)
    abstracts = convert_abstracts(conv, meta)
    body_el = convert_body(conv, root)
    back_el, statements = convert_back(conv, back)
    refs_el = convert_references(conv, back, meta)
    subs_el = convert_sub_articles(conv, root, meta)
    # Statements last among the conversions, so that every id they may link to is known.
    back_statements = statements_html(conv, meta, root, statements)

    # Every internal link must land somewhere: links to things not printed (supplementary
    # files of another article, ids we dropped) become plain text.
    for container in (body_el, back_el, refs_el, subs_el):
        _unlink_dangling(container, conv.ids)
    abstract_html, broken = abstracts_html(abstracts, conv.ids)

    front = front_matter(conv, root, meta, profile)
    page = render_page(
        {
            **front,
            "abstracts": abstract_html,
            "body_html": _inner_html(body_el),
            "back_html": _inner_html(back_el),
            "statements": with_author_notes(back_statements, meta),
            "refs_html": _inner_html(refs_el),
            "subs_html": _inner_html(subs_el),
            **page_furniture(meta, front["journal"], cite_as(meta, front["journal"])),
        }
    )
    if broken:
        warnings.append(
            f"{broken} cross-reference(s) in abstracts point at nothing printed; shown as text"
        )
    stats.words = len(" ".join(root.itertext()).split())
    return PrintHTML(page, meta, warnings, stats, _text_sample(meta, root))


def _text_sample(meta: ArticleMeta, root: etree._Element) -> str:
    """All the text the fonts must cover (titles, abstracts, native names, the body's first
    20,000 characters), for the font check."""
    text_sample = (
        meta.title
        + " "
        + " ".join(t for _, t in meta.trans_titles)
        + " "
        + " ".join(a.text for a in meta.abstracts)
        + " "
        + " ".join(n for a in meta.authors for _, n in a.native_names)
    )
    body = root.find("body")
    body_text = text_of(body) if body is not None else ""
    return text_sample + " " + body_text[:20000]
