"""Unit of work: one transaction, one acting user, one notion of "today"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from models import audit
from models.db import make_session_factory
from models.offices import Staff
from models.read.refusals import inactive_user, unknown_user


def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN


def _begin(connection: Connection) -> None:
    """Writes take SQLite's write lock at BEGIN, so read-then-write never deadlocks."""
    mode = "IMMEDIATE" if connection.get_execution_options().get("write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_write_transactions(engine: Engine) -> None:
    if not event.contains(engine, "begin", _begin):
        event.listen(engine, "connect", _no_implicit_begin)
        event.listen(engine, "begin", _begin)


@dataclass
class Database:
    """An engine and its session factory, with auditing installed.

    ``role="replica"``: a workstation's copy of the shared server. The server writes the
    audit and assigns protocol numbers, so here flushes are queued in the sync outbox
    instead of audited, and a new dossier keeps a provisional reference until pushed.
    The outbox belongs to the sync layer above this one: whoever opens a replica hands
    its installer in (``desktop.connection.open_replica``).
    """

    engine: Engine
    today: Callable[[], date] = date.today
    role: str = "local"  # "local" (embedded or direct) or "replica"
    outbox: Callable[[sessionmaker[Session]], None] | None = None
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        if self.engine.dialect.name == "sqlite":
            _sqlite_write_transactions(self.engine)
        self.sessions = make_session_factory(self.engine)
        if self.is_replica:
            if self.outbox is None:
                raise ValueError("a replica needs its outbox installer")
            self.outbox(self.sessions)
        else:
            audit.install(self.sessions)

    @property
    def is_replica(self) -> bool:
        return self.role == "replica"

    def unit_of_work(
        self, username: str | None, write: bool = False, *, pinned: bool = False
    ) -> UnitOfWork:
        return UnitOfWork(self, username, write, pinned)


class UnitOfWork:
    """``with db.unit_of_work("rossi", write=True) as uow: …; uow.commit()``.

    Leaving the block without ``commit()`` rolls everything back.
    """

    session: Session
    actor: Staff

    def __init__(
        self, database: Database, username: str | None, write: bool, pinned: bool = False
    ) -> None:
        self.database = database
        self.username = username
        self.write = write
        self.today = database.today()
        self.pinned = pinned  # one database connection for all its transactions
        self._connection: Connection | None = None

    def __enter__(self) -> UnitOfWork:
        if self.pinned:
            self._connection = self.database.engine.connect()
            self.session = self.database.sessions(bind=self._connection)
        else:
            self.session = self.database.sessions()
        self.session.info["actor"] = self.username or "sistema"
        try:
            self.session.connection(execution_options={"write": self.write})
            self._load_actor()
        except BaseException:
            self._close()
            raise
        return self

    def restart(self, *, write: bool) -> None:
        """End this transaction, rolling back whatever it did not commit, and begin
        another on the same connection (a pinned unit of work: what the connection keeps
        between transactions, its temporary tables, stays). ``write`` on SQLite: the new
        transaction takes the write lock at once, waiting for another writer."""
        if self._connection is None:
            raise RuntimeError("restart needs a pinned unit of work")
        self.session.rollback()
        self.write = write
        self.session.connection(execution_options={"write": write})
        self._load_actor()

    def _close(self) -> None:
        self.session.close()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _load_actor(self) -> None:
        if self.username is not None:
            actor = self.session.scalar(select(Staff).where(Staff.username == self.username))
            if actor is None:
                names = self.session.scalars(select(Staff.username).order_by(Staff.username))
                raise unknown_user(self.username, names)
            if not actor.active:
                raise inactive_user(self.username)
            self.actor = actor

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self._close()

    def commit(self) -> None:
        self.session.commit()
