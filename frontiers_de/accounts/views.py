"""Account pages: register, verify, sign in and out, password reset, profile. Thin: read
the form, call the account service, show the result."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.security import forget, remember
from pyramid.view import view_config

from frontiers_de.accounts import forms
from frontiers_de.accounts.services import AccountError, AccountService, InvalidLink
from frontiers_de.forms import FormResult, read_form, translate_errors
from frontiers_de.i18n import LANGUAGES, _
from frontiers_de.i18n import translate as _t
from frontiers_de.security.permissions import Permission
from frontiers_de.security.redirects import redirect_target, safe_redirect_path
from frontiers_de.templating import flash
from frontiers_de.throttling.services import Throttled, ThrottleScope


def account_service(request: Request) -> AccountService:
    return AccountService.from_settings(
        request.db, request.registry.settings, throttle=request.throttle
    )


def _page(request: Request, form: FormResult | None = None, **extra: Any) -> dict[str, Any]:
    """What every account form page gets: what was sent (never passwords) and the errors."""
    values = {} if form is None else {k: v for k, v in form.sent.items() if "password" not in k}
    errors = {} if form is None else translate_errors(request, form.errors)
    return {"values": values, "errors": errors, **extra}


def _refuse(form: FormResult, exc: AccountError | Throttled, general: str = "__all__") -> None:
    form.errors[exc.field or general] = exc.message


# --- register and verify -------------------------------------------------------------------


@view_config(
    route_name="accounts.register", renderer="accounts/register.html", permission=Permission.VIEW
)
def register(request: Request) -> Any:
    if request.user is not None:
        return HTTPFound(request.route_path("accounts.profile"))
    if request.method != "POST":
        return _page(request, values={"preferred_language": request.locale_name})
    form = read_form(request.POST, forms.REGISTER_FIELDS)
    forms.check_new_password(form)
    if form.ok:
        accounts = account_service(request)
        try:
            user = accounts.register(
                form.values["email"],
                form.values["password"],
                given_name=form.values["given_name"],
                family_name=form.values["family_name"],
                preferred_language=form.values["preferred_language"],
                client=request.client_addr,
            )
        except (AccountError, Throttled) as exc:
            _refuse(form, exc)
        else:
            accounts.send_verification_link(user)
            headers = remember(request, user.id)
            flash(
                request,
                _t(
                    request,
                    _(
                        "Welcome! We sent a link to ${email}: open it to confirm your address.",
                        mapping={"email": user.email},
                    ),
                ),
                "success",
            )
            return HTTPFound(request.route_path("accounts.profile"), headers=headers)
    return _page(request, form)


def _link_refused(request: Request, exc: AccountError, **extra: Any) -> Response:
    """The page for a link that cannot be used: 400 (and counted against the client, who
    may be guessing) for a bad link, 409 for a good one the rules refuse now."""
    status = 409
    if isinstance(exc, InvalidLink):
        request.throttle.record(ThrottleScope.LINK, request.client_addr)
        status = 400
    response = render_to_response(
        "accounts/link_invalid.html",
        {"message": _t(request, exc.message), **extra},
        request=request,
    )
    response.status_int = status
    return response


def _confirm_page(request: Request, **context: Any) -> Response:
    """The page an emailed confirmation link opens: it says what the button will do and
    changes nothing itself (mail scanners open the links in messages)."""
    response = render_to_response("accounts/confirm_link.html", context, request=request)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@view_config(route_name="accounts.verify", request_method="GET", permission=Permission.VIEW)
def verify_page(request: Request) -> Response:
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    try:
        user = account_service(request).user_for_verification(request.matchdict["token"])
    except InvalidLink as exc:
        return _link_refused(request, exc)
    return _confirm_page(
        request,
        heading=_t(request, _("Confirm your email address")),
        text=_t(
            request,
            _(
                "Confirm that ${email} is your address, for the account you registered.",
                mapping={"email": user.email},
            ),
        ),
        button=_t(request, _("Confirm my address")),
    )


@view_config(route_name="accounts.verify", request_method="POST", permission=Permission.VIEW)
def verify(request: Request) -> Any:
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    try:
        account_service(request).verify_email(request.matchdict["token"])
    except InvalidLink as exc:
        return _link_refused(request, exc)
    flash(request, _t(request, _("Thank you: your email address is confirmed.")), "success")
    target = "accounts.profile" if request.user is not None else "accounts.login"
    return HTTPFound(request.route_path(target))


@view_config(
    route_name="accounts.verify_resend",
    request_method="POST",
    permission=Permission.ACCOUNT,
)
def resend_verification(request: Request) -> Response:
    user = request.user
    if user.is_verified:
        return HTTPFound(request.route_path("accounts.profile"))
    request.throttle.attempt(ThrottleScope.VERIFY_RESEND, request.client_addr)
    if account_service(request).send_verification_link(user) is None:
        message = _(
            "We have already sent several links to ${email} in the last hour; please use "
            "the latest one, or look in your spam folder.",
            mapping={"email": user.email},
        )
        flash(request, _t(request, message), "warning")
    else:
        message = _("We sent a new confirmation link to ${email}.", mapping={"email": user.email})
        flash(request, _t(request, message), "success")
    return HTTPFound(request.route_path("accounts.profile"))


# --- sign in and out -----------------------------------------------------------------------


@view_config(
    route_name="accounts.login", renderer="accounts/login.html", permission=Permission.VIEW
)
def login(request: Request) -> Any:
    # Only a safe same-site path is kept (and echoed in the form); anything else: home.
    next_url = safe_redirect_path(request.params.get("next")) or ""
    if request.user is not None:
        return HTTPFound(redirect_target(request, next_url))
    if request.method != "POST":
        return _page(request, next=next_url)
    form = read_form(request.POST, forms.LOGIN_FIELDS)
    if form.ok:
        try:
            user = account_service(request).authenticate(
                form.values["email"], form.values["password"], request.client_addr
            )
        except (AccountError, Throttled) as exc:
            _refuse(form, exc)
        else:
            headers = remember(request, user.id)
            return HTTPFound(redirect_target(request, next_url), headers=headers)
    return _page(request, form, next=next_url)


@view_config(route_name="accounts.logout", request_method="POST")
def logout(request: Request) -> Response:
    # Every session of the account ends, so a copy of this cookie (another device, a
    # stolen one) is worth nothing after signing out.
    if request.user is not None:
        account_service(request).end_sessions(request.user)
    headers = forget(request)
    flash(request, _t(request, _("You are signed out.")), "info")
    return HTTPFound(request.route_path("home"), headers=headers)


# --- password reset ------------------------------------------------------------------------


@view_config(
    route_name="accounts.reset_request",
    renderer="accounts/reset_request.html",
    permission=Permission.VIEW,
)
def reset_request(request: Request) -> Any:
    if request.method != "POST":
        return _page(request)
    form = read_form(request.POST, forms.RESET_REQUEST_FIELDS)
    if not form.ok:
        return _page(request, form)
    accounts = account_service(request)
    try:
        user = accounts.request_password_reset(form.values["email"], client=request.client_addr)
    except Throttled as exc:
        _refuse(form, exc)
        return _page(request, form)
    if user is not None:
        accounts.send_reset_link(user)
    # The same answer whether or not the address has an account.
    return _page(request, sent=True)


@view_config(
    route_name="accounts.reset", renderer="accounts/reset.html", permission=Permission.VIEW
)
def reset(request: Request) -> Any:
    token = request.matchdict["token"]
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    accounts = account_service(request)
    try:
        user = accounts.user_for_reset(token)
    except InvalidLink as exc:
        request.throttle.record(ThrottleScope.LINK, request.client_addr)
        request.response.status_int = 400
        return _page(request, invalid=_t(request, exc.message))
    if request.method != "POST":
        return _page(request)
    form = read_form(request.POST, forms.RESET_FIELDS)
    forms.check_new_password(form, user.email)
    if form.ok:
        try:
            accounts.reset_password(token, form.values["password"])
        except AccountError as exc:
            _refuse(form, exc)
        else:
            headers = forget(request)
            flash(
                request,
                _t(request, _("Your new password is set. Please sign in with it.")),
                "success",
            )
            return HTTPFound(request.route_path("accounts.login"), headers=headers)
    return _page(request, form)


# --- profile -------------------------------------------------------------------------------


def _profile_values(user: Any) -> dict[str, str]:
    values = {name: getattr(user, name) or "" for name in AccountService.PROFILE_FIELDS}
    values["research_interests"] = ", ".join(user.research_interests or [])
    return values


@view_config(
    route_name="accounts.profile", renderer="accounts/profile.html", permission=Permission.ACCOUNT
)
def profile(request: Request) -> Any:
    user = request.user
    extra = {
        "countries": forms.country_names(request.locale_name),
        "languages": LANGUAGES,
        "account": user,
    }
    if request.method != "POST":
        return _page(request, **extra) | {"values": _profile_values(user)}
    form = read_form(request.POST, forms.PROFILE_FIELDS)
    if form.ok:
        try:
            account_service(request).update_profile(user, form.values)
        except AccountError as exc:
            _refuse(form, exc)
        else:
            flash(request, _t(request, _("Your profile is saved.")), "success")
            return HTTPFound(request.route_path("accounts.profile"))
    return _page(request, form, **extra)


@view_config(
    route_name="accounts.password",
    renderer="accounts/password.html",
    permission=Permission.ACCOUNT,
)
def change_password(request: Request) -> Any:
    if request.method != "POST":
        return _page(request)
    user = request.user
    form = read_form(request.POST, forms.CHANGE_PASSWORD_FIELDS)
    forms.check_new_password(form, user.email)
    if form.ok:
        try:
            account_service(request).change_password(
                user, form.values["current_password"], form.values["password"]
            )
        except AccountError as exc:
            _refuse(form, exc)
        else:
            # The stamp changed: this session is renewed, every other one ends.
            headers = remember(request, user.id)
            flash(
                request,
                _t(request, _("Your new password is set; you are signed out everywhere else.")),
                "success",
            )
            return HTTPFound(request.route_path("accounts.profile"), headers=headers)
    return _page(request, form)


# --- changing the email address ------------------------------------------------------------


@view_config(
    route_name="accounts.email", renderer="accounts/email.html", permission=Permission.ACCOUNT
)
def change_email(request: Request) -> Any:
    user = request.user
    if request.method != "POST":
        return _page(request, account=user)
    accounts = account_service(request)
    if request.POST.get("action") == "cancel":
        accounts.cancel_email_change(user)
        flash(
            request,
            _t(
                request,
                _(
                    "The change of address is cancelled; we keep using ${email}.",
                    mapping={"email": user.email},
                ),
            ),
            "info",
        )
        return HTTPFound(request.route_path("accounts.profile"))
    form = read_form(request.POST, forms.EMAIL_CHANGE_FIELDS)
    if form.ok:
        try:
            accounts.request_email_change(
                user, form.values["email"], form.values["password"], client=request.client_addr
            )
        except (AccountError, Throttled) as exc:
            _refuse(form, exc)
        else:
            mapping = {"new": user.pending_email, "old": user.email}
            if accounts.send_email_change_link(user) is None:
                message = _(
                    "We have already sent several links to ${new} in the last hour; please "
                    "use the latest one, or look in your spam folder.",
                    mapping=mapping,
                )
                flash(request, _t(request, message), "warning")
            else:
                message = _(
                    "We sent a link to ${new}: open it to confirm the new address. Until "
                    "then we keep using ${old}.",
                    mapping=mapping,
                )
                flash(request, _t(request, message), "success")
            return HTTPFound(request.route_path("accounts.profile"))
    return _page(request, form, account=user)


@view_config(route_name="accounts.email_confirm", request_method="GET", permission=Permission.VIEW)
def confirm_email_change_page(request: Request) -> Response:
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    try:
        user = account_service(request).user_for_email_change(request.matchdict["token"])
    except InvalidLink as exc:
        return _link_refused(request, exc, change_email=True)
    return _confirm_page(
        request,
        heading=_t(request, _("Confirm your new email address")),
        text=_t(
            request,
            _(
                "Your account will use ${new} instead of ${old}: for signing in and for "
                "every email from the journal.",
                mapping={"new": user.pending_email, "old": user.email},
            ),
        ),
        button=_t(request, _("Confirm the new address")),
    )


@view_config(route_name="accounts.email_confirm", request_method="POST", permission=Permission.VIEW)
def confirm_email_change(request: Request) -> Any:
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    signed_in = request.user
    try:
        # The old address is told, if it had been confirmed (accounts.notifications).
        user, _old_email, _old_verified = account_service(request).confirm_email_change(
            request.matchdict["token"]
        )
    except AccountError as exc:
        return _link_refused(request, exc, change_email=True)
    headers: list[tuple[str, str]] = []
    target = "accounts.login"
    if signed_in is not None and signed_in.id == user.id:
        # The stamp changed: this session is renewed (before the message, which lives in
        # the new session), every other one ends.
        headers = remember(request, user.id)
        target = "accounts.profile"
    flash(
        request,
        _t(request, _("Your email address is now ${email}.", mapping={"email": user.email})),
        "success",
    )
    return HTTPFound(request.route_path(target), headers=headers)
