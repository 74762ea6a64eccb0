"""An article's files: the figures, media and supplements its JATS names.

Rules, in one place, for what the views, tasks and the demo do with them:

- **Kept** as immutable ``ManuscriptFile`` rows of the article's submission (round 0, kind
  ``figure`` for images, ``supplementary`` for other files), named by the href exactly as
  the JATS writes it, with the bytes in content-addressed storage. A new file for an href is
  a new row: the latest row of an href is its file (:func:`find_asset`).
- **Checked** before they are kept (:func:`check_asset`): a safe name (relative, no ``..``,
  no control characters), a size limit (setting ``fde.production.max_asset_bytes``), and
  content that is what the name says: PNG, JPEG, TIFF, GIF or SVG for figures, a short list
  of common types for supplements. The type kept is the one read from the bytes.
- **Served** (:func:`served_asset`) with the type read from the bytes, TIFF as a PNG made
  for display (browsers cannot show TIFF), an ETag from the SHA-256.
- **Typeset** from a temporary folder holding each file under its href
  (:func:`materialised_assets`).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree
from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.production.jats import assets as jats_assets
from frontiers_de.production.jats.assets import AssetReference, name_problem
from frontiers_de.production.models import ProofState
from frontiers_de.production.services import ProductionError, proofs_in, require_in_production
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.responses import ServedAsset
from frontiers_de.storage import FileNotStored, FileStorage, sha256_hex
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.xml.safe import XMLInputError, XMLLimits, parse_xml

DEFAULT_MAX_ASSET_BYTES = ProductionSettings.max_asset_bytes
# Decompression-bomb guard, as for print (typesetting/images.py).
MAX_IMAGE_PIXELS = 200_000_000
# TIFF shown on the web as PNG at most this wide (twice a wide reading column).
DISPLAY_MAX_WIDTH = 2400
ASSET_KINDS = (FileKind.FIGURE, FileKind.SUPPLEMENTARY)
PUBLIC_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
GRAPHIC_ELEMENTS = ("graphic", "inline-graphic")

# Formats read from the bytes -> media type, and what the name's extension promises.
IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
}
IMAGE_EXTENSIONS = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".svg": "svg",
}
# Supplements: extension -> (media type, format the bytes must have).
SUPPLEMENT_TYPES = {
    ".pdf": ("application/pdf", "pdf"),
    ".csv": ("text/csv", "text"),
    ".tsv": ("text/tab-separated-values", "text"),
    ".txt": ("text/plain", "text"),
    ".json": ("application/json", "text"),
    ".zip": ("application/zip", "zip"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip"),
    ".odt": ("application/vnd.oasis.opendocument.text", "zip"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "zip"),
    ".doc": ("application/msword", "ole"),
    ".xls": ("application/vnd.ms-excel", "ole"),
    ".mp4": ("video/mp4", "mp4"),
    ".webm": ("video/webm", "webm"),
    ".mp3": ("audio/mpeg", "mp3"),
    ".wav": ("audio/wav", "wav"),
}
FORMAT_NAMES = {
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "tiff": "TIFF",
    "svg": "SVG",
    "pdf": "PDF",
    "text": "text",
    "zip": "ZIP",
    "ole": "Microsoft Office 97-2003",
    "mp4": "MP4",
    "webm": "WebM",
    "mp3": "MP3",
    "wav": "WAV",
    "eps": "PostScript",
    "emf": "Windows metafile",
}
# The extension a file of each image format gets in the typesetting folder when its href
# has none (or another one), so that the typesetter's lookup finds and reads it.
_FILE_EXTENSION = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "tiff": ".tif", "svg": ".svg"}

_NAME_MESSAGES: dict[str, TranslationString] = {
    "empty": _("The file name is empty."),
    "too-long": _("The file name is longer than 255 characters."),
    "control": _("The file name contains control characters."),
    "backslash": _("The file name contains a backslash; use / between folders."),
    "absolute": _("The file name is an absolute path; it must be relative to the article."),
    "url": _("The file name is a web address, not a file of the article."),
    "traversal": _("The file name leaves the article's folder (..)."),
    "empty-part": _("The file name has an empty or '.' folder."),
    "query": _("The file name contains ? or #, which a link cannot carry."),
}


class _BoundedCache:
    """A small per-process cache, bounded in entries and bytes (oldest dropped first)."""

    def __init__(self, max_items: int, max_bytes: int) -> None:
        self.max_items, self.max_bytes = max_items, max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: str, value: Any, size: int) -> None:
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_items or self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped


class AssetRefused(ProductionError):
    """A file that cannot be kept as the article's asset; ``message`` says why."""


@dataclass(frozen=True)
class CheckedAsset:
    media_type: str
    kind: FileKind
    format: str


def max_asset_bytes(settings: Mapping[str, Any]) -> int:
    return ProductionSettings.of(settings).max_asset_bytes


def sniff(data: bytes) -> str | None:
    """The format of the bytes, from their signature (a key of :data:`FORMAT_NAMES`)."""
    head = data[:512]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"%!PS", b"\xc5\xd0\xd3\xc6")):
        return "eps"
    if head.startswith(b"\x01\x00\x00\x00") and head[40:44] == b" EMF":
        return "emf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if b"\x00" not in data[:8192]:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"<") and b"<svg" in data[:4096]:
            return "svg"
        return "text"
    return None


def name_error(href: str) -> TranslationString | None:
    """Why ``href`` cannot name an article's file, for the production editor (or None)."""
    problem = name_problem(href)
    return _NAME_MESSAGES[problem] if problem else None


def _format_label(fmt: str | None) -> str:
    return FORMAT_NAMES.get(fmt or "", "") or "unknown"


def _check_image(data: bytes, fmt: str) -> None:
    if fmt == "svg":
        try:
            tree = parse_xml(data, XMLLimits(max_bytes=len(data) + 1))
        except XMLInputError as exc:
            raise AssetRefused(
                _("The SVG file is not usable: ${reason}", mapping={"reason": str(exc)})
            ) from exc
        if etree.QName(tree.getroot()).localname != "svg":
            raise AssetRefused(_("The file is XML but not an SVG image."))
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AssetRefused(
                    _(
                        "The image is ${width}×${height} pixels; at most ${max} pixels are "
                        "accepted.",
                        mapping={"width": width, "height": height, "max": MAX_IMAGE_PIXELS},
                    )
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise AssetRefused(
            _("The image cannot be read: ${reason}", mapping={"reason": str(exc)[:200]})
        ) from exc


def check_asset(href: str, element: str, data: bytes, max_bytes: int) -> CheckedAsset:
    """What an href's file is, or :class:`AssetRefused` saying why it cannot be kept.

    A name with an image extension must hold that image format. A graphic must be an image
    that browsers and the typesetter show; when its name has another extension or none
    (``plot``, ``pone.0001.g001``, ``fig.pdf`` from LaTeX) any of the image formats will do:
    that is how a web version replaces a PDF or EPS figure, which stays missing until then.
    Media and supplements must be one of :data:`SUPPLEMENT_TYPES`, holding what their
    extension says.
    """
    problem = name_error(href)
    if problem is not None:
        raise AssetRefused(problem)
    if not data:
        raise AssetRefused(_("The file is empty."))
    if len(data) > max_bytes:
        raise AssetRefused(
            _(
                "The file is ${size} bytes; at most ${limit} bytes are accepted.",
                mapping={"size": len(data), "limit": max_bytes},
            )
        )
    fmt = sniff(data)
    suffix = PurePosixPath(href).suffix.lower()
    expected = IMAGE_EXTENSIONS.get(suffix)
    if expected is not None or element in GRAPHIC_ELEMENTS:
        if expected is not None and fmt != expected:
            raise AssetRefused(
                _(
                    "${name} names a ${expected} image, but the file is ${found}.",
                    mapping={
                        "name": href,
                        "expected": FORMAT_NAMES[expected],
                        "found": _format_label(fmt),
                    },
                )
            )
        if fmt not in IMAGE_TYPES:
            raise AssetRefused(
                _(
                    "The file is not a PNG, JPEG, TIFF, GIF or SVG image (it is ${found}).",
                    mapping={"found": _format_label(fmt)},
                )
            )
        _check_image(data, fmt)
        return CheckedAsset(IMAGE_TYPES[fmt], FileKind.FIGURE, fmt)
    supplement = SUPPLEMENT_TYPES.get(suffix)
    if supplement is None:
        raise AssetRefused(
            _(
                "Files of type ${type} are not accepted. Figures: PNG, JPEG, TIFF, GIF, SVG; "
                "supplements: ${supplements}.",
                mapping={
                    "type": suffix or _("(no extension)"),
                    "supplements": ", ".join(sorted(s[1:].upper() for s in SUPPLEMENT_TYPES)),
                },
            )
        )
    media_type, needed = supplement
    if fmt != needed:
        raise AssetRefused(
            _(
                "${name} names a ${expected} file, but the file is ${found}.",
                mapping={
                    "name": href,
                    "expected": _format_label(needed),
                    "found": _format_label(fmt),
                },
            )
        )
    return CheckedAsset(media_type, FileKind.SUPPLEMENTARY, needed)


# --- which file is an href ------------------------------------------------------------------


def referenced(article: Article) -> list[AssetReference]:
    """The files the article's current JATS names (none without a JATS)."""
    if not article.jats_xml:
        return []
    data = article.jats_xml.encode("utf-8")
    return list(_referenced(sha256_hex(data), data))


_referenced_cache = _BoundedCache(max_items=128, max_bytes=8 * 1024 * 1024)


def _referenced(digest: str, data: bytes) -> tuple[AssetReference, ...]:
    # Asked on every asset request (a page with six figures asks six times): the parse is
    # done once per JATS version and process.
    found = _referenced_cache.get(digest)
    if found is None:
        found = tuple(jats_assets.referenced_assets(parse_xml(data)))
        _referenced_cache.put(digest, found, sum(len(r.href) + 64 for r in found))
    return found


def latest_files(db: Session, submission_id: int | None) -> dict[str, ManuscriptFile]:
    """The latest asset row of each name for the submission."""
    if submission_id is None:
        return {}
    rows = db.scalars(
        select(ManuscriptFile)
        .where(
            ManuscriptFile.submission_id == submission_id,
            ManuscriptFile.round_number == 0,
            ManuscriptFile.kind.in_(ASSET_KINDS),
        )
        .order_by(ManuscriptFile.id)
    )
    return {row.filename: row for row in rows}


def _candidates(href: str) -> list[str]:
    """Names under which a file may stand for ``href``: itself, then with the usual image
    extensions added or swapped (as typesetting/images.py:find_image looks for files). A
    supplement's name (``data.csv``) stands for that file only."""
    path = PurePosixPath(href)
    names = [href]
    if path.suffix.lower() in SUPPLEMENT_TYPES:
        return names
    names += [href + ext for ext in IMAGE_EXTENSIONS]
    if path.suffix:
        stem = href[: -len(path.suffix)]
        names += [stem] + [stem + ext for ext in IMAGE_EXTENSIONS]
    return list(dict.fromkeys(names))


def _match(files: Mapping[str, ManuscriptFile], href: str) -> ManuscriptFile | None:
    for name in _candidates(href):
        if name in files:
            return files[name]
    return None


def find_asset(db: Session, article: Article, href: str) -> ManuscriptFile | None:
    """The file that is asset ``href`` of the article: None unless the current JATS names
    ``href``; else the latest row under that name or, failing that, under the name with an
    image extension added, removed or swapped."""
    if name_problem(href) or href not in {r.href for r in referenced(article)}:
        return None
    return _match(latest_files(db, article.submission_id), href)


@dataclass(frozen=True)
class AssetStatus:
    """One file the JATS names, and what is kept for it."""

    href: str
    element: str
    file: ManuscriptFile | None
    problem: TranslationString | None  # an unusable name: no file can be kept for it

    @property
    def present(self) -> bool:
        return self.file is not None


def article_assets(db: Session, article: Article) -> list[AssetStatus]:
    """Every file the current JATS names, present or missing, in document order."""
    files = latest_files(db, article.submission_id)
    out = []
    for ref in referenced(article):
        problem = name_error(ref.href)
        found = None if problem else _match(files, ref.href)
        out.append(AssetStatus(ref.href, ref.element, found, problem))
    return out


def missing_assets(db: Session, article: Article) -> list[str]:
    return [a.href for a in article_assets(db, article) if not a.present]


# --- keeping files --------------------------------------------------------------------------


def keep_asset(
    db: Session,
    storage: FileStorage,
    submission_id: int,
    href: str,
    data: bytes,
    checked: CheckedAsset,
    *,
    user_id: int | None = None,
    now: dt.datetime | None = None,
) -> ManuscriptFile:
    """Store the bytes and record them as the file of ``href`` (a new row, unless the
    latest row of that name already holds these very bytes)."""
    digest = storage.put(data)
    latest = latest_files(db, submission_id).get(href)
    if latest is not None and latest.sha256 == digest:
        return latest
    record = ManuscriptFile(
        submission_id=submission_id,
        round_number=0,
        kind=checked.kind,
        filename=href,
        media_type=checked.media_type,
        size=len(data),
        sha256=digest,
        uploaded_by_id=user_id,
    )
    if now is not None:
        record.created_at = now
    db.add(record)
    db.flush()
    return record


def _held_before(db: Session, submission_id: int, href: str, digest: str) -> bool:
    return (
        db.scalar(
            select(ManuscriptFile.id)
            .where(
                ManuscriptFile.submission_id == submission_id,
                ManuscriptFile.round_number == 0,
                ManuscriptFile.kind.in_(ASSET_KINDS),
                ManuscriptFile.filename == href,
                ManuscriptFile.sha256 == digest,
            )
            .limit(1)
        )
        is not None
    )


def keep_converted_media(
    db: Session,
    storage: FileStorage,
    article: Article,
    media: Mapping[str, bytes],
    settings: Mapping[str, Any],
    elements: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Keep the files a conversion found (DOCX/ODT images, a LaTeX source's graphics).
    Returns (names kept, warnings for files refused); a refused file stays missing. A file
    the name held before is not brought back over a version uploaded since; new bytes (a
    revised manuscript's figure) are kept and become the name's file.

    ``elements`` (href -> element naming it) are the files to keep, by default those the
    article's JATS names; the conversion passes the names its own result gave, so that a
    manuscript image an uploaded figure replaces is kept as well, to be chosen again.
    """
    if article.submission_id is None:
        return [], []
    if elements is None:
        elements = {r.href: r.element for r in referenced(article)}
    limit = max_asset_bytes(settings)
    kept, warnings = [], []
    for href, data in sorted(media.items()):
        if href not in elements:
            continue  # extracted but not named by the article (pandoc keeps every image)
        if _held_before(db, article.submission_id, href, sha256_hex(data)):
            # These bytes were this name's file once and someone has replaced them since
            # (a better version uploaded in production): converting again keeps that.
            kept.append(href)
            continue
        try:
            checked = check_asset(href, elements[href], data, limit)
        except AssetRefused as exc:
            # The job's result is shown as stored (English, as the conversion's warnings).
            reason = exc.message
            text = reason.interpolate() if isinstance(reason, TranslationString) else reason
            warnings.append(f"{href}: not kept: {text}")
            continue
        keep_asset(db, storage, article.submission_id, href, data, checked)
        kept.append(href)
    return kept, warnings


def upload_asset(
    db: Session,
    storage: FileStorage,
    article: Article,
    href: str,
    data: bytes,
    user: User | None,
    settings: Mapping[str, Any],
) -> ManuscriptFile:
    """A file from the production editor for an href the JATS names (a missing figure, a
    better version). Refused with a clear message unless the name is one the JATS uses and
    the file passes :func:`check_asset`. The PDF made without it stops being current."""
    require_in_production(article)
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise AssetRefused(_("This article has no submission to keep its files with."))
    problem = name_error(href)
    if problem is not None:
        raise AssetRefused(problem)
    elements = {r.href: r.element for r in referenced(article)}
    if href not in elements:
        raise AssetRefused(
            _(
                "The JATS names no file ${name}. Choose one of the files it names.",
                mapping={"name": href},
            )
        )
    checked = check_asset(href, elements[href], data, max_asset_bytes(settings))
    record = keep_asset(
        db, storage, submission.id, href, data, checked, user_id=user.id if user else None
    )
    if article.pdf_sha256:
        # The PDF (and any proof of it) was typeset without this file.
        article.pdf_sha256 = None
        article.pdf_pages = None
        for proof in proofs_in(db, article, (ProofState.SENT, ProofState.APPROVED)):
            proof.state = ProofState.SUPERSEDED
    workflow.audit(
        db, submission, user, "asset_uploaded", name=href, file_id=record.id, sha256=record.sha256
    )
    db.flush()
    return record


# --- serving --------------------------------------------------------------------------------


def is_public(article: Article) -> bool:
    return article.state in PUBLIC_STATES


_display_cache = _BoundedCache(max_items=64, max_bytes=64 * 1024 * 1024)


def display_png(digest: str, data: bytes) -> bytes:
    """A PNG of a TIFF for browsers (first page, RGB, at most :data:`DISPLAY_MAX_WIDTH`
    wide). Made once per file and process; the ETag lets browsers and proxies keep it."""
    found = _display_cache.get(digest)
    if found is not None:
        return found
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValueError(f"{image.width}x{image.height} pixels is beyond the limit")
        image.seek(0)
        work = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB")
        if work.width > DISPLAY_MAX_WIDTH:
            height = max(1, round(work.height * DISPLAY_MAX_WIDTH / work.width))
            work = work.resize((DISPLAY_MAX_WIDTH, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        work.save(buffer, "PNG")
    png = buffer.getvalue()
    _display_cache.put(digest, png, len(png))
    return png


def served_asset(
    db: Session, storage: FileStorage, article: Article, name: str
) -> ServedAsset | None:
    """The file to send for asset ``name`` of the article (None: no such file). TIFF comes
    as a PNG made for display; any other file as kept."""
    record = find_asset(db, article, name)
    if record is None:
        return None
    try:
        data = storage.get(record.sha256)
    except FileNotStored:
        return None
    media_type, body, etag = record.media_type, data, record.sha256
    filename = PurePosixPath(name).name
    if media_type == "image/tiff":
        try:
            body = display_png(record.sha256, data)
        except (OSError, ValueError):
            return None
        media_type, etag = "image/png", f"{record.sha256}-png"
        filename = PurePosixPath(filename).stem + ".png"
    return ServedAsset(
        body=body,
        media_type=media_type,
        etag=etag,
        filename=filename,
        last_modified=record.created_at,
        inline=media_type in IMAGE_TYPES.values(),
    )


def reader_asset_base(article: Article) -> str:
    """Where the reader HTML's figures point: the public route by article id.

    Not the DOI route: the HTML is built when the JATS is stored, and the DOI may not be
    known then (Crossref's hook can assign it as the article is published). The article id
    never changes, so the HTML stored once stays right; ``/articles/<doi>/assets/<name>``
    serves the same files for people who link by DOI. The path is absolute from the site's
    root (the stored HTML is shared by every request).
    """
    return f"/articles/id/{article.id}/assets/"


# --- typesetting ----------------------------------------------------------------------------


def materialised_name(href: str, media_type: str) -> str:
    """The file name under which typesetting finds ``href``'s file: the href itself when
    its extension says the format, else the href with the format's extension added."""
    fmt = next((k for k, v in IMAGE_TYPES.items() if v == media_type), None)
    if fmt is None:
        return href
    if IMAGE_EXTENSIONS.get(PurePosixPath(href).suffix.lower()) == fmt:
        return href
    return href + _FILE_EXTENSION[fmt]


@contextmanager
def materialised_assets(db: Session, storage: FileStorage, article: Article) -> Iterator[Path]:
    """A temporary folder with every present file of the article under its href (safe names
    only, nothing written outside the folder); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fde-assets-") as tmp:
        root = Path(tmp).resolve()
        for asset in article_assets(db, article):
            if asset.file is None:
                continue
            name = materialised_name(asset.href, asset.file.media_type)
            target = (root / name).resolve()
            if name_problem(name) or root not in target.parents:
                continue
            try:
                data = storage.get(asset.file.sha256)
            except FileNotStored:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield root
