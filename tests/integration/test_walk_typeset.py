"""The walk manuscript (the deep-rules revision DOCX, with the submission metadata of a real
submission) converted and typeset as production does it; the PDF is read back as text.

What is checked is what a reader of the PDF sees: each reference printed once, under its own
number, in label order, with its DOI once; the front matter without doubled words.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.convert import convert
from frontiers_de.production.jats.html import render_article
from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.production.typesetting.printhtml import build_print_html
from frontiers_de.production.typesetting.service import typeset
from tests.conftest import CORPUS_DIR

WALK = CORPUS_DIR / "deep-rules__manuscript-e95e37a.docx"
METADATA = Path(__file__).resolve().parents[1] / "data" / "submission-metadata.json"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not WALK.exists(), reason=f"{WALK} is not here"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing"),
]


def _squeeze(text: str) -> str:
    """Text without white space and the hyphens the layout adds where it breaks a word."""
    return re.sub(r"[\s\u2010\u00ad]", "", text).lower()


@pytest.fixture(scope="module")
def converted():
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    result = convert(WALK, metadata=metadata, profile=JournalProfile(issn_online="2345-6786"))
    assert result.report.valid, result.report.schema_errors[:3]
    return result


@pytest.fixture(scope="module")
def walk(converted):
    result = converted
    typeset_result = typeset(result.tree.getroot())
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=typeset_result.pdf_bytes,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return read_article_meta(result.tree), text


def _squeeze_pdf(text: str) -> str:
    """The PDF's text squeezed, with the hyphen removed where a line ends in one: the layout
    breaks words with a plain hyphen (print.css, so that copying the text joins them), which
    -layout output keeps. A hyphen of the text that fell at a line end goes too, so a probe
    is looked for with its hyphens, else without any (:func:`_found`)."""
    return _squeeze(re.sub(r"-[ \t]*\n\s*", "", text))


def _found(probe: str, squeezed: str) -> int:
    return squeezed.count(probe) or squeezed.replace("-", "").count(probe.replace("-", ""))


def _reference_list(text: str) -> str:
    start = [m.end() for m in re.finditer(r"(?m)^References\s*$", text)]
    assert start, "no References heading in the PDF text"
    return text[start[-1] :]


def test_each_reference_is_printed_once_under_its_label_in_order(walk) -> None:
    meta, text = walk
    refs = _reference_list(text)
    # -layout keeps a reference's own lines indented: a number at the margin starts one
    numbers = [int(n) for n in re.findall(r"(?m)^(\d+)\.\s", refs)]
    labels = [int(r.label) for r in meta.references]
    assert len(labels) >= 120
    assert numbers == sorted(labels)
    squeezed = _squeeze_pdf(refs)
    # the fields run together without the author's punctuation: what a double rendering
    # of a citation-alternatives printed
    assert "4nielsenaakvoigtca" not in squeezed
    openings = Counter(_squeeze(" ".join(r.text.split()[:8])) for r in meta.references)
    for ref in meta.references:
        probe = _squeeze(" ".join((ref.article_title or ref.source or ref.text).split()[:4]))
        assert _found(probe, squeezed) >= 1, f"reference {ref.label} is missing: {probe}"
        opening = _squeeze(" ".join(ref.text.split()[:8]))
        assert squeezed.count(opening) <= openings[opening], f"reference {ref.label} twice"


def test_each_doi_is_printed_once(walk) -> None:
    meta, text = walk
    squeezed = _squeeze_pdf(_reference_list(text))
    dois = Counter(r.doi.lower() for r in meta.references if r.doi)
    assert sum(dois.values()) >= 80
    for doi, times in dois.items():
        # a DOI is full of hyphens, one of which may end a line: compared without them
        assert squeezed.replace("-", "").count(_squeeze(doi).replace("-", "")) == times, doi


def test_front_matter_says_each_thing_once(walk) -> None:
    _meta, text = walk
    front = text[: text.index("Abstract")]
    flat = " ".join(front.split())
    assert flat.count("Correspondence:") == 1
    assert "wei.zhang@example.edu.cn" in flat
    # the licence address ends before the licence text starts
    assert "/by/4.0/This" not in flat
    assert "China" in flat and ", CN" not in flat
    cite = flat[flat.index("Cite as:") :]
    assert cite.startswith("Cite as: Zhang W, Haddad A. (2026).") or cite.startswith(
        "Cite as: Zhang W, Haddad A (2026)."
    )
    assert ".." not in cite.replace("…", "")
    assert "3(2)" in cite and "e2026012" in cite


def test_competing_interests_and_acknowledgements_have_one_heading_each(walk) -> None:
    _meta, text = walk
    headings = re.findall(r"(?m)^(?:\d+\.\s+)?(Competing interests|Acknowledgements)\s*$", text)
    assert sorted(headings) == ["Acknowledgements", "Competing interests"]
    # the manuscript's statement (a table of the authors' patents) is the one printed
    assert "Wisconsin Alumni Research Foundation" in " ".join(text.split())


def test_pdf_and_reader_page_print_each_reference_alike(converted) -> None:
    """One formatter for both outputs: the print HTML (what WeasyPrint lays out) and the
    reader page give each reference the same words."""
    tree = converted.tree
    page = lxml_html.fromstring(etree.tostring(render_article(tree), method="html"))
    reader = {}
    for li in page.xpath("//li[@class='ref']"):
        for drop in li.xpath(".//span[@class='label' or @class='cited-from']"):
            drop.drop_tree()
        reader[li.get("id")] = " ".join(li.text_content().split())
    printed = lxml_html.fromstring(build_print_html(tree, JournalProfile()).html)
    pdf = {
        li.get("id"): " ".join(li.find(".//span[@class='ref-text']").text_content().split())
        for li in printed.find_class("ref")
    }
    assert len(pdf) >= 120
    assert pdf == reader
