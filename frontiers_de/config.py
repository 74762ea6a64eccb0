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
from frontiers_de.settings import (
    SettingsGroup,
    boolean,
    declare,
    positive_int,
    setting,
    text,
)

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


@declare
class SiteSettings(SettingsGroup):
    """The settings every part of the app shares (frontiers_de/settings.py)."""

    base_url: str = setting(
        "fde.base_url",
        text,
        "http://localhost:6543",
        "the public address: every emailed link, and the host name answered (FDE_BASE_URL)",
    )
    files_dir: str = setting(
        "fde.files_dir", text, str(DATA_DIR / "files"), "stored files (FDE_FILES_DIR)"
    )
    schema_dir: str = setting(
        "fde.schema_dir",
        text,
        str(PROJECT_ROOT.parent / "shared" / "schemas"),
        "the official XSDs (FDE_SCHEMA_DIR)",
    )
    session_secret: str = setting(
        "fde.session_secret", text, "", "signs the session cookie (FDE_SESSION_SECRET)"
    )
    token_secret: str = setting(
        "fde.token_secret",
        text,
        "",
        "signs emailed links and OAI tokens, salts the usage counter's hashes (FDE_TOKEN_SECRET)",
    )
    require_secrets: bool = setting(
        "fde.require_secrets",
        boolean,
        False,
        "refuse to start without both secrets and a public fde.base_url",
    )
    default_journal: str = setting(
        "fde.default_journal", text, "fde", "the journal served when a request names none"
    )
    max_form_bytes: int = setting(
        "fde.max_form_bytes", positive_int, 1024 * 1024, "largest form body without a file"
    )


@declare
class TaskSettings(SettingsGroup):
    """Background jobs (frontiers_de/tasks.py)."""

    always_eager: bool = setting(
        "celery.always_eager", boolean, True, "run tasks in-process (no broker, no worker)"
    )
    broker_url: str = setting(
        "celery.broker_url", text, "memory://", "the broker (CELERY_BROKER_URL)"
    )
    result_backend: str = setting(
        "celery.result_backend", text, "", "where results go (CELERY_RESULT_BACKEND)"
    )
    queue: str = setting("celery.queue", text, "celery", "the queue tasks are sent to")
    embedded_threads: int = setting(
        "celery.embedded_threads", positive_int, 4, "in-process task threads"
    )
    embedded_queue: int = setting(
        "celery.embedded_queue", positive_int, 500, "tasks waiting in-process at most"
    )


# What resolve_settings fills in before the .ini file: the framework's keys that have no
# group, and the site's (each domain's group supplies its own defaults where it is read).
DEFAULTS: dict[str, str] = {
    "sqlalchemy.url": f"sqlite:///{DATA_DIR / 'fde.sqlite'}",
    # Through the package, so that an installed wheel finds them (package_files.py).
    "jinja2.directories": TEMPLATES_SPEC,
    **{
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for group in (SiteSettings, TaskSettings)
        for key, value in group.defaults().items()
        if value != ""
    },
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


def backoff(base_seconds: float, max_seconds: float, attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try of background work (a mail, a Crossref
    deposit): ``base_seconds`` doubled per failed try, at most ``max_seconds``. One rule for
    every sweep; each domain reads its base and cap from its own settings group."""
    return dt.timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(attempts - 1, 0)))


def schema_dir(settings: Mapping[str, Any] | None = None) -> Path | None:
    """Where the official XSDs live, or None when the directory is absent."""
    configured = SiteSettings.of(settings).schema_dir
    if configured == SiteSettings.schema_dir:  # not configured: the environment, if set
        configured = os.environ.get("FDE_SCHEMA_DIR") or configured
    path = Path(configured)
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
        configured = JournalSettings.of(settings)
        values = {f.name: getattr(configured, f.name) for f in fields(configured)}
        values = {name: value for name, value in values.items() if value}
        if "base_url" not in values:
            values["base_url"] = SiteSettings.of(settings).base_url
        return cls(**values)


def _journal_settings() -> type[SettingsGroup]:
    """``fde.journal.<field>`` for each text field of JournalProfile, declared from the
    profile itself (its defaults stay there: unset here means the profile's default)."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for f in fields(JournalProfile):
        if f.name == "extra":
            continue
        namespace["__annotations__"][f.name] = "str"
        namespace[f.name] = setting(
            f"fde.journal.{f.name}", text, "", f"the journal's {f.name}; empty: {f.default}"
        )
    return declare(type("JournalSettings", (SettingsGroup,), namespace))


JournalSettings = _journal_settings()
