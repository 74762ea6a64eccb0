"""Typesetting benchmark: a 20-page article and a 12-article issue (issue 4, "Performance").

Prints: the median time of one article on one core and its peak memory (targets < 3 s and
< 400 MB); the split between our own work (JATS -> print HTML, formulas, figures) and
WeasyPrint's layout and writing (target: ours < 1/4 of WeasyPrint's); and a 12-article issue
on one and on two worker processes (target: two workers < 60 % of one).

Run: .venv/bin/python bench/bench_typeset.py [--runs 5] [--issue 12]
Times are wall-clock; CPU seconds are printed beside them because a shared machine's load
changes wall time but hardly CPU time (the load average is printed too).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_article import make_article, make_figures

ASSETS = Path(tempfile.gettempdir()) / "fde-bench-typeset-assets"
WARM_UP_ARTICLE = b"""<article xmlns:xlink="http://www.w3.org/1999/xlink"
 article-type="research-article"
 xml:lang="en"><front><article-meta><title-group><article-title>Warm-up</article-title>
</title-group></article-meta></front><body><sec><title>Introduction</title><p>Workers load
their fonts and hyphenation patterns once, when they start.</p></sec></body></article>"""


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def single_article(runs: int) -> None:
    """Runs in a fresh process on one core: the figures for one article."""
    _pin_to_one_core()
    started = time.perf_counter()
    from frontiers_de.production.typesetting.service import typeset

    import_seconds = time.perf_counter() - started
    data = make_article(1)
    first = time.perf_counter()
    result = typeset(data, assets_dir=ASSETS)
    first_seconds = time.perf_counter() - first
    walls, cpus, ours, weasy, layout, write = [], [], [], [], [], []
    for _ in range(runs):
        cpu = time.process_time()
        result = typeset(data, assets_dir=ASSETS)
        cpus.append(time.process_time() - cpu)
        walls.append(result.timings["total"])
        ours.append(result.own_seconds)
        weasy.append(result.weasyprint_seconds)
        layout.append(result.timings["layout"])
        write.append(result.timings["write"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Our work with empty caches, as for an article this process has never seen: every
    # formula drawn, every figure read and downsampled.
    from frontiers_de.config import JournalProfile
    from frontiers_de.production.typesetting.images import ImageStore
    from frontiers_de.production.typesetting.math import MathRenderer
    from frontiers_de.production.typesetting.printhtml import build_print_html
    from frontiers_de.xml.safe import parse_xml

    cold = []
    for _ in range(3):
        step = time.perf_counter()
        build_print_html(
            parse_xml(data),
            JournalProfile(),
            assets_dir=ASSETS,
            math=MathRenderer(),
            images=ImageStore(),
        )
        cold.append(time.perf_counter() - step)
    s = result.stats
    print(
        f"article: {result.pages} pages, {s.words} words, {len(s.figures)} figures, "
        f"{len(s.tables)} tables, {s.formulas} formulas, {s.references} references, "
        f"{len(result.pdf_bytes) / 1024:.0f} KiB PDF"
    )
    print(f"  import {import_seconds:.2f} s; first run in the process {first_seconds:.2f} s")
    med = statistics.median
    print(
        f"  median of {runs} (one core): {med(walls):.2f} s wall, {med(cpus):.2f} s CPU "
        f"(target < 3 s); {med(walls) / result.pages * 1000:.0f} ms per page"
    )
    print(f"  peak memory: {peak_mb:.0f} MB (target < 400 MB)")
    print(
        f"  split: ours {med(ours):.3f} s (print HTML, formulas, figures, fonts) vs WeasyPrint "
        f"{med(weasy):.2f} s (layout {med(layout):.2f} s + write {med(write):.2f} s): "
        f"ours = {med(ours) / med(weasy):.1%} of WeasyPrint (target < 25 %)"
    )
    print(
        f"  ours with empty caches (new formulas and figures): {med(cold):.3f} s = "
        f"{med(cold) / med(weasy):.1%} of WeasyPrint"
    )


def _warm_worker() -> None:
    """Worker start-up, as a Celery prefork worker does it once when it boots: import the
    typesetter and typeset a one-paragraph article without figures or formulas, so fonts
    and hyphenation patterns are loaded before the first article of the issue arrives (the
    issue's own figures and formulas stay uncached)."""
    from frontiers_de.production.typesetting.service import typeset

    typeset(WARM_UP_ARTICLE)


def _typeset_issue_article(seed: int) -> tuple[int, bytes, float]:
    from frontiers_de.production.typesetting.service import typeset

    cpu = time.process_time()
    result = typeset(make_article(seed), assets_dir=ASSETS)
    return result.pages, result.pdf_bytes, time.process_time() - cpu


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One issue PDF from the articles' PDFs, keeping each article's links and bookmarks.

    pikepdf (qpdf) rather than pypdf: pypdf took 4.2 s for this 3 MiB merge, pikepdf 0.3 s,
    and that serial step is paid whatever the number of workers."""
    from io import BytesIO

    import pikepdf

    merged = pikepdf.new()
    for pdf in pdfs:
        merged.add_pages_from(pikepdf.open(BytesIO(pdf)))
    out = BytesIO()
    merged.save(out)
    return out.getvalue()


def issue(articles: int, workers: int) -> tuple[float, float, int, bytes, float]:
    """Typeset an issue on ``workers`` started worker processes and merge the PDFs.

    Returns the workers' start-up seconds (not counted: workers are long-lived), the
    seconds for typesetting and merging, the page count, the merged PDF and the CPU seconds
    spent in the typesetting calls."""
    boot = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker) as pool:
        # Start every worker and wait until each has warmed up.
        list(pool.map(time.sleep, [0.2] * workers))
        start_up = time.perf_counter() - boot
        started = time.perf_counter()
        results = list(pool.map(_typeset_issue_article, range(1, articles + 1)))
        merged = merge_pdfs([pdf for _pages, pdf, _cpu in results])
        elapsed = time.perf_counter() - started
    cpu = sum(c for _, _, c in results)
    return start_up, elapsed, sum(p for p, _, _ in results), merged, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issue", type=int, default=12)
    parser.add_argument("--issue-runs", type=int, default=3)
    parser.add_argument("--single-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    make_figures(ASSETS)
    if args.child:
        single_article(args.runs)
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    # A fresh process, so that peak memory is this article's and not the issue's.
    subprocess.run([sys.executable, __file__, "--child", "--runs", str(args.runs)], check=True)
    if args.single_only:
        return
    ratios, ones, twos = [], [], []
    for _ in range(args.issue_runs):
        # Alternate one and two workers so that a change in the machine's speed falls on both.
        boot_one, one, pages, _, cpu_one = issue(args.issue, 1)
        boot_two, two, _, merged, cpu_two = issue(args.issue, 2)
        ones.append(one)
        twos.append(two)
        ratios.append(two / one)
        print(
            f"issue: {args.issue} articles, {pages} pages, merged PDF "
            f"{len(merged) / 1024 / 1024:.1f} MiB: 1 worker {one:.1f} s, 2 workers {two:.1f} s"
            f" = {two / one:.0%} of one; CPU {cpu_one:.0f} s and {cpu_two:.0f} s in the "
            f"typesetting calls; worker start-up {boot_one:.1f} s / {boot_two:.1f} s (not counted)"
        )
    print(
        f"  median of {len(ratios)}: 1 worker {statistics.median(ones):.1f} s, 2 workers "
        f"{statistics.median(twos):.1f} s = {statistics.median(ratios):.0%} of one (target < 60 %)"
    )
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(
            f"  note: load average {load:.1f} exceeds the {os.cpu_count()} cores: other work "
            "shares the CPUs, so wall-clock figures (and the gain of a second worker) are low"
        )


if __name__ == "__main__":
    main()
