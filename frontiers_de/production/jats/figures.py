"""Which uploaded figure file is which figure of the article.

Authors send figures twice: as images inside the manuscript (often shrunk or recompressed
by Word) and as separate files named after their callout ("Figure 2.tif", "fig2.png",
"Fig_2.jpg", "figure-02.png"). :func:`callout_key` is the one rule that reads a figure's
number from such a name, and from a JATS ``<label>`` ("Figure 2", "Fig. 2", "图 2"), so the
two can be matched. Pure functions: no database, no web app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from frontiers_de.production.jats.assets import XLINK_HREF, is_local

# "Figure", "Fig", and the words for it in the UN languages and the languages our authors
# write in, followed by the number. An optional "Supplementary"/"Extended data" in front,
# or an "S" right before the digits, makes it a supplementary figure (key "S2"); one letter
# right after the digits is a panel ("2a": a part of figure 2, not figure 2).
_CALLOUT = re.compile(
    r"(?P<supp>(?:supplementary|supplemental|suppl?|extended[\s._-]*data)[\s._-]*)?"
    r"(?P<word>figure|figura|figur|fig|abbildung|abb|рисунок|рис|图|圖|图表|الشكل|شكل)"
    r"\.?[\s._-]*(?P<s>s(?=\d))?0*(?P<number>\d{1,3})"
    r"(?:(?P<panel>[a-z])(?![^\W\d_]))?(?!\d)",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*(?P<s>s)?0*(?P<number>\d{1,3})(?P<panel>[a-z])?\s*[.:]?\s*$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\u0600-\u06ff]")


def _key(match: re.Match[str]) -> str:
    supplementary = bool(match.group("supp") or match.group("s"))
    number = int(match.group("number"))
    panel = (match.group("panel") or "").lower()
    return f"{'S' if supplementary else ''}{number}{panel}"


def _starts_a_word(text: str, match: re.Match[str]) -> bool:
    """The figure word is a word of its own: at the start, after a non-letter, or a
    capital after a small letter (``paperFig2``). Scripts written without spaces (图) may
    follow anything."""
    start = match.start()
    if start == 0 or _CJK.match(match.group("word")):
        return True
    before = text[start - 1]
    if not before.isalpha():
        return True
    return before.islower() and text[start].isupper()


def callout_key(text: str, *, label: bool = False) -> str | None:
    """The figure a file name or label points at, as a key: ``"2"`` for "Figure 2.tif",
    "fig2.png", "Fig_2.jpg", "figure-02.png", "Fig. 2", "图2"; ``"S1"`` for "Figure S1" and
    "Supplementary figure 1"; ``"2a"`` for the panel "Fig2a". None when the text names no
    figure or several ("fig2_fig3.png"), or the figure word is inside another word
    ("config2.png").

    ``label=True`` reads a figure's own ``<label>``, where a bare number ("2", "S1") is a
    figure number too."""
    name = text.rsplit("/", 1)[-1]
    keys = {_key(m) for m in _CALLOUT.finditer(name) if _starts_a_word(name, m)}
    if len(keys) == 1:
        return keys.pop()
    if not keys and label:
        bare = _BARE_NUMBER.match(name)
        if bare:
            return _bare_key(bare)
    return None


def _bare_key(match: re.Match[str]) -> str:
    prefix = "S" if match.group("s") else ""
    return f"{prefix}{int(match.group('number'))}{(match.group('panel') or '').lower()}"


@dataclass(frozen=True)
class JatsFigure:
    """A ``<fig>`` of the article with one image: its id, label, the image's href, and
    the key of its label (:func:`callout_key`)."""

    fig_id: str
    label: str
    href: str
    key: str | None


def _graphics(fig: Any) -> list[Any]:
    return [
        g for g in fig.iter("graphic") if isinstance(g.tag, str) and is_local(g.get(XLINK_HREF))
    ]


def figures_of(tree: etree._ElementTree | Any) -> list[JatsFigure]:
    """The article's figures that have an id and exactly one image of their own (a figure
    made of several images, or a figure group, is left to the JATS), in document order."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    out = []
    for fig in root.iter("fig"):
        if not isinstance(fig.tag, str) or not fig.get("id"):
            continue
        graphics = _graphics(fig)
        if len(graphics) != 1:
            continue
        if next(graphics[0].iterancestors("fig")) is not fig:
            continue  # the image belongs to a figure nested inside this one
        label = " ".join("".join(fig.findtext("label") or "").split())
        key = callout_key(label, label=True) if label else None
        out.append(JatsFigure(fig.get("id"), label, graphics[0].get(XLINK_HREF), key))
    return out


def set_figure_image(tree: etree._ElementTree | Any, fig_id: str, href: str, subtype: str) -> bool:
    """Point figure ``fig_id``'s image at ``href`` (an image of type ``image/<subtype>``).
    False when the article has no such figure with one image."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    for fig in root.iter("fig"):
        if fig.get("id") != fig_id:
            continue
        graphics = _graphics(fig)
        if len(graphics) != 1:
            return False
        graphic = graphics[0]
        graphic.set(XLINK_HREF, href)
        graphic.set("mimetype", "image")
        graphic.set("mime-subtype", subtype)
        return True
    return False


def match_uploads(
    figures: Iterable[JatsFigure], uploads: Mapping[int, str]
) -> dict[str, list[int]]:
    """For each figure id, the uploads (id -> file name) whose name names that figure,
    newest (highest id) first. A figure without a number in its label matches nothing."""
    by_key: dict[str, list[int]] = {}
    for upload_id, name in uploads.items():
        key = callout_key(name)
        if key is not None:
            by_key.setdefault(key, []).append(upload_id)
    return {
        f.fig_id: sorted(by_key.get(f.key, []), reverse=True) for f in figures if f.key is not None
    }


# A paragraph that is a figure's legend by itself: "Figure 2. Scores by group." (as in a
# manuscript whose figures were sent as separate files).
_LEGEND = re.compile(
    r"^\s*(?P<label>(?:figure|fig\.?|图)\s*(?:s(?=\d))?\d{1,3}[a-z]?)\s*[.:|—–-]\s*",
    re.IGNORECASE,
)
_LEGEND_PARENTS = ("sec", "body")


def legend_paragraphs(tree: etree._ElementTree | Any) -> dict[str, Any]:
    """The body's paragraphs that are a figure's legend and nothing else, by the key of the
    figure they name (the first one of each): where a manuscript whose figures came as
    separate files says what each figure is. Paragraphs inside figures, tables, lists and
    boxes are not legends of a missing figure."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    body = root.find("body")
    found: dict[str, Any] = {}
    if body is None:
        return found
    for paragraph in body.iter("p"):
        parent = paragraph.getparent()
        if parent is None or parent.tag not in _LEGEND_PARENTS:
            continue
        match = _LEGEND.match("".join(paragraph.itertext()))
        if match is None:
            continue
        key = callout_key(match.group("label"), label=True)
        if key is not None:
            found.setdefault(key, paragraph)
    return found


def _strip_label(paragraph: Any) -> str:
    """Take the leading "Figure 2." off a legend paragraph (in its text, or in a bold or
    italic run that opens it) and return the label."""
    holder, attr = paragraph, "text"
    if (
        not (paragraph.text or "").strip()
        and len(paragraph)
        and paragraph[0].tag
        in (
            "bold",
            "italic",
        )
    ):
        holder = paragraph[0]
    text = getattr(holder, attr) or ""
    match = _LEGEND.match(text)
    if match is None:
        match = _LEGEND.match("".join(paragraph.itertext()))
        return " ".join(match.group("label").split()) if match else ""
    setattr(holder, attr, text[match.end() :])
    if holder is not paragraph and not holder.text and len(holder) == 0:
        # The run held only the label: drop it, keeping what followed it.
        paragraph.text = (paragraph.text or "") + (holder.tail or "").lstrip()
        paragraph.remove(holder)
    return " ".join(match.group("label").split())


def figure_from_legend(paragraph: Any, fig_id: str, href: str, subtype: str) -> JatsFigure:
    """Put a figure where its legend paragraph stands: the legend's "Figure 2" becomes the
    label, the rest its caption, and ``href`` (an image of type ``image/<subtype>``) its
    image."""
    label_text = _strip_label(paragraph)
    fig = etree.Element("fig", {"id": fig_id})
    label = etree.SubElement(fig, "label")
    label.text = label_text
    fig.tail = paragraph.tail
    paragraph.tail = None
    parent = paragraph.getparent()
    parent.replace(paragraph, fig)
    if "".join(paragraph.itertext()).strip():
        etree.SubElement(fig, "caption").append(paragraph)
    etree.SubElement(
        fig,
        "graphic",
        {XLINK_HREF: href, "mimetype": "image", "mime-subtype": subtype},
    )
    return JatsFigure(fig_id, label_text, href, callout_key(label_text, label=True))


def unused_id(tree: etree._ElementTree | Any, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… when an element of the article has it."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    taken = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate
