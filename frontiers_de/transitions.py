"""The engine under the project's transition tables: a table of named moves between the
states of one kind of record, the check that a move starts from one of its allowed states,
and where a move leaves a record. Other domains react to a move through the domain event
each table's ``apply`` announces (:mod:`frontiers_de.events`).

Two tables use it: the submission workflow (:mod:`frontiers_de.editorial.workflow`) and the
review assignments (:mod:`frontiers_de.review.assignments`). Each keeps its own rules for
who may make a move and what a move writes; the engine knows neither users nor rows, so
it sits in the foundation layer.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

StateT = TypeVar("StateT", bound=enum.Enum)


class TransitionNotAllowed(Exception):
    """The move is not allowed now; nothing has changed. ``message`` is for the person who
    tried (a plain string or a translation string)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Move(Generic[StateT]):
    """One named move: from any of ``sources`` to ``target`` (None: the table's ``apply``
    decides, or the record stays in its state)."""

    name: str
    sources: frozenset[StateT]
    target: StateT | None


MoveT = TypeVar("MoveT", bound=Move[Any])


class Table(Generic[MoveT]):
    """The moves of one kind of record, by name."""

    def __init__(self, moves: Iterable[MoveT]) -> None:
        self.moves: dict[str, MoveT] = {}
        for move in moves:
            if move.name in self.moves:
                raise ValueError(f"two moves named {move.name!r}")
            self.moves[move.name] = move

    def __contains__(self, name: object) -> bool:
        return name in self.moves

    def __getitem__(self, name: str) -> MoveT:
        return self.moves[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.moves)

    def move(self, name: str) -> MoveT:
        """The move called ``name``, or :class:`TransitionNotAllowed`."""
        try:
            return self.moves[name]
        except KeyError:
            raise TransitionNotAllowed(f"no such transition: {name}") from None

    def starts_from(self, name: str, state: enum.Enum) -> bool:
        return name in self.moves and state in self.moves[name].sources

    def target_of(self, name: str, state: StateT) -> StateT:
        """Where move ``name`` leaves a record now in ``state`` (its own state when the
        move has no fixed target)."""
        target = self.moves[name].target
        return state if target is None else target
