"""Times whole ``raccordo`` commands on a large demo database against the core targets.

    .venv/bin/python scripts/benchmark_core.py [--dossiers 200000] [--db URL]

On a fresh temporary home (or the database given with ``--db``), it times
``raccordo demo --dossiers N``, then runs each everyday command at least seven times as
a separate process, as a clerk would, and prints the median and the slowest run against
the targets. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.dossiers import Dossier, format_protocol  # noqa: E402
from models.offices import Office  # noqa: E402
from models.text import fold  # noqa: E402

USER = "rossi"  # a SUI clerk: sees what most users see (no restricted files)
DEMO_TARGET = 60.0
SEARCH_TARGET = 0.5
DEADLINES_TARGET = 1.0


@dataclass(frozen=True)
class Measure:
    label: str
    target: float | None
    times: tuple[float, ...]
    rows: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)

    @property
    def passed(self) -> bool:
        return self.target is None or self.median < self.target


@dataclass(frozen=True)
class Sample:
    """Values a clerk would type, taken from a visible demo dossier."""

    fragment: str
    protocol: str
    fiscal_code: str


def _raccordo() -> list[str]:
    script = Path(sys.executable).with_name("raccordo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop"]


class Runner:
    def __init__(self, home: Path, db: str | None) -> None:
        self.base = [*_raccordo(), "--home", str(home), "--user", USER]
        if db:
            self.base += ["--db", db]
        self.env = dict(os.environ)
        self.env.pop("RACCORDO_DB", None)
        self.env.pop("RACCORDO_USER", None)

    def run(self, args: Sequence[str], raw: bool = False) -> tuple[float, str]:
        command = list(args) if raw else [*self.base, *args]
        start = time.perf_counter()
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"raccordo {' '.join(args)} failed:\n{done.stderr}")
        return elapsed, done.stdout

    def measure(
        self, label: str, args: Sequence[str], target: float | None, repeat: int, raw: bool = False
    ) -> Measure:
        self.run(args, raw)  # warm the page cache once, as a clerk's second search would be
        times, output = [], ""
        for _ in range(repeat):
            elapsed, output = self.run(args, raw)
            times.append(elapsed)
        return Measure(label, target, tuple(times), _table_rows(output))


def _table_rows(output: str) -> int | None:
    """Rows of a printed table (after the header and its rule); None for other output."""
    lines = [line for line in output.splitlines() if line.strip()]
    if len(lines) >= 2 and set(lines[1]) <= {"-", " "}:
        return len(lines) - 2
    return None


def _sample(home: Path, db: str | None, fragment: str | None) -> Sample:
    engine = make_engine(resolve(home=str(home), db=db).db_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(
                    Dossier.surname,
                    Dossier.protocol_year,
                    Dossier.protocol_number,
                    Dossier.fiscal_code,
                    Office.code,
                )
                .join(Office, Dossier.protocol_office_id == Office.id)
                .where(Dossier.restricted.is_(False), Dossier.fiscal_code.is_not(None))
                .order_by(Dossier.filed_on.desc(), Dossier.id)
                .limit(1)
                .offset(1000)
            ).one()
    finally:
        engine.dispose()
    surname, year, number, fiscal_code, office = row
    assert year is not None and number is not None and fiscal_code is not None
    typed = fragment or max(fold(surname).split(), key=len)[:4]  # the start of the surname
    return Sample(typed, format_protocol(office, year, number), fiscal_code)


def _print(measures: list[Measure]) -> None:
    header = f"{'command':<46} {'target':>7} {'median':>8} {'max':>8} {'ratio':>6} {'rows':>6}  "
    print(header + "result")
    print("-" * (len(header) + 6))
    for m in measures:
        target = f"{m.target:.1f}s" if m.target else "—"
        ratio = f"{m.median / m.target:.2f}" if m.target else "—"
        rows = "—" if m.rows is None else str(m.rows)
        verdict = "—" if m.target is None else ("PASS" if m.passed else "FAIL")
        print(
            f"{m.label:<46} {target:>7} {m.median:>7.3f}s {m.worst:>7.3f}s {ratio:>6} "
            f"{rows:>6}  {verdict}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary home)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fragment", help="surname fragment to search (default: from data)")
    parser.add_argument("--home", help="reuse this home and skip the demo (for iterating)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args(argv)
    if args.repeat < 7:
        parser.error("--repeat: at least 7 runs per command")

    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="raccordo-bench-"))
    runner = Runner(home, args.db)
    measures: list[Measure] = []
    try:
        if not args.home:
            elapsed, _ = runner.run(
                ["demo", "--dossiers", str(args.dossiers), "--seed", str(args.seed)]
            )
            measures.append(Measure(f"demo --dossiers {args.dossiers}", DEMO_TARGET, (elapsed,)))
        sample = _sample(home, args.db, args.fragment)
        print(
            f"home {home}; searching «{sample.fragment}», {sample.protocol}, {sample.fiscal_code}",
            file=sys.stderr,
        )
        commands: list[tuple[str, list[str], float | None]] = [
            ("--version (interpreter and imports)", ["--version"], None),
            (
                f"dossier list --search {sample.fragment}",
                ["dossier", "list", "--search", sample.fragment],
                SEARCH_TARGET,
            ),
            (
                "dossier list --search <protocol>",
                ["dossier", "list", "--search", sample.protocol],
                SEARCH_TARGET,
            ),
            (
                "dossier list --search <codice fiscale>",
                ["dossier", "list", "--search", sample.fiscal_code],
                SEARCH_TARGET,
            ),
            ("deadlines --within 7", ["deadlines", "--within", "7"], DEADLINES_TARGET),
            ("dossier show <protocol>", ["dossier", "show", sample.protocol], SEARCH_TARGET),
        ]
        floor = [sys.executable, "-c", "import sqlalchemy.orm"]
        measures.append(
            runner.measure("python -c 'import sqlalchemy.orm'", floor, None, args.repeat, raw=True)
        )
        for label, command, target in commands:
            measures.append(runner.measure(label, command, target, args.repeat))
    finally:
        if not args.home and not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    _print(measures)
    return 0 if all(m.passed for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
