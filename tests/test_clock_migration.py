"""Migration 0007: old catalogues get the suspension rules, and every stored deadline is
recomputed with the law-exact clock (in batches, with plain SQL)."""

from __future__ import annotations

import importlib.util
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update

from desktop.demo import generate
from models.db import MIGRATIONS_DIR
from models.dossiers import Dossier
from models.procedures import ProcedureType, TermRule
from models.services.workflow import advance
from models.uow import Database
from tests.conftest import TODAY
from tests.factories import register

CLOCK_COLUMNS = (
    Dossier.deadline,
    Dossier.clock_state,
    Dossier.suspended_days,
    Dossier.closed_on,
    Dossier.held_sui_days,
    Dossier.held_questura_days,
    Dossier.held_applicant_days,
)


def _migration() -> Any:
    path = MIGRATIONS_DIR / "versions" / "0007_clock_rules.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _with_preavviso(db: Database) -> str:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-01-12").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 1, 20))
        advance(uow, ref, "preavviso_rigetto", date(2026, 2, 2))
        advance(uow, ref, "in_istruttoria", date(2026, 5, 4))
        uow.commit()
    return ref


def test_recompute_puts_back_the_law_exact_deadline(db: Database) -> None:
    ref = _with_preavviso(db)
    untouched = register(db, type_code="CONVERSIONE", filed_on="2026-09-01").reference
    refs = (ref, untouched)
    with db.engine.begin() as connection:
        rows = select(Dossier.protocol_number, *CLOCK_COLUMNS).order_by(Dossier.protocol_number)
        before = connection.execute(rows).all()
        assert before[0].deadline == date(2026, 3, 23) and before[0].suspended_days == 10
        # What the old clock stored: suspended for the 91 days spent in preavviso.
        connection.execute(
            update(Dossier)
            .where(Dossier.protocol_number == before[0].protocol_number)
            .values(deadline=date(2026, 6, 12), suspended_days=91)
        )
        changed = _migration().recompute_clocks(connection, TODAY, batch=1)
        assert changed == 1
        assert connection.execute(rows).all() == before
    assert len(refs) == 2


def test_recompute_agrees_with_the_application_on_a_demo_office(db: Database) -> None:
    """The demo stores each dossier's clock as the application computes it: the
    migration's own reading of the rows must find nothing to change."""
    generate(db, 300, seed=5)
    with db.engine.begin() as connection:
        before = connection.execute(select(Dossier.id, *CLOCK_COLUMNS)).all()
        assert _migration().recompute_clocks(connection, TODAY, batch=64) == 0
        assert sum(row.suspended_days for row in before) > 0


def test_an_old_catalogue_is_split_where_the_preavviso_changed(db: Database) -> None:
    def rules() -> list[tuple[str, date, date | None, str, int]]:
        with db.engine.connect() as connection:
            found = connection.execute(
                select(
                    ProcedureType.code,
                    TermRule.valid_from,
                    TermRule.valid_to,
                    TermRule.preavviso_effect,
                    TermRule.preavviso_restart_days,
                )
                .join(ProcedureType, ProcedureType.id == TermRule.procedure_type_id)
                .order_by(ProcedureType.code, TermRule.valid_from)
            )
            return [tuple(row) for row in found]  # type: ignore[misc]

    seeded = rules()
    migration = _migration()
    # A catalogue as it was before 0007: no rule starting on 17 Jul 2020, all suspending.
    with db.engine.begin() as connection:
        reform = migration.REFORM
        for code, _start, valid_to, _effect, _days in [r for r in seeded if r[1] == reform]:
            type_id = connection.scalar(select(ProcedureType.id).where(ProcedureType.code == code))
            connection.execute(
                delete(TermRule).where(
                    TermRule.procedure_type_id == type_id, TermRule.valid_from == reform
                )
            )
            connection.execute(
                update(TermRule)
                .where(
                    TermRule.procedure_type_id == type_id, TermRule.valid_to == date(2020, 7, 16)
                )
                .values(valid_to=valid_to)
            )
        connection.execute(
            update(TermRule).values(preavviso_effect="suspends", preavviso_restart_days=10)
        )
        assert migration.split_rules_at_reform(connection) == 9  # all but ART18TER
    assert rules() == seeded
    ids = {
        str(row)
        for row in db.engine.connect()
        .execute(select(TermRule.id).where(TermRule.valid_from == migration.REFORM))
        .scalars()
    }
    with db.engine.connect() as connection:
        type_ids = connection.execute(select(ProcedureType.id)).scalars().all()
    expected = {str(migration.split_id(type_id)) for type_id in type_ids}
    assert ids <= expected and len(ids) == 9
