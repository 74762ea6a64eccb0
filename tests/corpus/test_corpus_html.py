"""Every JATS article of the corpus through `fde jats html` and `fde jats check`.

HTML: all sections, figures, tables, display and inline formulas (with their MathML),
references and footnotes are counted in the JATS and in the page and must match; every
paragraph's text and every reference's characters must be on the page; internal links must
resolve and every image must have alt text (or, without any, a caption beside it). Check:
every file is usable (exit 0 or 1) and its findings are reported; the raw corpus files are
not required to pass the house rules.

Per-file reports: tests/corpus/report/html.tsv and tests/corpus/report/check.tsv (git-ignored).
"""

from __future__ import annotations

import copy
import csv
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.cli import fde
from frontiers_de.production.jats.meta import citations_of
from frontiers_de.production.jats.reference_style import (
    MAX_NAMES,
    STRUCTURED,
    carries_own_wording,
    initials,
    styled_citation,
)
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import load_schema
from tests.conftest import corpus_files
from tests.corpus import publisher_fixtures, real_articles

REPORT_DIR = Path(__file__).resolve().parent / "report"
FILES = corpus_files("jats") + publisher_fixtures() + real_articles()
MATHML = "http://www.w3.org/1998/Math/MathML"

# JATS element -> XPath counting what the page shows for it
COUNTED: dict[str, tuple[str, str]] = {
    "sections": ("sec", "//section[@class='sec']"),
    "figures": ("fig", "//figure[@class='fig']"),
    "tables": ("table-wrap", "//*[@class='table-wrap']"),
    "display_formulas": ("disp-formula", "//div[@class='disp-formula']"),
    "inline_formulas": ("inline-formula", "//span[@class='inline-formula']"),
    "references": ("ref", "//li[@class='ref']"),
    "footnotes": (
        "fn",
        "//*[contains(concat(' ', @class, ' '), ' fn ')]"
        "[not(ancestor::div[@class='author-notes'])]",
    ),
}
# Footnotes in author notes are shown as paragraphs of the header, not as numbered notes.
FOOTNOTE_PLACES = "//fn[not(ancestor::author-notes)]"
# Text the page does not show on purpose: TeX when MathML is shown, ids, machine metadata.
NOT_SHOWN = {"tex-math", "alt-text", "object-id", "custom-meta-group", "processing-meta"}
# Paragraphs whose page text legitimately differs: they hold figures or files, whose page
# form adds alt text placeholders and download links.
INSERTS = (
    ".//fig | .//fig-group | .//table-wrap | .//supplementary-material | .//media | .//graphic"
    " | .//inline-graphic | .//inline-supplementary-material"
)
# Article ids that must survive (the targets of links into the article).
KEPT_IDS = ("sec", "fig", "table-wrap", "ref", "disp-formula", "fn", "app", "boxed-text")


def shown_text(element: etree._Element) -> str:
    """The element's text without the parts the page deliberately leaves out, spaces removed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in NOT_SHOWN:
            return
        if etree.QName(node).localname in {"annotation", "annotation-xml"}:
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join("".join(parts).split())


def paragraph_shown(paragraph: etree._Element, article_text: str) -> bool:
    """The paragraph's text is on the page (as one run; piece by piece if it cites a work)."""
    if paragraph.find(".//element-citation") is None:
        return shown_text(paragraph) in article_text
    # a structured citation inside a paragraph is laid out in the house style, so each of
    # its parts (names, title, source, year ...) must be on the page, not the run as a whole
    pieces = [squeeze(t) for t in paragraph.xpath(".//text()[not(ancestor::tex-math)]")]
    return all(piece in article_text for piece in pieces if piece)


def expected_reference_text(ref: etree._Element) -> str:
    """What the page must show of a reference: every tagged field when it is printed in the
    journal's style (given names as the initials that style prints), the author's or
    publisher's own wording otherwise."""
    citations = citations_of(ref)
    if styled_citation(ref) is not None:
        tagged = next((c for c in citations if etree.QName(c).localname in STRUCTURED), None)
        shown = copy.deepcopy(tagged if tagged is not None else citations[0])
        for given in shown.iter("given-names"):
            given.text, given[:] = initials("".join(given.itertext())), []
        for group in shown.iter("person-group"):  # the first MAX_NAMES, then "et al."
            for name in group.findall("name")[MAX_NAMES:]:
                group.remove(name)
        return shown_text(shown)
    written = [c for c in citations if carries_own_wording(c)]
    return "".join(shown_text(c) for c in written) if written else shown_text(ref)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def html_rows():
    rows: list[dict[str, object]] = []
    yield rows
    write_report("html.tsv", rows)


@pytest.fixture(scope="module")
def check_rows():
    rows: list[dict[str, object]] = []
    yield rows
    write_report("check.tsv", rows)


def write_report(name: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    with (REPORT_DIR / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: str(r["file"])))


def test_corpus_has_jats_files(corpus_dir: Path) -> None:
    assert len(FILES) >= 17


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_html_keeps_everything(path: Path, tmp_path: Path, html_rows: list) -> None:
    out = tmp_path / "article.html"
    start = time.perf_counter()
    result = CliRunner().invoke(fde, ["jats", "html", str(path), "-o", str(out)])
    elapsed_ms = (time.perf_counter() - start) * 1000
    assert result.exit_code == 0, result.output

    source = parse_xml(path).getroot()
    page = lxml_html.parse(str(out)).getroot()
    article_text = squeeze(page.xpath("//article")[0].text_content())
    row: dict[str, object] = {"file": path.name, "ms": round(elapsed_ms, 1)}
    problems: list[str] = []

    for name, (element, xpath) in COUNTED.items():
        expected = len(source.xpath(FOOTNOTE_PLACES if element == "fn" else f"//{element}"))
        shown = len(page.xpath(xpath))
        row[name] = f"{expected}/{shown}"
        if expected != shown:
            problems.append(f"{name}: {expected} in the JATS, {shown} on the page")

    maths = len(source.xpath("//mml:math", namespaces={"mml": MATHML}))
    shown_maths = len(page.xpath("//math"))
    row["mathml"] = f"{maths}/{shown_maths}"
    if maths != shown_maths:
        problems.append(f"MathML: {maths} in the JATS, {shown_maths} on the page")

    page_ids = set(page.xpath("//@id"))
    lost_ids = {el.get("id") for el in source.iter(*KEPT_IDS) if el.get("id")} - page_ids
    if lost_ids:
        problems.append(f"ids lost: {sorted(lost_ids)[:5]}")
    broken = [h for h in page.xpath("//a/@href[starts-with(., '#')]") if h[1:] not in page_ids]
    if broken:
        problems.append(f"links to nowhere: {broken[:5]}")
    # An image without alt text of its own has alt="" only beside the caption or label
    # that names it (its figure's figcaption, its table's or box's caption): never silent.
    if page.xpath(
        "//img[not(@alt) or (not(normalize-space(@alt)) and not(ancestor::*[self::figure or "
        "self::aside or self::div][.//figcaption[normalize-space()] or .//caption"
        "[normalize-space()] or .//*[@class='label' or @class='caption-title']"
        "[normalize-space()]]))]"
    ):
        problems.append("an image has no alt text and no caption that names it")

    paragraphs = [
        p for p in source.iter("p") if not p.xpath(INSERTS) and not p.xpath("ancestor::fn")
    ]
    missing_paragraphs = [p for p in paragraphs if not paragraph_shown(p, article_text)]
    row["paragraphs_missing"] = f"{len(missing_paragraphs)}/{len(paragraphs)}"
    if missing_paragraphs:
        first = missing_paragraphs[0]
        problems.append(f"paragraph text missing, first on line {first.sourceline}")

    # References are laid out anew (order, punctuation), so compare their characters.
    items = {li.get("id"): li for li in page.xpath("//li[@class='ref']") if li.get("id")}
    short_refs = []
    for ref in source.iter("ref"):
        item = items.get(ref.get("id"))
        if item is None:
            continue
        expected_text = expected_reference_text(ref)
        lacking = Counter(expected_text) - Counter(squeeze(item.text_content()))
        if lacking:
            short_refs.append(ref.get("id"))
    row["references_short"] = len(short_refs)
    if short_refs:
        problems.append(f"reference text missing: {short_refs[:5]}")

    row["problems"] = "; ".join(problems)
    html_rows.append(row)
    assert not problems, problems


@pytest.fixture(scope="module")
def jats_schema(schema_dir: Path):
    """Compile the JATS 1.3 XSD once, before the checks are timed."""
    return load_schema("jats-1.3")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_check_reports_findings(path: Path, jats_schema, check_rows: list) -> None:
    start = time.perf_counter()
    result = CliRunner().invoke(fde, ["jats", "check", "--json", str(path)])
    elapsed_ms = (time.perf_counter() - start) * 1000
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["usable"] is True
    assert report["official_validation"] == "done"
    assert report["valid"] is (result.exit_code == 0)
    findings = report["findings"]
    assert report["errors"] == sum(f["severity"] == "error" for f in findings)
    for finding in findings:
        assert finding["file"] == str(path)
        assert finding["rule_id"] == "XSD" or finding["rule_id"].startswith("FDE-")
    rules = Counter(f["rule_id"] for f in findings)
    check_rows.append(
        {
            "file": path.name,
            "ms": round(elapsed_ms, 1),
            "exit": result.exit_code,
            "errors": report["errors"],
            "warnings": report["warnings"],
            "rules": " ".join(f"{rule}x{n}" for rule, n in sorted(rules.items())),
            "first_finding": (
                f"{findings[0]['line']}: {findings[0]['rule_id']} {findings[0]['message'][:120]}"
                if findings
                else ""
            ),
        }
    )
