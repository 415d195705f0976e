"""Times the workstation sync against the issue's targets (issue 4).

    .venv/bin/python scripts/benchmark_sync.py [--dossiers 200000] [--admin-url URL]

On the PostgreSQL server of ``--admin-url`` (a superuser; default the local one) it
prepares, once per size, a database seeded with ``raccordo demo --dossiers N`` and set
up by ``raccordo server init`` with two login roles (kept for later runs: the name says
the size). Then, each on a new workstation folder:

- the first replica of a new workstation (``connect``: checks, download, indexes);
- 1,000 queued changes pushed by one workstation and pulled by another;
- propagation from one workstation's save to another's replica, the second woken by
  LISTEN/NOTIFY (``wait_for_change``) as ``raccordo sync --watch`` and the GUI are.

Prints medians and ratios against the targets; exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from desktop.connection import connect, open_replica  # noqa: E402
from desktop.demo import generate  # noqa: E402
from models.db import make_engine, upgrade  # noqa: E402
from models.dossiers import Dossier  # noqa: E402
from models.seed import initialise  # noqa: E402
from models.services.registration import update_dossier  # noqa: E402
from models.uow import Database  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.server.install import install  # noqa: E402
from sync.server.names import ServerRoles  # noqa: E402
from sync.server.users import add_user, generate_password, set_password  # noqa: E402

FIRST_REPLICA_TARGET = 60.0
THOUSAND_TARGET = 5.0
PROPAGATION_TARGET = 1.0
# A fresh password each run, set on the benchmark roles in prepare(): none is kept.
PASSWORD = generate_password()
USERS = (
    ("bench_sui", "LO-SUI", "sui_clerk"),
    ("bench_questura", "LO-QUESTURA", "questura_officer"),
)


@dataclass(frozen=True)
class Measure:
    label: str
    target: float
    times: tuple[float, ...]
    detail: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def passed(self) -> bool:
        return self.median <= self.target


def _database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def prepare(admin_url: str, dossiers: int) -> str:
    """The seeded server database for this size (made once, then reused)."""
    name = f"raccordo_syncbench_{dossiers}"
    url = _database_url(admin_url, name)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if found.fetchone() is not None:
            _analyze(url)
            _reset_passwords(url)
            return url
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(url)
    try:
        upgrade(engine)
        database = Database(engine)
        initialise(database)
        started = time.perf_counter()
        generate(database, dossiers, seed=1)
        print(f"demo --dossiers {dossiers}: {time.perf_counter() - started:.1f} s", flush=True)
        install(engine, ServerRoles("raccordo"))
        for user, office, role in USERS:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,))
                if exists.fetchone() is not None:
                    connection.execute(f'DROP ROLE "{user}"')  # from another size's database
            add_user(engine, user, office, role, False, user, PASSWORD)
    finally:
        engine.dispose()
    _analyze(url)
    return url


def _reset_passwords(url: str) -> None:
    engine = make_engine(url)
    try:
        for user, _office, _role in USERS:
            set_password(engine, user, PASSWORD)
    finally:
        engine.dispose()


def _analyze(url: str) -> None:
    """Fresh planner statistics, as autovacuum keeps them on a server in use: after a bulk
    load the row-level policies' subqueries are otherwise planned as full scans."""
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as connection:
        connection.execute("ANALYZE")


def _user_url(server_url: str, user: str) -> str:
    scheme, rest = server_url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1]}"


def first_replica(server_url: str, runs: int) -> Measure:
    times, rows = [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="raccordo-bench-") as home:
            started = time.perf_counter()
            connect(Path(home), _user_url(server_url, USERS[0][0]), PASSWORD)
            times.append(time.perf_counter() - started)
            replica = open_replica(Path(home))
            with replica.sessions() as session:
                rows = int(session.scalar(select(func.count()).select_from(Dossier)) or 0)
            replica.engine.dispose()
    return Measure(
        "first replica of a new workstation", FIRST_REPLICA_TARGET, tuple(times), f"{rows} pratiche"
    )


def _station(server_url: str, user: str, home: Path) -> SyncEngine:
    info = connect(home, _user_url(server_url, user), PASSWORD)
    return SyncEngine(open_replica(home), info, PASSWORD)


def _open_ids(engine: SyncEngine, count: int) -> list[str]:
    with engine.replica.sessions() as session:
        query = (
            select(Dossier.id)
            .where(Dossier.closed_on.is_(None), Dossier.restricted.is_(False))
            .order_by(Dossier.id)
            .limit(count)
        )
        return [str(i) for i in session.scalars(query)]


def thousand_changes(server_url: str, base: Path) -> Measure:
    writer = _station(server_url, USERS[0][0], base / "writer")
    reader = _station(server_url, USERS[1][0], base / "reader")
    try:
        ids = _open_ids(writer, 1000)
        tag = uuid.uuid4().hex[:6]
        for index, ref in enumerate(ids):
            with writer.replica.unit_of_work(USERS[0][0], write=True) as uow:
                update_dossier(uow, ref, {"employer_pec": f"b{tag}{index}@pec.it"})
                uow.commit()
        assert writer.queued() == len(ids)
        started = time.perf_counter()
        pushed = writer.sync_once()
        middle = time.perf_counter()
        pulled = reader.sync_once()
        finished = time.perf_counter()
        assert pushed.pushed == len(ids) and pulled.error is None, (pushed, pulled)
        detail = (
            f"{pushed.pushed} inviate in {middle - started:.2f} s, {pulled.pulled} righe "
            f"ricevute in {finished - middle:.2f} s"
        )
        return Measure("1,000 queued changes pushed and pulled", THOUSAND_TARGET,
                       (finished - started,), detail)  # fmt: skip
    finally:
        writer.close()
        reader.close()


def propagation(server_url: str, base: Path, runs: int) -> Measure:
    writer = _station(server_url, USERS[0][0], base / "p-writer")
    watcher = _station(server_url, USERS[1][0], base / "p-watcher")
    stop = threading.Event()
    seen: dict[str, float] = {}

    def watch() -> None:  # what `raccordo sync --watch` and the GUI's sync thread do
        while not stop.is_set():
            result = watcher.sync_once()
            now = time.perf_counter()
            for dossier_id in result.changes.dossier_ids:
                seen.setdefault(str(dossier_id), now)
            watcher.wait_for_change(5.0)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    times = []
    try:
        time.sleep(1.0)
        for index, ref in enumerate(_open_ids(writer, runs)):
            with writer.replica.unit_of_work(USERS[0][0], write=True) as uow:
                update_dossier(uow, ref, {"employer_pec": f"p{uuid.uuid4().hex[:6]}@pec.it"})
                uow.commit()
            saved = time.perf_counter()
            writer.sync_once()  # the writer's own sync thread, right after the save
            while ref not in seen and time.perf_counter() - saved < 10:
                time.sleep(0.005)
            times.append(seen.get(ref, float("inf")) - saved)
            time.sleep(0.2 + index * 0.0)
    finally:
        stop.set()
        thread.join(timeout=10)
        writer.close()
        watcher.close()
    return Measure("propagation save → other workstation", PROPAGATION_TARGET, tuple(times),
                   f"{len(times)} modifiche, peggiore {max(times):.2f} s")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=3, help="first-replica runs (median)")
    parser.add_argument("--propagation-runs", type=int, default=15)
    args = parser.parse_args()
    server_url = prepare(args.admin_url, args.dossiers)
    with tempfile.TemporaryDirectory(prefix="raccordo-bench-") as base:
        measures = [
            first_replica(server_url, args.runs),
            thousand_changes(server_url, Path(base)),
            propagation(server_url, Path(base), args.propagation_runs),
        ]
    print(f"\nSync benchmark, {args.dossiers} dossiers on the server")
    print(f"{'measure':42} {'median':>9} {'target':>8} {'ratio':>6}  detail")
    for m in measures:
        print(
            f"{m.label:42} {m.median:8.2f}s {m.target:7.1f}s {m.median / m.target:6.2f}  "
            f"{m.detail}{'' if m.passed else '  MISSED'}"
        )
    return 0 if all(m.passed for m in measures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
