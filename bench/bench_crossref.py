"""Build and validate the Crossref deposit for a 12-article issue (target: under 1 s).

The issue is made of 12 real corpus articles (their references, contributors and abstracts
as they are), renumbered into one volume and issue of our journal. Schema compilation is
timed apart: it happens once per process. Run: ``.venv/bin/python bench/bench_crossref.py``.
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FDE_SCHEMA_DIR", str(ROOT.parent / "shared" / "schemas"))

from lxml import etree  # noqa: E402

from frontiers_de.config import JournalProfile  # noqa: E402
from frontiers_de.crossref.deposit import build_deposit  # noqa: E402
from frontiers_de.crossref.validate import validate_deposit  # noqa: E402
from frontiers_de.xml.safe import parse_xml  # noqa: E402
from frontiers_de.xml.schemas import load_schema  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402

RUNS = 7


def issue_of_twelve() -> list[etree._ElementTree]:
    sources = corpus_files("jats")[:12]
    if len(sources) < 12:
        raise SystemExit(f"need 12 JATS articles in the corpus, found {len(sources)}")
    trees = []
    for number, path in enumerate(sources, 1):
        tree = copy.deepcopy(parse_xml(path))
        meta = tree.getroot().find("front/article-meta")
        for aid in meta.findall("article-id"):
            if aid.get("pub-id-type") == "doi":
                aid.text = f"10.5555/fde.2025.{number:04d}"
        for name, value in (("volume", "2"), ("issue", "1")):
            el = meta.find(name)
            if el is not None:
                el.text = value
        trees.append(tree)
    return trees


def main() -> None:
    start = time.perf_counter()
    load_schema("crossref-5.4.0")
    compile_s = time.perf_counter() - start

    trees = issue_of_twelve()
    profile = JournalProfile(issn_online="2999-0001", journal_doi="10.5555/fde")
    build, serialise, validate, total = [], [], [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        deposit = build_deposit(trees, profile)
        t1 = time.perf_counter()
        data = deposit.to_bytes()
        t2 = time.perf_counter()
        errors = validate_deposit(etree.ElementTree(etree.fromstring(data)))
        t3 = time.perf_counter()
        if errors:
            raise SystemExit(f"deposit invalid: {errors[:3]}")
        build.append(t1 - t0)
        serialise.append(t2 - t1)
        validate.append(t3 - t2)
        total.append(t3 - t0)
    refs = data.count(b"<citation ")
    print(f"Crossref deposit, 12-article issue ({len(data) / 1024:.0f} KiB, {refs} citations)")
    print(f"  schema compile (once per process): {compile_s:.2f} s")
    print(f"  build (read JATS metadata + XML):  {statistics.median(build) * 1000:.0f} ms")
    print(f"  serialise:                         {statistics.median(serialise) * 1000:.0f} ms")
    print(f"  re-parse + validate (5.4.0 XSD):   {statistics.median(validate) * 1000:.0f} ms")
    median = statistics.median(total)
    verdict = "OK" if median < 1.0 else "OVER TARGET"
    print(f"  total, median of {RUNS}: {median * 1000:.0f} ms (target < 1000 ms: {verdict})")


if __name__ == "__main__":
    main()
