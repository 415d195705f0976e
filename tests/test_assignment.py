"""Personal assignment: who in the holding office works on a dossier (*assegnata a*)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.errors import NotFound, PermissionDenied
from models.read.filters import DossierFilter
from models.services.assignment import assign, assignee_name
from models.services.queries import list_dossiers
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.factories import register


def mine(db: Database, user: str) -> list[str]:
    with db.unit_of_work(user) as uow:
        spec = DossierFilter(assigned_to=user)
        return [r.reference for r in list_dossiers(uow, spec)]


def test_staff_of_the_holding_office_take_a_dossier_and_find_it_in_their_list(
    db: Database,
) -> None:
    ref = register(db).reference
    other = register(db, surname="Popescu").reference
    with db.unit_of_work("rossi", write=True) as uow:
        changes = assign(uow, ref, "me")
        uow.commit()
    assert changes.dossier_ids
    with db.unit_of_work("verdi", write=True) as uow:  # the head hands one to rossi
        assign(uow, other, "rossi")
        uow.commit()
    assert sorted(mine(db, "rossi")) == sorted([ref, other])
    assert mine(db, "verdi") == []
    with db.unit_of_work("rossi") as uow:
        assert assignee_name(uow, ref) == "Mario Rossi"
    with db.unit_of_work("rossi", write=True) as uow:
        assign(uow, other, None)
        uow.commit()
    assert mine(db, "rossi") == [ref]


def test_the_other_office_cannot_assign_nor_be_assigned(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied) as no:
        assign(uow, ref, "me")
    assert "presso LO-SUI" in str(no.value)
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(PermissionDenied) as no:
        assign(uow, ref, "bianchi")
    assert "bianchi non è del personale di LO-SUI" in str(no.value)
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(NotFound):
        assign(uow, ref, "nessuno")


def test_a_file_moving_to_the_other_office_loses_its_assignment(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow:
        assign(uow, ref, "me")
        advance(uow, ref, "in_istruttoria", uow.today)
        uow.commit()
    assert mine(db, "rossi") == [ref]  # still at the SUI
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "parere_richiesto", uow.today)
        uow.commit()
    assert mine(db, "rossi") == []
    with db.unit_of_work("bianchi", write=True) as uow:
        assign(uow, ref, "me")  # now the Questura's to take
        record_parere(uow, ref, "favorevole", "", uow.today)
        uow.commit()
    assert mine(db, "bianchi") == []  # back at the SUI with the parere


def test_the_command_line_assigns_and_lists_my_dossiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import Cli, add_worker

    cli = Cli(tmp_path, capsys)
    assert cli("init")[0] == 0
    assert cli("user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    assert (
        cli("user", "add", "bianchi", "--office", "LO-QUESTURA", "--role", "questura_officer")[0]
        == 0
    )
    ref = add_worker(cli, date.today())
    code, _out, err = cli("dossier", "assign", ref, "me", user="bianchi")
    assert code == 1 and "presso LO-SUI" in err and "Traceback" not in err
    assert cli("dossier", "assign", ref, "me", user="rossi")[0] == 0
    listed = cli.json("dossier", "list", "--assigned-to", "me", user="rossi")
    assert [d["reference"] for d in listed] == [ref]  # type: ignore[union-attr,index]
    assert cli.json("dossier", "list", "--assigned-to", "me", user="bianchi") == []
    assert cli("dossier", "assign", ref, "--release", user="rossi")[0] == 0
    assert cli.json("dossier", "list", "--assigned-to", "rossi", user="rossi") == []
    code, _out, err = cli("dossier", "assign", ref, user="rossi")
    assert code != 0 and "--release" in err
