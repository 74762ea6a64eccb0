"""What every ``fde`` command shares: ``--config`` and reading the settings it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from frontiers_de.config import JournalProfile, load_settings

F = TypeVar("F", bound=Callable[..., Any])

# Exit codes of the checking commands (DESIGN.md): valid, invalid, unusable input.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2
# A step stopped at its time limit (fde.production.typeset_timeout, …_xslt_timeout).
EXIT_TOO_LONG = 3


def config_option(func: F) -> F:
    """``--config FILE.ini``: journal and deployment settings (default development.ini)."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Settings file (default: development.ini beside the project, if present).",
    )(func)


def settings_for(config_path: str | None) -> dict[str, Any]:
    try:
        return load_settings(config_path)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc


def profile_for(config_path: str | None) -> JournalProfile:
    return JournalProfile.from_settings(settings_for(config_path))
