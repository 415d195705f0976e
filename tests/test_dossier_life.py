"""A dossier's life through the service layer, as each office sees it (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from models.read.as_json import detail_json, summary_json
from models.services import queries, views
from models.services.changes import Changed
from models.services.flags import raise_flag, resolve_flag
from models.services.lookup import get_dossier
from models.services.registration import update_dossier
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.conftest import Clock
from tests.factories import register


def show(db: Database, ref: str, user: str = "rossi") -> dict:  # type: ignore[type-arg]
    with db.unit_of_work(user) as uow:
        return detail_json(views.dossier_detail(uow, ref))


def test_full_life_of_a_work_permit(db: Database, clock: Clock) -> None:
    clock.today = date(2026, 9, 1)
    created = register(
        db, filed_on="2026-09-01", quota_assigned_on="2026-09-01", application_code="P-2026-000123"
    )
    ref = created.reference
    assert ref == "LO-SUI/2026/0000001"
    assert created.changes.touches(Changed.DOSSIER)

    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 1))
        changes = advance(uow, ref, "parere_richiesto", date(2026, 9, 1))
        uow.commit()
    assert created.dossier_id in changes.dossier_ids
    detail = show(db, ref)
    assert detail["holder_office"] == "LO-QUESTURA"
    # The clerk may not record the parere; the Questura officer sees no SUI actions.
    assert detail["allowed_moves"] == []

    clock.today = date(2026, 9, 20)
    with db.unit_of_work("bianchi", write=True) as uow:
        number, _ = raise_flag(
            uow, ref, "documenti_mancanti", "Manca copia del contratto", True, date(2026, 9, 15)
        )
        record_parere(uow, ref, "favorevole", "", date(2026, 9, 18))
        uow.commit()
    detail = show(db, ref)
    assert detail["state"] == "in_istruttoria" and detail["holder_office"] == "LO-SUI"
    assert detail["pareri"][0]["outcome"] == "favorevole"
    assert detail["pareri"][0]["officer"] == "bianchi"
    assert detail["clock"] == "suspended" and detail["open_flags"] == 1

    clock.today = date(2026, 9, 25)
    with db.unit_of_work("rossi", write=True) as uow:
        resolve_flag(uow, str(number), date(2026, 9, 25), "contratto ricevuto")
        advance(uow, ref, "definita_positiva", date(2026, 9, 25))
        uow.commit()
    detail = show(db, ref)
    assert detail["closed_on"] == "2026-09-25"
    assert detail["suspended_days"] == 10
    # 1 Sep + 60 = 31 Oct (Sat) + 10 days suspended = 10 Nov 2026.
    assert detail["deadline"] == "2026-11-10"
    assert detail["clock_detail"]["held_days"] == {"sui": 7, "questura": 17, "applicant": 0}
    assert [e["kind"] for e in detail["history"]] == [
        "registered",
        "transition",
        "transition",
        "flag_raised",
        "parere_given",
        "flag_resolved",
        "transition",
    ]
    assert detail["allowed_moves"] == []


def test_invalid_transition_names_the_allowed_states(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(InvalidTransition) as error:
        advance(uow, ref, "rigettata", date(2026, 9, 2))
    assert "in_istruttoria" in str(error.value) and "archiviata" in str(error.value)


def test_the_other_office_cannot_move_the_prefettura_s_file(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied) as error:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
    assert "Sportello Unico" in str(error.value)
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied):
        update_dossier(uow, ref, {"surname": "Rossi"})


def test_questura_owns_the_cui_field(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(PermissionDenied):
        update_dossier(uow, ref, {"cui": "ABC1234"})
    with db.unit_of_work("bianchi", write=True) as uow:
        update_dossier(uow, ref, {"cui": "ABC1234"})
        uow.commit()
    assert show(db, ref)["person"]["cui"] == "ABC1234"


def test_parere_is_only_recorded_when_requested(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(InvalidTransition):
        record_parere(uow, ref, "favorevole", "", date(2026, 9, 2))
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "parere_richiesto", date(2026, 9, 3))
        uow.commit()
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(InvalidTransition) as error:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 4))
    assert "parere" in str(error.value)
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(ValidationError):
        record_parere(uow, ref, "motivi_ostativi", "  ", date(2026, 9, 4))


def test_effective_dates_cannot_be_in_the_future_or_before_the_last_event(
    db: Database, clock: Clock
) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(ValidationError):
        advance(uow, ref, "in_istruttoria", date(2026, 11, 24))
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(ValidationError):
        advance(uow, ref, "in_istruttoria", date(2026, 8, 30))


def test_validation_reports_every_field_in_italian_and_writes_nothing(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        register(
            db,
            fiscal_code="RSSMRA85T10A562X",
            nationality="ROM",
            birth_date="31/02/1990",
            employer_fiscal_code="12345678901",
            employer_name="",
        )
    errors = error.value.errors
    assert set(errors) >= {
        "fiscal_code",
        "nationality",
        "birth_date",
        "employer_fiscal_code",
        "employer_name",
    }
    assert "carattere di controllo" in errors["fiscal_code"]
    assert "ISO 3166" in errors["nationality"]
    with db.unit_of_work("rossi") as uow:
        assert queries.list_dossiers(uow, queries.DossierFilter()) == []
    # The refused registration did not use up a protocol number.
    assert register(db).reference == "LO-SUI/2026/0000001"


def test_fiscal_code_must_match_birth_date_and_sex(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        register(db, fiscal_code="RSSMRA85T10A562S", birth_date="1985-12-11", sex="M")
    assert "data di nascita" in error.value.errors["fiscal_code"]
    ok = register(db, fiscal_code="RSSMRA85T10A562S", birth_date="1985-12-10", sex="M")
    assert ok.reference


def test_application_code_is_unique(db: Database) -> None:
    register(db, application_code="ALI-1")
    with pytest.raises(ValidationError) as error:
        register(db, application_code="ali-1")
    assert "già registrato" in error.value.errors["application_code"]


def test_restricted_dossiers_are_invisible_without_clearance(db: Database) -> None:
    ref = register(db, user="neri", type_code="ART18", employer_name="").reference
    assert ref.startswith("LO-QUESTURA/2026/")
    with db.unit_of_work("bianchi") as uow, pytest.raises(NotFound):
        get_dossier(uow, ref)
    with db.unit_of_work("rossi") as uow:
        assert queries.list_dossiers(uow, queries.DossierFilter()) == []
    with db.unit_of_work("verdi") as uow:
        found = queries.list_dossiers(uow, queries.DossierFilter())
        assert [d.reference for d in found] == [ref]


def test_search_ignores_accents_and_case(db: Database) -> None:
    register(db, surname="Țurcanu", given_names="Ștefan")
    register(db, surname="Nguyễn", given_names="Thị Minh", nationality="VNM")
    register(
        db,
        surname="Wójcik",
        given_names="Łukasz",
        nationality="POL",
        fiscal_code="WJCLKS90C04Z127Q",
    )
    with db.unit_of_work("rossi") as uow:

        def names(text: str) -> list[str]:
            spec = queries.DossierFilter(search=text)
            return [d.surname for d in queries.list_dossiers(uow, spec)]

        assert names("stefan") == ["Țurcanu"]
        assert names("TURC") == ["Țurcanu"]
        assert names("nguyen") == ["Nguyễn"]
        assert names("lukasz") == ["Wójcik"]
        assert names("wjclks90") == ["Wójcik"]
        assert names("LO-SUI/2026/0000002") == ["Nguyễn"]
        assert names("100%") == []


def test_protocol_numbers_are_per_office_and_year(db: Database, clock: Clock) -> None:
    assert register(db).reference == "LO-SUI/2026/0000001"
    assert register(db).reference == "LO-SUI/2026/0000002"
    assert register(db, user="neri", type_code="ART18").reference == "LO-QUESTURA/2026/0000001"
    clock.today = date(2027, 1, 4)
    assert register(db).reference == "LO-SUI/2027/0000001"


def test_stale_edit_is_refused(db: Database) -> None:
    from models.errors import Conflict

    ref = register(db).reference
    version = show(db, ref)["version"]
    with db.unit_of_work("rossi", write=True) as uow:
        update_dossier(uow, ref, {"birth_place": "Iași"}, expected_version=version)
        uow.commit()
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(Conflict):
        update_dossier(uow, ref, {"birth_place": "Cluj"}, expected_version=version)
    assert show(db, ref)["person"]["birth_place"] == "Iași"


def test_deadlines_lists_overdue_and_due_soon_oldest_first(db: Database, clock: Clock) -> None:
    late = register(db, filed_on="2026-08-01", quota_assigned_on="2026-08-01").reference
    soon = register(db, filed_on="2026-09-24", quota_assigned_on="2026-09-24").reference
    register(db, filed_on="2026-11-20", quota_assigned_on="2026-11-20")
    # Due tomorrow but for the integrazione open since 10 Nov (13 of its 30 days).
    suspended = register(db, filed_on="2026-09-25", quota_assigned_on="2026-09-25").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, suspended, "in_istruttoria", date(2026, 9, 26))
        advance(uow, suspended, "integrazione_richiesta", date(2026, 11, 10))
        uow.commit()
    with db.unit_of_work("rossi") as uow:
        summaries = [summary_json(s) for s in views.deadline_summaries(uow, 7)]
    assert [s["reference"] for s in summaries] == [late, soon]
    assert summaries[0]["overdue"] and summaries[0]["days_left"] < 0
    assert summaries[1]["deadline"] == "2026-11-23" and summaries[1]["days_left"] == 0


def test_short_search_matches_the_start_of_the_surname_longer_anywhere(db: Database) -> None:
    register(db, surname="Țurcanu", given_names="Ștefan")
    with db.unit_of_work("rossi") as uow:

        def count(text: str) -> int:
            spec = queries.DossierFilter(search=text)
            return len(queries.list_dossiers(uow, spec))

        assert (count("t"), count("tu"), count("ur"), count("urc"), count("canu st")) == (
            1,
            1,
            0,
            1,
            1,
        )


def test_search_follows_an_edited_surname(db: Database) -> None:
    ref = register(db, surname="Popescu").reference
    with db.unit_of_work("rossi", write=True) as uow:
        update_dossier(uow, ref, {"surname": "Ionescu"})
        uow.commit()
    with db.unit_of_work("rossi") as uow:

        def found(text: str) -> list[str]:
            spec = queries.DossierFilter(search=text)
            return [d.surname for d in queries.list_dossiers(uow, spec)]

        assert found("popescu") == []
        assert found("ionescu") == ["Ionescu"]


def test_restricted_types_need_clearance_to_register(db: Database) -> None:
    with pytest.raises(PermissionDenied) as error:
        register(db, user="bianchi", type_code="ART18")
    assert "riservate" in str(error.value)


def test_a_sui_clerk_cannot_set_the_cui_at_registration(db: Database) -> None:
    with pytest.raises(PermissionDenied) as error:
        register(db, cui="ABC1234")
    assert "Questura" in str(error.value)


def test_a_closed_dossier_accepts_only_the_cui(db: Database, clock: Clock) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "archiviata", date(2026, 9, 2))
        uow.commit()
    with db.unit_of_work("admin", write=True) as uow, pytest.raises(PermissionDenied):
        update_dossier(uow, ref, {"cui": "ABC1234", "surname": "Altro"})
    with db.unit_of_work("bianchi", write=True) as uow:
        update_dossier(uow, ref, {"cui": "ABC1234"})
        uow.commit()
    assert show(db, ref)["person"] | {"surname": "Țurcanu"} == show(db, ref)["person"]
    assert show(db, ref)["person"]["cui"] == "ABC1234"


def test_a_protocol_being_typed_narrows_by_office_year_and_number(db: Database) -> None:
    for index in range(12):
        register(db, surname=f"Popescu{index}")
    register(db, user="neri", type_code="ART18", surname="Questura")
    with db.unit_of_work("verdi") as uow:

        def count(text: str) -> int:
            spec = queries.DossierFilter(search=text)
            return len(queries.list_dossiers(uow, spec, None))

        assert count("LO-") == 13
        assert count("lo-sui") == 12
        assert count("LO-SUI/2026") == 12
        assert count("LO-SUI/2025") == 0
        assert count("LO-SUI/2026/000001") == 3  # 10, 11, 12
        assert count("LO-SUI/2026/0000011") == 1
        assert count("LO-QUESTURA/2026/") == 1


def test_printing_is_recorded_on_each_dossier(db: Database) -> None:
    from models.services.printed import record_printed

    first, second = register(db).reference, register(db).reference
    with db.unit_of_work("bianchi", write=True) as uow:
        changes = record_printed(uow, [first, second], "distinta-trasmissione")
        uow.commit()
    assert len(changes.dossier_ids) == 2
    for ref in (first, second):
        event = show(db, ref)["history"][-1]
        assert (event["kind"], event["actor"], event["office"]) == (
            "printed",
            "bianchi",
            "LO-QUESTURA",
        )
        assert event["note"] == "stampato: distinta-trasmissione"
        assert show(db, ref)["state"] == "presentata"
