"""Breach risk of the open dossiers a user may see (``models.forecast``, README *Rischio*).

The history and the open files are read with the SQL of ``models.forecast_feed`` on the
session's own connection, restricted art. 18 / 18-ter dossiers only for users cleared
for them (for the history too: nothing about a restricted file reaches anyone else).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models import forecast_feed
from models.forecast import History, OpenFile
from models.gc_pause import cycle_collection_paused
from models.uow import UnitOfWork


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


def _rows(session: Session) -> tuple[forecast_feed.Rows, bool]:
    """The forecast's SQL on the session's connection, values as the driver takes them."""
    session.flush()
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"

    def rows(sql: str, params: Sequence[Any]) -> Sequence[Sequence[Any]]:
        if sqlite:  # the driver's own forms, as models.read.connection gives them
            values = tuple(v.isoformat() if isinstance(v, date) else v for v in params)
            result = connection.exec_driver_sql(sql, values)
        else:
            result = connection.exec_driver_sql(sql.replace("?", "%s"), tuple(params))
        try:
            # The driver's tuples: a Row apiece would cost more than the query.
            return result.cursor.fetchall()
        finally:
            result.close()

    return rows, sqlite


def office_history(uow: UnitOfWork) -> History:
    """The passages of the dossiers closed last, as far as this user may see them."""
    rows, _ = _rows(uow.session)
    with cycle_collection_paused():  # tens of thousands of short-lived tuples
        return History(forecast_feed.history(rows, uow.today, uow.actor.restricted_access))


def open_files(
    uow: UnitOfWork, only: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, OpenFile]:
    """The open files this user may see (``only`` these), as the forecast takes them."""
    rows, sqlite = _rows(uow.session)
    keys = None if only is None else [i.hex if sqlite else i for i in only]
    with cycle_collection_paused():
        files = forecast_feed.open_files(rows, uow.today, uow.actor.restricted_access, keys)
    return {_as_uuid(key): file for key, file in files.items()}


def breach_risks(
    uow: UnitOfWork,
    only: Collection[uuid.UUID] | None = None,
    history: History | None = None,
) -> dict[uuid.UUID, float | None]:
    """Open dossier id → probability (0–1) of missing its term, None when the office's
    history is too short to say. Closed dossiers and those this user may not see are
    absent; with ``only``, just those dossiers. ``history``: one read earlier
    (``office_history``), for a caller asking page after page."""
    files = open_files(uow, only)
    if files and history is None:
        history = office_history(uow)
    return {key: history.breach_risk(file) for key, file in files.items()} if history else {}


def _risks_by_row_id(uow: UnitOfWork) -> dict[Any, float | None]:
    """``breach_risks`` of every open dossier, by the id as the driver gives it."""
    rows, _ = _rows(uow.session)
    with cycle_collection_paused():
        files = forecast_feed.open_files(rows, uow.today, uow.actor.restricted_access)
        if not files:
            return {}
        risk_of = office_history(uow).breach_risk
        return {key: risk_of(file) for key, file in files.items()}


def riskiest(uow: UnitOfWork, at_least: float) -> Iterator[tuple[float, uuid.UUID]]:
    """(risk, id) of the open dossiers this user may see whose breach risk is at least
    ``at_least``, riskiest first, ties in id order — what ``breach_risks`` gives, but
    each id made a UUID only when the caller gets that far (the agenda takes the first
    few hundred of tens of thousands)."""
    likely = [
        (-risk, key)
        for key, risk in _risks_by_row_id(uow).items()
        if risk is not None and risk >= at_least
    ]
    # The driver's ids sort as their UUIDs do: SQLite's are hex text, PostgreSQL's UUIDs.
    likely.sort()
    return ((-negative, _as_uuid(key)) for negative, key in likely)
