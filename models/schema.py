"""Imports every mapped class, so Base.metadata knows all tables."""

from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.offices import Office, Staff
from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition
from models.registry import AuditEntry, ProtocolCounter, Setting, SyncCounter

__all__ = [
    "AuditEntry",
    "Dossier",
    "DossierEvent",
    "Flag",
    "Office",
    "Parere",
    "ProcedureType",
    "ProtocolCounter",
    "Setting",
    "Staff",
    "SyncCounter",
    "TermRule",
    "WorkflowState",
    "WorkflowTransition",
]
