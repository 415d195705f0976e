"""``dossier list``, ``deadlines`` and ``dossier show`` through the driver alone.

The SQL here is that of ``models.services.queries`` and ``models.services.views``
written out; tests/test_read_path.py keeps the two paths' answers identical, for every
role, restricted files included.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from models import clock_feed, forecast_feed
from models.access import is_visible, role_acts_for, visibility_rule
from models.calendar import HolidayCalendar
from models.clock import ClockReading
from models.enums import ClockEffect, OfficeKind, Role
from models.forecast import History
from models.gc_pause import cycle_collection_paused
from models.ids import is_provisionally
from models.read import views
from models.read.connection import Reader, day, flag, moment, uid
from models.read.filters import (
    PENDING_ROWIDS,
    PROTOCOL_DIGITS,
    PROTOCOL_RE,
    PROVISIONAL_RE,
    DossierFilter,
    PartialProtocol,
    fts_phrase,
    indexed_words,
    like_anywhere,
    number_range,
    prefix_upper_bound,
    read_search,
    text_words,
)
from models.read.records import JOINED, PLAIN, DossierRecord
from models.read.refusals import (
    dossier_not_found,
    inactive_user,
    unknown_office,
    unknown_type,
    unknown_user,
)
from models.text import fold
from models.workflow_model import Workflow, build_workflow

RECORD_SQL = (
    "SELECT "
    + ", ".join(f"dossiers.{name}" for name in PLAIN)
    + ", protocol_office.code, dossiers.protocol_year, dossiers.protocol_number,"
    " procedure_types.code, procedure_types.name, holder_office.code"
    " FROM dossiers"
    " JOIN offices AS protocol_office ON dossiers.protocol_office_id = protocol_office.id"
    " JOIN procedure_types ON dossiers.procedure_type_id = procedure_types.id"
    " LEFT OUTER JOIN offices AS holder_office ON dossiers.holder_office_id = holder_office.id"
)
_DATES = frozenset({"filed_on", "closed_on", "deadline", "birth_date"})
_COLUMNS = (*PLAIN, *JOINED)


@dataclass(frozen=True)
class Viewer:
    """The acting user, as far as reading needs: clearance, role and office."""

    id: uuid.UUID
    username: str
    role: Role
    office_kind: OfficeKind
    restricted_access: bool

    def acts_for(self, office: OfficeKind) -> bool:
        return role_acts_for(self.role, self.office_kind, office)


def default_username(reader: Reader, explicit: str | None) -> str:
    """``--user``, else RACCORDO_USER, else the login name (as ``desktop.wiring``)."""
    if explicit:
        return explicit
    if from_env := os.environ.get("RACCORDO_USER"):
        return from_env
    return getpass.getuser().lower()


def load_viewer(reader: Reader, username: str) -> Viewer:
    found = reader.rows(
        "SELECT staff.id, staff.role, offices.kind, staff.restricted_access, staff.active"
        " FROM staff LEFT OUTER JOIN offices ON offices.id = staff.office_id"
        " WHERE staff.username = ?",
        [username],
    )
    if not found:
        names = reader.rows("SELECT username FROM staff ORDER BY username")
        raise unknown_user(username, [name for (name,) in names])
    staff_id, role, kind, restricted_access, active = found[0]
    if not active:
        raise inactive_user(username)
    return Viewer(uid(staff_id), username, Role(role), OfficeKind(kind), flag(restricted_access))


def record(row: Sequence[Any], type_ids: dict[Any, uuid.UUID] | None = None) -> DossierRecord:
    """A record from a row of ``RECORD_SQL``; ``type_ids`` remembers the few type ids."""
    values = dict(zip(_COLUMNS, row, strict=True))
    values["id"] = uid(values["id"])
    known = {} if type_ids is None else type_ids
    type_id = values["procedure_type_id"]
    values["procedure_type_id"] = known.get(type_id) or known.setdefault(type_id, uid(type_id))
    values["restricted"] = flag(values["restricted"])
    for name in _DATES:
        values[name] = day(values[name])
    return DossierRecord.from_values(values)


class DossierReads:
    """The read commands' queries for one viewer, in one read transaction."""

    def __init__(self, reader: Reader, viewer: Viewer, today: date) -> None:
        self.reader = reader
        self.viewer = viewer
        self.today = today
        self._labels: dict[tuple[uuid.UUID, str], str] | None = None
        self._workflows: dict[uuid.UUID, Workflow] = {}

    # -- lists -----------------------------------------------------------------------

    def _visible(self) -> list[str]:
        truth = {None: "NULL", False: "0", True: "1"}
        if self.reader.dialect != "sqlite":
            truth = {None: "NULL", False: "false", True: "true"}
        return [
            f"dossiers.{column} IS {truth[value]}"
            for column, value in visibility_rule(self.viewer.restricted_access)
        ]

    def conditions(self, spec: DossierFilter) -> tuple[list[str], list[Any]]:
        """The WHERE conditions and parameters of the visible dossiers matching ``spec``."""
        conditions = self._visible()
        params: list[Any] = []
        self._filter(spec, conditions, params)
        return conditions, params

    def list_records(self, spec: DossierFilter, limit: int | None = 50) -> list[DossierRecord]:
        conditions, params = self.conditions(spec)
        sql = RECORD_SQL + " WHERE " + " AND ".join(conditions)
        if spec.overdue or spec.due_within is not None:
            sql += " ORDER BY dossiers.deadline, dossiers.filed_on"
        else:
            sql += " ORDER BY dossiers.filed_on DESC, dossiers.protocol_number DESC"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        type_ids: dict[Any, uuid.UUID] = {}
        return [record(row, type_ids) for row in self.reader.rows(sql, params)]

    def deadline_records(self, within: int, office: str | None) -> list[DossierRecord]:
        """Running dossiers overdue or due within ``within`` days, oldest deadline first."""
        return self.list_records(DossierFilter(due_within=within, office=office), limit=None)

    def _filter(self, spec: DossierFilter, conditions: list[str], params: list[Any]) -> None:
        if spec.state:
            conditions.append("dossiers.state = ?")
            params.append(spec.state.lower())
        if spec.type_code:
            conditions.append("dossiers.procedure_type_id = ?")
            params.append(self._type_id(spec.type_code))
        if spec.office:
            conditions.append("dossiers.holder_office_id = ?")
            params.append(self._office_id(spec.office))
        running = f"dossiers.clock_state = '{ClockEffect.RUNS.value}'"
        if spec.overdue:
            conditions += [running, "dossiers.deadline < ?"]
            params.append(self.today)
        if spec.due_within is not None:
            conditions += [running, "dossiers.deadline <= ?"]
            params.append(self.today + timedelta(days=spec.due_within))
        if spec.with_open_flags:
            conditions.append("dossiers.open_flags > 0")
        if spec.open_only:
            conditions.append("dossiers.closed_on IS NULL")
        if spec.assigned_to:
            conditions.append("dossiers.assigned_to_id = (SELECT id FROM staff WHERE username = ?)")
            params.append(spec.assigned_to)
        if spec.search and spec.search.strip():
            self._search(spec.search, conditions, params)

    def _type_id(self, code: str) -> Any:
        found = self.reader.rows(
            "SELECT id, deleted_at FROM procedure_types WHERE code = ?", [code.strip().upper()]
        )
        if not found or found[0][1] is not None:
            active = self.reader.rows(
                "SELECT code FROM procedure_types WHERE active ORDER BY code"
                if self.reader.dialect != "sqlite"
                else "SELECT code FROM procedure_types WHERE active = 1 ORDER BY code"
            )
            raise unknown_type(code, [c for (c,) in active])
        return found[0][0]

    def _office_id(self, code: str) -> Any:
        found = self.reader.rows(
            "SELECT id FROM offices WHERE code = ? OR kind = ?",
            [code.strip().upper(), code.lower()],
        )
        if not found:
            codes = self.reader.rows("SELECT code FROM offices ORDER BY code")
            raise unknown_office(code, [c for (c,) in codes])
        return found[0][0]

    def _search(self, text: str, conditions: list[str], params: list[Any]) -> None:
        search = read_search(text, fold)
        if search.protocol:
            office, year, number = search.protocol
            conditions.append(
                "dossiers.protocol_office_id IN (SELECT id FROM offices WHERE code = ?)"
                " AND dossiers.protocol_year = ? AND dossiers.protocol_number = ?"
            )
            params += [office, year, number]
            return
        if search.partial and self._partial_protocol(search.partial, conditions, params):
            return
        needle = search.needle
        if search.mode == "letter":
            conditions.append("substr(dossiers.search_key, ?, ?) = ?")
            params += [1, 1, needle]
        elif search.mode == "prefix":
            conditions += ["dossiers.search_key >= ?", "dossiers.search_key < ?"]
            params += [needle, prefix_upper_bound(needle)]
        else:
            # Or every word in the text read from one of its documents (an index each).
            if self.reader.dialect == "sqlite":
                match, short = indexed_words(needle)
                indexed = (
                    " AND rowid IN (SELECT rowid FROM document_text_search"
                    " WHERE document_text_search MATCH ?)"
                    if match
                    else ""
                )
                words = [match] if match else []
            else:
                indexed, short, words = "", text_words(needle), []
            in_documents = (
                "dossiers.id IN (SELECT dossier_id FROM documents WHERE deleted_at IS NULL"
                + indexed
                + " AND text LIKE ? ESCAPE '\\'" * len(short)
                + ")"
            )
            if self.reader.dialect == "sqlite":
                conditions.append(
                    "(dossiers.rowid IN (SELECT rowid FROM dossier_search"
                    f" WHERE dossier_search MATCH ? UNION ALL {PENDING_ROWIDS.format(like='?')})"
                    f" OR {in_documents})"
                )
                params += [fts_phrase(needle), like_anywhere(needle)]
            else:
                conditions.append(f"(dossiers.search_key LIKE ? ESCAPE '\\' OR {in_documents})")
                params.append(like_anywhere(needle))
            params += words + short

    def _partial_protocol(
        self, typed: PartialProtocol, conditions: list[str], params: list[Any]
    ) -> bool:
        offices = typed.offices(
            [(i, c) for i, c in self.reader.rows("SELECT id, code FROM offices")]
        )
        if not offices:
            return False
        parts = [f"dossiers.protocol_office_id IN ({', '.join('?' * len(offices))})"]
        values: list[Any] = list(offices)
        if typed.year:
            parts.append("dossiers.protocol_year BETWEEN ? AND ?")
            values += number_range(typed.year, 4)
        if typed.number:
            parts.append("dossiers.protocol_number BETWEEN ? AND ?")
            values += number_range(typed.number, PROTOCOL_DIGITS)
        if typed.broad and self.reader.dialect == "sqlite":
            # As in models.services.queries: most dossiers match; tell SQLite so.
            parts = [f"likelihood({part}, 0.9)" for part in parts]
        conditions += parts
        params += values
        return True

    # -- summaries -------------------------------------------------------------------

    def state_label(self, procedure_type_id: uuid.UUID, state: str) -> str:
        if self._labels is None:
            rows = self.reader.rows(
                "SELECT procedure_type_id, code, label FROM workflow_states"
                " WHERE deleted_at IS NULL"
            )
            self._labels = {(uid(t), code): label for t, code, label in rows}
        return self._labels.get((procedure_type_id, state), state)

    def summaries(self, records: list[DossierRecord]) -> list[views.DossierSummary]:
        recompute = [r for r in records if not views.stored_figures_are_exact(r)]
        readings = {r.id: self.clock(r) for r in recompute}
        return [
            views.summary(
                r,
                self.state_label(r.procedure_type_id, r.state),
                views.figures(readings[r.id])
                if r.id in readings
                else views.stored_figures(r, self.today),
            )
            for r in records
        ]

    def office_history(self) -> History:
        """``models.services.forecast.office_history``, by the same SQL."""
        with cycle_collection_paused():  # tens of thousands of short-lived tuples
            passages = forecast_feed.history(
                self.reader.rows, self.today, self.viewer.restricted_access
            )
            return History(passages)

    def breach_risks(
        self, ids: Sequence[uuid.UUID], history: History | None = None
    ) -> dict[uuid.UUID, float | None]:
        """``models.services.forecast.breach_risks`` for these dossiers, by the same SQL."""
        with cycle_collection_paused():
            files = forecast_feed.open_files(
                self.reader.rows,
                self.today,
                self.viewer.restricted_access,
                [self.reader.id_param(i) for i in ids],
            )
        if not files:
            return {}
        history = history or self.office_history()
        return {uid(key): history.breach_risk(file) for key, file in files.items()}

    # -- one dossier -----------------------------------------------------------------

    def find(self, ref: str) -> DossierRecord:
        """The dossier ``ref`` names (protocol, id or codice domanda), if this user may see
        it; found as ``models.services.lookup.find_dossier`` finds it."""
        found = self._find_id(ref)
        if found is None or not is_visible(
            self.viewer.restricted_access, lambda column: found[column]
        ):
            raise dossier_not_found(ref)
        (row,) = self.reader.rows(RECORD_SQL + " WHERE dossiers.id = ?", [found["id"]])
        return record(row)

    def _find_id(self, ref: str) -> dict[str, Any] | None:
        columns = "SELECT dossiers.id, dossiers.deleted_at, dossiers.restricted FROM dossiers"
        if match := PROTOCOL_RE.match(ref):
            code, year, number = match.groups()
            rows = self.reader.named(
                columns + " JOIN offices ON offices.id = dossiers.protocol_office_id"
                " WHERE offices.code = ? AND dossiers.protocol_year = ?"
                " AND dossiers.protocol_number = ?",
                [code.upper(), int(year), int(number)],
            )
            return rows[0] if rows else None
        try:
            wanted = uuid.UUID(ref.strip())
        except ValueError:
            pass
        else:
            rows = self.reader.named(
                columns + " WHERE dossiers.id = ?", [self.reader.id_param(wanted)]
            )
            return rows[0] if rows else None
        if match := PROVISIONAL_RE.match(ref):
            digits = match.group(1)
            rows = self.reader.named(columns + " WHERE dossiers.protocol_number IS NULL")
            candidates = [r for r in rows if is_provisionally(uid(r["id"]), digits)]
            return candidates[0] if len(candidates) == 1 else None
        rows = self.reader.named(
            columns + " WHERE dossiers.application_code = ?", [ref.strip().upper()]
        )
        return rows[0] if rows else None

    def workflow(self, procedure_type_id: uuid.UUID, type_code: str) -> Workflow:
        known = self._workflows.get(procedure_type_id)
        if known is None:
            type_id = self.reader.id_param(procedure_type_id)
            states = self.reader.rows(
                "SELECT code, label, holder, clock, is_final FROM workflow_states"
                " WHERE procedure_type_id = ? AND deleted_at IS NULL ORDER BY position",
                [type_id],
            )
            transitions = self.reader.rows(
                "SELECT from_state, to_state, actor_office, via_parere FROM workflow_transitions"
                " WHERE procedure_type_id = ? AND deleted_at IS NULL",
                [type_id],
            )
            known = build_workflow(type_code, states, transitions)
            self._workflows[procedure_type_id] = known
        return known

    def _rules(self, procedure_type_id: uuid.UUID) -> list[SimpleNamespace]:
        rows = self.reader.named(
            "SELECT * FROM term_rules WHERE procedure_type_id = ? AND deleted_at IS NULL",
            [self.reader.id_param(procedure_type_id)],
        )
        return [_typed(row) for row in rows]

    def _calendar(self, dossier_id: uuid.UUID) -> HolidayCalendar:
        ((province, patron_day),) = self.reader.rows(
            "SELECT offices.province, offices.patron_day FROM dossiers"
            " JOIN offices ON offices.id = dossiers.protocol_office_id WHERE dossiers.id = ?",
            [self.reader.id_param(dossier_id)],
        )

        def saved() -> str | None:
            rows = self.reader.rows(
                'SELECT value FROM settings WHERE "key" = ?',
                [clock_feed.holiday_setting(province)],
            )
            return rows[0][0] if rows else None

        return clock_feed.office_calendar(province, patron_day, saved)

    def _history(self, dossier_id: uuid.UUID) -> tuple[list[SimpleNamespace], ...]:
        key = [self.reader.id_param(dossier_id)]
        events = self.reader.named(
            "SELECT dossier_events.*, actor.username AS actor_name, office.code AS office_code"
            " FROM dossier_events"
            " LEFT OUTER JOIN staff AS actor ON actor.id = dossier_events.actor_id"
            " LEFT OUTER JOIN offices AS office ON office.id = dossier_events.office_id"
            " WHERE dossier_events.dossier_id = ?"
            " ORDER BY dossier_events.effective_on, dossier_events.seq",
            key,
        )
        flags = self.reader.named(
            "SELECT flags.*, raised_office.code AS raised_by_office_code,"
            " for_office.code AS for_office_code, raiser.username AS raised_by_name,"
            " resolver.username AS resolved_by_name"
            " FROM flags"
            " JOIN offices AS raised_office ON raised_office.id = flags.raised_by_office_id"
            " JOIN offices AS for_office ON for_office.id = flags.for_office_id"
            " LEFT OUTER JOIN staff AS raiser ON raiser.id = flags.raised_by_id"
            " LEFT OUTER JOIN staff AS resolver ON resolver.id = flags.resolved_by_id"
            " WHERE flags.dossier_id = ? ORDER BY flags.raised_on",
            key,
        )
        pareri = self.reader.named(
            "SELECT pareri.*, officer.username AS officer_name FROM pareri"
            " LEFT OUTER JOIN staff AS officer ON officer.id = pareri.officer_id"
            " WHERE pareri.dossier_id = ? ORDER BY pareri.requested_on",
            key,
        )
        return (
            [_typed(e) for e in events],
            [_typed(f) for f in flags],
            [_typed(p) for p in pareri],
        )

    def _reading(
        self,
        record: DossierRecord,
        events: list[SimpleNamespace],
        flags: list[SimpleNamespace],
        quota_assigned_on: date | None,
    ) -> tuple[ClockReading, Any]:
        rule = clock_feed.pick_rule(self._rules(record.procedure_type_id), record.filed_on)
        reading = clock_feed.reading(
            rule,
            record.filed_on,
            quota_assigned_on,
            events,
            flags,
            self.workflow(record.procedure_type_id, record.type_code),
            self._calendar(record.id),
            self.today,
        )
        return reading, rule

    def _quota_assigned_on(self, dossier_id: uuid.UUID) -> date | None:
        ((value,),) = self.reader.rows(
            "SELECT quota_assigned_on FROM dossiers WHERE id = ?",
            [self.reader.id_param(dossier_id)],
        )
        return day(value)

    def clock(self, record: DossierRecord) -> ClockReading:
        events, flags, _pareri = self._history(record.id)
        return self._reading(record, events, flags, self._quota_assigned_on(record.id))[0]

    def detail(self, ref: str) -> views.DossierDetail:
        """What ``dossier show`` prints: ``models.services.views.dossier_detail``."""
        found = self.find(ref)
        events, flags, pareri = self._history(found.id)
        quota = self._quota_assigned_on(found.id)
        reading, rule = self._reading(found, events, flags, quota)
        workflow = self.workflow(found.procedure_type_id, found.type_code)
        base = views.summary(
            found, self.state_label(found.procedure_type_id, found.state), views.figures(reading)
        )
        return views.detail(
            base,
            quota,
            reading,
            views.RuleFacts(
                valid_from=rule.valid_from,
                valid_to=rule.valid_to,
                term=rule.term,
                unit=rule.unit,
                start=rule.start,
                basis=rule.basis,
                silent_assent=views.silent_assent_applies(
                    rule.silent_assent, rule.silent_assent_exclusions, found.nationality
                ),
                to_verify=rule.to_verify,
            ),
            (
                views.EventFacts(
                    kind=e.kind,
                    from_state=e.from_state,
                    to_state=e.to_state,
                    to_state_label=workflow.label(e.to_state) if e.to_state else None,
                    effective_on=e.effective_on,
                    entered_at=e.entered_at,
                    actor=e.actor_name,
                    office=e.office_code,
                    note=e.note,
                )
                for e in events
            ),
            (
                views.ParereFacts(
                    requested_on=p.requested_on,
                    given_on=p.given_on,
                    outcome=p.outcome,
                    reasons=p.reasons,
                    officer=p.officer_name,
                )
                for p in pareri
            ),
            (
                views.FlagFacts(
                    id=str(uid(f.id)),
                    number=f.number,
                    dossier=found.reference,
                    dossier_id=found.id,
                    category=f.category,
                    text=f.text,
                    suspends=f.suspends,
                    raised_by_office=f.raised_by_office_code,
                    for_office=f.for_office_code,
                    raised_by=f.raised_by_name,
                    raised_on=f.raised_on,
                    resolved_on=f.resolved_on,
                    resolved_by=f.resolved_by_name,
                    resolution_note=f.resolution_note,
                )
                for f in flags
            ),
            (
                views.MoveFacts(m.to_state, workflow.label(m.to_state), m.via_parere)
                for m in workflow.moves_from(found.state)
                if self.viewer.acts_for(m.actor_office)
            ),
        )


# Columns the driver may give as text (SQLite) that the clock and the views want typed.
_DAY_COLUMNS = frozenset(
    {"effective_on", "raised_on", "resolved_on", "requested_on", "given_on"}
    | {"valid_from", "valid_to"}
)
_FLAG_COLUMNS = frozenset({"suspends", "saturday_working", "silent_assent", "to_verify"})
_MOMENT_COLUMNS = frozenset({"entered_at"})


def _typed(row: dict[str, Any]) -> SimpleNamespace:
    for name in row.keys() & _DAY_COLUMNS:
        row[name] = day(row[name])
    for name in row.keys() & _FLAG_COLUMNS:
        row[name] = flag(row[name])
    for name in row.keys() & _MOMENT_COLUMNS:
        row[name] = moment(row[name])
    return SimpleNamespace(**row)
