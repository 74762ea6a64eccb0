"""A published article as one zip for deposit and preservation (PMC-style packages, LOCKSS,
Portico, CLOCKSS): its JATS, its PDF, every figure and supplement the JATS names under the
name the JATS uses for it, and ``manifest.json`` listing each file with its role, media
type, size and SHA-256, so a receiving archive can check what it got.

Everything sits in one folder named after the DOI's suffix (``fde.2026.0001/``), as PMC
asks of a package. A figure the JATS names but the system does not hold is listed in the
manifest under ``missing`` rather than left out in silence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article
from frontiers_de.articles.services import pdf_filename
from frontiers_de.production import assets
from frontiers_de.production.jats.assets import name_problem
from frontiers_de.storage import FileNotStored, FileStorage

MEDIA_TYPE = "application/zip"
MANIFEST = "manifest.json"


@dataclass
class PackageFile:
    name: str  # inside the package folder
    role: str  # jats, pdf, figure, supplementary
    media_type: str
    data: bytes


@dataclass
class Package:
    folder: str
    doi: str
    title: str
    published: str
    files: list[PackageFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def package_files(db: Session, storage: FileStorage, article: Article) -> Package:
    """What goes into the article's package (no zip yet)."""
    stem = pdf_filename(article).removesuffix(".pdf")
    package = Package(
        folder=stem,
        doi=article.doi or "",
        title=article.title,
        published=article.published_at.date().isoformat() if article.published_at else "",
    )
    if article.jats_xml:
        package.files.append(
            PackageFile(f"{stem}.xml", "jats", "application/xml", article.jats_xml.encode("utf-8"))
        )
    if article.pdf_sha256:
        try:
            pdf = storage.get(article.pdf_sha256)
            package.files.append(PackageFile(f"{stem}.pdf", "pdf", "application/pdf", pdf))
        except FileNotStored:
            package.missing.append(f"{stem}.pdf")
    for asset in assets.article_assets(db, article):
        href = asset.href
        if asset.file is None or name_problem(href) or PurePosixPath(href).is_absolute():
            package.missing.append(href)
            continue
        try:
            data = storage.get(asset.file.sha256)
        except FileNotStored:
            package.missing.append(href)
            continue
        role = "figure" if asset.file.media_type.startswith("image/") else "supplementary"
        package.files.append(PackageFile(href, role, asset.file.media_type, data))
    return package


def manifest(package: Package, created: dt.datetime) -> dict[str, object]:
    return {
        "doi": package.doi,
        "title": package.title,
        "published": package.published,
        "created": created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": [
            {
                "name": f.name,
                "role": f.role,
                "media_type": f.media_type,
                "size": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
            }
            for f in package.files
        ],
        "missing": package.missing,
    }


def to_zip(package: Package, created: dt.datetime) -> bytes:
    """The package as a zip: ``<folder>/<file>`` for each file and the manifest."""
    out = io.BytesIO()
    stamp = created.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        seen: set[str] = set()
        for f in package.files:
            name = f"{package.folder}/{f.name}"
            if name in seen:
                continue
            seen.add(name)
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), f.data)
        body = json.dumps(manifest(package, created), ensure_ascii=False, indent=2)
        archive.writestr(
            zipfile.ZipInfo(f"{package.folder}/{MANIFEST}", date_time=stamp), body.encode()
        )
    return out.getvalue()


def archive_filename(package: Package) -> str:
    return f"{package.folder}.zip"
