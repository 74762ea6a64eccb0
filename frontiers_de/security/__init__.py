"""Who the request is (identity from the session) and what they may do (principals)."""

from __future__ import annotations

from typing import Any

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.config import Configurator
from pyramid.csrf import SessionCSRFStoragePolicy
from pyramid.request import Request
from pyramid.session import JSONSerializer, SignedCookieSessionFactory

from frontiers_de.config import SiteSettings
from frontiers_de.security.client import client_address, parse_trusted_proxies
from frontiers_de.security.roles import Role
from frontiers_de.security.settings import SecuritySettings
from frontiers_de.settings import load

SESSION_USER_KEY = "auth.user_id"
SESSION_STAMP_KEY = "auth.stamp"


def role_principal(role: Role | str) -> str:
    return f"role:{Role(role).value}"


class SessionSecurityPolicy:
    """Identity is the user id kept in the signed session cookie; it is dropped when the
    user is inactive or their security stamp changed (password reset signs out everywhere)."""

    def __init__(self) -> None:
        self.acl = ACLHelper()

    def identity(self, request: Request) -> Any:
        return request.user

    def authenticated_userid(self, request: Request) -> int | None:
        user = request.user
        return user.id if user is not None else None

    def permits(self, request: Request, context: Any, permission: str) -> Any:
        return self.acl.permits(context, self.effective_principals(request), permission)

    def effective_principals(self, request: Request) -> list[str]:
        principals = [Everyone]
        user = request.user
        if user is None:
            return principals
        principals += [Authenticated, f"user:{user.id}"]
        if user.is_verified:
            principals.append("verified")
        journal = request.journal
        if journal is not None:
            principals += [role_principal(r) for r in user.roles_in(journal.id)]
        return principals

    def remember(self, request: Request, userid: int, **kw: Any) -> list[tuple[str, str]]:
        from frontiers_de.accounts.models import User

        user = request.db.get(User, userid)
        request.session.invalidate()  # a new session on sign-in: no fixation
        request.session[SESSION_USER_KEY] = userid
        request.session[SESSION_STAMP_KEY] = user.security_stamp if user else 0
        request.__dict__.pop("user", None)
        return []

    def forget(self, request: Request, **kw: Any) -> list[tuple[str, str]]:
        request.session.invalidate()
        request.__dict__.pop("user", None)
        return []


def _request_user(request: Request) -> Any:
    from frontiers_de.accounts.models import User
    from frontiers_de.db import database_usable

    userid = request.session.get(SESSION_USER_KEY)
    # After the commit (the debug toolbar reads every request attribute) or once the
    # transaction has failed (an error page), there is no session to ask: nobody signed in.
    if userid is None or not database_usable(request):
        return None
    user = request.db.get(User, userid)
    if user is None or not user.is_active:
        return None
    if request.session.get(SESSION_STAMP_KEY) != user.security_stamp:
        return None
    return user


def _client_addr(request: Request) -> str:
    """Replaces WebOb's ``client_addr``, which believes X-Forwarded-For from anyone."""
    return client_address(request.environ, request.registry["trusted_proxies"])


def includeme(config: Configurator) -> None:
    security = load(config, SecuritySettings)
    config.registry["trusted_proxies"] = parse_trusted_proxies(security.trusted_proxies)
    secret = SiteSettings.of(config.get_settings()).session_secret
    if len(secret) < 16:
        raise ValueError(
            "fde.session_secret (FDE_SESSION_SECRET) must be set to at least 16 characters"
        )
    session_factory = SignedCookieSessionFactory(
        secret,
        cookie_name="fde_session",
        secure=security.secure_cookies,
        httponly=True,
        samesite="Lax",
        max_age=None,
        timeout=8 * 3600,
        reissue_time=600,
        serializer=JSONSerializer(),
    )
    config.set_session_factory(session_factory)
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    # Every unsafe request (POST, PUT, DELETE, PATCH) must carry the session's CSRF token.
    config.set_default_csrf_options(require_csrf=True)
    config.set_security_policy(SessionSecurityPolicy())
    config.add_request_method(_request_user, "user", reify=True)
    config.add_request_method(_client_addr, "client_addr", reify=True)
    # Requests for other host names are refused; proxies' host and scheme headers are
    # believed only where the settings say so (security/hosts.py).
    config.include(".hosts")
