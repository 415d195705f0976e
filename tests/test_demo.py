"""The demo generator: deterministic, valid, and consistent with the service layer."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session, selectinload
from stdnum.it import codicefiscale, iva

from desktop.config import resolve
from desktop.demo import generate
from desktop.wiring import open_database
from models import audit
from models.deadlines import read_clock, refresh_derived
from models.dossier_fields import FIELD_NAMES
from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.enums import PARERE_RICHIESTO, EventKind, TermStart
from models.offices import Office, Staff
from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition
from models.registry import ProtocolCounter
from models.services.registration import register_dossier, search_key
from models.uow import Database
from models.validation import check_dossier, clean_fields
from tests.conftest import TODAY, Clock

COUNT = 3000
SEED = 7
TIMESTAMPS = {"created_at", "updated_at", "entered_at"}


def _open(home: Path) -> Database:
    return open_database(resolve(home=str(home)), today=lambda: TODAY)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _open(tmp_path_factory.mktemp("demo"))
    assert generate(database, COUNT, SEED) == COUNT
    yield database
    database.engine.dispose()


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    with demo_db.sessions() as session:
        yield session
        session.rollback()


def _natural_keys(session: Session) -> dict[Any, str]:
    """Ids made by the seed data (random per database) replaced by their codes."""
    keys: dict[Any, str] = {}
    for model, attribute in ((Office, "code"), (Staff, "username"), (ProcedureType, "code")):
        for row_id, name in session.execute(select(model.id, getattr(model, attribute))):
            keys[row_id] = name
    return keys


def _digest(database: Database) -> str:
    digest = hashlib.sha256()
    with database.sessions() as session:
        keys = _natural_keys(session)
        for model in (Dossier, DossierEvent, Parere, Flag):
            table: Table = model.__table__  # type: ignore[assignment]
            columns = [c for c in table.columns if c.name not in TIMESTAMPS]
            for row in session.execute(select(*columns).order_by(table.c.id)):
                values = [keys.get(value, value) for value in row]
                digest.update(json.dumps(values, default=str).encode())
    return digest.hexdigest()


def _fresh(tmp_path: Path, name: str, count: int, seed: int) -> Database:
    database = _open(tmp_path / name)
    generate(database, count, seed)
    return database


# ---------------------------------------------------------------------------------------
# Determinism.


def test_same_seed_gives_the_same_content(tmp_path: Path) -> None:
    first = _fresh(tmp_path, "a", 400, 3)
    second = _fresh(tmp_path, "b", 400, 3)
    other = _fresh(tmp_path, "c", 400, 4)
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)


def test_child_process_builds_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_process = _fresh(tmp_path, "a", 300, 5)
    monkeypatch.setattr("desktop.demo.writer.PARALLEL_FROM", 1)
    in_child = _fresh(tmp_path, "b", 300, 5)
    assert _digest(in_process) == _digest(in_child)


def test_progress_is_reported_per_batch(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate(_open(tmp_path), 120, 1, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (120, 120)


# ---------------------------------------------------------------------------------------
# Valid data.


def test_every_codice_fiscale_and_partita_iva_is_valid(session: Session) -> None:
    rows = session.execute(
        select(Dossier.fiscal_code, Dossier.birth_date, Dossier.sex, Dossier.employer_fiscal_code)
    ).all()
    personal = [(r.fiscal_code, r.birth_date, r.sex) for r in rows if r.fiscal_code]
    assert 0 < len(personal) < len(rows)  # new workers abroad have none yet
    for code, birth, sex in personal:
        assert codicefiscale.is_valid(code), code
        assert codicefiscale.get_birth_date(code) == birth, code
        assert codicefiscale.get_gender(code) == sex, code
        assert code[11] == "Z", code  # born abroad: a country code
    employers = [r.employer_fiscal_code for r in rows if r.employer_fiscal_code]
    assert any(len(code) == 11 for code in employers)
    for code in employers:
        assert iva.is_valid(code) if len(code) == 11 else codicefiscale.is_valid(code), code


def test_every_dossier_passes_the_registration_checks(session: Session) -> None:
    dossiers = session.scalars(select(Dossier).options(selectinload(Dossier.procedure_type)))
    for dossier in dossiers:
        raw = {name: getattr(dossier, name) for name in FIELD_NAMES}
        text = {k: v.isoformat() if isinstance(v, date) else v for k, v in raw.items()}
        values, errors = clean_fields(text)
        assert not errors, (dossier.protocol, errors)
        assert {k: v for k, v in values.items() if v not in (None, "")} == {
            k: v for k, v in raw.items() if v not in (None, "")
        }
        required = tuple(f for f in dossier.procedure_type.required_fields.split(",") if f)
        check_dossier(values, required, TODAY)


def test_people_come_from_the_local_communities(session: Session) -> None:
    counts = dict(
        session.execute(
            select(Dossier.nationality, func.count()).group_by(Dossier.nationality)
        ).all()
    )
    assert {"ROU", "ALB", "MAR", "IND", "CHN", "UKR", "EGY", "PAK", "SEN"} <= set(counts)
    names = set(session.scalars(select(Dossier.surname))) | set(
        session.scalars(select(Dossier.given_names))
    )
    assert any(not name.isascii() for name in names)  # Ș, Ț, Ł, ç, ễ… as on passports
    eu_types = set(
        session.scalars(
            select(ProcedureType.code).join(Dossier).where(Dossier.nationality.in_(("ROU", "POL")))
        )
    )
    assert eu_types <= {"CITTADINANZA"}  # EU citizens need no permit


def test_work_types_are_the_most_common_and_restricted_ones_rare(session: Session) -> None:
    counts = dict(
        session.execute(
            select(ProcedureType.code, func.count()).join(Dossier).group_by(ProcedureType.code)
        ).all()
    )
    assert set(counts) == set(session.scalars(select(ProcedureType.code)))
    top_two = sorted(counts, key=counts.__getitem__, reverse=True)[:2]
    assert set(top_two) == {"NO_LAVORO", "NO_STAGIONALE"}
    assert counts["ART18"] + counts["ART18TER"] < COUNT * 0.02


def test_restricted_types_are_marked_restricted(session: Session) -> None:
    pairs = session.execute(
        select(Dossier.restricted, ProcedureType.restricted).join(ProcedureType)
    ).all()
    assert all(dossier == kind for dossier, kind in pairs)
    assert any(dossier for dossier, _ in pairs)


def test_application_codes_are_unique_and_present_for_work_types(session: Session) -> None:
    codes = list(
        session.scalars(
            select(Dossier.application_code)
            .join(ProcedureType)
            .where(ProcedureType.code.in_(("NO_LAVORO", "NO_STAGIONALE")))
        )
    )
    present = [code for code in codes if code]
    assert len(present) > 0.9 * len(codes)
    assert len(set(present)) == len(present)


def test_employers_for_types_that_require_them(session: Session) -> None:
    rows = session.execute(
        select(
            ProcedureType.required_fields,
            Dossier.employer_name,
            Dossier.employer_pec,
            Dossier.employer_fiscal_code,
        ).join(ProcedureType)
    ).all()
    for required, name, pec, code in rows:
        if "employer_name" in required.split(","):
            assert name and code
            assert pec == "" or "@" in pec
    assert any(pec for *_, pec, _ in rows)


# ---------------------------------------------------------------------------------------
# Protocol register.


def _numbers(session: Session) -> dict[Any, list[Any]]:
    numbers: dict[Any, list[Any]] = defaultdict(list)
    for office, year, number in session.execute(
        select(Dossier.protocol_office_id, Dossier.protocol_year, Dossier.protocol_number)
    ):
        numbers[(office, year)].append(number)
    return numbers


def _assert_gapless(session: Session) -> None:
    counters = {
        (c.office_id, c.year): c.last_number for c in session.scalars(select(ProtocolCounter))
    }
    for key, numbers in _numbers(session).items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert counters[key] == len(numbers), key


def test_protocols_are_gapless_per_office_and_year(session: Session) -> None:
    rows = session.execute(
        select(
            Dossier.protocol_year,
            Dossier.filed_on,
            Office.code,
            ProcedureType.lead_office,
            Office.kind,
        )
        .join(Office, Dossier.protocol_office_id == Office.id)
        .join(ProcedureType)
    ).all()
    for year, filed_on, _code, lead, kind in rows:
        assert year == filed_on.year
        assert lead == kind
    _assert_gapless(session)


def test_a_registration_after_the_demo_continues_the_sequence(tmp_path: Path) -> None:
    database = _fresh(tmp_path, "r", 300, 2)
    with database.sessions() as session:
        office = session.scalars(select(Office).where(Office.code == "LO-SUI")).one()
        last = session.scalar(
            select(ProtocolCounter.last_number).where(
                ProtocolCounter.office_id == office.id, ProtocolCounter.year == TODAY.year
            )
        )
    assert last
    with database.unit_of_work("rossi", write=True) as uow:
        registered = register_dossier(
            uow,
            "NO_LAVORO",
            {
                "surname": "Kovalenko",
                "given_names": "Oleksandr",
                "birth_date": "1991-05-02",
                "nationality": "UKR",
                "employer_name": "Adda Logistica S.r.l.",
                "filed_on": TODAY.isoformat(),
            },
        )
        uow.commit()
    assert registered.reference == f"LO-SUI/{TODAY.year}/{last + 1:07d}"


def test_demo_runs_append_and_keep_codes_unique(tmp_path: Path) -> None:
    database = _open(tmp_path)
    for seed in (1, 2, 1):  # a seed used again gives new people, not a clash
        assert generate(database, 250, seed) == 250
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 750
        codes = [c for c in session.scalars(select(Dossier.application_code)) if c]
        assert len(codes) == len(set(codes))
        _assert_gapless(session)
        assert audit.verify(session).ok


# ---------------------------------------------------------------------------------------
# Histories and derived columns.


Moves = dict[tuple[Any, ...], Any]  # (type id, from, to) -> a column of the transition


def _workflows(
    session: Session,
) -> tuple[Moves, dict[uuid.UUID, str], set[tuple[uuid.UUID, str]]]:
    moves: Moves = {
        (t.procedure_type_id, t.from_state, t.to_state): t.via_parere
        for t in session.scalars(select(WorkflowTransition))
    }
    states = session.scalars(select(WorkflowState).order_by(WorkflowState.position)).all()
    initial: dict[uuid.UUID, str] = {}
    for state in states:
        initial.setdefault(state.procedure_type_id, state.code)
    finals = {(s.procedure_type_id, s.code) for s in states if s.is_final}
    return moves, initial, finals


def test_histories_follow_the_workflow_tables(session: Session) -> None:
    moves, initial, finals = _workflows(session)
    dossiers = session.scalars(
        select(Dossier).options(selectinload(Dossier.events), selectinload(Dossier.pareri))
    )
    for dossier in dossiers:
        type_id, events = dossier.procedure_type_id, sorted(dossier.events, key=lambda e: e.seq)
        assert [e.seq for e in events] == list(range(len(events)))
        assert [e.effective_on for e in events] == sorted(e.effective_on for e in events)
        assert dossier.version == len(events)
        first, *rest = [e for e in events if e.to_state is not None]
        assert first.kind == EventKind.REGISTERED.value and first.effective_on == dossier.filed_on
        assert first.to_state == initial[type_id]
        state: str | None = first.to_state
        for event in rest:
            assert (type_id, state) not in finals, dossier.protocol  # nothing after the end
            assert event.from_state == state
            via_parere = moves[(type_id, event.from_state, event.to_state)]
            assert via_parere == (event.kind == EventKind.PARERE_GIVEN.value)
            state = event.to_state
        assert state == dossier.state
        requested = sum(1 for e in rest if e.to_state == PARERE_RICHIESTO)
        given = sum(1 for e in rest if e.kind == EventKind.PARERE_GIVEN.value)
        assert len(dossier.pareri) == requested
        assert sum(1 for p in dossier.pareri if p.given_on) == given


def test_actors_act_for_the_office_that_may_make_the_move(session: Session) -> None:
    kinds: dict[Any, str] = dict(session.execute(select(Staff.id, Office.kind).join(Office)).all())
    access: dict[Any, bool] = dict(session.execute(select(Staff.id, Staff.restricted_access)).all())
    moves: Moves = {
        (t.procedure_type_id, t.from_state, t.to_state): t.actor_office
        for t in session.scalars(select(WorkflowTransition))
    }
    rows = session.execute(
        select(
            Dossier.procedure_type_id,
            Dossier.restricted,
            DossierEvent.from_state,
            DossierEvent.to_state,
            DossierEvent.actor_id,
            DossierEvent.kind,
        ).join(DossierEvent)
    ).all()
    for type_id, restricted, from_state, to_state, actor, kind in rows:
        if restricted:
            assert access[actor]
        if kind in (EventKind.TRANSITION.value, EventKind.PARERE_GIVEN.value):
            assert kinds[actor] == moves[(type_id, from_state, to_state)]


def test_no_date_lies_in_the_future(session: Session) -> None:
    for column in (
        Dossier.filed_on,
        Dossier.closed_on,
        Dossier.quota_assigned_on,
        DossierEvent.effective_on,
        Parere.requested_on,
        Parere.given_on,
        Flag.raised_on,
        Flag.resolved_on,
    ):
        latest = session.scalar(select(func.max(column)))
        assert latest is None or latest <= TODAY, column
    earliest = session.scalar(select(func.min(Dossier.filed_on)))
    assert earliest is not None and (TODAY - earliest).days <= 3 * 366
    entered = session.scalar(select(func.max(DossierEvent.entered_at)))
    assert entered is not None and entered.replace(tzinfo=UTC) <= datetime.now(UTC)


def test_quota_assignment_is_recorded_where_the_rule_counts_from_it(session: Session) -> None:
    rules = session.scalars(
        select(TermRule).where(TermRule.start == TermStart.QUOTA_ASSIGNMENT.value)
    ).all()
    assert rules
    for rule in rules:
        rows = session.execute(
            select(Dossier.filed_on, Dossier.quota_assigned_on).where(
                Dossier.procedure_type_id == rule.procedure_type_id,
                Dossier.filed_on >= rule.valid_from,
            )
        ).all()
        assert rows
        for filed_on, quota in rows:
            assert quota is not None and filed_on <= quota <= TODAY


def test_histories_are_varied(session: Session) -> None:
    states = dict(
        session.execute(select(Dossier.state, func.count()).group_by(Dossier.state)).all()
    )
    assert states["definita_positiva"] > COUNT * 0.3
    assert {"rigettata", "archiviata", "in_istruttoria", "parere_richiesto"} <= set(states)
    clocks = dict(
        session.execute(
            select(Dossier.clock_state, func.count()).group_by(Dossier.clock_state)
        ).all()
    )
    assert set(clocks) == {"runs", "suspended", "stopped"}
    overdue = session.scalar(
        select(func.count()).where(Dossier.clock_state == "runs", Dossier.deadline < TODAY)
    )
    assert overdue and overdue < COUNT * 0.1
    late_pareri = session.scalar(
        select(func.count()).where(
            Parere.given_on.is_not(None),
            func.julianday(Parere.given_on) - func.julianday(Parere.requested_on) > 30,
        )
    )
    assert late_pareri
    flags = session.execute(select(Flag.resolved_on, Flag.suspends)).all()
    assert any(r is None for r, _ in flags) and any(r for r, _ in flags)
    assert any(s for _, s in flags)


def _sample(session: Session, size: int) -> list[Dossier]:
    ids = list(session.scalars(select(Dossier.id).order_by(Dossier.id)))
    chosen = set(random.Random(11).sample(ids, size))
    chosen |= set(session.scalars(select(Dossier.id).where(Dossier.open_flags > 0)))
    chosen |= set(session.scalars(select(Dossier.id).where(Dossier.suspended_days > 0).limit(50)))
    return list(
        session.scalars(
            select(Dossier)
            .where(Dossier.id.in_(chosen))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        )
    )


def test_derived_columns_equal_a_fresh_computation(session: Session) -> None:
    sample = _sample(session, 400)
    assert {d.clock_state for d in sample} == {"runs", "suspended", "stopped"}
    for dossier in sample:
        stored = (
            dossier.deadline,
            dossier.clock_state,
            dossier.suspended_days,
            dossier.closed_on,
            dossier.holder,
            dossier.holder_office_id,
            dossier.open_flags,
            dossier.search_key,
        )
        reading = read_clock(session, dossier, TODAY)
        assert (
            reading.deadline,
            reading.status.value,
            reading.suspended_days,
            reading.closed_on,
        ) == stored[:4], dossier.protocol
        refresh_derived(session, dossier, TODAY)
        fresh = (
            dossier.deadline,
            dossier.clock_state,
            dossier.suspended_days,
            dossier.closed_on,
            dossier.holder,
            dossier.holder_office_id,
            dossier.open_flags,
            search_key(dossier),
        )
        assert fresh == stored, dossier.protocol
    session.rollback()


def test_audit_log_stays_valid_with_one_summary_entry(session: Session) -> None:
    check = audit.verify(session)
    assert check.ok, check.problems
    from models.registry import AuditEntry

    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.actor == "demo", AuditEntry.table_name == "dossiers")
    ).all()
    assert len(entries) == 1
    changes = json.loads(entries[0].changes)
    assert changes["count"] == [None, COUNT] and changes["seed"] == [None, SEED]


def test_demo_staff_exists_with_their_roles(session: Session) -> None:
    staff = {s.username: s for s in session.scalars(select(Staff))}
    assert staff["rossi"].role == "sui_clerk" and staff["rossi"].office.code == "LO-SUI"
    assert staff["bianchi"].role == "questura_officer"
    assert staff["verdi"].restricted_access and staff["neri"].restricted_access
    assert staff["rossi"].full_name == "Giulia Rossi"


# ---------------------------------------------------------------------------------------
# Both backends (PostgreSQL takes the rows through COPY).


def test_demo_on_each_backend(engine: Engine, clock: Clock) -> None:
    database = Database(engine, clock)
    assert generate(database, 300, 9) == 300
    with database.sessions() as session:
        assert audit.verify(session).ok
        _assert_gapless(session)
        for dossier in _sample(session, 40):
            stored = (
                dossier.deadline,
                dossier.clock_state,
                dossier.suspended_days,
                dossier.closed_on,
                dossier.search_key,
            )
            refresh_derived(session, dossier, TODAY)
            assert stored == (
                dossier.deadline,
                dossier.clock_state,
                dossier.suspended_days,
                dossier.closed_on,
                search_key(dossier),
            ), dossier.protocol
        session.rollback()
