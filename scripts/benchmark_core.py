"""Times whole ``raccordo`` read commands against a bare Python process running their SQL.

    .venv/bin/python scripts/benchmark_core.py [--dossiers 200000] [--home DIR] [--repeat 7]

On a fresh temporary home (or the one given with ``--home``, whose database is reused),
it times ``raccordo demo --dossiers N``, then for each everyday read command:

- records the SQL statements the command runs (in this process, through the same read
  path, ``models.read``), and writes a bare Python script that runs exactly those
  statements with the driver and prints the rows: the floor any implementation pays;
- runs the command and that script as separate processes, alternately, at least seven
  times each after a warm-up, and prints both medians and their ratio.

The target is a ratio (the same machine, the same load, the same run): read commands at
most 5× the bare process. The children run with bytecode compiled beforehand and without
``PYTHONUNBUFFERED`` (an unbuffered stdout writes every line with its own system call).
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402
from models.read.connection import Reader, open_reader  # noqa: E402
from models.read.dossiers import DossierReads, load_viewer  # noqa: E402
from models.read.filters import DossierFilter  # noqa: E402
from models.read.records import format_protocol  # noqa: E402
from models.text import fold  # noqa: E402

USER = "rossi"  # a SUI clerk: sees what most users see (no restricted files)
DEMO_TARGET = 60.0  # seconds
RATIO_TARGET = 5.0  # whole command / bare process running the same SQL
PACKAGES = ("models", "desktop", "reports", "sync", "ui")


@dataclass(frozen=True)
class Measure:
    label: str
    command: tuple[float, ...]
    bare: tuple[float, ...] = ()
    rows: int | None = None
    target: float | None = RATIO_TARGET

    @property
    def median(self) -> float:
        return statistics.median(self.command)

    @property
    def worst(self) -> float:
        return max(self.command)

    @property
    def floor(self) -> float | None:
        return statistics.median(self.bare) if self.bare else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None

    @property
    def passed(self) -> bool:
        if self.target is None:
            return True
        if self.ratio is None:
            return self.median <= self.target
        return self.ratio <= self.target


@dataclass(frozen=True)
class Sample:
    """Values a clerk would type, taken from a visible demo dossier."""

    fragment: str
    protocol: str
    fiscal_code: str


class RecordingReader(Reader):
    """The read path's reader, noting every statement it sends to the driver."""

    def __init__(self, inner: Reader) -> None:  # the same transaction, not a new one
        self.__dict__.update(inner.__dict__)
        # The schema check open_reader made before this reader took over.
        self.statements: list[tuple[str, list[Any]]] = [
            ("SELECT version_num FROM alembic_version", [])
        ]

    def execute(self, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
        self.statements.append((sql, list(values)))
        return super().execute(sql, values)


BARE = """import sqlite3, sys
connection = sqlite3.connect({uri!r}, uri=True, isolation_level=None)
cursor = connection.cursor()
cursor.execute("BEGIN")
out = sys.stdout
for sql, values in {statements!r}:
    for row in cursor.execute(sql, values).fetchall():
        out.write("\\t".join(map(str, row)) + "\\n")
connection.close()
"""


def _bare_script(database: Path, statements: list[tuple[str, list[Any]]], folder: Path) -> Path:
    script = folder / f"bare-{len(list(folder.iterdir()))}.py"
    uri = f"file:{database}?mode=ro"
    script.write_text(BARE.format(uri=uri, statements=statements), encoding="utf-8")
    return script


def _raccordo() -> list[str]:
    script = Path(sys.executable).with_name("raccordo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop"]


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("RACCORDO_DB", "RACCORDO_USER", "PYTHONUNBUFFERED", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    return env


def compile_bytecode() -> None:
    """Children load compiled modules, as an installed Raccordo does (with
    PYTHONDONTWRITEBYTECODE set, nothing would ever be cached otherwise)."""
    for package in PACKAGES:
        compileall.compile_dir(str(ROOT / package), quiet=1)


class Runner:
    def __init__(self, home: Path) -> None:
        self.base = [*_raccordo(), "--home", str(home), "--user", USER]
        self.env = child_environment()

    def run(self, args: Sequence[str], raw: bool = False) -> tuple[float, str]:
        command = list(args) if raw else [*self.base, *args]
        start = time.perf_counter()
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
        return elapsed, done.stdout

    def compare(self, label: str, args: Sequence[str], bare: Path, repeat: int) -> Measure:
        floor = [sys.executable, str(bare)]
        self.run(args)  # warm the page cache once, as a clerk's second search would be
        self.run(floor, raw=True)
        times, floors, output = [], [], ""
        for _ in range(repeat):  # alternately, so both see the same load
            elapsed, output = self.run(args)
            times.append(elapsed)
            floors.append(self.run(floor, raw=True)[0])
        return Measure(label, tuple(times), tuple(floors), _table_rows(output))


def _table_rows(output: str) -> int | None:
    """Rows of a printed table (after the header and its rule); None for other output."""
    lines = [line for line in output.splitlines() if line.strip()]
    if len(lines) >= 2 and set(lines[1]) <= {"-", " "}:
        return len(lines) - 2
    return None


def _sample(database: Path, fragment: str | None) -> Sample:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        surname, year, number, fiscal_code, office = connection.execute(
            "SELECT dossiers.surname, dossiers.protocol_year, dossiers.protocol_number,"
            " dossiers.fiscal_code, offices.code FROM dossiers"
            " JOIN offices ON offices.id = dossiers.protocol_office_id"
            " WHERE dossiers.restricted = 0 AND dossiers.fiscal_code IS NOT NULL"
            " AND dossiers.deleted_at IS NULL AND dossiers.protocol_number IS NOT NULL"
            " ORDER BY dossiers.filed_on DESC, dossiers.id LIMIT 1 OFFSET 1000"
        ).fetchone()
    typed = fragment or max(fold(surname).split(), key=len)[:4]  # the start of the surname
    return Sample(typed, format_protocol(office, year, number), fiscal_code)


def _statements(database: Path, read: Callable[[DossierReads], object]) -> list[Any]:
    """The statements the light read path sends for one command."""
    reader = open_reader(f"sqlite:///{database}")
    if reader is None:
        raise SystemExit(f"{database}: no database at the current schema (run raccordo init)")
    recording = RecordingReader(reader)
    try:
        read(DossierReads(recording, load_viewer(recording, USER), date.today()))
    finally:
        recording.close()
    return recording.statements


def _print(measures: list[Measure]) -> None:
    header = (
        f"{'command':<44} {'bare':>8} {'median':>8} {'max':>8} {'ratio':>6} {'target':>7}"
        f" {'rows':>6}  result"
    )
    print(header)
    print("-" * len(header))
    for m in measures:
        floor = f"{m.floor:.3f}s" if m.floor else "—"
        ratio = f"{m.ratio:.2f}" if m.ratio else "—"
        unit = f"{m.target:.1f}x" if m.bare else f"{m.target:.0f}s"
        target = "—" if m.target is None else unit
        rows = "—" if m.rows is None else str(m.rows)
        verdict = "—" if m.target is None else ("PASS" if m.passed else "FAIL")
        print(
            f"{m.label:<44} {floor:>8} {m.median:>7.3f}s {m.worst:>7.3f}s {ratio:>6} {target:>7}"
            f" {rows:>6}  {verdict}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fragment", help="surname fragment to search (default: from data)")
    parser.add_argument("--home", help="reuse this home's database (or fill it, if empty)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args(argv)
    if args.repeat < 7:
        parser.error("--repeat: at least 7 runs per command")

    compile_bytecode()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="raccordo-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    runner = Runner(home)
    database = Path(resolve(home=str(home)).db_url.removeprefix("sqlite:///"))
    measures: list[Measure] = []
    scripts = Path(tempfile.mkdtemp(prefix="raccordo-bare-"))
    try:
        if not database.exists():
            elapsed, _ = runner.run(
                ["demo", "--dossiers", str(args.dossiers), "--seed", str(args.seed)]
            )
            label = f"demo --dossiers {args.dossiers}"
            measures.append(Measure(label, (elapsed,), target=DEMO_TARGET))
        sample = _sample(database, args.fragment)
        print(
            f"home {home}; searching «{sample.fragment}», {sample.protocol}, {sample.fiscal_code}",
            file=sys.stderr,
        )

        def listing(text: str) -> Callable[[DossierReads], object]:
            return lambda r: r.summaries(r.list_records(DossierFilter(search=text), 50))

        def due(r: DossierReads) -> object:
            return r.summaries(r.deadline_records(7, None))

        commands: list[tuple[str, list[str], Callable[[DossierReads], object]]] = [
            (
                f"dossier list --search {sample.fragment}",
                ["dossier", "list", "--search", sample.fragment],
                listing(sample.fragment),
            ),
            (
                "dossier list --search <protocol>",
                ["dossier", "list", "--search", sample.protocol],
                listing(sample.protocol),
            ),
            (
                "dossier list --search <codice fiscale>",
                ["dossier", "list", "--search", sample.fiscal_code],
                listing(sample.fiscal_code),
            ),
            ("deadlines --within 7", ["deadlines", "--within", "7"], due),
            ("deadlines --within 7 --json", ["deadlines", "--within", "7", "--json"], due),
            (
                "dossier show <protocol>",
                ["dossier", "show", sample.protocol],
                lambda r: r.detail(sample.protocol),
            ),
        ]
        for label, command, read in commands:
            bare = _bare_script(database, _statements(database, read), scripts)
            measures.append(runner.compare(label, command, bare, args.repeat))
    finally:
        shutil.rmtree(scripts, ignore_errors=True)
        if not args.home and not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    _print(measures)
    return 0 if all(m.passed for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
