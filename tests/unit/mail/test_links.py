"""Every email's links come from ``mail.links.email_url``: the app's route table under
``fde.base_url``, the same in a request (whatever host it came to), outside one (a Celery
task, the command line) and in a subscriber run by a registry of subscribers alone (which
has no routes); and what the subscribers send with outside an app."""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.interfaces import IRoutesMapper
from pyramid.request import Request
from pyramid.scripting import prepare

from frontiers_de import events, tasks
from frontiers_de.mail.links import _routes_registry, email_url
from frontiers_de.mail.models import OutboxState
from frontiers_de.mail.services import mail_held, send_email, settings_of
from tests.notifications import BASE, SETTINGS

RESET = f"{BASE}/password/reset/abc"


def test_outside_any_request_and_app_the_links_are_under_base_url():
    assert email_url(SETTINGS, "accounts.reset", token="abc") == RESET
    assert email_url({**SETTINGS, "fde.base_url": f"{BASE}/journal/"}, "home") == f"{BASE}/journal/"
    link = email_url(SETTINGS, "review.invitation", token="t", _query={"answer": "accept"})
    assert link == f"{BASE}/review/invitations/t?answer=accept"


def test_in_a_request_to_another_host_the_links_are_the_same():
    config = Configurator(settings=SETTINGS)
    config.include("frontiers_de.routes")
    config.include("frontiers_de.mail.links")
    config.commit()
    request = Request.blank("/", base_url="http://evil.example")
    request.registry = config.registry
    env = prepare(request=request, registry=config.registry)
    try:
        assert request.route_url("accounts.reset", token="abc").startswith("http://evil.example")
        assert request.email_url("accounts.reset", token="abc") == RESET
        assert email_url(request.registry.settings, "accounts.reset", token="abc") == RESET
    finally:
        env["closer"]()


def test_a_subscriber_of_a_registry_without_routes_builds_its_links(monkeypatch):
    @dataclass(frozen=True, kw_only=True)
    class Happened(events.DomainEvent):
        pass

    registry = events.subscribers_registry(SETTINGS)
    assert registry.queryUtility(IRoutesMapper) is None
    links: list[str] = []
    registry.registerHandler(
        lambda e: links.append(email_url(settings_of(e), "accounts.reset", token="abc")),
        (Happened,),
    )
    events.notify(Happened(db=None), registry)
    assert links == [RESET]


def test_the_links_follow_the_apps_route_table(wsgi_app):
    def routes(registry):
        return {r.name: r.pattern for r in registry.getUtility(IRoutesMapper).get_routes()}

    assert routes(_routes_registry()) == routes(wsgi_app.registry)


def test_without_an_app_subscribers_send_with_the_tasks_settings(monkeypatch):
    @dataclass(frozen=True, kw_only=True)
    class Happened(events.DomainEvent):
        pass

    monkeypatch.setitem(tasks._state, "settings", {"fde.base_url": "https://worker.example"})
    assert settings_of(Happened(db=None))["fde.base_url"] == "https://worker.example"
    assert settings_of(Happened(db=None, settings=SETTINGS)) is SETTINGS


def test_send_email_queues_and_held_mail_does_not(dbsession):
    row = send_email(dbsession, SETTINGS, "accounts_reset", ["ada@example.org"], _reset())
    assert row.state is OutboxState.PENDING and RESET in row.body_text
    with mail_held(dbsession):
        assert (
            send_email(dbsession, SETTINGS, "accounts_reset", ["a@example.org"], _reset()) is None
        )
        with mail_held(dbsession):
            pass
        assert (
            send_email(dbsession, SETTINGS, "accounts_reset", ["a@example.org"], _reset()) is None
        )
    assert send_email(dbsession, SETTINGS, "accounts_reset", ["a@example.org"], _reset())


def _reset() -> dict[str, object]:
    return {"name": "Ada", "reset_url": RESET, "valid_hours": 2}
