"""The files a JATS article names: figures, media and supplements.

An article's figures live beside its JATS, named by ``xlink:href`` on ``graphic``,
``inline-graphic``, ``media`` and the supplementary-material elements. This module says which
hrefs are the article's own files (not web links), whether a name is safe to keep, serve and
write to a folder, and finds the files a LaTeX source names in its unpacked folder (pandoc
keeps ``\\includegraphics{plot}`` as written: no folder from ``\\graphicspath``, often no
extension). Pure functions: no database, no web app.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

XLINK = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK}}}href"
ASSET_ELEMENTS = (
    "graphic",
    "inline-graphic",
    "media",
    "supplementary-material",
    "inline-supplementary-material",
)
MAX_NAME_LENGTH = 255  # ManuscriptFile.filename

# Why a name is refused, by code; the app translates the codes for its pages.
NAME_PROBLEMS = {
    "empty": "the name is empty",
    "too-long": f"the name is longer than {MAX_NAME_LENGTH} characters",
    "control": "the name contains control characters",
    "backslash": "the name contains a backslash",
    "absolute": "the name is an absolute path",
    "url": "the name is a web address, not a file of the article",
    "traversal": "the name leaves its folder ('..')",
    "empty-part": "the name has an empty or '.' folder",
    "query": "the name contains '?' or '#', which a link cannot carry",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:")

# What LaTeX would try for \includegraphics{name} without an extension, best for the web
# first (pdflatex itself prefers .png, .pdf, .jpg; a source that has both a PNG and a PDF of
# one figure gets the PNG, which readers' browsers can show).
LATEX_GRAPHIC_EXTENSIONS = (
    ".png",
    ".jpg",
    ".jpeg",
    ".svg",
    ".gif",
    ".tif",
    ".tiff",
    ".pdf",
    ".eps",
)
# Graphics that neither browsers nor the typesetter can show.
NOT_SHOWABLE = (".pdf", ".eps", ".ps", ".emf", ".wmf")
PDF_TO_SVG_TIMEOUT_SECONDS = 30.0
_GRAPHICSPATH = re.compile(r"\\graphicspath\s*\{((?:\s*\{[^{}]*\})+)\s*\}")
_MIME_SUBTYPE = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".svg": "svg+xml",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".pdf": "pdf",
    ".eps": "postscript",
}


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the name of an article's file (a code of
    :data:`NAME_PROBLEMS`), or None when it is safe: relative, inside its folder, no
    control characters, usable in a link."""
    if not name or not name.strip():
        return "empty"
    if len(name) > MAX_NAME_LENGTH:
        return "too-long"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "control"
    if "\\" in name:
        return "backslash"
    if name.startswith("/") or _DRIVE.match(name):
        return "absolute"
    if "://" in name or _SCHEME.match(name):
        return "url"
    if "?" in name or "#" in name:
        return "query"
    parts = name.split("/")
    if ".." in parts:
        return "traversal"
    if any(p in ("", ".") for p in parts):
        return "empty-part"
    return None


def is_local(href: str | None) -> bool:
    """Whether an href names a file of the article rather than a web address or an anchor."""
    if not href or not href.strip():
        return False
    href = href.strip()
    return not (href.startswith(("#", "//")) or "://" in href or _SCHEME.match(href))


@dataclass(frozen=True)
class AssetReference:
    """One file the JATS names, with the element that names it first."""

    href: str
    element: str

    @property
    def problem(self) -> str | None:
        return name_problem(self.href)


def _asset_elements(root: Any) -> Iterator[Any]:
    for element in root.iter(*ASSET_ELEMENTS):
        if isinstance(element.tag, str) and not etree.QName(element).namespace:
            yield element


def referenced_assets(tree: etree._ElementTree | Any) -> list[AssetReference]:
    """Every local file the article names, once each, in document order."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    seen: dict[str, AssetReference] = {}
    for element in _asset_elements(root):
        href = element.get(XLINK_HREF)
        if is_local(href) and href not in seen:
            seen[href] = AssetReference(href, etree.QName(element).localname)
    return list(seen.values())


# --- LaTeX sources ------------------------------------------------------------------------


def graphics_folders(tex: str) -> list[str]:
    """The folders of ``\\graphicspath{{figs/}{img/}}``, in order."""
    folders: list[str] = []
    for match in _GRAPHICSPATH.finditer(tex):
        folders += [f.strip() for f in re.findall(r"\{([^{}]*)\}", match.group(1)) if f.strip()]
    return folders


def _inside(path: Path, root: Path) -> Path | None:
    resolved = path.resolve()
    return resolved if root in resolved.parents else None


def find_latex_file(href: str, base: Path, root: Path, folders: list[str]) -> Path | None:
    """The file ``\\includegraphics{href}`` means: looked up from the main file's folder
    (``base``) and the ``\\graphicspath`` folders, with LaTeX's extensions when the name has
    none, and only inside ``root`` (the unpacked source)."""
    root = root.resolve()
    suffix = PurePosixPath(href).suffix.lower()
    for folder in ("", *folders):
        start = base / folder / href
        names = [start] if suffix else []
        names += [start.with_name(start.name + ext) for ext in LATEX_GRAPHIC_EXTENSIONS]
        for candidate in names:
            inside = _inside(candidate, root)
            if inside is not None and inside.is_file():
                return inside
    return None


_RESOLVED_LATER = ("traversal", "empty-part")


@dataclass
class CollectedAssets:
    """Files found for the article's hrefs: href (as the tree now says) -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def pdf_figure_to_svg(data: bytes, *, max_bytes: int) -> bytes | None:
    """The first page of a PDF figure as SVG, its vectors and text kept, or None.

    LaTeX authors draw figures as PDF (matplotlib, TikZ, R), which neither browsers nor
    WeasyPrint can show. Poppler's ``pdftocairo`` (Debian's poppler-utils, which the make
    targets install) draws the page as SVG; run in a temporary folder with a timeout, and
    an answer over ``max_bytes`` is not kept. None when poppler is absent or the file is not
    a usable PDF: the caller then keeps the PDF with a warning.
    """
    program = shutil.which("pdftocairo")
    if program is None or not data.startswith(b"%PDF-"):
        return None
    with tempfile.TemporaryDirectory(prefix="fde-pdf-figure-") as tmp:
        source, target = Path(tmp) / "figure.pdf", Path(tmp) / "figure.svg"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "-svg", "-f", "1", "-l", "1", str(source), str(target)],
                capture_output=True,
                timeout=PDF_TO_SVG_TIMEOUT_SECONDS,
                check=True,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        if not target.is_file() or target.stat().st_size > max_bytes:
            return None
        svg = target.read_bytes()
    return svg if b"<svg" in svg[:1000] else None


def _svg_name(name: str, taken: set[str]) -> str:
    """``figs/plot.pdf`` -> ``figs/plot.svg``, or ``figs/plot.pdf.svg`` when the source has
    its own ``plot.svg``."""
    candidate = str(PurePosixPath(name).with_suffix(".svg"))
    return candidate if candidate not in taken else f"{name}.svg"


@dataclass
class _LatexSource:
    """The unpacked LaTeX source that :func:`collect_latex_assets` reads files from, and
    how many bytes it has read so far (against ``max_total_bytes``)."""

    root: Path
    base: Path
    folders: list[str]
    max_file_bytes: int
    max_total_bytes: int
    total: int = 0

    def read(self, what: str, href: str, out: CollectedAssets) -> str | None:
        """Keep the file ``href`` names in ``out.files``: the name it is kept under, or None
        (with a warning) when it is unsafe, missing or too large."""
        base, root = self.base, self.root
        problem = name_problem(href)
        # LaTeX names files relative to the main file ('./figs/a', '../shared/b'):
        # those are resolved (inside root only) and renamed below.
        if problem and problem not in _RESOLVED_LATER:
            out.warnings.append(
                f"{what} {href[:200]!r}: {NAME_PROBLEMS[problem]}; the file is not kept"
            )
            return None
        path = find_latex_file(href, base, root, self.folders)
        if path is None:
            out.warnings.append(f"{what} {href!r}: no such file in the source")
            return None
        name = (
            path.relative_to(base) if base in path.parents else path.relative_to(root)
        ).as_posix()
        if name_problem(name):
            out.warnings.append(
                f"{what} {href!r}: the file {name[:200]!r} has an unusable name; not kept"
            )
            return None
        size = path.stat().st_size
        if size > self.max_file_bytes or self.total + size > self.max_total_bytes:
            out.warnings.append(f"{what} {href!r}: {name} is too large ({size} bytes); not kept")
            return None
        self.total += size
        data = path.read_bytes()
        svg = (
            pdf_figure_to_svg(data, max_bytes=self.max_file_bytes)
            if path.suffix.lower() == ".pdf" and what in ("graphic", "inline-graphic")
            else None
        )
        if svg is not None:
            taken = set(out.files)
            if path.with_suffix(".svg").exists():
                taken.add(str(PurePosixPath(name).with_suffix(".svg")))
            pdf_name, name = name, _svg_name(name, taken)
            data = svg
            out.changes.append(f"{what} {pdf_name!r} drawn as SVG ({name!r}) from its PDF")
        out.files[name] = data
        if PurePosixPath(name).suffix.lower() in NOT_SHOWABLE:
            out.warnings.append(
                f"{what} {name!r} is a {PurePosixPath(name).suffix[1:].upper()} graphic, "
                "which browsers and the typesetter cannot show; a PNG, JPEG or SVG version "
                "is needed"
            )
        return name


def collect_latex_assets(
    tree: etree._ElementTree | Any,
    base: Path,
    root: Path,
    folders: list[str],
    *,
    max_file_bytes: int,
    max_total_bytes: int,
) -> CollectedAssets:
    """Read the files the article names from its LaTeX source folder.

    Where the file found differs from the href (a ``\\graphicspath`` folder, an extension
    LaTeX added), the href is rewritten to the file's path relative to the main file's
    folder, so the JATS names exactly the file kept beside it. Missing, unsafe or oversized
    files are warnings; nothing outside ``root`` is read.
    """
    article = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    source = _LatexSource(root.resolve(), base.resolve(), folders, max_file_bytes, max_total_bytes)
    out = CollectedAssets()
    resolved: dict[str, str | None] = {}
    for element in _asset_elements(article):
        href = element.get(XLINK_HREF)
        if not is_local(href):
            continue
        assert href is not None
        what = etree.QName(element).localname
        if href not in resolved:
            resolved[href] = source.read(what, href, out)
        name = resolved[href]
        if name is None:
            continue
        if name != href:
            element.set(XLINK_HREF, name)
        subtype = _MIME_SUBTYPE.get(PurePosixPath(name).suffix.lower())
        if what in ("graphic", "inline-graphic") and subtype and not element.get("mime-subtype"):
            element.set("mimetype", "application" if subtype in ("pdf", "postscript") else "image")
            element.set("mime-subtype", subtype)
    renamed = sum(1 for href, name in resolved.items() if name and name != href)
    if renamed:
        out.changes.append(f"{renamed} figure names completed with their folder or extension")
    return out
