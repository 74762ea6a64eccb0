"""Database commands: initdb, create-admin, user create/revoke, seed-demo, serve, mail drain
and digest.

Every command takes ``--config FILE.ini`` (default ``development.ini``) and honours
``DATABASE_URL`` and the other environment overrides of ``frontiers_de.config``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from frontiers_de.cli.common import config_option, settings_for


@contextmanager
def app_request(config_path: str | None) -> Iterator[Any]:
    """A request on the configured app, in a transaction committed when the block ends."""
    from frontiers_de.scripting import app_request as settings_request

    with settings_request(settings_for(config_path)) as request:
        yield request


def _message(exc: Exception) -> str:
    message = getattr(exc, "message", None) or exc
    interpolate = getattr(message, "interpolate", None)
    return interpolate() if callable(interpolate) else str(message)


def _split_name(name: str) -> tuple[str, str]:
    """``"Given Names Family"`` -> (given, family); one word is a family name only."""
    parts = name.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def _password_from_stdin() -> str | None:
    """The password piped in on standard input (first line), or None when standard input
    is a terminal or empty — then the user gets an email to set one."""
    stream = sys.stdin
    if stream is None or stream.isatty():
        return None
    line = stream.readline()
    password = line.rstrip("\r\n")
    return password or None


def _journal_for(request: Any, journal_code: str | None) -> Any:
    """The journal named by ``--journal``, or the default one."""
    from sqlalchemy import select

    from frontiers_de.deadlines.rules import seed_rules
    from frontiers_de.journals.models import Journal
    from frontiers_de.journals.services import ensure_default_journal

    if not journal_code:
        journal = ensure_default_journal(request.db, request.registry.settings)
        seed_rules(request.db, journal.id)  # a new journal starts with the default deadlines
        return journal
    journal = request.db.scalar(select(Journal).where(Journal.code == journal_code))
    if journal is None:
        raise click.UsageError(f"no journal with code {journal_code!r}")
    return journal


def _create_or_update_user(
    request: Any,
    email: str,
    name: str | None,
    roles: tuple[str, ...],
    journal_code: str | None,
) -> tuple[Any, bool]:
    """Create the account (or find it) and grant ``roles`` in the journal."""
    from frontiers_de.accounts.services import AccountError, AccountService

    accounts = AccountService.from_settings(request.db, request.registry.settings)
    journal = _journal_for(request, journal_code)
    user = accounts.find_by_email(email)
    created = user is None
    if user is None:
        password = _password_from_stdin()
        given, family = _split_name(name) if name else ("", "")
        try:
            user = accounts.create_user(
                email, password, given_name=given, family_name=family, verified=password is not None
            )
        except AccountError as exc:
            raise click.ClickException(_message(exc)) from exc
        if password is None:
            # The accounts domain emails the link to choose one (accounts.notifications).
            accounts.send_set_password_link(user)
    for role in roles:
        accounts.grant_role(user, journal.id, role)
    return user, created


def _report_user(user: Any, created: bool, roles: tuple[str, ...]) -> None:
    what = "created" if created else "already exists"
    click.echo(f"{user.email}: {what}" + (f"; roles: {', '.join(roles)}" if roles else ""))
    if created and not user.password_hash:
        click.echo(f"A link to set the password was emailed to {user.email}.")


def _role_choice() -> click.Choice:
    from frontiers_de.security.roles import Role

    return click.Choice([r.value for r in Role])


@click.command("initdb")
@config_option
def initdb(config_path: str | None) -> None:
    """Create or upgrade the database schema (Alembic migrations to head), then make again
    the reader HTML an older release stored."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.db.scope import session_scope
    from frontiers_de.production.services import rebuild_reader_html

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        upgrade(engine)
        # An upgrade may change the reader HTML's rendering: articles whose stored HTML an
        # older release made get it again now (each would otherwise on its first view).
        with session_scope(get_session_factory(engine)) as db:
            report = rebuild_reader_html(db, settings, stale_only=True)
    finally:
        engine.dispose()
    click.echo(f"Database {engine.url.render_as_string(hide_password=True)} is up to date.")
    if report.rebuilt or report.failed:
        click.echo(f"Reader HTML made by an older release: {report}.")
    for line in report.failed:
        click.echo(f"  {line}", err=True)


@click.command("create-admin")
@click.argument("email")
@click.option("--name", help='Full name, "Given Family".')
@click.option("--journal", "journal_code", help="Journal code (default: the default journal).")
@config_option
def create_admin(
    email: str, name: str | None, journal_code: str | None, config_path: str | None
) -> None:
    """Make EMAIL an administrator, creating the account when needed.

    The password is read from standard input (``echo "$PW" | fde create-admin …``);
    without one, a link to set it is emailed.
    """
    with app_request(config_path) as request:
        user, created = _create_or_update_user(request, email, name, ("admin",), journal_code)
        _report_user(user, created, ("admin",))


@click.group("user")
def user() -> None:
    """Manage user accounts."""


@user.command("create")
@click.argument("email")
@click.option("--name", required=True, help='Full name, "Given Family".')
@click.option("--role", "roles", multiple=True, type=_role_choice(), help="Role (repeatable).")
@click.option("--journal", "journal_code", help="Journal code (default: the default journal).")
@config_option
def user_create(
    email: str, name: str, roles: tuple[str, ...], journal_code: str | None, config_path: str | None
) -> None:
    """Create the account EMAIL with the given roles.

    The password is read from standard input; when standard input is a terminal or
    empty, a link to set the password is emailed instead.
    """
    with app_request(config_path) as request:
        found, created = _create_or_update_user(request, email, name, roles, journal_code)
        if not created and not roles:
            raise click.ClickException(f"an account with the address {email} already exists")
        _report_user(found, created, roles)


@user.command("revoke")
@click.argument("email")
@click.option(
    "--role", "roles", multiple=True, required=True, type=_role_choice(), help="Role (repeatable)."
)
@click.option("--journal", "journal_code", help="Journal code (default: the default journal).")
@config_option
def user_revoke(
    email: str, roles: tuple[str, ...], journal_code: str | None, config_path: str | None
) -> None:
    """Take ROLE(s) away from the account EMAIL; its sessions end, on every device."""
    from frontiers_de.accounts.models import RoleAssignment
    from frontiers_de.accounts.services import AccountError, AccountService

    with app_request(config_path) as request:
        accounts = AccountService.from_settings(request.db, request.registry.settings)
        journal = _journal_for(request, journal_code)
        found = accounts.find_by_email(email)
        if found is None:
            raise click.ClickException(f"there is no account with the address {email}")
        held = {a.role.value: a for a in found.roles if a.journal_id == journal.id}
        for role in roles:
            assignment: RoleAssignment | None = held.get(role)
            if assignment is None:
                click.echo(f"{found.email} does not hold the role {role} in {journal.code}.")
                continue
            try:
                accounts.revoke_role(assignment)
            except AccountError as exc:
                raise click.ClickException(_message(exc)) from exc
            click.echo(
                f"{found.email}: role {role} revoked in {journal.code}; signed out everywhere."
            )


@click.command("seed-demo")
@config_option
def seed_demo(config_path: str | None) -> None:
    """Fill the database with the demo journal, users and submissions (idempotent)."""
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.demo import DEMO_USERS, seed

    with app_request(config_path) as request:
        upgrade(request.registry["db_engine"])
        report = seed(request.db, request.registry.settings)
    click.echo(str(report))
    click.echo("Demo sign-ins (password in brackets):")
    for demo_user in DEMO_USERS:
        click.echo(f"  {demo_user.role_label:<20} {demo_user.email:<32} [{demo_user.password}]")


@click.command("serve")
@click.option("--listen", help="host:port (default: [server:main] listen, or localhost:6543).")
@config_option
def serve(listen: str | None, config_path: str | None) -> None:
    """Serve the web app with waitress."""
    import logging.config
    from pathlib import Path

    import waitress

    from frontiers_de import main
    from frontiers_de.config import DEFAULT_CONFIG, TaskSettings
    from frontiers_de.tasks import EmbeddedBeat, drain_tasks

    path = Path(config_path) if config_path else DEFAULT_CONFIG
    server_settings: dict[str, Any] = {}
    if path.exists():
        import plaster

        loader = plaster.get_loader(str(path.resolve()), protocols=["wsgi"])
        loader.setup_logging()
        server_settings = dict(loader.get_settings("server:main"))
    else:
        logging.basicConfig(level=logging.INFO)
    settings = settings_for(config_path)
    includes = str(settings.get("pyramid.includes", ""))
    if "pyramid_debugtoolbar" in includes:
        try:
            import pyramid_debugtoolbar  # noqa: F401
        except ImportError:
            settings["pyramid.includes"] = includes.replace("pyramid_debugtoolbar", "")
            logging.getLogger(__name__).info(
                "pyramid_debugtoolbar not installed; serving without it"
            )
    app = main({}, **settings)
    beat = None
    if TaskSettings.of(settings).always_eager:
        # No worker or beat in the embedded default: retry undelivered mail from here.
        beat = EmbeddedBeat(settings)
        beat.start()
    address = listen or server_settings.get("listen") or "localhost:6543"
    options = {
        k: v for k, v in server_settings.items() if k not in {"use", "listen", "__file__", "here"}
    }
    click.echo(f"Serving FDE Press on http://{address.replace('0.0.0.0', 'localhost')}")
    try:
        waitress.serve(app, listen=address, **options)
    finally:
        if beat is not None:
            beat.stop()
        # Tasks still queued in-process (embedded default) finish before the process ends.
        drain_tasks()


@click.group("mail")
def mail() -> None:
    """The outgoing mail queue."""


@mail.command("drain")
@config_option
def mail_drain(config_path: str | None) -> None:
    """Send every queued email that is due (retries included)."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.mail.services import deliver_due

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        report = deliver_due(get_session_factory(engine), settings)
    finally:
        engine.dispose()
    click.echo(f"Mail outbox: {report}.")
    if report.failed:
        sys.exit(1)


@mail.command("resend")
@click.argument("email_ids", nargs=-1, type=int, required=True)
@config_option
def mail_resend(email_ids: tuple[int, ...], config_path: str | None) -> None:
    """Try failed emails again (by outbox id), then send what is due."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.scope import session_scope
    from frontiers_de.mail.services import deliver_due, requeue

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        factory = get_session_factory(engine)
        try:
            with session_scope(factory) as db:
                for email_id in email_ids:
                    requeue(db, email_id)
        except (LookupError, ValueError) as exc:
            raise click.ClickException(str(exc).strip("'\"")) from exc
        report = deliver_due(factory, settings)
    finally:
        engine.dispose()
    click.echo(f"Mail outbox: {report}.")
    if report.failed:
        sys.exit(1)


@mail.command("digest")
@config_option
def mail_digest(config_path: str | None) -> None:
    """Send today's daily digests now (each user gets at most one a day), then what is due."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.scope import session_scope
    from frontiers_de.mail.digest import send_digests
    from frontiers_de.mail.services import deliver_due

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        factory = get_session_factory(engine)
        with session_scope(factory) as db:
            digests = send_digests(db, settings)
        report = deliver_due(factory, settings)
    finally:
        engine.dispose()
    click.echo(f"Digests: {digests}.")
    click.echo(f"Mail outbox: {report}.")
    if report.failed:
        sys.exit(1)


@click.group("articles")
def articles() -> None:
    """The journal's articles."""


@articles.command("rebuild-html")
@config_option
def articles_rebuild_html(config_path: str | None) -> None:
    """Make every article's reader HTML again from its JATS (after an upgrade)."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.scope import session_scope
    from frontiers_de.production.services import rebuild_reader_html

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        with session_scope(get_session_factory(engine)) as db:
            report = rebuild_reader_html(db, settings)
    finally:
        engine.dispose()
    click.echo(f"Reader HTML: {report}.")
    for line in report.failed:
        click.echo(f"  {line}", err=True)
    if report.failed:
        sys.exit(1)


@articles.command("reindex-search")
@config_option
def articles_reindex_search(config_path: str | None) -> None:
    """Write every article's search document again from its JATS (after an upgrade)."""
    from frontiers_de.db import get_engine, get_session_factory
    from frontiers_de.db.scope import session_scope
    from frontiers_de.publishing.search import reindex_all

    settings = settings_for(config_path)
    engine = get_engine(settings)
    try:
        with session_scope(get_session_factory(engine)) as db:
            count = reindex_all(db)
    finally:
        engine.dispose()
    click.echo(f"Search: {count} article(s) indexed.")


COMMANDS: list[click.Command] = [initdb, create_admin, user, seed_demo, serve, mail, articles]
