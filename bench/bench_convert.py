"""DOCX -> valid JATS 1.3 for a 20-page manuscript: our conversion against pandoc alone.

Builds a manuscript of about 9,000 words (20 pages at ~450 words a page) with 6 tables,
30 display and about 25 inline equations (Word OMML, written by pandoc's DOCX writer), footnotes
and 80 numbered references, then times ``convert()`` (pandoc + front matter + references +
repairs + XSD validation) and pandoc's own DOCX -> JATS run, on one CPU core.

    .venv/bin/python bench/bench_convert.py [--runs 7]

Target (issue 3): median under 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontiers_de.config import JournalProfile  # noqa: E402
from frontiers_de.production.jats import pandoc  # noqa: E402
from frontiers_de.production.jats.convert import convert  # noqa: E402
from frontiers_de.xml.schemas import load_schema  # noqa: E402

WORDS = [
    "learning",
    "students",
    "online",
    "feedback",
    "adaptive",
    "course",
    "mathematics",
    "assessment",
    "teacher",
    "model",
    "data",
    "analysis",
    "effect",
    "group",
    "study",
    "results",
    "design",
    "digital",
    "education",
    "platform",
    "engagement",
    "performance",
    "measure",
    "survey",
    "sample",
    "variance",
    "significant",
    "interaction",
    "outcome",
    "cohort",
]
SURNAMES = [
    "Smith",
    "Wang",
    "Li",
    "Zhang",
    "Garcia",
    "Müller",
    "Haddad",
    "Kim",
    "Novak",
    "Rossi",
    "Chen",
    "Okafor",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, citations: int) -> str:
    parts = [sentence(rng, rng.randint(12, 22)) for _ in range(6)]
    for _ in range(citations):
        i = rng.randrange(len(parts))
        parts[i] = parts[i][:-1] + f" [{rng.randint(1, 80)}]."
    if rng.random() < 0.4:
        parts.append(f"The estimate $\\beta_{{{rng.randint(1, 9)}}} = {rng.random():.2f}$ held.")
    return " ".join(parts)


def table(rng: random.Random, number: int) -> str:
    header = "| Group | n | Mean | SD | p |"
    rule = "|---|---|---|---|---|"
    rows = [
        f"| G{r} | {rng.randint(10, 99)} | {rng.random() * 5:.2f} | {rng.random():.2f} "
        f"| {rng.random() / 10:.3f} |"
        for r in range(1, 9)
    ]
    return "\n".join([header, rule, *rows, "", f": Table {number}. Scores by group.", ""])


def manuscript(rng: random.Random) -> str:
    lines = ["---", "title: Adaptive Feedback at Scale", "---", ""]
    equation = 0
    for s in range(1, 9):
        lines += [f"# Section {s}", ""]
        for p in range(8):
            lines += [paragraph(rng, citations=2), ""]
            if p % 2 == 0 and equation < 30:
                equation += 1
                lines += [
                    f"$$y_{{{equation}}} = \\sum_{{i=1}}^{{n}} \\frac{{x_i^2}}{{\\sigma_i}} "
                    f"+ \\int_0^1 f(t)\\,dt$$",
                    "",
                ]
        if s <= 6:
            lines += [table(rng, s), ""]
        lines += [f"A remark.[^n{s}]", "", f"[^n{s}]: Footnote {s}: {sentence(rng, 10)}", ""]
    lines += ["# References", ""]
    for r in range(1, 81):
        a, b = rng.sample(SURNAMES, 2)
        lines.append(
            f"{r}. {a} J, {b} K. {sentence(rng, 8)[:-1]}. Comput Educ. "
            f"{2000 + r % 24};{100 + r}:{r * 3}-{r * 3 + 12}. doi:10.5555/bench.{r:04d}"
        )
    return "\n".join(lines) + "\n"


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (pandoc)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # pandoc inherits it
    metadata = json.loads((ROOT / "tests" / "data" / "submission-metadata.json").read_text())
    profile = JournalProfile(issn_online="2345-6786")
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        source = Path(tmp) / "manuscript.md"
        source.write_text(manuscript(random.Random(42)), encoding="utf-8")
        docx = Path(tmp) / "manuscript.docx"
        pandoc.run_pandoc([str(source), "-o", str(docx)], sandbox=False)
        words = len(source.read_text(encoding="utf-8").split())
        docx_bytes = docx.stat().st_size

        started = time.perf_counter()
        load_schema("jats-1.3")
        compile_seconds = time.perf_counter() - started
        warm = convert(docx, metadata=metadata, profile=profile)
        assert warm.report.valid, warm.report.schema_errors[:3]

        totals, inner_pandoc, alone, cpu_totals, cpu_alone = [], [], [], [], []
        for _ in range(args.runs):
            cpu, started = cpu_seconds(), time.perf_counter()
            result = convert(docx, metadata=metadata, profile=profile)
            totals.append(time.perf_counter() - started)
            cpu_totals.append(cpu_seconds() - cpu)
            inner_pandoc.append(result.report.pandoc_seconds)
            cpu, started = cpu_seconds(), time.perf_counter()
            pandoc.to_jats(docx, "docx")
            alone.append(time.perf_counter() - started)
            cpu_alone.append(cpu_seconds() - cpu)
        assert result.report.valid

    counts = result.report.counts
    total, floor = statistics.median(totals), statistics.median(alone)
    inside = statistics.median(inner_pandoc)
    print(f"manuscript: {words} words (~{words / 450:.0f} pages), {docx_bytes} bytes DOCX")
    print(
        f"kept: {counts['tables']} tables, {counts['display_formulas']} display + "
        f"{counts['inline_formulas']} inline formulas, {counts['footnotes']} footnotes, "
        f"{counts['references']} references, {counts['citations']} citation links"
    )
    print(f"one-off XSD compile (once per process): {compile_seconds:.2f} s")
    print(f"runs: {args.runs}, one core")
    print(f"DOCX -> valid JATS, median: {total:.3f} s  (target < 1.5 s)")
    print(f"pandoc alone (DOCX -> JATS), median: {floor:.3f} s")
    print(f"pandoc inside our conversion, median: {inside:.3f} s")
    print(f"our overhead: {total - inside:.3f} s; total / pandoc alone = {total / floor:.2f}x")
    cpu_total, cpu_floor = statistics.median(cpu_totals), statistics.median(cpu_alone)
    print(
        f"CPU time (this process + pandoc), median: ours {cpu_total:.3f} s, pandoc alone "
        f"{cpu_floor:.3f} s, ratio {cpu_total / cpu_floor:.2f}x  (what an idle core would see)"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
