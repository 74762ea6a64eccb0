"""The per-client throttle on a database session, with a settable clock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontiers_de.config import resolve_settings
from frontiers_de.throttling.models import ThrottleEvent
from frontiers_de.throttling.services import (
    ClientThrottle,
    Limit,
    Throttled,
    ThrottleScope,
    limits_from_settings,
    parse_limit,
)

LOGIN = ThrottleScope.LOGIN
LINK = ThrottleScope.LINK


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def throttle(dbsession, clock):
    limits = limits_from_settings({"fde.throttle.login": "3/15m", "fde.throttle.link": "off"})
    return ClientThrottle(dbsession, limits, now=clock)


def rows(dbsession) -> int:
    return dbsession.scalar(select(func.count(ThrottleEvent.id)))


def test_under_the_limit_every_attempt_is_allowed(throttle):
    for _ in range(3):
        throttle.attempt(LOGIN, "192.0.2.1")
    with pytest.raises(Throttled) as err:
        throttle.attempt(LOGIN, "192.0.2.1")
    assert err.value.retry_after == dt.timedelta(minutes=15)
    assert err.value.minutes == 15
    assert err.value.seconds == 900


def test_the_wait_ends_when_the_oldest_attempt_leaves_the_window(throttle, clock):
    throttle.record(LOGIN, "192.0.2.1")
    clock.advance(minutes=5)
    throttle.record(LOGIN, "192.0.2.1")
    throttle.record(LOGIN, "192.0.2.1")
    clock.advance(minutes=1)
    with pytest.raises(Throttled) as err:
        throttle.check(LOGIN, "192.0.2.1")
    assert err.value.retry_after == dt.timedelta(minutes=9)
    clock.advance(minutes=9)  # the first attempt is 15 minutes old: out of the window
    throttle.check(LOGIN, "192.0.2.1")
    throttle.record(LOGIN, "192.0.2.1")
    with pytest.raises(Throttled) as err:  # the next two are still in it
        throttle.check(LOGIN, "192.0.2.1")
    assert err.value.retry_after == dt.timedelta(minutes=5)


def test_minutes_round_up_and_are_never_zero(throttle, clock):
    for _ in range(3):
        throttle.record(LOGIN, "192.0.2.1")
    clock.advance(minutes=14, seconds=59, microseconds=500000)
    with pytest.raises(Throttled) as err:
        throttle.check(LOGIN, "192.0.2.1")
    assert err.value.minutes == 1
    assert err.value.seconds == 1


def test_refused_attempts_do_not_count(throttle, clock, dbsession):
    for _ in range(3):
        throttle.attempt(LOGIN, "192.0.2.1")
    for _ in range(10):
        with pytest.raises(Throttled):
            throttle.attempt(LOGIN, "192.0.2.1")
    assert rows(dbsession) == 3
    clock.advance(minutes=15, seconds=1)
    throttle.attempt(LOGIN, "192.0.2.1")


def test_clients_and_scopes_are_counted_apart(throttle):
    for _ in range(3):
        throttle.record(LOGIN, "192.0.2.1")
    throttle.check(LOGIN, "192.0.2.2")
    throttle.check(ThrottleScope.REGISTER, "192.0.2.1")


def test_ipv6_clients_share_their_64_network(throttle):
    for host in ("2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:1:aaaa::3"):
        throttle.record(LOGIN, host)
    with pytest.raises(Throttled):
        throttle.check(LOGIN, "2001:db8:0:1:ffff::ffff")
    throttle.check(LOGIN, "2001:db8:0:2::1")


def test_unknown_addresses_are_one_client(throttle):
    for address in ("", "garbage", ""):
        throttle.record(LOGIN, address)
    with pytest.raises(Throttled):
        throttle.check(LOGIN, "")


def test_a_scope_switched_off_never_refuses_and_stores_nothing(throttle, dbsession):
    for _ in range(100):
        throttle.attempt(LINK, "192.0.2.1")
    assert rows(dbsession) == 0


def test_recording_drops_the_clients_expired_rows(throttle, clock, dbsession):
    throttle.record(LOGIN, "192.0.2.1")
    throttle.record(LOGIN, "192.0.2.2")
    clock.advance(minutes=16)
    throttle.record(LOGIN, "192.0.2.1")
    remaining = dbsession.execute(select(ThrottleEvent.client, ThrottleEvent.occurred_at)).all()
    # The other client's old row waits for the purge.
    assert sorted(c for c, _ in remaining) == ["192.0.2.1", "192.0.2.2"]
    assert all(at == clock.now for c, at in remaining if c == "192.0.2.1")


def test_purge_keeps_only_rows_that_still_count(throttle, clock, dbsession):
    throttle.record(LOGIN, "192.0.2.1")
    throttle.record(ThrottleScope.REGISTER, "192.0.2.2")  # default 10/1h
    dbsession.add(ThrottleEvent(scope="retired-scope", client="192.0.2.3", occurred_at=clock.now))
    dbsession.add(ThrottleEvent(scope="link", client="192.0.2.4", occurred_at=clock.now))  # off
    dbsession.flush()
    clock.advance(minutes=20)
    throttle.record(LOGIN, "192.0.2.5")
    assert throttle.purge() == 3  # the old login row, the unknown scope, the switched-off one
    left = set(dbsession.scalars(select(ThrottleEvent.client)))
    assert left == {"192.0.2.2", "192.0.2.5"}
    clock.advance(hours=1)
    assert throttle.purge() == 2
    assert rows(dbsession) == 0


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("30/15m", Limit(30, dt.timedelta(minutes=15))),
        (" 10 / 1H ", Limit(10, dt.timedelta(hours=1))),
        ("1/1m", Limit(1, dt.timedelta(minutes=1))),
        ("5/168h", Limit(5, dt.timedelta(days=7))),
        ("off", None),
        ("OFF", None),
    ],
)
def test_limits_are_read_from_settings(text, limit):
    assert parse_limit("fde.throttle.login", text) == limit


@pytest.mark.parametrize(
    "text",
    ["", "30", "30/15", "30/15s", "0/15m", "5/0m", "5/169h", "-1/5m", "lots", "30/15m; drop", None],
)
def test_malformed_limits_are_refused_by_name(text):
    with pytest.raises(ValueError, match=r"fde\.throttle\.login"):
        parse_limit("fde.throttle.login", text)


def test_every_scope_has_a_sensible_default():
    limits = limits_from_settings(resolve_settings({}, environ={}))
    assert set(limits) == set(ThrottleScope)
    for scope, limit in limits.items():
        assert limit is not None, scope
        assert 5 <= limit.count <= 100
        assert dt.timedelta(minutes=5) <= limit.window <= dt.timedelta(hours=24)


def test_the_environment_overrides_a_limit():
    settings = resolve_settings(
        {"fde.throttle.login": "30/15m"},
        environ={"FDE_THROTTLE_LOGIN": "3/1m", "FDE_TRUSTED_PROXIES": "10.0.0.1"},
    )
    assert limits_from_settings(settings)[LOGIN] == Limit(3, dt.timedelta(minutes=1))
    assert settings["fde.trusted_proxies"] == "10.0.0.1"


def test_the_app_refuses_to_start_with_a_malformed_limit(app_settings):
    from frontiers_de import main

    with pytest.raises(ValueError, match=r"fde\.throttle\.register"):
        main({}, **{**app_settings, "fde.throttle.register": "ten per hour"})
    with pytest.raises(ValueError, match=r"fde\.trusted_proxies"):
        main({}, **{**app_settings, "fde.trusted_proxies": "the load balancer"})


def test_the_purge_task_runs_on_the_database(wsgi_app, engine):
    from frontiers_de.tasks import beat_schedule, celery_app, import_task_modules
    from tests.factories import app_session

    import_task_modules()
    assert beat_schedule({})["purge-throttle-events"]["task"] == "frontiers_de.throttling.purge"
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    with app_session(wsgi_app) as db:
        db.add(ThrottleEvent(scope="login", client="192.0.2.1", occurred_at=old))
        db.add(
            ThrottleEvent(scope="login", client="192.0.2.2", occurred_at=dt.datetime.now(dt.UTC))
        )
    assert celery_app.tasks["frontiers_de.throttling.purge"].apply().get() == 1
    with app_session(wsgi_app) as db:
        assert list(db.scalars(select(ThrottleEvent.client))) == ["192.0.2.2"]
