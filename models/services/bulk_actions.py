"""Bulk actions on a multi-selection (Jira's bulk change): the same use case on each
dossier, one unit of work per dossier, so one refusal never undoes or blocks the
others; the result says what was done and, for each refusal, why."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from models.enums import PARERE_RICHIESTO
from models.errors import DomainError, ValidationError
from models.services.assignment import assign
from models.services.changes import Changes
from models.services.lookup import find_dossier
from models.services.workflow import advance
from models.uow import Database, UnitOfWork

Action = Callable[[UnitOfWork, str], Changes]
T = TypeVar("T")


@dataclass(frozen=True)
class BulkOutcome:
    reference: str
    done: bool
    reason: str = ""  # Italian, for a refusal


@dataclass(frozen=True)
class BulkResult:
    outcomes: tuple[BulkOutcome, ...]
    changes: Changes = field(default_factory=Changes)

    @property
    def done(self) -> int:
        return sum(1 for o in self.outcomes if o.done)

    @property
    def refused(self) -> tuple[BulkOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.done)

    def summary(self) -> str:
        """Italian: how many were done, then one line per refusal with its reason."""
        lines = [f"{self.done} pratiche su {len(self.outcomes)} aggiornate."]
        if self.refused:
            lines.append(f"Rifiutate ({len(self.refused)}):")
            lines += [f"- {o.reference}: {o.reason}" for o in self.refused]
        return "\n".join(lines)


def move_to(state: str) -> Action:
    return lambda uow, ref: advance(uow, ref, state, uow.today)


def request_parere() -> Action:
    return move_to(PARERE_RICHIESTO)


def assign_to(username: str | None) -> Action:
    return lambda uow, ref: assign(uow, ref, username)


def apply_to_each(
    database: Database,
    user: str,
    refs: Iterable[str],
    action: Action,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    outcomes: list[BulkOutcome] = []
    changes = Changes()
    for count, ref in enumerate(refs, 1):
        reference = ref
        try:
            with database.unit_of_work(user, write=True) as uow:
                found = find_dossier(uow, ref)
                reference = found.reference if found is not None else ref
                changes |= action(uow, ref)
                uow.commit()
        except DomainError as error:
            outcomes.append(BulkOutcome(reference, False, str(error)))
        else:
            outcomes.append(BulkOutcome(reference, True))
        if progress is not None:
            progress(count)
    return BulkResult(tuple(outcomes), changes)


@dataclass(frozen=True)
class Each(Generic[T]):
    """What a read gave for one dossier of a selection, or why it was refused."""

    reference: str  # the protocol when the dossier was found, else the reference given
    name: str  # the applicant, "" when not found
    value: T | None = None
    reason: str = ""  # Italian, for a refusal

    @property
    def done(self) -> bool:
        return not self.reason


def read_each(
    database: Database,
    user: str,
    refs: Iterable[str],
    read: Callable[[UnitOfWork, str], T],
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Each[T]]:
    """``read`` on each dossier in its own unit of work, one at a time (a selection of
    thousands is never in memory at once); a dossier named twice is read once. Stops early
    when ``cancelled`` says so."""
    seen: set[uuid.UUID] = set()
    for count, ref in enumerate(refs, 1):
        if cancelled is not None and cancelled():
            return
        item: Each[T] | None = None
        with database.unit_of_work(user) as uow:
            found = find_dossier(uow, ref)
            if found is None or found.id not in seen:
                reference, name = ref, ""
                if found is not None:
                    seen.add(found.id)
                    reference = found.reference
                    name = f"{found.surname} {found.given_names}".strip()
                try:
                    item = Each(reference, name, read(uow, ref))
                except DomainError as error:
                    item = Each(reference, name, reason=reason_of(error))
        if item is not None:
            yield item
        if progress is not None:
            progress(count)


def reason_of(error: DomainError) -> str:
    """A refusal in words: a form's messages without the names of its fields."""
    if isinstance(error, ValidationError):
        return "; ".join(error.errors.values())
    return str(error)
