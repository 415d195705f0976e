"""Application lists from the inbox: created and updated dossiers, all or nothing, reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.documents import ImportRecord
from models.dossiers import Dossier
from models.services.inbox import ImportStatus
from models.uow import Database
from tests.factories import register
from tests.inbox_helpers import (
    COLUMNS,
    MULLER,
    STEFAN,
    claim_and_process,
    make_processor,
    write_list,
)


def _dossiers(db: Database) -> dict[str, Dossier]:
    with db.sessions() as session:
        return {d.application_code or "": d for d in session.scalars(select(Dossier))}


def _reason(outcome_path: Path | None) -> str:
    assert outcome_path is not None
    return outcome_path.with_name(outcome_path.name + ".motivo.txt").read_text("utf-8")


def test_a_list_registers_each_row_as_a_dossier(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    path = write_list(tmp_path, "elenco.csv", [STEFAN, MULLER])
    outcome = claim_and_process(processor, path)
    assert outcome.status is ImportStatus.IMPORTED
    assert (outcome.created, outcome.updated, outcome.rejected) == (2, 0, 0)
    stefan = _dossiers(db)["ALI-2026-0001"]
    assert stefan.surname == "Țurcanu" and stefan.given_names == "Ștefan"
    assert stefan.birth_date == date(1990, 3, 4) and stefan.filed_on == date(2026, 9, 1)
    assert stefan.nationality == "ROU" and stefan.passport == "057123456"
    assert stefan.employer_pec == "cascina.bassiana@pec.it"
    assert stefan.protocol is not None and stefan.protocol.startswith("LO-SUI/2026/")
    assert stefan.state == "presentata"
    assert _dossiers(db)["ALI-2026-0002"].fiscal_code == "MLLJGN90C04Z112G"
    assert (tmp_path / "importati" / "elenco.csv").is_file()
    assert not path.exists()
    with db.sessions() as session:
        entry = session.scalars(select(ImportRecord)).one()
    assert (entry.file_name, entry.actor, entry.rows_created) == ("elenco.csv", "rossi", 2)
    assert len(entry.sha256) == 64 and entry.status == "importato"


def test_the_same_file_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    claim_and_process(processor, write_list(tmp_path, "elenco.csv", [STEFAN, MULLER]))
    before = {c: (d.version, d.protocol) for c, d in _dossiers(db).items()}
    again = claim_and_process(processor, write_list(tmp_path, "elenco.csv", [STEFAN, MULLER]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert {c: (d.version, d.protocol) for c, d in _dossiers(db).items()} == before
    kept = {p.name for p in (tmp_path / "importati").iterdir()}
    assert "elenco.csv" in kept and len(kept) == 2  # nothing overwritten


def test_a_changed_row_updates_the_dossier_and_an_empty_cell_erases_nothing(
    db: Database, tmp_path: Path
) -> None:
    processor = make_processor(db, tmp_path)
    claim_and_process(processor, write_list(tmp_path, "a.csv", [STEFAN]))
    changed = {**STEFAN, "datore_pec": "nuova@pec.it", "passaporto": ""}
    outcome = claim_and_process(processor, write_list(tmp_path, "b.csv", [changed]))
    assert (outcome.created, outcome.updated) == (0, 1)
    stefan = _dossiers(db)["ALI-2026-0001"]
    assert stefan.employer_pec == "nuova@pec.it" and stefan.passport == "057123456"


def test_an_existing_dossier_registered_by_a_clerk_is_updated(db: Database, tmp_path: Path) -> None:
    typed = register(db, application_code="ALI-2026-0001")
    outcome = claim_and_process(
        make_processor(db, tmp_path), write_list(tmp_path, "a.csv", [STEFAN])
    )
    assert outcome.created == 0
    assert _dossiers(db)["ALI-2026-0001"].id == typed.dossier_id


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_windows_1252(
    db: Database, tmp_path: Path, encoding: str
) -> None:
    rows = [MULLER] if encoding == "cp1252" else [STEFAN, MULLER]  # Ș is not in cp1252
    path = write_list(tmp_path, "elenco.csv", rows, encoding=encoding)
    outcome = claim_and_process(make_processor(db, tmp_path), path)
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    muller = _dossiers(db)["ALI-2026-0002"]
    assert (muller.surname, muller.given_names, muller.birth_place) == (
        "Müller",
        "Jürgen",
        "München",
    )


def test_columns_in_any_order_and_unknown_ones_ignored(db: Database, tmp_path: Path) -> None:
    columns = ["note_interne", *reversed(COLUMNS), "altro"]
    rows = [{**STEFAN, "note_interne": "x", "altro": "y"}]
    outcome = claim_and_process(
        make_processor(db, tmp_path), write_list(tmp_path, "elenco.csv", rows, columns)
    )
    assert outcome.created == 1
    assert _dossiers(db)["ALI-2026-0001"].surname == "Țurcanu"


def _bad_file(tmp_path: Path, kind: str) -> Path:
    good = [STEFAN]
    if kind == "codice fiscale":
        return write_list(
            tmp_path, "x.csv", [*good, {**MULLER, "codice_fiscale": "MLLJGN90C04Z112X"}]
        )
    if kind == "date":
        return write_list(tmp_path, "x.csv", [*good, {**MULLER, "data_nascita": "31/02/1990"}])
    if kind == "type":
        return write_list(tmp_path, "x.csv", [*good, {**MULLER, "tipo_pratica": "VISTO_TURISMO"}])
    if kind == "column":
        return write_list(tmp_path, "x.csv", good, [c for c in COLUMNS if c != "cognome"])
    if kind == "encoding":
        path = write_list(tmp_path, "x.csv", good)
        path.write_bytes(path.read_bytes().replace("Țurcanu".encode(), b"T\x81rcanu"))
        return path
    if kind == "separator":
        path = tmp_path / "x.csv"
        path.write_text(",".join(COLUMNS) + "\n" + ",".join(STEFAN.values()) + "\n", "utf-8")
        return path
    if kind == "province":
        return write_list(tmp_path, "x.csv", [*good, {**MULLER, "provincia": "MI"}])
    if kind == "repeated":
        return write_list(tmp_path, "x.csv", [*good, {**MULLER, "codice_domanda": "ALI-2026-0001"}])
    if kind == "fields":
        path = write_list(tmp_path, "x.csv", good)
        path.write_text(path.read_text("utf-8") + "ALI-9;NO_LAVORO;01/09/2026\r\n", "utf-8")
        return path
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "codice fiscale",
            "riga 3, colonna 11 (codice_fiscale): codice fiscale: «MLLJGN90C04Z112X»",
        ),
        ("date", "riga 3, colonna 7 (data_nascita): data impossibile «31/02/1990»"),
        ("type", "riga 3, colonna 2 (tipo_pratica): tipo di pratica «VISTO_TURISMO» sconosciuto"),
        ("column", "riga 1 (cognome): manca la colonna obbligatoria «cognome»"),
        ("encoding", "riga 2, colonna 4 (cognome): codifica errata: byte 0x81"),
        ("separator", "riga 1: separatore errato"),
        (
            "province",
            "riga 3, colonna 15 (provincia): provincia «MI» diversa da quella dell'ufficio",
        ),
        ("repeated", "riga 3, colonna 1 (codice_domanda): codice domanda ALI-2026-0001 ripetuto"),
        ("fields", "riga 3: la riga ha 3 campi, l'intestazione 15"),
    ],
)
def test_a_malformed_file_imports_nothing_and_says_why(
    db: Database, tmp_path: Path, kind: str, expected: str
) -> None:
    path = _bad_file(tmp_path, kind)
    outcome = claim_and_process(make_processor(db, tmp_path), path)
    assert outcome.status is ImportStatus.REJECTED
    assert _dossiers(db) == {}  # the good row is not imported either
    assert outcome.stored_path == tmp_path / "scartati" / "x.csv"
    assert outcome.stored_path.is_file()
    reason = _reason(outcome.stored_path)
    assert expected in reason, reason
    assert "Nessun dato del file è stato importato" in reason
    with db.sessions() as session:
        entry = session.scalars(select(ImportRecord)).one()
    assert entry.status == "scartato" and entry.reason == reason


def test_every_problem_is_listed_and_protocol_numbers_are_given_back(
    db: Database, tmp_path: Path
) -> None:
    rows = [
        STEFAN,
        {**MULLER, "codice_fiscale": "MLLJGN90C04Z112X", "data_presentazione": "1/13/2026"},
        {**MULLER, "codice_domanda": "ALI-3", "cittadinanza": "XYZ"},
    ]
    outcome = claim_and_process(make_processor(db, tmp_path), write_list(tmp_path, "x.csv", rows))
    assert outcome.rejected == 2 and len(outcome.problems) == 3
    reason = _reason(outcome.stored_path)
    assert "riga 3, colonna 3 (data_presentazione): data impossibile «1/13/2026»" in reason
    assert "riga 4, colonna 9 (cittadinanza)" in reason
    assert register(db).reference == "LO-SUI/2026/0000001"  # the rolled back numbers


def test_rows_of_a_type_the_user_may_not_register_are_refused(db: Database, tmp_path: Path) -> None:
    questura_led = {**STEFAN, "tipo_pratica": "ART18"}
    outcome = claim_and_process(
        make_processor(db, tmp_path, "rossi"), write_list(tmp_path, "x.csv", [questura_led])
    )
    assert outcome.status is ImportStatus.REJECTED
    assert "riga 2, colonna 2 (tipo_pratica): rossi" in outcome.problems[0]


def test_questura_led_rows_belong_to_the_questura(db: Database, tmp_path: Path) -> None:
    row = {**STEFAN, "tipo_pratica": "ART18", "datore_denominazione": ""}
    outcome = claim_and_process(
        make_processor(db, tmp_path, "neri"), write_list(tmp_path, "x.csv", [row])
    )
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    dossier = _dossiers(db)["ALI-2026-0001"]
    assert dossier.protocol is not None and dossier.protocol.startswith("LO-QUESTURA/")
    assert dossier.restricted


def test_a_rejected_file_is_retried_after_fixing_it(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    bad = {**MULLER, "data_nascita": "31/02/1990"}
    rejected = claim_and_process(processor, write_list(tmp_path, "x.csv", [STEFAN, bad]))
    assert rejected.stored_path is not None
    write_list(rejected.stored_path.parent, "x.csv", [STEFAN, MULLER])  # fixed in place
    with db.sessions() as session:
        entry_id = str(session.scalars(select(ImportRecord.id)).one())
    back = processor.retry(entry_id)
    assert back == tmp_path / "x.csv"
    outcome = claim_and_process(processor, back)
    assert outcome.created == 2
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportRecord)) == 2
        assert session.scalars(
            select(ImportRecord.retried_at).where(ImportRecord.status == "scartato")
        ).one()


def test_all_problems_of_one_row_are_listed(db: Database, tmp_path: Path) -> None:
    row = {**MULLER, "provincia": "MI", "codice_fiscale": "MLLJGN90C04Z112X"}
    outcome = claim_and_process(make_processor(db, tmp_path), write_list(tmp_path, "x.csv", [row]))
    assert [p.split(":")[0] for p in outcome.problems] == [
        "riga 2, colonna 11 (codice_fiscale)",
        "riga 2, colonna 15 (provincia)",
    ]
