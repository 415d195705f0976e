"""Reads of reference data (offices, terms, workflows) answered once per push.

Recomputing the derived columns of a thousand dossiers asks the same few questions a
thousand times (the term rule of a type and date, the office holding a party's files);
within one push those tables do not change unless the push writes them, so the answers
are kept — SQLAlchemy's documented ``do_orm_execute`` caching pattern, scoped to one
session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import FrozenResult, Result
from sqlalchemy.orm import ORMExecuteState, Session

REFERENCE = frozenset(
    {
        "offices",
        "procedure_types",
        "workflow_states",
        "workflow_transitions",
        "term_rules",
        "settings",
    }
)


def _tables(state: ORMExecuteState) -> set[str]:
    """The tables of the entities selected (cheap: the statement's froms are not)."""
    return {str(mapper.local_table.name) for mapper in state.all_mappers}  # type: ignore[attr-defined]


def cache_reference_reads(session: Session) -> None:
    answers: dict[Any, FrozenResult[Any]] = {}

    def answer(state: ORMExecuteState) -> Result[Any] | None:
        if not state.is_select or state.is_relationship_load:
            return None
        names = _tables(state)
        if not names or not names <= REFERENCE:
            return None
        statement: Any = state.statement
        key_parts = statement._generate_cache_key()  # the statement's own cache key
        if key_parts is None:
            return None
        values = tuple(repr(b.effective_value) for b in key_parts.bindparams)
        key = (key_parts.key, values, repr(state.parameters))
        if key not in answers:
            answers[key] = state.invoke_statement().freeze()
        return answers[key]()

    event.listen(session, "do_orm_execute", answer)
