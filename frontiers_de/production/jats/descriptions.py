"""A figure's description for readers who cannot see it: alt text and a long description.

JATS 1.3 keeps both inside the image: ``<graphic><alt-text>…</alt-text><long-desc>…
</long-desc></graphic>``. The alt text is a short replacement for the image (what it shows,
in a sentence); the long description carries what a complex figure holds (every value of a
chart, every tip of an infographic). Neither is the caption: the caption is shown beside the
image to every reader, so repeating it as alt text makes a screen reader say it twice and
still not say what the image shows. The rules, in one place:

- :func:`description_of` reads a figure's description: the image's own ``alt-text`` and
  ``long-desc``, else the figure's (JATS from elsewhere puts them on the ``fig``);
- :func:`set_description` writes them into the image and drops the figure's own, so one
  description remains;
- :func:`clean_alt_text` and :func:`clean_long_desc` say what may be written (limits, one
  line of alt text), :func:`repeats_caption` when alt text only repeats the caption (the
  rules of ``xml/figure_text.py``, which the author's form at submission uses too); the
  house rules (``rules/graphics.py``) and the forms use the same functions.

Pure functions: no database, no web app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from frontiers_de.production.jats.assets import XLINK_HREF, is_local
from frontiers_de.xml import figure_text

# The text rules live below both forms (xml/figure_text.py); they are this module's too.
ALT_TEXT_MAX = figure_text.ALT_TEXT_MAX
LONG_DESC_MAX = figure_text.LONG_DESC_MAX
DescriptionRefused = figure_text.DescriptionRefused
clean_alt_text = figure_text.clean_alt_text
clean_long_desc = figure_text.clean_long_desc


@dataclass(frozen=True)
class FigureDescription:
    """A figure's alt text and long description ("" when it has none)."""

    alt_text: str = ""
    long_desc: str = ""


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _root(tree: Any) -> Any:
    return tree.getroot() if isinstance(tree, etree._ElementTree) else tree


def long_text(element: Any) -> str:
    """A long description's text, keeping its line breaks (paragraphs written in the form)."""
    if element is None:
        return ""
    lines = "".join(element.itertext()).replace("\r\n", "\n").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def figure_image(fig: Any) -> Any | None:
    """The one local image of a figure (not of a figure nested in it), or None."""
    graphics = [
        g
        for g in fig.iter("graphic")
        if isinstance(g.tag, str)
        and is_local(g.get(XLINK_HREF))
        and next(g.iterancestors("fig"), None) is fig
    ]
    return graphics[0] if len(graphics) == 1 else None


def find_figure(tree: Any, fig_id: str) -> Any | None:
    """The ``<fig>`` with id ``fig_id``, or None."""
    return next((f for f in _root(tree).iter("fig") if f.get("id") == fig_id), None)


def description_of(fig: Any) -> FigureDescription:
    """A figure's description: its image's ``alt-text`` and ``long-desc``, else its own."""
    image = figure_image(fig)
    holders = [h for h in (image, fig) if h is not None]
    alt = next((t for h in holders if (t := _text(h.find("alt-text")))), "")
    long_desc = next((t for h in holders if (t := long_text(h.find("long-desc")))), "")
    return FigureDescription(alt, long_desc)


def caption_text(fig: Any) -> str:
    """What a reader sees under the figure: its caption (title and paragraphs)."""
    return _text(fig.find("caption"))


def repeats_caption(alt_text: str, fig: Any) -> bool:
    """Whether ``alt_text`` only repeats what the figure shows as its caption: the whole
    caption, its title, or either with the label ("Figure 2. Scores by group.")."""
    shown = (caption_text(fig), _text(fig.find("caption/title")))
    return figure_text.repeats_caption(alt_text, shown, _text(fig.find("label")))


def set_description(fig: Any, alt_text: str, long_desc: str) -> bool:
    """Write a figure's description into its image (``alt-text`` then ``long-desc``, first
    in the ``graphic`` as JATS 1.3 wants them); an empty text removes that element. The
    figure's own ``alt-text`` and ``long-desc`` are removed, so the image's are the only
    ones. The texts are taken as given: clean them first. False when the figure has no one
    image to describe."""
    image = figure_image(fig)
    if image is None:
        return False
    for holder in (image, fig):
        for old in holder.findall("alt-text") + holder.findall("long-desc"):
            _remove_keeping_tail(old)
    position = 0
    for tag, text in (("alt-text", alt_text), ("long-desc", long_desc)):
        if text:
            element = etree.Element(tag)
            element.text = text
            image.insert(position, element)
            position += 1
    return True


def _remove_keeping_tail(element: Any) -> None:
    parent = element.getparent()
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
