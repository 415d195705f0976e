"""The server's clock (``compute_clock`` in sync/server/sql/functions.sql) against the
workstation's (models/clock.py, fed from the same rows), on random histories.

Each history is written straight into a real server database, as its superuser with the
triggers off (the histories are random, not moves the workflow allows: the function must
count whatever rows it finds as the workstation would), and the two readings must agree
on deadline, suspended days and state of the clock, on the server's own today.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from models.deadlines import read_clock
from models.dossiers import Dossier
from tests.law_oracle import LawRule
from tests.server_support import Server, raise_flag_as, register_as
from tests.test_clock_oracle import rules
from tests.test_server_facts import event, in_istruttoria, refused_transaction, transaction
from tests.test_server_security import one

pytestmark = pytest.mark.postgres
EXAMPLES = int(os.environ.get("RACCORDO_CLOCK_EXAMPLES", "300"))

# The skeleton workflow's states (NO_LAVORO): their clock effects are the server's rows.
STATES = [
    "in_istruttoria",
    "parere_richiesto",
    "integrazione_richiesta",
    "preavviso_rigetto",
    "convocata",
    "definita_positiva",
    "rigettata",
]


@st.composite
def histories(draw: st.DrawFn, today: date) -> dict[str, Any]:
    """Filing, states entered, pending items and observations around the server's today."""
    filed = today - timedelta(days=draw(st.integers(0, 3000)))
    day = filed
    states = [(filed, "presentata")]
    for _ in range(draw(st.integers(0, 6))):
        day += timedelta(days=draw(st.integers(0, 80)))
        states.append((day, draw(st.sampled_from(STATES))))
    items = []
    for _ in range(draw(st.integers(0, 3))):
        start = filed + timedelta(days=draw(st.integers(0, 250)))
        length = draw(st.one_of(st.none(), st.integers(0, 90)))
        end = None if length is None else start + timedelta(days=length)
        items.append((start, end, draw(st.booleans())))
    observations = [
        filed + timedelta(days=draw(st.integers(0, 400))) for _ in range(draw(st.integers(0, 2)))
    ]
    quota = draw(st.one_of(st.none(), st.integers(0, 150)))
    return {
        "filed": filed,
        "states": states,
        "items": items,
        "observations": observations,
        "quota": None if quota is None else filed + timedelta(days=quota),
        "patron": draw(st.sampled_from([None, None, "06-13", "12-07"])),
    }


COPY = (
    "INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table},"
    " to_jsonb(t) || %s::jsonb)).* FROM {table} t WHERE t.id = %s"
)


class Bench:
    """One dossier rewritten for each history, with the triggers off."""

    def __init__(self, server: Server) -> None:
        self.server = server
        template = register_as(server, "rossi")
        raise_flag_as(server, "rossi", template)
        self.subject = register_as(server, "rossi")
        self.connection = server.admin()
        self.connection.execute("SET session_replication_role = replica")
        self.event = self._one("SELECT id FROM dossier_events WHERE dossier_id = %s", template)
        self.flag = self._one("SELECT id FROM flags WHERE dossier_id = %s", template)
        self.rule = self._one(
            "SELECT r.id FROM term_rules r JOIN dossiers d"
            " ON d.procedure_type_id = r.procedure_type_id WHERE d.id = %s"
            " AND r.deleted_at IS NULL ORDER BY r.valid_from DESC LIMIT 1",
            template,
        )
        self.type_id: Any = self._one(
            "SELECT procedure_type_id FROM dossiers WHERE id = %s", self.subject
        )
        self.office: Any = self._one(
            "SELECT protocol_office_id FROM dossiers WHERE id = %s", self.subject
        )
        self.connection.execute(
            "UPDATE term_rules SET deleted_at = now() WHERE procedure_type_id = %s AND id <> %s",
            (self.type_id, self.rule),
        )
        self.today = self._one("SELECT (now() AT TIME ZONE 'Europe/Rome')::date")
        self.connection.commit()

    def _one(self, query: str, *params: Any) -> Any:
        row = self.connection.execute(query, params).fetchone()
        return None if row is None else row[0]

    def write(self, history: dict[str, Any], rule: LawRule) -> None:
        self.connection.rollback()
        run = self.connection.execute
        run("DELETE FROM dossier_events WHERE dossier_id = %s", (self.subject,))
        run("DELETE FROM flags WHERE dossier_id = %s", (self.subject,))
        run(
            "UPDATE term_rules SET valid_from = DATE '2000-01-01', valid_to = NULL, term = %s,"
            " unit = %s, start = %s, saturday_working = %s, suspension_max_days = %s,"
            " suspension_max_count = %s, preavviso_effect = %s, preavviso_reply_days = %s,"
            " preavviso_restart_days = %s WHERE id = %s",
            (
                rule.term,
                rule.unit,
                "quota_assignment" if rule.from_quota else "filing",
                rule.saturday_working,
                rule.max_days,
                rule.max_count,
                rule.preavviso,
                rule.reply_days,
                rule.restart_days,
                self.rule,
            ),
        )
        run(
            "UPDATE dossiers SET filed_on = %s, quota_assigned_on = %s WHERE id = %s",
            (history["filed"], history["quota"], self.subject),
        )
        run("UPDATE offices SET patron_day = %s WHERE id = %s", (history["patron"], self.office))
        events = [
            ("registered" if seq == 0 else "transition", previous_state, state, on)
            for seq, ((on, state), previous_state) in enumerate(
                zip(history["states"], [None] + [s for _, s in history["states"]], strict=False)
            )
        ]
        events += [("observations", None, None, on) for on in history["observations"]]
        for seq, (kind, from_state, to_state, on) in enumerate(events):
            fields = {
                "id": _uuid(run),
                "dossier_id": self.subject,
                "seq": seq,
                "kind": kind,
                "from_state": from_state,
                "to_state": to_state,
                "effective_on": on.isoformat(),
            }
            run(COPY.format(table="dossier_events"), (json.dumps(fields), self.event))
        for number, (start, end, suspends) in enumerate(history["items"], 900_000):
            fields = {
                "id": _uuid(run),
                "number": number,
                "dossier_id": self.subject,
                "suspends": suspends,
                "raised_on": start.isoformat(),
                "resolved_on": None if end is None else end.isoformat(),
            }
            run(COPY.format(table="flags"), (json.dumps(fields), self.flag))
        self.connection.commit()

    def server_reading(self) -> tuple[Any, ...]:
        row = self.connection.execute(
            f"SELECT deadline, suspended_days, clock_state"
            f" FROM {self.server.roles.schema}.compute_clock(%s)",
            (self.subject,),
        ).fetchone()
        self.connection.commit()
        assert row is not None
        return tuple(row)

    def workstation_reading(self) -> tuple[Any, ...]:
        with Session(self.server.engine) as session:
            dossier = session.get(Dossier, self.subject)
            assert dossier is not None
            reading = read_clock(session, dossier, self.today)
        return (reading.deadline, reading.suspended_days, reading.status.value)


def _uuid(run: Any) -> str:
    row = run("SELECT gen_random_uuid()::text").fetchone()
    return str(row[0])


@pytest.fixture
def bench(server: Server) -> Iterator[Bench]:
    instance = Bench(server)
    try:
        yield instance
    finally:
        instance.connection.close()


def test_the_server_counts_every_history_as_the_workstation(bench: Bench) -> None:
    checked: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(history=histories(bench.today), rule=rules())
    def same_reading(history: dict[str, Any], rule: LawRule) -> None:
        bench.write(history, rule)
        assert bench.server_reading() == bench.workstation_reading(), (history, rule)
        checked.append(1)

    same_reading()
    assert len(checked) >= EXAMPLES


def test_without_a_rule_in_force_the_server_has_no_reading(server: Server) -> None:
    """No term rule for the filing date: NULLs, where the workstation refuses to count."""
    dossier = register_as(server, "rossi")
    with server.admin() as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute(
            "UPDATE term_rules SET deleted_at = now() WHERE procedure_type_id ="
            " (SELECT procedure_type_id FROM dossiers WHERE id = %s)",
            (dossier,),
        )
        row = connection.execute(
            f"SELECT * FROM {server.roles.schema}.compute_clock(%s)", (dossier,)
        ).fetchone()
        connection.rollback()
    assert row == (None, None, None)


# -- a forged clock -------------------------------------------------------------------

CLOCK_COLUMNS = "deadline, suspended_days, clock_state"
CLOCK = f"SELECT ROW({CLOCK_COLUMNS})::text FROM dossiers WHERE id = %s"
FORGED = "UPDATE dossiers SET deadline = DATE '2099-01-01' WHERE id = %s"


@pytest.mark.parametrize("who", ["bianchi", "rossi"])
def test_a_deadline_forged_beside_a_history_line_is_refused(server: Server, who: str) -> None:
    """The other office (the Questura) and the lead office alike: a 'printed' line in the
    history lets the clock's columns change, but only to what the history gives."""
    dossier = in_istruttoria(server)
    before = one(server, "rossi", CLOCK, dossier)
    printed = event(dossier, "printed", (None, None), date(2026, 9, 3))
    message = refused_transaction(server, who, printed, (FORGED, (dossier,)))
    assert "scadenza e stato del termine si ricavano dalla cronologia" in message
    assert one(server, "rossi", CLOCK, dossier) == before
    forged_state = ("UPDATE dossiers SET clock_state = 'suspended' WHERE id = %s", (dossier,))
    assert "si ricavano dalla cronologia" in refused_transaction(server, who, printed, forged_state)


def test_the_clock_written_with_its_history_is_what_the_server_computes(server: Server) -> None:
    """The honest case: a line in the history and the dossier's clock as it stands."""
    dossier = in_istruttoria(server)
    computed = one(
        server,
        "rossi",
        f"SELECT ROW(c.*)::text FROM {server.roles.schema}.compute_clock(%s) c",
        dossier,
    )
    assert one(server, "rossi", CLOCK, dossier) == computed
    printed = event(dossier, "printed", (None, None), date(2026, 9, 3))
    touch = ("UPDATE dossiers SET deadline = deadline WHERE id = %s", (dossier,))
    transaction(server, "rossi", printed, touch)


def test_a_declared_day_of_computation_is_bounded_by_the_facts_and_the_server_today(
    server: Server,
) -> None:
    """The push declares the day it computed the clock on; a day before the dossier's
    latest fact or after the server's tomorrow is refused, and on a day allowed the
    clock must still be that day's."""
    dossier = in_istruttoria(server)
    printed = event(dossier, "printed", (None, None), date(2026, 9, 3))
    touch = ("UPDATE dossiers SET deadline = deadline WHERE id = %s", (dossier,))

    def declared(day: str) -> tuple[str, tuple[Any, ...]]:
        return "SELECT set_config('raccordo.clock_today', %s, true)", (day,)

    assert "giorno di calcolo del termine non ammesso" in refused_transaction(
        server, "rossi", declared("2099-01-01"), printed, touch
    )
    assert "giorno di calcolo del termine non ammesso" in refused_transaction(
        server, "rossi", declared("2026-09-01"), printed, touch
    )
    assert "si ricavano dalla cronologia" in refused_transaction(
        server, "rossi", declared("2026-11-23"), printed, (FORGED, (dossier,))
    )
