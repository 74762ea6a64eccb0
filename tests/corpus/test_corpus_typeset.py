"""Every JATS article of the shared corpus typesets, and its PDF holds what it should.

The corpus is typeset once per session, on two worker processes (about 17 files x 3 s),
and each file is then checked on its own: title, every author's family name, the DOI, the
first and last reference, every figure and table label, a plausible page count. A per-file
report goes to tests/corpus/report/typeset.tsv. The figures the corpus JATS points at are
not in the corpus: they print as placeholders, which is the missing-image path.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from tests.conftest import CORPUS_DIR, corpus_files
from tests.corpus import publisher_fixtures

REPORT = Path(__file__).parent / "report" / "typeset.tsv"
FILES = corpus_files("jats") + publisher_fixtures()

# Files whose checks are known not to hold, with the reason. Empty: every file passes.
KNOWN_FAILURES: dict[str, str] = {}


def normalise(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphenation and spacing in the
    extracted PDF text do not matter."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\W_]+", "", text).lower()


def _reference_probe(ref: Any) -> str:
    for value in (ref.article_title, ref.source, ref.text):
        if value:
            return " ".join(value.split()[:8])
    return ""


def typeset_one(path_text: str) -> dict[str, Any]:
    """Runs in a worker process: typeset one file and return plain data to check."""
    from frontiers_de.production.typesetting.service import typeset

    path = Path(path_text)
    try:
        result = typeset(path.read_bytes(), assets_dir=path.parent)
    except Exception as exc:  # reported per file, asserted below
        return {"file": path.name, "error": f"{type(exc).__name__}: {exc}"}
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=result.pdf_bytes,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    # The first page as a picture: an empty or broken page has almost no variance.
    first_page = subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", "-"],
        input=result.pdf_bytes,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(first_page))
    first_page_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", "-", "-"],
        input=result.pdf_bytes,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    meta = result.meta
    assert meta is not None
    return {
        "first_page_variance": ImageStat.Stat(image).var[0],
        "first_page_text": normalise(first_page_text),
        "file": path.name,
        "error": "",
        "text": normalise(text),
        "pages": result.pages,
        "seconds": result.timings["total"],
        "title": meta.title,
        "surnames": [a.surname or a.collab for a in meta.authors if a.surname or a.collab],
        "doi": meta.doi,
        "first_ref": _reference_probe(meta.references[0]) if meta.references else "",
        "last_ref": _reference_probe(meta.references[-1]) if meta.references else "",
        "figures": result.stats.figures,
        "tables": result.stats.tables,
        "formulas": result.stats.formulas,
        "formula_failures": result.stats.formula_failures,
        "images_missing": result.stats.images_missing,
        "words": result.stats.words,
        "warnings": result.warnings,
    }


def problems_of(outcome: dict[str, Any]) -> list[str]:
    if outcome["error"]:
        return [outcome["error"]]
    text = outcome["text"]
    problems = []
    wanted = [("title", outcome["title"]), ("DOI", outcome["doi"])]
    wanted += [("author", name) for name in outcome["surnames"]]
    wanted += [("first reference", outcome["first_ref"]), ("last reference", outcome["last_ref"])]
    wanted += [("figure", label) for label in outcome["figures"]]
    wanted += [("table", label) for label in outcome["tables"]]
    for kind, value in wanted:
        if value and normalise(value) not in text:
            problems.append(f"{kind} not in the PDF text: {value[:60]!r}")
    if outcome["title"] and normalise(outcome["title"]) not in outcome["first_page_text"]:
        problems.append("the title is not on the first page")
    # One column of 9.5 pt text holds 300-1000 words a page (figures and tables take room).
    words, pages = outcome["words"], outcome["pages"]
    # A first page with a page's worth of words to show must look like one; a notice of a
    # hundred words (an addendum, an erratum) fills only its top.
    if words >= 400 and outcome["first_page_variance"] < 500:
        problems.append(f"first page looks empty (variance {outcome['first_page_variance']:.0f})")
    if not words / 1000 - 1 <= pages <= words / 150 + 3:
        problems.append(f"{pages} pages is implausible for {words} words")
    return problems


@pytest.fixture(scope="session")
def corpus_outcomes() -> dict[str, dict[str, Any]]:
    if not FILES:
        pytest.fail(f"no JATS files listed in {CORPUS_DIR / 'MANIFEST.tsv'}")
    # Longest first, so the two workers finish together.
    ordered = sorted(FILES, key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(typeset_one, [str(p) for p in ordered]))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(
            [
                "file",
                "status",
                "pages",
                "words",
                "seconds",
                "figures",
                "tables",
                "formulas",
                "images_missing",
                "warnings",
                "problems",
            ]
        )
        for outcome in sorted(outcomes, key=lambda o: o["file"]):
            problems = problems_of(outcome)
            status = (
                "ok" if not problems else "known" if outcome["file"] in KNOWN_FAILURES else "FAIL"
            )
            writer.writerow(
                [
                    outcome["file"],
                    status,
                    outcome.get("pages", ""),
                    outcome.get("words", ""),
                    f"{outcome.get('seconds', 0):.2f}",
                    len(outcome.get("figures", [])),
                    len(outcome.get("tables", [])),
                    outcome.get("formulas", ""),
                    outcome.get("images_missing", ""),
                    len(outcome.get("warnings", [])),
                    "; ".join(problems) or KNOWN_FAILURES.get(outcome["file"], ""),
                ]
            )
    return {o["file"]: o for o in outcomes}


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_article_typesets_with_its_content(
    corpus_outcomes: dict[str, dict[str, Any]], path: Path
) -> None:
    outcome = corpus_outcomes[path.name]
    problems = problems_of(outcome)
    if path.name in KNOWN_FAILURES:
        assert problems, f"{path.name} now passes: remove it from KNOWN_FAILURES"
        return
    assert not problems, "\n".join(problems)
    assert outcome["formula_failures"] == 0
    # Figures in the corpus have no image files beside them: each is a visible placeholder
    # and a warning, never a silent gap.
    missing_warnings = [w for w in outcome["warnings"] if "not found" in w]
    assert len(missing_warnings) == outcome["images_missing"]


def test_corpus_has_the_hard_cases() -> None:
    names = {p.name for p in FILES}
    assert len(names) >= 15
    assert any("pcbi.1004082" in n for n in names)  # hundreds of MathML formulas
