"""Open dossiers that may already belong to the person about to be registered."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from models.dossiers import Dossier
from models.services.queries import visibility
from models.text import fold
from models.uow import UnitOfWork
from models.validation import clean_fields
from models.workflow import load_workflow

MATCH_FIELDS = ("surname", "given_names", "birth_date", "nationality", "fiscal_code")
PersonKey = tuple[str, str, date, str]


class Match(StrEnum):
    """Why an open dossier looks like the same person's."""

    FISCAL_CODE = "fiscal_code"
    PERSON = "person"  # folded names, birth date and nationality


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """An open dossier of what looks like the same person, as the new-dossier form asks."""

    id: uuid.UUID
    reference: str
    surname: str
    given_names: str
    birth_date: date
    nationality: str
    fiscal_code: str | None
    type_code: str
    type_name: str
    state: str
    state_label: str
    filed_on: date
    matches: tuple[Match, ...]


def _person_key(values: Mapping[str, Any]) -> PersonKey | None:
    """Folded names, birth date and nationality; None unless all four are known."""
    surname, given = values.get("surname"), values.get("given_names")
    birth, nationality = values.get("birth_date"), values.get("nationality")
    if not (surname and given and isinstance(birth, date) and nationality):
        return None
    return fold(surname), fold(given), birth, nationality


def _matches(
    dossier: Dossier, fiscal_code: str | None, person: PersonKey | None
) -> tuple[Match, ...]:
    found = []
    if fiscal_code and dossier.fiscal_code == fiscal_code:
        found.append(Match.FISCAL_CODE)
    if (
        person
        and _person_key(
            {name: getattr(dossier, name) for name in MATCH_FIELDS if name != "fiscal_code"}
        )
        == person
    ):
        found.append(Match.PERSON)
    return tuple(found)


def possible_duplicates(uow: UnitOfWork, values: Mapping[str, object]) -> list[PossibleDuplicate]:
    """Open dossiers visible to ``actor`` with the same fiscal code, or the same folded
    surname and given names, birth date and nationality as ``values`` (raw form input:
    fields that do not validate are ignored). Newest filing first."""
    cleaned, _errors = clean_fields({name: values[name] for name in MATCH_FIELDS if name in values})
    fiscal_code: str | None = cleaned.get("fiscal_code")
    person = _person_key(cleaned)
    wanted: list[ColumnElement[bool]] = []
    if fiscal_code:
        wanted.append(Dossier.fiscal_code == fiscal_code)
    if person:
        # Names are compared folded in Python: there is no folded column per name.
        wanted.append(and_(Dossier.birth_date == person[2], Dossier.nationality == person[3]))
    if not wanted:
        return []
    query = (
        select(Dossier)
        .where(*visibility(uow.actor), Dossier.closed_on.is_(None), or_(*wanted))
        .order_by(Dossier.filed_on.desc(), Dossier.protocol_number.desc())
    )
    result = []
    for dossier in uow.session.scalars(query):
        matches = _matches(dossier, fiscal_code, person)
        if matches:
            result.append(_view(uow.session, dossier, matches))
    return result


def _view(session: Session, dossier: Dossier, matches: tuple[Match, ...]) -> PossibleDuplicate:
    workflow = load_workflow(session, dossier.procedure_type)
    return PossibleDuplicate(
        id=dossier.id,
        reference=dossier.reference,
        surname=dossier.surname,
        given_names=dossier.given_names,
        birth_date=dossier.birth_date,
        nationality=dossier.nationality,
        fiscal_code=dossier.fiscal_code,
        type_code=dossier.procedure_type.code,
        type_name=dossier.procedure_type.name,
        state=dossier.state,
        state_label=workflow.label(dossier.state),
        filed_on=dossier.filed_on,
        matches=matches,
    )
