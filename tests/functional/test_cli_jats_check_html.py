"""`fde jats check` and `fde jats html` as users run them: files in, report/page out, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.cli import fde

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jats"
VALID = FIXTURES / "article-valid.xml"
HOSTILE = FIXTURES / "article-hostile.xml"
FINDING_LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+): (?P<severity>error|warning) (?P<rule>\S+) (?P<message>.+)$"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE article [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<article><front><article-meta><title-group><article-title>&lol3;</article-title></title-group></article-meta></front></article>
"""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(fde, list(args), env=env, catch_exceptions=False)


def variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the valid article with one change."""
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def compiled_schema(schema_dir: Path) -> None:
    """Compile the JATS XSD once for the module, through the command itself."""
    assert run("jats", "check", str(VALID)).exit_code == 0


# --- fde jats check


def test_valid_article_exits_0_with_nothing_to_say() -> None:
    result = run("jats", "check", str(VALID))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_house_rule_errors_are_listed_and_exit_1(tmp_path: Path) -> None:
    path = variant(tmp_path, "a.xml", "<label>Figure 1</label>", "")
    result = run("jats", "check", str(path))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    match = FINDING_LINE.match(line)
    assert match is not None, line
    assert match["file"] == str(path)
    assert match["severity"] == "error" and match["rule"] == "FDE-FIG-001"
    assert match["message"] == "figure has no label: id f1"
    figure_line = etree.parse(str(path)).find(".//fig").sourceline
    assert int(match["line"]) == figure_line


def test_schema_errors_have_rule_id_xsd(tmp_path: Path) -> None:
    path = variant(tmp_path, "x.xml", "<ack>", "<ack><not-jats/>")
    result = run("jats", "check", str(path))
    assert result.exit_code == 1
    matches = [FINDING_LINE.match(line) for line in result.stdout.splitlines()]
    assert [(m["severity"], m["rule"]) for m in matches if m] == [("error", "XSD")]
    assert "not-jats" in result.stdout


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    path = variant(tmp_path, "w.xml", '<xref ref-type="bibr" rid="r2">', '<xref ref-type="bibr">')
    result = run("jats", "check", str(path))
    assert result.exit_code == 0
    assert " warning FDE-XREF-002 xref has no rid" in result.stdout


def test_json_output_has_the_same_findings(tmp_path: Path) -> None:
    path = variant(tmp_path, "j.xml", 'corresp="yes"', "")
    # without its e-mail too, else the one author who gives one is the corresponding author
    path.write_text(
        path.read_text(encoding="utf-8").replace("<email>li.wang@example.edu</email>", ""),
        encoding="utf-8",
    )
    text_result = run("jats", "check", str(path))
    json_result = run("jats", "check", "--json", str(path))
    assert json_result.exit_code == text_result.exit_code == 1
    report = json.loads(json_result.stdout)
    assert report["valid"] is False and report["usable"] is True
    assert report["official_validation"] == "done"
    assert report["errors"] == 1 and report["warnings"] == 0
    (finding,) = report["findings"]
    assert finding["rule_id"] == "FDE-CORR-001" and finding["severity"] == "error"
    assert f"{finding['file']}:{finding['line']}: error FDE-CORR-001 {finding['message']}" == (
        text_result.stdout.strip()
    )


def test_missing_schema_directory_skips_official_validation_clearly(tmp_path: Path) -> None:
    path = variant(tmp_path, "s.xml", "<label>Table 1</label>", "")
    result = run("jats", "check", str(path), env={"FDE_SCHEMA_DIR": str(tmp_path / "none")})
    assert result.exit_code == 1
    assert "FDE-TAB-001" in result.stdout
    assert "official JATS 1.3 validation skipped" in result.stderr
    result = run(
        "jats", "check", "--json", str(VALID), env={"FDE_SCHEMA_DIR": str(tmp_path / "none")}
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["official_validation"] == "skipped"


def test_word_limit_comes_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "journal.ini"
    config.write_text("[app:main]\nuse = egg:frontiers_de\nfde.jats.abstract_word_limit = 12\n")
    result = run("jats", "check", "--config", str(config), str(VALID))
    assert result.exit_code == 1
    assert "FDE-ABS-002 abstract is longer than the word limit" in result.stdout
    assert "the limit is 12" in result.stdout


def test_bad_word_limit_in_config_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "journal.ini"
    config.write_text("[app:main]\nuse = egg:frontiers_de\nfde.jats.abstract_word_limit = many\n")
    result = run("jats", "check", "--config", str(config), str(VALID))
    assert result.exit_code == 2
    assert "abstract_word_limit must be a positive whole number" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read"),
        (b"", "empty"),
        (b"<article><front></article>", "malformed XML"),
        (b"this is not XML", "malformed XML"),
        (BILLION_LAUGHS, "entities"),
    ],
    ids=["missing", "empty", "malformed", "not-xml", "billion-laughs"],
)
def test_unusable_input_exits_2(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "in.xml"
    if content is not None:
        path.write_bytes(content)
    for command in ("check", "html"):
        args = ["jats", command, str(path)]
        if command == "html":
            args += ["-o", str(tmp_path / "out.html")]
        result = run(*args)
        assert result.exit_code == 2, (command, result.output)
        assert expected in result.stderr
        assert "unusable input" in result.stderr
    assert not (tmp_path / "out.html").exists()


def test_other_xml_is_not_an_article_to_check() -> None:
    deposit = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "not-an-article.xml"
    result = run("jats", "check", str(deposit))
    assert result.exit_code == 2
    assert "the root element is <{http://www.crossref.org/schema/5.4.0}doi_batch>" in (
        result.stderr
    )


def test_unusable_input_in_json_mode_is_reported_as_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<article>")
    result = run("jats", "check", "--json", str(path))
    assert result.exit_code == 2
    assert json.loads(result.stdout)["usable"] is False


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(b"<article>" + b"<p>" * 300 + b"</p>" * 300 + b"</article>")
    result = run("jats", "check", str(path))
    assert result.exit_code == 2
    assert re.search("depth|nested deeper", result.stderr)


# --- fde jats html


def test_html_writes_a_complete_page(tmp_path: Path) -> None:
    out = tmp_path / "article.html"
    result = run("jats", "html", str(VALID), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    root = lxml_html.document_fromstring(page)
    assert root.xpath("count(//section[@class='sec'])") == 3
    assert root.xpath("count(//figure[@class='fig'])") == 1
    assert root.xpath("count(//li[@class='ref'])") == 2
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_html_to_standard_output() -> None:
    result = run("jats", "html", str(VALID), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_html_asset_base_option(tmp_path: Path) -> None:
    out = tmp_path / "a.html"
    run("jats", "html", str(VALID), "-o", str(out), "--asset-base", "/files/7/")
    assert lxml_html.parse(str(out)).xpath("//img/@src") == ["/files/7/fig1.png"]


def test_html_of_hostile_input_has_no_script(tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    assert run("jats", "html", str(HOSTILE), "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8").lower()
    assert "<script" not in page
    assert 'href="javascript' not in page and 'src="javascript' not in page
    # attribute values may contain such text (escaped); no element may carry a handler
    root = lxml_html.document_fromstring(page)
    handlers = [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert handlers == []


def test_html_refuses_a_non_article_and_keeps_the_old_output(tmp_path: Path) -> None:
    source = tmp_path / "book.xml"
    source.write_bytes(b"<book/>")
    out = tmp_path / "out.html"
    out.write_text("previous page")
    result = run("jats", "html", str(source), "-o", str(out))
    assert result.exit_code == 2
    assert "not a JATS <article>" in result.stderr
    assert out.read_text() == "previous page"


def test_html_needs_an_output_path() -> None:
    result = run("jats", "html", str(VALID))
    assert result.exit_code == 2
    assert "-o" in result.stderr


def test_html_reports_an_unwritable_output(tmp_path: Path) -> None:
    result = run("jats", "html", str(VALID), "-o", str(tmp_path / "no" / "such" / "dir.html"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


# --- the installed command, as a separate process


def test_installed_fde_command_exit_codes(tmp_path: Path) -> None:
    fde_command = Path(sys.executable).with_name("fde")
    env = {**os.environ, "FDE_SCHEMA_DIR": str(tmp_path / "no-schemas")}
    valid = subprocess.run(
        [str(fde_command), "jats", "check", str(VALID)], capture_output=True, text=True, env=env
    )
    assert valid.returncode == 0, valid.stderr
    assert "official JATS 1.3 validation skipped" in valid.stderr
    missing = subprocess.run(
        [str(fde_command), "jats", "check", str(tmp_path / "nope.xml")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode == 2
    out = tmp_path / "page.html"
    page = subprocess.run(
        [str(fde_command), "jats", "html", str(VALID), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert page.returncode == 0, page.stderr
    assert "<article" in out.read_text(encoding="utf-8")
