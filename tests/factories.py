"""Small helpers that register dossiers through the service layer."""

from __future__ import annotations

from datetime import date
from typing import Any

from models.services.registration import Registered, register_dossier
from models.uow import Database

WORKER: dict[str, Any] = {
    "surname": "Țurcanu",
    "given_names": "Ștefan",
    "sex": "M",
    "birth_date": "1990-03-04",
    "nationality": "ROU",
    "passport": "057123456",
    "employer_name": "Cascina Bassiana srl",
    "employer_fiscal_code": "00743110157",
    "employer_pec": "cascina.bassiana@pec.it",
}


def register(
    db: Database, user: str = "rossi", type_code: str = "NO_LAVORO", **fields: Any
) -> Registered:
    values = {**WORKER, "filed_on": date(2026, 9, 1).isoformat(), **fields}
    with db.unit_of_work(user, write=True) as uow:
        result = register_dossier(uow, type_code, values)
        uow.commit()
    return result
