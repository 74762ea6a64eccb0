"""Per-client throttling: how often one client (IP address) may try each kind of action.

The rule, for every scope alike: a client that has ``count`` counted attempts within the
last ``window`` is refused until the oldest of them leaves the window. Attempts are rows of
``throttle_events`` written in the request's transaction, so the count is shared by every
process and worker on the database (SQLite or PostgreSQL). A refused attempt is not counted,
so waiting is always enough.

Limits are settings, ``fde.throttle.<scope>`` (``frontiers_de/config.py``), e.g. ``30/15m``
or ``10/1h``; ``off`` switches a scope off. IPv6 clients are counted by /64 network
(:func:`frontiers_de.security.client.client_key`).

Counting and recording are one step that concurrent requests take in turn, or requests
arriving together would all count the same rows and all pass (20 parallel registrations got
through a limit of 10 as 11-12): :meth:`ClientThrottle.attempt` first takes the client's
turn (a transaction-scoped advisory lock per scope and client on PostgreSQL; on SQLite the
write it makes first takes the database's single write lock), records the attempt, then
counts it with the others, and takes it back when that is over the limit.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.security.client import client_key
from frontiers_de.throttling.models import ThrottleEvent


class ThrottleScope(enum.StrEnum):
    """The kinds of action counted per client; each has its own limit."""

    LOGIN = "login"  # failed sign-ins, whichever address was tried (password spraying)
    REGISTER = "register"  # registration attempts
    PASSWORD_RESET = "password_reset"  # password-reset requests
    VERIFY_RESEND = "verify_resend"  # "send the confirmation link again"
    EMAIL_CHANGE = "email_change"  # requests to change an account's address
    LINK = "link"  # emailed links (verification, reset, proof, address change) that failed


@dataclass(frozen=True)
class Limit:
    count: int
    window: dt.timedelta


# The longest window a setting may give: rows are kept this long at most.
MAX_WINDOW = dt.timedelta(days=7)
_LIMIT = re.compile(r"(\d{1,6})\s*/\s*(\d{1,5})\s*([mh])")


def parse_limit(name: str, text: Any) -> Limit | None:
    """``"30/15m"`` -> 30 attempts per 15 minutes; ``"10/1h"`` per hour; ``"off"`` -> None.
    Anything else raises ValueError naming the setting, so a typo stops the app starting
    rather than silently switching protection off."""
    value = str(text if text is not None else "").strip().lower()
    if value == "off":
        return None
    match = _LIMIT.fullmatch(value)
    if match is None:
        raise ValueError(
            f"{name}: {text!r} is not a limit; write COUNT/WINDOW such as 30/15m or 10/1h, or off"
        )
    count, amount, unit = int(match[1]), int(match[2]), match[3]
    window = dt.timedelta(minutes=amount) if unit == "m" else dt.timedelta(hours=amount)
    if count < 1 or not dt.timedelta(minutes=1) <= window <= MAX_WINDOW:
        raise ValueError(
            f"{name}: {text!r} needs a count of at least 1 and a window between 1 minute and 7 days"
        )
    return Limit(count, window)


def limits_from_settings(settings: Mapping[str, Any]) -> dict[ThrottleScope, Limit | None]:
    """Every scope's limit from ``fde.throttle.<scope>`` (the defaults in config.py)."""
    from frontiers_de.throttling.settings import ThrottleSettings

    throttle = ThrottleSettings.of(settings)
    limits: dict[ThrottleScope, Limit | None] = {}
    for scope in ThrottleScope:
        key = f"fde.throttle.{scope.value}"
        limits[scope] = parse_limit(key, getattr(throttle, scope.value))
    return limits


class Throttled(Exception):
    """A client has tried too often; ``retry_after`` says how long until it may again."""

    field: str | None = None  # a form shows it above the fields, not at one of them

    def __init__(self, scope: ThrottleScope, retry_after: dt.timedelta) -> None:
        self.scope = scope
        self.retry_after = max(retry_after, dt.timedelta(seconds=1))
        self.seconds = math.ceil(self.retry_after.total_seconds())
        self.minutes = max(1, math.ceil(self.seconds / 60))
        self.message: TranslationString = _(
            "Too many attempts from your network. Please try again in ${minutes} minute(s).",
            mapping={"minutes": self.minutes},
        )
        super().__init__(f"{scope.value}: retry after {self.seconds} s")


class ClientThrottle:
    """The throttle over one database session (``request.throttle`` in the app)."""

    def __init__(
        self,
        db: Session,
        limits: Mapping[ThrottleScope, Limit | None],
        now: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.limits = dict(limits)
        self.now = now

    @classmethod
    def from_settings(
        cls, db: Session, settings: Mapping[str, Any], now: Callable[[], dt.datetime] = utcnow
    ) -> ClientThrottle:
        return cls(db, limits_from_settings(settings), now)

    def _take_turn(self, scope: ThrottleScope, key: str, limit: Limit, now: dt.datetime) -> None:
        """Make this transaction the only one counting ``key``'s attempts at ``scope`` until
        it ends, and drop its attempts that left the window.

        PostgreSQL: an advisory lock on (scope, client), released at commit or rollback.
        SQLite: the DELETE is a write, and SQLite lets one transaction write at a time, so
        from here on no other request can record an attempt before we commit."""
        if self.db.get_bind().dialect.name == "postgresql":
            digest = hashlib.sha256(f"fde.throttle:{scope.value}:{key}".encode()).digest()
            self.db.execute(
                select(func.pg_advisory_xact_lock(int.from_bytes(digest[:8], "big", signed=True)))
            )
        self.db.execute(
            delete(ThrottleEvent).where(
                ThrottleEvent.scope == scope.value,
                ThrottleEvent.client == key,
                ThrottleEvent.occurred_at <= now - limit.window,
            )
        )

    def _recent(
        self, scope: ThrottleScope, key: str, limit: Limit, now: dt.datetime, count: int
    ) -> list[tuple[int, dt.datetime]]:
        """The newest ``count`` attempts of ``key`` in the window, newest first."""
        return [
            (row.id, row.occurred_at)
            for row in self.db.execute(
                select(ThrottleEvent.id, ThrottleEvent.occurred_at)
                .where(
                    ThrottleEvent.scope == scope.value,
                    ThrottleEvent.client == key,
                    ThrottleEvent.occurred_at > now - limit.window,
                )
                .order_by(ThrottleEvent.occurred_at.desc(), ThrottleEvent.id.desc())
                .limit(count)
            )
        ]

    def retry_after(self, scope: ThrottleScope, client: str) -> dt.timedelta | None:
        """How long ``client`` must still wait before trying ``scope``; None: it may now.

        Takes the client's turn (see :meth:`_take_turn`), so that an attempt recorded later
        in the same transaction (a failed sign-in) is counted against what was seen here."""
        limit = self.limits.get(scope)
        if limit is None:
            return None
        key = client_key(client)
        now = self.now()
        self._take_turn(scope, key, limit, now)
        recent = self._recent(scope, key, limit, now, limit.count)
        if len(recent) < limit.count:
            return None
        return recent[-1][1] + limit.window - now

    def check(self, scope: ThrottleScope, client: str) -> None:
        """Raise :class:`Throttled` when ``client`` may not try ``scope`` now."""
        wait = self.retry_after(scope, client)
        if wait is not None:
            raise Throttled(scope, wait)

    def record(self, scope: ThrottleScope, client: str) -> None:
        """Count one attempt of ``client`` (and drop its attempts that left the window)."""
        limit = self.limits.get(scope)
        if limit is None:
            return
        key = client_key(client)
        now = self.now()
        self._take_turn(scope, key, limit, now)
        self.db.add(ThrottleEvent(scope=scope.value, client=key, occurred_at=now))
        self.db.flush()

    def attempt(self, scope: ThrottleScope, client: str) -> None:
        """An action where every try counts: refuse it when over the limit, else count it.

        Recorded first and counted with the others in the same turn: of requests arriving
        together, exactly as many as the limit allows get through. A refused attempt is
        taken back (not counted), so waiting is always enough."""
        limit = self.limits.get(scope)
        if limit is None:
            return
        key = client_key(client)
        now = self.now()
        self._take_turn(scope, key, limit, now)
        event = ThrottleEvent(scope=scope.value, client=key, occurred_at=now)
        self.db.add(event)
        self.db.flush()
        recent = self._recent(scope, key, limit, now, limit.count + 1)
        if len(recent) <= limit.count:
            return
        self.db.delete(event)
        self.db.flush()
        others = [at for row_id, at in recent if row_id != event.id]
        raise Throttled(scope, others[limit.count - 1] + limit.window - now)

    def purge(self) -> int:
        """Delete every row that no longer counts (of any client); the number deleted."""
        now = self.now()
        deleted = 0
        for scope in ThrottleScope:
            limit = self.limits.get(scope)
            condition = ThrottleEvent.scope == scope.value
            if limit is not None:
                condition = condition & (ThrottleEvent.occurred_at <= now - limit.window)
            deleted += self.db.execute(delete(ThrottleEvent).where(condition)).rowcount or 0
        # Scopes this version does not know (renamed or removed ones).
        known = [scope.value for scope in ThrottleScope]
        deleted += (
            self.db.execute(delete(ThrottleEvent).where(ThrottleEvent.scope.not_in(known))).rowcount
            or 0
        )
        return deleted
