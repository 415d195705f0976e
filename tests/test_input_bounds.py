"""Values are refused where they are typed, with a reason, before anything is stored.

The limits are the dossier table's column lengths: on PostgreSQL (the shared server)
a value at the limit is stored and one character more is refused by the same check
that refuses it on the embedded database, not by the server at push time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.bounds import MAX_FREE_TEXT, MAX_TERM, column_length
from models.dossier_fields import FIELD_NAMES
from models.dossiers import Dossier
from models.errors import ValidationError
from models.services.admin import add_rule, add_user, set_office
from models.services.catalogue import export_catalogue, import_catalogue
from models.services.flags import raise_flag
from models.services.inbox import ImportStatus
from models.services.queries import deadlines
from models.services.registration import update_dossier
from models.uow import Database
from models.validation import ALWAYS_REQUIRED, CLEANERS, clean_fields, field_lengths
from tests.factories import register
from tests.inbox_helpers import COLUMNS, STEFAN, claim_and_process, make_processor, write_list


def refused(db: Database, **fields: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as refusal:
        register(db, **fields)
    return refusal.value.errors


def stored(db: Database, reference: str) -> Dossier:
    with db.sessions() as session:
        found = [d for d in session.scalars(select(Dossier)) if d.reference == reference]
        assert len(found) == 1
        return found[0]


def test_every_limit_comes_from_the_dossier_columns() -> None:
    lengths = field_lengths()
    for field in FIELD_NAMES:
        column = Dossier.__table__.c[field]
        assert lengths.get(field) == column_length(column)
    assert lengths["surname"] == 200 and lengths["employer_name"] == 300


def test_every_declared_field_is_checked_and_an_empty_optional_one_fits_its_column() -> None:
    assert set(CLEANERS) == set(FIELD_NAMES)
    values, errors = clean_fields(dict.fromkeys(FIELD_NAMES, ""))
    assert errors == {}
    for field in set(FIELD_NAMES) - set(ALWAYS_REQUIRED):  # a required one is refused later
        nullable = Dossier.__table__.c[field].nullable
        assert values[field] == (None if nullable else ""), field


def test_a_surname_of_120000_characters_is_refused_with_its_length(db: Database) -> None:
    errors = refused(db, surname="Ç" * 120_000)
    assert errors == {"surname": "cognome: troppo lungo: 120000 caratteri, al massimo 200"}


@pytest.mark.parametrize("control", ["\x00", "\x1b[2J", "\x7f", "\u0085"])
def test_a_name_with_control_characters_is_refused(db: Database, control: str) -> None:
    errors = refused(db, surname=f"Ros{control}si")
    assert "carattere di controllo" in errors["surname"]
    assert "\n" not in errors["surname"] and control not in errors["surname"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("surname", "Ș" * 201),
        ("given_names", "a" * 201),
        ("birth_place", "b" * 201),
        ("employer_name", "c" * 301),
        ("application_code", "ALI-" + "9" * 61),
        ("employer_pec", "x" * 195 + "@pec.it"),
    ],
)
def test_one_character_over_the_server_s_column_is_refused_when_typed(
    db: Database, field: str, value: str
) -> None:
    """On both databases: SQLite would store it, PostgreSQL would refuse it at push."""
    errors = refused(db, **{field: value})
    assert set(errors) == {field} and "al massimo" in errors[field]


def test_a_value_at_the_column_s_limit_is_stored_whole(db: Database) -> None:
    done = register(db, surname="Ș" * 200, employer_name="c" * 300)
    dossier = stored(db, done.reference)
    assert dossier.surname == "Ș" * 200 and dossier.employer_name == "c" * 300


def test_an_edit_over_the_limit_changes_nothing(db: Database) -> None:
    done = register(db)
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(ValidationError) as refusal:
        update_dossier(uow, done.reference, {"birth_place": "b" * 201})
    assert "al massimo 200" in refusal.value.errors["birth_place"]
    assert stored(db, done.reference).birth_place == ""


def test_a_pending_item_s_text_is_bounded_and_keeps_its_paragraphs(db: Database) -> None:
    done = register(db)
    on = date(2026, 11, 2)
    with db.unit_of_work("bianchi", write=True) as uow:
        with pytest.raises(ValidationError) as refusal:
            raise_flag(
                uow, done.reference, "verifica_identita", "x" * (MAX_FREE_TEXT + 1), False, on
            )
        assert "al massimo 4000" in refusal.value.errors["text"]
        with pytest.raises(ValidationError):
            raise_flag(uow, done.reference, "verifica_identita", "ok\x00", False, on)
        raise_flag(uow, done.reference, "verifica_identita", "riga uno\r\nriga due", False, on)


def test_a_term_of_a_billion_days_is_refused(db: Database) -> None:
    with db.unit_of_work("admin", write=True) as uow, pytest.raises(ValidationError) as refusal:
        add_rule(uow, "NO_LAVORO", date(2027, 1, 1), 1_000_000_000)
    assert refusal.value.errors["term"] == (
        f"termine non valido (1000000000): al massimo {MAX_TERM['days']} giorni"
    )
    with db.unit_of_work("admin", write=True) as uow, pytest.raises(ValidationError):
        add_rule(uow, "NO_LAVORO", date(2027, 1, 1), 121, unit="months")


def test_a_catalogue_with_a_billion_day_term_is_refused_whole(db: Database) -> None:
    with db.unit_of_work("admin") as uow:
        document = export_catalogue(uow)
    document["types"][0]["rules"][-1]["term"] = 1_000_000_000
    with db.unit_of_work("admin", write=True) as uow, pytest.raises(ValidationError) as refusal:
        import_catalogue(uow, document)
    assert "termine non valido (1000000000)" in str(refusal.value)


def test_staff_and_office_text_fits_its_columns(db: Database) -> None:
    with db.unit_of_work("admin", write=True) as uow:
        with pytest.raises(ValidationError):
            add_user(uow, "gialli", "LO-SUI", "sui_clerk", False, "G" * 201)
        with pytest.raises(ValidationError):
            set_office(uow, "LO-SUI", {"address": "Via " + "x" * 300})
        with pytest.raises(ValidationError):
            set_office(uow, "LO-SUI", {"name": "Prefettura\x1b[31m"})


def test_a_horizon_of_a_trillion_days_is_refused_not_overflowed(db: Database) -> None:
    with db.unit_of_work("rossi") as uow, pytest.raises(ValidationError) as refusal:
        deadlines(uow, 10**12)
    assert "al massimo 3650" in str(refusal.value)


def test_a_demo_of_a_trillion_dossiers_is_refused(db: Database) -> None:
    from desktop.demo import generate

    with pytest.raises(ValidationError):
        generate(db, 10**12, 1)


def test_a_list_with_only_its_header_is_refused_with_a_reason(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    outcome = claim_and_process(processor, write_list(tmp_path, "vuoto.csv", [], COLUMNS))
    assert outcome.status is ImportStatus.REJECTED
    assert any("solo l'intestazione" in problem for problem in outcome.problems)


def test_a_list_row_over_a_column_s_length_rejects_the_list(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    row = {**STEFAN, "cognome": "T" * 201}
    outcome = claim_and_process(processor, write_list(tmp_path, "lungo.csv", [row]))
    assert outcome.status is ImportStatus.REJECTED
    assert any("al massimo 200" in problem for problem in outcome.problems)
