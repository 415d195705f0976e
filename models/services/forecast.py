"""Breach risk of the open dossiers a user may see (``models.forecast``, README *Rischio*).

The history and the open files are read with the SQL of ``models.forecast_feed`` on the
session's own connection, restricted art. 18 / 18-ter dossiers only for users cleared
for them (for the history too: nothing about a restricted file reaches anyone else).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models.deadlines import read_clock
from models.dossiers import Dossier
from models.forecast import History
from models.forecast_feed import Gathered, gather
from models.offices import Staff


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


def gather_for(session: Session, actor: Staff, today: date) -> Gathered:
    session.flush()
    connection = session.connection()

    def rows(sql: str) -> Sequence[Sequence[Any]]:
        return connection.exec_driver_sql(sql).all()

    def exact(raw_id: Any) -> tuple[date, int]:
        dossier = session.get_one(Dossier, _as_uuid(raw_id))
        reading = read_clock(session, dossier, today)
        return reading.deadline, reading.suspended_days

    return gather(rows, today, actor.restricted_access, exact)


def breach_risks(session: Session, actor: Staff, today: date) -> dict[uuid.UUID, float | None]:
    """Open dossier id → probability (0–1) of missing its term, None when the office's
    history is too short to say. Closed dossiers and those ``actor`` may not see are
    absent."""
    gathered = gather_for(session, actor, today)
    history = History(gathered.passages)
    return {_as_uuid(key): history.breach_risk(file) for key, file in gathered.files.items()}
