"""Shipped files are found through their packages: the top-level templates/ and schemas/
folders are the packages frontiers_de.templates and frontiers_de.schemas (setup.py), and no
module reads them through the checkout's path. tests/integration/test_wheel.py shows the same
from an installed wheel."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from frontiers_de import package_files
from frontiers_de.config import DEFAULTS
from frontiers_de.mail.services import TemplateNotFound, render_email
from frontiers_de.production.jats.frontmatter import metadata_schema
from tests.conftest import ROOT

PACKAGE = ROOT / "frontiers_de"


def test_the_packages_are_the_top_level_folders_of_the_checkout():
    # The suite runs on the editable install, where the packages are the folders themselves.
    assert package_files.template_path() == ROOT / "templates"
    assert package_files.template_path("print", "print.css").is_file()
    schema = package_files.schema_file("submission-metadata.schema.json")
    assert json.loads(schema.read_text("utf-8")) == metadata_schema()


def test_the_default_template_directory_is_an_asset_spec_that_resolves_to_the_package():
    assert DEFAULTS["jinja2.directories"] == package_files.TEMPLATES_SPEC
    assert package_files.directory(package_files.TEMPLATES_SPEC) == ROOT / "templates"


def test_emails_render_from_the_default_templates_and_from_a_plain_folder(tmp_path: Path):
    context = {"lang": "", "title": "T", "link": "http://x", "name": "N"}
    with pytest.raises(TemplateNotFound, match=r"templates/email"):
        render_email({}, "no_such_template", context)
    (tmp_path / "email" / "hello").mkdir(parents=True)
    (tmp_path / "email" / "hello" / "subject.txt").write_text("Hi {{ name }}", "utf-8")
    (tmp_path / "email" / "hello" / "body.txt").write_text("Body", "utf-8")
    # A folder listed first overrides; the package's templates still answer for the rest.
    dirs = f"{tmp_path} {package_files.TEMPLATES_SPEC}"
    assert render_email({"jinja2.directories": dirs}, "hello", context).subject == "Hi N"


def _project_root_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text("utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name | ast.alias)
        and (getattr(node, "id", None) or getattr(node, "name", None)) == "PROJECT_ROOT"
    ]


def test_no_module_reads_shipped_files_through_the_checkout():
    """PROJECT_ROOT is config.py's alone (the checkout's development.ini); a module that
    joins it with templates/ or schemas/ would work in the checkout and fail in a wheel."""
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if path.name != "config.py" and (lines := _project_root_uses(path))
    }
    assert offenders == {}
