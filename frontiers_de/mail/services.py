"""Email: render a template, store it in the outbox, deliver it after commit, retry.

Every email is an :class:`OutboxEmail` row first, written in the same transaction as the
change that caused it: a request that fails sends nothing, and a message whose delivery
fails (SMTP or broker down) stays in the table until :func:`deliver_due` gets it out —
the beat schedule runs it every minute, ``fde mail drain`` by hand.

The domains' notifications are subscribers of the events their services announce (see
:mod:`frontiers_de.events`): they send with :func:`send_email` on the event's session and
:func:`settings_of` the event, and build their links with
:func:`frontiers_de.mail.links.email_url`; no view sends mail. :func:`mail_held` keeps a
session's events from mailing anyone (the demo's seeding).

:func:`send_email` asks each recipient's choice for the template's kind of notification
(``mail/kinds.py``, ``mail/preferences.py``): at once (the default, and always for the kinds
a process needs), in the daily digest (:func:`keep_for_digest`; ``mail/digest.py`` sends
it), or off. :func:`queue_email` itself asks no one: the digest and any email that must go
whatever the recipient chose use it directly.

Templates live in ``templates/email/<name>/``: ``subject.txt``, ``body.txt`` and an optional
``body.html``. A language variant (``subject.zh.txt``, ``body.zh.txt``, ``body.zh.html``) is
used when the context's ``lang`` (the recipient's preferred language) names one.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

import jinja2
import transaction
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frontiers_de import package_files
from frontiers_de.accounts.models import User
from frontiers_de.config import DEFAULTS, backoff
from frontiers_de.db.scope import session_scope
from frontiers_de.events import DomainEvent
from frontiers_de.mail import letters, overrides
from frontiers_de.mail.kinds import kind_of
from frontiers_de.mail.links import base_url
from frontiers_de.mail.models import DigestItem, OutboxEmail, OutboxState
from frontiers_de.mail.preferences import route
from frontiers_de.mail.sender import (
    MailSender,
    PermanentDeliveryError,
    build_message,
    clean_address,
    clean_subject,
    sender_from_settings,
)
from frontiers_de.mail.settings import MailSettings
from frontiers_de.tasks import enqueue_after_commit, task_settings

log = logging.getLogger(__name__)

# Retry policy (``MailSettings``: max_attempts, retry_base_seconds, retry_max_seconds,
# through config.backoff): waits of 1, 2, 4, 8, 16 … minutes, at most 6 hours apart.
# While a sender works on a row, others leave it alone for this long; if the sender dies
# mid-way the row becomes due again afterwards (delivery is at least once).
CLAIM_SECONDS = 300
# The task that delivers one email (``mail/tasks.py``), named rather than imported: the
# tasks module imports these services, and the name is looked up when the task is sent.
DELIVER_EMAIL = "frontiers_de.mail.deliver_email"


class TemplateNotFound(LookupError):
    """No such email template (``templates/email/<name>/subject.txt`` and ``body.txt``)."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def _template_dirs(settings: Mapping[str, Any]) -> tuple[str, ...]:
    raw = settings.get("jinja2.directories") or DEFAULTS["jinja2.directories"]
    if isinstance(raw, str):
        raw = raw.split()
    # Asset specs (the default, frontiers_de.templates:) resolve through their package, as
    # pyramid_jinja2 resolves them for pages.
    return tuple(str(package_files.directory(d) / "email") for d in raw)


@functools.lru_cache(maxsize=8)
def _environments(dirs: tuple[str, ...]) -> tuple[jinja2.Environment, jinja2.Environment]:
    """One environment for text (no escaping: it is not HTML) and one for HTML (escaped).
    Undefined names are errors: an email with a blank where a link should be is worse
    than none."""
    loader = jinja2.FileSystemLoader(list(dirs))
    common = {"loader": loader, "undefined": jinja2.StrictUndefined, "keep_trailing_newline": True}
    return (
        jinja2.Environment(autoescape=False, **common),
        jinja2.Environment(autoescape=True, **common),
    )


def _pick(env: jinja2.Environment, names: Sequence[str]) -> jinja2.Template | None:
    for name in names:
        try:
            return env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
    return None


def render_email(
    settings: Mapping[str, Any],
    template: str,
    context: Mapping[str, Any],
    db: Session | None = None,
) -> RenderedEmail:
    """Subject, text body and (possibly empty) HTML body of one email template.

    In this order: a letter the editor edited (the context's ``edited_letter``,
    :mod:`frontiers_de.mail.letters`), sent as written; with ``db``, the journal's own text
    for the recipient's language (:mod:`frontiers_de.mail.overrides`, text only); else the
    default files."""
    if not template or "/" in template or "\\" in template or template.startswith("."):
        raise TemplateNotFound(f"invalid email template name {template!r}")
    edited = context.get(letters.LETTER_KEY)
    if isinstance(edited, letters.EditedLetter):
        return _plain(*letters.fill(template, edited, context))
    if db is not None and (own := overrides.render_override(db, template, context)):
        return _plain(*own)
    text_env, html_env = _environments(_template_dirs(settings))
    lang = str(context.get("lang") or "").strip().lower()

    def variants(stem: str, ext: str) -> list[str]:
        names = [f"{template}/{stem}.{lang}.{ext}"] if lang and lang.isalnum() else []
        return [*names, f"{template}/{stem}.{ext}"]

    subject_t = _pick(text_env, variants("subject", "txt"))
    body_t = _pick(text_env, variants("body", "txt"))
    if subject_t is None or body_t is None:
        raise TemplateNotFound(
            f"email template {template!r} needs subject.txt and body.txt "
            f"under {', '.join(_template_dirs(settings))}"
        )
    html_t = _pick(html_env, variants("body", "html"))
    return RenderedEmail(
        subject=clean_subject(subject_t.render(context)),
        body_text=body_t.render(context).strip() + "\n",
        body_html=html_t.render(context) if html_t is not None else "",
    )


def _plain(subject: str, body: str) -> RenderedEmail:
    return RenderedEmail(clean_subject(subject), body.strip() + "\n", "")


def default_source(settings: Mapping[str, Any], template: str, lang: str) -> tuple[str, str]:
    """The Jinja source of the default subject and text body of ``template`` in ``lang``
    (its variant file, else the English one): what the admin starts an override from."""
    text_env, _html = _environments(_template_dirs(settings))
    loader = text_env.loader
    assert loader is not None
    out = []
    for stem in ("subject", "body"):
        names = [f"{template}/{stem}.{lang}.txt", f"{template}/{stem}.txt"]
        for name in names if lang and lang.isalnum() else names[1:]:
            try:
                out.append(loader.get_source(text_env, name)[0])
                break
            except jinja2.TemplateNotFound:
                continue
        else:
            raise TemplateNotFound(f"email template {template!r} has no {stem}.txt")
    return out[0], out[1]


def queue_email(
    db: Session,
    settings: Mapping[str, Any],
    template: str,
    to: Sequence[str],
    context: Mapping[str, Any],
    journal: Any = None,
) -> OutboxEmail:
    """Render ``template`` and add it to the outbox in ``db``'s current transaction.

    Nothing is sent here: the caller's transaction decides whether the email exists.
    Raises :class:`~frontiers_de.mail.sender.InvalidAddress` for a bad recipient and
    :class:`TemplateNotFound` for an unknown template.
    """
    if isinstance(to, str):
        raise TypeError("to must be a list of addresses, not one string")
    recipients = [clean_address(a) for a in to]
    if not recipients:
        raise ValueError("an email needs at least one recipient")
    rendered = render_email(settings, template, _full_context(settings, context, journal), db)
    sender = clean_address(MailSettings.of(settings).default_sender)
    row = OutboxEmail(
        journal_id=getattr(journal, "id", None),
        recipients=recipients,
        sender=sender,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        template=template,
        state=OutboxState.PENDING,
        attempts=0,
        next_attempt_at=dt.datetime.now(dt.UTC),
    )
    db.add(row)
    db.flush()
    return row


def _full_context(
    settings: Mapping[str, Any], context: Mapping[str, Any], journal: Any
) -> dict[str, Any]:
    return {"journal": journal, "base_url": base_url(settings), **context}


def deliver_after_commit(tm: transaction.TransactionManager, email_id: int) -> None:
    """Deliver outbox row ``email_id`` by the ``deliver_email`` task once ``tm``'s
    transaction has committed (if it never does, neither the row nor the task exists)."""
    enqueue_after_commit(tm, DELIVER_EMAIL, email_id)


# --- sending from an event's subscriber -------------------------------------------------

_HELD = "mail_held"  # db.info key: inside mail_held()


def send_email(
    db: Session,
    settings: Mapping[str, Any],
    template: str,
    to: Sequence[str],
    context: Mapping[str, Any],
    journal: Any = None,
) -> OutboxEmail | None:
    """Queue an email from ``template`` in ``db``'s transaction, delivered by a background
    task once (and only if) that transaction commits: what the notification subscribers
    send with, in a request or not (a session of a transaction manager, as requests, tasks
    and the command line have; a bare session's email waits for the periodic drain).

    Each recipient's choice for the template's kind of notification applies
    (:func:`frontiers_de.mail.preferences.route`, recipients known by address): a user who
    turned the kind off is sent nothing, one who chose the daily digest has it kept for the
    digest (:func:`keep_for_digest`), the others get the email. None when no one gets it
    now, and inside :func:`mail_held`."""
    if db.info.get(_HELD):
        return None
    if isinstance(to, str):
        raise TypeError("to must be a list of addresses, not one string")
    routing = route(db, template, to)
    for user in routing.digest:
        keep_for_digest(db, settings, template, user, context, journal)
    if not routing.now:
        return None
    row = queue_email(db, settings, template, routing.now, context, journal)
    tm = db.info.get("tm")
    if tm is not None:
        deliver_after_commit(tm, row.id)
    return row


def keep_for_digest(
    db: Session,
    settings: Mapping[str, Any],
    template: str,
    user: User,
    context: Mapping[str, Any],
    journal: Any = None,
) -> DigestItem:
    """Keep a notification for ``user``'s next daily digest: its subject, rendered as the
    email would have been (in the recipient's language), and the link it carried."""
    kind = kind_of(template)
    rendered = render_email(settings, template, _full_context(settings, context, journal), db)
    item = DigestItem(
        user_id=user.id,
        journal_id=getattr(journal, "id", None),
        template=template,
        kind=kind.key if kind else "",
        subject=rendered.subject,
        link=str(context.get("link") or ""),
    )
    db.add(item)
    db.flush()
    return item


@contextmanager
def mail_held(db: Session) -> Iterator[None]:
    """Within this block, :func:`send_email` queues nothing on ``db``: for seeding (the
    demo moves its papers through the workflow, and its people are told nothing)."""
    db.info[_HELD] = db.info.get(_HELD, 0) + 1
    try:
        yield
    finally:
        db.info[_HELD] -= 1
        if not db.info[_HELD]:
            del db.info[_HELD]


def settings_of(event: DomainEvent) -> Mapping[str, Any]:
    """The settings a subscriber sends ``event``'s email with: the app's, when the event
    went through an app's registry; else (a process that built no app: a worker, a
    script) the tasks' own, as the tasks read them."""
    if event.settings is not None:
        return event.settings
    return task_settings()


# --- delivery ---------------------------------------------------------------------------


def retry_delay(attempts: int, settings: Mapping[str, Any]) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed try (exponential backoff)."""
    mail = MailSettings.of(settings)
    return backoff(mail.retry_base_seconds, mail.retry_max_seconds, attempts)


def max_attempts(settings: Mapping[str, Any]) -> int:
    return max(1, MailSettings.of(settings).max_attempts)


def _claim(db: Session, email_id: int, now: dt.datetime) -> bool:
    """Take the row for one delivery attempt, if it is pending and due.

    A conditional UPDATE, so two workers (or a worker and the drain) never both send it;
    it works alike on SQLite and PostgreSQL.
    """
    result = db.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.state == OutboxState.PENDING,
            OutboxEmail.next_attempt_at <= now,
        )
        .values(
            attempts=OutboxEmail.attempts + 1,
            next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def deliver(
    session_factory: Any,
    settings: Mapping[str, Any],
    email_id: int,
    *,
    now: dt.datetime | None = None,
    sender: MailSender | None = None,
) -> OutboxState | None:
    """One delivery attempt of one outbox row; returns its state afterwards, or None when
    the row was not ours to send (gone, already sent or failed, not due, or taken).

    Three short transactions: claim the row, send outside any transaction (a slow server
    holds no database lock), then record the outcome.
    """
    now = now or dt.datetime.now(dt.UTC)
    with session_scope(session_factory) as db:
        if not _claim(db, email_id, now):
            return None
    with session_scope(session_factory) as db:
        row = db.get(OutboxEmail, email_id)
        assert row is not None  # claimed a moment ago; rows are never deleted while pending
        message = build_message(
            sender=row.sender,
            recipients=list(row.recipients),
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
            # Stable per row, so a message sent twice (at-least-once) is recognisably one.
            message_id=f"<outbox-{row.id}.{int(row.created_at.timestamp())}@{_domain(row.sender)}>",
            date=row.created_at,
        )
        attempts = row.attempts
    error: str | None = None
    permanent = False
    try:
        (sender or sender_from_settings(settings)).send(message)
    except PermanentDeliveryError as exc:
        error, permanent = str(exc), True
    except Exception as exc:  # any failure of the server or the network: try again later
        error = f"{type(exc).__name__}: {exc}"
    with session_scope(session_factory) as db:
        row = db.get(OutboxEmail, email_id)
        assert row is not None
        finished = dt.datetime.now(dt.UTC)
        if error is None:
            row.state = OutboxState.SENT
            row.sent_at = finished
            row.last_error = ""
            log.info("mail %s sent to %s", row.id, ", ".join(row.recipients))
        elif permanent or attempts >= max_attempts(settings):
            row.state = OutboxState.FAILED
            row.last_error = error[:4000]
            log.error("mail %s failed after %s attempt(s): %s", row.id, attempts, error)
        else:
            row.last_error = error[:4000]
            row.next_attempt_at = max(now, finished) + retry_delay(attempts, settings)
            log.warning(
                "mail %s attempt %s failed (%s); next try at %s",
                row.id,
                attempts,
                error,
                row.next_attempt_at.isoformat(timespec="seconds"),
            )
        return row.state


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "fde-press.invalid"


def requeue(db: Session, email_id: int) -> OutboxEmail:
    """Give a failed email a fresh set of attempts (an admin's "send again"), due now.

    Raises LookupError for an unknown id and ValueError for an email that did not fail.
    """
    row = db.get(OutboxEmail, email_id)
    if row is None:
        raise LookupError(f"no email {email_id} in the outbox")
    if row.state is not OutboxState.FAILED:
        raise ValueError(f"email {email_id} is {row.state.value}, not failed")
    row.state = OutboxState.PENDING
    row.attempts = 0
    row.next_attempt_at = dt.datetime.now(dt.UTC)
    return row


def due_ids(db: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    """Pending emails whose next attempt is due, oldest first."""
    return list(
        db.scalars(
            select(OutboxEmail.id)
            .where(OutboxEmail.state == OutboxState.PENDING, OutboxEmail.next_attempt_at <= now)
            .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            .limit(limit)
        )
    )


@dataclass
class DrainReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.skipped} taken by another sender"
        )


def deliver_due(
    session_factory: Any,
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
) -> DrainReport:
    """Try every pending email that is due (the ``fde mail drain`` command and the beat
    task): what the broker or the SMTP server dropped is sent here."""
    now = now or dt.datetime.now(dt.UTC)
    with session_scope(session_factory) as db:
        ids = due_ids(db, now, limit)
    report = DrainReport()
    sender = sender_from_settings(settings) if ids else None
    for email_id in ids:
        state = deliver(session_factory, settings, email_id, now=now, sender=sender)
        if state is OutboxState.SENT:
            report.sent += 1
        elif state is OutboxState.FAILED:
            report.failed += 1
        elif state is OutboxState.PENDING:
            report.retrying += 1
        else:
            report.skipped += 1
    return report
