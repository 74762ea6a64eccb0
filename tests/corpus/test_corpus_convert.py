"""Every DOCX of the corpus, and its Markdown and LaTeX manuscripts, converts to JATS 1.3
Journal Publishing that passes the official XSD, with its tables, equations and footnotes
all kept (counted in the source and in the output).

A per-file report is written to tests/corpus/report/convert.tsv (git-ignored).
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats import pandoc
from frontiers_de.production.jats.convert import (
    convert,
    count_features,
    drop_wrapped_environment_redefinitions,
    resolve_tex_conditionals,
    unwrap_scaling_boxes,
)
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import load_schema
from tests.conftest import corpus_files

REPORT = Path(__file__).resolve().parent / "report" / "convert.tsv"
METADATA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "submission-metadata.json").read_text(
        encoding="utf-8"
    )
)
PROFILE = JournalProfile(issn_online="2345-6786")
DOCX = corpus_files("docx")
# The .bib and .bbl files of the LaTeX entry are its companions, read beside the .tex.
MANUSCRIPTS = [p for p in corpus_files("markdown") + corpus_files("latex") if p.suffix != ".bib"]
MANUSCRIPTS = [p for p in MANUSCRIPTS if p.suffix != ".bbl"]

# file -> reason. A listed file must still fail (so the list stays true); none do today.
KNOWN_FAILURES: dict[str, str] = {}

# Minimum references expected where the source has a bibliography or citation-manager data.
EXPECTED_REFERENCES = {
    "deep-rules__manuscript-e95e37a.docx": 120,
    "docxtojats__msword_zotero.docx": 44,
    "pandoc__mendeley_citations.docx": 4,
    "deep-rules__manuscript.md": 128,  # the 138 @keys include figure links
    "iacr-latex-submit__toothpicks__main.tex": 50,
}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def docx_source_counts(path: Path) -> dict[str, int]:
    """Tables, OMML equations and foot/endnotes as Word stores them."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())

        def part(name: str):
            return parse_xml(archive.read(name)).getroot() if name in names else None

        document = part("word/document.xml")
        notes = [
            p for p in (part("word/footnotes.xml"), part("word/endnotes.xml")) if p is not None
        ]
    # Nested tables count too: pandoc writes each as its own table.
    tables = len(document.xpath("//w:tbl", namespaces={"w": W}))
    equations = 0
    for root in [document, *notes]:
        equations += len(root.xpath("//m:oMath[not(ancestor::m:oMath)]", namespaces={"m": M}))
    footnotes = 0
    for root in notes:
        footnotes += len(
            root.xpath(
                "/*/w:footnote[not(@w:type)] | /*/w:endnote[not(@w:type)]", namespaces={"w": W}
            )
        )
    ns = {"w": W}
    colspans = len(document.xpath("//w:tc[w:tcPr/w:gridSpan[@w:val > 1]]", namespaces=ns))
    rowspans = len(document.xpath("//w:tcPr/w:vMerge[@w:val='restart']", namespaces=ns))
    return {
        "tables": tables,
        "equations": equations,
        "footnotes": footnotes,
        "colspans": colspans,
        "rowspans": rowspans,
    }


def markdown_source_counts(path: Path) -> dict[str, int]:
    """What pandoc alone reads from the Markdown (our pipeline must keep all of it)."""
    counts = count_features(parse_xml(pandoc.to_jats(path, "markdown").output))
    return {
        "tables": counts["tables"],
        "equations": counts["display_formulas"] + counts["inline_formulas"],
        "footnotes": counts["footnotes"],
    }


def latex_source_counts(path: Path, tmp_path: Path) -> dict[str, int]:
    """Table floats and footnotes counted in the source (after the template switches are
    evaluated, as TeX would); equations as pandoc reads them from that same source."""
    text = unwrap_scaling_boxes(
        drop_wrapped_environment_redefinitions(
            resolve_tex_conditionals(path.read_text(encoding="utf-8"))
        )
    )
    prepared = tmp_path / "prepared.tex"
    prepared.write_text(text, encoding="utf-8")
    counts = count_features(parse_xml(pandoc.to_jats(prepared, "latex").output))
    return {
        "tables": len(re.findall(r"\\begin\{table\*?\}", text)),
        "equations": counts["display_formulas"] + counts["inline_formulas"],
        "footnotes": len(re.findall(r"\\footnote(?![A-Za-z])", text)),
    }


@pytest.fixture(scope="session")
def jats_schema(schema_dir):
    return load_schema("jats-1.3")


@pytest.fixture(scope="module")
def report_rows():
    rows: list[dict[str, object]] = []
    yield rows
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    fields = [
        "file", "status", "seconds", "pandoc_seconds", "tables", "equations", "footnotes",
        "references", "citations", "expected", "missing", "warnings", "known_failure",
        "first_error",
    ]  # fmt: skip
    with REPORT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter="\t")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: str(r["file"])))


def test_corpus_has_the_manuscripts(corpus_dir):
    assert len(DOCX) >= 9
    assert {p.suffix for p in MANUSCRIPTS} == {".md", ".tex"}


def run_and_record(path: Path, expected: dict[str, int], report_rows) -> None:
    known = KNOWN_FAILURES.get(path.name, "")
    row: dict[str, object] = {"file": path.name, "known_failure": known, "expected": expected}
    report_rows.append(row)
    try:
        result = convert(path, metadata=METADATA, profile=PROFILE)
    except Exception as exc:
        row.update(status="error", first_error=str(exc)[:300])
        if known:
            return
        raise
    report = result.report
    counts = report.counts
    got = {
        "tables": counts["tables"],
        "equations": counts["display_formulas"] + counts["inline_formulas"],
        "footnotes": counts["footnotes"],
    }
    row.update(
        status="valid" if report.valid else "invalid",
        seconds=f"{report.seconds:.2f}",
        pandoc_seconds=f"{report.pandoc_seconds:.2f}",
        references=counts["references"],
        citations=counts["citations"],
        missing="; ".join(report.missing),
        warnings=len(report.warnings),
        first_error=report.schema_errors[0] if report.schema_errors else "",
        **got,
    )
    if known:
        assert not report.valid, f"{path.name} is listed as a known failure but now converts"
        return
    assert report.valid, report.schema_errors[:5]
    if "colspans" in expected:  # merged cells of Word tables
        got["colspans"] = int(result.tree.xpath("count(//table//*[@colspan > 1])"))
        got["rowspans"] = int(result.tree.xpath("count(//table//*[@rowspan > 1])"))
    assert got == expected, f"source has {expected}, output has {got}"
    assert counts["references"] >= EXPECTED_REFERENCES.get(path.name, 0)
    # Every citation link resolves (a dangling rid would also fail the XSD's IDREF check).
    ids = {e.get("id") for e in result.tree.iter() if isinstance(e.tag, str) and e.get("id")}
    for xref in result.tree.iter("xref"):
        assert set(xref.get("rid").split()) <= ids
    # The serialised form reparses to the same valid document.
    assert parse_xml(result.to_bytes()).getroot().tag == "article"


@pytest.mark.parametrize("path", DOCX, ids=[p.name for p in DOCX])
def test_docx_converts_to_valid_jats_keeping_tables_equations_footnotes(
    path, jats_schema, report_rows
):
    run_and_record(path, docx_source_counts(path), report_rows)


@pytest.mark.parametrize("path", MANUSCRIPTS, ids=[p.name for p in MANUSCRIPTS])
def test_markdown_and_latex_convert_to_valid_jats(path, jats_schema, report_rows, tmp_path):
    if path.suffix == ".md":
        expected = markdown_source_counts(path)
    else:
        expected = latex_source_counts(path, tmp_path)
    run_and_record(path, expected, report_rows)


def test_field_citations_become_links_to_structured_references():
    """Zotero fields carry full CSL data: every citation links to an element-citation."""
    path = next(p for p in DOCX if p.name == "docxtojats__msword_zotero.docx")
    root = convert(path, profile=PROFILE).tree.getroot()
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == 44
    assert all(r.find("element-citation") is not None for r in refs)
    xrefs = [x for x in root.iter("xref") if x.get("ref-type") == "bibr"]
    assert xrefs[0].text == "(1,2)"
    # Numbered citations: the list follows the order of first citation.
    first = xrefs[0].get("rid").split()
    assert [r.get("id") for r in refs[:2]] == first


def test_mendeley_fields_with_clashing_ids_fall_back_to_the_written_bibliography():
    path = next(p for p in DOCX if p.name == "pandoc__mendeley_citations.docx")
    result = convert(path, profile=PROFILE)
    assert any("reuse item ids" in w for w in result.report.warnings)
    text = etree.tostring(result.tree.getroot().find("back/ref-list"), encoding="unicode")
    for author in ("Hadwen-Bennett", "Koh", "Lee", "Seo"):
        assert author in text


def test_tracked_changes_are_accepted_and_reported():
    path = next(p for p in DOCX if p.name == "docx4j__sample-docxv2.docx")
    result = convert(path, profile=PROFILE)
    assert "tracked changes accepted (1 insertions, 1 deletions)" in result.report.warnings


def test_word_figures_image_plus_caption_paragraph_become_cited_figs():
    path = next(p for p in DOCX if p.name == "deep-rules__manuscript-e95e37a.docx")
    root = convert(path, profile=PROFILE).tree.getroot()
    figures = root.findall(".//fig")
    assert [f.findtext("label") for f in figures] == ["Figure 1", "Figure 2"]
    assert all(f.find("caption/p") is not None and f.find("graphic") is not None for f in figures)
    cited = {x.get("rid") for x in root.iter("xref") if x.get("ref-type") == "fig"}
    assert {f.get("id") for f in figures} <= cited
