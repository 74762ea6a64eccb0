"""``fde deadlines``: the journal's deadlines from the command line.

``fde deadlines run`` sends the reminders and escalations that are due now, each once (what
beat does every ``fde.deadlines.interval``); ``fde deadlines list`` prints every open
deadline with its due date, the overdue ones flagged. ``--now`` runs either as of another
time (a test, or a look ahead).
"""

from __future__ import annotations

import datetime as dt

import click

from frontiers_de.cli.admin import app_request
from frontiers_de.cli.common import config_option


def _now(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "give the time as ISO 8601, e.g. 2026-12-03 or 2026-12-03T09:00", param_hint="--now"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_NOW = click.option("--now", "now_text", help="as of this time (ISO 8601, UTC)")


@click.group("deadlines")
def deadlines() -> None:
    """Deadlines for every role: reminders and escalations."""


@deadlines.command("run")
@_NOW
@config_option
def deadlines_run(now_text: str | None, config_path: str | None) -> None:
    """Send every reminder and escalation that is due (each once)."""
    from frontiers_de.deadlines.engine import run

    now = _now(now_text)
    with app_request(config_path) as request:
        sent = run(request.db, request.registry.settings, now)
        for item in sent:
            click.echo(f"  {item.kind.value} {item.item_id}: {item.stage}")
    reminders = sum(1 for s in sent if s.stage != "escalate")
    click.echo(f"Deadlines: {reminders} reminder(s), {len(sent) - reminders} escalation(s) sent.")


@deadlines.command("list")
@_NOW
@config_option
def deadlines_list(now_text: str | None, config_path: str | None) -> None:
    """Print every open deadline, the overdue ones flagged."""
    from frontiers_de.db.meta import utcnow
    from frontiers_de.deadlines.engine import open_deadlines

    now = _now(now_text) or utcnow()
    with app_request(config_path) as request:
        found = open_deadlines(request.db, now, settings=request.registry.settings)
        for d in found:
            flag = f"OVERDUE {d.days_overdue(now)} d" if d.is_overdue(now) else "open"
            click.echo(
                f"{d.due_on.isoformat()}  {flag:<14} {d.kind.value:<15} "
                f"submission {d.submission_id} (item {d.item_id})"
            )
    click.echo(f"{len(found)} open deadline(s).")


COMMANDS: list[click.Command] = [deadlines]
