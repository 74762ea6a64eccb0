"""Articles from other publishers through the command line as a production editor runs it:
`fde jats convert`, `fde jats check`, `fde crossref xml` and `fde typeset` each work on
articles with comments and processing instructions, nested assessment notes, and JATS 1.1
with HTML entities whose DTD is not there, and an unusable one gets a sentence, never an
"internal error"."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from frontiers_de.cli import fde
from tests.corpus import PUBLISHER_FIXTURES_DIR

COMMENTS = PUBLISHER_FIXTURES_DIR / "comments-and-pis.xml"
NOTES = PUBLISHER_FIXTURES_DIR / "reviewed-preprint-notes.xml"
ENTITIES = PUBLISHER_FIXTURES_DIR / "jats-1.1-html-entities.xml"
CR = {"c": "http://www.crossref.org/schema/5.4.0"}


def run(*args: str) -> Result:
    return CliRunner().invoke(fde, list(args), catch_exceptions=False)


@pytest.mark.parametrize("path", [COMMENTS, NOTES, ENTITIES], ids=lambda p: p.stem)
def test_convert_gives_valid_jats(path: Path, tmp_path: Path, schema_dir: Path) -> None:
    out = tmp_path / "out.xml"
    result = run("jats", "convert", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "valid JATS 1.3" in result.output
    assert run("jats", "check", str(out)).exit_code in (0, 1)  # house-rule findings only
    assert "XSD" not in run("jats", "check", str(out)).output


@pytest.mark.parametrize("path", [COMMENTS, NOTES, ENTITIES], ids=lambda p: p.stem)
def test_crossref_xml_gives_a_valid_deposit(path: Path, tmp_path: Path, schema_dir: Path) -> None:
    out = tmp_path / "deposit.xml"
    result = run("crossref", "xml", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    check = run("crossref", "check", str(out))
    assert check.exit_code == 0, check.output


def test_entities_reach_the_deposit_as_characters(tmp_path: Path) -> None:
    out = tmp_path / "deposit.xml"
    assert run("crossref", "xml", str(ENTITIES), "-o", str(out)).exit_code == 0
    deposit = etree.parse(str(out))
    title = "".join(deposit.find(".//c:journal_article/c:titles/c:title", CR).itertext())
    assert title == "¿Quién enseña a leer? Prácticas docentes en escuelas rurales"
    surnames = [s.text for s in deposit.iterfind(".//c:person_name/c:surname", CR)]
    assert surnames == ["García López", "Nuñez"]  # white space folded, as for any name


def test_comments_reach_neither_deposit_nor_title(tmp_path: Path) -> None:
    out = tmp_path / "deposit.xml"
    assert run("crossref", "xml", str(COMMENTS), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<!--" not in text and "<?page-break" not in text
    title = "".join(
        etree.parse(str(out)).find(".//c:journal_article/c:titles/c:title", CR).itertext()
    )
    assert title == "Peer tutoring in lower-secondary mathematics: a cluster-randomised trial"


@pytest.mark.parametrize("path", [COMMENTS, ENTITIES], ids=lambda p: p.stem)
def test_typeset_prints_the_article(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    result = run("typeset", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True
    ).stdout.decode()
    if path is ENTITIES:
        assert "¿Quién enseña a leer?" in text
    else:
        assert "Flow of schools through the trial" in text
        assert "checked against Crossref" not in text  # a comment is not printed


def test_unknown_entities_get_a_sentence_not_an_internal_error(tmp_path: Path) -> None:
    path = tmp_path / "house.xml"
    path.write_text(
        ENTITIES.read_text(encoding="utf-8").replace("&iquest;Qui", "&houselogo;Qui"),
        encoding="utf-8",
    )
    for args in (
        ["jats", "convert", str(path), "-o", str(tmp_path / "o.xml")],
        ["crossref", "xml", str(path), "-o", str(tmp_path / "d.xml")],
        ["typeset", str(path), "-o", str(tmp_path / "o.pdf")],
    ):
        result = run(*args)
        assert result.exit_code != 0
        assert "&houselogo;" in result.output, result.output
        assert "internal error" not in result.output.lower()
