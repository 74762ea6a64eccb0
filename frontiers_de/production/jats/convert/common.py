"""What every part of the conversion shares: the error, the report and the result, the
namespaces, pandoc's citations filter and what pandoc is given, two tree helpers, and the
counts of what an article holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.production.jats import frontmatter

MML = frontmatter.MML
XLINK = frontmatter.XLINK
XML_LANG = frontmatter.XML_LANG
JATS_1_3_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 '
    '20210610//EN" "JATS-journalpublishing1-3.dtd">'
)


MAX_WARNINGS_SHOWN = 25


# (beside this package, in production/jats)
CITATIONS_FILTER = Path(__file__).parent.parent / "citations.lua"


class ConversionError(RuntimeError):
    """A conversion that could not finish; ``stage`` says where, ``location`` what."""

    def __init__(self, stage: str, message: str, location: str | None = None) -> None:
        where = f" at {location}" if location else ""
        super().__init__(f"{stage}{where}: {message}")
        self.stage = stage
        self.message = message
        self.location = location


@dataclass
class ConversionReport:
    """What happened: warnings, what the front matter lacks, counts and schema errors."""

    source: str
    source_format: str
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    schema_errors: list[str] = field(default_factory=list)
    validated: bool = False
    pandoc_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        return self.validated and not self.schema_errors

    def lines(self) -> list[str]:
        """Human-readable report lines for the command line."""
        out = [f"{self.source}: {self.source_format}, {self.seconds:.2f} s"]
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        if counts:
            out.append(f"  kept: {counts}")
        out.extend(f"  missing: {m}" for m in self.missing)
        shown = self.warnings[:MAX_WARNINGS_SHOWN]
        out.extend(f"  warning: {w}" for w in shown)
        if len(self.warnings) > len(shown):
            out.append(f"  warning: … {len(self.warnings) - len(shown)} more (see --json)")
        out.extend(f"  changed: {c}" for c in self.changes)
        out.extend(f"  schema: {e}" for e in self.schema_errors)
        return out


@dataclass
class PandocInput:
    """What pandoc is given (the file, its reader, extra arguments), and what was learnt
    while preparing it: the office document's own title, a LaTeX source without the
    author's packages to fall back on, the LaTeX folder, ODT formulas kept aside."""

    path: Path
    format: str
    extra: list[str] = field(default_factory=list)
    document_title: str | None = None
    fallback: Path | None = None
    latex_folder: Any | None = None  # a latex.LatexFolder
    odt_formulas: dict[str, tuple[Any, bool]] = field(default_factory=dict)


@dataclass
class ConversionResult:
    tree: etree._ElementTree
    report: ConversionReport
    # With extract_media=True: the files the tree names (href -> bytes), taken out of a
    # DOCX/ODT, or read from a LaTeX source's folder (a zip, or a .tex given by path).
    media: dict[str, bytes] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return etree.tostring(
            self.tree, xml_declaration=True, encoding="UTF-8", doctype=JATS_1_3_DOCTYPE
        )


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _unwrap(element: Any) -> None:
    """Replace an element by its content (text and children), keeping the tail."""
    parent = element.getparent()
    index = parent.index(element)
    previous = parent[index - 1] if index > 0 else None
    text = element.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else previous
    tail = element.tail or ""
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def count_features(tree: etree._ElementTree | Any) -> dict[str, int]:
    """What the output holds, for the report and the corpus tests."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree

    def count(path: str) -> int:
        return int(root.xpath(f"count({path})"))

    return {
        "sections": count("//body//sec"),
        "paragraphs": count("//body//p"),
        "tables": count("//table-wrap"),
        "figures": count("//fig"),
        "display_formulas": count("//disp-formula"),
        "inline_formulas": count("//inline-formula"),
        "mathml": count("//*[local-name()='math']"),
        "footnotes": count("//fn[not(@fn-type='coi-statement') and not(@fn-type='equal')]"),
        "references": count("//ref-list/ref"),
        "citations": count("//xref[@ref-type='bibr']"),
    }
