"""Queue the deposit of a 12-article issue in the app: what publishing an issue costs the
request (each article's JATS read and checked, the batch built and validated against the
5.4.0 XSD, stored with its records, events and job) — no Crossref involved.

A fresh SQLite database built by the migrations, 12 papers accepted through the workflow
(so each has its DOI), 12 published articles with JATS. Schema compilation is timed apart
(once per process). Run: ``.venv/bin/python bench/bench_doi_queue.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FDE_SCHEMA_DIR", str(ROOT.parent / "shared" / "schemas"))

from frontiers_de.crossref import services  # noqa: E402
from frontiers_de.db import get_engine, get_session_factory  # noqa: E402
from frontiers_de.db.migrate import upgrade  # noqa: E402
from frontiers_de.xml.schemas import load_schema  # noqa: E402
from tests.crossref.world import make_issue, make_world, published_paper  # noqa: E402

RUNS = 7


def main() -> None:
    settings = {
        "fde.schema_dir": os.environ["FDE_SCHEMA_DIR"],
        "fde.base_url": "https://fde.example.org",
    }
    started = time.perf_counter()
    load_schema("crossref-5.4.0", settings)
    compile_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp}/bench.sqlite"})
        upgrade(engine)
        factory = get_session_factory(engine)
        with factory() as db:
            world = make_world(db)
            issue = make_issue(db, world)
            articles = [published_paper(db, world, f"Paper {n}", issue=issue) for n in range(12)]
            db.commit()
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                result = services.queue_deposit(
                    db, articles, None, settings=settings, enqueue=lambda *a: None
                )
                db.flush()
                times.append(time.perf_counter() - started)
                assert result.deposit is not None and not result.refused
            db.rollback()
        engine.dispose()
    print(f"Crossref 5.4.0 schema compile (once per process): {compile_s:.2f} s")
    print(
        f"queue_deposit, 12-article issue (SQLite, {RUNS} runs): "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")


if __name__ == "__main__":
    main()
