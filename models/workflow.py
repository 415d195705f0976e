"""A procedure type's workflow read from its tables, and the checks on a move."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.procedures import ProcedureType, WorkflowState, WorkflowTransition
from models.workflow_model import Move as Move
from models.workflow_model import StateInfo as StateInfo
from models.workflow_model import Workflow as Workflow
from models.workflow_model import build_workflow


def load_workflow(session: Session, procedure_type: ProcedureType) -> Workflow:
    cache: dict[str, Workflow] = session.info.setdefault("workflows", {})
    cached = cache.get(procedure_type.code)
    if cached is not None:
        return cached
    states = session.scalars(
        select(WorkflowState)
        .where(WorkflowState.procedure_type_id == procedure_type.id)
        .where(WorkflowState.deleted_at.is_(None))
        .order_by(WorkflowState.position)
    ).all()
    transitions = session.scalars(
        select(WorkflowTransition)
        .where(WorkflowTransition.procedure_type_id == procedure_type.id)
        .where(WorkflowTransition.deleted_at.is_(None))
    ).all()
    workflow = build_workflow(
        procedure_type.code,
        [(s.code, s.label, s.holder, s.clock, s.is_final) for s in states],
        [(t.from_state, t.to_state, t.actor_office, t.via_parere) for t in transitions],
    )
    cache[procedure_type.code] = workflow
    return workflow
