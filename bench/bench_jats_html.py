"""JATS to reader HTML: time per corpus article, against the targets of issue 3.

    .venv/bin/python bench/bench_jats_html.py [--runs 9]

For every JATS article of the corpus: median over ``--runs`` of parse (safe parser) + XSLT +
serialisation of the standalone page, i.e. what ``fde jats html`` does after start-up, and of
the transform alone. The stylesheet is compiled once before timing (reported separately).
Targets: a typical article (the median file) under 50 ms; the largest file under 250 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontiers_de.production.jats import html as jats_html  # noqa: E402
from frontiers_de.production.jats.html import article_document, render_article  # noqa: E402
from frontiers_de.xml.safe import parse_xml  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402

TYPICAL_TARGET_MS = 50.0
LARGEST_TARGET_MS = 250.0


def median_ms(action, runs: int, clock=time.perf_counter) -> float:
    """Median milliseconds of ``action`` by ``clock`` (wall time by default)."""
    times = []
    for _ in range(runs):
        start = clock()
        action()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def load_note() -> str:
    """Wall times on a busy 2-core machine are inflated; say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    start = time.perf_counter()
    jats_html._stylesheet()
    print(f"stylesheet compile {(time.perf_counter() - start) * 1000:.1f} ms (once per process)")

    rows: list[tuple[int, str, float, float]] = []
    for path in corpus_files("jats"):
        data = path.read_bytes()
        tree = parse_xml(data)
        whole = median_ms(lambda data=data: article_document(parse_xml(data)), args.runs)
        cpu = median_ms(
            lambda data=data: article_document(parse_xml(data)), args.runs, time.process_time
        )
        transform = median_ms(lambda tree=tree: render_article(tree), args.runs)
        rows.append((len(data), path.name, whole, transform, cpu))

    print(f"\n{'parse+html':>11} {'(cpu)':>9} {'xslt only':>10} {'size':>9}  file")
    for size, name, whole, transform, cpu in sorted(rows):
        print(f"{whole:8.1f} ms {cpu:6.1f} ms {transform:7.1f} ms {size / 1024:6.0f} KiB  {name}")

    by_size = sorted(rows)
    typical = by_size[len(by_size) // 2]
    largest = by_size[-1]
    overall = statistics.median(r[2] for r in rows)
    print(f"\n{len(rows)} articles, {args.runs} runs each (median per file); {load_note()}")
    print(f"median over the corpus: {overall:.1f} ms")
    for label, row, target in (
        ("typical (median-size file)", typical, TYPICAL_TARGET_MS),
        ("largest file", largest, LARGEST_TARGET_MS),
    ):
        verdict = "meets" if row[2] < target else "MISSES"
        print(
            f"{label}: {row[1]} ({row[0] / 1024:.0f} KiB) {row[2]:.1f} ms wall,"
            f" {row[4]:.1f} ms cpu — {verdict} the target of {target:.0f} ms"
        )


if __name__ == "__main__":
    main()
