"""How long a search takes on SQLite with 2,000 published articles: synthetic titles,
abstracts (about 1,500 characters each, English and Chinese), keywords and authors, indexed
by the app's own code, then a handful of typical queries timed through the search service
(count, ranked page of 20, snippets and highlighting included).

    .venv/bin/python bench/bench_search.py [ARTICLES]
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.simplefilter("ignore")

WORDS = [
    "learning",
    "analytics",
    "assessment",
    "teachers",
    "students",
    "schools",
    "classroom",
    "digital",
    "online",
    "pandemic",
    "remote",
    "blended",
    "curriculum",
    "feedback",
    "motivation",
    "engagement",
    "platform",
    "mobile",
    "rural",
    "urban",
    "equity",
    "access",
    "policy",
    "survey",
    "interview",
    "cohort",
    "longitudinal",
    "effect",
    "design",
    "literacy",
    "mathematics",
    "science",
    "reading",
    "writing",
    "language",
    "university",
    "primary",
    "secondary",
    "training",
    "professional",
    "development",
    "video",
    "game",
    "simulation",
    "tutor",
    "adaptive",
    "dashboard",
    "network",
    "community",
    "collaboration",
    "peer",
    "review",
    "open",
    "resources",
    "MOOC",
    "credential",
]
HANZI = "学习分析教师学生学校课堂数字在线疫情远程混合课程反馈动机参与平台移动农村城市公平政策调查"
SURNAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Okafor",
    "Smith",
    "Garcia",
    "Haddad",
    "Müller",
    "Novak",
    "Silva",
    "Kim",
]
GIVEN = ["Li", "Wei", "Ada", "Amira", "Jun", "Maria", "Jan", "Ana", "Sofia", "Omar", "Yuki", "Min"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def hanzi(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HANZI) for _ in range(n))


def build(path: Path, count: int) -> tuple[object, int, float]:
    from sqlalchemy.orm import Session

    from frontiers_de.accounts.models import User
    from frontiers_de.articles.models import Article, ArticleState
    from frontiers_de.db import get_engine
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.journals.services import ensure_default_journal
    from frontiers_de.production.jats.meta import Abstract, ArticleMeta, Contributor
    from frontiers_de.publishing.models import ArticleSearchDocument
    from frontiers_de.publishing.search import fields_from_meta
    from frontiers_de.submissions.models import Submission, SubmissionState

    engine = get_engine({"sqlalchemy.url": f"sqlite:///{path}"})
    upgrade(engine)
    rng = random.Random(2026)
    with Session(engine) as db:
        journal = ensure_default_journal(db)
        sections = [s.id for s in journal.sections] if hasattr(journal, "sections") else [None]
        user = User(
            email="bench@example.org",
            email_key="bench@example.org",
            given_name="B",
            family_name="C",
            security_stamp=0,
        )
        db.add(user)
        db.flush()
        indexing = 0.0
        for n in range(count):
            title = sentence(rng, rng.randint(6, 12))[:-1]
            meta = ArticleMeta(
                doi=f"10.5555/bench.{n:05d}",
                title=title,
                trans_titles=[("zh", hanzi(rng, rng.randint(8, 16)))],
                contributors=[
                    Contributor(
                        "author",
                        surname=rng.choice(SURNAMES),
                        given_names=rng.choice(GIVEN),
                        native_names=[("zh", hanzi(rng, 2))] if rng.random() < 0.3 else [],
                    )
                    for _ in range(rng.randint(1, 5))
                ],
                abstracts=[
                    Abstract("en", " ".join(sentence(rng, 14) for _ in range(14))),
                    Abstract("zh", hanzi(rng, 200)),
                ],
                keywords={"en": [rng.choice(WORDS) for _ in range(4)], "zh": [hanzi(rng, 4)]},
            )
            submission = Submission(
                journal_id=journal.id,
                submitter_id=user.id,
                title=title,
                state=SubmissionState.PUBLISHED,
                section_id=rng.choice(sections),
            )
            db.add(submission)
            db.flush()
            article = Article(
                journal_id=journal.id,
                submission_id=submission.id,
                state=ArticleState.PUBLISHED,
                doi=meta.doi,
                title=title,
                published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n % 1000),
            )
            db.add(article)
            db.flush()
            start = time.perf_counter()
            fields = fields_from_meta(meta)
            db.add(ArticleSearchDocument(article_id=article.id, **fields.columns()))
            indexing += time.perf_counter() - start
        db.commit()
        return engine, journal.id, indexing / count * 1000


def main() -> None:
    from sqlalchemy.orm import Session

    from frontiers_de.publishing.search import SearchFilters, parse_query, search

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        engine, journal_id, per_article = build(Path(tmp) / "bench.sqlite", count)
        size = (Path(tmp) / "bench.sqlite").stat().st_size / 1e6
        print(
            f"{count} articles built in {time.perf_counter() - started:.1f} s "
            f"(search fields {per_article:.2f} ms an article; database {size:.1f} MB)"
        )
        cases = [
            ("one common word", "pandemic", SearchFilters(), 1),
            ("two words", "learning analytics", SearchFilters(), 1),
            ("a phrase", '"remote blended"', SearchFilters(), 1),
            ("Chinese, 4 characters (3 pairs)", "学习分析", SearchFilters(), 1),
            ("a DOI", "10.5555/bench.01234", SearchFilters(), 1),
            ("an author", "Haddad", SearchFilters(), 1),
            ("a word not there", "zebra", SearchFilters(), 1),
            ("common word, year filter, page 5", "students", SearchFilters(year=2025), 5),
        ]
        medians = []
        with Session(engine) as db:
            for name, q, filters, page in cases:
                parsed = parse_query(q)
                samples = []
                total = 0
                for _ in range(15):
                    start = time.perf_counter()
                    result = search(db, journal_id, parsed, filters, page=page)
                    samples.append((time.perf_counter() - start) * 1000)
                    total = result.total
                medians.append(statistics.median(samples))
                print(
                    f"{name:36s} {total:5d} hits   median {medians[-1]:6.1f} ms   "
                    f"max {max(samples):6.1f} ms"
                )
        print(f"median over the queries: {statistics.median(medians):.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
