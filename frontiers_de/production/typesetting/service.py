"""``typeset()``: JATS in, PDF out, no database. The command line and the Celery job call it.

The steps and their costs are kept apart in ``timings`` (our own work: print HTML, formulas,
figures; WeasyPrint: layout and writing), because the benchmark holds our share under a
quarter of WeasyPrint's.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.jobs.time_limit import run_with_time_limit
from frontiers_de.production.jats.meta import ArticleMeta
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.production.typesetting.fonts import check_fonts
from frontiers_de.production.typesetting.pdf import VARIANTS, LayoutError, render_pdf
from frontiers_de.production.typesetting.printhtml import (
    PrintHTML,
    Stats,
    build_print_html,
    print_css,
)
from frontiers_de.xml.safe import parse_xml

# WeasyPrint cannot be interrupted from Python, and a document can keep it busy for hours
# (thousands of pages, formulas whose drawing time doubles per level): the app and the
# command line typeset in a child process that is killed at this limit.
TYPESET_TIMEOUT_SETTING = "fde.production.typeset_timeout"
DEFAULT_TYPESET_TIMEOUT = ProductionSettings.typeset_timeout


def typeset_timeout(settings: Mapping[str, Any] | None) -> int:
    """Typesetting's time limit in seconds (``fde.production.typeset_timeout``)."""
    return ProductionSettings.of(settings).typeset_timeout


class TypesetError(ValueError):
    """The article cannot be typeset: unusable XML, not an article, or a layout failure."""


@dataclass
class TypesetResult:
    pdf_bytes: bytes
    pages: int
    warnings: list[str]
    timings: dict[str, float]  # seconds: parse, html, fonts, layout, write, total
    stats: Stats = field(default_factory=Stats)
    meta: ArticleMeta | None = None
    html: str = ""

    def __getstate__(self) -> dict:
        # The metadata holds lxml elements, which do not pickle; a worker process or a
        # Celery result needs the PDF and the report, not the parsed tree.
        state = dict(self.__dict__)
        state["meta"] = None
        return state

    @property
    def own_seconds(self) -> float:
        """Our own work (parsing, print HTML with formulas and figures, font check)."""
        return sum(self.timings.get(k, 0.0) for k in ("parse", "html", "fonts"))

    @property
    def weasyprint_seconds(self) -> float:
        return self.timings.get("layout", 0.0) + self.timings.get("write", 0.0)


def typeset(
    jats: bytes | etree._ElementTree | etree._Element,
    profile: JournalProfile | None = None,
    *,
    variant: str = "ua",
    assets_dir: Path | str | None = None,
) -> TypesetResult:
    """Typeset a JATS article into a PDF.

    ``jats`` is the XML as bytes (parsed safely here) or an already parsed tree.
    ``variant`` is ``"ua"`` (tagged PDF/UA-1, the default) or ``"pdfa"`` (PDF/A-3b with the
    JATS attached). Figures are looked up in ``assets_dir``; missing ones are printed as
    placeholders and listed in ``warnings``.
    """
    if variant not in VARIANTS:
        raise TypesetError(f"unknown PDF variant {variant!r}: use one of {', '.join(VARIANTS)}")
    profile = profile or JournalProfile()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if isinstance(jats, bytes):
        tree = parse_xml(jats)
        jats_bytes = jats
    else:
        tree = jats
        jats_bytes = etree.tostring(jats, xml_declaration=True, encoding="UTF-8")
    timings["parse"] = time.perf_counter() - started

    step = time.perf_counter()
    assets = Path(assets_dir) if assets_dir else None
    try:
        printed: PrintHTML = build_print_html(tree, profile, assets_dir=assets)
    except ValueError as exc:
        raise TypesetError(str(exc)) from exc
    timings["html"] = time.perf_counter() - step

    step = time.perf_counter()
    warnings = list(printed.warnings)
    warnings += check_fonts(print_css(), printed.text_sample)
    timings["fonts"] = time.perf_counter() - step

    journal = printed.meta.journal_title or profile.title
    licence = printed.meta.license_url or profile.licence_url
    try:
        rendered = render_pdf(
            printed.html,
            variant=variant,
            meta=printed.meta,
            journal=journal,
            licence_url=licence,
            jats_bytes=jats_bytes,
        )
    except LayoutError as first_failure:
        # Page footnotes are the least mature part of WeasyPrint's layout; if they are
        # what broke, the notes can still be printed as endnotes.
        try:
            printed = build_print_html(tree, profile, assets_dir=assets, footnotes=False)
            rendered = render_pdf(
                printed.html,
                variant=variant,
                meta=printed.meta,
                journal=journal,
                licence_url=licence,
                jats_bytes=jats_bytes,
            )
        except LayoutError:
            raise TypesetError(str(first_failure)) from first_failure
        warnings.append(f"footnotes printed as endnotes because the layout failed: {first_failure}")
    timings["layout"] = rendered.layout_seconds
    timings["write"] = rendered.write_seconds
    warnings += [f"layout: {message}" for message in rendered.messages]
    timings["total"] = time.perf_counter() - started
    return TypesetResult(
        rendered.pdf, rendered.pages, warnings, timings, printed.stats, printed.meta, printed.html
    )


def typeset_within(
    jats: bytes,
    profile: JournalProfile | None = None,
    *,
    seconds: float,
    variant: str = "ua",
    assets_dir: Path | str | None = None,
) -> TypesetResult:
    """:func:`typeset` in a child process that is killed after ``seconds``; raises
    :class:`frontiers_de.jobs.time_limit.TookTooLong` then. The result has no ``meta``
    (the parsed tree stays in the child); everything else is as :func:`typeset` gives it.

    The child is forked from a server that has WeasyPrint, the fonts and ziamath loaded
    (``production/preload.py``), so it costs a few tens of milliseconds, and the memory
    WeasyPrint takes for a long article is returned when it ends."""
    return run_with_time_limit(
        typeset,
        jats,
        profile,
        variant=variant,
        assets_dir=str(assets_dir) if assets_dir is not None else None,
        seconds=seconds,
        what="typesetting",
        preload=["frontiers_de.production.preload"],
    )
