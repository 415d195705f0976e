"""Use cases of the inbox folder: application rows, attached documents, the import register.

New rows go through the clerk's registration as one batch (``check_registrations`` /
``write_registrations``, which ``register_dossier`` is made of), existing ones through
``update_dossier``, so an imported dossier is validated and permitted exactly as one a
clerk types in. The caller owns the unit of work: a file's rows and its register entry
commit together, or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import Session

from models import bulk
from models.base import Synced
from models.documents import Document, ImportRecord
from models.dossiers import Dossier
from models.enums import OfficeKind
from models.errors import DomainError, NotFound, PermissionDenied, ValidationError
from models.offices import Office, Staff
from models.permissions import require_visible
from models.procedures import ProcedureType
from models.services.changes import Changed, Changes
from models.services.contents import NOT_DOWNLOADED, has_content, read_content, store_content
from models.services.lookup import application_code_in, find_dossier, get_dossier, get_office
from models.services.registration import (
    NewDossier,
    PlannedRegistrations,
    check_registrations,
    plan_registrations,
    update_dossier,
    write_registrations,
)
from models.uow import UnitOfWork
from models.validation import clean_fields

TYPE_FIELD = "procedure_type"  # pseudo-fields for problems that are not dossier fields
PROVINCE_FIELD = "province"
ROW_FIELD = "row"


class ImportKind(StrEnum):
    APPLICATION_LIST = "elenco"
    DOCUMENT = "documento"
    BATCH = "lotto"  # a scanner batch, cut at its separator sheets into documents
    OTHER = "altro"  # a file of a kind the inbox does not accept


class ImportStatus(StrEnum):
    IMPORTED = "importato"
    REJECTED = "scartato"


@dataclass(frozen=True)
class ApplicationRow:
    """One row of a ministry list, already split into dossier fields (dates parsed)."""

    line: int
    type_code: str
    values: Mapping[str, Any]  # dossier field -> value; includes application_code
    province: str = ""


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str  # a dossier field, TYPE_FIELD, PROVINCE_FIELD or ROW_FIELD
    message: str


@dataclass
class ListOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    restricted: bool = False  # a row names a restricted procedure type (art. 18)

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})


def _existing(session: Session, codes: Sequence[str]) -> dict[str, Dossier]:
    found: dict[str, Dossier] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for dossier in session.scalars(select(Dossier).where(application_code_in(chunk))):
            if dossier.application_code:
                found[dossier.application_code] = dossier
    return found


def _office_for(session: Session, actor: Staff, procedure: ProcedureType) -> Office:
    """The office that registers dossiers of this type, as ``register_dossier`` picks it."""
    lead = OfficeKind(procedure.lead_office)
    return actor.office if actor.office.office_kind is lead else get_office(session, lead.value)


def _changed_values(dossier: Dossier, values: Mapping[str, Any]) -> dict[str, Any] | None:
    """The row's non-empty values that differ from the dossier; None when one is invalid
    (``update_dossier`` then reports it). An empty cell never erases what a clerk typed."""
    given = {k: v for k, v in values.items() if v not in (None, "")}
    cleaned, errors = clean_fields(given)
    if errors:
        return None
    return {k: given[k] for k, v in cleaned.items() if getattr(dossier, k) != v}


def apply_application_rows(uow: UnitOfWork, rows: Iterable[ApplicationRow]) -> ListOutcome:
    """Register or update one dossier per row, in this unit of work; collects every row's
    problems.

    A row's problems are raised by the services before they change anything, so the
    remaining rows are still checked; the caller rolls back when there is any problem.
    """
    outcome, _nothing_left = _application_rows(uow, rows, deferred=False)
    return outcome


def plan_application_rows(
    uow: UnitOfWork, rows: Iterable[ApplicationRow]
) -> tuple[ListOutcome, bulk.Prepared | None]:
    """``apply_application_rows`` without writing anything: every row is checked and its
    rows, audit entries (or outbox rows) and protocol numbers are made, to be written by
    ``bulk.Prepared.write`` or staged and written in a later transaction. None when
    there are problems or nothing to write."""
    return _application_rows(uow, rows, deferred=True)


def _application_rows(
    uow: UnitOfWork, rows: Iterable[ApplicationRow], *, deferred: bool
) -> tuple[ListOutcome, bulk.Prepared | None]:
    session, actor = uow.session, uow.actor
    rows = list(rows)
    outcome = ListOutcome()
    types = {t.code: t for t in session.scalars(select(ProcedureType))}
    codes = [str(r.values.get("application_code") or "").strip().upper() for r in rows]
    existing = _existing(session, sorted({c for c in codes if c}))
    seen: dict[str, int] = {}
    offices: dict[str, Office] = {}
    new: list[tuple[ApplicationRow, ProcedureType]] = []
    updated: list[bulk.Row] = []
    for row, code in zip(rows, codes, strict=True):
        problems = _row_problems(row, code, seen, types)
        procedure = types.get(row.type_code.strip().upper())
        dossier = existing.get(code)
        if (procedure is not None and procedure.restricted) or (
            dossier is not None and dossier.restricted
        ):
            outcome.restricted = True
        if procedure is not None and row.province:
            problems.extend(_province_problems(session, actor, procedure, row, offices))
        if code and code not in seen:
            seen[code] = row.line
        outcome.problems.extend(problems)
        if procedure is None or not code or any(p.field == TYPE_FIELD for p in problems):
            continue  # nothing the services could check meaningfully
        if dossier is None:
            new.append((row, procedure))
            continue
        try:
            # The services flush when they are done; flushing before every query they
            # make on the way would write (and audit) each change twice.
            with session.no_autoflush:
                _update_row(uow, row, procedure, dossier, outcome, flush=not deferred)
        except DomainError as error:
            outcome.problems.extend(_refusal(row, error, new=False))
        if deferred:
            updated.extend(_pending_rows(session, dossier))
    planned = _register_rows(uow, new, outcome, deferred=deferred)
    if not deferred or outcome.problems or not (updated or planned):
        return outcome, None
    sections: list[list[bulk.Row]] = [updated, list(planned.rows) if planned else []]
    check = planned.check if planned else None
    return outcome, bulk.prepare(uow.database.sessions, session, sections, check=check)


def _pending_rows(session: Session, dossier: Dossier) -> list[bulk.Row]:
    """What a flush would write for the row just updated, in the flush's order (new
    objects, then changed ones); the objects leave the session, so nothing writes them."""
    rows: list[bulk.Row] = []
    mark = bool(dossier.restricted)
    pending = [o for o in session.new if isinstance(o, Synced)]
    changed = [
        o
        for o in session.dirty
        if isinstance(o, Synced) and session.is_modified(o, include_collections=False)
    ]
    for obj in pending:
        table = inspect(obj).mapper.local_table
        assert isinstance(table, Table)
        rows.append(bulk.NewRow(table, bulk.row_values(obj), mark))
    for obj in changed:
        found = bulk.changed_row(obj, mark)
        if found is not None:
            rows.append(found)
    for obj in [*pending, *changed]:
        session.expunge(obj)
    return rows


def _refusal(row: ApplicationRow, error: DomainError, *, new: bool) -> list[RowProblem]:
    """A service's refusal of a row, as the row's problems."""
    if isinstance(error, ValidationError):
        return [RowProblem(row.line, f, m) for f, m in error.errors.items()]
    if isinstance(error, PermissionDenied):
        return [RowProblem(row.line, TYPE_FIELD if new else ROW_FIELD, str(error))]
    return [RowProblem(row.line, ROW_FIELD, str(error))]


def _register_rows(
    uow: UnitOfWork,
    new: Sequence[tuple[ApplicationRow, ProcedureType]],
    outcome: ListOutcome,
    *,
    deferred: bool,
) -> PlannedRegistrations | None:
    """The new rows as one batch of clerk registrations: every row is checked; they are
    written (with one protocol counter update), or planned, only when the whole file is
    good."""
    if not new:
        return None
    requests = [NewDossier(procedure.code, row.values) for row, procedure in new]
    with uow.session.no_autoflush:
        batch = check_registrations(uow, requests)
    for index, error in batch.refusals.items():
        outcome.problems.extend(_refusal(new[index][0], error, new=True))
    if outcome.problems:
        return None  # the caller rolls back: writing the rest would be thrown away
    planned = None
    if deferred:
        planned = plan_registrations(uow, batch)
        registered = planned.registered
    else:
        registered = write_registrations(uow, batch)
    outcome.created += len(registered)
    for (row, _procedure), done in zip(new, registered, strict=True):
        outcome.warnings.extend(f"riga {row.line}: {w}" for w in done.warnings)
    outcome.changes |= Changes.of(Changed.DOSSIER, dossiers=tuple(r.dossier_id for r in registered))
    return planned


def _province_problems(
    session: Session,
    actor: Staff,
    procedure: ProcedureType,
    row: ApplicationRow,
    offices: dict[str, Office],
) -> list[RowProblem]:
    """The row's province must be that of the office the dossier will belong to."""
    try:
        office = offices.get(procedure.code) or _office_for(session, actor, procedure)
    except NotFound as error:
        return [RowProblem(row.line, TYPE_FIELD, str(error))]
    offices[procedure.code] = office
    if row.province.strip().upper() == office.province.upper():
        return []
    message = (
        f"provincia «{row.province}» diversa da quella dell'ufficio "
        f"{office.code} ({office.province})"
    )
    return [RowProblem(row.line, PROVINCE_FIELD, message)]


def _row_problems(
    row: ApplicationRow, code: str, seen: Mapping[str, int], types: Mapping[str, ProcedureType]
) -> list[RowProblem]:
    problems = []
    if not code:
        problems.append(RowProblem(row.line, "application_code", "codice domanda mancante"))
    elif code in seen:
        problems.append(
            RowProblem(
                row.line, "application_code", f"codice domanda {code} ripetuto (riga {seen[code]})"
            )
        )
    type_code = row.type_code.strip().upper()
    procedure = types.get(type_code)
    if procedure is None or procedure.deleted_at is not None or not procedure.active:
        known = ", ".join(sorted(c for c, t in types.items() if t.active and not t.deleted_at))
        shown = row.type_code.strip() or "—"
        problems.append(
            RowProblem(row.line, TYPE_FIELD, f"tipo di pratica «{shown}» sconosciuto ({known})")
        )
    return problems


def _update_row(
    uow: UnitOfWork,
    row: ApplicationRow,
    procedure: ProcedureType,
    dossier: Dossier,
    outcome: ListOutcome,
    *,
    flush: bool,
) -> None:
    if dossier.procedure_type_id != procedure.id:
        raise ValidationError(
            {
                TYPE_FIELD: f"la pratica {dossier.reference} con questo codice domanda è di tipo "
                f"{dossier.procedure_type.code}, non {procedure.code}"
            }
        )
    require_visible(uow.actor, dossier, str(row.values.get("application_code")))
    changed = _changed_values(dossier, row.values)
    if changed is None:
        changed = {k: v for k, v in row.values.items() if v not in (None, "")}
    if not changed:
        outcome.unchanged += 1
        return
    changes, warnings = update_dossier(uow, str(dossier.id), changed, flush=flush)
    outcome.updated += 1 if changes.kinds else 0
    outcome.unchanged += 0 if changes.kinds else 1
    outcome.warnings.extend(f"riga {row.line}: {w}" for w in warnings)
    outcome.changes |= changes


# -- documents -----------------------------------------------------------------------


@dataclass(frozen=True)
class Attached:
    dossier_id: uuid.UUID
    reference: str
    already_there: bool  # the same content was already attached to this dossier
    changes: Changes
    restricted: bool = False


def find_for_document(uow: UnitOfWork, refs: Sequence[str]) -> Dossier:
    """The dossier the first matching reference names (protocol, then codice domanda),
    among those this user may see."""
    for ref in refs:
        dossier = find_dossier(uow, ref)
        if dossier is not None:
            return dossier
    raise NotFound(f"nessuna pratica con protocollo o codice domanda «{refs[-1] if refs else ''}»")


def check_batch_dossiers(uow: UnitOfWork, separators: Sequence[tuple[int, str]]) -> list[str]:
    """A scanner batch's separators (page, reference) that name no dossier this person
    may see, as problems naming the page: the batch is filed whole or not at all."""
    problems = []
    for page, reference in separators:
        try:
            find_for_document(uow, [reference])
        except NotFound as error:
            problems.append(f"pagina {page}: {error}")
    return problems


def attach_document(
    uow: UnitOfWork,
    refs: Sequence[str],
    file_name: str,
    data: bytes,
    sha256: str,
    media_type: str,
    *,
    kind: str = "",
    source_batch: str = "",
    source_pages: str = "",
) -> Attached:
    """Attach a file to the dossier named by ``refs``; its bytes are stored once per hash.

    ``kind`` is what a separator sheet named; ``source_batch`` and ``source_pages`` the
    scanner batch and pages a part was cut from."""
    session, actor = uow.session, uow.actor
    dossier = find_for_document(uow, refs)
    already = session.scalar(
        select(Document.id).where(
            Document.dossier_id == dossier.id,
            Document.sha256 == sha256,
            Document.deleted_at.is_(None),
        )
    )
    if already is not None:
        return Attached(dossier.id, dossier.reference, True, Changes(), dossier.restricted)
    store_content(session, sha256, data)
    session.add(
        Document(
            dossier_id=dossier.id,
            file_name=file_name,
            sha256=sha256,
            size=len(data),
            media_type=media_type,
            received_at=datetime.now(UTC),
            received_by_id=actor.id,
            kind=kind,
            source_batch=source_batch[:255],
            source_pages=source_pages[:40],
        )
    )
    session.flush()
    return Attached(
        dossier.id,
        dossier.reference,
        False,
        Changes.of(Changed.DOCUMENTS, dossiers=(dossier.id,)),
        dossier.restricted,
    )


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """A document of a dossier, as its *Documenti* tab lists it."""

    id: uuid.UUID
    file_name: str
    size: int
    media_type: str
    sha256: str
    received_at: datetime
    received_by: str
    kind: str
    source_batch: str  # the scanner batch it was cut from, if any
    source_pages: str
    downloaded: bool  # a replica gets the row before the content (with the next sync)


def dossier_documents(uow: UnitOfWork, dossier_ref: str) -> list[DocumentFacts]:
    """The documents of a dossier this user may see, oldest first."""
    session = uow.session
    dossier = get_dossier(uow, dossier_ref)
    documents = session.scalars(
        select(Document)
        .where(Document.dossier_id == dossier.id, Document.deleted_at.is_(None))
        .order_by(Document.received_at, Document.file_name)
    )
    return [
        DocumentFacts(
            id=d.id,
            file_name=d.file_name,
            size=d.size,
            media_type=d.media_type,
            sha256=d.sha256,
            received_at=d.received_at,
            received_by=d.received_by.username if d.received_by else "",
            kind=d.kind,
            source_batch=d.source_batch,
            source_pages=d.source_pages,
            downloaded=has_content(session, d.sha256),
        )
        for d in documents
    ]


def document_content(uow: UnitOfWork, document_id: str) -> tuple[str, bytes]:
    """A document's file name and bytes, for a person who may see its dossier."""
    session = uow.session
    try:
        document = session.get(Document, uuid.UUID(document_id))
    except ValueError:
        document = None
    if document is None or document.deleted_at is not None:
        raise NotFound(f"documento «{document_id}» non trovato")
    require_visible(uow.actor, session.get(Dossier, document.dossier_id), document_id)
    data = read_content(session, document.sha256)
    if data is None:
        raise NotFound(
            f"{document.file_name}: {NOT_DOWNLOADED} (arriva con la prossima sincronizzazione)"
        )
    return document.file_name, data


# -- the register --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportEntry:
    file_name: str
    sha256: str
    kind: ImportKind
    status: ImportStatus
    workstation: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    stored_path: str = ""
    reason: str = ""
    dossier_id: uuid.UUID | None = None  # the dossier a document was attached to
    restricted: bool = False  # the file touched or named restricted dossiers


def record_import(uow: UnitOfWork, entry: ImportEntry) -> Changes:
    uow.session.add(
        ImportRecord(
            file_name=entry.file_name[:255],
            sha256=entry.sha256,
            kind=entry.kind.value,
            status=entry.status.value,
            actor=uow.actor.username,
            workstation=entry.workstation[:100],
            imported_at=datetime.now(UTC),
            rows_created=entry.created,
            rows_updated=entry.updated,
            rows_unchanged=entry.unchanged,
            rows_rejected=entry.rejected,
            stored_path=entry.stored_path,
            reason=entry.reason,
            dossier_id=entry.dossier_id,
            restricted=entry.restricted,
        )
    )
    uow.session.flush()
    return Changes.of(Changed.IMPORTS)


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One file of the import register, as *Importazioni* lists it."""

    id: uuid.UUID
    file_name: str
    sha256: str
    kind: ImportKind
    status: ImportStatus
    actor: str
    workstation: str
    imported_at: datetime  # UTC
    created: int
    updated: int
    unchanged: int
    rejected: int
    stored_path: str
    reason: str
    retried_at: datetime | None  # when a rejected file was put back into the inbox

    @property
    def can_retry(self) -> bool:
        return self.status is ImportStatus.REJECTED and self.retried_at is None


def import_view(record: ImportRecord) -> ImportRow:
    return ImportRow(
        id=record.id,
        file_name=record.file_name,
        sha256=record.sha256,
        kind=ImportKind(record.kind),
        status=ImportStatus(record.status),
        actor=record.actor,
        workstation=record.workstation,
        imported_at=record.imported_at,
        created=record.rows_created,
        updated=record.rows_updated,
        unchanged=record.rows_unchanged,
        rejected=record.rows_rejected,
        stored_path=record.stored_path,
        reason=record.reason,
        retried_at=record.retried_at,
    )


def recent_imports(uow: UnitOfWork, limit: int = 1000) -> list[ImportRow]:
    """The register, newest first; files that touched or named a restricted dossier only
    for a user with clearance (their names and reasons would reveal it)."""
    hidden = [] if uow.actor.restricted_access else [ImportRecord.restricted.is_(False)]
    records = uow.session.scalars(
        select(ImportRecord)
        .where(ImportRecord.deleted_at.is_(None), *hidden)
        .order_by(ImportRecord.imported_at.desc())
        .limit(limit)
    )
    return [import_view(r) for r in records]


def entries_for(session: Session, sha256: str, file_name: str) -> list[ImportRecord]:
    """Register entries of this content under this name, newest first (crash recovery)."""
    return list(
        session.scalars(
            select(ImportRecord)
            .where(ImportRecord.sha256 == sha256, ImportRecord.file_name == file_name)
            .order_by(ImportRecord.imported_at.desc())
        )
    )


def get_import(session: Session, import_id: str) -> ImportRecord:
    try:
        record = session.get(ImportRecord, uuid.UUID(import_id))
    except ValueError:
        record = None
    if record is None:
        raise NotFound(f"importazione «{import_id}» non trovata")
    return record


def mark_retried(uow: UnitOfWork, import_id: str) -> Changes:
    record = get_import(uow.session, import_id)
    if record.status != ImportStatus.REJECTED.value:
        raise DomainError(f"il file {record.file_name} è stato importato: nulla da riprovare")
    if record.retried_at is not None:
        raise DomainError(f"il file {record.file_name} è già stato rimesso in arrivo")
    record.retried_at = datetime.now(UTC)
    uow.session.flush()
    return Changes.of(Changed.IMPORTS)
