"""Real open-access articles from other publishers through everything production does with a
JATS file, as a production editor would run it.

The articles are in tests/fixtures/jats/real, byte for byte as their source repositories store
them; SOURCES.tsv names each one's publisher, repository, path, commit, licence and DOI. Each
article goes through five stages, each on what the stage before made:

- convert: `fde jats convert` gives valid JATS 1.3 with every figure, table, formula,
  reference and footnote of the original kept;
- check: `fde jats check` on the result runs the official validation and the house rules,
  finds no schema error, and says every finding in words (never "internal error");
- html: `fde jats html` shows every section, figure, table, reference, footnote and paragraph,
  the title and every author, with working internal links;
- typeset: the PDF holds the title, the authors, the DOI, the first and last reference and
  every figure and table label, on a plausible number of pages;
- deposit: the article as published here (dated by the publish step's own
  `stamp_publication_date`) gives, through `fde crossref xml`, a deposit that
  `fde crossref check` finds valid against the Crossref 5.4.0 XSD, carrying the article's DOI,
  title, authors and references.

The per-file report, one column per stage, is written to tests/corpus/report/real.tsv
(git-ignored); the deposit straight from the publisher's own file is reported beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.articles.placement import stamp_publication_date
from frontiers_de.cli import fde
from frontiers_de.crossref.deposit import CR
from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.production.jats.normalise import count_content
from frontiers_de.xml.safe import parse_xml
from tests.corpus import REAL_ARTICLES_DIR, real_articles
from tests.corpus.test_corpus_html import (
    COUNTED,
    FOOTNOTE_PLACES,
    INSERTS,
    paragraph_shown,
    squeeze,
)
from tests.corpus.test_corpus_typeset import problems_of, typeset_one

REAL_DIR = REAL_ARTICLES_DIR
SOURCES = REAL_DIR / "SOURCES.tsv"
REPORT = Path(__file__).resolve().parent / "report" / "real.tsv"
FILES = real_articles()
STAGES = ("convert", "check", "html", "typeset", "deposit")
# Kept exactly by the conversion (sections may be added, never removed).
KEPT = ("fig", "table-wrap", "table", "disp-formula", "inline-formula", "ref", "math", "fn")
PUBLISHED = dt.date(2026, 12, 3)
NS = {"c": CR}
# Licences that let these files be redistributed here, with attribution (SOURCES.tsv).
OPEN_LICENCE = re.compile(r"creativecommons\.org/(licenses/by/|publicdomain/zero/)")


def sources() -> dict[str, dict[str, str]]:
    with SOURCES.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def run(*args: str) -> Any:
    return CliRunner().invoke(fde, list(args))


def said(result: Any) -> str:
    """What a command printed, on one line, for the report."""
    return " ".join((result.output or "").split())[:300]


def authors_of(meta: Any) -> list[Any]:
    """The named authors: what the page, the PDF and the deposit list."""
    return [
        c
        for c in meta.contributors
        if c.contrib_type in ("", "author") and (c.surname or c.given_names or c.collab)
    ]


def counts(tree: etree._ElementTree) -> dict[str, int]:
    found = count_content(tree)
    found["fn"] = sum(1 for _ in tree.getroot().iter("fn"))
    return found


def convert_stage(path: Path, out: Path, row: dict[str, Any]) -> Iterator[str]:
    result = run("jats", "convert", str(path), "-o", str(out))
    if result.exit_code != 0 or not out.exists():
        yield f"exit {result.exit_code}: {said(result)}"
        return
    if "valid JATS 1.3" not in result.output:
        yield f"not reported valid: {said(result)}"
    before, after = counts(parse_xml(path)), counts(parse_xml(out))
    row["content"] = " ".join(f"{k}={after[k]}" for k in KEPT if after[k])
    for name in KEPT:
        if after[name] != before[name]:
            yield f"{name}: {before[name]} in the original, {after[name]} after conversion"
    if after["sec"] < before["sec"]:
        yield f"sections: {before['sec']} in the original, {after['sec']} after conversion"


def check_stage(out: Path, row: dict[str, Any]) -> Iterator[str]:
    result = run("jats", "check", "--json", str(out))
    if result.exit_code not in (0, 1):
        yield f"exit {result.exit_code}: {said(result)}"
        return
    report = json.loads(result.stdout)
    findings = report["findings"]
    row["findings"] = f"{report['errors']} error(s), {report['warnings']} warning(s)"
    row["rules"] = " ".join(sorted({f["rule_id"] for f in findings}))
    if not report["usable"] or report["official_validation"] != "done":
        yield "the check did not run the official validation"
    for finding in findings:
        message = finding["message"]
        if finding["rule_id"] == "XSD":
            yield f"schema error after conversion, line {finding['line']}: {message[:120]}"
        elif not message.strip() or "internal error" in message.lower():
            yield f"{finding['rule_id']} says no sentence: {message!r}"


def html_stage(out: Path, page_path: Path) -> Iterator[str]:
    result = run("jats", "html", str(out), "-o", str(page_path))
    if result.exit_code != 0:
        yield f"exit {result.exit_code}: {said(result)}"
        return
    source = parse_xml(out).getroot()
    meta = read_article_meta(etree.ElementTree(source))
    page = lxml_html.parse(str(page_path)).getroot()
    text = squeeze(page.text_content())
    article_text = squeeze(page.xpath("//article")[0].text_content())
    if squeeze(meta.title) not in text:
        yield "the title is not on the page"
    for contributor in authors_of(meta):
        name = contributor.surname or contributor.collab
        if name and squeeze(name) not in text:
            yield f"author {name!r} is not on the page"
    for name, (element, xpath) in COUNTED.items():
        expected = len(source.xpath(FOOTNOTE_PLACES if element == "fn" else f"//{element}"))
        shown = len(page.xpath(xpath))
        if expected != shown:
            yield f"{name}: {expected} in the JATS, {shown} on the page"
    paragraphs = [
        p for p in source.iter("p") if not p.xpath(INSERTS) and not p.xpath("ancestor::fn")
    ]
    missing = [p for p in paragraphs if not paragraph_shown(p, article_text)]
    if missing:
        yield f"{len(missing)} of {len(paragraphs)} paragraphs not on the page"
    ids = set(page.xpath("//@id"))
    broken = [h for h in page.xpath("//a/@href[starts-with(., '#')]") if h[1:] not in ids]
    if broken:
        yield f"links to nowhere: {broken[:5]}"
    if page.xpath("//img[not(normalize-space(@alt))]"):
        yield "an image has no alt text"


def deposit_stage(path: Path, out: Path, work: Path, row: dict[str, Any]) -> Iterator[str]:
    # Straight from the publisher's file: reported, and it must speak in sentences.
    direct = run("crossref", "xml", str(path), "-o", str(work / "direct.xml"))
    row["deposit_of_original"] = "ok" if direct.exit_code == 0 else said(direct)
    if direct.exit_code not in (0, 2) or "internal error" in direct.output.lower():
        yield f"the original's deposit failed without a reason: {said(direct)}"
    # As published here: the publish step dates the JATS before the deposit reads it.
    tree = parse_xml(out)
    stamp_publication_date(tree, PUBLISHED)
    published = work / "published.xml"
    tree.write(str(published), encoding="utf-8", xml_declaration=True)
    deposit = work / "deposit.xml"
    built = run("crossref", "xml", str(published), "-o", str(deposit))
    if built.exit_code != 0:
        yield f"no deposit: {said(built)}"
        return
    checked = run("crossref", "check", str(deposit))
    if checked.exit_code != 0:
        yield f"the Crossref XSD refuses it: {said(checked)}"
        return
    meta = read_article_meta(tree)
    article = etree.parse(str(deposit)).getroot().find(".//c:journal_article", NS)
    if article.findtext("c:doi_data/c:doi", namespaces=NS) != meta.doi:
        yield f"DOI {meta.doi} is not the deposited one"
    if "".join(article.find("c:titles/c:title", NS).itertext()) != meta.title:
        yield "the deposited title differs from the article's"
    authors = authors_of(meta)
    deposited = article.findall("c:contributors/*[@contributor_role='author']", NS)
    if len(deposited) != len(authors):
        yield f"{len(authors)} author(s), {len(deposited)} deposited"
    references = [r for r in meta.references if r.text or r.doi]
    citations = article.findall("c:citation_list/c:citation", NS)
    if len(citations) != len(references):
        yield f"{len(references)} reference(s), {len(citations)} deposited"
    row["deposit"] = f"{len(deposited)} author(s), {len(citations)} citation(s)"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every stage of every file, run once; the report is written before any test asserts."""
    listed = sources()
    rows: dict[str, dict[str, Any]] = {}
    converted: dict[str, Path] = {}
    for path in FILES:
        work = tmp_path_factory.mktemp(path.stem)
        out = work / "converted.xml"
        row: dict[str, Any] = {"file": path.name, "publisher": listed.get(path.name, {})}
        row["problems"] = problems = {stage: [] for stage in STAGES}
        problems["convert"] = list(convert_stage(path, out, row))
        if problems["convert"] and not out.exists():
            for stage in STAGES[1:]:
                problems[stage] = ["not converted"]
            rows[path.name] = row
            continue
        converted[path.name] = out
        problems["check"] = list(check_stage(out, row))
        problems["html"] = list(html_stage(out, work / "article.html"))
        problems["deposit"] = list(deposit_stage(path, out, work, row))
        rows[path.name] = row
    # WeasyPrint takes seconds an article: two worker processes, largest first.
    ordered = sorted(converted.values(), key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        typeset = list(pool.map(typeset_one, [str(p) for p in ordered]))
    by_path = {str(p): outcome for p, outcome in zip(ordered, typeset, strict=True)}
    for name, out in converted.items():
        outcome = by_path[str(out)]
        rows[name]["problems"]["typeset"] = problems_of(outcome)
        if not outcome["error"]:
            rows[name]["pages"] = outcome["pages"]
            if outcome["formula_failures"]:
                rows[name]["problems"]["typeset"].append(
                    f"{outcome['formula_failures']} formula(s) not typeset"
                )
    write_report(rows)
    return rows


def write_report(rows: dict[str, dict[str, Any]]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    fields = ["file", "publisher", "licence", *STAGES, "content", "findings", "rules"]
    fields += ["pages", "deposit_of_original", "problems"]
    with REPORT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(fields)
        for name in sorted(rows):
            row = rows[name]
            problems = row["problems"]
            writer.writerow(
                [
                    name,
                    row["publisher"].get("publisher", ""),
                    row["publisher"].get("licence", ""),
                    *("ok" if not problems[stage] else "FAIL" for stage in STAGES),
                    row.get("content", ""),
                    row.get("findings", ""),
                    row.get("rules", ""),
                    row.get("pages", ""),
                    row.get("deposit_of_original", ""),
                    "; ".join(f"{s}: {p}" for s in STAGES for p in problems[s]),
                ]
            )


def test_every_article_is_listed_with_an_open_licence() -> None:
    listed = sources()
    assert sorted(listed) == [p.name for p in FILES]
    for path in FILES:
        row = listed[path.name]
        assert row["licence"].startswith(("CC BY", "CC0")), path.name
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), path.name
        licences = [
            el.get("{http://www.w3.org/1999/xlink}href", "")
            for el in parse_xml(path).iter("license")
        ]
        assert any(OPEN_LICENCE.search(href) for href in licences), path.name
        assert read_article_meta(parse_xml(path)).doi == row["doi"]
    publishers = {name.split("__")[0] for name in listed}
    assert len(publishers) >= 5, publishers


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_article_passes_every_stage(
    outcomes: dict[str, dict[str, Any]], path: Path, stage: str
) -> None:
    problems = outcomes[path.name]["problems"][stage]
    assert not problems, "\n".join(problems)
