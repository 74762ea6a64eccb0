"""`fde jats convert` end to end through click's CliRunner: files in, files out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontiers_de.cli import fde
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import validate

DATA = Path(__file__).resolve().parents[1] / "data"
META = DATA / "submission-metadata.json"
MARKDOWN = (
    "# Introduction\n\nAs shown before [1].\n\n"
    "# References\n\n1. Doe J. A study. J Ed. 2020;1:1-2.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def manuscript(tmp_path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return path


@pytest.fixture()
def config(tmp_path) -> Path:
    path = tmp_path / "journal.ini"
    path.write_text(
        "[app:main]\nuse = egg:frontiers_de\nfde.journal.issn_online = 2345-6786\n"
        "fde.journal.title = Test Journal of Education\n",
        encoding="utf-8",
    )
    return path


def test_convert_writes_valid_jats_with_front_matter(runner, manuscript, config, tmp_path):
    out = tmp_path / "out" / "paper.xml"
    result = runner.invoke(
        fde,
        [
            "jats",
            "convert",
            str(manuscript),
            "-o",
            str(out),
            "--meta",
            str(META),
            "--config",
            str(config),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "valid JATS 1.3" in result.output
    tree = parse_xml(out)
    assert validate(tree, "jats-1.3") == []
    root = tree.getroot()
    assert root.findtext(".//journal-title") == "Test Journal of Education"
    assert root.findtext(".//issn") == "2345-6786"
    assert root.findtext(".//article-id[@pub-id-type='doi']") == "10.5555/fde.2026.0012"
    assert root.find(".//ref-list/ref") is not None


def test_json_report(runner, manuscript, tmp_path):
    out = tmp_path / "paper.xml"
    result = runner.invoke(fde, ["jats", "convert", str(manuscript), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["output"] == str(out)
    assert report["counts"]["references"] == 1
    assert any("DOI" in m for m in report["missing"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("paper.docx", b"not a zip", "not a zip archive"),
        ("paper.docx", b"", "empty"),
        ("paper.rtf", b"{\\rtf1}", "unsupported file type"),
        ("broken.xml", b"<article><body>", "malformed XML"),
    ],
)
def test_a_failed_conversion_exits_2_and_keeps_the_previous_output(
    runner, tmp_path, name, content, message
):
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "paper.xml"
    out.write_bytes(b"<previous/>")
    result = runner.invoke(fde, ["jats", "convert", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "conversion failed" in result.output
    assert out.read_bytes() == b"<previous/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "paper.xml"])


def test_bad_metadata_is_explained_and_nothing_is_written(runner, manuscript, tmp_path):
    meta = json.loads(META.read_text(encoding="utf-8"))
    meta["contributors"][0]["orcid"] = "0000-0002-1825-0098"
    del meta["title"]
    bad = tmp_path / "meta.json"
    bad.write_text(json.dumps(meta), encoding="utf-8")
    out = tmp_path / "paper.xml"
    result = runner.invoke(
        fde, ["jats", "convert", str(manuscript), "-o", str(out), "--meta", str(bad)]
    )
    assert result.exit_code == 2
    assert "'title' is a required property" in result.output
    assert "$.contributors[0].orcid" in result.output
    assert "check digit" in result.output
    assert not out.exists()


def test_a_missing_input_exits_2(runner, tmp_path):
    result = runner.invoke(
        fde, ["jats", "convert", str(tmp_path / "absent.docx"), "-o", str(tmp_path / "o.xml")]
    )
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_the_output_option_is_required(runner, manuscript):
    result = runner.invoke(fde, ["jats", "convert", str(manuscript)])
    assert result.exit_code == 2
    assert "-o" in result.output


def test_media_dir_receives_the_figures_and_the_xml_links_to_them(runner, corpus_dir, tmp_path):
    source = corpus_dir / "docx2python__example.docx"
    out = tmp_path / "xml" / "paper.xml"
    media = tmp_path / "figures"
    result = runner.invoke(
        fde, ["jats", "convert", str(source), "-o", str(out), "--media-dir", str(media)]
    )
    assert result.exit_code == 0, result.output
    saved = sorted(p.name for p in media.iterdir())
    assert saved == ["image1.png", "image2.jpg"]
    root = parse_xml(out).getroot()
    hrefs = {
        g.get("{http://www.w3.org/1999/xlink}href") for g in root.iter("graphic", "inline-graphic")
    }
    assert hrefs == {"../figures/image1.png", "../figures/image2.jpg"}
    assert all((out.parent / h).resolve().is_file() for h in hrefs)


def test_without_the_official_schemas_the_output_is_written_and_says_so(
    runner, manuscript, tmp_path, monkeypatch
):
    monkeypatch.setenv("FDE_SCHEMA_DIR", str(tmp_path / "no-schemas-here"))
    out = tmp_path / "paper.xml"
    result = runner.invoke(fde, ["jats", "convert", str(manuscript), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "official validation skipped" in result.output
    assert "not validated" in result.output
    assert parse_xml(out).getroot().get("dtd-version") == "1.3"


@pytest.fixture()
def invalid_config(tmp_path) -> Path:
    """A journal language that is not a language tag makes every article's xml:lang invalid."""
    path = tmp_path / "broken.ini"
    path.write_text(
        "[app:main]\nuse = egg:frontiers_de\nfde.journal.language = not a language\n",
        encoding="utf-8",
    )
    return path


def test_an_invalid_result_exits_1_and_is_not_written(runner, manuscript, invalid_config, tmp_path):
    out = tmp_path / "paper.xml"
    out.write_bytes(b"<previous/>")
    result = runner.invoke(
        fde, ["jats", "convert", str(manuscript), "-o", str(out), "--config", str(invalid_config)]
    )
    assert result.exit_code == 1, result.output
    assert "schema: line 3:" in result.output and "lang" in result.output
    assert "was not written" in result.output
    assert out.read_bytes() == b"<previous/>"


def test_keep_invalid_writes_the_result_for_editing_but_still_exits_1(
    runner, manuscript, invalid_config, tmp_path
):
    out = tmp_path / "paper.xml"
    result = runner.invoke(
        fde,
        ["jats", "convert", str(manuscript), "-o", str(out), "--config", str(invalid_config),
         "--keep-invalid"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "with schema errors" in result.output
    assert parse_xml(out).getroot().get("dtd-version") == "1.3"
