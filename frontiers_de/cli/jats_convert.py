"""`fde jats convert IN -o OUT.xml [--meta META.json] [--config FILE.ini]`.

IN is a DOCX, ODT, Markdown, LaTeX (.tex, or a .zip with the .tex and its figures) or JATS
file. The report goes to standard error (or standard output as JSON with ``--json``).
Exit 0 when OUT.xml was written and is valid JATS 1.3 Publishing, 1 when the result is not
schema-valid (nothing written unless ``--keep-invalid``), 2 when the input or the metadata
cannot be used. OUT.xml is written to a temporary file and renamed, so a failed conversion
never leaves a half-written file or replaces the previous one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import click

from frontiers_de.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    config_option,
    profile_for,
)
from frontiers_de.production.jats import convert as conversion
from frontiers_de.production.jats.convert import ConversionError, ConversionReport
from frontiers_de.production.jats.frontmatter import MetadataError, load_metadata


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_media(result: conversion.ConversionResult, media_dir: Path, out_path: Path) -> None:
    """Write the extracted figures and point the graphics at them, relative to OUT.xml."""
    xlink_href = f"{{{conversion.XLINK}}}href"
    new_href: dict[str, str] = {}
    for name, data in result.media.items():
        target = media_dir / name.removeprefix("media/")
        write_atomically(target, data)
        new_href[name] = Path(
            os.path.relpath(target.resolve(), out_path.resolve().parent)
        ).as_posix()
    for graphic in result.tree.iter("graphic", "inline-graphic"):
        href = graphic.get(xlink_href)
        if href in new_href:
            graphic.set(xlink_href, new_href[href])


def _fail(message: str, as_json: bool, source: str) -> None:
    if as_json:
        click.echo(json.dumps({"file": source, "usable": False, "error": message}))
    click.echo(f"{source}: conversion failed: {message}", err=True)
    raise SystemExit(EXIT_UNUSABLE)


@click.command(name="convert")
@click.argument("in_path", metavar="IN", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the JATS 1.3 XML.",
)
@click.option(
    "--meta",
    "meta_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Submission metadata (JSON, schemas/submission-metadata.schema.json).",
)
@click.option(
    "--keep-invalid",
    is_flag=True,
    help="Write OUT.xml even when it fails the schema (for editing by hand); still exits 1.",
)
@click.option(
    "--media-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Save the figures of a DOCX/ODT here; the XML links to them relative to OUT.xml.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@config_option
def convert(
    in_path: str,
    out_path: str,
    meta_path: str | None,
    keep_invalid: bool,
    media_dir: str | None,
    as_json: bool,
    config_path: str | None,
) -> None:
    """Convert a manuscript IN to JATS 1.3 Journal Publishing XML."""
    profile = profile_for(config_path)
    metadata = None
    if meta_path:
        try:
            metadata = load_metadata(meta_path)
        except MetadataError as exc:
            _fail(f"{meta_path}: " + "; ".join(exc.problems), as_json, in_path)
    if not Path(in_path).is_file():
        _fail("no such file", as_json, in_path)
    try:
        result = conversion.convert(
            in_path, metadata=metadata, profile=profile, extract_media=media_dir is not None
        )
    except ConversionError as exc:
        _fail(str(exc), as_json, in_path)
        return  # pragma: no cover - _fail exits
    except Exception as exc:  # a bug: still say what failed, and leave OUT as it was
        _fail(f"internal error ({type(exc).__name__}: {exc})", as_json, in_path)
        return  # pragma: no cover - _fail exits

    report = result.report
    written = False
    if report.valid or keep_invalid or not report.validated:
        if media_dir is not None:
            save_media(result, Path(media_dir), Path(out_path))
        write_atomically(Path(out_path), result.to_bytes())
        written = True
    _print_report(report, out_path if written else None, as_json)
    if report.schema_errors:
        if not written:
            click.echo(
                f"{in_path}: the result is not valid JATS 1.3; {out_path} was not written "
                "(--keep-invalid writes it anyway)",
                err=True,
            )
        raise SystemExit(EXIT_INVALID)
    raise SystemExit(EXIT_OK)


def _print_report(report: ConversionReport, written: str | None, as_json: bool) -> None:
    if as_json:
        document = asdict(report)
        document.update(usable=True, valid=report.valid, output=written)
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for line in report.lines():
        click.echo(line, err=True)
    if written:
        state = "valid JATS 1.3" if report.valid else "JATS 1.3 (not validated)"
        if report.schema_errors:
            state = "JATS 1.3 with schema errors"
        click.echo(f"wrote {written}: {state}", err=True)
