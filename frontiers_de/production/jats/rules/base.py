"""What every house rule is made of: the rule record, its context, and the registry.

A rule module declares check functions with :func:`rule`; the registry keeps them by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from lxml import etree

from frontiers_de.production.settings import ProductionSettings

DEFAULT_ABSTRACT_WORD_LIMIT = ProductionSettings.jats_abstract_word_limit

MML_NS = "http://www.w3.org/1998/Math/MathML"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Violation:
    """One place where a rule is broken; ``detail`` is added to the rule's message."""

    line: int
    detail: str = ""


@dataclass(frozen=True)
class CheckOptions:
    """Settings the rules read (``fde.jats.abstract_word_limit``)."""

    abstract_word_limit: int = DEFAULT_ABSTRACT_WORD_LIMIT

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> CheckOptions:
        """Options from the resolved settings; a bad value is a clear error, not a default."""
        return cls(abstract_word_limit=ProductionSettings.of(settings).jats_abstract_word_limit)


def line_of(element: Any) -> int:
    """The source line of an element, else of its nearest ancestor that has one, else 0.

    Elements added in memory (by a converter or an editor) have no line of their own.
    """
    while element is not None:
        line = getattr(element, "sourceline", None)
        if line:
            return int(line)
        element = element.getparent()
    return 0


def text_of(element: Any) -> str:
    """The element's text content with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


# Article types (JATS @article-type) that are notices about other articles or about the
# journal: they have no abstract, and, when they name no author, no one to correspond with.
NOTICE_TYPES = frozenset(
    {
        "addendum",
        "announcement",
        "book-received",
        "calendar",
        "correction",
        "expression-of-concern",
        "in-brief",
        "news",
        "obituary",
        "retraction",
        "removal-notice",
    }
)
# Types that carry no abstract of their own: the notices, commentaries, short pieces of
# opinion or reply, and a meeting abstract (type "abstract"), which is its own abstract.
NO_ABSTRACT_TYPES = NOTICE_TYPES | {
    "abstract",
    "article-commentary",
    "book-review",
    "editorial",
    "letter",
    "reply",
}


@dataclass
class RuleContext:
    """One parsed article, with the indexes several rules share (built lazily, once)."""

    tree: etree._ElementTree
    options: CheckOptions = field(default_factory=CheckOptions)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @cached_property
    def ids(self) -> dict[str, list[etree._Element]]:
        """Elements by id, in document order (lists longer than one are duplicates)."""
        index: dict[str, list[etree._Element]] = {}
        for el in self.root.xpath("//*[@id]"):
            index.setdefault(el.get("id"), []).append(el)
        return index

    @cached_property
    def cited_ids(self) -> set[str]:
        """Every id named by an xref's ``rid`` (a space-separated list of ids)."""
        cited: set[str] = set()
        for xref in self.iter("xref"):
            cited.update((xref.get("rid") or "").split())
        return cited

    def iter(self, *names: str) -> Iterator[etree._Element]:
        """Elements with these names in document order (JATS elements have no namespace)."""
        return self.root.iter(*names)

    def with_attribute(self, name: str) -> list[etree._Element]:
        """Every element that has attribute ``name`` (XPath does the filtering, in C)."""
        return self.root.xpath(f"//*[@{name}]")

    @cached_property
    def article_meta(self) -> etree._Element | None:
        return self.root.find("front/article-meta")

    @cached_property
    def meta(self) -> Any:
        """The metadata as every output reads it (:func:`..meta.read_article_meta`), so a
        rule and the page agree on who the authors are and who corresponds."""
        from frontiers_de.production.jats.meta import read_article_meta

        return read_article_meta(self.tree)

    @property
    def article_type(self) -> str:
        return (self.root.get("article-type") or "").strip().lower()

    @cached_property
    def unsafe(self) -> list[Any]:
        """What an article may not hold (:func:`..sanitise.find_unsafe`), walked once for
        the ``FDE-SAFE`` rules."""
        from frontiers_de.production.jats.sanitise import find_unsafe

        return list(find_unsafe(self.root))


CheckFunction = Callable[[RuleContext], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    message: str
    check: CheckFunction
    scope: str = ""

    def run(self, context: RuleContext) -> Iterator[Violation]:
        return iter(self.check(context))


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, message: str
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as house rule ``rule_id``."""

    def register(check: CheckFunction) -> CheckFunction:
        if rule_id in REGISTRY:
            raise ValueError(f"house rule {rule_id} is declared twice")
        REGISTRY[rule_id] = Rule(rule_id, severity, message, check, check.__module__)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every house rule, ordered by id."""
    return [REGISTRY[key] for key in sorted(REGISTRY)]
