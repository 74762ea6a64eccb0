"""The files the distribution ships beside the code, found through their packages.

``templates/`` and ``schemas/`` stay at the top of the repository, where the project's layout
puts them, and ship as the packages ``frontiers_de.templates`` and ``frontiers_de.schemas``
(``setup.py`` maps each folder to its package). Everything here finds them by package name,
never by the checkout's path, so a checkout, an editable install and a wheel in a virtual
environment of its own all read the same files. The official XSDs are not shipped: they
come from ``fde.schema_dir`` / ``FDE_SCHEMA_DIR`` (``config.schema_dir``).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

TEMPLATES_PACKAGE = "frontiers_de.templates"
SCHEMAS_PACKAGE = "frontiers_de.schemas"
# The default ``jinja2.directories``: an asset spec, which pyramid_jinja2 resolves itself.
TEMPLATES_SPEC = f"{TEMPLATES_PACKAGE}:"


def shipped(package: str, *parts: str) -> Traversable:
    """A file or folder of ``package`` (``importlib.resources``)."""
    found = files(package)
    for part in parts:
        found = found.joinpath(part)
    return found


def shipped_path(package: str, *parts: str) -> Path:
    """The same as a filesystem path, for readers that need one (Jinja2's loader, lxml).
    The distribution is installed unzipped (``zip_safe=False``), so the files are on disk."""
    found = shipped(package, *parts)
    if not isinstance(found, Path):
        raise RuntimeError(f"{package} is not installed as files on disk: {found!r}")
    return found


def template_path(*parts: str) -> Path:
    """A folder or file under ``templates/`` (``template_path("print", "print.css")``)."""
    return shipped_path(TEMPLATES_PACKAGE, *parts)


def schema_file(name: str) -> Traversable:
    """One of the journal's own schemas under ``schemas/``."""
    return shipped(SCHEMAS_PACKAGE, name)


def directory(entry: str) -> Path:
    """One entry of ``jinja2.directories`` as a directory: an asset spec
    (``frontiers_de.templates:``) through its package, anything else as the path it is."""
    if ":" in entry and not Path(entry).is_dir():
        from pyramid.path import AssetResolver

        return Path(AssetResolver().resolve(entry).abspath())
    return Path(entry)
