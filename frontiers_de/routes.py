"""Every route, grouped by domain; names are ``domain.resource[.action]``."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    config.add_static_view("static", "frontiers_de:static/", cache_max_age=3600)

    # site
    config.add_route("home", "/")
    config.add_route("site.language", "/language")
    config.add_route("site.health", "/health")

    # accounts
    config.add_route("accounts.register", "/register")
    config.add_route("accounts.verify", "/verify/{token}")
    config.add_route("accounts.verify_resend", "/verify-again")
    config.add_route("accounts.login", "/login")
    config.add_route("accounts.logout", "/logout")
    config.add_route("accounts.reset_request", "/password/reset")
    config.add_route("accounts.reset", "/password/reset/{token}")
    config.add_route("accounts.profile", "/account")

    # admin
    config.add_route("admin.roles", "/admin/roles")
    config.add_route("admin.journal", "/admin/journal")
    config.add_route("admin.sections", "/admin/journal/sections")

    # crossref (DOI registration, for the production editor)
    config.add_route("crossref.dois", "/production/dois")
    config.add_route("crossref.deposits", "/production/dois/deposits")
    config.add_route("crossref.deposit", r"/production/dois/deposits/{deposit_id:\d{1,18}}")
    config.add_route("crossref.deposit_xml", r"/production/dois/deposits/{deposit_id:\d{1,18}}/xml")
    config.add_route(
        "crossref.redeposit_issue", r"/production/dois/issues/{issue_id:\d{1,18}}/redeposit"
    )
    config.add_route("crossref.doi", r"/production/dois/{record_id:\d{1,18}}")
    config.add_route("crossref.redeposit", r"/production/dois/{record_id:\d{1,18}}/redeposit")
