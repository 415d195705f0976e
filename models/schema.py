"""Imports every mapped class, so Base.metadata knows all tables."""

from models.documents import Document, DocumentContent, ImportRecord
from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.offices import Office, Staff
from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition
from models.registry import AuditEntry, ProtocolCounter, Setting, SyncCounter
from models.sync_tables import OutboxEntry, SyncClient, SyncConflict

__all__ = [
    "AuditEntry",
    "Document",
    "DocumentContent",
    "Dossier",
    "DossierEvent",
    "Flag",
    "ImportRecord",
    "Office",
    "OutboxEntry",
    "Parere",
    "ProcedureType",
    "ProtocolCounter",
    "Setting",
    "Staff",
    "SyncClient",
    "SyncConflict",
    "SyncCounter",
    "TermRule",
    "WorkflowState",
    "WorkflowTransition",
]
