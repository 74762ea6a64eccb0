"""The conversion's entry point, :func:`convert`: the input checked, then one of two
routes, manuscripts through pandoc (office formats, Markdown, LaTeX) or JATS through
:func:`..normalise.normalise`, and the result validated against the official XSD."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats import archive, assets, frontmatter, pandoc
from frontiers_de.production.jats.convert.assemble import assemble
from frontiers_de.production.jats.convert.common import (
    CITATIONS_FILTER,
    ConversionError,
    ConversionReport,
    ConversionResult,
    PandocInput,
    _text,
    count_features,
)
from frontiers_de.production.jats.convert.latex import LatexFolder, _prepare_latex
from frontiers_de.production.jats.convert.office import (
    REQUIRED_PART,
    _markers_to_formulas,
    _office_input,
)
from frontiers_de.production.jats.formulas import parse_pandoc_output
from frontiers_de.production.jats.normalise import one_statement_per_kind
from frontiers_de.xml.safe import XMLInputError, parse_xml

MAX_INPUT_BYTES = 50 * 1024 * 1024


FORMATS_BY_SUFFIX = {
    ".docx": "docx",
    ".odt": "odt",
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
    ".zip": "latex-zip",
    ".xml": "jats",
    ".nxml": "jats",
    ".jats": "jats",
}


def detect_format(filename: str) -> str:
    """The input format from the file name; raises :class:`ConversionError` when unknown."""
    suffix = PurePosixPath(filename.lower()).suffix
    try:
        return FORMATS_BY_SUFFIX[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise ConversionError(
            "input", f"unsupported file type {suffix or '(none)'!r}; expected one of {known}"
        ) from None


def convert(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    profile: JournalProfile | None = None,
    validate: bool = True,
    limits: archive.ArchiveLimits | None = None,
    timeout: float = pandoc.DEFAULT_TIMEOUT_SECONDS,
    extract_media: bool = False,
) -> ConversionResult:
    """Convert a manuscript to a JATS 1.3 Journal Publishing tree.

    ``source`` is a path or the file's bytes (then ``filename`` gives the type). ``metadata``
    follows ``schemas/submission-metadata.schema.json`` and is validated here. Raises
    :class:`ConversionError` when the input cannot be converted; schema errors of the output
    do not raise but are listed in ``report.schema_errors``. ``extract_media``: return the
    files the article names in ``media`` (DOCX/ODT: the embedded images; LaTeX in a zip or
    given by path: the graphics and supplements its folder holds, read only inside it).
    """
    started = time.perf_counter()
    profile = profile or JournalProfile()
    source_dir: Path | None = None
    if isinstance(source, bytes):
        data, name = source, filename or "input"
    else:
        path = Path(source)
        name = filename or path.name
        data = _read_input(path)
        source_dir = path.parent
    if len(data) > MAX_INPUT_BYTES:
        raise ConversionError("input", f"{len(data)} bytes; the limit is {MAX_INPUT_BYTES}")
    if not data.strip():
        raise ConversionError("input", "the file is empty", name)
    if metadata is not None:
        problems = frontmatter.validate_metadata(metadata)
        if problems:
            raise ConversionError("metadata", "; ".join(problems))
    kind = detect_format(name)
    report = ConversionReport(source=name, source_format=kind)
    media: dict[str, bytes] | None = {} if extract_media else None
    if kind == "jats":
        tree = _from_jats(data, metadata, profile, report)
    else:
        tree = _from_pandoc(
            data, name, kind, metadata, profile, report, limits, timeout, source_dir, media
        )
    report.counts = count_features(tree)
    if validate:
        # Validate the document as it will be written, so error lines match OUT.xml.
        tree = parse_xml(ConversionResult(tree, report).to_bytes())
        _validate(tree, report)
        if report.schema_errors:
            tree = _repair_to_schema(tree, report)
    report.seconds = time.perf_counter() - started
    return ConversionResult(tree, report, media or {})


def _read_input(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ConversionError(
                "input", f"{size} bytes; the limit is {MAX_INPUT_BYTES}", str(path)
            )
        return path.read_bytes()
    except OSError as exc:
        raise ConversionError("input", f"cannot read the file ({exc.strerror})", str(path)) from exc


def _validate(tree: etree._ElementTree, report: ConversionReport) -> None:
    from frontiers_de.xml.schemas import SchemaUnavailable, validate

    try:
        errors = validate(tree, "jats-1.3")
    except SchemaUnavailable as exc:
        report.warnings.append(f"official validation skipped: {exc}")
        return
    report.validated = True
    report.schema_errors = [f"line {e.line}: {e.message}" for e in errors]


def _repair_to_schema(tree: etree._ElementTree, report: ConversionReport) -> etree._ElementTree:
    """What the schema still refuses loses its markup, never its text; the report says what."""
    from frontiers_de.production.jats.normalise import repair_to_schema

    repaired = repair_to_schema(tree)
    report.warnings.extend(repaired.changes)
    report.counts = count_features(repaired.tree)
    tree = parse_xml(ConversionResult(repaired.tree, report).to_bytes())
    _validate(tree, report)
    return tree


# --- pandoc route -----------------------------------------------------------------------


def _from_pandoc(
    data: bytes,
    name: str,
    kind: str,
    metadata: Mapping[str, Any] | None,
    profile: JournalProfile,
    report: ConversionReport,
    limits: archive.ArchiveLimits | None,
    timeout: float,
    source_dir: Path | None = None,
    media: dict[str, bytes] | None = None,
) -> etree._ElementTree:
    citation_labels: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="fde-convert-") as tmp:
        workdir = Path(tmp)
        given = _pandoc_input(
            data, name, kind, workdir, limits, report, source_dir, citation_labels
        )
        media_root = workdir / "extracted"
        if media is not None and kind in REQUIRED_PART:
            given.extra = [*given.extra, f"--extract-media={media_root}"]
        result = _run_pandoc(given, name, timeout, report)
        if media is not None and media_root.is_dir():
            result = _take_media(result, media_root, media)
        raw = _read_pandoc_output(result, report)
        if given.latex_folder is not None and given.latex_folder.usable:
            # Read while the unpacked source still exists, with or without extract_media, so
            # that the hrefs (completed with folder and extension) and the warnings about
            # missing files do not depend on it. Assembling the article below moves graphics
            # into figures but keeps their hrefs.
            _take_latex_assets(raw, given.latex_folder, limits, media, report)
    if given.odt_formulas:
        _markers_to_formulas(raw.getroot(), given.odt_formulas, report)
    return assemble(
        raw,
        metadata,
        profile,
        report,
        document_title=given.document_title,
        citation_labels=citation_labels,
    )


def _pandoc_input(
    data: bytes,
    name: str,
    kind: str,
    workdir: Path,
    limits: archive.ArchiveLimits | None,
    report: ConversionReport,
    source_dir: Path | None,
    citation_labels: dict[str, str],
) -> PandocInput:
    """The manuscript written into ``workdir`` as pandoc will read it, by its format."""
    if kind in REQUIRED_PART:
        return _office_input(data, name, kind, workdir, limits, report)
    if kind == "markdown":
        input_path = workdir / "manuscript.md"
        input_path.write_bytes(data)
        # Markdown footnotes, pipe/grid tables, TeX math and YAML metadata are on by default.
        return PandocInput(input_path, "markdown", ["--lua-filter", str(CITATIONS_FILTER)])
    # latex or latex-zip
    input_path, extra, fallback, latex_folder = _prepare_latex(
        data, name, kind, workdir, limits, report, source_dir, citation_labels
    )
    return PandocInput(input_path, "latex", extra, fallback=fallback, latex_folder=latex_folder)


def _run_pandoc(
    given: PandocInput, name: str, timeout: float, report: ConversionReport
) -> pandoc.PandocResult:
    """pandoc's JATS; a LaTeX source whose own packages trip pandoc up is converted again
    without them."""
    try:
        try:
            result = pandoc.to_jats(
                given.path,
                given.format,
                extra_args=given.extra,
                cwd=given.path.parent,
                timeout=timeout,
            )
            if given.fallback is not None:
                report.changes.append("macros of the manuscript's own packages used")
        except pandoc.PandocError:
            if given.fallback is None:
                raise
            report.warnings.append(
                "pandoc could not read the manuscript's own packages; converted without "
                "their macros"
            )
            result = pandoc.to_jats(
                given.fallback,
                given.format,
                extra_args=given.extra,
                cwd=given.path.parent,
                timeout=timeout,
            )
    except pandoc.PandocError as exc:
        raise ConversionError("pandoc", str(exc), name) from exc
    return result


def _take_media(
    result: pandoc.PandocResult, media_root: Path, media: dict[str, bytes]
) -> pandoc.PandocResult:
    """The files pandoc extracted, into ``media``; the output naming them relatively."""
    for file in sorted(media_root.rglob("*")):
        if file.is_file():
            media[file.relative_to(media_root).as_posix()] = file.read_bytes()
    # pandoc wrote absolute paths into the temporary folder: make them relative.
    prefix = str(media_root).encode() + b"/"
    return pandoc.PandocResult(result.output.replace(prefix, b""), result.warnings, result.seconds)


def _read_pandoc_output(
    result: pandoc.PandocResult, report: ConversionReport
) -> etree._ElementTree:
    """pandoc's output parsed, its warnings (and what raw markup it dropped) reported."""
    report.pandoc_seconds = result.seconds
    raw = pandoc.raw_removed(result.warnings)
    report.warnings.extend(raw.warnings)
    report.changes.extend(raw.changes)
    report.warnings.extend(_summarise_pandoc_warnings(raw.other))
    try:
        return parse_pandoc_output(result.output, report.warnings)
    except XMLInputError as exc:
        raise ConversionError("pandoc output", str(exc), f"line {exc.line}") from exc


def _take_latex_assets(
    raw: etree._ElementTree,
    folder: LatexFolder,
    limits: archive.ArchiveLimits | None,
    media: dict[str, bytes] | None,
    report: ConversionReport,
) -> None:
    """The graphics and supplements a LaTeX source names, read from its folder."""
    limits = limits or archive.ArchiveLimits()
    found = assets.collect_latex_assets(
        raw,
        folder.base,
        folder.root,
        folder.graphics_folders,
        max_file_bytes=limits.max_entry_bytes,
        max_total_bytes=limits.max_total_bytes,
    )
    if media is not None:
        media.update(found.files)
    report.warnings.extend(found.warnings)
    report.changes.extend(found.changes)


_TEX_MATH_WARNING = "[WARNING] Could not convert TeX math"


def _summarise_pandoc_warnings(warnings: list[str]) -> list[str]:
    """pandoc's warnings, with the (often hundreds of) unconvertible formulas counted once."""
    math = [w for w in warnings if w.startswith(_TEX_MATH_WARNING)]
    lines = [f"pandoc: {w}" for w in warnings if not w.startswith(_TEX_MATH_WARNING)]
    if math:
        example = math[0].removeprefix(_TEX_MATH_WARNING).strip(" ,")
        lines.insert(
            0,
            f"pandoc: {len(math)} formulas kept as TeX only (no MathML: macros it does not "
            f"know), e.g. {example[:160]}",
        )
    return lines


# --- JATS route -------------------------------------------------------------------------


def _from_jats(
    data: bytes,
    metadata: Mapping[str, Any] | None,
    profile: JournalProfile,
    report: ConversionReport,
) -> etree._ElementTree:
    try:
        tree = parse_xml(data)
    except XMLInputError as exc:
        location = f"line {exc.line}" if exc.line else report.source
        raise ConversionError("input", str(exc), location) from exc
    if etree.QName(tree.getroot()).localname != "article":
        raise ConversionError("input", "not a JATS article (the root element is not <article>)")
    try:
        from frontiers_de.production.jats.normalise import normalise
    except ImportError as exc:
        raise ConversionError(
            "normalise",
            "JATS input needs frontiers_de.production.jats.normalise, which is not installed yet",
        ) from exc
    # normalise() validates as it repairs (some repairs are driven by the schema's errors);
    # convert() validates the final tree again after the front matter is replaced.
    try:
        result = normalise(tree, profile=profile)
    except ValueError as exc:
        raise ConversionError("normalise", str(exc), report.source) from exc
    tree = result.tree
    removed = set(result.removed)
    # What an article may not hold is a warning the production editor sees; the rest are
    # repairs.
    report.warnings.extend(result.removed)
    report.changes.extend(str(c) for c in result.changes if c not in removed)
    if metadata:
        _replace_front(tree.getroot(), metadata, profile, report)
        # the submission's statements may now repeat sections of the body
        one_statement_per_kind(tree.getroot(), report.changes, report.warnings)
    return tree


def _replace_front(
    article: Any, metadata: Mapping[str, Any], profile: JournalProfile, report: ConversionReport
) -> None:
    """The metadata is the submission's truth: it replaces the document's own front."""
    old = article.find("front")
    title = None
    if old is not None:
        found = old.find("article-meta/title-group/article-title")
        title = _text(found) if found is not None else None
    front, front_report = frontmatter.build_front(metadata, profile, fallback_title=title)
    report.missing.extend(front_report.missing)
    report.warnings.extend(front_report.warnings)
    if old is not None:
        article.replace(old, front)
    else:
        article.insert(0, front)
    if metadata.get("article_type"):
        article.set("article-type", metadata["article_type"])
    back = article.find("back")
    extra = frontmatter.build_back_matter(metadata)
    if extra:
        if back is None:
            back = etree.SubElement(article, "back")
        existing = {e.tag for e in back}
        back.extend(e for e in extra if not (e.tag == "ack" and "ack" in existing))
    report.changes.append("front matter replaced from the submission metadata")
