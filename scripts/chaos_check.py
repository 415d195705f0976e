"""The verdict of a chaos run, once the network is healed and every workstation is quiet.

- **lost**: a change a workstation committed locally (its outbox ledger) that is not on
  the server and was not set aside as a conflict or a refusal on that workstation;
- **duplicated**: something applied twice on the server — an insert audited twice, more
  history events of a kind than the facts they record (moves, pareri, pending items
  raised or resolved), the same document content twice on one dossier;
- **divergent**: a row (or a document's content) that differs between a workstation's
  replica and what its user may see on the server, compared table by table.

Each finding names its table, so documents can be told apart from the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from chaos_station import Mutation, Station
from sqlalchemy import Engine, inspect, select, text

from models.db import make_engine

try:
    from models.sync_registry import synced_tables
except ImportError:  # before the registry moved to models
    from sync.tables import synced_tables  # type: ignore[attr-defined,no-redef]

DOCUMENT_TABLES = frozenset({"documents", "document_contents"})
STATE_EVENTS = ("transition", "parere_given")


@dataclass(frozen=True)
class Finding:
    kind: str  # lost / duplicated / divergent
    table: str
    detail: str


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    refused: int = 0  # ledger mutations the server refused (listed on their workstation)
    conflicts: int = 0  # ledger fields kept aside as conflicts

    def add(self, kind: str, table: str, detail: str) -> None:
        self.findings.append(Finding(kind, table, detail))

    def count(self, kind: str, documents: bool | None = None) -> int:
        return sum(
            1
            for f in self.findings
            if f.kind == kind and (documents is None or (f.table in DOCUMENT_TABLES) == documents)
        )


def canonical(value: Any) -> str:
    """One text for a value, whichever side (outbox JSON, audit JSON, a typed row) gave it."""
    if value is None:
        return "null"
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        hexed = value.replace("-", "")
        if len(hexed) == 32 and all(c in "0123456789abcdef" for c in hexed.lower()):
            return str(uuid.UUID(hexed))
        with contextlib.suppress(ValueError):
            if len(value) >= 19 and value[4] == "-" and value[10] in "T ":
                return canonical(datetime.fromisoformat(value))
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _normalised(row: dict[str, Any]) -> dict[str, str]:
    return {key: canonical(value) for key, value in row.items()}


# --- lost ---------------------------------------------------------------------------
def _replica_conflicts(station: Station) -> tuple[set[str], set[tuple[str, str, str]]]:
    refused: set[str] = set()
    fields: set[tuple[str, str, str]] = set()
    for kind, mutation_id, row_id, field_ in station.rows(
        "SELECT kind, mutation_id, row_id, field FROM sync_conflicts"
    ):
        if kind == "refused":
            refused.add(str(mutation_id))
        else:
            fields.add((str(mutation_id), canonical(str(row_id)), str(field_)))
    return refused, fields


def _audit(admin: Engine) -> list[tuple[str, str, str, str, dict[str, list[Any]]]]:
    with admin.connect() as connection:
        rows = connection.execute(
            text("SELECT actor, table_name, row_id, action, changes FROM audit_log ORDER BY seq")
        ).all()
    result = []
    for actor, table_name, row_id, action, changes in rows:
        try:
            parsed = json.loads(changes) if changes else {}
        except json.JSONDecodeError:
            parsed = {}
        result.append(
            (
                str(actor),
                str(table_name),
                canonical(str(row_id)),
                str(action),
                parsed if isinstance(parsed, dict) else {},
            )
        )
    return result


def _server_tables(engine: Engine, names: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
    wanted = set(names)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in synced_tables():
            if table.name in wanted:
                found[table.name] = {
                    canonical(row.id): dict(row._mapping)
                    for row in connection.execute(select(table))
                }
    return found


def _contents(engine: Engine, hashes: Iterable[str] | None = None) -> dict[str, str]:
    """sha256 → the hash of the bytes actually stored under it (whole, or in chunks)."""
    wanted = set(hashes) if hashes is not None else None
    with engine.connect() as connection:
        chunked = "document_chunks" in inspect(connection).get_table_names()
        if not chunked:
            rows = connection.execute(text("SELECT sha256, data FROM document_contents")).all()
            return {
                str(sha): hashlib.sha256(bytes(data)).hexdigest()
                for sha, data in rows
                if wanted is None or str(sha) in wanted
            }
        complete = {
            str(sha) for (sha,) in connection.execute(text("SELECT sha256 FROM document_contents"))
        }
        digests: dict[str, Any] = {}
        for sha, data in connection.execute(
            text("SELECT c.sha256, c.data FROM document_chunks c ORDER BY c.sha256, c.seq")
        ):
            key = str(sha)
            if key in complete and (wanted is None or key in wanted):
                digests.setdefault(key, hashlib.sha256()).update(bytes(data))
    return {sha: digest.hexdigest() for sha, digest in digests.items()}


def check_lost(stations: list[Station], admin: Engine, verdict: Verdict) -> None:
    ledger = [m for s in stations for m in s.ledger]
    server = _server_tables(admin, {m.table for m in ledger})
    after_values: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for _actor, table_name, row_id, _action, changes in _audit(admin):
        for name, pair in changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                after_values[(table_name, row_id)][name].add(canonical(pair[1]))
    contents = _contents(admin)
    for station in stations:
        refused, field_conflicts = _replica_conflicts(station)
        last_touch: dict[tuple[str, str, str], int] = {}
        for mutation in station.ledger:
            for name in mutation.changes:
                last_touch[(mutation.table, mutation.row_id, name)] = mutation.seq
        for mutation in station.ledger:
            if mutation.mutation_id in refused:
                verdict.refused += 1
                continue
            _check_mutation(
                mutation, server, after_values, field_conflicts, last_touch, contents, verdict
            )


def _check_mutation(
    mutation: Mutation,
    server: dict[str, dict[str, dict[str, Any]]],
    after_values: dict[tuple[str, str], dict[str, set[str]]],
    field_conflicts: set[tuple[str, str, str]],
    last_touch: dict[tuple[str, str, str], int],
    contents: dict[str, str],
    verdict: Verdict,
) -> None:
    what = f"station {mutation.station} «{mutation.operation}» {mutation.table} {mutation.row_id}"
    row = server.get(mutation.table, {}).get(mutation.row_id)
    if mutation.action == "insert":
        if row is None:
            verdict.add("lost", mutation.table, f"{what}: inserted locally, not on the server")
        elif mutation.table == "documents":
            sha = str(row["sha256"])
            if contents.get(sha) != sha:
                verdict.add("lost", "document_contents", f"{what}: content {sha[:12]} not stored")
        return
    for name, pair in mutation.changes.items():
        after = canonical(pair[1] if isinstance(pair, list) and len(pair) == 2 else pair)
        if (mutation.mutation_id, mutation.row_id, name) in field_conflicts:
            verdict.conflicts += 1
            continue
        if last_touch[(mutation.table, mutation.row_id, name)] > mutation.seq:
            continue  # a later edit of the same field on this workstation replaced it
        if after in after_values.get((mutation.table, mutation.row_id), {}).get(name, set()):
            continue
        if row is not None and canonical(row.get(name)) == after:
            continue
        verdict.add("lost", mutation.table, f"{what}: {name} = {after} never reached the server")


# --- duplicated ---------------------------------------------------------------------
def check_duplicated(admin: Engine, verdict: Verdict) -> None:
    inserts = Counter(
        (table_name, row_id)
        for _a, table_name, row_id, action, _c in _audit(admin)
        if action == "insert"
    )
    for (table_name, row_id), count in inserts.items():
        if count > 1:
            verdict.add("duplicated", table_name, f"{row_id} inserted {count} times")
    with admin.connect() as connection:
        facts = _per_dossier(
            connection,
            {
                "pareri given": "SELECT dossier_id, count(*) FROM pareri WHERE outcome IS NOT "
                "NULL AND deleted_at IS NULL GROUP BY dossier_id",
                "parere events": "SELECT dossier_id, count(*) FROM dossier_events WHERE kind = "
                "'parere_given' AND deleted_at IS NULL GROUP BY dossier_id",
                "flags": "SELECT dossier_id, count(*) FROM flags WHERE deleted_at IS NULL "
                "GROUP BY dossier_id",
                "flag raised events": "SELECT dossier_id, count(*) FROM dossier_events WHERE "
                "kind = 'flag_raised' AND deleted_at IS NULL GROUP BY dossier_id",
                "flags resolved": "SELECT dossier_id, count(*) FROM flags WHERE resolved_on IS "
                "NOT NULL AND deleted_at IS NULL GROUP BY dossier_id",
                "flag resolved events": "SELECT dossier_id, count(*) FROM dossier_events WHERE "
                "kind = 'flag_resolved' AND deleted_at IS NULL GROUP BY dossier_id",
            },
        )
        twins = connection.execute(
            text(
                "SELECT dossier_id, sha256, count(*) FROM documents WHERE deleted_at IS NULL "
                "GROUP BY dossier_id, sha256 HAVING count(*) > 1"
            )
        ).all()
    for dossier_id, sha, count in twins:
        verdict.add("duplicated", "documents", f"{dossier_id}: content {sha[:12]} {count} times")
    _check_state_chains(admin, verdict)
    pairs = (
        ("parere events", "pareri given", "dossier_events"),
        ("flag raised events", "flags", "dossier_events"),
        ("flag resolved events", "flags resolved", "dossier_events"),
    )
    dossiers = set().union(*(set(v) for v in facts.values()))
    for dossier_id in sorted(dossiers):
        for events, fact, table_name in pairs:
            have = facts[events].get(dossier_id, 0)
            should = facts[fact].get(dossier_id, 0)
            if have > should:
                verdict.add(
                    "duplicated",
                    table_name,
                    f"dossier {dossier_id}: {have} {events} for {should} {fact}",
                )


def _check_state_chains(admin: Engine, verdict: Verdict) -> None:
    """A dossier's history, in the server's order, is one chain of moves: each starts
    from the state the previous one reached, the last reaches the dossier's state. The
    same move recorded twice breaks it."""
    with admin.connect() as connection:
        states: dict[Any, str] = {
            d: s for d, s in connection.execute(text("SELECT id, state FROM dossiers")).all()
        }
        events = connection.execute(
            text(
                "SELECT dossier_id, from_state, to_state, kind FROM dossier_events "
                "WHERE to_state IS NOT NULL AND deleted_at IS NULL "
                "ORDER BY dossier_id, change_seq"
            )
        ).all()
    chains: dict[Any, list[tuple[str | None, str, str]]] = defaultdict(list)
    for dossier_id, from_state, to_state, kind in events:
        chains[dossier_id].append((from_state, to_state, kind))
    for dossier_id, chain in chains.items():
        reached = [to for _from, to, _kind in chain]
        broken = any(chain[i][0] != reached[i - 1] for i in range(1, len(chain)))
        if broken or reached[-1] != states.get(dossier_id):
            moves = " ".join(f"{f or '∅'}→{t} ({k})" for f, t, k in chain)
            verdict.add(
                "duplicated",
                "dossier_events",
                f"dossier {dossier_id} (now {states.get(dossier_id)}): moves {moves}",
            )


def _per_dossier(connection: Any, queries: dict[str, str]) -> dict[str, dict[str, int]]:
    return {
        name: {canonical(str(d)): int(n) for d, n in connection.execute(text(sql)).all()}
        for name, sql in queries.items()
    }


# --- divergent ----------------------------------------------------------------------
def check_divergent(station: Station, as_user: Engine, verdict: Verdict) -> None:
    replica = make_engine(str(station.home / "replica.sqlite3"))
    try:
        names = [t.name for t in synced_tables()]
        server = _server_tables(as_user, names)
        local = _server_tables(replica, names)
        for name in names:
            _compare_table(station.index, name, server[name], local[name], verdict)
        visible = {str(r["sha256"]) for r in server.get("documents", {}).values()}
        on_server = _contents(as_user, visible)
        here = _contents(replica, visible)
        for sha in sorted(visible):
            if here.get(sha) != on_server.get(sha) or here.get(sha) != sha:
                verdict.add(
                    "divergent",
                    "document_contents",
                    f"station {station.index}: content {sha[:12]} server "
                    f"{'ok' if on_server.get(sha) == sha else 'missing/bad'}, replica "
                    f"{'ok' if here.get(sha) == sha else 'missing/bad'}",
                )
    finally:
        replica.dispose()


def _compare_table(
    station: int,
    name: str,
    server: dict[str, dict[str, Any]],
    local: dict[str, dict[str, Any]],
    verdict: Verdict,
) -> None:
    for row_id in sorted(server.keys() - local.keys()):
        verdict.add("divergent", name, f"station {station}: {row_id} missing from the replica")
    for row_id in sorted(local.keys() - server.keys()):
        verdict.add("divergent", name, f"station {station}: {row_id} only in the replica")
    for row_id in sorted(server.keys() & local.keys()):
        theirs, ours = _normalised(server[row_id]), _normalised(local[row_id])
        differing = sorted(k for k in theirs if theirs[k] != ours.get(k))
        if differing:
            first = differing[0]
            verdict.add(
                "divergent",
                name,
                f"station {station}: {row_id} differs in {', '.join(differing)} "
                f"({first}: server {theirs[first]!r}, replica {ours.get(first)!r})",
            )
