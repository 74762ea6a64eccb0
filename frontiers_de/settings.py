"""Settings declared once: each domain's keys, defaults and types in one frozen dataclass.

A domain declares what it reads::

    @declare
    class ReviewSettings(SettingsGroup):
        invitation_days: int = setting("fde.review.invitation_days", positive_int, 14)

and reads it typed, from the app's settings or any mapping the command line or a worker
holds: ``ReviewSettings.of(request.registry.settings).invitation_days``. Its ``includeme``
calls :func:`load` so that a bad value stops the app at start-up with the key's name and
what was expected. One set of coercers parses every value; an unset or empty value is the
declared default. ``tests/unit/test_settings.py`` fails on a key that code reads but no
group declares, and on a declared key that development.ini or production.ini does not list.

Parsed groups are cached by the raw values of their own keys, so reading one per request is
a dictionary look-up, and a mapping changed after start-up (tests do) is read afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, ClassVar, TypeVar, dataclass_transform

from pyramid.config import Configurator

T = TypeVar("T")
G = TypeVar("G", bound="SettingsGroup")


class SettingsError(ValueError):
    """A setting whose value is not what its declaration expects."""


# --- coercers: raw text (or an already typed value) -> the setting's type ---------------
# Each carries ``expected``, the phrase the start-up error uses.


def _coercer(expected: str) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
    def mark(function: Callable[[Any], T]) -> Callable[[Any], T]:
        function.expected = expected  # type: ignore[attr-defined]
        return function

    return mark


@_coercer("text")
def text(raw: Any) -> str:
    return str(raw)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@_coercer("true or false (also yes/no, on/off, 1/0)")
def boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(raw)


@_coercer("a whole number")
def integer(raw: Any) -> int:
    return int(str(raw).strip())


@_coercer("a positive whole number")
def positive_int(raw: Any) -> int:
    value = int(str(raw).strip())
    if value <= 0:
        raise ValueError(raw)
    return value


@_coercer("a number")
def number(raw: Any) -> float:
    return float(str(raw).strip())


@_coercer("a number of seconds, zero or more")
def seconds(raw: Any) -> float:
    value = float(str(raw).strip())
    if value < 0:
        raise ValueError(raw)
    return value


@_coercer("words separated by spaces or commas")
def words(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, (list, tuple)):
        return tuple(str(item) for item in raw)
    return tuple(str(raw).replace(",", " ").split())


@_coercer("http:// or https:// followed by a host name")
def url(raw: Any) -> str:
    value = str(raw).strip()
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError(raw)
    return value


def clamped_int(low: int, high: int, fallback: int) -> Callable[[Any], int]:
    """A whole number kept between ``low`` and ``high``; text that is not one is ``fallback``
    (a lenient setting such as the search page size)."""

    @_coercer(f"a whole number from {low} to {high}")
    def coerce(raw: Any) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError:
            return fallback
        return min(high, max(low, value))

    return coerce


# --- declarations -----------------------------------------------------------------------

# Every declared key -> the group that declares it (filled by @declare at import).
DECLARED: dict[str, type[SettingsGroup]] = {}


def setting(key: str, coerce: Callable[[Any], Any], default: Any, doc: str = "") -> Any:
    """One setting of a group: its key, its coercer, its default (``None``: unset, the reading
    code decides) and what it means."""
    return dataclasses.field(default=default, metadata={"key": key, "coerce": coerce, "doc": doc})


class SettingsGroup:
    """A domain's settings; subclasses are declared with :func:`declare`."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @classmethod
    def setting_keys(cls) -> dict[str, str]:
        """Setting key -> field name."""
        return {f.metadata["key"]: f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Setting key -> declared default."""
        return {f.metadata["key"]: f.default for f in dataclasses.fields(cls)}  # type: ignore[arg-type]

    @classmethod
    def of(cls: type[G], settings: Mapping[str, Any] | None) -> G:
        """This group parsed from ``settings`` (raises :class:`SettingsError`)."""
        settings = settings or {}
        raw = tuple(_hashable(settings.get(key)) for key in cls.setting_keys())
        try:
            return _parse(cls, raw)  # type: ignore[return-value]
        except TypeError:  # a value that cannot be a cache key: parse it uncached
            return _parse.__wrapped__(cls, raw)  # type: ignore[return-value]


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=512)
def _parse(cls: type[SettingsGroup], raw: tuple[Any, ...]) -> SettingsGroup:
    values: dict[str, Any] = {}
    for f, value in zip(dataclasses.fields(cls), raw, strict=True):  # type: ignore[arg-type]
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue  # the declared default
        coerce = f.metadata["coerce"]
        try:
            values[f.name] = coerce(value)
        except (TypeError, ValueError):
            raise SettingsError(
                f"{f.metadata['key']} must be {coerce.expected}, not {value!r}"
            ) from None
    return cls(**values)


@dataclass_transform(frozen_default=True, field_specifiers=(setting,))
def declare(cls: type[G]) -> type[G]:
    """Make ``cls`` a frozen dataclass and record its keys (each declared by one group)."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        key = f.metadata.get("key")
        if not key:
            raise TypeError(f"{cls.__name__}.{f.name} is not declared with setting()")
        owner = DECLARED.setdefault(key, cls)
        if owner is not cls and owner.__qualname__ != cls.__qualname__:
            raise TypeError(f"{key} is declared by {owner.__name__} and {cls.__name__}")
        DECLARED[key] = cls
    return cls


def load(config: Configurator, group: type[G]) -> G:
    """Parse ``group`` from the app's settings in a domain's includeme: a bad value stops the
    app here. The parsed group is kept on the registry (``registry.settings_groups``)."""
    parsed = group.of(config.get_settings())
    groups = getattr(config.registry, "settings_groups", None)
    if groups is None:
        groups = config.registry.settings_groups = {}
    groups[group] = parsed
    return parsed


# --- periodic tasks, registered by the domain that owns them ----------------------------


@dataclasses.dataclass(frozen=True)
class Periodic:
    """A task the beat runs every ``interval`` (a field of ``group``) seconds."""

    name: str
    task: str
    group: type[SettingsGroup]
    interval: str


PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, task: str, group: type[SettingsGroup], interval: str) -> None:
    """Register a beat entry; a domain's tasks module calls this beside the task."""
    if interval not in {f.name for f in dataclasses.fields(group)}:  # type: ignore[arg-type]
        raise TypeError(f"{group.__name__} declares no {interval}")
    PERIODIC[name] = Periodic(name, task, group, interval)
