"""The change feed and the server's numbers under concurrent writers.

The feed's promise: a reader that pulls ``cursor < change_seq <= high`` and then moves
its cursor to ``high`` never misses a change, however the writers' commits interleave.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from typing import Any

import psycopg
import pytest

from tests.server_support import Server, register_as

pytestmark = pytest.mark.postgres

EVENT = (
    "INSERT INTO dossier_events (id, version, dossier_id, seq, kind, office_id, effective_on,"
    " note) VALUES (%s, 1, %s, 1, 'updated', %s, '2026-09-05', %s)"
)
# The deadline is the one the server's clock gives (filed 1 Sep 2026, 60 days): it refuses
# any other.
DOSSIER = (
    "INSERT INTO dossiers (id, version, protocol_office_id, procedure_type_id, state, holder,"
    " filed_on, restricted, surname, given_names, birth_date, birth_place, nationality,"
    " employer_name, employer_pec, search_key, clock_state, suspended_days, open_flags,"
    " deadline)"
    " VALUES (gen_random_uuid(), 1, %s, %s, 'presentata', 'sui', '2026-09-01', false,"
    " 'A', 'B', '1990-01-01', '', 'ROU', '', '', '', 'runs', 0, 0, '2026-10-31')"
)


class Reader:
    """Pulls the way the workstation does: one REPEATABLE READ transaction per pull."""

    def __init__(self, server: Server, who: str) -> None:
        self.connection = server.connect(who)
        self.connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.cursor = 0
        self.seen: dict[str, int] = {}

    def pull(self, table: str = "dossier_events") -> list[tuple[str, int]]:
        high = self.connection.execute("SELECT value FROM sync_counter").fetchone()[0]  # type: ignore[index]
        rows = self.connection.execute(
            f"SELECT id::text, change_seq FROM {table}"
            " WHERE change_seq > %s AND change_seq <= %s ORDER BY change_seq",
            (self.cursor, high),
        ).fetchall()
        self.connection.commit()
        for row_id, position in rows:
            assert self.cursor < position <= high
            self.seen[row_id] = position
        self.cursor = high
        return [(row_id, position) for row_id, position in rows]

    def close(self) -> None:
        self.connection.close()


def _ids(server: Server, query: str, *params: Any) -> dict[str, Any]:
    with server.admin() as connection:
        return dict(connection.execute(query, params).fetchall())


def test_the_reader_never_moves_past_a_writer_still_open(server: Server) -> None:
    first = register_as(server, "rossi")
    second = register_as(server, "rossi")
    reader = Reader(server, "verdi")
    reader.pull("dossiers")
    start = reader.cursor

    slow = server.connect("rossi")
    slow_seq = slow.execute(
        "UPDATE dossiers SET given_names = 'Lento' WHERE id = %s RETURNING change_seq", (first,)
    ).fetchone()[0]  # type: ignore[index]
    fast_done = threading.Event()

    def fast_writer() -> None:
        with server.connect("bianchi") as connection:
            connection.execute("UPDATE dossiers SET cui = 'RAPIDO1' WHERE id = %s", (second,))
            connection.commit()
        fast_done.set()

    fast = threading.Thread(target=fast_writer)
    fast.start()
    assert not fast_done.wait(0.5), "the second writer must wait for the first one's commit"
    assert reader.pull("dossiers") == []
    assert reader.cursor == start < slow_seq

    slow.commit()
    slow.close()
    fast.join(10)
    assert fast_done.is_set()
    pulled = reader.pull("dossiers")
    assert [row_id for row_id, _ in pulled] == [first, second]
    assert pulled[0][1] == slow_seq and pulled[1][1] > slow_seq
    reader.close()


def test_concurrent_writers_committing_in_scrambled_order_lose_nothing(server: Server) -> None:
    dossier = register_as(server, "rossi")
    office = _ids(server, "SELECT code, id FROM offices")["LO-SUI"]
    marker = uuid.uuid4().hex
    committed: list[str] = []
    rolled_back: list[str] = []
    lock = threading.Lock()
    writers_done = threading.Event()

    def writer(number: int) -> None:
        chance = random.Random(number)
        with server.connect("rossi") as connection:
            for _ in range(12):
                ids = [str(uuid.uuid4()) for _ in range(chance.randint(1, 3))]
                for row_id in ids:
                    connection.execute(EVENT, (row_id, dossier, office, marker))
                    time.sleep(chance.random() * 0.01)
                time.sleep(chance.random() * 0.02)  # commit later than it began
                keep = chance.random() > 0.2
                if keep:
                    connection.commit()
                else:
                    connection.rollback()
                with lock:
                    (committed if keep else rolled_back).extend(ids)

    reader = Reader(server, "verdi")
    errors: list[BaseException] = []

    def read_while_writing() -> None:
        try:
            while not writers_done.is_set():
                reader.pull()
                time.sleep(0.003)
            reader.pull()
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    pulling = threading.Thread(target=read_while_writing)
    pulling.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    writers_done.set()
    pulling.join(60)
    reader.close()
    assert errors == []
    stored = _ids(server, "SELECT id::text, change_seq FROM dossier_events WHERE note = %s", marker)
    assert sorted(stored) == sorted(committed) and len(committed) > 20
    seen = {row_id: seq for row_id, seq in reader.seen.items() if row_id in stored}
    assert seen == stored  # every committed row, at its final position
    assert not set(reader.seen) & set(rolled_back)


def test_protocol_numbers_stay_gapless_under_concurrent_registrations(server: Server) -> None:
    ids = _ids(server, "SELECT code, id FROM offices")
    worker_type = _ids(server, "SELECT code, id FROM procedure_types")["NO_LAVORO"]
    kept = []
    lock = threading.Lock()

    def clerk(number: int) -> None:
        chance = random.Random(100 + number)
        with server.connect("rossi") as connection:
            for _ in range(8):
                connection.execute(DOSSIER, (ids["LO-SUI"], worker_type))
                time.sleep(chance.random() * 0.01)
                if chance.random() < 0.25:
                    connection.rollback()  # its number goes back to the register
                else:
                    connection.commit()
                    with lock:
                        kept.append(number)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with server.admin() as connection:
        numbers = [
            n
            for (n,) in connection.execute(
                "SELECT protocol_number FROM dossiers WHERE protocol_office_id = %s"
                " ORDER BY protocol_number",
                (ids["LO-SUI"],),
            )
        ]
    assert len(kept) > 10
    assert numbers == list(range(1, len(kept) + 1))


def test_a_commit_wakes_the_listeners_with_its_feed_position(server: Server) -> None:
    dossier = register_as(server, "rossi")
    with server.connect("verdi", autocommit=True) as listener:
        listener.execute("LISTEN raccordo_changes")
        with server.connect("rossi") as writer:
            position = writer.execute(
                "UPDATE dossiers SET given_names = 'Ion' WHERE id = %s RETURNING change_seq",
                (dossier,),
            ).fetchone()[0]  # type: ignore[index]
            assert list(listener.notifies(timeout=0.3)) == []  # not before the commit
            writer.commit()
        woken = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.payload for n in woken] == [str(position)]


def test_rows_written_before_the_server_was_set_up_have_feed_positions(server: Server) -> None:
    with server.admin() as connection:
        counter = connection.execute("SELECT value FROM sync_counter").fetchone()[0]  # type: ignore[index]
        positions = [
            seq
            for table in ("offices", "staff", "procedure_types", "workflow_states", "term_rules")
            for (seq,) in connection.execute(f"SELECT change_seq FROM {table}")
        ]
    assert None not in positions
    assert len(set(positions)) == len(positions)
    assert max(positions) <= counter
