"""Duplicate warnings before registering, and a dossier's audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, date

import pytest

from models.errors import NotFound
from models.services.duplicates import Match, possible_duplicates
from models.services.flags import raise_flag
from models.services.history import AuditChange, audit_trail
from models.services.lookup import get_dossier
from models.services.registration import update_dossier
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.factories import register

FISCAL_CODE = "TRCSFN90C04Z129H"  # Țurcanu Ștefan, M, 04/03/1990, born in Romania
SAME_PERSON = {
    "surname": "TURCANU",
    "given_names": "stefan",
    "birth_date": "04/03/1990",
    "nationality": "rou",
}


def duplicates(db: Database, user: str, values: dict[str, str]) -> list[str]:
    with db.unit_of_work(user) as uow:
        return [d.reference for d in possible_duplicates(uow, values)]


def test_same_person_found_by_folded_names_birth_date_and_nationality(db: Database) -> None:
    ref = register(db).reference
    register(db, birth_date="1991-03-04")  # another person: different birth date
    assert duplicates(db, "rossi", SAME_PERSON) == [ref]
    assert duplicates(db, "rossi", SAME_PERSON | {"nationality": "MDA"}) == []
    assert duplicates(db, "rossi", SAME_PERSON | {"given_names": "Ștefan Ionuț"}) == []


def test_same_fiscal_code_is_a_duplicate_whatever_the_names(db: Database) -> None:
    ref = register(db, fiscal_code=FISCAL_CODE).reference
    with db.unit_of_work("rossi") as uow:
        found = possible_duplicates(uow, {"surname": "Altro", "fiscal_code": FISCAL_CODE.lower()})
    assert [d.reference for d in found] == [ref]
    assert found[0].matches == (Match.FISCAL_CODE,)
    assert found[0].state_label == "Presentata" and found[0].type_code == "NO_LAVORO"
    assert found[0].birth_date == date(1990, 3, 4)  # a date, for each screen to write its way
    with db.unit_of_work("rossi") as uow:
        assert get_dossier(uow, ref).id == found[0].id


def test_both_reasons_are_reported_and_invalid_input_is_ignored(db: Database) -> None:
    register(db, fiscal_code=FISCAL_CODE)
    with db.unit_of_work("rossi") as uow:
        both = possible_duplicates(uow, SAME_PERSON | {"fiscal_code": FISCAL_CODE})
        broken = possible_duplicates(uow, SAME_PERSON | {"fiscal_code": "TRCSFN90C04Z129X"})
        incomplete = possible_duplicates(uow, {"surname": "Țurcanu"})
    assert both[0].matches == (Match.FISCAL_CODE, Match.PERSON)
    assert broken[0].matches == (Match.PERSON,)
    assert incomplete == []


def test_closed_dossiers_are_not_duplicates(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "archiviata", date(2026, 9, 2))
        uow.commit()
    assert duplicates(db, "rossi", SAME_PERSON) == []


def test_restricted_dossiers_are_duplicates_only_for_cleared_users(db: Database) -> None:
    ref = register(db, user="neri", type_code="ART18", employer_name="").reference
    assert duplicates(db, "bianchi", SAME_PERSON) == []
    assert duplicates(db, "neri", SAME_PERSON) == [ref]


def test_audit_trail_covers_the_dossier_its_history_items_and_pareri(db: Database) -> None:
    created = register(db)
    other = register(db, surname="Nguyễn", given_names="Thị Minh", nationality="VNM")
    ref = created.reference
    with db.unit_of_work("rossi", write=True) as uow:
        update_dossier(uow, ref, {"given_names": "Ștefan Ionuț"})
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "parere_richiesto", date(2026, 9, 3))
        uow.commit()
    with db.unit_of_work("bianchi", write=True) as uow:
        raise_flag(
            uow, ref, "verifica_identita", "Passaporto da verificare", False, date(2026, 9, 4)
        )
        record_parere(uow, ref, "favorevole", "", date(2026, 9, 5))
        uow.commit()

    with db.unit_of_work("rossi") as uow:
        trail = audit_trail(uow, created.dossier_id)
    assert {e.table for e in trail} == {"dossiers", "dossier_events", "flags", "pareri"}
    assert [e.seq for e in trail] == sorted(e.seq for e in trail)
    assert all(e.at.tzinfo is UTC for e in trail)
    assert str(other.dossier_id) not in {e.row_id for e in trail}

    first = trail[0]
    assert (first.table, first.action, first.actor) == ("dossiers", "insert", "rossi")
    inserted = {c.field: c.after for c in first.changes}
    assert inserted["surname"] == "Țurcanu"
    assert inserted["procedure_type_id"] == "Lavoro subordinato"  # foreign keys read as names
    assert inserted["state"] == "Presentata" and "id" not in inserted  # words, not codes
    assert inserted["protocol_office_id"] == "LO-SUI"

    renamed = [c for e in trail for c in e.changes if c.field == "given_names" and c.before]
    assert renamed == [AuditChange("given_names", "Ștefan", "Ștefan Ionuț")]
    parere = [e for e in trail if e.table == "pareri" and e.action == "update"]
    assert parere and parere[-1].actor == "bianchi"
    assert AuditChange("officer_id", None, "bianchi") in parere[-1].changes


def test_audit_trail_of_a_restricted_dossier_needs_clearance(db: Database) -> None:
    created = register(db, user="neri", type_code="ART18", employer_name="")
    with db.unit_of_work("bianchi") as uow, pytest.raises(NotFound):
        audit_trail(uow, created.dossier_id)
    with db.unit_of_work("neri") as uow:
        assert audit_trail(uow, created.dossier_id)
    with db.unit_of_work("neri") as uow, pytest.raises(NotFound):
        audit_trail(uow, uuid.uuid4())
