"""Settings: defaults, the .ini file, and environment overrides for every secret.

One place decides what a setting is called and where its value comes from, so the web app,
the ``fde`` command line and the Celery worker all read the same configuration.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from frontiers_de.package_files import TEMPLATES_SPEC

# The checkout, when the package runs from one: only its development.ini (the command line's
# default configuration) and the development schema folder beside it are looked for here.
# Nothing the distribution ships is read through it (templates and schemas: package_files).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "development.ini"
# Where the embedded default keeps its database, files and mail when no configuration file
# says (development.ini says %(here)s/var): var/ of the directory the command starts in,
# never beside the package, which for an installed wheel is site-packages.
DATA_DIR = Path("var").resolve()

# Environment variable -> setting name. Secrets and deployment-specific values only come
# from here in production; the .ini files leave them empty.
ENV_OVERRIDES: dict[str, str] = {
    "DATABASE_URL": "sqlalchemy.url",
    "FDE_SCHEMA_DIR": "fde.schema_dir",
    "FDE_FILES_DIR": "fde.files_dir",
    "FDE_BASE_URL": "fde.base_url",
    "FDE_SESSION_SECRET": "fde.session_secret",
    "FDE_TOKEN_SECRET": "fde.token_secret",
    "SMTP_HOST": "mail.host",
    "SMTP_PORT": "mail.port",
    "SMTP_USERNAME": "mail.username",
    "SMTP_PASSWORD": "mail.password",
    "SMTP_TLS": "mail.tls",
    "MAIL_SENDER": "mail.default_sender",
    "CELERY_BROKER_URL": "celery.broker_url",
    "CELERY_RESULT_BACKEND": "celery.result_backend",
    "CROSSREF_USERNAME": "crossref.username",
    "CROSSREF_PASSWORD": "crossref.password",
    "CROSSREF_DEPOSIT_URL": "crossref.deposit_url",
    "CROSSREF_API_URL": "crossref.api_url",
    "FDE_TRUSTED_PROXIES": "fde.trusted_proxies",
    "FDE_ALLOWED_HOSTS": "fde.allowed_hosts",
    "FDE_TRUST_FORWARDED_HOST": "fde.trust_forwarded_host",
    "FDE_TRUST_FORWARDED_PROTO": "fde.trust_forwarded_proto",
    "FDE_THROTTLE_LOGIN": "fde.throttle.login",
    "FDE_THROTTLE_REGISTER": "fde.throttle.register",
    "FDE_THROTTLE_PASSWORD_RESET": "fde.throttle.password_reset",
    "FDE_THROTTLE_VERIFY_RESEND": "fde.throttle.verify_resend",
    "FDE_THROTTLE_EMAIL_CHANGE": "fde.throttle.email_change",
    "FDE_THROTTLE_LINK": "fde.throttle.link",
}

DEFAULTS: dict[str, str] = {
    "sqlalchemy.url": f"sqlite:///{DATA_DIR / 'fde.sqlite'}",
    "fde.schema_dir": str(PROJECT_ROOT.parent / "shared" / "schemas"),
    "fde.files_dir": str(DATA_DIR / "files"),
    # Through the package, so that an installed wheel finds them (package_files.py).
    "jinja2.directories": TEMPLATES_SPEC,
    "fde.base_url": "http://localhost:6543",
    "fde.session_secret": "",
    "fde.token_secret": "",
    "fde.secure_cookies": "false",
    "fde.default_journal": "fde",
    "mail.backend": "file",
    "mail.outbox_dir": str(DATA_DIR / "mail"),
    "mail.default_sender": "FDE Press <no-reply@fde.example.org>",
    "celery.always_eager": "true",
    "celery.broker_url": "memory://",
    "crossref.deposit_url": "https://test.crossref.org/servlet/deposit",
    "crossref.api_url": "https://api.crossref.org",
    "crossref.username": "",
    "crossref.password": "",
    # Proxies whose X-Forwarded-For is believed (addresses or networks, space or comma
    # separated). Empty: the connecting address is the client, whatever headers it sends.
    "fde.trusted_proxies": "",
    # Host names the site answers to (space or comma separated); others get 400. Empty:
    # the host of fde.base_url, plus localhost, 127.0.0.1 and ::1 when that host is a
    # loopback name. See frontiers_de/security/hosts.py.
    "fde.allowed_hosts": "",
    # Whether X-Forwarded-Host / X-Forwarded-Proto from a trusted proxy are believed.
    # Emails never use either: their links come from fde.base_url (mail/links.py).
    "fde.trust_forwarded_host": "false",
    "fde.trust_forwarded_proto": "false",
    # Per-client (IP address; IPv6 by /64 network) limits, "COUNT/WINDOW" with the window
    # in minutes (m) or hours (h); "off" switches one off. See frontiers_de/throttling.
    "fde.throttle.login": "30/15m",  # failed sign-ins, whatever the address tried
    "fde.throttle.register": "10/1h",  # registration attempts
    "fde.throttle.password_reset": "10/1h",  # password-reset requests
    "fde.throttle.verify_resend": "10/1h",  # "send the confirmation link again"
    "fde.throttle.email_change": "10/1h",  # requests to change the account's address
    "fde.throttle.link": "30/15m",  # emailed links (verify, reset, proof) that did not work
    # Peer review, in days: how long an invitation link answers, the due date the invitation
    # form offers, and the reminders (each sent once per assignment): an invitation still
    # unanswered after N days, a review due within M days, a review past its due date.
    "fde.review.invitation_days": "14",
    "fde.review.due_days": "21",
    "fde.review.remind_unanswered_days": "5",
    "fde.review.remind_due_days": "3",
    # How often (seconds) the beat looks for reminders to send.
    "fde.review.reminder_interval": "3600",
}


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgresql://user@host:port/name`` form and pick psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def resolve_settings(
    settings: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then the given settings, then the environment (which wins)."""
    environ = os.environ if environ is None else environ
    resolved: dict[str, Any] = dict(DEFAULTS)
    resolved.update({k: v for k, v in (settings or {}).items() if v not in (None, "")})
    for env_name, key in ENV_OVERRIDES.items():
        value = environ.get(env_name)
        if value:
            resolved[key] = value
    resolved["sqlalchemy.url"] = normalise_database_url(resolved["sqlalchemy.url"])
    return resolved


def load_settings(config_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read ``[app:main]`` of an .ini file (default ``development.ini``) and resolve it.

    A missing default file is not an error: the command-line tools work on defaults alone.
    """
    path = Path(config_path) if config_path else DEFAULT_CONFIG
    raw: dict[str, Any] = {}
    if path.exists():
        import plaster

        loader = plaster.get_loader(str(path.resolve()), protocols=["wsgi"])
        raw = dict(loader.get_settings("app:main"))
    elif config_path:
        raise FileNotFoundError(f"configuration file not found: {path}")
    return resolve_settings(raw)


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def positive_int(settings: Mapping[str, Any], key: str, default: int) -> int:
    """A whole-number setting above zero: ``default`` when unset; a bad value stops with a
    clear error instead of being guessed."""
    raw = settings.get(key)
    if raw in (None, ""):
        return default
    value = int(str(raw).strip())
    if value <= 0:
        raise ValueError(f"{key} must be a positive whole number")
    return value


# Background work that failed (a mail, a Crossref deposit) is tried again after an
# exponentially growing wait: <domain>.retry_base_seconds, doubled per failed try, capped at
# <domain>.retry_max_seconds.
DEFAULT_RETRY_BASE_SECONDS = 60
DEFAULT_RETRY_MAX_SECONDS = 6 * 3600


def retry_delay(settings: Mapping[str, Any], domain: str, attempts: int) -> dt.timedelta:
    """How long ``domain``'s sweep waits after the ``attempts``-th failed try."""

    def seconds(key: str, default: float) -> float:
        value = settings.get(f"{domain}.{key}")
        return float(value) if value not in (None, "") else default

    base = seconds("retry_base_seconds", DEFAULT_RETRY_BASE_SECONDS)
    cap = seconds("retry_max_seconds", DEFAULT_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def schema_dir(settings: Mapping[str, Any] | None = None) -> Path | None:
    """Where the official XSDs live, or None when the directory is absent."""
    configured = (settings or {}).get("fde.schema_dir") or os.environ.get("FDE_SCHEMA_DIR")
    path = Path(configured or DEFAULTS["fde.schema_dir"])
    return path if path.is_dir() else None


@dataclass(frozen=True)
class JournalProfile:
    """The journal facts every output needs (JATS front matter, PDF masthead, deposits).

    Pipeline functions take a profile rather than a database row so that they run from the
    command line on files alone. In the app, ``Journal.profile()`` builds one from the row.
    """

    code: str = "fde"
    title: str = "Frontiers of Digital Education"
    abbreviation: str = "Front. Digit. Educ."
    publisher: str = "FDE Press"
    publisher_location: str = "Shanghai, China"
    issn_print: str = ""
    issn_online: str = ""
    doi_prefix: str = "10.5555"
    journal_doi: str = ""
    doi_suffix_pattern: str = "fde.{year}.{number:04d}"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    licence_name: str = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    base_url: str = "http://localhost:6543"
    language: str = "en"
    depositor_name: str = "FDE Press"
    depositor_email: str = "production@fde.example.org"
    registrant: str = "FDE Press"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None = None) -> JournalProfile:
        """Read ``fde.journal.<field>`` keys; anything absent keeps the journal's default."""
        settings = settings or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            key = f"fde.journal.{f.name}"
            if settings.get(key):
                values[f.name] = str(settings[key])
        if "base_url" not in values and settings.get("fde.base_url"):
            values["base_url"] = str(settings["fde.base_url"])
        return cls(**values)
