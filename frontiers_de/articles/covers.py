"""An issue's cover image, shown on the home page and the issue's table of contents.

What the production editor uploads is never served as sent: Pillow (the imaging library
WeasyPrint already brings) opens it, refuses anything that is not a PNG, JPEG or WebP
picture of sensible size, and writes it again — as PNG when it has transparency, else as
JPEG — at most 1,600 px wide. So no metadata (a phone's GPS position in EXIF), no script in
a polyglot file and no decompression bomb reaches a reader's browser.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from frontiers_de.articles.issues import IssueError
from frontiers_de.articles.models import Issue
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.i18n import _
from frontiers_de.storage import FileStorage

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # what Pillow may decode (a 6,000 × 6,000 picture is 36 M)
MAX_WIDTH = 1600
ACCEPTED = {"PNG", "JPEG", "WEBP"}


def _clean_image(data: bytes) -> tuple[bytes, str]:
    """``data`` opened, checked and written again; (bytes, media type)."""
    if not data:
        raise IssueError(_("Choose an image file for the cover."))
    if len(data) > MAX_BYTES:
        raise IssueError(_("The cover image is too large (at most 10 MB)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in ACCEPTED:
                    raise IssueError(_("The cover must be a PNG, JPEG or WebP image."))
                if width * height > MAX_PIXELS:
                    raise IssueError(_("The cover image has too many pixels."))
                probe.load()
                image = probe.copy()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise IssueError(_("This file is not an image that can be read.")) from exc
    if image.width > MAX_WIDTH:
        image = image.resize(
            (MAX_WIDTH, max(1, round(image.height * MAX_WIDTH / image.width))),
            Image.Resampling.LANCZOS,
        )
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue(), "image/jpeg"


def set_cover(db: Session, storage: FileStorage, issue: Issue, data: bytes, actor: Any) -> None:
    """Make ``data`` (an uploaded picture) the issue's cover; raises :class:`IssueError`
    with a reason the production editor can act on."""
    cleaned, media_type = _clean_image(data)
    issue.cover_sha256 = storage.put(cleaned)
    issue.cover_type = media_type
    db.add(
        AuditEvent(
            journal_id=issue.journal_id,
            actor_id=getattr(actor, "id", None),
            action="set_issue_cover",
            detail={"issue_id": issue.id, "bytes": len(cleaned)},
        )
    )
    db.flush()


def remove_cover(db: Session, issue: Issue, actor: Any) -> None:
    if issue.cover_sha256 is None:
        return
    issue.cover_sha256, issue.cover_type = None, ""
    db.add(
        AuditEvent(
            journal_id=issue.journal_id,
            actor_id=getattr(actor, "id", None),
            action="remove_issue_cover",
            detail={"issue_id": issue.id},
        )
    )
    db.flush()
