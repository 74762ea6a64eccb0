"""Database commands: initdb, create-admin, user, seed-demo, serve."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
