"""Throttling's settings, declared once: see frontiers_de/settings.py.

Per-client (IP address; IPv6 by /64 network) limits, "COUNT/WINDOW" with the window in
minutes (m) or hours (h); "off" switches one off (parsed by services.parse_limit).
"""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, seconds, setting, text


@declare
class ThrottleSettings(SettingsGroup):
    login: str = setting("fde.throttle.login", text, "30/15m", "failed sign-ins")
    register: str = setting("fde.throttle.register", text, "10/1h", "registration attempts")
    password_reset: str = setting(
        "fde.throttle.password_reset", text, "10/1h", "password-reset requests"
    )
    verify_resend: str = setting(
        "fde.throttle.verify_resend", text, "10/1h", '"send the confirmation link again"'
    )
    email_change: str = setting(
        "fde.throttle.email_change", text, "10/1h", "requests to change an account's address"
    )
    link: str = setting(
        "fde.throttle.link", text, "30/15m", "emailed links (verify, reset, proof) that failed"
    )
    purge_interval: float = setting(
        "fde.throttle.purge_interval", seconds, 3600.0, "how often the beat purges old rows"
    )
