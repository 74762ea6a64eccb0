"""The account rules: registration, email verification, sign-in with throttling, password
reset, profile, and per-journal roles. Views call these; so do the command line and tests.

Every method checks everything before it writes anything, so a refused request leaves the
database as it was. Errors carry a translatable message and, where it belongs to one form
field, that field's name.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping
from typing import Any

from argon2 import PasswordHasher
from pyramid.i18n import TranslationString
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.events import (
    EmailChanged,
    EmailChangeRequested,
    LinkIssued,
    PasswordResetRequested,
    SetPasswordRequested,
    VerificationRequested,
)
from frontiers_de.accounts.models import LoginAttempt, RoleAssignment, User, email_key
from frontiers_de.accounts.passwords import (
    make_password_hasher,
    password_problem,
    verify_password,
)
from frontiers_de.accounts.tokens import TokenError, TokenPurpose, TokenSigner
from frontiers_de.config import SiteSettings
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import LANGUAGES, _
from frontiers_de.security.client import client_key
from frontiers_de.security.roles import Role
from frontiers_de.throttling.services import ClientThrottle, ThrottleScope, limits_from_settings

# Throttling: after this many failed sign-ins for one account from one client (its IP
# address, or IPv6 /64) within the window, that client may not sign in to that account
# until the oldest of them leaves the window. Counted per account *and* client, so that a
# stranger's wrong guesses lock the stranger out, not the owner signing in from elsewhere;
# the per-client limit across accounts (ThrottleScope.LOGIN) stops one client from
# spreading its guesses over many accounts.
MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = dt.timedelta(minutes=15)


# --- what an account may do before its address is confirmed -----------------------------------
#
# Anyone can register any address, so an unconfirmed account proves nothing about who holds
# it. This is the one rule of what such an account may do: views, services and the ACL ask
# :func:`account_may` (or :func:`needs_confirmed_address`), and the verification email lists
# the same entries, so the two cannot drift apart.


class AccountAction(enum.StrEnum):
    """The things a signed-in account does for which a confirmed address may matter."""

    SIGN_IN = "sign_in"
    EDIT_PROFILE = "edit_profile"
    CHANGE_PASSWORD = "change_password"
    CHANGE_EMAIL = "change_email"
    SUBMIT = "submit"
    REVIEW = "review"


# What works before the address is confirmed, in the words of the verification email.
UNCONFIRMED_MAY: dict[AccountAction, TranslationString] = {
    AccountAction.SIGN_IN: _("sign in and out"),
    AccountAction.EDIT_PROFILE: _("fill in your profile (name, affiliation, ORCID iD)"),
    AccountAction.CHANGE_PASSWORD: _("change your password"),
    AccountAction.CHANGE_EMAIL: _("correct your email address"),
}
# What needs the confirmed address; everything of AccountAction is in exactly one of the two.
NEEDS_CONFIRMED: dict[AccountAction, TranslationString] = {
    AccountAction.SUBMIT: _("submit a manuscript"),
    AccountAction.REVIEW: _(
        "answer invitations to review from My reviews, read the manuscripts and write reviews "
        "(the link in an invitation email confirms your address as well)"
    ),
}


def needs_confirmed_address(action: AccountAction) -> bool:
    """Whether ``action`` needs a confirmed address (the rule above)."""
    return action not in UNCONFIRMED_MAY


def account_may(user: User | None, action: AccountAction) -> bool:
    """Whether the signed-in ``user`` may do ``action``: an active account, with a
    confirmed address where the rule asks for one."""
    if user is None or not user.is_active:
        return False
    return user.is_verified or not needs_confirmed_address(action)


def end_every_session(user: User) -> None:
    """Bump the security stamp that every session cookie (and every stamped link) of
    ``user`` names, so each one stops working: the one home of "end this user's sessions"
    (see :meth:`AccountService.end_sessions`)."""
    user.security_stamp += 1


def end_unproven_access(user: User) -> bool:
    """Take from an unconfirmed account what its registrant holds: the password, a pending
    change of address and every session (the security stamp changes). Called before
    someone else's trust rests on the account (an editor invites its address to review):
    whoever registered it need not be the person the address belongs to. From then on only
    a link sent to the address opens the account. A confirmed account is left alone;
    returns whether anything was taken."""
    if user.is_verified:
        return False
    user.password_hash = None
    user.pending_email = None
    user.pending_email_requested_at = None
    end_every_session(user)
    return True


def confirm_address_by_link(user: User, now: dt.datetime) -> None:
    """The holder of ``user``'s address opened a link sent to it: the address is confirmed.
    An account that was unconfirmed loses its password and sessions first
    (:func:`end_unproven_access`): they belonged to whoever registered it, who may be
    someone else; the holder of the address chooses a password next."""
    if user.email_verified_at is None:
        end_unproven_access(user)
        user.email_verified_at = now


class AccountError(Exception):
    """A request the rules refuse; ``field`` names the form field it concerns, if any."""

    def __init__(self, message: TranslationString, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LoginThrottled(AccountError):
    """Too many failed sign-ins; ``retry_after`` says how long until the next try."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        super().__init__(
            _(
                "Too many failed sign-in attempts for this account. For your security, "
                "please wait ${minutes} minute(s) and try again, or reset your password.",
                mapping={"minutes": minutes},
            )
        )
        self.retry_after = retry_after
        self.minutes = minutes


class InvalidLink(AccountError):
    """An email link that is forged, expired, for another purpose, or already used."""

    def __init__(self, reason: str) -> None:
        messages = {
            "expired": _("This link has expired. Please ask for a new one."),
            "used": _(
                "This link has already been used or is no longer valid. Please ask for a new one."
            ),
        }
        super().__init__(
            messages.get(reason, _("This link is not valid. Please ask for a new one."))
        )
        self.reason = reason


class AccountService:
    """Account rules over one database session."""

    def __init__(
        self,
        db: Session,
        tokens: TokenSigner,
        hasher: PasswordHasher | None = None,
        now: Callable[[], dt.datetime] = utcnow,
        throttle: ClientThrottle | None = None,
    ) -> None:
        self.db = db
        self.tokens = tokens
        self.hasher = hasher or make_password_hasher()
        self.now = now
        # Per-client limits (default ones unless given); it shares this service's clock.
        self.throttle = throttle or ClientThrottle(db, limits_from_settings({}), now)
        self._dummy_hash: str | None = None

    @classmethod
    def from_settings(
        cls, db: Session, settings: Mapping[str, Any], throttle: ClientThrottle | None = None
    ) -> AccountService:
        return cls(
            db,
            TokenSigner(SiteSettings.of(settings).token_secret),
            make_password_hasher(settings),
            throttle=throttle or ClientThrottle.from_settings(db, settings),
        )

    # --- users -----------------------------------------------------------------------------

    def find_by_email(self, email: str) -> User | None:
        return self.db.scalar(select(User).where(User.email_key == email_key(email)))

    def create_user(
        self,
        email: str,
        password: str | None,
        *,
        given_name: str = "",
        family_name: str = "",
        preferred_language: str = "en",
        verified: bool = False,
    ) -> User:
        """A new account; refused when the address is taken (in any case) or the password
        breaks the rules. ``password`` None makes an account that can only be entered
        through a password-reset link."""
        if self.find_by_email(email) is not None:
            raise AccountError(
                _(
                    "An account with this email address already exists. "
                    "Sign in, or reset your password."
                ),
                field="email",
            )
        if password is not None:
            problem = password_problem(password, email)
            if problem is not None:
                raise AccountError(problem, field="password")
        if preferred_language not in LANGUAGES:
            raise AccountError(_("Choose English or Chinese."), field="preferred_language")
        user = User(
            email=email.strip(),
            email_key=email_key(email),
            password_hash=self.hasher.hash(password) if password is not None else None,
            given_name=given_name,
            family_name=family_name,
            preferred_language=preferred_language,
            email_verified_at=self.now() if verified else None,
            security_stamp=0,
        )
        self.db.add(user)
        self.db.flush()
        return user

    def register(
        self, email: str, password: str | None, *, client: str | None = None, **fields: Any
    ) -> User:
        """Registration from the form: :meth:`create_user`, counted per ``client`` (its IP
        address) whether or not it succeeds, and refused with
        :class:`~frontiers_de.throttling.services.Throttled` once the client is over the
        limit (a refused address counts too: the form must not be a way to probe which
        addresses have accounts)."""
        if client is not None:
            self.throttle.attempt(ThrottleScope.REGISTER, client)
        return self.create_user(email, password, **fields)

    # --- email verification ----------------------------------------------------------------

    def verification_token(self, user: User) -> str:
        # Bound to the address: a link sent to an old address cannot verify a new one.
        return self.tokens.make(TokenPurpose.VERIFY_EMAIL, {"u": user.id, "e": user.email_key})

    def send_verification_link(self, user: User) -> Any:
        """Have the link that confirms ``user``'s address emailed (the accounts domain's
        subscriber sends it); the email queued, or None when too many went to the address
        within the hour."""
        return self._issue(VerificationRequested, user, self.verification_token(user))

    def user_for_verification(self, token: str) -> User:
        """The user a verification link is for, while it is good; changes nothing (the
        page the link opens asks before confirming: mail scanners open links)."""
        payload = self._read(TokenPurpose.VERIFY_EMAIL, token)
        user = self.db.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
        if user is None or not user.is_active or payload.get("e") != user.email_key:
            raise InvalidLink("used")
        return user

    def verify_email(self, token: str) -> User:
        """Mark the address of the token's user verified (again is harmless)."""
        user = self.user_for_verification(token)
        if user.email_verified_at is None:
            user.email_verified_at = self.now()
        return user

    # --- sign-in ---------------------------------------------------------------------------

    def failed_logins(self, email: str, client: str | None = None) -> list[dt.datetime]:
        """When ``client`` (an IP address; None: unknown) failed to sign in to the account
        within the window, oldest first."""
        since = self.now() - FAILED_LOGIN_WINDOW
        return list(
            self.db.scalars(
                select(LoginAttempt.attempted_at)
                .where(
                    LoginAttempt.email_key == email_key(email),
                    LoginAttempt.remote_addr == client_key(client or ""),
                    LoginAttempt.attempted_at > since,
                )
                .order_by(LoginAttempt.attempted_at)
            )
        )

    def _check_failed_logins(self, email: str, client: str | None) -> None:
        recent = self.failed_logins(email, client)
        if len(recent) >= MAX_FAILED_LOGINS:
            unlocks_at = recent[-MAX_FAILED_LOGINS] + FAILED_LOGIN_WINDOW
            raise LoginThrottled(unlocks_at - self.now())

    def _record_failed_login(self, email: str, client: str | None) -> None:
        """Count one failure of ``client`` on the account; its failures that left the
        window are dropped as we go."""
        key, who = email_key(email), client_key(client or "")
        self.db.execute(
            delete(LoginAttempt).where(
                LoginAttempt.email_key == key,
                LoginAttempt.remote_addr == who,
                LoginAttempt.attempted_at <= self.now() - FAILED_LOGIN_WINDOW,
            )
        )
        self.db.add(LoginAttempt(email_key=key, attempted_at=self.now(), remote_addr=who))
        self.db.flush()

    def authenticate(self, email: str, password: str, remote_addr: str | None = None) -> User:
        """The user whose address and password these are. Refused, even with the right
        password, while this client (``remote_addr``) is throttled on this account, or
        across accounts; a failure is recorded for both. Other clients' failures do not
        count here: a stranger cannot lock the owner out."""
        key = email_key(email)
        if remote_addr is not None:
            self.throttle.check(ThrottleScope.LOGIN, remote_addr)
        self._check_failed_logins(email, remote_addr)
        user = self.find_by_email(email)
        if user is None:
            # Hash anyway, so that sign-in takes as long for a missing account as for a
            # wrong password and the timing does not reveal which it was.
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("not a real password, only for timing")
            verify_password(self.hasher, self._dummy_hash, password)
            ok = False
        else:
            ok = user.is_active and verify_password(self.hasher, user.password_hash, password)
        if not ok:
            self._record_failed_login(email, remote_addr)
            if remote_addr is not None:
                self.throttle.record(ThrottleScope.LOGIN, remote_addr)
            raise AccountError(_("The email address or password is not correct."))
        assert user is not None
        if user.password_hash and self.hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(password)
        user.last_login_at = self.now()
        # This client's slate is clean; a stranger's failures elsewhere still count.
        self.db.execute(
            delete(LoginAttempt).where(
                LoginAttempt.email_key == key,
                LoginAttempt.remote_addr == client_key(remote_addr or ""),
            )
        )
        return user

    # --- password reset --------------------------------------------------------------------

    def reset_token(self, user: User) -> str:
        return self.tokens.make(
            TokenPurpose.RESET_PASSWORD, {"u": user.id, "s": user.security_stamp}
        )

    def send_reset_link(self, user: User) -> Any:
        """Have a link to choose a new password emailed to ``user``; the email queued, or
        None when too many went to the address within the hour."""
        return self._issue(PasswordResetRequested, user, self.reset_token(user))

    def send_set_password_link(self, user: User) -> Any:
        """Have a link to choose a first password emailed to ``user`` (an account made
        without one, by an administrator); the email queued."""
        return self._issue(SetPasswordRequested, user, self.reset_token(user))

    def request_password_reset(self, email: str, client: str | None = None) -> User | None:
        """The active user to send a reset link to, or None; the caller answers the same
        either way, so the page does not reveal whether the address has an account. Each
        request of a ``client`` counts, and over the limit it is refused (Throttled)."""
        if client is not None:
            self.throttle.attempt(ThrottleScope.PASSWORD_RESET, client)
        user = self.find_by_email(email)
        return user if user is not None and user.is_active else None

    def user_for_reset(self, token: str) -> User:
        """The user a reset link is for, while the link is still good."""
        payload = self._read(TokenPurpose.RESET_PASSWORD, token)
        user = self.db.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
        if user is None or not user.is_active or payload.get("s") != user.security_stamp:
            raise InvalidLink("used")
        return user

    def reset_password(self, token: str, new_password: str) -> User:
        """Set a new password from a reset link. The link, older links and every session of
        the user stop working (the security stamp changes)."""
        user = self.user_for_reset(token)
        self.set_password(user, new_password)
        # The link arrived by email, so the address is proven as well.
        if user.email_verified_at is None:
            user.email_verified_at = self.now()
        return user

    def change_password(self, user: User, current_password: str, new_password: str) -> None:
        """A signed-in user's new password; the current one must be given. Other sessions
        end (the stamp changes); the caller renews the current one."""
        if not verify_password(self.hasher, user.password_hash, current_password):
            raise AccountError(_("Your current password is not correct."), field="current_password")
        self.set_password(user, new_password)

    def set_password(self, user: User, new_password: str) -> None:
        problem = password_problem(new_password, user.email)
        if problem is not None:
            raise AccountError(problem, field="password")
        user.password_hash = self.hasher.hash(new_password)
        self.end_sessions(user)
        self.db.execute(delete(LoginAttempt).where(LoginAttempt.email_key == user.email_key))

    def end_sessions(self, user: User) -> None:
        """End every session of ``user``, on every device: sign-out, a new password or
        address, a role taken away.

        A session is a signed cookie the browser keeps (nothing on the server to delete),
        so a copy made before would stay good; each names the security stamp it began
        with, and the session policy (``frontiers_de.security``) drops one whose stamp is
        no longer the user's. Links that name the stamp (password reset, change of
        address) stop working too. A caller that keeps the current request signed in
        calls ``remember`` again afterwards."""
        end_every_session(user)
        self.db.flush()

    # --- changing the address --------------------------------------------------------------

    def request_email_change(
        self, user: User, new_email: str, password: str, client: str | None = None
    ) -> str:
        """Ask to move ``user`` to ``new_email``: the address is kept as pending and the
        returned token, sent to the new address, confirms it; until then the old address
        stays in use for sign-in and mail.

        The password must be given (a session left open must not be enough to take the
        account over); wrong ones count as failed sign-ins of the account from ``client``, so
        the sign-in limit also stops guessing here. The address may not be the current one or
        belong to another account (without regard to case). Each request of a ``client``
        counts towards its limit (Throttled beyond it)."""
        if client is not None:
            self.throttle.attempt(ThrottleScope.EMAIL_CHANGE, client)
        self._check_failed_logins(user.email, client)
        if not verify_password(self.hasher, user.password_hash, password):
            self._record_failed_login(user.email, client)
            raise AccountError(_("Your current password is not correct."), field="password")
        # Checked only once the password is right: the form must not tell a stranger at an
        # open session which addresses have accounts.
        new_key = email_key(new_email)
        if new_key == user.email_key:
            raise AccountError(_("This is already your email address."), field="email")
        if self._email_taken(new_key, user):
            raise AccountError(_("This email address belongs to another account."), field="email")
        user.pending_email = new_email.strip()
        user.pending_email_requested_at = self.now()
        return self.email_change_token(user)

    def email_change_token(self, user: User) -> str:
        """The link token for ``user``'s pending address. It names that address and the
        security stamp: asking for another address, or a new password, voids it."""
        if user.pending_email is None:
            raise AccountError(_("There is no change of address waiting."))
        return self.tokens.make(
            TokenPurpose.CHANGE_EMAIL,
            {"u": user.id, "e": email_key(user.pending_email), "s": user.security_stamp},
        )

    def send_email_change_link(self, user: User) -> Any:
        """Have the link that confirms ``user``'s pending address emailed to that address;
        the email queued, or None when too many went to it within the hour."""
        return self._issue(EmailChangeRequested, user, self.email_change_token(user))

    def cancel_email_change(self, user: User) -> None:
        user.pending_email = None
        user.pending_email_requested_at = None

    def user_for_email_change(self, token: str) -> User:
        """The user whose pending address a change link confirms, while the link is good;
        changes nothing (the page the link opens asks before confirming)."""
        payload = self._read(TokenPurpose.CHANGE_EMAIL, token)
        user = self.db.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
        if (
            user is None
            or not user.is_active
            or user.pending_email is None
            or payload.get("e") != email_key(user.pending_email)
            or payload.get("s") != user.security_stamp
        ):
            raise InvalidLink("used")
        return user

    def confirm_email_change(self, token: str) -> tuple[User, str, bool]:
        """Make the pending address of the token's user their address, verified. Returns
        the user, the old address and whether it had been confirmed. The security stamp
        changes, so password-reset links sent to the old address and other sessions end.
        :class:`~frontiers_de.accounts.events.EmailChanged` is announced (the old address
        is told, if it had been confirmed)."""
        user = self.user_for_email_change(token)
        assert user.pending_email is not None
        new_key = email_key(user.pending_email)
        if self._email_taken(new_key, user):
            # Someone registered it since the link was sent.
            raise AccountError(
                _(
                    "This email address now belongs to another account, so it cannot "
                    "become yours. Your address has not changed."
                )
            )
        old_email, old_verified = user.email, user.is_verified
        user.email, user.email_key = user.pending_email, new_key
        user.email_verified_at = self.now()
        user.pending_email = None
        user.pending_email_requested_at = None
        self.end_sessions(user)
        events.notify(
            EmailChanged(db=self.db, user=user, old_email=old_email, old_verified=old_verified)
        )
        return user, old_email, old_verified

    def _email_taken(self, key: str, user: User) -> bool:
        return (
            self.db.scalar(select(User.id).where(User.email_key == key, User.id != user.id))
            is not None
        )

    # --- profile ---------------------------------------------------------------------------

    PROFILE_FIELDS = (
        "given_name",
        "family_name",
        "native_name",
        "orcid",
        "affiliation",
        "ror_id",
        "country",
        "preferred_language",
        "research_interests",
    )

    def update_profile(self, user: User, values: Mapping[str, Any]) -> User:
        """Save already validated profile fields (see ``accounts.forms.PROFILE_FIELDS``)."""
        if values.get("preferred_language", user.preferred_language) not in LANGUAGES:
            raise AccountError(_("Choose English or Chinese."), field="preferred_language")
        orcid = values.get("orcid")
        if orcid:
            taken = self.db.scalar(select(User.id).where(User.orcid == orcid, User.id != user.id))
            if taken is not None:
                raise AccountError(
                    _("This ORCID iD is already linked to another account."), field="orcid"
                )
        for name in self.PROFILE_FIELDS:
            if name in values:
                value = values[name]
                if name == "orcid":
                    value = value or None
                elif name == "research_interests":
                    value = list(value or [])
                setattr(user, name, value)
        return user

    # --- roles -----------------------------------------------------------------------------

    def search_users(self, query: str, limit: int = 25) -> list[User]:
        """Users whose address or name contains ``query`` (case ignored)."""
        text = query.strip().casefold()
        if not text:
            return []
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return list(
            self.db.scalars(
                select(User)
                .where(
                    or_(
                        User.email_key.like(pattern, escape="\\"),
                        func.lower(User.given_name).like(pattern, escape="\\"),
                        func.lower(User.family_name).like(pattern, escape="\\"),
                        User.native_name.like(pattern, escape="\\"),
                    )
                )
                .order_by(User.email_key)
                .limit(limit)
            )
        )

    def grant_role(
        self, user: User, journal_id: int, role: Role | str, granted_by: User | None = None
    ) -> RoleAssignment:
        """Give ``user`` ``role`` in the journal (granting it twice is harmless)."""
        role = Role(role)
        existing = self.db.scalar(
            select(RoleAssignment).where(
                RoleAssignment.user_id == user.id,
                RoleAssignment.journal_id == journal_id,
                RoleAssignment.role == role,
            )
        )
        if existing is not None:
            return existing
        assignment = RoleAssignment(
            user_id=user.id,
            journal_id=journal_id,
            role=role,
            granted_at=self.now(),
            granted_by_id=granted_by.id if granted_by else None,
        )
        user.roles.append(assignment)
        self.db.flush()
        return assignment

    def revoke_role(self, assignment: RoleAssignment) -> None:
        """Take a role away; the journal's last administrator keeps theirs. The user's
        sessions end: whatever a page opened with the role still holds (a form, a token)
        goes with them."""
        if assignment.role == Role.ADMIN:
            admins = self.db.scalar(
                select(func.count(RoleAssignment.id)).where(
                    RoleAssignment.journal_id == assignment.journal_id,
                    RoleAssignment.role == Role.ADMIN,
                )
            )
            if (admins or 0) <= 1:
                raise AccountError(
                    _(
                        "This is the journal's last administrator; "
                        "grant the role to someone else first."
                    )
                )
        user = assignment.user
        user.roles.remove(assignment)  # delete-orphan: the row goes too
        self.end_sessions(user)

    # ---------------------------------------------------------------------------------------

    def _issue(self, kind: type[LinkIssued], user: User, token: str) -> Any:
        """Announce that a link made of ``token`` is to be emailed to ``user``; the email
        the subscriber queued, or None."""
        event = kind(db=self.db, user=user, token=token)
        events.notify(event)
        return event.queued[0] if event.queued else None

    def _read(self, purpose: TokenPurpose, token: str) -> dict[str, Any]:
        try:
            return self.tokens.read(purpose, token)
        except TokenError as exc:
            raise InvalidLink(exc.reason) from exc
