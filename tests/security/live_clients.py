"""Real HTTP clients for the race and fault tests: signed-in ``requests`` sessions against
the ``live_server`` (waitress on loopback), and a helper that fires several requests at the
same moment from a bounded number of threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from bs4 import BeautifulSoup

from tests.factories import DEFAULT_PASSWORD

# Never more threads than this, whatever a test asks for: the machine is shared.
MAX_THREADS = 20
TIMEOUT = 30


def csrf_of(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", {"name": "csrf_token"})
    assert field is not None, "no CSRF token on the page"
    return str(field["value"])


def signed_in(base_url: str, email: str, password: str = DEFAULT_PASSWORD) -> requests.Session:
    """A browser-like session signed in as ``email``."""
    client = requests.Session()
    page = client.get(f"{base_url}/login", timeout=TIMEOUT)
    res = client.post(
        f"{base_url}/login",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": password},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert res.status_code == 302, res.text[:500]
    return client


def form_values(html: str, marker: str) -> dict[str, str]:
    """The values of the first form on the page that has a field named ``marker``."""
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if form.find(attrs={"name": marker}) is None:
            continue
        values: dict[str, str] = {}
        for field in form.find_all(["input", "textarea", "select"]):
            name = field.get("name")
            if not name or field.get("type") in ("submit", "button", "file"):
                continue
            if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            if field.name == "textarea":
                values[name] = field.text
            elif field.name == "select":
                chosen = field.find("option", selected=True) or field.find("option")
                values[name] = str(chosen.get("value", "")) if chosen is not None else ""
            else:
                values[name] = str(field.get("value", ""))
        return values
    raise AssertionError(f"no form with a field {marker!r}")


def at_once(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run ``calls`` in parallel threads released together by a barrier; their results in
    order (an exception is returned in its place, so one failure does not hide the rest)."""
    assert 0 < len(calls) <= MAX_THREADS
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait(timeout=TIMEOUT)
        try:
            return call()
        except Exception as exc:  # reported to the test, not swallowed
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
