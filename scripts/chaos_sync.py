"""Chaos run of the workstation sync: several workstations, random work, SIGKILLed syncs,
a network that cuts and stalls — then nothing may be lost, duplicated or divergent.

    .venv/bin/python scripts/chaos_sync.py [--seconds 300] [--workstations 4] [--seed N]
    .venv/bin/python scripts/chaos_sync.py --short --seed 1      # the CI form, ~1-1.5 min

On the local PostgreSQL server (127.0.0.1:5432, or RACCORDO_TEST_PG; otherwise a
throwaway one started with initdb/pg_ctl) it creates a database of its own, runs
``raccordo server init`` with a prefix of its own, and adds one person per workstation,
Sportello Unico clerks and Questura officers in turn, each with a random password that
is never written anywhere: it reaches ``raccordo`` on standard input, with no keyring.
Every workstation is a folder connected to the server through a TCP proxy on
127.0.0.1 that cuts connections, stalls them for a few seconds and refuses new ones for
a moment, at random.

For ``--seconds`` every workstation runs, as separate processes of the real command
line, random work allowed to its office — registrations, field edits, moves, pareri,
pending items raised and resolved, scanned documents, conflicts resolved — and syncs at
random; most syncs are killed with SIGKILL at one of the sync's test points
(``RACCORDO_SYNC_PAUSE_AT``) or at a random moment. Then the network is healed, every
workstation syncs until a whole round moves nothing, and the ledger of what each
workstation committed locally (its outbox, read after every command) is checked
against the server (``scripts/chaos_check.py``).

The last line is ``chaos: lost L, duplicated D, divergent V (…)``; the line before it
gives the documents' share. Exit status 0 when all three are zero, 1 otherwise, 2 when
the run itself could not be set up. Everything is bounded: the work by time and by a
number of actions per workstation, every command by a timeout, the final syncs by a
number of rounds. The database, the roles, the folders and the proxy are removed at the
end.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from chaos_check import (  # noqa: E402
    Verdict,
    check_divergent,
    check_duplicated,
    check_lost,
)
from chaos_proxy import ChaosProxy, NetworkChaos  # noqa: E402
from chaos_station import Station  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from models.db import make_engine  # noqa: E402
from models.errors import DomainError  # noqa: E402
from sync.server.names import ServerRoles  # noqa: E402
from sync.server.users import add_user  # noqa: E402
from tests.pg_harness import PgServer, find_or_start  # noqa: E402

SHORT_SECONDS, SHORT_WORKSTATIONS = 35.0, 3
ACTIONS_PER_SECOND = 2.0  # a bound on actions per workstation, far above what fits
HEAL_ROUNDS = 8
WARM_UP_DOSSIERS = 2
# What a sync report says moved; a round where every workstation reports none is quiet.
MOVING = (
    "pushed", "refused", "pulled", "queued", "uploaded", "downloaded", "missing_contents",
)  # fmt: skip
OFFICES = (("LO-SUI", "sui_clerk", "sui"), ("LO-QUESTURA", "questura_officer", "questura"))


class Run:
    """The server side of one run: database, prefix, people; everything removed at the end."""

    def __init__(self, pg: PgServer, workstations: int) -> None:
        tag = uuid.uuid4().hex[:8]
        self.pg = pg
        self.tag = tag
        self.database = f"raccordo_chaos_{tag}"
        self.roles = ServerRoles(f"chaos{tag}")
        self.people = [f"{self.roles.prefix}_w{i}" for i in range(workstations)]
        self.passwords = {name: secrets.token_urlsafe(18) for name in self.people}
        address = make_url(pg.admin_url)
        self.host, self.port = str(address.host or "127.0.0.1"), int(address.port or 5432)

    @property
    def admin_url(self) -> str:
        return self.pg.url_for(self.database)

    def user_url(self, name: str, port: int) -> str:
        return f"postgresql://{name}@127.0.0.1:{port}/{self.database}"

    def raccordo(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "desktop", *args],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"raccordo {args[0]} {args[1]}: {done.stderr.strip()}")
        return done.stdout

    def create(self, home: Path) -> None:
        with psycopg.connect(self.pg.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.raccordo(
            "--home", str(home), "server", "init", "--db", self.admin_url,
            "--prefix", self.roles.prefix,
        )  # fmt: skip
        engine = make_engine(self.admin_url)
        try:  # what `raccordo server add-user --password-stdin` does, without a process each
            for index, name in enumerate(self.people):
                office, role, _ = OFFICES[index % 2]
                add_user(engine, name, office, role, False, name, self.passwords[name])
        finally:
            engine.dispose()

    def drop(self) -> None:
        with psycopg.connect(self.pg.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            for name in [*self.people, *reversed(self.roles.groups())]:
                try:
                    connection.execute(f'DROP ROLE IF EXISTS "{name}"')
                except psycopg.Error as error:
                    print(f"chaos: role {name} not dropped: {error}", file=sys.stderr)


def _each(stations: list[Station], step: Callable[[Station], object]) -> None:
    """``step`` on every workstation at once."""
    threads = [threading.Thread(target=step, args=(s,)) for s in stations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _connect_all(stations: list[Station], run: Run, port: int) -> None:
    """``raccordo connect`` on every workstation at once (through the calm proxy)."""
    failures: list[str] = []

    def connect(station: Station) -> None:
        try:
            station.connect(run.user_url(station.user, port))
            station.note_outbox_start()
        except RuntimeError as error:
            failures.append(str(error))

    _each(stations, connect)
    if failures:
        raise RuntimeError(failures[0])


def _heal(stations: list[Station], started: float, budget: float) -> tuple[int, bool, int]:
    """Every workstation syncs, all at once, until one whole round moves nothing (then no
    one pushed, so no one had anything left to pull); also returns how many rows or
    contents the last round left in quarantine."""
    quarantined = 0
    reports: dict[int, dict[str, object] | None] = {}

    def sync(station: Station) -> None:
        reports[station.index] = station.sync()

    for round_ in range(1, HEAL_ROUNDS + 1):
        reports.clear()
        _each(stations, sync)
        answered = [r for r in reports.values() if r is not None and not r.get("error")]
        quarantined = sum(int(str(r.get("quarantined") or 0)) for r in answered)
        if len(answered) == len(stations) and not any(
            r.get(key) for r in answered for key in MOVING
        ):
            return round_, True, quarantined
        if time.monotonic() - started > budget:
            break
    return HEAL_ROUNDS, False, quarantined


def _warm_up(stations: list[Station]) -> None:
    """A few dossiers on the server before the chaos, so every office has work at once."""
    clerk = stations[0]
    for _ in range(WARM_UP_DOSSIERS):
        clerk.perform(clerk.register())
    clerk.sync()


def _chaos(stations: list[Station], proxy: ChaosProxy, seed: int, seconds: float) -> None:
    network = NetworkChaos(proxy, seed)
    stop = threading.Event()
    until = time.monotonic() + seconds
    workers = [
        threading.Thread(
            target=s.work,
            args=(until, int(seconds * ACTIONS_PER_SECOND) + 1, stop),
            name=f"station-{s.index}",
        )
        for s in stations
    ]
    network.start()
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            # A command is bounded by its own timeout: this is only a backstop.
            worker.join(timeout=max(0.0, until - time.monotonic()) + 180)
    finally:
        stop.set()
        network.stop()


def _verdict(run: Run, stations: list[Station]) -> Verdict:
    verdict = Verdict()
    admin = make_engine(run.admin_url)
    try:
        check_lost(stations, admin, verdict)
        check_duplicated(admin, verdict)
    finally:
        admin.dispose()
    for station in stations:
        direct = (
            f"postgresql+psycopg://{station.user}:{run.passwords[station.user]}"
            f"@{run.host}:{run.port}/{run.database}"
        )
        as_user = make_engine(direct)
        try:
            check_divergent(station, as_user, verdict)
        finally:
            as_user.dispose()
    return verdict


def _print_findings(verdict: Verdict, limit: int = 25) -> None:
    for finding in verdict.findings[:limit]:
        print(f"  {finding.kind}: {finding.table}: {finding.detail}")
    if len(verdict.findings) > limit:
        print(f"  … and {len(verdict.findings) - limit} more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the chaos")
    parser.add_argument("--workstations", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None, help="the random choices (not timing)")
    parser.add_argument("--short", action="store_true", help="the CI form (about a minute)")
    args = parser.parse_args()
    if args.short:
        args.seconds, args.workstations = SHORT_SECONDS, SHORT_WORKSTATIONS
    if not 2 <= args.workstations <= 8 or not 5 <= args.seconds <= 3600:
        parser.error("--workstations from 2 to 8, --seconds from 5 to 3600")
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    started = time.monotonic()
    try:
        pg = find_or_start()
    except Exception as error:
        print(f"chaos: no PostgreSQL server: {error}", file=sys.stderr)
        return 2
    base = Path(tempfile.mkdtemp(prefix="raccordo-chaos-"))
    run = Run(pg, args.workstations)
    proxy: ChaosProxy | None = None
    try:
        stations = [
            Station(i, base / f"w{i}", name, OFFICES[i % 2][2], run.passwords[name], seed, run.tag)
            for i, name in enumerate(run.people)
        ]
        try:
            run.create(base / "admin")
            proxy = ChaosProxy(run.host, run.port)
            _connect_all(stations, run, proxy.port)
        except (RuntimeError, DomainError, psycopg.Error, subprocess.TimeoutExpired) as error:
            print(f"chaos: set-up failed: {error}", file=sys.stderr)
            return 2
        print(
            f"chaos: seed {seed}, {len(stations)} workstations, {args.seconds:g} s of chaos, "
            f"set up in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        phases = {"set-up": time.monotonic() - started}
        _warm_up(stations)
        phases["warm-up"] = time.monotonic() - started - sum(phases.values())
        _chaos(stations, proxy, seed, args.seconds)
        phases["chaos"] = time.monotonic() - started - sum(phases.values())
        rounds, quiet, quarantined = _heal(stations, time.monotonic(), 120.0)
        phases["healing"] = time.monotonic() - started - sum(phases.values())
        verdict = _verdict(run, stations)
        phases["checks"] = time.monotonic() - started - sum(phases.values())
        print("phases: " + ", ".join(f"{name} {s:.1f} s" for name, s in phases.items()))
        if quarantined:
            print(f"  attention: {quarantined} rows or contents left in quarantine")
        return _report(verdict, stations, proxy, rounds, quiet, time.monotonic() - started)
    finally:
        if proxy is not None:
            proxy.close()
        try:
            run.drop()
        except psycopg.Error as error:
            print(f"chaos: database {run.database} not dropped: {error}", file=sys.stderr)
        shutil.rmtree(base, ignore_errors=True)
        pg.stop()


def _report(
    verdict: Verdict,
    stations: list[Station],
    proxy: ChaosProxy,
    rounds: int,
    quiet: bool,
    seconds: float,
) -> int:
    done: Counter[str] = Counter()
    attempted: Counter[str] = Counter()
    kills: Counter[str] = Counter()
    for station in stations:
        done.update(station.tally.done)
        attempted.update(station.tally.attempted)
        kills.update(station.tally.kills)
    operations = sum(done.values())
    print(
        "operations done/tried: "
        + ", ".join(f"{name} {done[name]}/{attempted[name]}" for name in sorted(attempted))
    )
    print(
        f"syncs {sum(s.tally.syncs for s in stations)}, kills "
        + ", ".join(f"{point} {n}" for point, n in sorted(kills.items()))
        + f"; outages {proxy.outages}; ledger {sum(len(s.ledger) for s in stations)} changes, "
        f"{verdict.refused} refused and {verdict.conflicts} fields in conflict (listed on their "
        f"workstations); quiet after {rounds} rounds"
    )
    spent: dict[str, float] = {}
    actions: Counter[str] = Counter()
    for station in stations:
        for kind, spent_here in station.tally.seconds.items():
            spent[kind] = spent.get(kind, 0.0) + spent_here
        actions.update(station.tally.actions)
    print(
        "chaos actions: "
        + ", ".join(f"{k} {actions[k]} ({spent[k] / actions[k]:.1f} s each)" for k in actions)
    )
    ended: Counter[str] = Counter()
    for station in stations:
        ended.update(station.tally.syncs_ended)
    print("syncs not killed: " + "; ".join(f"{n}× {how}" for how, n in ended.most_common(6)))
    hung = [f"station {s.index}: {h}" for s in stations for h in s.tally.hung]
    odd = [o for s in stations for o in s.tally.odd]
    for line in [*hung, *odd]:
        print(f"  attention: {line}")
    for station in stations:
        for trace in station.tally.tracebacks:
            print(f"  attention: station {station.index}, a sync failed without a report: {trace}")
    refusals: Counter[str] = Counter()
    for station in stations:
        refusals.update(station.tally.refusals)
    for message, count in refusals.most_common(8):
        print(f"  refused locally {count}×: {message}")
    if not quiet:
        print("  attention: the workstations never became quiet after the network healed")
    _print_findings(verdict)
    print(
        f"chaos documents: lost {verdict.count('lost', True)}, duplicated "
        f"{verdict.count('duplicated', True)}, divergent {verdict.count('divergent', True)}"
    )
    lost, duplicated, divergent = (
        verdict.count("lost"),
        verdict.count("duplicated"),
        verdict.count("divergent"),
    )
    print(
        f"chaos: lost {lost}, duplicated {duplicated}, divergent {divergent} "
        f"({operations} operations, {sum(kills.values())} kills, {proxy.cuts} cuts, "
        f"{proxy.stalls} stalls, {len(stations)} workstations, {seconds:.0f} s)",
        flush=True,
    )
    if not operations:
        print("  attention: no operation succeeded: this run proves nothing")
    clean = lost == duplicated == divergent == 0 and quiet and operations and not (hung or odd)
    return 0 if clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
