"""How fast the outbox works: rendering and storing an email, and draining the outbox to a
real SMTP server (aiosmtpd on loopback), on a fresh SQLite database.

    .venv/bin/python bench/bench_mail.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.simplefilter("ignore")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(count: int) -> None:
    from aiosmtpd.controller import Controller

    from frontiers_de.config import resolve_settings
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.db.scope import session_scope
    from frontiers_de.mail.services import deliver_due, queue_email
    from tests.conftest import SMTPTestServer

    with tempfile.TemporaryDirectory() as tmp:
        server = SMTPTestServer()
        server.start()
        assert isinstance(server.controller, Controller)
        settings = resolve_settings(
            {"sqlalchemy.url": f"sqlite:///{tmp}/bench.sqlite", **server.settings}, environ={}
        )
        engine = get_engine(settings)
        upgrade(engine)
        factory = get_session_factory(engine)
        context = {"name": "Ada Okafor", "set_password_url": "http://localhost/set/abc"}

        start = time.perf_counter()
        with session_scope(factory) as db:
            for n in range(count):
                queue_email(
                    db, settings, "accounts_set_password", [f"user{n}@example.org"], context
                )
        queued = time.perf_counter() - start

        start = time.perf_counter()
        report = deliver_due(factory, settings, limit=count)
        drained = time.perf_counter() - start
        server.wait_for(count, timeout=60)
        server.stop()
        engine.dispose()

    print(f"emails                         {count}")
    print(f"render + store (one commit)    {queued * 1000 / count:7.2f} ms per email")
    print(f"deliver to SMTP (drain)        {drained * 1000 / count:7.2f} ms per email")
    print(f"drain throughput               {count / drained:7.1f} emails/s   ({report})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
