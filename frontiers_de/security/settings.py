"""The security layer's settings (cookies, proxies, host names), declared once: see
frontiers_de/settings.py and security/hosts.py for what each means."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, boolean, declare, setting, text


@declare
class SecuritySettings(SettingsGroup):
    secure_cookies: bool = setting(
        "fde.secure_cookies", boolean, False, "session cookie only over HTTPS"
    )
    trusted_proxies: str = setting(
        "fde.trusted_proxies",
        text,
        "",
        "proxies whose X-Forwarded-For is believed (addresses or networks); empty: none",
    )
    allowed_hosts: str = setting(
        "fde.allowed_hosts", text, "", "host names answered; empty: the host of fde.base_url"
    )
    trust_forwarded_host: bool = setting(
        "fde.trust_forwarded_host", boolean, False, "believe a trusted proxy's X-Forwarded-Host"
    )
    trust_forwarded_proto: bool = setting(
        "fde.trust_forwarded_proto", boolean, False, "believe its X-Forwarded-Proto"
    )
