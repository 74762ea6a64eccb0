"""How long the account operations take: argon2 hashing with the app's parameters, and a
whole sign-in request (form, throttle check, verify, session) on a fresh SQLite database.

    .venv/bin/python bench/bench_accounts.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from pathlib import Path

warnings.simplefilter("ignore")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float]) -> None:
    print(f"{name:44s} median {statistics.median(samples):7.1f} ms   max {max(samples):7.1f} ms")


def main() -> None:
    from frontiers_de.accounts.passwords import make_password_hasher

    hasher = make_password_hasher({})
    print(
        f"argon2id parameters: t={hasher.time_cost} m={hasher.memory_cost} KiB "
        f"p={hasher.parallelism}"
    )
    digest = hasher.hash("a quiet harbour at dawn")
    report("hash one password", timed(lambda: hasher.hash("a quiet harbour at dawn"), 10))
    report(
        "verify one password", timed(lambda: hasher.verify(digest, "a quiet harbour at dawn"), 10)
    )
    report("hash a 256-character password", timed(lambda: hasher.hash("x" * 256), 10))

    import webtest

    from frontiers_de import main as make_app
    from frontiers_de.accounts.services import AccountService
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.journals.services import ensure_default_journal

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine = get_engine({"sqlalchemy.url": url})
        upgrade(engine)
        settings = {
            "sqlalchemy.url": url,
            "fde.session_secret": "bench-session-secret-0123456789abcdef",
            "fde.token_secret": "bench-token-secret-0123456789abcdef",
            "mail.backend": "file",
            "mail.outbox_dir": str(Path(tmp) / "mail"),
            "celery.always_eager": "true",
            "celery.broker_url": "memory://",
        }
        session = get_session_factory(engine)()
        ensure_default_journal(session, settings)
        AccountService.from_settings(session, settings).create_user(
            "bench@example.org", "a quiet harbour at dawn", verified=True
        )
        session.commit()
        session.close()
        app = webtest.TestApp(make_app({}, **settings), extra_environ={"HTTP_HOST": "localhost"})

        def sign_in(password: str) -> None:
            app.reset()
            page = app.get("/login")
            token = page.html.find("input", {"name": "csrf_token"})["value"]
            app.post(
                "/login", {"csrf_token": token, "email": "bench@example.org", "password": password}
            )

        report(
            "sign-in: GET form + POST (right password)",
            timed(lambda: sign_in("a quiet harbour at dawn"), 10),
        )
        report(
            "sign-in: GET form + POST (wrong password)",
            timed(lambda: sign_in("not the password"), 4),
        )
        report(
            "sign-in while throttled (no hashing)", timed(lambda: sign_in("not the password"), 4)
        )
        engine.dispose()


if __name__ == "__main__":
    main()
