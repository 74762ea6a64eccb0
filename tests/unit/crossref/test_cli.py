"""`fde crossref xml|check|deposit` on files, and deposit against the stand-in."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontiers_de.cli import fde

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_xml_then_check(runner, tmp_path, crossref_schema) -> None:
    out = tmp_path / "deposit.xml"
    result = runner.invoke(fde, ["crossref", "xml", str(DATA / "article.xml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "10.5555/fde.2025.0007" in result.output
    check = runner.invoke(fde, ["crossref", "check", str(out)])
    assert check.exit_code == 0, check.output
    assert "valid (Crossref 5.4.0)" in check.output


def test_xml_from_several_articles(runner, tmp_path, article) -> None:
    second = copy.deepcopy(article)
    second.getroot().find("front/article-meta/article-id").text = "10.5555/fde.2025.0008"
    second_path = tmp_path / "second.xml"
    second.write(str(second_path))
    out = tmp_path / "deposit.xml"
    args = ["crossref", "xml", str(DATA / "article.xml"), str(second_path), "-o", str(out)]
    result = runner.invoke(fde, args)
    assert result.exit_code == 0, result.output
    assert "2 DOI(s)" in result.output


def test_check_lists_errors_with_lines(runner, tmp_path, crossref_schema) -> None:
    out = tmp_path / "deposit.xml"
    runner.invoke(fde, ["crossref", "xml", str(DATA / "article.xml"), "-o", str(out)])
    text = out.read_text(encoding="utf-8").replace("<registrant>", "<registrar>", 1)
    out.write_text(text.replace("</registrant>", "</registrar>", 1), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "<registrar>" in t)
    result = runner.invoke(fde, ["crossref", "check", str(out)])
    assert result.exit_code == 1
    assert f"{out}:{line}: " in result.output
    assert "registrar" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<doi_batch><unclosed></doi_batch>", "malformed XML"), (b"", "empty")],
)
def test_check_unusable_input(runner, tmp_path, content, message) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    result = runner.invoke(fde, ["crossref", "check", str(bad)])
    assert result.exit_code == 2
    assert message in result.output


def test_check_missing_file(runner, tmp_path) -> None:
    result = runner.invoke(fde, ["crossref", "check", str(tmp_path / "nope.xml")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_xml_refuses_article_without_doi(runner, tmp_path, article) -> None:
    meta = article.getroot().find("front/article-meta")
    meta.remove(meta.find("article-id"))
    path = tmp_path / "nodoi.xml"
    article.write(str(path))
    result = runner.invoke(fde, ["crossref", "xml", str(path), "-o", str(tmp_path / "d.xml")])
    assert result.exit_code == 2
    assert "DOI is empty" in result.output
    assert not (tmp_path / "d.xml").exists()


def test_deposit_against_the_standin(runner, tmp_path, standin, monkeypatch) -> None:
    out = tmp_path / "deposit.xml"
    runner.invoke(fde, ["crossref", "xml", str(DATA / "article.xml"), "-o", str(out)])
    standin.record_rules["10.5555/fde.2025.0007"] = ("Warning", "Added with conflict")
    monkeypatch.setenv("CROSSREF_DEPOSIT_URL", standin.deposit_url)
    monkeypatch.setenv("CROSSREF_USERNAME", standin.username)
    monkeypatch.setenv("CROSSREF_PASSWORD", standin.password)
    result = runner.invoke(fde, ["crossref", "deposit", str(out), "--poll-interval", "0"])
    assert result.exit_code == 0, result.output
    assert "10.5555/fde.2025.0007\tregistered_with_warnings\tAdded with conflict" in result.output
    assert standin.password not in result.output


def test_deposit_with_wrong_password(runner, tmp_path, standin, monkeypatch) -> None:
    out = tmp_path / "deposit.xml"
    runner.invoke(fde, ["crossref", "xml", str(DATA / "article.xml"), "-o", str(out)])
    monkeypatch.setenv("CROSSREF_DEPOSIT_URL", standin.deposit_url)
    monkeypatch.setenv("CROSSREF_USERNAME", standin.username)
    monkeypatch.setenv("CROSSREF_PASSWORD", "Wrong-Secret-123")
    result = runner.invoke(fde, ["crossref", "deposit", str(out)])
    assert result.exit_code == 2
    assert "refused the credentials" in result.output
    assert "Wrong-Secret-123" not in result.output


def test_deposit_without_credentials(runner, tmp_path, monkeypatch) -> None:
    out = tmp_path / "deposit.xml"
    runner.invoke(fde, ["crossref", "xml", str(DATA / "article.xml"), "-o", str(out)])
    monkeypatch.delenv("CROSSREF_USERNAME", raising=False)
    monkeypatch.delenv("CROSSREF_PASSWORD", raising=False)
    result = runner.invoke(fde, ["crossref", "deposit", str(out)])
    assert result.exit_code == 2
    assert "CROSSREF_USERNAME" in result.output
