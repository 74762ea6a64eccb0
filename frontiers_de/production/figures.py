"""An article's figures: the image inside the manuscript, or the file the author uploaded.

Authors upload figures beside the manuscript (the originals, at print resolution) and the
manuscript carries copies of them (often shrunk by Word). The rules, in one place:

- **Which uploads are the author's figures** (:func:`author_figures`): the submission's
  ``figure`` files its submitter uploaded before production began (the files production
  keeps for the JATS are rows of the same kind, named by their href).
- **Which upload is which figure**: the file name names the figure's label
  (:func:`~frontiers_de.production.jats.figures.callout_key`: "Figure 2.tif" is
  "Figure 2").
- **The conversion uses the upload by default** (:func:`apply_on_conversion`): a figure
  without a choice takes the newest matching upload that can be shown; the manuscript's
  image is kept too, so that it can be chosen instead.
- **A figure the manuscript has only a legend for** ("Figure 3. Scores by group." and no
  image, as when the figures were sent as separate files) is made at that legend from the
  upload named after it, and the text's mentions of it are linked.
- **The author's description comes along**: the alt text and long description the author
  wrote for an upload at submission (``FigureDescription``) become the JATS figure's when
  the conversion uses that upload, unless the JATS already has alt text for it.
- **The production editor chooses per figure** (:func:`choose`): the manuscript's image
  or any of the author's figure files; the choice is stored (``FigureChoice``), the JATS
  points at the chosen image, and the PDF made before must be typeset again.
- **What an upload becomes** (:func:`web_image`): PNG, JPEG, GIF and TIFF are kept as they
  are (TIFF is served to browsers as PNG and typeset as PNG, as every figure); a PDF figure
  is drawn as SVG; anything else is refused with the reason. The image checks of
  :func:`~frontiers_de.production.assets.check_asset` apply (pixel limit, readable).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.jats import serialise_jats, store_jats
from frontiers_de.articles.models import Article
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.production import assets
from frontiers_de.production.jats import descriptions as jats_descriptions
from frontiers_de.production.jats import figures as jats_figures
from frontiers_de.production.jats.assets import pdf_figure_to_svg
from frontiers_de.production.models import FigureChoice, FigureSource
from frontiers_de.production.services import ProductionError, read_jats, require_in_production
from frontiers_de.responses import ServedAsset
from frontiers_de.storage import FileNotStored, FileStorage
from frontiers_de.submissions import services as submission_services
from frontiers_de.submissions.models import (
    FigureDescription,
    FileKind,
    ManuscriptFile,
    Submission,
)

# Where an upload's web image is kept among the article's files.
UPLOAD_FOLDER = "uploads"
THUMBNAIL_SIZE = 320
# Thumbnails are drawn on the page's request: a larger image (one a small file can claim)
# gets no preview rather than hundreds of megabytes of decoded pixels.
THUMBNAIL_MAX_PIXELS = 64_000_000
PDF_THUMBNAIL_TIMEOUT_SECONDS = 30.0
CHOICE_MANUSCRIPT = "manuscript"
_SUBTYPES = {"png": "png", "jpeg": "jpeg", "gif": "gif", "tiff": "tiff", "svg": "svg+xml"}


class FigureRefused(ProductionError):
    """An uploaded figure that cannot be used; ``message`` says why."""


# --- which files are the author's figures ---------------------------------------------------


def author_figures(db: Session, article: Article) -> list[ManuscriptFile]:
    """The figure files the author uploaded with the submission, oldest first."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        return []
    rows = db.scalars(
        select(ManuscriptFile)
        .where(
            ManuscriptFile.submission_id == submission.id,
            ManuscriptFile.kind == FileKind.FIGURE,
            ManuscriptFile.source_id.is_(None),
            ManuscriptFile.uploaded_by_id == submission.submitter_id,
            ManuscriptFile.created_at <= article.created_at,
        )
        .order_by(ManuscriptFile.id)
    )
    return list(rows)


def _author_descriptions(db: Session, article: Article) -> dict[int, FigureDescription]:
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    return submission_services.figure_descriptions(db, submission) if submission else {}


def _choices(db: Session, article: Article) -> dict[str, FigureChoice]:
    rows = db.scalars(select(FigureChoice).where(FigureChoice.article_id == article.id))
    return {row.fig_id: row for row in rows}


# --- what an upload becomes -----------------------------------------------------------------


def _message(exc: ProductionError) -> str:
    text = exc.message
    return text.interpolate() if isinstance(text, TranslationString) else str(text)


def upload_href(upload: ManuscriptFile, fmt: str) -> str:
    """The name the upload's image gets among the article's files: the upload's id (two
    uploads may share a name) and its own name, made safe for a link."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", PurePosixPath(upload.filename).stem).strip("._")
    ext = ".svg" if fmt == "svg" else assets._FILE_EXTENSION[fmt]
    return f"{UPLOAD_FOLDER}/{upload.id}-{(stem or 'figure')[:80]}{ext}"


@dataclass(frozen=True)
class WebImage:
    href: str
    data: bytes
    checked: assets.CheckedAsset


def web_image(
    storage: FileStorage, upload: ManuscriptFile, settings: Mapping[str, Any]
) -> WebImage:
    """The image to keep for an uploaded figure, or :class:`FigureRefused` saying why."""
    try:
        data = storage.get(upload.sha256)
    except FileNotStored as exc:
        raise FigureRefused(_("The uploaded file is no longer stored.")) from exc
    limit = assets.max_asset_bytes(settings)
    fmt = assets.sniff(data)
    if fmt == "svg":
        # Authors may not upload SVG (it can carry scripts and links); a file that is SVG
        # under another name is refused rather than shown.
        raise FigureRefused(
            _(
                "${name} is an SVG file, which is not accepted from authors.",
                mapping={"name": upload.filename},
            )
        )
    if fmt == "pdf":
        svg = pdf_figure_to_svg(data, max_bytes=limit)
        if svg is None:
            raise FigureRefused(
                _(
                    "${name} is a PDF that could not be drawn as an image; ask the author "
                    "for a PNG, JPEG or TIFF.",
                    mapping={"name": upload.filename},
                )
            )
        data, fmt = svg, "svg"
    elif fmt not in ("png", "jpeg", "gif", "tiff"):
        raise FigureRefused(
            _(
                "${name} is a ${found} file, which the web and the PDF cannot show; ask the "
                "author for a PNG, JPEG, TIFF or PDF.",
                mapping={"name": upload.filename, "found": assets._format_label(fmt)},
            )
        )
    href = upload_href(upload, fmt)
    try:
        checked = assets.check_asset(href, "graphic", data, limit)
    except assets.AssetRefused as exc:
        raise FigureRefused(
            _(
                "${name} cannot be used: ${reason}",
                mapping={"name": upload.filename, "reason": _message(exc)},
            )
        ) from exc
    return WebImage(href, data, checked)


def _keep_upload(
    db: Session,
    storage: FileStorage,
    article: Article,
    upload: ManuscriptFile,
    settings: Mapping[str, Any],
    user: User | None = None,
) -> tuple[str, str]:
    """Keep the upload's web image among the article's files: its (href, mime subtype)."""
    image = web_image(storage, upload, settings)
    assert article.submission_id is not None
    assets.keep_asset(
        db,
        storage,
        article.submission_id,
        image.href,
        image.data,
        image.checked,
        user_id=user.id if user else None,
    )
    fmt = next(k for k, v in assets.IMAGE_TYPES.items() if v == image.checked.media_type)
    return image.href, _SUBTYPES[fmt]


# --- at conversion --------------------------------------------------------------------------


def apply_on_conversion(
    db: Session,
    storage: FileStorage,
    article: Article,
    tree: Any,
    settings: Mapping[str, Any],
) -> tuple[list[str], list[str]]:
    """Point each figure of a freshly converted ``tree`` at its image: the editor's choice,
    or else the newest uploaded figure file whose name names it; the manuscript's image
    otherwise. A figure the manuscript has only a legend for ("Figure 3. Scores by
    group." with no image) is made at its legend from the upload named after it, and the
    text's mentions of it are linked. Records each figure's manuscript image. Returns
    (changes, warnings), for the conversion's report."""
    if article.submission_id is None:
        return [], []
    uploads = {row.id: row for row in author_figures(db, article)}
    figures = jats_figures.figures_of(tree)
    if not figures and not uploads:
        return [], []
    db.flush()
    names = {i: r.filename for i, r in uploads.items()}
    matches = jats_figures.match_uploads(figures, names)
    conversion = _FigureConversion(
        db, storage, article, settings, uploads, _choices(db, article), [], []
    )
    conversion.described = _author_descriptions(db, article)
    conversion.use_uploads(tree, figures, matches)
    if conversion.make_from_legends(tree, figures, names):
        from frontiers_de.production.jats.convert import link_float_mentions

        conversion.changes += link_float_mentions(
            tree.getroot() if hasattr(tree, "getroot") else tree
        )
    db.flush()
    return conversion.changes, conversion.warnings


@dataclass
class _FigureConversion:
    """What :func:`apply_on_conversion` works with: the author's uploads, the stored choices
    (a row per figure, added as figures are met), and the report it writes."""

    db: Session
    storage: FileStorage
    article: Article
    settings: Mapping[str, Any]
    uploads: dict[int, ManuscriptFile]
    choices: dict[str, FigureChoice]
    changes: list[str]
    warnings: list[str]
    # the author's descriptions of their figure files, by file id (submissions' forms)
    described: dict[int, FigureDescription] = field(default_factory=dict)

    def describe(self, tree: Any, fig_id: str, upload: ManuscriptFile) -> None:
        """Give the figure the author's description of the upload it uses, unless the JATS
        describes it already (the manuscript's own alt text, or the production editor's)."""
        if _give_description(tree, fig_id, self.described.get(upload.id)):
            self.changes.append(
                f"{fig_id}: the author's description of {upload.filename} is its alt text"
            )

    def row_for(self, fig_id: str, manuscript_href: str | None) -> FigureChoice:
        row = self.choices.get(fig_id)
        if row is None:
            row = FigureChoice(article_id=self.article.id, fig_id=fig_id)
            self.db.add(row)
            self.choices[fig_id] = row
        row.manuscript_href = manuscript_href[:255] if manuscript_href else None
        return row

    def candidates(self, row: FigureChoice, matching: list[int]) -> list[ManuscriptFile]:
        if row.source == FigureSource.UPLOAD and row.upload_id in self.uploads:
            return [self.uploads[row.upload_id]]
        return [self.uploads[i] for i in matching]

    def first_usable(self, label: str, files: list[ManuscriptFile]) -> tuple[Any, str, str] | None:
        for upload in files:
            try:
                href, subtype = _keep_upload(
                    self.db, self.storage, self.article, upload, self.settings
                )
            except FigureRefused as exc:
                self.warnings.append(f"{label}: {_message(exc)}")
                continue
            return upload, href, subtype
        return None

    def use_uploads(
        self, tree: Any, figures: list[jats_figures.JatsFigure], matches: dict[str, list[int]]
    ) -> None:
        """Each figure of the manuscript takes its upload, unless the editor chose the
        manuscript's image."""
        for figure in figures:
            row = self.row_for(figure.fig_id, figure.href)
            if row.source == FigureSource.MANUSCRIPT:
                continue
            label = figure.label or figure.fig_id
            used = self.first_usable(label, self.candidates(row, matches.get(figure.fig_id, [])))
            if used is not None:
                upload, href, subtype = used
                jats_figures.set_figure_image(tree, figure.fig_id, href, subtype)
                self.describe(tree, figure.fig_id, upload)
                self.changes.append(
                    f"{label}: the uploaded {upload.filename} is used ({href}) instead of the "
                    "manuscript's image"
                )

    def make_from_legends(
        self, tree: Any, figures: list[jats_figures.JatsFigure], names: dict[int, str]
    ) -> int:
        """Figures the manuscript has only a legend for, made from the uploads named after
        them; how many were made."""
        have = {f.key for f in figures if f.key}
        by_key: dict[str, list[int]] = {}
        for upload_id, name in sorted(names.items(), reverse=True):
            key = jats_figures.callout_key(name)
            if key is not None and key not in have:
                by_key.setdefault(key, []).append(upload_id)
        made = 0
        legends = jats_figures.legend_paragraphs(tree)
        for key in sorted(set(by_key) - set(legends)):
            for upload_id in by_key[key]:
                self.warnings.append(
                    f"the uploaded {self.uploads[upload_id].filename} names Figure {key}, which "
                    "the manuscript has neither an image nor a legend for; it is not used"
                )
        for key, paragraph in legends.items():
            if key not in by_key:
                continue
            fig_id = jats_figures.unused_id(tree, f"fig-{key}")
            row = self.row_for(fig_id, None)
            used = self.first_usable(f"Figure {key}", self.candidates(row, by_key[key]))
            if used is None:
                continue
            upload, href, subtype = used
            figure = jats_figures.figure_from_legend(paragraph, fig_id, href, subtype)
            self.describe(tree, fig_id, upload)
            made += 1
            self.changes.append(
                f"{figure.label}: made at its legend with the uploaded {upload.filename} "
                f"({href}); the manuscript has no image for it"
            )
        return made


# --- the production page --------------------------------------------------------------------


@dataclass(frozen=True)
class FigurePanel:
    """One figure on the production page: its images side by side and what is chosen."""

    fig_id: str
    label: str
    href: str  # the image the JATS names now
    manuscript_href: str | None
    manuscript_file: ManuscriptFile | None
    matching: list[ManuscriptFile]  # uploads whose name names this figure, newest first
    others: list[ManuscriptFile]  # the author's other figure files
    chosen: str  # "manuscript", "upload-<id>", or "" (the JATS names another image)
    choice_by_editor: bool
    pixels: Mapping[int, tuple[int, int]]  # file id -> (width, height), for images read
    # its alt text and long description, and the caption they must not repeat
    description: jats_descriptions.FigureDescription = field(
        default_factory=jats_descriptions.FigureDescription
    )
    caption: str = ""

    @property
    def other_chosen(self) -> bool:
        """Whether the chosen file is one whose name does not name this figure."""
        return self.chosen in {f"upload-{r.id}" for r in self.others}


def figure_panels(db: Session, storage: FileStorage, article: Article) -> list[FigurePanel]:
    """Every figure of the current JATS with its manuscript image, the matching uploads,
    the current choice and each image's size in pixels (what the editor compares)."""
    if not article.jats_xml:
        return []
    tree = read_jats(article.jats_xml.encode("utf-8"))
    figures = jats_figures.figures_of(tree)
    if not figures:
        return []
    uploads = author_figures(db, article)
    by_id = {row.id: row for row in uploads}
    matches = jats_figures.match_uploads(figures, {r.id: r.filename for r in uploads})
    choices = _choices(db, article)
    files = assets.latest_files(db, article.submission_id)
    kept_hrefs = {upload_href(r, fmt): r.id for r in uploads for fmt in _SUBTYPES}
    panels = []
    for figure in figures:
        row = choices.get(figure.fig_id)
        manuscript_href = row.manuscript_href if row is not None else None
        if manuscript_href is None and figure.href not in kept_hrefs:
            manuscript_href = figure.href  # a JATS from elsewhere: its own image
        matching = [by_id[i] for i in matches.get(figure.fig_id, [])]
        if figure.href == manuscript_href:
            chosen = CHOICE_MANUSCRIPT
        elif figure.href in kept_hrefs:
            chosen = f"upload-{kept_hrefs[figure.href]}"
        else:
            chosen = ""
        manuscript_file = assets._match(files, manuscript_href) if manuscript_href else None
        fig = jats_descriptions.find_figure(tree, figure.fig_id)
        shown = [*([manuscript_file] if manuscript_file else []), *uploads]
        panels.append(
            FigurePanel(
                fig_id=figure.fig_id,
                label=figure.label,
                href=figure.href,
                manuscript_href=manuscript_href,
                manuscript_file=manuscript_file,
                matching=matching,
                others=[r for r in uploads if r not in matching],
                chosen=chosen,
                choice_by_editor=row is not None and row.source is not None,
                pixels={r.id: size for r in shown if (size := image_size(storage, r))},
                description=jats_descriptions.description_of(fig),
                caption=jats_descriptions.caption_text(fig),
            )
        )
    return panels


def choose(
    db: Session,
    storage: FileStorage,
    article: Article,
    fig_id: str,
    choice: str,
    user: User | None,
    settings: Mapping[str, Any],
) -> FigureChoice:
    """The production editor's choice for one figure: ``"manuscript"`` or
    ``"upload-<id>"`` (one of the author's figure files). The JATS then names the chosen
    image (a new JATS version; the PDF made before stops being current), the choice is
    kept for later conversions, and the audit trail says who chose what. Raises
    :class:`ProductionError` saying why, nothing changed."""
    require_in_production(article)
    if not article.jats_xml:
        raise ProductionError(_("There is no JATS yet: convert the manuscript first."))
    tree = read_jats(article.jats_xml.encode("utf-8"))
    figure = next((f for f in jats_figures.figures_of(tree) if f.fig_id == fig_id), None)
    if figure is None:
        raise ProductionError(_("The article has no such figure."))
    # Added to the session only once the choice is valid: a refused choice changes nothing.
    row = _choices(db, article).get(fig_id) or FigureChoice(
        article_id=article.id, fig_id=fig_id, manuscript_href=figure.href
    )
    upload: ManuscriptFile | None = None
    if choice == CHOICE_MANUSCRIPT:
        if not row.manuscript_href:
            raise ProductionError(_("The manuscript has no image for this figure."))
        href = row.manuscript_href
        kept = assets._match(assets.latest_files(db, article.submission_id), href)
        subtype = _subtype_of(kept.media_type) if kept is not None else _subtype_of_name(href)
        jats_figures.set_figure_image(tree, fig_id, href, subtype)
        row.source, row.upload_id = FigureSource.MANUSCRIPT, None
    else:
        match = re.fullmatch(r"upload-(\d{1,18})", choice or "")
        uploads = {r.id: r for r in author_figures(db, article)}
        upload = uploads.get(int(match.group(1))) if match else None
        if upload is None:
            raise ProductionError(_("Choose the manuscript's image or one of the author's files."))
        href, subtype = _keep_upload(db, storage, article, upload, settings, user)
        jats_figures.set_figure_image(tree, fig_id, href, subtype)
        _describe_from_author(db, article, tree, fig_id, upload)
        row.source, row.upload_id = FigureSource.UPLOAD, upload.id
    row.chosen_by_id = user.id if user else None
    row.chosen_at = utcnow()
    if row.id is None:
        db.add(row)
    data = serialise_jats(tree)
    if data.decode("utf-8") != article.jats_xml:
        store_jats(
            db,
            storage,
            article,
            data,
            filename=f"figure-choice-{fig_id}.xml"[:255],
            user_id=user.id if user else None,
            tree=tree,
            settings=settings,
        )
    submission = db.get(Submission, article.submission_id)
    if submission is not None:
        workflow.audit(
            db,
            submission,
            user,
            "figure_chosen",
            fig_id=fig_id,
            label=figure.label,
            source=row.source.value,
            file_id=upload.id if upload is not None else None,
            href=_href_of(tree, fig_id),
        )
    db.flush()
    return row


def _describe_from_author(
    db: Session, article: Article, tree: Any, fig_id: str, upload: ManuscriptFile
) -> None:
    """A figure without alt text that now uses an upload takes the author's description of
    it, as at conversion."""
    _give_description(tree, fig_id, _author_descriptions(db, article).get(upload.id))


def _give_description(tree: Any, fig_id: str, given: FigureDescription | None) -> bool:
    """Write the author's description into a figure that has no alt text (the JATS's own
    and the production editor's win); whether it was written."""
    fig = jats_descriptions.find_figure(tree, fig_id)
    if given is None or fig is None or jats_descriptions.description_of(fig).alt_text:
        return False
    return jats_descriptions.set_description(fig, given.alt_text, given.long_desc)


def _href_of(tree: Any, fig_id: str) -> str:
    return next((f.href for f in jats_figures.figures_of(tree) if f.fig_id == fig_id), "")


def _subtype_of(media_type: str) -> str:
    return media_type.split("/", 1)[-1]


def _subtype_of_name(href: str) -> str:
    fmt = assets.IMAGE_EXTENSIONS.get(PurePosixPath(href).suffix.lower())
    return _SUBTYPES.get(fmt or "", "png")


# --- thumbnails -----------------------------------------------------------------------------

_size_cache = assets._BoundedCache(max_items=4096, max_bytes=1024 * 1024)


def image_size(storage: FileStorage, record: ManuscriptFile) -> tuple[int, int] | None:
    """An image file's width and height in pixels, read from its header (None for a file
    that is not an image Pillow reads). Kept per file content and process."""
    found = _size_cache.get(record.sha256)
    if found is not None:
        return found or None
    from PIL import Image, UnidentifiedImageError

    size: tuple[int, int] | tuple[()] = ()
    try:
        with Image.open(io.BytesIO(storage.get(record.sha256))) as image:
            size = image.size
    except (
        FileNotStored,
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
    ):
        pass
    _size_cache.put(record.sha256, size, 64)
    return size or None


_thumbnail_cache = assets._BoundedCache(max_items=256, max_bytes=32 * 1024 * 1024)


def _pdf_thumbnail(data: bytes) -> bytes | None:
    program = shutil.which("pdftocairo")
    if program is None or not data.startswith(b"%PDF-"):
        return None
    with tempfile.TemporaryDirectory(prefix="fde-figure-thumb-") as tmp:
        source, target = Path(tmp) / "figure.pdf", Path(tmp) / "thumb"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    program,
                    "-png",
                    "-singlefile",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-scale-to",
                    str(THUMBNAIL_SIZE),
                    str(source),
                    str(target),
                ],
                capture_output=True,
                timeout=PDF_THUMBNAIL_TIMEOUT_SECONDS,
                check=True,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        made = target.with_suffix(".png")
        return made.read_bytes() if made.is_file() else None


def _image_thumbnail(data: bytes) -> bytes | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            if image.width * image.height > THUMBNAIL_MAX_PIXELS:
                return None
            image.seek(0)
            image.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))  # JPEG: decode small
            work = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA", "P") else "RGB")
            work.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            buffer = io.BytesIO()
            work.save(buffer, "PNG")
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None
    return buffer.getvalue()


def thumbnail(
    db: Session, storage: FileStorage, article: Article, file_id: int
) -> ServedAsset | None:
    """A small PNG of one image shown on the production page: an author's figure file,
    or the manuscript image of one of the article's figures. None for any other file
    (another article's, a manuscript, a supplement) and for files that cannot be drawn."""
    record = db.get(ManuscriptFile, file_id)
    if record is None or record.submission_id != article.submission_id:
        return None
    allowed = {r.id for r in author_figures(db, article)}
    files = assets.latest_files(db, article.submission_id)
    hrefs = {row.manuscript_href for row in _choices(db, article).values()}
    if article.jats_xml:
        tree = read_jats(article.jats_xml.encode("utf-8"))
        hrefs |= {f.href for f in jats_figures.figures_of(tree)}
    for href in hrefs - {None}:
        found = assets._match(files, href) if href else None
        if found is not None:
            allowed.add(found.id)
    if record.id not in allowed:
        return None
    try:
        data = storage.get(record.sha256)
    except FileNotStored:
        return None
    fmt = assets.sniff(data)
    key = f"{record.sha256}-{THUMBNAIL_SIZE}"
    body = _thumbnail_cache.get(key)
    if body is None:
        if fmt == "pdf":
            body = _pdf_thumbnail(data)
        elif fmt in ("png", "jpeg", "gif", "tiff"):
            body = _image_thumbnail(data)
        if body is None:
            return None
        _thumbnail_cache.put(key, body, len(body))
    return ServedAsset(
        body=body,
        media_type="image/png",
        etag=key,
        filename=f"{PurePosixPath(record.filename).stem}-thumbnail.png",
        last_modified=record.created_at,
        inline=True,
    )
