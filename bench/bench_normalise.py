"""Normalisation time per corpus JATS file (median and max), schema compiled beforehand.

    .venv/bin/python bench/bench_normalise.py [--runs 5] [--no-check]

``normalise`` includes the final XSD validation unless ``--no-check``; the one-off schema
compilation (about 3 s) is reported separately and not counted per file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontiers_de.production.jats.content_model import content_models  # noqa: E402
from frontiers_de.production.jats.normalise import normalise  # noqa: E402
from frontiers_de.xml.safe import parse_xml  # noqa: E402
from frontiers_de.xml.schemas import load_schema  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-check", action="store_true", help="skip the final XSD validation")
    args = parser.parse_args()
    start = time.perf_counter()
    load_schema("jats-1.3")
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    content_models()
    models_ms = (time.perf_counter() - start) * 1000
    print(f"XSD compile {compile_s:.2f} s (once per process); content models {models_ms:.0f} ms")
    per_file: list[tuple[float, str, int]] = []
    for path in corpus_files("jats"):
        data = path.read_bytes()
        times = []
        for _ in range(args.runs):
            tree = parse_xml(data)
            t0 = time.perf_counter()
            normalise(tree, check=not args.no_check)
            times.append((time.perf_counter() - t0) * 1000)
        per_file.append((statistics.median(times), path.name, len(data)))
    for ms, name, size in sorted(per_file, reverse=True):
        print(f"{ms:8.1f} ms  {size / 1024:7.0f} KiB  {name}")
    values = [ms for ms, _, _ in per_file]
    print(
        f"\n{len(values)} files, {args.runs} runs each: median {statistics.median(values):.1f} ms,"
        f" max {max(values):.1f} ms" + (" (without validation)" if args.no_check else "")
    )


if __name__ == "__main__":
    main()
