"""Accounts' settings (password hashing cost), declared once: see frontiers_de/settings.py."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, positive_int, setting


@declare
class AccountSettings(SettingsGroup):
    argon2_time_cost: int = setting("fde.argon2.time_cost", positive_int, 2, "Argon2 passes")
    argon2_memory_cost: int = setting(
        "fde.argon2.memory_cost", positive_int, 19 * 1024, "Argon2 memory, KiB"
    )
    argon2_parallelism: int = setting("fde.argon2.parallelism", positive_int, 1, "Argon2 lanes")
