"""Safe reading of zip-based inputs: DOCX, ODT and zip bundles of a LaTeX source.

A zip from outside may be a bomb (tiny file, huge expansion), hold thousands of entries, or
name paths outside the folder it is unpacked into. Every zip input passes :func:`inspect_zip`
before pandoc or our own code reads it: the entry count, the total expanded size and the
expansion ratio are checked on the bytes actually decompressed (the sizes in the zip headers
can lie), and unsafe member names are rejected.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_CHUNK = 64 * 1024


class ArchiveError(ValueError):
    """The zip input is unusable or unsafe; the message says which limit or rule it broke."""

    def __init__(self, message: str, member: str | None = None) -> None:
        super().__init__(message if member is None else f"{message} (entry {member!r})")
        self.member = member


@dataclass(frozen=True)
class ArchiveLimits:
    """Explicit limits (DESIGN.md, "Bad input"); settings may make them stricter."""

    max_entries: int = 2_000
    max_total_bytes: int = 300 * 1024 * 1024
    max_entry_bytes: int = 200 * 1024 * 1024
    # Expanded bytes per compressed byte, over the whole archive. Office XML compresses
    # well (10-20x is normal); zip bombs reach thousands.
    max_ratio: float = 200.0
    # Below this expanded size the ratio is not judged: small highly-repetitive XML parts
    # are common and harmless.
    ratio_floor_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class ArchiveInfo:
    names: tuple[str, ...]
    compressed_bytes: int
    expanded_bytes: int

    @property
    def ratio(self) -> float:
        return self.expanded_bytes / max(self.compressed_bytes, 1)


def _unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe to unpack, or None when it is fine."""
    if not name:
        return "empty entry name"
    if "\x00" in name:
        return "NUL byte in entry name"
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(normalised).parts:
        return "path traversal ('..')"
    return None


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise ArchiveError("the file is empty")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArchiveError("the file is not a zip archive (DOCX, ODT and zip inputs are zips)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"the zip archive is damaged: {exc}") from exc


def inspect_zip(
    data: bytes, limits: ArchiveLimits | None = None, *, reject_dtd: bool = False
) -> ArchiveInfo:
    """Check a zip held in memory against the limits, decompressing every entry once.

    ``reject_dtd``: refuse XML parts that declare a DOCTYPE (entity expansion attacks on
    the reader that parses them next). Office documents (DOCX, ODT) never carry one.
    Raises :class:`ArchiveError` naming the broken rule and, where there is one, the entry.
    """
    limits = limits or ArchiveLimits()
    archive = _open_zip(data)
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise ArchiveError(
                f"the archive has {len(infos)} entries; the limit is {limits.max_entries}"
            )
        total = 0
        for info in infos:
            problem = _unsafe_name(info.filename)
            if problem:
                raise ArchiveError(f"unsafe entry name: {problem}", info.filename)
            if _is_symlink(info):
                raise ArchiveError("symbolic links are not accepted in archives", info.filename)
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError("encrypted entries are not accepted", info.filename)
            check_dtd = reject_dtd and info.filename.lower().endswith((".xml", ".rels"))
            total += _expanded_size(archive, info, limits, total, check_dtd)
        compressed = max(len(data), 1)
        if total > limits.ratio_floor_bytes and total / compressed > limits.max_ratio:
            raise ArchiveError(
                f"the archive expands {total / compressed:.0f}-fold "
                f"({compressed} to {total} bytes); the limit is {limits.max_ratio:g}"
            )
        return ArchiveInfo(tuple(i.filename for i in infos), len(data), total)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _expanded_size(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: ArchiveLimits,
    so_far: int,
    check_dtd: bool = False,
) -> int:
    """Decompress one entry in chunks, stopping as soon as a limit is passed."""
    size = 0
    carry = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if check_dtd:
                    window = (carry + chunk).upper()
                    if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                        raise ArchiveError("XML part declares a DTD or entities", info.filename)
                    carry = chunk[-16:]
                if size > limits.max_entry_bytes:
                    raise ArchiveError(
                        f"an entry expands beyond {limits.max_entry_bytes} bytes", info.filename
                    )
                if so_far + size > limits.max_total_bytes:
                    raise ArchiveError(
                        f"the archive expands beyond {limits.max_total_bytes} bytes",
                        info.filename,
                    )
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ArchiveError(f"the entry cannot be read: {exc}", info.filename) from exc
    return size


def read_member(data: bytes, name: str, limits: ArchiveLimits | None = None) -> bytes:
    """One entry's bytes, after :func:`inspect_zip` has accepted the archive."""
    limits = limits or ArchiveLimits()
    with _open_zip(data) as archive:
        try:
            info = archive.getinfo(name)
        except KeyError as exc:
            raise ArchiveError("the archive lacks a required entry", name) from exc
        buffer = bytearray()
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                buffer += chunk
                if len(buffer) > limits.max_entry_bytes:
                    raise ArchiveError(
                        f"an entry expands beyond {limits.max_entry_bytes} bytes", name
                    )
        return bytes(buffer)


def safe_extract(data: bytes, destination: Path, limits: ArchiveLimits | None = None) -> list[Path]:
    """Unpack a checked zip into ``destination`` and return the files written.

    Every path is resolved and must stay inside ``destination``; sizes are enforced again
    while writing, so the archive cannot grow between the check and the unpacking.
    """
    limits = limits or ArchiveLimits()
    inspect_zip(data, limits)
    root = destination.resolve()
    written: list[Path] = []
    total = 0
    with _open_zip(data) as archive:
        for info in archive.infolist():
            target = (root / info.filename.replace("\\", "/")).resolve()
            if target != root and root not in target.parents:
                raise ArchiveError("entry would be written outside the folder", info.filename)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as stream, open(target, "wb") as out:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limits.max_total_bytes:
                        raise ArchiveError(
                            f"the archive expands beyond {limits.max_total_bytes} bytes",
                            info.filename,
                        )
                    out.write(chunk)
            os.chmod(target, 0o644)
            written.append(target)
    return written
