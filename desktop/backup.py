"""Backups of the embedded SQLite database: online copy, verification, restore.

The copy uses SQLite's online backup API, so it is consistent even while the window has
the database open. Every copy is checked after writing: ``PRAGMA integrity_check``, the
schema revision and the row count of every table, against the source as it was read.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from models.db import SCHEMA_HEAD, current_revision
from models.errors import DomainError

BACKUP_FOLDER = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every Raccordo database has had since the first revision.
CORE_TABLES = frozenset({"alembic_version", "offices", "staff", "dossiers"})

log = logging.getLogger(__name__)


class BackupError(DomainError):
    """A backup that could not be written or verified, or a file that cannot be restored."""


@dataclass(frozen=True)
class Snapshot:
    revision: str
    counts: dict[str, int]

    @property
    def dossiers(self) -> int:
        return self.counts.get("dossiers", 0)


@dataclass(frozen=True)
class Restored:
    snapshot: Snapshot  # the database as it is now
    from_revision: str  # the backup's schema before migrating it
    previous: Path | None  # the copy of the database that was replaced


def database_file(db_url: str) -> Path:
    """The embedded database's file; refuses a server URL."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "backup e ripristino riguardano il database integrato (SQLite); per il server "
            "PostgreSQL usare pg_dump e pg_restore (docs/guida-amministratore.md)"
        )
    return Path(url.database)


@contextmanager
def _open(path: Path, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(target, uri=True, isolation_level=None)
    with closing(connection):
        connection.execute("PRAGMA busy_timeout=10000")
        yield connection


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [str(name) for (name,) in rows]


def _snapshot(connection: sqlite3.Connection) -> Snapshot:
    tables = _tables(connection)
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    counts = {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in tables
    }
    return Snapshot(str(revision[0]) if revision else "", counts)


def _integrity(connection: sqlite3.Connection) -> str | None:
    """None when the file is sound, else SQLite's first complaint."""
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check(5)")]
    return None if rows == ["ok"] else "; ".join(rows)


def _differences(expected: Snapshot, found: Snapshot) -> list[str]:
    problems = []
    if found.revision != expected.revision:
        problems.append(f"schema {found.revision} invece di {expected.revision}")
    for table in sorted(set(expected.counts) | set(found.counts)):
        want, got = expected.counts.get(table), found.counts.get(table)
        if want != got:
            problems.append(f"tabella {table}: {got} righe invece di {want}")
    return problems


def verify(path: Path, expected: Snapshot) -> Snapshot:
    """Check a written copy against the snapshot of what was copied."""
    with _open(path, read_only=True) as connection:
        if problem := _integrity(connection):
            raise BackupError(f"la copia {path} non supera il controllo di integrità: {problem}")
        found = _snapshot(connection)
    if problems := _differences(expected, found):
        raise BackupError(f"la copia {path} non corrisponde all'originale: {'; '.join(problems)}")
    return found


def _copy(source: sqlite3.Connection, target: Path) -> None:
    with _open(target) as destination:
        source.backup(destination)
        # One self-contained file, without -wal and -shm beside it.
        destination.execute("PRAGMA journal_mode=DELETE")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup(database: Path, target: Path) -> Snapshot:
    """Copy ``database`` to ``target`` (replaced only once the copy is verified)."""
    if not database.is_file():
        raise BackupError(f"nessun database da salvare in {database}")
    target = target.expanduser().resolve()
    if target == database.resolve():
        raise BackupError("il backup non può sovrascrivere il database stesso")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    try:
        with _open(database) as source:
            # One read transaction: the counts and the copied pages are the same snapshot.
            source.execute("BEGIN")
            expected = _snapshot(source)
            _copy(source, partial)
            source.execute("COMMIT")
        verified = verify(partial, expected)
        os.replace(partial, target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"backup non riuscito: {error}") from error
    finally:
        _remove(partial)
    log.info(
        "backup written: schema %s, %d tables verified", verified.revision, len(verified.counts)
    )
    return verified


def known_revisions() -> list[str]:
    """The schema revisions this version of Raccordo knows, oldest first."""
    from alembic.script import ScriptDirectory

    from models.db import MIGRATIONS_DIR

    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def inspect(copy: Path, path: Path) -> Snapshot:
    """The snapshot of ``copy`` (a private copy of the backup ``path``), or the reason the
    backup cannot be restored. The copy is opened for writing: a file saved in WAL mode
    cannot be read without creating files beside it."""
    with copy.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} non è un backup di Raccordo: non è un database SQLite")
    try:
        with _open(copy) as connection:
            if problem := _integrity(connection):
                raise BackupError(f"{path} è danneggiato: {problem}")
            missing = CORE_TABLES - set(_tables(connection))
            if missing:
                raise BackupError(
                    f"{path} non è un backup di Raccordo: mancano le tabelle "
                    f"{', '.join(sorted(missing))}"
                )
            snapshot = _snapshot(connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} è danneggiato: {error}") from error
    known = known_revisions()
    if snapshot.revision not in known:
        newer = snapshot.revision.isdigit() and int(snapshot.revision) > int(SCHEMA_HEAD)
        if newer:
            raise BackupError(
                f"{path} viene da una versione più recente di Raccordo (schema "
                f"{snapshot.revision}, questa versione arriva a {SCHEMA_HEAD}): aggiornare "
                "Raccordo prima di ripristinarlo"
            )
        raise BackupError(f"{path} ha uno schema sconosciuto ({snapshot.revision or 'nessuno'})")
    return snapshot


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_path(home: Path, label: str) -> Path:
    """A new file in ``<home>/backups/``: ``raccordo-<label>-<timestamp>.sqlite3``."""
    folder = home / BACKUP_FOLDER
    base = f"raccordo-{label}-{_stamp()}"
    path, n = folder / f"{base}.sqlite3", 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}.sqlite3"
    return path


def _migrate(path: Path) -> None:
    from models.db import make_engine, upgrade
    from models.seed import initialise
    from models.uow import Database

    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        initialise(Database(engine))
    finally:
        engine.dispose()


def restore(database: Path, source: Path, home: Path) -> Restored:
    """Replace ``database`` with the backup ``source``, migrated to this version's schema.

    The current database is first copied to ``<home>/backups/``; the live file is
    written through the backup API, so it is never half replaced.
    """
    if not source.is_file():
        raise BackupError(f"file {source} non trovato")
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = database.with_name(f".restore-{_stamp()}.sqlite3")
    _remove(staging)
    try:
        shutil.copyfile(source, staging)
        found = inspect(staging, source)
        if found.revision != SCHEMA_HEAD:
            log.info("restoring a schema %s backup: migrating it first", found.revision)
            _migrate(staging)
        with _open(staging) as staged:
            if problem := _integrity(staged):
                raise BackupError(f"il backup migrato non è integro: {problem}")
            expected = _snapshot(staged)
            previous = None
            if database.is_file():
                previous = backup_path(home, "prima-del-ripristino")
                backup(database, previous)
            with _open(database) as live:
                staged.backup(live)
        restored = verify(database, expected)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"ripristino non riuscito: {error}") from error
    finally:
        _remove(staging)
    log.info("database restored: schema %s (backup was %s)", restored.revision, found.revision)
    return Restored(restored, found.revision, previous)


def backup_before_upgrade(engine: Engine, home: Path) -> Path | None:
    """An embedded database with an older schema is copied to ``<home>/backups/`` first."""
    try:
        path = database_file(str(engine.url))
    except BackupError:
        return None
    if not path.is_file():
        return None
    revision = current_revision(engine)
    if revision is None or revision == SCHEMA_HEAD:
        return None
    target = backup_path(home, f"schema-{revision}")
    backup(path, target)
    log.info("schema %s older than %s: backup taken before upgrading", revision, SCHEMA_HEAD)
    return target
