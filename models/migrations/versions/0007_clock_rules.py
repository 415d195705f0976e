"""The clock's suspension rules as data, and every stored deadline recomputed (issue 12).

``term_rules`` gains how a request for documents (art. 2 c. 7 L. 241/1990: at most
``suspension_max_days``, ``suspension_max_count`` times) and a preavviso di rigetto
(art. 10-bis: ``preavviso_effect`` suspends or interrupts, ``preavviso_reply_days`` for
the observations, the term running again ``preavviso_restart_days`` after them) act on
the term. Existing rules get the law in force since 17 Jul 2020 (DL 76/2020); a rule in
force before that day is split there, its older part interrupting the term.

Then the derived columns of every dossier (deadline, clock_state, suspended_days,
closed_on, held days) are recomputed with the new clock, a batch of dossiers at a time
(no more than ``BATCH`` in memory), reading the rows with plain SQL: the ORM classes
describe the newest schema, which this revision has not reached yet.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.calendar import HolidayCalendar, calendar_for, calendar_from_table
from models.clock import StateChange, Suspension, SuspensionRules, TermSpec, compute_clock
from models.enums import ClockEffect, EventKind, Party, PreavvisoEffect, TermStart, TermUnit

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LOG = logging.getLogger("raccordo.migrations")
BATCH = 2000
REFORM = date(2020, 7, 17)
REFORM_BASIS = "art. 10-bis L. 241/1990 come modificato dal DL 76/2020"
# The same id for the split rule on every database (server and replicas alike).
SPLIT_NAMESPACE = uuid.UUID("6f1c5a52-6b1e-4bd5-9a43-0d2f4d2c7a10")

COLUMNS = (
    ("suspension_max_days", sa.Integer(), "30"),
    ("suspension_max_count", sa.Integer(), "1"),
    ("preavviso_effect", sa.String(16), "suspends"),
    ("preavviso_reply_days", sa.Integer(), "10"),
    ("preavviso_restart_days", sa.Integer(), "10"),
)
DERIVED = (
    "deadline",
    "clock_state",
    "suspended_days",
    "closed_on",
    "held_sui_days",
    "held_questura_days",
    "held_applicant_days",
)


def _table(connection: sa.Connection, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=connection)


def split_id(procedure_type_id: Any) -> uuid.UUID:
    return uuid.uuid5(SPLIT_NAMESPACE, f"{uuid.UUID(str(procedure_type_id))}:{REFORM}")


def _stored(connection: sa.Connection, value: uuid.UUID) -> Any:
    # Reflected, SQLite's UUID column is plain CHAR(32): it takes the hex digits.
    return value.hex if connection.dialect.name == "sqlite" else value


def split_rules_at_reform(connection: sa.Connection) -> int:
    """Rules in force before 17 Jul 2020: the preavviso interrupts; from that day a copy
    of the same term where it suspends. Returns how many rules were split."""
    rules = _table(connection, "term_rules")
    live = rules.c.deleted_at.is_(None)
    connection.execute(
        rules.update()
        .where(live, rules.c.valid_from < REFORM)
        .values(preavviso_effect=PreavvisoEffect.INTERRUPTS.value, preavviso_restart_days=0)
    )
    spanning = connection.execute(
        sa.select(rules).where(
            live,
            rules.c.valid_from < REFORM,
            sa.or_(rules.c.valid_to.is_(None), rules.c.valid_to >= REFORM),
        )
    ).mappings()
    now = datetime.now(UTC)
    copies = []
    for row in list(spanning):
        copy = dict(row)
        copy.update(
            id=_stored(connection, split_id(row["procedure_type_id"])),
            valid_from=REFORM,
            version=1,
            created_at=now,
            updated_at=now,
            preavviso_effect=PreavvisoEffect.SUSPENDS.value,
            preavviso_restart_days=10,
            basis=f"{row['basis']}; {REFORM_BASIS}" if row["basis"] else "",
        )
        if "change_seq" in copy:
            copy["change_seq"] = None
        copies.append(copy)
        connection.execute(
            rules.update()
            .where(rules.c.id == row["id"])
            .values(valid_to=REFORM - timedelta(days=1), version=row["version"] + 1)
        )
    if copies:
        connection.execute(rules.insert(), copies)
    return len(copies)


def _spec(rule: Any) -> TermSpec:
    return TermSpec(
        rule.term,
        TermUnit(rule.unit),
        TermStart(rule.start),
        rule.saturday_working,
        SuspensionRules(
            rule.suspension_max_days,
            rule.suspension_max_count,
            PreavvisoEffect(rule.preavviso_effect),
            rule.preavviso_reply_days,
            rule.preavviso_restart_days,
        ),
    )


class _Catalogue:
    """Rules, workflow states and office calendars: small, read once."""

    def __init__(self, connection: sa.Connection) -> None:
        rules, states, offices, settings = (
            _table(connection, name)
            for name in ("term_rules", "workflow_states", "offices", "settings")
        )
        self.rules: dict[Any, list[Any]] = defaultdict(list)
        for rule in connection.execute(
            sa.select(rules).where(rules.c.deleted_at.is_(None)).order_by(rules.c.valid_from)
        ):
            self.rules[rule.procedure_type_id].append(rule)
        self.states: dict[tuple[Any, str], Any] = {
            (s.procedure_type_id, s.code): s
            for s in connection.execute(sa.select(states).where(states.c.deleted_at.is_(None)))
        }
        saved = {row.key: row.value for row in connection.execute(sa.select(settings))}
        self.calendars: dict[Any, HolidayCalendar] = {}
        for office in connection.execute(sa.select(offices)):
            table = saved.get(f"holidays:{office.province}")
            self.calendars[office.id] = (
                calendar_from_table(office.province, office.patron_day, table)
                if table
                else calendar_for(office.province, office.patron_day)
            )

    def rule_for(self, type_id: Any, filed_on: date) -> Any | None:
        chosen = None
        for rule in self.rules.get(type_id, []):
            if rule.valid_from <= filed_on:
                chosen = rule
        if chosen is None or (chosen.valid_to is not None and filed_on > chosen.valid_to):
            return None
        return chosen


def _derived(
    catalogue: _Catalogue, dossier: Any, events: list[Any], flags: list[Any], today: date
) -> dict[str, Any] | None:
    rule = catalogue.rule_for(dossier.procedure_type_id, dossier.filed_on)
    if rule is None:
        return None
    changes = []
    for event in events:
        state = catalogue.states.get((dossier.procedure_type_id, event.to_state))
        if event.to_state is not None and state is not None:
            changes.append(
                StateChange(
                    event.effective_on,
                    state.code,
                    ClockEffect(state.clock),
                    Party(state.holder),
                    state.is_final,
                )
            )
    reading = compute_clock(
        _spec(rule),
        dossier.filed_on,
        changes,
        [
            Suspension(f.raised_on, f.resolved_on, f"#{f.number}")
            for f in flags
            if f.suspends and f.deleted_at is None
        ],
        catalogue.calendars[dossier.protocol_office_id],
        today,
        dossier.quota_assigned_on,
        [
            e.effective_on
            for e in events
            if e.kind == EventKind.OBSERVATIONS.value and e.deleted_at is None
        ],
    )
    closed = reading.closed_on is not None
    held = reading.held_days
    return {
        "deadline": reading.deadline,
        "clock_state": reading.status.value,
        "suspended_days": reading.suspended_days,
        "closed_on": reading.closed_on,
        "held_sui_days": held[Party.SUI] if closed else 0,
        "held_questura_days": held[Party.QUESTURA] if closed else 0,
        "held_applicant_days": held[Party.APPLICANT] if closed else 0,
    }


def recompute_clocks(connection: sa.Connection, today: date, batch: int = BATCH) -> int:
    """Recompute the derived columns of every dossier; returns how many changed."""
    catalogue = _Catalogue(connection)
    dossiers, events, flags = (
        _table(connection, name) for name in ("dossiers", "dossier_events", "flags")
    )
    columns = [
        dossiers.c.id,
        dossiers.c.procedure_type_id,
        dossiers.c.protocol_office_id,
        dossiers.c.filed_on,
        dossiers.c.quota_assigned_on,
        *(dossiers.c[name] for name in DERIVED),
    ]
    update = (
        dossiers.update()
        .where(dossiers.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(f"new_{name}") for name in DERIVED})
    )
    changed = 0
    last: Any = None
    while True:
        query = sa.select(*columns).order_by(dossiers.c.id).limit(batch)
        if last is not None:
            query = query.where(dossiers.c.id > last)
        rows = connection.execute(query).all()
        if not rows:
            return changed
        last = rows[-1].id
        ids = [row.id for row in rows]
        history: dict[Any, list[Any]] = defaultdict(list)
        for event in connection.execute(
            sa.select(
                events.c.dossier_id,
                events.c.kind,
                events.c.to_state,
                events.c.effective_on,
                events.c.deleted_at,
            )
            .where(events.c.dossier_id.in_(ids))
            .order_by(events.c.dossier_id, events.c.effective_on, events.c.seq)
        ):
            history[event.dossier_id].append(event)
        items: dict[Any, list[Any]] = defaultdict(list)
        for flag in connection.execute(
            sa.select(
                flags.c.dossier_id,
                flags.c.number,
                flags.c.raised_on,
                flags.c.resolved_on,
                flags.c.suspends,
                flags.c.deleted_at,
            ).where(flags.c.dossier_id.in_(ids))
        ):
            items[flag.dossier_id].append(flag)
        updates = []
        for row in rows:
            values = _derived(catalogue, row, history[row.id], items[row.id], today)
            if values is None or all(getattr(row, k) == v for k, v in values.items()):
                continue
            updates.append({"row_id": row.id, **{f"new_{k}": v for k, v in values.items()}})
        if updates:
            connection.execute(update, updates)
            changed += len(updates)


def upgrade() -> None:
    with op.batch_alter_table("term_rules") as batch:
        for name, kind, default in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=default))
    connection = op.get_bind()
    split = split_rules_at_reform(connection)
    changed = recompute_clocks(connection, date.today())
    LOG.info("regole divise al 17/07/2020: %d; scadenze ricalcolate e cambiate: %d", split, changed)


def downgrade() -> None:
    connection = op.get_bind()
    rules = _table(connection, "term_rules")
    copies = connection.execute(
        sa.select(rules.c.id, rules.c.procedure_type_id, rules.c.valid_to).where(
            rules.c.valid_from == REFORM
        )
    ).all()
    for copy in copies:
        if uuid.UUID(str(copy.id)) != split_id(copy.procedure_type_id):
            continue
        connection.execute(rules.delete().where(rules.c.id == copy.id))
        connection.execute(
            rules.update()
            .where(
                rules.c.procedure_type_id == copy.procedure_type_id,
                rules.c.valid_to == REFORM - timedelta(days=1),
            )
            .values(valid_to=copy.valid_to)
        )
    with op.batch_alter_table("term_rules") as batch:
        for name, _kind, _default in reversed(COLUMNS):
            batch.drop_column(name)
