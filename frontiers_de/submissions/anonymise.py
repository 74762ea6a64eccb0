"""Reviewer copies without the hidden traces of who wrote them.

A file an author uploads carries names where nobody looks: a DOCX's document properties
(creator, last modified by, company, custom properties), the authors of its comments and
tracked changes, the first-page thumbnail; an ODT's ``meta.xml`` and the ``dc:creator`` of
its changes and annotations; a PDF's Info dictionary and XMP packet and the author of each
annotation; a photo's EXIF (camera owner, GPS), XMP and IPTC; a PNG's text chunks. In
double-anonymous review those traces undo the anonymity that renaming the file pretends.

:func:`anonymise` is a pure function: bytes and a file name in, the cleaned bytes out with a
list of what was removed and of what could not be checked. It changes no visible content
(the leak check in :mod:`frontiers_de.submissions.leaks` shows the author what the text
itself still says). Zip-based inputs pass :func:`~frontiers_de.production.jats.archive.
inspect_zip` first, so nothing is ever unpacked beyond the project's zip limits; XML parts
are parsed by :func:`~frontiers_de.xml.safe.parse_xml` (no entities, no network).

Formats: DOCX and XLSX (Office Open XML), ODT and ODS (OpenDocument), PDF, JPEG, PNG, TIFF,
plain text (Markdown, LaTeX, CSV, TXT: nothing hidden to remove) and zip archives (each
member cleaned by its own type, archive and member comments dropped, times zeroed).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pikepdf
from lxml import etree
from PIL import Image, UnidentifiedImageError

from frontiers_de.production.jats import archive
from frontiers_de.xml.safe import XMLInputError, parse_xml

# What replaces a person's name where the format needs one (a tracked change must have an
# author in Word's schema; an empty one makes Word call it "Unknown").
ANONYMOUS = "Anonymous"
ANONYMOUS_INITIALS = "A"
# Zips inside zips (an Excel sheet embedded in a DOCX, a DOCX in a supplementary zip) are
# cleaned this many levels deep; deeper ones are reported as not checked.
MAX_NESTING = 2
# Every member of a rebuilt zip gets this time: the original times say when and, with the
# time zone, roughly where the authors worked.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

OOXML_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx", ".docm", ".xlsm"})
ODF_SUFFIXES = frozenset({".odt", ".ods", ".odp"})
# Text hides nothing beyond what it says (which the leak check reads).
TEXT_SUFFIXES = frozenset(
    {
        ".md",
        ".markdown",
        ".tex",
        ".txt",
        ".csv",
        ".tsv",
        ".bib",
        ".bbl",
        ".sty",
        ".cls",
        ".bst",
        ".xml",
        ".json",
        ".yaml",
        ".yml",
        ".r",
        ".py",
        ".do",
        ".sps",
        ".html",
        ".htm",
    }
)
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})

_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
# docProps/app.xml elements that name people, organisations or their folders.
_APP_FIELDS = ("Company", "Manager", "HyperlinkBase", "Template")
# Attributes, by local name, that hold a person in any Office XML part: comment and tracked
# change authors (w:author on w:ins, w:del, w:rPrChange …), their initials, the account
# behind a co-author (w15:presenceInfo userId/providerId), Excel's shared-workbook user.
_PERSON_ATTRIBUTES = {
    "author": ANONYMOUS,
    "initials": ANONYMOUS_INITIALS,
    "userId": "",
    "providerId": "",
    "userName": ANONYMOUS,
    "displayName": ANONYMOUS,
}
# Elements, by local name, dropped wherever they are: the co-author's account and Excel's
# record of the folder the workbook was saved in (C:\Users\<name>\…).
_DROPPED_ELEMENTS = frozenset({"presenceInfo", "absPath"})
# ODF meta.xml children that name people, their templates or describe the document privately.
_ODF_META_FIELDS = frozenset(
    {
        "initial-creator",
        "creator",
        "printed-by",
        "user-defined",
        "template",
        "title",
        "subject",
        "description",
        "keyword",
    }
)
# ODF settings.xml items that name the machine's printer (often after its owner).
_ODF_SETTINGS_ITEMS = frozenset({"PrinterName", "PrinterSetup"})
# ODF elements whose text is a person: the author of a change or annotation, their initials.
_ODF_PERSON_ELEMENTS = {
    "creator": ANONYMOUS,
    "creator-initials": ANONYMOUS_INITIALS,
    "sender-initials": ANONYMOUS_INITIALS,
}
# JPEG segments kept: the frame, tables and scan, JFIF/JFXX (APP0), ICC colour profiles
# (APP2 "ICC_PROFILE") and Adobe's colour transform (APP14). EXIF, XMP (APP1), IPTC
# (APP13), comments (COM) and every other application segment go.
_JPEG_APP_KEEP = {0xE0: (b"JFIF\x00", b"JFXX\x00"), 0xE2: (b"ICC_PROFILE\x00",), 0xEE: (b"Adobe",)}
# PNG chunks dropped: text (tEXt, zTXt, iTXt), EXIF (eXIf) and the time it was last saved.
_PNG_DROP = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
_EXIF_ORIENTATION = 0x0112


class NotAnonymisable(ValueError):
    """The file cannot be read well enough to clean it (encrypted, damaged, unknown)."""


@dataclass
class Anonymised:
    """The cleaned bytes, what was removed (one line each, English, for the editor's
    report), and what could not be checked (``warnings``). ``cleaned`` is False when the
    file as a whole could not be cleaned: ``data`` is then the original."""

    data: bytes
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cleaned: bool = True


def suffix_of(filename: str) -> str:
    return PurePosixPath(filename.lower()).suffix


def anonymise(data: bytes, filename: str, *, depth: int = 0) -> Anonymised:
    """The reviewer copy of one file. Never raises for bad input: a file that cannot be
    cleaned comes back unchanged with ``cleaned=False`` and the reason in ``warnings``."""
    suffix = suffix_of(filename)
    try:
        if suffix in OOXML_SUFFIXES:
            return _office_zip(data, depth, _clean_ooxml_part, _ooxml_drop_thumbnail)
        if suffix in ODF_SUFFIXES:
            return _office_zip(data, depth, _clean_odf_part, _odf_drop_thumbnail)
        if suffix == ".zip":
            return _office_zip(data, depth, None, None)
        if suffix == ".pdf":
            return _pdf(data)
        if suffix in (".jpg", ".jpeg"):
            return _jpeg(data)
        if suffix == ".png":
            return _png(data)
        if suffix in (".tif", ".tiff"):
            return _tiff(data)
        if suffix in TEXT_SUFFIXES:
            # Plain text hides nothing: what it says, the leak check reads.
            return Anonymised(data)
    except NotAnonymisable as exc:
        return Anonymised(data, warnings=[str(exc)], cleaned=False)
    return Anonymised(
        data,
        warnings=[f"{suffix or 'this'} files cannot be checked for hidden names"],
        cleaned=False,
    )


# --- zip containers: Office Open XML, OpenDocument, plain zips -------------------------------


def _office_zip(data, depth, clean_part, drop_part) -> Anonymised:
    """Rebuild a zip: each XML part through ``clean_part``, each embedded file through
    :func:`anonymise` (images, PDFs, embedded workbooks), ``drop_part`` parts left out."""
    try:
        archive.inspect_zip(data, reject_dtd=clean_part is not None)
    except archive.ArchiveError as exc:
        raise NotAnonymisable(f"the archive cannot be read: {exc}") from exc
    result = Anonymised(b"")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = source.infolist()
        dropped = {m.filename for m in members if drop_part is not None and drop_part(m.filename)}
        for name in sorted(dropped):
            result.removed.append(f"{name}: preview image of the first page")
        if source.comment:
            result.removed.append("zip archive comment")
        with zipfile.ZipFile(out, "w") as target:
            for member in members:
                if member.filename in dropped:
                    continue
                body = b"" if member.is_dir() else source.read(member)
                body = _clean_member(member.filename, body, depth, clean_part, dropped, result)
                copy = zipfile.ZipInfo(member.filename, date_time=ZIP_EPOCH)
                copy.compress_type = member.compress_type
                # Permission bits only; 0x10 marks a folder for DOS readers.
                copy.external_attr = (member.external_attr & (0o777 << 16)) | (
                    0x10 if member.is_dir() else 0
                )
                if member.comment:
                    result.removed.append(f"{member.filename}: zip entry comment")
                target.writestr(copy, body)
    result.data = out.getvalue()
    return result


def _clean_member(name, body, depth, clean_part, dropped, result) -> bytes:
    lower = name.lower()
    if not body:
        return body
    if clean_part is not None and lower.endswith((".xml", ".rels")):
        try:
            tree = parse_xml(body)
        except XMLInputError as exc:
            raise NotAnonymisable(f"{name} is not well-formed XML: {exc}") from exc
        notes = clean_part(name, tree.getroot(), dropped)
        if not notes:
            return body
        result.removed.extend(f"{name}: {note}" for note in notes)
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    suffix = suffix_of(name)
    if suffix in TEXT_SUFFIXES or (clean_part is not None and suffix in (".xml", ".rels")):
        return body
    if suffix in OOXML_SUFFIXES | ODF_SUFFIXES | {".zip"} and depth >= MAX_NESTING:
        result.warnings.append(f"{name}: archive nested too deep to check")
        return body
    inner = anonymise(body, name, depth=depth + 1)
    result.removed.extend(f"{name}: {note}" for note in inner.removed)
    if (
        not inner.cleaned
        and clean_part is not None
        and suffix not in IMAGE_SUFFIXES | {".pdf"}
        and "embeddings/" not in lower
    ):
        # Office packages hold many binary parts that carry no people (fonts, printer
        # settings, vector previews): only embedded objects and pictures are worth a warning.
        return body
    result.warnings.extend(f"{name}: {note}" for note in inner.warnings)
    return inner.data


def _local(element_or_name) -> str:
    name = element_or_name if isinstance(element_or_name, str) else element_or_name.tag
    return etree.QName(name).localname if isinstance(name, str) else ""


def _has_text(element) -> bool:
    return bool("".join(element.itertext()).strip()) or any(
        v.strip() for v in element.attrib.values()
    )


def _clean_people(root) -> list[str]:
    """Person attributes and elements anywhere in an Office XML part."""
    changed: dict[str, int] = {}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if _local(element) in _DROPPED_ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                changed[_local(element)] = changed.get(_local(element), 0) + 1
            continue
        for attribute, value in list(element.attrib.items()):
            replacement = _PERSON_ATTRIBUTES.get(_local(attribute))
            if replacement is not None and value != replacement:
                element.set(attribute, replacement)
                key = f"{_local(attribute)} of {_local(element)}"
                changed[key] = changed.get(key, 0) + 1
    return [f"{key} ({count}×)" if count > 1 else key for key, count in changed.items()]


def _ooxml_drop_thumbnail(name: str) -> bool:
    return name.lower().startswith("docprops/thumbnail")


def _clean_ooxml_part(name: str, root, dropped: set[str]) -> list[str]:
    lower = name.lower()
    notes: list[str] = []
    if lower == "docprops/core.xml":
        # Every core property describes the file, not the paper: creator, last modified
        # by, title, subject, keywords, description, category, dates, revision.
        for child in list(root):
            if _has_text(child):
                notes.append(_local(child))
            root.remove(child)
        return notes
    if lower == "docprops/app.xml":
        for child in list(root):
            if _local(child) in _APP_FIELDS:
                if _has_text(child):
                    notes.append(_local(child))
                root.remove(child)
        return notes
    if lower == "docprops/custom.xml":
        for child in list(root):
            notes.append(f"custom property {child.get('name', '?')!r}")
            root.remove(child)
        return notes
    if lower.endswith(".rels"):
        for rel in list(root):
            target = rel.get("Target", "")
            if any(target.lstrip("/").lower() == d.lower() for d in dropped):
                root.remove(rel)
                notes.append(f"link to {target}")
            elif rel.get("TargetMode") == "External" and target.lower().startswith("file:"):
                # A template or linked file on the author's disk: C:\Users\<name>\….
                neutral = "file:///" + target.replace("\\", "/").rsplit("/", 1)[-1]
                if neutral != target:
                    rel.set("Target", neutral)
                    notes.append("local file path")
        return notes
    if lower == "[content_types].xml":
        for override in list(root):
            part = override.get("PartName", "").lstrip("/").lower()
            if part and part in {d.lower() for d in dropped}:
                root.remove(override)
                notes.append(f"type of {part}")
        return notes
    if lower.endswith("settings.xml"):
        for child in list(root):
            if _local(child) == "docVars":
                root.remove(child)
                notes.append("document variables")
    return notes + _clean_people(root)


def _odf_drop_thumbnail(name: str) -> bool:
    return name.lower().startswith("thumbnails/")


def _clean_odf_part(name: str, root, dropped: set[str]) -> list[str]:
    lower = name.lower()
    base = PurePosixPath(lower).name  # embedded objects ("Object 1/meta.xml") too
    notes: list[str] = []
    if base == "meta.xml":
        for meta in root.iter(f"{{{_NS['office']}}}meta"):
            for child in list(meta):
                if _local(child) in _ODF_META_FIELDS:
                    if _has_text(child):
                        notes.append(_local(child))
                    meta.remove(child)
        return notes
    if lower == "meta-inf/manifest.xml":
        for entry in list(root):
            path = entry.get(f"{{{_NS['manifest']}}}full-path", "")
            if path in dropped or (path.endswith("/") and path.lower() == "thumbnails/"):
                root.remove(entry)
                notes.append(f"entry of {path}")
        return notes
    if base == "settings.xml":
        for item in root.iter(f"{{{_NS['config']}}}config-item"):
            if item.get(f"{{{_NS['config']}}}name") in _ODF_SETTINGS_ITEMS and (item.text or ""):
                item.text = ""
                notes.append(item.get(f"{{{_NS['config']}}}name"))
        return notes
    changed: dict[str, int] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        replacement = _ODF_PERSON_ELEMENTS.get(_local(element))
        if replacement is not None and (element.text or "") != replacement:
            element.text = replacement
            parent = element.getparent()
            where = _local(parent) if parent is not None else ""
            key = f"{_local(element)} of {where}" if where else _local(element)
            changed[key] = changed.get(key, 0) + 1
    notes += [f"{key} ({count}×)" if count > 1 else key for key, count in changed.items()]
    return notes


# --- PDF -------------------------------------------------------------------------------------


def _pdf(data: bytes) -> Anonymised:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise NotAnonymisable("the PDF is encrypted, so it cannot be cleaned") from exc
    except pikepdf.PdfError as exc:
        raise NotAnonymisable(f"the PDF cannot be read: {exc}") from exc
    result = Anonymised(b"")
    with pdf:
        if pdf.is_encrypted:
            raise NotAnonymisable("the PDF is encrypted, so it cannot be cleaned")
        info = pdf.trailer.get("/Info")
        if info is not None:
            keys = sorted(str(k)[1:] for k in info)
            if keys:
                result.removed.append("document information: " + ", ".join(keys))
            del pdf.trailer["/Info"]
        metadata = 0
        private = 0
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            if "/Metadata" in obj:
                del obj["/Metadata"]
                metadata += 1
            if "/PieceInfo" in obj:
                del obj["/PieceInfo"]
                private += 1
        if metadata:
            result.removed.append(f"XMP metadata ({metadata}×)" if metadata > 1 else "XMP metadata")
        if private:
            result.removed.append("application private data (PieceInfo)")
        names = pdf.Root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
            result.removed.append("attached files")
        authors = 0
        for page in pdf.pages:
            for annot in page.obj.get("/Annots") or []:
                if not isinstance(annot, pikepdf.Dictionary):
                    continue
                if annot.get("/Subtype") == pikepdf.Name.Widget:
                    continue  # a form field: /T is its field name, not a person
                if "/T" in annot and str(annot.T) != ANONYMOUS:
                    annot.T = pikepdf.String(ANONYMOUS)
                    authors += 1
        if authors:
            result.removed.append(f"annotation authors ({authors}×)")
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    result.data = out.getvalue()
    return result


# --- images ----------------------------------------------------------------------------------


def _check_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise NotAnonymisable(f"the image cannot be read: {exc}") from exc
    return image


def _orientation_exif(orientation: int) -> bytes:
    """An APP1 segment holding only the EXIF orientation, so the picture stays upright."""
    exif = Image.Exif()
    exif[_EXIF_ORIENTATION] = orientation
    payload = exif.tobytes()
    if not payload.startswith(b"Exif\x00\x00"):
        payload = b"Exif\x00\x00" + payload
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _jpeg(data: bytes) -> Anonymised:
    """Drop metadata segments from the JPEG stream itself: the compressed picture is copied
    byte for byte (no re-encoding, no loss)."""
    image = _check_image(data)
    orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    if not data.startswith(b"\xff\xd8"):
        raise NotAnonymisable("the JPEG file does not start like one")
    out = bytearray(b"\xff\xd8")
    removed: dict[str, int] = {}
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise NotAnonymisable("the JPEG file is damaged")
        marker = data[pos + 1] if pos + 1 < len(data) else 0
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out += data[pos : pos + 2]
            pos += 2
            continue
        if marker == 0xD9:
            out += data[pos:]
            break
        if pos + 4 > len(data):
            raise NotAnonymisable("the JPEG file is cut short")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment = data[pos : pos + 2 + length]
        if marker == 0xDA:  # start of scan: the rest is picture data
            out += data[pos:]
            break
        payload = segment[4:]
        is_app = 0xE0 <= marker <= 0xEF
        keep = not is_app and marker != 0xFE
        if is_app and marker in _JPEG_APP_KEEP:
            keep = payload.startswith(_JPEG_APP_KEEP[marker])
        if keep:
            out += segment
        else:
            label = _jpeg_label(marker, payload)
            removed[label] = removed.get(label, 0) + 1
        pos += 2 + length
    if orientation not in (None, 1):
        # After SOI and APP0 (JFIF wants to be first), before the tables.
        insert = 2
        if out[2:4] == b"\xff\xe0":
            insert = 4 + struct.unpack(">H", bytes(out[4:6]))[0]
        out[insert:insert] = _orientation_exif(int(orientation))
    result = Anonymised(bytes(out), [k if n == 1 else f"{k} ({n}×)" for k, n in removed.items()])
    _check_image(result.data)
    return result


def _jpeg_label(marker: int, payload: bytes) -> str:
    if marker == 0xFE:
        return "JPEG comment"
    if marker == 0xE1 and payload.startswith(b"Exif"):
        return "EXIF metadata"
    if marker == 0xE1 and b"ns.adobe.com/xap" in payload[:64]:
        return "XMP metadata"
    if marker == 0xED:
        return "IPTC/Photoshop metadata"
    return f"APP{marker - 0xE0} segment"


def _png(data: bytes) -> Anonymised:
    """Drop the text, EXIF and time chunks; every other chunk (the picture, its colour
    profile and gamma) is copied as it is."""
    orientation = _check_image(data).getexif().get(_EXIF_ORIENTATION, 1)
    signature = b"\x89PNG\r\n\x1a\n"
    out = bytearray(signature)
    removed: dict[str, int] = {}
    oriented = False
    pos = len(signature)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise NotAnonymisable("the PNG file is cut short")
        if kind == b"IDAT" and orientation not in (None, 1) and not oriented:
            oriented = True
            # The EXIF chunk goes before the picture data, with the orientation only.
            payload = _orientation_exif(int(orientation))[10:]
            out += struct.pack(">I", len(payload)) + b"eXIf" + payload
            out += struct.pack(">I", zlib.crc32(b"eXIf" + payload))
        if kind in _PNG_DROP:
            label = "EXIF metadata" if kind == b"eXIf" else f"{kind.decode('ascii')} chunk"
            if kind in (b"tEXt", b"zTXt", b"iTXt"):
                keyword = data[pos + 8 : end - 4].split(b"\x00", 1)[0][:79]
                label = f"text chunk {keyword.decode('latin-1')!r}"
            removed[label] = removed.get(label, 0) + 1
        else:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            break
    result = Anonymised(bytes(out), [k if n == 1 else f"{k} ({n}×)" for k, n in removed.items()])
    _check_image(result.data)
    return result


_TIFF_PRIVATE_TAGS = {
    269: "DocumentName",
    270: "ImageDescription",
    271: "Make",
    272: "Model",
    285: "PageName",
    305: "Software",
    306: "DateTime",
    315: "Artist",
    316: "HostComputer",
    700: "XMP metadata",
    33432: "Copyright",
    33723: "IPTC metadata",
    34377: "Photoshop metadata",
    34665: "EXIF metadata",
    34853: "GPS position",
}


def _tiff(data: bytes) -> Anonymised:
    """TIFF keeps its metadata in the same directory as the picture's structure, so the
    picture is written again by Pillow (losslessly) with only orientation, resolution and
    colour profile carried over."""
    image = _check_image(data)
    tags = image.tag_v2 if hasattr(image, "tag_v2") else {}
    removed = sorted({label for tag, label in _TIFF_PRIVATE_TAGS.items() if tag in tags})
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(image.copy())
    exif = Image.Exif()
    orientation = tags.get(274) if tags else None
    if orientation:
        exif[274] = orientation
    options: dict[str, object] = {"compression": "tiff_lzw", "exif": exif}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image.info.get("dpi"):
        options["dpi"] = image.info["dpi"]
    out = io.BytesIO()
    try:
        frames[0].save(
            out, format="TIFF", save_all=len(frames) > 1, append_images=frames[1:], **options
        )
    except (OSError, ValueError, KeyError) as exc:
        raise NotAnonymisable(f"the TIFF image cannot be written again: {exc}") from exc
    result = Anonymised(out.getvalue(), removed)
    _check_image(result.data)
    return result
