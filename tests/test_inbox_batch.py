"""A list registered as one batch: gapless numbers, the audit chain, fresh catalogue data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import audit
from models.deadlines import read_clock
from models.dossiers import Dossier
from models.registry import AuditEntry, ProtocolCounter
from models.services import registration
from models.services.admin import add_rule
from models.services.inbox import ImportStatus
from models.services.registration import register_dossier
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync.outbox import install as install_outbox
from tests.conftest import Clock
from tests.factories import WORKER, register
from tests.inbox_helpers import STEFAN, claim_and_process, make_processor, write_list

ROWS = 23


@pytest.fixture(autouse=True)
def gc_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short list counts as long enough to pause the cycle collector."""
    monkeypatch.setattr(registration, "GC_PAUSE_FROM", 5)


def _rows(count: int, **changes: str) -> list[dict[str, str]]:
    return [
        {
            **STEFAN,
            "codice_domanda": f"LISTA-{n:04d}",
            "cognome": f"Popescu{n}",
            "passaporto": f"YA{n:07d}",
            **changes,
        }
        for n in range(count)
    ]


def _numbers_by_code(db: Database) -> dict[str, int | None]:
    with db.sessions() as session:
        rows = session.execute(select(Dossier.application_code, Dossier.protocol_number))
        return {code or "": number for code, number in rows}


def _counter(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.max(ProtocolCounter.last_number))) or 0)


def test_a_list_gets_consecutive_protocol_numbers_in_its_order(
    db: Database, tmp_path: Path
) -> None:
    assert register(db).reference == "LO-SUI/2026/0000001"
    outcome = claim_and_process(
        make_processor(db, tmp_path), write_list(tmp_path, "elenco.csv", _rows(ROWS))
    )
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    assert outcome.created == ROWS
    numbers = _numbers_by_code(db)
    assert [numbers[f"LISTA-{n:04d}"] for n in range(ROWS)] == list(range(2, ROWS + 2))
    assert _counter(db) == ROWS + 1
    assert register(db).reference == f"LO-SUI/2026/{ROWS + 2:07d}"  # no gap after the list


def test_a_bad_row_anywhere_gives_every_number_back(db: Database, tmp_path: Path) -> None:
    register(db)
    rows = _rows(ROWS)
    rows[ROWS - 2] = {**rows[ROWS - 2], "cittadinanza": "XYZ"}  # in the last chunk
    outcome = claim_and_process(
        make_processor(db, tmp_path), write_list(tmp_path, "elenco.csv", rows)
    )
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.rejected == 1 and outcome.problems[0].startswith(f"riga {ROWS}, colonna 9")
    assert set(_numbers_by_code(db)) == {""}  # only the clerk's dossier
    assert _counter(db) == 1
    assert register(db).reference == "LO-SUI/2026/0000002"


def test_the_audit_chain_verifies_after_a_list(db: Database, tmp_path: Path) -> None:
    register(db)
    claim_and_process(make_processor(db, tmp_path), write_list(tmp_path, "a.csv", _rows(ROWS)))
    register(db)  # a clerk's entry chained after the list's segments
    with db.sessions() as session:
        check = audit.verify(session)
        inserted = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.table_name == "dossiers", AuditEntry.action == "insert")
        )
        events = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.table_name == "dossier_events", AuditEntry.action == "insert")
        )
    assert check.ok, check.problems
    assert (inserted, events) == (ROWS + 2, ROWS + 2)


def test_a_rules_change_is_seen_by_the_next_list(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    row = {"tipo_pratica": "RICONGIUNGIMENTO"}
    claim_and_process(processor, write_list(tmp_path, "a.csv", _rows(1, **row)))
    with db.unit_of_work("admin", write=True) as uow:
        add_rule(uow, "RICONGIUNGIMENTO", date(2026, 8, 1), 30)
        uow.commit()
    later = [{**r, "codice_domanda": f"DOPO-{n}"} for n, r in enumerate(_rows(2, **row))]
    outcome = claim_and_process(processor, write_list(tmp_path, "b.csv", later))
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    with db.sessions() as session:
        deadlines = {
            d.application_code: (d.deadline, d.filed_on) for d in session.scalars(select(Dossier))
        }
    assert deadlines["DOPO-0"][0] == date(2026, 10, 1)  # 30 days from 1 September
    # the first list's dossier was recomputed by the rule change, too
    assert deadlines["LISTA-0000"][0] == date(2026, 10, 1)


def test_a_rule_added_in_the_same_unit_of_work_is_used_at_once(db: Database) -> None:
    values = {**WORKER, "filed_on": "2026-09-01"}
    with db.unit_of_work("admin", write=True) as uow:
        before = register_dossier(uow, "RICONGIUNGIMENTO", values)  # remembers the rules
        add_rule(uow, "RICONGIUNGIMENTO", date(2026, 9, 1), 45)
        after = register_dossier(uow, "RICONGIUNGIMENTO", values)
        uow.commit()
    with db.sessions() as session:
        first, second = (session.get(Dossier, r.dossier_id) for r in (before, after))
        assert first is not None and second is not None
        assert second.deadline == read_clock(session, second, date(2026, 11, 23)).deadline
        assert second.deadline == date(2026, 10, 16)  # 45 days, not the seeded 90
        assert first.deadline == second.deadline  # recomputed by add_rule


def test_on_a_replica_a_list_waits_for_the_server_s_numbers(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    replica = Database(db.engine, clock, role="replica", outbox=install_outbox)
    with db.sessions() as session:
        audited_before = session.scalar(select(func.count()).select_from(AuditEntry))
    outcome = claim_and_process(
        make_processor(replica, tmp_path), write_list(tmp_path, "elenco.csv", _rows(ROWS))
    )
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    assert set(_numbers_by_code(db).values()) == {None}
    with db.sessions() as session:
        queued = session.execute(
            select(
                OutboxEntry.table_name,
                func.count(),
                func.count(func.distinct(OutboxEntry.mutation_id)),
            )
            .where(OutboxEntry.action == "insert")
            .group_by(OutboxEntry.table_name)
        ).all()
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
        assert session.scalar(select(func.count()).select_from(ProtocolCounter)) == 0
    counts = {table: (n, mutations) for table, n, mutations in queued}
    assert counts["dossiers"] == (ROWS, 1) and counts["dossier_events"] == (ROWS, 1)
    assert audited == audited_before  # the server writes the audit when they are pushed


def test_codes_with_quotes_percent_signs_and_backslashes_are_found_again(
    db: Database, tmp_path: Path
) -> None:
    processor = make_processor(db, tmp_path)
    odd = ["O'BRIEN-1", "50%-OFF", "A\\B", "X') OR ('1'='1", "%(codes)s"]
    rows = [{**r, "codice_domanda": code} for r, code in zip(_rows(len(odd)), odd, strict=True)]
    first = claim_and_process(processor, write_list(tmp_path, "a.csv", rows))
    assert first.status is ImportStatus.IMPORTED, first.problems
    again = claim_and_process(processor, write_list(tmp_path, "a.csv", rows))
    assert (again.created, again.unchanged) == (0, len(odd))
    assert set(_numbers_by_code(db)) == {code.upper() for code in odd}
