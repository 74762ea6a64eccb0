"""The leak check: does the reviewer copy of a file still name its authors?

:func:`extract_blocks` reads the text of a file, part by part and paragraph by paragraph
(DOCX and ODT: body, headers, footers, footnotes, comments, tracked deletions, field codes,
what is left of the document properties; PDF: each page's text through ``pdftotext`` and
the annotations; plain text: lines; zips: each member and its name; images: whatever
metadata is left). :func:`find_leaks` searches those blocks for the authors' names (given,
family, both orders, initial and family name, the name in its own script), email
addresses, ORCID iDs, affiliations and ROR ids, ignoring case and accents, and says where
each hit is with a snippet around it.

Hits in the reference list, in a citation field (Zotero, EndNote, Mendeley, Word) or in an
in-text citation ("Zhou et al., 2021") are marked ``self_citation``: a journal shows them
to the author and the editor, it does not refuse them.

Pure functions: bytes in, blocks and hits out; the limits of
:mod:`frontiers_de.submissions.anonymise` (zip limits, safe XML) apply here too.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pikepdf
from lxml import etree
from PIL import Image

from frontiers_de.production.jats import archive
from frontiers_de.submissions.anonymise import (
    MAX_NESTING,
    ODF_SUFFIXES,
    OOXML_SUFFIXES,
    TEXT_SUFFIXES,
    suffix_of,
)
from frontiers_de.xml.safe import XMLInputError, parse_xml

PDFTOTEXT_SECONDS = 60
MAX_HITS_PER_FILE = 200
SNIPPET_CHARS = 40
MIN_TERM_CHARS = 2

# Headings that open the reference list (compared after folding case and accents).
REFERENCE_HEADINGS = frozenset(
    {
        "references",
        "reference list",
        "bibliography",
        "works cited",
        "literature cited",
        "literature",
        "sources",
        "参考文献",
        "参考资料",
        "literaturverzeichnis",
        "bibliographie",
        "references and notes",
    }
)
# Field codes that are citations (a citation manager's data or Word's own CITATION field).
_CITATION_FIELD = re.compile(
    r"ADDIN\s+(ZOTERO_|EN\.CITE|CSL_CITATION|Mendeley|CitaviPlaceholder)|\bCITATION\b|"
    r"\bBIBLIOGRAPHY\b",
    re.IGNORECASE,
)
# After a name: a year or "et al." makes it a citation of that author ("Zhou, 2021",
# "Zhou et al. (2021)", "Zhou and Okonkwo [2022]").
_CITATION_AFTER = re.compile(
    r"^[^;\n]{0,30}?(\bet\s+al\b|[(\[,]\s*(19|20)\d\d[a-z]?\b|\b(19|20)\d\d[a-z]?[)\]])",
    re.IGNORECASE,
)
_LATEX_BIB = re.compile(r"\\begin\{thebibliography\}|\\printbibliography|\\bibitem\b")
_HEADING_MARKS = re.compile(r"^[\s#*_=\d.\\{}]*(section\*?\{)?|[\s#*_=:}]*$", re.IGNORECASE)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@dataclass(frozen=True)
class Block:
    """A piece of text and where it is: ``area`` (``text``, ``header``, ``footer``,
    ``footnotes``, ``endnotes``, ``comments``, ``field_code``, ``metadata``, ``page``,
    ``annotation``, ``line``, ``file_name``, ``link``), the ``part`` (a file inside a
    package, or the member of a zip) and a ``number`` (paragraph, page or line)."""

    area: str
    part: str
    number: int
    text: str
    in_references: bool = False


@dataclass(frozen=True)
class Term:
    """Something that names an author: ``kind`` is ``name``, ``email``, ``orcid`` or
    ``affiliation``; ``label`` what the lists show (the term as the author gave it)."""

    kind: str
    label: str
    text: str


@dataclass(frozen=True)
class Hit:
    kind: str
    term: str
    area: str
    part: str
    number: int
    snippet: str
    self_citation: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "term": self.term,
            "area": self.area,
            "part": self.part,
            "number": self.number,
            "snippet": self.snippet,
            "self_citation": self.self_citation,
        }


@dataclass
class LeakReport:
    hits: list[Hit] = field(default_factory=list)
    # What could not be read (an encrypted PDF, a damaged part): the check is incomplete.
    unread: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def leaks(self) -> list[Hit]:
        """The hits that are not self-citations."""
        return [h for h in self.hits if not h.self_citation]


# --- the terms -------------------------------------------------------------------------------


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without case and accents (Zhōu → zhou, Müller → muller, ß → ss), and for
    each folded character the index of the character it came from (for snippets)."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def _is_cjk(text: str) -> bool:
    return any(
        unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in text
    )


def terms_for(people: Iterable[object]) -> list[Term]:
    """What names the authors, from contributor rows (anything with ``given_name``,
    ``family_name``, ``native_name``, ``email``, ``orcid``, ``affiliations``)."""
    found: dict[tuple[str, str], Term] = {}

    def add(kind: str, label: str, text: str | None = None) -> None:
        text = " ".join((text if text is not None else label).split())
        folded = fold(text)[0]
        if len(folded) < MIN_TERM_CHARS and not _is_cjk(text):
            return
        if _is_cjk(text) and len(text.replace(" ", "")) < 2:
            return
        found.setdefault((kind, folded), Term(kind, label, text))

    for person in people:
        given = (getattr(person, "given_name", "") or "").strip()
        family = (getattr(person, "family_name", "") or "").strip()
        native = (getattr(person, "native_name", "") or "").strip()
        if given and family:
            add("name", f"{given} {family}")
            add("name", f"{family} {given}")
            add("name", f"{family}, {given}", f"{family}, {given}")
            add("name", f"{given[0]}. {family}")
        for part in (family, given):
            if part:
                add("name", part)
        if native:
            add("name", native)
            if " " in native:
                add("name", native, native.replace(" ", ""))
        email = (getattr(person, "email", "") or "").strip()
        if email:
            add("email", email)
        orcid = (getattr(person, "orcid", "") or "").strip()
        if orcid:
            add("orcid", orcid)
            add("orcid", orcid, orcid.replace("-", ""))
        for aff in getattr(person, "affiliations", None) or []:
            if not isinstance(aff, dict):
                continue
            for key in ("name", "department"):
                value = str(aff.get(key) or "").strip()
                if len(value) >= 4:
                    add("affiliation", value)
            ror = str(aff.get("ror") or "").strip()
            if ror:
                add("affiliation", ror, ror.rstrip("/").rsplit("/", 1)[-1])
    return list(found.values())


def _pattern(term: Term) -> re.Pattern[str]:
    folded = re.escape(fold(term.text)[0]).replace(r"\ ", r"\s+")
    if _is_cjk(term.text):
        return re.compile(folded)
    if term.kind == "email":
        return re.compile(folded)
    # Whole words only: "Li" must not hit "link", nor "Ng" "using"; an underscore separates
    # words in file names (zhou_data/), an @ or a dot before a name makes it part of an
    # address.
    return re.compile(rf"(?<![^\W_])(?<![@.-]){folded}(?![^\W_])(?![@-])")


# --- finding ---------------------------------------------------------------------------------


def find_leaks(blocks: Iterable[Block], terms: Sequence[Term]) -> LeakReport:
    """Every place a term occurs in the blocks, the longest term where several overlap."""
    report = LeakReport()
    patterns = sorted(
        ((t, _pattern(t)) for t in terms), key=lambda tp: len(tp[0].text), reverse=True
    )
    for block in blocks:
        folded, index = fold(block.text)
        taken: list[tuple[int, int]] = []
        for term, pattern in patterns:
            for match in pattern.finditer(folded):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                if len(report.hits) >= MAX_HITS_PER_FILE:
                    report.truncated = True
                    return report
                first = index[start]
                last = index[end - 1] + 1
                citation = (
                    block.in_references
                    or (block.area == "field_code" and bool(_CITATION_FIELD.search(block.text)))
                    or (term.kind == "name" and bool(_CITATION_AFTER.search(block.text[last:])))
                )
                report.hits.append(
                    Hit(
                        kind=term.kind,
                        term=term.label,
                        area=block.area,
                        part=block.part,
                        number=block.number,
                        snippet=_snippet(block.text, first, last),
                        self_citation=citation,
                    )
                )
    return report


def _snippet(text: str, start: int, end: int) -> str:
    before = text[max(0, start - SNIPPET_CHARS) : start]
    after = text[end : end + SNIPPET_CHARS]
    lead = "…" if start > SNIPPET_CHARS else ""
    tail = "…" if end + SNIPPET_CHARS < len(text) else ""
    return " ".join(f"{lead}{before}{text[start:end]}{after}{tail}".split())


def check_file(data: bytes, filename: str, terms: Sequence[Term]) -> LeakReport:
    """The leak check of one file (normally the reviewer copy)."""
    unread: list[str] = []
    blocks = list(extract_blocks(data, filename, unread))
    report = find_leaks(blocks, terms)
    report.unread = unread
    return report


# --- reading the text ------------------------------------------------------------------------


def extract_blocks(
    data: bytes, filename: str, unread: list[str] | None = None, *, depth: int = 0, prefix=""
) -> Iterator[Block]:
    """The text of a file as blocks. What cannot be read is named in ``unread``."""
    unread = unread if unread is not None else []
    suffix = suffix_of(filename)
    label = f"{prefix}{filename}" if prefix else ""
    if suffix in OOXML_SUFFIXES | ODF_SUFFIXES or suffix == ".zip":
        yield from _zip_blocks(data, filename, suffix, unread, depth, prefix)
    elif suffix == ".pdf":
        yield from _pdf_blocks(data, label, unread)
    elif suffix in TEXT_SUFFIXES:
        yield from _text_blocks(data, label, suffix)
    elif suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        yield from _image_blocks(data, label)
    else:
        unread.append(f"{label or filename}: cannot read the text of {suffix or 'this'} files")


def _text_blocks(data: bytes, part: str, suffix: str) -> Iterator[Block]:
    text = data.decode("utf-8", errors="replace")
    in_refs = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _is_reference_heading(line) or (suffix in (".tex", ".bbl") and _LATEX_BIB.search(line)):
            in_refs = True
        elif suffix == ".tex" and "\\end{thebibliography}" in line:
            in_refs = False
        if line.strip():
            yield Block("line", part, number, line, in_refs or suffix in (".bib", ".bbl"))


def _is_reference_heading(text: str) -> bool:
    bare = _HEADING_MARKS.sub("", text.strip()).strip()
    return len(bare) < 40 and fold(bare)[0] in REFERENCE_HEADINGS


def _image_blocks(data: bytes, part: str) -> Iterator[Block]:
    try:
        image = Image.open(io.BytesIO(data))
    except Exception:  # an unreadable image has no text to check
        return
    with image:
        number = 0
        for key, value in (image.info or {}).items():
            if isinstance(value, str) and value.strip():
                number += 1
                yield Block("metadata", part, number, f"{key}: {value}")
        for tag, value in image.getexif().items():
            if isinstance(value, str | bytes) and value:
                number += 1
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                yield Block("metadata", part, number, f"EXIF {tag}: {text}")


def _pdf_blocks(data: bytes, part: str, unread: list[str]) -> Iterator[Block]:
    with tempfile.TemporaryDirectory(prefix="fde-leaks-") as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", str(path), "-"],
                capture_output=True,
                timeout=PDFTOTEXT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            unread.append(f"{part or 'PDF'}: the text could not be read ({exc})")
            done = None
    if done is not None and done.returncode != 0:
        unread.append(f"{part or 'PDF'}: the text could not be read")
    elif done is not None:
        in_refs = False
        pages = done.stdout.decode("utf-8", errors="replace").split("\f")
        for number, page in enumerate(pages, start=1):
            # Lines of a page joined into paragraphs, so a name broken over two lines of a
            # justified paragraph is still found; a "References" line starts a new one.
            lines: list[str] = []
            for line in [*page.splitlines(), ""]:
                heading = _is_reference_heading(line) if line.strip() else False
                if (not line.strip() or heading) and lines:
                    yield Block("page", part, number, " ".join(" ".join(lines).split()), in_refs)
                    lines = []
                in_refs = in_refs or heading
                if line.strip():
                    lines.append(line)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            info = pdf.trailer.get("/Info")
            for key, value in info.items() if info is not None else []:
                yield Block("metadata", part, 0, f"{str(key)[1:]}: {value}")
            meta = pdf.Root.get("/Metadata")
            if meta is not None:
                yield Block("metadata", part, 0, meta.read_bytes().decode("utf-8", "replace"))
            for number, page in enumerate(pdf.pages, start=1):
                for annot in page.obj.get("/Annots") or []:
                    if not isinstance(annot, pikepdf.Dictionary):
                        continue
                    text = " ".join(str(annot.get(k, "")) for k in ("/T", "/Contents")).strip()
                    if text:
                        yield Block("annotation", part, number, text)
    except (pikepdf.PdfError, pikepdf.PasswordError):
        pass  # pdftotext has said what it could


def _zip_blocks(data, filename, suffix, unread, depth, prefix) -> Iterator[Block]:
    try:
        archive.inspect_zip(data, reject_dtd=suffix != ".zip")
    except archive.ArchiveError as exc:
        unread.append(f"{prefix}{filename}: {exc}")
        return
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [m for m in source.infolist() if not m.is_dir()]
        if suffix == ".zip":
            for number, member in enumerate(members, start=1):
                yield Block("file_name", f"{prefix}{filename}", number, member.filename)
        for member in members:
            name = member.filename
            lower = name.lower()
            if suffix in OOXML_SUFFIXES:
                if lower.endswith(".xml") and not lower.startswith("customxml/"):
                    yield from _xml_part(source.read(member), name, prefix, unread, _ooxml_area)
                elif lower.endswith(".rels"):
                    yield from _rels_links(source.read(member), f"{prefix}{name}")
                elif "embeddings/" in lower and depth < MAX_NESTING:
                    yield from extract_blocks(
                        source.read(member), name, unread, depth=depth + 1, prefix=f"{prefix}"
                    )
            elif suffix in ODF_SUFFIXES:
                if lower.endswith(".xml") and not lower.startswith("meta-inf/"):
                    yield from _xml_part(source.read(member), name, prefix, unread, _odf_area)
            elif depth < MAX_NESTING:
                yield from extract_blocks(
                    source.read(member),
                    name,
                    unread,
                    depth=depth + 1,
                    prefix=f"{prefix}{filename}/",
                )


def _ooxml_area(part: str) -> str | None:
    lower = PurePosixPath(part.lower()).name
    if part.lower().startswith("docprops/"):
        return "metadata"
    for key in ("header", "footer", "footnotes", "endnotes", "comments"):
        if lower.startswith(key):
            return key
    if lower in ("document.xml", "sharedstrings.xml", "people.xml") or lower.startswith(
        ("sheet", "slide", "threadedcomment", "person")
    ):
        return "text"
    return None


def _odf_area(part: str) -> str | None:
    lower = PurePosixPath(part.lower()).name
    if lower == "meta.xml":
        return "metadata"
    if lower in ("content.xml", "styles.xml"):
        return "text"
    return None


_PARAGRAPHS = {f"{{{_W}}}p", f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"}
_W_TEXT = {f"{{{_W}}}t", f"{{{_W}}}delText"}
_W_FIELD = f"{{{_W}}}instrText"


def _xml_part(body: bytes, name: str, prefix: str, unread: list[str], area_of) -> Iterator[Block]:
    area = area_of(name)
    if area is None:
        return
    try:
        root = parse_xml(body).getroot()
    except XMLInputError as exc:
        unread.append(f"{prefix}{name}: {exc}")
        return
    part = f"{prefix}{name}"
    paragraphs = [e for e in root.iter() if e.tag in _PARAGRAPHS]
    if not paragraphs:
        text = " ".join(" ".join(root.itertext()).split())
        if text:
            yield Block(area, part, 1, text)
        return
    in_refs = False
    for number, para in enumerate(paragraphs, start=1):
        visible, codes = _paragraph_text(para)
        if _is_reference_heading(visible) or _is_bibliography_style(para):
            in_refs = in_refs or area == "text"
        if visible.strip():
            yield Block(area, part, number, visible, in_refs)
        if codes.strip():
            yield Block("field_code", part, number, codes, in_refs)
    for element in root.iter(f"{{{_OFFICE}}}annotation"):
        text = " ".join(" ".join(element.itertext()).split())
        if text:
            yield Block("comments", part, 0, text)


def _paragraph_text(para) -> tuple[str, str]:
    """The paragraph's own text (not that of paragraphs nested in it, like text boxes or
    an ODF note, nor of annotations, which are read on their own) and its field codes."""
    odf = para.tag != f"{{{_W}}}p"
    visible: list[str] = []
    codes: list[str] = []

    def walk(element) -> None:
        for child in element:
            nested = child.tag in _PARAGRAPHS or child.tag == f"{{{_OFFICE}}}annotation"
            if not isinstance(child.tag, str) or nested:
                pass
            elif child.tag in _W_TEXT:
                visible.append(child.text or "")
            elif child.tag == _W_FIELD:
                codes.append(child.text or "")
            elif odf:
                # Mixed content: the text of spans sits in them and in their tails;
                # text:s, text:tab and text:line-break stand for white space.
                if _local(child) in ("s", "tab", "line-break"):
                    visible.append(" ")
                visible.append(child.text or "")
                walk(child)
            else:
                walk(child)
            if odf:
                visible.append(child.tail or "")

    if odf:
        visible.append(para.text or "")
    walk(para)
    return "".join(visible), " ".join(codes)


def _local(element) -> str:
    return etree.QName(element).localname


def _is_bibliography_style(para) -> bool:
    style = para.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
    value = style.get(f"{{{_W}}}val", "") if style is not None else ""
    return value.casefold() in ("bibliography", "references", "reference")


def _rels_links(body: bytes, part: str) -> Iterator[Block]:
    try:
        root = parse_xml(body).getroot()
    except XMLInputError:
        return
    for number, rel in enumerate(root, start=1):
        if rel.get("TargetMode") == "External" and rel.get("Target"):
            yield Block("link", part, number, rel.get("Target"))
