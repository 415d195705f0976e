"""The full-text search index of a big import, filled after the import commits (SQLite).

Indexing thirty thousand dossiers' search keys (trigrams) is a good part of what an
import does under SQLite's write lock. ``defer`` leaves the rows the import adds to a
range of ``dossier_search_backlog`` (schema 0019), in the import's own transaction: the
triggers skip them, and the search reads those rows' key directly
(``models.read.filters.PENDING_ROWIDS``), so each is found from the moment it is
visible. ``catch_up`` then indexes the range in short transactions, each giving the
lock back. A crash between the two leaves the range to the next ``catch_up`` (the next
list, the next start of the inbox); nothing is lost or hidden meanwhile.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine

CHUNK = 2_000  # rows indexed per transaction: a few tens of milliseconds of the lock
# Between two: a save waiting for the lock retries every 100 ms at most (SQLite's busy
# handler) and would miss a shorter gap, waiting for the whole index instead.
PAUSE = 0.1
_OPEN = 2**63 - 1  # the range's end while the import is writing it


def defer(connection: Connection) -> None:
    """In a write transaction: the dossiers inserted from now on are not indexed by the
    triggers (``settle`` closes the range before the commit)."""
    connection.exec_driver_sql(
        "INSERT INTO dossier_search_backlog (first_rowid, last_rowid) "
        "SELECT coalesce(max(rowid), 0) + 1, ? FROM dossiers",
        (_OPEN,),
    )


def settle(connection: Connection) -> None:
    """The open range ends at the last dossier inserted (and goes when there is none)."""
    connection.exec_driver_sql(
        "UPDATE dossier_search_backlog SET last_rowid = "
        "(SELECT coalesce(max(rowid), 0) FROM dossiers) WHERE last_rowid = ?",
        (_OPEN,),
    )
    connection.exec_driver_sql("DELETE FROM dossier_search_backlog WHERE last_rowid < first_rowid")


def pending(connection: Connection) -> int:
    """Dossier rowids still waiting for the index (0 on a database without the backlog)."""
    if connection.dialect.name != "sqlite":
        return 0
    return int(
        connection.exec_driver_sql(
            "SELECT coalesce(sum(last_rowid - first_rowid + 1), 0) FROM dossier_search_backlog"
        ).scalar()
        or 0
    )


def catch_up(engine: Engine, rows: int = CHUNK, pause: float = PAUSE) -> int:
    """Index every pending range, ``rows`` at a time, each in its own short write
    transaction, ``pause`` seconds apart; returns how many rowids were covered."""
    if engine.dialect.name != "sqlite":
        return 0
    done = 0
    with engine.connect() as plain:
        connection = plain.execution_options(write=True)
        while True:
            with connection.begin():
                step = _index_some(connection, rows)
            if not step:
                return done
            done += step
            time.sleep(pause)


def _index_some(connection: Connection, rows: int) -> int:
    found = connection.exec_driver_sql(
        "SELECT rowid, first_rowid, last_rowid FROM dossier_search_backlog "
        "WHERE last_rowid < ? ORDER BY first_rowid LIMIT 1",
        (_OPEN,),
    ).first()
    if found is None:
        return 0
    key, first, last = found
    upto = min(last, first + rows - 1)
    connection.exec_driver_sql(
        "INSERT INTO dossier_search(rowid, search_key) "
        "SELECT rowid, search_key FROM dossiers WHERE rowid BETWEEN ? AND ?",
        (first, upto),
    )
    if upto == last:
        connection.exec_driver_sql("DELETE FROM dossier_search_backlog WHERE rowid = ?", (key,))
    else:
        connection.exec_driver_sql(
            "UPDATE dossier_search_backlog SET first_rowid = ? WHERE rowid = ?", (upto + 1, key)
        )
    return int(upto - first + 1)
