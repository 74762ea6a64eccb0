"""Delivering one stored email: SMTP in production, an .eml file (and the log) in development.

The backend is chosen by the setting ``mail.backend`` (``smtp`` or ``file``), so tests switch
to a real SMTP server through settings alone. Messages are built by pyramid_mailer, which
encodes non-ASCII names and subjects and refuses headers that contain line breaks; the
addresses and the subject are checked once more here when the email is stored
(:func:`clean_address`, :func:`clean_subject`), so a bad value never reaches the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from collections.abc import Mapping
from email.policy import compat32
from email.utils import format_datetime, formataddr, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol

from pyramid_mailer.mailer import Mailer
from pyramid_mailer.message import Message

from frontiers_de.mail.settings import MailSettings

log = logging.getLogger(__name__)

MAX_SUBJECT_LENGTH = 250
MAX_ADDRESS_LENGTH = 320
# Control characters (C0 and DEL) never belong in a header; CR and LF would start a new one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ADDR_SPEC = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\]+$")


class InvalidAddress(ValueError):
    """An email address that must not go into a header (or is not an address at all)."""


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


def clean_address(value: str) -> str:
    """One mailbox (``addr@example.org`` or ``Name <addr@example.org>``), checked.

    Raises :class:`InvalidAddress` for line breaks or other control characters (header
    injection), several addresses in one string, or anything that is not ``local@domain``.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidAddress("empty email address")
    value = value.strip()
    if _CONTROL.search(value):
        raise InvalidAddress(f"email address contains a control character: {value!r}")
    if len(value) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress("email address is too long")
    # "a@x.org, b@y.org" or "a@x.org <b@y.org>" would reach two mailboxes: refuse.
    if len(getaddresses([value])) != 1:
        raise InvalidAddress(f"one address expected, got {value!r}")
    name, addr = parseaddr(value)
    if not addr or not _ADDR_SPEC.match(addr):
        raise InvalidAddress(f"not an email address: {value!r}")
    if not name:
        return addr
    # Always quoted, so that a comma or bracket in a name cannot split the address.
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr}>'


def header_address(value: str) -> str:
    """A checked address as it goes into a header: a non-ASCII name is RFC 2047 encoded
    on its own, so the address itself stays readable to every server."""
    return formataddr(parseaddr(clean_address(value)))


def clean_subject(value: str) -> str:
    """A one-line subject: line breaks and control characters become spaces, runs of
    spaces shrink to one, and an overlong subject is cut with an ellipsis."""
    subject = " ".join(_CONTROL.sub(" ", value).split())
    if len(subject) > MAX_SUBJECT_LENGTH:
        subject = subject[: MAX_SUBJECT_LENGTH - 1].rstrip() + "…"
    return subject


def build_message(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> Message:
    """The MIME message for one outbox row (text, and HTML as an alternative when given)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    headers = {
        "Message-ID": message_id or make_msgid(domain=domain),
        "Date": format_datetime(date or dt.datetime.now(dt.UTC)),
        # Tells auto-responders not to answer (RFC 3834).
        "Auto-Submitted": "auto-generated",
    }
    return CRLFMessage(
        subject=clean_subject(subject),
        sender=header_address(sender),
        recipients=[header_address(r) for r in recipients],
        body=body_text,
        html=body_html or None,
        extra_headers=headers,
    )


# pyramid_mailer's messages end lines with a bare LF, and smtplib sends bytes as given;
# RFC 5321 wants CRLF (and servers guarding against SMTP smuggling refuse bare LF).
_CRLF_POLICY = compat32.clone(linesep="\r\n")


class CRLFMessage(Message):
    """A pyramid_mailer message whose MIME form has CRLF line ends."""

    def to_message(self) -> Any:
        mime = super().to_message()
        mime.policy = _CRLF_POLICY
        return mime


class MailSender(Protocol):
    """Delivers one message now; raises when it could not."""

    def send(self, message: Message) -> None: ...


class SMTPSender:
    """Sends through an SMTP server (host, port, STARTTLS, credentials from the settings,
    which take them from the environment in production: SMTP_HOST, SMTP_PASSWORD …)."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        mail = MailSettings.of(settings)
        # pyramid_mailer takes the declared keys that are set, with their parsed values.
        smtp_settings = {
            key: getattr(mail, name)
            for key, name in MailSettings.setting_keys().items()
            if name in SMTP_FIELDS and settings.get(key) not in (None, "")
        }
        self.mailer = Mailer.from_settings(smtp_settings, prefix="mail.")
        smtp = self.mailer.smtp_mailer
        # Without TLS configured, still use STARTTLS when the server offers it — except on
        # the loopback interface, where test servers and local relays offer no certificate.
        if not mail.tls:
            smtp.no_tls = smtp.hostname in {"localhost", "127.0.0.1", "::1"}

    def send(self, message: Message) -> None:
        try:
            self.mailer.send_immediately(message, fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentDeliveryError(f"all recipients refused: {exc.recipients}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise PermanentDeliveryError(
                    f"server refused the message: {exc.smtp_code} {exc.smtp_error!r}"
                ) from exc
            raise


class FileSender:
    """Development: each message becomes an .eml file under ``mail.outbox_dir``, and a line
    in the log says who it was for, so a developer can read every email without a server."""

    def __init__(self, outbox_dir: str | Path) -> None:
        self.outbox_dir = Path(outbox_dir)

    def send(self, message: Message) -> None:
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        raw = message.to_message().as_bytes()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        msgid = re.sub(r"[^A-Za-z0-9.-]", "", message.extra_headers.get("Message-ID", ""))[:40]
        path = self.outbox_dir / f"{stamp}-{msgid}.eml"
        path.write_bytes(raw)
        log.info(
            "mail to %s: %s (written to %s)", ", ".join(message.recipients), message.subject, path
        )


BACKENDS = ("smtp", "file")
# The mail settings pyramid_mailer reads (parsed by MailSettings).
SMTP_FIELDS = frozenset({"host", "port", "username", "password", "tls", "ssl", "debug"})


def sender_from_settings(settings: Mapping[str, Any]) -> MailSender:
    """The backend named by ``mail.backend``."""
    mail = MailSettings.of(settings)
    backend = mail.backend.strip().lower()
    if backend == "smtp":
        return SMTPSender(settings)
    if backend == "file":
        return FileSender(mail.outbox_dir)
    raise ValueError(f"unknown mail.backend {backend!r}; choose one of {', '.join(BACKENDS)}")
