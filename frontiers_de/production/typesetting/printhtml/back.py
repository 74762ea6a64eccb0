"""The back matter: notes, the statements (funding, data, competing interests, author
contributions) in the journal's order, the references and the sub-articles."""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta, text_of
from frontiers_de.production.typesetting.printhtml.converter import BodyConverter
from frontiers_de.production.typesetting.printhtml.markup import (
    ARTICLE_TYPES,
    _copy,
    _inner_html,
    _sub,
    _unlink_dangling,
    local,
)

# Back-matter sections and notes that have a fixed place in the back matter block.
BACK_KINDS = {
    "data-availability": "Data availability",
    "data-availability-statement": "Data availability",
    "conflict": "Competing interests",
    "coi-statement": "Competing interests",
    "competing-interests": "Competing interests",
    "financial-disclosure": "Funding",
    "funding-statement": "Funding",
}


def statements_html(
    conv: BodyConverter,
    meta: ArticleMeta,
    root: etree._Element,
    found: list[tuple[str, etree._Element]],
) -> list[tuple[str, Markup]]:
    """Back-matter statements in the journal's order, as (heading, HTML)."""
    out: dict[str, list[Markup]] = {}
    for heading, el in found:
        holder = etree.Element("div")
        if local(el) in ("sec", "notes"):
            for child in el:
                if isinstance(child.tag, str) and local(child) not in ("title", "label"):
                    conv.convert(child, holder)
        else:
            for child in el:
                if local(child) == "p":
                    conv.paragraph(child, holder)
        _unlink_dangling(holder, conv.ids)
        out.setdefault(heading, []).append(_inner_html(holder))
    funding_statement = root.find("front/article-meta/funding-group/funding-statement")
    if "Funding" not in out and (meta.funding or funding_statement is not None):
        holder = etree.Element("div")
        if funding_statement is not None:
            p = _sub(holder, "p")
            conv.children(funding_statement, p)
        else:
            p = _sub(holder, "p")
            p.text = (
                "; ".join(
                    f.source + (f" ({', '.join(f.award_ids)})" if f.award_ids else "")
                    for f in meta.funding
                    if f.source
                )
                + "."
            )
        out["Funding"] = [_inner_html(holder)]
    if "Author contributions" not in out:
        credit = [
            f"{c.display_name}: {', '.join(c.roles)}"
            for c in meta.contributors
            if c.roles and c.display_name
        ]
        if credit:
            holder = etree.Element("div")
            p = _sub(holder, "p", "credit")
            p.text = "; ".join(credit) + "."
            out["Author contributions"] = [_inner_html(holder)]
    order = ["Funding", "Data availability", "Competing interests", "Author contributions"]
    return [(h, Markup("").join(out[h])) for h in order if h in out]


def _sub_article(
    conv: BodyConverter, sub: etree._Element, dst: etree._Element, parent: ArticleMeta
) -> None:
    """A sub-article (decision letter, author response, translation) after the main one."""
    el = _sub(dst, "article", "sub-article")
    conv.claim_id(el, sub)
    front = sub.find("front-stub")
    if front is None:
        front = sub.find("front/article-meta")
    title = front.find("title-group/article-title") if front is not None else None
    h = _sub(el, "h2", "sub-article-title")
    if title is not None:
        conv.children(title, h)
    else:
        h.text = ARTICLE_TYPES.get(
            sub.get("article-type", ""),
            sub.get("article-type", "Sub-article").replace("-", " ").title(),
        )
    if front is not None:
        names = [
            " ".join(
                p for p in (text_of(c.find(".//given-names")), text_of(c.find(".//surname"))) if p
            )
            or text_of(c.find("collab"))
            for c in front.findall("contrib-group/contrib")
        ]
        names = [n for n in names if n]
        if names:
            _sub(el, "p", "sub-article-authors").text = ", ".join(names)
        for abstract in front.findall("abstract"):
            box = _sub(el, "div", "sub-abstract")
            conv.children(abstract, box, skip=("title",))
    body = sub.find("body")
    if body is not None:
        for child in body:
            if isinstance(child.tag, str):
                conv.convert(child, el)
    back = sub.find("back")
    if back is not None:
        refs = read_article_meta(sub).references if back.find("ref-list") is not None else []
        for child in back:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "ref-list":
                conv.ref_list(child, el, refs or parent.references)
            else:
                conv.convert(child, el)
    for nested in sub.findall("sub-article"):
        _sub_article(conv, nested, el, parent)


def float_cited_notes(conv: BodyConverter, back: etree._Element | None) -> None:
    """Notes referenced from the body float to the foot of the page where they are cited."""
    if back is None:
        return
    for fn in back.findall("fn-group/fn"):
        if fn.get("id") and fn.get("fn-type", "").lower() not in BACK_KINDS:
            conv.footnotes_inline[fn.get("id", "")] = fn


def convert_back(
    conv: BodyConverter, back: etree._Element | None
) -> tuple[etree._Element, list[tuple[str, etree._Element]]]:
    """The back matter but its references, as ``<div class="back">``; and the statements
    found in it, as (heading, JATS element), for :func:`statements_html` to print last."""
    back_el = etree.Element("div")
    back_el.set("class", "back")
    statements: list[tuple[str, etree._Element]] = []
    if back is not None:
        for child in back:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            kind = (child.get("sec-type") or child.get("notes-type") or "").lower()
            if name == "ref-list":
                continue
            if name in ("sec", "notes") and kind in BACK_KINDS:
                statements.append((BACK_KINDS[kind], child))
                continue
            if name == "fn-group":
                _notes_and_statements(conv, child, back_el, statements)
                continue
            conv.convert(child, back_el)
    return back_el, statements


def _notes_and_statements(
    conv: BodyConverter,
    group: etree._Element,
    back_el: etree._Element,
    statements: list[tuple[str, etree._Element]],
) -> None:
    """A back ``fn-group``: its statements (funding, contributions …) go to ``statements``,
    the other notes are printed as the group."""
    rest = etree.Element("fn-group")
    title = group.find("title")
    for fn in group.findall("fn"):
        fn_kind = fn.get("fn-type", "").lower()
        if fn_kind in BACK_KINDS:
            statements.append((BACK_KINDS[fn_kind], fn))
        elif fn_kind == "con":
            statements.append(("Author contributions", fn))
        else:
            rest.append(_copy(fn))
    if title is not None:
        rest.insert(0, _copy(title))
    if len(rest):
        conv.fn_group(rest, back_el)


def convert_references(
    conv: BodyConverter, back: etree._Element | None, meta: ArticleMeta
) -> etree._Element:
    refs_el = etree.Element("div")
    if back is not None:
        for ref_list in back.findall("ref-list"):
            conv.ref_list(ref_list, refs_el, meta.references)
    return refs_el


def convert_sub_articles(
    conv: BodyConverter, root: etree._Element, meta: ArticleMeta
) -> etree._Element:
    subs_el = etree.Element("div")
    for sub in root.findall("sub-article") + root.findall("response"):
        _sub_article(conv, sub, subs_el, meta)
    return subs_el


def with_author_notes(
    statements: list[tuple[str, Markup]], meta: ArticleMeta
) -> list[tuple[str, str]]:
    """The statements, and the competing interests declared in the author notes when the
    back matter has no statement of them."""
    competing = [t for k, t in meta.author_notes if k in ("conflict", "coi-statement")]
    return statements + (
        [("Competing interests", c) for c in competing]
        if competing and not any(h == "Competing interests" for h, _ in statements)
        else []
    )
