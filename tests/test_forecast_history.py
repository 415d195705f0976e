"""Which closed dossiers make the breach risk's history: each type's last N closed (and
any closed the same day as the N-th), restricted ones only for a cleared user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from models import forecast_feed
from models.services.forecast import _rows
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register

CLOSED = {  # passport → (type, closed on)
    "P0000001": ("NO_LAVORO", date(2026, 10, 10)),
    "P0000002": ("NO_LAVORO", date(2026, 10, 11)),
    "P0000003": ("NO_LAVORO", date(2026, 10, 12)),
    "P0000004": ("NO_LAVORO", date(2026, 10, 12)),
    "P0000005": ("NO_LAVORO", date(2026, 10, 13)),
    "P0000006": ("CONVERSIONE", date(2026, 10, 1)),
}


def _history_ids(db: Database, user: str) -> set[str]:
    """The ids of the dossiers whose passages the history read."""
    found: set[str] = set()
    with db.unit_of_work(user) as uow:
        rows, _ = _rows(uow.session)

        def recorded(sql: str, params: Sequence[Any]) -> Sequence[Sequence[Any]]:
            result = rows(sql, params)
            if sql.startswith("WITH d AS"):
                found.update(str(row[0]).replace("-", "") for row in result)
            return result

        forecast_feed.history(recorded, date(2026, 11, 23), uow.actor.restricted_access)
    return found


def test_each_types_last_closed_and_the_same_days(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = {}
    for passport, (type_code, closed) in CLOSED.items():
        registered = register(db, type_code=type_code, passport=passport, filed_on="2026-09-01")
        with db.unit_of_work("rossi", write=True) as uow:
            advance(uow, registered.reference, "in_istruttoria", date(2026, 9, 2))
            advance(uow, registered.reference, "definita_positiva", closed)
            uow.commit()
        ids[passport] = registered.dossier_id.hex
    hidden = register(db, "neri", "ART18", filed_on="2026-09-01").dossier_id.hex
    with db.unit_of_work("neri", write=True) as uow:
        advance(uow, hidden, "in_istruttoria", date(2026, 9, 2))
        advance(uow, hidden, "definita_positiva", date(2026, 10, 5))
        uow.commit()
    monkeypatch.setattr(forecast_feed, "HISTORY_PER_TYPE", 3)
    # Work permits: the last three are 13/10, 12/10, 12/10; 11/10 and 10/10 are older.
    # Conversions: only one closed, taken. The art. 18 file only for a cleared user.
    expected = {ids[p] for p in ("P0000003", "P0000004", "P0000005", "P0000006")}
    assert _history_ids(db, "rossi") == expected
    assert _history_ids(db, "verdi") == expected | {hidden}
    monkeypatch.setattr(forecast_feed, "HISTORY_PER_TYPE", 4)  # 4th is 11/10
    assert _history_ids(db, "rossi") == expected | {ids["P0000002"]}
