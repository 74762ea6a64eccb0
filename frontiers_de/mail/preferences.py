"""Each user's choice, per kind of notification (``mail.kinds``), between at once, the
daily digest and off; and the gate that applies it to an email's recipients.

No row means at once. A fixed kind (``optional=False``) is always sent at once, whatever
is stored. The gate knows recipients by address: an address that is no user's (a
co-author without an account) always gets the email at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User, email_key
from frontiers_de.i18n import _
from frontiers_de.mail.kinds import BY_KEY, KINDS, NotificationKind, kind_of
from frontiers_de.mail.models import Delivery, NotificationPreference

# The form field of a kind on /account/notifications.
FIELD_PREFIX = "kind."
DELIVERY_LABELS: dict[Delivery, TranslationString] = {
    Delivery.IMMEDIATE: _("At once"),
    Delivery.DIGEST: _("Daily digest"),
    Delivery.OFF: _("Off"),
}


class PreferenceError(ValueError):
    """Choices the page refuses: ``errors`` maps a kind's key to why; ``chosen`` holds the
    choices of the same form that were fine (shown again, not saved)."""

    def __init__(
        self,
        errors: Mapping[str, TranslationString],
        chosen: Mapping[str, Delivery] | None = None,
    ) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)
        self.chosen = dict(chosen or {})


def preferences_of(db: Session, user_id: int) -> dict[str, Delivery]:
    """The user's choice for every kind (fixed kinds: at once)."""
    stored = {
        row.kind: row.delivery
        for row in db.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    return {
        kind.key: stored.get(kind.key, Delivery.IMMEDIATE) if kind.optional else Delivery.IMMEDIATE
        for kind in KINDS
    }


def read_choices(form: Mapping[str, Any]) -> dict[str, Delivery]:
    """The choices a form sent (``kind.<key>`` = immediate, digest or off); a kind not
    sent is left as it is. Raises :class:`PreferenceError` naming every refused field, so
    that nothing is saved when one is wrong."""
    chosen: dict[str, Delivery] = {}
    errors: dict[str, TranslationString] = {}
    names = form.keys() if hasattr(form, "keys") else ()
    for name in names:
        if not isinstance(name, str) or not name.startswith(FIELD_PREFIX):
            continue
        key = name[len(FIELD_PREFIX) :]
        values = form.getall(name) if hasattr(form, "getall") else [form.get(name)]
        kind = BY_KEY.get(key)
        if kind is None:
            errors[key[:40]] = _(
                "There is no kind of notification called “${key}”.", mapping={"key": key[:40]}
            )
            continue
        if len(values) != 1 or not isinstance(values[0], str):
            errors[key] = _("Choose one way for this notification, not several.")
            continue
        try:
            delivery = Delivery(values[0])
        except ValueError:
            errors[key] = _("Choose “At once”, “Daily digest” or “Off”.")
            continue
        if not kind.optional and delivery is not Delivery.IMMEDIATE:
            errors[key] = _(
                "This notification is needed to take part (it carries the links you act "
                "on), so it is always sent at once."
            )
            continue
        chosen[key] = delivery
    if errors:
        raise PreferenceError(errors, chosen)
    return chosen


def set_preferences(db: Session, user_id: int, chosen: Mapping[str, Delivery]) -> None:
    """Store the user's choices for optional kinds (at once is stored as no row)."""
    rows = {
        row.kind: row
        for row in db.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for key, delivery in chosen.items():
        kind = BY_KEY.get(key)
        if kind is None or not kind.optional:
            continue
        row = rows.get(key)
        if delivery is Delivery.IMMEDIATE:
            if row is not None:
                db.delete(row)
        elif row is None:
            db.add(NotificationPreference(user_id=user_id, kind=key, delivery=delivery))
        else:
            row.delivery = delivery
    db.flush()


@dataclass
class Routing:
    """Where an email's recipients go: ``now`` (addresses sent the email at once),
    ``digest`` (users whose digest keeps it), ``off`` (users who hear nothing of it)."""

    kind: NotificationKind | None
    now: list[str] = field(default_factory=list)
    digest: list[User] = field(default_factory=list)
    off: list[User] = field(default_factory=list)


def route(db: Session, template: str, to: Sequence[str]) -> Routing:
    """Sort ``to`` by each recipient's choice for ``template``'s kind."""
    kind = kind_of(template)
    routing = Routing(kind)
    if kind is None or not kind.optional:
        routing.now = list(to)
        return routing
    keys = {address: email_key(parseaddr(address)[1] or address) for address in to}
    users = {
        user.email_key: user
        for user in db.scalars(select(User).where(User.email_key.in_(set(keys.values()))))
    }
    choices = {
        row.user_id: row.delivery
        for row in db.scalars(
            select(NotificationPreference).where(
                NotificationPreference.kind == kind.key,
                NotificationPreference.user_id.in_([u.id for u in users.values()]),
            )
        )
    }
    for address in to:
        user = users.get(keys[address])
        delivery = choices.get(user.id, Delivery.IMMEDIATE) if user else Delivery.IMMEDIATE
        if user is None or delivery is Delivery.IMMEDIATE:
            routing.now.append(address)
        elif delivery is Delivery.DIGEST:
            routing.digest.append(user)
        else:
            routing.off.append(user)
    return routing
