"""Files by content: every stored file is addressed by the SHA-256 of its bytes.

Uploads are immutable and stored once however many rows point at them. The embedded default
keeps them in a local directory (``fde.files_dir``); the interface is what an S3-compatible
backend implements for scale-out.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from pyramid.config import Configurator
from pyramid.request import Request

from frontiers_de.config import SiteSettings

_HEX = frozenset("0123456789abcdef")


class FileNotStored(LookupError):
    """No file with that digest is stored."""


class FileStorage(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data``; return its SHA-256 (hex). Storing the same bytes twice is a no-op."""
        ...

    def get(self, digest: str) -> bytes: ...

    def exists(self, digest: str) -> bool: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(digest: str) -> str:
    # The digest becomes a path: only 64 lowercase hex characters may pass.
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise FileNotStored(f"not a SHA-256 digest: {digest[:80]!r}")
    return digest


class LocalFileStorage:
    """Content-addressed files under one directory: ``ab/cd/abcd…``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        digest = _checked(digest)
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a crash never leaves a half-written file under a real digest.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        path = self.path(digest)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise FileNotStored(digest) from exc

    def exists(self, digest: str) -> bool:
        try:
            return self.path(digest).exists()
        except FileNotStored:
            return False


def storage_from_settings(settings: dict[str, str]) -> FileStorage:
    return LocalFileStorage(SiteSettings.of(settings).files_dir)


def includeme(config: Configurator) -> None:
    storage = storage_from_settings(config.get_settings())
    config.registry["file_storage"] = storage

    def _storage(request: Request) -> FileStorage:
        return request.registry["file_storage"]

    config.add_request_method(_storage, "storage", reify=True)
