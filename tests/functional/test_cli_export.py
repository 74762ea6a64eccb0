"""``fde export doaj`` and ``fde export archive`` on the test database."""

from __future__ import annotations

import zipfile

from lxml import etree

from tests.factories import app_session, make_journal
from tests.functional.test_cli_admin import invoke, test_db  # noqa: F401 (the fixture)
from tests.publishing_factories import publish_article

DOI = "10.5555/fde.2026.0001"


def test_export_doaj_and_archive(test_db, wsgi_app, tmp_path):  # noqa: F811
    ini, _engine = test_db
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        publish_article(db, journal, DOI)
    out = tmp_path / "doaj.xml"
    result = invoke("export", "doaj", "-o", str(out), "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "1 article(s)" in result.output
    root = etree.parse(str(out)).getroot()
    assert root.find("record/doi").text == DOI
    assert root.find("record/fullTextUrl").text == f"http://fde.test/articles/{DOI}"

    package = tmp_path / "a.zip"
    result = invoke("export", "archive", DOI, "-o", str(package), "--config", str(ini))
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(package).namelist()
    assert "fde.2026.0001/fde.2026.0001.xml" in names
    assert "fde.2026.0001/manifest.json" in names
    assert "missing: fig1.png" in result.output  # the fixture's figure is not held

    result = invoke("export", "archive", "10.5555/nope", "-o", str(package), "--config", str(ini))
    assert result.exit_code == 2
    assert "no published article" in result.output
