"""Server side of a push: the field-level three-way merge of one client's mutations.

Runs in the pushing workstation's process, on the server connection of the person's own
login role (grants, policies and triggers on the server still decide). Each mutation is
applied in a savepoint: refused as a whole (stale transition, permission, duplicate) or
applied with the fields changed on both sides left out as conflicts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from models.base import Synced
from models.column_json import from_json, same, to_json
from models.deadlines import refresh_derived
from models.dossiers import Dossier, DossierEvent, Flag
from models.enums import EventKind
from models.errors import DomainError
from models.json_types import JsonValue
from models.services.registration import search_key
from models.sync_registry import synced_models, table
from sync.tables import BOOKKEEPING, CLOCK_INPUTS, derived


@dataclass(frozen=True)
class Change:
    """One outbox row as sent to the server."""

    seq: int
    mutation_id: str
    table: str
    row_id: str
    action: str
    changes: dict[str, list[Any]]


class FieldConflict(TypedDict):
    """A field changed here and on the server since the change's base (JSON on the wire)."""

    table: str
    row_id: str
    field: str
    before: JsonValue  # what the workstation's change started from
    local: JsonValue
    server: JsonValue


class OutcomeJson(TypedDict):
    mutation_id: str
    last_seq: int
    refused: str | None
    conflicts: list[FieldConflict]
    rows: list[list[str]]  # [table, row id]


@dataclass
class Outcome:
    """What became of one mutation; JSON-able, kept on the server for a resent push."""

    mutation_id: str
    last_seq: int
    refused: str | None = None
    conflicts: list[FieldConflict] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (table, row id) touched

    def to_dict(self) -> OutcomeJson:
        return {
            "mutation_id": self.mutation_id,
            "last_seq": self.last_seq,
            "refused": self.refused,
            "conflicts": self.conflicts,
            "rows": [list(r) for r in self.rows],
        }

    @classmethod
    def from_dict(cls, data: OutcomeJson) -> Outcome:
        return cls(
            data["mutation_id"],
            int(data["last_seq"]),
            data.get("refused"),
            list(data.get("conflicts", [])),
            [(str(t), str(r)) for t, r in data.get("rows", [])],
        )


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def group(changes: Iterable[Change]) -> list[list[Change]]:
    """Outbox rows by mutation, in the order the mutations were made."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.mutation_id, []).append(change)
    return sorted(groups.values(), key=lambda rows: rows[0].seq)


def apply_mutation(session: Session, rows: list[Change], today: date) -> Outcome:
    outcome = Outcome(rows[0].mutation_id, max(r.seq for r in rows))
    outcome.rows = list(dict.fromkeys((r.table, r.row_id) for r in rows))
    try:
        with session.begin_nested():
            touched: set[uuid.UUID] = set()
            inserted: list[Synced] = []
            with session.no_autoflush:
                for row in rows:
                    obj = apply_row(session, row, outcome)
                    if row.table in CLOCK_INPUTS:
                        touched.update(_dossier_of(obj))
                    if row.action == "insert":
                        inserted.append(obj)
            session.flush()
            renumber_flag_notes(session, inserted)
            _refresh(session, touched, today)
            session.flush()
            check_facts_now(session)
    except Refused as refusal:
        outcome.refused = refusal.reason
        outcome.conflicts = []
    except IntegrityError as error:
        outcome.refused = _reason(error, "dato duplicato o riferimento mancante")
        outcome.conflicts = []
    except DBAPIError as error:
        if push_interrupted(error):
            raise
        outcome.refused = _reason(error, "operazione non permessa dal server")
        outcome.conflicts = []
    except DomainError as error:
        outcome.refused = str(error)
        outcome.conflicts = []
    for touched_table, row_id in list(outcome.rows):
        if touched_table != "dossiers":
            parent = _parent_dossier(session, touched_table, row_id)
            if parent is not None and ("dossiers", parent) not in outcome.rows:
                outcome.rows.append(("dossiers", parent))
    return outcome


# The server gave up on the statement, not on the change: a time limit (57014), the write
# gate or a row lock still held (55P03), an idle transaction ended (25P03), a deadlock or a
# serialisation failure (40P01, 40001). The same change may well pass at the next sync.
_TRANSIENT = frozenset({"57014", "55P03", "25P03", "40P01", "40001"})


def push_interrupted(error: BaseException) -> bool:
    """No refusal of the server: the connection broke or a statement was cancelled. The
    whole push fails (the engine reports the server away or busy), the queue stays, and
    the next sync sends it again."""
    if not isinstance(error, DBAPIError):
        return False
    return bool(error.connection_invalidated) or (
        getattr(error.orig, "sqlstate", None) in _TRANSIENT
    )


def check_facts_now(session: Session) -> None:
    """The server checks each written dossier against its history at commit (a deferred
    trigger); run here, inside the savepoint, a refusal refuses this mutation (or sends
    the batch mutation by mutation) instead of failing the whole push."""
    session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    session.execute(text("SET CONSTRAINTS ALL DEFERRED"))


def _reason(error: DBAPIError, fallback: str) -> str:
    diag = getattr(error.orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    return f"{fallback}: {primary}" if primary else fallback


def _model(name: str) -> type[Synced]:
    try:
        return synced_models()[name]
    except KeyError:
        raise Refused(f"tabella «{name}» non sincronizzata") from None


def apply_row(session: Session, row: Change, outcome: Outcome, lock: bool = True) -> Synced:
    model = _model(row.table)
    columns = table(row.table).c
    key = uuid.UUID(row.row_id)
    if row.action == "insert":
        if lock and session.get(model, key) is not None:  # a batch checked them all at once
            raise Refused("riga già presente sul server")
        values = {
            name: from_json(columns[name], pair[1])
            for name, pair in row.changes.items()
            if name in columns and name not in BOOKKEEPING
        }
        obj = model(**values)
        session.add(obj)
        return obj
    if lock:
        # Lock the bare row: FOR UPDATE cannot take the outer joins of the eager loads.
        columns_id = columns["id"]
        session.execute(select(columns_id).where(columns_id == key).with_for_update())
        obj_or_none = session.get(model, key, populate_existing=True)
    else:  # locked and loaded with the whole batch
        obj_or_none = session.get(model, key)
    if obj_or_none is None:
        raise Refused("la riga non esiste sul server o non è visibile a questo utente")
    obj = obj_or_none
    skipped = BOOKKEEPING | derived(row.table)
    for name, (before, after) in row.changes.items():
        if name in skipped or name not in columns:
            continue
        current = getattr(obj, name)
        if name == "state" and not same(current, before):
            # Even the same move made twice: its history event must not be recorded twice.
            raise Refused(
                f"passaggio di stato non applicato: la pratica era già «{current}» sul "
                f"server (la modifica partiva da «{before}»)"
            )
        if row.table == "flags" and name == "resolved_on" and before is None and current:
            # Resolved on two workstations: the second one's history event would repeat it.
            raise Refused(f"segnalazione già risolta sul server il {current:%d/%m/%Y}")
        if same(current, after):
            continue
        if same(current, before):
            setattr(obj, name, from_json(columns[name], after))
            continue
        outcome.conflicts.append(
            {
                "table": row.table,
                "row_id": row.row_id,
                "field": name,
                "before": before,
                "local": after,
                "server": to_json(current),
            }
        )
    return obj


def _dossier_of(obj: Synced) -> set[uuid.UUID]:
    if isinstance(obj, Dossier):
        return {obj.id}
    parent = getattr(obj, "dossier_id", None)
    return {parent} if isinstance(parent, uuid.UUID) else set()


def _parent_dossier(session: Session, table_name: str, row_id: str) -> str | None:
    columns = table(table_name).c
    if "dossier_id" not in columns:
        return None
    found = session.execute(
        select(columns["dossier_id"]).where(columns["id"] == uuid.UUID(row_id))
    ).scalar()
    return str(found) if found is not None else None


def renumber_flag_notes(session: Session, inserted: list[Synced]) -> None:
    """The server numbers pending items: the history line raising one shows that number,
    not the provisional one the replica wrote (``#N Categoria: …``)."""
    numbers: dict[str, str] = {}
    for obj in inserted:
        if isinstance(obj, Flag):
            provisional = obj.number
            session.refresh(obj, ["number"])
            numbers[f"#{provisional} "] = f"#{obj.number} "
    for obj in inserted:
        if isinstance(obj, DossierEvent) and obj.kind == EventKind.FLAG_RAISED.value:
            for old, new in numbers.items():
                if obj.note.startswith(old):
                    obj.note = new + obj.note[len(old) :]
                    break


def _refresh(session: Session, dossier_ids: set[uuid.UUID], today: date) -> None:
    """Derived columns from the server's rows (and the protocol its trigger assigned)."""
    for dossier_id in dossier_ids:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            continue
        session.expire(dossier)
        dossier.search_key = search_key(dossier)
        refresh_derived(session, dossier, today)


def dumps_outcomes(outcomes: list[Outcome]) -> str:
    return json.dumps([o.to_dict() for o in outcomes], ensure_ascii=False)


def loads_outcomes(text: str) -> list[Outcome]:
    data = json.loads(text or "[]")
    return [Outcome.from_dict(item) for item in data] if isinstance(data, list) else []
