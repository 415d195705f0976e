"""Imports every mapped class, so Base.metadata knows all tables."""

from models.documents import (
    Document,
    DocumentChunk,
    DocumentContent,
    DocumentUpload,
    DocumentUploader,
    ImportRecord,
)
from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.meetings import AgendaItem, AgendaOutcome, Meeting
from models.offices import Office, Staff
from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition
from models.registry import AuditEntry, ProtocolCounter, Setting, SyncCounter
from models.sync_tables import (
    OutboxEntry,
    SyncClient,
    SyncConflict,
    SyncQuarantine,
    SyncTransfer,
)

__all__ = [
    "AgendaItem",
    "AgendaOutcome",
    "AuditEntry",
    "Document",
    "DocumentChunk",
    "DocumentContent",
    "DocumentUpload",
    "DocumentUploader",
    "Dossier",
    "DossierEvent",
    "Flag",
    "ImportRecord",
    "Meeting",
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
    "SyncQuarantine",
    "SyncTransfer",
    "TermRule",
    "WorkflowState",
    "WorkflowTransition",
]
