"""What the accounts domain does when its own events are announced: it emails the links
and the notice of a changed address (:mod:`frontiers_de.accounts.notifications`)."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.accounts import notifications
from frontiers_de.accounts.events import (
    EmailChanged,
    EmailChangeRequested,
    PasswordResetRequested,
    SetPasswordRequested,
    VerificationRequested,
)


def includeme(config: Configurator) -> None:
    config.add_subscriber(notifications.send_verification, VerificationRequested)
    config.add_subscriber(notifications.send_password_reset, PasswordResetRequested)
    config.add_subscriber(notifications.send_set_password, SetPasswordRequested)
    config.add_subscriber(notifications.send_email_change, EmailChangeRequested)
    config.add_subscriber(notifications.send_email_changed_notice, EmailChanged)
