"""Figure files for print: find them, bring them to print resolution, or say they are missing.

JATS names a figure by ``xlink:href``, often without an extension (PLOS: ``pcbi.1000204.g001``).
We look for it in the article's assets directory, try the usual extensions, and return a
``data:`` URI that WeasyPrint can embed. Very large bitmaps are downsampled with Pillow to
300 dpi at the full text width: more pixels than that are invisible on paper but cost time
and megabytes in the PDF. TIFF (which browsers and PDF do not take directly) becomes PNG;
CMYK becomes RGB, because the PDF/A output intent is sRGB.
"""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Text block width of the print layout (A4, 18 mm margins) at 300 dpi.
TEXT_WIDTH_MM = 174.0
PRINT_DPI = 300
MAX_PIXEL_WIDTH = round(TEXT_WIDTH_MM / 25.4 * PRINT_DPI)  # 2055 px
# Decompression-bomb guard: refuse images above this many pixels (about 16k x 12k).
MAX_SOURCE_PIXELS = 200_000_000

EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".svg", ".gif")
_MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


class ImageProblem(ValueError):
    """A figure file that exists but cannot be used (corrupt, unknown format, too big)."""


@dataclass(frozen=True)
class PreparedImage:
    uri: str  # data: URI for the print HTML
    path: Path
    pixel_size: tuple[int, int] | None  # None for SVG
    downsampled: bool = False


def find_image(href: str, assets_dir: Path | None) -> Path | None:
    """The file that ``href`` names inside ``assets_dir``, trying the usual extensions.

    Only files inside ``assets_dir`` are accepted: a JATS file from outside must not make us
    read ``../../etc/passwd`` or fetch a URL.
    """
    if not href or assets_dir is None or "://" in href or href.startswith("data:"):
        return None
    root = assets_dir.resolve()
    base = (root / href).resolve()
    if root not in base.parents and base != root:
        return None
    candidates = [base] if base.suffix.lower() in EXTENSIONS else []
    candidates += [base.with_name(base.name + ext) for ext in EXTENSIONS]
    candidates += [base.with_suffix(ext) for ext in EXTENSIONS if base.suffix]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=90, optimize=False)
    else:
        # The zlib default level (6), not the faster 1: an 8-bit grey or RGB PNG goes into the
        # PDF with these very IDAT bytes (pdf.py), so this is the PDF's compression. Done once
        # per figure and process (ImageStore), where WeasyPrint would re-encode every time.
        image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def prepare_image(path: Path) -> PreparedImage:
    """Read a figure file and return what the print HTML should embed."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return PreparedImage(_data_uri("image/svg+xml", path.read_bytes()), path, None)
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS:
                raise ImageProblem(f"{path.name}: {width}x{height} pixels is beyond the limit")
            source_format = image.format or ""
            needs_resize = width > MAX_PIXEL_WIDTH
            needs_convert = source_format not in ("PNG", "JPEG", "GIF") or image.mode in (
                "CMYK",
                "YCbCr",
                "I;16",
                "I",
                "F",
            )
            if not needs_resize and not needs_convert:
                mime = _MIME.get(suffix) or f"image/{source_format.lower()}"
                return PreparedImage(_data_uri(mime, path.read_bytes()), path, (width, height))
            image.load()
            work = image
            if work.mode in ("CMYK", "YCbCr"):
                work = work.convert("RGB")
            elif work.mode in ("I;16", "I", "F"):
                work = work.convert("L")
            elif work.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                work = work.convert("RGBA")
            if needs_resize:
                new_height = max(1, round(height * MAX_PIXEL_WIDTH / width))
                if work.mode in ("P", "1"):
                    work = work.convert("RGBA" if "transparency" in work.info else "RGB")
                work = work.resize((MAX_PIXEL_WIDTH, new_height), Image.Resampling.LANCZOS)
            photo = source_format == "JPEG" and work.mode in ("RGB", "L")
            fmt = "JPEG" if photo else "PNG"
            data = _encode(work, fmt)
            mime = "image/jpeg" if fmt == "JPEG" else "image/png"
            return PreparedImage(_data_uri(mime, data), path, work.size, downsampled=needs_resize)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageProblem(f"{path.name}: not a readable image ({exc})") from exc


class ImageStore:
    """Prepared figures of one process, keyed by path, size and modification time."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int], PreparedImage] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> PreparedImage:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        prepared = prepare_image(path)
        with self._lock:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = prepared
        return prepared


default_store = ImageStore()
