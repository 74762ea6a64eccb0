"""Column helpers shared by the domain models."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum


def str_enum(enum_cls: type[enum.StrEnum], length: int = 32) -> Enum:
    """A StrEnum stored as its value in a VARCHAR on every backend (no native ENUM type,
    so adding a member needs no database-specific migration)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        create_constraint=False,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def json_default_list() -> list[Any]:
    return []


def json_default_dict() -> dict[str, Any]:
    return {}
