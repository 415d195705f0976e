"""One claimed file, end to end: read, import all or nothing, record, file it away.

Order matters for crashes: the rows and the register entry naming the file's final
place commit in one transaction, and only then is the file moved there. A crash before
the commit leaves the file in the working folder with nothing imported; ``recover``
puts it back in the inbox. A crash after the commit is finished by ``recover`` too (the
register says where the file belongs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError

from models import search_index
from models.bulk import Outdated
from models.errors import DomainError
from models.gc_pause import cycle_collection_paused
from models.services.changes import Changes
from models.services.inbox import (
    ImportEntry,
    ImportKind,
    ImportStatus,
    ListOutcome,
    apply_application_rows,
    attach_document,
    check_batch_dossiers,
    entries_for,
    get_import,
    mark_retried,
    plan_application_rows,
    record_import,
)
from models.uow import Database, UnitOfWork
from sync.inbox import batch, documents
from sync.inbox.csv_import import ParsedList, Problem, merge_problems, parse_list
from sync.inbox.files import (
    DOCUMENT_TYPES,
    REASON_SUFFIX,
    FileKind,
    InboxFolders,
    WorkingLock,
    free_name,
    is_ignored,
    kind_of,
    move,
    sha256_of,
    sha256_of_file,
)

log = logging.getLogger(__name__)
# A list is checked and made without holding the write lock; it is made again when a save
# meanwhile changed what it relies on, this many times at most (then the file goes back
# to the inbox and is read again later).
LIST_ATTEMPTS = 5
GC_PAUSE_FROM = 100  # rows of a list


@dataclass(frozen=True)
class Outcome:
    """What happened to one file, for the GUI's notice and the command line."""

    file_name: str
    status: ImportStatus
    kind: ImportKind | None
    stored_path: Path | None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    dossier: str | None = None  # the reference a document was attached to
    parts: tuple[str, ...] = ()  # a batch: "pagine 2-4 → LO-SUI/2026/0000123 (name)"
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        if self.status is ImportStatus.REJECTED:
            count = len(self.problems)
            return (
                f"{self.file_name}: scartato ({count} {'problema' if count == 1 else 'problemi'})"
            )
        if self.kind is ImportKind.BATCH:
            return f"{self.file_name}: {self.created} documenti allegati ({'; '.join(self.parts)})"
        if self.kind is ImportKind.DOCUMENT:
            again = " (già presente)" if not self.changes.kinds else ""
            return f"{self.file_name}: allegato alla pratica {self.dossier}{again}"
        return (
            f"{self.file_name}: importato ({self.created} nuove, {self.updated} aggiornate, "
            f"{self.unchanged} invariate)"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "status": self.status.value,
            "kind": self.kind.value if self.kind else None,
            "stored_as": str(self.stored_path) if self.stored_path else None,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "problems": list(self.problems),
            "warnings": list(self.warnings),
            "dossier": self.dossier,
            "parts": list(self.parts),
        }


_REGISTER_KIND = {
    FileKind.APPLICATION_LIST: ImportKind.APPLICATION_LIST,
    FileKind.DOCUMENT: ImportKind.DOCUMENT,
    FileKind.UNSUPPORTED: ImportKind.OTHER,
}


class _Rejected(Exception):
    def __init__(
        self, problems: list[str], rejected_rows: int = 0, restricted: bool = False
    ) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.rejected_rows = rejected_rows
        self.restricted = restricted  # the reasons quote rows of restricted dossiers


def reason_text(file_name: str, who: str, workstation: str, problems: list[str]) -> str:
    moment = datetime.now()
    lines = [
        f"File: {file_name}",
        f"Scartato il {moment:%d/%m/%Y} alle {moment:%H:%M:%S} da {who} ({workstation}).",
        "Nessun dato del file è stato importato. Correggere il file e rimetterlo nella",
        "cartella di arrivo, oppure usare «Riprova» nella vista Importazioni.",
        "",
        f"Problemi ({len(problems)}):",
        *(f"- {p}" for p in problems),
        "",
    ]
    return "\n".join(lines)


class InboxProcessor:
    """Imports claimed files as ``username``; the same for the GUI, ``watch`` and ``import``."""

    def __init__(self, database: Database, username: str, folders: InboxFolders) -> None:
        self.database = database
        self.username = username
        self.folders = folders
        # Called after the rows are in the session and before the commit (tests use it
        # to stop the process exactly there).
        self.before_commit: Callable[[Path], None] | None = None
        self.lock = WorkingLock(folders.working)  # taken by ``recover``, kept until ``close``

    def close(self) -> None:
        self.lock.release()

    def process(self, claimed: Path) -> Outcome:
        """Import a file already moved into the working folder."""
        if batch.is_batch(claimed.name):
            # Not read into memory: a batch of a thousand pages is read page by page.
            batch_sha256 = sha256_of_file(claimed)
            try:
                return self._batch(claimed, batch_sha256)
            except _Rejected as rejection:
                return self._reject(claimed, batch_sha256, ImportKind.BATCH, rejection)
        data = claimed.read_bytes()
        sha256 = sha256_of(data)
        kind = kind_of(claimed.name)
        try:
            if kind is FileKind.APPLICATION_LIST:
                return self._application_list(claimed, data, sha256)
            if kind is FileKind.DOCUMENT:
                return self._document(claimed, data, sha256)
            accepted = ", ".join(sorted({".csv", *DOCUMENT_TYPES}))
            raise _Rejected([f"tipo di file non accettato (accettati: {accepted})"])
        except _Rejected as rejection:
            return self._reject(claimed, sha256, _REGISTER_KIND[kind], rejection)

    def process_or_give_back(self, claimed: Path) -> Outcome:
        """``process``; when it fails for another reason than the file (the database is
        unreachable, the process is interrupted) the file goes back to the inbox."""
        try:
            return self.process(claimed)
        except BaseException:
            if claimed.exists():
                self.give_back(claimed)
            raise

    # -- the two kinds ------------------------------------------------------------

    def _application_list(self, claimed: Path, data: bytes, sha256: str) -> Outcome:
        parsed = parse_list(data)
        if parsed.problems and not parsed.rows:
            raise _Rejected([p.text() for p in parsed.problems])
        target = free_name(self.folders.imported, claimed.name)
        if self.database.engine.dialect.name == "sqlite":
            result, changes = self._write_list_staged(claimed, parsed, sha256, target)
        else:
            result, changes = self._write_list(claimed, parsed, sha256, target)
        move(claimed, target)
        self._index_backlog()
        return Outcome(
            claimed.name,
            ImportStatus.IMPORTED,
            ImportKind.APPLICATION_LIST,
            target,
            result.created,
            result.updated,
            result.unchanged,
            warnings=tuple(result.warnings),
            changes=changes,
        )

    def _index_backlog(self) -> None:
        """The search index of what a list (this one, or one a crash interrupted) left to
        be indexed after its commit; its dossiers are found meanwhile all the same."""
        try:
            search_index.catch_up(self.database.engine)
        except OperationalError:  # the archive is busy: the next list or start goes on
            log.warning("inbox: search index left for later", exc_info=True)

    def _problems(self, parsed: ParsedList, result: ListOutcome) -> None:
        problems: list[Problem] = merge_problems(parsed, result.problems)
        if problems:
            rejected = len({p.line for p in problems if p.line is not None})
            raise _Rejected([p.text() for p in problems], rejected, result.restricted)

    def _record_list(
        self, uow: UnitOfWork, claimed: Path, sha256: str, target: Path, result: ListOutcome
    ) -> Changes:
        return result.changes | record_import(
            uow,
            ImportEntry(
                claimed.name,
                sha256,
                ImportKind.APPLICATION_LIST,
                ImportStatus.IMPORTED,
                self.folders.workstation,
                result.created,
                result.updated,
                result.unchanged,
                0,
                str(target),
                restricted=result.restricted,
            ),
        )

    def _write_list(
        self, claimed: Path, parsed: ParsedList, sha256: str, target: Path
    ) -> tuple[ListOutcome, Changes]:
        """All or nothing, in one transaction (a server: no lock stops the others)."""
        with self.database.unit_of_work(self.username, write=True) as uow:
            result = apply_application_rows(uow, parsed.rows)
            self._problems(parsed, result)
            changes = self._record_list(uow, claimed, sha256, target, result)
            if self.before_commit is not None:
                self.before_commit(claimed)
            uow.commit()
        return result, changes

    def _write_list_staged(
        self, claimed: Path, parsed: ParsedList, sha256: str, target: Path
    ) -> tuple[ListOutcome, Changes]:
        """All or nothing, holding the embedded archive's write lock only to move rows
        already made. Three transactions on one connection: every row is checked and its
        rows, audit entries and protocol numbers made while reading (others may write);
        they are copied into temporary tables (no lock on the archive); a short write
        transaction checks that nothing they rely on moved (protocol counters, the
        versions of the dossiers it updates; a save that only added to the audit log is
        chained after), moves them and records the file. If something moved, it is made
        again — never half written, never shown half written."""
        # The cycle collector would walk the thousands of rows made here again and again,
        # and, worse, under the write lock: it waits until the list is written.
        big = len(parsed.rows) >= GC_PAUSE_FROM
        with (
            cycle_collection_paused(big),
            self.database.unit_of_work(self.username, pinned=True) as uow,
        ):
            for attempt in range(1, LIST_ATTEMPTS + 1):
                result, plan = plan_application_rows(uow, parsed.rows)
                self._problems(parsed, result)
                uow.restart(write=False)  # the snapshot goes; nothing was written
                try:
                    if plan is not None:
                        plan.stage()
                        uow.commit()
                    uow.restart(write=True)
                    if plan is not None:
                        plan.write_staged()
                    changes = self._record_list(uow, claimed, sha256, target, result)
                    if self.before_commit is not None:
                        self.before_commit(claimed)
                    uow.commit()
                    return result, changes
                except (Outdated, IntegrityError) as error:
                    # A clerk registered or saved one of these dossiers meanwhile.
                    if attempt == LIST_ATTEMPTS:
                        raise
                    log.info("inbox: %s changed under %s: made again", error, claimed.name)
                finally:
                    if plan is not None:
                        uow.restart(write=False)
                        plan.drop_staged()
                        uow.commit()
                uow.restart(write=False)
        raise AssertionError("unreachable")

    def _document(self, claimed: Path, data: bytes, sha256: str) -> Outcome:
        try:
            refs = documents.references(claimed.name)
        except ValueError as error:
            raise _Rejected([str(error)]) from None
        problem = documents.content_problem(claimed.name, data)
        if problem:
            raise _Rejected([problem])
        target = free_name(self.folders.imported, claimed.name)
        with self.database.unit_of_work(self.username, write=True) as uow:
            try:
                attached = attach_document(
                    uow, refs, claimed.name, data, sha256, documents.media_type(claimed.name)
                )
            except DomainError as error:
                raise _Rejected([str(error)]) from None
            changes = attached.changes | record_import(
                uow,
                ImportEntry(
                    claimed.name,
                    sha256,
                    ImportKind.DOCUMENT,
                    ImportStatus.IMPORTED,
                    self.folders.workstation,
                    created=0 if attached.already_there else 1,
                    unchanged=1 if attached.already_there else 0,
                    stored_path=str(target),
                    dossier_id=attached.dossier_id,
                    restricted=attached.restricted,
                ),
            )
            if self.before_commit is not None:
                self.before_commit(claimed)
            uow.commit()
        move(claimed, target)
        return Outcome(
            claimed.name,
            ImportStatus.IMPORTED,
            ImportKind.DOCUMENT,
            target,
            created=0 if attached.already_there else 1,
            unchanged=1 if attached.already_there else 0,
            dossier=attached.reference,
            changes=changes,
        )

    def _batch(self, claimed: Path, sha256: str) -> Outcome:
        """Cut at every separator and attach each part to its dossier, all or nothing."""
        with claimed.open("rb") as handle:
            problem = documents.content_problem(claimed.name, handle.read(8) or b"")
        if problem:
            raise _Rejected([problem])
        try:
            cuts = batch.plan(claimed)
        except batch.UnreadableBatch as error:
            raise _Rejected([str(error)]) from None
        if cuts.problems:
            raise _Rejected(cuts.problems)
        target = free_name(self.folders.imported, claimed.name)
        media_type = documents.media_type(claimed.name)
        suffix = claimed.suffix.lower()
        parts: list[str] = []
        created = unchanged = 0
        changes = Changes()
        cutter = batch.Cutter(claimed)
        with self.database.unit_of_work(self.username, write=True) as uow:
            problems = check_batch_dossiers(
                uow,
                [(p.separator_page, p.separator.reference) for p in cuts.parts],
            )
            if problems:
                raise _Rejected(problems)
            taken: set[tuple[str, str]] = set()
            restricted = False
            for part in cuts.parts:
                name = batch.part_name(part, suffix, uow.today, taken)
                data = cutter.part(part.pages)
                part_sha256 = sha256_of(data)
                attached = attach_document(
                    uow,
                    [part.separator.reference],
                    name,
                    data,
                    part_sha256,
                    media_type,
                    kind=part.separator.kind,
                    source_batch=claimed.name,
                    source_pages=part.page_label,
                )
                del data
                restricted = restricted or attached.restricted
                created += 0 if attached.already_there else 1
                unchanged += 1 if attached.already_there else 0
                again = " (già presente)" if attached.already_there else ""
                parts.append(f"{part.pages_text} → {attached.reference} ({name}){again}")
                changes |= attached.changes | record_import(
                    uow,
                    ImportEntry(
                        name,
                        part_sha256,
                        ImportKind.DOCUMENT,
                        ImportStatus.IMPORTED,
                        self.folders.workstation,
                        created=0 if attached.already_there else 1,
                        unchanged=1 if attached.already_there else 0,
                        stored_path=str(target),
                        reason=f"dal lotto {claimed.name}, {part.pages_text}",
                        dossier_id=attached.dossier_id,
                        restricted=attached.restricted,
                    ),
                )
            changes |= record_import(
                uow,
                ImportEntry(
                    claimed.name,
                    sha256,
                    ImportKind.BATCH,
                    ImportStatus.IMPORTED,
                    self.folders.workstation,
                    created=created,
                    unchanged=unchanged,
                    stored_path=str(target),
                    reason=_batch_summary(cuts, parts),
                    restricted=restricted,
                ),
            )
            if self.before_commit is not None:
                self.before_commit(claimed)
            uow.commit()
        move(claimed, target)
        return Outcome(
            claimed.name,
            ImportStatus.IMPORTED,
            ImportKind.BATCH,
            target,
            created=created,
            unchanged=unchanged,
            parts=tuple(parts),
            changes=changes,
        )

    def _reject(
        self, claimed: Path, sha256: str, kind: ImportKind, rejection: _Rejected
    ) -> Outcome:
        target = free_name(self.folders.rejected, claimed.name)
        reason = reason_text(
            claimed.name, self.username, self.folders.workstation, rejection.problems
        )
        with self.database.unit_of_work(self.username, write=True) as uow:
            changes = record_import(
                uow,
                ImportEntry(
                    claimed.name,
                    sha256,
                    kind,
                    ImportStatus.REJECTED,
                    self.folders.workstation,
                    rejected=rejection.rejected_rows,
                    stored_path=str(target),
                    reason=reason,
                    restricted=rejection.restricted,
                ),
            )
            uow.commit()
        _file_away_rejected(claimed, target, reason)
        return Outcome(
            claimed.name,
            ImportStatus.REJECTED,
            kind,
            target,
            rejected=rejection.rejected_rows,
            problems=tuple(rejection.problems),
            changes=changes,
        )

    # -- after a crash ------------------------------------------------------------

    def recover(self) -> list[Path]:
        """Finish or undo what a crash left in this workstation's working folder.

        A file whose register entry committed goes where the entry says; any other goes
        back into the inbox to be imported again. Returns the files put back.
        """
        self._index_backlog()
        working = self.folders.working
        if not working.is_dir() or not self.lock.acquire():
            return []  # nothing left behind, or another watcher here owns the folder
        returned = []
        for path in sorted(p for p in working.iterdir() if p.is_file()):
            if is_ignored(path.name):
                continue
            sha256 = sha256_of_file(path)
            with self.database.unit_of_work(None) as uow:
                entries = entries_for(uow.session, sha256, path.name)
                newest = entries[0] if entries else None
                status, stored, reason = (
                    (newest.status, newest.stored_path, newest.reason) if newest else ("", "", "")
                )
            if stored and not Path(stored).exists():
                if status == ImportStatus.REJECTED.value:
                    _file_away_rejected(path, Path(stored), reason)
                else:
                    move(path, Path(stored))
                log.info("recovered %s to %s", path.name, stored)
                continue
            returned.append(move(path, free_name(self.folders.root, path.name)))
        return returned

    def retry(self, import_id: str) -> Path:
        """Put a rejected file (fixed meanwhile) back into the inbox to be read again."""
        with self.database.unit_of_work(self.username, write=True) as uow:
            record = get_import(uow.session, import_id)
            stored = Path(record.stored_path)
            if record.status == ImportStatus.REJECTED.value and not stored.is_file():
                raise DomainError(f"il file {record.file_name} non è più in {stored.parent}")
            mark_retried(uow, import_id)
            back = move(stored, free_name(self.folders.root, record.file_name))
            uow.commit()
        return back

    def give_back(self, claimed: Path) -> Path:
        """Return a claimed file to the inbox (the database was not reachable)."""
        return move(claimed, free_name(self.folders.root, claimed.name))


def _batch_summary(cuts: batch.Plan, parts: list[str]) -> str:
    separators = ", ".join(map(str, cuts.separator_pages))
    return "\n".join(
        [
            f"Lotto di {cuts.page_count} pagine; separatori alle pagine {separators} (tolti).",
            *parts,
        ]
    )


def _file_away_rejected(claimed: Path, target: Path, reason: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.with_name(target.name + REASON_SUFFIX).write_text(reason, encoding="utf-8")
    except OSError:  # the register holds the same text: the file is filed away all the same
        log.warning("inbox: no reason file beside %s", target.name, exc_info=True)
    move(claimed, target)
