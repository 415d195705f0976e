"""Catalogue look-ups remembered for one transaction of a session.

A unit of work registering 10,000 dossiers asks 10,000 times for the same procedure
type, office, term rules and workflow; here each is read once. What is remembered is
forgotten when the transaction ends (commit or rollback), when a flush writes a catalogue
row and when the session is given a new one, so a rule or type edited earlier in the same
unit of work is seen at once. The remembered values are the session's own ORM objects, so
an attribute changed on one but not yet flushed is seen too.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from models.offices import Office
from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition

_KEY = "memo"
WORKFLOWS_KEY = "workflows"  # models.workflow.load_workflow's own cache
CATALOGUE = (ProcedureType, TermRule, WorkflowState, WorkflowTransition, Office)


def memo(session: Session, name: str) -> dict[Any, Any]:
    """The session's remembered values for one kind of look-up (``name``)."""
    store: dict[str, dict[Any, Any]] = session.info.setdefault(_KEY, {})
    return store.setdefault(name, {})


def forget(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(WORKFLOWS_KEY, None)


def _forget_on_end(session: Session, *_args: Any) -> None:
    forget(session)


def _forget_on_new_catalogue_row(session: Session, instance: object) -> None:
    if isinstance(instance, CATALOGUE):
        forget(session)  # the next look-up queries again (and autoflushes the new row)


def _forget_on_catalogue_flush(session: Session, _context: Any) -> None:
    if _KEY not in session.info and WORKFLOWS_KEY not in session.info:
        return
    for obj in chain(session.new, session.deleted):
        if isinstance(obj, CATALOGUE):
            forget(session)
            return
    for obj in session.dirty:
        if isinstance(obj, CATALOGUE) and session.is_modified(obj, include_collections=False):
            forget(session)
            return


# On the Session class, so every session (units of work, scripts, tests) is covered.
event.listen(Session, "after_commit", _forget_on_end)
event.listen(Session, "after_soft_rollback", _forget_on_end)
event.listen(Session, "after_flush", _forget_on_catalogue_flush)
event.listen(Session, "transient_to_pending", _forget_on_new_catalogue_row)
