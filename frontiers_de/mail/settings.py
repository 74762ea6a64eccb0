"""Mail's settings, declared once: see frontiers_de/settings.py. The SMTP ones come from the
environment in production (config.ENV_OVERRIDES)."""

from __future__ import annotations

from frontiers_de.config import DATA_DIR
from frontiers_de.settings import (
    SettingsGroup,
    boolean,
    clamped_int,
    declare,
    integer,
    positive_int,
    seconds,
    setting,
    text,
)


@declare
class MailSettings(SettingsGroup):
    backend: str = setting("mail.backend", text, "file", "smtp, or file (development)")
    outbox_dir: str = setting(
        "mail.outbox_dir", text, str(DATA_DIR / "mail"), "the file backend writes each message here"
    )
    default_sender: str = setting(
        "mail.default_sender", text, "FDE Press <no-reply@fde.example.org>", "From: of every email"
    )
    host: str = setting("mail.host", text, "", "SMTP server (SMTP_HOST)")
    port: int | None = setting("mail.port", positive_int, None, "SMTP port (SMTP_PORT)")
    username: str = setting("mail.username", text, "", "SMTP user (SMTP_USERNAME)")
    password: str = setting("mail.password", text, "", "SMTP password (SMTP_PASSWORD)")
    tls: bool = setting("mail.tls", boolean, False, "STARTTLS always (SMTP_TLS)")
    ssl: bool = setting("mail.ssl", boolean, False, "SMTP over TLS from the start")
    debug: int = setting("mail.debug", integer, 0, "smtplib's debug level")
    max_attempts: int = setting(
        "mail.max_attempts", integer, 8, "tries before an email is given up (at least 1)"
    )
    retry_base_seconds: float = setting(
        "mail.retry_base_seconds", seconds, 60.0, "wait after the first failed try (doubling)"
    )
    retry_max_seconds: float = setting(
        "mail.retry_max_seconds", seconds, 6 * 3600.0, "longest wait between tries"
    )
    drain_interval: float = setting(
        "mail.drain_interval", seconds, 60.0, "how often the beat drains the outbox"
    )
    digest_interval: float = setting(
        "mail.digest_interval", seconds, 3600.0, "how often the beat looks for digests to send"
    )
    digest_hour: int = setting(
        "mail.digest_hour",
        clamped_int(0, 23, 6),
        6,
        "the hour (UTC, 0-23) from which the beat sends each day's digests",
    )
