"""Manuscripts (DOCX, ODT, Markdown, LaTeX, JATS) to JATS 1.3 Journal Publishing.

pandoc converts the body; this module rebuilds the front matter from the submission
metadata and the journal profile (:mod:`.frontmatter`), moves the reference section (found
by what it holds, whatever the styles say) to a ``ref-list`` (structured by
:mod:`.references`), repairs the few places where pandoc's JATS does not follow the 1.3
Publishing schema, and validates the result against the official XSD. What the schema still
refuses gives up its markup, never its text (:func:`.normalise.repair_to_schema`), and the
report says so: a manuscript a person can read always gives valid JATS.
JATS inputs go to :func:`.normalise.normalise` instead of pandoc.

Around pandoc, what it does not do by itself: Zotero/Mendeley field citations and BibTeX
become xrefs to element-citations (``citations.lua`` + citeproc); ODT formula objects come
back as MathML; LaTeX sources are made self-contained (includes, the author's packages,
``.bbl`` bibliographies, ``\\ifnum`` template switches) because pandoc runs sandboxed; Word
figures, captions and cross-reference bookmarks become labelled, linked ``fig`` and
``table-wrap`` elements.

Everything here is a pure function of its inputs: bytes and dictionaries in, an lxml tree and
a :class:`ConversionReport` out. The command line (``fde jats convert``) and the app wrap it.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.identifiers import DOI_PREFIX_PATTERN
from frontiers_de.production.jats import archive, assets, frontmatter, pandoc
from frontiers_de.production.jats.formulas import parse_pandoc_output
from frontiers_de.production.jats.normalise import one_statement_per_kind, section_numbers_to_labels
from frontiers_de.production.jats.sanitise import sanitise
from frontiers_de.xml.safe import XMLInputError, parse_xml

MML = frontmatter.MML
XLINK = frontmatter.XLINK
XML_LANG = frontmatter.XML_LANG
JATS_1_3_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 '
    '20210610//EN" "JATS-journalpublishing1-3.dtd">'
)
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_TEX_INCLUDE_DEPTH = 8
MAX_WARNINGS_SHOWN = 25

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

# Headings under which a manuscript lists its references, in the languages we receive,
# with an optional number ("7.", "VII.", "七、") and colon.
REFERENCE_HEADING = re.compile(
    r"^\s*(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[一二三四五六七八九十]+)\s*[.、)]?\s*)?"
    r"(references?|references and notes|bibliography|literature cited|works cited|"
    r"reference list|cited literature|参考文献|參考文獻|references bibliographiques|"
    r"références|références bibliographiques|bibliographie|referencias|"
    r"referencias bibliográficas|bibliografía|referências|литература|список литературы|"
    r"المراجع|literaturverzeichnis)\s*[:：]?\s*$",
    re.IGNORECASE,
)
CITATIONS_FILTER = Path(__file__).with_name("citations.lua")
DOI_IN_TEXT = re.compile(rf"\b({DOI_PREFIX_PATTERN}/[^\s\"<>]+[^\s\"<>.,;)\]])")


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


# --- entry point --------------------------------------------------------------------------


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


# --- pandoc route -------------------------------------------------------------------------

REQUIRED_PART = {"docx": "word/document.xml", "odt": "content.xml"}


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
    with tempfile.TemporaryDirectory(prefix="fde-convert-") as tmp:
        workdir = Path(tmp)
        extra: list[str] = []
        document_title: str | None = None
        citation_labels: dict[str, str] = {}
        fallback: Path | None = None
        latex_folder: LatexFolder | None = None
        odt_formulas: dict[str, tuple[Any, bool]] = {}
        if kind in REQUIRED_PART:
            info = _checked_zip(data, name, limits)
            if REQUIRED_PART[kind] not in info.names:
                raise ConversionError(
                    "input", f"not a {kind.upper()} file (no {REQUIRED_PART[kind]})", name
                )
            document_title = _office_title(data, kind)
            if kind == "docx":
                _note_revisions_and_comments(data, info, report)
            if kind == "odt":
                data, odt_formulas = _odt_formulas_to_markers(data, report)
            input_path = workdir / f"manuscript.{kind}"
            input_path.write_bytes(data)
            pandoc_format = kind
            if kind == "docx" and _field_citations_usable(data, report):
                # Zotero/Mendeley fields carry the full CSL data of every cited work:
                # citations become xrefs and pandoc's citeproc writes element-citations.
                pandoc_format = "docx+citations"
                extra = [
                    "--to",
                    "jats_publishing+element_citations",
                    "--lua-filter",
                    str(CITATIONS_FILTER),
                    "--citeproc",
                ]
        elif kind == "markdown":
            input_path = workdir / "manuscript.md"
            input_path.write_bytes(data)
            # Markdown footnotes, pipe/grid tables, TeX math and YAML metadata are on by default.
            pandoc_format = "markdown"
            extra = ["--lua-filter", str(CITATIONS_FILTER)]
        else:  # latex or latex-zip
            input_path, extra, fallback, latex_folder = _prepare_latex(
                data, name, kind, workdir, limits, report, source_dir, citation_labels
            )
            pandoc_format = "latex"
        media_root = workdir / "extracted"
        if media is not None and kind in REQUIRED_PART:
            extra = [*extra, f"--extract-media={media_root}"]
        try:
            try:
                result = pandoc.to_jats(
                    input_path,
                    pandoc_format,
                    extra_args=extra,
                    cwd=input_path.parent,
                    timeout=timeout,
                )
                if fallback is not None:
                    report.changes.append("macros of the manuscript's own packages used")
            except pandoc.PandocError:
                if fallback is None:
                    raise
                report.warnings.append(
                    "pandoc could not read the manuscript's own packages; converted without "
                    "their macros"
                )
                result = pandoc.to_jats(
                    fallback,
                    pandoc_format,
                    extra_args=extra,
                    cwd=input_path.parent,
                    timeout=timeout,
                )
        except pandoc.PandocError as exc:
            raise ConversionError("pandoc", str(exc), name) from exc
        if media is not None and media_root.is_dir():
            for file in sorted(media_root.rglob("*")):
                if file.is_file():
                    media[file.relative_to(media_root).as_posix()] = file.read_bytes()
            # pandoc wrote absolute paths into the temporary folder: make them relative.
            prefix = str(media_root).encode() + b"/"
            result = pandoc.PandocResult(
                result.output.replace(prefix, b""), result.warnings, result.seconds
            )
        report.pandoc_seconds = result.seconds
        raw = pandoc.raw_removed(result.warnings)
        report.warnings.extend(raw.warnings)
        report.changes.extend(raw.changes)
        report.warnings.extend(_summarise_pandoc_warnings(raw.other))
        try:
            raw = parse_pandoc_output(result.output, report.warnings)
        except XMLInputError as exc:
            raise ConversionError("pandoc output", str(exc), f"line {exc.line}") from exc
        if latex_folder is not None and latex_folder.usable:
            # Read while the unpacked source still exists, with or without extract_media, so
            # that the hrefs (completed with folder and extension) and the warnings about
            # missing files do not depend on it. Assembling the article below moves graphics
            # into figures but keeps their hrefs.
            limits = limits or archive.ArchiveLimits()
            found = assets.collect_latex_assets(
                raw,
                latex_folder.base,
                latex_folder.root,
                latex_folder.graphics_folders,
                max_file_bytes=limits.max_entry_bytes,
                max_total_bytes=limits.max_total_bytes,
            )
            if media is not None:
                media.update(found.files)
            report.warnings.extend(found.warnings)
            report.changes.extend(found.changes)
    if odt_formulas:
        _markers_to_formulas(raw.getroot(), odt_formulas, report)
    return assemble(
        raw,
        metadata,
        profile,
        report,
        document_title=document_title,
        citation_labels=citation_labels,
    )


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


def _checked_zip(
    data: bytes, name: str, limits: archive.ArchiveLimits | None
) -> archive.ArchiveInfo:
    try:
        return archive.inspect_zip(data, limits, reject_dtd=True)
    except archive.ArchiveError as exc:
        raise ConversionError("archive", str(exc), name) from exc


def _note_revisions_and_comments(
    data: bytes, info: archive.ArchiveInfo, report: ConversionReport
) -> None:
    """Say what pandoc does with Word's review marks: tracked changes are accepted, comments
    are left out of the article."""
    try:
        document = archive.read_member(data, "word/document.xml")
    except archive.ArchiveError:
        return
    insertions = len(re.findall(rb"<w:ins\b", document))
    deletions = len(re.findall(rb"<w:del\b", document))
    if insertions or deletions:
        report.warnings.append(
            f"tracked changes accepted ({insertions} insertions, {deletions} deletions)"
        )
    if "word/comments.xml" in info.names:
        comments = len(re.findall(rb"<w:comment\b", archive.read_member(data, "word/comments.xml")))
        if comments:
            report.warnings.append(f"{comments} Word comments left out of the article")


_CSL_MARKER = re.compile(r"CSL_CITATION\s*")


def _field_citations_usable(data: bytes, report: ConversionReport) -> bool:
    """True when the DOCX cites through Zotero/Mendeley fields whose item ids are unambiguous.

    Mendeley numbers its items ITEM-1, ITEM-2 afresh in every field, so one id can stand for
    several works; pandoc keeps one of them per id. Such documents keep the rendered text
    and the bibliography the author pasted in, which references.py structures instead.
    """
    import html
    import json

    try:
        document = archive.read_member(data, "word/document.xml").decode("utf-8", "replace")
    except archive.ArchiveError:
        return False
    if "CSL_CITATION" not in document:
        return False
    instructions = html.unescape(
        "".join(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", document))
    )
    decoder = json.JSONDecoder()
    works: dict[str, set[str]] = {}
    for match in _CSL_MARKER.finditer(instructions):
        try:
            field_data, _ = decoder.raw_decode(instructions, match.end())
        except ValueError:
            continue
        for item in field_data.get("citationItems", []) if isinstance(field_data, dict) else []:
            item_data = item.get("itemData") or {}
            key = str(item.get("id") or item_data.get("id"))
            works.setdefault(key, set()).add(json.dumps(item_data.get("title"), sort_keys=True))
    if not works:
        return False
    clashes = [key for key, titles in works.items() if len(titles) > 1]
    if clashes:
        report.warnings.append(
            f"citation fields reuse item ids for different works ({', '.join(clashes[:3])}); "
            "citations kept as text and linked from the document's own reference list"
        )
        return False
    report.changes.append(f"{len(works)} cited works taken from the citation manager's fields")
    return True


_ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_FORMULA_MARKER = re.compile(r"FDEMATHMARK(\d+)X")


def _odt_formulas_to_markers(
    data: bytes, report: ConversionReport
) -> tuple[bytes, dict[str, tuple[Any, bool]]]:
    """Replace each embedded formula object of an ODT with a marker word.

    pandoc's ODT reader drops formula objects (their MathML lives in a sub-document such as
    ``Object 1/content.xml``). We keep the MathML aside, let pandoc convert the text with a
    marker in the formula's place, and put the MathML back where the marker comes out.
    """
    try:
        content = parse_xml(archive.read_member(data, "content.xml"))
    except (archive.ArchiveError, XMLInputError):
        return data, {}
    formulas: dict[str, tuple[Any, bool]] = {}
    for frame in list(content.iter(f"{{{_ODF_DRAW}}}frame")):
        obj = frame.find(f"{{{_ODF_DRAW}}}object")
        if obj is None:
            continue
        href = (obj.get(f"{{{XLINK}}}href") or "").removeprefix("./").rstrip("/")
        if not href:
            continue
        try:
            math = parse_xml(archive.read_member(data, f"{href}/content.xml")).getroot()
        except (archive.ArchiveError, XMLInputError):
            continue
        if math.tag != f"{{{MML}}}math":
            continue
        marker = f"FDEMATHMARK{len(formulas)}X"
        anchored = frame.get(f"{{{_ODF_TEXT}}}anchor-type")
        display = math.get("display") == "block" or anchored not in (None, "as-char")
        formulas[marker] = (math, display)
        parent = frame.getparent()
        previous = frame.getprevious()
        text = marker + (frame.tail or "")
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(frame)
    if not formulas:
        return data, {}
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "content.xml":
                member = etree.tostring(content, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, member)
    report.changes.append(f"{len(formulas)} ODT formula objects kept as MathML")
    return rebuilt.getvalue(), formulas


def _copy_math(parent: Any, source: Any) -> None:
    """Copy a MathML subtree under ``parent`` so it takes the document's ``mml:`` prefix."""
    if not isinstance(source.tag, str):
        return
    element = etree.SubElement(parent, source.tag, dict(source.attrib))
    element.text = source.text
    element.tail = source.tail
    for child in source:
        _copy_math(element, child)


def _markers_to_formulas(
    root: Any, formulas: Mapping[str, tuple[Any, bool]], report: ConversionReport
) -> None:
    placed = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for slot, owner in [("text", element), *(("tail", c) for c in element)]:
            value = getattr(owner, slot)
            if not value or "FDEMATHMARK" not in value:
                continue
            parts = _FORMULA_MARKER.split(value)
            setattr(owner, slot, parts[0])
            anchor = None if slot == "text" else owner
            for i in range(1, len(parts), 2):
                math, display = formulas.get(f"FDEMATHMARK{parts[i]}X", (None, False))
                if math is None:
                    continue
                wrapper = etree.Element("disp-formula" if display else "inline-formula")
                holder = etree.SubElement(element, "_holder")
                _copy_math(holder, math)
                copied = holder[0]
                copied.tail = None
                wrapper.append(copied)
                element.remove(holder)
                wrapper.tail = parts[i + 1]
                if anchor is None:
                    element.insert(0, wrapper)
                else:
                    anchor.addnext(wrapper)
                anchor = wrapper
                placed += 1
    if placed != len(formulas):
        report.warnings.append(f"{len(formulas) - placed} ODT formulas could not be placed")


def _office_title(data: bytes, kind: str) -> str | None:
    """dc:title from the document properties, the author's own title when the body lacks one."""
    part = "docProps/core.xml" if kind == "docx" else "meta.xml"
    try:
        tree = parse_xml(archive.read_member(data, part))
    except (archive.ArchiveError, XMLInputError):
        return None
    for element in tree.iter("{http://purl.org/dc/elements/1.1/}title"):
        text = " ".join("".join(element.itertext()).split())
        if text:
            return text
    return None


# --- LaTeX --------------------------------------------------------------------------------

_TEX_INCLUDE = re.compile(r"\\(?:input|include)\s*\{([^}]+)\}")
_TEX_BIBLIOGRAPHY = re.compile(r"\\bibliography\s*\{([^}]+)\}")


@dataclass(frozen=True)
class LatexFolder:
    """Where a LaTeX source's own files are: the unpacked root (nothing outside it is read),
    the main file's folder, and its ``\\graphicspath`` folders."""

    root: Path
    base: Path
    graphics_folders: list[str]
    usable: bool


def _prepare_latex(
    data: bytes,
    name: str,
    kind: str,
    workdir: Path,
    limits: archive.ArchiveLimits | None,
    report: ConversionReport,
    source_dir: Path | None = None,
    citation_labels: dict[str, str] | None = None,
) -> tuple[Path, list[str], Path | None, LatexFolder]:
    """A single self-contained .tex (includes inlined, .bbl substituted), pandoc args, the
    same source without the author's packages inlined (None when it has none), and where
    the source's own files (figures) are.

    pandoc runs with ``--sandbox``, so it cannot read ``\\input`` files itself; we inline
    them here, resolving only inside the unpacked folder, so a manuscript cannot pull in
    files from elsewhere on the machine.
    """
    citation_labels = {} if citation_labels is None else citation_labels
    if kind == "latex-zip":
        try:
            archive.safe_extract(data, workdir / "src", limits)
        except archive.ArchiveError as exc:
            raise ConversionError("archive", str(exc), name) from exc
        root = workdir / "src"
        main = _main_tex(root)
        if main is None:
            raise ConversionError("input", "the zip holds no .tex file with \\documentclass", name)
        text = main.read_bytes().decode("utf-8", "replace")
        base = main.parent
    else:
        # A .tex file given by path may use files beside it (includes, .bbl, .bib);
        # bytes alone have no folder.
        root = base = source_dir or workdir
        text = data.decode("utf-8", "replace")
        main = root / PurePosixPath(name).name
    text = _inline_includes(text, base, root, report, depth=0)
    text = resolve_tex_conditionals(text, report)
    # Bytes alone (no folder) have no figure files to find.
    has_folder = kind == "latex-zip" or source_dir is not None
    folder = LatexFolder(root, base, assets.graphics_folders(text), has_folder)
    text = drop_wrapped_environment_redefinitions(text, report)
    text = unwrap_scaling_boxes(text, report)
    extra: list[str] = ["--lua-filter", str(CITATIONS_FILTER)]
    bib_match = _TEX_BIBLIOGRAPHY.search(text)
    bbl = main.with_suffix(".bbl")
    if bib_match and bbl.is_file():
        # The author's own resolved bibliography: reference strings for references.py.
        bbl_text = bbl.read_text(encoding="utf-8", errors="replace")
        section, keys, labels = bibliography_section(bbl_text)
        text = text[: bib_match.start()] + section + text[bib_match.end() :]
        citation_labels.update(zip(keys, labels, strict=True))
        report.changes.append(f"bibliography taken from {bbl.name} ({len(keys)} entries)")
    elif bib_match:
        bibs = []
        for stem in bib_match.group(1).split(","):
            candidate = _inside(base / (stem.strip().removesuffix(".bib") + ".bib"), root)
            if candidate is not None and candidate.is_file():
                bibs.append(candidate)
        if bibs:
            # BibTeX is already structured: pandoc's citeproc turns it into element-citations
            # and the \cite commands into xrefs, with no string parsing in between.
            references = _bibtex_as_csl(bibs)
            metadata_file = workdir / "references.json"
            metadata_file.write_text(json.dumps({"references": references}), encoding="utf-8")
            # --bibliography is not readable under --sandbox; a metadata file is. The
            # \bibliography command goes, or pandoc would look for the file itself.
            text = text[: bib_match.start()] + text[bib_match.end() :]
            extra += ["--to", "jats_publishing+element_citations"]
            extra += [f"--metadata-file={metadata_file}", "--citeproc"]
            report.changes.append(
                f"{len(references)} references from " + ", ".join(b.name for b in bibs)
            )
        else:
            report.warnings.append(
                f"\\bibliography{{{bib_match.group(1)}}} names no .bib or .bbl file present; "
                "citations are left as keys"
            )
    source = workdir / "manuscript.tex"
    source.write_text(text, encoding="utf-8")
    with_macros = inline_local_packages(text, base, root)
    if with_macros != text:
        # The author's own packages define the macros their formulas use; pandoc reads
        # \newcommand but cannot open a .sty under --sandbox. If their content trips
        # pandoc up, the plain source is converted instead.
        fallback = workdir / "manuscript-without-packages.tex"
        source.rename(fallback)
        source.write_text(with_macros, encoding="utf-8")
        return source, extra, fallback, folder
    return source, extra, None, folder


_TEX_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_TEX_CONDITIONAL = re.compile(r"\\(if[A-Za-z@]*|else|fi)(?![A-Za-z@])")
_TEX_NUMBER_DEF = re.compile(r"\\def\\([A-Za-z@]+)\s*\{\s*(-?\d+)\s*\}")
_TEX_IFNUM_TEST = re.compile(r"\s*(\\[A-Za-z@]+|-?\d+)\s*([<=>])\s*(\\[A-Za-z@]+|-?\d+)\s*")
# \if... commands that take braced arguments instead of ending in \fi (etoolbox, ifthen).
_NOT_PRIMITIVE_IF = {"ifthenelse", "iff"}


def resolve_tex_conditionals(text: str, report: ConversionReport | None = None) -> str:
    """Evaluate ``\\ifnum\\flag=1 ... \\else ... \\fi`` where the flag is a number set by
    ``\\def``, as TeX would, and drop comments.

    Submission templates switch layouts with such flags, often around ``\\begin``/``\\end``
    pairs, which pandoc's LaTeX reader cannot parse inside unevaluated conditionals. We do
    not run TeX: any other conditional (``\\ifx``, ``\\ifcsname`` ...) is kept as written.
    """
    text = _TEX_COMMENT.sub("", text)
    numbers: dict[str, int] = {}
    for name, value in _TEX_NUMBER_DEF.findall(text):
        numbers.setdefault(name, int(value))

    def operand(token: str) -> int | None:
        return numbers.get(token[1:]) if token.startswith("\\") else int(token)

    out: list[str] = []
    # Each frame: (evaluated, condition value, in else branch)
    stack: list[list[Any]] = []
    resolved = 0

    def active() -> bool:
        return all(not f[0] or (f[1] != f[2]) for f in stack)

    pos = 0
    for match in _TEX_CONDITIONAL.finditer(text):
        if match.start() < pos:
            continue
        name = match.group(1)
        if name.startswith("if"):
            following = text[match.end() : match.end() + 40].lstrip()
            if name in _NOT_PRIMITIVE_IF or following.startswith("{"):
                continue
        chunk = text[pos : match.start()]
        if active():
            out.append(chunk)
        pos = match.end()
        if name.startswith("if"):
            evaluated, value = False, False
            if name == "ifnum":
                test = _TEX_IFNUM_TEST.match(text, match.end())
                if test:
                    left, op, right = operand(test.group(1)), test.group(2), operand(test.group(3))
                    if left is not None and right is not None:
                        evaluated = True
                        value = {"<": left < right, "=": left == right, ">": left > right}[op]
                        pos = test.end()
                        resolved += 1
            if not evaluated and active():
                out.append(match.group(0))
            stack.append([evaluated, value, False])
        elif name == "else":
            if stack and stack[-1][0]:
                stack[-1][2] = True
            elif active():
                out.append(match.group(0))
        else:  # fi
            frame = stack.pop() if stack else None
            if (frame is None or not frame[0]) and active():
                out.append(match.group(0))
    if active():
        out.append(text[pos:])
    if resolved and report is not None:
        report.changes.append(f"{resolved} TeX \\ifnum switches evaluated")
    return "".join(out)


_TEX_LET = re.compile(r"\\let\s*\\([A-Za-z@]+)\s*=?\s*\\([A-Za-z@]+)")
_TEX_RENEWENV = re.compile(r"\\renewenvironment\s*\{([A-Za-z@*]+)\}")


def _braced_groups(text: str, start: int, count: int) -> int | None:
    """The index just after ``count`` consecutive brace groups starting at ``start``."""
    pos = start
    for _ in range(count):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            return None
        depth = 0
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            depth += char == "{"
            depth -= char == "}"
            pos += 1
            if depth == 0:
                break
        else:
            return None
    return pos


def drop_wrapped_environment_redefinitions(
    text: str, report: ConversionReport | None = None
) -> str:
    """Remove ``\\renewenvironment{proof}{\\begin{oldproof}}{...}`` after
    ``\\let\\oldproof\\proof``: a presentation tweak that wraps the old environment, which
    pandoc cannot follow (it does not copy environments with ``\\let``). The environment
    keeps its standard meaning, which is what the JATS needs."""
    aliases = {new: old for new, old in _TEX_LET.findall(text)}
    if not aliases:
        return text
    pieces: list[str] = []
    pos = 0
    for match in _TEX_RENEWENV.finditer(text):
        if match.start() < pos:
            continue
        end = _braced_groups(text, match.end(), 2)
        if end is None:
            continue
        definition = text[match.end() : end]
        wrapped = any(
            aliases.get(alias) == match.group(1)
            for alias in re.findall(r"\\begin\s*\{([A-Za-z@]+)\}", definition)
        )
        if wrapped:
            pieces.append(text[pos : match.start()])
            pos = end
            if report is not None:
                report.changes.append(
                    f"\\renewenvironment{{{match.group(1)}}} wrapping itself dropped"
                )
    pieces.append(text[pos:])
    return "".join(pieces)


_BIBITEM = re.compile(r"\\bibitem\s*(?:\[((?:[^\[\]]|\{[^}]*\})*)\])?\s*\{([^}]+)\}")
_BEGIN_BIBLIOGRAPHY = re.compile(r"\\begin\s*\{thebibliography\}")
_END_BIBLIOGRAPHY = re.compile(r"\\end\s*\{thebibliography\}")


def bibliography_section(bbl_text: str) -> tuple[str, list[str], list[str]]:
    """A BibTeX-made ``thebibliography`` as a plain "References" section, one paragraph per
    item, with the cite keys and labels in order.

    pandoc's LaTeX reader folds a whole ``thebibliography`` into one box and drops the
    ``\\cite`` commands that point into it; as separate paragraphs under a References
    heading the entries become reference strings for references.py instead.
    """
    begin = _BEGIN_BIBLIOGRAPHY.search(bbl_text)
    items_start = _braced_groups(bbl_text, begin.end(), 1) if begin else None
    finish = _END_BIBLIOGRAPHY.search(bbl_text, items_start or 0)
    if begin is None or items_start is None or finish is None:
        return bbl_text, [], []
    preamble = bbl_text[: begin.start()]
    entries = bbl_text[items_start : finish.start()]
    items = list(_BIBITEM.finditer(entries))
    keys, labels, paragraphs = [], [], []
    for number, item in enumerate(items, 1):
        end = items[number].start() if number < len(items) else len(entries)
        entry = entries[item.end() : end].replace("\\newblock", " ").strip()
        keys.append(item.group(2).strip())
        label = re.sub(r"\\[A-Za-z@]+|[{}]", "", item.group(1) or "") or str(number)
        labels.append(label)
        paragraphs.append(" ".join(entry.split()))
    section = preamble + "\n\\section*{References}\n\n" + "\n\n".join(paragraphs) + "\n"
    return section, keys, labels


def _retarget_citation_keys(
    article: Any, ref_list: Any, labels: Mapping[str, str], report: ConversionReport
) -> None:
    """``\\cite{key}`` xrefs (rid ``ref-key``) now point at the ref built from that bibitem,
    and show its label, as the typeset paper would."""
    refs = ref_list.findall("ref")
    if len(refs) != len(labels):
        return
    target = {
        f"ref-{key}": (ref.get("id"), label)
        for (key, label), ref in zip(labels.items(), refs, strict=True)
    }
    for xref in article.iter("xref"):
        rids = (xref.get("rid") or "").split()
        if not rids or not all(r in target for r in rids):
            continue
        xref.set("rid", " ".join(target[r][0] for r in rids))
        if len(xref) == 0:
            xref.text = "[" + ", ".join(target[r][1] for r in rids) + "]"
    report.changes.append(f"{len(refs)} bibliography items linked to their \\cite commands")


_TEX_SCALING_BOX = re.compile(r"\\(resizebox|scalebox)\*?(?![A-Za-z@])")


def unwrap_scaling_boxes(text: str, report: ConversionReport | None = None) -> str:
    """``\\resizebox{w}{h}{X}`` and ``\\scalebox{s}{X}`` become ``X``.

    They only scale what they hold for print, but pandoc drops a tabular inside them, and
    with it the whole table.
    """
    pieces: list[str] = []
    pos = 0
    unwrapped = 0
    for match in _TEX_SCALING_BOX.finditer(text):
        if match.start() < pos:
            continue
        size_args = 2 if match.group(1) == "resizebox" else 1
        after = match.end()
        if match.group(1) == "scalebox" and text[after:].lstrip().startswith("["):
            continue
        content_start = _braced_groups(text, after, size_args)
        content_end = _braced_groups(text, content_start, 1) if content_start else None
        if content_start is None or content_end is None:
            continue
        inner_start = text.index("{", content_start) + 1
        pieces.append(text[pos : match.start()])
        pieces.append(text[inner_start : content_end - 1])
        pos = content_end
        unwrapped += 1
    pieces.append(text[pos:])
    if unwrapped and report is not None:
        report.changes.append(f"{unwrapped} \\resizebox/\\scalebox wrappers removed")
    return "".join(pieces)


def _bibtex_as_csl(bibs: list[Path]) -> list[Any]:
    """BibTeX files as CSL JSON items, through pandoc's own BibTeX reader (sandboxed)."""
    items: list[Any] = []
    for bib in bibs:
        try:
            output = pandoc.run_pandoc(["--from", "bibtex", "--to", "csljson", str(bib)]).output
            items.extend(json.loads(output or b"[]"))
        except (pandoc.PandocError, ValueError) as exc:
            raise ConversionError("bibliography", str(exc), bib.name) from exc
    return items


_TEX_USEPACKAGE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}")
_STY_BOILERPLATE = re.compile(
    r"\\(?:makeatletter|makeatother|ProvidesPackage|NeedsTeXFormat|endinput)(?:\[[^\]]*\])?"
    r"(?:\{[^}]*\})?(?:\[[^\]]*\])?"
)


def inline_local_packages(text: str, base: Path, root: Path) -> str:
    """``\\usepackage{macros}`` replaced by ``macros.sty`` when that file is the author's
    own (inside the source folder); other packages stay as they are."""

    def replace(match: re.Match[str]) -> str:
        kept, inlined = [], []
        for name in (n.strip() for n in match.group(1).split(",")):
            candidate = _inside(base / f"{name}.sty", root)
            if candidate is not None and candidate.is_file():
                sty = _TEX_COMMENT.sub("", candidate.read_text(encoding="utf-8", errors="replace"))
                inlined.append(_STY_BOILERPLATE.sub("", sty))
            elif name:
                kept.append(name)
        if not inlined:
            return match.group(0)
        prefix = f"\\usepackage{{{','.join(kept)}}}\n" if kept else ""
        return prefix + "\n".join(inlined)

    return _TEX_USEPACKAGE.sub(replace, text)


def _main_tex(root: Path) -> Path | None:
    candidates = sorted(root.rglob("*.tex"), key=lambda p: (len(p.parts), p.name))
    for path in candidates:
        head = path.read_bytes()[:200_000]
        if b"\\documentclass" in head and b"\\begin{document}" in head:
            return path
    return candidates[0] if candidates else None


def _inside(path: Path, root: Path) -> Path | None:
    resolved = path.resolve()
    return resolved if resolved == root.resolve() or root.resolve() in resolved.parents else None


def _inline_includes(
    text: str, base: Path, root: Path, report: ConversionReport, depth: int
) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        candidate = base / target
        if candidate.suffix != ".tex":
            candidate = candidate.with_name(candidate.name + ".tex")
        inside = _inside(candidate, root)
        if inside is None:
            report.warnings.append(f"\\input{{{target}}} points outside the source folder; dropped")
            return ""
        if not inside.is_file():
            report.warnings.append(f"\\input{{{target}}}: file not found; dropped")
            return ""
        if depth >= MAX_TEX_INCLUDE_DEPTH:
            report.warnings.append(f"\\input{{{target}}}: includes nested too deeply; dropped")
            return ""
        included = inside.read_text(encoding="utf-8", errors="replace")
        return _inline_includes(included, inside.parent, root, report, depth + 1)

    return _TEX_INCLUDE.sub(replace, text)


# --- assembling the article ---------------------------------------------------------------


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def new_article(metadata: Mapping[str, Any] | None, profile: JournalProfile) -> Any:
    article = etree.Element("article", nsmap=frontmatter.NSMAP)
    article.set("dtd-version", "1.3")
    article.set("article-type", (metadata or {}).get("article_type") or "research-article")
    article.set(XML_LANG, (metadata or {}).get("language") or profile.language)
    return article


def assemble(
    raw: etree._ElementTree,
    metadata: Mapping[str, Any] | None,
    profile: JournalProfile,
    report: ConversionReport,
    *,
    document_title: str | None = None,
    citation_labels: Mapping[str, str] | None = None,
) -> etree._ElementTree:
    """Our article from pandoc's: new front, pandoc's body and back repaired, references."""
    raw_root = raw.getroot()
    pandoc_title = raw_root.find("front/article-meta/title-group/article-title")
    if pandoc_title is not None:
        for line_break in pandoc_title.iter("break"):
            line_break.tail = " " + (line_break.tail or "")
    title = _text(pandoc_title) if pandoc_title is not None else None
    title = title or document_title
    if not (metadata or {}).get("title") and title:
        report.changes.append(f"title taken from the document: {title!r}")
    if metadata is None:
        report.missing.append("submission metadata (--meta): front matter derived from the file")
    if not (metadata or {}).get("article_type"):
        report.missing.append("article type (research-article assumed)")

    article = new_article(metadata, profile)
    derived = _metadata_from_document(raw_root, metadata or {}, profile, report)
    effective = {**derived, **(metadata or {})}
    front, front_report = frontmatter.build_front(effective, profile, fallback_title=title)
    report.missing.extend(front_report.missing)
    report.warnings.extend(front_report.warnings)
    article.append(front)

    body = raw_root.find("body")
    if body is None:
        body = etree.Element("body")
    article.append(body)
    back = etree.SubElement(article, "back")
    raw_back = raw_root.find("back")
    if raw_back is not None:
        back.extend(list(raw_back))
    back.extend(frontmatter.build_back_matter(metadata))

    strings, anchors = _take_reference_section(body, report)
    if strings and back.find("ref-list") is None:
        ref_list = reference_list(strings, report)
        back.append(ref_list)
        _retarget_anchor_links(article, ref_list, anchors, report)
        if citation_labels:
            _retarget_citation_keys(article, ref_list, citation_labels, report)
    elif strings:
        report.warnings.append(
            "the document has both a references section and a citeproc bibliography; "
            "the section's entries were dropped"
        )
    _refs_for_citation_keys(article, back, report)
    _clean_pandoc_ref_list(back)
    _number_bare_key_citations(article)
    _order_references(article, back)
    # pandoc writes only what its readers understood, but ODT formulas and our filters add
    # markup of their own: the same rule as for JATS input holds.
    report.warnings.extend(sanitise(article).removed)
    repair(article, report)
    section_numbers_to_labels(article, report.changes)
    one_statement_per_kind(article, report.changes, report.warnings)
    if back.find("ref-list") is not None:
        _link_citations(article, report)
    if len(back) == 0:
        article.remove(back)
    if len(body) == 0:
        report.warnings.append("the document body is empty")
        etree.SubElement(body, "p")
    return etree.ElementTree(article)


def _metadata_from_document(
    raw_root: Any, metadata: Mapping[str, Any], profile: JournalProfile, report: ConversionReport
) -> dict[str, Any]:
    """Authors and abstract that pandoc found in the document itself (Markdown YAML, Word
    document properties), used only where the submission metadata has none."""
    derived: dict[str, Any] = {}
    meta = raw_root.find("front/article-meta")
    if meta is None:
        return derived
    if not metadata.get("contributors"):
        people = []
        for contrib in meta.iterfind("contrib-group/contrib"):
            surname = contrib.findtext("name/surname")
            given = contrib.findtext("name/given-names")
            if not surname:
                whole = " ".join((contrib.findtext("string-name") or "").split())
                if not whole:
                    continue
                given, _, surname = whole.rpartition(" ")
            person: dict[str, Any] = {"family_names": surname.strip()}
            if given and given.strip():
                person["given_names"] = given.strip()
            people.append(person)
        if people:
            derived["contributors"] = people
            report.changes.append(
                f"{len(people)} authors taken from the document (names split at the last "
                "space: check given and family names)"
            )
    if not metadata.get("abstracts"):
        abstract = meta.find("abstract")
        paragraphs = [] if abstract is None else [_text(p) for p in abstract.iter("p")]
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            lang = metadata.get("language") or profile.language
            derived["abstracts"] = [{"lang": lang, "text": "\n\n".join(paragraphs)}]
            report.changes.append("abstract taken from the document")
    return derived


def _take_reference_section(
    body: Any, report: ConversionReport
) -> tuple[list[str], list[list[str]]]:
    """Remove the references section from the body; return its entries as strings, and for
    each entry the anchor ids inside it (Word bookmarks that in-text citations link to).

    The section is found by what it holds, whatever the styles say: a heading-like line
    (a section title, or a short paragraph, bold or not) naming the references, followed by
    entries (numbered "1." "[1]" "1)", items of a numbered list, or author-year). Entries
    typed as headings count too. The section ends where the entries end: figure legends and
    appendices after it stay where they are.
    """
    blocks = _reading_order(body)
    for index, (kind, element) in enumerate(blocks):
        if kind not in ("title", "p") or not REFERENCE_HEADING.match(_text(element)):
            continue
        heading_sec = element.getparent() if kind == "title" else None
        if heading_sec is not None and heading_sec.find("ref-list") is not None:
            return [], []
        entries = _reference_entries(blocks[index + 1 :], heading_sec)
        if not entries:
            if heading_sec is not None and all(c.tag == "title" for c in heading_sec):
                # An empty "References" heading (citeproc or a ref-list fills that role).
                heading_sec.getparent().remove(heading_sec)
            continue
        strings = [_reference_text(e) for _, e in entries]
        # Word numbers the items of its own lists ("[1]" from numPr): the number is not in
        # the text, so give it, for the label and the "[1]" citations that point at it.
        for position, (kind_, entry) in enumerate(entries):
            ordered = kind_ == "item" and entry.getparent().get("list-type") == "order"
            if ordered and not _NUMBERED_ENTRY.match(strings[position]):
                strings[position] = f"{position + 1}. {strings[position]}"
        anchors = [[a.get("id") for a in e.iter() if a.get("id")] for _, e in entries]
        title = _text(element)
        _remove_reference_blocks([(kind, element), *entries])
        styled = sum(1 for k, _ in entries if k == "title")
        report.changes.append(
            f"{len(strings)} entries under {title!r} moved to the reference list"
            + (f" ({styled} of them styled as headings)" if styled else "")
        )
        return strings, anchors
    return [], []


# Entries: numbered ("1.", "[1]", "1)", "(1)"), then the text of the reference.
_NUMBERED_ENTRY = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?!\d))\s*\S")
_YEAR_IN_ENTRY = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_LINK_IN_ENTRY = re.compile(r"\b10\.\d{4,9}/|https?://", re.IGNORECASE)
# Author-year: a name first ("Smith, J.", "Smith J", "van Dijk", "王明"), a year soon after.
_AUTHOR_FIRST = re.compile(r"^\s*(?:[^\W\d_][\w'’-]*\b|[\u3400-\u9fff])", re.UNICODE)
# What ends a reference list: legends, tables, appendices, supplements, notes.
_AFTER_REFERENCES = re.compile(
    r"^\s*(?:fig(?:ure)?s?\.?\s*\d|table\s*\d|tab\.\s*\d|appendix|appendices|"
    r"supplementary|supporting information|figure legends|legends|(?:图|表)\s*\d|附录)",
    re.IGNORECASE,
)
MIN_ENTRY_CHARS = 20


def _reading_order(body: Any) -> list[tuple[str, Any]]:
    """The body's blocks in reading order: section titles, paragraphs, list items, others."""
    blocks: list[tuple[str, Any]] = []

    def walk(container: Any) -> None:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "sec":
                walk(child)
            elif child.tag == "title" and container.tag == "sec":
                blocks.append(("title", child))
            elif child.tag == "p":
                blocks.append(("p", child))
            elif child.tag == "list":
                blocks.extend(("item", item) for item in child.findall("list-item"))
            else:
                blocks.append(("other", child))

    walk(body)
    return blocks


def _reference_entries(
    blocks: list[tuple[str, Any]], heading_sec: Any | None
) -> list[tuple[str, Any]]:
    """The entries after a references heading, up to the first block that is not one.

    Inside the section the heading titles, every paragraph and list item is an entry until
    a legend or an appendix starts; beyond it (the heading a plain paragraph, or entries
    typed as headings of their own) only what reads as a reference: numbered in increasing
    order, or a name first with a year, DOI or link.
    """
    entries: list[tuple[str, Any]] = []
    last_number = 0
    for kind, element in blocks:
        text = _text(element)
        if kind == "other":
            break
        if not text:
            if kind == "title":
                break
            continue
        if _AFTER_REFERENCES.match(text):
            break
        inside = heading_sec is not None and any(a is heading_sec for a in element.iterancestors())
        if kind == "title" and inside and element.getparent() is not heading_sec:
            inside = False  # a subsection of the references: only if it reads as one
        numbered = _NUMBERED_ENTRY.match(text)
        if numbered:
            number = int(next(g for g in numbered.groups() if g))
            if number <= last_number and not inside:
                break
            last_number = number
        if inside or kind == "item" or _reads_as_reference(text, bool(numbered)):
            entries.append((kind, element))
            continue
        break
    return entries


def _reads_as_reference(text: str, numbered: bool) -> bool:
    if len(text) < MIN_ENTRY_CHARS:
        return False
    found = _YEAR_IN_ENTRY.search(text) or _LINK_IN_ENTRY.search(text)
    if numbered:
        return bool(found)
    return bool(_AUTHOR_FIRST.match(text)) and bool(found) and found.start() < 200


def _remove_reference_blocks(blocks: list[tuple[str, Any]]) -> None:
    """Take the heading and entries out of the body. A section whose title was taken
    (the references heading, or an entry styled as a heading) gives its remaining content
    to the section around it; a list left without items goes."""
    dissolved: list[Any] = []
    for kind, element in blocks:
        parent = element.getparent()
        if parent is None:
            continue
        if kind == "title":
            dissolved.append(parent)
        parent.remove(element)
        if kind == "item" and parent.find("list-item") is None and parent.getparent() is not None:
            parent.getparent().remove(parent)
    for sec in reversed(dissolved):  # innermost first
        holder = sec.getparent()
        if holder is None:
            continue
        position = holder.index(sec)
        for offset, child in enumerate(list(sec)):
            holder.insert(position + offset, child)
        holder.remove(sec)


def _reference_text(entry: Any) -> str:
    """An entry's text, plus link targets its text does not show (a DOI link whose visible
    text was lost, as with BibTeX's ``\\href{https://doi.org/...}{\\path{...}}``)."""
    text = _text(entry)
    for link in entry.iter("ext-link", "uri"):
        href = link.get(f"{{{XLINK}}}href") or ""
        if href and href not in text and not _text(link):
            text = f"{text.rstrip(' .')}. {href}"
    return text


def _retarget_anchor_links(
    article: Any, ref_list: Any, anchors: list[list[str]], report: ConversionReport
) -> None:
    """Citations that linked to bookmarks in the old references section now link to the
    ref made from that entry (refs are in the order of the strings they came from)."""
    refs = ref_list.findall("ref")
    if len(refs) != len(anchors):
        return
    target = {a: ref.get("id") for ref, ids in zip(refs, anchors, strict=True) for a in ids}
    if not target:
        return
    moved = 0
    for xref in article.iter("xref"):
        rid = xref.get("rid")
        if target.get(rid):
            xref.set("rid", target[rid])
            xref.set("ref-type", "bibr")
            moved += 1
    if moved:
        report.changes.append(f"{moved} citation links kept from the document's bookmarks")


_LINK_DEFINITION = re.compile(r"\[@([^\]\s]+)\]:\s*(\S+)")
_KEY_PUB_ID_TYPES = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "arxiv": "arxiv"}


def _citation_key_definitions(article: Any) -> dict[str, str]:
    """Manubot-style ``[@tag:name]: doi:10...`` lines: paragraphs that define citation keys.

    They are removed from the body (they are not text) and returned as key -> target.
    """
    definitions: dict[str, str] = {}
    for p in list(article.iter("p")):
        text = _text(p)
        found = _LINK_DEFINITION.findall(text)
        if found and not _LINK_DEFINITION.sub("", text).strip():
            definitions.update(found)
            p.getparent().remove(p)
    return definitions


def _refs_for_citation_keys(article: Any, back: Any, report: ConversionReport) -> None:
    """Citations whose key has no reference (a Markdown source without its bibliography
    file) get a reference made from the key itself: a DOI, PubMed or arXiv id, or a URL."""
    ids = {e.get("id") for e in article.iter() if isinstance(e.tag, str) and e.get("id")}
    missing: list[str] = []
    for xref in article.iter("xref"):
        if xref.get("ref-type") != "bibr":
            continue
        for rid in (xref.get("rid") or "").split():
            if rid not in ids and rid.startswith("ref-") and rid not in missing:
                missing.append(rid)
    missing = [rid for rid in missing if not _crossref_citation(article, rid, ids)]
    if not missing:
        return
    definitions = _citation_key_definitions(article)
    ref_list = back.find("ref-list")
    if ref_list is None:
        ref_list = etree.SubElement(back, "ref-list")
        etree.SubElement(ref_list, "title").text = "References"
    for rid in missing:
        key = rid.removeprefix("ref-")
        target = key
        for _ in range(3):  # tag:x -> doi:y chains are short
            target = definitions.get(target, target)
        ref = etree.SubElement(ref_list, "ref", id=rid)
        citation = etree.SubElement(ref, "mixed-citation")
        scheme, _, value = target.partition(":")
        if scheme == "doi" and value.startswith("10/"):
            # A shortDOI (10/abcd) resolves at doi.org but is not a DOI to deposit.
            scheme, value, target = "url", f"https://doi.org/{value}", f"https://doi.org/{value}"
        if scheme in _KEY_PUB_ID_TYPES and value:
            pub_id = etree.SubElement(
                citation, "pub-id", {"pub-id-type": _KEY_PUB_ID_TYPES[scheme]}
            )
            pub_id.text = value
        elif scheme == "isbn" and value:
            etree.SubElement(citation, "isbn").text = value
        elif target.startswith(("http://", "https://")) or scheme == "url":
            url = value if scheme == "url" else target
            link = etree.SubElement(citation, "ext-link", {"ext-link-type": "uri"})
            link.set(f"{{{XLINK}}}href", url)
            link.text = url
        else:
            citation.text = target
    report.warnings.append(
        f"{len(missing)} citation keys have no bibliography entry; references made from the "
        "keys alone (DOI, PubMed, arXiv id or URL) need completing"
    )


_CROSSREF_PREFIXES = {"fig": "fig", "tbl": "table", "eq": "disp-formula", "sec": "sec"}


def _crossref_citation(article: Any, rid: str, ids: set[str]) -> bool:
    """pandoc-crossref style ``@fig:name`` is a link to a figure, table, equation or section,
    not a reference. pandoc writes the target's id with ``:`` as ``U003A``."""
    key = rid.removeprefix("ref-")
    prefix, _, _ = key.partition(":")
    if prefix not in _CROSSREF_PREFIXES:
        return False
    target = next((c for c in (key, key.replace(":", "U003A")) if c in ids), None)
    if target is None:
        return False
    for xref in article.iter("xref"):
        if xref.get("rid") == rid:
            xref.set("rid", target)
            xref.set("ref-type", _CROSSREF_PREFIXES[prefix])
    return True


_NAMED_BEFORE = re.compile(r"\b(Figures?|Figs?\.|Tables?|Equations?|Eqs?\.|Sections?)\s*$", re.I)


def _crossref_link_texts(article: Any, report: ConversionReport) -> None:
    """``@fig:name`` shows as its key until the figure has a label: then it shows that."""
    labels = {
        e.get("id"): e.findtext("label")
        for e in article.iter("fig", "table-wrap", "disp-formula", "sec")
        if e.get("id") and e.findtext("label")
    }
    for xref in article.iter("xref"):
        text = _text(xref)
        if text.startswith("@") and len(xref) == 0 and xref.get("rid") in labels:
            label = labels[xref.get("rid")]
            previous = xref.getprevious()
            before = (previous.tail if previous is not None else xref.getparent().text) or ""
            if _NAMED_BEFORE.search(before):
                # "Figure @fig:x": the author wrote the word, the link is the number.
                label = label.split()[-1]
            xref.text = label


_NUMERIC_CITATION = re.compile(r"^[\s\[\(]*\d+([\s,;–—-]+\d+)*[\s\]\)]*$")


def _number_bare_key_citations(article: Any) -> None:
    """LaTeX ``\\cite{a,b}`` has no text of its own; the filter wrote the keys ("[a, b]").
    Show numbers instead, in order of first citation, as a numbered style would."""
    numbers: dict[str, int] = {}
    for xref in article.iter("xref"):
        rids = (xref.get("rid") or "").split()
        keys = [r.removeprefix("ref-") for r in rids]
        if xref.get("ref-type") != "bibr" or len(xref) or xref.text != f"[{', '.join(keys)}]":
            continue
        if all(key.isdigit() for key in keys):
            # "[2]" linking to ref-2: the author's own number (a Word cross-reference to a
            # numbered reference), not a key to replace.
            continue
        for rid in rids:
            numbers.setdefault(rid, len(numbers) + 1)
        xref.text = "[" + ", ".join(str(numbers[r]) for r in rids) + "]"


def _order_references(article: Any, back: Any) -> None:
    """Numbered citations list references in order of first citation; author-year ones
    stay alphabetical (citeproc's order). Refs never cited keep their place at the end."""
    ref_list = back.find("ref-list")
    if ref_list is None:
        return
    xrefs = [x for x in article.iter("xref") if x.get("ref-type") == "bibr"]
    if not xrefs or not all(_NUMERIC_CITATION.match(_text(x)) for x in xrefs):
        return
    first_use: dict[str, int] = {}
    for xref in xrefs:
        for rid in (xref.get("rid") or "").split():
            first_use.setdefault(rid, len(first_use))
    refs = ref_list.findall("ref")
    ordered = sorted(refs, key=lambda r: first_use.get(r.get("id"), len(first_use)))
    for ref in refs:
        ref_list.remove(ref)
    ref_list.extend(ordered)


def _lazy_references() -> Any | None:
    """references.py is written by another engineer; until it lands we degrade, and say so."""
    try:
        from frontiers_de.production.jats import references
    except ImportError:
        return None
    return references


def reference_list(strings: list[str], report: ConversionReport) -> Any:
    """A ref-list for reference strings: structured by references.py, or mixed-citations."""
    references = _lazy_references()
    if references is not None and hasattr(references, "build_ref_list"):
        try:
            result = references.build_ref_list(strings)
        except Exception as exc:  # a parser bug must not cost the author the references
            report.warnings.append(
                f"references: structuring failed ({type(exc).__name__}: {exc}); "
                "kept as mixed-citation"
            )
            return mixed_citation_list(strings)
        ref_list = getattr(result, "ref_list", None)
        if ref_list is None:
            ref_list = getattr(result, "element", result)
        if isinstance(ref_list, etree._ElementTree):
            ref_list = ref_list.getroot()
        for note in getattr(result, "warnings", []) or []:
            report.warnings.append(f"references: {note}")
        return ref_list
    report.warnings.append(
        "structured references unavailable (frontiers_de.production.jats.references has not "
        "landed): references kept as mixed-citation with their DOIs"
    )
    return mixed_citation_list(strings)


def mixed_citation_list(strings: list[str]) -> Any:
    """Each string as a numbered mixed-citation, DOIs marked as pub-id."""
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    for number, text in enumerate(strings, 1):
        ref = etree.SubElement(ref_list, "ref", id=f"ref-{number}")
        citation = etree.SubElement(ref, "mixed-citation")
        match = DOI_IN_TEXT.search(text)
        if match:
            citation.text = text[: match.start()]
            pub_id = etree.SubElement(citation, "pub-id", {"pub-id-type": "doi"})
            pub_id.text = match.group(1)
            pub_id.tail = text[match.end() :]
        else:
            citation.text = text
    return ref_list


def _link_citations(article: Any, report: ConversionReport) -> None:
    references = _lazy_references()
    if references is None or not hasattr(references, "link_citations"):
        report.warnings.append("in-text citations not linked (references.py has not landed)")
        return
    tree = etree.ElementTree(article)
    try:
        result = references.link_citations(tree)
    except Exception as exc:  # unlinked citations are still readable text
        report.warnings.append(
            f"references: linking citations failed ({type(exc).__name__}: {exc})"
        )
        return
    linked = getattr(result, "linked", result)
    if isinstance(linked, int) and linked:
        report.changes.append(f"{linked} in-text citations linked to references")


def _clean_pandoc_ref_list(back: Any) -> None:
    """pandoc's element-citations pad names with spaces and leave empty name parts."""
    ref_list = back.find("ref-list")
    if ref_list is None:
        return
    for element in ref_list.iter("surname", "given-names", "suffix", "prefix"):
        element.text = (element.text or "").strip()
        if not element.text and len(element) == 0:
            element.getparent().remove(element)


# --- schema repairs -----------------------------------------------------------------------

_Repair = Callable[[Any, ConversionReport], None]


def repair(article: Any, report: ConversionReport) -> None:
    """Bring pandoc's JATS into line with the 1.3 Publishing schema, in place."""
    for fix in REPAIRS:
        fix(article, report)


def _fix_ids(article: Any, report: ConversionReport) -> None:
    """Make every id an XML NCName and unique, and keep references to it pointing right."""
    renamed: dict[str, str] = {}
    seen: set[str] = set()
    first_holder: set[str] = set()
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        old = element.get("id")
        if old is None:
            continue
        new = re.sub(r"[^\w.-]", "-", old, flags=re.UNICODE)
        if not re.match(r"^[^\W\d]", new, flags=re.UNICODE) or new.startswith("-"):
            new = "id-" + new
        base, n = new, 1
        while new in seen:
            n += 1
            new = f"{base}-{n}"
        seen.add(new)
        if new == old:
            first_holder.add(old)
        else:
            # Links to a duplicated id keep pointing at its first holder.
            if old not in first_holder:
                renamed.setdefault(old, new)
                first_holder.add(old)
            element.set("id", new)
    if not renamed:
        return
    for element in article.iter():
        value = element.get("rid") if isinstance(element.tag, str) else None
        if value:
            element.set("rid", " ".join(renamed.get(v, v) for v in value.split()))
    report.changes.append(f"{len(renamed)} ids made valid and unique")


def _drop_dangling_rids(article: Any, report: ConversionReport) -> None:
    """An xref to an id that does not exist is invalid (IDREF); keep its text, drop the link."""
    ids = {e.get("id") for e in article.iter() if isinstance(e.tag, str) and e.get("id")}
    dropped = 0
    for xref in list(article.iter("xref")):
        rids = (xref.get("rid") or "").split()
        if rids and all(r in ids for r in rids):
            continue
        _unwrap(xref)
        dropped += 1
    if dropped:
        report.warnings.append(f"{dropped} cross-references pointed nowhere and were unlinked")


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


def _blocks_after_sections(article: Any, report: ConversionReport) -> None:
    """The schema allows paragraphs only before the first sub-section; blocks that follow
    a section (pandoc leaves text after the last heading's content there) join it."""
    moved = 0
    for container in [article.find("body"), *article.iter("sec")]:
        if container is None:
            continue
        last_sec = None
        for child in list(container):
            if child.tag == "sec":
                last_sec = child
            elif last_sec is not None and child.tag not in {"sig-block", "fn-group", "ref-list"}:
                last_sec.append(child)
                moved += 1
    if moved:
        report.changes.append(f"{moved} blocks after a section moved into it")


def _tables_without_body_rows(article: Any, report: ConversionReport) -> None:
    """A table of header rows only has an empty tbody, which the schema rejects."""
    for table in article.iter("table"):
        for tbody in table.findall("tbody"):
            if tbody.find("tr") is not None:
                continue
            thead = table.find("thead")
            if thead is not None and thead.find("tr") is not None:
                tbody.extend(thead.findall("tr"))
                table.remove(thead)
                report.changes.append("a table with header rows only: rows moved to its body")
            else:
                table.remove(tbody)
        if table.find("tbody") is None and table.find("tr") is None:
            etree.SubElement(etree.SubElement(table, "tbody"), "tr")
            report.warnings.append("an empty table was kept as a single empty row")


# Chinese captions ("图1 结构", "表2 各组成绩") often part number and title by a space only.
_FIGURE_CAPTION = re.compile(
    r"^\s*(?:(Figure|Fig\.?)\s*\d+[A-Za-z]?\s*[.:|—–-]|图\s*\d+[A-Za-z]?(?:\s*[.:|—–：-]|\s+\S))",
    re.IGNORECASE,
)


def _figures_from_captioned_images(article: Any, report: ConversionReport) -> None:
    """A paragraph holding only an image, followed by a "Figure N: ..." paragraph, is a
    figure as Word authors make them: it becomes a ``fig`` with label and caption."""
    made = 0
    for p in list(article.iter("p")):
        children = [c for c in p if isinstance(c.tag, str)]
        graphics = [c for c in children if c.tag == "inline-graphic"]
        others = [c for c in children if c.tag not in {"inline-graphic", "named-content"}]
        if len(graphics) != 1 or others or _text(p).strip() != _text(graphics[0]).strip():
            continue
        caption_p = p.getnext()
        if caption_p is None or caption_p.tag != "p" or not _FIGURE_CAPTION.match(_text(caption_p)):
            continue
        image = graphics[0]
        fig = etree.Element("fig")
        anchor = next((c for c in children if c.tag == "named-content" and c.get("id")), None)
        if anchor is not None:
            fig.set("id", anchor.get("id"))
        caption = etree.SubElement(fig, "caption")
        caption_p.tail = None
        caption.append(caption_p)  # moves it out of the body
        graphic = etree.SubElement(fig, "graphic", dict(image.attrib))
        for alt in image.findall("alt-text"):
            graphic.append(alt)
        fig.tail = p.tail
        p.getparent().replace(p, fig)
        made += 1
    if made:
        report.changes.append(f"{made} captioned images made figures")


_TABLE_CAPTION = re.compile(
    r"^\s*(?:(Table|Tab\.?)\s*\d+[A-Za-z]?\s*[.:|—–-]|表\s*\d+[A-Za-z]?(?:\s*[.:|—–：-]|\s+\S))",
    re.IGNORECASE,
)


def _table_captions_from_paragraphs(article: Any, report: ConversionReport) -> None:
    """A "Table N: ..." paragraph right above (or below) a table without a caption is
    that table's caption, typed as a plain paragraph."""
    moved = 0
    for table_wrap in list(article.iter("table-wrap")):
        if table_wrap.find("caption") is not None:
            continue
        for candidate in (table_wrap.getprevious(), table_wrap.getnext()):
            if candidate is None or candidate.tag != "p":
                continue
            if not _TABLE_CAPTION.match(_text(candidate)):
                continue
            caption = etree.Element("caption")
            candidate.getparent().remove(candidate)
            candidate.tail = None
            caption.append(candidate)
            position = 1 if table_wrap.find("label") is not None else 0
            table_wrap.insert(position, caption)
            moved += 1
            break
    if moved:
        report.changes.append(f"{moved} table captions taken from the paragraph beside them")


_CAPTION_LABEL = re.compile(
    r"^\s*((?:Figure|Fig\.?|Table|Tab\.?|图|表)\s*\d+[A-Za-z]?)\s*[.:|—–：-]?\s*", re.IGNORECASE
)
_FLOAT_KINDS = {"fig": ("fig", "Figure"), "table-wrap": ("table", "Table")}


def _label_and_anchor_floats(article: Any, report: ConversionReport) -> None:
    """Figures and tables get an id, a label and the links Word pointed at their caption.

    Word cross-references (REF fields) point at a bookmark inside the caption; the float
    itself takes that id so the link names the figure or table. A caption that starts with
    "Figure 3." or "Table 2:" gives its label; floats without one are numbered in order,
    as the typeset article would number them.
    """
    body = article.find("body")
    if body is None:
        return
    retyped: dict[str, str] = {}
    numbered = 0
    for tag, (ref_type, word) in _FLOAT_KINDS.items():
        for number, element in enumerate(body.iter(tag), 1):
            caption = element.find("caption")
            anchors = [] if caption is None else list(caption.iter("named-content"))
            for anchor in anchors:
                if anchor.get("content-type") == "anchor" and anchor.get("id"):
                    if element.get("id") is None:
                        element.set("id", anchor.get("id"))
                    else:
                        retyped[anchor.get("id")] = element.get("id")
                    _unwrap(anchor)
            if element.get("id") is None:
                element.set("id", f"{ref_type}-{number}")
            retyped.setdefault(element.get("id"), element.get("id"))
            if element.find("label") is not None:
                continue
            label = None
            first = caption.find("p") if caption is not None else None
            if first is None and caption is not None:
                first = caption.find("title")
            if first is not None:
                match = _CAPTION_LABEL.match(first.text or "")
                if match:
                    label = match.group(1)
                    first.text = first.text[match.end() :]
                    if not _text(first) and len(first) == 0:
                        # The caption was only "Table 1": the label says it all.
                        caption.remove(first)
                        if len(caption) == 0:
                            element.remove(caption)
            if label is None:
                label = f"{word} {number}"
                numbered += 1
            label_element = etree.Element("label")
            label_element.text = label
            element.insert(0, label_element)
    for xref in article.iter("xref"):
        rid = xref.get("rid")
        if rid in retyped:
            target = article.xpath("//*[@id=$id]", id=retyped[rid])
            if target:
                xref.set("rid", retyped[rid])
                xref.set("ref-type", _FLOAT_KINDS[target[0].tag][0])
    if numbered:
        report.changes.append(f"{numbered} figures/tables without a label numbered in order")


_FLOAT_MENTION = re.compile(r"\b(Figures?|Figs?\.|Tables?)\s+(\d+)(?![\d.]\d)")
_NO_LINKING_INSIDE = {
    *("xref", "ext-link", "uri", "label", "caption", "title", "tex-math", "alt-text"),
    *("long-desc", "email", "inline-graphic", "graphic", "ref-list"),
}


def _link_float_mentions(article: Any, report: ConversionReport) -> None:
    """ "Table 2" and "Fig. 3" in the text become xrefs to that table or figure."""
    body = article.find("body")
    if body is None:
        return
    targets: dict[tuple[str, str], str] = {}
    for tag, (ref_type, _) in _FLOAT_KINDS.items():
        for element in body.iter(tag):
            label = element.findtext("label") or ""
            number = re.search(r"\d+", label)
            if number and element.get("id"):
                targets.setdefault((ref_type, number.group(0)), element.get("id"))
    if not targets:
        return
    made = 0

    def kind_of(word: str) -> str:
        return "table" if word.lower().startswith("tab") else "fig"

    def split(text: str) -> list[Any]:
        pieces: list[Any] = []
        pos = 0
        for match in _FLOAT_MENTION.finditer(text):
            rid = targets.get((kind_of(match.group(1)), match.group(2)))
            if rid is None:
                continue
            pieces.append(text[pos : match.start()])
            xref = etree.Element("xref", {"ref-type": kind_of(match.group(1)), "rid": rid})
            xref.text = match.group(0)
            pieces.append(xref)
            pos = match.end()
        pieces.append(text[pos:])
        return pieces

    def eligible(root: Any) -> list[Any]:
        """Elements whose text may hold mentions: not inside links, labels, captions, math."""
        found, stack = [], [root]
        while stack:
            node = stack.pop()
            if not isinstance(node.tag, str) or node.tag in _NO_LINKING_INSIDE:
                continue
            if etree.QName(node).namespace:
                continue
            found.append(node)
            stack.extend(node)
        return found

    for element in eligible(body):
        if element.text and _FLOAT_MENTION.search(element.text):
            pieces = split(element.text)
            if len(pieces) > 1:
                element.text = pieces[0]
                for position, i in enumerate(range(1, len(pieces), 2)):
                    xref, after = pieces[i], pieces[i + 1]
                    xref.tail = after
                    element.insert(position, xref)
                    made += 1
        for child in list(element):
            if not isinstance(child.tag, str) or not child.tail:
                continue
            if not _FLOAT_MENTION.search(child.tail):
                continue
            pieces = split(child.tail)
            if len(pieces) == 1:
                continue
            child.tail = pieces[0]
            anchor = child
            for i in range(1, len(pieces), 2):
                xref, after = pieces[i], pieces[i + 1]
                xref.tail = after
                anchor.addnext(xref)
                anchor = xref
                made += 1
    if made:
        report.changes.append(f"{made} mentions of figures and tables linked")


def link_float_mentions(article: Any) -> list[str]:
    """Link "Figure 2" and "Table 1" in the text to figures and tables added after the
    conversion (an uploaded figure placed at its legend); mentions already linked stay as
    they are. Returns what changed, for a report."""
    report = ConversionReport(source="", source_format="jats")
    _link_float_mentions(article, report)
    return report.changes


REPAIRS: list[_Repair] = [
    _figures_from_captioned_images,
    _table_captions_from_paragraphs,
    _label_and_anchor_floats,
    _crossref_link_texts,
    _link_float_mentions,
    _fix_ids,
    _drop_dangling_rids,
    _blocks_after_sections,
    _tables_without_body_rows,
]


# --- JATS route ---------------------------------------------------------------------------


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


# --- counting -----------------------------------------------------------------------------


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
