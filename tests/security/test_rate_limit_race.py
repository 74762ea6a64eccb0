"""Rate limits hold under parallel requests.

Found by a bounded load run: the per-client limits were check-then-insert (count the
client's recent attempts, then record this one), so requests arriving together all counted
the same rows: 20 parallel registrations from one address passed a limit of 10 as 11-12.

Replayed against ``live_server`` (loopback, 20 threads at most): exactly 10 registrations
pass, the other 10 are refused with the "too many attempts" message, and the throttle
table holds exactly the 10 counted attempts (a refused attempt is not counted).
"""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import func, select

from frontiers_de.accounts.models import User
from frontiers_de.throttling.models import ThrottleEvent
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal
from tests.security.live_clients import TIMEOUT, at_once, csrf_of

LIMIT = 10
PARALLEL = 20
LIMITED = "Too many attempts from your network"


@pytest.fixture
def app_settings(app_settings):
    return {**app_settings, "fde.throttle.register": f"{LIMIT}/1h"}


def test_parallel_registrations_pass_the_limit_exactly(wsgi_app, live_server):
    with app_session(wsgi_app) as db:
        make_journal(db)
    # Each "browser" has its form open, with its own session and CSRF token.
    browsers = []
    for _ in range(PARALLEL):
        browser = requests.Session()
        page = browser.get(f"{live_server}/register", timeout=TIMEOUT)
        browsers.append((browser, csrf_of(page.text)))

    def register(n: int):
        browser, token = browsers[n]

        def call() -> requests.Response:
            return browser.post(
                f"{live_server}/register",
                data={
                    "csrf_token": token,
                    "email": f"new{n}@example.org",
                    "given_name": "Ada",
                    "family_name": "Lovelace",
                    "password": DEFAULT_PASSWORD,
                    "password_confirm": DEFAULT_PASSWORD,
                    "preferred_language": "en",
                },
                allow_redirects=False,
                timeout=TIMEOUT,
            )

        return call

    answers = at_once([register(n) for n in range(PARALLEL)])
    for res in answers:
        assert not isinstance(res, Exception), res
    statuses = sorted(res.status_code for res in answers)
    passed = [res for res in answers if res.status_code == 302]
    refused = [res for res in answers if res.status_code != 302]
    assert len(passed) == LIMIT, statuses
    assert all(res.status_code == 200 and LIMITED in res.text for res in refused), statuses
    with app_session(wsgi_app) as db:
        assert db.scalar(select(func.count(User.id))) == LIMIT
        counted = db.scalar(
            select(func.count(ThrottleEvent.id)).where(ThrottleEvent.scope == "register")
        )
        assert counted == LIMIT
