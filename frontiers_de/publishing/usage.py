"""Usage figures, as the COUNTER Code of Practice (Release 5) counts them: article page
views (investigations) and PDF or JATS XML downloads (requests), per article and month.

What is not counted:
- robots and machines, by the COUNTER robots list (the ``counter-robots`` package; its
  patterns are matched as written and on the lower-cased user agent, since the list's
  ``bot`` is meant to catch ``AhrefsBot`` too), and a request without a user agent;
- double-clicks: a use of the same item, of the same kind, by the same client (user agent
  and address) within 30 seconds of the previous one is the same use. The window slides
  as COUNTER's rule applies pairwise: clicks at 0, 20 and 40 seconds count once.

No personal data is kept. The double-click rule needs to know that a client used an item a
moment ago; it keeps only a salted hash of (user agent, address, item, kind) with the
moment, and deletes every mark older than the window as uses come in. The salt is an HMAC
of the site's token secret and the current hour, so it rotates every hour and a hash
cannot be tied to one from another hour; the previous hour's key is looked up too, so a
double-click across the hour is still one use.

Counting never slows or breaks a page: one savepoint in the request's transaction, a
handful of indexed statements, and any database error in it is logged and dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import counter_robots
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article
from frontiers_de.publishing.models import UsageClick, UsageCount

log = logging.getLogger(__name__)

DOUBLE_CLICK_SECONDS = 30
VIEW, PDF, XML = "view", "pdf", "xml"
KINDS = (VIEW, PDF, XML)
DOWNLOADS = (PDF, XML)
MAX_USER_AGENT = 1000  # longer agents are cut before hashing (and robot matching)

# Without a configured secret (a test, a quick demo) the process draws its own.
_FALLBACK_SECRET = secrets.token_hex(32)


def is_robot(user_agent: str | None) -> bool:
    """Whether COUNTER would leave this user agent out: a robot or machine on its list, or
    no user agent at all."""
    agent = (user_agent or "").strip()[:MAX_USER_AGENT]
    if not agent:
        return True
    return counter_robots.is_robot(agent) or counter_robots.is_robot(agent.lower())


def month_of(moment: dt.datetime) -> str:
    """The month a use counts in: ``YYYY-MM`` of its UTC time."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m")


def _salt(secret: str, moment: dt.datetime) -> bytes:
    hour = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H")
    return hmac.new(secret.encode("utf-8"), f"usage-salt:{hour}".encode(), "sha256").digest()


def click_key(
    secret: str, moment: dt.datetime, user_agent: str, client: str, article_id: int, kind: str
) -> str:
    """The salted hash that stands for one client's use of one item (the salt of
    ``moment``'s hour)."""
    message = "\x1f".join((user_agent[:MAX_USER_AGENT], client, str(article_id), kind))
    return hmac.new(_salt(secret, moment), message.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Use:
    """One request for an item, as the counter sees it."""

    article_id: int
    kind: str
    user_agent: str
    client: str
    at: dt.datetime


def record_use(db: Session, use: Use, secret: str = "") -> bool:
    """Count ``use`` unless it is a robot's or a double-click; True when it was counted.
    Never raises for a database error: the page matters more than the figure."""
    if use.kind not in KINDS:
        raise ValueError(f"unknown usage kind {use.kind!r}")
    if is_robot(use.user_agent):
        return False
    try:
        with db.begin_nested():
            return _record(db, use, secret or _FALLBACK_SECRET)
    except SQLAlchemyError:
        log.warning("usage of article %s not counted", use.article_id, exc_info=True)
        return False


def _record(db: Session, use: Use, secret: str) -> bool:
    window_start = use.at - dt.timedelta(seconds=DOUBLE_CLICK_SECONDS)
    # the marks of the window that has passed go first: no hash outlives it
    db.execute(delete(UsageClick).where(UsageClick.seen_at < window_start))
    agent = use.user_agent.strip()
    key = click_key(secret, use.at, agent, use.client, use.article_id, use.kind)
    earlier = click_key(
        secret, use.at - dt.timedelta(hours=1), agent, use.client, use.article_id, use.kind
    )
    recent = db.scalars(
        select(UsageClick).where(UsageClick.key.in_({key, earlier})).with_for_update()
    ).all()
    if recent:
        for mark in recent:
            mark.seen_at = use.at  # a double-click: the window starts again from this one
        db.flush()
        return False
    db.add(UsageClick(key=key, seen_at=use.at))
    _increment(db, use.article_id, month_of(use.at), use.kind)
    db.flush()
    return True


def _increment(db: Session, article_id: int, month: str, kind: str) -> None:
    done = db.execute(
        update(UsageCount)
        .where(
            UsageCount.article_id == article_id,
            UsageCount.month == month,
            UsageCount.kind == kind,
        )
        .values(count=UsageCount.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        db.add(UsageCount(article_id=article_id, month=month, kind=kind, count=1))


def forget_expired_clicks(db: Session, now: dt.datetime) -> int:
    """Delete the double-click marks older than the window (also done on every use)."""
    cutoff = now - dt.timedelta(seconds=DOUBLE_CLICK_SECONDS)
    result = db.execute(delete(UsageClick).where(UsageClick.seen_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- reading the figures --------------------------------------------------------------------


@dataclass(frozen=True)
class UsageTotals:
    """An article's figures since it was published."""

    views: int = 0
    pdf: int = 0
    xml: int = 0

    @property
    def downloads(self) -> int:
        return self.pdf + self.xml


def article_totals(db: Session, article_id: int) -> UsageTotals:
    """Views and downloads of one article over every month (zeros on a database error)."""
    try:
        rows = db.execute(
            select(UsageCount.kind, func.sum(UsageCount.count))
            .where(UsageCount.article_id == article_id)
            .group_by(UsageCount.kind)
        ).all()
    except SQLAlchemyError:
        log.warning("usage of article %s not read", article_id, exc_info=True)
        return UsageTotals()
    by_kind = {kind: int(total or 0) for kind, total in rows}
    return UsageTotals(views=by_kind.get(VIEW, 0), pdf=by_kind.get(PDF, 0), xml=by_kind.get(XML, 0))


def most_read(
    db: Session, journal_id: int, limit: int = 5, visible: Iterable[object] = ()
) -> list[tuple[Article, int]]:
    """The journal's shown articles with the most uses (views and downloads), most first;
    ``visible`` are the article states shown to readers."""
    total = func.sum(UsageCount.count).label("total")
    query = (
        select(Article, total)
        .join(UsageCount, UsageCount.article_id == Article.id)
        .where(Article.journal_id == journal_id, Article.doi.is_not(None))
        .group_by(Article.id)
        .order_by(total.desc(), Article.id)
        .limit(limit)
    )
    states = list(visible)
    if states:
        query = query.where(Article.state.in_(states))
    return [(article, int(n or 0)) for article, n in db.execute(query).all()]


@dataclass
class MonthlyFigures:
    """Counts of one article by month and kind: ``counts[(month, kind)]``."""

    article_id: int
    counts: dict[tuple[str, str], int] = field(default_factory=dict)


def monthly_counts(
    db: Session, journal_id: int, first: str, last: str
) -> dict[int, MonthlyFigures]:
    """Every count of the journal's articles from month ``first`` to ``last`` (``YYYY-MM``,
    both included), by article."""
    rows = db.execute(
        select(UsageCount.article_id, UsageCount.month, UsageCount.kind, UsageCount.count)
        .join(Article, Article.id == UsageCount.article_id)
        .where(
            Article.journal_id == journal_id,
            UsageCount.month >= first,
            UsageCount.month <= last,
        )
    ).all()
    out: dict[int, MonthlyFigures] = {}
    for article_id, month, kind, count in rows:
        figures = out.setdefault(article_id, MonthlyFigures(article_id))
        figures.counts[(month, kind)] = figures.counts.get((month, kind), 0) + int(count)
    return out
