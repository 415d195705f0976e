"""Who prints which letter: the office that issues it, whose letterhead and signatory it
bears (docs/domain-rules.md, *Quali lettere si stampano*).

The expected issuer of each form is written out here, from the letters themselves
(who signs them), not read from the rule under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.config import resolve
from desktop.wiring import open_database
from models.errors import PermissionDenied
from models.services import views
from models.services.admin import add_user
from models.services.bulk_letters import record_letters
from models.services.letter_rules import letter_refusals
from models.services.lookup import get_dossier
from models.services.workflow import advance, record_parere
from models.uow import Database
from reports import forms
from reports.bulk_letters import bulk_letters
from reports.form_list import FORMS
from tests.factories import register

LETTERS = [name for name, spec in FORMS.items() if spec.kind == "letter"]
# On a dossier the SUI leads: who issues each form (None: either office, for its file).
ISSUER_ON_SUI_DOSSIER = {
    "frontespizio": None,
    "ricevuta": "sui",
    "richiesta-parere": "sui",
    "esito-parere": "questura",
    "convocazione": "sui",
    "richiesta-integrazione": "sui",
    "preavviso-rigetto": "sui",
}
# Each kind of person: their office, and whether they act for both (administrator).
PEOPLE = {
    "rossi": "sui",  # sui_clerk
    "verdi": "sui",  # head of the SUI
    "bianchi": "questura",  # questura_officer
    "gialli": "questura",  # head of the Questura
    "admin": "both",
}
EXTRA = {
    "convocazione": {"appuntamento_data": "02/12/2026", "appuntamento_ora": "10:30"},
    "richiesta-integrazione": {"documenti": "Contratto di soggiorno firmato"},
}
CONVOCAZIONE_REFUSED = "la convocazione è dello Sportello Unico: la stampa un suo operatore"
ESITO_REFUSED = "la comunicazione del parere è della Questura: la stampa un suo operatore"


@pytest.fixture
def staff(db: Database) -> Database:
    with db.unit_of_work("admin", write=True) as uow:
        add_user(uow, "gialli", "LO-QUESTURA", "head", False, "Paola Gialli")
        uow.commit()
    return db


@pytest.fixture
def asked(staff: Database) -> str:
    """A SUI dossier whose parere the Questura has given: every letter fits its state."""
    ref = register(staff, quota_assigned_on="2026-09-05").reference
    with staff.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 10))
        advance(uow, ref, "parere_richiesto", date(2026, 9, 11))
        uow.commit()
    with staff.unit_of_work("bianchi", write=True) as uow:
        record_parere(uow, ref, "motivi_ostativi", "Segnalazione SIS", date(2026, 10, 1))
        uow.commit()
    return ref


def test_every_letter_has_one_issuer_in_the_rule() -> None:
    """The server reads the same lists: a new letter must be placed in one of them."""
    from models.services import letter_rules as rule

    lists = (rule.ISSUED_BY_LEAD, rule.ISSUED_BY_COUNTERPART, rule.ISSUED_BY_EITHER)
    assert sorted(name for names in lists for name in names) == sorted(LETTERS)


def allowed(person: str, form: str) -> bool:
    issuer = ISSUER_ON_SUI_DOSSIER[form]
    return issuer is None or PEOPLE[person] in (issuer, "both")


def printed_notes(db: Database, ref: str) -> list[tuple[str, str]]:
    with db.unit_of_work("rossi") as uow:
        detail = views.dossier_detail(uow, ref, with_moves=False)
    return [(e.actor, e.note or "") for e in detail.history if e.kind == "printed"]


@pytest.mark.parametrize("person", list(PEOPLE))
@pytest.mark.parametrize("form", LETTERS)
def test_each_letter_is_printed_by_the_office_that_issues_it(
    staff: Database, asked: str, person: str, form: str
) -> None:
    assert set(ISSUER_ON_SUI_DOSSIER) == set(LETTERS)  # a new letter needs its issuer here
    with staff.unit_of_work(person) as uow:
        refused = letter_refusals(uow, get_dossier(uow, asked), [form])
        if allowed(person, form):
            document = forms.dossier_document(uow, form, asked, None, EXTRA.get(form, {}))
            assert refused == {}
            office = "Questura di Lodi" if form == "esito-parere" else "Prefettura"
            assert office in document.letterhead.administration
        else:
            with pytest.raises(PermissionDenied) as error:
                forms.dossier_document(uow, form, asked, None, EXTRA.get(form, {}))
            office = "della Questura" if form == "esito-parere" else "dello Sportello Unico"
            assert str(error.value).endswith(f"è {office}: la stampa un suo operatore")
            assert refused == {form: str(error.value)}  # the menu says what the print says


def test_the_refusals_name_the_letter_and_its_office(staff: Database, asked: str) -> None:
    with staff.unit_of_work("bianchi") as uow:
        refused = letter_refusals(uow, get_dossier(uow, asked), LETTERS)
    assert refused["convocazione"] == CONVOCAZIONE_REFUSED
    assert refused["richiesta-parere"] == (
        "la richiesta di parere è dello Sportello Unico: la stampa un suo operatore"
    )
    assert "esito-parere" not in refused and "frontespizio" not in refused
    with staff.unit_of_work("rossi") as uow:
        assert letter_refusals(uow, get_dossier(uow, asked), ["esito-parere"]) == {
            "esito-parere": ESITO_REFUSED
        }


def test_a_dossier_the_questura_leads_has_the_questura_letters(staff: Database) -> None:
    """Art. 18 permits are the Questura's (restricted: people cleared for them)."""
    ref = register(staff, "neri", type_code="ART18").reference
    with staff.unit_of_work("neri") as uow:
        assert letter_refusals(uow, get_dossier(uow, ref), ["convocazione", "ricevuta"]) == {}
    with staff.unit_of_work("verdi") as uow:
        refused = letter_refusals(uow, get_dossier(uow, ref), ["convocazione", "frontespizio"])
    assert refused == {
        "convocazione": "la convocazione è della Questura: la stampa un suo operatore"
    }


def test_the_scadenzario_of_an_office_is_printed_by_its_staff(staff: Database) -> None:
    with staff.unit_of_work("bianchi") as uow:
        assert forms.worklist_document(uow, None, 7).letterhead.office == "Ufficio Immigrazione"
        with pytest.raises(PermissionDenied) as error:
            forms.worklist_document(uow, "LO-SUI", 7)
    assert str(error.value) == "lo scadenzario è dello Sportello Unico: lo stampa un suo operatore"
    with staff.unit_of_work("admin") as uow:
        assert forms.worklist_document(uow, "LO-QUESTURA", 7).letterhead.office


def test_bulk_letters_refuse_each_dossier_of_the_other_office(staff: Database, asked: str) -> None:
    other = register(staff, surname="Diallo").reference  # no parere: refused for that
    batch = bulk_letters(staff, "rossi", "esito-parere", [asked, other])
    assert batch.pdf is None
    reasons = {o.reference: o.reason for o in batch.result.refused}
    assert reasons == {asked: ESITO_REFUSED, other: ESITO_REFUSED}
    assert f"- {asked} (Țurcanu Ștefan): {ESITO_REFUSED}" in batch.result.summary()

    batch = bulk_letters(staff, "bianchi", "esito-parere", [asked, other])
    assert batch.references == (asked,)
    assert [o.reason for o in batch.result.refused] == [
        f"nessun parere espresso sulla pratica {other}"
    ]
    result = batch.result.after_recording(
        record_letters(staff, "bianchi", batch.references, batch.form)
    )
    assert result.headline() == "1 lettera stampata, 1 rifiutata"
    assert printed_notes(staff, asked) == [("bianchi", "stampato: esito-parere")]


def test_the_command_refuses_the_other_office_letter_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = open_database(resolve(home=str(tmp_path)))
    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        add_user(uow, "bianchi", "LO-QUESTURA", "questura_officer", False, "Anna Bianchi")
        uow.commit()
    first, second = (register(database, surname=name).reference for name in ("Popescu", "Ba"))
    output = tmp_path / "lettera.pdf"
    fields = ["--field", "appuntamento_data=15/12/2026", "--field", "appuntamento_ora=9:00"]

    def raccordo(user: str, *args: str) -> int:
        return main(["--home", str(tmp_path), "--user", user, "print", *args, "-o", str(output)])

    code = raccordo("bianchi", "convocazione", "--dossier", first, *fields)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"errore: {CONVOCAZIONE_REFUSED}"]
    assert not output.exists()
    assert printed_notes(database, first) == []

    code = raccordo("bianchi", "convocazione", "--dossier", first, second, *fields)
    out, err = capsys.readouterr()
    assert code == 1 and not output.exists()
    assert err.splitlines() == [
        f"rifiutata: {first} (Popescu Ștefan): {CONVOCAZIONE_REFUSED}",
        f"rifiutata: {second} (Ba Ștefan): {CONVOCAZIONE_REFUSED}",
        "errore: nessuna lettera stampata (2 rifiutate): nessun file scritto",
    ]

    assert raccordo("rossi", "convocazione", "--dossier", first, *fields) == 0
    assert capsys.readouterr().out.strip() == str(output)
    assert printed_notes(database, first) == [("rossi", "stampato: convocazione")]
    assert raccordo("bianchi", "frontespizio", "--dossier", first) == 0  # its own file
    assert printed_notes(database, first)[-1] == ("bianchi", "stampato: frontespizio")


def test_the_list_of_forms_says_who_prints_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(tmp_path), "print", "--list"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert rows["esito-parere"].split("  ")[-1] == "l'altro ufficio"  # the last column
    assert rows["convocazione"].rstrip().endswith("chi guida la pratica")
    assert rows["frontespizio"].rstrip().endswith("entrambi gli uffici")
    assert rows["scadenzario"].rstrip().endswith("l'ufficio dello scadenzario")
