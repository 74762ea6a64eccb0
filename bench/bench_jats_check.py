"""`fde jats check` work per corpus article once the JATS 1.3 schema is compiled.

    .venv/bin/python bench/bench_jats_check.py [--runs 9]

The XSD is compiled once (2-3 s, reported separately, as the command and the app do once per
process); then, per article, the median over ``--runs`` of: parse + house rules + XSD
validation (what the command does per file), and the house rules and the XSD alone.
Target: a typical article (the median file) checked in under 100 ms.
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

from frontiers_de.production.jats.check import (  # noqa: E402
    check_article,
    check_house_rules,
    check_official_schema,
)
from frontiers_de.xml.safe import parse_xml  # noqa: E402
from frontiers_de.xml.schemas import load_schema  # noqa: E402
from tests.conftest import SCHEMA_DIR, corpus_files  # noqa: E402

TARGET_MS = 100.0


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
    settings = {"fde.schema_dir": str(SCHEMA_DIR)}
    start = time.perf_counter()
    load_schema("jats-1.3", settings)
    print(f"JATS 1.3 XSD compile {time.perf_counter() - start:.2f} s (once per process)")

    rows: list[tuple[int, str, float, float, float]] = []
    for path in corpus_files("jats"):
        data = path.read_bytes()
        tree = parse_xml(data)
        whole = median_ms(lambda data=data: check_article(parse_xml(data), settings), args.runs)
        cpu = median_ms(
            lambda data=data: check_article(parse_xml(data), settings),
            args.runs,
            time.process_time,
        )
        rules = median_ms(lambda tree=tree: check_house_rules(tree), args.runs)
        xsd = median_ms(lambda tree=tree: check_official_schema(tree, settings), args.runs)
        rows.append((len(data), path.name, whole, rules, xsd, cpu))

    print(f"\n{'whole':>9} {'(cpu)':>9} {'rules':>9} {'xsd':>9} {'size':>9}  file")
    for size, name, whole, rules, xsd, cpu in sorted(rows):
        print(
            f"{whole:6.1f} ms {cpu:6.1f} ms {rules:6.1f} ms {xsd:6.1f} ms"
            f" {size / 1024:6.0f} KiB  {name}"
        )
    by_size = sorted(rows)
    typical = by_size[len(by_size) // 2]
    print(f"\n{len(rows)} articles, {args.runs} runs each (median per file); {load_note()}")
    print(f"median over the corpus: {statistics.median(r[2] for r in rows):.1f} ms")
    print(f"largest file: {by_size[-1][1]} {by_size[-1][2]:.1f} ms")
    verdict = "meets" if typical[2] < TARGET_MS else "MISSES"
    print(
        f"typical (median-size file): {typical[1]} ({typical[0] / 1024:.0f} KiB)"
        f" {typical[2]:.1f} ms wall, {typical[5]:.1f} ms cpu — {verdict} the target of"
        f" {TARGET_MS:.0f} ms"
    )


if __name__ == "__main__":
    main()
