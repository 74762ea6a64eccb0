"""``fde export``: what indexers and archives take from the journal, written to files.

``fde export doaj [-o FILE]`` writes the journal's published articles as DOAJ article XML
(what ``/production/exports/doaj.xml`` answers); ``fde export archive DOI -o FILE.zip``
writes a published article's archive package (JATS, PDF, figures, supplements, manifest).
Both read the configured database and files, like the other database commands.
"""

from __future__ import annotations

import sys

import click

from frontiers_de.cli.admin import _journal_for, app_request
from frontiers_de.cli.common import config_option


@click.group("export")
def export() -> None:
    """Exports for indexers and archives (DOAJ, archive packages)."""


def _write(data: bytes, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with open(output, "wb") as handle:
        handle.write(data)


@export.command("doaj")
@click.option("-o", "--output", help="The file to write (default: standard output).")
@click.option("--journal", "journal_code", help="Journal code (default: the default journal).")
@config_option
def export_doaj(output: str | None, journal_code: str | None, config_path: str | None) -> None:
    """The journal's published articles as DOAJ article XML."""
    from frontiers_de.publishing import doaj

    with app_request(config_path) as request:
        journal = _journal_for(request, journal_code)
        data = doaj.journal_doaj_xml(request.db, journal, request.application_url)
    _write(data, output)
    if output not in (None, "-"):
        click.echo(f"DOAJ: {data.count(b'<record>')} article(s) written to {output}.")


@export.command("archive")
@click.argument("doi")
@click.option("-o", "--output", required=True, help="The zip file to write.")
@config_option
def export_archive(doi: str, output: str, config_path: str | None) -> None:
    """A published article's archive package (zip) for deposit and preservation."""
    from frontiers_de.articles.services import published_article
    from frontiers_de.db.meta import utcnow
    from frontiers_de.publishing import archive_package

    with app_request(config_path) as request:
        article = published_article(request.db, doi.strip())
        if article is None or not article.jats_xml:
            raise click.UsageError(f"no published article with DOI {doi!r}")
        package = archive_package.package_files(request.db, request.storage, article)
        data = archive_package.to_zip(package, utcnow())
    _write(data, output)
    names = ", ".join(f.name for f in package.files)
    click.echo(f"Archive package of {doi}: {names} and manifest.json written to {output}.")
    for name in package.missing:
        click.echo(f"  missing: {name}", err=True)
