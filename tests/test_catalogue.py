"""Administrators edit types, workflows and terms as data; bad documents change nothing."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from models.errors import PermissionDenied, ValidationError
from models.services import views
from models.services.catalogue import export_catalogue, import_catalogue
from models.services.lookup import get_dossier
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register


def catalogue(db: Database) -> dict[str, Any]:
    with db.unit_of_work(None) as uow:
        return export_catalogue(uow)


def apply(db: Database, document: dict[str, Any], user: str = "admin") -> int:
    with db.unit_of_work(user, write=True) as uow:
        count, _ = import_catalogue(uow, document)
        uow.commit()
    return count


def type_of(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for t in document["types"] if t["code"] == code)


def deadline(db: Database, ref: str) -> str:
    with db.unit_of_work("rossi") as uow:
        return views.dossier_summary(uow, ref).deadline.isoformat()


def test_round_trip_changes_nothing(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE").reference
    before = deadline(db, ref)
    assert apply(db, catalogue(db)) == 0
    assert deadline(db, ref) == before
    assert len(catalogue(db)["types"]) == 10


def test_a_new_term_recomputes_existing_dossiers(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-09-01").reference
    assert deadline(db, ref) == "2026-10-31"
    document = catalogue(db)
    type_of(document, "CONVERSIONE")["rules"].append(
        {"valid_from": "2026-06-01", "term": 90, "basis": "circolare di prova"}
    )
    assert apply(db, document) == 1
    assert deadline(db, ref) == "2026-11-30"
    rules = type_of(catalogue(db), "CONVERSIONE")["rules"]
    # The rule of 1998 is split on 17 Jul 2020, when the preavviso began to suspend.
    assert [(r["valid_from"], r["term"]) for r in rules] == [
        ("1998-01-01", 60),
        ("2020-07-17", 60),
        ("2026-06-01", 90),
    ]
    assert [r["preavviso_effect"] for r in rules] == ["interrupts", "suspends", "suspends"]


def test_the_suspension_rules_are_data_an_administrator_edits(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-09-01").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "integrazione_richiesta", date(2026, 9, 3))
        advance(uow, ref, "in_istruttoria", date(2026, 10, 13))
        uow.commit()
    assert deadline(db, ref) == "2026-11-30"  # 31 Oct + 30 days of the 40 suspended
    document = catalogue(db)
    current = type_of(document, "CONVERSIONE")["rules"][-1]
    assert (current["suspension_max_days"], current["suspension_max_count"]) == (30, 1)
    current["suspension_max_days"] = 45
    assert apply(db, document) == 1
    assert deadline(db, ref) == "2026-12-10"  # all 40 days count now
    broken = catalogue(db)
    type_of(broken, "CONVERSIONE")["rules"][-1]["preavviso_effect"] = "pauses"
    type_of(broken, "CONVERSIONE")["rules"][-1]["suspension_max_count"] = -1
    with pytest.raises(ValidationError) as refused:
        apply(db, broken)
    messages = " ".join(refused.value.errors.values())
    assert "effetto del preavviso «pauses» non valido" in messages
    assert "sospensioni ammesse non valido: -1" in messages


def test_a_state_can_change_its_clock_effect(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-09-01").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "convocata", date(2026, 10, 30))
        uow.commit()
    document = catalogue(db)
    for state in type_of(document, "CONVERSIONE")["states"]:
        if state["code"] == "convocata":
            state["clock"] = "suspended"
    apply(db, document)
    with db.unit_of_work("rossi") as uow:
        dossier = get_dossier(uow, ref)
        assert dossier.clock_state == "suspended"  # 24 days so far, within the 30 allowed


def test_a_workflow_gets_a_new_state_and_move(db: Database) -> None:
    document = catalogue(db)
    flow = type_of(document, "CARTA_BLU")
    flow["states"].insert(
        2,
        {
            "code": "parere_itl",
            "label": "Parere ITL richiesto",
            "holder": "applicant",
            "clock": "runs",
            "final": False,
        },
    )
    flow["transitions"] += [
        {"from": "in_istruttoria", "to": "parere_itl", "actor_office": "sui"},
        {"from": "parere_itl", "to": "in_istruttoria", "actor_office": "sui"},
    ]
    apply(db, document)
    ref = register(db, type_code="CARTA_BLU").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "parere_itl", date(2026, 9, 3))
        uow.commit()


def test_an_invalid_document_changes_nothing_and_lists_every_problem(db: Database) -> None:
    document = catalogue(db)
    broken = copy.deepcopy(document)
    type_of(broken, "NO_LAVORO")["rules"][-1]["term"] = 0
    type_of(broken, "ART18")["transitions"].append(
        {"from": "presentata", "to": "nowhere", "actor_office": "questura"}
    )
    type_of(broken, "CONVERSIONE")["states"][0]["holder"] = "ministero"
    with pytest.raises(ValidationError) as error:
        apply(db, broken)
    messages = " | ".join(error.value.errors.values())
    assert "termine non valido" in messages
    assert "stati non definiti" in messages
    assert "ministero" in messages
    assert catalogue(db) == document


def test_states_in_use_cannot_be_removed(db: Database) -> None:
    register(db, type_code="CONVERSIONE")
    document = catalogue(db)
    flow = type_of(document, "CONVERSIONE")
    flow["states"] = [s for s in flow["states"] if s["code"] != "presentata"]
    flow["transitions"] = [t for t in flow["transitions"] if t["from"] != "presentata"]
    with pytest.raises(ValidationError) as error:
        apply(db, document)
    assert "presentata" in " ".join(error.value.errors.values())


def test_only_an_administrator_edits_the_catalogue(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        apply(db, catalogue(db), user="verdi")


def test_a_document_without_the_suspension_rules_keeps_them(db: Database) -> None:
    document = catalogue(db)
    for rule in type_of(document, "CONVERSIONE")["rules"]:
        for key in [k for k in rule if k.startswith(("suspension_", "preavviso_"))]:
            del rule[key]
    assert apply(db, document) == 0
    rules = type_of(catalogue(db), "CONVERSIONE")["rules"]
    assert [r["preavviso_effect"] for r in rules] == ["interrupts", "suspends"]
    assert [r["preavviso_restart_days"] for r in rules] == [0, 10]
