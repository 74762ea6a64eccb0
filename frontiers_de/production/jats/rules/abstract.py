"""The abstract: present, and no longer than the journal's word limit."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from lxml import etree

from frontiers_de.production.jats.rules.base import (
    NO_ABSTRACT_TYPES,
    XML_LANG,
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
)

# Abstract types the word limit applies to; digests, teasers and graphical abstracts have
# their own conventions.
_LIMITED_TYPES = {"", "abstract", "structured", "structured-abstract"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def count_words(text: str) -> int:
    """Words in running text.

    Chinese, Japanese and Korean text has no spaces, so two CJK characters count as one word
    (the usual length ratio between a Chinese abstract and its English version).
    """
    cjk = len(_CJK.findall(text))
    latin = len(_WORD.findall(_CJK.sub(" ", text)))
    return latin + math.ceil(cjk / 2)


def abstract_text(abstract: etree._Element) -> str:
    """The abstract's running text, leaving out headings and labels."""
    parts: list[str] = []
    for node in abstract.iter():
        if isinstance(node.tag, str) and node.tag not in {"title", "label"} and node.text:
            parts.append(node.text)
        if node is not abstract and node.tail:
            parts.append(node.tail)
    return " ".join(parts)


def _abstracts(context: RuleContext) -> list[etree._Element]:
    meta = context.article_meta
    if meta is None:
        return []
    return meta.findall("abstract") + meta.findall("trans-abstract")


@rule("FDE-ABS-001", Severity.ERROR, "article has no abstract")
def abstract_present(context: RuleContext) -> Iterator[Violation]:
    if context.article_type in NO_ABSTRACT_TYPES:
        return  # an erratum, a notice, a letter or a meeting abstract has none of its own
    if not any(a.tag == "abstract" for a in _abstracts(context)):
        meta = context.article_meta
        yield Violation(line_of(meta if meta is not None else context.root))


@rule("FDE-ABS-002", Severity.ERROR, "abstract is longer than the word limit")
def abstract_length(context: RuleContext) -> Iterator[Violation]:
    limit = context.options.abstract_word_limit
    for abstract in _abstracts(context):
        if (abstract.get("abstract-type") or "").lower() not in _LIMITED_TYPES:
            continue
        words = count_words(abstract_text(abstract))
        if words > limit:
            lang = abstract.get(XML_LANG)
            where = f" ({lang})" if lang else ""
            yield Violation(line_of(abstract), f"{words} words{where}; the limit is {limit}")
